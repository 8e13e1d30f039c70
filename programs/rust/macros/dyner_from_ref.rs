// The Stage 1 explainer's `from_ref`: it "takes a `&impl Trait` and gives
// you a `Ref<DynTrait>`; `Ref` is a special type that ensures you only use
// `&self` methods". Calling the `&self` method `describe` through it is
// fine; calling the `&mut self` method `request` is an error, as rustc
// reports a mutable borrow through a pointer without `DerefMut`.
//@ revisions: explicit implied boxed

use dyner::dyner;

pub struct Request;
pub struct Response;

#[dyner]
pub trait HttpRequestProvider {
    fn describe(&self) -> String;
    fn request(&mut self, request: Request) -> Response;
}

pub fn describe(provider: &impl HttpRequestProvider) -> String {
    let shared = DynHttpRequestProvider::from_ref(provider);
    shared.describe()
}

pub fn request(provider: &impl HttpRequestProvider, request: Request) -> Response {
    let mut shared = DynHttpRequestProvider::from_ref(provider);
    shared.request(request)
    //~^ ERROR cannot borrow data in dereference of `Ref<DynHttpRequestProvider<'_>>` as mutable
}
