// implied-send-rejected.md, "Negative reasoning: semver interactions", items
// only. Version 1 of a reader has an `Rc` field, so it is not `Send`, and
// under the implied design with the `decide` rule its `read` may return a
// future that is not `Send` (here a boxed `dyn Future` without `+ Send`,
// standing for an `async fn` that holds an `Rc` across an await). Version 2
// removes the field: an additive change for every user of the type (it
// becomes `Send`), yet the very same impl is now rejected.
//@ revisions: explicit implied-assume implied-decide boxed

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

pub trait AsyncRead {
    async fn read(&mut self) -> usize;
}

/// Version 1.
pub struct ReaderV1 {
    cache: Rc<Vec<u8>>,
}
impl AsyncRead for ReaderV1 {
    //~^ WARN unchecked-well-formedness
    //[implied-assume]~| ERROR `read` must be `Send` whenever `ReaderV1` is `Send`
    //[boxed]~| ERROR `read` must be `Send`
    fn read(&mut self) -> Pin<Box<dyn Future<Output = usize> + '_>> {
        //~^ WARN impl trait in impl method signature does not match trait method signature
        Box::pin(async { 0 })
    }
}

/// Version 2: the field is gone, nothing else changed.
pub struct ReaderV2 {}
impl AsyncRead for ReaderV2 {
    //~^ WARN unchecked-well-formedness
    //[implied-assume]~| ERROR `read` must be `Send`, since `ReaderV2` is `Send`
    //[implied-decide]~| ERROR `read` must be `Send`, since `ReaderV2` is `Send`
    //[boxed]~| ERROR `read` must be `Send`
    fn read(&mut self) -> Pin<Box<dyn Future<Output = usize> + '_>> {
        //~^ WARN impl trait in impl method signature does not match trait method signature
        Box::pin(async { 0 })
    }
}
