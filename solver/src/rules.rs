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
}
