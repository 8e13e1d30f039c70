//! The Rust front end's rules, as values (see `chalkboard_syntax::registry`).

use chalkboard_syntax::registry::{Rule, Stage};

/// The page a rule is described on: `rust.md` unless the rule names another.
macro_rules! page {
    () => {
        "rust.md"
    };
    ($doc:literal) => {
        $doc
    };
}

macro_rules! rules {
    ($($name:ident = ($text:literal, $summary:literal $(, doc = $doc:literal)?);)*) => {
        $(pub const $name: Rule = Rule {
            name: $text,
            stage: Stage::Desugar,
            summary: $summary,
            doc: page!($($doc)?),
        };)*
        /// Every rule of this crate.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    RUST_ITEM_TO_CHALK = ("rust-item-to-chalk",
        "a Rust trait, trait impl, struct or enum becomes the chalk item of the same shape; functions and bodies are kept for the body checker");
    RUST_RESOLVE_PATH = ("rust-resolve-path",
        "a path resolves in the file's modules and imports, then the model of the standard library, then Rust's prelude");
    RUST_FLAT_NAMES = ("rust-flat-names",
        "every type and trait gets one flat chalk name: its own unless taken, the file's items first, the model's qualified by module");
    RUST_FN_SUGAR = ("rust-fn-sugar",
        "`Fn(A, B) -> R` is `Fn<(A, B)>` with `<_ as FnOnce<(A, B)>>::Output = R`");
    RUST_IMPL_TRAIT_ARGUMENT = ("rust-impl-trait-argument",
        "an argument of type `impl Trait` is an anonymous type parameter bounded by `Trait`");
    RUST_DYN_DEFAULT_LIFETIME = ("rust-dyn-default-lifetime",
        "`dyn Trait` without a lifetime is `dyn Trait + 'static`, except behind a reference, where elision names it");
    RUST_IMPL_KEEPS_DEFAULT = ("rust-impl-keeps-default",
        "an impl that does not define a trait's `async fn` keeps its default body, with `Self` and the trait's parameters replaced by the impl's types, and gets that body's future");
    RUST_DERIVE = ("rust-derive",
        "`#[derive(Trait)]` gives `impl<T: Trait> Trait for Type<T>` for each trait the model has");
    TRAIT_VARIANT_MAKE = ("trait-variant-make",
        "`#[trait_variant::make(SendTrait: Send)]` on a trait adds the variant `SendTrait`, whose supertraits and method futures carry the bounds, and the blanket impl of the trait for every `SendTrait`, as the trait-variant crate does", doc = "macros.md");
    ASYNC_TRAIT = ("async-trait",
        "`#[async_trait]` on a trait or impl makes each `async fn` return `Pin<Box<dyn Future<Output = T> + Send + 'async_trait>>` (no `Send` under `?Send`) and boxes an impl's body in `async move`, as the async-trait crate does", doc = "macros.md");
    DYNER = ("dyner",
        "`#[dyner]` on a trait adds `DynTrait<'me>`, which implements the trait by dynamic dispatch through a boxed, dyn-compatible copy of it with boxed futures, with `new`, `from`, `from_ref` and `from_mut`; `dyner::external_trait!` does it for a trait declared elsewhere", doc = "macros.md");
    CHALK_BODY_AS_RUST = ("chalk-body-as-rust",
        "an impl method's body written as code in a `.chalk` file is read as Rust, with names resolved in the file and the prelude, and checked as a Rust file's body", doc = "async.md");
}
