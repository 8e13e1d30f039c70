//! Lowering of types, generic arguments, trait references, bounds and where
//! clauses.

use chalk_ir::cast::Cast;
use chalk_ir::{
    AliasEq, AliasTy, BoundVar, DebruijnIndex, FnPointer, FnSig, FnSubst, GenericArg, Lifetime,
    LifetimeData, Mutability, ProjectionTy, QuantifiedWhereClause, Safety, Scalar, Substitution,
    TraitRef, Ty, TyKind, TyVariableKind, VariableKind, WhereClause,
};
use chalk_solve::rust_ir::{self, IntoWhereClauses};

use super::env::{kind_of_arg, kind_of_var, lifetime_key, new_params, Env, NewParam, TypeLookup};
use super::errors::{self, Failure, Kind, KindSite, LResult};
use crate::interner::{FnAbi, Ir};
use chalkboard_syntax::ast::{self, Span};

/// The name of the hidden `Self` binder of `dyn` types and opaque bounds;
/// it cannot be written in source, so it never clashes with a user name.
pub(crate) const HIDDEN_SELF: &str = "__FIXME_SELF__";

pub(crate) fn hidden_self_param(span: Span) -> NewParam {
    NewParam {
        key: HIDDEN_SELF.to_string(),
        kind: VariableKind::Ty(TyVariableKind::General),
        span,
    }
}

pub(crate) fn usize_ty() -> Ty<Ir> {
    TyKind::Scalar(Scalar::Uint(chalk_ir::UintTy::Usize)).intern(Ir)
}

impl Env<'_> {
    /// Rule [`lower-ty`](crate::rules::LOWER_TY).
    pub(crate) fn lower_ty(&self, ty: &ast::Ty) -> LResult<Ty<Ir>> {
        use ast::TyKind as T;
        Ok(match &ty.kind {
            // Rule [`lower-ty-name`](crate::rules::LOWER_TY_NAME): a bare name goes through generic-argument
            // lookup and must turn out to be a type.
            T::Name(name) => {
                let arg = self.lookup_generic_arg(&name.text, name.span)?;
                match arg.ty(Ir) {
                    Some(t) => t.clone(),
                    None => {
                        return Err(errors::wrong_kind(
                            KindSite::Param,
                            &name.text,
                            Kind::Ty,
                            kind_of_arg(&arg),
                            name.span,
                        )
                        .into())
                    }
                }
            }
            T::Apply(name, args) => self.lower_apply(name, args, ty.span)?,
            // Rule [`lower-dyn`](crate::rules::LOWER_DYN): the bounds live under a fresh binder for the
            // erased self type, which each bound takes as its self type.
            T::Dyn { bounds, lifetime } => {
                let bounds = self.in_binders(&[hidden_self_param(ty.span)], |env| {
                    let self_ty =
                        TyKind::BoundVar(BoundVar::new(DebruijnIndex::INNERMOST, 0)).intern(Ir);
                    let lowered = env.lower_inline_bounds(bounds)?;
                    Ok(chalk_ir::QuantifiedWhereClauses::from_iter(
                        Ir,
                        lowered
                            .into_iter()
                            .flat_map(|b| b.into_where_clauses(Ir, self_ty.clone())),
                    ))
                })?;
                // chalk's syntax requires the lifetime; an elided one can only
                // come from a method signature, where it means "some region".
                let lifetime = match lifetime {
                    Some(l) => self.lower_lifetime(l)?,
                    None => LifetimeData::Erased.intern(Ir),
                };
                TyKind::Dyn(chalk_ir::DynTy { bounds, lifetime }).intern(Ir)
            }
            T::Projection(p) => {
                TyKind::Alias(AliasTy::Projection(self.lower_projection(p)?)).intern(Ir)
            }
            // Rule [`lower-fn-ptr`](crate::rules::LOWER_FN_PTR): `for<'a..>` opens a binder level that is
            // not wrapped in `Binders` (the fn pointer counts it itself); the
            // return type is the last element of the substitution.
            T::FnPtr {
                lifetimes,
                argument_types,
                return_type,
                sig,
            } => {
                let params: Vec<NewParam> = lifetimes
                    .iter()
                    .map(|l| NewParam {
                        key: lifetime_key(&l.text),
                        kind: VariableKind::Lifetime,
                        span: l.span,
                    })
                    .collect();
                let inner = self.introduce(&params)?;
                let mut tys = Vec::with_capacity(argument_types.len() + 1);
                for t in argument_types {
                    tys.push(inner.lower_ty(t)?.cast(Ir));
                }
                tys.push(inner.lower_ty(return_type)?.cast(Ir));
                TyKind::Function(FnPointer {
                    num_binders: lifetimes.len(),
                    substitution: FnSubst(Substitution::from_iter(Ir, tys)),
                    sig: lower_fn_sig(sig, ty.span)?,
                })
                .intern(Ir)
            }
            T::Tuple(tys) => {
                let mut args = Vec::with_capacity(tys.len());
                for t in tys {
                    args.push(self.lower_ty(t)?.cast(Ir));
                }
                TyKind::Tuple(tys.len(), Substitution::from_iter(Ir, args)).intern(Ir)
            }
            T::Scalar(s) => TyKind::Scalar(lower_scalar(*s)).intern(Ir),
            T::Str => TyKind::Str.intern(Ir),
            T::Never => TyKind::Never.intern(Ir),
            T::Slice(t) => TyKind::Slice(self.lower_ty(t)?).intern(Ir),
            T::Array(t, len) => TyKind::Array(self.lower_ty(t)?, self.lower_const(len)?).intern(Ir),
            T::Raw(m, t) => TyKind::Raw(lower_mutability(*m), self.lower_ty(t)?).intern(Ir),
            T::Ref(m, lifetime, t) => {
                let lifetime = match lifetime {
                    Some(l) => self.lower_lifetime(l)?,
                    None => return Err(errors::missing_lifetime(ty.span).into()),
                };
                TyKind::Ref(lower_mutability(*m), lifetime, self.lower_ty(t)?).intern(Ir)
            }
            T::ShorthandProjection { .. } => {
                return Err(
                    errors::unsupported_here("a shorthand projection `T::Name`", ty.span).into(),
                )
            }
            T::ImplTrait(_) => return Err(errors::unsupported_here(
                "an `impl Trait` type",
                ty.span,
            )
            .with_help(
                "`impl Trait` is only allowed as the return type of a trait's or an impl's method",
            )
            .into()),
            T::ReturnTypeNotation(_) => {
                return Err(errors::unsupported_here("return type notation", ty.span).into())
            }
            T::Error => return Err(Failure::Reported),
        })
    }

    /// Rule [`lower-ty-apply`](crate::rules::LOWER_TY_APPLY): `Name<Args>` on an ADT, fn, closure, opaque type
    /// or coroutine, with arity then kind checks.
    fn lower_apply(
        &self,
        name: &ast::Ident,
        args: &[ast::GenericArg],
        span: Span,
    ) -> LResult<Ty<Ir>> {
        let raw = match self.lookup_type(&name.text) {
            None => return Err(errors::unknown_applied_type(&name.text, name.span).into()),
            Some(TypeLookup::Param(..)) => {
                return Err(errors::applied_type_parameter(&name.text, name.span).into())
            }
            Some(TypeLookup::Trait) => {
                return Err(errors::trait_used_as_type(&name.text, name.span).into())
            }
            Some(TypeLookup::Foreign(_)) => {
                return Err(errors::wrong_arity(&name.text, 0, args.len(), span).into())
            }
            Some(TypeLookup::Adt(id)) => id.0,
            Some(TypeLookup::FnDef(id)) => id.0,
            Some(TypeLookup::Closure(id)) => id.0,
            Some(TypeLookup::Opaque(id)) => id.0,
            Some(TypeLookup::Coroutine(id)) => id.0,
        };
        let sig = self.sig(raw);
        if sig.params.len() != args.len() {
            return Err(errors::wrong_arity(&name.text, sig.params.len(), args.len(), span).into());
        }
        let mut lowered = Vec::with_capacity(args.len());
        for a in args {
            lowered.push(self.lower_generic_arg(a)?);
        }
        for ((param, arg), ast_arg) in sig.params.iter().zip(&lowered).zip(args) {
            if kind_of_var(param) != kind_of_arg(arg) {
                return Err(errors::wrong_kind(
                    KindSite::Param,
                    &name.text,
                    kind_of_var(param),
                    kind_of_arg(arg),
                    ast_arg.span(),
                )
                .into());
            }
        }
        let subst = Substitution::from_iter(Ir, lowered);
        Ok(match self.lookup_type(&name.text) {
            Some(TypeLookup::Adt(id)) => TyKind::Adt(id, subst),
            Some(TypeLookup::FnDef(id)) => TyKind::FnDef(id, subst),
            Some(TypeLookup::Closure(id)) => TyKind::Closure(id, subst),
            Some(TypeLookup::Opaque(id)) => TyKind::OpaqueType(id, subst),
            Some(TypeLookup::Coroutine(id)) => TyKind::Coroutine(id, subst),
            _ => return Err(errors::unknown_applied_type(&name.text, name.span).into()),
        }
        .intern(Ir))
    }

    /// Rule [`lower-generic-arg`](crate::rules::LOWER_GENERIC_ARG): a bare name may be any kind of parameter, so
    /// it goes through generic-argument lookup rather than type lowering.
    pub(crate) fn lower_generic_arg(&self, arg: &ast::GenericArg) -> LResult<GenericArg<Ir>> {
        match arg {
            ast::GenericArg::Ty(ast::Ty {
                kind: ast::TyKind::Name(name),
                ..
            }) => self.lookup_generic_arg(&name.text, name.span),
            ast::GenericArg::Ty(t) => Ok(self.lower_ty(t)?.cast(Ir)),
            ast::GenericArg::Lifetime(l) => Ok(self.lower_lifetime(l)?.cast(Ir)),
            ast::GenericArg::Const(ast::Const::Name(name)) => {
                self.lookup_generic_arg(&name.text, name.span)
            }
            ast::GenericArg::Const(c) => Ok(self.lower_const(c)?.cast(Ir)),
        }
    }

    /// Rule [`lower-lifetime`](crate::rules::LOWER_LIFETIME).
    pub(crate) fn lower_lifetime(&self, l: &ast::Lifetime) -> LResult<Lifetime<Ir>> {
        match &l.kind {
            ast::LifetimeKind::Named(n) => {
                let key = lifetime_key(n);
                let arg = self.lookup_generic_arg(&key, l.span)?;
                match arg.lifetime(Ir) {
                    Some(lt) => Ok(*lt),
                    None => Err(errors::wrong_kind(
                        KindSite::Param,
                        &key,
                        Kind::Lifetime,
                        kind_of_arg(&arg),
                        l.span,
                    )
                    .into()),
                }
            }
            ast::LifetimeKind::Static => Ok(LifetimeData::Static.intern(Ir)),
            ast::LifetimeKind::Erased => Ok(LifetimeData::Erased.intern(Ir)),
        }
    }

    /// Rule [`lower-const`](crate::rules::LOWER_CONST): a name must be a const parameter; a literal is a
    /// `usize` constant.
    pub(crate) fn lower_const(&self, c: &ast::Const) -> LResult<chalk_ir::Const<Ir>> {
        match c {
            ast::Const::Name(name) => {
                let arg = self.lookup_generic_arg(&name.text, name.span)?;
                match arg.constant(Ir) {
                    Some(c) => Ok(c.clone()),
                    None => Err(errors::wrong_kind(
                        KindSite::Param,
                        &name.text,
                        Kind::Const,
                        kind_of_arg(&arg),
                        name.span,
                    )
                    .into()),
                }
            }
            ast::Const::Value(v, _) => Ok(chalk_ir::ConstData {
                ty: usize_ty(),
                value: chalk_ir::ConstValue::Concrete(chalk_ir::ConcreteConst { interned: *v }),
            }
            .intern(Ir)),
        }
    }

    /// Rule [`lower-trait-bound`](crate::rules::LOWER_TRAIT_BOUND): trait lookup, then the arguments (without
    /// the self type), then arity and kind checks against the trait's
    /// declared parameters.
    pub(crate) fn lower_trait_bound_parts(
        &self,
        trait_name: &ast::Ident,
        args: &[ast::GenericArg],
        span: Span,
    ) -> LResult<rust_ir::TraitBound<Ir>> {
        let trait_id = self.lookup_trait(trait_name)?;
        let mut lowered = Vec::with_capacity(args.len());
        for a in args {
            lowered.push(self.lower_generic_arg(a)?);
        }
        let sig = self.sig(trait_id.0);
        if sig.params.len() != lowered.len() {
            return Err(errors::wrong_arity(
                &trait_name.text,
                sig.params.len(),
                lowered.len(),
                span,
            )
            .into());
        }
        for ((param, arg), ast_arg) in sig.params.iter().zip(&lowered).zip(args) {
            if kind_of_var(param) != kind_of_arg(arg) {
                return Err(errors::wrong_kind(
                    KindSite::Trait,
                    &trait_name.text,
                    kind_of_var(param),
                    kind_of_arg(arg),
                    ast_arg.span(),
                )
                .into());
            }
        }
        Ok(rust_ir::TraitBound {
            trait_id,
            args_no_self: lowered,
        })
    }

    pub(crate) fn lower_trait_bound(
        &self,
        b: &ast::TraitBound,
    ) -> LResult<rust_ir::TraitBound<Ir>> {
        if let Some(first) = b.assoc_bounds.first() {
            return Err(errors::unsupported_here("an associated item bound", first.span).into());
        }
        self.lower_trait_bound_parts(&b.trait_name, &b.args, b.span)
    }

    /// Rule [`lower-trait-ref`](crate::rules::LOWER_TRAIT_REF): `args[0]` is the self type; the rest are the
    /// trait's arguments, lowered first as chalk does.
    pub(crate) fn lower_trait_ref(&self, tr: &ast::TraitRef) -> LResult<TraitRef<Ir>> {
        let Some((self_arg, rest)) = tr.args.split_first() else {
            return Err(errors::wrong_arity(&tr.trait_name.text, 1, 0, tr.span).into());
        };
        let bound = self.lower_trait_bound_parts(&tr.trait_name, rest, tr.span)?;
        let self_arg = self.lower_generic_arg(self_arg)?;
        let Some(self_ty) = self_arg.ty(Ir).cloned() else {
            return Err(errors::wrong_kind(
                KindSite::Trait,
                &tr.trait_name.text,
                Kind::Ty,
                kind_of_arg(&self_arg),
                tr.args[0].span(),
            )
            .into());
        };
        Ok(bound.as_trait_ref(Ir, self_ty))
    }

    /// Checks the GAT arguments of a projection or alias-equality bound.
    fn lower_assoc_args(
        &self,
        name: &ast::Ident,
        own_params: &[VariableKind<Ir>],
        args: &[ast::GenericArg],
    ) -> LResult<Vec<GenericArg<Ir>>> {
        let mut lowered = Vec::with_capacity(args.len());
        for a in args {
            lowered.push(self.lower_generic_arg(a)?);
        }
        if lowered.len() != own_params.len() {
            return Err(errors::wrong_assoc_arity(
                &name.text,
                own_params.len(),
                lowered.len(),
                name.span,
            )
            .into());
        }
        for ((param, arg), ast_arg) in own_params.iter().zip(&lowered).zip(args) {
            if kind_of_var(param) != kind_of_arg(arg) {
                return Err(errors::wrong_kind(
                    KindSite::AssocType,
                    &name.text,
                    kind_of_var(param),
                    kind_of_arg(arg),
                    ast_arg.span(),
                )
                .into());
            }
        }
        Ok(lowered)
    }

    /// Rule [`lower-projection`](crate::rules::LOWER_PROJECTION): the substitution is the trait reference's
    /// (self first) followed by the associated type's own arguments.
    pub(crate) fn lower_projection(&self, p: &ast::ProjectionTy) -> LResult<ProjectionTy<Ir>> {
        let trait_ref = self.lower_trait_ref(&p.trait_ref)?;
        let lookup = self.lookup_assoc(trait_ref.trait_id, &p.name)?;
        let own = self.lower_assoc_args(&p.name, &lookup.own_params, &p.args)?;
        let all = trait_ref.substitution.iter(Ir).cloned().chain(own);
        Ok(ProjectionTy {
            associated_ty_id: lookup.id,
            substitution: Substitution::from_iter(Ir, all),
        })
    }

    fn lower_inline_bound(
        &self,
        b: &ast::InlineBound,
        span: Span,
    ) -> LResult<rust_ir::InlineBound<Ir>> {
        match b {
            ast::InlineBound::Trait(tb) => Ok(rust_ir::InlineBound::TraitBound(
                self.lower_trait_bound(tb)?,
            )),
            ast::InlineBound::AliasEq(ab) => {
                let trait_bound = self.lower_trait_bound(&ab.trait_bound)?;
                let lookup = self.lookup_assoc(trait_bound.trait_id, &ab.name)?;
                let parameters = self.lower_assoc_args(&ab.name, &lookup.own_params, &ab.args)?;
                Ok(rust_ir::InlineBound::AliasEqBound(rust_ir::AliasEqBound {
                    trait_bound,
                    associated_ty_id: lookup.id,
                    parameters,
                    value: self.lower_ty(&ab.value)?,
                }))
            }
            ast::InlineBound::Outlives(l) => Err(errors::outlives_bound_here(l, span).into()),
            ast::InlineBound::Relaxed(_) => {
                Err(errors::unsupported_here("a relaxed bound `?Sized`", span).into())
            }
            ast::InlineBound::Conditional(_) => Err(errors::unsupported_here(
                "a conditional bound (only allowed on an associated type in a trait)",
                span,
            )
            .into()),
        }
    }

    /// Rule [`lower-inline-bounds`](crate::rules::LOWER_INLINE_BOUNDS): bounds on regular traits first, in source
    /// order, then bounds on auto traits ordered by trait id (chalk's order,
    /// which fixes the order of a `dyn` type's where clauses).
    pub(crate) fn lower_inline_bounds(
        &self,
        bounds: &[ast::QuantifiedInlineBound],
    ) -> LResult<Vec<rust_ir::QuantifiedInlineBound<Ir>>> {
        let mut regular = Vec::new();
        let mut auto = Vec::new();
        for b in bounds {
            let name = match &b.bound {
                ast::InlineBound::Trait(tb) => &tb.trait_name,
                ast::InlineBound::AliasEq(ab) => &ab.trait_bound.trait_name,
                ast::InlineBound::Outlives(l) => {
                    return Err(errors::outlives_bound_here(l, b.span).into())
                }
                ast::InlineBound::Relaxed(_) => {
                    return Err(errors::unsupported_here("a relaxed bound `?Sized`", b.span).into())
                }
                ast::InlineBound::Conditional(_) => {
                    return Err(errors::unsupported_here(
                        "a conditional bound (only allowed on an associated type in a trait)",
                        b.span,
                    )
                    .into())
                }
            };
            let id = self.lookup_trait(name)?;
            if self.is_auto_trait(id) {
                auto.push((b, id));
            } else {
                regular.push((b, id));
            }
        }
        auto.sort_by_key(|(_, id)| *id);
        regular
            .into_iter()
            .chain(auto)
            .map(|(b, _)| {
                self.in_binders(&new_params(&b.params), |env| {
                    env.lower_inline_bound(&b.bound, b.span)
                })
            })
            .collect()
    }

    /// Rule [`lower-where-clauses`](crate::rules::LOWER_WHERE_CLAUSES): lowers a list of where clauses. Each group
    /// written `T: Tr<A = U>` becomes its `AliasEq`s followed by one
    /// `Implemented`, as chalk lowers it, whether the parser split the group
    /// into `Implemented` then `AliasEq`s or wrote a lone `AliasEq`.
    pub(crate) fn lower_where_clauses(
        &self,
        wcs: &[ast::QuantifiedWhereClause],
    ) -> LResult<Vec<QuantifiedWhereClause<Ir>>> {
        let mut out = Vec::new();
        for group in group_where_clauses(wcs) {
            let params = new_params(&group.clauses[0].params);
            let lowered = self.in_binders(&params, |env| env.lower_where_clause_group(&group))?;
            out.extend(lowered);
        }
        Ok(out)
    }

    /// Rule [`lower-where-clause`](crate::rules::LOWER_WHERE_CLAUSE): where clauses outside any quantifier (the
    /// parts of one `Holds` goal or clause head): no binder level is added.
    pub(crate) fn lower_bare_where_clauses(
        &self,
        wcs: &[&ast::WhereClause],
        span: Span,
    ) -> LResult<Vec<WhereClause<Ir>>> {
        let qwcs: Vec<ast::QuantifiedWhereClause> = wcs
            .iter()
            .map(|wc| ast::QuantifiedWhereClause {
                params: Vec::new(),
                where_clause: (*wc).clone(),
                span,
            })
            .collect();
        let mut out = Vec::new();
        for group in group_where_clauses(&qwcs) {
            out.extend(self.lower_where_clause_group(&group)?);
        }
        Ok(out)
    }

    fn lower_where_clause_group(&self, group: &WcGroup<'_>) -> LResult<Vec<WhereClause<Ir>>> {
        let mut v = Vec::new();
        for wc in &group.clauses {
            match &wc.where_clause {
                ast::WhereClause::AliasEq { projection, ty } => {
                    v.push(WhereClause::AliasEq(AliasEq {
                        alias: AliasTy::Projection(self.lower_projection(projection)?),
                        ty: self.lower_ty(ty)?,
                    }))
                }
                ast::WhereClause::Implemented(_) => {}
                other => v.push(self.lower_simple_where_clause(other, wc.span)?),
            }
        }
        if let Some(tr) = group.implemented {
            v.push(WhereClause::Implemented(self.lower_trait_ref(tr)?));
        }
        Ok(v)
    }

    /// Lowers a where clause that is neither `Implemented` nor `AliasEq`.
    fn lower_simple_where_clause(
        &self,
        wc: &ast::WhereClause,
        span: Span,
    ) -> LResult<WhereClause<Ir>> {
        match wc {
            ast::WhereClause::LifetimeOutlives { a, b } => {
                Ok(WhereClause::LifetimeOutlives(chalk_ir::LifetimeOutlives {
                    a: self.lower_lifetime(a)?,
                    b: self.lower_lifetime(b)?,
                }))
            }
            ast::WhereClause::TypeOutlives { ty, lifetime } => {
                Ok(WhereClause::TypeOutlives(chalk_ir::TypeOutlives {
                    ty: self.lower_ty(ty)?,
                    lifetime: self.lower_lifetime(lifetime)?,
                }))
            }
            ast::WhereClause::BoundWithAssocBounds { .. } => {
                Err(errors::unsupported_here("an associated item bound", span).into())
            }
            ast::WhereClause::Rtn { .. } => {
                Err(errors::unsupported_here("a return type notation bound", span).into())
            }
            ast::WhereClause::ShorthandBound { .. } => {
                Err(errors::unsupported_here("a bound on a shorthand projection", span).into())
            }
            ast::WhereClause::Relaxed { .. } => {
                Err(errors::unsupported_here("a relaxed bound `?Sized`", span).into())
            }
            ast::WhereClause::Implemented(tr) => {
                Ok(WhereClause::Implemented(self.lower_trait_ref(tr)?))
            }
            ast::WhereClause::AliasEq { .. } => {
                Err(errors::unsupported_here("this where clause", span).into())
            }
        }
    }
}

/// Where clauses lowered together under one quantifier: usually one, or
/// the parts of `T: Tr<A = U>` (`implemented` is the trait reference of the
/// `Implemented` clause the group ends with, if any).
struct WcGroup<'a> {
    clauses: Vec<&'a ast::QuantifiedWhereClause>,
    implemented: Option<&'a ast::TraitRef>,
}

/// Two trait references written at the same place (the parser copies the
/// one of `T: Tr<A = U>` into each part); spans identify the tokens.
pub(crate) fn same_trait_ref(a: &ast::TraitRef, b: &ast::TraitRef) -> bool {
    a.trait_name.text == b.trait_name.text
        && a.args.len() == b.args.len()
        && a.args
            .iter()
            .zip(&b.args)
            .all(|(x, y)| x.span() == y.span() && x == y)
}

fn alias_eq_trait_ref(wc: &ast::QuantifiedWhereClause) -> Option<&ast::TraitRef> {
    match &wc.where_clause {
        ast::WhereClause::AliasEq { projection, .. } => Some(&projection.trait_ref),
        _ => None,
    }
}

fn group_where_clauses(wcs: &[ast::QuantifiedWhereClause]) -> Vec<WcGroup<'_>> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < wcs.len() {
        let wc = &wcs[i];
        match &wc.where_clause {
            ast::WhereClause::Implemented(tr) => {
                // `Implemented` followed by `AliasEq`s on the same trait ref.
                let mut j = i + 1;
                while j < wcs.len()
                    && wcs[j].params == wc.params
                    && alias_eq_trait_ref(&wcs[j]).is_some_and(|t| same_trait_ref(t, tr))
                {
                    j += 1;
                }
                groups.push(WcGroup {
                    clauses: wcs[i + 1..j].iter().collect(),
                    implemented: Some(tr),
                });
                // Keep the quantifier of the group: the AliasEqs are lowered
                // under `wc.params`, so put `wc` first.
                if let Some(g) = groups.last_mut() {
                    g.clauses.insert(0, wc);
                }
                i = j;
            }
            ast::WhereClause::AliasEq { projection, .. } => {
                let tr = &projection.trait_ref;
                let mut j = i + 1;
                while j < wcs.len()
                    && wcs[j].params == wc.params
                    && alias_eq_trait_ref(&wcs[j]).is_some_and(|t| same_trait_ref(t, tr))
                {
                    j += 1;
                }
                let mut clauses: Vec<_> = wcs[i..j].iter().collect();
                // A following `Implemented` of the same trait ref belongs to
                // this group; otherwise one is implied, as in chalk.
                if j < wcs.len()
                    && wcs[j].params == wc.params
                    && matches!(&wcs[j].where_clause, ast::WhereClause::Implemented(t) if same_trait_ref(t, tr))
                {
                    clauses.push(&wcs[j]);
                    j += 1;
                }
                groups.push(WcGroup {
                    clauses,
                    implemented: Some(tr),
                });
                i = j;
            }
            _ => {
                groups.push(WcGroup {
                    clauses: vec![wc],
                    implemented: None,
                });
                i += 1;
            }
        }
    }
    groups
}

pub(crate) fn lower_scalar(s: ast::ScalarType) -> Scalar {
    use chalk_ir::{FloatTy as F, IntTy as I, UintTy as U};
    match s {
        ast::ScalarType::Bool => Scalar::Bool,
        ast::ScalarType::Char => Scalar::Char,
        ast::ScalarType::Int(i) => Scalar::Int(match i {
            ast::IntTy::Isize => I::Isize,
            ast::IntTy::I8 => I::I8,
            ast::IntTy::I16 => I::I16,
            ast::IntTy::I32 => I::I32,
            ast::IntTy::I64 => I::I64,
            ast::IntTy::I128 => I::I128,
        }),
        ast::ScalarType::Uint(u) => Scalar::Uint(match u {
            ast::UintTy::Usize => U::Usize,
            ast::UintTy::U8 => U::U8,
            ast::UintTy::U16 => U::U16,
            ast::UintTy::U32 => U::U32,
            ast::UintTy::U64 => U::U64,
            ast::UintTy::U128 => U::U128,
        }),
        ast::ScalarType::Float(f) => Scalar::Float(match f {
            ast::FloatTy::F16 => F::F16,
            ast::FloatTy::F32 => F::F32,
            ast::FloatTy::F64 => F::F64,
            ast::FloatTy::F128 => F::F128,
        }),
    }
}

pub(crate) fn lower_mutability(m: ast::Mutability) -> Mutability {
    match m {
        ast::Mutability::Not => Mutability::Not,
        ast::Mutability::Mut => Mutability::Mut,
    }
}

/// Rule [`lower-fn-sig`](crate::rules::LOWER_FN_SIG): only the Rust and C ABIs exist.
pub(crate) fn lower_fn_sig(sig: &ast::FnSig, span: Span) -> LResult<FnSig<Ir>> {
    let abi = match &sig.abi {
        ast::Abi::Rust => FnAbi::Rust,
        ast::Abi::C => FnAbi::C,
        ast::Abi::Other(s) => return Err(errors::invalid_abi(s, span).into()),
    };
    Ok(FnSig {
        abi,
        safety: if sig.is_unsafe {
            Safety::Unsafe
        } else {
            Safety::Safe
        },
        variadic: sig.variadic,
    })
}
