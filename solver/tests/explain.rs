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

/// The explanations of the goals of a program, with the default limits.
fn explained_program(program: &str) -> Vec<chalkboard_solver::explain::file::GoalExplanation> {
    let db = Database::default();
    let file = SourceFile::new(&db, program.to_string(), Language::Chalk);
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

/// A projection whose self type is itself a projection is normalized self
/// type first (`<?0 as Future>::Output = bool, <X as Trait>::Assoc = ?0`).
/// Alone, the first part fails while `?0` is open; chalk's SLG solver never
/// asks it that way: it tries the second part first and the first under
/// each of its answers. The tree does the same.
#[test]
fn a_projection_of_a_projection_is_explained_answer_by_answer() {
    let goals = explained_program(
        r#"
use prelude::*;
trait HealthCheck { type CheckFut<'a>: Future<Output = bool> + Send; }
struct StaticCheck { }
impl HealthCheck for StaticCheck {
    type CheckFut<'a> = Pin<Box<dyn Future<Output = bool> + Send + 'static>>;
}
goal { forall<'a> { <StaticCheck as HealthCheck>::CheckFut<'a>: Future<Output = bool> } } holds
"#,
    );
    let e = goals[0].explanation.as_ref().unwrap();
    assert_eq!(e.status, Status::Holds);
    assert!(e.agrees, "{:?}", e.disagreement);
    let tree = e.tree.as_ref().unwrap();
    let nodes = tree.walk();
    // The clause that normalizes the self type first is ambiguous with its
    // own variable open, and proves the goal answer by answer.
    let clause = nodes
        .iter()
        .find(|n| n.kind == NodeKind::Clause && n.step.text.contains("self type first"))
        .expect("the clause that normalizes the self type first");
    assert_eq!(clause.status, Status::Ambiguous);
    assert!(clause.consistent);
    assert!(clause
        .note
        .as_deref()
        .unwrap()
        .contains("own variables are open"));
    let cases: Vec<_> = clause
        .children
        .iter()
        .filter(|c| c.kind == NodeKind::Case)
        .collect();
    assert_eq!(cases.len(), 2, "{clause:#?}");
    assert!(cases.iter().all(|c| c.status == Status::Holds));
    // The impl's value goes on through `impl<F> Future for Pin<Box<F>>`.
    let boxed = cases
        .iter()
        .find(|c| c.step.text.contains("Pin<Box<dyn"))
        .unwrap();
    assert!(boxed
        .walk()
        .iter()
        .any(|n| n.step.chalk_rule == Some("Normalize-From-Impl")
            && n.step.text.contains("impl<F> Future for Pin<Box<F>>")));
    // The opaque form has the bound the associated type declares.
    let opaque = cases
        .iter()
        .find(|c| c.step.chalk_rule == Some("AliasEq-Placeholder"))
        .unwrap();
    assert!(opaque
        .walk()
        .iter()
        .any(|n| n.step.chalk_rule == Some("Implied-WC-From-AssocTy")));
    assert!(!nodes.iter().any(|n| !n.consistent));
}

/// An outlives goal with a hypothesis has two answers that differ only in
/// their lifetime constraints, which chalk calls ambiguous; as a part of a
/// conjunction, chalk's SLG solver takes the first answer (it binds
/// nothing) and the part holds.
#[test]
fn a_part_whose_answers_differ_only_in_lifetime_constraints_holds_as_a_part() {
    let goals = explained_program(
        r#"
use prelude::*;
goal { forall<'a, 'b, T> { if (T: 'a; 'a: 'b) { T: 'b } } } holds
"#,
    );
    let e = goals[0].explanation.as_ref().unwrap();
    // chalk's answer as `run` asks it; the verdict decides the constraints.
    assert_eq!(e.status, Status::Ambiguous);
    assert!(e.agrees, "{:?}", e.disagreement);
    let tree = e.tree.as_ref().unwrap();
    let nodes = tree.walk();
    let by_hypothesis = nodes
        .iter()
        .find(|n| n.kind == NodeKind::Clause && n.step.text == "hypothesis `T: 'a`")
        .expect("the clause of hypothesis `T: 'a`");
    assert_eq!(by_hypothesis.status, Status::Holds);
    assert!(by_hypothesis.consistent);
    // Its conditions (`'a` and `'b` unified) are each ambiguous alone, and
    // hold as parts.
    assert!(!by_hypothesis.children.is_empty());
    for part in &by_hypothesis.children {
        assert_eq!(part.status, Status::Ambiguous, "{part:#?}");
        assert!(part.holds_as_part, "{part:#?}");
    }
    let first = &by_hypothesis.children[0];
    assert_eq!(first.goal, "'a: 'b");
    let note = first.note.as_deref().unwrap();
    assert!(
        note.contains(
            "2 answers that differ only in the lifetime constraints they leave (`'a: 'b`; none)"
        ),
        "{note}"
    );
    assert!(!nodes.iter().any(|n| !n.consistent));
}

/// chalk's SLG solver tries a clause's conditions from the last, so the
/// conditions of a conditional bound (`(Check::Fut)<T>: Send :- T: Check,
/// T: Send`) are asked before the part that says what `T` is. With `T`
/// open, `T: Send` flounders and `T: Check` is ambiguous (through
/// `Retry<H>`, whose `H: Sized` flounders), and chalk calls the goal
/// ambiguous, though with `T` known (`RcCheck`) `RcCheck: Send` fails. The
/// tree shows the conditions as chalk asks them.
#[test]
fn conditions_chalk_asks_before_their_values_are_known_are_shown_open() {
    let goals = explained_program(
        r#"
use prelude::*;
struct Server;
trait Check { type Fut<'a>: if (Self: Send) { Send }; }
struct Ping { }
struct PingFut<'a> { held: &'a Ping }
impl Check for Ping { type Fut<'a> = PingFut<'a>; }
struct RcCheck { server: Rc<Server> }
struct RcFut<'a> { held: &'a Rc<Server> }
impl Check for RcCheck { type Fut<'a> = RcFut<'a>; }
struct Retry<H> { inner: H }
struct RetryFut<'a, H> { held: &'a H }
impl<H> Check for Retry<H> where H: Check, H: Sized { type Fut<'a> = RetryFut<'a, H>; }
goal { forall<'a> { <RcCheck as Check>::Fut<'a>: Send } } yields { "Ambiguous; no inference guidance" }
"#,
    );
    let e = goals[0].explanation.as_ref().unwrap();
    assert_eq!(e.status, Status::Ambiguous);
    assert!(e.agrees, "{:?}", e.disagreement);
    let tree = e.tree.as_ref().unwrap();
    let nodes = tree.walk();
    assert!(!nodes.iter().any(|n| !n.consistent));
    let clause = nodes
        .iter()
        .find(|n| n.kind == NodeKind::Clause && n.step.text.contains("conditional bound"))
        .expect("the clause of the conditional bound");
    assert_eq!(clause.status, Status::Ambiguous);
    // No condition fails: each is asked with `T` open.
    assert!(clause.children.iter().all(|c| c.status != Status::Fails));
    let open: Vec<_> = clause
        .children
        .iter()
        .filter(|c| c.status == Status::Ambiguous)
        .collect();
    assert_eq!(open.len(), 2, "{clause:#?}");
    for part in open {
        let note = part.note.as_deref().unwrap();
        assert!(
            note.contains("still open") && note.contains("`RcCheck: Send` fails"),
            "{note}"
        );
    }
}
