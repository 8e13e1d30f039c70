// Default methods: a trait's `async fn` with a body, which an impl may keep.
// A caller that knows the impl sees the default body's future: rustc
// accepts `impl SendHealthCheck for PingCheck`, whose `check` is the
// default (its future captures only `&mut PingCheck` and `&Server`). So
// should chalkboard; it does not yet (see the `rustc-differs` line), and the
// annotations below record what it says today.
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed
//@ rustc-differs: FIXME(default methods): an impl that keeps a default `async fn` gets no future type in chalkboard's lowering, so a return type notation bound on it does not hold; rustc uses the default body's future

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
    fn name(&self) -> u32 {
        0
    }
}

pub trait SendHealthCheck: HealthCheck<check(..): Send> + Send {}

/// Keeps both defaults.
pub struct PingCheck;
impl HealthCheck for PingCheck {}
impl SendHealthCheck for PingCheck {}
//[explicit]~^ ERROR ill-formed-impl

/// Overrides `check`: its own future, `Send`.
pub struct Overrides;
impl HealthCheck for Overrides {
    async fn check(&mut self, _server: &Server) -> bool {
        false
    }
}
impl SendHealthCheck for Overrides {}
