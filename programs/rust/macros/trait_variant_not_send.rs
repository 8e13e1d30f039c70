// `#[trait_variant::make(HealthCheck: Send)]`: implementing the `Send`
// variant with an `async fn` whose future holds an `Rc` across an await is
// an error at the impl, under every design: the variant's `check` promises
// a `Send` future (rustc says "future cannot be sent between threads
// safely", on the method's line inside the impl; chalkboard's explicit
// design names the impl).
//@ revisions: explicit implied boxed

use std::rc::Rc;

pub struct Server;

#[trait_variant::make(HealthCheck: Send)]
pub trait LocalHealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

async fn sleep() {}

pub struct RcCheck;
impl HealthCheck for RcCheck {
    //~^ ERROR ill-formed-impl
    async fn check(&mut self, _server: &Server) -> bool {
        let hits = Rc::new(0u32);
        sleep().await;
        *hits == 0
    }
}
