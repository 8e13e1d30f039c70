//! The command line's contract: exit codes, the JSON schema of docs/json.md
//! and colour handling.

mod common;
use common::*;

use serde_json::Value;

/// Runs chalkboard from the workspace root with `NO_COLOR` unset, so each
/// test states the colour environment it needs.
fn chalkboard(args: &[&str]) -> Run {
    Chalkboard::new(args).env("NO_COLOR", None).run()
}

fn exit_code(args: &[&str]) -> i32 {
    chalkboard(args).code
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
    let failing = scratch_file(
        "cli-failing-expectation",
        "failing_expectation.chalk",
        "struct Foo { }\ntrait Bar { }\nimpl Bar for Foo { }\n\
         goal { Foo: Bar } yields { \"No possible solution\" }\n",
    );
    let run = chalkboard(&["run", failing.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("FAILED: yields { \"No possible solution\" }"),
        "{}",
        run.stdout
    );
}

/// Each usage error is given on a program that exists and runs cleanly, so
/// that the exit code and the message come from the error the test names.
#[test]
fn exit_code_2_for_usage_and_io_errors() {
    const GOOD: &str = "programs/chalk/basics.chalk";
    let usage_error = |args: &[&str], message: &str| {
        let run = chalkboard(args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    };
    usage_error(&["run", "programs/does/not/exist.chalk"], "cannot read");
    // One unreadable file among good ones still fails the run.
    usage_error(
        &["run", GOOD, "programs/does/not/exist.chalk"],
        "cannot read",
    );
    usage_error(&["run", "--no-such-flag", GOOD], "--no-such-flag");
    usage_error(&["run"], "required");
    const BAD_TIMEOUT: &str = "`--timeout` must be a positive number of seconds";
    for command in ["run", "check", "compare"] {
        usage_error(&[command, "--timeout", "0", GOOD], BAD_TIMEOUT);
        usage_error(&[command, "--timeout", "inf", GOOD], BAD_TIMEOUT);
        usage_error(&[command, "--timeout", "soon", GOOD], "soon");
    }
    assert_eq!(exit_code(&["run", GOOD]), 0);
}

#[test]
fn exit_code_3_when_a_goal_hits_a_limit() {
    assert_eq!(exit_code(&["run", "programs/limits/deep_nesting.chalk"]), 3);
}

#[test]
fn exit_code_4_for_a_caught_chalk_panic() {
    // SLG panics on negating an unfinished coinductive cycle; the panic is
    // caught and reported.
    let run = chalkboard(&[
        "run",
        "--solver",
        "slg",
        "--color",
        "never",
        "programs/limits/coinductive_negation.chalk",
    ]);
    assert_eq!(run.code, 4, "{}", run.stdout);
    assert!(run.stdout.contains("internal error"), "{}", run.stdout);
    // The other goal of the file is still answered.
    assert!(run.stdout.contains("holds: yields"), "{}", run.stdout);
}

#[test]
fn never_101_even_on_the_whole_corpus_at_once() {
    let files: Vec<String> = chalk_programs().iter().map(|p| relative(p)).collect();
    let mut args = vec!["run", "--timeout", "1", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    // SLG panics on negating an unfinished coinductive cycle; the panic is
    // caught and reported.
    let run = chalkboard(&[
        "run",
        "--solver",
        "slg",
        "--color",
        "never",
        "programs/limits/coinductive_negation.chalk",
    ]);
    assert_eq!(run.code, 4, "{}", run.stdout);
    assert!(run.stdout.contains("internal error"), "{}", run.stdout);
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
    let run = chalkboard(&[
        "run",
        "--format",
        "json",
        "programs/errors/goal_errors.chalk",
        "programs/errors/names_and_kinds.chalk",
        "programs/chalk/basics.chalk",
    ]);
    assert_eq!(run.code, 1);
    let json: Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    assert_eq!(json["version"], 1);
    let files = json["files"].as_array().expect("files is a list");
    assert_eq!(files.len(), 3);
    // Each kind of record is counted, so that a field check cannot pass
    // because the output had no such record at all.
    let (mut diagnostics, mut goals, mut goal_errors, mut runs, mut expectations) = (0, 0, 0, 0, 0);
    for file in files {
        assert!(file["path"].is_string());
        assert!(file["rejected"].is_boolean());
        assert!(file["all_hold"].is_boolean());
        assert!(file["expected_errors"].is_array());
        for d in file["diagnostics"].as_array().unwrap() {
            diagnostics += 1;
            assert_diagnostic(d);
        }
        for goal in file["goals"].as_array().unwrap() {
            goals += 1;
            assert!(goal["text"].is_string());
            assert_span(&goal["span"]);
            if !goal["error"].is_null() {
                goal_errors += 1;
                assert_diagnostic(&goal["error"]);
            }
            assert!(goal["disagreement"].is_string() || goal["disagreement"].is_null());
            for run in goal["runs"].as_array().unwrap() {
                runs += 1;
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
                expectations += 1;
                assert!(e["expectation"].is_string());
                assert_span(&e["span"]);
                let status = e["status"].as_str().unwrap();
                assert!(["holds", "fails", "skipped"].contains(&status));
            }
        }
    }
    assert!(
        diagnostics > 0 && goals > 0 && goal_errors > 0 && runs > 0 && expectations > 0,
        "{diagnostics} diagnostics, {goals} goals, {goal_errors} goal errors, \
         {runs} runs, {expectations} expectations"
    );
    assert_eq!(files[1]["rejected"], true);
    assert_eq!(files[2]["all_hold"], true);
}

const ESC: &str = "\u{1b}[";

#[test]
fn colour_is_chosen_by_the_flag_and_no_color() {
    let file = "programs/errors/unknown_names.chalk";
    let never = chalkboard(&["run", "--color", "never", file]).stdout;
    assert!(!never.contains(ESC), "ANSI escapes with --color never");
    assert!(never.contains("error["), "{never}");
    let always = chalkboard(&["run", "--color", "always", file]).stdout;
    assert!(always.contains(ESC), "no ANSI escapes with --color always");
    // The plain and coloured texts say the same thing.
    assert_eq!(strip_ansi(&always), never);
    // `auto` is plain when stdout is not a terminal (as here) and when
    // NO_COLOR is set; an explicit `always` wins over NO_COLOR.
    assert_eq!(chalkboard(&["run", file]).stdout, never);
    let with_no_color = |args: &[&str]| Chalkboard::new(args).env("NO_COLOR", Some("1")).run();
    assert_eq!(
        with_no_color(&["run", "--color", "auto", file]).stdout,
        never
    );
    assert_eq!(
        with_no_color(&["run", "--color", "always", file]).stdout,
        always
    );
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
