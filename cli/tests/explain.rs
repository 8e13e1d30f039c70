//! `chalkboard explain`: the programs of `programs/explain/` are explained
//! under the designs each names in `// explain: ARGS` lines, and what
//! `explain` prints is snapshotted into `snapshots/`; every goal of the
//! corpus is explained and its tree must agree with the solver's answer.

mod common;
use common::*;

use std::path::Path;

/// The argument lists a program asks to be explained with (one run per
/// `// explain: ..` line; none means one run with no arguments).
fn explain_runs(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let runs: Vec<Vec<String>> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("// explain:"))
        .map(|args| args.split_whitespace().map(String::from).collect())
        .collect();
    if runs.is_empty() {
        vec![Vec::new()]
    } else {
        runs
    }
}

#[test]
fn explained_programs() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../programs/explain", "*.chalk", |path| {
            let rel = relative(path);
            let mut text = String::new();
            for extra in explain_runs(path) {
                let mut args = vec!["explain"];
                args.extend(extra.iter().map(String::as_str));
                args.push(&rel);
                let out = run_chalkboard(&args);
                text.push_str(&format!(
                    "$ chalkboard {}\nexit code: {}\n{}",
                    args.join(" "),
                    out.status.code().unwrap_or(-1),
                    String::from_utf8_lossy(&out.stdout)
                ));
                let stderr = String::from_utf8_lossy(&out.stderr);
                if !stderr.is_empty() {
                    text.push_str(&format!("--- stderr ---\n{stderr}"));
                }
            }
            insta::assert_snapshot!(text);
        });
    });
}

/// The configurations every goal is explained under: the default, and
/// for the programs about the designs, each design.
fn configurations(rel: &str) -> Vec<Vec<&'static str>> {
    let mut configs = vec![vec![]];
    if rel.starts_with("programs/designs/")
        || rel.starts_with("programs/explain/")
        || rel.starts_with("programs/async/")
    {
        configs.push(vec!["--design", "implied", "--implication", "assume"]);
        configs.push(vec!["--design", "implied", "--implication", "decide"]);
        configs.push(vec!["--design", "boxed"]);
    }
    configs
}

/// The verdict-consistency test of issue 13: every goal of every program
/// in `programs/` is explained, and each tree's verdict is the solver's
/// answer and is supported by the tree (every node's status can be read
/// off its children's).
#[test]
fn every_tree_in_the_corpus_agrees_with_the_solver() {
    let mut explained = 0;
    let mut disagreements = Vec::new();
    for path in corpus_files(&workspace_root().join("programs")) {
        let rel = relative(&path);
        for config in configurations(&rel) {
            let mut args = vec!["explain", "--format", "json"];
            args.extend(config.iter().copied());
            args.push(&rel);
            let out = run_chalkboard(&args);
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{rel} {config:?}: not JSON ({e})"));
            for file in doc["files"].as_array().unwrap() {
                for goal in file["goals"].as_array().unwrap() {
                    if goal["tree"].is_null() {
                        // A goal that does not lower, or a rejected program,
                        // has nothing to explain; a tree that could not be
                        // built says why.
                        assert!(
                            !goal["error"].is_null() || file["rejected"] == true,
                            "{rel} {config:?} goal {}: no tree: {}",
                            goal["index"],
                            goal["explain_error"]
                        );
                        continue;
                    }
                    explained += 1;
                    // A goal whose run asked only other solvers (`yields_all`,
                    // `yields[solver = ..]`) has no SLG answer to compare.
                    let solver = &goal["solver_verdict"];
                    if goal["agrees_with_solver"] != true
                        || (!solver.is_null() && goal["verdict"] != *solver)
                    {
                        disagreements.push(format!(
                            "{rel} {config:?} goal {}: verdict {}, solver {}: {}",
                            goal["index"],
                            goal["verdict"],
                            goal["solver_verdict"],
                            goal["disagreement"]
                        ));
                    }
                }
            }
        }
    }
    assert!(explained > 200, "only {explained} goals were explained");
    assert!(
        disagreements.is_empty(),
        "trees that do not agree with the solver:\n{}",
        disagreements.join("\n")
    );
}
