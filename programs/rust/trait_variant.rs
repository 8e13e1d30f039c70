// `trait_variant`-style `Send` subtraits, as `#[trait_variant::make(HealthCheck:
// Send)]` writes them (its expansion written by hand; the attribute form
// is macros/trait_variant_make.rs): a local trait with an `async fn`, and a
// `Send` variant whose method returns `impl Future + Send`, implemented for
// every implementor of the variant. Generic code that spawns asks for the variant;
// a check that is not `Send` implements only the local trait (passing it
// where the variant is asked for is trait_variant_local_only.rs).
#![feature(return_type_notation)]
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

/// What a work-stealing spawn asks of a check: the variant is enough, with
/// no return type notation.
pub trait Spawn<H: HealthCheck + 'static> {}
pub struct Runner;
impl<H: HealthCheck + 'static> Spawn<H> for Runner {}

/// The variant says `Send` once, for every method, and the blanket impl
/// gives the local trait with a `Send` future too.
pub trait SendLocal: LocalHealthCheck<check(..): Send> + Send {}
impl<H: HealthCheck> SendLocal for H {}

/// A `Send` check implements the variant with an `async fn`, whose future
/// must be `Send`.
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
    //[boxed]~^ ERROR must be `Send`
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
