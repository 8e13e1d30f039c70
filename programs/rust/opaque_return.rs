// stage1-explainer.md, "Review: how async fn works": an `async fn` is
// shorthand for a function returning `impl Future` whose body is an
// `async move` block. chalkboard reads both spellings alike (rule
// body-opaque-return): the body decides the hidden type, which must meet
// the bounds written after `impl`, and a caller sees the bounds plus the
// hidden type's auto traits, as in Rust. rustc gives the same errors on the
// same lines.
//@ revisions: explicit implied boxed
use std::future::Future;
use std::rc::Rc;

/// As the explainer writes the `async fn` ...
pub async fn test_async(x: &u32) -> u32 {
    *x
}

/// ... and its desugaring.
pub fn test<'x>(x: &'x u32) -> impl Future<Output = u32> + 'x {
    async move { *x }
}

fn require_send<T: Send>(_value: T) {}

async fn yield_now() {}

/// The hidden type is an `async` block that holds an `Rc` across an await:
/// `impl Future` says nothing about `Send`, but the future's auto traits
/// leak to callers, who see that it is not `Send`.
pub fn leaky() -> impl Future<Output = ()> {
    async {
        let r = Rc::new(1);
        yield_now().await;
        drop(r);
    }
}

/// A bound the body's value does not meet is an error at the return type.
pub fn promised() -> impl Send {
    //~^ ERROR `Rc<i32>` cannot be sent between threads safely
    Rc::new(1)
}

pub fn callers(x: &'static u32) {
    require_send(test_async(x));
    require_send(test(x));
    let value: u32 = 0;
    let future = test(&value);
    drop(future);
    require_send(leaky());
    //~^ ERROR future cannot be sent between threads safely
}
