// send-bounds-intro.md: `start_health_check` spawns a task that awaits
// `health_check.check(..)` on a work-stealing runtime. `H: HealthCheck +
// Send + 'static` is not enough under the explicit design: the future of
// `check` is not known to be `Send`. The caller's return-type-notation
// bound fixes it; the implied and boxed designs accept the first version.
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

pub fn start_health_check<H>(mut health_check: H, server: Server)
where
    H: HealthCheck + Send + 'static,
{
    tokio::spawn(async move { //[explicit]~ ERROR future cannot be sent between threads safely
        while health_check.check(&server).await {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        emit_failure_log(&server).await;
    });
}

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
