//! Syntax tree to chalk-ir: [`lower_file`] builds a [`Program`] and
//! [`Program::lower_goal`] lowers goals against it.
//!
//! The rules follow chalk-integration's lowering exactly (ids, parameter
//! order, binder levels, clause order), because answers are compared with
//! chalk's own; each rule is named in a doc comment (`Rule lower-..`).

pub(crate) mod env;
mod errors;
mod goals;
mod items;
mod types;

use std::collections::BTreeMap;
use std::sync::Arc;

use chalk_ir::{
    AdtId, AssocTypeId, ClosureId, CoroutineId, FnDefId, ForeignDefId, ImplId, OpaqueTyId, TraitId,
};
use chalk_solve::rust_ir::AssociatedTyValueId;

use self::env::{new_params, AssocLookup, Env, ItemSig, Names};
use self::errors::Failure;
use self::items::raw;
use crate::interner::{Ir, RawId};
use crate::program::Program;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::diagnostic::Diagnostic;

/// The first id of associated type declarations and values (rule
/// `assign-ids`): far above any item's id, so that adding an item does not
/// move them.
pub const ASSOC_ID_BASE: u32 = 1 << 24;

/// A dense index of a raw id, for tables indexed by id: item ids on the
/// even numbers, associated ids (from [`ASSOC_ID_BASE`]) on the odd ones.
pub fn dense_index(id: RawId) -> usize {
    match id.index.checked_sub(ASSOC_ID_BASE) {
        Some(assoc) => 2 * assoc as usize + 1,
        None => 2 * id.index as usize,
    }
}

/// Lowers a whole file. Returns the program, or `None` when any error was
/// found; every error is reported, not just the first (an item with an
/// error is skipped and the others are still lowered).
pub fn lower_file(file: &ast::File) -> (Option<Arc<Program>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut failed = false;
    let mut push = |f: Failure, diags: &mut Vec<Diagnostic>| {
        failed = true;
        if let Failure::Diag(d) = f {
            diags.push(*d);
        }
    };

    // Rule [`assign-ids`](crate::rules::ASSIGN_IDS): item `i` gets id `i`; then, in source order, each
    // associated type declaration and each associated type value gets the
    // next id (chalk's numbering, which fixes impl and answer order). The
    // associated ids start at `ASSOC_ID_BASE`, above every item's, so an
    // item added at the end of a file moves none of them (rule check-reuse
    // reuses the checks that read them); their order, and every item's
    // id, are chalk's.
    let mut next = file.items.len().max(ASSOC_ID_BASE as usize);
    let mut assoc_ids: BTreeMap<usize, Vec<AssocTypeId<Ir>>> = BTreeMap::new();
    let mut value_ids: BTreeMap<usize, Vec<(String, AssociatedTyValueId<Ir>)>> = BTreeMap::new();
    for (i, item) in file.items.iter().enumerate() {
        match item {
            ast::Item::Trait(t) => {
                if t.flags.auto {
                    if let Some(a) = t.assoc_ty_defns.first() {
                        push(
                            errors::auto_trait_assoc_types(&t.name.text, a.span).into(),
                            &mut diags,
                        );
                    }
                }
                let ids = t
                    .assoc_ty_defns
                    .iter()
                    .map(|_| {
                        next += 1;
                        AssocTypeId(raw(next - 1))
                    })
                    .collect();
                assoc_ids.insert(i, ids);
            }
            ast::Item::Impl(d) => {
                let ids = d
                    .assoc_ty_values
                    .iter()
                    .map(|v| {
                        next += 1;
                        (v.name.text.clone(), AssociatedTyValueId(raw(next - 1)))
                    })
                    .collect();
                value_ids.insert(i, ids);
            }
            _ => {}
        }
    }

    // Rule [`collect-names`](crate::rules::COLLECT_NAMES): every named item is known before any is lowered.
    let mut names = Names::default();
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for (i, item) in file.items.iter().enumerate() {
        let id = raw(i);
        let (what, name, params) = match item {
            ast::Item::Adt(d) => {
                names.adts.insert(d.name.text.clone(), AdtId(id));
                ("type", &d.name, &d.params)
            }
            ast::Item::Fn(d) => {
                names.fn_defs.insert(d.name.text.clone(), FnDefId(id));
                ("fn", &d.name, &d.params)
            }
            ast::Item::Closure(d) => {
                names.closures.insert(d.name.text.clone(), ClosureId(id));
                ("closure", &d.name, &d.params)
            }
            ast::Item::Trait(d) => {
                let trait_id = TraitId(id);
                names.traits.insert(d.name.text.clone(), trait_id);
                if d.flags.auto {
                    names.auto_traits.insert(trait_id);
                }
                let mut seen_assoc: BTreeMap<&str, Span> = BTreeMap::new();
                for (a, &assoc_id) in d.assoc_ty_defns.iter().zip(&assoc_ids[&i]) {
                    if let Some(&first) = seen_assoc.get(a.name.text.as_str()) {
                        push(
                            errors::duplicate_item(
                                "associated type",
                                &a.name.text,
                                a.name.span,
                                first,
                            )
                            .into(),
                            &mut diags,
                        );
                        continue;
                    }
                    seen_assoc.insert(&a.name.text, a.name.span);
                    let own_params = new_params(&a.params).into_iter().map(|p| p.kind).collect();
                    names.assoc_types.insert(
                        (trait_id, a.name.text.clone()),
                        AssocLookup {
                            id: assoc_id,
                            own_params,
                        },
                    );
                }
                ("trait", &d.name, &d.params)
            }
            ast::Item::OpaqueTy(d) => {
                names.opaques.insert(d.name.text.clone(), OpaqueTyId(id));
                ("opaque type", &d.name, &d.params)
            }
            ast::Item::Coroutine(d) => {
                names
                    .coroutines
                    .insert(d.name.text.clone(), CoroutineId(id));
                ("coroutine", &d.name, &d.params)
            }
            ast::Item::Foreign(d) => {
                names.foreigns.insert(d.name.text.clone(), ForeignDefId(id));
                static NO_PARAMS: Vec<ast::VariableKind> = Vec::new();
                ("extern type", &d.name, &NO_PARAMS)
            }
            ast::Item::Impl(d) => {
                let mut seen_values: BTreeMap<&str, Span> = BTreeMap::new();
                for v in &d.assoc_ty_values {
                    if let Some(&first) = seen_values.get(v.name.text.as_str()) {
                        push(
                            errors::duplicate_item(
                                "associated type value",
                                &v.name.text,
                                v.name.span,
                                first,
                            )
                            .into(),
                            &mut diags,
                        );
                    }
                    seen_values.insert(&v.name.text, v.name.span);
                }
                continue;
            }
            ast::Item::Clause(_) => continue,
        };
        if let Some(&first) = seen.get(&name.text) {
            push(
                errors::duplicate_item(what, &name.text, name.span, first).into(),
                &mut diags,
            );
        } else {
            seen.insert(name.text.clone(), name.span);
        }
        names.sigs.insert(
            id,
            ItemSig {
                name: name.text.clone(),
                span: item.span(),
                params: new_params(params).into_iter().map(|p| p.kind).collect(),
            },
        );
    }

    // Rule [`lower-items`](crate::rules::LOWER_ITEMS): each item on its own, in source order.
    let mut program = Program::default();
    {
        let env = Env::new(&names);
        let mut skip_until = 0;
        for (i, item) in file.items.iter().enumerate() {
            // Rule run-deadline: lowering stops at the run's deadline.
            chalkboard_syntax::deadline::checkpoint(
                "lowering",
                i,
                file.items.len(),
                "items lowered",
                item.span(),
            );
            if i < skip_until {
                continue;
            }
            let id = raw(i);
            let result = match item {
                ast::Item::Adt(d) => env.lower_adt(d, AdtId(id), &mut program),
                ast::Item::Fn(d) => env.lower_fn_def(d, FnDefId(id), &mut program),
                ast::Item::Closure(d) => env.lower_closure(d, ClosureId(id), &mut program),
                ast::Item::Trait(d) => {
                    let trait_id = TraitId(id);
                    let mut r = env.lower_trait(d, trait_id, &mut program);
                    for (a, &assoc_id) in d.assoc_ty_defns.iter().zip(&assoc_ids[&i]) {
                        if let Err(f) =
                            env.lower_assoc_ty_defn(d, trait_id, a, assoc_id, &mut program)
                        {
                            if r.is_ok() {
                                r = Err(f);
                            } else {
                                push(f, &mut diags);
                            }
                        }
                    }
                    r
                }
                ast::Item::Impl(d) => env.lower_impl(d, ImplId(id), &value_ids[&i], &mut program),
                ast::Item::OpaqueTy(d) => env.lower_opaque(d, OpaqueTyId(id), &mut program),
                ast::Item::Coroutine(d) => env.lower_coroutine(d, CoroutineId(id), &mut program),
                ast::Item::Foreign(_) => Ok(()),
                ast::Item::Clause(_) => {
                    // The parser splits `forall<..> { T: Tr<A = U> if .. }`
                    // into consecutive clauses; lower them as one.
                    let run: Vec<ast::Clause> = file.items[i..]
                        .iter()
                        .map_while(|it| match it {
                            ast::Item::Clause(c) => Some(c.clone()),
                            _ => None,
                        })
                        .collect();
                    let n = goals::clause_run_len(&run);
                    skip_until = i + n;
                    env.lower_clause_run(&run[..n]).map(|cs| {
                        let span = run[0].span;
                        program
                            .clause_sources
                            .extend(cs.iter().map(|c| (c.clone(), span)));
                        program.custom_clauses.extend(cs)
                    })
                }
            };
            if let Err(f) = result {
                push(f, &mut diags);
            }
        }
    }
    program.names = names;
    // Lowering runs in phases (ids, then items), so errors are found out of
    // order; they are reported in the order of the text.
    diags.sort_by_key(|d| d.primary.span.start);
    if failed {
        (None, diags)
    } else {
        (Some(Arc::new(program)), diags)
    }
}

impl Program {
    /// Lowers a goal against this program's names.
    // The error is returned by value: the signature is the crate's contract.
    #[allow(clippy::result_large_err)]
    pub fn lower_goal(&self, goal: &ast::Goal) -> Result<chalk_ir::Goal<Ir>, Diagnostic> {
        Env::new(&self.names).lower_goal(goal).map_err(|f| match f {
            Failure::Diag(d) => *d,
            Failure::Reported => errors::syntax_error_in_goal(goal.span),
        })
    }

    /// The raw id an item has: its position in the file.
    pub fn raw_id_of_item(index: usize) -> RawId {
        raw(index)
    }
}

#[cfg(test)]
mod tests;
