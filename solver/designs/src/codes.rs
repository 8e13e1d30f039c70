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
    CONDITIONAL_BOUND_UNMET = ("conditional-bound-unmet",
        "An impl breaks a promise of its trait: under the implied design, \"`read` must be `Send`, since `MyCustomIterator` is `Send`\"; under the boxed design, every future must be `Send`");
    CONDITIONAL_BOUND_UNPROVEN = ("conditional-bound-unproven",
        "chalk could neither prove nor refute an impl's promised bound; the impl is rejected, as rustc rejects what it cannot prove");
    NOT_DYN_COMPATIBLE = ("not-dyn-compatible",
        "`dyn Trait` names a trait that is not dyn compatible under the design (rustc's E0038); the reason names the method or associated type that prevents it");
    BROKEN_PROMISE = ("broken-promise",
        "(warning) The promise audit found an accepted impl whose concrete future breaks what callers may conclude, for the named instantiation");
}
