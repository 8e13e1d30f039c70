//! The registry's value types: named rules and diagnostic codes.
//!
//! Every desugaring, lowering, design and check rule of chalkboard is a
//! [`Rule`] value, and every diagnostic code a [`Code`] value, declared in a
//! table of the crate that applies or emits it (`rules.rs`, `codes.rs`).
//! Code refers to the value, never to a string spelling of its name, so a
//! search for the constant finds every place the rule is applied or
//! printed. The CLI gathers the tables into one registry (`chalkboard
//! rules`, `chalkboard codes`), and tests check it against the docs.

use std::fmt;

use crate::ast::Span;

/// Which step of the pipeline a rule belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Stage {
    /// Syntax tree to syntax tree: the extensions written in chalk's language.
    Desugar,
    /// Syntax tree to chalk-ir.
    Lower,
    /// A design's rewrite or check (`chalkboard-designs`).
    Design,
    /// A check of the lowered program.
    Check,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Desugar => "desugar",
            Stage::Lower => "lower",
            Stage::Design => "design",
            Stage::Check => "check",
        }
    }
}

/// A named rule.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Rule {
    /// The kebab-case name used in code comments, docs and output.
    pub name: &'static str,
    pub stage: Stage,
    /// One line saying what the rule does.
    pub summary: &'static str,
    /// The docs page that describes the rule (relative to `docs/`), e.g.
    /// `async.md`; the page names the rule in backticks.
    pub doc: &'static str,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A stable diagnostic code, shown as `error[name]`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Code {
    /// The kebab-case name, e.g. `unknown-trait`.
    pub name: &'static str,
    /// One line saying what the diagnostic means.
    pub summary: &'static str,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.name == *other
    }
}

/// One application of a rule: which rule, on which source.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Applied {
    pub rule: Rule,
    /// The source the rule rewrote (or the item it generated for).
    pub span: Span,
    /// What it was applied to, in a few words (e.g. the method's name).
    pub subject: String,
}

impl Applied {
    pub fn new(rule: Rule, span: Span, subject: impl Into<String>) -> Applied {
        Applied {
            rule,
            span,
            subject: subject.into(),
        }
    }
}
