//! Where a program clause came from. chalk's clauses carry no origin, so
//! the clauses of every item are generated once, item by item, with chalk's
//! own `ToProgramClauses` (as `chalkboard clauses` does), and a clause is
//! looked up among them; what is not found there is a hypothesis of the
//! environment, a custom clause, or one of chalk's builtin rules, told
//! apart by its shape.

use std::collections::HashMap;

use chalk_ir::{
    AdtId, AliasTy, AssocTypeId, DomainGoal, Environment, FnDefId, FromEnv, GoalData, ImplId,
    OpaqueTyId, ProgramClause, TyKind, WellFormed, WhereClause,
};
use chalk_solve::clauses::builder::ClauseBuilder;
use chalk_solve::clauses::program_clauses::ToProgramClauses;
use chalk_solve::rust_ir::AssociatedTyValueId;
use chalk_solve::split::Split;
use chalk_solve::RustIrDatabase;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;

use super::source::SourceMap;
use super::{Step, StepKind};

/// An item whose clauses chalk generates.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Item {
    Impl(ImplId<Ir>),
    AssocValue(AssociatedTyValueId<Ir>),
    Trait(chalk_ir::TraitId<Ir>),
    AssocTy(AssocTypeId<Ir>),
    Adt(AdtId<Ir>),
    FnDef(FnDefId<Ir>),
    Opaque(OpaqueTyId<Ir>),
}

/// Every item's clauses, by clause; built on first use, once for ordinary
/// environments and once for the `compatible` modality (a trait's clauses
/// differ there).
#[derive(Default)]
pub(crate) struct OriginIndex {
    plain: Option<HashMap<ProgramClause<Ir>, Item>>,
    compatible: Option<HashMap<ProgramClause<Ir>, Item>>,
}

fn index(program: &Program, env: &Environment<Ir>) -> HashMap<ProgramClause<Ir>, Item> {
    let db: &dyn RustIrDatabase<Ir> = program;
    let mut out = HashMap::new();
    let mut add = |item: Item, generate: &dyn Fn(&mut ClauseBuilder<'_, Ir>)| {
        let mut clauses = Vec::new();
        generate(&mut ClauseBuilder::new(db, &mut clauses));
        for c in clauses {
            out.entry(c).or_insert(item);
        }
    };
    for (impl_id, _) in program.impl_ids() {
        let datum = db.impl_datum(impl_id);
        add(Item::Impl(impl_id), &|b| datum.to_program_clauses(b, env));
        for &value_id in &datum.associated_ty_value_ids {
            let value = db.associated_ty_value(value_id);
            add(Item::AssocValue(value_id), &|b| {
                value.to_program_clauses(b, env)
            });
        }
    }
    for trait_id in program.trait_ids() {
        let datum = db.trait_datum(trait_id);
        add(Item::Trait(trait_id), &|b| datum.to_program_clauses(b, env));
        for &assoc_id in &datum.associated_ty_ids {
            let assoc = db.associated_ty_data(assoc_id);
            add(Item::AssocTy(assoc_id), &|b| {
                assoc.to_program_clauses(b, env)
            });
        }
    }
    for adt_id in program.adt_ids() {
        let datum = db.adt_datum(adt_id);
        add(Item::Adt(adt_id), &|b| datum.to_program_clauses(b, env));
    }
    for fn_id in program.fn_def_ids() {
        let datum = db.fn_def_datum(fn_id);
        add(Item::FnDef(fn_id), &|b| datum.to_program_clauses(b, env));
    }
    for opaque_id in program.opaque_ids() {
        let datum = db.opaque_ty_data(opaque_id);
        add(Item::Opaque(opaque_id), &|b| {
            datum.to_program_clauses(b, env)
        });
    }
    out
}

impl OriginIndex {
    pub(crate) fn item(
        &mut self,
        program: &Program,
        env: &Environment<Ir>,
        clause: &ProgramClause<Ir>,
    ) -> Option<Item> {
        let compatible = env.has_compatible_clause(Ir);
        let slot = if compatible {
            &mut self.compatible
        } else {
            &mut self.plain
        };
        let map = slot.get_or_insert_with(|| {
            if compatible {
                let env = Environment::new(Ir).add_clauses(
                    Ir,
                    [chalk_ir::cast::Cast::cast::<ProgramClause<Ir>>(
                        DomainGoal::Compatible,
                        Ir,
                    )],
                );
                index(program, &env)
            } else {
                index(program, &Environment::new(Ir))
            }
        });
        map.get(clause).copied()
    }
}

/// chalk's name for a clause's rule, from the item that gave it and its
/// shape (the names of chalk's book and of `program_clauses.rs`).
pub(crate) fn chalk_rule(item: Item, clause: &ProgramClause<Ir>) -> Option<&'static str> {
    let implication = clause.data(Ir).0.skip_binders();
    let consequence = &implication.consequence;
    let first_condition = implication
        .conditions
        .iter(Ir)
        .next()
        .map(|g| g.data(Ir).clone());
    let from_env_condition = matches!(
        first_condition,
        Some(GoalData::DomainGoal(DomainGoal::FromEnv(_)))
    );
    Some(match (item, consequence) {
        (Item::Impl(_), DomainGoal::Holds(WhereClause::Implemented(_))) => "Implemented-From-Impl",
        (Item::AssocValue(_), DomainGoal::Normalize(_)) => "Normalize-From-Impl",
        (_, DomainGoal::Holds(WhereClause::Implemented(_))) if from_env_condition => {
            "Implemented-From-Env"
        }
        (Item::Trait(_), DomainGoal::FromEnv(_)) => "Implied-Bound-From-Trait",
        (Item::Trait(_), DomainGoal::WellFormed(WellFormed::Trait(_))) => "WellFormed-TraitRef",
        // A bound declared on the associated type, `type Assoc: Trait<U =
        // Ty>`, gives its placeholder `AliasEq(<(Foo::Assoc)<Self> as
        // Trait>::U = Ty)`: a projection of another associated type.
        (Item::AssocTy(id), DomainGoal::Holds(WhereClause::AliasEq(eq))) if !matches!(&eq.alias, AliasTy::Projection(p) if p.associated_ty_id == id) => {
            "Implied-WC-From-AssocTy"
        }
        (Item::AssocTy(_), DomainGoal::Holds(WhereClause::AliasEq(_))) => {
            if implication.conditions.is_empty(Ir) {
                "AliasEq-Placeholder"
            } else {
                "AliasEq-Normalize"
            }
        }
        (Item::AssocTy(_), DomainGoal::WellFormed(_)) => "WellFormed-AssocTy",
        (Item::AssocTy(_), DomainGoal::FromEnv(FromEnv::Trait(_))) => {
            if matches!(
                first_condition,
                Some(GoalData::DomainGoal(DomainGoal::FromEnv(FromEnv::Ty(_))))
            ) {
                "Implied-Trait-From-AssocTy"
            } else {
                "Implied-Bound-From-AssocTy"
            }
        }
        (Item::AssocTy(_), DomainGoal::Holds(_)) => "Implied-WC-From-AssocTy",
        (Item::Adt(_) | Item::FnDef(_), DomainGoal::WellFormed(_)) => "WellFormed-Type",
        (Item::Adt(_) | Item::FnDef(_), DomainGoal::FromEnv(_)) => "Implied-Bound-From-Type",
        (_, DomainGoal::IsLocal(_)) => "IsLocal",
        (_, DomainGoal::IsUpstream(_)) => "IsUpstream",
        (_, DomainGoal::IsFullyVisible(_)) => "IsFullyVisible",
        (_, DomainGoal::LocalImplAllowed(_)) => "LocalImplAllowed",
        (_, DomainGoal::DownstreamType(_)) => "DownstreamType",
        _ => return None,
    })
}

/// The step of a clause an item gave.
pub(crate) fn item_step(
    program: &Program,
    source: &SourceMap,
    item: Item,
    clause: &ProgramClause<Ir>,
) -> Step {
    use chalkboard_lowering::rules;
    let db: &dyn RustIrDatabase<Ir> = program;
    let chalk = chalk_rule(item, clause);
    let mut step = match item {
        Item::Impl(id) => {
            let header = source.impl_header(id).unwrap_or_else(|| {
                format!(
                    "an impl of `{}`",
                    db.trait_name(db.impl_datum(id).trait_id())
                )
            });
            let mut step = Step::new(StepKind::Impl, header);
            step.place = source.item_place(id.0);
            // The `Future` impl of a generated future struct.
            if let Some(span) = source.impl_span(id) {
                if let Some(a) = source.generated_by(span, &[rules::IMPL_ASYNC_FN_TO_FUTURE_STRUCT])
                {
                    step.rule = Some(a.rule);
                    step.text = format!("{} (the future of `{}`)", step.text, a.subject);
                }
            }
            step
        }
        Item::AssocValue(id) => {
            let value = db.associated_ty_value(id);
            let name = db.associated_ty_data(value.associated_ty_id).name.clone();
            let header = source.impl_header(value.impl_id).unwrap_or_default();
            let mut step = Step::new(StepKind::Impl, format!("`type {name}` in `{header}`"));
            step.place = source.item_place(value.impl_id.0);
            if let Some((text, place, span)) = source.assoc_value(value.impl_id, &name) {
                step.text = format!("`{text}` in `{header}`");
                step.place = place;
                if let Some(a) = source.generated_by(
                    span,
                    &[
                        rules::IMPL_ASYNC_FN_TO_FUTURE_STRUCT,
                        rules::IMPL_FN_HIDDEN_TYPE,
                    ],
                ) {
                    step.rule = Some(a.rule);
                }
            }
            step
        }
        Item::Trait(id) => {
            let name = db.trait_name(id);
            let text = match chalk {
                Some("Implemented-From-Env") => {
                    format!("the hypotheses in scope (a rule of trait `{name}`)")
                }
                Some("Implied-Bound-From-Trait") => {
                    format!("an implied bound: the where clauses of trait `{name}`")
                }
                Some("WellFormed-TraitRef") => {
                    format!("the well-formedness rule of trait `{name}`: it is implemented and its where clauses hold")
                }
                _ => format!("a rule of trait `{name}`"),
            };
            let mut step = Step::new(StepKind::Declaration, text);
            step.place = source.item_place(id.0);
            step
        }
        Item::AssocTy(id) => {
            let datum = db.associated_ty_data(id);
            let name = format!("{}::{}", db.trait_name(datum.trait_id), datum.name);
            let text = match chalk {
                Some("AliasEq-Normalize") => {
                    format!("normalizing `{name}` with an impl's value")
                }
                Some("AliasEq-Placeholder") => {
                    format!("`{name}` as an opaque associated type (when no impl's value is known)")
                }
                Some("Implied-Bound-From-AssocTy") | Some("Implied-WC-From-AssocTy") => {
                    format!("an implied bound: the bounds declared on `{name}`")
                }
                _ => format!("a rule of associated type `{name}`"),
            };
            let mut step = Step::new(StepKind::Declaration, text);
            if let Some((_, span)) = source.assoc_ty(program, id) {
                step.place = Some(super::Place::File(span));
                if source.is_prelude_span(span) {
                    step.place = source.item_place(datum.trait_id.0);
                }
                if let Some(a) = source.generated_by(span, &[rules::IMPL_TRAIT_TO_GAT]) {
                    step.rule = Some(a.rule);
                }
            }
            step
        }
        Item::Adt(id) => {
            let name = db.adt_name(id);
            let text = match chalk {
                Some("WellFormed-Type") => {
                    format!("the well-formedness rule of type `{name}`: its where clauses hold")
                }
                Some("Implied-Bound-From-Type") => {
                    format!("an implied bound: the where clauses of type `{name}`")
                }
                _ => format!("a rule of type `{name}`"),
            };
            let mut step = Step::new(StepKind::Declaration, text);
            step.place = source.item_place(id.0);
            step
        }
        Item::FnDef(id) => {
            let mut step = Step::new(
                StepKind::Declaration,
                format!("a rule of fn `{}`", db.fn_def_name(id)),
            );
            step.place = source.item_place(id.0);
            step
        }
        Item::Opaque(id) => {
            let mut step = Step::new(
                StepKind::Declaration,
                format!("a rule of opaque type `{}`", db.opaque_type_name(id)),
            );
            step.place = source.item_place(id.0);
            step
        }
    };
    step.chalk_rule = chalk;
    step
}

/// The step of a clause no item gave, by its shape: an auto trait's
/// automatic impl, or one of chalk's builtin rules.
pub(crate) fn builtin_step(
    program: &Program,
    source: &SourceMap,
    clause: &ProgramClause<Ir>,
) -> Step {
    use chalkboard_lowering::rules;
    let db: &dyn RustIrDatabase<Ir> = program;
    let implication = clause.data(Ir).0.skip_binders();
    match &implication.consequence {
        DomainGoal::Holds(WhereClause::Implemented(tr)) => {
            let trait_name = db.trait_name(tr.trait_id);
            let self_ty = tr.self_type_parameter(Ir);
            let datum = db.trait_datum(tr.trait_id);
            if let TyKind::Alias(_) = self_ty.kind(Ir) {
                return Step::new(
                    StepKind::Builtin,
                    format!("normalizing the associated type first, then asking `{trait_name}` of the result"),
                );
            }
            if datum.is_auto_trait() {
                let mut step = match self_ty.kind(Ir) {
                    TyKind::Adt(id, _) => {
                        let name = source.adt_name(*id).map_or_else(|| db.adt_name(*id), String::from);
                        let mut step = Step::new(
                            StepKind::AutoTrait,
                            format!("auto trait `{trait_name}` for `{name}` (it holds when every field's type does)"),
                        );
                        step.place = source.item_place(id.0);
                        if let Some(span) = source.adt_span(*id) {
                            if let Some(a) =
                                source.generated_by(span, &[rules::IMPL_ASYNC_FN_TO_FUTURE_STRUCT])
                            {
                                step.rule = Some(a.rule);
                                step.text = format!(
                                    "auto trait `{trait_name}` for the future of `{}` (it holds when every value the future holds or captures does)",
                                    a.subject
                                );
                            }
                        }
                        step
                    }
                    TyKind::OpaqueType(..) => Step::new(
                        StepKind::AutoTrait,
                        format!("auto trait `{trait_name}` through an opaque type (it holds when the hidden type's does)"),
                    ),
                    _ => Step::new(
                        StepKind::AutoTrait,
                        format!("auto trait `{trait_name}` (it holds when every component type's does)"),
                    ),
                };
                step.chalk_rule = None;
                return step;
            }
            if let TyKind::Dyn(_) = self_ty.kind(Ir) {
                return Step::new(
                    StepKind::Builtin,
                    format!("a `dyn` type implements the traits it names (`{trait_name}`)"),
                );
            }
            match datum.well_known {
                Some(wk) => Step::new(
                    StepKind::Builtin,
                    format!("chalk's builtin rule for `{trait_name}` ({wk:?})"),
                ),
                None => Step::new(
                    StepKind::Builtin,
                    format!("a builtin rule for `{trait_name}`"),
                ),
            }
        }
        DomainGoal::Holds(WhereClause::AliasEq(eq)) => {
            let self_ty = match &eq.alias {
                AliasTy::Projection(p) => {
                    Some(db.trait_ref_from_projection(p).self_type_parameter(Ir))
                }
                AliasTy::Opaque(_) => None,
            };
            match self_ty.as_ref().map(|t| t.kind(Ir)) {
                // chalk's `build_dyn_self_ty_clauses`: `dyn Trait<Assoc = T>`
                // says what its associated type is.
                Some(TyKind::Dyn(_)) => Step::new(
                    StepKind::Builtin,
                    "a `dyn` type's associated type is the value the type names",
                ),
                // chalk's `push_alias_alias_eq_clause`.
                Some(TyKind::Alias(_)) => Step::new(
                    StepKind::Builtin,
                    "normalizing the associated type's self type first",
                ),
                _ => Step::new(
                    StepKind::Builtin,
                    "one of chalk's builtin rules for associated types",
                ),
            }
        }
        DomainGoal::Holds(WhereClause::LifetimeOutlives(_))
        | DomainGoal::Holds(WhereClause::TypeOutlives(_)) => Step::new(
            StepKind::Builtin,
            "the outlives rule (it holds, leaving a region constraint to the caller)",
        ),
        DomainGoal::WellFormed(_) => Step::new(
            StepKind::Builtin,
            "the well-formedness rule of a builtin type",
        ),
        DomainGoal::ObjectSafe(id) => Step::new(
            StepKind::Builtin,
            format!(
                "the declaration that trait `{}` is dyn safe",
                db.trait_name(*id)
            ),
        ),
        DomainGoal::Normalize(_) => Step::new(StepKind::Builtin, "a builtin normalization rule"),
        _ => Step::new(StepKind::Builtin, "one of chalk's builtin rules"),
    }
}
