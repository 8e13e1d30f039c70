// send-bounds-intro.md, items only: `start_health_check` spawns a task that
// runs `health_check.check(&server)` in a loop on a work-stealing runtime, so
// the task needs `H: Send + 'static` and a `Send` future from `check`.
// What `tokio::spawn` asks of that task is written here as the where
// clauses of a trait, `Spawn<H>`, and each caller's where clauses as those
// of an impl of it: the impl is accepted exactly when the caller's where
// clauses are enough for the spawn.
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed

use std::rc::Rc;

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

/// A task that runs `H`'s check can be spawned on a work-stealing runtime
/// when the check, and the future of its `check`, can move between threads.
pub trait Spawn<H>
where
    H: HealthCheck<check(..): Send> + Send + 'static,
{
}

/// `start_health_check` as the post writes it, `H: HealthCheck + Send +
/// 'static`: under the explicit design nothing says the future of `check`
/// is `Send` (the post's "future cannot be sent between threads safely");
/// the implied design makes it `Send` because `H` is, and the boxed design
/// makes every future `Send`.
pub struct AsPosted;
impl<H> Spawn<H> for AsPosted where H: HealthCheck + Send + 'static {}
//[explicit]~^ ERROR ill-formed-impl

/// The direction the post argues for: the caller states that it needs a
/// `Send` future. Accepted under every design. (chalk cannot check the
/// well-formedness of an impl with a return type notation bound; chalkboard
/// says so.)
pub struct StatesItsNeed;
impl<H> Spawn<H> for StatesItsNeed where H: HealthCheck<check(..): Send> + Send + 'static {}
//~^ WARN unchecked-well-formedness

/// A single-threaded executor needs nothing `Send`.
pub trait SpawnLocal<H>
where
    H: HealthCheck + 'static,
{
}
impl<H> SpawnLocal<H> for AsPosted where H: HealthCheck + 'static {}

/// A concrete check needs no bound: its future is visible, and `Send`.
pub struct PingCheck;
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
pub struct Concrete;
impl Spawn<PingCheck> for Concrete {}

/// A check that is not `Send` cannot be spawned, under any design, but a
/// single-threaded executor runs it.
pub struct LocalCheck {
    failures: Rc<u32>,
}
impl HealthCheck for LocalCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
impl Spawn<LocalCheck> for Concrete {}
//~^ ERROR ill-formed-impl
impl SpawnLocal<LocalCheck> for Concrete {}

/// The function the post writes, with the bound it argues for; its body
/// (the spawn) is the body checker's.
pub fn start_health_check<H>(health_check: H, server: Server)
where
    H: HealthCheck<check(..): Send> + Send + 'static,
{
    let _ = (health_check, server);
}
