//! The corpus is the test suite: every program in `programs/` (`.chalk` and
//! `.rs`) is run with `chalkboard run`, and what it prints (and its exit
//! code) is snapshotted into `snapshots/`.

mod common;
use common::*;

use std::path::Path;

/// What a run printed, as a snapshot shows it: stdout, then stderr (if
/// any) after a marker line.
fn printed(run: &Run) -> String {
    let mut text = run.stdout.clone();
    if !run.stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&run.stderr);
    }
    text
}

#[test]
fn programs() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../programs", "**/*.{chalk,rs}", |path| {
            let rel = relative(path);
            let extra = run_args(path);
            let mut args = vec!["run", "--color", "never"];
            args.extend(extra.iter().map(String::as_str));
            args.push(&rel);
            let run = run_chalkboard(&args);
            insta::assert_snapshot!(format!("exit code: {}\n{}", run.code, printed(&run)));
        });
    });
}

/// Programs outside `programs/errors/` and `programs/limits/` state their
/// expectations, and all of them must hold; so must the annotations of
/// every Rust program (those of `programs/rust/errors/` included: their
/// errors are annotated).
#[test]
fn every_expectation_in_the_corpus_holds() {
    let mut failing = Vec::new();
    let mut checked = 0;
    let mut programs = chalk_programs();
    programs.extend(rust_programs());
    for path in programs {
        let rel = relative(&path);
        if rel.starts_with("programs/errors/") || rel.starts_with("programs/limits/") {
            continue;
        }
        checked += 1;
        let run = run_chalkboard(&["run", "--color", "never", &rel]);
        if run.code != 0 {
            failing.push(format!(
                "{rel} (exit code {}):\n{}",
                run.code,
                printed(&run)
            ));
        }
    }
    assert!(checked > 0, "no programs found");
    assert!(failing.is_empty(), "{}", failing.join("\n"));
}

/// Extra command-line arguments a program asks for in a `// run-args: ..`
/// line, e.g. a short deadline for programs that exercise the limits.
fn run_args(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("// run-args:"))
        .map(|args| args.split_whitespace().map(String::from).collect())
        .unwrap_or_default()
}

/// Every snapshot belongs to a program that still exists.
#[test]
fn no_orphaned_snapshots() {
    let mut orphans = Vec::new();
    for path in corpus_files(&workspace_root().join("snapshots"), &["snap"]) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let input = text
            .lines()
            .find_map(|l| l.strip_prefix("input_file: "))
            .map(str::trim);
        match input {
            Some(input) if workspace_root().join(input).exists() => {}
            _ => orphans.push(path.display().to_string()),
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a program: {orphans:?}"
    );
}
