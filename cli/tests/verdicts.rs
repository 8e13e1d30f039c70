//! The goal verdict in all three outputs: text (`verdict: ..` when it says
//! more than the answers), JSON (`"verdict"` and `"verdict_reason"` on every
//! goal) and `compare` (the goal rows).

mod common;
use common::*;

use serde_json::Value;

const REGIONS: &str = "programs/rust_rules/region_constraints.chalk";

fn stdout(args: &[&str]) -> String {
    run_chalkboard(args).stdout
}

#[test]
fn text_output_names_the_unproven_constraint() {
    let out = stdout(&["run", "--color", "never", REGIONS]);
    assert!(
        out.contains("    verdict: fails: `H: 'static` cannot be proven\n"),
        "{out}"
    );
    // chalk's own answer is printed unchanged, before the verdict.
    assert!(
        out.contains("    slg: Unique; lifetime constraints [InEnvironment { environment: Env([]), goal: !1_0: 'static }]\n"),
        "{out}"
    );
}

#[test]
fn text_output_of_chalk_programs_has_no_verdict_lines() {
    for file in corpus_files(&workspace_root().join("programs/chalk"), &["chalk"]) {
        let out = stdout(&["run", "--color", "never", &relative(&file)]);
        assert!(!out.contains("verdict:"), "{}:\n{out}", relative(&file));
    }
}

#[test]
fn every_goal_in_json_has_a_verdict() {
    let out = stdout(&[
        "run",
        "--format",
        "json",
        REGIONS,
        "programs/errors/goal_errors.chalk",
        "programs/chalk/basics.chalk",
    ]);
    let json: Value = serde_json::from_str(&out).unwrap();
    let mut words = Vec::new();
    for file in json["files"].as_array().unwrap() {
        for goal in file["goals"].as_array().unwrap() {
            let verdict = goal["verdict"].as_str().expect("every goal has a verdict");
            assert!(["holds", "fails", "ambiguous"].contains(&verdict), "{goal}");
            assert!(goal["verdict_reason"].is_string(), "{goal}");
            if !goal["error"].is_null() {
                assert_eq!(verdict, "fails", "a goal with an error fails: {goal}");
            }
            words.push(verdict.to_string());
        }
    }
    assert!(words.iter().any(|w| w == "holds") && words.iter().any(|w| w == "fails"));
    let first = &json["files"][0]["goals"][0];
    assert_eq!(first["verdict"], "fails");
    assert_eq!(first["verdict_reason"], "`H: 'static` cannot be proven");
}

#[test]
fn compare_shows_the_verdict_of_each_goal() {
    let out = stdout(&["compare", "--format", "json", REGIONS]);
    let json: Value = serde_json::from_str(&out).unwrap();
    let rows = json["files"][0]["rows"].as_array().unwrap();
    let spawn = rows
        .iter()
        .find(|r| {
            r["kind"] == "goal"
                && r["name"]
                    .as_str()
                    .unwrap()
                    .contains("H: Send) { H: 'static }")
        })
        .expect("the spawn goal has a row");
    for cell in spawn["cells"].as_array().unwrap() {
        assert_eq!(cell["verdict"], "fails", "{cell}");
        assert_eq!(cell["reason"], "`H: 'static` cannot be proven", "{cell}");
    }
}

#[test]
fn a_verdict_expectation_that_does_not_hold_fails_the_run() {
    let dir = std::env::temp_dir().join(format!("chalkboard-verdicts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wrong.chalk");
    std::fs::write(
        &path,
        "use prelude::*;\ngoal { forall<H> { if (H: Send) { H: 'static } } } holds\n",
    )
    .unwrap();
    let out = run_chalkboard(&["run", "--color", "never", path.to_str().unwrap()]);
    let text = out.stdout.clone();
    assert_eq!(out.code, 1, "{text}");
    assert!(text.contains("FAILED: verdict holds"), "{text}");
    assert!(
        text.contains("got: fails: `H: 'static` cannot be proven"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
