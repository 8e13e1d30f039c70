// Two generic wrappers of the same async trait, each awaiting its inner
// service's future: the output of `self.inner.call(r).await` is the
// `Response` that `Service::call` declares (rule `body-alias-bound-output`),
// whatever `S` is, as rustc reads it. rustc accepts the file, and so does
// the explicit design. The boxed design rejects both wrappers, as
// `async_trait` would: a boxed future must be `Send`, and it holds
// `&mut Logged<S>` for an `S` not known to be `Send`. (The implied design
// is left out: chalk does not finish its conditional-bound check of two
// stacked generic wrappers within the deadline.)
//@ revisions: explicit boxed
pub struct Request;
pub struct Response;

pub trait Service {
    async fn call(&mut self, r: Request) -> Response;
}

pub struct Logged<S> {
    inner: S,
}
impl<S> Service for Logged<S>
//[boxed]~^ ERROR conditional-bound-unmet
where
    S: Service,
{
    async fn call(&mut self, r: Request) -> Response {
        self.inner.call(r).await
    }
}

pub struct Timed<S> {
    inner: S,
}
impl<S> Service for Timed<S>
//[boxed]~^ ERROR conditional-bound-unmet
where
    S: Service,
{
    async fn call(&mut self, r: Request) -> Response {
        let response: Response = self.inner.call(r).await;
        response
    }
}

pub struct Echo;
impl Service for Echo {
    async fn call(&mut self, _r: Request) -> Response {
        Response
    }
}

pub async fn serve(mut service: Logged<Timed<Echo>>) -> Response {
    service.call(Request).await
}
