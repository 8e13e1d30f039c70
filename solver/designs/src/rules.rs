//! The designs' rules, as values (see `chalkboard_syntax::registry`).

use chalkboard_syntax::registry::{Rule, Stage};

macro_rules! rules {
    ($($name:ident = ($text:literal, $page:literal, $summary:literal);)*) => {
        $(pub const $name: Rule = Rule {
            name: $text,
            stage: Stage::Design,
            summary: $summary,
            doc: $page,
        };)*
        /// Every rule of this crate.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    DESIGN_EXPLICIT = ("design-explicit", "designs.md",
        "futures promise nothing beyond `Future<Output = T>`; a caller that needs `Send` says so with return type notation");
    DESIGN_IMPLIED = ("design-implied", "designs.md",
        "every future of an `async fn` in a trait gets the conditional bound `if (Self: Send) { Send }`");
    DESIGN_BOXED = ("design-boxed", "designs.md",
        "every future is `Pin<Box<dyn Future<Output = T> + Send>>`: an unconditional `Send` promise, and the trait is dyn safe");
    DYN_SAFETY = ("dyn-safety", "designs.md",
        "a trait written with methods is dyn safe unless a method is `async`, returns `impl Trait`, has type parameters or has no `self`, without `where Self: Sized`");
    DYN_COMPATIBLE_USE = ("dyn-compatible-use", "rust-rules.md",
        "`dyn Trait` of a trait that is not dyn compatible under the design is an error (E0038), in any type, field, signature or goal; in a program that uses the prelude, a generic associated type or `Self: Sized` also makes a trait not dyn compatible");
    IMPLICATION_ASSUME = ("implication-assume", "designs.md",
        "an impl keeps `if (C) { B }` by assuming `C` and proving `B`");
    IMPLICATION_DECIDE = ("implication-decide", "designs.md",
        "an impl keeps `if (C) { B }` by deciding `C` without assumptions, and proving `B` only if it holds");
    IMPLICATION_UNCONDITIONAL = ("implication-unconditional", "designs.md",
        "an impl keeps an unconditional promise `B` by proving `B`");
    PROMISE_AUDIT = ("promise-audit", "designs.md",
        "for each instantiation of an accepted impl whose condition holds, the promised bound must hold of the concrete future");
}
