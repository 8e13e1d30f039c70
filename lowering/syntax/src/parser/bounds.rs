//! Bounds and where clauses.
//!
//! Inline bounds follow `:`, `impl` or `dyn` and are joined with `+`:
//! `Trait<A>`, `Trait<Name = T>`, `forall<'a> Trait<'a>`, `'a`, Rust's
//! relaxed bound `?Sized`, and the
//! chalkboard extensions of associated-item bounds (`Trait<m(..): Send>`,
//! `Trait<Assoc: Send>`) and conditional bounds (`if (WC) { Bounds }`).
//! Where clauses follow `where` and are separated by `,`: `T: Bounds`,
//! `T: 'a`, `T: ?Sized`, `'a: 'b`, `T::m(..): Bounds` (return type notation) and
//! `T::Assoc: Bounds`, each optionally quantified by `forall<..>` or
//! `for<..>`.
//!
//! A bound or where clause with equalities becomes several in the tree, the
//! way chalk reads it: the where clause `T: Tr<A = U>` is an `Implemented`
//! clause and one `AliasEq` clause per equality, all with the same span, and
//! the inline bound `Tr<A = U>` is one `AliasEq` bound per equality.
//!
//! Contract: the parser's `PResult` contract. Bounds nest (conditional bounds,
//! bounds on associated items), so each bound counts one nesting level.

use super::{PResult, Parser};
use crate::ast::*;
use crate::lexer::{Punct, TokenKind};

/// The contents of a trait's angle brackets in bound position, sorted by form.
#[derive(Default)]
struct BoundArgs {
    args: Vec<GenericArg>,
    /// `Name<B> = T`
    equalities: Vec<(Ident, Vec<GenericArg>, Ty)>,
    /// `m(..): Send`, `Assoc: Send`
    assoc_bounds: Vec<AssocItemBound>,
}

impl Parser<'_> {
    // -----------------------------------------------------------------------
    // Inline bounds.

    /// `Trait<..> + forall<'a> Trait2<'a> + 'a + if (WC) { Bounds }`
    pub(super) fn bounds(&mut self) -> PResult<Vec<QuantifiedInlineBound>> {
        let mut bounds = Vec::new();
        loop {
            bounds.extend(self.quantified_inline_bound()?);
            if !self.eat_punct(Punct::Plus) {
                break;
            }
        }
        Ok(bounds)
    }

    /// `forall<P>` or `for<P>` before a bound, or nothing.
    fn quantified_params(&mut self) -> PResult<Vec<VariableKind>> {
        if (self.is_word("forall") || self.is_word("for")) && self.is_punct_at(1, Punct::LAngle) {
            self.bump();
            return self.params();
        }
        Ok(Vec::new())
    }

    /// One bound, at most `MAX_NESTING` levels deep:
    /// `[forall<P>] Trait<..>`, `[forall<P>] 'a` or
    /// `[forall<P>] if (WC; ..) { Bounds }` (or `if (..) < Bounds >`); a
    /// trait bound with equalities gives several.
    fn quantified_inline_bound(&mut self) -> PResult<Vec<QuantifiedInlineBound>> {
        self.nested(Self::quantified_inline_bound_unlimited)
    }

    /// One bound, one nesting level counted by the caller
    /// ([`Parser::quantified_inline_bound`]).
    fn quantified_inline_bound_unlimited(&mut self) -> PResult<Vec<QuantifiedInlineBound>> {
        let start = self.start();
        let params = self.quantified_params()?;
        if self.eat_punct(Punct::Question) {
            let trait_name = self.ident("a trait name after `?`")?;
            return Ok(vec![QuantifiedInlineBound {
                params,
                bound: InlineBound::Relaxed(trait_name),
                span: self.span_from(start),
            }]);
        }
        if self.token().kind == TokenKind::Lifetime {
            let lifetime = self.lifetime()?;
            return Ok(vec![QuantifiedInlineBound {
                params,
                bound: InlineBound::Outlives(lifetime),
                span: self.span_from(start),
            }]);
        }
        if self.is_word("if") && self.is_punct_at(1, Punct::LParen) {
            self.bump();
            self.bump();
            let mut conditions = Vec::new();
            while !self.is_punct(Punct::RParen) {
                conditions.extend(self.quantified_where_clause()?);
                if !(self.eat_punct(Punct::Semi) || self.eat_punct(Punct::Comma)) {
                    break;
                }
            }
            self.expect_punct(Punct::RParen, "after the condition")?;
            let closer = if self.eat_punct(Punct::LBrace) {
                Punct::RBrace
            } else if self.eat_punct(Punct::LAngle) {
                Punct::RAngle
            } else {
                return Err(self.unexpected("`{` or `<` before the conditional bounds"));
            };
            let bounds = self.bounds()?;
            self.expect_punct(closer, "after the conditional bounds")?;
            return Ok(vec![QuantifiedInlineBound {
                params,
                bound: InlineBound::Conditional(ConditionalBound { conditions, bounds }),
                span: self.span_from(start),
            }]);
        }
        let trait_name = self.ident("a trait bound")?;
        let BoundArgs {
            args,
            equalities,
            assoc_bounds,
        } = self.bound_args()?;
        let span = self.span_from(start);
        let trait_bound = |assoc_bounds: Vec<AssocItemBound>| TraitBound {
            trait_name: trait_name.clone(),
            args: args.clone(),
            assoc_bounds,
            span,
        };
        let quantified = |bound: InlineBound| QuantifiedInlineBound {
            params: params.clone(),
            bound,
            span,
        };
        // chalk writes `Trait<A = T>` as one `AliasEq` bound (which implies the
        // trait); the plain trait bound is only added when nothing else
        // carries it or when it carries associated-item bounds.
        let mut bounds = Vec::new();
        if equalities.is_empty() || !assoc_bounds.is_empty() {
            bounds.push(quantified(InlineBound::Trait(trait_bound(assoc_bounds))));
        }
        for (name, args, value) in equalities {
            bounds.push(quantified(InlineBound::AliasEq(AliasEqBound {
                trait_bound: trait_bound(Vec::new()),
                name,
                args,
                value,
            })));
        }
        Ok(bounds)
    }

    /// The angle brackets after a trait name in bound position: arguments,
    /// `Name<B> = T` equalities and `m(..): Bound` / `Assoc: Bound` bounds.
    fn bound_args(&mut self) -> PResult<BoundArgs> {
        let mut result = BoundArgs::default();
        if !self.eat_punct(Punct::LAngle) {
            return Ok(result);
        }
        while !self.is_punct(Punct::RAngle) {
            let start = self.start();
            if self.is_ident_at(0) && !self.is_word("fn") && self.is_punct_at(1, Punct::LParen) {
                let name = self.ident("a method name")?;
                let style = self.rtn_parens()?;
                self.expect_punct(Punct::Colon, "after the method's return type notation")?;
                let bounds = self.bounds()?;
                result.assoc_bounds.push(AssocItemBound {
                    name,
                    args: Vec::new(),
                    style,
                    bounds,
                    span: self.span_from(start),
                });
            } else if self.is_ident_at(0) && self.is_punct_at(1, Punct::Eq) {
                let name = self.ident("an associated type name")?;
                self.bump();
                let value = self.ty()?;
                result.equalities.push((name, Vec::new(), value));
            } else if self.is_ident_at(0) && self.is_punct_at(1, Punct::Colon) {
                let name = self.ident("an associated item name")?;
                self.bump();
                let bounds = self.bounds()?;
                result.assoc_bounds.push(AssocItemBound {
                    name,
                    args: Vec::new(),
                    style: RtnStyle::Bare,
                    bounds,
                    span: self.span_from(start),
                });
            } else {
                let arg = self.generic_arg()?;
                let applied = match &arg {
                    GenericArg::Ty(Ty {
                        kind: TyKind::Apply(name, args),
                        ..
                    }) => Some((name.clone(), args.clone())),
                    _ => None,
                };
                match applied {
                    Some((name, args)) if self.eat_punct(Punct::Eq) => {
                        let value = self.ty()?;
                        result.equalities.push((name, args, value));
                    }
                    Some((name, args)) if self.is_punct(Punct::Colon) => {
                        // `Assoc<'a>: Bound`, or the explainer's `m<'a>: Send`.
                        self.bump();
                        let bounds = self.bounds()?;
                        result.assoc_bounds.push(AssocItemBound {
                            name,
                            args,
                            style: RtnStyle::Bare,
                            bounds,
                            span: self.span_from(start),
                        });
                    }
                    _ => result.args.push(arg),
                }
            }
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        self.expect_punct(Punct::RAngle, "or `,` after the trait's arguments")?;
        Ok(result)
    }

    // -----------------------------------------------------------------------
    // Where clauses.

    /// `where WC, WC`, or nothing.
    pub(super) fn where_clauses(&mut self) -> PResult<Vec<QuantifiedWhereClause>> {
        if !self.eat_word("where") {
            return Ok(Vec::new());
        }
        let mut clauses = Vec::new();
        loop {
            if self.is_punct(Punct::LBrace)
                || self.is_punct(Punct::Semi)
                || self.is_punct(Punct::Eq)
                || self.at_eof()
            {
                break;
            }
            clauses.extend(self.quantified_where_clause()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        Ok(clauses)
    }

    /// Whether `for<..>` at the current position starts a fn pointer type
    /// rather than quantifying a where clause.
    fn for_starts_fn_pointer(&self) -> bool {
        let Some(close) = (1..64).find(|&i| {
            self.is_punct_at(i, Punct::RAngle) || self.token_at(i).kind == TokenKind::Eof
        }) else {
            return false;
        };
        self.is_word_at(close + 1, "fn")
            || self.is_word_at(close + 1, "unsafe")
            || self.is_word_at(close + 1, "extern")
    }

    /// `[forall<P>] WC` or `[for<P>] WC`: one where clause, possibly
    /// expanded: `T: Tr<A = U>` gives the `Implemented` clause then one
    /// `AliasEq` per equality, all with the same span.
    fn quantified_where_clause(&mut self) -> PResult<Vec<QuantifiedWhereClause>> {
        let start = self.start();
        let params =
            if self.is_word("forall") || (self.is_word("for") && !self.for_starts_fn_pointer()) {
                if self.is_punct_at(1, Punct::LAngle) {
                    self.bump();
                    self.params()?
                } else {
                    return Err(self.unexpected("`<` after `forall`"));
                }
            } else {
                Vec::new()
            };
        let clauses = self.where_clause()?;
        let span = self.span_from(start);
        Ok(clauses
            .into_iter()
            .map(|where_clause| QuantifiedWhereClause {
                params: params.clone(),
                where_clause,
                span,
            })
            .collect())
    }

    /// `'a: 'b`, or `Ty: Bounds` (see [`Parser::where_clause_bounds`]).
    fn where_clause(&mut self) -> PResult<Vec<WhereClause>> {
        if self.token().kind == TokenKind::Lifetime {
            let a = self.lifetime()?;
            self.expect_punct(Punct::Colon, "after the lifetime")?;
            let b = self.lifetime()?;
            return Ok(vec![WhereClause::LifetimeOutlives { a, b }]);
        }
        let self_ty = self.ty()?;
        self.expect_punct(Punct::Colon, "after the type in a where clause")?;
        self.where_clause_bounds(self_ty)
    }

    /// The part after `Ty:` in a where clause.
    pub(super) fn where_clause_bounds(&mut self, self_ty: Ty) -> PResult<Vec<WhereClause>> {
        match self_ty.kind {
            TyKind::ReturnTypeNotation(rtn) => {
                let bounds = self.bounds()?;
                return Ok(vec![WhereClause::Rtn { rtn: *rtn, bounds }]);
            }
            TyKind::ShorthandProjection { .. } => {
                let bounds = self.bounds()?;
                return Ok(vec![WhereClause::ShorthandBound { self_ty, bounds }]);
            }
            _ => {}
        }
        let mut clauses = Vec::new();
        loop {
            if self.eat_punct(Punct::Question) {
                let trait_name = self.ident("a trait name after `?`")?;
                clauses.push(WhereClause::Relaxed {
                    ty: self_ty.clone(),
                    trait_name,
                });
            } else if self.token().kind == TokenKind::Lifetime {
                let lifetime = self.lifetime()?;
                clauses.push(WhereClause::TypeOutlives {
                    ty: self_ty.clone(),
                    lifetime,
                });
            } else {
                let start = self.start();
                let trait_name = self.ident("a trait name or a lifetime after `:`")?;
                let BoundArgs {
                    args,
                    equalities,
                    assoc_bounds,
                } = self.bound_args()?;
                let span = self.span_from(start);
                let mut full_args = vec![GenericArg::Ty(self_ty.clone())];
                full_args.extend(args.iter().cloned());
                let trait_ref = TraitRef {
                    trait_name: trait_name.clone(),
                    args: full_args,
                    span,
                };
                if assoc_bounds.is_empty() {
                    clauses.push(WhereClause::Implemented(trait_ref.clone()));
                } else {
                    clauses.push(WhereClause::BoundWithAssocBounds {
                        self_ty: self_ty.clone(),
                        bound: TraitBound {
                            trait_name,
                            args,
                            assoc_bounds,
                            span,
                        },
                    });
                }
                for (name, args, ty) in equalities {
                    clauses.push(WhereClause::AliasEq {
                        projection: ProjectionTy {
                            trait_ref: trait_ref.clone(),
                            name,
                            args,
                        },
                        ty,
                    });
                }
            }
            // `T: A + B` is a chalkboard extension; stop before a `+` that
            // does not continue with a bound.
            let continues = self.is_punct(Punct::Plus)
                && (self.is_ident_at(1)
                    || self.token_at(1).kind == TokenKind::Lifetime
                    || self.is_punct_at(1, Punct::Question));
            if !continues {
                break;
            }
            self.bump();
        }
        Ok(clauses)
    }
}
