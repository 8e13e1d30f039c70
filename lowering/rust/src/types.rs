//! Types, generic parameters, bounds and where clauses: Rust's syntax to
//! chalkboard's, with every path resolved (rule `rust-resolve-path`).
//!
//! - `T: A + B<X = Y> + 'a` gives one where clause per bound; associated
//!   item bounds and return type notation (`Trait<m(..): Send>`) keep
//!   chalkboard's extension form, which desugaring expands;
//! - `Fn(A, B) -> R` is `Fn<(A, B)>` with `<_ as FnOnce<(A, B)>>::Output = R`
//!   (rule `rust-fn-sugar`);
//! - a type alias is expanded where it is used;
//! - `dyn Trait` without a lifetime is `dyn Trait + 'static`, except behind
//!   a reference, where the elision rules name it.

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::build;
use chalkboard_syntax::Diagnostic;
use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::{HasGenericArgs, HasGenericParams, HasName, HasTypeBounds};
use ra_ap_syntax::AstNode;

use crate::items::path_names;
use crate::resolve::{Def, ResolveError};
use crate::{codes, Reader, Scope};

/// The name `_` gets in a body's type: a type to infer.
pub const INFER: &str = "_";

/// A trait bound as written, resolved: the bound itself (with its
/// associated item bounds), and its equalities `Name<Args> = Ty`.
pub(crate) struct ResolvedTraitBound {
    pub bound: ast::TraitBound,
    pub equalities: Vec<(ast::Ident, Vec<ast::GenericArg>, ast::Ty)>,
}

fn scalar(name: &str) -> Option<ast::TyKind> {
    use ast::{FloatTy as F, IntTy as I, ScalarType as S, UintTy as U};
    Some(ast::TyKind::Scalar(match name {
        "bool" => S::Bool,
        "char" => S::Char,
        "i8" => S::Int(I::I8),
        "i16" => S::Int(I::I16),
        "i32" => S::Int(I::I32),
        "i64" => S::Int(I::I64),
        "i128" => S::Int(I::I128),
        "isize" => S::Int(I::Isize),
        "u8" => S::Uint(U::U8),
        "u16" => S::Uint(U::U16),
        "u32" => S::Uint(U::U32),
        "u64" => S::Uint(U::U64),
        "u128" => S::Uint(U::U128),
        "usize" => S::Uint(U::Usize),
        "f16" => S::Float(F::F16),
        "f32" => S::Float(F::F32),
        "f64" => S::Float(F::F64),
        "f128" => S::Float(F::F128),
        "str" => return Some(ast::TyKind::Str),
        _ => return None,
    }))
}

impl Reader {
    /// The parameters of a generic parameter list, entered into `scope`,
    /// and the where clauses of their inline bounds.
    pub(crate) fn generics(
        &mut self,
        list: Option<ra::GenericParamList>,
        scope: &mut Scope,
    ) -> (Vec<ast::VariableKind>, Vec<ast::QuantifiedWhereClause>) {
        let mut params = Vec::new();
        let Some(list) = list else {
            return (params, Vec::new());
        };
        // Enter every parameter first, so bounds may mention later ones.
        let mut bounded = Vec::new();
        for p in list.generic_params() {
            match &p {
                ra::GenericParam::TypeParam(t) => {
                    let Some(name) = t.name() else { continue };
                    let ident = self.ident(scope, &name);
                    scope.params.push((ident.text.clone(), false));
                    params.push(ast::VariableKind {
                        kind: ast::ParamKind::Ty,
                        name: ident.clone(),
                    });
                    if t.default_type().is_some() {
                        let span = self.node_span(scope, t);
                        self.unsupported(span, "a default for a type parameter");
                    }
                    if let Some(bounds) = t.type_bound_list() {
                        bounded.push((build::name_ty(ident.text, ident.span), bounds));
                    }
                }
                ra::GenericParam::LifetimeParam(l) => {
                    let Some(lt) = l.lifetime() else { continue };
                    let name = lt.text().to_string();
                    let name = name.trim_start_matches('\'').to_string();
                    scope.params.push((name.clone(), true));
                    params.push(ast::VariableKind {
                        kind: ast::ParamKind::Lifetime,
                        name: ast::Ident {
                            text: name,
                            span: self.node_span(scope, &lt),
                        },
                    });
                }
                ra::GenericParam::ConstParam(c) => {
                    let Some(name) = c.name() else { continue };
                    let ident = self.ident(scope, &name);
                    scope.params.push((ident.text.clone(), false));
                    params.push(ast::VariableKind {
                        kind: ast::ParamKind::Const,
                        name: ident,
                    });
                }
            }
        }
        let mut where_clauses = Vec::new();
        for p in list.generic_params() {
            if let ra::GenericParam::LifetimeParam(l) = &p {
                if let (Some(lt), Some(bounds)) = (l.lifetime(), l.type_bound_list()) {
                    let a = self.lifetime(&lt, scope);
                    for b in bounds.bounds() {
                        if let Some(blt) = b.lifetime() {
                            let span = self.node_span(scope, &b);
                            where_clauses.push(ast::QuantifiedWhereClause {
                                params: Vec::new(),
                                where_clause: ast::WhereClause::LifetimeOutlives {
                                    a: a.clone(),
                                    b: self.lifetime(&blt, scope),
                                },
                                span,
                            });
                        }
                    }
                }
            }
        }
        for (ty, bounds) in bounded {
            where_clauses.extend(self.bounds_as_where_clauses(&ty, &bounds, scope, &[]));
        }
        (params, where_clauses)
    }

    /// The where clauses of a `where` list.
    pub(crate) fn where_clause(
        &mut self,
        wc: Option<ra::WhereClause>,
        scope: &Scope,
    ) -> Vec<ast::QuantifiedWhereClause> {
        let mut out = Vec::new();
        for pred in wc.into_iter().flat_map(|w| w.predicates()) {
            let span = self.node_span(scope, &pred);
            let mut inner = scope.clone();
            let binder = self.for_binder(pred.for_binder(), &mut inner);
            let Some(bounds) = pred.type_bound_list() else {
                continue;
            };
            if let Some(lt) = pred.lifetime() {
                // `'a: 'b`
                let a = self.lifetime(&lt, &inner);
                for b in bounds.bounds() {
                    if let Some(blt) = b.lifetime() {
                        out.push(ast::QuantifiedWhereClause {
                            params: binder.clone(),
                            where_clause: ast::WhereClause::LifetimeOutlives {
                                a: a.clone(),
                                b: self.lifetime(&blt, &inner),
                            },
                            span,
                        });
                    }
                }
                continue;
            }
            let Some(ty_node) = pred.ty() else { continue };
            // `T::m(..): Send` and `<T as Trait>::m(..): Send`: return type
            // notation as a where clause's subject.
            if let Some(rtn) = self.rtn_subject(&ty_node, &inner) {
                out.push(ast::QuantifiedWhereClause {
                    params: binder.clone(),
                    where_clause: ast::WhereClause::Rtn {
                        rtn,
                        bounds: self.inline_bounds(&bounds, &inner),
                    },
                    span,
                });
                continue;
            }
            let ty = self.ty(&ty_node, &inner);
            // `T::Name: Bound` keeps the shorthand form, which desugaring
            // resolves (and which is the explainer's `P::request: Send`).
            if matches!(ty.kind, ast::TyKind::ShorthandProjection { .. }) {
                out.push(ast::QuantifiedWhereClause {
                    params: binder.clone(),
                    where_clause: ast::WhereClause::ShorthandBound {
                        self_ty: ty,
                        bounds: self.inline_bounds(&bounds, &inner),
                    },
                    span,
                });
                continue;
            }
            out.extend(self.bounds_as_where_clauses(&ty, &bounds, &inner, &binder));
        }
        out
    }

    /// `for<'a, 'b>`: the binder's lifetimes, entered into `scope`.
    fn for_binder(
        &mut self,
        binder: Option<ra::ForBinder>,
        scope: &mut Scope,
    ) -> Vec<ast::VariableKind> {
        let mut out = Vec::new();
        let Some(list) = binder.and_then(|b| b.generic_param_list()) else {
            return out;
        };
        for p in list.generic_params() {
            match p {
                ra::GenericParam::LifetimeParam(l) => {
                    if let Some(lt) = l.lifetime() {
                        let name = lt.text().to_string().trim_start_matches('\'').to_string();
                        scope.params.push((name.clone(), true));
                        out.push(ast::VariableKind {
                            kind: ast::ParamKind::Lifetime,
                            name: ast::Ident {
                                text: name,
                                span: self.node_span(scope, &lt),
                            },
                        });
                    }
                }
                other => {
                    let span = self.node_span(scope, &other);
                    self.unsupported(span, "a type or const parameter in `for<..>`");
                }
            }
        }
        out
    }

    /// `ty: B1 + B2 + ..` as where clauses, each under `binder`.
    pub(crate) fn bounds_as_where_clauses(
        &mut self,
        ty: &ast::Ty,
        bounds: &ra::TypeBoundList,
        scope: &Scope,
        binder: &[ast::VariableKind],
    ) -> Vec<ast::QuantifiedWhereClause> {
        let mut out = Vec::new();
        for b in bounds.bounds() {
            let span = self.node_span(scope, &b);
            if b.question_mark_token().is_some() {
                // `?Sized`: the relaxed bound, which rule `implicit-sized`
                // reads and removes.
                if let Some(name) = bound_path(&b)
                    .and_then(|p| p.path())
                    .and_then(|p| p.segment())
                    .and_then(|s| s.name_ref())
                {
                    out.push(ast::QuantifiedWhereClause {
                        params: binder.to_vec(),
                        where_clause: ast::WhereClause::Relaxed {
                            ty: ty.clone(),
                            trait_name: self.ident(scope, &name),
                        },
                        span,
                    });
                }
                continue;
            }
            if let Some(lt) = b.lifetime() {
                out.push(ast::QuantifiedWhereClause {
                    params: binder.to_vec(),
                    where_clause: ast::WhereClause::TypeOutlives {
                        ty: ty.clone(),
                        lifetime: self.lifetime(&lt, scope),
                    },
                    span,
                });
                continue;
            }
            let mut inner = scope.clone();
            let mut params = binder.to_vec();
            params.extend(self.for_binder(b.for_binder(), &mut inner));
            let Some(path_ty) = bound_path(&b) else {
                self.unsupported(span, "this kind of bound");
                continue;
            };
            let Some(resolved) = self.trait_bound(&path_ty, &inner) else {
                continue;
            };
            let trait_ref = build::trait_ref(
                &resolved.bound.trait_name,
                ty.clone(),
                &resolved.bound.args,
                span,
            );
            for (name, args, value) in resolved.equalities {
                out.push(ast::QuantifiedWhereClause {
                    params: params.clone(),
                    where_clause: ast::WhereClause::AliasEq {
                        projection: ast::ProjectionTy {
                            trait_ref: self.equality_trait_ref(&trait_ref, &name),
                            name,
                            args,
                        },
                        ty: value,
                    },
                    span,
                });
            }
            let where_clause = if resolved.bound.assoc_bounds.is_empty() {
                ast::WhereClause::Implemented(trait_ref)
            } else {
                ast::WhereClause::BoundWithAssocBounds {
                    self_ty: ty.clone(),
                    bound: resolved.bound,
                }
            };
            out.push(ast::QuantifiedWhereClause {
                params,
                where_clause,
                span,
            });
        }
        out
    }

    /// The trait an equality `Output = R` of a `Fn`-family bound projects
    /// out of: `Output` belongs to `FnOnce` (rule `rust-fn-sugar`).
    fn equality_trait_ref(&self, trait_ref: &ast::TraitRef, name: &ast::Ident) -> ast::TraitRef {
        let fn_family = ["Fn", "FnMut"];
        if name.text == "Output" && fn_family.contains(&trait_ref.trait_name.text.as_str()) {
            let mut t = trait_ref.clone();
            t.trait_name.text = self
                .prelude_trait("FnOnce")
                .unwrap_or_else(|| "FnOnce".into());
            return t;
        }
        trait_ref.clone()
    }

    /// The flat name of a trait of Rust's prelude.
    fn prelude_trait(&self, name: &str) -> Option<String> {
        match self.defs.resolve(self.defs.root, &[name.to_string()], true) {
            Ok(Def::Trait(t)) => Some(self.defs.traits[t].flat.clone()),
            _ => None,
        }
    }

    /// Bounds as inline bounds (of an associated type, `impl Trait`, `dyn`).
    pub(crate) fn inline_bounds(
        &mut self,
        bounds: &ra::TypeBoundList,
        scope: &Scope,
    ) -> Vec<ast::QuantifiedInlineBound> {
        let mut out = Vec::new();
        for b in bounds.bounds() {
            let span = self.node_span(scope, &b);
            if b.question_mark_token().is_some() {
                if let Some(name) = bound_path(&b)
                    .and_then(|p| p.path())
                    .and_then(|p| p.segment())
                    .and_then(|s| s.name_ref())
                {
                    out.push(ast::QuantifiedInlineBound {
                        params: Vec::new(),
                        bound: ast::InlineBound::Relaxed(self.ident(scope, &name)),
                        span,
                    });
                }
                continue;
            }
            if let Some(lt) = b.lifetime() {
                out.push(ast::QuantifiedInlineBound {
                    params: Vec::new(),
                    bound: ast::InlineBound::Outlives(self.lifetime(&lt, scope)),
                    span,
                });
                continue;
            }
            let mut inner = scope.clone();
            let params = self.for_binder(b.for_binder(), &mut inner);
            let Some(path_ty) = bound_path(&b) else {
                self.unsupported(span, "this kind of bound");
                continue;
            };
            let Some(resolved) = self.trait_bound(&path_ty, &inner) else {
                continue;
            };
            let equalities = resolved.equalities;
            let mut bound = resolved.bound;
            if equalities.is_empty() || !bound.assoc_bounds.is_empty() {
                out.push(ast::QuantifiedInlineBound {
                    params: params.clone(),
                    bound: ast::InlineBound::Trait(bound.clone()),
                    span,
                });
            }
            bound.assoc_bounds.clear();
            for (name, args, value) in equalities {
                let mut trait_bound = bound.clone();
                if name.text == "Output"
                    && ["Fn", "FnMut"].contains(&bound.trait_name.text.as_str())
                {
                    trait_bound.trait_name.text = self
                        .prelude_trait("FnOnce")
                        .unwrap_or_else(|| "FnOnce".into());
                }
                out.push(ast::QuantifiedInlineBound {
                    params: params.clone(),
                    bound: ast::InlineBound::AliasEq(ast::AliasEqBound {
                        trait_bound,
                        name,
                        args,
                        value,
                    }),
                    span,
                });
            }
        }
        out
    }

    /// A trait path in a bound: `Send`, `Iterator<Item = u8>`,
    /// `HealthCheck<check(..): Send>`, `Fn(u8) -> bool`.
    pub(crate) fn trait_bound(
        &mut self,
        path_ty: &ra::PathType,
        scope: &Scope,
    ) -> Option<ResolvedTraitBound> {
        let path = path_ty.path()?;
        let span = self.node_span(scope, path_ty);
        let names = path_names(&path);
        let trait_name = match self.defs.resolve(scope.module, &names, true) {
            Ok(Def::Trait(t)) => self.defs.traits[t].flat.clone(),
            Ok(_) => {
                self.diags.push(
                    Diagnostic::error(
                        codes::RUST_NOT_A_TRAIT,
                        format!("expected trait, found type `{}`", names.join("::")),
                        span,
                    )
                    .with_label("not a trait")
                    .with_help("a bound names a trait; write the trait this type implements"),
                );
                return None;
            }
            Err(e) => {
                self.unresolved(&names, e, span, "trait");
                return None;
            }
        };
        let segment = path.segment()?;
        let trait_ident = ast::Ident {
            text: trait_name,
            span: segment
                .name_ref()
                .map_or(span, |n| self.node_span(scope, &n)),
        };
        let mut args = Vec::new();
        let mut assoc_bounds = Vec::new();
        let mut equalities = Vec::new();
        if let Some(list) = segment.parenthesized_arg_list() {
            // `Fn(A, B) -> R`
            let inputs: Vec<ast::Ty> = list
                .type_args()
                .map(|a| self.ty_or_error(a.ty(), scope, span))
                .collect();
            args.push(ast::GenericArg::Ty(ast::Ty {
                kind: ast::TyKind::Tuple(inputs),
                span,
            }));
            let output = segment
                .ret_type()
                .and_then(|r| r.ty())
                .map(|t| self.ty(&t, scope))
                .unwrap_or(ast::Ty {
                    kind: ast::TyKind::Tuple(Vec::new()),
                    span,
                });
            equalities.push((build::ident("Output", span), Vec::new(), output));
        }
        if let Some(list) = segment.generic_arg_list() {
            for arg in list.generic_args() {
                match arg {
                    ra::GenericArg::AssocTypeArg(a) => {
                        let Some(name) = a.name_ref() else { continue };
                        let name = self.ident(scope, &name);
                        let a_span = self.node_span(scope, &a);
                        let item_args = a
                            .generic_arg_list()
                            .map(|l| self.generic_args(&l, scope))
                            .unwrap_or_default();
                        if let Some(ty) = a.ty() {
                            equalities.push((name, item_args, self.ty(&ty, scope)));
                        } else if let Some(bounds) = a.type_bound_list() {
                            let style = if a.return_type_syntax().is_some() {
                                ast::RtnStyle::DotDot
                            } else if a.param_list().is_some() {
                                ast::RtnStyle::EmptyParens
                            } else {
                                ast::RtnStyle::Bare
                            };
                            assoc_bounds.push(ast::AssocItemBound {
                                name,
                                args: item_args,
                                style,
                                bounds: self.inline_bounds(&bounds, scope),
                                span: a_span,
                            });
                        } else {
                            self.unsupported(a_span, "this associated item argument");
                        }
                    }
                    other => args.push(self.generic_arg(&other, scope)),
                }
            }
        }
        Some(ResolvedTraitBound {
            bound: ast::TraitBound {
                trait_name: trait_ident,
                args,
                assoc_bounds,
                span,
            },
            equalities,
        })
    }

    /// The trait of an impl header (`impl Trait<A> for T`).
    pub(crate) fn trait_bound_of_type(
        &mut self,
        ty: &ra::Type,
        scope: &Scope,
    ) -> Option<ast::TraitBound> {
        let ra::Type::PathType(p) = ty else {
            let span = self.node_span(scope, ty);
            self.unsupported(span, "this trait in an impl header");
            return None;
        };
        let resolved = self.trait_bound(p, scope)?;
        if !resolved.equalities.is_empty() || !resolved.bound.assoc_bounds.is_empty() {
            let span = self.node_span(scope, ty);
            self.unsupported(span, "associated item bounds in an impl header");
        }
        Some(resolved.bound)
    }

    pub(crate) fn generic_args(
        &mut self,
        list: &ra::GenericArgList,
        scope: &Scope,
    ) -> Vec<ast::GenericArg> {
        list.generic_args()
            .filter_map(|a| match a {
                ra::GenericArg::AssocTypeArg(assoc) => {
                    let span = self.node_span(scope, &assoc);
                    self.unsupported(span, "an associated item argument outside a trait bound");
                    None
                }
                other => Some(self.generic_arg(&other, scope)),
            })
            .collect()
    }

    fn generic_arg(&mut self, arg: &ra::GenericArg, scope: &Scope) -> ast::GenericArg {
        let span = self.node_span(scope, arg);
        match arg {
            ra::GenericArg::TypeArg(t) => {
                ast::GenericArg::Ty(self.ty_or_error(t.ty(), scope, span))
            }
            ra::GenericArg::LifetimeArg(l) => match l.lifetime() {
                Some(lt) => ast::GenericArg::Lifetime(self.lifetime(&lt, scope)),
                None => ast::GenericArg::Ty(error_ty(span)),
            },
            ra::GenericArg::ConstArg(c) => {
                let text = c.syntax().text().to_string();
                match text.trim().replace('_', "").parse::<u32>() {
                    Ok(n) => ast::GenericArg::Const(ast::Const::Value(n, span)),
                    Err(_) => ast::GenericArg::Const(ast::Const::Name(ast::Ident {
                        text: text.trim().to_string(),
                        span,
                    })),
                }
            }
            ra::GenericArg::AssocTypeArg(_) => ast::GenericArg::Ty(error_ty(span)),
        }
    }

    pub(crate) fn lifetime(&mut self, lt: &ra::Lifetime, scope: &Scope) -> ast::Lifetime {
        let span = self.node_span(scope, lt);
        let text = lt.text().to_string();
        let name = text.trim_start_matches('\'');
        let kind = match name {
            "static" => ast::LifetimeKind::Static,
            // `'_` is elided: the elision rules name it.
            "_" => ast::LifetimeKind::Named(self.fresh_name("elided")),
            _ => {
                if !scope.params.iter().any(|(p, is_lt)| *is_lt && p == name) {
                    self.diags.push(
                        Diagnostic::error(
                            codes::RUST_UNKNOWN_NAME,
                            format!("use of undeclared lifetime name `'{name}`"),
                            span,
                        )
                        .with_label("undeclared lifetime")
                        .with_help(format!(
                            "declare it: `<'{name}>` on the item or `for<'{name}>` on the bound"
                        )),
                    );
                }
                ast::LifetimeKind::Named(name.to_string())
            }
        };
        ast::Lifetime { kind, span }
    }

    pub(crate) fn ty_or_error(
        &mut self,
        ty: Option<ra::Type>,
        scope: &Scope,
        span: Span,
    ) -> ast::Ty {
        match ty {
            Some(t) => self.ty(&t, scope),
            None => error_ty(span),
        }
    }

    pub(crate) fn ty(&mut self, ty: &ra::Type, scope: &Scope) -> ast::Ty {
        self.ty_in(ty, scope, false)
    }

    /// A type; `behind_ref` when it is the referent of a reference (where a
    /// `dyn` type's lifetime is elided rather than `'static`).
    fn ty_in(&mut self, ty: &ra::Type, scope: &Scope, behind_ref: bool) -> ast::Ty {
        let span = self.node_span(scope, ty);
        let kind = match ty {
            ra::Type::ParenType(p) => return self.ty_or_error(p.ty(), scope, span),
            ra::Type::PathType(p) => return self.path_type(p, scope),
            ra::Type::RefType(r) => {
                let mutability = if r.mut_token().is_some() {
                    ast::Mutability::Mut
                } else {
                    ast::Mutability::Not
                };
                // `&'_ T` is `&T`: the elision rules (desugaring's
                // `elided-lifetime-to-param`) name it, so in a return type it
                // is the receiver's lifetime, as in Rust.
                let lifetime = r
                    .lifetime()
                    .filter(|l| !is_elided(l))
                    .map(|l| self.lifetime(&l, scope));
                let inner = match r.ty() {
                    Some(t) => self.ty_in(&t, scope, true),
                    None => error_ty(span),
                };
                ast::TyKind::Ref(mutability, lifetime, Box::new(inner))
            }
            ra::Type::PtrType(p) => {
                let mutability = if p.mut_token().is_some() {
                    ast::Mutability::Mut
                } else {
                    ast::Mutability::Not
                };
                ast::TyKind::Raw(mutability, Box::new(self.ty_or_error(p.ty(), scope, span)))
            }
            ra::Type::TupleType(t) => {
                ast::TyKind::Tuple(t.fields().map(|f| self.ty(&f, scope)).collect())
            }
            ra::Type::SliceType(s) => {
                ast::TyKind::Slice(Box::new(self.ty_or_error(s.ty(), scope, span)))
            }
            ra::Type::ArrayType(a) => {
                let elem = self.ty_or_error(a.ty(), scope, span);
                let len = a
                    .const_arg()
                    .map(|c| c.syntax().text().to_string())
                    .and_then(|t| t.trim().replace('_', "").parse::<u32>().ok());
                match len {
                    Some(n) => ast::TyKind::Array(Box::new(elem), ast::Const::Value(n, span)),
                    None => {
                        self.unsupported(span, "an array length that is not a literal");
                        ast::TyKind::Error
                    }
                }
            }
            ra::Type::NeverType(_) => ast::TyKind::Never,
            ra::Type::DynTraitType(d) => {
                // `dyn Trait + '_` is elided like `&'_ T`.
                let elided = d.type_bound_list().is_some_and(|list| {
                    list.bounds()
                        .any(|b| b.lifetime().is_some_and(|l| is_elided(&l)))
                });
                let bounds = d
                    .type_bound_list()
                    .map(|b| self.inline_bounds(&b, scope))
                    .unwrap_or_default();
                let (lifetimes, bounds): (Vec<_>, Vec<_>) = bounds
                    .into_iter()
                    .partition(|b| matches!(b.bound, ast::InlineBound::Outlives(_)));
                let lifetime = match lifetimes.into_iter().next() {
                    _ if elided => None,
                    Some(ast::QuantifiedInlineBound {
                        bound: ast::InlineBound::Outlives(l),
                        ..
                    }) => Some(l),
                    // The default object lifetime: `'static`, or the
                    // reference's behind one (rule `rust-dyn-default-lifetime`).
                    _ if behind_ref => None,
                    _ => Some(ast::Lifetime {
                        kind: ast::LifetimeKind::Static,
                        span,
                    }),
                };
                ast::TyKind::Dyn { bounds, lifetime }
            }
            ra::Type::ImplTraitType(i) => ast::TyKind::ImplTrait(
                i.type_bound_list()
                    .map(|b| self.inline_bounds(&b, scope))
                    .unwrap_or_default(),
            ),
            ra::Type::FnPtrType(f) => {
                let argument_types = f
                    .param_list()
                    .map(|l| {
                        l.params()
                            .map(|p| self.ty_or_error(p.ty(), scope, span))
                            .collect()
                    })
                    .unwrap_or_default();
                let return_type = f
                    .ret_type()
                    .and_then(|r| r.ty())
                    .map(|t| self.ty(&t, scope))
                    .unwrap_or(ast::Ty {
                        kind: ast::TyKind::Tuple(Vec::new()),
                        span,
                    });
                ast::TyKind::FnPtr {
                    lifetimes: Vec::new(),
                    argument_types,
                    return_type: Box::new(return_type),
                    sig: ast::FnSig {
                        abi: ast::Abi::Rust,
                        is_unsafe: f.unsafe_token().is_some(),
                        variadic: false,
                    },
                }
            }
            ra::Type::ForType(f) => {
                let mut inner = scope.clone();
                let params = self.for_binder(f.for_binder(), &mut inner);
                let mut t = self.ty_or_error(f.ty(), &inner, span);
                if let ast::TyKind::FnPtr { lifetimes, .. } = &mut t.kind {
                    *lifetimes = params.into_iter().map(|p| p.name).collect();
                } else {
                    self.unsupported(span, "`for<..>` on a type that is not a fn pointer");
                }
                return t;
            }
            // In a body, `_` asks the body checker to infer the type.
            ra::Type::InferType(_) if scope.in_body => ast::TyKind::Name(ast::Ident {
                text: INFER.to_string(),
                span,
            }),
            ra::Type::InferType(_) => {
                self.diags.push(
                    Diagnostic::error(
                        codes::RUST_UNSUPPORTED,
                        "the placeholder `_` is not allowed within types on item signatures",
                        span,
                    )
                    .with_label("not allowed in type signatures")
                    .with_help("write the type"),
                );
                ast::TyKind::Error
            }
            ra::Type::MacroType(_) => {
                self.unsupported(span, "a macro in type position");
                ast::TyKind::Error
            }
            ra::Type::PatternType(_) => {
                self.unsupported(span, "a pattern type");
                ast::TyKind::Error
            }
        };
        ast::Ty { kind, span }
    }

    /// `T::m(..)` or `<T as Trait>::m(..)` as a where clause's subject.
    fn rtn_subject(&mut self, ty: &ra::Type, scope: &Scope) -> Option<ast::Rtn> {
        let ra::Type::PathType(p) = ty else {
            return None;
        };
        let path = p.path()?;
        let last = path.segment()?;
        let style = if last.return_type_syntax().is_some() {
            ast::RtnStyle::DotDot
        } else if last.parenthesized_arg_list().is_some() {
            ast::RtnStyle::EmptyParens
        } else {
            return None;
        };
        let qualifier = path.qualifier()?;
        let method = self.ident(scope, &last.name_ref()?);
        let args = last
            .generic_arg_list()
            .map(|l| self.generic_args(&l, scope))
            .unwrap_or_default();
        // `<T as Trait>::m(..)`
        if let Some(first) = qualifier.segment() {
            if let Some(ra_ap_syntax::ast::PathSegmentKind::Type {
                type_ref: Some(self_ty),
                trait_ref: Some(trait_path),
            }) = first.kind()
            {
                if qualifier.qualifier().is_none() {
                    let self_ty = self.ty(&self_ty, scope);
                    let bound = self.trait_bound(&trait_path, scope)?;
                    let span = self.node_span(scope, &trait_path);
                    return Some(ast::Rtn {
                        trait_ref: Some(build::trait_ref(
                            &bound.bound.trait_name,
                            self_ty.clone(),
                            &bound.bound.args,
                            span,
                        )),
                        self_ty,
                        method,
                        args,
                        style,
                    });
                }
            }
        }
        let self_ty = self.path_type_of(&qualifier, scope);
        Some(ast::Rtn {
            self_ty,
            trait_ref: None,
            method,
            args,
            style,
        })
    }

    pub(crate) fn path_type(&mut self, p: &ra::PathType, scope: &Scope) -> ast::Ty {
        let span = self.node_span(scope, p);
        match p.path() {
            Some(path) => self.path_type_of(&path, scope),
            None => error_ty(span),
        }
    }

    /// A path in type position.
    pub(crate) fn path_type_of(&mut self, path: &ra::Path, scope: &Scope) -> ast::Ty {
        let span = self.node_span(scope, path);
        let Some(last) = path.segment() else {
            return error_ty(span);
        };
        if last.return_type_syntax().is_some() {
            self.diags.push(
                Diagnostic::error(
                    codes::RUST_UNSUPPORTED,
                    "return type notation not allowed in this position yet",
                    span,
                )
                .with_label("only allowed as the subject of a bound")
                .with_help("write the bound `T::m(..): Trait` in a where clause instead"),
            );
            return error_ty(span);
        }
        let args = last
            .generic_arg_list()
            .map(|l| self.generic_args(&l, scope))
            .unwrap_or_default();
        // `<T as Trait>::Name`
        if let Some(qualifier) = path.qualifier() {
            if let Some(first) = qualifier.segment() {
                if let Some(ra_ap_syntax::ast::PathSegmentKind::Type {
                    type_ref,
                    trait_ref,
                }) = first.kind()
                {
                    if qualifier.qualifier().is_none() {
                        let name = match last.name_ref() {
                            Some(n) => self.ident(scope, &n),
                            None => return error_ty(span),
                        };
                        let self_ty = self.ty_or_error(type_ref, scope, span);
                        let kind = match trait_ref.and_then(|t| self.trait_bound(&t, scope)) {
                            Some(bound) => ast::TyKind::Projection(ast::ProjectionTy {
                                trait_ref: build::trait_ref(
                                    &bound.bound.trait_name,
                                    self_ty,
                                    &bound.bound.args,
                                    span,
                                ),
                                name,
                                args,
                            }),
                            None => ast::TyKind::ShorthandProjection {
                                self_ty: Box::new(self_ty),
                                name,
                                args,
                            },
                        };
                        return ast::Ty { kind, span };
                    }
                }
            }
        }
        let names = path_names(path);
        if let [single] = names.as_slice() {
            if scope.params.iter().any(|(p, is_lt)| !is_lt && p == single) {
                return build::name_ty(single.clone(), span);
            }
            if single == "Self" {
                if let Some(t) = &scope.self_ty {
                    return ast::Ty { span, ..t.clone() };
                }
            }
            if let Some(kind) = scalar(single) {
                if self.defs.resolve(scope.module, &names, true).is_err() {
                    return ast::Ty { kind, span };
                }
            }
        }
        // `T::Name` / `Self::Name`: a shorthand projection.
        if let [first, name] = names.as_slice() {
            let first_is_param = scope.params.iter().any(|(p, is_lt)| !is_lt && p == first);
            if first_is_param || (first == "Self" && scope.self_ty.is_some()) {
                let self_ty = if first == "Self" {
                    scope.self_ty.clone().unwrap_or_else(|| error_ty(span))
                } else {
                    build::name_ty(first.clone(), span)
                };
                let name_span = last.name_ref().map_or(span, |n| self.node_span(scope, &n));
                return ast::Ty {
                    kind: ast::TyKind::ShorthandProjection {
                        self_ty: Box::new(self_ty),
                        name: build::ident(name.clone(), name_span),
                        args,
                    },
                    span,
                };
            }
        }
        match self.defs.resolve(scope.module, &names, true) {
            Ok(Def::Adt(id)) => {
                let name = build::ident(self.defs.adts[id].flat.clone(), span);
                let kind = if args.is_empty() {
                    ast::TyKind::Name(name)
                } else {
                    ast::TyKind::Apply(name, args)
                };
                ast::Ty { kind, span }
            }
            Ok(Def::Alias(id)) => self.expand_alias(id, args, span),
            Ok(Def::Trait(t)) => {
                let name = self.defs.traits[t].name.clone();
                self.diags.push(
                    Diagnostic::error(
                        codes::RUST_NOT_A_TYPE,
                        format!("expected a type, found trait `{name}`"),
                        span,
                    )
                    .with_label("a trait, not a type")
                    .with_help(format!("write `dyn {name}` for a trait object, or `impl {name}` for an anonymous type")),
                );
                error_ty(span)
            }
            Ok(_) => {
                self.diags.push(
                    Diagnostic::error(
                        codes::RUST_NOT_A_TYPE,
                        format!("expected a type, found `{}`", names.join("::")),
                        span,
                    )
                    .with_label("not a type"),
                );
                error_ty(span)
            }
            Err(e) => {
                self.unresolved(&names, e, span, "type");
                error_ty(span)
            }
        }
    }

    /// A type alias, with its parameters replaced by `args`.
    fn expand_alias(&mut self, id: usize, args: Vec<ast::GenericArg>, span: Span) -> ast::Ty {
        if self.expanding.contains(&id) {
            self.diags.push(
                Diagnostic::error(
                    codes::RUST_UNSUPPORTED,
                    format!("type alias `{}` refers to itself", self.defs.aliases[id].0),
                    span,
                )
                .with_label("cycle in a type alias"),
            );
            return error_ty(span);
        }
        let Some((node, alias_scope)) = self.alias_nodes.get(id).cloned() else {
            return error_ty(span);
        };
        self.expanding.push(id);
        let mut inner = alias_scope;
        let (params, _) = self.generics(node.generic_param_list(), &mut inner);
        let ty = self.ty_or_error(node.ty(), &inner, span);
        self.expanding.pop();
        let map: Vec<(String, ast::Ty)> = params
            .iter()
            .zip(args)
            .filter_map(|(p, a)| match a {
                ast::GenericArg::Ty(t) => Some((p.name.text.clone(), t)),
                _ => None,
            })
            .collect();
        let mut out = build::substituted_ty(&ty, &map);
        out.span = span;
        out
    }

    /// Reports a path that names nothing, saying how to declare it.
    pub(crate) fn unresolved(
        &mut self,
        names: &[String],
        error: ResolveError,
        span: Span,
        what: &str,
    ) {
        let path = names.join("::");
        let (message, help) = match error {
            ResolveError::Unknown(segment) if names.len() > 1 && self.chalk_file => (
                format!("cannot find `{segment}` in `{path}`"),
                "a body in a `.chalk` file has no modules: name the file's items and the prelude's directly".to_string(),
            ),
            ResolveError::Unknown(segment) if names.len() > 1 => (
                format!("cannot find `{segment}` in `{path}`"),
                format!(
                    "chalkboard's model of the standard library (`chalkboard prelude --rust`) has no `{path}`; declare it in the file, e.g. `mod {} {{ .. }}` with the item inside",
                    names[0]
                ),
            ),
            ResolveError::Unknown(_) => (
                format!("cannot find {what} `{path}` in this scope"),
                self.declare_help(&path),
            ),
            ResolveError::NotAModule(segment) => (
                format!("`{segment}` is not a module, so `{path}` names nothing"),
                "check the path".to_string(),
            ),
        };
        self.diags.push(
            Diagnostic::error(codes::RUST_UNKNOWN_NAME, message, span)
                .with_label("not found")
                .with_help(help),
        );
    }
}

/// The path of a trait bound (`Trait<..>`, or the type of `for<'a> Trait`).
fn bound_path(b: &ra::TypeBound) -> Option<ra::PathType> {
    if let Some(ra::Type::PathType(p)) = b.ty() {
        return Some(p);
    }
    b.syntax().children().find_map(ra::PathType::cast)
}

pub(crate) fn error_ty(span: Span) -> ast::Ty {
    ast::Ty {
        kind: ast::TyKind::Error,
        span,
    }
}

#[allow(dead_code)]
fn _unused(x: &ra::TypeAlias) -> Option<ra::Name> {
    x.name()
}

/// `'_`: a lifetime left to the elision rules.
fn is_elided(lt: &ra::Lifetime) -> bool {
    lt.text() == "'_"
}
