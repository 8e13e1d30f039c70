//! chalkboard's front end: source text to chalk-ir.
//!
//! The pipeline is `syntax` (lexer, parser, tree), then `desugar` (the
//! extensions rewritten into chalk's language), then `lower` (names, kinds,
//! chalk-ir items and goals) into a [`program::Program`] that implements
//! chalk's `RustIrDatabase` with our own [`interner::Ir`].

pub mod codes;
pub mod desugar;
pub mod impl_index;
pub mod interner;
pub mod lower;
mod names;
pub mod program;
pub mod reads;
pub mod rules;

pub use interner::{Ir, RawId};
pub use lower::lower_file;
pub use program::with_program;
pub use program::Program;
