// `#[trait_variant::make]` on a generic trait and on a trait with an
// associated type: the variant keeps the parameters and the associated
// type, and the blanket impl forwards both, as the crate's expansion does.
// A `Send` service implements the variant; generic code that spawns asks
// for it. The implied and boxed designs reject the generic trait's blanket
// impl: its future holds the `Request<B>` it forwards, and nothing says `B`
// is `Send`.
//@ revisions: explicit implied boxed

pub struct Request<B> {
    body: B,
}

#[trait_variant::make(Service: Send)]
//[implied]~^ ERROR `call` must be `Send`, since `TraitVariantBlanketType` is `Send`
//[boxed]~| ERROR `call` must be `Send`
pub trait LocalService<B> {
    async fn call(&mut self, request: Request<B>) -> B;
}

#[trait_variant::make(Source: Send)]
pub trait LocalSource {
    type Item;
    async fn next(&mut self) -> Option<Self::Item>;
}

pub struct Echo;
impl Service<String> for Echo {
    async fn call(&mut self, request: Request<String>) -> String {
        request.body
    }
}

pub struct Numbers;
impl Source for Numbers {
    type Item = u32;
    async fn next(&mut self) -> Option<u32> {
        None
    }
}

mod tokio {
    pub fn spawn<F>(future: F)
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        drop(future);
    }
}

pub fn serve<S: Service<String> + 'static>(mut service: S) {
    tokio::spawn(async move {
        service.call(Request { body: String::new() }).await;
    });
}

pub fn drain<S>(mut source: S)
where
    S: Source + 'static,
    S::Item: Send,
{
    tokio::spawn(async move {
        while let Some(_item) = source.next().await {}
    });
}

pub async fn call_locally(mut echo: Echo) -> String {
    LocalService::call(&mut echo, Request { body: String::new() }).await
}

pub async fn next_locally(mut numbers: Numbers) -> Option<u32> {
    LocalSource::next(&mut numbers).await
}
