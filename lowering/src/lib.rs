//! chalkboard's front end: source text to chalk-ir.
//!
//! The pipeline is `syntax` (lexer, parser, tree), then `desugar` (the
//! extensions rewritten into chalk's language), then `lower` (names, kinds,
//! chalk-ir items and goals) into a [`program::Program`] that implements
//! chalk's `RustIrDatabase` with our own [`interner::Ir`].

pub mod diagnostic;
// The syntax tree keeps goals inline for readability; their size is not a
// concern at the scale of a `.chalk` file.
#[allow(clippy::large_enum_variant)]
pub mod syntax;

pub use diagnostic::{Diagnostic, Label, Severity};
pub mod desugar;
pub mod interner;
pub mod lower;
pub mod program;

pub use interner::{with_program, Ir, RawId};
pub use lower::lower_file;
pub use program::Program;
