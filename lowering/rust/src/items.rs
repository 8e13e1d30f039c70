//! Items: the two passes over a file's items. [`Reader::collect`] enters
//! every module, type, trait, function and import into the module tree;
//! [`Reader::convert`] turns each item into chalk items (rule
//! `rust-item-to-chalk`) and functions, resolving names against the tree.

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::rust::{FnOwner, Function};
use chalkboard_syntax::Diagnostic;
use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::{
    HasAttrs, HasGenericParams, HasModuleItem, HasName, HasTypeBounds, HasVisibility,
};
use ra_ap_syntax::AstNode;
use std::sync::Arc;

use crate::resolve::{AdtInfo, Def, ModId, TraitInfo};
use crate::{codes, Reader, Scope};

/// The crates the model's top-level modules stand for; `core` and `alloc`
/// are the same module as `std` (the model has one standard library).
const MODEL_CRATES: &[(&str, &str)] = &[
    ("std", "std"),
    ("core", "std"),
    ("alloc", "std"),
    ("tokio", "tokio"),
    ("futures", "futures"),
    ("dyner", "dyner"),
    ("cc_traits", "cc_traits"),
];

impl Reader {
    // -----------------------------------------------------------------
    // Pass 1: the module tree.

    pub(crate) fn collect(&mut self, tree: &ra::SourceFile, in_model: bool) {
        let path = if in_model { "" } else { "crate" };
        let root = self.defs.new_module(None, path.to_string(), in_model);
        self.modules_at
            .insert((in_model, tree.syntax().text_range()), root);
        if !in_model {
            self.defs.root = root;
        }
        self.collect_items(tree.items(), root, in_model);
        if in_model {
            // The model's top-level modules are the extern crates.
            for (name, module) in MODEL_CRATES {
                if let Some(Def::Module(m)) = self.defs.modules[root].types.get(*module).cloned() {
                    self.defs.modules[m].parent = None;
                    self.defs.crates.insert((*name).to_string(), m);
                }
            }
            if let Ok(Def::Module(prelude)) = self.defs.resolve(
                root,
                &["std".into(), "prelude".into(), "rust_2024".into()],
                true,
            ) {
                self.defs.crates.insert("#prelude".into(), prelude);
            }
        }
    }

    fn collect_items(
        &mut self,
        items: impl Iterator<Item = ra::Item>,
        module: ModId,
        in_model: bool,
    ) {
        for item in items {
            let range = item.syntax().text_range();
            let name = |n: Option<ra::Name>| n.map(|n| n.text().to_string());
            match &item {
                ra::Item::Module(m) => {
                    let Some(n) = name(m.name()) else { continue };
                    let parent_path = self.defs.modules[module].path.clone();
                    let path = if parent_path.is_empty() {
                        n.clone()
                    } else {
                        format!("{parent_path}::{n}")
                    };
                    let child = self.defs.new_module(Some(module), path, in_model);
                    self.defs.modules[module]
                        .types
                        .insert(n, Def::Module(child));
                    self.modules_at.insert((in_model, range), child);
                    if let Some(list) = m.item_list() {
                        self.collect_items(list.items(), child, in_model);
                    }
                }
                ra::Item::Struct(s) => {
                    let Some(n) = name(s.name()) else { continue };
                    let id = self.push_adt(n.clone(), module, Vec::new());
                    self.adts_at.insert((in_model, range), id);
                    self.defs.modules[module]
                        .types
                        .insert(n.clone(), Def::Adt(id));
                    if !matches!(s.field_list(), Some(ra::FieldList::RecordFieldList(_))) {
                        self.defs.modules[module].values.insert(n, Def::Ctor(id));
                    }
                }
                ra::Item::Enum(e) => {
                    let Some(n) = name(e.name()) else { continue };
                    let variants = e
                        .variant_list()
                        .map(|l| l.variants().filter_map(|v| name(v.name())).collect())
                        .unwrap_or_default();
                    let id = self.push_adt(n.clone(), module, variants);
                    self.adts_at.insert((in_model, range), id);
                    self.defs.modules[module].types.insert(n, Def::Adt(id));
                }
                ra::Item::Trait(t) => {
                    let Some(n) = name(t.name()) else { continue };
                    self.defs.traits.push(TraitInfo {
                        name: n.clone(),
                        module,
                        flat: String::new(),
                    });
                    let id = self.defs.traits.len() - 1;
                    self.traits_at.insert((in_model, range), id);
                    self.defs.modules[module].types.insert(n, Def::Trait(id));
                }
                ra::Item::TypeAlias(a) => {
                    let Some(n) = name(a.name()) else { continue };
                    self.defs.aliases.push((n.clone(), module));
                    let id = self.defs.aliases.len() - 1;
                    self.alias_nodes.push((
                        a.clone(),
                        Scope {
                            module,
                            in_model,
                            ..Scope::default()
                        },
                    ));
                    self.defs.modules[module].types.insert(n, Def::Alias(id));
                }
                ra::Item::Fn(f) => {
                    let Some(n) = name(f.name()) else { continue };
                    let path = self.item_path(module, &n);
                    self.defs.modules[module].values.insert(n, Def::Fn(path));
                }
                ra::Item::Use(u) => {
                    if let Some(tree) = u.use_tree() {
                        self.collect_use(&tree, Vec::new(), module);
                    }
                }
                _ => {}
            }
        }
    }

    fn push_adt(&mut self, name: String, module: ModId, variants: Vec<String>) -> usize {
        self.defs.adts.push(AdtInfo {
            name,
            module,
            flat: String::new(),
            variants,
        });
        self.defs.adts.len() - 1
    }

    /// The path a function is found by: `tokio::spawn`, `crate::helper`.
    fn item_path(&self, module: ModId, name: &str) -> String {
        let path = &self.defs.modules[module].path;
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}::{name}")
        }
    }

    fn collect_use(&mut self, tree: &ra::UseTree, prefix: Vec<String>, module: ModId) {
        let mut path = prefix;
        if let Some(p) = tree.path() {
            path.extend(path_names(&p));
        }
        if let Some(list) = tree.use_tree_list() {
            for t in list.use_trees() {
                self.collect_use(&t, path.clone(), module);
            }
        } else if tree.star_token().is_some() {
            self.defs.modules[module].globs.push(path);
        } else {
            // `use a::b::{self}` imports `b`.
            if path.last().is_some_and(|l| l == "self") {
                path.pop();
            }
            let alias = tree
                .rename()
                .and_then(|r| r.name())
                .map(|n| n.text().to_string())
                .or_else(|| path.last().cloned());
            if let Some(alias) = alias {
                if alias != "_" {
                    self.defs.modules[module].imports.push((alias, path));
                }
            }
        }
    }

    // -----------------------------------------------------------------
    // Pass 2: chalk items and functions.

    pub(crate) fn convert(&mut self, tree: &ra::SourceFile, in_model: bool) {
        let Some(&root) = self.modules_at.get(&(in_model, tree.syntax().text_range())) else {
            return;
        };
        let scope = Scope {
            module: root,
            in_model,
            ..Scope::default()
        };
        for attr in tree.attrs() {
            self.crate_attribute(&scope, &attr);
        }
        self.convert_items(tree.items(), &scope);
    }

    /// `#![feature(..)]`, `#![allow(..)]` and the like mean nothing here.
    fn crate_attribute(&mut self, _scope: &Scope, _attr: &ra::Attr) {}

    fn convert_items(&mut self, items: impl Iterator<Item = ra::Item>, scope: &Scope) {
        for item in items {
            let range = item.syntax().text_range();
            let span = self.item_span(scope, &item);
            match &item {
                ra::Item::Module(m) => {
                    if let Some(&child) = self.modules_at.get(&(scope.in_model, range)) {
                        let inner = Scope {
                            module: child,
                            ..scope.clone()
                        };
                        match m.item_list() {
                            Some(list) => self.convert_items(list.items(), &inner),
                            None => {
                                self.unsupported(span, "a module in another file (`mod name;`)")
                            }
                        }
                    }
                }
                ra::Item::Struct(s) => self.convert_struct(s, scope),
                ra::Item::Enum(e) => self.convert_enum(e, scope),
                ra::Item::Trait(t) => self.convert_trait(t, scope),
                ra::Item::Impl(i) => self.convert_impl(i, scope),
                ra::Item::Fn(f) => {
                    let name = f.name().map(|n| n.text().to_string()).unwrap_or_default();
                    let path = self.item_path(scope.module, &name);
                    if let Some(function) = self.function(f, scope, FnOwner::Free, path) {
                        self.rust.functions.push(function);
                    }
                }
                // Aliases are expanded where they are used; imports were
                // entered in the first pass; `extern crate` names a crate
                // the model has or has not.
                ra::Item::TypeAlias(_) | ra::Item::Use(_) | ra::Item::ExternCrate(_) => {}
                ra::Item::Const(_) | ra::Item::Static(_) => {
                    self.unsupported(span, "a `const` or `static` item")
                }
                ra::Item::MacroRules(_) | ra::Item::MacroDef(_) | ra::Item::MacroCall(_) => {
                    self.unsupported(span, "a macro definition or item macro")
                }
                ra::Item::Union(_) => self.unsupported(span, "a `union`"),
                ra::Item::ExternBlock(_) => self.unsupported(span, "an `extern` block"),
                ra::Item::AsmExpr(_) => self.unsupported(span, "inline assembly"),
            }
        }
    }

    /// `#[derive(Clone, Copy, ..)]` gives the impls the derive would
    /// write, bounded on every type parameter (rule `rust-derive`).
    fn derives(
        &mut self,
        node: &impl HasAttrs,
        scope: &Scope,
        name: &ast::Ident,
        params: &[ast::VariableKind],
    ) {
        for attr in node.attrs() {
            let text = attr.syntax().text().to_string();
            let Some(list) = text
                .strip_prefix("#[derive(")
                .and_then(|rest| rest.strip_suffix(")]"))
            else {
                continue;
            };
            for derived in list.split(',').map(|s| s.trim()).filter(|s| !s.is_empty()) {
                let last = derived.rsplit("::").next().unwrap_or(derived);
                let segments: Vec<String> =
                    derived.split("::").map(|s| s.trim().to_string()).collect();
                let trait_flat = match self.defs.resolve(scope.module, &segments, true) {
                    Ok(Def::Trait(t)) => self.defs.traits[t].flat.clone(),
                    // Derives of traits the model lacks (`Debug`,
                    // `PartialEq`, ..) say nothing about `Send`.
                    _ => continue,
                };
                let span = self.node_span(scope, &attr);
                let self_ty = ast::Ty {
                    kind: if params.is_empty() {
                        ast::TyKind::Name(name.clone())
                    } else {
                        ast::TyKind::Apply(
                            name.clone(),
                            params
                                .iter()
                                .map(chalkboard_syntax::build::param_as_arg)
                                .collect(),
                        )
                    },
                    span,
                };
                let where_clauses = params
                    .iter()
                    .filter(|p| p.kind == ast::ParamKind::Ty)
                    .map(|p| {
                        chalkboard_syntax::build::implemented(
                            chalkboard_syntax::build::name_ty(p.name.text.clone(), span),
                            trait_flat.clone(),
                            span,
                        )
                    })
                    .collect();
                let _ = last;
                self.out.items.push(ast::Item::Impl(Arc::new(ast::ImplDefn {
                    params: params.to_vec(),
                    trait_ref: chalkboard_syntax::build::trait_ref(
                        &chalkboard_syntax::build::ident(trait_flat, span),
                        self_ty,
                        &[],
                        span,
                    ),
                    polarity: ast::Polarity::Positive,
                    where_clauses,
                    assoc_ty_values: Vec::new(),
                    methods: Vec::new(),
                    upstream: false,
                    generated_by: None,
                    span,
                })));
            }
        }
    }

    fn flat_adt(&self, scope: &Scope, range: ra_ap_syntax::TextRange) -> Option<String> {
        self.adts_at
            .get(&(scope.in_model, range))
            .map(|&id| self.defs.adts[id].flat.clone())
    }

    fn convert_struct(&mut self, s: &ra::Struct, scope: &Scope) {
        let Some(flat) = self.flat_adt(scope, s.syntax().text_range()) else {
            return;
        };
        let span = self.item_span(scope, s);
        let name = ast::Ident {
            text: flat,
            span: s.name().map_or(span, |n| self.node_span(scope, &n)),
        };
        let mut inner = scope.clone();
        let (params, mut where_clauses) = self.generics(s.generic_param_list(), &mut inner);
        where_clauses.extend(self.where_clause(s.where_clause(), &inner));
        let fields = self.fields(s.field_list(), &inner);
        let mut flags = ast::AdtFlags::default();
        if lang_item(s) == Some("phantom_data") {
            flags.phantom_data = true;
        }
        self.derives(s, scope, &name, &params);
        self.out.items.push(ast::Item::Adt(Arc::new(ast::AdtDefn {
            kind: ast::AdtKind::Struct,
            name: name.clone(),
            params,
            where_clauses,
            variants: vec![ast::Variant { name, fields }],
            flags,
            repr: ast::AdtRepr::default(),
            variances: None,
            span,
        })));
    }

    fn convert_enum(&mut self, e: &ra::Enum, scope: &Scope) {
        let Some(flat) = self.flat_adt(scope, e.syntax().text_range()) else {
            return;
        };
        let span = self.item_span(scope, e);
        let name = ast::Ident {
            text: flat,
            span: e.name().map_or(span, |n| self.node_span(scope, &n)),
        };
        let mut inner = scope.clone();
        let (params, mut where_clauses) = self.generics(e.generic_param_list(), &mut inner);
        where_clauses.extend(self.where_clause(e.where_clause(), &inner));
        let variants = e
            .variant_list()
            .map(|l| {
                l.variants()
                    .map(|v| ast::Variant {
                        name: v.name().map_or_else(
                            || ast::Ident {
                                text: String::new(),
                                span,
                            },
                            |n| self.ident(&inner, &n),
                        ),
                        fields: self.fields(v.field_list(), &inner),
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.derives(e, scope, &name, &params);
        self.out.items.push(ast::Item::Adt(Arc::new(ast::AdtDefn {
            kind: ast::AdtKind::Enum,
            name,
            params,
            where_clauses,
            variants,
            flags: ast::AdtFlags::default(),
            repr: ast::AdtRepr::default(),
            variances: None,
            span,
        })));
    }

    fn fields(&mut self, list: Option<ra::FieldList>, scope: &Scope) -> Vec<ast::Field> {
        match list {
            Some(ra::FieldList::RecordFieldList(l)) => l
                .fields()
                .map(|f| ast::Field {
                    name: f.name().map_or_else(
                        || ast::Ident {
                            text: String::new(),
                            span: self.node_span(scope, &f),
                        },
                        |n| self.ident(scope, &n),
                    ),
                    ty: self.ty_or_error(f.ty(), scope, self.node_span(scope, &f)),
                })
                .collect(),
            Some(ra::FieldList::TupleFieldList(l)) => l
                .fields()
                .enumerate()
                .map(|(i, f)| ast::Field {
                    name: ast::Ident {
                        text: i.to_string(),
                        span: self.node_span(scope, &f),
                    },
                    ty: self.ty_or_error(f.ty(), scope, self.node_span(scope, &f)),
                })
                .collect(),
            None => Vec::new(),
        }
    }

    fn convert_trait(&mut self, t: &ra::Trait, scope: &Scope) {
        let Some(&id) = self
            .traits_at
            .get(&(scope.in_model, t.syntax().text_range()))
        else {
            return;
        };
        let flat = self.defs.traits[id].flat.clone();
        let span = self.item_span(scope, t);
        let name = ast::Ident {
            text: flat.clone(),
            span: t.name().map_or(span, |n| self.node_span(scope, &n)),
        };
        let mut inner = scope.clone();
        inner.self_ty = Some(chalkboard_syntax::build::name_ty("Self", name.span));
        inner.current_trait = Some(flat.clone());
        let (params, mut where_clauses) = self.generics(t.generic_param_list(), &mut inner);
        // Supertraits: `trait A: B` is `where Self: B`.
        if let Some(bounds) = t.type_bound_list() {
            let self_ty = chalkboard_syntax::build::name_ty("Self", name.span);
            where_clauses.extend(self.bounds_as_where_clauses(&self_ty, &bounds, &inner, &[]));
        }
        where_clauses.extend(self.where_clause(t.where_clause(), &inner));
        let mut assoc_ty_defns = Vec::new();
        let mut methods = Vec::new();
        for item in t
            .assoc_item_list()
            .into_iter()
            .flat_map(|l| l.assoc_items())
        {
            match item {
                ra::AssocItem::TypeAlias(a) => {
                    let mut gat = inner.clone();
                    let (gat_params, mut gat_wcs) = self.generics(a.generic_param_list(), &mut gat);
                    gat_wcs.extend(self.where_clause(a.where_clause(), &gat));
                    let bounds = a
                        .type_bound_list()
                        .map(|b| self.inline_bounds(&b, &gat))
                        .unwrap_or_default();
                    if a.ty().is_some() {
                        self.unsupported(
                            self.node_span(&gat, &a),
                            "a default for an associated type",
                        );
                    }
                    assoc_ty_defns.push(ast::AssocTyDefn {
                        name: a.name().map_or_else(
                            || ast::Ident {
                                text: String::new(),
                                span,
                            },
                            |n| self.ident(&gat, &n),
                        ),
                        params: gat_params,
                        bounds,
                        where_clauses: gat_wcs,
                        async_fn_once_output: false,
                        span: self.node_span(&gat, &a),
                    });
                }
                ra::AssocItem::Fn(f) => {
                    let method_name = f.name().map(|n| n.text().to_string()).unwrap_or_default();
                    let owner = FnOwner::Trait {
                        trait_name: name.clone(),
                        params: params.clone(),
                        where_clauses: where_clauses.clone(),
                    };
                    let path = format!("{flat}::{method_name}");
                    if let Some(function) = self.function(&f, &inner, owner, path) {
                        methods.push(ast::TraitMethod {
                            sig: method_sig(&function),
                        });
                        self.rust.functions.push(function);
                    }
                }
                ra::AssocItem::Const(c) => {
                    self.unsupported(self.node_span(&inner, &c), "an associated `const`")
                }
                ra::AssocItem::MacroCall(m) => {
                    self.unsupported(self.node_span(&inner, &m), "a macro in a trait")
                }
            }
        }
        let mut flags = ast::TraitFlags::default();
        if t.auto_token().is_some() {
            flags.auto = true;
        }
        let well_known = lang_item(t).and_then(well_known_trait);
        self.out
            .items
            .push(ast::Item::Trait(Arc::new(ast::TraitDefn {
                name,
                params,
                where_clauses,
                assoc_ty_defns,
                methods,
                flags,
                well_known,
                span,
            })));
    }

    fn convert_impl(&mut self, imp: &ra::Impl, scope: &Scope) {
        let span = self.item_span(scope, imp);
        let mut inner = scope.clone();
        let (params, mut where_clauses) = self.generics(imp.generic_param_list(), &mut inner);
        let Some(self_ty_node) = imp.self_ty() else {
            return;
        };
        let self_ty = self.ty(&self_ty_node, &inner);
        inner.self_ty = Some(self_ty.clone());
        where_clauses.extend(self.where_clause(imp.where_clause(), &inner));
        let Some(trait_node) = imp.trait_() else {
            // An inherent impl: its methods are functions of the type.
            for item in imp
                .assoc_item_list()
                .into_iter()
                .flat_map(|l| l.assoc_items())
            {
                match item {
                    ra::AssocItem::Fn(f) => {
                        let method = f.name().map(|n| n.text().to_string()).unwrap_or_default();
                        let owner = FnOwner::Inherent {
                            self_ty: self_ty.clone(),
                            params: params.clone(),
                            where_clauses: where_clauses.clone(),
                        };
                        let path =
                            format!("{}::{method}", chalkboard_syntax::print::print_ty(&self_ty));
                        if let Some(function) = self.function(&f, &inner, owner, path) {
                            self.rust.functions.push(function);
                        }
                    }
                    other => self.unsupported(
                        self.node_span(&inner, &other),
                        "an associated type or `const` in an inherent impl",
                    ),
                }
            }
            return;
        };
        let Some(trait_bound) = self.trait_bound_of_type(&trait_node, &inner) else {
            return;
        };
        let trait_ref = ast::TraitRef {
            trait_name: trait_bound.trait_name.clone(),
            args: std::iter::once(ast::GenericArg::Ty(self_ty.clone()))
                .chain(trait_bound.args.iter().cloned())
                .collect(),
            span: self.node_span(&inner, &trait_node),
        };
        let polarity = if imp.excl_token().is_some() {
            ast::Polarity::Negative
        } else {
            ast::Polarity::Positive
        };
        let mut assoc_ty_values = Vec::new();
        let mut methods = Vec::new();
        for item in imp
            .assoc_item_list()
            .into_iter()
            .flat_map(|l| l.assoc_items())
        {
            match item {
                ra::AssocItem::TypeAlias(a) => {
                    let mut gat = inner.clone();
                    let (gat_params, _) = self.generics(a.generic_param_list(), &mut gat);
                    let item_span = self.node_span(&gat, &a);
                    let value = self.ty_or_error(a.ty(), &gat, item_span);
                    assoc_ty_values.push(ast::AssocTyValue {
                        name: a.name().map_or_else(
                            || ast::Ident {
                                text: String::new(),
                                span: item_span,
                            },
                            |n| self.ident(&gat, &n),
                        ),
                        params: gat_params,
                        value,
                        default: false,
                        span: item_span,
                    });
                }
                ra::AssocItem::Fn(f) => {
                    let method = f.name().map(|n| n.text().to_string()).unwrap_or_default();
                    let owner = FnOwner::TraitImpl {
                        trait_name: trait_ref.trait_name.clone(),
                        self_ty: self_ty.clone(),
                        params: params.clone(),
                        where_clauses: where_clauses.clone(),
                    };
                    let path = format!(
                        "<{} as {}>::{method}",
                        chalkboard_syntax::print::print_ty(&self_ty),
                        trait_ref.trait_name.text
                    );
                    if let Some(function) = self.function(&f, &inner, owner, path) {
                        let body = if function.is_async && function.body.is_some() {
                            // The body checker fills in what the future
                            // holds; until it has, the future holds only its
                            // arguments (rule `impl-async-fn-to-future-struct`).
                            ast::ImplMethodBody::Holds(Vec::new(), function.span)
                        } else {
                            ast::ImplMethodBody::None
                        };
                        methods.push(ast::ImplMethod {
                            sig: method_sig(&function),
                            body,
                        });
                        self.rust.functions.push(function);
                    }
                }
                other => self.unsupported(
                    self.node_span(&inner, &other),
                    "an associated `const` or macro in an impl",
                ),
            }
        }
        if imp.default_token().is_some() {
            self.unsupported(span, "a `default impl` (specialization)");
        }
        self.out.items.push(ast::Item::Impl(Arc::new(ast::ImplDefn {
            params,
            trait_ref,
            polarity,
            where_clauses,
            assoc_ty_values,
            methods,
            upstream: false,
            generated_by: None,
            span,
        })));
    }

    /// A function or method: its signature and its body.
    pub(crate) fn function(
        &mut self,
        f: &ra::Fn,
        scope: &Scope,
        owner: FnOwner,
        path: String,
    ) -> Option<Function> {
        let name = self.ident(scope, &f.name()?);
        let span = self.item_span(scope, f);
        let mut inner = scope.clone();
        let (mut params, mut where_clauses) = self.generics(f.generic_param_list(), &mut inner);
        let mut receiver = ast::Receiver::None;
        let mut arguments = Vec::new();
        let mut impl_trait_params = Vec::new();
        if let Some(list) = f.param_list() {
            if let Some(s) = list.self_param() {
                receiver = self.receiver(&s, &inner);
            }
            for p in list.params() {
                let p_span = self.node_span(&inner, &p);
                // `impl Trait` in argument position, or behind a reference
                // (`&mut impl Trait`), is an anonymous type parameter (rule
                // `rust-impl-trait-argument`).
                let mut anonymous = |reader: &mut Self, it: &ra::ImplTraitType| {
                    let fresh = reader.fresh_name("impl");
                    reader
                        .rust
                        .impl_params
                        .push((fresh.clone(), it.syntax().text().to_string()));
                    let ty = chalkboard_syntax::build::name_ty(fresh.clone(), p_span);
                    if let Some(bounds) = it.type_bound_list() {
                        inner.params.push((fresh.clone(), false));
                        impl_trait_params.push(ast::VariableKind {
                            kind: ast::ParamKind::Ty,
                            name: chalkboard_syntax::build::ident(fresh, p_span),
                        });
                        where_clauses.extend(reader.bounds_as_where_clauses(
                            &ty,
                            &bounds,
                            &inner,
                            &[],
                        ));
                    }
                    ty
                };
                let ty = match p.ty() {
                    Some(ra::Type::ImplTraitType(it)) => anonymous(self, &it),
                    Some(ra::Type::RefType(r)) => match r.ty() {
                        Some(ra::Type::ImplTraitType(it)) => {
                            let param = anonymous(self, &it);
                            let mut ty =
                                self.ty_or_error(Some(ra::Type::RefType(r)), &inner, p_span);
                            if let ast::TyKind::Ref(_, _, pointee) = &mut ty.kind {
                                **pointee = param;
                            }
                            ty
                        }
                        _ => self.ty_or_error(Some(ra::Type::RefType(r)), &inner, p_span),
                    },
                    other => self.ty_or_error(other, &inner, p_span),
                };
                let pat = match p.pat() {
                    Some(pat) => self.pattern_decl(&pat, &inner),
                    None => chalkboard_syntax::body::Pat::Wild,
                };
                arguments.push((pat, ty));
            }
        }
        params.extend(impl_trait_params);
        let return_type = f
            .ret_type()
            .and_then(|r| r.ty())
            .map(|t| self.ty(&t, &inner));
        where_clauses.extend(self.where_clause(f.where_clause(), &inner));
        let sig_end = f
            .where_clause()
            .map(|w| w.syntax().text_range().end())
            .or_else(|| f.ret_type().map(|r| r.syntax().text_range().end()))
            .or_else(|| f.param_list().map(|p| p.syntax().text_range().end()))
            .unwrap_or_else(|| f.syntax().text_range().end());
        let sig_start = f
            .async_token()
            .or_else(|| f.fn_token())
            .map_or(f.syntax().text_range().start(), |t| t.text_range().start());
        let sig_span = self.span(scope, ra_ap_syntax::TextRange::new(sig_start, sig_end));
        let body = f.body().map(|b| self.body(&b, &inner, &arguments));
        if f.const_token().is_some() || f.unsafe_token().is_some() && !scope.in_model {
            // `const fn` and `unsafe fn` check like any other function.
        }
        let _ = f.visibility();
        Some(Function {
            name,
            path,
            owner,
            is_async: f.async_token().is_some(),
            params,
            where_clauses,
            receiver,
            arguments,
            return_type,
            opaque_bounds: Vec::new(),
            body,
            sig_span,
            span,
            in_model: scope.in_model,
        })
    }

    fn receiver(&mut self, s: &ra::SelfParam, scope: &Scope) -> ast::Receiver {
        if s.ty().is_some() {
            let span = self.node_span(scope, s);
            self.unsupported(span, "a `self` parameter with an explicit type");
            return ast::Receiver::Value;
        }
        if s.amp_token().is_some() {
            let mutability = if s.mut_token().is_some() {
                ast::Mutability::Mut
            } else {
                ast::Mutability::Not
            };
            let lifetime = s.lifetime().map(|l| self.lifetime(&l, scope));
            ast::Receiver::Ref(mutability, lifetime)
        } else {
            ast::Receiver::Value
        }
    }
}

/// The chalk signature of a method, for its trait or impl (the body checker
/// keeps the full function).
pub(crate) fn method_sig(f: &Function) -> ast::MethodSig {
    ast::MethodSig {
        is_async: f.is_async,
        name: f.name.clone(),
        params: f.params.clone(),
        receiver: f.receiver.clone(),
        arguments: f
            .arguments
            .iter()
            .enumerate()
            .map(|(i, (pat, ty))| {
                let name = match pat {
                    chalkboard_syntax::body::Pat::Ident { name, .. } => name.clone(),
                    other => ast::Ident {
                        text: format!("arg{i}"),
                        span: other.span(),
                    },
                };
                (name, ty.clone())
            })
            .collect(),
        return_type: f.return_type.clone(),
        where_clauses: f.where_clauses.clone(),
        span: f.sig_span,
    }
}

/// The names of a path's segments (`a::b::C<T>` gives `[a, b, C]`).
pub(crate) fn path_names(path: &ra::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = Some(path.clone());
    while let Some(path) = p {
        if let Some(seg) = path.segment() {
            let text = match seg.name_ref() {
                Some(n) => n.text().to_string(),
                None => seg
                    .syntax()
                    .first_token()
                    .map(|t| t.text().to_string())
                    .unwrap_or_default(),
            };
            out.push(text);
        }
        p = path.qualifier();
    }
    out.reverse();
    out
}

/// `#[lang = "name"]` on an item of the model.
fn lang_item(node: &impl HasAttrs) -> Option<&'static str> {
    for attr in node.attrs() {
        let text = attr.syntax().text().to_string();
        let Some(rest) = text.strip_prefix("#[lang") else {
            continue;
        };
        let name = rest
            .trim_start_matches([' ', '='])
            .trim_start_matches('"')
            .split('"')
            .next()
            .unwrap_or_default();
        return Some(match name {
            "sized" => "sized",
            "copy" => "copy",
            "clone" => "clone",
            "drop" => "drop",
            "fn" => "fn",
            "fn_mut" => "fn_mut",
            "fn_once" => "fn_once",
            "future" => "future",
            "unpin" => "unpin",
            "unsize" => "unsize",
            "phantom_data" => "phantom_data",
            _ => return None,
        });
    }
    None
}

fn well_known_trait(name: &str) -> Option<ast::WellKnownTrait> {
    use ast::WellKnownTrait as W;
    Some(match name {
        "sized" => W::Sized,
        "copy" => W::Copy,
        "clone" => W::Clone,
        "drop" => W::Drop,
        "fn" => W::Fn,
        "fn_mut" => W::FnMut,
        "fn_once" => W::FnOnce,
        "future" => W::Future,
        "unpin" => W::Unpin,
        "unsize" => W::Unsize,
        _ => return None,
    })
}

#[allow(dead_code)]
fn unused(_: Span, _: Diagnostic) {
    let _ = codes::RUST_UNSUPPORTED;
}
