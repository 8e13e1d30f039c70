//! The printer round-trips every program of the corpus: each parses, prints,
//! and parses back to the same tree (spans aside).
//!
//! The assertion is the syntax crate's own (`lowering/syntax/src/round_trip.rs`,
//! also used by its unit tests), included here as a module; it names the
//! syntax crate through the crate-root paths imported below.

mod common;
use common::*;

use chalkboard_syntax::{ast, parse_file, parse_goal, print};

#[path = "../../lowering/syntax/src/round_trip.rs"]
mod round_trip;

#[test]
fn every_corpus_program_round_trips() {
    let files = chalk_programs();
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a readable program");
        let (file, _) = parse_file(&text);
        // Recovery drops whole items, which leaves a tree that still round
        // trips; only error nodes inside an item have no spelling.
        if round_trip::has_error_nodes(&file) {
            continue;
        }
        round_trip::assert_round_trip(&file, &relative(path));
        checked += 1;
    }
    assert!(
        checked * 2 > files.len(),
        "only {checked} of {} programs checked",
        files.len()
    );
}
