// The Stage 1 explainer's "Dyner for external traits": `MyOp::apply_op`
// takes an `impl cc_traits::Clear`, and `#[dyner]` looks for
// `cc_traits::DynClear` beside it, which the cc-traits crate does not
// have. The explainer's verdict, in its words: "the type
// `cc_traits::DynClear` is not found". (dyner_external_trait.rs is the fix.)
//@ revisions: explicit

use dyner::dyner;

#[dyner]
pub trait MyOp {
    fn apply_op(x: &mut impl cc_traits::Clear);
    //~^ ERROR the type `cc_traits::DynClear` is not found
}
