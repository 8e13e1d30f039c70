// A generic middleware wrapper, `impl<T: HttpService> HttpService for
// Limit<T>`, whose future awaits the wrapped service's future. A caller that
// spawns the wrapper's future needs the wrapped future to be `Send`, and
// says so with return type notation on `T` (explicit design).
//
// The wrapper's body holds the wrapped service's future across its await,
// so each design's verdict follows from the body, as the document says:
// - explicit: `AsWritten` is rejected (rustc agrees, same line), `WithTheBound`
//   and the concrete caller are accepted;
// - implied/assume: the wrapper's impl cannot prove its future `Send` from
//   `Limit<T>: Send`, which says nothing about `T`'s future;
// - implied/decide: `Limit<T>: Send` does not hold for every `T`, so the
//   obligation is vacuous and the impl is accepted;
// - boxed: the future captures `&mut Limit<T>`, `Send` only if `T` is, so the
//   wrapper needs `where T: Send` (as with the `async_trait` crate).
// programs/designs/middleware.chalk states the same verdicts as goals.
#![feature(return_type_notation)]
//@ revisions: explicit implied-assume implied-decide boxed

pub struct Request;
pub struct Response;

pub trait HttpService {
    async fn call(&mut self, req: Request) -> Response;
}

pub struct Limit<T> {
    inner: T,
}
impl<T> HttpService for Limit<T>
//[implied-assume]~^ ERROR `call` must be `Send` whenever `Limit<T>` is `Send`
//[boxed]~^^ ERROR `call` must be `Send`
where
    T: HttpService,
{
    async fn call(&mut self, req: Request) -> Response {
        self.inner.call(req).await
    }
}

/// What a work-stealing spawn asks of a service.
pub trait Spawn<S: HttpService<call(..): Send> + Send + 'static> {}

/// A caller that says the wrapped future is `Send`.
pub struct WithTheBound;
impl<T> Spawn<Limit<T>> for WithTheBound where T: HttpService<call(..): Send> + Send + 'static {}
//~^ WARN unchecked-well-formedness

/// A caller that does not: `Limit<T>: Send` says nothing about `T`'s future.
/// An error under the explicit design, where rustc reports it too.
pub struct AsWritten;
impl<T> Spawn<Limit<T>> for AsWritten where T: HttpService + Send + 'static {}
//[explicit]~^ ERROR ill-formed-impl

/// Concrete callers see through the wrapper.
pub struct Plain;
impl HttpService for Plain {
    async fn call(&mut self, _req: Request) -> Response {
        Response
    }
}
pub struct Concrete;
impl Spawn<Limit<Plain>> for Concrete {}
