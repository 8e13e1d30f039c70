//! Name resolution for Rust files: the module tree of the file and of the
//! model of the standard library, what each module defines and imports,
//! and the flat names the chalk program gives to types and traits.
//!
//! chalk's language has one flat namespace, so every ADT and trait gets a
//! flat name (rule `rust-flat-names`): its own name when no other type or
//! trait has it; otherwise the file's item keeps it (a glob import of the
//! prelude is shadowed by the file's own item, as in Rust) and the model's
//! item is qualified by its module path (`JoinHandle_tokio_task`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A module: the file's root (`crate`), a `mod` in it, or a module of the
/// model (`std::rc`, `tokio::task`).
#[derive(Debug, Default)]
pub struct Module {
    pub parent: Option<ModId>,
    /// `crate::net` or `std::rc`.
    pub path: String,
    pub in_model: bool,
    /// The type namespace: modules, ADTs, traits, aliases.
    pub types: HashMap<String, Def>,
    /// The value namespace: functions, unit and tuple struct constructors.
    pub values: HashMap<String, Def>,
    /// `use` declarations: (name it is imported as, path), and glob imports.
    pub imports: Vec<(String, Vec<String>)>,
    pub globs: Vec<Vec<String>>,
}

pub type ModId = usize;

/// What a name can refer to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Def {
    Module(ModId),
    /// A struct or enum, by its id in [`Defs::adts`].
    Adt(usize),
    /// A trait, by its id in [`Defs::traits`].
    Trait(usize),
    /// A type alias, by its id in [`Defs::aliases`].
    Alias(usize),
    /// A function, by its path (the key of the function table).
    Fn(String),
    /// A unit or tuple struct used as a value (its constructor).
    Ctor(usize),
    /// An enum variant brought into scope by `use` (`Some`, `Ok`).
    Variant(usize, String),
}

#[derive(Debug)]
pub struct AdtInfo {
    pub name: String,
    pub module: ModId,
    pub flat: String,
    /// Variant names of an enum (empty for a struct).
    pub variants: Vec<String>,
}

#[derive(Debug)]
pub struct TraitInfo {
    pub name: String,
    pub module: ModId,
    pub flat: String,
}

/// Every definition, and the module tree.
#[derive(Debug, Default)]
pub struct Defs {
    pub modules: Vec<Module>,
    pub adts: Vec<AdtInfo>,
    pub traits: Vec<TraitInfo>,
    /// Type aliases, converted lazily by the reader (the syntax node id).
    pub aliases: Vec<(String, ModId)>,
    /// The model's extern crates: `std`, `core` and `alloc` (the same
    /// module), `tokio`, `futures`.
    pub crates: BTreeMap<String, ModId>,
    /// The file's root module.
    pub root: ModId,
}

/// Why a path did not resolve.
#[derive(Debug)]
pub enum ResolveError {
    /// No item of this name: the segment that failed.
    Unknown(String),
    /// A segment named something that is not a module.
    NotAModule(String),
}

impl Defs {
    pub fn new_module(&mut self, parent: Option<ModId>, path: String, in_model: bool) -> ModId {
        self.modules.push(Module {
            parent,
            path,
            in_model,
            ..Module::default()
        });
        self.modules.len() - 1
    }

    /// Gives every ADT and trait its flat name (rule `rust-flat-names`).
    pub fn assign_flat_names(&mut self) {
        // (in the model, is a trait, index) of every item with a name.
        type Owner = (bool, bool, usize);
        let mut users: HashMap<String, Vec<Owner>> = HashMap::new();
        for (i, a) in self.adts.iter().enumerate() {
            let in_model = self.modules[a.module].in_model;
            users
                .entry(a.name.clone())
                .or_default()
                .push((in_model, false, i));
        }
        for (i, t) in self.traits.iter().enumerate() {
            let in_model = self.modules[t.module].in_model;
            users
                .entry(t.name.clone())
                .or_default()
                .push((in_model, true, i));
        }
        let mut taken: BTreeSet<String> = BTreeSet::new();
        // The file's items first: they keep their names.
        let mut order: Vec<(String, Vec<Owner>)> = users.into_iter().collect();
        order.sort();
        for (name, owners) in &order {
            let file_owners: Vec<_> = owners.iter().filter(|o| !o.0).collect();
            let keeper = if file_owners.len() == 1 {
                Some(*file_owners[0])
            } else if file_owners.is_empty() && owners.len() == 1 {
                Some(owners[0])
            } else {
                None
            };
            for &(in_model, is_trait, i) in owners {
                let flat = if Some((in_model, is_trait, i)) == keeper {
                    name.clone()
                } else {
                    let module = if is_trait {
                        self.traits[i].module
                    } else {
                        self.adts[i].module
                    };
                    let qualified =
                        format!("{name}_{}", self.modules[module].path.replace("::", "_"));
                    qualified
                };
                let mut flat = flat;
                while !taken.insert(flat.clone()) {
                    flat.push('_');
                }
                if is_trait {
                    self.traits[i].flat = flat;
                } else {
                    self.adts[i].flat = flat;
                }
            }
        }
    }

    /// The module a path's leading segment starts from: `crate`, `self`,
    /// `super`, an extern crate, or a module in scope.
    fn start(&self, from: ModId, first: &str) -> Option<ModId> {
        match first {
            "crate" => Some(self.root_of(from)),
            "self" => Some(from),
            "super" => self.modules[from].parent,
            _ => None,
        }
    }

    /// The root of the crate `from` is in (the file's root, or a model crate).
    fn root_of(&self, from: ModId) -> ModId {
        let mut m = from;
        while let Some(p) = self.modules[m].parent {
            m = p;
        }
        m
    }

    /// Looks `name` up in one module's namespace (its items, then its
    /// imports, then its glob imports).
    fn lookup_in_guarded(
        &self,
        module: ModId,
        name: &str,
        types: bool,
        visiting: &mut Vec<(ModId, String)>,
    ) -> Option<Def> {
        if visiting.contains(&(module, name.to_string())) || visiting.len() > 32 {
            return None;
        }
        let m = &self.modules[module];
        let own = if types { &m.types } else { &m.values };
        if let Some(d) = own.get(name) {
            return Some(d.clone());
        }
        visiting.push((module, name.to_string()));
        let result = (|| {
            for (alias, path) in &m.imports {
                if alias == name {
                    if let Ok(d) = self.resolve_guarded(module, path, types, visiting) {
                        return Some(d);
                    }
                }
            }
            for glob in &m.globs {
                if let Ok(Def::Module(target)) = self.resolve_guarded(module, glob, true, visiting)
                {
                    if let Some(d) = self.lookup_in_guarded(target, name, types, visiting) {
                        return Some(d);
                    }
                } else if let Ok(Def::Adt(adt)) = self.resolve_guarded(module, glob, true, visiting)
                {
                    // `use Enum::*;` brings the variants in.
                    if !types && self.adts[adt].variants.iter().any(|v| v == name) {
                        return Some(Def::Variant(adt, name.to_string()));
                    }
                }
            }
            None
        })();
        visiting.pop();
        result
    }

    /// Resolves a path from module `from`: the leading segment in `from`'s
    /// scope (or `crate`/`self`/`super`, or an extern crate), every middle
    /// segment a module, the last in the type or value namespace.
    pub fn resolve(&self, from: ModId, path: &[String], types: bool) -> Result<Def, ResolveError> {
        self.resolve_guarded(from, path, types, &mut Vec::new())
    }

    fn resolve_guarded(
        &self,
        from: ModId,
        path: &[String],
        types: bool,
        visiting: &mut Vec<(ModId, String)>,
    ) -> Result<Def, ResolveError> {
        let Some((last, init)) = path.split_last() else {
            return Err(ResolveError::Unknown(String::new()));
        };
        let mut module = from;
        let mut rest = init;
        if let Some((first, tail)) = init.split_first() {
            if let Some(m) = self.start(from, first) {
                module = m;
                rest = tail;
            } else {
                match self.lookup_in_guarded(from, first, true, visiting) {
                    Some(Def::Module(m)) => {
                        module = m;
                        rest = tail;
                    }
                    Some(Def::Adt(adt)) if tail.is_empty() => {
                        // `Enum::Variant` as a value or pattern.
                        if self.adts[adt].variants.iter().any(|v| v == last) {
                            return Ok(Def::Variant(adt, last.clone()));
                        }
                        return Err(ResolveError::Unknown(last.clone()));
                    }
                    Some(_) => return Err(ResolveError::NotAModule(first.clone())),
                    None => match self.crates.get(first.as_str()) {
                        Some(&m) => {
                            module = m;
                            rest = tail;
                        }
                        None => return Err(ResolveError::Unknown(first.clone())),
                    },
                }
            }
        } else if self.start(from, last).is_some() {
            return self
                .start(from, last)
                .map(Def::Module)
                .ok_or_else(|| ResolveError::Unknown(last.clone()));
        }
        for (i, segment) in rest.iter().enumerate() {
            match self.lookup_in_guarded(module, segment, true, visiting) {
                Some(Def::Module(m)) => module = m,
                Some(Def::Adt(adt)) if i + 1 == rest.len() => {
                    if self.adts[adt].variants.iter().any(|v| v == last) {
                        return Ok(Def::Variant(adt, last.clone()));
                    }
                    return Err(ResolveError::Unknown(last.clone()));
                }
                Some(_) => return Err(ResolveError::NotAModule(segment.clone())),
                None => return Err(ResolveError::Unknown(segment.clone())),
            }
        }
        if init.is_empty() {
            // A single name: this module's scope, then the extern crates
            // (as a module), then the prelude.
            if let Some(d) = self.lookup_in_guarded(module, last, types, visiting) {
                return Ok(d);
            }
            if types {
                if let Some(&m) = self.crates.get(last.as_str()) {
                    return Ok(Def::Module(m));
                }
            }
            if let Some(&prelude) = self.crates.get("#prelude") {
                if let Some(d) = self.lookup_in_guarded(prelude, last, types, visiting) {
                    return Ok(d);
                }
            }
            return Err(ResolveError::Unknown(last.clone()));
        }
        self.lookup_in_guarded(module, last, types, visiting)
            .ok_or_else(|| ResolveError::Unknown(last.clone()))
    }
}
