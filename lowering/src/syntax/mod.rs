//! Source text to syntax tree: the lexer, the parser and the tree itself.
//!
//! Architecture invariant: nothing here knows about chalk-ir or salsa, and
//! parsing never fails: [`parse_file`] always returns a tree (with error nodes
//! where the text made no sense) together with every diagnostic it found.

pub mod ast;
