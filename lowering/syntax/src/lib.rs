//! chalkboard's syntax: source text to syntax tree (the lexer, the parser
//! and the tree itself), the printer back to source, and the one diagnostic
//! type every later stage reports with.
//!
//! Architecture invariant: this crate depends on neither chalk-ir nor salsa
//! (its `Cargo.toml` has no dependencies), so the compiler checks that syntax
//! knows nothing of the solver. Parsing never fails: [`parse_file`] always
//! returns a tree (with error nodes where the text made no sense) together
//! with every diagnostic it found.

// The tree is a shared contract; its goal enum is large by design (boxing
// the leaf would only add indirection for the common case).
#[allow(clippy::large_enum_variant)]
pub mod ast;
// Bodies keep their nodes inline, as the syntax tree does.
pub mod bless;
#[allow(clippy::large_enum_variant)]
pub mod body;
pub mod build;
pub mod codes;
pub mod deadline;
pub mod diagnostic;
pub mod lexer;
mod parser;
pub mod print;
pub mod registry;
pub mod reparse;
pub mod rust;
pub mod visit;

#[cfg(test)]
mod print_tests;
#[cfg(test)]
mod reparse_tests;
#[cfg(test)]
mod round_trip;
#[cfg(test)]
mod tests;

pub use diagnostic::{Diagnostic, Label, Severity};

pub use print::{print_file, print_goal, print_ty};

/// Parses a whole `.chalk` file: items, goals with their expectations, and
/// the file directives, including chalk's `test! { .. }` wrappers.
pub fn parse_file(text: &str) -> (ast::File, Vec<Diagnostic>) {
    let mut parser = parser::Parser::new(text);
    let file = parser.parse_file();
    let mut diagnostics = parser.into_diagnostics();
    // The lexer, the delimiter pass and the parser each find errors; they are
    // reported in the order of the text, as a reader meets them.
    diagnostics.sort_by_key(|d| d.primary.span.start);
    (file, with_chalk_messages(diagnostics))
}

/// Records chalk's own wording of each syntax error: chalk's parser reports
/// every one as "parse error: Unrecognized token ..." (except an unknown ABI,
/// which chalk reports while lowering), and `error_msg { .. }` expectations
/// copied from chalk's tests compare against that text.
fn with_chalk_messages(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut diagnostics {
        if d.chalk_message.is_some() {
            continue;
        }
        d.chalk_message = Some(if d.code == crate::codes::UNKNOWN_ABI {
            let name = d.message.split('`').nth(1).unwrap_or_default();
            format!("invalid extern ABI `{name}`")
        } else {
            format!("parse error: Unrecognized token ({})", d.message)
        });
    }
    diagnostics
}

/// Parses a bare goal, as typed at a REPL or passed with `--goal`.
pub fn parse_goal(text: &str) -> (Option<ast::Goal>, Vec<Diagnostic>) {
    let mut parser = parser::Parser::new(text);
    let goal = parser.goal_to_end();
    (goal, parser.into_diagnostics())
}
