// implied-send-rejected.md, "Negative reasoning: semver interactions".
// Version 1 of a reader has an `Rc` field, so it is not `Send`, and under
// the implied design with the `decide` rule its `read` may keep an `Rc`
// across an await. Version 2 removes the field: an additive change for every
// user of the type (it becomes `Send`), yet the very same `read` is now
// rejected. Under `assume` both versions are rejected; the explicit design
// accepts both, and so does rustc.
//@ revisions: explicit implied-assume implied-decide boxed

use std::rc::Rc;

pub trait AsyncRead {
    async fn read(&mut self) -> usize;
}

async fn pause() {}

/// Version 1.
pub struct ReaderV1 {
    cache: Rc<Vec<u8>>,
}
impl AsyncRead for ReaderV1 {
    //[implied-assume]~^ ERROR `read` must be `Send` whenever `ReaderV1` is `Send`
    //[boxed]~| ERROR `read` must be `Send`
    async fn read(&mut self) -> usize {
        let scratch = Rc::new(0usize);
        pause().await;
        *scratch + self.cache.len()
    }
}

/// Version 2: the field is gone, nothing else changed.
pub struct ReaderV2 {}
impl AsyncRead for ReaderV2 {
    //[implied-assume]~^ ERROR `read` must be `Send`, since `ReaderV2` is `Send`
    //[implied-decide]~| ERROR `read` must be `Send`, since `ReaderV2` is `Send`
    //[boxed]~| ERROR `read` must be `Send`
    async fn read(&mut self) -> usize {
        let scratch = Rc::new(0usize);
        pause().await;
        *scratch
    }
}
