//! chalkboard's front end: source text to chalk-ir.
//!
//! The pipeline is `syntax` (lexer, parser, tree) then `lower` (names, kinds,
//! chalk-ir items and goals) into a [`program::Program`] that implements
//! chalk's `RustIrDatabase` with our own [`interner::Ir`].

pub mod diagnostic;
pub mod syntax;

pub use diagnostic::{Diagnostic, Label, Severity};
