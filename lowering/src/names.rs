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
#[derive(Clone, Debug)]
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
