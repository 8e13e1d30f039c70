// stage1-explainer.md, items only: `process_all_requests` spawns one task
// per request, each running `process_request(provider, r)`, which awaits
// `provider.request(..)`. The tasks need `P: Send` and a `Send` future from
// `request`; the explainer's `for<'a> P::request<'a>: Send` is written in
// rustc's return type notation, `P::request(..): Send`. What the spawn asks
// of a task is the where clauses of a trait, and each caller's where clauses
// those of an impl of it.
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed

pub struct Request;
pub struct Response;

pub trait HttpRequestProvider {
    async fn request(&mut self, request: Request) -> Response;
}

/// A task running `process_request(provider, r)` can be spawned on a
/// work-stealing runtime when the provider and the future of its `request`
/// are `Send`.
pub trait Spawn<P: HttpRequestProvider<request(..): Send> + Send + 'static> {}

/// `P: HttpRequestProvider + Clone + Send`, as the explainer first writes
/// it: its E0277 under the explicit design.
pub struct ProcessAllRequests;
impl<P> Spawn<P> for ProcessAllRequests where P: HttpRequestProvider + Clone + Send + 'static {}
//[explicit]~^ ERROR ill-formed-impl

/// With the bound on the future of `request`, accepted under every design.
pub struct WithTheBound;
impl<P> Spawn<P> for WithTheBound
//~^ WARN unchecked-well-formedness
where
    P: HttpRequestProvider + Clone + Send + 'static,
    P::request(..): Send,
{
}

/// "Invoking `process_request` on a known type doesn't require any sort of
/// where clauses": a concrete provider's future is visible.
#[derive(Clone)]
pub struct MyProvider;
impl HttpRequestProvider for MyProvider {
    async fn request(&mut self, _request: Request) -> Response {
        Response
    }
}
pub struct Concrete;
impl Spawn<MyProvider> for Concrete {}

/// The functions themselves (their bodies are the body checker's).
pub async fn process_request(provider: impl HttpRequestProvider, request: Request) {
    let _ = (provider, request);
}
pub fn process_all_requests<P>(provider: P, requests: Vec<Request>)
where
    P: HttpRequestProvider<request(..): Send> + Clone + Send + 'static,
{
    let _ = (provider, requests);
}
