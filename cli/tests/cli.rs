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

/// `run` on a Rust file holds its annotations (exit 0 though the program
/// has errors); `check` gives the program's own verdict (exit 1 exactly
/// when there is an error).
#[test]
fn a_rust_file_runs_against_its_annotations_and_checks_on_its_own() {
    let rejected = "programs/rust/health_check.rs";
    let accepted = "programs/rust/rtn_self_shorthand.rs";
    assert_eq!(exit_code(&["run", rejected]), 0);
    assert_eq!(exit_code(&["check", rejected]), 1);
    assert_eq!(exit_code(&["run", accepted]), 0);
    assert_eq!(exit_code(&["check", accepted]), 0);
    // Only warnings: accepted.
    assert_eq!(
        exit_code(&[
            "check",
            "--design",
            "implied",
            "programs/rust/background_logging.rs"
        ]),
        0
    );

    let source = "//@ revisions: explicit implied\n\
                  pub trait HealthCheck {}\n\
                  pub struct PingCheck;\n\
                  impl HealthChek for PingCheck {}\n\
                  //[implied]~^ ERROR `HealthChek`\n\
                  //[boxed]~ ERROR undeclared revision\n";
    let file = scratch_file("cli-rust-annotations", "annotations.rs", source);
    let run = chalkboard(&["run", "--color", "never", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // Under `explicit` the error is not annotated for that revision; under
    // `implied` the annotation holds; the undeclared revision fails once.
    assert!(
        run.stdout
            .contains("FAILED: error[rust-unknown-name] is not annotated"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("holds: //[implied]~ ERROR `HealthChek`"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("it names revision `boxed`").count(),
        1,
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("under revision `implied` (implied/assume)"));
}

#[test]
fn json_output_of_a_rust_run_has_the_documented_annotations() {
    let run = chalkboard(&["run", "--format", "json", "programs/rust/semver_hazard.rs"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json: Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    let files = json["files"].as_array().unwrap();
    let revisions: Vec<&str> = files
        .iter()
        .map(|f| f["annotations"]["revision"].as_str().unwrap())
        .collect();
    assert_eq!(
        revisions,
        ["explicit", "implied-assume", "implied-decide", "boxed"]
    );
    let designs: Vec<&str> = files
        .iter()
        .map(|f| f["design"].as_str().unwrap())
        .collect();
    assert_eq!(
        designs,
        ["explicit", "implied/assume", "implied/decide", "boxed"]
    );
    let mut matched = 0;
    for file in files {
        assert_eq!(file["all_hold"], true);
        let check = &file["annotations"];
        assert!(check["unannotated"].as_array().unwrap().is_empty());
        assert!(check["check_pass"].is_null());
        for a in check["annotations"].as_array().unwrap() {
            for field in ["annotation", "kind", "text", "status"] {
                assert!(a[field].is_string(), "annotation field `{field}` in {a}");
            }
            assert!(a["line"].is_u64() && a["revisions"].is_array());
            assert_span(&a["span"]);
            assert_eq!(a["status"], "matched");
            // The diagnostic it claims is on its line.
            let d = &file["diagnostics"][a["diagnostic"].as_u64().unwrap() as usize];
            assert_diagnostic(d);
            assert_eq!(d["span"]["line"], a["line"]);
            matched += 1;
        }
    }
    assert!(matched >= 4, "{matched} annotations matched");
    // A `.chalk` file's document has no `annotations`, and `check` gives none.
    let chalk = chalkboard(&["run", "--format", "json", "programs/chalk/basics.chalk"]);
    let chalk: Value = serde_json::from_str(&chalk.stdout).unwrap();
    assert!(chalk["files"][0].get("annotations").is_none());
    let check = chalkboard(&[
        "check",
        "--format",
        "json",
        "programs/rust/semver_hazard.rs",
    ]);
    let check: Value = serde_json::from_str(&check.stdout).unwrap();
    assert!(check["files"][0].get("annotations").is_none());
    assert_eq!(check["files"][0]["rejected"], false);
}

/// A diagnostic in the model of the standard library is placed in the
/// model's text, in text and JSON.
#[test]
fn a_diagnostic_in_the_model_names_the_model() {
    let source = "pub struct Server;\nimpl Clone for Server {}\nimpl Clone for Server {}\n";
    let file = scratch_file("cli-rust-model", "overlap.rs", source);
    let run = chalkboard(&["check", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let diagnostics = json["files"][0]["diagnostics"].as_array().unwrap();
    let mut in_model = 0;
    for d in diagnostics {
        assert_diagnostic(d);
        assert!(d["span"]["line"].as_u64().unwrap() <= 3, "{d}");
        for label in d["secondary"].as_array().unwrap() {
            if label["file"] == "<chalkboard's std model>" {
                in_model += 1;
                // The trait `Clone`, in the model's text.
                let line = label["span"]["line"].as_u64().unwrap() as usize;
                let model = chalkboard(&["prelude", "--rust"]).stdout;
                assert!(
                    model.lines().nth(line - 1).unwrap().contains("trait Clone"),
                    "{label}"
                );
            }
        }
    }
    assert_eq!(in_model, 1, "{diagnostics:?}");
    let text = chalkboard(&["check", "--color", "never", file.to_str().unwrap()]).stdout;
    assert!(text.contains("::: <chalkboard's std model>:"), "{text}");
}

#[test]
fn prelude_rust_prints_the_model() {
    let run = chalkboard(&["prelude", "--rust"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("pub unsafe auto trait Send {}"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("mod tokio"));
    let chalk = chalkboard(&["prelude"]);
    assert!(!chalk.stdout.contains("mod tokio"));
}

/// Whether `compare --rustc` has a rustc to run (`$RUSTC`, or `rustc` on
/// `PATH`).
fn rustc_found() -> bool {
    std::env::var_os("RUSTC").is_some()
        || std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
}

/// `compare --rustc` shows rustc's verdict beside the explicit design's; a
/// rustc that cannot run, or a file that is not Rust, is a usage error.
#[test]
fn compare_rustc_shows_rustcs_verdict() {
    let file = "programs/rust/health_check.rs";
    let missing = Chalkboard::new(&["compare", "--rustc", file])
        .env("RUSTC", Some("/nonexistent/rustc"))
        .run();
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("cannot run"), "{}", missing.stderr);
    assert!(missing
        .stdout
        .contains("rustc            not run: cannot run"));
    let chalk = chalkboard(&["compare", "--rustc", "programs/designs/health_check.chalk"]);
    assert_eq!(chalk.code, 2);
    assert!(chalk.stderr.contains("Rust files"), "{}", chalk.stderr);
    // Without `--rustc` nothing changes.
    let plain = chalkboard(&["compare", file]);
    assert!(!plain.stdout.contains("rustc"), "{}", plain.stdout);

    if !rustc_found() {
        eprintln!("no rustc found: the rustc column is not compared");
        return;
    }
    let run = chalkboard(&["compare", "--rustc", file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("rustc "))
        .expect("a rustc row");
    // Beside the explicit design's verdict on the program.
    assert!(
        lines[at - 1].trim_start().starts_with("explicit "),
        "{}",
        run.stdout
    );
    assert!(
        lines[at].contains("rejected: error: future cannot be sent between threads safely")
            && lines[at].contains("--> programs/rust/health_check.rs:39:")
            && lines[at - 1].contains("fails: rejected: future-not-send at line 39"),
        "{}",
        lines[at]
    );
    let markdown = chalkboard(&["compare", "--rustc", "--format", "markdown", file]);
    assert!(
        markdown
            .stdout
            .contains("| check | explicit | rustc | implied/assume |"),
        "{}",
        markdown.stdout
    );
}

/// A file written for a macro crate is read by chalkboard, but a lone rustc
/// cannot resolve the crate: the `rustc` column says so instead of showing
/// rustc's "unresolved import" as its verdict, and it is no usage error.
#[test]
fn compare_rustc_says_why_a_macro_program_is_not_judged_by_rustc() {
    if !rustc_found() {
        eprintln!("no rustc found: the rustc column is not compared");
        return;
    }
    for (file, says) in [
        (
            "programs/rust/macros/async_trait_not_send.rs",
            "not run: the file uses the `async_trait` crate, which rustc alone cannot resolve",
        ),
        (
            "programs/rust/macros/dyner_static.rs",
            "not run: the file uses `dyner`, which was never published",
        ),
    ] {
        let run = chalkboard(&["compare", "--rustc", file]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{file}: {}", run.stderr);
        let row = run
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with("rustc "))
            .unwrap_or_else(|| panic!("{file}: no rustc row in {}", run.stdout));
        assert!(row.contains(says), "{file}: {row}");
        assert!(!row.contains("E0432"), "{file}: {row}");
    }
}

/// `--timings` adds, after each file's output, the time of every phase and
/// of each goal (what the times are is not tested, only that every phase is
/// there), in text and in JSON, on `run`, `check` and `compare`.
#[test]
fn timings_name_every_phase_and_goal() {
    const FILE: &str = "programs/chalk/auto_traits.chalk";
    let phases = [
        "parse",
        "desugar",
        "design rewrite",
        "lower",
        "bodies",
        "check",
        "design checks",
        "report",
        "total",
    ];
    let run = chalkboard(&["run", "--timings", FILE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table = run
        .stdout
        .split_once(&format!("timings of {FILE}:\n"))
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("no timings: {}", run.stdout));
    let labels: Vec<&str> = table
        .lines()
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.trim().rsplitn(3, ' ').nth(2).unwrap_or("").trim())
        .collect();
    for phase in phases {
        assert!(labels.contains(&phase), "{phase} in {labels:?}");
    }
    // The file has eleven goals; the first is on line 13.
    assert!(labels.contains(&"goal 1 (line 13)"), "{labels:?}");
    assert!(labels.contains(&"goal 11 (line 27)"), "{labels:?}");
    assert!(!labels.contains(&"goal 12"), "{labels:?}");
    // Without the flag, nothing of it.
    assert!(!chalkboard(&["run", FILE]).stdout.contains("timings of"));

    let check = chalkboard(&["check", "--timings", FILE]);
    assert!(check.stdout.contains(&format!("timings of {FILE}:\n")));

    let json = chalkboard(&["run", "--timings", "--format", "json", FILE]);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    let timings = &doc["files"][0]["timings"];
    for key in [
        "parse",
        "desugar",
        "rewrite",
        "lower",
        "bodies",
        "check",
        "layer_checks",
        "report",
    ] {
        assert!(timings[key].is_f64(), "{key}: {timings}");
    }
    assert!(timings["total"].is_f64(), "{timings}");
    let goals = timings["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 11, "{timings}");
    assert_eq!(goals[0]["goal"], 0);
    assert_eq!(goals[0]["line"], 13);
    assert!(goals[0]["seconds"].is_f64());
    let plain = chalkboard(&["run", "--format", "json", FILE]);
    let doc: Value = serde_json::from_str(&plain.stdout).unwrap();
    assert!(doc["files"][0].get("timings").is_none());

    let compare = chalkboard(&["compare", "--timings", FILE]);
    assert_eq!(compare.code, 0, "{}", compare.stderr);
    let table = compare
        .stdout
        .split_once(&format!("timings of {FILE}:\n"))
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("no timings: {}", compare.stdout));
    assert!(table.starts_with("    phase "), "{table}");
    for phase in phases {
        assert!(
            table.lines().any(|l| l.trim_start().starts_with(phase)),
            "{phase} in {table}"
        );
    }
    let json = chalkboard(&["compare", "--timings", "--format", "json", FILE]);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    let timings = doc["files"][0]["timings"].as_object().unwrap();
    assert_eq!(timings.len(), 4, "{timings:?}");
    // The first design parses; those after it share its tree.
    assert!(timings["explicit"]["parse"].is_f64());
    assert!(timings["boxed"]["parse"].is_null());
}
