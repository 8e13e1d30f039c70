//! The desugaring and lowering rules, as values (see
//! `chalkboard_syntax::registry`). Each rule's code names it in a doc
//! comment that links here, and a desugaring rule records every application
//! ([`chalkboard_syntax::registry::Applied`]), which `chalkboard desugar
//! --rules` prints.

use chalkboard_syntax::registry::{Rule, Stage};

macro_rules! rules {
    ($($(#[$doc:meta])* $name:ident = ($text:literal, $stage:ident, $page:literal, $summary:literal);)*) => {
        $($(#[$doc])* pub const $name: Rule = Rule {
            name: $text,
            stage: Stage::$stage,
            summary: $summary,
            doc: $page,
        };)*
        /// Every rule of this crate, in pipeline order.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    USE_PRELUDE = ("use-prelude", Desugar, "async.md",
        "`use prelude::*;` prepends the prelude's items, blamed on the `use` line");
    PRELUDE_SHADOWED = ("prelude-shadowed", Desugar, "rust-rules.md",
        "`use prelude::*;` is a glob import: a program's own item shadows the prelude's item of the same name, and the prelude's impls that mention it are left out");
    ELIDED_LIFETIME_TO_PARAM = ("elided-lifetime-to-param", Desugar, "async.md",
        "every elided lifetime in a method signature becomes a fresh named parameter, as Rust's elision rules say");
    ASYNC_FN_TO_IMPL_FUTURE = ("async-fn-to-impl-future", Desugar, "async.md",
        "`async fn m(..) -> T` becomes `fn m(..) -> impl Future<Output = T> + 'a`, capturing every lifetime");
    IMPLICIT_SIZED = ("implicit-sized", Desugar, "rust-rules.md",
        "in a program that follows Rust's rules, every type parameter (and associated type, and method future) is `Sized` unless it says `?Sized`; every `forall<T>` in a goal assumes `T: Sized`");
    IMPL_TRAIT_TO_GAT = ("impl-trait-to-gat", Desugar, "async.md",
        "a trait method returning `impl Bounds` becomes a generic associated type named after the method, with those bounds");
    PLAIN_METHOD_DROPPED = ("plain-method-dropped", Desugar, "async.md",
        "a method with a nameable return type needs no associated type and is dropped (chalk has no methods)");
    IMPL_ASYNC_FN_TO_FUTURE_STRUCT = ("impl-async-fn-to-future-struct", Desugar, "async.md",
        "an impl's `async fn` becomes a generated future struct holding the receiver, the arguments and the held types, with its `Future` impl");
    IMPL_FN_HIDDEN_TYPE = ("impl-fn-hidden-type", Desugar, "async.md",
        "an impl's `fn m(..) -> impl Trait = Hidden;` gives the method's associated type the value `Hidden`");
    RTN_TO_GAT_BOUND = ("rtn-to-gat-bound", Desugar, "async.md",
        "return type notation `T::m(..): B` becomes `forall<'a..> { <T as Trait>::m<'a..>: B }`");
    ASSOC_BOUND_TO_WHERE_CLAUSE = ("assoc-bound-to-where-clause", Desugar, "async.md",
        "an associated item bound `T: Trait<Assoc: B>` becomes `T: Trait` and `<T as Trait>::Assoc: B`");
    SHORTHAND_TO_PROJECTION = ("shorthand-to-projection", Desugar, "async.md",
        "the shorthand `T::Name` becomes `<T as Trait>::Name`, for the trait in scope that declares `Name`");

    ASSIGN_IDS = ("assign-ids", Lower, "lowering.md",
        "item `i` gets id `i`, then each associated type declaration and value the next id from 2^24 up, in source order (chalk's order)");
    COLLECT_NAMES = ("collect-names", Lower, "lowering.md",
        "every named item is known before any item is lowered, so items may refer to later items");
    LOWER_ITEMS = ("lower-items", Lower, "lowering.md",
        "each item is lowered on its own, in source order");
    SCOPE_INTRODUCE = ("scope-introduce", Lower, "lowering.md",
        "a binder level holds its parameters in order; a name already in scope is an error, as chalk forbids shadowing");
    LOOKUP_TYPE = ("lookup-type", Lower, "lowering.md",
        "a type name is looked up as a generic parameter, ADT, fn, closure, opaque type, foreign type, trait, coroutine, in chalk's order");
    LOOKUP_GENERIC_ARG = ("lookup-generic-arg", Lower, "lowering.md",
        "a bare name as a generic argument is a parameter of any kind, or an item without parameters");
    LOOKUP_TRAIT = ("lookup-trait", Lower, "lowering.md",
        "a name in trait position must name a trait");
    LOWER_ADT = ("lower-adt", Lower, "lowering.md",
        "fields and where clauses under the ADT's parameters; `#[fundamental]` needs a parameter");
    LOWER_FN_DEF = ("lower-fn-def", Lower, "lowering.md",
        "where clauses under the fn's parameters and the signature under one more binder, as chalk-solve expects");
    LOWER_CLOSURE = ("lower-closure", Lower, "lowering.md",
        "a closure's signature and upvars (as one tuple) under its parameters");
    LOWER_TRAIT = ("lower-trait", Lower, "lowering.md",
        "`Self` is parameter 0 of a trait; auto traits take no parameters and no where clauses");
    LOWER_ASSOC_TY_DEFN = ("lower-assoc-ty-defn", Lower, "lowering.md",
        "an associated type's bounds and where clauses under the trait's parameters (`Self` first) followed by its own");
    CONDITIONAL_BOUND_TO_CLAUSE = ("conditional-bound-to-clause", Lower, "designs.md",
        "a conditional bound `type F: if (C) { B }` gives callers the program clause `Implemented((Trait::F): B) :- Implemented(Self: Trait), C`");
    LOWER_IMPL = ("lower-impl", Lower, "lowering.md",
        "an impl's trait reference and where clauses under its parameters; negative impls define no associated types");
    LOWER_OPAQUE = ("lower-opaque", Lower, "lowering.md",
        "an opaque type's hidden type under its parameters, bounds under one more binder for the hidden `Self`");
    LOWER_COROUTINE = ("lower-coroutine", Lower, "lowering.md",
        "a coroutine's resume, yield and return types and upvars under its parameters, witnesses under one more binder");
    LOWER_TY = ("lower-ty", Lower, "lowering.md",
        "a type, by its kind");
    LOWER_TY_NAME = ("lower-ty-name", Lower, "lowering.md",
        "a bare type name goes through generic-argument lookup and must turn out to be a type");
    LOWER_TY_APPLY = ("lower-ty-apply", Lower, "lowering.md",
        "`Name<Args>` on an ADT, fn, closure, opaque type or coroutine, with arity then kind checks");
    LOWER_DYN = ("lower-dyn", Lower, "lowering.md",
        "a `dyn` type's bounds live under a fresh binder for the erased self type");
    LOWER_FN_PTR = ("lower-fn-ptr", Lower, "lowering.md",
        "`for<'a..>` on a fn pointer opens a binder level the fn pointer counts itself; the return type comes last");
    LOWER_FN_SIG = ("lower-fn-sig", Lower, "lowering.md",
        "only the Rust and C ABIs exist");
    LOWER_GENERIC_ARG = ("lower-generic-arg", Lower, "lowering.md",
        "a generic argument, through generic-argument lookup for a bare name");
    LOWER_LIFETIME = ("lower-lifetime", Lower, "lowering.md",
        "a lifetime: a parameter, `'static` or `'erased`");
    LOWER_CONST = ("lower-const", Lower, "lowering.md",
        "a const is a const parameter or a `usize` literal");
    LOWER_TRAIT_BOUND = ("lower-trait-bound", Lower, "lowering.md",
        "a trait bound: trait lookup, the arguments, then arity and kind checks");
    LOWER_TRAIT_REF = ("lower-trait-ref", Lower, "lowering.md",
        "a trait reference: the self type first, then the trait's arguments");
    LOWER_PROJECTION = ("lower-projection", Lower, "lowering.md",
        "a projection's substitution is the trait reference's followed by the associated type's own arguments");
    LOWER_INLINE_BOUNDS = ("lower-inline-bounds", Lower, "lowering.md",
        "bounds on regular traits first, in source order, then auto traits by trait id (chalk's order)");
    LOWER_WHERE_CLAUSES = ("lower-where-clauses", Lower, "lowering.md",
        "`T: Tr<A = U>` becomes its `AliasEq`s followed by one `Implemented`, as chalk lowers it");
    LOWER_WHERE_CLAUSE = ("lower-where-clause", Lower, "lowering.md",
        "where clauses outside any quantifier add no binder level");
    LOWER_DOMAIN_GOAL = ("lower-domain-goal", Lower, "lowering.md",
        "one written domain goal may give several chalk domain goals (`T: Tr<A = U>` gives `AliasEq` and `Implemented`)");
    LOWER_CLAUSE = ("lower-clause", Lower, "lowering.md",
        "`forall<P> { C if G.. }` gives one program clause per consequence, priority High, conditions reversed");
    LOWER_GOAL = ("lower-goal", Lower, "lowering.md",
        "a goal, by its kind");
    LOWER_IMPLIES = ("lower-implies", Lower, "lowering.md",
        "every hypothesis of `if (..)` is elaborated with `into_from_env_clause`, so `if (T: Tr)` assumes `FromEnv(T: Tr)`");
    LOWER_AND = ("lower-and", Lower, "lowering.md",
        "an `And` that only splits one written `T: Tr<A = U>` is that one leaf goal, as in chalk");
    LOWER_QUANTIFIED_GOAL = ("lower-quantified-goal", Lower, "lowering.md",
        "an empty quantifier disappears");
    LOWER_LEAF_GOAL = ("lower-leaf-goal", Lower, "lowering.md",
        "domain goals are conjoined with `Goal::all`, `A = B` is an `EqGoal`, `Subtype(A, B)` a `SubtypeGoal`");
}
