//! Builders for syntax-tree nodes, for the passes that write trees rather
//! than parse them (desugaring, the designs' rewrites, the goals the
//! designs' checks ask).
//!
//! Every builder takes the span the new node is blamed on, so a diagnostic
//! about generated code still points at the source that caused it.
//! This is the one place trees are built by hand; a pass that needs a new
//! shape adds a builder here.

use crate::ast::*;
use crate::visit::{self, VisitMut};

/// An identifier with a given span.
pub fn ident(text: impl Into<String>, span: Span) -> Ident {
    Ident {
        text: text.into(),
        span,
    }
}

/// A type written as a bare name: `Self`, `T`, `Foo`.
pub fn name_ty(text: impl Into<String>, span: Span) -> Ty {
    Ty {
        kind: TyKind::Name(ident(text, span)),
        span,
    }
}

/// A parameter used as an argument: `'a`, `T` or `N`.
pub fn param_as_arg(p: &VariableKind) -> GenericArg {
    match p.kind {
        ParamKind::Lifetime => GenericArg::Lifetime(Lifetime {
            kind: LifetimeKind::Named(p.name.text.clone()),
            span: p.name.span,
        }),
        ParamKind::Const => GenericArg::Const(Const::Name(p.name.clone())),
        _ => GenericArg::Ty(name_ty(p.name.text.clone(), p.name.span)),
    }
}

/// `Self_ty: Trait<args..>` as a trait reference (the self type first).
pub fn trait_ref(trait_name: &Ident, self_ty: Ty, args: &[GenericArg], span: Span) -> TraitRef {
    let mut all = vec![GenericArg::Ty(self_ty)];
    all.extend(args.iter().cloned());
    TraitRef {
        trait_name: trait_name.clone(),
        args: all,
        span,
    }
}

/// A bound with no parameters of its own: `Send` in `T: Send`.
pub fn trait_bound(trait_name: impl Into<String>, span: Span) -> QuantifiedInlineBound {
    QuantifiedInlineBound {
        params: Vec::new(),
        bound: InlineBound::Trait(TraitBound {
            trait_name: ident(trait_name, span),
            args: Vec::new(),
            assoc_bounds: Vec::new(),
            span,
        }),
        span,
    }
}

/// `ty: Trait` as a where clause with no binder.
pub fn implemented(ty: Ty, trait_name: impl Into<String>, span: Span) -> QuantifiedWhereClause {
    QuantifiedWhereClause {
        params: Vec::new(),
        where_clause: WhereClause::Implemented(trait_ref(&ident(trait_name, span), ty, &[], span)),
        span,
    }
}

/// A goal of the given kind, blamed on no particular source.
pub fn goal(kind: GoalKind) -> Goal {
    Goal {
        kind,
        span: Span::default(),
    }
}

/// The goal that a where clause holds.
pub fn where_clause_goal(wc: WhereClause) -> Goal {
    goal(GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(wc))))
}

/// `forall<params> { g }`, or `g` itself when there are no parameters.
pub fn forall(params: &[VariableKind], g: Goal) -> Goal {
    if params.is_empty() {
        g
    } else {
        goal(GoalKind::ForAll(params.to_vec(), Box::new(g)))
    }
}

/// `if (hypotheses) { g }`, or `g` itself when there are no hypotheses.
pub fn implies(hypotheses: Vec<QuantifiedWhereClause>, g: Goal) -> Goal {
    if hypotheses.is_empty() {
        return g;
    }
    let clauses = hypotheses
        .into_iter()
        .map(|qwc| Clause {
            params: qwc.params,
            consequence: DomainGoal::Holds(qwc.where_clause),
            conditions: Vec::new(),
            span: Span::default(),
        })
        .collect();
    goal(GoalKind::Implies(clauses, Box::new(g)))
}

/// The conjunction of `goals` (a single goal stays as it is).
pub fn all(goals: Vec<Goal>) -> Goal {
    match <[Goal; 1]>::try_from(goals) {
        Ok([single]) => single,
        Err(goals) => goal(GoalKind::And(goals)),
    }
}

/// `ty: B` for each trait or associated-type-equality bound `B` in `bounds`,
/// as goals (each under the bound's own binder). Outlives bounds say nothing
/// chalk answers, conditional bounds do not nest and a relaxed bound
/// (`?Sized`) demands nothing, so all three are skipped.
pub fn bound_goals(ty: &Ty, bounds: &[QuantifiedInlineBound]) -> Vec<Goal> {
    let mut out = Vec::new();
    for b in bounds {
        match &b.bound {
            InlineBound::Trait(tb) => {
                let tr = trait_ref(&tb.trait_name, ty.clone(), &tb.args, Span::default());
                out.push(forall(
                    &b.params,
                    where_clause_goal(WhereClause::Implemented(tr)),
                ));
            }
            InlineBound::AliasEq(ab) => {
                let tr = trait_ref(
                    &ab.trait_bound.trait_name,
                    ty.clone(),
                    &ab.trait_bound.args,
                    Span::default(),
                );
                out.push(forall(
                    &b.params,
                    all(vec![
                        where_clause_goal(WhereClause::Implemented(tr.clone())),
                        where_clause_goal(WhereClause::AliasEq {
                            projection: ProjectionTy {
                                trait_ref: tr,
                                name: ab.name.clone(),
                                args: ab.args.clone(),
                            },
                            ty: ab.value.clone(),
                        }),
                    ]),
                ));
            }
            InlineBound::Outlives(_) | InlineBound::Conditional(_) | InlineBound::Relaxed(_) => {}
        }
    }
    out
}

/// Replaces every bare type name that `map` lists (`Self`, an impl's
/// parameter) by its type, wherever it occurs in the node.
pub struct SubstituteNames<'m> {
    pub map: &'m [(String, Ty)],
}

impl VisitMut for SubstituteNames<'_> {
    fn ty(&mut self, ty: &mut Ty) {
        if let TyKind::Name(n) = &ty.kind {
            if let Some((_, t)) = self.map.iter().find(|(k, _)| *k == n.text) {
                *ty = t.clone();
                return;
            }
        }
        visit::walk_ty(self, ty);
    }
}

/// `ty` with the names in `map` substituted.
pub fn substituted_ty(ty: &Ty, map: &[(String, Ty)]) -> Ty {
    let mut ty = ty.clone();
    SubstituteNames { map }.ty(&mut ty);
    ty
}

/// `bound` with the names in `map` substituted.
pub fn substituted_bound(
    bound: &QuantifiedInlineBound,
    map: &[(String, Ty)],
) -> QuantifiedInlineBound {
    let mut bound = bound.clone();
    visit::walk_inline_bounds(
        &mut SubstituteNames { map },
        std::slice::from_mut(&mut bound),
    );
    bound
}

/// `wc` with the names in `map` substituted.
pub fn substituted_where_clause(
    wc: &QuantifiedWhereClause,
    map: &[(String, Ty)],
) -> QuantifiedWhereClause {
    let mut wc = wc.clone();
    visit::walk_quantified_where_clause(&mut SubstituteNames { map }, &mut wc);
    wc
}
