//! Incrementality: after an edit, salsa re-runs only the queries the edit
//! touches (in the style of salsa's `calc` example: the log of executed
//! queries is the expectation).

use std::sync::Arc;

use chalkboard_solver::db::{
    lowered, parsed, report, Database, Language, Rewrite, Settings, SourceFile,
};
use chalkboard_solver::layer::NoLayer;
use chalkboard_solver::RunOptions;
use expect_test::{expect, Expect};
use salsa::Setter;

const PROGRAM: &str = "struct Foo { }\ntrait Bar { }\nimpl Bar for Foo { }\ngoal { Foo: Bar } yields { \"Unique\" }\n";

fn setup() -> (Database, SourceFile, Settings) {
    let db = Database::with_execution_log(Arc::new(NoLayer));
    let file = SourceFile::new(&db, PROGRAM.to_string(), Language::Chalk);
    let settings = Settings::new(&db, RunOptions::default(), "none", "none");
    (db, file, settings)
}

/// The queries executed since the last call, sorted (salsa's order depends
/// on which query asked first).
fn check_executed(db: &Database, expect: Expect) {
    let mut executed = db.take_executed();
    executed.sort();
    expect.assert_debug_eq(&executed);
}

#[test]
fn a_first_run_executes_every_query() {
    let (db, file, settings) = setup();
    let r = report(&db, file, settings);
    assert!(r.0.all_hold());
    check_executed(
        &db,
        expect![[r#"
            [
                "bodies",
                "body_obligations",
                "checked",
                "desugared",
                "goal_runs",
                "items",
                "layer_checks",
                "lowered",
                "lowered_items",
                "parsed",
                "report",
                "rewritten",
            ]
        "#]],
    );
}

#[test]
fn an_edit_that_leaves_the_tree_unchanged_reuses_lowering_and_answers() {
    let (mut db, file, settings) = setup();
    report(&db, file, settings);
    db.take_executed();
    // A comment after the last item changes the text but not the tree.
    file.set_text(&mut db)
        .to(format!("{PROGRAM}// a trailing comment\n"));
    let r = report(&db, file, settings);
    assert!(r.0.all_hold());
    check_executed(
        &db,
        expect![[r#"
            [
                "parsed",
            ]
        "#]],
    );
}

#[test]
fn an_edit_to_an_impl_re_lowers_and_re_solves() {
    let (mut db, file, settings) = setup();
    report(&db, file, settings);
    db.take_executed();
    file.set_text(&mut db)
        .to(PROGRAM.replace("impl Bar for Foo { }", "impl Bar for u32 { }"));
    let r = report(&db, file, settings);
    // The expectation no longer holds: `Foo` lost its impl.
    assert!(!r.0.all_hold());
    check_executed(&db, queries_an_item_edit_reruns());
    // Asking again without an edit executes nothing.
    lowered(&db, file, Rewrite::new(&db, "none"));
    parsed(&db, file);
    report(&db, file, settings);
    check_executed(
        &db,
        expect![[r#"
        []
    "#]],
    );
}

#[test]
fn a_goal_added_after_the_items_runs_only_the_goals() {
    let (mut db, file, settings) = setup();
    report(&db, file, settings);
    db.take_executed();
    // What the REPL does when a goal is asked: the goal after the program.
    file.set_text(&mut db).to(format!(
        "{PROGRAM}goal {{ u32: Bar }} yields {{ \"No possible solution\" }}\n"
    ));
    let r = report(&db, file, settings);
    assert!(r.0.all_hold());
    assert_eq!(r.0.goals.len(), 2);
    // The program's part of the tree is unchanged, so it is neither
    // lowered nor checked again.
    check_executed(
        &db,
        expect![[r#"
            [
                "desugared",
                "goal_runs",
                "items",
                "parsed",
                "report",
                "rewritten",
            ]
        "#]],
    );
}

/// A program of `n` structs, each with its impl, and a goal on the last
/// (the `flat` family of the scale benchmark).
fn flat(n: usize) -> String {
    let mut s = String::from("trait Show { }\n");
    for i in 0..n {
        s.push_str(&format!("struct S{i} {{ }}\nimpl Show for S{i} {{ }}\n"));
    }
    s.push_str(&format!(
        "goal {{ S{}: Show }} yields {{ \"Unique\" }}\n",
        n - 1
    ));
    s
}

#[test]
fn a_one_item_edit_of_a_thousand_items_re_runs_the_program_s_queries_once() {
    let db = Database::with_execution_log(Arc::new(NoLayer));
    let mut db = db;
    let file = SourceFile::new(&db, flat(1000), Language::Chalk);
    let settings = Settings::new(&db, RunOptions::default(), "none", "none");
    assert!(report(&db, file, settings).0.all_hold());
    db.take_executed();
    // One struct in the middle gets a field.
    file.set_text(&mut db)
        .to(flat(1000).replace("struct S500 { }", "struct S500 { x: S0 }"));
    assert!(report(&db, file, settings).0.all_hold());
    // Each query of the file runs once: the check is one query over the
    // whole program (docs/performance.md, "Incremental runs", says what
    // that costs).
    check_executed(&db, queries_an_item_edit_reruns());
}

/// What an edit of one item re-runs: each query of the file that reads its
/// items, once.
fn queries_an_item_edit_reruns() -> Expect {
    expect![[r#"
        [
            "bodies",
            "checked",
            "desugared",
            "goal_runs",
            "items",
            "layer_checks",
            "lowered",
            "lowered_items",
            "parsed",
            "report",
            "rewritten",
        ]
    "#]]
}

/// Rule parse-reuse in the pipeline: a kept database parses only what an
/// edit changed, its tree is the full parse's, and an edit the rule cannot
/// take (here, a comment left open) is parsed whole, with the full parse's
/// diagnostics.
#[test]
fn a_kept_database_parses_only_what_an_edit_changed() {
    let mut db = Database::new(Arc::new(NoLayer)).kept_across_edits();
    let file = SourceFile::new(&db, flat(100), Language::Chalk);
    let settings = Settings::new(&db, RunOptions::default(), "none", "none");
    assert!(report(&db, file, settings).0.all_hold());
    let reused = |db: &Database| {
        use chalkboard_solver::db::Db;
        db.check_memo()
            .expect("a kept database")
            .take_parses_reused()
    };
    assert_eq!(reused(&db), 0, "the first parse is whole");

    let edited = flat(100).replace("struct S50 { }", "struct S50 { x: S0 }");
    file.set_text(&mut db).to(edited.clone());
    assert!(report(&db, file, settings).0.all_hold());
    assert_eq!(reused(&db), 1);
    let full = chalkboard_solver::db::parse_chalk(&edited);
    assert_eq!(parsed(&db, file).0.as_ref(), &full.0);
    assert!(parsed(&db, file).1.is_empty());

    let broken = edited.replace("struct S50", "/* struct S50");
    file.set_text(&mut db).to(broken.clone());
    report(&db, file, settings);
    assert_eq!(reused(&db), 0, "an open comment is parsed whole");
    let full = chalkboard_solver::db::parse_chalk(&broken);
    assert_eq!(parsed(&db, file).1, full.1);
    assert!(!full.1.is_empty());

    // After a parse with a diagnostic nothing is kept, so the next edit is
    // parsed whole too; the one after it is taken again.
    file.set_text(&mut db).to(edited.clone());
    report(&db, file, settings);
    assert_eq!(reused(&db), 0);
    file.set_text(&mut db)
        .to(edited.replace("struct S7 { }", "struct S7 { y: S1 }"));
    assert!(report(&db, file, settings).0.all_hold());
    assert_eq!(reused(&db), 1);
}
