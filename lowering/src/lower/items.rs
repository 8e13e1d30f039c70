//! Lowering of each kind of item into the [`Program`].

use std::sync::Arc;

use chalk_ir::cast::Cast;
use chalk_ir::{
    AdtId, AssocTypeId, BoundVar, ClosureId, CoroutineId, DebruijnIndex, FnDefId, ImplId,
    OpaqueTyId, Substitution, TraitId, TyKind, TyVariableKind, VariableKind,
};
use chalk_solve::rust_ir::{self, IntoWhereClauses};

use super::env::{lifetime_key, new_params, param_of, Env, NewParam};
use super::errors::{self, LResult};
use super::types::{hidden_self_param, lower_fn_sig};
use crate::interner::{Ir, RawId};
use crate::program::{ImplSource, Program};
use chalkboard_syntax::ast::{self, Span};

fn lower_variances(
    name: &ast::Ident,
    n_params: usize,
    variances: &Option<(Vec<ast::Variance>, Span)>,
) -> LResult<Vec<chalk_ir::Variance>> {
    match variances {
        None => Ok(vec![chalk_ir::Variance::Invariant; n_params]),
        Some((v, span)) => {
            if v.len() != n_params {
                return Err(errors::variance_count(&name.text, n_params, v.len(), *span).into());
            }
            Ok(v.iter()
                .map(|v| match v {
                    ast::Variance::Invariant => chalk_ir::Variance::Invariant,
                    ast::Variance::Covariant => chalk_ir::Variance::Covariant,
                    ast::Variance::Contravariant => chalk_ir::Variance::Contravariant,
                })
                .collect())
        }
    }
}

/// The synthetic `Self` parameter of a trait, parameter 0 of the trait.
fn self_param(span: Span) -> NewParam {
    NewParam {
        key: "Self".to_string(),
        kind: VariableKind::Ty(TyVariableKind::General),
        span,
    }
}

/// A trait's parameters: `Self`, then the declared ones.
pub(crate) fn trait_params(t: &ast::TraitDefn) -> Vec<NewParam> {
    let mut p = vec![self_param(t.name.span)];
    p.extend(new_params(&t.params));
    p
}

impl Env<'_> {
    /// Rule [`lower-adt`](crate::rules::LOWER_ADT): `#[fundamental]` needs a parameter; fields and where
    /// clauses sit under the ADT's parameters; then repr and variances.
    pub(crate) fn lower_adt(
        &self,
        d: &ast::AdtDefn,
        id: AdtId<Ir>,
        program: &mut Program,
    ) -> LResult<()> {
        if d.flags.fundamental && d.params.is_empty() {
            return Err(errors::fundamental_without_params(&d.name.text, d.name.span).into());
        }
        if let Some(rule) = d.flags.generated_by {
            program.generated.insert(id.0, rule);
        }
        let binders = self.in_binders(&new_params(&d.params), |env| {
            let mut variants = Vec::with_capacity(d.variants.len());
            for v in &d.variants {
                let mut fields = Vec::with_capacity(v.fields.len());
                for f in &v.fields {
                    fields.push(env.lower_ty(&f.ty)?);
                }
                variants.push(rust_ir::AdtVariantDatum { fields });
            }
            Ok(rust_ir::AdtDatumBound {
                variants,
                where_clauses: env.lower_where_clauses(&d.where_clauses)?,
            })
        })?;
        let datum = rust_ir::AdtDatum {
            id,
            binders,
            flags: rust_ir::AdtFlags {
                upstream: d.flags.upstream,
                fundamental: d.flags.fundamental,
                phantom_data: d.flags.phantom_data,
            },
            kind: match d.kind {
                ast::AdtKind::Struct => rust_ir::AdtKind::Struct,
                ast::AdtKind::Enum => rust_ir::AdtKind::Enum,
            },
        };
        let repr = rust_ir::AdtRepr {
            c: d.repr.c,
            packed: d.repr.packed,
            int: d.repr.int.as_ref().map(|t| self.lower_ty(t)).transpose()?,
        };
        let variances = lower_variances(&d.name, d.params.len(), &d.variances)?;
        program
            .param_names
            .insert(id.0, d.params.iter().map(|p| param_of(p).0).collect());
        program.adt_data.insert(id, Arc::new(datum));
        program.adt_reprs.insert(id, Arc::new(repr));
        program.adt_size_aligns.insert(
            id,
            Arc::new(rust_ir::AdtSizeAlign::from_one_zst(d.flags.one_zst)),
        );
        program.adt_variances.insert(id, variances);
        Ok(())
    }

    /// Rule [`lower-fn-def`](crate::rules::LOWER_FN_DEF): where clauses under the fn's parameters, and the
    /// signature under one more (empty) binder, as chalk-solve expects.
    pub(crate) fn lower_fn_def(
        &self,
        d: &ast::FnDefn,
        id: FnDefId<Ir>,
        program: &mut Program,
    ) -> LResult<()> {
        let binders = self.in_binders(&new_params(&d.params), |env| {
            let where_clauses = env.lower_where_clauses(&d.where_clauses)?;
            let inputs_and_output = env.in_binders(&[], |env| {
                let mut argument_types = Vec::with_capacity(d.argument_types.len());
                for t in &d.argument_types {
                    argument_types.push(env.lower_ty(t)?);
                }
                Ok(rust_ir::FnDefInputsAndOutputDatum {
                    argument_types,
                    return_type: env.lower_ty(&d.return_type)?,
                })
            })?;
            Ok(rust_ir::FnDefDatumBound {
                inputs_and_output,
                where_clauses,
            })
        })?;
        let sig = lower_fn_sig(&d.sig, d.name.span)?;
        let variances = lower_variances(&d.name, d.params.len(), &d.variances)?;
        program
            .fn_def_data
            .insert(id, Arc::new(rust_ir::FnDefDatum { id, sig, binders }));
        program.fn_def_variances.insert(id, variances);
        Ok(())
    }

    /// Rule [`lower-closure`](crate::rules::LOWER_CLOSURE): signature and upvars (as one tuple) under the
    /// closure's parameters.
    pub(crate) fn lower_closure(
        &self,
        d: &ast::ClosureDefn,
        id: ClosureId<Ir>,
        program: &mut Program,
    ) -> LResult<()> {
        let params = new_params(&d.params);
        let inputs_and_output = self.in_binders(&params, |env| {
            let mut argument_types = Vec::with_capacity(d.argument_types.len());
            for t in &d.argument_types {
                argument_types.push(env.lower_ty(t)?);
            }
            Ok(rust_ir::FnDefInputsAndOutputDatum {
                argument_types,
                return_type: env.lower_ty(&d.return_type)?,
            })
        })?;
        let upvars = self.in_binders(&params, |env| {
            let mut tys = Vec::with_capacity(d.upvars.len());
            for t in &d.upvars {
                tys.push(env.lower_ty(t)?.cast(Ir));
            }
            Ok(TyKind::Tuple(d.upvars.len(), Substitution::from_iter(Ir, tys)).intern(Ir))
        })?;
        let kind = match d.kind {
            ast::ClosureKind::Fn => rust_ir::ClosureKind::Fn,
            ast::ClosureKind::FnMut => rust_ir::ClosureKind::FnMut,
            ast::ClosureKind::FnOnce => rust_ir::ClosureKind::FnOnce,
        };
        program.closure_kinds.insert(id, kind);
        program
            .closure_inputs_and_output
            .insert(id, inputs_and_output);
        program.closure_upvars.insert(id, upvars);
        Ok(())
    }

    /// Rule [`lower-trait`](crate::rules::LOWER_TRAIT): `Self` is parameter 0; auto traits take no
    /// parameters and no where clauses.
    pub(crate) fn lower_trait(
        &self,
        d: &ast::TraitDefn,
        id: TraitId<Ir>,
        program: &mut Program,
    ) -> LResult<()> {
        if let Some(m) = d.methods.first() {
            return Err(errors::unsupported_here("a method", m.sig.span).into());
        }
        let params = trait_params(d);
        let binders = self.in_binders(&params, |env| {
            if d.flags.auto {
                if let Some(p) = d.params.first() {
                    return Err(errors::auto_trait_params(&d.name.text, p.name.span).into());
                }
                if let Some(wc) = d.where_clauses.first() {
                    return Err(errors::auto_trait_where_clauses(&d.name.text, wc.span).into());
                }
            }
            Ok(rust_ir::TraitDatumBound {
                where_clauses: env.lower_where_clauses(&d.where_clauses)?,
            })
        })?;
        let mut associated_ty_ids = Vec::with_capacity(d.assoc_ty_defns.len());
        for a in &d.assoc_ty_defns {
            if let Some(lookup) = self.names.assoc_types.get(&(id, a.name.text.clone())) {
                associated_ty_ids.push(lookup.id);
            }
        }
        let well_known = d.well_known.map(lower_well_known);
        let datum = rust_ir::TraitDatum {
            id,
            binders,
            flags: rust_ir::TraitFlags {
                auto: d.flags.auto,
                marker: d.flags.marker,
                upstream: d.flags.upstream,
                fundamental: d.flags.fundamental,
                non_enumerable: d.flags.non_enumerable,
                coinductive: d.flags.coinductive,
            },
            associated_ty_ids,
            well_known,
        };
        if let Some(wk) = well_known {
            program.well_known_traits.insert(wk, id);
        }
        if d.flags.object_safe {
            program.object_safe_traits.insert(id);
        }
        program.trait_data.insert(id, Arc::new(datum));
        Ok(())
    }

    /// Rule [`lower-assoc-ty-defn`](crate::rules::LOWER_ASSOC_TY_DEFN): bounds and where clauses under the trait's
    /// parameters (`Self` first) followed by the GAT's own.
    pub(crate) fn lower_assoc_ty_defn(
        &self,
        t: &ast::TraitDefn,
        trait_id: TraitId<Ir>,
        a: &ast::AssocTyDefn,
        id: AssocTypeId<Ir>,
        program: &mut Program,
    ) -> LResult<()> {
        let mut params = trait_params(t);
        params.extend(new_params(&a.params));
        let (unconditional, conditional): (Vec<_>, Vec<_>) = a
            .bounds
            .iter()
            .partition(|b| !matches!(b.bound, ast::InlineBound::Conditional(_)));
        let unconditional: Vec<ast::QuantifiedInlineBound> =
            unconditional.into_iter().cloned().collect();
        let binders = self.in_binders(&params, |env| {
            Ok(rust_ir::AssociatedTyDatumBound {
                bounds: env.lower_inline_bounds(&unconditional)?,
                where_clauses: env.lower_where_clauses(&a.where_clauses)?,
            })
        })?;
        for bound in conditional {
            if let ast::InlineBound::Conditional(cond) = &bound.bound {
                let clauses =
                    self.lower_conditional_bound(trait_id, id, t.params.len(), &params, cond)?;
                program
                    .conditional_bounds
                    .push(crate::program::ConditionalBoundInfo {
                        trait_id,
                        assoc_ty_id: id,
                        span: bound.span,
                        clauses: clauses.clone(),
                    });
                program.custom_clauses.extend(clauses);
            }
        }
        if a.async_fn_once_output {
            program
                .well_known_assoc_types
                .insert(rust_ir::WellKnownAssocType::AsyncFnOnceOutput, id);
        }
        program.assoc_ty_spans.insert(id, a.span);
        program.associated_ty_data.insert(
            id,
            Arc::new(rust_ir::AssociatedTyDatum {
                trait_id,
                id,
                name: a.name.text.clone(),
                binders,
            }),
        );
        Ok(())
    }

    /// Rule [`conditional-bound-to-clause`](crate::rules::CONDITIONAL_BOUND_TO_CLAUSE): a conditional bound on an
    /// associated type, `type Fut<P..>: if (C..) { B };`, gives callers one
    /// program clause per bound in `B`:
    ///
    /// ```notrust
    /// forall<Self, TraitParams.., P..> {
    ///     Implemented((Trait::Fut)<Self, TraitParams.., P..>: B) :-
    ///         Implemented(Self: Trait<TraitParams..>), C..
    /// }
    /// ```
    ///
    /// The self type is the associated type's placeholder, the form chalk's
    /// own associated-type bound rule uses, so both `<T as Trait>::Fut` (which
    /// normalizes to it when no impl is known) and the placeholder match. For
    /// implementers the bound is an obligation checked at each impl (by the
    /// design checks), not a clause.
    pub(crate) fn lower_conditional_bound(
        &self,
        trait_id: TraitId<Ir>,
        assoc_ty_id: chalk_ir::AssocTypeId<Ir>,
        n_trait_params: usize,
        params: &[NewParam],
        cond: &ast::ConditionalBound,
    ) -> LResult<Vec<chalk_ir::ProgramClause<Ir>>> {
        let binders = self.in_binders(params, |env| {
            let all_params: Vec<chalk_ir::GenericArg<Ir>> = params
                .iter()
                .enumerate()
                .map(|(i, p)| chalk_ir::ToGenericArg::to_generic_arg(&(i, &p.kind), Ir))
                .collect();
            let placeholder = chalk_ir::TyKind::AssociatedType(
                assoc_ty_id,
                chalk_ir::Substitution::from_iter(Ir, all_params.iter().cloned()),
            )
            .intern(Ir);
            let trait_ref = chalk_ir::TraitRef {
                trait_id,
                substitution: chalk_ir::Substitution::from_iter(
                    Ir,
                    all_params.iter().take(1 + n_trait_params).cloned(),
                ),
            };
            let mut conditions: Vec<chalk_ir::Goal<Ir>> =
                vec![
                    chalk_ir::DomainGoal::Holds(chalk_ir::WhereClause::Implemented(trait_ref))
                        .cast(Ir),
                ];
            for qwc in env.lower_where_clauses(&cond.conditions)? {
                conditions.push(quantified_where_clause_goal(qwc));
            }
            let mut consequences = Vec::new();
            for b in env.lower_inline_bounds(&cond.bounds)? {
                // A bound quantified with `forall<..>` inside a conditional is
                // rare; its variables stay bound in the consequence's binder.
                for wc in b.into_where_clauses(Ir, placeholder.clone()) {
                    let wc = wc.substitute(Ir, &[] as &[chalk_ir::GenericArg<Ir>]);
                    consequences.push(wc);
                }
            }
            Ok(ConditionalClauses {
                consequences,
                conditions,
            })
        })?;
        let kinds = binders.binders.clone();
        let ConditionalClauses {
            consequences,
            conditions,
        } = binders.skip_binders().clone();
        Ok(consequences
            .into_iter()
            .map(|wc| {
                chalk_ir::ProgramClauseData(chalk_ir::Binders::new(
                    kinds.clone(),
                    chalk_ir::ProgramClauseImplication {
                        consequence: chalk_ir::DomainGoal::Holds(wc),
                        conditions: chalk_ir::Goals::from_iter(Ir, conditions.iter().cloned()),
                        constraints: chalk_ir::Constraints::empty(Ir),
                        priority: chalk_ir::ClausePriority::High,
                    },
                ))
                .intern(Ir)
            })
            .collect())
    }

    /// Rule [`lower-impl`](crate::rules::LOWER_IMPL): trait reference and where clauses under the impl's
    /// parameters; negative impls define no associated types.
    pub(crate) fn lower_impl(
        &self,
        d: &ast::ImplDefn,
        id: ImplId<Ir>,
        value_ids: &[(String, rust_ir::AssociatedTyValueId<Ir>)],
        program: &mut Program,
    ) -> LResult<()> {
        if let Some(m) = d.methods.first() {
            return Err(errors::unsupported_here("a method", m.sig.span).into());
        }
        if let Some(rule) = d.generated_by {
            program.generated.insert(id.0, rule);
        }
        let polarity = match d.polarity {
            ast::Polarity::Positive => rust_ir::Polarity::Positive,
            ast::Polarity::Negative => rust_ir::Polarity::Negative,
        };
        let params = new_params(&d.params);
        let binders = self.in_binders(&params, |env| {
            let trait_ref = env.lower_trait_ref(&d.trait_ref)?;
            if polarity == rust_ir::Polarity::Negative {
                if let Some(v) = d.assoc_ty_values.first() {
                    return Err(errors::negative_impl_assoc_values(
                        &d.trait_ref.trait_name.text,
                        v.span,
                    )
                    .into());
                }
            }
            Ok(rust_ir::ImplDatumBound {
                trait_ref,
                where_clauses: env.lower_where_clauses(&d.where_clauses)?,
            })
        })?;
        let trait_id = binders.skip_binders().trait_ref.trait_id;

        let mut values = Vec::with_capacity(d.assoc_ty_values.len());
        for (atv, (_, value_id)) in d.assoc_ty_values.iter().zip(value_ids) {
            let lookup = self.lookup_assoc(trait_id, &atv.name)?;
            let mut all = params.clone();
            all.extend(new_params(&atv.params));
            let value = self.in_binders(&all, |env| {
                Ok(rust_ir::AssociatedTyValueBound {
                    ty: env.lower_ty(&atv.value)?,
                })
            })?;
            values.push((
                *value_id,
                rust_ir::AssociatedTyValue {
                    impl_id: id,
                    associated_ty_id: lookup.id,
                    value,
                },
            ));
        }

        let header_end = d
            .trait_ref
            .args
            .iter()
            .map(|a| a.span().end)
            .chain([d.trait_ref.span.end])
            .max()
            .unwrap_or(d.span.end);
        program.impl_sources.insert(
            id,
            ImplSource {
                span: d.span,
                header: Span {
                    start: d.span.start,
                    end: header_end.max(d.span.start),
                },
                trait_name: d.trait_ref.trait_name.text.clone(),
            },
        );
        program.impl_data.insert(
            id,
            Arc::new(rust_ir::ImplDatum {
                polarity,
                binders,
                impl_type: if d.upstream {
                    rust_ir::ImplType::External
                } else {
                    rust_ir::ImplType::Local
                },
                associated_ty_value_ids: value_ids.iter().map(|(_, v)| *v).collect(),
            }),
        );
        let names = |params: &[ast::VariableKind]| -> Vec<String> {
            params.iter().map(|p| param_of(p).0).collect()
        };
        program.param_names.insert(id.0, names(&d.params).into());
        for (atv, (_, value_id)) in d.assoc_ty_values.iter().zip(value_ids) {
            let mut all = names(&d.params);
            all.extend(names(&atv.params));
            program.param_names.insert(value_id.0, all.into());
        }
        for (vid, v) in values {
            program.associated_ty_values.insert(vid, Arc::new(v));
        }
        Ok(())
    }

    /// Rule [`lower-opaque`](crate::rules::LOWER_OPAQUE): the hidden type under the opaque's parameters;
    /// bounds and where clauses under one more binder for the hidden `Self`.
    pub(crate) fn lower_opaque(
        &self,
        d: &ast::OpaqueTyDefn,
        id: OpaqueTyId<Ir>,
        program: &mut Program,
    ) -> LResult<()> {
        let mut hidden = None;
        let bound = self.in_binders(&new_params(&d.params), |env| {
            hidden = Some(env.lower_ty(&d.hidden_ty)?);
            let bounds = env.in_binders(&[hidden_self_param(d.name.span)], |env| {
                let self_ty =
                    TyKind::BoundVar(BoundVar::new(DebruijnIndex::INNERMOST, 0)).intern(Ir);
                Ok(env
                    .lower_inline_bounds(&d.bounds)?
                    .into_iter()
                    .flat_map(|b| b.into_where_clauses(Ir, self_ty.clone()))
                    .collect::<Vec<_>>())
            })?;
            let where_clauses = env.in_binders(&[hidden_self_param(d.name.span)], |env| {
                env.lower_where_clauses(&d.where_clauses)
            })?;
            Ok(rust_ir::OpaqueTyDatumBound {
                bounds,
                where_clauses,
            })
        })?;
        if let Some(h) = hidden {
            program.hidden_opaque_types.insert(id, h);
        }
        program.opaque_ty_data.insert(
            id,
            Arc::new(rust_ir::OpaqueTyDatum {
                opaque_ty_id: id,
                bound,
            }),
        );
        Ok(())
    }

    /// Rule [`lower-coroutine`](crate::rules::LOWER_COROUTINE): resume/yield/return types and upvars under the
    /// coroutine's parameters; witness types under those and one more
    /// binder for the witness lifetimes.
    pub(crate) fn lower_coroutine(
        &self,
        d: &ast::CoroutineDefn,
        id: CoroutineId<Ir>,
        program: &mut Program,
    ) -> LResult<()> {
        let params = new_params(&d.params);
        let input_output = self.in_binders(&params, |env| {
            let yield_type = env.lower_ty(&d.yield_ty)?;
            let resume_type = env.lower_ty(&d.resume_ty)?;
            let return_type = env.lower_ty(&d.return_ty)?;
            let mut upvars = Vec::with_capacity(d.upvars.len());
            for t in &d.upvars {
                upvars.push(env.lower_ty(t)?);
            }
            Ok(rust_ir::CoroutineInputOutputDatum {
                resume_type,
                yield_type,
                return_type,
                upvars,
            })
        })?;
        let witness_params: Vec<NewParam> = d
            .witness_lifetimes
            .iter()
            .map(|l| NewParam {
                key: lifetime_key(&l.text),
                kind: VariableKind::Lifetime,
                span: l.span,
            })
            .collect();
        let inner_types = self.in_binders(&params, |env| {
            let types = env.in_binders(&witness_params, |env| {
                let mut tys = Vec::with_capacity(d.witness_types.len());
                for t in &d.witness_types {
                    tys.push(env.lower_ty(t)?);
                }
                Ok(tys)
            })?;
            Ok(rust_ir::CoroutineWitnessExistential { types })
        })?;
        program.coroutine_data.insert(
            id,
            Arc::new(rust_ir::CoroutineDatum {
                movability: if d.is_static {
                    rust_ir::Movability::Static
                } else {
                    rust_ir::Movability::Movable
                },
                input_output,
            }),
        );
        program
            .coroutine_witness_data
            .insert(id, Arc::new(rust_ir::CoroutineWitnessDatum { inner_types }));
        Ok(())
    }
}

pub(crate) fn raw(index: usize) -> RawId {
    RawId {
        index: index as u32,
    }
}

fn lower_well_known(w: ast::WellKnownTrait) -> rust_ir::WellKnownTrait {
    use ast::WellKnownTrait as A;
    use rust_ir::WellKnownTrait as W;
    match w {
        A::Sized => W::Sized,
        A::Copy => W::Copy,
        A::Clone => W::Clone,
        A::Drop => W::Drop,
        A::FnOnce => W::FnOnce,
        A::FnMut => W::FnMut,
        A::Fn => W::Fn,
        A::AsyncFnOnce => W::AsyncFnOnce,
        A::AsyncFnMut => W::AsyncFnMut,
        A::AsyncFn => W::AsyncFn,
        A::Unsize => W::Unsize,
        A::Unpin => W::Unpin,
        A::CoerceUnsized => W::CoerceUnsized,
        A::DiscriminantKind => W::DiscriminantKind,
        A::Coroutine => W::Coroutine,
        A::DispatchFromDyn => W::DispatchFromDyn,
        A::Tuple => W::Tuple,
        A::Pointee => W::Pointee,
        A::FnPtr => W::FnPtr,
        A::Future => W::Future,
    }
}

/// The pieces of a conditional bound's clauses, under the clause's binder.
#[derive(Clone, Debug)]
struct ConditionalClauses {
    consequences: Vec<chalk_ir::WhereClause<Ir>>,
    conditions: Vec<chalk_ir::Goal<Ir>>,
}

impl chalk_ir::interner::HasInterner for ConditionalClauses {
    type Interner = Ir;
}

/// A where clause as a goal: `forall<..> { WC }` when it is quantified.
fn quantified_where_clause_goal(qwc: chalk_ir::QuantifiedWhereClause<Ir>) -> chalk_ir::Goal<Ir> {
    if qwc.binders.is_empty(Ir) {
        let wc = qwc.substitute(Ir, &[] as &[chalk_ir::GenericArg<Ir>]);
        chalk_ir::DomainGoal::Holds(wc).cast(Ir)
    } else {
        chalk_ir::GoalData::Quantified(
            chalk_ir::QuantifierKind::ForAll,
            qwc.map(|wc| chalk_ir::DomainGoal::Holds(wc).cast(Ir)),
        )
        .intern(Ir)
    }
}
