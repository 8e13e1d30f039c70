//! `chalkboard desugar` is checked two ways: its output for the async
//! programs is snapshotted (so a reviewer sees each step), and for every
//! program of the corpus that states expectations, the output of each step
//! parses again and gives the same answers as the original.

mod common;
use common::*;

fn chalkboard(args: &[&str]) -> (String, String, i32) {
    let out = run_chalkboard(args);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

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
                    let (out, err, code) = chalkboard(&["desugar", "--stage", $stage, &rel]);
                    insta::assert_snapshot!(format!("exit code: {code}\n{out}{err}"));
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
    let tmp = std::env::temp_dir().join(format!("chalkboard-desugar-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut failing = Vec::new();
    for path in corpus_files(&workspace_root().join("programs")) {
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
        let (original, _, _) = chalkboard(&["run", "--color", "never", &rel]);
        for stage in ["async", "gat"] {
            let (text, err, code) = chalkboard(&["desugar", "--stage", stage, &rel]);
            if code != 0 {
                failing.push(format!("{rel} --stage {stage}: exit code {code}\n{err}"));
                continue;
            }
            let out_path = tmp.join(format!("{}.{stage}.chalk", rel.replace('/', "_")));
            std::fs::write(&out_path, &text).unwrap();
            let out_path = out_path.to_string_lossy().into_owned();
            let (again, _, code) = chalkboard(&["run", "--color", "never", &out_path]);
            if code != 0 || answers(&again) != answers(&original) {
                failing.push(format!(
                    "{rel} --stage {stage} (exit code {code}):\n{again}\n--- original ---\n{original}"
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failing.is_empty(), "{}", failing.join("\n"));
}

/// `--stage chalk` prints the clauses chalk derives from the desugared
/// program: the GAT named after the method and its `Future` bound appear.
#[test]
fn desugar_stage_chalk_prints_the_clauses() {
    let (out, err, code) = chalkboard(&[
        "desugar",
        "--stage",
        "chalk",
        "programs/async/health_check.chalk",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|l| l
                == "for<T0, 'a1, 'a2> Implemented((HealthCheck::check)<T0, 'a1, 'a2>: Future)"),
        "{out}"
    );
}
