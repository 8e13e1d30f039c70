//! Rule [`promise-audit`](crate::rules::PROMISE_AUDIT): for each instantiation of an accepted impl whose
//! condition holds, the promised bound must really hold of the concrete
//! future, in the program without the promises' own clauses.
//!
//! This finds the negative-reasoning hole of `implication-decide`: for a
//! generic impl, `forall<T> { W<T>: Send }` fails, so the impl is accepted,
//! yet `W<u32>: Send` holds, and callers may then conclude that the future
//! of `W<u32>` is `Send` when it is not.

use chalkboard_solver::layer::{Effect, NamedCheck};
use chalkboard_solver::solve::Outcome;
use chalkboard_solver::Verdict;
use chalkboard_syntax::ast;
use chalkboard_syntax::build::{self, all, bound_goals, forall, where_clause_goal};
use chalkboard_syntax::Diagnostic;

use crate::obligations::{holds, self_ty, CondBound};
use crate::wording;

/// The kind of the [`NamedCheck`]s this module reports.
pub const KIND: &str = "promise";

/// At most this many instantiations of one impl are tried, so an impl with
/// many type parameters stays cheap.
const MAX_INSTANTIATIONS: usize = 64;

/// Candidate types to instantiate a generic impl's type parameters with: the
/// program's types without parameters, and `u32`, in source order. The audit
/// keeps the first [`MAX_INSTANTIATIONS`] assignments of them in order, which
/// only ever use that many types, so no more are kept.
pub(crate) fn candidate_types(file: &ast::File) -> Vec<ast::Ty> {
    let mut out = vec![ast::Ty {
        kind: ast::TyKind::Scalar(ast::ScalarType::Uint(ast::UintTy::U32)),
        span: ast::Span::default(),
    }];
    for item in &file.items {
        if let ast::Item::Adt(adt) = item {
            if adt.params.is_empty() {
                out.push(build::name_ty(adt.name.text.clone(), ast::Span::default()));
                if out.len() == MAX_INSTANTIATIONS {
                    break;
                }
            }
        }
    }
    out
}

/// The first broken promise of one accepted impl, if any.
pub(crate) fn audit(
    candidates: &[ast::Ty],
    imp: &ast::ImplDefn,
    value: &ast::AssocTyValue,
    bound: &CondBound<'_>,
    solve: &mut dyn FnMut(&ast::Goal) -> Outcome,
) -> Option<NamedCheck> {
    let self_ty = self_ty(imp)?;
    let type_params: Vec<&ast::VariableKind> = imp
        .params
        .iter()
        .filter(|p| p.kind == ast::ParamKind::Ty)
        .collect();
    let other_params: Vec<ast::VariableKind> = imp
        .params
        .iter()
        .filter(|p| p.kind != ast::ParamKind::Ty)
        .cloned()
        .collect();
    // Every assignment of candidate types to the impl's type parameters.
    let mut assignments: Vec<Vec<(String, ast::Ty)>> = vec![Vec::new()];
    for p in &type_params {
        let mut next = Vec::new();
        for a in &assignments {
            for c in candidates {
                let mut a = a.clone();
                a.push((p.name.text.clone(), c.clone()));
                next.push(a);
            }
        }
        next.truncate(MAX_INSTANTIATIONS);
        assignments = next;
    }
    for map in assignments {
        let inst_self = build::substituted_ty(self_ty, &map);
        let inst_value = build::substituted_ty(&value.value, &map);
        let conditions = bound.conditions_for(&inst_self);
        let bounds = bound.bounds_for(&inst_self);
        // The impl applies and the condition holds: callers may conclude the bound.
        let premises: Vec<ast::Goal> = imp
            .where_clauses
            .iter()
            .map(|w| build::substituted_where_clause(w, &map))
            .chain(conditions.iter().cloned())
            .map(|w| where_clause_goal(w.where_clause))
            .collect();
        // With no premises, callers may always conclude the bound.
        if !premises.is_empty()
            && holds(&solve(&forall(&other_params, all(premises)))) != Some(true)
        {
            continue;
        }
        let truth_goal = forall(
            &other_params,
            forall(&value.params, all(bound_goals(&inst_value, &bounds))),
        );
        if holds(&solve(&truth_goal)) == Some(false) {
            let instantiation = wording::ty(&inst_self);
            let bounds_text = wording::bounds(&bounds);
            let conditions_text = wording::conditions(&conditions);
            let words = wording::BrokenPromise {
                method: &value.name.text,
                instantiation: &instantiation,
                bounds: &bounds_text,
                conditions: &conditions_text,
            };
            let d = Diagnostic::error(crate::codes::BROKEN_PROMISE, words.message(), imp.span)
                .with_label(words.label())
                .with_secondary(bound.span(), wording::BROKEN_PROMISE_SECONDARY)
                .with_note(words.note())
                .with_help(wording::BROKEN_PROMISE_HELP);
            return Some(NamedCheck {
                kind: KIND,
                name: wording::promise_name(
                    &imp.trait_ref.trait_name.text,
                    &instantiation,
                    &value.name.text,
                ),
                span: imp.span,
                verdict: Verdict::fails(words.reason()),
                diagnostic: Some(d),
                explanation: None,
                // A broken promise is a finding about the design, not an
                // error in the program: it is reported as a warning.
                effect: Effect::Warns,
            });
        }
    }
    None
}
