// The health check of send-bounds-intro.md with `#[dyner]`: checks of
// different types run through one `DynHealthCheck<'static>`. Its future is
// the boxed `dyn Future` of dynamic dispatch, which says no `Send`, so the
// post's spawn on a work-stealing runtime is an error under every design,
// and `spawn_local` is fine. A check that holds an `Rc` across an await is
// as welcome as any under the explicit design.
//@ revisions: explicit implied boxed

use dyner::dyner;
use std::rc::Rc;
use std::time::Duration;

pub struct Server;

#[dyner]
//[implied]~^ ERROR `check` must be `Send` whenever `DynHealthCheck<'me>` is `Send`
//[boxed]~| ERROR `check` must be `Send`
pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

pub fn start_health_check(mut health_check: DynHealthCheck<'static>, server: Server) {
    tokio::spawn(async move {
        //~^ ERROR future cannot be sent between threads safely
        while health_check.check(&server).await {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

pub fn start_local_health_check(mut health_check: DynHealthCheck<'static>, server: Server) {
    tokio::task::spawn_local(async move {
        while health_check.check(&server).await {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

pub struct PingCheck;
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}

pub struct RcCheck;
impl HealthCheck for RcCheck {
    //[implied]~^ ERROR `check` must be `Send`, since `RcCheck` is `Send`
    //[boxed]~| ERROR `check` must be `Send`
    async fn check(&mut self, _server: &Server) -> bool {
        let hits = Rc::new(0u32);
        tokio::time::sleep(Duration::from_secs(1)).await;
        *hits == 0
    }
}

pub fn start_both(server: Server, other: Server) {
    start_local_health_check(DynHealthCheck::new(PingCheck), server);
    start_local_health_check(DynHealthCheck::from(RcCheck), other);
}
