//! Name resolution: the program-wide item tables and the scope of generic
//! parameters during lowering.

use chalk_ir::cast::Cast;
use chalk_ir::interner::HasInterner;
use chalk_ir::{
    AdtId, BoundVar, ClosureId, CoroutineId, DebruijnIndex, FnDefId, ForeignDefId, GenericArg,
    OpaqueTyId, TraitId, TyKind, TyVariableKind, VariableKind, VariableKinds,
};

use super::errors::{self, Kind, LResult};
use crate::interner::{Ir, RawId};
pub(crate) use crate::names::{AssocLookup, ItemSig, Names};
use chalkboard_syntax::ast::{self, Span};

/// What a bare or applied name refers to, in chalk's lookup order.
pub(crate) enum TypeLookup {
    Param(BoundVar, VariableKind<Ir>),
    Adt(AdtId<Ir>),
    FnDef(FnDefId<Ir>),
    Closure(ClosureId<Ir>),
    Opaque(OpaqueTyId<Ir>),
    Foreign(ForeignDefId<Ir>),
    Trait,
    Coroutine(CoroutineId<Ir>),
}

/// The key under which a parameter is stored: lifetimes keep their quote so
/// that `'a` and `a` never collide, as in chalk.
pub(crate) fn lifetime_key(name: &str) -> String {
    format!("'{}", name.trim_start_matches('\''))
}

/// The name and kind of a declared parameter.
pub(crate) fn param_of(p: &ast::VariableKind) -> (String, VariableKind<Ir>) {
    let usize_ty = || TyKind::Scalar(chalk_ir::Scalar::Uint(chalk_ir::UintTy::Usize)).intern(Ir);
    match p.kind {
        ast::ParamKind::Ty => (
            p.name.text.clone(),
            VariableKind::Ty(TyVariableKind::General),
        ),
        ast::ParamKind::IntegerTy => (
            p.name.text.clone(),
            VariableKind::Ty(TyVariableKind::Integer),
        ),
        ast::ParamKind::FloatTy => (p.name.text.clone(), VariableKind::Ty(TyVariableKind::Float)),
        ast::ParamKind::Lifetime => (lifetime_key(&p.name.text), VariableKind::Lifetime),
        ast::ParamKind::Const => (p.name.text.clone(), VariableKind::Const(usize_ty())),
    }
}

/// A parameter about to be introduced: its key, kind and declaration site.
#[derive(Clone)]
pub(crate) struct NewParam {
    pub key: String,
    pub kind: VariableKind<Ir>,
    pub span: Span,
}

pub(crate) fn new_params(params: &[ast::VariableKind]) -> Vec<NewParam> {
    params
        .iter()
        .map(|p| {
            let (key, kind) = param_of(p);
            NewParam {
                key,
                kind,
                span: p.name.span,
            }
        })
        .collect()
}

pub(crate) fn kind_of_var(kind: &VariableKind<Ir>) -> Kind {
    match kind {
        VariableKind::Ty(_) => Kind::Ty,
        VariableKind::Lifetime => Kind::Lifetime,
        VariableKind::Const(_) => Kind::Const,
    }
}

pub(crate) fn kind_of_arg(arg: &GenericArg<Ir>) -> Kind {
    match arg.data(Ir) {
        chalk_ir::GenericArgData::Ty(_) => Kind::Ty,
        chalk_ir::GenericArgData::Lifetime(_) => Kind::Lifetime,
        chalk_ir::GenericArgData::Const(_) => Kind::Const,
    }
}

/// The generic parameters in scope, innermost binder last.
///
/// A parameter of binder level `l` (counting from the outermost) seen from
/// inside `n` levels has de Bruijn index `n - 1 - l`.
#[derive(Clone)]
pub(crate) struct Env<'n> {
    pub names: &'n Names,
    levels: Vec<Vec<(String, VariableKind<Ir>)>>,
}

impl<'n> Env<'n> {
    pub(crate) fn new(names: &'n Names) -> Env<'n> {
        Env {
            names,
            levels: Vec::new(),
        }
    }

    /// Rule [`scope-introduce`](crate::rules::SCOPE_INTRODUCE): a new binder level holding `params` in order;
    /// a name already in scope (or repeated in `params`) is an error, as
    /// chalk forbids shadowing.
    pub(crate) fn introduce(&self, params: &[NewParam]) -> LResult<Env<'n>> {
        let mut level: Vec<(String, VariableKind<Ir>)> = Vec::with_capacity(params.len());
        for p in params {
            let clash = level.iter().any(|(k, _)| *k == p.key)
                || self.levels.iter().flatten().any(|(k, _)| *k == p.key);
            if clash {
                return Err(
                    errors::duplicate_parameter(p.key.trim_start_matches('\''), p.span).into(),
                );
            }
            level.push((p.key.clone(), p.kind.clone()));
        }
        let mut levels = self.levels.clone();
        levels.push(level);
        Ok(Env {
            names: self.names,
            levels,
        })
    }

    /// Runs `op` inside a new binder level and wraps its result in `Binders`.
    pub(crate) fn in_binders<T: HasInterner<Interner = Ir>>(
        &self,
        params: &[NewParam],
        op: impl FnOnce(&Env<'n>) -> LResult<T>,
    ) -> LResult<chalk_ir::Binders<T>> {
        let env = self.introduce(params)?;
        let kinds = VariableKinds::from_iter(Ir, params.iter().map(|p| p.kind.clone()));
        Ok(chalk_ir::Binders::new(kinds, op(&env)?))
    }

    fn lookup_param(&self, key: &str) -> Option<(BoundVar, VariableKind<Ir>)> {
        let n = self.levels.len();
        for (l, level) in self.levels.iter().enumerate().rev() {
            if let Some(i) = level.iter().position(|(k, _)| k == key) {
                let var = BoundVar::new(DebruijnIndex::new((n - 1 - l) as u32), i);
                return Some((var, level[i].1.clone()));
            }
        }
        None
    }

    /// Rule [`lookup-type`](crate::rules::LOOKUP_TYPE): generic parameter, ADT, fn, closure, opaque type,
    /// foreign type, trait, coroutine, in this order (chalk's order).
    pub(crate) fn lookup_type(&self, name: &str) -> Option<TypeLookup> {
        let n = self.names;
        if let Some((var, kind)) = self.lookup_param(name) {
            Some(TypeLookup::Param(var, kind))
        } else if let Some(&id) = n.adts.get(name) {
            Some(TypeLookup::Adt(id))
        } else if let Some(&id) = n.fn_defs.get(name) {
            Some(TypeLookup::FnDef(id))
        } else if let Some(&id) = n.closures.get(name) {
            Some(TypeLookup::Closure(id))
        } else if let Some(&id) = n.opaques.get(name) {
            Some(TypeLookup::Opaque(id))
        } else if let Some(&id) = n.foreigns.get(name) {
            Some(TypeLookup::Foreign(id))
        } else if n.traits.contains_key(name) {
            Some(TypeLookup::Trait)
        } else {
            n.coroutines.get(name).map(|&id| TypeLookup::Coroutine(id))
        }
    }

    /// Rule [`lookup-generic-arg`](crate::rules::LOOKUP_GENERIC_ARG): a bare name as a generic argument. A
    /// parameter gives its bound variable; an item without parameters gives
    /// its type; an item with parameters is an arity error.
    pub(crate) fn lookup_generic_arg(&self, name: &str, span: Span) -> LResult<GenericArg<Ir>> {
        let nullary = |raw: RawId, ty: TyKind<Ir>| -> LResult<GenericArg<Ir>> {
            let sig = &self.names.sigs[&raw];
            if !sig.params.is_empty() {
                return Err(errors::wrong_arity(name, sig.params.len(), 0, span).into());
            }
            Ok(ty.intern(Ir).cast(Ir))
        };
        let empty = || chalk_ir::Substitution::empty(Ir);
        match self.lookup_type(name) {
            Some(TypeLookup::Param(var, kind)) => Ok(match kind {
                VariableKind::Ty(_) => TyKind::BoundVar(var).intern(Ir).cast(Ir),
                VariableKind::Lifetime => chalk_ir::LifetimeData::BoundVar(var).intern(Ir).cast(Ir),
                VariableKind::Const(ty) => var.to_const(Ir, ty).cast(Ir),
            }),
            Some(TypeLookup::Adt(id)) => nullary(id.0, TyKind::Adt(id, empty())),
            Some(TypeLookup::FnDef(id)) => nullary(id.0, TyKind::FnDef(id, empty())),
            Some(TypeLookup::Closure(id)) => nullary(id.0, TyKind::Closure(id, empty())),
            Some(TypeLookup::Coroutine(id)) => nullary(id.0, TyKind::Coroutine(id, empty())),
            // chalk takes a bare opaque name as the opaque alias with no
            // arguments, whatever its arity.
            Some(TypeLookup::Opaque(id)) => {
                Ok(TyKind::Alias(chalk_ir::AliasTy::Opaque(chalk_ir::OpaqueTy {
                    opaque_ty_id: id,
                    substitution: empty(),
                }))
                .intern(Ir)
                .cast(Ir))
            }
            Some(TypeLookup::Foreign(id)) => Ok(TyKind::Foreign(id).intern(Ir).cast(Ir)),
            Some(TypeLookup::Trait) => Err(errors::trait_used_as_type(name, span).into()),
            None => Err(errors::unknown_name(name, span).into()),
        }
    }

    /// Rule [`lookup-trait`](crate::rules::LOOKUP_TRAIT): a name in trait position must name a trait; a
    /// parameter or ADT there is "not a trait", anything else is unknown.
    pub(crate) fn lookup_trait(&self, name: &ast::Ident) -> LResult<TraitId<Ir>> {
        if let Some(&id) = self.names.traits.get(&name.text) {
            Ok(id)
        } else if self.lookup_param(&name.text).is_some()
            || self.names.adts.contains_key(&name.text)
        {
            Err(errors::not_a_trait(&name.text, name.span).into())
        } else {
            Err(errors::unknown_trait(&name.text, name.span).into())
        }
    }

    pub(crate) fn lookup_assoc(
        &self,
        trait_id: TraitId<Ir>,
        name: &ast::Ident,
    ) -> LResult<&'n AssocLookup> {
        self.names
            .assoc_types
            .get(&(trait_id, name.text.clone()))
            .ok_or_else(|| {
                let trait_name = &self.names.sigs[&trait_id.0].name;
                errors::unknown_assoc_type(&name.text, trait_name, name.span).into()
            })
    }

    pub(crate) fn is_auto_trait(&self, id: TraitId<Ir>) -> bool {
        self.names.auto_traits.contains(&id)
    }

    pub(crate) fn sig(&self, raw: RawId) -> &'n ItemSig {
        &self.names.sigs[&raw]
    }
}
