// Names that resolve to nothing: not in the file, its imports, the model of
// the standard library or Rust's prelude. rustc rejects them too (E0412,
// E0405, E0433).
//@ revisions: explicit

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
    //~^ ERROR `Server`
}

pub struct PingCheck;
impl HealthChek for PingCheck {}
//~^ ERROR `HealthChek`

pub struct Registry {
    checks: Vec<health::Check>,
    //~^ ERROR `health::Check`
}
