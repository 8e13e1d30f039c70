// The Stage 1 explainer's `#[dyner]` example ("Caveat: Async fn in trait
// are not dyn safe"): `Context<T: HttpRequestProvider>` becomes
// `Context<'me>` with a `DynHttpRequestProvider<'me>`, built with `new`
// (boxing), and `cx.provider.request(r).await` dispatches dynamically. The
// explainer's verdict: it works, under every design.
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

/// Before: generic over the provider.
pub struct GenericContext<T: HttpRequestProvider> {
    provider: T,
}

pub async fn process_request_generic<T: HttpRequestProvider>(provider: T, request: Request) {
    let mut cx: GenericContext<T> = GenericContext { provider };
    cx.provider.request(request).await;
}

/// After: a trait object, with the lifetime of what it may borrow.
pub struct Context<'me> {
    provider: DynHttpRequestProvider<'me>,
}

pub async fn process_request(provider: impl HttpRequestProvider, request: Request) {
    let mut cx = Context {
        provider: DynHttpRequestProvider::new(provider),
    };
    cx.provider.request(request).await;
}

/// A provider that keeps an `Rc` is as welcome: nothing is `Send` here.
pub struct CachedProvider {
    cache: std::rc::Rc<Vec<u8>>,
}
impl HttpRequestProvider for CachedProvider {
    //[boxed]~^ ERROR `request` must be `Send`
    async fn request(&mut self, _request: Request) -> Response {
        Response
    }
}

pub async fn process_cached(provider: CachedProvider, request: Request) {
    process_request(provider, request).await;
}
