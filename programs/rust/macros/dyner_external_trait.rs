// The Stage 1 explainer's fix for an external trait: `dyner::external_trait!`
// in a module of ours re-exports `cc_traits::Clear` and declares
// `DynClear` beside it, so `MyOp` names `ext::Clear` and is dyner safe.
// The explainer's verdict: "everything works".
//@ revisions: explicit implied boxed

use dyner::dyner;

mod ext {
    dyner::external_trait! {
        pub trait cc_traits::Clear {
            fn clear(&mut self);
        }
    }
}

#[dyner]
pub trait MyOp {
    fn apply_op(x: &mut impl ext::Clear);
}

pub struct Stack {
    items: Vec<u32>,
}
impl cc_traits::Clear for Stack {
    fn clear(&mut self) {}
}

pub fn clear_through_dyn(stack: &mut Stack) {
    let mut dyn_clear = ext::DynClear::new(Stack { items: Vec::new() });
    cc_traits::Clear::clear(&mut dyn_clear);
    cc_traits::Clear::clear(stack);
}
