// `#[trait_variant::make(HealthCheck: Send)]`: a check whose future holds
// an `Rc` implements only the local trait, and passing it where the `Send`
// variant is asked for is an error at the call, under every design: "the
// trait bound `CachedCheck: HealthCheck` is not satisfied". The boxed
// design also rejects the local impl itself, since its futures are all
// `Send`.
//@ revisions: explicit implied boxed

use std::rc::Rc;

pub struct Server;

#[trait_variant::make(HealthCheck: Send)]
pub trait LocalHealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

async fn sleep() {}

pub struct CachedCheck;
impl LocalHealthCheck for CachedCheck {
    //[implied]~^ ERROR `check` must be `Send`, since `CachedCheck` is `Send`
    //[boxed]~| ERROR `check` must be `Send`
    async fn check(&mut self, _server: &Server) -> bool {
        let hits = Rc::new(0u32);
        sleep().await;
        *hits == 0
    }
}

fn start_health_check<H: HealthCheck + 'static>(_health_check: H) {}

pub fn start_cached() {
    start_health_check(CachedCheck);
    //~^ ERROR the trait bound `CachedCheck: HealthCheck` is not satisfied
}
