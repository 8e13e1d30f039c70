// Default methods: a trait's `async fn` with a body, which an impl may keep
// (rule `rust-impl-keeps-default`). A caller that knows the impl sees the
// default body's future with `Self` replaced by the impl's type: rustc
// accepts `impl SendHealthCheck for PingCheck`, whose `check` is the default
// (its future captures only `&mut PingCheck` and `&Server`), and rejects
// `impl SendCounted for Keeps`, whose kept default holds an `Rc` across an
// await ("future cannot be sent between threads safely"), and
// `impl SendHolder<Rc<u32>> for Keeps`, whose kept default holds the
// trait's parameter, here `Rc<u32>` ("`Rc<u32>` cannot be sent between
// threads safely"). rustc reports both at the impl, as chalkboard does.
// The implied and boxed designs reject the impls of `Counted` and
// `Holder<Rc<u32>>` themselves: `Keeps` is `Send`, and the kept default's
// future is not.
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed
use std::rc::Rc;

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

/// Overrides `check`: its own future, `Send`.
pub struct Overrides;
impl HealthCheck for Overrides {
    async fn check(&mut self, _server: &Server) -> bool {
        false
    }
}
impl SendHealthCheck for Overrides {}

async fn tick() {}

/// A default whose future holds an `Rc` across an await.
pub trait Counted {
    async fn count(&self) -> u32 {
        let counter = Rc::new(0u32);
        tick().await;
        *counter
    }
}
pub trait SendCounted: Counted<count(..): Send> {}

pub struct Keeps;
impl Counted for Keeps {}
//[implied,boxed]~^ ERROR conditional-bound-unmet
impl SendCounted for Keeps {}
//[explicit]~^ ERROR ill-formed-impl

/// A generic trait's default sees the impl's type for the parameter.
pub trait Holder<T> {
    async fn hold(&self, value: T) -> u32 {
        tick().await;
        drop(value);
        0
    }
}
pub trait SendHolder<T>: Holder<T, hold(..): Send> {}

pub struct H;
impl Holder<u32> for H {}
impl SendHolder<u32> for H {}
impl Holder<Rc<u32>> for Keeps {}
//[implied,boxed]~^ ERROR conditional-bound-unmet
impl SendHolder<Rc<u32>> for Keeps {}
//[explicit]~^ ERROR ill-formed-impl
