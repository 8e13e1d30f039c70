//! rustc is the oracle of the explicit design: every Rust program of the
//! corpus goes through rustc (as `chalkboard compare --rustc` runs it) and through
//! chalkboard's explicit design (`chalkboard check`), and the two must give
//! the same verdict and report errors on the same lines. A program that
//! differs on purpose says why in a `//@ rustc-differs: reason` line; its
//! verdicts are not compared, and docs/rust.md lists it with its reason.
//!
//! rustc is on every machine that builds chalkboard; only when none can be
//! found (`$RUSTC`, or `rustc` on `PATH`) does the test say so and pass
//! without comparing.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The programs that use the attribute macros chalkboard expands
/// (docs/macros.md): plain rustc cannot compile them without the macros'
/// crates, so they are compared with rustc through a fixture crate that
/// depends on those crates instead (`cli/tests/macro_crates.rs`), and this
/// test skips them.
const MACRO_PROGRAMS: &str = "programs/rust/macros/";

/// The reason a program gives in its `//@ rustc-differs:` line, if any.
fn rustc_differs(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("//@ rustc-differs:"))
        .map(|reason| reason.trim().to_string())
}

/// The rustc to run, as chalkboard looks for one: `$RUSTC`, else `rustc`.
fn rustc() -> std::ffi::OsString {
    std::env::var_os("RUSTC")
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "rustc".into())
}

/// Whether a rustc can be run.
fn rustc_available() -> bool {
    std::process::Command::new(rustc())
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What one side said: accepted or not, and the lines of its errors.
#[derive(Debug, PartialEq)]
struct Verdict {
    accepted: bool,
    error_lines: BTreeSet<u64>,
}

fn json(run: &Run, what: &str) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "{what} printed no JSON ({e}):\n{}{}",
            run.stdout, run.stderr
        )
    })
}

/// rustc's verdict, from the command `chalkboard compare --rustc` runs
/// (its JSON diagnostics); only errors in the file itself have a line.
/// (`cli/tests/cli.rs` tests the `rustc` column of `compare` itself; running
/// `compare` here would answer every design for nothing.)
fn rustc_verdict(rel: &str) -> Verdict {
    let out_dir = scratch_dir(&format!("rustc-oracle-{}", rel.replace(['/', '.'], "-")));
    let out = std::process::Command::new(rustc())
        .current_dir(workspace_root())
        .env("RUSTC_BOOTSTRAP", "1")
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--emit=metadata",
            "-o",
        ])
        .arg(out_dir.join("out.rmeta"))
        .arg("--error-format=json")
        .arg(rel)
        .output()
        .expect("rustc runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let error_lines = stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|d| d["level"] == "error")
        .filter_map(|d| {
            let spans = d["spans"].as_array()?.clone();
            let primary = spans.iter().find(|s| s["is_primary"] == true)?.clone();
            (primary["file_name"].as_str() == Some(rel)).then(|| primary["line_start"].as_u64())?
        })
        .collect();
    Verdict {
        accepted: out.status.success(),
        error_lines,
    }
}

/// The explicit design's verdict, through `chalkboard check`.
fn chalkboard_verdict(rel: &str) -> Verdict {
    let run = run_chalkboard(&["check", "--design", "explicit", "--format", "json", rel]);
    let doc = json(&run, "check");
    let file = &doc["files"][0];
    let errors: Vec<&Value> = file["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(
        run.code == 1,
        !errors.is_empty(),
        "check's exit code {} on {rel} disagrees with its errors",
        run.code
    );
    Verdict {
        accepted: errors.is_empty(),
        error_lines: errors
            .iter()
            .filter(|d| d["file"].as_str() == Some(rel))
            .filter_map(|d| d["span"]["line"].as_u64())
            .collect(),
    }
}

#[test]
fn rustc_and_the_explicit_design_agree_on_every_rust_program() {
    if !rustc_available() {
        eprintln!(
            "no rustc found (set $RUSTC or put rustc on PATH): the oracle test compares nothing"
        );
        return;
    }
    let programs: Vec<PathBuf> = rust_programs();
    let compared: Vec<(String, bool)> = programs
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let rel = relative(p);
            let needs_crates = rel.starts_with(MACRO_PROGRAMS);
            (rel, rustc_differs(&text).is_none() && !needs_crates)
        })
        .collect();
    // Each program costs a rustc run and a chalkboard run; two threads keep
    // the test quick on the two cores of a small machine.
    let chunks: Vec<Vec<(String, bool)>> = compared
        .chunks(compared.len().div_ceil(2).max(1))
        .map(<[_]>::to_vec)
        .collect();
    let results: Vec<(String, Verdict, Verdict)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter(|(_, compare)| *compare)
                        .map(|(rel, _)| (rel.clone(), rustc_verdict(rel), chalkboard_verdict(rel)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an oracle thread panicked"))
            .collect()
    });
    assert!(
        results.len() >= 5,
        "only {} Rust programs compared with rustc",
        results.len()
    );
    let differing: Vec<String> = results
        .iter()
        .filter(|(_, rustc, chalkboard)| rustc != chalkboard)
        .map(|(rel, rustc, chalkboard)| {
            format!("{rel}:\n  rustc:      {rustc:?}\n  chalkboard: {chalkboard:?}")
        })
        .collect();
    assert!(
        differing.is_empty(),
        "rustc and the explicit design differ (fix one, or state why in a `//@ rustc-differs: reason` line and in docs/rust.md):\n{}",
        differing.join("\n")
    );
}

/// docs/rust.md lists every program that differs from rustc on purpose,
/// with the reason its file gives.
#[test]
fn the_docs_list_every_difference_from_rustc() {
    let doc = std::fs::read_to_string(workspace_root().join("docs/rust.md")).unwrap();
    let mut missing = Vec::new();
    for path in rust_programs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(reason) = rustc_differs(&text) else {
            continue;
        };
        let rel = relative(&path);
        let name = Path::new(&rel)
            .strip_prefix("programs/")
            .unwrap_or(Path::new(&rel));
        let listed = doc
            .lines()
            .any(|l| l.contains(&format!("`{}`", name.display())) && l.contains(&reason));
        if !listed {
            missing.push(format!("{rel}: {reason}"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/rust.md does not list these differences from rustc (a row with the program's path in backticks and its reason):\n{}",
        missing.join("\n")
    );
    // And the other way: a row whose program no longer differs (it has no
    // `rustc-differs` line, or no longer exists) is stale.
    let differing: BTreeSet<String> = rust_programs()
        .into_iter()
        .filter(|p| rustc_differs(&std::fs::read_to_string(p).unwrap()).is_some())
        .map(|p| {
            let rel = relative(&p);
            let name = Path::new(&rel)
                .strip_prefix("programs/")
                .unwrap_or(Path::new(&rel))
                .display()
                .to_string();
            name
        })
        .collect();
    let stale: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `rust/"))
        .filter_map(|l| l.split('`').next())
        .filter(|name| !differing.contains(&format!("rust/{name}")))
        .collect();
    assert!(
        stale.is_empty(),
        "docs/rust.md lists these programs as differing from rustc, but they have no `//@ rustc-differs` line: {stale:?}"
    );
}
