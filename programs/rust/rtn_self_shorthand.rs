// The shorthand `Self::check(..): Send` in a trait's own where clause. It
// means what the fully qualified `<Self as HealthCheck>::check(..): Send`
// means, and chalkboard accepts both; rustc 1.95 accepts the qualified form
// and rejects the shorthand with a query cycle (E0391, "cycle detected when
// looking up late bound vars inside `Shorthand`").
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed
//@ rustc-differs: rustc 1.95 reports a query cycle (E0391) for `Self::check(..): Send` in a trait's own where clause, which the qualified spelling avoids
//@ check-pass

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

pub trait Shorthand: HealthCheck
where
    Self::check(..): Send,
{
}
pub trait Qualified: HealthCheck
where
    <Self as HealthCheck>::check(..): Send,
{
}

pub struct PingCheck;
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
impl Shorthand for PingCheck {}
impl Qualified for PingCheck {}
