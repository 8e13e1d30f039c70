//! Impls indexed by trait and by the simplified self type, so that looking
//! up the impls that could match a goal costs what it finds, not the size of
//! the program.
//!
//! A [`SimplifiedType`] is a type's outermost constructor with everything
//! inside it forgotten (`Vec<u32>` becomes "the ADT `Vec`"), in the spirit of
//! rustc's `fast_reject`. Types whose constructor is not known yet (impl
//! parameters, inference variables, projections, `dyn` and `fn` types,
//! placeholders) have no simplified type.
//!
//! Rule impl-index-exact: the index only narrows the set of impls that the
//! program's lookups (`impls_for_trait`, `impl_provided_for`,
//! `local_impls_to_coherence_check`) then filter exactly as before, so every
//! lookup returns the same impls, in the same (source) order, as a scan of
//! every impl would.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chalk_ir::{
    AdtId, AssocTypeId, ClosureId, CoroutineId, FnDefId, ForeignDefId, ImplId, Mutability,
    OpaqueTyId, Scalar, TraitId, Ty, TyKind,
};
use chalk_solve::rust_ir::{ImplDatum, ImplType};

use crate::interner::Ir;

/// The outermost constructor of a type (rule simplified-type).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SimplifiedType {
    Adt(AdtId<Ir>),
    AssociatedType(AssocTypeId<Ir>),
    Scalar(Scalar),
    Str,
    Tuple(usize),
    Opaque(OpaqueTyId<Ir>),
    Slice,
    FnDef(FnDefId<Ir>),
    Ref(Mutability),
    Raw(Mutability),
    Never,
    Array,
    Closure(ClosureId<Ir>),
    Coroutine(CoroutineId<Ir>),
    CoroutineWitness(CoroutineId<Ir>),
    Foreign(ForeignDefId<Ir>),
    Error,
}

impl SimplifiedType {
    /// The simplified type of `ty`, or `None` when its constructor is not
    /// known (a parameter, a variable, a projection, `dyn`, `fn`, a
    /// placeholder).
    pub fn of(ty: &Ty<Ir>) -> Option<SimplifiedType> {
        Self::of_kind(ty.kind(Ir))
    }

    /// [`SimplifiedType::of`] on a type's kind.
    pub fn of_kind(kind: &TyKind<Ir>) -> Option<SimplifiedType> {
        use SimplifiedType as S;
        use TyKind as K;
        Some(match kind {
            K::Adt(id, _) => S::Adt(*id),
            K::AssociatedType(id, _) => S::AssociatedType(*id),
            K::Scalar(s) => S::Scalar(*s),
            K::Str => S::Str,
            K::Tuple(arity, _) => S::Tuple(*arity),
            K::OpaqueType(id, _) => S::Opaque(*id),
            K::Slice(_) => S::Slice,
            K::FnDef(id, _) => S::FnDef(*id),
            K::Ref(m, _, _) => S::Ref(*m),
            K::Raw(m, _) => S::Raw(*m),
            K::Never => S::Never,
            K::Array(_, _) => S::Array,
            K::Closure(id, _) => S::Closure(*id),
            K::Coroutine(id, _) => S::Coroutine(*id),
            K::CoroutineWitness(id, _) => S::CoroutineWitness(*id),
            K::Foreign(id) => S::Foreign(*id),
            K::Error => S::Error,
            K::Dyn(_)
            | K::Function(_)
            | K::Alias(_)
            | K::Placeholder(_)
            | K::BoundVar(_)
            | K::InferenceVar(_, _) => return None,
        })
    }

    /// Which constructor this is, ignoring its payload (the ADT's id, the
    /// tuple's arity, ...).
    fn variant(self) -> std::mem::Discriminant<SimplifiedType> {
        std::mem::discriminant(&self)
    }
}

/// The impls of one trait.
#[derive(Default, Debug, PartialEq)]
struct TraitImpls {
    /// Every impl, in source order.
    all: Vec<ImplId<Ir>>,
    /// The local impls (not `#[upstream]`), in source order.
    local: Vec<ImplId<Ir>>,
    /// The impls whose self type simplifies, by constructor variant, then by
    /// simplified type; each list in source order.
    by_self:
        HashMap<std::mem::Discriminant<SimplifiedType>, HashMap<SimplifiedType, Vec<ImplId<Ir>>>>,
    /// The impls whose self type does not simplify (blanket impls and the
    /// like), in source order.
    unsimplified: Vec<ImplId<Ir>>,
}

/// Every impl of a program, by trait and simplified self type.
#[derive(Default, Debug, PartialEq)]
pub struct ImplIndex {
    traits: HashMap<TraitId<Ir>, TraitImpls>,
}

static NO_IMPLS: Vec<ImplId<Ir>> = Vec::new();

impl ImplIndex {
    /// Indexes every impl (the map is in source order, which every list keeps).
    pub fn build(impls: &BTreeMap<ImplId<Ir>, Arc<ImplDatum<Ir>>>) -> ImplIndex {
        let mut index = ImplIndex::default();
        for (&id, datum) in impls {
            let trait_ref = &datum.binders.skip_binders().trait_ref;
            let entry = index.traits.entry(trait_ref.trait_id).or_default();
            entry.all.push(id);
            if datum.impl_type == ImplType::Local {
                entry.local.push(id);
            }
            match SimplifiedType::of(&trait_ref.self_type_parameter(Ir)) {
                Some(key) => entry
                    .by_self
                    .entry(key.variant())
                    .or_default()
                    .entry(key)
                    .or_default()
                    .push(id),
                None => entry.unsimplified.push(id),
            }
        }
        index
    }

    /// Every impl of the trait, in source order.
    pub fn impls_of_trait(&self, trait_id: TraitId<Ir>) -> &[ImplId<Ir>] {
        self.traits.get(&trait_id).map_or(&NO_IMPLS, |t| &t.all)
    }

    /// The local impls of the trait, in source order.
    pub fn local_impls_of_trait(&self, trait_id: TraitId<Ir>) -> &[ImplId<Ir>] {
        self.traits.get(&trait_id).map_or(&NO_IMPLS, |t| &t.local)
    }

    /// Whether some impl of the trait has a self type with the simplified type `key`.
    pub fn has_impl_for(&self, trait_id: TraitId<Ir>, key: SimplifiedType) -> bool {
        self.traits.get(&trait_id).is_some_and(|t| {
            t.by_self
                .get(&key.variant())
                .is_some_and(|m| m.contains_key(&key))
        })
    }

    /// The impls of the trait that chalk's `could_match` might accept for a
    /// goal whose self type simplifies to `self_key`, in source order.
    ///
    /// `could_match` rejects two types at their outermost constructor only
    /// when both have the same constructor variant with a different payload
    /// (two different ADTs, two different scalars, tuples of two arities);
    /// constructors of different variants, like an ADT against a scalar, it
    /// leaves to unification. So exactly the impls whose self type has the
    /// same variant as the goal's and another payload are left out here.
    pub fn candidate_impls(
        &self,
        trait_id: TraitId<Ir>,
        self_key: Option<SimplifiedType>,
    ) -> Vec<ImplId<Ir>> {
        let Some(t) = self.traits.get(&trait_id) else {
            return Vec::new();
        };
        let key = match self_key {
            Some(key) if key != SimplifiedType::Error => key,
            // An unknown self type (or an error type, which could_match lets
            // match anything) could match any impl.
            _ => return t.all.clone(),
        };
        let mut found: Vec<ImplId<Ir>> = t.unsimplified.clone();
        for (variant, by_key) in &t.by_self {
            if *variant == key.variant() {
                if let Some(same) = by_key.get(&key) {
                    found.extend_from_slice(same);
                }
            } else {
                for impls in by_key.values() {
                    found.extend_from_slice(impls);
                }
            }
        }
        found.sort_unstable();
        found
    }
}
