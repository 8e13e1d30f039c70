// stage1-explainer.md: `process_all_requests` spawns one task per request,
// each running `process_request(provider, r)`, which awaits
// `provider.request(..)`. `P: HttpRequestProvider + Clone + Send` is not
// enough under the explicit design: the future of `request` is not known to
// be `Send`, and the error is at the spawn, naming the await inside
// `process_request`. The explainer's fix, `for<'a> P::request<'a>: Send`, is
// written in rustc's return type notation, `P::request(..): Send`. A caller
// with a concrete provider needs no bound: its future's `Send`-ness is
// visible. (The explainer's code awaits `join_all` in a function that is not
// `async` and passes a `RequestData` where a `Request` is expected; here it
// is mended as little as rustc needs.)
//@ revisions: explicit implied boxed
#![feature(return_type_notation)]

pub struct Request;
pub struct Response;

pub trait HttpRequestProvider {
    async fn request(&mut self, request: Request) -> Response;
}

async fn process_request(mut provider: impl HttpRequestProvider, request: Request) {
    let response = provider.request(request).await;
    drop(response);
}

mod tokio {
    pub struct JoinHandle<T>(pub Option<T>);
    pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        drop(future);
        JoinHandle(None)
    }
}

/// As the explainer first writes it.
pub fn process_all_requests<P>(provider: P, requests: Vec<Request>)
where
    P: HttpRequestProvider + Clone + Send + 'static,
{
    let handles: Vec<_> = requests
        .into_iter()
        .map(|r| {
            let provider = provider.clone();
            tokio::spawn(async move {
                //[explicit]~^ ERROR future cannot be sent between threads safely
                process_request(provider, r).await;
            })
        })
        .collect();
    drop(handles);
}

/// With the bound on the future of `request`.
pub fn process_all_requests_rtn<P>(provider: P, requests: Vec<Request>)
where
    P: HttpRequestProvider + Clone + Send + 'static,
    P::request(..): Send,
{
    let handles: Vec<_> = requests
        .into_iter()
        .map(|r| {
            let provider = provider.clone();
            tokio::spawn(async move {
                process_request(provider, r).await;
            })
        })
        .collect();
    drop(handles);
}

/// A concrete provider: its future is `Send`, and the spawn sees it.
#[derive(Clone)]
pub struct MyProvider;
impl HttpRequestProvider for MyProvider {
    async fn request(&mut self, _request: Request) -> Response {
        Response
    }
}

pub fn spawn_concrete(some_request: Request) {
    tokio::spawn(async move {
        process_request(MyProvider, some_request).await;
    });
}
