//! Rust's rules in the solver: the region decision behind each goal's
//! verdict, stratified negation, and peeling that matches chalk's.

use chalk_solve::ext::GoalExt;
use chalkboard_lowering::interner::Ir;
use chalkboard_solver::{run_source, FileReport, RunOptions};

fn run(text: &str) -> std::sync::Arc<FileReport> {
    run_source(text, &RunOptions::default())
}

/// Each goal's verdict as `word: reason`.
fn verdicts(text: &str) -> Vec<String> {
    let report = run(text);
    assert!(!report.rejected, "{:#?}", report.diagnostics);
    report
        .goals
        .iter()
        .map(|g| format!("{}: {}", g.verdict.word(), g.verdict.reason()))
        .collect()
}

#[test]
fn lifetime_constraints_are_decided_from_the_environment() {
    let v = verdicts(
        "use prelude::*;
         trait StaticCheck where Self: 'static { }
         goal { forall<H> { if (H: Send) { H: 'static } } }
         goal { forall<H> { if (H: StaticCheck) { H: 'static } } }
         goal { forall<'a, 'b, 'c, T> { if (T: 'a; 'a: 'b; 'b: 'c) { T: 'c } } }
         goal { forall<'a, 'b, T> { if (T: 'b; 'a: 'b) { T: 'a } } }
         goal { forall<'a, T> { if (FromEnv(&'a Vec<T>)) { T: 'a } } }
         goal { forall<'a> { Vec<&'a u32>: 'static } }
         goal { forall<'a> { Vec<&'static u32>: 'a } }
         goal { exists<'x> { forall<'a> { &'x u32: 'a } } }",
    );
    assert_eq!(
        v,
        vec![
            "fails: `H: 'static` cannot be proven",
            "holds: the lifetime constraints of one of chalk's answers hold: `H: 'static`",
            "holds: the lifetime constraints of one of chalk's answers hold: `T: 'c`",
            "fails: `T: 'a` cannot be proven",
            "holds: the lifetime constraints hold: `T: 'a`",
            "fails: `'a: 'static` cannot be proven (required by `Vec<&'a u32>: 'static`)",
            "holds: the lifetime constraints hold: `Vec<&'static u32>: 'a`",
            "holds: the lifetime constraints hold: `&'_ u32: 'a`",
        ]
    );
}

#[test]
fn chalks_plain_answers_read_as_their_verdicts() {
    let report = run("struct S { } trait Tr { } impl Tr for S { }
         goal { S: Tr } goal { u32: Tr } goal { exists<T> { T: Tr } }");
    let words: Vec<(&str, bool)> = report
        .goals
        .iter()
        .map(|g| (g.verdict.word(), g.verdict.beyond_answer))
        .collect();
    assert_eq!(
        words,
        vec![("holds", false), ("fails", false), ("holds", false)]
    );
}

#[test]
fn negative_cycles_are_reported_before_solving() {
    let cycle = run("trait P { } trait Q { } struct S { }
         forall<> { S: P if not { S: Q } }
         impl Q for S where S: P { }
         goal { S: P }");
    assert!(cycle.rejected);
    let codes: Vec<&str> = cycle.diagnostics.iter().map(|d| d.code.name).collect();
    assert_eq!(codes, vec!["negative-cycle"]);
    assert_eq!(cycle.diagnostics[0].secondary.len(), 1, "the impl is named");

    // Through the well-formedness of a type whose where clause uses `P`.
    let through_wf = run("trait P { } struct S { } struct Wrap<T> where T: P { }
         forall<> { S: P if not { WellFormed(Wrap<S>) } }");
    assert!(through_wf.rejected);

    // Stratified negation is fine.
    let stratified = run("trait P { } trait Q { } struct S { }
         forall<> { S: P if not { S: Q } }
         goal { S: P } yields { \"Unique\" }");
    assert!(stratified.all_hold(), "{:#?}", stratified.diagnostics);

    // Hypotheses that close a cycle are the goal's error.
    let in_goal = run("trait P { } struct S { }
         goal { if (S: P :- not { S: P }) { S: P } }
         goal { u32: P } yields { \"No possible solution\" }");
    assert!(!in_goal.rejected);
    let error = in_goal.goals[0].error.as_ref().expect("the goal's error");
    assert_eq!(error.code.name, "negative-cycle");
    assert_eq!(in_goal.goals[0].verdict.word(), "fails");
    assert!(in_goal.goals[1].error.is_none());
}

/// Peeling keeps chalk's canonical goal exactly: every goal of chalk's own
/// corpus peels to what `into_peeled_goal` gives.
#[test]
fn peeling_is_chalks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../programs/chalk");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let (tree, _) = chalkboard_syntax::parse_file(&text);
        let desugared = chalkboard_lowering::desugar::desugar(&tree);
        let (Some(program), _) = chalkboard_lowering::lower::lower_file(&desugared.file) else {
            continue;
        };
        for block in &desugared.file.goals {
            chalkboard_lowering::with_program(&program, || {
                let Ok(goal) = program.lower_goal(&block.goal) else {
                    return;
                };
                let ours = chalkboard_solver::peel::peel(goal.clone(), &block.goal);
                assert_eq!(ours.goal, goal.into_peeled_goal(Ir), "{}", block.text);
                checked += 1;
            });
        }
    }
    assert!(checked > 50, "only {checked} goals checked");
}
