// A generic middleware wrapper, `impl<T: HttpService> HttpService for
// Limit<T>`, whose future awaits the wrapped service's future. A caller that
// spawns the wrapper's future needs the wrapped future to be `Send`, and
// says so with return type notation on `T` (explicit design).
//
// The wrapper's body is what holds the wrapped future, and bodies are read
// but not yet checked (the body checker is another issue): until it lands,
// chalkboard's future of `Limit<T>::call` holds only its arguments, so two
// verdicts of the documents do not show yet, and the annotations record
// what chalkboard says today (FIXME(bodies) below): under the explicit
// design `AsWritten` is accepted (rustc rejects it: the rustc-differs
// line), and under implied/assume the wrapper's impl is accepted
// (programs/designs/middleware.chalk, which states what the future holds,
// shows the document's "`call` must be `Send` whenever `Limit<T>` is `Send`").
#![feature(return_type_notation)]
//@ revisions: explicit implied-assume implied-decide boxed
//@ rustc-differs: FIXME(bodies): rustc sees that `Limit<T>::call`'s body holds `T`'s future across an await and rejects `impl Spawn<Limit<T>> for AsWritten`; chalkboard does not read bodies yet

pub struct Request;
pub struct Response;

pub trait HttpService {
    async fn call(&mut self, req: Request) -> Response;
}

pub struct Limit<T> {
    inner: T,
}
impl<T> HttpService for Limit<T>
//[boxed]~^ ERROR `call` must be `Send`
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
/// FIXME(bodies): an error under the explicit design, as rustc says.
pub struct AsWritten;
impl<T> Spawn<Limit<T>> for AsWritten where T: HttpService + Send + 'static {}

/// Concrete callers see through the wrapper.
pub struct Plain;
impl HttpService for Plain {
    async fn call(&mut self, _req: Request) -> Response {
        Response
    }
}
pub struct Concrete;
impl Spawn<Limit<Plain>> for Concrete {}
