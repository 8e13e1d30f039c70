//! Lowering of goals, domain goals and program clauses.

use chalk_ir::cast::{Cast, Caster};
use chalk_ir::{
    ClausePriority, Constraints, DomainGoal, FromEnv, Goal, GoalData, Goals, ProgramClause,
    ProgramClauseData, ProgramClauseImplication, ProgramClauses, QuantifierKind, WellFormed,
};

use super::env::{new_params, Env};
use super::errors::{Failure, LResult};
use super::types::same_trait_ref;
use crate::interner::Ir;
use chalkboard_syntax::ast;

impl Env<'_> {
    /// Rule [`lower-domain-goal`](crate::rules::LOWER_DOMAIN_GOAL): one AST domain goal may give several chalk
    /// domain goals (`T: Tr<A = U>` gives `AliasEq` and `Implemented`).
    pub(crate) fn lower_domain_goal(
        &self,
        g: &ast::DomainGoal,
        span: ast::Span,
    ) -> LResult<Vec<DomainGoal<Ir>>> {
        use ast::DomainGoal as D;
        Ok(match g {
            D::Holds(wc) => self
                .lower_bare_where_clauses(&[wc], span)?
                .into_iter()
                .map(|wc| wc.cast(Ir))
                .collect(),
            D::Normalize { projection, ty } => vec![DomainGoal::Normalize(chalk_ir::Normalize {
                alias: chalk_ir::AliasTy::Projection(self.lower_projection(projection)?),
                ty: self.lower_ty(ty)?,
            })],
            D::TraitRefWellFormed(tr) => vec![DomainGoal::WellFormed(WellFormed::Trait(
                self.lower_trait_ref(tr)?,
            ))],
            D::TyWellFormed(ty) => vec![DomainGoal::WellFormed(WellFormed::Ty(self.lower_ty(ty)?))],
            D::TyFromEnv(ty) => vec![DomainGoal::FromEnv(FromEnv::Ty(self.lower_ty(ty)?))],
            D::TraitRefFromEnv(tr) => vec![DomainGoal::FromEnv(FromEnv::Trait(
                self.lower_trait_ref(tr)?,
            ))],
            D::IsLocal(ty) => vec![DomainGoal::IsLocal(self.lower_ty(ty)?)],
            D::IsUpstream(ty) => vec![DomainGoal::IsUpstream(self.lower_ty(ty)?)],
            D::IsFullyVisible(ty) => vec![DomainGoal::IsFullyVisible(self.lower_ty(ty)?)],
            D::LocalImplAllowed(tr) => {
                vec![DomainGoal::LocalImplAllowed(self.lower_trait_ref(tr)?)]
            }
            D::Compatible => vec![DomainGoal::Compatible],
            D::DownstreamType(ty) => vec![DomainGoal::DownstreamType(self.lower_ty(ty)?)],
            D::Reveal => vec![DomainGoal::Reveal],
            D::ObjectSafe(name) => vec![DomainGoal::ObjectSafe(self.lookup_trait(name)?)],
        })
    }

    /// Rule [`lower-clause`](crate::rules::LOWER_CLAUSE): `forall<P> { C if G1, .., Gn }` gives one program
    /// clause per consequence, with priority High and the conditions in
    /// reverse order (chalk's SLG solver pops conditions from the right).
    /// `run` holds the clauses the parser split from one written clause
    /// (see [`clause_run_len`]); they share parameters and conditions.
    pub(crate) fn lower_clause_run(&self, run: &[ast::Clause]) -> LResult<Vec<ProgramClause<Ir>>> {
        let c = &run[0];
        let implications = self.in_binders(&new_params(&c.params), |env| {
            let heads: Vec<&ast::DomainGoal> = run.iter().map(|c| &c.consequence).collect();
            let consequences = env.lower_domain_goal_run(&heads, c.span)?;
            let mut conditions = Vec::with_capacity(c.conditions.len());
            for g in c.conditions.iter().rev() {
                conditions.push(env.lower_goal(g)?);
            }
            let conditions = Goals::from_iter(Ir, conditions);
            Ok(consequences
                .into_iter()
                .map(|consequence| ProgramClauseImplication {
                    consequence,
                    conditions: conditions.clone(),
                    constraints: Constraints::empty(Ir),
                    priority: ClausePriority::High,
                })
                .collect::<Vec<_>>())
        })?;
        Ok(implications
            .into_iter()
            .map(|b| ProgramClauseData(b).intern(Ir))
            .collect())
    }

    /// Lowers the domain goals of one written goal: a run of `Holds` that
    /// the parser split from `T: Tr<A = U>` lowers as chalk lowers the
    /// unsplit form (`AliasEq`s, then `Implemented`).
    fn lower_domain_goal_run(
        &self,
        run: &[&ast::DomainGoal],
        span: ast::Span,
    ) -> LResult<Vec<DomainGoal<Ir>>> {
        if run.len() == 1 {
            return self.lower_domain_goal(run[0], span);
        }
        let wcs: Vec<&ast::WhereClause> = run
            .iter()
            .filter_map(|g| match g {
                ast::DomainGoal::Holds(wc) => Some(wc),
                _ => None,
            })
            .collect();
        Ok(self
            .lower_bare_where_clauses(&wcs, span)?
            .into_iter()
            .map(|wc| wc.cast(Ir))
            .collect())
    }

    /// Rule [`lower-goal`](crate::rules::LOWER_GOAL).
    pub(crate) fn lower_goal(&self, g: &ast::Goal) -> LResult<Goal<Ir>> {
        use ast::GoalKind as G;
        match &g.kind {
            G::ForAll(params, inner) => {
                self.lower_quantified(QuantifierKind::ForAll, params, inner)
            }
            G::Exists(params, inner) => {
                self.lower_quantified(QuantifierKind::Exists, params, inner)
            }
            // Rule [`lower-implies`](crate::rules::LOWER_IMPLIES): every hypothesis is elaborated with
            // `into_from_env_clause`, so `if (T: Tr)` assumes `FromEnv(T: Tr)`.
            G::Implies(clauses, inner) => {
                let mut hyps = Vec::new();
                let mut i = 0;
                while i < clauses.len() {
                    let n = clause_run_len(&clauses[i..]);
                    let lowered = self.lower_clause_run(&clauses[i..i + n])?;
                    hyps.extend(lowered.into_iter().map(|pc| pc.into_from_env_clause(Ir)));
                    i += n;
                }
                let inner = self.lower_goal(inner)?;
                Ok(GoalData::Implies(ProgramClauses::from_iter(Ir, hyps), inner).intern(Ir))
            }
            // Rule [`lower-and`](crate::rules::LOWER_AND): leaves the parser split from one written
            // `T: Tr<A = U>` are lowered together; an `And` that is only
            // such a split is that one leaf goal, as in chalk.
            G::And(goals) => {
                let mut lowered = Vec::with_capacity(goals.len());
                let mut i = 0;
                while i < goals.len() {
                    let n = leaf_run_len(&goals[i..]);
                    if n == 1 {
                        lowered.push(self.lower_goal(&goals[i])?);
                    } else {
                        let heads: Vec<&ast::DomainGoal> = goals[i..i + n]
                            .iter()
                            .filter_map(|g| match &g.kind {
                                ast::GoalKind::Leaf(ast::LeafGoal::DomainGoal(dg)) => Some(dg),
                                _ => None,
                            })
                            .collect();
                        let dgs = self.lower_domain_goal_run(&heads, goals[i].span)?;
                        lowered.push(Goal::all(Ir, dgs.into_iter().casted::<Goal<Ir>>(Ir)));
                    }
                    i += n;
                }
                if goals.len() > 1 && lowered.len() == 1 {
                    if let Some(g) = lowered.pop() {
                        return Ok(g);
                    }
                }
                Ok(GoalData::All(Goals::from_iter(Ir, lowered)).intern(Ir))
            }
            G::Not(inner) => Ok(GoalData::Not(self.lower_goal(inner)?).intern(Ir)),
            G::Compatible(inner) => Ok(self.lower_goal(inner)?.compatible(Ir)),
            G::Leaf(leaf) => self.lower_leaf_goal(leaf, g.span),
            G::Error => Err(Failure::Reported),
        }
    }

    /// Rule [`lower-quantified-goal`](crate::rules::LOWER_QUANTIFIED_GOAL): an empty quantifier disappears.
    fn lower_quantified(
        &self,
        kind: QuantifierKind,
        params: &[ast::VariableKind],
        inner: &ast::Goal,
    ) -> LResult<Goal<Ir>> {
        if params.is_empty() {
            return self.lower_goal(inner);
        }
        let body = self.in_binders(&new_params(params), |env| env.lower_goal(inner))?;
        Ok(GoalData::Quantified(kind, body).intern(Ir))
    }

    /// Rule [`lower-leaf-goal`](crate::rules::LOWER_LEAF_GOAL): domain goals are conjoined with `Goal::all`
    /// (even a single one), `A = B` is an `EqGoal`, `Subtype(A, B)` a
    /// `SubtypeGoal`.
    fn lower_leaf_goal(&self, leaf: &ast::LeafGoal, span: ast::Span) -> LResult<Goal<Ir>> {
        match leaf {
            ast::LeafGoal::DomainGoal(dg) => {
                let goals = self.lower_domain_goal(dg, span)?;
                Ok(Goal::all(Ir, goals.into_iter().casted::<Goal<Ir>>(Ir)))
            }
            ast::LeafGoal::Unify(a, b) => Ok(chalk_ir::EqGoal {
                a: self.lower_generic_arg(a)?,
                b: self.lower_generic_arg(b)?,
            }
            .cast(Ir)),
            ast::LeafGoal::Subtype(a, b) => Ok(chalk_ir::SubtypeGoal {
                a: self.lower_ty(a)?,
                b: self.lower_ty(b)?,
            }
            .cast(Ir)),
        }
    }
}

/// Whether `b` continues the split of `a`'s written `T: Tr<A = U>`: an
/// `AliasEq` on the same trait reference, written at the same place.
fn continues_split(first: &ast::DomainGoal, next: &ast::DomainGoal) -> bool {
    match (first, next) {
        (
            ast::DomainGoal::Holds(ast::WhereClause::Implemented(tr)),
            ast::DomainGoal::Holds(ast::WhereClause::AliasEq { projection, .. }),
        ) => same_trait_ref(tr, &projection.trait_ref),
        _ => false,
    }
}

/// How many leading goals form one split `T: Tr<A = U>` (at least 1).
fn leaf_run_len(goals: &[ast::Goal]) -> usize {
    let head = |g: &ast::Goal| match &g.kind {
        ast::GoalKind::Leaf(ast::LeafGoal::DomainGoal(dg)) => Some(dg.clone()),
        _ => None,
    };
    let Some(first) = goals.first().and_then(head) else {
        return 1;
    };
    1 + goals[1..]
        .iter()
        .take_while(|g| {
            g.span == goals[0].span && head(g).is_some_and(|dg| continues_split(&first, &dg))
        })
        .count()
}

/// How many leading clauses form one split clause (at least 1): same
/// place, parameters and conditions, heads from one `T: Tr<A = U>`.
pub(crate) fn clause_run_len(clauses: &[ast::Clause]) -> usize {
    let Some(first) = clauses.first() else {
        return 1;
    };
    1 + clauses[1..]
        .iter()
        .take_while(|c| {
            c.span == first.span
                && c.params == first.params
                && c.conditions == first.conditions
                && continues_split(&first.consequence, &c.consequence)
        })
        .count()
}
