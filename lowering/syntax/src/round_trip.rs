//! The printer's round trip, asserted: a tree prints to text that parses
//! back to the same tree (spans aside), and printing is a fixed point.
//!
//! Two test crates use this file: the syntax crate's unit tests, and
//! `cli/tests/round_trip.rs` (over every corpus program) through a `#[path]`
//! module. So it names the syntax crate only through paths from the crate
//! root (`crate::ast`, `crate::print`, `crate::parse_file`), which both
//! provide.
#![allow(dead_code)]

use crate::ast::{File, Goal};
use crate::print::{print_file, print_goal};
use crate::{parse_file, parse_goal};

/// Replaces every `Span { start: .., end: .. }` in a `Debug` rendering by
/// `Span`, so that trees that differ only in positions compare equal.
pub fn erase_spans(debug: &str) -> String {
    const OPEN: &str = "Span { start: ";
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        let after = &rest[at..];
        match after.find('}') {
            Some(close) => rest = &after[close + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The tree without spans. A goal block's `text` is the goal as written, so
/// it is blanked here and checked separately against the printed goal.
fn erased_file(file: &File) -> String {
    let mut file = file.clone();
    for block in &mut file.goals {
        block.text.clear();
    }
    // A code body's text is kept as written; the printer only changes its
    // indentation, so it is compared with the indentation erased.
    for item in &mut file.items {
        if let crate::ast::Item::Impl(imp) = item {
            for m in &mut std::sync::Arc::make_mut(imp).methods {
                if let crate::ast::ImplMethodBody::Code(code) = &mut m.body {
                    code.text = code
                        .text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n");
                }
            }
        }
    }
    erase_spans(&format!("{file:?}")).replace(", ", ",\n")
}

/// Whether the parser left an error node in the tree; such a tree has no
/// source text that parses back to it.
pub fn has_error_nodes(file: &File) -> bool {
    let debug = format!("{file:?}");
    debug.contains("kind: Error")
}

/// Asserts that `file` prints to text that parses back to the same tree.
pub fn assert_round_trip(file: &File, origin: &str) {
    let printed = print_file(file);
    let (reparsed, _) = parse_file(&printed);
    let expected = erased_file(file);
    let found = erased_file(&reparsed);
    assert!(
        expected == found,
        "{origin}: the printed program parses to a different tree\n--- printed:\n{printed}\n--- first difference near:\n{}",
        first_difference(&expected, &found)
    );
    for (original, again) in file.goals.iter().zip(&reparsed.goals) {
        assert_eq!(again.text, print_goal(&original.goal), "{origin}");
    }
    // Printing is a fixed point once the text is the printer's own.
    assert_eq!(print_file(&reparsed), printed, "{origin}");
}

/// Asserts that a goal prints to text that parses back to the same goal.
pub fn assert_goal_round_trip(goal: &Goal) {
    let printed = print_goal(goal);
    let (reparsed, diagnostics) = parse_goal(&printed);
    let Some(reparsed) = reparsed else {
        panic!("the printed goal `{printed}` does not parse: {diagnostics:#?}");
    };
    assert_eq!(
        erase_spans(&format!("{goal:?}")),
        erase_spans(&format!("{reparsed:?}")),
        "printed goal: {printed}"
    );
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(a.lines().count().min(b.lines().count()));
    let window = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().collect();
        let from = line.saturating_sub(8);
        let to = (line + 4).min(lines.len());
        lines.get(from..to).unwrap_or_default().join("\n")
    };
    format!("expected:\n{}\nfound:\n{}", window(a), window(b))
}
