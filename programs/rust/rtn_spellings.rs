// Return type notation in every spelling rustc accepts (RFC 3654): the
// associated-item form `H: HealthCheck<check(..): Send>`, the shorthand
// `H::check(..): Send` and the fully qualified `<H as HealthCheck>::check(..):
// Send`, in supertraits, in where clauses of traits, in bounds of a trait's
// parameters, in where clauses and inline bounds of functions, and in
// `impl Trait` arguments and return types. A `Send` check implements every
// trait below; a check whose future is not `Send` implements none.
// (`Self::check(..): Send` in a trait's own where clause is in
// rtn_self_shorthand.rs: rustc 1.95 rejects it.)
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed

use std::future::Future;
use std::pin::Pin;

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

// Supertraits and where clauses of traits, on `Self`.
pub trait SendHealthCheck: HealthCheck<check(..): Send> + Send {}
pub trait WhereAssociated
where
    Self: HealthCheck<check(..): Send>,
{
}
pub trait WhereQualified
where
    Self: HealthCheck,
    <Self as HealthCheck>::check(..): Send,
{
}

// Bounds of a trait's parameter, in each spelling.
pub trait InlineParameter<H: HealthCheck<check(..): Send>> {}
pub trait WhereShorthand<H>
where
    H: HealthCheck,
    H::check(..): Send,
{
}
pub trait WhereParameterQualified<H>
where
    H: HealthCheck,
    <H as HealthCheck>::check(..): Send,
{
}

// A check whose future is `Send` satisfies every spelling.
pub struct PingCheck;
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
impl SendHealthCheck for PingCheck {}
impl WhereAssociated for PingCheck {}
impl WhereQualified for PingCheck {}
pub struct Runner;
impl InlineParameter<PingCheck> for Runner {}
impl WhereShorthand<PingCheck> for Runner {}
impl WhereParameterQualified<PingCheck> for Runner {}

// A check whose future holds a `dyn Future` that is not `Send` (as a future
// that holds an `Rc` across an await would) satisfies none of them, though
// the check itself is `Send`. The implied and boxed designs reject its impl
// already: its future must be `Send`. (chalk 0.104 cannot check the
// well-formedness of an impl whose associated type is a `dyn` type;
// chalkboard says so.)
pub struct LocalCheck;
impl HealthCheck for LocalCheck {
    //~^ WARN unchecked-well-formedness
    //[implied]~| ERROR must be `Send`
    //[boxed]~| ERROR must be `Send`
    fn check(&mut self, _server: &Server) -> Pin<Box<dyn Future<Output = bool> + '_>> {
        //~^ WARN impl trait in impl method signature does not match trait method signature
        Box::pin(async { true })
    }
}
impl SendHealthCheck for LocalCheck {}
//[explicit]~^ ERROR ill-formed-impl
impl WhereAssociated for LocalCheck {}
//[explicit]~^ ERROR ill-formed-impl
impl WhereQualified for LocalCheck {}
//[explicit]~^ ERROR ill-formed-impl
impl InlineParameter<LocalCheck> for Runner {}
//[explicit]~^ ERROR ill-formed-impl
impl WhereShorthand<LocalCheck> for Runner {}
//[explicit]~^ ERROR ill-formed-impl
impl WhereParameterQualified<LocalCheck> for Runner {}
//[explicit]~^ ERROR ill-formed-impl

// Functions, in each spelling (their signatures are read; calls to them
// are the body checker's).
pub fn inline<H: HealthCheck<check(..): Send> + Send + 'static>(health_check: H) {
    let _ = health_check;
}
pub fn where_associated<H>(health_check: H)
where
    H: HealthCheck<check(..): Send> + Send + 'static,
{
    let _ = health_check;
}
pub fn where_shorthand<H>(health_check: H)
where
    H: HealthCheck + Send + 'static,
    H::check(..): Send,
{
    let _ = health_check;
}
pub fn where_qualified<H>(health_check: H)
where
    H: HealthCheck + Send + 'static,
    <H as HealthCheck>::check(..): Send,
{
    let _ = health_check;
}
pub fn argument(health_check: impl HealthCheck<check(..): Send> + Send + 'static) {
    let _ = health_check;
}
pub fn returned() -> impl HealthCheck<check(..): Send> + Send + 'static {
    PingCheck
}
