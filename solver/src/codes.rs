//! The diagnostic codes this crate emits, as values (see
//! `chalkboard_syntax::registry`). Each is documented in `docs/errors.md`.

use chalkboard_syntax::registry::Code;

macro_rules! codes {
    ($($name:ident = ($text:literal, $summary:literal);)*) => {
        $(pub const $name: Code = Code { name: $text, summary: $summary };)*
        /// Every code of this crate.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    OVERLAPPING_IMPLS = ("overlapping-impls",
        "Two impls of a trait apply to the same type and neither specializes the other; both impls are named");
    ORPHAN_IMPL = ("orphan-impl",
        "An impl where neither the trait nor any type is local");
    ILL_FORMED_TYPE = ("ill-formed-type",
        "A struct's or enum's fields need bounds its where clauses do not imply");
    ILL_FORMED_OPAQUE_TYPE = ("ill-formed-opaque-type",
        "An opaque type's hidden type does not satisfy its bounds");
    ILL_FORMED_IMPL = ("ill-formed-impl",
        "An impl does not meet its trait's where clauses or an associated type's bounds");
    CHECK_TIMEOUT = ("check-timeout",
        "The coherence and well-formedness checks did not finish before the deadline (`--timeout` bounds the whole check phase)");
    UNCHECKED_WELL_FORMEDNESS = ("unchecked-well-formedness",
        "(warning) chalk panics when checking the well-formedness of some items (one with a return-type-notation where clause, an impl with a `dyn` type in an associated type value), so chalk's check of that item was skipped; the warning says what was checked instead");
    NEGATIVE_CYCLE = ("negative-cycle",
        "A clause negates a goal that depends on the clause's own conclusion (the negation is not stratified), which chalk's solvers cannot answer");
    UNKNOWN_REVISION = ("unknown-revision",
        "A Rust file's `//@ revisions:` line names a revision that is no configuration of the designs");
    INTERNAL_ERROR = ("internal-error",
        "chalk panicked while checking the program; the panic was caught (exit code 4)");
    TYPE_MISMATCH = ("type-mismatch",
        "An expression's type is not the type its place expects (rustc's E0308)");
    UNKNOWN_METHOD = ("unknown-method-call",
        "A method call names no inherent method of the receiver's type and no method of a trait it implements (rustc's E0599)");
    UNKNOWN_FIELD = ("unknown-field",
        "A field access names no field of the type (rustc's E0609)");
    WRONG_ARGUMENT_COUNT = ("wrong-argument-count",
        "A call passes more or fewer arguments than the function takes (rustc's E0061)");
    TYPE_ANNOTATIONS_NEEDED = ("type-annotations-needed",
        "The type of a binding could not be inferred from the body (rustc's E0282)");
    AWAIT_OUTSIDE_ASYNC = ("await-outside-async",
        "`.await` outside an `async fn` or `async` block (rustc's E0728)");
    NOT_A_FUTURE = ("not-a-future",
        "`.await` on a value whose type is not a future (rustc's E0277)");
    NOT_CALLABLE = ("not-callable",
        "A call of something that is not a function or closure (rustc's E0618)");
    FUTURE_NOT_SEND = ("future-not-send",
        "A future that must be `Send` (for `tokio::spawn`, say) holds or awaits something that is not `Send`; each culprit is named");
    UNSATISFIED_BOUND = ("unsatisfied-bound",
        "A where clause of the function a body calls does not hold for the arguments (rustc's E0277)");
}
