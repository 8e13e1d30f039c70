//! The name table of a program: every item's name, id and signature.
//!
//! It is part of the data model, not of the pass that fills it: lowering
//! builds it before lowering any item (so items may refer to later items),
//! and the lowered [`crate::Program`] keeps it, to lower goals against the
//! program's names and to print ids as names.

use std::collections::{BTreeMap, BTreeSet};

use chalk_ir::{
    AdtId, AssocTypeId, ClosureId, CoroutineId, FnDefId, ForeignDefId, OpaqueTyId, TraitId,
    VariableKind,
};
use chalkboard_syntax::ast::Span;

use crate::interner::{Ir, RawId};

/// An item as name resolution sees it: its name, where it was defined and
/// the kinds of its generic parameters (without a trait's `Self`).
#[derive(Clone, Debug)]
pub(crate) struct ItemSig {
    pub name: String,
    pub span: Span,
    pub params: Vec<VariableKind<Ir>>,
}

/// An associated type declaration as seen from a projection.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AssocLookup {
    pub id: AssocTypeId<Ir>,
    /// The kinds of the associated type's own (GAT) parameters.
    pub own_params: Vec<VariableKind<Ir>>,
}

/// Every name the program defines, filled before any item is lowered so
/// that items may refer to later items.
#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    pub adts: BTreeMap<String, AdtId<Ir>>,
    pub fn_defs: BTreeMap<String, FnDefId<Ir>>,
    pub closures: BTreeMap<String, ClosureId<Ir>>,
    pub opaques: BTreeMap<String, OpaqueTyId<Ir>>,
    pub foreigns: BTreeMap<String, ForeignDefId<Ir>>,
    pub traits: BTreeMap<String, TraitId<Ir>>,
    pub coroutines: BTreeMap<String, CoroutineId<Ir>>,
    /// The signature of every named item, by id.
    pub sigs: BTreeMap<RawId, ItemSig>,
    pub auto_traits: BTreeSet<TraitId<Ir>>,
    pub assoc_types: BTreeMap<(TraitId<Ir>, String), AssocLookup>,
}

impl Names {
    /// Rule `lower-reuse`: whether every name of `earlier` means the same
    /// here (the same item, with the same kinds of parameters, auto or not),
    /// where the items may have moved in the text. Then an item lowered
    /// against `earlier` without an error lowers the same against `self`:
    /// lowering sees names only through lookups, a lookup that found a name
    /// finds the same here, and one that found nothing was an error. A name
    /// only `self` has is new, and no earlier lookup found it.
    pub(crate) fn extends(&self, earlier: &Names) -> bool {
        // Both maps are sorted by key, so one walk over them both answers
        // (a lookup per key costs a search from the root each).
        fn within<K: Ord, V: PartialEq>(
            now: &std::collections::BTreeMap<K, V>,
            then: &std::collections::BTreeMap<K, V>,
        ) -> bool {
            let mut now = now.iter();
            then.iter().all(|(k, v)| {
                now.find(|(n, _)| *n >= k)
                    .is_some_and(|(n, w)| n == k && w == v)
            })
        }
        within(&self.adts, &earlier.adts)
            && within(&self.fn_defs, &earlier.fn_defs)
            && within(&self.closures, &earlier.closures)
            && within(&self.opaques, &earlier.opaques)
            && within(&self.foreigns, &earlier.foreigns)
            && within(&self.traits, &earlier.traits)
            && within(&self.coroutines, &earlier.coroutines)
            && within(&self.assoc_types, &earlier.assoc_types)
            && {
                let mut sigs = self.sigs.iter();
                earlier.sigs.iter().all(|(id, then)| {
                    sigs.find(|(n, _)| *n >= id).is_some_and(|(n, now)| {
                        n == id && now.name == then.name && now.params == then.params
                    })
                })
            }
            && earlier
                .auto_traits
                .iter()
                .all(|t| self.auto_traits.contains(t))
            && self
                .auto_traits
                .iter()
                .all(|t| earlier.auto_traits.contains(t) || !earlier.sigs.contains_key(&t.0))
    }
}
