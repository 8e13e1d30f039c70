// implied-send-rejected.md, "Stricter than is required": thread-local code
// whose `read` keeps an `Rc` across an await. `MyCustomIterator` itself is
// `Send`, so the implied design rejects the impl with the document's error,
// "`read` must be `Send`, since `MyCustomIterator` is `Send`", whichever way
// it proves the implication, although nothing in the program ever needs a
// `Send` future; the boxed design needs every future to be `Send`; the
// explicit design, like rustc, accepts the program. (The document's code is
// cut off after the `Rc`; here the future awaits once while it holds it.)
//@ revisions: explicit implied-assume implied-decide boxed

use std::io;
use std::rc::Rc;

pub trait AsyncIterator {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;
}

pub struct MyCustomIterator {
    start_index: u32,
}

async fn fill(buf: &mut [u8], from: u32) {
    drop((buf, from));
}

impl AsyncIterator for MyCustomIterator {
    //[implied-assume]~^ ERROR `read` must be `Send`, since `MyCustomIterator` is `Send`
    //[implied-decide]~| ERROR `read` must be `Send`, since `MyCustomIterator` is `Send`
    //[boxed]~| ERROR `read` must be `Send`
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let ssh_key = Rc::new(vec![1u8, 2, 3]);
        fill(buf, self.start_index).await;
        Ok(ssh_key.len())
    }
}
