//! `run`, `check` and `compare` on directories: which files a tree stands
//! for, `--filter`, output in the same order whatever `--jobs`, the
//! closing summary, `--format junit`, the diff and hint of a failed
//! expectation, `--bless --dry-run`, and the errors about paths.

mod common;
use common::*;

use std::path::{Path, PathBuf};

/// A tree of programs: two files at the top, one in a subdirectory, one in
/// a subdirectory that `.gitignore` excludes, one in a hidden directory,
/// and a file that is not a program.
fn tree(name: &str) -> PathBuf {
    let dir = scratch_dir(name);
    let _ = std::fs::remove_dir_all(&dir);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(".gitignore", "ignored/\n");
    write(
        "a.chalk",
        "struct S { }\ntrait Tr { }\nimpl Tr for S { }\ngoal { S: Tr } yields { \"Unique\" }\n",
    );
    write(
        "b.chalk",
        "struct S { }\ntrait Tr { }\ngoal { S: Tr } yields { \"No possible solution\" }\ngoal { exists<T> { T: Tr } } yields { \"No possible solution\" }\n",
    );
    write(
        "sub/c.chalk",
        "struct Special { }\ntrait Tr { }\ngoal { Special: Tr } yields { \"No possible solution\" }\n",
    );
    write("ignored/d.chalk", "this is not a program {\n");
    write(".hidden/e.chalk", "this is not a program either {\n");
    write("notes.txt", "not a program\n");
    dir
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn a_directory_runs_its_programs_and_leaves_out_ignored_and_hidden_ones() {
    let dir = tree("suite-tree");
    let run = Chalkboard::new(&["run", "--color", "never", "."])
        .in_dir(&dir)
        .run();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let files: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|p| p.ends_with(".chalk"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        files,
        ["./a.chalk", "./b.chalk", "./sub/c.chalk"],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("\n3 file(s), 4 goal(s): 4 expectation(s) held, 0 failed\n"),
        "{}",
        run.stdout
    );
    // The summary is on stderr, with the time and the slowest files.
    assert!(
        run.stderr
            .contains("summary: 3 file(s) (0 failed), 4 goal(s), 4 expectation(s) held, 0 failed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("slowest: "), "{}", run.stderr);
    // `check` and `compare` take directories too.
    let check = Chalkboard::new(&["check", "--color", "never", "."])
        .in_dir(&dir)
        .run();
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.stdout.matches("the program is accepted").count(),
        3,
        "{}",
        check.stdout
    );
    let compare = Chalkboard::new(&["compare", "."]).in_dir(&dir).run();
    assert_eq!(compare.code, 0, "{}", compare.stderr);
    assert!(
        compare.stdout.contains("./sub/c.chalk"),
        "{}",
        compare.stdout
    );
    assert!(!compare.stdout.contains("ignored"), "{}", compare.stdout);
}

#[test]
fn the_output_is_the_same_in_parallel_as_one_file_after_the_other() {
    let programs = arg(&workspace_root().join("programs/chalk"));
    let one = run_chalkboard(&["run", "--color", "never", "--jobs", "1", &programs]);
    let two = run_chalkboard(&["run", "--color", "never", "--jobs", "4", &programs]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    assert!(one.stderr.contains("on 1 thread(s)"), "{}", one.stderr);
    // The files print in the order of their paths.
    let mut seen = Vec::new();
    for line in one.stdout.lines().filter(|l| l.starts_with(&programs)) {
        if let Some(path) = line
            .split(".chalk:")
            .next()
            .filter(|_| line.contains(".chalk:"))
        {
            if seen.last() != Some(&path) {
                seen.push(path);
            }
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "each file prints once, in path order");
}

#[test]
fn filter_keeps_the_files_and_goals_that_name_it() {
    let dir = tree("suite-filter");
    // By path: the file in `sub/`.
    let run = Chalkboard::new(&["run", "--color", "never", "--filter", "sub/", "."])
        .in_dir(&dir)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .ends_with("\n1 file(s), 1 goal(s): 1 expectation(s) held, 0 failed\n"),
        "{}",
        run.stdout
    );
    // By goal text: only the goal with `exists` in `b.chalk`.
    let run = Chalkboard::new(&["run", "--color", "never", "--filter", "exists", "."])
        .in_dir(&dir)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("goal { exists<T> { T: Tr } }"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("\n1 file(s), 1 goal(s): 1 expectation(s) held, 0 failed\n"),
        "{}",
        run.stdout
    );
    // Only an item names it: no goal does, so the file is left out too.
    let run = Chalkboard::new(&["run", "--filter", "impl Tr", "."])
        .in_dir(&dir)
        .run();
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("error[no-programs]: no file or goal matches `--filter impl Tr`"),
        "{}",
        run.stderr
    );
    // Nothing matches: a usage error that says what to check.
    let run = Chalkboard::new(&["run", "--filter", "nothing-has-this", "."])
        .in_dir(&dir)
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error[no-programs]: no file or goal matches `--filter nothing-has-this`"),
        "{}",
        run.stderr
    );
}

#[test]
fn paths_that_name_no_program_are_usage_errors() {
    let dir = scratch_dir("suite-empty");
    let run = run_chalkboard(&["run", &arg(&dir.join("missing"))]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[no-such-path]: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= help: name an existing"),
        "{}",
        run.stderr
    );
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let run = run_chalkboard(&["run", &arg(&empty)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[no-programs]: the directory"),
        "{}",
        run.stderr
    );
    let not_text = dir.join("latin1.chalk");
    std::fs::write(&not_text, b"struct Caf\xe9 { }\n").unwrap();
    let run = run_chalkboard(&["run", &arg(&not_text)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("error[unreadable-program]: cannot read"),
        "{}",
        run.stdout
    );
    let compare = run_chalkboard(&["compare", &arg(&empty)]);
    assert_eq!(compare.code, 2);
    assert!(
        compare.stderr.contains("error[no-programs]"),
        "{}",
        compare.stderr
    );
}

#[test]
fn a_failed_expectation_shows_the_diff_and_bless_writes_it() {
    let dir = scratch_dir("suite-bless");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.chalk");
    let text = "struct S { }\ntrait Tr { }\nimpl Tr for S { }\n// The answer is wrong.\ngoal { S: Tr } yields { \"No possible solution\" }\ngoal { S: Tr } fails\ngoal { exists<T> { T: Tr } }\n";
    std::fs::write(&file, text).unwrap();
    let path = arg(&file);

    let run = run_chalkboard(&["run", "--color", "never", &path]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("-goal { S: Tr } yields { \"No possible solution\" }\n-goal { S: Tr } fails\n+goal { S: Tr } yields { \"Unique\" }\n+goal { S: Tr } holds\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("hint: re-run with `--bless`"),
        "{}",
        run.stderr
    );
    // On a terminal (or with `--color always`), removed lines are red and
    // added lines green.
    let coloured = run_chalkboard(&["run", "--color", "always", &path]);
    assert!(
        coloured.stdout.contains("\x1b[31m-goal { S: Tr } fails\x1b[0m\n\x1b[32m+goal { S: Tr } yields { \"Unique\" }\x1b[0m\n"),
        "{}",
        coloured.stdout
    );

    let dry = run_chalkboard(&["run", "--color", "never", "--bless", "--dry-run", &path]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "--dry-run writes nothing"
    );
    assert!(
        dry.stderr
            .contains("1 file(s) would be blessed; nothing was written"),
        "{}",
        dry.stderr
    );
    assert!(
        dry.stdout.contains(
            "+goal { exists<T> { T: Tr } } yields { \"Unique; substitution [?0 := S]\" }"
        ),
        "{}",
        dry.stdout
    );

    let bless = run_chalkboard(&["run", "--color", "never", "--bless", &path]);
    assert_eq!(bless.code, 0, "{}\n{}", bless.stdout, bless.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "struct S { }\ntrait Tr { }\nimpl Tr for S { }\n// The answer is wrong.\ngoal { S: Tr } yields { \"Unique\" }\ngoal { S: Tr } holds\ngoal { exists<T> { T: Tr } } yields { \"Unique; substitution [?0 := S]\" }\n"
    );
    // Blessed again, nothing changes.
    let again = run_chalkboard(&["run", "--color", "never", "--bless", &path]);
    assert!(
        again.stderr.contains("blessed 0 file(s)"),
        "{}",
        again.stderr
    );
}

#[test]
fn junit_has_a_suite_per_file_and_a_case_per_goal() {
    let dir = tree("suite-junit");
    std::fs::write(
        dir.join("sub/failing.chalk"),
        "struct S { }\ntrait Tr { }\ngoal { S: Tr } yields { \"Unique\" }\n",
    )
    .unwrap();
    let run = Chalkboard::new(&["run", "--format", "junit", "."])
        .in_dir(&dir)
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let xml = &run.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"chalkboard\" tests=\"5\" failures=\"1\" errors=\"0\""), "{xml}");
    assert_eq!(xml.matches("<testsuite ").count(), 4, "{xml}");
    assert!(
        xml.contains("<testsuite name=\"./sub/failing.chalk\" tests=\"1\" failures=\"1\""),
        "{xml}"
    );
    assert!(xml.contains("<testcase name=\"line 3: goal { S: Tr }\" classname=\"./sub/failing.chalk\">\n      <failure message=\"yields { &quot;Unique&quot; } failed; got: slg: No possible solution\">"), "{xml}");
    assert!(xml.ends_with("</testsuites>\n"), "{xml}");
}

#[test]
fn a_rust_file_gets_the_annotations_its_errors_need() {
    let dir = scratch_dir("suite-bless-rust");
    let file = dir.join("mismatch.rs");
    let text = "pub fn mismatch() {\n    let _x: u32 = true;\n}\n\npub fn fine() {} //~ ERROR nothing is wrong here\n";
    std::fs::write(&file, text).unwrap();
    let path = arg(&file);
    let run = run_chalkboard(&["run", "--color", "never", &path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(" pub fn mismatch() {\n     let _x: u32 = true;\n+    //~^ ERROR mismatched types\n }\n \n-pub fn fine() {} //~ ERROR nothing is wrong here\n+pub fn fine() {}\n"),
        "{}",
        run.stdout
    );
    let bless = run_chalkboard(&["run", "--color", "never", "--bless", &path]);
    assert_eq!(bless.code, 0, "{}\n{}", bless.stdout, bless.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "pub fn mismatch() {\n    let _x: u32 = true;\n    //~^ ERROR mismatched types\n}\n\npub fn fine() {}\n"
    );
}
