// `#[async_trait(?Send)]`: the futures are `Pin<Box<dyn Future<Output =
// bool> + 'async_trait>>`, not `Send`. A check that holds an `Rc` is
// accepted; spawning a check's future on a work-stealing runtime is an
// error even for a concrete check whose body is `Send`, since a caller that
// knows the impl's type sees only the boxed `dyn` future, never the
// concrete future's auto traits.
//@ revisions: explicit implied boxed

use async_trait::async_trait;
use std::rc::Rc;

pub struct Server;

#[async_trait(?Send)]
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

pub struct RcCheck;
#[async_trait(?Send)]
impl HealthCheck for RcCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        let hits = Rc::new(0u32);
        sleep().await;
        *hits == 0
    }
}

pub struct PingCheck;
#[async_trait(?Send)]
impl HealthCheck for PingCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}

pub fn spawn_ping(server: Server) {
    let mut check = PingCheck;
    tokio::spawn(async move {
        //~^ ERROR future cannot be sent between threads safely
        check.check(&server).await;
    });
}
