//! Lowering of goals, domain goals and program clauses.

use chalk_ir::cast::{Cast, Caster};
use chalk_ir::{
    ClausePriority, Constraints, DomainGoal, FromEnv, Goal, GoalData, Goals, ProgramClause,
    ProgramClauseData, ProgramClauseImplication, ProgramClauses, QuantifierKind, WellFormed,
};

use super::env::{new_params, Env};
use super::errors::{Failure, LResult};
use crate::interner::Ir;
use crate::syntax::ast;

impl Env<'_> {
    /// Rule lower-domain-goal: one AST domain goal may give several chalk
    /// domain goals (`T: Tr<A = U>` gives `AliasEq` and `Implemented`).
    pub(crate) fn lower_domain_goal(
        &self,
        g: &ast::DomainGoal,
        span: ast::Span,
    ) -> LResult<Vec<DomainGoal<Ir>>> {
        use ast::DomainGoal as D;
        Ok(match g {
            D::Holds(wc) => self
                .lower_bare_where_clause(wc, span)?
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

    /// Rule lower-clause: `forall<P> { C if G1, .., Gn }` gives one program
    /// clause per consequence, with priority High and the conditions in
    /// reverse order (chalk's SLG solver pops conditions from the right).
    pub(crate) fn lower_clause(&self, c: &ast::Clause) -> LResult<Vec<ProgramClause<Ir>>> {
        let implications = self.in_binders(&new_params(&c.params), |env| {
            let consequences = env.lower_domain_goal(&c.consequence, c.span)?;
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

    /// Rule lower-goal.
    pub(crate) fn lower_goal(&self, g: &ast::Goal) -> LResult<Goal<Ir>> {
        use ast::GoalKind as G;
        match &g.kind {
            G::ForAll(params, inner) => {
                self.lower_quantified(QuantifierKind::ForAll, params, inner)
            }
            G::Exists(params, inner) => {
                self.lower_quantified(QuantifierKind::Exists, params, inner)
            }
            // Rule lower-implies: every hypothesis is elaborated with
            // `into_from_env_clause`, so `if (T: Tr)` assumes `FromEnv(T: Tr)`.
            G::Implies(clauses, inner) => {
                let mut hyps = Vec::new();
                for c in clauses {
                    hyps.extend(
                        self.lower_clause(c)?
                            .into_iter()
                            .map(|pc| pc.into_from_env_clause(Ir)),
                    );
                }
                let inner = self.lower_goal(inner)?;
                Ok(GoalData::Implies(ProgramClauses::from_iter(Ir, hyps), inner).intern(Ir))
            }
            G::And(goals) => {
                let mut lowered = Vec::with_capacity(goals.len());
                for g in goals {
                    lowered.push(self.lower_goal(g)?);
                }
                Ok(GoalData::All(Goals::from_iter(Ir, lowered)).intern(Ir))
            }
            G::Not(inner) => Ok(GoalData::Not(self.lower_goal(inner)?).intern(Ir)),
            G::Compatible(inner) => Ok(self.lower_goal(inner)?.compatible(Ir)),
            G::Leaf(leaf) => self.lower_leaf_goal(leaf, g.span),
            G::Error => Err(Failure::Reported),
        }
    }

    /// Rule lower-quantified-goal: an empty quantifier disappears.
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

    /// Rule lower-leaf-goal: domain goals are conjoined with `Goal::all`
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
