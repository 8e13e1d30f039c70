// Dyn compatibility with `where Self: Sized`: a trait with an `async fn` is
// not dyn compatible (rustc's E0038, "method `check` is `async`"), unless
// the method says `where Self: Sized`, which keeps it off the trait object.
// `dyn HealthCheck` is then allowed, and its methods without the clause are
// callable on it; generic code still bounds the future of `check` with
// return type notation. rustc accepts this file, and so does chalkboard
// under every design: `PingCheck` is sized, so its `check` future exists and
// is `Send`.
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed
//@ check-pass

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool
    where
        Self: Sized;
    fn name(&self) -> u32;
}

/// Trait objects of it, in a struct's field and behind a reference.
pub struct Registry {
    checks: Vec<Box<dyn HealthCheck>>,
}
pub fn names(check: &dyn HealthCheck) -> u32 {
    check.name()
}

pub trait SendHealthCheck: HealthCheck<check(..): Send> + Send {}

pub struct PingCheck;
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool
    where
        Self: Sized,
    {
        true
    }
    fn name(&self) -> u32 {
        1
    }
}
impl SendHealthCheck for PingCheck {}
