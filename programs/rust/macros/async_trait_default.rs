// `#[async_trait]` on a trait with a default body: the default asks
// `Self: Sync` (its receiver is `&self`), as the crate's expansion does, so
// calling it on a type that is not `Sync` (it holds a `Cell`) is an error,
// while a `Sync` type keeps it. The type's own `&self` method is an error
// too: its boxed future holds a `&Counter`, which is `Send` only if
// `Counter` is `Sync`.
//@ revisions: explicit implied boxed

use async_trait::async_trait;
use std::cell::Cell;

#[async_trait]
pub trait Describe {
    async fn name(&self) -> String;
    async fn describe(&self) -> String {
        self.name().await
    }
}

pub struct Plain;
#[async_trait]
impl Describe for Plain {
    async fn name(&self) -> String {
        String::new()
    }
}

pub struct Counter {
    count: Cell<u32>,
}
#[async_trait]
impl Describe for Counter {
    async fn name(&self) -> String {
        //~^ ERROR future cannot be sent between threads safely
        String::new()
    }
}

pub async fn describe_counter(counter: Counter) -> String {
    counter.describe().await
    //~^ ERROR `Counter` cannot be shared between threads safely
}
