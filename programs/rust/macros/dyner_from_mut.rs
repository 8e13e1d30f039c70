// The Stage 1 explainer's `#[dyner]` example without boxing: `from_mut`
// turns the `&mut impl HttpRequestProvider` into a
// `&'me mut DynHttpRequestProvider<'me>`, and "the rest of the code would
// work just the same" (`cx.provider.request(r).await`), under every design.
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

pub struct Context<'me> {
    provider: &'me mut DynHttpRequestProvider<'me>,
}

pub async fn process_request(mut provider: impl HttpRequestProvider, request: Request) {
    let cx = Context {
        provider: DynHttpRequestProvider::from_mut(&mut provider),
    };
    cx.provider.request(request).await;
}
