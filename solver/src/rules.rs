//! The check rules of the pipeline, as values (see
//! `chalkboard_syntax::registry`).

use chalkboard_syntax::registry::{Rule, Stage};

macro_rules! rules {
    ($($name:ident = ($text:literal, $page:literal, $summary:literal);)*) => {
        $(pub const $name: Rule = Rule {
            name: $text,
            stage: Stage::Check,
            summary: $summary,
            doc: $page,
        };)*
        /// Every rule of this crate, in the order the checks run.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    STRATIFIED_NEGATION = ("stratified-negation", "rust-rules.md",
        "no predicate may depend on its own negation (`S: P if not { S: P }`): such a cycle is reported before anything is solved, instead of chalk's panic");
    COHERENCE_OVERLAP = ("coherence-overlap", "lowering.md",
        "no two impls of a trait may apply to the same types, unless one specializes the other");
    COHERENCE_ORPHAN = ("coherence-orphan", "lowering.md",
        "an impl of a foreign trait must involve a local type (chalk's orphan rules)");
    WF_ADT = ("wf-adt", "lowering.md",
        "a struct's or enum's fields are well-formed under its where clauses");
    WF_OPAQUE = ("wf-opaque", "lowering.md",
        "an opaque type's hidden type meets its bounds");
    WF_IMPL = ("wf-impl", "lowering.md",
        "an impl meets its trait's where clauses and its associated type values meet their bounds");
    ASSOC_VALUE_BOUNDS = ("assoc-value-bounds", "rust-rules.md",
        "when chalk's well-formedness check of an impl panics (a `dyn` type in an associated type value), each associated type value is still checked against its declared bounds");
    REGION_DECISION = ("region-decision", "rust-rules.md",
        "a unique answer's lifetime constraints hold when trivially true or implied by the environment's outlives facts, transitively; otherwise the goal's verdict is `fails`");
    BODY_INFER = ("body-infer", "bodies.md",
        "a body's types are inferred from signatures, annotations, literals, fields and methods; projections normalize through chalk");
    BODY_METHOD_RESOLUTION = ("body-method-resolution", "bodies.md",
        "a method call resolves along the receiver's auto-deref chain: inherent methods first, then traits the type implements");
    BODY_CALLEE_BOUNDS = ("body-callee-bounds", "bodies.md",
        "every call raises its callee's where clauses, instantiated, as obligations in the caller's environment");
    BODY_AWAIT = ("body-await", "bodies.md",
        "`e.await` needs `T: IntoFuture` and has type `<T as IntoFuture>::Output`");
    BODY_ALIAS_BOUND_OUTPUT = ("body-alias-bound-output", "bodies.md",
        "awaiting an associated type the body cannot see through has the `Output` its trait declares for it (`type call<'a>: Future<Output = Response>`), as rustc reads an alias's bounds");
    BODY_FUTURE_STRUCT = ("body-future-struct", "bodies.md",
        "the future of an `async fn` or `async` block is a generated struct of what it holds, so chalk decides its auto traits");
    BODY_HELD_ACROSS_AWAIT = ("body-held-across-await", "bodies.md",
        "a future holds its captures, every binding in scope and not moved out at an `.await`, the statement's borrowed temporaries and the awaited future");
    BODY_CLOSURE_SIGNATURE = ("body-closure-signature", "bodies.md",
        "a closure passed for a parameter bounded by `Fn*(A..) -> R` takes `A..` and returns `R`");
    BODY_OPAQUE_RETURN = ("body-opaque-return", "bodies.md",
        "a function outside a trait that returns `impl Trait` returns a generated opaque type: its body must prove the bounds of its hidden type, and callers see the bounds and the hidden type's auto traits");
}
