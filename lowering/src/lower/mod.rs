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
use crate::program::{gathered, Program};
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
    let (program, diags, _) = lower(file, None);
    (program, diags)
}

/// Rule `lower-reuse`: what lowering made of each item of a file, kept
/// (in a database kept across edits) for the next lowering of the file.
///
/// An item of the next file that is equal to the item at the same place
/// in this one once moved by the edit's distance (rule
/// items-equal-when-moved), with the same associated ids, is lowered to
/// the same data, provided every name this file defined means the same in
/// the next ([`Names::extends`]): its data is taken from here, its spans
/// moved. The data is then shared with this program, so that the checks
/// compare it by pointer (rule check-reuse).
pub struct Reusable {
    file: Arc<ast::File>,
    /// The program lowered, whose names the next lowering compares.
    program: Arc<Program>,
    assoc_ids: ItemAssocIds,
    value_ids: ItemValueIds,
    /// Per item, what lowering made of it alone, where the item started
    /// when it was made (its spans are those of that text), and which of
    /// its tables are in use (rule parts-read-where-used); `None` for a run
    /// of clauses, which is lowered each time.
    parts: Vec<Option<(Arc<Program>, u32, u32)>>,
    /// How many items this lowering took from the one before.
    reused: usize,
}

impl Reusable {
    /// How many items this lowering took from the lowering before, and how
    /// many it lowered.
    pub fn counts(&self) -> (usize, usize) {
        let kept = self.parts.iter().filter(|p| p.is_some()).count();
        (self.reused, kept.saturating_sub(self.reused))
    }
}

/// Lowers `file` as [`lower_file`] does, taking what it can from the
/// lowering before (rule `lower-reuse`), and returns what the next
/// lowering may take from this one (none when the file has an error).
pub fn lower_file_reusing(
    file: &Arc<ast::File>,
    earlier: Option<&Reusable>,
) -> (Option<Arc<Program>>, Vec<Diagnostic>, Option<Reusable>) {
    lower(file, Some((file, earlier)))
}

/// Per item, by index, the ids of the associated types a trait declares
/// (empty for every other item): a list, not a map, since every item has
/// a place and most have none (rule `assign-ids`).
type ItemAssocIds = Vec<Vec<AssocTypeId<Ir>>>;

/// Per item, by index, the names and ids of the associated type values an
/// impl gives (empty for every other item).
type ItemValueIds = Vec<Vec<(String, AssociatedTyValueId<Ir>)>>;

/// The earlier lowering's part for item `i` of `file`, and how far to
/// move its spans, when it can be taken (see [`Reusable`]).
fn reusable_part<'e>(
    earlier: &'e Reusable,
    i: usize,
    item: &ast::Item,
    assoc_ids: &ItemAssocIds,
    value_ids: &ItemValueIds,
) -> Option<(&'e Arc<Program>, u32, i64, u32)> {
    let (part, base, used) = earlier.parts.get(i)?.as_ref()?;
    let old = earlier.file.items.get(i)?;
    let start = item.span().start;
    let moved = start as i64 - old.span().start as i64;
    let same = assoc_ids.get(i) == earlier.assoc_ids.get(i)
        && value_ids.get(i) == earlier.value_ids.get(i)
        && ast::eq_shifted(item, old, moved);
    same.then_some((part, *base, start as i64 - *base as i64, *used))
}

#[allow(clippy::type_complexity)]
fn lower(
    file: &ast::File,
    keep: Option<(&Arc<ast::File>, Option<&Reusable>)>,
) -> (Option<Arc<Program>>, Vec<Diagnostic>, Option<Reusable>) {
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
    let mut assoc_ids: ItemAssocIds = vec![Vec::new(); file.items.len()];
    let mut value_ids: ItemValueIds = vec![Vec::new(); file.items.len()];
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
                assoc_ids[i] = ids;
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
                value_ids[i] = ids;
            }
            _ => {}
        }
    }

    // Rule [`collect-names`](crate::rules::COLLECT_NAMES): every named item is known before any is lowered.
    // Each table is gathered in source order and built at once (rule
    // lower-reuse runs this on every edit, and a map built from its
    // entries costs a fraction of inserting them one by one).
    let mut names = Names::default();
    let (mut adts, mut fn_defs, mut closures, mut traits) =
        (gathered(), gathered(), gathered(), gathered());
    let (mut opaques, mut coroutines, mut foreigns) = (gathered(), gathered(), gathered());
    let (mut sigs, mut assoc_types) = (gathered(), gathered());
    // Every name defined, with its kind of item, for the duplicates.
    let mut defined: Vec<(&str, &str, Span)> = Vec::new();
    for (i, item) in file.items.iter().enumerate() {
        let id = raw(i);
        let (what, name, params) = match item {
            ast::Item::Adt(d) => {
                adts.push(d.name.text.clone(), AdtId(id));
                ("type", &d.name, &d.params)
            }
            ast::Item::Fn(d) => {
                fn_defs.push(d.name.text.clone(), FnDefId(id));
                ("fn", &d.name, &d.params)
            }
            ast::Item::Closure(d) => {
                closures.push(d.name.text.clone(), ClosureId(id));
                ("closure", &d.name, &d.params)
            }
            ast::Item::Trait(d) => {
                let trait_id = TraitId(id);
                traits.push(d.name.text.clone(), trait_id);
                if d.flags.auto {
                    names.auto_traits.insert(trait_id);
                }
                let mut seen_assoc: BTreeMap<&str, Span> = BTreeMap::new();
                for (a, &assoc_id) in d.assoc_ty_defns.iter().zip(&assoc_ids[i]) {
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
                    assoc_types.push(
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
                opaques.push(d.name.text.clone(), OpaqueTyId(id));
                ("opaque type", &d.name, &d.params)
            }
            ast::Item::Coroutine(d) => {
                coroutines.push(d.name.text.clone(), CoroutineId(id));
                ("coroutine", &d.name, &d.params)
            }
            ast::Item::Foreign(d) => {
                foreigns.push(d.name.text.clone(), ForeignDefId(id));
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
        defined.push((&name.text, what, name.span));
        sigs.push(
            id,
            ItemSig {
                name: name.text.clone(),
                span: item.span(),
                params: new_params(params).into_iter().map(|p| p.kind).collect(),
            },
        );
    }
    names.adts = adts.table();
    names.fn_defs = fn_defs.table();
    names.closures = closures.table();
    names.traits = traits.table();
    names.opaques = opaques.table();
    names.coroutines = coroutines.table();
    names.foreigns = foreigns.table();
    names.sigs = sigs.table();
    names.assoc_types = assoc_types.table();
    // A name defined twice is an error at each place after the first (the
    // sort is stable, so each name's places stay in source order).
    defined.sort_by_key(|&(name, _, _)| name);
    for places in defined.chunk_by(|a, b| a.0 == b.0) {
        let first = places[0].2;
        for &(name, what, span) in &places[1..] {
            push(
                errors::duplicate_item(what, name, span, first).into(),
                &mut diags,
            );
        }
    }

    // Rule [`lower-items`](crate::rules::LOWER_ITEMS): each item on its own, in source order.
    let mut program = Program::default();
    // Rule lower-reuse: when the lowering is kept, each item is lowered
    // into a program of its own, and the program is put together from them.
    let earlier = keep
        .and_then(|(_, earlier)| earlier)
        .filter(|earlier| names.extends(&earlier.program.names));
    let mut parts: Vec<Option<(Arc<Program>, u32, u32)>> = Vec::new();
    let mut in_order: Vec<(Arc<Program>, i64, u32)> = Vec::new();
    let mut taken: Vec<bool> = Vec::new();
    let mut reused = 0;
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
            if keep.is_some() {
                parts.push(None);
            }
            if i < skip_until {
                continue;
            }
            if let Some((part, base, shift, used)) =
                earlier.and_then(|earlier| reusable_part(earlier, i, item, &assoc_ids, &value_ids))
            {
                let ids = assoc_ids[i].iter().map(|a| a.0);
                let values = value_ids[i].iter().map(|(_, v)| v.0);
                for id in std::iter::once(raw(i)).chain(ids).chain(values) {
                    let at = dense_index(id);
                    if taken.len() <= at {
                        taken.resize(at + 1, false);
                    }
                    taken[at] = true;
                }
                in_order.push((Arc::clone(part), shift, used));
                parts[i] = Some((Arc::clone(part), base, used));
                reused += 1;
                continue;
            }
            let mut own = Program::default();
            let target: &mut Program = if keep.is_some() {
                &mut own
            } else {
                &mut program
            };
            let id = raw(i);
            let result = match item {
                ast::Item::Adt(d) => env.lower_adt(d, AdtId(id), target),
                ast::Item::Fn(d) => env.lower_fn_def(d, FnDefId(id), target),
                ast::Item::Closure(d) => env.lower_closure(d, ClosureId(id), target),
                ast::Item::Trait(d) => {
                    let trait_id = TraitId(id);
                    let mut r = env.lower_trait(d, trait_id, target);
                    for (a, &assoc_id) in d.assoc_ty_defns.iter().zip(&assoc_ids[i]) {
                        if let Err(f) = env.lower_assoc_ty_defn(d, trait_id, a, assoc_id, target) {
                            if r.is_ok() {
                                r = Err(f);
                            } else {
                                push(f, &mut diags);
                            }
                        }
                    }
                    r
                }
                ast::Item::Impl(d) => env.lower_impl(d, ImplId(id), &value_ids[i], target),
                ast::Item::OpaqueTy(d) => env.lower_opaque(d, OpaqueTyId(id), target),
                ast::Item::Coroutine(d) => env.lower_coroutine(d, CoroutineId(id), target),
                ast::Item::Foreign(_) => Ok(()),
                ast::Item::Clause(_) => {
                    // The parser splits `forall<..> { T: Tr<A = U> if .. }`
                    // into consecutive clauses; lower them as one.
                    let run: Vec<ast::Clause> = file.items[i..]
                        .iter()
                        .map_while(|it| match it {
                            ast::Item::Clause(c) => Some(ast::Clause::clone(c)),
                            _ => None,
                        })
                        .collect();
                    let n = goals::clause_run_len(&run);
                    skip_until = i + n;
                    env.lower_clause_run(&run[..n]).map(|cs| {
                        let span = run[0].span;
                        target
                            .clause_sources
                            .extend(cs.iter().map(|c| (c.clone(), span)));
                        target.custom_clauses.extend(cs)
                    })
                }
            };
            let lowered = result.is_ok();
            if let Err(f) = result {
                push(f, &mut diags);
            }
            if keep.is_some() {
                let own = Arc::new(own);
                let used = own.tables_in_use();
                // A run of clauses is lowered each time: it is one part
                // made of several items.
                if lowered && !matches!(item, ast::Item::Clause(_)) {
                    parts[i] = Some((Arc::clone(&own), item.span().start, used));
                }
                in_order.push((own, 0, used));
            }
        }
    }
    if keep.is_some() {
        let in_order: Vec<(&Program, i64, u32)> =
            in_order.iter().map(|(p, s, u)| (&**p, *s, *u)).collect();
        program = Program::from_parts(&in_order, Names::default());
        program.taken_from =
            earlier.map(|earlier| (Arc::downgrade(&earlier.program), taken.into()));
        if let Some(earlier) = earlier {
            program.keep_impl_index(&earlier.program);
        }
    }
    // Lowering runs in phases (ids, then items), so errors are found out of
    // order; they are reported in the order of the text.
    diags.sort_by_key(|d| d.primary.span.start);
    if failed {
        return (None, diags, None);
    }
    program.names = names;
    let program = Arc::new(program);
    let reusable = keep.map(|(file, _)| Reusable {
        file: Arc::clone(file),
        program: Arc::clone(&program),
        assoc_ids,
        value_ids,
        parts,
        reused,
    });
    (Some(program), diags, reusable)
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
