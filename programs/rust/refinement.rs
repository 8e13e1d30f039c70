// Refinement in impls: an impl may implement a trait's `async fn` with a
// method that returns something more specific, a future that is `Send` or a
// nameable future type. A caller that knows the impl's type sees what the
// impl returns; a generic caller sees only the trait's signature. rustc
// warns that the refinement becomes part of the impl's public API
// (`refining_impl_trait`), and so does chalkboard, in rustc's words.
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed

use std::future::{Future, Ready};
use std::pin::Pin;
use std::rc::Rc;

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

/// A check whose future is `Send` (for every `C`).
pub trait SendHealthCheck: HealthCheck<check(..): Send> {}

/// The future of an `async fn` captures `&mut self`, so it is `Send` only
/// when `Pooled<C>` is: not for every `C`.
pub struct Pooled<C>(C);
impl<C> HealthCheck for Pooled<C> {
    //[boxed]~^ ERROR must be `Send`
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
impl<C> SendHealthCheck for Pooled<C> {}
//[explicit]~^ ERROR ill-formed-impl
//[implied]~| ERROR ill-formed-impl

/// A nameable future that is `Send` for every `C`: the refinement is what
/// proves the bound.
pub struct Nameable<C>(C);
impl<C> HealthCheck for Nameable<C> {
    fn check(&mut self, _server: &Server) -> Ready<bool> {
        //~^ WARN impl trait in impl method signature does not match trait method signature
        std::future::ready(true)
    }
}
impl<C> SendHealthCheck for Nameable<C> {}

/// A boxed future, as the `async_trait` crate writes it, `Send` by its type.
pub struct Boxed<C>(C);
impl<C> HealthCheck for Boxed<C> {
    //~^ WARN unchecked-well-formedness
    fn check(&mut self, _server: &Server) -> Pin<Box<dyn Future<Output = bool> + Send + '_>> {
        //~^ WARN impl trait in impl method signature does not match trait method signature
        Box::pin(async { true })
    }
}
impl<C> SendHealthCheck for Boxed<C> {}

/// A refinement stated on purpose: `#[allow(refining_impl_trait)]` silences
/// the warning, in rustc and in chalkboard.
pub struct Quiet(Rc<u32>);
impl HealthCheck for Quiet {
    #[allow(refining_impl_trait)]
    fn check(&mut self, _server: &Server) -> Ready<bool> {
        std::future::ready(true)
    }
}
