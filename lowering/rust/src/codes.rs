//! The diagnostic codes of the Rust front end, as values (see
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
    RUST_SYNTAX_ERROR = ("rust-syntax-error",
        "rust-analyzer's parser found a syntax error in a Rust file");
    RUST_UNSUPPORTED = ("rust-unsupported",
        "A Rust construct outside the subset chalkboard reads");
    RUST_UNKNOWN_NAME = ("rust-unknown-name",
        "A path in a Rust file names nothing in the file, its imports, the model of the standard library or Rust's prelude");
    RUST_NOT_A_TRAIT = ("rust-not-a-trait",
        "A bound names a type rather than a trait");
    RUST_NOT_A_TYPE = ("rust-not-a-type",
        "A type position names a trait or a value rather than a type");
    RUST_REFINING_IMPL_TRAIT = ("rust-refining-impl-trait",
        "(warning) An impl's method returns a more specific type than its trait's `async fn` or `-> impl Trait` declares, as rustc's lint `refining_impl_trait` warns");
    RUST_UNKNOWN_DIRECTIVE = ("rust-unknown-directive",
        "A `//@` directive or `//~` annotation chalkboard does not know");
    MACRO_ARGUMENTS = ("macro-arguments",
        "An attribute macro chalkboard expands (`trait_variant::make`, `async_trait`, `dyner`) has arguments its crate does not accept");
}
