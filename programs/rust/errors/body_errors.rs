// Bodies that do not type-check: each error is rustc's, on the same line.
use std::rc::Rc;

pub struct Counter {
    pub hits: u64,
}

fn takes_two(_a: u32, _b: u32) {}

fn needs_send<T: Send>(_value: T) {}

pub fn mismatch() {
    let _x: u32 = true; //~ ERROR mismatched types
}

pub fn no_such_method(c: Counter) {
    c.reset(); //~ ERROR no method named `reset`
}

pub fn no_such_field(c: Counter) -> u64 {
    c.misses //~ ERROR no field `misses`
}

pub fn too_many_arguments() {
    takes_two(1, 2, 3); //~ ERROR this function takes 2 arguments but 3 arguments were supplied
}

pub fn cannot_infer() {
    let v = Vec::new(); //~ ERROR type annotations needed
    drop(v);
}

pub fn await_in_sync_fn() {
    std::future::ready(1).await; //~ ERROR `await` is only allowed inside `async` functions and blocks
}

pub async fn await_a_number() {
    5u32.await; //~ ERROR `u32` is not a future
}

pub fn call_a_number() {
    let n = 5u32;
    n(); //~ ERROR expected function, found `u32`
}

pub fn rc_is_not_send() {
    needs_send(Rc::new(1u32)); //~ ERROR `Rc<u32>` cannot be sent between threads safely
}
