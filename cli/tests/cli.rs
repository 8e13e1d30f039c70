//! The command line's contract: exit codes, the JSON schema of docs/json.md
//! and colour handling.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Runs chalkboard from the workspace root with `NO_COLOR` unset, so each
/// test states the colour environment it needs.
fn chalkboard(args: &[&str], env: &[(&str, &str)]) -> (String, String, i32) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chalkboard"));
    command
        .args(args)
        .current_dir(workspace_root())
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("the chalkboard binary runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn exit_code(args: &[&str]) -> i32 {
    chalkboard(args, &[]).2
}

/// Writes a program into the test's scratch directory.
fn scratch_program(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("the scratch directory is writable");
    path
}

#[test]
fn exit_code_0_when_everything_holds() {
    assert_eq!(exit_code(&["run", "programs/chalk/basics.chalk"]), 0);
    assert_eq!(exit_code(&["check", "programs/chalk/basics.chalk"]), 0);
}

#[test]
fn exit_code_1_for_a_rejected_program_or_a_failed_expectation() {
    assert_eq!(exit_code(&["run", "programs/errors/parse_errors.chalk"]), 1);
    assert_eq!(
        exit_code(&["check", "programs/errors/overlapping_impls.chalk"]),
        1
    );
    let failing = scratch_program(
        "failing_expectation.chalk",
        "struct Foo { }\ntrait Bar { }\nimpl Bar for Foo { }\n\
         goal { Foo: Bar } yields { \"No possible solution\" }\n",
    );
    assert_eq!(exit_code(&["run", failing.to_str().unwrap()]), 1);
}

#[test]
fn exit_code_2_for_usage_and_io_errors() {
    let (_, stderr, code) = chalkboard(&["run", "programs/does/not/exist.chalk"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert_eq!(exit_code(&["run", "--no-such-flag", "x.chalk"]), 2);
    assert_eq!(exit_code(&["run"]), 2);
    assert_eq!(exit_code(&["run", "--timeout", "0", "x.chalk"]), 2);
    assert_eq!(exit_code(&["run", "--timeout", "soon", "x.chalk"]), 2);
}

#[test]
fn exit_code_3_when_a_goal_hits_a_limit() {
    assert_eq!(exit_code(&["run", "programs/limits/deep_nesting.chalk"]), 3);
}

#[test]
fn exit_code_4_for_a_caught_chalk_panic() {
    // SLG panics on negating an unfinished coinductive cycle; the panic is
    // caught and reported.
    let (stdout, _, code) = chalkboard(
        &[
            "run",
            "--solver",
            "slg",
            "--color",
            "never",
            "programs/limits/coinductive_negation.chalk",
        ],
        &[],
    );
    assert_eq!(code, 4, "{stdout}");
    assert!(stdout.contains("internal error"), "{stdout}");
    // The other goal of the file is still answered.
    assert!(stdout.contains("holds: yields"), "{stdout}");
}

#[test]
fn never_101_even_on_the_whole_corpus_at_once() {
    let mut args = vec!["run", "--timeout", "1", "--format", "json"];
    let files: Vec<String> = ["chalk", "errors", "limits"]
        .iter()
        .flat_map(|dir| {
            let mut files: Vec<String> =
                std::fs::read_dir(workspace_root().join("programs").join(dir))
                    .unwrap()
                    .map(|e| {
                        format!(
                            "programs/{dir}/{}",
                            e.unwrap().file_name().to_string_lossy()
                        )
                    })
                    .filter(|f| f.ends_with(".chalk"))
                    .collect();
            files.sort();
            files
        })
        .collect();
    args.extend(files.iter().map(String::as_str));
    let (stdout, stderr, code) = chalkboard(&args, &[]);
    assert_ne!(code, 101, "{stderr}");
    // The worst outcome wins: the coinductive negation's caught panic.
    assert_eq!(code, 4);
    let json: Value = serde_json::from_str(&stdout).expect("the output is JSON");
    assert_eq!(json["files"].as_array().unwrap().len(), files.len());
}

fn assert_span(span: &Value) {
    for field in ["start", "end", "line", "column", "end_line", "end_column"] {
        assert!(span[field].is_u64(), "span field `{field}` in {span}");
    }
}

fn assert_diagnostic(d: &Value) {
    for field in ["code", "severity", "message", "file", "label"] {
        assert!(d[field].is_string(), "diagnostic field `{field}` in {d}");
    }
    assert_span(&d["span"]);
    for label in d["secondary"].as_array().expect("secondary is a list") {
        assert_span(&label["span"]);
        assert!(label["label"].is_string());
    }
    assert!(d["notes"].is_array());
    assert!(d["help"].is_string() || d["help"].is_null());
    assert!(d["chalk_message"].is_string() || d["chalk_message"].is_null());
}

#[test]
fn json_output_has_the_documented_fields() {
    let (stdout, _, code) = chalkboard(
        &[
            "run",
            "--format",
            "json",
            "programs/errors/goal_errors.chalk",
            "programs/errors/names_and_kinds.chalk",
            "programs/chalk/basics.chalk",
        ],
        &[],
    );
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).expect("the output is JSON");
    assert_eq!(json["version"], 1);
    let files = json["files"].as_array().expect("files is a list");
    assert_eq!(files.len(), 3);
    let mut goals_seen = 0;
    let mut goal_errors_seen = 0;
    for file in files {
        assert!(file["path"].is_string());
        assert!(file["rejected"].is_boolean());
        assert!(file["all_hold"].is_boolean());
        assert!(file["expected_errors"].is_array());
        for d in file["diagnostics"].as_array().unwrap() {
            assert_diagnostic(d);
        }
        for goal in file["goals"].as_array().unwrap() {
            goals_seen += 1;
            assert!(goal["text"].is_string());
            assert_span(&goal["span"]);
            if !goal["error"].is_null() {
                goal_errors_seen += 1;
                assert_diagnostic(&goal["error"]);
            }
            assert!(goal["disagreement"].is_string() || goal["disagreement"].is_null());
            for run in goal["runs"].as_array().unwrap() {
                assert!(["slg", "recursive"].contains(&run["solver"].as_str().unwrap()));
                assert!(run["config"].is_string());
                assert!(["aggregated", "all"].contains(&run["request"].as_str().unwrap()));
                let kind = run["outcome"]["kind"].as_str().unwrap();
                assert!(
                    ["answer", "answers", "timeout", "overflow", "internal-error"].contains(&kind),
                    "{kind}"
                );
            }
            for e in goal["expectations"].as_array().unwrap() {
                assert!(e["expectation"].is_string());
                assert_span(&e["span"]);
                let status = e["status"].as_str().unwrap();
                assert!(["holds", "fails", "skipped"].contains(&status));
            }
        }
    }
    assert!(goals_seen > 0 && goal_errors_seen > 0);
    assert_eq!(files[1]["rejected"], true);
    assert_eq!(files[2]["all_hold"], true);
}

const ESC: &str = "\u{1b}[";

#[test]
fn colour_is_chosen_by_the_flag_and_no_color() {
    let file = "programs/errors/unknown_names.chalk";
    let (always, _, _) = chalkboard(&["run", "--color", "always", file], &[]);
    assert!(always.contains(ESC), "no ANSI escapes with --color always");
    let (never, _, _) = chalkboard(&["run", "--color", "never", file], &[]);
    assert!(!never.contains(ESC), "ANSI escapes with --color never");
    // `auto` is plain when stdout is not a terminal (as here) and when
    // NO_COLOR is set; an explicit `always` wins over NO_COLOR.
    let (auto, _, _) = chalkboard(&["run", file], &[]);
    assert!(!auto.contains(ESC));
    let (no_color, _, _) = chalkboard(&["run", "--color", "auto", file], &[("NO_COLOR", "1")]);
    assert!(!no_color.contains(ESC));
    let (forced, _, _) = chalkboard(&["run", "--color", "always", file], &[("NO_COLOR", "1")]);
    assert!(forced.contains(ESC));
    // The plain and coloured texts say the same thing.
    assert_eq!(strip_ansi(&always), never);
}

/// Removes ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Every diagnostic code that appears in a snapshot is documented in
/// docs/errors.md.
#[test]
fn every_snapshotted_code_is_documented() {
    let docs = std::fs::read_to_string(workspace_root().join("docs/errors.md")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(workspace_root().join("snapshots")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for rest in text.split("error[").skip(1) {
            let Some(code) = rest.split(']').next() else {
                continue;
            };
            if !docs.contains(&format!("| `{code}` |")) && !missing.contains(&code.to_string()) {
                missing.push(code.to_string());
            }
        }
    }
    assert!(missing.is_empty(), "undocumented codes: {missing:?}");
}
