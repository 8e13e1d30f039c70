//! Docs are tests: every ```` ```chalk ```` block in `README.md` and `docs/`
//! is run, and must hold every expectation it states. The README's example
//! output must be what chalkboard prints for the README's example program.

mod common;
use common::*;

use std::path::{Path, PathBuf};

fn run_in(dir: &Path, file: &str) -> (String, i32) {
    let run = Chalkboard::new(&["run", "--color", "never", file])
        .in_dir(dir)
        .run();
    (run.stdout, run.code)
}

/// The README and every Markdown file of `docs/`.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![workspace_root().join("README.md")];
    files.extend(corpus_files(&workspace_root().join("docs"), &["md"]));
    files
}

#[test]
fn every_chalk_block_in_the_docs_holds() {
    let mut failures = Vec::new();
    let mut count = 0;
    for md in markdown_files() {
        let text = std::fs::read_to_string(&md).unwrap();
        for (i, (info, body)) in fenced_blocks(&text).into_iter().enumerate() {
            if info != "chalk" {
                continue;
            }
            count += 1;
            let dir = scratch_dir("docs-blocks");
            let name = format!("block{i}.chalk");
            std::fs::write(dir.join(&name), &body).unwrap();
            let (out, code) = run_in(&dir, &name);
            if code != 0 {
                failures.push(format!(
                    "{} block {i} (exit {code}):\n{body}\n{out}",
                    md.display()
                ));
            }
        }
    }
    assert!(count > 0, "no chalk blocks found in the docs");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn readme_example_output_is_true() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let blocks = fenced_blocks(&readme);
    let example = blocks
        .iter()
        .position(|(info, _)| info == "chalk")
        .expect("the README has an example program");
    let expected_output = &blocks
        .get(example + 1)
        .filter(|(info, _)| info == "text")
        .expect("the README shows the example's output right after it")
        .1;
    let dir = scratch_dir("docs-readme");
    std::fs::write(dir.join("example.chalk"), &blocks[example].1).unwrap();
    let (out, code) = run_in(&dir, "example.chalk");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim_end(), expected_output.trim_end());
}

/// The README's Rust example output must be what `compare --rustc` prints
/// for it. Without a rustc to run, the `rustc` line is left out of both.
#[test]
fn readme_rust_example_output_is_true() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let blocks = fenced_blocks(&readme);
    let example = blocks
        .iter()
        .position(|(info, _)| info == "rust")
        .expect("the README has a Rust example");
    let expected = &blocks
        .get(example + 1)
        .filter(|(info, _)| info == "text")
        .expect("the README shows the example's output right after it")
        .1;
    let dir = scratch_dir("docs-readme-rust");
    std::fs::write(dir.join("example.rs"), &blocks[example].1).unwrap();
    let run = Chalkboard::new(&["compare", "--rustc", "example.rs"])
        .in_dir(&dir)
        .run();
    let rustc_ran = !run.stdout.contains("rustc            not run");
    let keep = |text: &str| -> String {
        text.lines()
            .filter(|l| rustc_ran || !l.trim_start().starts_with("rustc "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(keep(run.stdout.trim_end()), keep(expected.trim_end()));
    // rustc's verdict and chalkboard's explicit design agree on the line.
    if rustc_ran {
        assert!(run.stdout.contains("rustc            rejected: error: future cannot be sent between threads safely --> example.rs:25:5"), "{}", run.stdout);
        assert!(
            run.stdout
                .contains("explicit         fails: rejected: future-not-send at line 25"),
            "{}",
            run.stdout
        );
    }
}
