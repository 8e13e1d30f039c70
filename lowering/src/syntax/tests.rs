//! Unit tests of the lexer and parser.

use super::ast::*;
use super::{parse_file, parse_goal};

fn codes(text: &str) -> Vec<&'static str> {
    parse_file(text).1.iter().map(|d| d.code).collect()
}

#[test]
fn empty_file_is_fine() {
    let (file, diagnostics) = parse_file("");
    assert!(diagnostics.is_empty());
    assert!(file.items.is_empty());
}
