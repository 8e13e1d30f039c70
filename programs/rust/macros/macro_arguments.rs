// Arguments the macros' crates do not accept: each is an error at the
// attribute, as the crate's is, and the trait is left as written.
//@ revisions: explicit

use async_trait::async_trait;

pub struct Server;

#[async_trait(Sync)]
//~^ ERROR expected #[async_trait] or #[async_trait(?Send)]
pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

#[trait_variant::make(SendLogger Send)]
//~^ ERROR `trait_variant::make` expects `VariantName: Bounds` or `Bounds`
pub trait Logger {
    async fn log(&self, message: String);
}
