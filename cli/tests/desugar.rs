//! `chalkboard desugar` is checked two ways: its output for the async
//! programs is snapshotted (so a reviewer sees each step), and for every
//! program of the corpus that states expectations, the output of each step
//! parses again and gives the same answers as the original.

mod common;
use common::*;

/// Snapshots `chalkboard desugar --stage $stage` of every async program, as
/// `desugar_$stage@<file>.snap` (a macro, because insta names snapshots after
/// the calling function).
macro_rules! snapshot_stage {
    ($name:ident, $stage:literal) => {
        #[test]
        fn $name() {
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("../../snapshots");
            settings.set_prepend_module_to_snapshot(false);
            settings.bind(|| {
                insta::glob!("../../programs/async", "*.chalk", |path| {
                    let rel = relative(path);
                    let run = run_chalkboard(&["desugar", "--stage", $stage, &rel]);
                    insta::assert_snapshot!(format!(
                        "exit code: {}\n{}{}",
                        run.code, run.stdout, run.stderr
                    ));
                });
            });
        }
    };
}

snapshot_stage!(desugar_async, "async");
snapshot_stage!(desugar_gat, "gat");

/// The answer lines of a run (what each solver said and whether each
/// expectation held), without the goal headers, which name the file.
fn answers(run_output: &str) -> Vec<String> {
    run_output
        .lines()
        .filter(|l| l.starts_with("    "))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn desugared_programs_give_the_same_answers() {
    let mut failing = Vec::new();
    // Answer lines compared, so that the test cannot pass because the
    // programs or their answers went missing.
    let mut compared = 0;
    for path in chalk_programs() {
        let rel = relative(&path);
        // A desugared program has no methods left for a design to rewrite, so
        // it is pinned to one design; the design programs (and the explained
        // scenarios) state expectations for several, and `compare` and
        // `explain` snapshots cover them instead.
        if rel.starts_with("programs/errors/")
            || rel.starts_with("programs/limits/")
            || rel.starts_with("programs/designs/")
            || rel.starts_with("programs/explain/")
        {
            continue;
        }
        let original = run_chalkboard(&["run", "--color", "never", &rel]).stdout;
        // A program that states the error it is rejected with may be
        // rejected by the desugaring itself, and then there is nothing to
        // print.
        let source = std::fs::read_to_string(&path).unwrap();
        let expects_rejection = source.contains("error_msg") || source.contains("rejected");
        for stage in ["async", "gat"] {
            let desugared = run_chalkboard(&["desugar", "--stage", stage, &rel]);
            if desugared.code != 0 && expects_rejection {
                continue;
            }
            if desugared.code != 0 {
                failing.push(format!(
                    "{rel} --stage {stage}: exit code {}\n{}",
                    desugared.code, desugared.stderr
                ));
                continue;
            }
            let out_path = scratch_file(
                "desugar-same-answers",
                &format!("{}.{stage}.chalk", rel.replace('/', "_")),
                &desugared.stdout,
            );
            let again = run_chalkboard(&["run", "--color", "never", out_path.to_str().unwrap()]);
            compared += answers(&original).len();
            if again.code != 0 || answers(&again.stdout) != answers(&original) {
                failing.push(format!(
                    "{rel} --stage {stage} (exit code {}):\n{}\n--- original ---\n{original}",
                    again.code, again.stdout
                ));
            }
        }
    }
    assert!(compared > 0, "no answers were compared");
    assert!(failing.is_empty(), "{}", failing.join("\n"));
}

/// `--stage chalk` prints the clauses chalk derives from the desugared
/// program: the GAT named after the method and its `Future` bound appear.
#[test]
fn desugar_stage_chalk_prints_the_clauses() {
    let run = run_chalkboard(&[
        "desugar",
        "--stage",
        "chalk",
        "programs/async/health_check.chalk",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .lines()
            .any(|l| l
                == "for<T0, 'a1, 'a2> Implemented((HealthCheck::check)<T0, 'a1, 'a2>: Future)"),
        "{}",
        run.stdout
    );
}

/// `desugar` of a Rust file prints the program its items and bodies become
/// (the model of the standard library left out), then what each future
/// holds, each value with the line that holds it, and the bodies'
/// obligations as goals.
#[test]
fn desugar_of_a_rust_file_shows_what_each_future_holds() {
    let run = run_chalkboard(&["desugar", "programs/rust/my_custom_iterator.rs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.starts_with("// ")
            && out.contains("items of the model of the standard library are not shown"),
        "{out}"
    );
    assert!(!out.contains("struct Rc<"), "the model is left out: {out}");
    // The future struct of the impl's `async fn`, with the held values.
    assert!(out.contains("held_ssh_key_2: Rc<Vec<u8>>"), "{out}");
    // Each held value with the lines that hold it.
    assert!(
        out.contains("//   held_ssh_key_2: Rc<Vec<u8>>: `ssh_key`, declared on line 31, in scope at the `.await` on line 32"),
        "{out}"
    );
    assert!(
        out.contains("the future of `fill(..)`, awaited on line 32"),
        "{out}"
    );
    // The obligations, as goals chalkboard asks.
    assert!(out.contains("// The obligations of the bodies (rule body-callee-bounds), as goals:"));
    assert!(out.contains("//   goal { "), "{out}");
}
