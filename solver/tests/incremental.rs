//! Incrementality: after an edit, salsa re-runs only the queries the edit
//! touches.

use chalkboard_solver::db::{lowered, parsed, report, Database, Options, SourceFile};
use chalkboard_solver::RunOptions;
use salsa::Setter;

const PROGRAM: &str = "struct Foo { }\ntrait Bar { }\nimpl Bar for Foo { }\ngoal { Foo: Bar } yields { \"Unique\" }\n";

fn setup() -> (Database, SourceFile, Options) {
    let db = Database::with_execution_log();
    let file = SourceFile::new(&db, PROGRAM.to_string());
    let options = Options::new(&db, RunOptions::default());
    (db, file, options)
}

#[test]
fn a_first_run_executes_every_query() {
    let (db, file, options) = setup();
    let r = report(&db, file, options);
    assert!(r.0.all_hold());
    let executed = db.take_executed();
    for query in ["parsed", "desugared", "lowered", "report"] {
        assert!(
            executed.iter().any(|q| q == query),
            "{query} missing from {executed:?}"
        );
    }
}

#[test]
fn an_edit_that_leaves_the_tree_unchanged_reuses_lowering_and_answers() {
    let (mut db, file, options) = setup();
    report(&db, file, options);
    db.take_executed();
    // A comment after the last item changes the text but not the tree.
    file.set_text(&mut db)
        .to(format!("{PROGRAM}// a trailing comment\n"));
    let r = report(&db, file, options);
    assert!(r.0.all_hold());
    assert_eq!(db.take_executed(), vec!["parsed".to_string()]);
}

#[test]
fn an_edit_to_an_impl_re_lowers_and_re_solves() {
    let (mut db, file, options) = setup();
    report(&db, file, options);
    db.take_executed();
    file.set_text(&mut db)
        .to(PROGRAM.replace("impl Bar for Foo { }", "impl Bar for u32 { }"));
    let r = report(&db, file, options);
    // The expectation no longer holds: `Foo` lost its impl.
    assert!(!r.0.all_hold());
    let mut executed = db.take_executed();
    executed.sort();
    assert_eq!(executed, vec!["desugared", "lowered", "parsed", "report"]);
    // Asking again without an edit executes nothing.
    lowered(&db, file, options);
    parsed(&db, file);
    report(&db, file, options);
    assert!(db.take_executed().is_empty());
}
