// `#[trait_variant::make(HealthCheck: Send)]` (the trait-variant crate) on
// the health check of send-bounds-intro.md: the trait as written is the
// local one, and the macro adds the `Send` variant `HealthCheck`, whose
// `check` returns `impl Future<Output = bool> + Send`, and the blanket impl
// `impl<T: HealthCheck> LocalHealthCheck for T`. Generic code that spawns
// asks for the variant, with no return type notation; a check that is
// `Send` implements the variant with an `async fn`. (../trait_variant.rs is
// the same program with the expansion written by hand.)
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed

use std::rc::Rc;

pub struct Server;

#[trait_variant::make(HealthCheck: Send)]
pub trait LocalHealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

mod tokio {
    pub fn spawn<F>(future: F)
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        drop(future);
    }
}

/// The post's spawning code, with the variant as the bound: its future is
/// `Send` under every design.
pub fn start_health_check<H>(mut health_check: H, server: Server)
where
    H: HealthCheck + 'static,
{
    tokio::spawn(async move {
        while health_check.check(&server).await {}
    });
}

/// The blanket impl gives the local trait with a `Send` future too.
pub trait SendLocal: LocalHealthCheck<check(..): Send> + Send {}
impl<H: HealthCheck> SendLocal for H {}

/// A `Send` check implements the variant with an `async fn`.
pub struct PingCheck;
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}

/// A check that keeps an `Rc` implements only the local trait. The boxed
/// design, whose futures are all `Send`, rejects even that.
pub struct CachedCheck {
    cache: Rc<Vec<u8>>,
}
impl LocalHealthCheck for CachedCheck {
    //[boxed]~^ ERROR `check` must be `Send`
    async fn check(&mut self, _server: &Server) -> bool {
        self.cache.is_empty()
    }
}
