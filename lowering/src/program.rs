//! The lowered program: every item as chalk-ir data, implementing chalk's
//! `RustIrDatabase` with chalk-integration's behaviours.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use chalk_ir::could_match::CouldMatch;
use chalk_ir::debug::Angle;
use chalk_ir::{
    AdtId, AssocTypeId, Binders, CanonicalVarKinds, ClosureId, CoroutineId, FnDefId, GenericArg,
    ImplId, IntTy, OpaqueTy, OpaqueTyId, ProgramClause, ProgramClauses, ProjectionTy, Scalar,
    Substitution, TraitId, Ty, TyKind, UintTy, UnificationDatabase, Variance, Variances,
};
use chalk_solve::rust_ir::{
    AdtDatum, AdtRepr, AdtSizeAlign, AssociatedTyDatum, AssociatedTyValue, AssociatedTyValueId,
    ClosureKind, CoroutineDatum, CoroutineWitnessDatum, FnDefDatum, FnDefInputsAndOutputDatum,
    ImplDatum, ImplType, OpaqueTyDatum, TraitDatum, WellKnownAssocType, WellKnownTrait,
};
use chalk_solve::split::Split;
use chalk_solve::RustIrDatabase;

use crate::impl_index::{ImplIndex, SimplifiedType};
use crate::interner::{DebugContext, Ir, RawId};
use crate::names::Names;
use chalkboard_syntax::ast::Span;

/// Where an impl was written.
#[derive(Clone, Debug)]
pub struct ImplSource {
    /// The whole impl.
    pub span: Span,
    /// `impl<..> Trait for Type`, without where clauses and body.
    pub header: Span,
    /// The trait's name as written.
    pub trait_name: String,
}

/// A lowered program. Built by [`crate::lower::lower_file`].
#[derive(Clone, Default)]
pub struct Program {
    pub(crate) names: Names,
    pub(crate) adt_data: BTreeMap<AdtId<Ir>, Arc<AdtDatum<Ir>>>,
    pub(crate) adt_reprs: BTreeMap<AdtId<Ir>, Arc<AdtRepr<Ir>>>,
    pub(crate) adt_size_aligns: BTreeMap<AdtId<Ir>, Arc<AdtSizeAlign>>,
    pub(crate) adt_variances: BTreeMap<AdtId<Ir>, Vec<Variance>>,
    pub(crate) fn_def_data: BTreeMap<FnDefId<Ir>, Arc<FnDefDatum<Ir>>>,
    pub(crate) fn_def_variances: BTreeMap<FnDefId<Ir>, Vec<Variance>>,
    pub(crate) closure_inputs_and_output:
        BTreeMap<ClosureId<Ir>, Binders<FnDefInputsAndOutputDatum<Ir>>>,
    pub(crate) closure_kinds: BTreeMap<ClosureId<Ir>, ClosureKind>,
    pub(crate) closure_upvars: BTreeMap<ClosureId<Ir>, Binders<Ty<Ir>>>,
    pub(crate) coroutine_data: BTreeMap<CoroutineId<Ir>, Arc<CoroutineDatum<Ir>>>,
    pub(crate) coroutine_witness_data: BTreeMap<CoroutineId<Ir>, Arc<CoroutineWitnessDatum<Ir>>>,
    pub(crate) trait_data: BTreeMap<TraitId<Ir>, Arc<TraitDatum<Ir>>>,
    pub(crate) well_known_traits: BTreeMap<WellKnownTrait, TraitId<Ir>>,
    pub(crate) well_known_assoc_types: BTreeMap<WellKnownAssocType, AssocTypeId<Ir>>,
    pub(crate) impl_data: BTreeMap<ImplId<Ir>, Arc<ImplDatum<Ir>>>,
    pub(crate) impl_sources: BTreeMap<ImplId<Ir>, ImplSource>,
    pub(crate) associated_ty_data: BTreeMap<AssocTypeId<Ir>, Arc<AssociatedTyDatum<Ir>>>,
    pub(crate) associated_ty_values: BTreeMap<AssociatedTyValueId<Ir>, Arc<AssociatedTyValue<Ir>>>,
    pub(crate) opaque_ty_data: BTreeMap<OpaqueTyId<Ir>, Arc<OpaqueTyDatum<Ir>>>,
    pub(crate) hidden_opaque_types: BTreeMap<OpaqueTyId<Ir>, Ty<Ir>>,
    pub(crate) custom_clauses: Vec<ProgramClause<Ir>>,
    pub(crate) object_safe_traits: BTreeSet<TraitId<Ir>>,
    /// Spans of associated type declarations, for diagnostics.
    pub(crate) assoc_ty_spans: BTreeMap<AssocTypeId<Ir>, Span>,
    /// Conditional bounds `if (..) { .. }` on associated types, in source order.
    pub(crate) conditional_bounds: Vec<ConditionalBoundInfo>,
    /// Items chalkboard generated (a body's future structs and their
    /// impls), with the rule that generated them.
    pub(crate) generated: BTreeMap<RawId, chalkboard_syntax::registry::Rule>,
    /// Where each custom clause written as a `forall<..> { .. }` item was
    /// written, so an explanation can name the line a clause came from.
    pub(crate) clause_sources: Vec<(ProgramClause<Ir>, Span)>,
    /// The names of the generic parameters of impls, of associated type
    /// values (the impl's, then the value's own) and of ADTs, by raw id, as written
    /// (lifetimes with their quote): chalk-ir keeps only the kinds, and an
    /// explanation prints the parameters by name.
    pub(crate) param_names: BTreeMap<RawId, Arc<[String]>>,
    /// The impls by trait and simplified self type, built on first use
    /// (after lowering, which is the only place impls are added).
    pub(crate) impl_index: std::sync::OnceLock<Arc<ImplIndex>>,
    /// The clauses of each environment chalk asked for, computed once:
    /// chalk asks again for every goal, and elaborating an environment over
    /// a large program (a Rust file's model of the standard library) is
    /// most of the cost of a solve.
    pub(crate) env_clauses: EnvClauseCache,
    /// Rule lower-reuse: the program this one took items from, and by
    /// [`dense_index`](crate::lower::dense_index), which ids' data it took
    /// (those items are unchanged since that program, without comparing).
    pub(crate) taken_from: Option<(std::sync::Weak<Program>, Arc<[bool]>)>,
}

/// A cache of [`Program::program_clauses_for_env`]. A clone starts empty,
/// since a cloned program is usually changed (its clauses filtered) before
/// it is asked anything.
#[derive(Default)]
#[allow(clippy::type_complexity)]
pub(crate) struct EnvClauseCache(
    std::sync::Mutex<
        std::collections::HashMap<
            chalk_ir::Environment<Ir>,
            (ProgramClauses<Ir>, Arc<[crate::reads::Read]>),
        >,
    >,
);

impl Clone for EnvClauseCache {
    fn clone(&self) -> Self {
        EnvClauseCache::default()
    }
}

/// A conditional bound on an associated type and the clauses it gave callers.
#[derive(Clone, Debug)]
pub struct ConditionalBoundInfo {
    pub trait_id: TraitId<Ir>,
    pub assoc_ty_id: AssocTypeId<Ir>,
    /// The `if (..) { .. }` bound as written.
    pub span: Span,
    /// `forall<..> { Implemented((Trait::Assoc)<..>: B) :- Implemented(Self: Trait), C.. }`
    pub clauses: Vec<ProgramClause<Ir>>,
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The full data is large and chalk requires only some Debug impl.
        f.debug_struct("Program")
            .field("adts", &self.adt_data.len())
            .field("traits", &self.trait_data.len())
            .field("impls", &self.impl_data.len())
            .finish_non_exhaustive()
    }
}

/// Rule check-reuse: whether a read gives the same answer in this program
/// as in an earlier one (see [`crate::reads`]).
impl Program {
    /// Notes that the item `id` was read; returns `self` to chain on.
    fn note_item(&self, id: RawId) -> &Self {
        crate::reads::note(crate::reads::Read::Item(id));
        self
    }

    /// Whether `read` answers in this program exactly as it did in
    /// `earlier`: the same data under the same ids. Ids that moved (an item
    /// inserted before them) make every later item compare unequal, which
    /// is never wrong, only a missed reuse.
    pub fn unchanged_since(&self, earlier: &Program, read: &crate::reads::Read) -> bool {
        use crate::reads::Read;
        match *read {
            Read::Item(id) => self.item_unchanged_since(earlier, id),
            Read::ImplsOf { trait_id, self_key } => {
                let id = TraitId(trait_id);
                let (now, then) = match self_key {
                    Some(key) => (
                        self.impl_index().candidate_impls(id, Some(key)),
                        earlier.impl_index().candidate_impls(id, Some(key)),
                    ),
                    None => (
                        self.impl_index().impls_of_trait(id).to_vec(),
                        earlier.impl_index().impls_of_trait(id).to_vec(),
                    ),
                };
                // The lookups filter the impls by their data (self type,
                // locality), so the impls' data must be the same too.
                now == then
                    && now
                        .iter()
                        .all(|i| self.impl_data.get(i) == earlier.impl_data.get(i))
            }
            Read::WellKnown => {
                self.well_known_traits == earlier.well_known_traits
                    && self.well_known_assoc_types == earlier.well_known_assoc_types
            }
            Read::CustomClauses => self.custom_clauses == earlier.custom_clauses,
        }
    }

    /// One more than the largest [`dense_index`](crate::lower::dense_index)
    /// of the program's ids.
    pub fn raw_id_bound(&self) -> usize {
        fn last<K: Copy + Ord, V>(map: &BTreeMap<K, V>, raw: impl Fn(K) -> RawId) -> usize {
            map.last_key_value()
                .map_or(0, |(k, _)| crate::lower::dense_index(raw(*k)) + 1)
        }
        [
            last(&self.adt_data, |k| k.0),
            last(&self.trait_data, |k| k.0),
            last(&self.impl_data, |k| k.0),
            last(&self.associated_ty_data, |k| k.0),
            last(&self.associated_ty_values, |k| k.0),
            last(&self.fn_def_data, |k| k.0),
            last(&self.opaque_ty_data, |k| k.0),
            last(&self.closure_kinds, |k| k.0),
            last(&self.coroutine_data, |k| k.0),
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }

    /// Whether the item with raw id `id` has the same data in both
    /// programs, including what the program keeps beside its datum.
    fn item_unchanged_since(&self, earlier: &Program, id: RawId) -> bool {
        fn same<K: Ord, V: PartialEq>(a: &BTreeMap<K, V>, b: &BTreeMap<K, V>, k: &K) -> bool {
            a.get(k) == b.get(k)
        }
        let (a, b) = (self, earlier);
        if let Some((from, taken)) = &a.taken_from {
            let taken = taken.get(crate::lower::dense_index(id)) == Some(&true);
            if taken && std::ptr::eq(from.as_ptr(), earlier) {
                return true;
            }
        }
        let adt = AdtId(id);
        if a.adt_data.contains_key(&adt) || b.adt_data.contains_key(&adt) {
            return same(&a.adt_data, &b.adt_data, &adt)
                && same(&a.adt_reprs, &b.adt_reprs, &adt)
                && same(&a.adt_size_aligns, &b.adt_size_aligns, &adt)
                && same(&a.adt_variances, &b.adt_variances, &adt);
        }
        let imp = ImplId(id);
        if a.impl_data.contains_key(&imp) || b.impl_data.contains_key(&imp) {
            return same(&a.impl_data, &b.impl_data, &imp);
        }
        let value = AssociatedTyValueId(id);
        if a.associated_ty_values.contains_key(&value)
            || b.associated_ty_values.contains_key(&value)
        {
            return same(&a.associated_ty_values, &b.associated_ty_values, &value);
        }
        let tr = TraitId(id);
        if a.trait_data.contains_key(&tr) || b.trait_data.contains_key(&tr) {
            return same(&a.trait_data, &b.trait_data, &tr)
                && a.object_safe_traits.contains(&tr) == b.object_safe_traits.contains(&tr);
        }
        let assoc = AssocTypeId(id);
        if a.associated_ty_data.contains_key(&assoc) || b.associated_ty_data.contains_key(&assoc) {
            return same(&a.associated_ty_data, &b.associated_ty_data, &assoc);
        }
        let fn_def = FnDefId(id);
        let opaque = OpaqueTyId(id);
        let closure = ClosureId(id);
        let coroutine = CoroutineId(id);
        same(&a.fn_def_data, &b.fn_def_data, &fn_def)
            && same(&a.fn_def_variances, &b.fn_def_variances, &fn_def)
            && same(&a.opaque_ty_data, &b.opaque_ty_data, &opaque)
            && same(&a.hidden_opaque_types, &b.hidden_opaque_types, &opaque)
            && same(
                &a.closure_inputs_and_output,
                &b.closure_inputs_and_output,
                &closure,
            )
            && same(&a.closure_kinds, &b.closure_kinds, &closure)
            && same(&a.closure_upvars, &b.closure_upvars, &closure)
            && same(&a.coroutine_data, &b.coroutine_data, &coroutine)
            && same(
                &a.coroutine_witness_data,
                &b.coroutine_witness_data,
                &coroutine,
            )
    }
}

/// The entries of one table, gathered in order and made into the table at
/// once: a map built from its entries sorts them and fills its nodes in one
/// pass, a fraction of inserting them one by one; where two entries have
/// the same key, the later wins, as an insertion would.
pub(crate) struct Gathered<K, V>(Vec<(K, V)>);

impl<K: Ord + Clone, V: Clone> Gathered<K, V> {
    /// Every entry of a table, after those gathered so far.
    pub(crate) fn add(&mut self, from: &BTreeMap<K, V>) {
        self.0
            .extend(from.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

impl<K: Ord, V> Gathered<K, V> {
    /// One entry, after those gathered so far.
    pub(crate) fn push(&mut self, key: K, value: V) {
        self.0.push((key, value));
    }

    pub(crate) fn table(self) -> BTreeMap<K, V> {
        self.0.into_iter().collect()
    }
}

pub(crate) fn gathered<K, V>() -> Gathered<K, V> {
    Gathered(Vec::new())
}

/// One bit per table of a part, for [`Program::tables_in_use`].
pub(crate) mod table_bit {
    pub(crate) const ADT_DATA: u32 = 1 << 0;
    pub(crate) const ADT_REPRS: u32 = 1 << 1;
    pub(crate) const ADT_SIZE_ALIGNS: u32 = 1 << 2;
    pub(crate) const ADT_VARIANCES: u32 = 1 << 3;
    pub(crate) const FN_DEF_DATA: u32 = 1 << 4;
    pub(crate) const FN_DEF_VARIANCES: u32 = 1 << 5;
    pub(crate) const CLOSURE_INPUTS_AND_OUTPUT: u32 = 1 << 6;
    pub(crate) const CLOSURE_KINDS: u32 = 1 << 7;
    pub(crate) const CLOSURE_UPVARS: u32 = 1 << 8;
    pub(crate) const COROUTINE_DATA: u32 = 1 << 9;
    pub(crate) const COROUTINE_WITNESS_DATA: u32 = 1 << 10;
    pub(crate) const TRAIT_DATA: u32 = 1 << 11;
    pub(crate) const WELL_KNOWN_TRAITS: u32 = 1 << 12;
    pub(crate) const WELL_KNOWN_ASSOC_TYPES: u32 = 1 << 13;
    pub(crate) const IMPL_DATA: u32 = 1 << 14;
    pub(crate) const IMPL_SOURCES: u32 = 1 << 15;
    pub(crate) const ASSOCIATED_TY_DATA: u32 = 1 << 16;
    pub(crate) const ASSOCIATED_TY_VALUES: u32 = 1 << 17;
    pub(crate) const OPAQUE_TY_DATA: u32 = 1 << 18;
    pub(crate) const HIDDEN_OPAQUE_TYPES: u32 = 1 << 19;
    pub(crate) const CUSTOM_CLAUSES: u32 = 1 << 20;
    pub(crate) const OBJECT_SAFE_TRAITS: u32 = 1 << 21;
    pub(crate) const ASSOC_TY_SPANS: u32 = 1 << 22;
    pub(crate) const CONDITIONAL_BOUNDS: u32 = 1 << 23;
    pub(crate) const GENERATED: u32 = 1 << 24;
    pub(crate) const CLAUSE_SOURCES: u32 = 1 << 25;
    pub(crate) const PARAM_NAMES: u32 = 1 << 26;
}

impl Program {
    /// Which of this program's tables hold an entry (see [`table_bit`]).
    ///
    /// Rule `parts-read-where-used`: a part of rule lower-reuse is a whole
    /// program of one item, with a few of its tables in use; putting the
    /// program together read every table of every part, so that each part
    /// cost a score of cache lines, most of them for empty tables. The
    /// tables a part uses are found once, when it is made, and only those
    /// are read.
    pub(crate) fn tables_in_use(&self) -> u32 {
        let Program {
            names: _,
            impl_index: _,
            env_clauses: _,
            taken_from: _,
            adt_data,
            adt_reprs,
            adt_size_aligns,
            adt_variances,
            fn_def_data,
            fn_def_variances,
            closure_inputs_and_output,
            closure_kinds,
            closure_upvars,
            coroutine_data,
            coroutine_witness_data,
            trait_data,
            well_known_traits,
            well_known_assoc_types,
            impl_data,
            impl_sources,
            associated_ty_data,
            associated_ty_values,
            opaque_ty_data,
            hidden_opaque_types,
            custom_clauses,
            object_safe_traits,
            assoc_ty_spans,
            conditional_bounds,
            generated,
            clause_sources,
            param_names,
        } = self;
        let tables: [(bool, u32); 27] = [
            (adt_data.is_empty(), table_bit::ADT_DATA),
            (adt_reprs.is_empty(), table_bit::ADT_REPRS),
            (adt_size_aligns.is_empty(), table_bit::ADT_SIZE_ALIGNS),
            (adt_variances.is_empty(), table_bit::ADT_VARIANCES),
            (fn_def_data.is_empty(), table_bit::FN_DEF_DATA),
            (fn_def_variances.is_empty(), table_bit::FN_DEF_VARIANCES),
            (
                closure_inputs_and_output.is_empty(),
                table_bit::CLOSURE_INPUTS_AND_OUTPUT,
            ),
            (closure_kinds.is_empty(), table_bit::CLOSURE_KINDS),
            (closure_upvars.is_empty(), table_bit::CLOSURE_UPVARS),
            (coroutine_data.is_empty(), table_bit::COROUTINE_DATA),
            (
                coroutine_witness_data.is_empty(),
                table_bit::COROUTINE_WITNESS_DATA,
            ),
            (trait_data.is_empty(), table_bit::TRAIT_DATA),
            (well_known_traits.is_empty(), table_bit::WELL_KNOWN_TRAITS),
            (
                well_known_assoc_types.is_empty(),
                table_bit::WELL_KNOWN_ASSOC_TYPES,
            ),
            (impl_data.is_empty(), table_bit::IMPL_DATA),
            (impl_sources.is_empty(), table_bit::IMPL_SOURCES),
            (associated_ty_data.is_empty(), table_bit::ASSOCIATED_TY_DATA),
            (
                associated_ty_values.is_empty(),
                table_bit::ASSOCIATED_TY_VALUES,
            ),
            (opaque_ty_data.is_empty(), table_bit::OPAQUE_TY_DATA),
            (
                hidden_opaque_types.is_empty(),
                table_bit::HIDDEN_OPAQUE_TYPES,
            ),
            (custom_clauses.is_empty(), table_bit::CUSTOM_CLAUSES),
            (object_safe_traits.is_empty(), table_bit::OBJECT_SAFE_TRAITS),
            (assoc_ty_spans.is_empty(), table_bit::ASSOC_TY_SPANS),
            (conditional_bounds.is_empty(), table_bit::CONDITIONAL_BOUNDS),
            (generated.is_empty(), table_bit::GENERATED),
            (clause_sources.is_empty(), table_bit::CLAUSE_SOURCES),
            (param_names.is_empty(), table_bit::PARAM_NAMES),
        ];
        tables
            .iter()
            .filter(|(empty, _)| !empty)
            .fold(0, |used, (_, bit)| used | bit)
    }
}

/// Rule `lower-reuse`: a program is put together from what lowering made
/// of each item.
impl Program {
    /// The program made of `parts` in order: what lowering made of each
    /// item alone (a program of that item), each with how far its spans
    /// move, since the item may have moved in the text since the part was
    /// made (rule items-equal-when-moved). The ids of the parts grow in
    /// order, so each table is built at once from sorted entries, which is
    /// a fraction of inserting them one by one; where two parts have the
    /// same key (a well-known trait declared twice), the later wins, as an
    /// insertion would. Every table is named, so that a table added to
    /// `Program` must be added here too.
    pub(crate) fn from_parts(parts: &[(&Program, i64, u32)], names: Names) -> Program {
        // One pass over the parts, each read once (a part is a whole
        // program, mostly empty tables; a pass per table would read every
        // part once per table).
        let mut program = Program {
            names,
            ..Program::default()
        };
        let (mut adt_data, mut adt_reprs, mut adt_size_aligns, mut adt_variances) =
            (gathered(), gathered(), gathered(), gathered());
        let (mut fn_def_data, mut fn_def_variances) = (gathered(), gathered());
        let (mut closure_inputs_and_output, mut closure_kinds, mut closure_upvars) =
            (gathered(), gathered(), gathered());
        let (mut coroutine_data, mut coroutine_witness_data) = (gathered(), gathered());
        let (mut trait_data, mut well_known_traits, mut well_known_assoc_types) =
            (gathered(), gathered(), gathered());
        let (mut impl_data, mut impl_sources) = (gathered(), gathered());
        let (mut associated_ty_data, mut associated_ty_values) = (gathered(), gathered());
        let (mut opaque_ty_data, mut hidden_opaque_types) = (gathered(), gathered());
        let (mut assoc_ty_spans, mut generated, mut param_names) =
            (gathered(), gathered(), gathered());
        for &(part, shift, used) in parts {
            let Program {
                names: _,
                adt_data: part_adt_data,
                adt_reprs: part_adt_reprs,
                adt_size_aligns: part_adt_size_aligns,
                adt_variances: part_adt_variances,
                fn_def_data: part_fn_def_data,
                fn_def_variances: part_fn_def_variances,
                closure_inputs_and_output: part_closure_inputs_and_output,
                closure_kinds: part_closure_kinds,
                closure_upvars: part_closure_upvars,
                coroutine_data: part_coroutine_data,
                coroutine_witness_data: part_coroutine_witness_data,
                trait_data: part_trait_data,
                well_known_traits: part_well_known_traits,
                well_known_assoc_types: part_well_known_assoc_types,
                impl_data: part_impl_data,
                impl_sources: part_impl_sources,
                associated_ty_data: part_associated_ty_data,
                associated_ty_values: part_associated_ty_values,
                opaque_ty_data: part_opaque_ty_data,
                hidden_opaque_types: part_hidden_opaque_types,
                custom_clauses: part_custom_clauses,
                object_safe_traits: part_object_safe_traits,
                assoc_ty_spans: part_assoc_ty_spans,
                conditional_bounds: part_conditional_bounds,
                generated: part_generated,
                clause_sources: part_clause_sources,
                param_names: part_param_names,
                impl_index: _,
                env_clauses: _,
                taken_from: _,
            } = part;
            if used & table_bit::ADT_DATA != 0 {
                adt_data.add(part_adt_data);
            }
            if used & table_bit::ADT_REPRS != 0 {
                adt_reprs.add(part_adt_reprs);
            }
            if used & table_bit::ADT_SIZE_ALIGNS != 0 {
                adt_size_aligns.add(part_adt_size_aligns);
            }
            if used & table_bit::ADT_VARIANCES != 0 {
                adt_variances.add(part_adt_variances);
            }
            if used & table_bit::FN_DEF_DATA != 0 {
                fn_def_data.add(part_fn_def_data);
            }
            if used & table_bit::FN_DEF_VARIANCES != 0 {
                fn_def_variances.add(part_fn_def_variances);
            }
            if used & table_bit::CLOSURE_INPUTS_AND_OUTPUT != 0 {
                closure_inputs_and_output.add(part_closure_inputs_and_output);
            }
            if used & table_bit::CLOSURE_KINDS != 0 {
                closure_kinds.add(part_closure_kinds);
            }
            if used & table_bit::CLOSURE_UPVARS != 0 {
                closure_upvars.add(part_closure_upvars);
            }
            if used & table_bit::COROUTINE_DATA != 0 {
                coroutine_data.add(part_coroutine_data);
            }
            if used & table_bit::COROUTINE_WITNESS_DATA != 0 {
                coroutine_witness_data.add(part_coroutine_witness_data);
            }
            if used & table_bit::TRAIT_DATA != 0 {
                trait_data.add(part_trait_data);
            }
            if used & table_bit::WELL_KNOWN_TRAITS != 0 {
                well_known_traits.add(part_well_known_traits);
            }
            if used & table_bit::WELL_KNOWN_ASSOC_TYPES != 0 {
                well_known_assoc_types.add(part_well_known_assoc_types);
            }
            if used & table_bit::IMPL_DATA != 0 {
                impl_data.add(part_impl_data);
            }
            if used & table_bit::IMPL_SOURCES != 0 {
                impl_sources
                    .0
                    .extend(part_impl_sources.iter().map(|(id, source)| {
                        let source = ImplSource {
                            span: source.span.shifted(shift),
                            header: source.header.shifted(shift),
                            trait_name: source.trait_name.clone(),
                        };
                        (*id, source)
                    }));
            }
            if used & table_bit::ASSOCIATED_TY_DATA != 0 {
                associated_ty_data.add(part_associated_ty_data);
            }
            if used & table_bit::ASSOCIATED_TY_VALUES != 0 {
                associated_ty_values.add(part_associated_ty_values);
            }
            if used & table_bit::OPAQUE_TY_DATA != 0 {
                opaque_ty_data.add(part_opaque_ty_data);
            }
            if used & table_bit::HIDDEN_OPAQUE_TYPES != 0 {
                hidden_opaque_types.add(part_hidden_opaque_types);
            }
            if used & table_bit::CUSTOM_CLAUSES != 0 {
                program
                    .custom_clauses
                    .extend(part_custom_clauses.iter().cloned());
            }
            if used & table_bit::OBJECT_SAFE_TRAITS != 0 {
                program
                    .object_safe_traits
                    .extend(part_object_safe_traits.iter().copied());
            }
            if used & table_bit::ASSOC_TY_SPANS != 0 {
                assoc_ty_spans.0.extend(
                    part_assoc_ty_spans
                        .iter()
                        .map(|(id, span)| (*id, span.shifted(shift))),
                );
            }
            if used & table_bit::CONDITIONAL_BOUNDS != 0 {
                program
                    .conditional_bounds
                    .extend(
                        part_conditional_bounds
                            .iter()
                            .map(|b| ConditionalBoundInfo {
                                span: b.span.shifted(shift),
                                ..b.clone()
                            }),
                    );
            }
            if used & table_bit::GENERATED != 0 {
                generated.add(part_generated);
            }
            if used & table_bit::CLAUSE_SOURCES != 0 {
                program.clause_sources.extend(
                    part_clause_sources
                        .iter()
                        .map(|(c, span)| (c.clone(), span.shifted(shift))),
                );
            }
            if used & table_bit::PARAM_NAMES != 0 {
                param_names.add(part_param_names);
            }
        }
        program.adt_data = adt_data.table();
        program.adt_reprs = adt_reprs.table();
        program.adt_size_aligns = adt_size_aligns.table();
        program.adt_variances = adt_variances.table();
        program.fn_def_data = fn_def_data.table();
        program.fn_def_variances = fn_def_variances.table();
        program.closure_inputs_and_output = closure_inputs_and_output.table();
        program.closure_kinds = closure_kinds.table();
        program.closure_upvars = closure_upvars.table();
        program.coroutine_data = coroutine_data.table();
        program.coroutine_witness_data = coroutine_witness_data.table();
        program.trait_data = trait_data.table();
        program.well_known_traits = well_known_traits.table();
        program.well_known_assoc_types = well_known_assoc_types.table();
        program.impl_data = impl_data.table();
        program.impl_sources = impl_sources.table();
        program.associated_ty_data = associated_ty_data.table();
        program.associated_ty_values = associated_ty_values.table();
        program.opaque_ty_data = opaque_ty_data.table();
        program.hidden_opaque_types = hidden_opaque_types.table();
        program.assoc_ty_spans = assoc_ty_spans.table();
        program.generated = generated.table();
        program.param_names = param_names.table();
        program
    }
}

impl Program {
    /// Every table of the program, printed, for tests that compare two
    /// programs whole (rule lower-reuse must give what lowering gives).
    #[cfg(test)]
    pub(crate) fn tables_printed(&self) -> String {
        let Program {
            names,
            adt_data,
            adt_reprs,
            adt_size_aligns,
            adt_variances,
            fn_def_data,
            fn_def_variances,
            closure_inputs_and_output,
            closure_kinds,
            closure_upvars,
            coroutine_data,
            coroutine_witness_data,
            trait_data,
            well_known_traits,
            well_known_assoc_types,
            impl_data,
            impl_sources,
            associated_ty_data,
            associated_ty_values,
            opaque_ty_data,
            hidden_opaque_types,
            custom_clauses,
            object_safe_traits,
            assoc_ty_spans,
            conditional_bounds,
            generated,
            clause_sources,
            param_names,
            impl_index: _,
            env_clauses: _,
            taken_from: _,
        } = self;
        format!(
            "{names:?}\n{adt_data:?}\n{adt_reprs:?}\n{adt_size_aligns:?}\n{adt_variances:?}\n\
             {fn_def_data:?}\n{fn_def_variances:?}\n{closure_inputs_and_output:?}\n\
             {closure_kinds:?}\n{closure_upvars:?}\n{coroutine_data:?}\n\
             {coroutine_witness_data:?}\n{trait_data:?}\n{well_known_traits:?}\n\
             {well_known_assoc_types:?}\n{impl_data:?}\n{impl_sources:?}\n\
             {associated_ty_data:?}\n{associated_ty_values:?}\n{opaque_ty_data:?}\n\
             {hidden_opaque_types:?}\n{custom_clauses:?}\n{object_safe_traits:?}\n\
             {assoc_ty_spans:?}\n{conditional_bounds:?}\n{generated:?}\n{clause_sources:?}\n\
             {param_names:?}"
        )
    }
}

/// Public accessors used by the checker and the CLI.
impl Program {
    /// The rule that generated an item, when chalkboard generated it.
    pub fn generated_by(&self, id: RawId) -> Option<chalkboard_syntax::registry::Rule> {
        self.generated.get(&id).copied()
    }

    /// The conditional bounds on associated types, in source order.
    pub fn conditional_bounds(&self) -> &[ConditionalBoundInfo] {
        &self.conditional_bounds
    }

    /// The same program without the clauses conditional bounds give callers:
    /// what is true of the concrete types, as opposed to what the bounds
    /// promise. The promise audit compares the two.
    pub fn without_conditional_clauses(&self) -> Program {
        let mut program = self.clone();
        let promised: Vec<&ProgramClause<Ir>> = self
            .conditional_bounds
            .iter()
            .flat_map(|b| &b.clauses)
            .collect();
        program.custom_clauses.retain(|c| !promised.contains(&c));
        program
    }
}

impl Program {
    /// Rule `impl-index-kept`: a program put together by rule lower-reuse
    /// whose impls are those of the program it took items from, under the
    /// same ids with the same data, has that program's index of impls (when
    /// it was built) instead of building its own; an edit of anything but
    /// an impl leaves every impl as it was.
    pub(crate) fn keep_impl_index(&mut self, earlier: &Program) {
        let Some(index) = earlier.impl_index.get() else {
            return;
        };
        let same = self.impl_data.len() == earlier.impl_data.len()
            && self
                .impl_data
                .iter()
                .zip(&earlier.impl_data)
                .all(|((a, da), (b, db))| a == b && (Arc::ptr_eq(da, db) || da == db));
        if same {
            // A program is made without an index; this is its first.
            let _ = self.impl_index.set(Arc::clone(index));
        }
    }

    /// The impls by trait and simplified self type.
    pub fn impl_index(&self) -> &ImplIndex {
        self.impl_index
            .get_or_init(|| Arc::new(ImplIndex::build(&self.impl_data)))
    }

    /// Every ADT, in source order.
    pub fn adt_ids(&self) -> impl Iterator<Item = AdtId<Ir>> + '_ {
        self.adt_data.keys().copied()
    }

    /// Every trait, in source order.
    pub fn trait_ids(&self) -> impl Iterator<Item = TraitId<Ir>> + '_ {
        self.trait_data.keys().copied()
    }

    /// Every impl in source order, with whether it is local (not `#[upstream]`).
    pub fn impl_ids(&self) -> impl Iterator<Item = (ImplId<Ir>, bool)> + '_ {
        self.impl_data
            .iter()
            .map(|(&id, d)| (id, d.impl_type == ImplType::Local))
    }

    /// Every opaque type, in source order.
    pub fn opaque_ids(&self) -> impl Iterator<Item = OpaqueTyId<Ir>> + '_ {
        self.opaque_ty_data.keys().copied()
    }

    /// Every fn definition, in source order.
    pub fn fn_def_ids(&self) -> impl Iterator<Item = FnDefId<Ir>> + '_ {
        self.fn_def_data.keys().copied()
    }

    /// The name of a named item (ADT, trait, fn, closure, opaque type,
    /// coroutine, foreign type) by its raw id.
    pub fn item_name(&self, id: RawId) -> Option<&str> {
        self.names.sigs.get(&id).map(|s| s.name.as_str())
    }

    /// The span of a named item's definition.
    pub fn item_span(&self, id: RawId) -> Option<Span> {
        self.names.sigs.get(&id).map(|s| s.span)
    }

    pub fn adt_span(&self, id: AdtId<Ir>) -> Option<Span> {
        self.item_span(id.0)
    }

    pub fn trait_span(&self, id: TraitId<Ir>) -> Option<Span> {
        self.item_span(id.0)
    }

    pub fn opaque_span(&self, id: OpaqueTyId<Ir>) -> Option<Span> {
        self.item_span(id.0)
    }

    pub fn assoc_ty_span(&self, id: AssocTypeId<Ir>) -> Option<Span> {
        self.assoc_ty_spans.get(&id).copied()
    }

    /// Where an impl was written.
    pub fn impl_source(&self, id: ImplId<Ir>) -> Option<&ImplSource> {
        self.impl_sources.get(&id)
    }

    /// The impl whose source contains `span`, if any.
    pub fn impl_for_span(&self, span: Span) -> Option<ImplId<Ir>> {
        self.impl_sources
            .iter()
            .find(|(_, s)| s.span.start <= span.start && span.end <= s.span.end)
            .map(|(&id, _)| id)
    }

    pub fn trait_id_by_name(&self, name: &str) -> Option<TraitId<Ir>> {
        self.names.traits.get(name).copied()
    }

    pub fn adt_id_by_name(&self, name: &str) -> Option<AdtId<Ir>> {
        self.names.adts.get(name).copied()
    }

    /// The user's custom program clauses.
    pub fn custom_program_clauses(&self) -> &[ProgramClause<Ir>] {
        &self.custom_clauses
    }

    /// Where a custom clause written as a `forall<..> { .. }` item was
    /// written (`None` for a clause a conditional bound gave, see
    /// [`Program::conditional_bounds`], and for any other clause).
    pub fn custom_clause_span(&self, clause: &ProgramClause<Ir>) -> Option<Span> {
        self.clause_sources
            .iter()
            .find(|(c, _)| c == clause)
            .map(|(_, span)| *span)
    }

    /// The names of an impl's generic parameters, as written.
    pub fn impl_param_names(&self, id: ImplId<Ir>) -> &[String] {
        self.param_names.get(&id.0).map_or(&[], |n| n)
    }

    /// The names of a struct's or enum's generic parameters, as written.
    pub fn adt_param_names(&self, id: AdtId<Ir>) -> &[String] {
        self.param_names.get(&id.0).map_or(&[], |n| n)
    }

    /// The names of an associated type value's generic parameters: the
    /// impl's, then the value's own, as written.
    pub fn assoc_value_param_names(&self, id: AssociatedTyValueId<Ir>) -> &[String] {
        self.param_names.get(&id.0).map_or(&[], |n| n)
    }

    fn name_of(&self, id: RawId) -> Option<&str> {
        self.item_name(id)
    }
}

impl DebugContext for Program {
    fn debug_adt_id(&self, id: AdtId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name_of(id.0) {
            Some(n) => fmt.write_str(n),
            None => fmt
                .debug_struct("InvalidAdtId")
                .field("index", &id.0)
                .finish(),
        }
    }

    fn debug_trait_id(&self, id: TraitId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name_of(id.0) {
            Some(n) => fmt.write_str(n),
            None => fmt
                .debug_struct("InvalidTraitId")
                .field("index", &id.0)
                .finish(),
        }
    }

    fn debug_assoc_type_id(
        &self,
        id: AssocTypeId<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        match self.associated_ty_data.get(&id) {
            Some(d) => write!(fmt, "({:?}::{})", d.trait_id, d.name),
            None => fmt
                .debug_struct("InvalidAssocTypeId")
                .field("index", &id.0)
                .finish(),
        }
    }

    fn debug_opaque_ty_id(&self, id: OpaqueTyId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name_of(id.0) {
            Some(n) => fmt.write_str(n),
            None => fmt
                .debug_struct("InvalidOpaqueTyId")
                .field("index", &id.0)
                .finish(),
        }
    }

    fn debug_fn_def_id(&self, id: FnDefId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name_of(id.0) {
            Some(n) => fmt.write_str(n),
            None => fmt
                .debug_struct("InvalidFnDefId")
                .field("index", &id.0)
                .finish(),
        }
    }

    /// `<Self as Trait<rest>>::Name<extra>`, as chalk prints projections.
    fn debug_projection_ty(
        &self,
        proj: &ProjectionTy<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        if !self.associated_ty_data.contains_key(&proj.associated_ty_id) {
            return write!(fmt, "{:?}", proj.associated_ty_id);
        }
        let (datum, trait_params, other_params) = self.split_projection(proj);
        match trait_params.split_first() {
            Some((self_ty, rest)) => write!(
                fmt,
                "<{:?} as {:?}{:?}>::{}{:?}",
                self_ty,
                datum.trait_id,
                Angle(rest),
                datum.name,
                Angle(other_params)
            ),
            None => write!(fmt, "{:?}", proj.associated_ty_id),
        }
    }

    fn debug_opaque_ty(&self, opaque: &OpaqueTy<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(fmt, "{:?}", opaque.opaque_ty_id)
    }
}

impl UnificationDatabase<Ir> for Program {
    fn fn_def_variance(&self, id: FnDefId<Ir>) -> Variances<Ir> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        Variances::from_iter(
            Ir,
            self.fn_def_variances
                .get(&id)
                .into_iter()
                .flatten()
                .copied(),
        )
    }

    fn adt_variance(&self, id: AdtId<Ir>) -> Variances<Ir> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        Variances::from_iter(
            Ir,
            self.adt_variances.get(&id).into_iter().flatten().copied(),
        )
    }
}

impl RustIrDatabase<Ir> for Program {
    fn custom_clauses(&self) -> Vec<ProgramClause<Ir>> {
        crate::reads::note(crate::reads::Read::CustomClauses);
        self.custom_clauses.clone()
    }

    fn associated_ty_data(&self, id: AssocTypeId<Ir>) -> Arc<AssociatedTyDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.associated_ty_data[&id].clone()
    }

    fn trait_datum(&self, id: TraitId<Ir>) -> Arc<TraitDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.trait_data[&id].clone()
    }

    fn adt_datum(&self, id: AdtId<Ir>) -> Arc<AdtDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.adt_data[&id].clone()
    }

    fn coroutine_datum(&self, id: CoroutineId<Ir>) -> Arc<CoroutineDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.coroutine_data[&id].clone()
    }

    fn coroutine_witness_datum(&self, id: CoroutineId<Ir>) -> Arc<CoroutineWitnessDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.coroutine_witness_data[&id].clone()
    }

    fn adt_repr(&self, id: AdtId<Ir>) -> Arc<AdtRepr<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.adt_reprs[&id].clone()
    }

    fn adt_size_align(&self, id: AdtId<Ir>) -> Arc<AdtSizeAlign> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.adt_size_aligns[&id].clone()
    }

    fn fn_def_datum(&self, id: FnDefId<Ir>) -> Arc<FnDefDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.fn_def_data[&id].clone()
    }

    fn impl_datum(&self, id: ImplId<Ir>) -> Arc<ImplDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.impl_data[&id].clone()
    }

    fn associated_ty_from_impl(
        &self,
        impl_id: ImplId<Ir>,
        assoc_type_id: AssocTypeId<Ir>,
    ) -> Option<AssociatedTyValueId<Ir>> {
        crate::reads::note(crate::reads::Read::Item(impl_id.0));
        self.impl_data[&impl_id]
            .associated_ty_value_ids
            .iter()
            .copied()
            .find(|id| {
                crate::reads::note(crate::reads::Read::Item(id.0));
                self.associated_ty_values[id].associated_ty_id == assoc_type_id
            })
    }

    fn associated_ty_value(&self, id: AssociatedTyValueId<Ir>) -> Arc<AssociatedTyValue<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.associated_ty_values[&id].clone()
    }

    fn opaque_ty_data(&self, id: OpaqueTyId<Ir>) -> Arc<OpaqueTyDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.opaque_ty_data[&id].clone()
    }

    fn hidden_opaque_type(&self, id: OpaqueTyId<Ir>) -> Ty<Ir> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.hidden_opaque_types[&id].clone()
    }

    /// Every impl of the trait whose trait reference could match
    /// `parameters`, in source order (which fixes the order of answers).
    fn impls_for_trait(
        &self,
        trait_id: TraitId<Ir>,
        parameters: &[GenericArg<Ir>],
        _binders: &CanonicalVarKinds<Ir>,
    ) -> Vec<ImplId<Ir>> {
        let self_key = parameters
            .first()
            .and_then(|p| p.ty(Ir))
            .and_then(SimplifiedType::of);
        crate::reads::note(crate::reads::Read::ImplsOf {
            trait_id: trait_id.0,
            self_key,
        });
        let mut impls = self.impl_index().candidate_impls(trait_id, self_key);
        impls.retain(|id| {
            let trait_ref = &self.impl_data[id].binders.skip_binders().trait_ref;
            trait_ref.substitution.len(Ir) == parameters.len()
                && parameters.could_match(
                    Ir,
                    self.unification_database(),
                    trait_ref.substitution.as_slice(Ir),
                )
        });
        impls
    }

    fn local_impls_to_coherence_check(&self, trait_id: TraitId<Ir>) -> Vec<ImplId<Ir>> {
        crate::reads::note(crate::reads::Read::ImplsOf {
            trait_id: trait_id.0,
            self_key: None,
        });
        self.impl_index().local_impls_of_trait(trait_id).to_vec()
    }

    /// Whether an impl of the auto trait has a self type with the same
    /// outermost constructor as `ty` (substitutions are ignored on purpose):
    /// the rule chalk-integration uses to decide that an auto trait's impl
    /// replaces the automatic one.
    fn impl_provided_for(&self, auto_trait_id: TraitId<Ir>, ty: &TyKind<Ir>) -> bool {
        SimplifiedType::of_kind(ty).is_some_and(|key| {
            crate::reads::note(crate::reads::Read::ImplsOf {
                trait_id: auto_trait_id.0,
                self_key: Some(key),
            });
            self.impl_index().has_impl_for(auto_trait_id, key)
        })
    }

    fn well_known_trait_id(&self, well_known: WellKnownTrait) -> Option<TraitId<Ir>> {
        crate::reads::note(crate::reads::Read::WellKnown);
        self.well_known_traits.get(&well_known).copied()
    }

    fn well_known_assoc_type_id(&self, assoc_type: WellKnownAssocType) -> Option<AssocTypeId<Ir>> {
        crate::reads::note(crate::reads::Read::WellKnown);
        self.well_known_assoc_types.get(&assoc_type).copied()
    }

    fn program_clauses_for_env(
        &self,
        environment: &chalk_ir::Environment<Ir>,
    ) -> ProgramClauses<Ir> {
        // Rule check-reuse: a cached environment counts as the reads that
        // elaborating it made.
        let cached = self
            .env_clauses
            .0
            .lock()
            .ok()
            .and_then(|cache| cache.get(environment).cloned());
        if let Some((clauses, reads)) = cached {
            crate::reads::note_all(&reads);
            return clauses;
        }
        let (clauses, reads) =
            crate::reads::recording(|| chalk_solve::program_clauses_for_env(self, environment));
        if let Ok(mut cache) = self.env_clauses.0.lock() {
            cache.insert(environment.clone(), (clauses.clone(), reads.into()));
        }
        clauses
    }

    fn interner(&self) -> Ir {
        Ir
    }

    /// Object safety is declared with `#[object_safe]`, not computed.
    fn is_object_safe(&self, trait_id: TraitId<Ir>) -> bool {
        crate::reads::note(crate::reads::Read::Item(trait_id.0));
        self.object_safe_traits.contains(&trait_id)
    }

    // The closure queries ignore the substitution: a closure's signature,
    // kind and upvars are stored with it, as in chalk-integration.

    fn closure_kind(&self, id: ClosureId<Ir>, _substs: &Substitution<Ir>) -> ClosureKind {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.closure_kinds[&id]
    }

    fn closure_inputs_and_output(
        &self,
        id: ClosureId<Ir>,
        _substs: &Substitution<Ir>,
    ) -> Binders<FnDefInputsAndOutputDatum<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.closure_inputs_and_output[&id].clone()
    }

    fn closure_upvars(&self, id: ClosureId<Ir>, _substs: &Substitution<Ir>) -> Binders<Ty<Ir>> {
        crate::reads::note(crate::reads::Read::Item(id.0));
        self.closure_upvars[&id].clone()
    }

    fn closure_fn_substitution(
        &self,
        _id: ClosureId<Ir>,
        substs: &Substitution<Ir>,
    ) -> Substitution<Ir> {
        substs.clone()
    }

    fn unification_database(&self) -> &dyn UnificationDatabase<Ir> {
        self
    }

    fn trait_name(&self, id: TraitId<Ir>) -> String {
        self.name_of(id.0).unwrap_or("UnknownTrait").to_string()
    }

    fn adt_name(&self, id: AdtId<Ir>) -> String {
        self.name_of(id.0).unwrap_or("UnknownAdt").to_string()
    }

    /// The bare name, as chalk-integration returns it.
    fn assoc_type_name(&self, id: AssocTypeId<Ir>) -> String {
        self.associated_ty_data
            .get(&id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "UnknownAssocType".to_string())
    }

    fn opaque_type_name(&self, id: OpaqueTyId<Ir>) -> String {
        self.name_of(id.0).unwrap_or("UnknownOpaque").to_string()
    }

    fn fn_def_name(&self, id: FnDefId<Ir>) -> String {
        self.name_of(id.0).unwrap_or("UnknownFn").to_string()
    }

    /// An ADT's `repr(int)` or `isize`, `u32` for coroutines, `u8` for
    /// anything else (rustc's rule, as chalk-integration mirrors it).
    fn discriminant_type(&self, ty: Ty<Ir>) -> Ty<Ir> {
        match ty.kind(Ir) {
            TyKind::Adt(id, _) => self
                .note_item(id.0)
                .adt_reprs
                .get(id)
                .and_then(|r| r.int.clone())
                .unwrap_or_else(|| TyKind::Scalar(Scalar::Int(IntTy::Isize)).intern(Ir)),
            TyKind::Coroutine(..) => TyKind::Scalar(Scalar::Uint(UintTy::U32)).intern(Ir),
            _ => TyKind::Scalar(Scalar::Uint(UintTy::U8)).intern(Ir),
        }
    }
}

/// Runs `f` with `program` as the program whose names chalk-ir's `Debug`
/// output prints (answers, goals, clauses). This is the one way to install
/// it; calls nest.
pub fn with_program<R>(program: &Arc<Program>, f: impl FnOnce() -> R) -> R {
    crate::interner::with_debug_context(Arc::clone(program) as Arc<dyn DebugContext>, f)
}
