//! What the checker knows of a file's items: its functions by path and by
//! owner, the traits' methods, the ADTs' fields, each function's
//! environment, and substitution of parameters in types.

use std::collections::HashMap;

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::build;
use chalkboard_syntax::rust::{FnOwner, Function, RustFile};
use chalkboard_syntax::visit::{self, VisitMut};

use super::oracle::{Env, BODY_LIFETIME};

pub struct Items<'a> {
    pub file: &'a ast::File,
    pub rust: &'a RustFile,
    pub by_path: HashMap<&'a str, usize>,
    /// Inherent methods by the head of their self type (`Rc`, `Vec`).
    pub inherent: HashMap<String, Vec<usize>>,
    /// Trait methods (declarations and defaults) by name: (trait, function).
    pub trait_methods: HashMap<&'a str, Vec<(&'a str, usize)>>,
    pub traits: HashMap<&'a str, &'a ast::TraitDefn>,
    pub adts: HashMap<&'a str, &'a ast::AdtDefn>,
    /// The future struct desugaring generated for an impl's `async fn`:
    /// by (impl index in `file.items`, method name).
    pub impl_futures: HashMap<(usize, String), String>,
}

/// The head name of a type (`Vec` for `Vec<u8>`), for inherent methods.
pub fn head(ty: &ast::Ty) -> Option<String> {
    match &ty.kind {
        ast::TyKind::Name(n) | ast::TyKind::Apply(n, _) => Some(n.text.clone()),
        ast::TyKind::Scalar(_) | ast::TyKind::Str => Some(chalkboard_syntax::print::print_ty(ty)),
        _ => None,
    }
}

impl<'a> Items<'a> {
    pub fn new(file: &'a ast::File, rust: &'a RustFile) -> Items<'a> {
        let mut items = Items {
            file,
            rust,
            by_path: HashMap::new(),
            inherent: HashMap::new(),
            trait_methods: HashMap::new(),
            traits: HashMap::new(),
            adts: HashMap::new(),
            impl_futures: HashMap::new(),
        };
        for (i, f) in rust.functions.iter().enumerate() {
            items.by_path.insert(f.path.as_str(), i);
            match &f.owner {
                FnOwner::Inherent { self_ty, .. } => {
                    if let Some(h) = head(self_ty) {
                        items.inherent.entry(h).or_default().push(i);
                    }
                }
                FnOwner::Trait { trait_name, .. } => items
                    .trait_methods
                    .entry(f.name.text.as_str())
                    .or_default()
                    .push((trait_name.text.as_str(), i)),
                _ => {}
            }
        }
        for (index, item) in file.items.iter().enumerate() {
            match item {
                ast::Item::Trait(t) => {
                    items.traits.insert(t.name.text.as_str(), t);
                }
                ast::Item::Adt(a) => {
                    items.adts.insert(a.name.text.as_str(), a);
                }
                ast::Item::Impl(imp) => {
                    for v in &imp.assoc_ty_values {
                        if let ast::TyKind::Apply(n, _) | ast::TyKind::Name(n) = &v.value.kind {
                            if n.text.ends_with("_Future") {
                                items
                                    .impl_futures
                                    .insert((index, v.name.text.clone()), n.text.clone());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        items
    }

    /// The impl (index in `file.items`) a trait-impl method belongs to.
    pub fn impl_of(&self, f: &Function) -> Option<usize> {
        let FnOwner::TraitImpl {
            trait_name,
            self_ty,
            ..
        } = &f.owner
        else {
            return None;
        };
        let self_text = chalkboard_syntax::print::print_ty(self_ty);
        self.file.items.iter().position(|item| match item {
            ast::Item::Impl(imp) => {
                imp.trait_ref.trait_name.text == trait_name.text
                    && imp.polarity == ast::Polarity::Positive
                    && matches!(imp.trait_ref.args.first(), Some(ast::GenericArg::Ty(t)) if chalkboard_syntax::print::print_ty(t) == self_text)
            }
            _ => false,
        })
    }

    /// The parameters of the generic associated type a trait method's
    /// anonymous return type became (rule `impl-trait-to-gat`).
    pub fn gat_params(&self, trait_name: &str, method: &str) -> Option<&'a [ast::VariableKind]> {
        let t = self.traits.get(trait_name)?;
        t.assoc_ty_defns
            .iter()
            .find(|a| a.name.text == method)
            .map(|a| a.params.as_slice())
    }
}

/// A function's environment, its `Self`, and the names given to the
/// lifetimes its signature leaves elided.
pub struct FnEnv {
    pub env: Env,
    pub self_ty: Option<ast::Ty>,
    /// The arguments' types with every elided lifetime named.
    pub arguments: Vec<ast::Ty>,
    pub receiver: Option<ast::Ty>,
    pub return_type: ast::Ty,
}

fn lifetime_param(name: &str, span: Span) -> ast::VariableKind {
    ast::VariableKind {
        kind: ast::ParamKind::Lifetime,
        name: build::ident(name, span),
    }
}

/// Names every elided lifetime in a type with a fresh parameter.
struct NameElided<'p> {
    params: &'p mut Vec<ast::VariableKind>,
    counter: &'p mut u32,
}

impl VisitMut for NameElided<'_> {
    fn ty(&mut self, ty: &mut ast::Ty) {
        match &mut ty.kind {
            ast::TyKind::Ref(_, l @ None, _)
            | ast::TyKind::Dyn {
                lifetime: l @ None, ..
            } => {
                *self.counter += 1;
                let name = format!("__elided{}", self.counter);
                self.params.push(lifetime_param(&name, ty.span));
                *l = Some(ast::Lifetime {
                    kind: ast::LifetimeKind::Named(name),
                    span: ty.span,
                });
            }
            _ => {}
        }
        visit::walk_ty(self, ty);
    }
}

/// The environment a function's body is checked in: its owner's and its
/// own parameters and where clauses (a trait's default method also has
/// `Self: Trait`), every elided lifetime named, and the body's lifetime.
pub fn fn_env(f: &Function) -> FnEnv {
    let mut params = Vec::new();
    let mut where_clauses = Vec::new();
    let mut self_ty = None;
    let span = f.span;
    match &f.owner {
        FnOwner::Free => {}
        FnOwner::Inherent {
            self_ty: s,
            params: p,
            where_clauses: w,
        }
        | FnOwner::TraitImpl {
            self_ty: s,
            params: p,
            where_clauses: w,
            ..
        } => {
            params.extend(p.iter().cloned());
            where_clauses.extend(w.iter().cloned());
            self_ty = Some(s.clone());
        }
        FnOwner::Trait {
            trait_name,
            params: p,
            where_clauses: w,
        } => {
            let self_param = ast::VariableKind {
                kind: ast::ParamKind::Ty,
                name: build::ident("Self", span),
            };
            let me = build::name_ty("Self", span);
            params.push(self_param);
            params.extend(p.iter().cloned());
            where_clauses.extend(w.iter().cloned());
            let args: Vec<ast::GenericArg> = p.iter().map(build::param_as_arg).collect();
            where_clauses.push(ast::QuantifiedWhereClause {
                params: Vec::new(),
                where_clause: ast::WhereClause::Implemented(build::trait_ref(
                    trait_name,
                    me.clone(),
                    &args,
                    span,
                )),
                span,
            });
            self_ty = Some(me);
        }
    }
    params.extend(f.params.iter().cloned());
    where_clauses.extend(f.where_clauses.iter().cloned());
    let mut counter = 0;
    let mut arguments: Vec<ast::Ty> = f.arguments.iter().map(|(_, t)| t.clone()).collect();
    let mut elided = Vec::new();
    {
        let mut namer = NameElided {
            params: &mut elided,
            counter: &mut counter,
        };
        for t in &mut arguments {
            namer.ty(t);
        }
    }
    let receiver = match (&f.receiver, &self_ty) {
        (ast::Receiver::None, _) | (_, None) => None,
        (ast::Receiver::Value, Some(s)) => Some(s.clone()),
        (ast::Receiver::Ref(m, l), Some(s)) => {
            let lifetime = match l {
                Some(l) => l.clone(),
                None => {
                    elided.insert(0, lifetime_param("__self", span));
                    ast::Lifetime {
                        kind: ast::LifetimeKind::Named("__self".into()),
                        span,
                    }
                }
            };
            Some(ast::Ty {
                kind: ast::TyKind::Ref(*m, Some(lifetime), Box::new(s.clone())),
                span,
            })
        }
    };
    // An elided lifetime in the return type is the receiver's (or the only
    // argument lifetime's), as Rust's elision rules say.
    let mut return_type = f.return_type.clone().unwrap_or(ast::Ty {
        kind: ast::TyKind::Tuple(Vec::new()),
        span,
    });
    let output_lifetime = elided.first().map(|p| p.name.text.clone());
    struct FillReturn(Option<String>);
    impl VisitMut for FillReturn {
        fn ty(&mut self, ty: &mut ast::Ty) {
            if let ast::TyKind::Ref(_, l @ None, _) = &mut ty.kind {
                let kind = match &self.0 {
                    Some(name) => ast::LifetimeKind::Named(name.clone()),
                    None => ast::LifetimeKind::Static,
                };
                *l = Some(ast::Lifetime {
                    kind,
                    span: ty.span,
                });
            }
            visit::walk_ty(self, ty);
        }
    }
    FillReturn(output_lifetime).ty(&mut return_type);
    params.extend(elided);
    params.push(lifetime_param(BODY_LIFETIME, span));
    FnEnv {
        env: Env {
            params,
            where_clauses,
        },
        self_ty,
        arguments,
        receiver,
        return_type,
    }
}

/// A substitution of parameters (by name) with types and lifetimes.
#[derive(Default, Clone, Debug)]
pub struct Subst {
    pub types: HashMap<String, ast::Ty>,
    pub lifetimes: HashMap<String, ast::Lifetime>,
}

impl Subst {
    /// Each of `params` (by name) replaced by the argument in its place.
    pub fn from_params(params: &[ast::VariableKind], args: &[ast::GenericArg]) -> Subst {
        let mut subst = Subst::default();
        for (p, a) in params.iter().zip(args) {
            match a {
                ast::GenericArg::Ty(t) => {
                    subst.types.insert(p.name.text.clone(), t.clone());
                }
                ast::GenericArg::Lifetime(l) => {
                    subst.lifetimes.insert(p.name.text.clone(), l.clone());
                }
                ast::GenericArg::Const(_) => {}
            }
        }
        subst
    }

    pub fn apply(&self, ty: &ast::Ty) -> ast::Ty {
        let mut ty = ty.clone();
        Substituter(self).ty(&mut ty);
        ty
    }

    pub fn apply_wc(&self, wc: &ast::QuantifiedWhereClause) -> ast::QuantifiedWhereClause {
        let mut wc = wc.clone();
        visit::walk_quantified_where_clause(&mut Substituter(self), &mut wc);
        wc
    }
}

struct Substituter<'s>(&'s Subst);

impl VisitMut for Substituter<'_> {
    fn ty(&mut self, ty: &mut ast::Ty) {
        if let ast::TyKind::Name(n) = &ty.kind {
            if let Some(t) = self.0.types.get(&n.text) {
                *ty = t.clone();
                return;
            }
        }
        visit::walk_ty(self, ty);
    }

    fn lifetime(&mut self, l: &mut ast::Lifetime) {
        if let ast::LifetimeKind::Named(n) = &l.kind {
            if let Some(to) = self.0.lifetimes.get(n) {
                *l = to.clone();
            }
        }
    }
}

/// The lifetime every borrow made in a body gets.
pub fn body_lifetime(span: Span) -> ast::Lifetime {
    ast::Lifetime {
        kind: ast::LifetimeKind::Named(BODY_LIFETIME.into()),
        span,
    }
}
