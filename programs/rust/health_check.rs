// send-bounds-intro.md: `start_health_check` spawns a task that awaits
// `health_check.check(&server)` on a work-stealing runtime (tokio's `spawn`,
// declared here as tokio declares it). `H: HealthCheck + Send + 'static` is
// not enough under the explicit design: the future of `check` is not known
// to be `Send` ("future cannot be sent between threads safely", at the
// spawn). The caller's return-type-notation bound fixes it; the implied
// design makes the future `Send` because `H` is, and the boxed design makes
// every future `Send`, so both accept the post's version.
//@ revisions: explicit implied boxed
#![feature(return_type_notation)]
use std::time::Duration;

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

async fn emit_failure_log(_server: &Server) {}

mod tokio {
    pub fn spawn<F>(future: F)
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        drop(future);
    }
    pub mod time {
        pub async fn sleep(_duration: std::time::Duration) {}
    }
}

/// The post's code.
pub fn start_health_check<H>(mut health_check: H, server: Server)
where
    H: HealthCheck + Send + 'static,
{
    tokio::spawn(async move {
        //[explicit]~^ ERROR future cannot be sent between threads safely
        while health_check.check(&server).await {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        emit_failure_log(&server).await;
    });
}

/// The direction the post argues for: the caller says it needs a `Send`
/// future from `check`.
pub fn start_health_check_rtn<H>(mut health_check: H, server: Server)
where
    H: HealthCheck<check(..): Send> + Send + 'static,
{
    tokio::spawn(async move {
        while health_check.check(&server).await {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        emit_failure_log(&server).await;
    });
}

/// A single-threaded executor needs nothing `Send`.
pub async fn check_locally<H: HealthCheck>(mut health_check: H, server: Server) {
    while health_check.check(&server).await {}
}

/// A concrete check whose future holds an `Rc` across an await.
pub struct RcCheck;
impl HealthCheck for RcCheck {
    //[implied]~^ ERROR `check` must be `Send`, since `RcCheck` is `Send`
    //[boxed]~| ERROR `check` must be `Send`
    async fn check(&mut self, _server: &Server) -> bool {
        let hits = std::rc::Rc::new(0u32);
        tokio::time::sleep(Duration::from_secs(1)).await;
        *hits == 0
    }
}
