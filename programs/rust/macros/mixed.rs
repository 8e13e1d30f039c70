// The two macros in one program: a health check declared with
// `#[trait_variant::make]` and a logger declared with `#[async_trait]`,
// one type implementing both, and a task that spawns with both. The
// variant's future and the boxed future are both `Send`, so the task is
// `Send` under every design; the logger is dyn compatible, the check is
// not (its futures are opaque types), so a `Box<dyn Logger>` may sit in
// the task beside a generic check.
//@ revisions: explicit implied boxed

use async_trait::async_trait;

pub struct Server;

#[trait_variant::make(HealthCheck: Send)]
pub trait LocalHealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

#[async_trait]
pub trait Logger {
    async fn log(&self, message: String);
}

mod tokio {
    pub fn spawn<F>(future: F)
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        drop(future);
    }
}

pub fn start_health_check<H>(mut check: H, logger: Box<dyn Logger + Send + Sync>, server: Server)
where
    H: HealthCheck + 'static,
{
    tokio::spawn(async move {
        while check.check(&server).await {}
        logger.log(String::new()).await;
    });
}

pub struct PingCheck;
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
#[async_trait]
impl Logger for PingCheck {
    async fn log(&self, _message: String) {}
}

pub fn start_ping(server: Server) {
    start_health_check(PingCheck, Box::new(PingCheck), server);
}
