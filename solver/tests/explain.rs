//! The explanation engine's API, as another part of chalkboard uses it: a
//! goal's tree, and its most specific failing leaf for a diagnostic.

use chalkboard_solver::db::{self, Database, Language, SourceFile};
use chalkboard_solver::explain::file::{explain_file, Selection};
use chalkboard_solver::explain::{
    most_specific_failure, ExplainLimits, NodeKind, Place, Status, StepKind,
};
use chalkboard_solver::RunOptions;

const PROGRAM: &str = r#"
use prelude::*;
struct Inner { shared: Rc<u32> }
struct Outer { inner: Inner, count: u32 }
goal { Outer: Send } yields { "No possible solution" }
goal { Outer: Sized } yields { "Unique" }
"#;

fn explained() -> Vec<chalkboard_solver::explain::file::GoalExplanation> {
    let db = Database::default();
    let file = SourceFile::new(&db, PROGRAM.to_string(), Language::Chalk);
    let config = db::Db::layer(&db).default_config();
    explain_file(
        &db,
        file,
        &RunOptions::default(),
        config,
        &Selection::All,
        &ExplainLimits::default(),
    )
    .goals
}

#[test]
fn a_failure_is_blamed_on_its_most_specific_leaf() {
    let goals = explained();
    let e = goals[0].explanation.as_ref().unwrap();
    assert_eq!(e.status, Status::Fails);
    assert!(e.agrees, "{:?}", e.disagreement);
    let blame = most_specific_failure(e.tree.as_ref().unwrap()).unwrap();
    // The chain goes field by field down to the prelude's negative impl.
    let leaf = blame.leaf();
    assert_eq!(leaf.kind, NodeKind::Clause);
    assert_eq!(leaf.step.kind, StepKind::NegativeImpl);
    assert_eq!(leaf.step.text, "impl<T> !Send for Rc<T>");
    assert!(matches!(leaf.step.place, Some(Place::Prelude { .. })));
    assert_eq!(blame.head().goal, "Outer: Send");
    let no_lines = |_| None;
    assert_eq!(
        blame.sentence(&no_lines),
        "`Outer: Send` is not met: `Outer` has field `inner: Inner`, and `Inner` has field \
         `shared: Rc<u32>`, and `Rc<u32>: Send` fails because of `impl<T> !Send for Rc<T>` \
         (prelude line 28)"
    );
    // Each field on the way is labelled where it was written.
    let labels = blame.labels();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(labels
        .iter()
        .all(|(span, _)| PROGRAM[span.range()].starts_with("inner")
            || PROGRAM[span.range()].starts_with("shared")));
}

#[test]
fn a_success_shows_one_derivation_and_has_no_blame() {
    let goals = explained();
    let e = goals[1].explanation.as_ref().unwrap();
    assert_eq!(e.status, Status::Holds);
    assert!(e.agrees);
    let tree = e.tree.as_ref().unwrap();
    assert!(most_specific_failure(tree).is_none());
    // `Sized` is one of chalk's builtin rules.
    assert!(
        tree.children
            .iter()
            .any(|c| c.step.kind == StepKind::Builtin),
        "{tree:#?}"
    );
}

#[test]
fn limits_cut_the_tree_with_a_marker() {
    let db = Database::default();
    let file = SourceFile::new(&db, PROGRAM.to_string(), Language::Chalk);
    let config = db::Db::layer(&db).default_config();
    let limits = ExplainLimits {
        max_depth: 2,
        ..ExplainLimits::default()
    };
    let goals = explain_file(
        &db,
        file,
        &RunOptions::default(),
        config,
        &Selection::Goals(vec![0]),
        &limits,
    )
    .goals;
    let e = goals[0].explanation.as_ref().unwrap();
    assert!(e.cut);
    let cut = e
        .tree
        .as_ref()
        .unwrap()
        .walk()
        .into_iter()
        .find(|n| n.cut.is_some())
        .unwrap();
    assert_eq!(cut.cut.unwrap().word(), "depth");
    // Cut nodes still carry chalk's answer, and the tree still agrees.
    assert_ne!(cut.status, Status::Limit);
    assert!(e.agrees);
}
