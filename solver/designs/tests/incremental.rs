//! Incrementality of the designs: the queries are keyed on what they read,
//! so switching only the implication rule re-runs only the impl checks, and
//! switching the design re-runs the rewrite and what follows it.

use std::sync::Arc;

use chalkboard_designs::{Design, DesignLayer, Implication};
use chalkboard_solver::db::{report, Database, Language, Settings, SourceFile};
use chalkboard_solver::RunOptions;
use expect_test::{expect, Expect};
use salsa::Setter;

const PROGRAM: &str = r#"
use prelude::*;
trait AsyncIterator { async fn next(&mut self) -> u32; }
struct MyCustomIterator { start_index: u32 }
impl AsyncIterator for MyCustomIterator {
    async fn next(&mut self) -> u32 { holds Rc<u32>; }
}
goal { MyCustomIterator: AsyncIterator } yields { "Unique" }
"#;

fn setup() -> (Database, SourceFile, Settings) {
    let db = Database::with_execution_log(Arc::new(DesignLayer));
    let file = SourceFile::new(&db, PROGRAM.to_string(), Language::Chalk);
    let settings = Settings::new(
        &db,
        RunOptions::default(),
        Design::Implied.name(),
        Implication::Assume.name(),
    );
    (db, file, settings)
}

fn check_executed(db: &Database, expect: Expect) {
    let mut executed = db.take_executed();
    executed.sort();
    expect.assert_debug_eq(&executed);
}

#[test]
fn switching_the_implication_rule_re_runs_only_the_impl_checks() {
    let (mut db, file, settings) = setup();
    let assume = report(&db, file, settings).0.clone();
    // Under `assume`, the impl's future holds an `Rc` and is rejected.
    assert!(assume.layer.rejects());
    db.take_executed();
    settings.set_rule(&mut db).to(Implication::Decide.name());
    let decide = report(&db, file, settings).0.clone();
    // Under `decide`, `MyCustomIterator: Send` holds, so the impl is still
    // rejected, by the other rule's wording.
    assert!(decide.layer.rejects());
    assert_ne!(assume.layer, decide.layer);
    check_executed(
        &db,
        expect![[r#"
            [
                "layer_checks",
                "report",
            ]
        "#]],
    );
}

#[test]
fn switching_the_design_re_runs_the_rewrite_and_what_follows() {
    let (mut db, file, settings) = setup();
    report(&db, file, settings);
    db.take_executed();
    settings.set_rewrite(&mut db).to(Design::Explicit.name());
    let explicit = report(&db, file, settings).0.clone();
    assert!(!explicit.layer.rejects());
    assert!(explicit.all_hold());
    check_executed(
        &db,
        expect![[r#"
            [
                "bodies",
                "body_obligations",
                "checked",
                "goal_runs",
                "items",
                "layer_checks",
                "lowered",
                "lowered_items",
                "report",
                "rewritten",
            ]
        "#]],
    );
}
