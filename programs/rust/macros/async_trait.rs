// `#[async_trait]` (the async-trait crate) on the health check of
// send-bounds-intro.md: every `async fn` of the trait returns
// `Pin<Box<dyn Future<Output = bool> + Send + 'async_trait>>`, so the post's
// spawning code needs no return type notation under any design, and the
// trait is dyn compatible: a `Box<dyn HealthCheck>` can be spawned too.
//@ revisions: explicit implied boxed

use async_trait::async_trait;

pub struct Server;

#[async_trait]
pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
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

async fn sleep() {}

/// The post's code: `H: Send` is enough, since the boxed future is `Send`.
pub fn start_health_check<H>(mut health_check: H, server: Server)
where
    H: HealthCheck + Send + 'static,
{
    tokio::spawn(async move {
        while health_check.check(&server).await {
            sleep().await;
        }
    });
}

/// The trait is dyn compatible: a boxed check spawns as well.
pub fn start_boxed(mut health_check: Box<dyn HealthCheck + Send>, server: Server) {
    tokio::spawn(async move {
        while health_check.check(&server).await {}
    });
}

/// A check behind a reference is called through the `dyn` type.
pub async fn check_dyn(health_check: &mut (dyn HealthCheck + Send), server: &Server) -> bool {
    health_check.check(server).await
}

/// A `Send` check: its body's future is checked against `Send` at the impl.
pub struct PingCheck {
    pings: u32,
}
#[async_trait]
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        self.pings += 1;
        sleep().await;
        self.pings < 10
    }
}
