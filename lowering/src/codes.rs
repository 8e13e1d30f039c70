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
    BROKEN_PRELUDE = ("broken-prelude",
        "chalkboard's own prelude failed to parse, which is a bug in chalkboard");
    UNKNOWN_TYPE = ("unknown-type",
        "No type or generic parameter in scope has this name");
    UNKNOWN_TRAIT = ("unknown-trait",
        "No trait has this name");
    UNKNOWN_ASSOC_TYPE = ("unknown-assoc-type",
        "The trait declares no associated type with this name");
    NOT_A_TRAIT = ("not-a-trait",
        "A type is used where a trait belongs (in a bound, or after `impl`)");
    TRAIT_USED_AS_TYPE = ("trait-used-as-type",
        "A trait is used where a type belongs; `dyn Trait + 'a` may be meant");
    SELF_OUTSIDE_TRAIT = ("self-outside-trait",
        "`Self` outside a trait or impl");
    DUPLICATE_ITEM = ("duplicate-item",
        "Two items of the same namespace have the same name");
    DUPLICATE_PARAMETER = ("duplicate-parameter",
        "A generic parameter is declared twice or shadows one in scope");
    WRONG_ARITY = ("wrong-arity",
        "A type, trait or associated type is given the wrong number of generic arguments");
    WRONG_KIND = ("wrong-kind",
        "A generic argument of the wrong kind (a lifetime where a type belongs, ...)");
    TYPE_PARAMETER_APPLIED = ("type-parameter-applied",
        "A generic parameter is given generic arguments (`F<u32>`)");
    UNSUPPORTED_HERE = ("unsupported-here",
        "A construct chalk cannot lower in this position");
    INVALID_ABI = ("invalid-abi",
        "An unknown ABI found while lowering (the parser normally reports `unknown-abi` first)");
    INVALID_GOAL = ("invalid-goal",
        "A goal that did not parse, so it cannot be lowered");
    AUTO_TRAIT_WITH_PARAMS = ("auto-trait-with-params",
        "An auto trait declares generic parameters");
    AUTO_TRAIT_WITH_WHERE_CLAUSES = ("auto-trait-with-where-clauses",
        "An auto trait has where clauses");
    AUTO_TRAIT_WITH_ASSOC_TYPES = ("auto-trait-with-assoc-types",
        "An auto trait declares associated types");
    NEGATIVE_IMPL_WITH_ASSOC_VALUES = ("negative-impl-with-assoc-values",
        "A negative impl defines associated type values");
    FUNDAMENTAL_WITHOUT_PARAMS = ("fundamental-without-params",
        "A `#[fundamental]` type has no type parameter");
    WRONG_VARIANCE_COUNT = ("wrong-variance-count",
        "`#[variance(..)]` does not give one variance per parameter");
    RTN_ON_PLAIN_METHOD = ("rtn-on-plain-method",
        "Return type notation on a method that is neither `async` nor returns `impl Trait`: it has no anonymous return type to name");
    RTN_NEEDS_DOTDOT = ("rtn-needs-dotdot",
        "`T::m()`: the arguments of return type notation must be elided with `..`, as in `T::m(..)`");
    RTN_IN_TYPE_POSITION = ("rtn-in-type-position",
        "Return type notation used as a type (e.g. in `holds`); it is only allowed as the self type of a bound");
    UNKNOWN_METHOD = ("unknown-method",
        "Return type notation names a method no trait declares");
    UNKNOWN_ASSOCIATED_ITEM = ("unknown-associated-item",
        "`T::name: Bound` or `T: Trait<name: Bound>` names neither an associated type nor a method (of any trait, or of the named trait)");
    UNKNOWN_ASSOCIATED_TYPE = ("unknown-associated-type",
        "The type `T::Name` names no associated type of any trait (when `Name` is a method, the help says that return type notation belongs in bounds)");
    AMBIGUOUS_ASSOCIATED_ITEM = ("ambiguous-associated-item",
        "`T::name` is declared by several traits; name the trait with `<T as Trait>::name`");
    SHORTHAND_NEEDS_TRAIT_ARGS = ("shorthand-needs-trait-args",
        "`T::name` refers to a trait with parameters the shorthand cannot give; use `<T as Trait<..>>::name`");
    UNKNOWN_IMPL_METHOD = ("unknown-impl-method",
        "An impl defines a method its trait does not declare");
    IMPL_METHOD_NOT_ASYNC_IN_TRAIT = ("impl-method-not-async-in-trait",
        "An impl's `async fn` implements a trait method that is neither `async` nor returns `impl Future`");
    METHOD_PARAMS_MISMATCH = ("method-params-mismatch",
        "An impl method's lifetime or type parameters do not match the trait method's");
    HOLDS_OUTSIDE_ASYNC_FN = ("holds-outside-async-fn",
        "A `{ holds .. }` body on a method that is not `async`");
    MISSING_HIDDEN_TYPE = ("missing-hidden-type",
        "An impl's `fn .. -> impl Trait` gives no hidden type (`= Type;`)");
    INVALID_RELAXED_BOUND = ("invalid-relaxed-bound",
        "A relaxed bound `?Trait` on something other than a type parameter of the closest item, or on a trait other than `Sized`");
    RTN_ON_GENERIC_METHOD = ("rtn-on-generic-method",
        "Return type notation on a method with type parameters, which rustc does not allow");
    RTN_WITH_GENERIC_ARGS = ("rtn-with-generic-args",
        "Return type notation with explicit generic arguments (`H::check<'a>(..)`), which rustc does not parse");
    MISSING_FUTURE_TRAIT = ("missing-future-trait",
        "`async fn` is used but no `Future` trait is in scope; add `use prelude::*;` or declare one");
}
