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
        "An impl does not meet its trait's where clauses (the unmet bound is named when it can be) or an associated type's bounds");
    CHECK_TIMEOUT = ("check-timeout",
        "The coherence and well-formedness checks did not finish before the deadline (`--timeout`)");
    UNCHECKED_WELL_FORMEDNESS = ("unchecked-well-formedness",
        "(warning) chalk panics when checking the well-formedness of an item whose where clause is a return-type-notation bound, so that item was not checked");
    UNKNOWN_REVISION = ("unknown-revision",
        "A Rust file's `//@ revisions:` line names a revision that is no configuration of the designs");
    INTERNAL_ERROR = ("internal-error",
        "chalk panicked while checking the program; the panic was caught (exit code 4)");
}
