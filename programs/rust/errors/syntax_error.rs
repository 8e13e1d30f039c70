// A syntax error: the stage 1 explainer's spelling of a bound on a method's
// future, `for<'a> H::check<'a>: Send`, with the arguments rustc's return
// type notation asks for, is not Rust; rust-analyzer's parser and rustc
// both stop at the `(`, and report it once. A file that does not parse is
// not checked further.
#![feature(return_type_notation)]

pub struct Server;

pub trait HealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

pub fn start_health_check<H>(health_check: H)
where
    H: HealthCheck + Send + 'static,
    for<'a> H::check<'a>(..): Send,
    //~^ ERROR expected colon
{
    let _ = health_check;
}
