// implied-send-rejected.md, "Stricter than is required": thread-local code
// whose `read` future is not `Send` (here a boxed `dyn Future` without
// `+ Send`, standing for the document's `async fn` that keeps an `Rc` across
// an await). `MyCustomIterator` itself is `Send`, so the implied design
// rejects the impl with the document's error, whichever way it proves the
// implication, although nothing in the program ever needs a `Send` future;
// the boxed design needs every future to be `Send`; the explicit design
// accepts the program, since nobody asked for `Send`.
//@ revisions: explicit implied-assume implied-decide boxed

use std::future::Future;
use std::io;
use std::pin::Pin;

pub trait AsyncRead {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;
}

pub struct MyCustomIterator {
    start_index: u32,
}

impl AsyncRead for MyCustomIterator {
    //~^ WARN unchecked-well-formedness
    //[implied-assume]~| ERROR `read` must be `Send`, since `MyCustomIterator` is `Send`
    //[implied-decide]~| ERROR `read` must be `Send`, since `MyCustomIterator` is `Send`
    //[boxed]~| ERROR `read` must be `Send`
    fn read(&mut self, _buf: &mut [u8]) -> Pin<Box<dyn Future<Output = io::Result<usize>> + '_>> {
        //~^ WARN impl trait in impl method signature does not match trait method signature
        Box::pin(async { Ok(0) })
    }
}
