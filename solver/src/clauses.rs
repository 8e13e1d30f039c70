//! The program clauses chalk derives from a lowered program: the logic
//! that the solvers search, shown so that a user can see why a goal holds.

use std::sync::Arc;

use chalk_ir::cast::Cast;
use chalk_ir::{
    ConstData, ConstValue, Environment, GenericArg, LifetimeData, PlaceholderIndex, ProgramClause,
    TyKind, UniverseIndex, VariableKind,
};
use chalk_solve::clauses::builder::ClauseBuilder;
use chalk_solve::clauses::program_clauses::ToProgramClauses;
use chalk_solve::clauses::push_auto_trait_impls;
use chalk_solve::RustIrDatabase;
use chalkboard_lowering::with_program;
use chalkboard_lowering::{Ir, Program};

/// Every program clause of `program`, printed with item names and with the
/// clause's own variables named `T0`, `'a1`, `N2` (by position), in this
/// order: the custom clauses written as `forall<..> { .. }` items, then the
/// clauses of associated types, traits, ADTs, fn definitions and opaque
/// types, the auto trait impls of each ADT, and finally each positive impl
/// with its associated type values.
///
/// This is the set chalk's own test harness computes as a program's
/// environment, plus the fn definition and opaque type clauses (which chalk
/// otherwise produces on demand, when a goal mentions those types).
pub fn program_clauses(program: &Arc<Program>) -> Vec<String> {
    let clauses = raw_program_clauses(program);
    with_program(program, || clauses.iter().map(readable).collect())
}

/// The clauses themselves, in the order described at [`program_clauses`].
pub fn raw_program_clauses(program: &Arc<Program>) -> Vec<ProgramClause<Ir>> {
    let db: &dyn RustIrDatabase<Ir> = program.as_ref();
    let mut clauses = program.custom_program_clauses().to_vec();
    let builder = &mut ClauseBuilder::new(db, &mut clauses);
    let env = Environment::new(Ir);
    let trait_ids: Vec<_> = program.trait_ids().collect();
    for &trait_id in &trait_ids {
        for &assoc_id in &db.trait_datum(trait_id).associated_ty_ids {
            db.associated_ty_data(assoc_id)
                .to_program_clauses(builder, &env);
        }
    }
    for &trait_id in &trait_ids {
        db.trait_datum(trait_id).to_program_clauses(builder, &env);
    }
    for adt_id in program.adt_ids() {
        db.adt_datum(adt_id).to_program_clauses(builder, &env);
    }
    for fn_def_id in program.fn_def_ids() {
        db.fn_def_datum(fn_def_id).to_program_clauses(builder, &env);
    }
    for opaque_id in program.opaque_ids() {
        db.opaque_ty_data(opaque_id)
            .to_program_clauses(builder, &env);
    }
    for &trait_id in &trait_ids {
        let datum = db.trait_datum(trait_id);
        // chalk asserts that an auto trait has no parameter besides `Self`;
        // lowering rejects any other, and this keeps a slip from panicking.
        if !datum.is_auto_trait() || datum.binders.len(Ir) != 1 {
            continue;
        }
        for adt_id in program.adt_ids() {
            let adt = db.adt_datum(adt_id);
            builder.push_binders(adt.binders.clone(), |builder, _| {
                let ty = TyKind::Adt(adt_id, builder.substitution_in_scope());
                // Floundering only happens for inference variables, which a
                // program's types never contain; there is nothing to add then.
                let _ = push_auto_trait_impls(builder, trait_id, &ty);
            });
        }
    }
    for (impl_id, _) in program.impl_ids() {
        let datum = db.impl_datum(impl_id);
        // A negative impl only switches off an auto trait's default impls;
        // it contributes no clause of its own.
        if !datum.is_positive() {
            continue;
        }
        datum.to_program_clauses(builder, &env);
        for &value_id in &datum.associated_ty_value_ids {
            db.associated_ty_value(value_id)
                .to_program_clauses(builder, &env);
        }
    }
    clauses
}

/// The universe of the placeholders that stand for a clause's variables
/// while it prints; program clauses mention no placeholders of their own,
/// so the printed markers `!9999_i` are unambiguous.
const MARK: usize = 9999;

/// Prints `for<T0, 'a1> Consequence :- Conditions`, naming the variables
/// of the clause's outer binder instead of printing de Bruijn indices
/// (nested binders inside the conditions keep chalk's `^d.i` notation).
fn readable(clause: &ProgramClause<Ir>) -> String {
    let binders = clause.data(Ir).0.clone();
    let mut names = Vec::new();
    let mut args: Vec<GenericArg<Ir>> = Vec::new();
    for (idx, kind) in binders.binders.iter(Ir).enumerate() {
        let index = PlaceholderIndex {
            ui: UniverseIndex { counter: MARK },
            idx,
        };
        match kind {
            VariableKind::Ty(_) => {
                names.push((format!("!{MARK}_{idx}"), format!("T{idx}")));
                args.push(TyKind::Placeholder(index).intern(Ir).cast(Ir));
            }
            VariableKind::Lifetime => {
                names.push((format!("'!{MARK}_{idx}"), format!("'a{idx}")));
                args.push(LifetimeData::Placeholder(index).intern(Ir).cast(Ir));
            }
            VariableKind::Const(ty) => {
                names.push((format!("!{MARK}_{idx}"), format!("N{idx}")));
                let value = ConstData {
                    ty: ty.clone(),
                    value: ConstValue::Placeholder(index),
                };
                args.push(value.intern(Ir).cast(Ir));
            }
        }
    }
    let implication = binders.substitute(Ir, &args);
    let mut text = format!("{implication:?}");
    // Later markers first: `!9999_1` is a prefix of `!9999_10`.
    for (marker, name) in names.iter().rev() {
        text = text.replace(marker.as_str(), name);
    }
    if names.is_empty() {
        text
    } else {
        let list: Vec<&str> = names.iter().map(|(_, name)| name.as_str()).collect();
        format!("for<{}> {text}", list.join(", "))
    }
}
