//! `run --bless` on the corpus: a copy of `programs/` whose every expectation
//! is deleted is blessed back to the corpus byte for byte, and a run on a
//! directory tree leaves out what `.gitignore` and hidden directories
//! exclude.

mod common;
use common::*;

use std::path::{Path, PathBuf};

use chalkboard_syntax::ast::ExpectationKind;
use chalkboard_syntax::bless::{self, Edit};

/// Why `--bless` changes a file of the corpus that nothing was deleted from.
const BARE_GOALS: &str = "some goals state no expectation, and `--bless` gives each a `yields`";
const REJECTED_ON_PURPOSE: &str =
    "the program is rejected on purpose and states no `error_msg`, and `--bless` adds one";

/// The files of the corpus that `--bless` changes as they are: each one
/// lacks an expectation on purpose. For every other file, blessing the
/// copy whose expectations were deleted gives back the file byte for byte.
const INCOMPLETE: &[(&str, &str)] = &[
    ("chalk/coherence_goals.chalk", BARE_GOALS),
    ("chalk/fns_closures_coroutines.chalk", BARE_GOALS),
    ("chalk/lang_items.chalk", BARE_GOALS),
    ("chalk/projection.chalk", BARE_GOALS),
    ("chalk/types.chalk", BARE_GOALS),
    ("limits/coinductive_negation.chalk", BARE_GOALS),
    ("limits/growing_auto_trait.chalk", BARE_GOALS),
    ("limits/recursive_impls.chalk", BARE_GOALS),
    ("errors/async_broken_promise.chalk", REJECTED_ON_PURPOSE),
    ("errors/async_misuse.chalk", REJECTED_ON_PURPOSE),
    ("errors/async_unknown_held.chalk", REJECTED_ON_PURPOSE),
    ("errors/async_without_future.chalk", REJECTED_ON_PURPOSE),
    ("errors/attribute_order.chalk", REJECTED_ON_PURPOSE),
    ("errors/auto_trait_with_params.chalk", REJECTED_ON_PURPOSE),
    ("errors/chalk_body_mixed_holds.chalk", REJECTED_ON_PURPOSE),
    ("errors/chalk_body_names.chalk", REJECTED_ON_PURPOSE),
    ("errors/chalk_body_types.chalk", REJECTED_ON_PURPOSE),
    ("errors/dyn_incompatible.chalk", REJECTED_ON_PURPOSE),
    ("errors/expectation_errors.chalk", REJECTED_ON_PURPOSE),
    ("errors/expectation_options.chalk", REJECTED_ON_PURPOSE),
    ("errors/ill_formed.chalk", REJECTED_ON_PURPOSE),
    ("errors/ill_formed_opaque_type.chalk", REJECTED_ON_PURPOSE),
    ("errors/invalid_numbers.chalk", REJECTED_ON_PURPOSE),
    ("errors/lexical_errors.chalk", REJECTED_ON_PURPOSE),
    ("errors/lowering_errors.chalk", REJECTED_ON_PURPOSE),
    ("errors/method_params_mismatch.chalk", REJECTED_ON_PURPOSE),
    ("errors/missing_lifetime.chalk", REJECTED_ON_PURPOSE),
    ("errors/names_and_kinds.chalk", REJECTED_ON_PURPOSE),
    ("errors/nesting_too_deep.chalk", REJECTED_ON_PURPOSE),
    ("errors/overlapping_impls.chalk", REJECTED_ON_PURPOSE),
    ("errors/parse_errors.chalk", REJECTED_ON_PURPOSE),
    ("errors/reserved_names.chalk", REJECTED_ON_PURPOSE),
    ("errors/shorthand_errors.chalk", REJECTED_ON_PURPOSE),
    ("errors/unbalanced_delimiters.chalk", REJECTED_ON_PURPOSE),
    ("errors/unknown_abi.chalk", REJECTED_ON_PURPOSE),
    ("errors/unknown_attributes.chalk", REJECTED_ON_PURPOSE),
    ("errors/unknown_names.chalk", REJECTED_ON_PURPOSE),
    ("errors/unsupported_here.chalk", REJECTED_ON_PURPOSE),
    ("errors/unterminated_comment.chalk", REJECTED_ON_PURPOSE),
    ("errors/unterminated_string.chalk", REJECTED_ON_PURPOSE),
    ("errors/variadic_not_last.chalk", REJECTED_ON_PURPOSE),
    ("errors/wrong_arity.chalk", REJECTED_ON_PURPOSE),
    ("limits/check_panic.chalk", REJECTED_ON_PURPOSE),
    ("limits/check_timeout.chalk", REJECTED_ON_PURPOSE),
    ("limits/negative_cycle.chalk", REJECTED_ON_PURPOSE),
];

/// The files whose deleted answers cannot come back, because no run ever
/// computes them: the goals of a program that is rejected do not run.
const NEVER_ANSWERED: &[(&str, &str)] = &[
    ("errors/async_goal_errors.chalk", "its goals do not lower, so they have no answer"),
    ("errors/expectation_errors.chalk", "the program does not parse, so its goal never runs"),
    ("errors/expectation_options.chalk", "the program does not parse, so its goal never runs"),
    ("errors/invalid_numbers.chalk", "the program does not parse, so its goal never runs"),
    ("errors/lexical_errors.chalk", "the program does not parse, so its goal never runs"),
    ("limits/negative_cycle.chalk", "the program is rejected (negative reasoning is not stratified), so its goal never runs"),
    ("explain/health_check.chalk", "the program is rejected under the implied design, so its `yields[design = implied]` is never checked"),
];

/// The corpus with every expectation's content deleted: each answer string
/// of `yields`, `yields_all`, `yields_first` and `error_msg` emptied (its
/// spelling, `expect![[..]]` and raw strings, kept), and each verdict
/// expectation turned to the other word (a verdict has no content to
/// delete, so the test states the wrong one). Returns `None` for a file
/// that has nothing to delete.
fn delete_expectations(source: &str) -> Option<String> {
    let (file, _) = chalkboard_syntax::parse_file(source);
    let mut edits: Vec<Edit> = Vec::new();
    for goal in &file.goals {
        for e in &goal.expectations {
            match e.kind {
                ExpectationKind::Holds => {
                    edits.extend(bless::rewrite_verdict(source, e.span, "fails"))
                }
                ExpectationKind::Fails => {
                    edits.extend(bless::rewrite_verdict(source, e.span, "holds"))
                }
                _ => {
                    let empty = vec![String::new(); e.answers.len()];
                    edits.extend(
                        bless::rewrite_answers(source, e.span, &empty).expect("answers found"),
                    );
                }
            }
        }
    }
    for e in &file.expected_errors {
        edits.extend(
            bless::rewrite_answers(source, e.span, &[String::new()]).expect("message found"),
        );
    }
    let deleted = bless::apply(source, &edits);
    (deleted != source).then_some(deleted)
}

/// Copies every `.chalk` file under `from` to the same place under `to`.
fn copy_tree(from: &Path, to: &Path, skip: &str) -> Vec<PathBuf> {
    let mut copied = Vec::new();
    for file in corpus_files(from, &["chalk"]) {
        let relative = file.strip_prefix(from).unwrap();
        if relative.starts_with(skip) {
            continue;
        }
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
        copied.push(relative.to_path_buf());
    }
    copied
}

/// Blesses the copy of the corpus in `dir` (`suite/` in one invocation,
/// `limits/` file by file with the arguments each asks for).
fn bless_copy(dir: &Path, files: &[PathBuf], programs: &Path) {
    // The whole tree in one invocation, its files in parallel.
    let suite = dir.join("suite").display().to_string();
    let run = run_chalkboard(&["run", "--bless", "--color", "never", &suite]);
    assert!(run.code != 101 && run.code != 2, "{}", run.stderr);
    assert!(run.stderr.contains("blessed "), "{}", run.stderr);
    for f in files.iter().filter(|f| f.starts_with("limits")) {
        let original = std::fs::read_to_string(programs.join(f)).unwrap();
        let run_args: Vec<String> = original
            .lines()
            .find_map(|l| l.trim().strip_prefix("// run-args:"))
            .map(|a| a.split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        let path = dir.join(f).display().to_string();
        let mut args = vec!["run", "--bless", "--color", "never"];
        args.extend(run_args.iter().map(String::as_str));
        args.push(&path);
        let run = run_chalkboard(&args);
        assert!(run.code != 101 && run.code != 2, "{}", run.stderr);
    }
}

/// A copy of the corpus's `.chalk` files in `dir`: `suite/` for every
/// directory but `limits/`, which is copied to `limits/`. Returns the
/// files, relative to `programs/`.
fn copy_corpus(dir: &Path, programs: &Path) -> Vec<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    let mut files = copy_tree(programs, &dir.join("suite"), "limits");
    files.extend(
        copy_tree(&programs.join("limits"), &dir.join("limits"), "-")
            .into_iter()
            .map(|f| Path::new("limits").join(f)),
    );
    files
}

fn place(dir: &Path, f: &Path) -> PathBuf {
    if f.starts_with("limits") {
        dir.join(f)
    } else {
        dir.join("suite").join(f)
    }
}

#[test]
fn blessing_a_corpus_without_expectations_gives_it_back() {
    let programs = workspace_root().join("programs");
    let deleted_dir = scratch_dir("bless-round-trip-deleted");
    let original_dir = scratch_dir("bless-round-trip-original");
    let files = copy_corpus(&deleted_dir, &programs);
    copy_corpus(&original_dir, &programs);
    let mut deleted = 0;
    for f in &files {
        let path = place(&deleted_dir, f);
        let source = std::fs::read_to_string(&path).unwrap();
        if let Some(without) = delete_expectations(&source) {
            std::fs::write(&path, without).unwrap();
            deleted += 1;
        }
    }
    assert!(
        deleted >= 55,
        "only {deleted} files had expectations to delete"
    );
    bless_copy(&deleted_dir, &files, &programs);
    bless_copy(&original_dir, &files, &programs);

    let mut problems = Vec::new();
    let diff = |a: &str, b: &str, name: &str, what: &str| {
        similar::TextDiff::from_lines(a, b)
            .unified_diff()
            .header(name, what)
            .to_string()
    };
    for f in &files {
        let name = f.display().to_string().replace('\\', "/");
        let original = std::fs::read_to_string(programs.join(f)).unwrap();
        let blessed_original = std::fs::read_to_string(place(&original_dir, f)).unwrap();
        let blessed_deleted = std::fs::read_to_string(place(&deleted_dir, f)).unwrap();
        let incomplete = INCOMPLETE.iter().any(|(n, _)| *n == name);
        let never_answered = NEVER_ANSWERED.iter().any(|(n, _)| *n == name);
        match (blessed_original == original, incomplete) {
            (true, true) => problems.push(format!(
                "{name}: `--bless` leaves it as it is now: remove it from INCOMPLETE"
            )),
            (false, false) => problems.push(format!(
                "{name}: `--bless` changes the corpus file itself:\n{}",
                diff(&original, &blessed_original, &name, "blessed")
            )),
            _ => {}
        }
        match (blessed_deleted == blessed_original, never_answered) {
            (true, true) => problems.push(format!(
                "{name}: its deleted answers come back now: remove it from NEVER_ANSWERED"
            )),
            (false, false) => problems.push(format!(
                "{name}: blessing the copy without expectations does not give it back:\n{}",
                diff(
                    &blessed_original,
                    &blessed_deleted,
                    &name,
                    "blessed without expectations"
                )
            )),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A Rust file without its `//~` annotations: a line that is only an
/// annotation is removed, and an annotation after code is cut off.
fn delete_annotations(source: &str) -> String {
    let mut out = String::new();
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let alone =
            trimmed.starts_with("//~") || (trimmed.starts_with("//[") && trimmed.contains("]~"));
        if alone {
            continue;
        }
        match line.find(" //~") {
            Some(at) => {
                out.push_str(&line[..at]);
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Rust files whose annotations `--bless` does not bring back to holding,
/// with the reason.
const RUST_NOT_BLESSED: &[(&str, &str)] = &[];

/// `//~` annotations are written by hand with a part of the message, so
/// blessing a Rust file without them cannot give the file back byte for
/// byte; it gives a file whose every annotation holds, and it leaves a file
/// whose annotations hold as it is.
#[test]
fn blessing_a_rust_file_without_annotations_annotates_every_error() {
    let dir = scratch_dir("bless-rust");
    let mut problems = Vec::new();
    for (i, file) in rust_programs().iter().enumerate() {
        let name = relative(file);
        let original = std::fs::read_to_string(file).unwrap();
        let listed = RUST_NOT_BLESSED.iter().any(|(n, _)| *n == name);
        // The file as it is: its annotations hold, so nothing changes.
        let as_is = dir.join(format!("as_is_{i}.rs"));
        std::fs::write(&as_is, &original).unwrap();
        let as_is_arg = as_is.display().to_string();
        let run = run_chalkboard(&["run", "--bless", "--color", "never", &as_is_arg]);
        assert!(run.code != 101, "{name}: {}", run.stderr);
        if std::fs::read_to_string(&as_is).unwrap() != original {
            problems.push(format!(
                "{name}: `--bless` changed a file whose annotations hold"
            ));
        }
        // The file without annotations: blessed, every annotation holds.
        let stripped = dir.join(format!("stripped_{i}.rs"));
        std::fs::write(&stripped, delete_annotations(&original)).unwrap();
        let stripped_arg = stripped.display().to_string();
        let run = run_chalkboard(&["run", "--bless", "--color", "never", &stripped_arg]);
        assert!(run.code != 101, "{name}: {}", run.stderr);
        let after = run_chalkboard(&["run", "--color", "never", &stripped_arg]);
        let holds = after.code == 0 || after.code == 3;
        match (holds, listed) {
            (true, true) => problems.push(format!(
                "{name}: its blessed annotations hold now: remove it from RUST_NOT_BLESSED"
            )),
            (false, false) => problems.push(format!(
                "{name}: after `--bless`, `run` still fails (exit {}):\n{}\n{}",
                after.code,
                std::fs::read_to_string(&stripped).unwrap(),
                after.stdout
            )),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
