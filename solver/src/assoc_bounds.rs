//! What chalkboard checks of an item when chalk's well-formedness check of
//! it panics.
//!
//! chalk 0.104's `WfSolver` collects the "input types" of an item and
//! unwraps a de Bruijn shift that fails for any type with variables bound
//! inside the item's own binders: a higher-ranked where clause whose type
//! mentions its `forall` variables (return type notation), and any `dyn`
//! type in an associated type value (its bounds bind the erased self type),
//! even `Box<dyn Future<Output = bool> + 'static>`. The check
//! ([`crate::check`]) catches the panic; this module says which of the two
//! it was and checks what can be checked without chalk's panicking path.
//!
//! Rule [`assoc-value-bounds`](crate::rules::ASSOC_VALUE_BOUNDS): for an impl,
//! its trait's where clauses and each associated type value against the
//! bounds the trait declares for it, as
//! `forall<impl params, value params> { if (impl where clauses, the
//! associated type's where clauses) { Value: Bound } }` on chalk's SLG
//! solver, one bound at a time, so that an impl whose future is
//! `Pin<Box<dyn Future + 'a>>` against a trait that demands `Send` is
//! rejected, as rustc rejects it.

use std::ops::ControlFlow;

use chalk_ir::cast::Cast;
use chalk_ir::visit::{TypeSuperVisitable, TypeVisitable, TypeVisitor};
use chalk_ir::{
    AdtId, DebruijnIndex, Goal, GoalData, ImplId, ProgramClause, ProgramClauses, QuantifierKind,
    Substitution, ToGenericArg, Ty, TyKind,
};
use chalk_solve::ext::GoalExt;
use chalk_solve::rust_ir::IntoWhereClauses;
use chalk_solve::{RustIrDatabase, Solver};
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::Span;
use chalkboard_syntax::Diagnostic;

use crate::describe::Describe;
use crate::peel::PlaceholderNames;

/// Whether a term mentions a `dyn` type.
fn mentions_dyn<T: TypeVisitable<Ir>>(value: &T) -> bool {
    struct FindDyn;
    impl TypeVisitor<Ir> for FindDyn {
        type BreakTy = ();
        fn as_dyn(&mut self) -> &mut dyn TypeVisitor<Ir, BreakTy = ()> {
            self
        }
        fn interner(&self) -> Ir {
            Ir
        }
        fn visit_ty(&mut self, ty: &Ty<Ir>, outer: DebruijnIndex) -> ControlFlow<()> {
            if let TyKind::Dyn(_) = ty.kind(Ir) {
                return ControlFlow::Break(());
            }
            ty.super_visit_with(self, outer)
        }
    }
    value
        .visit_with(&mut FindDyn, DebruijnIndex::INNERMOST)
        .is_break()
}

/// Why chalk's check of an ADT panicked, as the warning's note says it.
pub fn adt_panic_note(program: &Program, adt_id: AdtId<Ir>) -> String {
    let datum = program.adt_datum(adt_id);
    if mentions_dyn(&datum.binders) {
        "chalk 0.104 panics when it checks the well-formedness of a type whose fields or where clauses mention a `dyn` type".into()
    } else {
        RTN_NOTE.into()
    }
}

const RTN_NOTE: &str = "chalk 0.104 panics on a higher-ranked where clause whose type mentions its own `forall` variables, such as a return type notation bound";

/// Why chalk's check of an impl panicked, as the warning's note says it.
pub fn impl_panic_note(program: &Program, impl_id: ImplId<Ir>) -> String {
    let datum = program.impl_datum(impl_id);
    let with_dyn: Vec<String> = datum
        .associated_ty_value_ids
        .iter()
        .map(|&id| program.associated_ty_value(id))
        .filter(|value| mentions_dyn(&value.value))
        .map(|value| format!("`{}`", program.assoc_type_name(value.associated_ty_id)))
        .collect();
    if with_dyn.is_empty() {
        RTN_NOTE.into()
    } else {
        format!(
            "chalk 0.104 panics on any `dyn` type in an associated type value (here the value of {}); chalkboard checked the trait's where clauses and each associated type value against its bounds instead (rule {})",
            with_dyn.join(", "),
            crate::rules::ASSOC_VALUE_BOUNDS
        )
    }
}

fn solver() -> Box<dyn Solver<Ir>> {
    Box::new(chalk_engine::solve::SLGSolver::<Ir>::new(10, None))
}

/// Rule [`assoc-value-bounds`](crate::rules::ASSOC_VALUE_BOUNDS) for one
/// impl whose well-formedness chalk could not check: an error when the impl
/// does not meet its trait's where clauses, and one for each associated
/// type value that does not meet a bound its trait declares.
pub fn check_impl(program: &Program, impl_id: ImplId<Ir>, span: Span) -> Vec<Diagnostic> {
    let datum = program.impl_datum(impl_id);
    let impl_bound = datum.binders.skip_binders();
    let n_impl = datum.binders.len(Ir);
    let trait_name = program.trait_name(datum.trait_id());
    let names = PlaceholderNames::default();
    let describe = Describe {
        program,
        names: &names,
    };
    let mut out = Vec::new();
    let unmet = crate::check::unmet_trait_bounds_of(program, impl_id);
    if !unmet.is_empty() {
        out.push(
            Diagnostic::error(
                crate::codes::ILL_FORMED_IMPL,
                format!("`{}` does not hold here", unmet.join("`, `")),
                span,
            )
            .with_label("the trait's where clauses are not met")
            .with_help(format!(
                "add `where {}` to the impl, or implement what is missing",
                unmet.join(", ")
            )),
        );
    }
    for &value_id in &datum.associated_ty_value_ids {
        let value = program.associated_ty_value(value_id);
        let assoc = program.associated_ty_data(value.associated_ty_id);
        let kinds = value.value.binders.clone();
        let ty = value.value.skip_binders().ty.clone();
        // The associated type's binders are the trait's parameters and its
        // own; inside the value's binders those are the impl's trait
        // reference (the impl's parameters come first) and the value's own.
        let own = kinds
            .iter(Ir)
            .enumerate()
            .skip(n_impl)
            .map(|pair| pair.to_generic_arg(Ir));
        let subst = Substitution::from_iter(
            Ir,
            impl_bound
                .trait_ref
                .substitution
                .iter(Ir)
                .cloned()
                .chain(own),
        );
        if assoc.binders.len(Ir) != subst.len(Ir) {
            continue;
        }
        let bound = assoc.binders.clone().substitute(Ir, &subst);
        let hypotheses = ProgramClauses::from_iter(
            Ir,
            impl_bound
                .where_clauses
                .iter()
                .chain(&bound.where_clauses)
                .map(|wc| wc.clone().cast::<ProgramClause<Ir>>(Ir)),
        );
        for inline in &bound.bounds {
            for wc in inline.into_where_clauses(Ir, ty.clone()) {
                let goal = GoalData::Implies(hypotheses.clone(), wc.clone().cast::<Goal<Ir>>(Ir))
                    .intern(Ir)
                    .quantify(Ir, QuantifierKind::ForAll, kinds.clone());
                let answer = solver().solve(program, &goal.into_closed_goal(Ir));
                if matches!(answer, Some(chalk_solve::Solution::Unique(_))) {
                    continue;
                }
                let assoc_name = program.assoc_type_name(value.associated_ty_id);
                let (bound_text, self_text) = match wc.skip_binders() {
                    chalk_ir::WhereClause::Implemented(tr) => (
                        program.trait_name(tr.trait_id),
                        describe.ty(&tr.self_type_parameter(Ir)),
                    ),
                    other => (format!("{other:?}"), describe.ty(&ty)),
                };
                let mut d = Diagnostic::error(
                    crate::codes::ILL_FORMED_IMPL,
                    format!("`{self_text}: {bound_text}` does not hold here"),
                    span,
                )
                .with_label(format!(
                    "the value of `{assoc_name}` does not meet its bound `{bound_text}`"
                ))
                .with_note(format!(
                    "required by a bound in `{trait_name}::{assoc_name}`"
                ))
                .with_help(format!(
                    "make the value of `{assoc_name}` satisfy `{bound_text}`, or drop the bound from the trait"
                ));
                if let Some(decl) = program.assoc_ty_span(value.associated_ty_id) {
                    d = d.with_secondary(
                        decl,
                        format!("`{assoc_name}` is declared with this bound"),
                    );
                }
                out.push(d);
            }
        }
    }
    out
}
