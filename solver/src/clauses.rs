//! The program clauses chalk derives from a lowered program: the logic
//! that the solvers search, shown so that a user can see why a goal holds.

use std::sync::Arc;

use chalk_ir::{Environment, ProgramClause, TyKind};
use chalk_solve::clauses::builder::ClauseBuilder;
use chalk_solve::clauses::program_clauses::ToProgramClauses;
use chalk_solve::clauses::push_auto_trait_impls;
use chalk_solve::RustIrDatabase;
use chalkboard_lowering::interner::with_program;
use chalkboard_lowering::{Ir, Program};

/// Every program clause of `program`, printed with item names, in this
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
    with_program(program, || {
        clauses.iter().map(|clause| format!("{clause:?}")).collect()
    })
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
