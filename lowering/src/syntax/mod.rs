//! Source text to syntax tree: the lexer, the parser and the tree itself.
//!
//! Architecture invariant: nothing here knows about chalk-ir or salsa, and
//! parsing never fails: [`parse_file`] always returns a tree (with error nodes
//! where the text made no sense) together with every diagnostic it found.

// The tree is a shared contract; its goal enum is large by design (boxing
// the leaf would only add indirection for the common case).
#[allow(clippy::large_enum_variant)]
pub mod ast;
pub mod lexer;
mod parser;

#[cfg(test)]
mod tests;

use crate::diagnostic::Diagnostic;

/// Parses a whole `.chalk` file: items, goals with their expectations, and
/// the file directives, including chalk's `test! { .. }` wrappers.
pub fn parse_file(text: &str) -> (ast::File, Vec<Diagnostic>) {
    let mut parser = parser::Parser::new(text);
    let file = parser.parse_file();
    (file, parser.into_diagnostics())
}

/// Parses a bare goal, as typed at a REPL or passed with `--goal`.
pub fn parse_goal(text: &str) -> (Option<ast::Goal>, Vec<Diagnostic>) {
    let mut parser = parser::Parser::new(text);
    let goal = parser.goal_to_end();
    (goal, parser.into_diagnostics())
}
