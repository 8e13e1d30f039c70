// The Stage 1 explainer's `#[dyner]` example with a `'static` provider:
// `Context` holds a `DynHttpRequestProvider<'static>`, built with `from`
// from an `impl HttpRequestProvider + 'static` (the explainer's verdict: it
// works). Spawning a task that uses the context on a work-stealing runtime
// is an error: `DynHttpRequestProvider` holds a `Box<dyn .. + 'static>`
// and its method's future is a `Pin<Box<dyn Future>>`, neither of which
// says `Send`, as the explainer's `DynTrait` replaces `Box<dyn Trait>`.
//@ revisions: explicit implied boxed

use dyner::dyner;

pub struct Request;
pub struct Response;

#[dyner]
//[implied]~^ ERROR `request` must be `Send` whenever `DynHttpRequestProvider<'me>` is `Send`
//[boxed]~| ERROR `request` must be `Send`
pub trait HttpRequestProvider {
    async fn request(&mut self, request: Request) -> Response;
}

pub struct Context {
    provider: DynHttpRequestProvider<'static>,
}

pub async fn process_request(provider: impl HttpRequestProvider + 'static, request: Request) {
    let mut cx = Context {
        provider: DynHttpRequestProvider::from(provider),
    };
    cx.provider.request(request).await;
}

/// The task may move between threads at each await; the context may not.
pub fn spawn_processing(mut cx: Context) {
    tokio::spawn(async move {
        //~^ ERROR future cannot be sent between threads safely
        cx.provider.request(Request).await;
    });
}
