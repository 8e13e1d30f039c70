//! The diagnostic codes are one table: the `codes::ALL` of the five crates
//! that emit them. These tests hold that table, `docs/errors.md` and the
//! corpus to each other: every code is documented, every documented code
//! exists, and every code is shown by some program in `programs/` (its
//! snapshot in `snapshots/` prints it as `error[code]` or `warning[code]`).

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};

use chalkboard_syntax::registry::Code;

/// Codes that no program can produce, each with the reason. `docs/errors.md`
/// says so in each one's row (see [`NOT_SHOWN_IN_DOCS`]).
const NOT_EMITTED_BY_ANY_PROGRAM: &[(&str, &str)] = &[
    // The prelude is chalkboard's own text, and a unit test of the lowering
    // crate parses it cleanly; the diagnostic only stands in for a panic.
    ("broken-prelude", "fires only if chalkboard's own prelude fails to parse"),
    // The parser reports any ABI other than "C" and "Rust" as
    // `unknown-abi`, and a program with a parse error is never lowered; the
    // lowering keeps its own error for a syntax tree built another way.
    ("invalid-abi", "the parser reports `unknown-abi` first, and a program that does not parse is not lowered"),
    // Lowering meets a goal's error node only when the parser failed (and
    // then nothing is lowered) or the desugaring failed on that goal (and
    // then the goal reports the desugaring's error instead).
    ("invalid-goal", "a goal that did not parse, or that the desugaring could not rewrite, reports that error instead"),
    // The one program that made chalk panic in the check phase
    // (`programs/limits/check_panic.chalk`) is now rejected before solving,
    // by the negative-cycle check; the code stays for panics not known yet.
    ("internal-error", "the known check-phase panics of chalk are now caught before solving"),
    // The command line's codes are about the paths it is given, not about
    // a program's text; `cli/tests/suite.rs` tests them.
    ("no-such-path", "it is about a path given on the command line, not a program"),
    ("no-programs", "it is about a directory or `--filter`, not a program"),
    ("unreadable-program", "it is about a file's permissions or encoding, not its text"),
];

/// The phrase that begins the reason, after the summary, in the docs row of
/// each code in [`NOT_EMITTED_BY_ANY_PROGRAM`].
const NOT_SHOWN_IN_DOCS: &str = "No program can produce it:";

/// Every registered code, in the order of the crates' tables.
fn registered() -> Vec<Code> {
    [
        chalkboard_syntax::codes::ALL,
        chalkboard_rust::codes::ALL,
        chalkboard_lowering::codes::ALL,
        chalkboard_solver::codes::ALL,
        chalkboard_designs::codes::ALL,
    ]
    .concat()
}

/// The rows of docs/errors.md's tables: code name to meaning.
fn documented() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(workspace_root().join("docs/errors.md")).unwrap();
    let mut rows = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("| `") else {
            continue;
        };
        let Some((code, meaning)) = rest.split_once("` | ") else {
            continue;
        };
        let meaning = meaning.trim_end().trim_end_matches('|').trim_end();
        let previous = rows.insert(code.to_string(), meaning.to_string());
        assert!(previous.is_none(), "`{code}` is documented twice");
    }
    rows
}

/// Every code shown as `error[code]` or `warning[code]` in a snapshot.
fn emitted() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for entry in std::fs::read_dir(workspace_root().join("snapshots")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for severity in ["error[", "warning["] {
            for rest in text.split(severity).skip(1) {
                if let Some((code, _)) = rest.split_once(']') {
                    codes.insert(code.to_string());
                }
            }
        }
    }
    codes
}

#[test]
fn codes_have_unique_kebab_case_names() {
    let mut seen = BTreeSet::new();
    let mut duplicates = Vec::new();
    for code in registered() {
        assert!(
            !code.name.is_empty()
                && code
                    .name
                    .split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
            "`{}` is not kebab-case",
            code.name
        );
        if !seen.insert(code.name) {
            duplicates.push(code.name);
        }
    }
    assert!(
        duplicates.is_empty(),
        "codes registered twice: {duplicates:?}"
    );
}

#[test]
fn the_docs_document_exactly_the_registered_codes() {
    let docs = documented();
    let registered: BTreeSet<&str> = registered().iter().map(|c| c.name).collect();
    let undocumented: Vec<&str> = registered
        .iter()
        .copied()
        .filter(|c| !docs.contains_key(*c))
        .collect();
    let unregistered: Vec<&str> = docs
        .keys()
        .map(String::as_str)
        .filter(|c| !registered.contains(c))
        .collect();
    assert!(
        undocumented.is_empty() && unregistered.is_empty(),
        "registered in a crate's codes.rs but missing from docs/errors.md: {undocumented:?}\n\
         documented in docs/errors.md but registered in no codes.rs: {unregistered:?}"
    );
}

/// A code's summary is its row's first sentence, whole (not cut inside
/// parentheses or backticks), so the registry and the docs say the same.
#[test]
fn each_summary_is_the_first_sentence_of_its_documentation() {
    let docs = documented();
    let mut differing = Vec::new();
    for code in registered() {
        let Some(meaning) = docs.get(code.name) else {
            continue;
        };
        let summary = code.summary;
        // Outside code spans (the even pieces between backticks), the
        // parentheses must be balanced; an odd count of pieces is an
        // unclosed code span.
        let pieces: Vec<&str> = summary.split('`').collect();
        let prose: String = pieces.iter().step_by(2).copied().collect();
        let whole =
            pieces.len() % 2 == 1 && prose.matches('(').count() == prose.matches(')').count();
        let rest = meaning.strip_prefix(summary);
        let sentence_ends = rest.is_some_and(|r| r == "." || r.starts_with(". "));
        if !whole || !sentence_ends {
            differing.push(format!(
                "`{}`:\n  summary: {}\n  docs:    {meaning}",
                code.name, code.summary
            ));
        }
    }
    assert!(
        differing.is_empty(),
        "summaries that do not begin their docs row:\n{}",
        differing.join("\n")
    );
}

#[test]
fn every_code_is_emitted_by_some_program() {
    let emitted = emitted();
    let registered: BTreeSet<&str> = registered().iter().map(|c| c.name).collect();
    let allowed: BTreeSet<&str> = NOT_EMITTED_BY_ANY_PROGRAM.iter().map(|(c, _)| *c).collect();
    let never: Vec<&str> = registered
        .iter()
        .copied()
        .filter(|c| !emitted.contains(*c) && !allowed.contains(c))
        .collect();
    assert!(
        never.is_empty(),
        "codes no program in programs/ emits (write a program in programs/errors/ that \
         does, or add the code with its reason to NOT_EMITTED_BY_ANY_PROGRAM): {never:?}"
    );
    let unknown: Vec<&str> = emitted
        .iter()
        .map(String::as_str)
        .filter(|c| !registered.contains(c))
        .collect();
    assert!(
        unknown.is_empty(),
        "snapshots show codes no crate registers: {unknown:?}"
    );
}

/// The allow-list stays short and true: each entry is a registered code
/// that no program emits, and the docs say why.
#[test]
fn the_codes_no_program_emits_are_explained() {
    let emitted = emitted();
    let docs = documented();
    let registered: BTreeSet<&str> = registered().iter().map(|c| c.name).collect();
    for (code, reason) in NOT_EMITTED_BY_ANY_PROGRAM {
        assert!(registered.contains(code), "`{code}` is not registered");
        assert!(!reason.is_empty());
        assert!(
            !emitted.contains(*code),
            "`{code}` is emitted by a program now, though it is listed ({reason}): \
             remove it from NOT_EMITTED_BY_ANY_PROGRAM and its docs row's \"{NOT_SHOWN_IN_DOCS}\""
        );
        let meaning = docs.get(*code).map_or("", String::as_str);
        assert!(
            meaning.contains(NOT_SHOWN_IN_DOCS),
            "docs/errors.md's row for `{code}` does not say \"{NOT_SHOWN_IN_DOCS} ..\""
        );
    }
    for (code, meaning) in &docs {
        if meaning.contains(NOT_SHOWN_IN_DOCS) {
            assert!(
                NOT_EMITTED_BY_ANY_PROGRAM.iter().any(|(c, _)| c == code),
                "docs/errors.md says no program produces `{code}`, but the test expects one to"
            );
        }
    }
}
