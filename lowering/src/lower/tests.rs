//! Lowering and solving small programs end to end.

use std::sync::Arc;

use chalk_solve::ext::GoalExt;
use chalk_solve::Solver;

use super::lower_file;
use crate::interner::Ir;
use crate::program::with_program;
use crate::program::Program;
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::{parse_file, parse_goal};

fn lower(text: &str) -> (Option<Arc<Program>>, Vec<Diagnostic>) {
    let (file, parse_diags) = parse_file(text);
    assert!(parse_diags.is_empty(), "parse errors: {parse_diags:?}");
    lower_file(&file)
}

fn program(text: &str) -> Arc<Program> {
    let (p, diags) = lower(text);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:?}");
    p.expect("a program when there are no diagnostics")
}

fn errors(text: &str) -> Vec<Diagnostic> {
    let (p, diags) = lower(text);
    assert!(p.is_none(), "a program with errors must not be returned");
    assert!(!diags.is_empty());
    diags
}

/// Solves `goal` with SLG(10) and the recursive solver, checks that they
/// agree and returns the answer as chalk's tests print it.
fn solve(program: &Arc<Program>, goal: &str) -> String {
    let (goal, diags) = parse_goal(goal);
    assert!(diags.is_empty(), "{diags:?}");
    let goal = program
        .lower_goal(&goal.expect("a goal"))
        .expect("the goal lowers");
    with_program(program, || {
        let peeled = goal.into_peeled_goal(Ir);
        let show = |s: Option<chalk_solve::Solution<Ir>>| match s {
            Some(s) => s.display(Ir).to_string(),
            None => "No possible solution".to_string(),
        };
        let slg = show(chalk_engine::solve::SLGSolver::new(10, None).solve(&**program, &peeled));
        let rec = show(
            chalk_recursive::RecursiveSolver::new(100, 30, Some(chalk_recursive::Cache::new()))
                .solve(&**program, &peeled),
        );
        assert_eq!(slg, rec, "the solvers disagree");
        slg
    })
}

#[test]
fn solves_with_a_substitution() {
    let p = program("trait Foo { } struct S { } impl Foo for u32 { }");
    assert_eq!(
        solve(&p, "exists<T> { T: Foo }"),
        "Unique; substitution [?0 := Uint(U32)]"
    );
    assert_eq!(solve(&p, "S: Foo"), "No possible solution");
}

#[test]
fn adts_print_by_name_and_projections_normalize() {
    let p = program(
        "struct Vec<T> { } trait Iterator { type Item; }
         impl<T> Iterator for Vec<T> { type Item = T; }",
    );
    assert_eq!(
        solve(
            &p,
            "exists<U> { Normalize(<Vec<u32> as Iterator>::Item -> U) }"
        ),
        "Unique; substitution [?0 := Uint(U32)]"
    );
    assert_eq!(
        solve(&p, "exists<T> { T = Vec<i8> }"),
        "Unique; substitution [?0 := Vec<Int(I8)>]"
    );
    // `T: Tr<A = U>` lowers to AliasEq plus Implemented.
    assert_eq!(solve(&p, "Vec<bool>: Iterator<Item = bool>"), "Unique");
    assert_eq!(
        solve(&p, "Vec<bool>: Iterator<Item = u8>"),
        "No possible solution"
    );
}

#[test]
fn implication_hypotheses_are_from_env() {
    let p = program("trait Foo { } trait Bar where Self: Foo { }");
    assert_eq!(solve(&p, "forall<T> { if (T: Bar) { T: Foo } }"), "Unique");
    assert_eq!(solve(&p, "forall<T> { T: Foo }"), "No possible solution");
}

#[test]
fn auto_traits_and_negative_impls() {
    let p = program(
        "#[auto] trait Send { } struct Rc<T> { } struct Box<T> { t: T }
         impl<T> !Send for Rc<T> { }",
    );
    assert_eq!(solve(&p, "Box<u32>: Send"), "Unique");
    assert_eq!(solve(&p, "Box<Rc<u32>>: Send"), "No possible solution");
}

#[test]
fn custom_clauses_hold() {
    let p = program("struct A { } trait Foo { } forall<T> { T: Foo if T = A }");
    assert_eq!(solve(&p, "A: Foo"), "Unique");
    assert_eq!(solve(&p, "u32: Foo"), "No possible solution");
}

#[test]
fn debug_output_uses_names() {
    let p = program("struct S<T> { } trait Tr<U> { type Out<'a>; }");
    let (goal, _) =
        parse_goal("forall<'a> { exists<X> { Normalize(<S<u8> as Tr<bool>>::Out<'a> -> X) } }");
    let goal = p.lower_goal(&goal.expect("a goal")).expect("lowers");
    let text = with_program(&p, || format!("{goal:?}"));
    assert!(
        text.contains("<S<Uint(U8)> as Tr<Bool>>::Out<'^1.0>"),
        "{text}"
    );
}

#[test]
fn accessors_report_items_in_source_order() {
    let p =
        program("trait Foo { } struct A { } #[upstream] impl Foo for A { } impl Foo for u8 { }");
    let impls: Vec<bool> = p.impl_ids().map(|(_, local)| local).collect();
    assert_eq!(impls, vec![false, true]);
    assert_eq!(p.trait_ids().count(), 1);
    let a = p.adt_id_by_name("A").expect("A exists");
    assert_eq!(p.item_name(a.0), Some("A"));
}

fn codes_and_chalk(diags: &[Diagnostic]) -> Vec<(&'static str, String)> {
    diags
        .iter()
        .map(|d| (d.code.name, d.chalk_message.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn not_a_trait_keeps_chalks_text() {
    let d = errors("struct Foo { } trait Bar { } impl Foo for Bar { }");
    assert_eq!(
        codes_and_chalk(&d),
        vec![(
            "not-a-trait",
            "expected a trait, found `Foo`, which is not a trait".to_string()
        )]
    );
    assert!(d[0].help.is_some());
}

#[test]
fn every_bad_item_is_reported() {
    let d = errors(
        "trait Bar { }
         impl Bar for X { }
         trait Foo<T, T> { }
         #[auto] trait Send<T> { }",
    );
    let got = codes_and_chalk(&d);
    assert_eq!(
        got,
        vec![
            ("unknown-type", "invalid parameter name `X`".to_string()),
            (
                "duplicate-parameter",
                "duplicate or shadowed parameters".to_string()
            ),
            (
                "auto-trait-with-params",
                "auto trait `Send` cannot have parameters".to_string()
            ),
        ]
    );
}

#[test]
fn kind_and_arity_errors() {
    let d = errors("struct Foo<'a> { } struct My { } trait Bar { } impl Bar for Foo<My> { }");
    assert_eq!(
        d[0].chalk_message.as_deref(),
        Some("incorrect parameter kind for `Foo`: expected lifetime, found type")
    );
    let d = errors("trait Length<const N> { } struct Foo { } impl<'a> Length<'a> for Foo { }");
    assert_eq!(
        d[0].chalk_message.as_deref(),
        Some("incorrect parameter kind for trait `Length`: expected const, found lifetime")
    );
    let d = errors("struct Foo<T> { } trait Bar { } impl Bar for Foo { }");
    assert_eq!(d[0].code, "wrong-arity");
    assert_eq!(
        d[0].chalk_message.as_deref(),
        Some("`Foo` takes 1 type parameters, not 0")
    );
}

#[test]
fn negative_impls_and_auto_traits_are_checked() {
    let d = errors("trait Foo { type Item; } struct S { } impl !Foo for S { type Item = u32; }");
    assert_eq!(d[0].code, "negative-impl-with-assoc-values");
    let d = errors("#[auto] trait Foo { type Item; }");
    assert_eq!(
        d[0].chalk_message.as_deref(),
        Some("auto trait `Foo` cannot define associated types")
    );
    let d = errors("trait Sized { } #[auto] trait Foo where Self: Sized { }");
    assert_eq!(d[0].code, "auto-trait-with-where-clauses");
}

#[test]
fn self_outside_a_trait_and_unknown_assoc_types() {
    let d = errors("struct S { f: Self }");
    assert_eq!(d[0].code, "self-outside-trait");
    let d = errors("trait Tr { } struct S { } impl Tr for S { type Missing = u32; }");
    assert_eq!(d[0].code, "unknown-assoc-type");
}

#[test]
fn errors_point_at_the_source() {
    let text = "trait Bar { } impl Bar for Nope { }";
    let d = errors(text);
    assert_eq!(&text[d[0].primary.span.range()], "Nope");
}

#[test]
fn bad_goals_are_diagnosed() {
    let p = program("trait Foo { }");
    let (goal, _) = parse_goal("Nope: Foo");
    let d = p
        .lower_goal(&goal.expect("parses"))
        .expect_err("unknown type");
    assert_eq!(d.code, "unknown-type");
}

#[test]
fn duplicate_items_are_reported() {
    let d = errors("struct A { } struct A { }");
    assert_eq!(d[0].code, "duplicate-item");
    assert_eq!(d[0].secondary.len(), 1);
}
