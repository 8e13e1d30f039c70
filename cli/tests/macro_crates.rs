//! The macros chalkboard expands (docs/macros.md) against the real crates:
//! every program of `programs/rust/macros/` that uses only macros published
//! on crates.io (`async-trait`, `trait-variant`) is compiled by rustc as the
//! `src/lib.rs` of a fixture crate that depends on them
//! (`cli/tests/fixtures/macro_crates/`), and rustc's verdict must be the
//! explicit design's: both accept, or both reject with errors in the same
//! items. (The items, not the lines: for an impl whose future breaks the
//! `Send` a trait's `-> impl Future + Send` promises, rustc names the
//! method's line and chalkboard's explicit design the impl's; docs/macros.md
//! says so.)
//!
//! Each macro is also a named rule that `chalkboard desugar --rules` lists
//! at the line of its attribute.
//!
//! The crates come from crates.io through cargo. When they cannot be
//! fetched (no network, no cargo), the test says so and compares nothing.
//! One fixture directory and one target directory serve every program, so
//! the crates are built once.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO")
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "cargo".into())
}

/// The fixture crate, copied where the test may write its `src/lib.rs`.
fn fixture() -> PathBuf {
    let dir = scratch_dir("macro-crates");
    let source = workspace_root().join("cli/tests/fixtures/macro_crates");
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(source.join(file), dir.join(file)).expect("the fixture can be copied");
    }
    std::fs::create_dir_all(dir.join("src")).expect("the fixture's src/ can be created");
    dir
}

fn cargo_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(cargo())
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        // The corpus uses nightly features (return type notation), as the
        // rustc oracle lets it.
        .env("RUSTC_BOOTSTRAP", "1")
        .args(args)
        .output()
        .expect("cargo runs")
}

/// The line each top-level item starts on (its attributes included), to
/// say which item a line belongs to.
fn item_of(text: &str, line: u64) -> u64 {
    let mut start = 1;
    let mut previous_was_attribute = false;
    for (i, l) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if n > line {
            break;
        }
        let starts_item = !l.is_empty()
            && !l.starts_with(char::is_whitespace)
            && !l.starts_with(['}', ')', ']', '/'])
            && !l.starts_with("#!");
        if starts_item && !previous_was_attribute {
            start = n;
        }
        if starts_item {
            previous_was_attribute = l.starts_with("#[");
        }
    }
    start
}

#[derive(Debug, PartialEq)]
struct Verdict {
    accepted: bool,
    error_items: BTreeSet<u64>,
}

fn rustc_verdict(dir: &Path, text: &str) -> Verdict {
    std::fs::write(dir.join("src/lib.rs"), text).expect("the fixture's lib.rs can be written");
    let out = cargo_in(
        dir,
        &["check", "--offline", "--message-format=json", "--quiet"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let error_items = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
        .filter_map(|m| {
            let spans = m["message"]["spans"].as_array()?.clone();
            let primary = spans.iter().find(|s| s["is_primary"] == true)?.clone();
            (primary["file_name"].as_str() == Some("src/lib.rs"))
                .then(|| primary["line_start"].as_u64())?
        })
        .map(|line| item_of(text, line))
        .collect();
    Verdict {
        accepted: out.status.success(),
        error_items,
    }
}

fn chalkboard_verdict(rel: &str, text: &str) -> Verdict {
    let run = run_chalkboard(&["check", "--design", "explicit", "--format", "json", rel]);
    let doc: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("check printed no JSON ({e}):\n{}{}", run.stdout, run.stderr));
    let errors: Vec<&Value> = doc["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .collect();
    Verdict {
        accepted: errors.is_empty(),
        error_items: errors
            .iter()
            .filter(|d| d["file"].as_str() == Some(rel))
            .filter_map(|d| d["span"]["line"].as_u64())
            .map(|line| item_of(text, line))
            .collect(),
    }
}

/// The programs whose macros are all on crates.io (`#[dyner]` is not).
fn published_macro_programs() -> Vec<(String, String)> {
    corpus_files(&workspace_root().join("programs/rust/macros"), &["rs"])
        .into_iter()
        .map(|p| (relative(&p), std::fs::read_to_string(&p).unwrap()))
        .filter(|(_, text)| !text.contains("dyner"))
        .collect()
}

#[test]
fn the_real_macro_crates_give_the_explicit_designs_verdicts() {
    let dir = fixture();
    let fetched = cargo_in(&dir, &["fetch", "--quiet"]);
    if !fetched.status.success() {
        eprintln!(
            "the macro crates could not be fetched from crates.io, so no program of programs/rust/macros/ is compared with them:\n{}",
            String::from_utf8_lossy(&fetched.stderr)
        );
        return;
    }
    let programs = published_macro_programs();
    assert!(
        programs.len() >= 5,
        "only {} programs use the published macros",
        programs.len()
    );
    let differing: Vec<String> = programs
        .iter()
        .filter_map(|(rel, text)| {
            let rustc = rustc_verdict(&dir, text);
            let chalkboard = chalkboard_verdict(rel, text);
            (rustc != chalkboard).then(|| {
                format!("{rel}:\n  rustc with the crates: {rustc:?}\n  chalkboard:            {chalkboard:?}")
            })
        })
        .collect();
    assert!(
        differing.is_empty(),
        "rustc with the real macro crates and chalkboard's explicit design differ (error items are the lines their items start on):\n{}",
        differing.join("\n")
    );
}

#[test]
fn items_are_found_by_their_first_line() {
    let text = "use x;\n\n#[attr]\npub trait T {\n    fn f();\n}\n";
    assert_eq!(item_of(text, 5), 3);
    assert_eq!(item_of(text, 1), 1);
}

#[test]
fn desugar_names_each_macro_at_its_attribute() {
    let run = run_chalkboard(&["desugar", "--rules", "programs/rust/macros/mixed_all.rs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (line, rule, subject) in [
        (14, "trait-variant-make", "HealthCheck"),
        (21, "async-trait", "Logger::log"),
        (24, "dyner", "DynReporter"),
        (56, "async-trait", "<Ping as Logger>::log"),
    ] {
        let expected = format!("//   line {line}: `{rule}` on `{subject}`:");
        assert!(
            run.stdout.contains(&expected),
            "desugar --rules does not say {expected:?}:\n{}",
            run.stdout
        );
    }
    // The generated items are printed among the file's.
    for item in [
        "trait HealthCheck",
        "struct DynReporter<'me>",
        "impl<'me> Reporter for DynReporter<'me>",
    ] {
        assert!(run.stdout.contains(item), "desugar does not print {item:?}");
    }
}
