// `trait_variant`-style `Send` subtraits (see trait_variant.rs; the
// attribute form is macros/trait_variant_local_only.rs): a check
// that keeps an `Rc` implements only the local trait, and passing it where
// the `Send` variant is asked for is an error at the use, under every
// design: "the trait bound `CachedCheck: HealthCheck` is not satisfied".
//@ revisions: explicit implied boxed

use std::future::Future;
use std::rc::Rc;

pub struct Server;

pub trait LocalHealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

pub trait HealthCheck: Send {
    fn check(&mut self, server: &Server) -> impl Future<Output = bool> + Send;
}

impl<T: HealthCheck> LocalHealthCheck for T {
    async fn check(&mut self, server: &Server) -> bool {
        <Self as HealthCheck>::check(self, server).await
    }
}

pub struct CachedCheck {
    cache: Rc<Vec<u8>>,
}
impl LocalHealthCheck for CachedCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}

/// What a work-stealing spawn asks of a check.
pub trait Spawn<H: HealthCheck + 'static> {}
pub struct Runner;
impl Spawn<CachedCheck> for Runner {}
//~^ ERROR ill-formed-impl
