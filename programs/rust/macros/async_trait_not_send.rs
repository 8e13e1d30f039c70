// `#[async_trait]`: an impl whose `async fn` holds an `Rc` across an await
// is an error at the impl, under every design: the body is boxed as a
// `dyn Future + Send`, and rustc says "future cannot be sent between
// threads safely" at the method's `async` keyword.
//@ revisions: explicit implied boxed

use async_trait::async_trait;
use std::rc::Rc;

pub struct Server;

#[async_trait]
pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

async fn sleep() {}

pub struct RcCheck;
#[async_trait]
impl HealthCheck for RcCheck {
    async fn check(&mut self, _server: &Server) -> bool {
        //~^ ERROR future cannot be sent between threads safely
        let hits = Rc::new(0u32);
        sleep().await;
        *hits == 0
    }
}
