//! The items a file's bodies give the program (rule [`body-future-struct`](crate::rules::BODY_FUTURE_STRUCT)):
//! each future becomes a struct holding what the future holds, with its
//! `Future` impl, and each closure a chalk closure with its upvars. The
//! placeholders the checker used (`#fut3<..>`) are replaced by the items,
//! each applied to only the parameters its contents mention (a future that
//! holds nothing borrowed has no lifetime, so it may be `'static`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::build;
use chalkboard_syntax::visit::{self, VisitMut};

use super::infer::{placeholder_of, Cx, OpaqueInfo};
use super::oracle::BODY_LIFETIME;
use super::{BodyFacts, HeldReport, HeldWhy};
use crate::rules;

/// The parameters a type mentions (type and lifetime names), reading a
/// placeholder's arguments only at the positions its item keeps.
fn mentioned(ty: &ast::Ty, kept: &HashMap<String, Vec<bool>>, out: &mut BTreeSet<String>) {
    use ast::TyKind as T;
    let args = |args: &[ast::GenericArg], keep: Option<&Vec<bool>>, out: &mut BTreeSet<String>| {
        for (i, a) in args.iter().enumerate() {
            if keep.is_some_and(|k| !k.get(i).copied().unwrap_or(false)) {
                continue;
            }
            match a {
                ast::GenericArg::Ty(t) => mentioned(t, kept, out),
                ast::GenericArg::Lifetime(l) => {
                    if let ast::LifetimeKind::Named(n) = &l.kind {
                        out.insert(format!("'{n}"));
                    }
                }
                ast::GenericArg::Const(ast::Const::Name(n)) => {
                    out.insert(n.text.clone());
                }
                ast::GenericArg::Const(_) => {}
            }
        }
    };
    match &ty.kind {
        T::Name(n) => {
            out.insert(n.text.clone());
        }
        T::Apply(n, a) => args(a, kept.get(&n.text), out),
        T::Ref(_, l, t) => {
            if let Some(ast::Lifetime {
                kind: ast::LifetimeKind::Named(n),
                ..
            }) = l
            {
                out.insert(format!("'{n}"));
            }
            mentioned(t, kept, out);
        }
        T::Raw(_, t) | T::Slice(t) | T::Array(t, _) => mentioned(t, kept, out),
        T::Tuple(ts) => {
            for t in ts {
                mentioned(t, kept, out);
            }
        }
        T::Projection(p) => {
            args(&p.trait_ref.args, None, out);
            args(&p.args, None, out);
        }
        T::FnPtr {
            argument_types,
            return_type,
            ..
        } => {
            for t in argument_types {
                mentioned(t, kept, out);
            }
            mentioned(return_type, kept, out);
        }
        T::Dyn { lifetime, .. } => {
            if let Some(ast::Lifetime {
                kind: ast::LifetimeKind::Named(n),
                ..
            }) = lifetime
            {
                out.insert(format!("'{n}"));
            }
            out.insert(chalkboard_syntax::print::print_ty(ty));
        }
        _ => {}
    }
}

fn param_key(p: &ast::VariableKind) -> String {
    match p.kind {
        ast::ParamKind::Lifetime => format!("'{}", p.name.text),
        _ => p.name.text.clone(),
    }
}

/// Replaces every placeholder by its item, applied to the kept arguments.
struct Replace<'m> {
    names: &'m HashMap<String, (String, Vec<bool>)>,
}

impl VisitMut for Replace<'_> {
    fn ty(&mut self, ty: &mut ast::Ty) {
        visit::walk_ty(self, ty);
        if placeholder_of(ty).is_none() {
            return;
        }
        let (ast::TyKind::Name(n) | ast::TyKind::Apply(n, _)) = &ty.kind else {
            return;
        };
        let Some((name, keep)) = self.names.get(&n.text) else {
            return;
        };
        let args: Vec<ast::GenericArg> = match &ty.kind {
            ast::TyKind::Apply(_, args) => args
                .iter()
                .zip(keep)
                .filter(|(_, k)| **k)
                .map(|(a, _)| a.clone())
                .collect(),
            _ => Vec::new(),
        };
        let ident = build::ident(name.clone(), n.span);
        ty.kind = if args.is_empty() {
            ast::TyKind::Name(ident)
        } else {
            ast::TyKind::Apply(ident, args)
        };
    }
}

fn replaced(ty: &ast::Ty, names: &HashMap<String, (String, Vec<bool>)>) -> ast::Ty {
    let mut ty = ty.clone();
    Replace { names }.ty(&mut ty);
    ty
}

pub fn finish(cx: Cx<'_>) -> BodyFacts {
    let mut facts = BodyFacts {
        diagnostics: cx.diagnostics,
        functions: cx.functions,
        ..BodyFacts::default()
    };
    // Which parameters each generated item keeps: those its contents
    // mention, to a fixed point (an item holding another mentions what
    // the other keeps).
    let mut kept: HashMap<String, Vec<bool>> = HashMap::new();
    for f in &cx.futures {
        kept.insert(f.placeholder.clone(), vec![false; f.env.params.len()]);
    }
    for c in &cx.closures {
        kept.insert(c.placeholder.clone(), vec![false; c.env.params.len()]);
    }
    loop {
        let mut changed = false;
        let contents: Vec<(String, Vec<ast::VariableKind>, Vec<ast::Ty>)> = cx
            .futures
            .iter()
            .filter(|f| f.existing.is_none())
            .map(|f| {
                let mut tys: Vec<ast::Ty> = f.fields.iter().map(|(_, t, _)| t.clone()).collect();
                tys.push(f.output.clone());
                (f.placeholder.clone(), f.env.params.clone(), tys)
            })
            .chain(cx.closures.iter().map(|c| {
                let mut tys = c.params.clone();
                tys.push(c.ret.clone());
                tys.extend(c.upvars.iter().cloned());
                (c.placeholder.clone(), c.env.params.clone(), tys)
            }))
            .collect();
        for (placeholder, params, tys) in contents {
            let mut names = BTreeSet::new();
            for t in &tys {
                mentioned(t, &kept, &mut names);
            }
            let keep: Vec<bool> = params
                .iter()
                .map(|p| names.contains(&param_key(p)))
                .collect();
            if kept.get(&placeholder) != Some(&keep) {
                kept.insert(placeholder, keep);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let names: HashMap<String, (String, Vec<bool>)> = cx
        .futures
        .iter()
        .map(|f| {
            (
                f.placeholder.clone(),
                (f.name.clone(), kept[&f.placeholder].clone()),
            )
        })
        .chain(cx.closures.iter().map(|c| {
            (
                c.placeholder.clone(),
                (c.name.clone(), kept[&c.placeholder].clone()),
            )
        }))
        // An opaque type keeps every parameter of its function, as a
        // return-position `impl Trait` captures them in Rust 2024.
        .chain(cx.opaques.iter().map(|o| {
            (
                o.placeholder.clone(),
                (o.name.clone(), vec![true; o.env.params.len()]),
            )
        }))
        .collect();
    for o in &cx.opaques {
        let hidden = o.hidden.as_ref().map(|h| replaced(h, &names));
        facts.items.extend(opaque_items(
            o,
            &o.name,
            hidden.as_ref(),
            &cx.items.traits,
            Some(rules::BODY_OPAQUE_RETURN),
        ));
        facts.shown.push((o.name.clone(), o.shown.clone()));
    }
    let future_trait = build::ident("Future", Span::default());
    for f in &cx.futures {
        let fields: Vec<ast::Field> = f
            .fields
            .iter()
            .enumerate()
            .filter(|(_, (_, ty, _))| !mentions_var(ty))
            .map(|(i, (name, ty, why))| ast::Field {
                name: build::ident(field_name(name, i), held_span(why)),
                ty: replaced(ty, &names),
            })
            .collect();
        for (i, (name, ty, why)) in f.fields.iter().enumerate() {
            if mentions_var(ty) {
                continue;
            }
            // The field as the printed program names it: an impl's `async
            // fn` future has its arguments from desugaring, under their own
            // names, and the held values the checker adds after them.
            let field = match (&f.existing, why) {
                (None, _) => field_name(name, i),
                (Some(_), HeldWhy::Argument { .. }) => name.clone(),
                (Some(_), _) => format!("held_{}", field_name(name, i)),
            };
            facts.held.push(HeldReport {
                future: f.name.clone(),
                field,
                ty: replaced(ty, &names),
                why: why.clone(),
            });
        }
        if let Some(existing) = &f.existing {
            // An impl's `async fn`: desugaring generated the struct with
            // the arguments; add what the body holds, with the body's
            // lifetime as the struct's first (the receiver's).
            let first_lifetime = cx
                .items
                .adts
                .get(existing.as_str())
                .and_then(|a| a.params.iter().find(|p| p.kind == ast::ParamKind::Lifetime))
                .map(|p| p.name.text.clone());
            let mut subst = super::items::Subst::default();
            subst.lifetimes.insert(
                BODY_LIFETIME.to_string(),
                ast::Lifetime {
                    kind: match &first_lifetime {
                        Some(n) => ast::LifetimeKind::Named(n.clone()),
                        None => ast::LifetimeKind::Static,
                    },
                    span: f.span,
                },
            );
            let held: Vec<ast::Field> = f
                .fields
                .iter()
                .enumerate()
                .filter(|(_, (_, ty, why))| {
                    !matches!(why, HeldWhy::Argument { .. }) && !mentions_var(ty)
                })
                .map(|(i, (name, ty, why))| ast::Field {
                    // The field is named where the body makes the future
                    // hold it, so that a diagnostic about the field (the
                    // designs' "the future holds .. across an await")
                    // points at that line, as it points at a `holds` line.
                    name: build::ident(format!("held_{}", field_name(name, i)), held_span(why)),
                    ty: subst.apply(&replaced(ty, &names)),
                })
                .collect();
            facts.held_fields.push((existing.clone(), held));
            continue;
        }
        let keep = &kept[&f.placeholder];
        let params: Vec<ast::VariableKind> = f
            .env
            .params
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| p.clone())
            .collect();
        let self_ty = ast::Ty {
            kind: if params.is_empty() {
                ast::TyKind::Name(build::ident(f.name.clone(), f.span))
            } else {
                ast::TyKind::Apply(
                    build::ident(f.name.clone(), f.span),
                    params.iter().map(build::param_as_arg).collect(),
                )
            },
            span: f.span,
        };
        facts.items.push(ast::Item::Adt(Arc::new(ast::AdtDefn {
            kind: ast::AdtKind::Struct,
            name: build::ident(f.name.clone(), f.span),
            params: params.clone(),
            where_clauses: Vec::new(),
            variants: vec![ast::Variant {
                name: build::ident(f.name.clone(), f.span),
                fields,
            }],
            flags: ast::AdtFlags {
                generated_by: Some(rules::BODY_FUTURE_STRUCT),
                ..ast::AdtFlags::default()
            },
            repr: ast::AdtRepr::default(),
            variances: None,
            span: f.span,
        })));
        facts.items.push(ast::Item::Impl(Arc::new(ast::ImplDefn {
            params,
            trait_ref: build::trait_ref(&future_trait, self_ty, &[], f.span),
            polarity: ast::Polarity::Positive,
            where_clauses: Vec::new(),
            assoc_ty_values: vec![ast::AssocTyValue {
                name: build::ident("Output", f.span),
                params: Vec::new(),
                value: replaced(&f.output, &names),
                default: false,
                span: f.span,
            }],
            methods: Vec::new(),
            upstream: false,
            generated_by: Some(rules::BODY_FUTURE_STRUCT),
            span: f.span,
        })));
    }
    for f in &cx.futures {
        let shown = if f.name.contains("_block") {
            "{async block}".to_string()
        } else {
            format!(
                "impl Future<Output = {}>",
                chalkboard_syntax::print::print_ty(&replaced(&f.output, &names))
            )
        };
        facts.shown.push((f.name.clone(), shown));
    }
    facts
        .shown
        .extend(cx.items.rust.impl_params.iter().cloned());
    for c in &cx.closures {
        let keep = &kept[&c.placeholder];
        let params: Vec<ast::VariableKind> = c
            .env
            .params
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| p.clone())
            .collect();
        facts
            .items
            .push(ast::Item::Closure(Arc::new(ast::ClosureDefn {
                name: build::ident(c.name.clone(), c.span),
                kind: c.kind,
                params,
                argument_types: c.params.iter().map(|t| replaced(t, &names)).collect(),
                return_type: replaced(&c.ret, &names),
                upvars: c.upvars.iter().map(|t| replaced(t, &names)).collect(),
                span: c.span,
            })));
    }
    for mut o in cx.obligations {
        let mut wc = ast::QuantifiedWhereClause {
            params: Vec::new(),
            where_clause: o.where_clause,
            span: o.span,
        };
        visit::walk_quantified_where_clause(&mut Replace { names: &names }, &mut wc);
        o.where_clause = wc.where_clause;
        let mut goal = o.goal;
        Replace { names: &names }.goal(&mut goal);
        o.goal = goal;
        facts.obligations.push(o);
    }
    facts
}

/// The items of an opaque return type (rule [`body-opaque-return`](crate::rules::BODY_OPAQUE_RETURN)),
/// named `name`: a struct over the function's parameters that holds the
/// hidden type, so its auto traits are the hidden type's (they leak, as in
/// Rust), and an impl of each other trait of its bounds whose associated
/// types are the hidden type's (or, before the body is checked, those the
/// bounds state).
pub(super) fn opaque_items(
    o: &OpaqueInfo,
    name: &str,
    hidden: Option<&ast::Ty>,
    traits: &HashMap<&str, &ast::TraitDefn>,
    generated_by: Option<chalkboard_syntax::registry::Rule>,
) -> Vec<ast::Item> {
    let span = o.span;
    let ident = build::ident(name, span);
    let args: Vec<ast::GenericArg> = o.env.params.iter().map(build::param_as_arg).collect();
    let self_ty = ast::Ty {
        kind: if args.is_empty() {
            ast::TyKind::Name(ident.clone())
        } else {
            ast::TyKind::Apply(ident.clone(), args)
        },
        span,
    };
    let mut items = vec![ast::Item::Adt(Arc::new(ast::AdtDefn {
        kind: ast::AdtKind::Struct,
        name: ident.clone(),
        params: o.env.params.clone(),
        where_clauses: Vec::new(),
        variants: vec![ast::Variant {
            name: ident,
            fields: hidden
                .map(|h| ast::Field {
                    name: build::ident("hidden", span),
                    ty: h.clone(),
                })
                .into_iter()
                .collect(),
        }],
        flags: ast::AdtFlags {
            generated_by,
            ..ast::AdtFlags::default()
        },
        repr: ast::AdtRepr::default(),
        variances: None,
        span,
    }))];
    let is_opaque = |t: &ast::GenericArg| matches!(t, ast::GenericArg::Ty(ast::Ty { kind: ast::TyKind::Name(n), .. }) if n.text == chalkboard_syntax::rust::OPAQUE_SELF);
    for wc in &o.bounds {
        let ast::WhereClause::Implemented(tr) = &wc.where_clause else {
            continue;
        };
        if !wc.params.is_empty() || !tr.args.first().is_some_and(is_opaque) {
            continue;
        }
        let Some(defn) = traits.get(tr.trait_name.text.as_str()) else {
            continue;
        };
        // Auto traits leak through the field; `Sized` is the struct's own.
        if defn.flags.auto || defn.well_known.is_some() && defn.name.text == "Sized" {
            continue;
        }
        let mut values = Vec::new();
        for a in &defn.assoc_ty_defns {
            let stated = o.bounds.iter().find_map(|w| match &w.where_clause {
                ast::WhereClause::AliasEq { projection, ty }
                    if w.params.is_empty()
                        && projection.name.text == a.name.text
                        && projection.trait_ref.trait_name.text == tr.trait_name.text =>
                {
                    Some(ty.clone())
                }
                _ => None,
            });
            let value = match (hidden, stated) {
                (Some(h), _) => {
                    let mut trait_ref = tr.clone();
                    trait_ref.args[0] = ast::GenericArg::Ty(h.clone());
                    ast::Ty {
                        kind: ast::TyKind::Projection(ast::ProjectionTy {
                            trait_ref,
                            name: a.name.clone(),
                            args: a.params.iter().map(build::param_as_arg).collect(),
                        }),
                        span,
                    }
                }
                (None, Some(t)) => t,
                (None, None) => {
                    values.clear();
                    break;
                }
            };
            values.push(ast::AssocTyValue {
                name: a.name.clone(),
                params: a.params.clone(),
                value,
                default: false,
                span,
            });
        }
        if values.len() != defn.assoc_ty_defns.len() {
            continue;
        }
        let mut trait_ref = tr.clone();
        trait_ref.args[0] = ast::GenericArg::Ty(self_ty.clone());
        items.push(ast::Item::Impl(Arc::new(ast::ImplDefn {
            params: o.env.params.clone(),
            trait_ref,
            polarity: ast::Polarity::Positive,
            where_clauses: o.env.where_clauses.clone(),
            assoc_ty_values: values,
            methods: Vec::new(),
            upstream: false,
            generated_by,
            span,
        })));
    }
    items
}

/// Whether a held type still has an inference variable: its body did not
/// type-check (an unknown method, say), which is reported as the body's
/// error, so the value is left out of the future rather than giving the
/// program a type that names nothing.
fn mentions_var(ty: &ast::Ty) -> bool {
    let mut found = false;
    super::table::visit_types(ty, &mut |t| {
        if super::table::var_of(t).is_some() {
            found = true;
        }
    });
    found
}

/// Where a held value is held, for the span of its field (an explanation
/// that blames the field points there): the binding, the capture, the
/// temporary, or the `.await` of an awaited future.
fn held_span(why: &HeldWhy) -> Span {
    match why {
        HeldWhy::Argument { span }
        | HeldWhy::Captured { span, .. }
        | HeldWhy::Temporary { span, .. }
        | HeldWhy::Awaited { span, .. } => *span,
        HeldWhy::Binding { binding, .. } => *binding,
    }
}

/// A field's name: a Rust identifier, unique in its struct.
fn field_name(name: &str, index: usize) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() || clean.starts_with(|c: char| c.is_ascii_digit()) {
        format!("f{index}_{clean}")
    } else {
        format!("{clean}_{index}")
    }
}
