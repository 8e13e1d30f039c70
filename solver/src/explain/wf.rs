//! Leaf-precise well-formedness diagnostics. chalk's well-formedness check
//! answers yes or no for a whole impl or type; this finds which piece fails
//! and why, down to the most specific leaf.
//!
//! An impl is taken apart into one goal per requirement: each where clause
//! of its trait, and each bound its trait declares on an associated type,
//! for the value the impl gives, under the impl's where clauses:
//!
//! ```text
//! forall<impl params> { if (FromEnv(impl where clauses)) { TraitWhereClause } }
//! forall<impl params, value params> {
//!     if (FromEnv(impl where clauses), FromEnv(assoc where clauses)) { Value: Bound }
//! }
//! ```
//!
//! A type is taken apart into `WellFormed(FieldType)` for each field, under
//! its where clauses. The first piece chalk refutes is explained and its
//! most specific failing leaf named ([`super::blame`]).

use chalk_ir::cast::Cast;
use chalk_ir::{
    AdtId, AliasTy, Binders, DomainGoal, GenericArg, Goal, GoalData, ImplId, ProgramClause,
    ProgramClauses, QuantifierKind, ToGenericArg, TyKind, WellFormed,
};
use chalk_solve::rust_ir::{AssociatedTyDatumBound, IntoWhereClauses};
use chalk_solve::split::Split;
use chalk_solve::RustIrDatabase;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::{Diagnostic, Label};

use super::blame::most_specific_failure;
use super::names::Namer;
use super::{Blame, ExplainLimits, HintTree, SourceMap, Status};

/// A requirement of an item that does not hold, and why.
#[derive(Clone, Debug)]
pub struct Unmet {
    /// The requirement as a reader writes it, e.g.
    /// `<RcCheck as HealthCheck>::check<'a>: Send`.
    pub requirement: String,
    /// The most specific failing leaf of its explanation.
    pub blame: Blame,
    /// Where the requirement was declared (an associated type's bounds),
    /// with a label.
    pub declared_at: Option<(chalkboard_syntax::ast::Span, String)>,
}

/// A where clause's text when it has no binders of its own (a `forall`
/// bound keeps chalk's notation for its own variables).
fn unquantified(wc: &chalk_ir::QuantifiedWhereClause<Ir>) -> chalk_ir::WhereClause<Ir> {
    if wc.binders.is_empty(Ir) {
        wc.clone().substitute(Ir, &[] as &[GenericArg<Ir>])
    } else {
        wc.skip_binders().clone()
    }
}

/// A requirement: its text, its goal, the names of its goal's parameters
/// and where it was declared.
type Requirement = (
    String,
    Goal<Ir>,
    Vec<String>,
    Option<(chalkboard_syntax::ast::Span, String)>,
);

fn hypotheses(
    clauses: impl IntoIterator<Item = chalk_ir::QuantifiedWhereClause<Ir>>,
) -> ProgramClauses<Ir> {
    ProgramClauses::from_iter(
        Ir,
        clauses
            .into_iter()
            .map(|wc| wc.into_from_env_goal(Ir).cast::<ProgramClause<Ir>>(Ir)),
    )
}

/// `forall<kinds> { if (hyps) { goals } }`.
fn quantified(
    kinds: &chalk_ir::VariableKinds<Ir>,
    hyps: ProgramClauses<Ir>,
    goals: Vec<Goal<Ir>>,
) -> Goal<Ir> {
    let body = Goal::all(Ir, goals);
    let body = if hyps.is_empty(Ir) {
        body
    } else {
        GoalData::Implies(hyps, body).intern(Ir)
    };
    if kinds.is_empty(Ir) {
        body
    } else {
        GoalData::Quantified(QuantifierKind::ForAll, Binders::new(kinds.clone(), body)).intern(Ir)
    }
}

/// A requirement's text: `value` under `kinds` printed with `names`.
fn requirement_text<T>(kinds: &chalk_ir::VariableKinds<Ir>, names: &[String], value: T) -> String
where
    T: chalk_ir::fold::TypeFoldable<Ir>
        + chalk_ir::interner::HasInterner<Interner = Ir>
        + Clone
        + std::fmt::Debug,
{
    Namer::default().under_binders(&Binders::new(kinds.clone(), value), names)
}

/// The requirements of an impl, each with its text: `(text, goal, names)`.
fn impl_requirements(program: &Program, impl_id: ImplId<Ir>) -> Vec<Requirement> {
    let db: &dyn RustIrDatabase<Ir> = program;
    let impl_datum = db.impl_datum(impl_id);
    let trait_datum = db.trait_datum(impl_datum.trait_id());
    let impl_kinds = impl_datum.binders.binders.clone();
    let impl_names = program.impl_param_names(impl_id).to_vec();
    let bound = impl_datum.binders.skip_binders();
    let mut out = Vec::new();
    // Each where clause of the trait, for the impl's trait reference.
    let required = trait_datum
        .binders
        .map_ref(|b| b.where_clauses.clone())
        .substitute(Ir, &bound.trait_ref.substitution);
    for wc in required {
        let text = if wc.binders.is_empty(Ir) {
            requirement_text(&impl_kinds, &impl_names, unquantified(&wc))
        } else {
            // A `forall` of the where clause's own (return type notation's
            // `forall<'a> <Self as Trait>::m<'a>: Send`) prints as `for<'a>`.
            Namer::default()
                .under_nested_binders(&Binders::new(impl_kinds.clone(), wc.clone()), &impl_names)
        };
        let goal = quantified(
            &impl_kinds,
            hypotheses(bound.where_clauses.iter().cloned()),
            vec![wc.cast(Ir)],
        );
        out.push((text, goal, impl_names.clone(), None));
    }
    // Each bound of each associated type, for the value the impl gives.
    for &value_id in &impl_datum.associated_ty_value_ids {
        let value = db.associated_ty_value(value_id);
        let kinds = value.value.binders.clone();
        let names = program.assoc_value_param_names(value_id).to_vec();
        let identity: Vec<GenericArg<Ir>> = kinds
            .iter(Ir)
            .enumerate()
            .map(|(i, k)| (i, k).to_generic_arg(Ir))
            .collect();
        let value_ty = value.value.skip_binders().ty.clone();
        let (impl_params, projection) =
            db.impl_parameters_and_projection_from_associated_ty_value(&identity, &value);
        let impl_bound = db
            .impl_datum(value.impl_id)
            .binders
            .clone()
            .substitute(Ir, impl_params);
        let assoc = db.associated_ty_data(projection.associated_ty_id);
        let AssociatedTyDatumBound {
            bounds,
            where_clauses,
        } = assoc
            .binders
            .clone()
            .substitute(Ir, &projection.substitution);
        let projection_ty = TyKind::Alias(AliasTy::Projection(projection.clone())).intern(Ir);
        for b in &bounds {
            for (wc, shown) in b
                .into_where_clauses(Ir, value_ty.clone())
                .into_iter()
                .zip(b.into_where_clauses(Ir, projection_ty.clone()))
            {
                let text = requirement_text(&kinds, &names, unquantified(&shown));
                let hyps = hypotheses(
                    impl_bound
                        .where_clauses
                        .iter()
                        .cloned()
                        .chain(where_clauses.iter().cloned()),
                );
                let goal = quantified(&kinds, hyps, vec![wc.cast(Ir)]);
                let declared = program
                    .assoc_ty_span(projection.associated_ty_id)
                    .map(|span| {
                        (
                            span,
                            format!("`{}` requires it", db.trait_name(assoc.trait_id)),
                        )
                    });
                out.push((text, goal, names.clone(), declared));
            }
        }
    }
    out
}

/// The first requirement of an impl that chalk refutes, explained to its
/// leaf. Runs on the calling thread, which must run guarded with the
/// program installed (as the checks do).
pub fn unmet_impl_requirement(
    program: &Program,
    source: &SourceMap,
    impl_id: ImplId<Ir>,
    limits: &ExplainLimits,
) -> Option<Unmet> {
    first_unmet(program, source, impl_requirements(program, impl_id), limits)
}

/// The first field of a type whose well-formedness chalk refutes under the
/// type's where clauses, explained to its leaf.
pub fn unmet_type_requirement(
    program: &Program,
    source: &SourceMap,
    adt_id: AdtId<Ir>,
    limits: &ExplainLimits,
) -> Option<Unmet> {
    let db: &dyn RustIrDatabase<Ir> = program;
    let datum = db.adt_datum(adt_id);
    let kinds = datum.binders.binders.clone();
    let names = program.adt_param_names(adt_id).to_vec();
    let bound = datum.binders.skip_binders();
    let requirement = |wc: DomainGoal<Ir>| {
        let text = requirement_text(&kinds, &names, wc.clone());
        let goal = quantified(
            &kinds,
            hypotheses(bound.where_clauses.iter().cloned()),
            vec![wc.cast(Ir)],
        );
        (text, goal, names.clone(), None)
    };
    let mut requirements: Vec<Requirement> = bound
        .variants
        .iter()
        .flat_map(|v| &v.fields)
        .map(|field| requirement(DomainGoal::WellFormed(WellFormed::Ty(field.clone()))))
        .collect();
    // chalk also requires the fields to be `Sized` when the program has a
    // `Sized` lang item: every field of an enum or union, and every field
    // of a struct but the last.
    if let Some(sized) = db.well_known_trait_id(chalk_solve::rust_ir::WellKnownTrait::Sized) {
        for v in &bound.variants {
            let count = match datum.kind {
                chalk_solve::rust_ir::AdtKind::Struct => v.fields.len().saturating_sub(1),
                _ => v.fields.len(),
            };
            for field in &v.fields[..count] {
                let trait_ref = chalk_ir::TraitRef {
                    trait_id: sized,
                    substitution: chalk_ir::Substitution::from1(Ir, field.clone()),
                };
                requirements.push(requirement(DomainGoal::Holds(
                    chalk_ir::WhereClause::Implemented(trait_ref),
                )));
            }
        }
    }
    first_unmet(program, source, requirements, limits)
}

fn first_unmet(
    program: &Program,
    source: &SourceMap,
    requirements: Vec<Requirement>,
    limits: &ExplainLimits,
) -> Option<Unmet> {
    for (requirement, goal, names, declared_at) in requirements {
        let hints = HintTree::quantifier(names, HintTree::default());
        let explanation = super::explain_goal_here(program, source, goal, &hints, limits);
        if explanation.status != Status::Fails {
            continue;
        }
        let blame = explanation.tree.as_ref().and_then(most_specific_failure)?;
        return Some(Unmet {
            requirement,
            blame,
            declared_at,
        });
    }
    None
}

/// Refines every ill-formed impl's and type's diagnostic of a check with
/// the failing requirement and its most specific leaf, on a worker thread
/// under `limits`' deadline (the diagnostics stay as they are when it
/// passes).
pub fn refine_diagnostics(
    program: &std::sync::Arc<Program>,
    source: SourceMap,
    diagnostics: Vec<Diagnostic>,
    limits: &ExplainLimits,
) -> Vec<Diagnostic> {
    use crate::codes::{ILL_FORMED_IMPL, ILL_FORMED_TYPE};
    if !diagnostics
        .iter()
        .any(|d| d.code == ILL_FORMED_IMPL || d.code == ILL_FORMED_TYPE)
    {
        return diagnostics;
    }
    let deadline = std::time::Instant::now() + limits.timeout;
    let shared = std::sync::Arc::clone(program);
    let original = diagnostics.clone();
    let limits = *limits;
    let refined = crate::solve::guarded(deadline, move || {
        chalkboard_lowering::with_program(&shared, || {
            let mut diagnostics = diagnostics;
            for d in &mut diagnostics {
                if d.code == ILL_FORMED_IMPL {
                    if let Some(id) = shared.impl_for_span(d.primary.span) {
                        refine_ill_formed_impl(&shared, &source, id, d, &limits);
                    }
                } else if d.code == ILL_FORMED_TYPE {
                    if let Some(id) = shared
                        .adt_ids()
                        .find(|&id| shared.adt_span(id) == Some(d.primary.span))
                    {
                        refine_ill_formed_type(&shared, &source, id, d, &limits);
                    }
                }
            }
            diagnostics
        })
    });
    match refined {
        Some(Ok(diagnostics)) => diagnostics,
        _ => original,
    }
}

/// Names the failing requirement of an ill-formed impl's diagnostic, and
/// the most specific leaf behind it: the primary label says which
/// requirement is not met (when the diagnostic could not say), a note says
/// why, and the fields and items on the way are labelled.
pub fn refine_ill_formed_impl(
    program: &Program,
    source: &SourceMap,
    impl_id: ImplId<Ir>,
    d: &mut Diagnostic,
    limits: &ExplainLimits,
) {
    let Some(unmet) = unmet_impl_requirement(program, source, impl_id, limits) else {
        return;
    };
    refine(d, &unmet, true);
}

/// As [`refine_ill_formed_impl`], for a type whose fields are not
/// well-formed.
pub fn refine_ill_formed_type(
    program: &Program,
    source: &SourceMap,
    adt_id: AdtId<Ir>,
    d: &mut Diagnostic,
    limits: &ExplainLimits,
) {
    let Some(unmet) = unmet_type_requirement(program, source, adt_id, limits) else {
        return;
    };
    refine(d, &unmet, false);
}

fn refine(d: &mut Diagnostic, unmet: &Unmet, label_requirement: bool) {
    if label_requirement && !d.primary.message.contains("does not hold here") {
        d.primary.message = format!("`{}` does not hold here", unmet.requirement);
    }
    // When the requirement is itself the leaf (no impl gives `Key: Eq`)
    // and the label already names it, a note would only repeat it.
    let named = d
        .primary
        .message
        .contains(&format!("`{}`", unmet.requirement));
    let leaf_is_requirement = std::ptr::eq(unmet.blame.leaf(), unmet.blame.head());
    if !(named && leaf_is_requirement) {
        let no_lines = |_| None;
        d.notes.insert(
            0,
            format!(
                "`{}` is not met: {}",
                unmet.requirement,
                unmet.blame.reason(&no_lines)
            ),
        );
    }
    for (span, label) in unmet
        .blame
        .labels()
        .into_iter()
        .chain(unmet.declared_at.clone())
    {
        if span != d.primary.span && d.secondary.iter().all(|l| l.span != span) {
            d.secondary.push(Label {
                span,
                message: label,
            });
        }
    }
}
