//! Goals and domain goals, and the clauses that `if (..)` assumes.
//!
//! A goal is a conjunction `G1, G2, ..` of `forall<P> { G }`,
//! `exists<P> { G }`, `if (Clause; ..) { G }`, `not { G }`,
//! `compatible { G }`, `(G)`, or a leaf: a where clause as a domain goal
//! (`T: Trait`, `'a: 'b`), a unification (`T = U`), `Subtype(A, B)`, or a
//! domain goal named by its keyword (`WellFormed(T)`, `FromEnv(T: Trait)`,
//! `Normalize(<T as Trait>::A -> U)`, `IsLocal(T)`, `Compatible`, `Reveal`,
//! ..).
//!
//! Contract: the parser's `PResult` contract. Goals nest, so each goal counts
//! one nesting level. A goal stops before the `}` or `)` that closes it (a
//! trailing comma before it is allowed) and leaves that closer to its caller.

use super::{Failed, PResult, Parser};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Punct, TokenKind};

impl Parser<'_> {
    /// `G1, G2, ..`: one goal, or the conjunction of several.
    pub(super) fn goal(&mut self) -> PResult<Goal> {
        let start = self.start();
        let first = self.goal1()?;
        if !self.is_punct(Punct::Comma) {
            return Ok(first);
        }
        let mut goals = vec![first];
        while self.eat_punct(Punct::Comma) {
            // A trailing comma before the closing delimiter is harmless.
            if self.is_punct(Punct::RBrace) || self.is_punct(Punct::RParen) || self.at_eof() {
                break;
            }
            goals.push(self.goal1()?);
        }
        Ok(Goal {
            kind: GoalKind::And(goals),
            span: self.span_from(start),
        })
    }

    /// `Goal1, Goal1, ...` until one of `ends` (trailing comma allowed).
    pub(super) fn goal_list(&mut self, ends: &[Punct]) -> PResult<Vec<Goal>> {
        let mut goals = Vec::new();
        loop {
            if ends.iter().any(|end| self.is_punct(*end)) {
                break;
            }
            goals.push(self.goal1()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        Ok(goals)
    }

    /// `{ G }`; `context` says where, in the error for a missing `{`.
    fn braced_goal(&mut self, context: &str) -> PResult<Goal> {
        self.expect_punct(Punct::LBrace, context)?;
        let goal = self.goal()?;
        self.expect_punct(Punct::RBrace, "or `,` after the goal")?;
        Ok(goal)
    }

    /// One goal of a conjunction, at most `MAX_NESTING` levels deep:
    /// `forall<P> { G }`, `exists<P> { G }`, `if (Clause; ..) { G }`,
    /// `not { G }`, `compatible { G }`, `(G)`, or the leaf goals of
    /// [`Parser::leaf_goals`] (several make a conjunction).
    fn goal1(&mut self) -> PResult<Goal> {
        self.nested(Self::goal1_unlimited)
    }

    /// One goal of a conjunction, one nesting level counted by the caller
    /// ([`Parser::goal1`]).
    fn goal1_unlimited(&mut self) -> PResult<Goal> {
        let start = self.start();
        let opens_block = self.is_punct_at(1, Punct::LAngle) || self.is_punct_at(1, Punct::LBrace);
        if (self.is_word("forall") || self.is_word("exists")) && opens_block {
            let exists = self.is_word("exists");
            self.bump();
            let params = self.params()?;
            let body = Box::new(self.braced_goal("after the quantifier's parameters")?);
            let kind = if exists {
                GoalKind::Exists(params, body)
            } else {
                GoalKind::ForAll(params, body)
            };
            return Ok(Goal {
                kind,
                span: self.span_from(start),
            });
        }
        if self.is_word("if") && self.is_punct_at(1, Punct::LParen) {
            self.bump();
            self.bump();
            let mut clauses = Vec::new();
            while !self.is_punct(Punct::RParen) {
                clauses.extend(self.inline_clause()?);
                if !self.eat_punct(Punct::Semi) {
                    break;
                }
            }
            self.expect_punct(Punct::RParen, "or `;` after the hypotheses")?;
            let body = Box::new(self.braced_goal("after the hypotheses of `if`")?);
            return Ok(Goal {
                kind: GoalKind::Implies(clauses, body),
                span: self.span_from(start),
            });
        }
        if (self.is_word("not") || self.is_word("compatible")) && self.is_punct_at(1, Punct::LBrace)
        {
            let not = self.is_word("not");
            self.bump();
            let body = Box::new(self.braced_goal("")?);
            let kind = if not {
                GoalKind::Not(body)
            } else {
                GoalKind::Compatible(body)
            };
            return Ok(Goal {
                kind,
                span: self.span_from(start),
            });
        }
        if self.is_punct(Punct::LParen) {
            // `(G)` groups a goal, but `(A, B): Tr` and `() = ()` start with a
            // tuple type: the token after the matching `)` decides.
            let close = self.closing_index();
            let after = self.tokens.get(close + 1).map(|t| t.kind);
            let is_type = matches!(
                after,
                Some(TokenKind::Punct(
                    Punct::Colon | Punct::Eq | Punct::ColonColon
                ))
            );
            if !is_type {
                self.bump();
                let inner = self.goal()?;
                self.expect_punct(Punct::RParen, "or `,` after the goal")?;
                return Ok(Goal {
                    kind: inner.kind,
                    span: self.span_from(start),
                });
            }
        }
        let leaves = self.leaf_goals()?;
        let span = self.span_from(start);
        let mut goals: Vec<Goal> = leaves
            .into_iter()
            .map(|leaf| Goal {
                kind: GoalKind::Leaf(leaf),
                span,
            })
            .collect();
        if goals.len() == 1 {
            if let Some(goal) = goals.pop() {
                return Ok(goal);
            }
        }
        Ok(Goal {
            kind: GoalKind::And(goals),
            span,
        })
    }

    /// A leaf goal: `Subtype(A, B)`, a domain goal named by its keyword,
    /// `'a: 'b`, `Ty: Bounds`, or a unification `A = B` of types, lifetimes
    /// or consts; a where clause with equalities expands to several.
    fn leaf_goals(&mut self) -> PResult<Vec<LeafGoal>> {
        if self.is_word("Subtype") && self.is_punct_at(1, Punct::LParen) {
            self.bump();
            self.bump();
            let a = self.ty()?;
            self.expect_punct(Punct::Comma, "between the two types of `Subtype`")?;
            let b = self.ty()?;
            self.expect_punct(Punct::RParen, "after `Subtype`'s types")?;
            return Ok(vec![LeafGoal::Subtype(a, b)]);
        }
        if let Some(domain_goal) = self.keyword_domain_goal()? {
            return Ok(vec![LeafGoal::DomainGoal(domain_goal)]);
        }
        let token = self.token();
        let left = match token.kind {
            TokenKind::Lifetime => {
                let lifetime = self.lifetime()?;
                if self.eat_punct(Punct::Colon) {
                    let b = self.lifetime()?;
                    return Ok(vec![LeafGoal::DomainGoal(DomainGoal::Holds(
                        WhereClause::LifetimeOutlives { a: lifetime, b },
                    ))]);
                }
                GenericArg::Lifetime(lifetime)
            }
            TokenKind::Number => {
                let (value, span) = self.number_u32()?;
                GenericArg::Const(Const::Value(value, span))
            }
            _ => {
                let ty = self.ty()?;
                if self.eat_punct(Punct::Colon) {
                    return Ok(self
                        .where_clause_bounds(ty)?
                        .into_iter()
                        .map(|wc| LeafGoal::DomainGoal(DomainGoal::Holds(wc)))
                        .collect());
                }
                GenericArg::Ty(ty)
            }
        };
        self.expect_punct(Punct::Eq, "or `:` after the type in a goal")?;
        let right = self.generic_arg()?;
        Ok(vec![LeafGoal::Unify(left, right)])
    }

    /// `WellFormed(..)`, `FromEnv(..)`, `Normalize(..)`, ... or `None` when the
    /// current token starts no such form.
    fn keyword_domain_goal(&mut self) -> PResult<Option<DomainGoal>> {
        let token = self.token();
        if token.kind != TokenKind::Ident {
            return Ok(None);
        }
        let word = self.token_text(token);
        if matches!(word, "Compatible" | "Reveal")
            && !self.is_punct_at(1, Punct::LAngle)
            && !self.is_punct_at(1, Punct::Colon)
            && !self.is_punct_at(1, Punct::ColonColon)
            && !self.is_punct_at(1, Punct::Eq)
        {
            self.bump();
            return Ok(Some(if word == "Compatible" {
                DomainGoal::Compatible
            } else {
                DomainGoal::Reveal
            }));
        }
        let takes_parens = matches!(
            word,
            "WellFormed"
                | "FromEnv"
                | "Normalize"
                | "IsLocal"
                | "IsUpstream"
                | "IsFullyVisible"
                | "LocalImplAllowed"
                | "DownstreamType"
                | "ObjectSafe"
        );
        if !takes_parens || !self.is_punct_at(1, Punct::LParen) {
            return Ok(None);
        }
        self.bump();
        self.bump();
        let goal = match word {
            "WellFormed" | "FromEnv" => {
                let ty = self.ty()?;
                if self.eat_punct(Punct::Colon) {
                    let trait_ref = self.trait_ref_after_colon(ty)?;
                    if word == "WellFormed" {
                        DomainGoal::TraitRefWellFormed(trait_ref)
                    } else {
                        DomainGoal::TraitRefFromEnv(trait_ref)
                    }
                } else if word == "WellFormed" {
                    DomainGoal::TyWellFormed(ty)
                } else {
                    DomainGoal::TyFromEnv(ty)
                }
            }
            "Normalize" => {
                let alias = self.ty()?;
                let TyKind::Projection(projection) = alias.kind else {
                    self.push_diagnostic(
                        Diagnostic::error(
                            crate::codes::UNEXPECTED_TOKEN,
                            "`Normalize` needs a projection `<T as Trait>::Name`",
                            alias.span,
                        )
                        .with_label("not a projection")
                        .with_help("write `Normalize(<T as Trait>::Name -> U)`"),
                    );
                    return Err(Failed);
                };
                self.expect_punct(Punct::Arrow, "after the projection in `Normalize`")?;
                let ty = self.ty()?;
                DomainGoal::Normalize { projection, ty }
            }
            "LocalImplAllowed" => {
                let ty = self.ty()?;
                self.expect_punct(Punct::Colon, "after the self type")?;
                DomainGoal::LocalImplAllowed(self.trait_ref_after_colon(ty)?)
            }
            "ObjectSafe" => DomainGoal::ObjectSafe(self.ident("a trait name")?),
            _ => {
                let ty = self.ty()?;
                match word {
                    "IsLocal" => DomainGoal::IsLocal(ty),
                    "IsUpstream" => DomainGoal::IsUpstream(ty),
                    "IsFullyVisible" => DomainGoal::IsFullyVisible(ty),
                    _ => DomainGoal::DownstreamType(ty),
                }
            }
        };
        self.expect_punct(Punct::RParen, &format!("to close `{word}(`"))?;
        Ok(Some(goal))
    }

    /// `Trait<A>` after `Ty:`, as the trait reference `Ty: Trait<A>` (in
    /// `WellFormed(..)`, `FromEnv(..)` and `LocalImplAllowed(..)`).
    fn trait_ref_after_colon(&mut self, self_ty: Ty) -> PResult<TraitRef> {
        let start = self.start();
        let trait_name = self.ident("a trait name")?;
        let mut args = vec![GenericArg::Ty(self_ty)];
        args.extend(self.generic_args()?);
        Ok(TraitRef {
            trait_name,
            args,
            span: self.span_from(start),
        })
    }

    /// Domain goals only (a clause's consequence); a where clause with
    /// equalities expands to several.
    pub(super) fn domain_goals(&mut self) -> PResult<Vec<DomainGoal>> {
        let start = self.start();
        let leaves = self.leaf_goals()?;
        let mut goals = Vec::new();
        for leaf in leaves {
            match leaf {
                LeafGoal::DomainGoal(goal) => goals.push(goal),
                _ => {
                    self.push_diagnostic(
                        Diagnostic::error(
                            crate::codes::UNEXPECTED_TOKEN,
                            "expected a domain goal, found a unification or subtyping goal",
                            self.span_from(start),
                        )
                        .with_label("not a domain goal")
                        .with_help(
                            "a clause's consequence is a domain goal such as `T: Trait` or `WellFormed(T)`",
                        ),
                    );
                    return Err(Failed);
                }
            }
        }
        Ok(goals)
    }

    /// A hypothesis of `if (..)`: `DomainGoal`, `DomainGoal :- G1, G2` or
    /// `forall<P> { DomainGoal [:- ..] }`.
    fn inline_clause(&mut self) -> PResult<Vec<Clause>> {
        let start = self.start();
        let (params, braced) = if self.is_word("forall") {
            self.bump();
            let params = self.params()?;
            self.expect_punct(Punct::LBrace, "after the clause's parameters")?;
            (params, true)
        } else {
            (Vec::new(), false)
        };
        let consequences = self.domain_goals()?;
        let mut conditions = Vec::new();
        if self.is_punct(Punct::Colon) && self.is_punct_at(1, Punct::Minus) {
            self.bump();
            self.bump();
            conditions = self.goal_list(&[Punct::Semi, Punct::RParen, Punct::RBrace])?;
        }
        if braced {
            self.expect_punct(Punct::RBrace, "or `:-` after the clause")?;
        }
        let span = self.span_from(start);
        Ok(consequences
            .into_iter()
            .map(|consequence| Clause {
                params: params.clone(),
                consequence,
                conditions: conditions.clone(),
                span,
            })
            .collect())
    }
}
