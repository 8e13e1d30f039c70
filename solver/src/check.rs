//! Checks a lowered program before any goal runs, as chalk's
//! `checked_program` does: overlap and orphan coherence for every trait and
//! local impl, then well-formedness of every ADT, opaque type and impl.
//!
//! As in chalk's harness, the checks always use the SLG solver with max size
//! 10, whatever solver the goals use. Unlike chalk, every failure is reported
//! (not just the first), each as a diagnostic pointing at the item.

use std::sync::Arc;
use std::time::Instant;

use chalk_ir::cast::Cast;
use chalk_ir::fold::shift::Shift;
use chalk_ir::{
    EqGoal, Goal, GoalData, ImplId, ProgramClause, ProgramClauses, QuantifierKind, TraitId,
};
use chalk_solve::coherence::{CoherenceError, CoherenceSolver};
use chalk_solve::ext::GoalExt;
use chalk_solve::rust_ir::ImplDatum;
use chalk_solve::wf::WfSolver;
use chalk_solve::RustIrDatabase;
use chalk_solve::Solver;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::Span;
use chalkboard_syntax::Diagnostic;

use crate::solve::{guarded, Limits};

fn check_solver() -> Box<dyn Solver<Ir>> {
    Box::new(chalk_engine::solve::SLGSolver::<Ir>::new(10, None))
}

/// Runs every check; returns the diagnostics (empty when the program is fine).
pub fn check_program(program: &Arc<Program>, limits: &Limits) -> Vec<Diagnostic> {
    let deadline = Instant::now() + limits.timeout * 4;
    let shared = Arc::clone(program);
    let result = guarded(deadline, move || {
        chalkboard_lowering::with_program(&shared, || run_checks(&shared))
    });
    // A failure of the whole check phase points at the start of the file.
    let whole_span = Span::new(0, 0);
    match result {
        Some(Ok(diagnostics)) => diagnostics,
        Some(Err(msg)) => vec![Diagnostic::error(
            crate::codes::INTERNAL_ERROR,
            format!("chalk panicked while checking the program: {msg}"),
            whole_span,
        )
        .with_label("while checking coherence and well-formedness of this program")
        .with_note("this is a bug in chalk or chalkboard, not in your program")],
        None => vec![Diagnostic::error(
            crate::codes::CHECK_TIMEOUT,
            "checking coherence and well-formedness did not finish before the deadline",
            whole_span,
        )
        .with_help("raise `--timeout`, or look for impls that recurse without bound")],
    }
}

fn run_checks(program: &Program) -> Vec<Diagnostic> {
    let db: &Program = program;
    let mut diagnostics = Vec::new();

    // Rule [`coherence-overlap`](crate::rules::COHERENCE_OVERLAP): one
    // coherence solver per trait, in trait order.
    for trait_id in program.trait_ids() {
        let coherence = CoherenceSolver::new(db, &check_solver, trait_id);
        if let Err(err) = coherence.specialization_priorities() {
            let chalk_message = err.to_string();
            let trait_name = db.trait_name(trait_id);
            let mut d = match err {
                CoherenceError::OverlappingImpls(_) => Diagnostic::error(
                    crate::codes::OVERLAPPING_IMPLS,
                    format!("overlapping impls of trait `{trait_name}`"),
                    program.trait_span(trait_id).unwrap_or_default(),
                )
                .with_label(format!("some type implements `{trait_name}` more than once"))
                .with_help("make the impls disjoint, for example with more specific self types or where clauses"),
                CoherenceError::FailedOrphanCheck(_) => Diagnostic::error(
                    crate::codes::ORPHAN_IMPL,
                    format!("an impl of trait `{trait_name}` violates the orphan rules"),
                    program.trait_span(trait_id).unwrap_or_default(),
                ),
            };
            match overlapping_pair(program, trait_id) {
                Some((first, second)) if d.code == crate::codes::OVERLAPPING_IMPLS => {
                    d.primary.span = impl_span(program, second);
                    d.primary.message = "this impl overlaps an earlier one".into();
                    d = d
                        .with_secondary(impl_span(program, first), "the earlier impl")
                        .with_secondary(
                            program.trait_span(trait_id).unwrap_or_default(),
                            format!("the trait `{trait_name}`"),
                        )
                        .with_note(
                            "some type (in this program or in a compatible future one) would \
                             match both impls, with their where clauses holding",
                        );
                }
                _ => {
                    for impl_id in impls_of_trait(program, trait_id) {
                        d = d.with_secondary(impl_span(program, impl_id), "an impl of this trait");
                    }
                }
            }
            d.chalk_message = Some(chalk_message);
            diagnostics.push(d);
        }
    }

    // Rule [`coherence-orphan`](crate::rules::COHERENCE_ORPHAN): one check
    // per local impl.
    for impl_id in program
        .impl_ids()
        .filter(|(_, local)| *local)
        .map(|(id, _)| id)
    {
        let mut solver = check_solver();
        if let Err(err) =
            chalk_solve::coherence::orphan::perform_orphan_check(db, &mut *solver, impl_id)
        {
            let trait_name = db.trait_name(db.impl_datum(impl_id).trait_id());
            let mut d = Diagnostic::error(
                crate::codes::ORPHAN_IMPL,
                format!("this impl of `{trait_name}` violates the orphan rules"),
                impl_span(program, impl_id),
            )
            .with_label("neither the trait nor any type in this impl is local")
            .with_help(
                "implement a local trait, or implement the trait for a local type \
                 (a type not marked `#[upstream]`)",
            );
            d.chalk_message = Some(err.to_string());
            diagnostics.push(d);
        }
    }

    // Well-formedness of every declaration: rules
    // [`wf-adt`](crate::rules::WF_ADT), [`wf-opaque`](crate::rules::WF_OPAQUE)
    // and [`wf-impl`](crate::rules::WF_IMPL).
    let wf = WfSolver::new(db, &check_solver);
    for adt_id in program.adt_ids() {
        // Generated items (a body's future structs) are well-formed by
        // construction, and their where clauses would only trip chalk's
        // panicking paths.
        if program.generated_by(adt_id.0).is_some() {
            continue;
        }
        let span = program.adt_span(adt_id).unwrap_or_default();
        let Some(result) = unchecked_if_panics(
            || wf.verify_adt_decl(adt_id),
            format!("type `{}`", db.adt_name(adt_id)),
            crate::assoc_bounds::adt_panic_note(program, adt_id),
            span,
            &mut diagnostics,
        ) else {
            continue;
        };
        if let Err(err) = result {
            let name = db.adt_name(adt_id);
            let mut d = Diagnostic::error(
                crate::codes::ILL_FORMED_TYPE,
                format!("type `{name}` is not well-formed"),
                program.adt_span(adt_id).unwrap_or_default(),
            )
            .with_label("a field type's bounds are not implied by this type's where clauses")
            .with_help("add the missing bounds as where clauses on the type");
            d.chalk_message = Some(err.to_string());
            diagnostics.push(d);
        }
    }
    for opaque_id in program.opaque_ids() {
        if let Err(err) = wf.verify_opaque_ty_decl(opaque_id) {
            let mut d = Diagnostic::error(
                crate::codes::ILL_FORMED_OPAQUE_TYPE,
                "the hidden type does not satisfy the opaque type's bounds",
                program.opaque_span(opaque_id).unwrap_or_default(),
            )
            .with_help("implement the bounds for the hidden type, or change the bounds");
            d.chalk_message = Some(err.to_string());
            diagnostics.push(d);
        }
    }
    for impl_id in program.impl_ids().map(|(id, _)| id) {
        if program.generated_by(impl_id.0).is_some() {
            continue;
        }
        let Some(result) = unchecked_if_panics(
            || wf.verify_trait_impl(impl_id),
            format!(
                "this impl of `{}`",
                db.trait_name(db.impl_datum(impl_id).trait_id())
            ),
            crate::assoc_bounds::impl_panic_note(program, impl_id),
            impl_span(program, impl_id),
            &mut diagnostics,
        ) else {
            // Rule `assoc-value-bounds`: what chalk's panicking check would
            // have checked of the impl, checked without it.
            let span = impl_span(program, impl_id);
            diagnostics.extend(crate::assoc_bounds::check_impl(program, impl_id, span));
            continue;
        };
        if let Err(err) = result {
            let trait_name = db.trait_name(db.impl_datum(impl_id).trait_id());
            let unmet = unmet_trait_bounds(program, impl_id);
            let mut d = Diagnostic::error(
                crate::codes::ILL_FORMED_IMPL,
                format!("this impl of `{trait_name}` is not well-formed"),
                impl_span(program, impl_id),
            )
            .with_label("the trait's where clauses or an associated type's bounds are not met")
            .with_help(
                "add the missing where clauses to the impl, or make the associated type values \
                 satisfy the bounds the trait declares",
            );
            if !unmet.is_empty() {
                d.primary.message = format!("`{}` does not hold here", unmet.join("`, `"));
                d.help = Some(format!(
                    "add `where {}` to the impl, or implement what is missing",
                    unmet.join(", ")
                ));
                if let Some(span) = program.trait_span(db.impl_datum(impl_id).trait_id()) {
                    d = d.with_secondary(span, format!("`{trait_name}` requires it"));
                }
            }
            d.chalk_message = Some(err.to_string());
            diagnostics.push(d);
        }
    }
    // Report in source order, as the parser and lowering do; within one item
    // the phases keep their order (coherence, orphan rules, well-formedness).
    diagnostics.sort_by_key(|d| d.primary.span.start);
    diagnostics
}

/// Runs one well-formedness check, catching a panic of chalk's. chalk 0.104
/// panics (an `unwrap` in `wf.rs`'s `InputTypeCollector`) on a where clause
/// `forall<'a> { Ty: Trait }` whose type mentions `'a`, which is what return
/// type notation lowers to, and on any `dyn` type in an associated type
/// value; rejecting every such item would make those unusable, so the item
/// is reported as unchecked (a warning whose `note` says which case it was,
/// see [`crate::assoc_bounds`]) and the program still runs.
fn unchecked_if_panics<R>(
    check: impl FnOnce() -> R,
    what: String,
    note: String,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<R> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(result) => Some(result),
        Err(_) => {
            let mut d = Diagnostic::error(
                crate::codes::UNCHECKED_WELL_FORMEDNESS,
                format!("chalk could not check that {what} is well-formed"),
                span,
            )
            .with_label("chalk's well-formedness check skipped")
            .with_note(note)
            .with_help("the program still runs; check the rest of this item's bounds by hand");
            d.severity = chalkboard_syntax::Severity::Warning;
            diagnostics.push(d);
            None
        }
    }
}

/// The trait's where clauses that an impl does not meet, printed with the
/// impl's own types: each is checked as `forall<impl params> { if (impl's
/// where clauses) { clause } }`.
pub(crate) fn unmet_trait_bounds(program: &Program, impl_id: ImplId<Ir>) -> Vec<String> {
    let impl_datum = program.impl_datum(impl_id);
    let trait_datum = program.trait_datum(impl_datum.trait_id());
    let (kinds, bound) = impl_datum.binders.as_ref().into();
    let required = trait_datum
        .binders
        .map_ref(|b| b.where_clauses.clone())
        .substitute(Ir, &bound.trait_ref.substitution);
    let assumptions = ProgramClauses::from_iter(
        Ir,
        bound
            .where_clauses
            .iter()
            .map(|wc| wc.clone().cast::<ProgramClause<Ir>>(Ir)),
    );
    let mut unmet = Vec::new();
    for clause in required {
        let goal = GoalData::Implies(assumptions.clone(), clause.clone().cast::<Goal<Ir>>(Ir))
            .intern(Ir)
            .quantify(Ir, QuantifierKind::ForAll, kinds.clone());
        let mut solver = check_solver();
        let answer = solver.solve(program, &goal.into_closed_goal(Ir));
        if !matches!(answer, Some(chalk_solve::Solution::Unique(_))) {
            let text = describe_where_clause(program, &clause);
            // chalk prints the impl's own parameters as bound variables
            // (`^0.0`), which would only confuse; such a bound is left to
            // the generic wording.
            if text.contains('^') {
                return Vec::new();
            }
            unmet.push(text);
        }
    }
    unmet
}

/// A where clause as the user would write it, e.g. `Key: Eq`.
fn describe_where_clause(
    program: &Program,
    clause: &chalk_ir::QuantifiedWhereClause<Ir>,
) -> String {
    match clause.skip_binders() {
        chalk_ir::WhereClause::Implemented(trait_ref) => {
            let rest: Vec<String> = trait_ref
                .substitution
                .iter(Ir)
                .skip(1)
                .map(|arg| format!("{arg:?}"))
                .collect();
            let args = if rest.is_empty() {
                String::new()
            } else {
                format!("<{}>", rest.join(", "))
            };
            format!(
                "{:?}: {}{args}",
                trait_ref.self_type_parameter(Ir),
                program.trait_name(trait_ref.trait_id)
            )
        }
        other => format!("{other:?}"),
    }
}

/// Finds two impls of `trait_id` that overlap, asking the solver for each
/// pair whether, in every compatible world, no type matches both impls'
/// trait references with both impls' where clauses holding. An answer other
/// than a unique "yes, they are disjoint" means the pair overlaps; the first
/// such pair, in source order, is the one reported.
fn overlapping_pair(program: &Program, trait_id: TraitId<Ir>) -> Option<(ImplId<Ir>, ImplId<Ir>)> {
    let impls = program.local_impls_to_coherence_check(trait_id);
    for (i, &first) in impls.iter().enumerate() {
        for &second in &impls[i + 1..] {
            let (a, b) = (program.impl_datum(first), program.impl_datum(second));
            // Two negative impls never conflict.
            if !a.is_positive() && !b.is_positive() {
                continue;
            }
            // Overlapping impls are fine when one specializes the other
            // (exactly one way round), as in chalk's own check.
            if !disjoint(program, &a, &b)
                && specializes(program, &a, &b) == specializes(program, &b, &a)
            {
                return Some((first, second));
            }
        }
    }
    None
}

fn disjoint(program: &Program, a: &ImplDatum<Ir>, b: &ImplDatum<Ir>) -> bool {
    let (a_kinds, a_bound) = a.binders.as_ref().into();
    let (b_kinds, b_bound) = b.binders.as_ref().into();
    // The goal is `exists<A..> { exists<B..> { .. } }`: the variables of `a`
    // sit inside those of `b`, so `b`'s are shifted in by one binder level.
    let equal_params = a_bound
        .trait_ref
        .substitution
        .iter(Ir)
        .zip(b_bound.trait_ref.substitution.iter(Ir))
        .map(|(x, y)| {
            GoalData::EqGoal(EqGoal {
                a: x.clone(),
                b: y.clone().shifted_in(Ir),
            })
            .intern(Ir)
        });
    let where_clauses = a_bound
        .where_clauses
        .iter()
        .cloned()
        .chain(
            b_bound
                .where_clauses
                .iter()
                .map(|wc| wc.clone().shifted_in(Ir)),
        )
        .map(|wc| wc.cast::<Goal<Ir>>(Ir));
    let both_apply = Goal::all(Ir, equal_params.chain(where_clauses))
        .quantify(Ir, QuantifierKind::Exists, a_kinds)
        .quantify(Ir, QuantifierKind::Exists, b_kinds);
    let never_both = both_apply.compatible(Ir).negate(Ir);
    let mut solver = check_solver();
    let answer = solver.solve(program, &never_both.into_closed_goal(Ir));
    matches!(answer, Some(chalk_solve::Solution::Unique(_)))
}

/// Whether `more` specializes `less`: for all of `more`'s parameters, if
/// `more`'s where clauses hold then `less` applies to the same trait
/// reference.
fn specializes(program: &Program, more: &ImplDatum<Ir>, less: &ImplDatum<Ir>) -> bool {
    let (more_kinds, more_bound) = more.binders.as_ref().into();
    let (less_kinds, less_bound) = less.binders.as_ref().into();
    // Inside `exists<less..>`, `more`'s variables are one binder further out.
    let equal_params = more_bound
        .trait_ref
        .substitution
        .iter(Ir)
        .zip(less_bound.trait_ref.substitution.iter(Ir))
        .map(|(x, y)| {
            GoalData::EqGoal(EqGoal {
                a: x.clone().shifted_in(Ir),
                b: y.clone(),
            })
            .intern(Ir)
        });
    let less_holds = Goal::all(
        Ir,
        equal_params.chain(
            less_bound
                .where_clauses
                .iter()
                .map(|wc| wc.clone().cast::<Goal<Ir>>(Ir)),
        ),
    )
    .quantify(Ir, QuantifierKind::Exists, less_kinds);
    let assumptions = ProgramClauses::from_iter(
        Ir,
        more_bound
            .where_clauses
            .iter()
            .map(|wc| wc.clone().cast::<ProgramClause<Ir>>(Ir)),
    );
    let goal = GoalData::Implies(assumptions, less_holds)
        .intern(Ir)
        .quantify(Ir, QuantifierKind::ForAll, more_kinds);
    let mut solver = check_solver();
    let answer = solver.solve(program, &goal.into_closed_goal(Ir));
    matches!(answer, Some(chalk_solve::Solution::Unique(_)))
}

fn impls_of_trait(program: &Program, trait_id: TraitId<Ir>) -> Vec<ImplId<Ir>> {
    program
        .impl_ids()
        .map(|(id, _)| id)
        .filter(|&id| program.impl_datum(id).trait_id() == trait_id)
        .collect()
}

fn impl_span(program: &Program, impl_id: ImplId<Ir>) -> Span {
    program
        .impl_source(impl_id)
        .map(|s| s.header)
        .unwrap_or_default()
}
