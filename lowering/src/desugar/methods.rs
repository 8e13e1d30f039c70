//! The rules on methods: `elided-lifetime-to-param`,
//! `async-fn-to-impl-future`, `impl-trait-to-gat`,
//! `impl-async-fn-to-future-struct`, `impl-fn-hidden-type` and
//! `plain-method-dropped`.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{Sink, Traits};
use crate::rules;
use chalkboard_syntax::ast::*;
use chalkboard_syntax::build::{ident, param_as_arg};
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::visit::{open_mut, walk_method_sig, walk_ty, VisitMut};

/// Step 1 on every trait and impl.
pub(crate) fn async_step(file: &mut File, sink: &mut Sink) {
    let total = file.items.len();
    for (done, item) in file.items.iter_mut().enumerate() {
        super::checkpoint(done, total, item.span());
        // Rule items-shared: only an item with methods is opened (copied
        // when another tree shares it).
        match item {
            Item::Trait(t) if !t.methods.is_empty() => {
                let t = open_mut(t);
                for m in &mut t.methods {
                    elided_lifetimes(&mut m.sig, &t.params, sink);
                    if m.sig.is_async {
                        sink.applied(
                            rules::ASYNC_FN_TO_IMPL_FUTURE,
                            m.sig.span,
                            m.sig.name.text.clone(),
                        );
                    }
                    async_fn_to_impl_future(&mut m.sig);
                }
            }
            Item::Impl(i) if !i.methods.is_empty() => {
                let i = open_mut(i);
                for m in &mut i.methods {
                    elided_lifetimes(&mut m.sig, &i.params, sink);
                }
            }
            _ => {}
        }
        sink.item_done(1);
    }
}

/// An `async fn` returns a `Future`, so the program must have that trait;
/// without it, say so once, at the first `async fn`, with the fix (lowering
/// would only report an unknown trait at a place the user did not write it).
pub(crate) fn require_future_trait(file: &File, sink: &mut Sink) {
    let has_future = file
        .items
        .iter()
        .any(|i| matches!(i, Item::Trait(t) if t.name.text == "Future"));
    if has_future {
        return;
    }
    let first_async = file.items.iter().find_map(|i| match i {
        Item::Trait(t) => t.methods.iter().map(|m| &m.sig).find(|s| s.is_async),
        Item::Impl(d) => d.methods.iter().map(|m| &m.sig).find(|s| s.is_async),
        _ => None,
    });
    if let Some(sig) = first_async {
        sink.diags.push(
            Diagnostic::error(
                crate::codes::MISSING_FUTURE_TRAIT,
                "`async fn` needs a trait named `Future`",
                sig.span,
            )
            .with_label("this method returns a `Future`")
            .with_help(
                "add `use prelude::*;`, or declare `#[lang(future)] trait Future { type Output; }`",
            ),
        );
    }
}

/// Applies rule [`elided-lifetime-to-param`](crate::rules::ELIDED_LIFETIME_TO_PARAM) and records it when it named a
/// lifetime.
fn elided_lifetimes(sig: &mut MethodSig, outer: &[VariableKind], sink: &mut Sink) {
    let before = sig.params.len();
    elided_lifetime_to_param(sig, outer);
    if sig.params.len() != before {
        sink.applied(
            rules::ELIDED_LIFETIME_TO_PARAM,
            sig.span,
            sig.name.text.clone(),
        );
    }
}

/// Rule [`elided-lifetime-to-param`](crate::rules::ELIDED_LIFETIME_TO_PARAM): every elided lifetime in a method
/// signature (`&self`, `&Server`, `dyn Trait` without a lifetime) becomes a
/// fresh lifetime parameter of the method, as in Rust; an elided lifetime in
/// the return type is the receiver's, as Rust's elision rules say. The fresh
/// parameters come after the written lifetime parameters and before the type
/// parameters, and are named `'a`, `'b`, ... skipping names already in use.
/// A named lifetime that nothing declares (`&'a self` in `fn m(&'a self)`)
/// becomes a parameter too, ahead of the fresh ones, so that the issue's
/// `&'a self` receivers need no `<'a>`.
fn elided_lifetime_to_param(sig: &mut MethodSig, outer: &[VariableKind]) {
    let mut taken: BTreeSet<String> = outer
        .iter()
        .chain(sig.params.iter())
        .map(|p| p.name.text.clone())
        .collect();
    let mut used = NamesUsed::default();
    walk_method_sig(&mut used, sig);
    taken.extend(used.0);
    let mut fresh = Fresh {
        taken,
        made: Vec::new(),
        span: sig.name.span,
    };
    let receiver_lifetime = match &mut sig.receiver {
        Receiver::Ref(_, l) => {
            if l.is_none() {
                *l = Some(fresh.next());
            }
            l.clone()
        }
        _ => None,
    };
    for (_, ty) in &mut sig.arguments {
        fresh.ty(ty);
    }
    if let Some(ret) = &mut sig.return_type {
        let mut in_return = ReturnElision {
            lifetime: receiver_lifetime,
            fresh: &mut fresh,
        };
        in_return.ty(ret);
    }
    // The parameters are taken out of the signature while the walk below
    // reads the rest of it: the walk changes nothing, and a copy of the
    // signature to walk cost more than the rule.
    let mut params = std::mem::take(&mut sig.params);
    let position = params
        .iter()
        .take_while(|p| p.kind == ParamKind::Lifetime)
        .count();
    let declared: BTreeSet<&str> = outer
        .iter()
        .chain(params.iter())
        .map(|p| p.name.text.as_str())
        .chain(fresh.made.iter().filter_map(|l| match &l.kind {
            LifetimeKind::Named(n) => Some(n.as_str()),
            _ => None,
        }))
        .collect();
    let mut undeclared = UndeclaredLifetimes {
        declared,
        found: Vec::new(),
    };
    if let Receiver::Ref(_, Some(l)) = &mut sig.receiver {
        undeclared.lifetime(l);
    }
    for (_, ty) in &mut sig.arguments {
        undeclared.ty(ty);
    }
    if let Some(ret) = &mut sig.return_type {
        undeclared.ty(ret);
    }
    let made: Vec<VariableKind> = undeclared
        .found
        .iter()
        .chain(&fresh.made)
        .map(|l| VariableKind {
            kind: ParamKind::Lifetime,
            name: ident(lifetime_name(l), l.span),
        })
        .collect();
    params.splice(position..position, made);
    sig.params = params;
}

fn lifetime_name(l: &Lifetime) -> String {
    match &l.kind {
        LifetimeKind::Named(n) => n.clone(),
        LifetimeKind::Static => "static".to_string(),
        LifetimeKind::Erased => "_".to_string(),
    }
}

/// Collects, in order of first use, the named lifetimes that no enclosing
/// item or the method itself declares.
struct UndeclaredLifetimes<'d> {
    declared: BTreeSet<&'d str>,
    found: Vec<Lifetime>,
}

impl VisitMut for UndeclaredLifetimes<'_> {
    fn lifetime(&mut self, l: &mut Lifetime) {
        if let LifetimeKind::Named(n) = &l.kind {
            let new =
                !self.declared.contains(n.as_str()) && !self.found.iter().any(|f| f.kind == l.kind);
            if new {
                self.found.push(l.clone());
            }
        }
    }
}

/// Collects the names of lifetimes and types written in a node, and of the
/// parameters declared in it: a name the desugaring invents must be none of
/// these (hygiene). It only reads the nodes it walks, so it walks them in
/// place, not a copy.
#[derive(Default)]
pub(crate) struct NamesUsed(pub(crate) BTreeSet<String>);

impl VisitMut for NamesUsed {
    fn params(&mut self, params: &mut [VariableKind]) {
        self.0.extend(params.iter().map(|p| p.name.text.clone()));
    }
    fn ty(&mut self, ty: &mut Ty) {
        if let TyKind::Name(n) | TyKind::Apply(n, _) = &ty.kind {
            self.0.insert(n.text.clone());
        }
        walk_ty(self, ty);
    }
    fn lifetime(&mut self, l: &mut Lifetime) {
        if let LifetimeKind::Named(n) = &l.kind {
            self.0.insert(n.clone());
        }
    }
}

/// Hands out fresh lifetimes for the elided ones in argument types.
struct Fresh {
    taken: BTreeSet<String>,
    made: Vec<Lifetime>,
    span: Span,
}

impl Fresh {
    fn next(&mut self) -> Lifetime {
        let mut n = 0usize;
        let name = loop {
            let letter = (b'a' + (n % 26) as u8) as char;
            let candidate = if n < 26 {
                letter.to_string()
            } else {
                format!("{letter}{}", n / 26)
            };
            if !self.taken.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        self.taken.insert(name.clone());
        let l = Lifetime {
            kind: LifetimeKind::Named(name),
            span: self.span,
        };
        self.made.push(l.clone());
        l
    }
}

impl VisitMut for Fresh {
    fn ty(&mut self, ty: &mut Ty) {
        match &mut ty.kind {
            TyKind::Ref(_, l @ None, _) => *l = Some(self.next()),
            TyKind::Dyn { lifetime, .. } if lifetime.is_none() => *lifetime = Some(self.next()),
            _ => {}
        }
        walk_ty(self, ty);
    }
}

/// The return type's elided lifetimes: the receiver's lifetime if there is
/// one, a fresh one otherwise.
struct ReturnElision<'f> {
    lifetime: Option<Lifetime>,
    fresh: &'f mut Fresh,
}

impl ReturnElision<'_> {
    fn pick(&mut self) -> Lifetime {
        match &self.lifetime {
            Some(l) => l.clone(),
            None => self.fresh.next(),
        }
    }
}

impl VisitMut for ReturnElision<'_> {
    fn ty(&mut self, ty: &mut Ty) {
        match &mut ty.kind {
            TyKind::Ref(_, l, _) if l.is_none() => *l = Some(self.pick()),
            TyKind::Dyn { lifetime, .. } if lifetime.is_none() => *lifetime = Some(self.pick()),
            _ => {}
        }
        walk_ty(self, ty);
    }
}

/// Rule [`async-fn-to-impl-future`](crate::rules::ASYNC_FN_TO_IMPL_FUTURE): `async fn m<'a>(&'a mut self, ..) -> R`
/// becomes `fn m<'a>(&'a mut self, ..) -> impl Future<Output = R> + 'a`
/// (one `+ 'x` per lifetime parameter, since the future captures every
/// argument); a missing return type is `()`.
fn async_fn_to_impl_future(sig: &mut MethodSig) {
    if !sig.is_async {
        return;
    }
    sig.is_async = false;
    let span = sig.span;
    let output = sig.return_type.take().unwrap_or(Ty {
        kind: TyKind::Tuple(Vec::new()),
        span,
    });
    let mut bounds = vec![future_output_bound(output, span)];
    for p in &sig.params {
        if p.kind == ParamKind::Lifetime {
            bounds.push(QuantifiedInlineBound {
                params: Vec::new(),
                bound: InlineBound::Outlives(Lifetime {
                    kind: LifetimeKind::Named(p.name.text.clone()),
                    span: p.name.span,
                }),
                span,
            });
        }
    }
    sig.return_type = Some(Ty {
        kind: TyKind::ImplTrait(bounds),
        span,
    });
}

/// `Future<Output = R>` as an inline bound.
fn future_output_bound(output: Ty, span: Span) -> QuantifiedInlineBound {
    QuantifiedInlineBound {
        params: Vec::new(),
        bound: InlineBound::AliasEq(AliasEqBound {
            trait_bound: TraitBound {
                trait_name: ident("Future", span),
                args: Vec::new(),
                assoc_bounds: Vec::new(),
                span,
            },
            name: ident("Output", span),
            args: Vec::new(),
            value: output,
        }),
        span,
    }
}

/// The names taken, which the structs an impl's methods generate must
/// avoid (see [`gat_step`]); a file without methods in its impls generates
/// none, and needs none.
pub(crate) fn names_taken(items: &[Item]) -> BTreeSet<String> {
    let generates = items
        .iter()
        .any(|i| matches!(i, Item::Impl(i) if !i.methods.is_empty()));
    items
        .iter()
        .filter(|_| generates)
        .filter_map(|i| match i {
            Item::Adt(d) => Some(d.name.text.clone()),
            Item::Trait(d) => Some(d.name.text.clone()),
            Item::Fn(d) => Some(d.name.text.clone()),
            Item::OpaqueTy(d) => Some(d.name.text.clone()),
            _ => None,
        })
        .collect()
}

/// Step 2 on methods: traits get GATs, impls get associated type values
/// and generated future types; no method is left afterwards. `names` are
/// the names taken ([`names_taken`]); the generated structs' are added.
pub(crate) fn gat_step(
    file: &mut File,
    traits: &Traits,
    names: &mut BTreeSet<String>,
    sink: &mut Sink,
) {
    // Rule `items-moved-once`: each item is rewritten where it is, and the
    // items an impl generates (an `async fn` of an impl brings a future
    // struct and its impl) are put after it in one pass at the end, so that
    // an item is moved at most once; an item is hundreds of bytes, and
    // moving every item into a list that grows moved each one twice on
    // average and took fresh memory for every larger list.
    let total = file.items.len();
    let mut generated_after: Vec<(usize, Vec<Item>)> = Vec::new();
    for done in 0..total {
        let item = &mut file.items[done];
        super::checkpoint(done, total, item.span());
        let mut generated = Vec::new();
        match item {
            Item::Trait(t) if !t.methods.is_empty() => {
                let t = open_mut(t);
                for m in std::mem::take(&mut t.methods) {
                    let (span, name) = (m.sig.span, m.sig.name.text.clone());
                    match impl_trait_to_gat(m.sig) {
                        Some(gat) => {
                            sink.applied(rules::IMPL_TRAIT_TO_GAT, span, name);
                            t.assoc_ty_defns.push(gat);
                        }
                        None => sink.applied(rules::PLAIN_METHOD_DROPPED, span, name),
                    }
                }
            }
            Item::Impl(i) if !i.methods.is_empty() => {
                let i = open_mut(i);
                for m in std::mem::take(&mut i.methods) {
                    impl_method(i, m, traits, names, &mut generated, sink);
                }
            }
            _ => {}
        }
        sink.item_done(1 + generated.len());
        if !generated.is_empty() {
            generated_after.push((done, generated));
        }
    }
    if !generated_after.is_empty() {
        let items = std::mem::take(&mut file.items);
        let more: usize = generated_after.iter().map(|(_, g)| g.len()).sum();
        file.items.reserve(total + more);
        let mut generated_after = generated_after.into_iter().peekable();
        for (at, item) in items.into_iter().enumerate() {
            file.items.push(item);
            if let Some((_, mut generated)) = generated_after.next_if(|(g, _)| *g == at) {
                file.items.append(&mut generated);
            }
        }
    }
}

/// Rule [`impl-trait-to-gat`](crate::rules::IMPL_TRAIT_TO_GAT): `fn m<'a>(&'a mut self, ..) -> impl Bounds + 'a`
/// becomes `type m<'a>: Bounds where WC;`, a generic associated type named
/// after the method with all of the method's parameters (the future
/// captures them all) and the method's where clauses. The `+ 'a` outlives
/// bound is dropped: chalk's inline bounds have no outlives form, and the GAT
/// already carries `'a` as a parameter, which is what the solver needs.
///
/// Rule [`plain-method-dropped`](crate::rules::PLAIN_METHOD_DROPPED): a method with a nameable return type has no
/// trait-solving content (chalk has no methods), so it is dropped.
fn impl_trait_to_gat(sig: MethodSig) -> Option<AssocTyDefn> {
    let Some(Ty {
        kind: TyKind::ImplTrait(bounds),
        ..
    }) = sig.return_type
    else {
        return None;
    };
    Some(AssocTyDefn {
        name: sig.name,
        params: sig.params,
        bounds: bounds
            .into_iter()
            .filter(|b| !matches!(b.bound, InlineBound::Outlives(_)))
            .collect(),
        where_clauses: sig.where_clauses,
        async_fn_once_output: false,
        span: sig.span,
    })
}

/// One method of an impl.
fn impl_method(
    imp: &mut ImplDefn,
    m: ImplMethod,
    traits: &Traits,
    names: &mut BTreeSet<String>,
    generated: &mut Vec<Item>,
    sink: &mut Sink,
) {
    let sig = &m.sig;
    if let ImplMethodBody::Holds(_, span) = &m.body {
        if !sig.is_async {
            sink.diags.push(
                Diagnostic::error(
                    crate::codes::HOLDS_OUTSIDE_ASYNC_FN,
                    "`holds` is only meaningful in the body of an `async fn`",
                    *span,
                )
                .with_label("this method is not `async`")
                .with_help("write `async fn`, or remove the `holds` list"),
            );
            return;
        }
    }
    let trait_name = &imp.trait_ref.trait_name.text;
    // An unknown trait is reported by lowering; its methods are dropped.
    let Some(info) = traits.get(trait_name) else {
        return;
    };
    let Some(method) = info.methods.get(&sig.name.text) else {
        sink.diags.push(
            Diagnostic::error(
                crate::codes::UNKNOWN_IMPL_METHOD,
                format!(
                    "method `{}` is not a member of trait `{trait_name}`",
                    sig.name.text
                ),
                sig.name.span,
            )
            .with_label(format!("not a member of `{trait_name}`"))
            .with_help(format!(
                "declare `{}` in trait `{trait_name}`, or remove it from the impl",
                sig.name.text
            )),
        );
        return;
    };
    let returns_impl = matches!(
        sig.return_type,
        Some(Ty {
            kind: TyKind::ImplTrait(_),
            ..
        })
    );
    if !method.returns_impl_trait {
        if sig.is_async || returns_impl || matches!(m.body, ImplMethodBody::Hidden(_)) {
            sink.diags.push(
                Diagnostic::error(
                    crate::codes::IMPL_METHOD_NOT_ASYNC_IN_TRAIT,
                    format!(
                        "method `{}` is neither `async` nor returns `impl Trait` in trait `{trait_name}`",
                        sig.name.text
                    ),
                    sig.name.span,
                )
                .with_secondary(method.span, "declared here with a nameable return type")
                .with_help("make the trait's method `async` or return `impl Trait`"),
            );
        }
        sink.applied(rules::PLAIN_METHOD_DROPPED, sig.span, sig.name.text.clone());
        return;
    }
    if method.params.len() != sig.params.len() {
        let count = |n: usize| match n {
            1 => "1 generic parameter".to_string(),
            n => format!("{n} generic parameters"),
        };
        sink.diags.push(
            Diagnostic::error(
                crate::codes::METHOD_PARAMS_MISMATCH,
                format!(
                    "method `{}` has {} (elided lifetimes included), but its declaration in trait `{trait_name}` has {}",
                    sig.name.text,
                    count(sig.params.len()),
                    method.params.len()
                ),
                sig.span,
            )
            .with_label(count(sig.params.len()))
            .with_secondary(
                method.span,
                format!("declared here with {}", count(method.params.len())),
            )
            .with_help("give the impl's method the same parameters and references as the trait's"),
        );
        return;
    }
    let value = if sig.is_async {
        sink.applied(
            rules::IMPL_ASYNC_FN_TO_FUTURE_STRUCT,
            sig.span,
            sig.name.text.clone(),
        );
        impl_async_fn_to_future_struct(imp, &m, names, generated, sink)
    } else {
        match (&m.body, &sig.return_type) {
            (ImplMethodBody::Hidden(hidden), _) => {
                sink.applied(rules::IMPL_FN_HIDDEN_TYPE, sig.span, sig.name.text.clone());
                impl_fn_hidden_type(imp, hidden)
            }
            (_, Some(ret)) if !returns_impl => self_replaced(imp, ret),
            _ => {
                sink.diags.push(
                    Diagnostic::error(
                        crate::codes::MISSING_HIDDEN_TYPE,
                        format!(
                            "method `{}` returns `impl Trait` but names no hidden type",
                            sig.name.text
                        ),
                        sig.span,
                    )
                    .with_label("the anonymous return type is unknown")
                    .with_help(
                        "write `= HiddenType;` after the return type, or make the method `async`",
                    ),
                );
                return;
            }
        }
    };
    imp.assoc_ty_values.push(AssocTyValue {
        name: sig.name.clone(),
        params: sig.params.clone(),
        value,
        default: false,
        span: sig.span,
    });
}

/// Rule [`impl-fn-hidden-type`](crate::rules::IMPL_FN_HIDDEN_TYPE): `fn m(&self) -> impl Trait = Hidden;` becomes
/// `type m<'a> = Hidden;` (the value of the GAT of rule [`impl-trait-to-gat`](crate::rules::IMPL_TRAIT_TO_GAT)).
fn impl_fn_hidden_type(imp: &ImplDefn, hidden: &Ty) -> Ty {
    self_replaced(imp, hidden)
}

/// Rule [`impl-async-fn-to-future-struct`](crate::rules::IMPL_ASYNC_FN_TO_FUTURE_STRUCT): an impl's
/// `async fn m<'a>(&'a mut self, r: Request) -> R { holds H; }` becomes
///
/// ```text
/// struct Self_m_Future<impl params, 'a> where impl WC, method WC { this: &'a mut Self, r: Request, held0: H }
/// impl<impl params, 'a> Future for Self_m_Future<impl params, 'a> where .. { type Output = R; }
/// type m<'a> = Self_m_Future<impl params, 'a>;   // in the impl
/// ```
///
/// The struct captures the arguments (as rustc's future does) and the held
/// types, so its auto traits (`Send`) follow from them, and a concrete
/// caller sees them; a generic caller sees only the GAT's bounds. `Self` is
/// replaced by the impl's self type, since the struct is outside the impl.
fn impl_async_fn_to_future_struct(
    imp: &ImplDefn,
    m: &ImplMethod,
    names: &mut BTreeSet<String>,
    generated: &mut Vec<Item>,
    sink: &mut Sink,
) -> Ty {
    let sig = &m.sig;
    let span = sig.span;
    let base = match &imp.trait_ref.args.first() {
        Some(GenericArg::Ty(Ty {
            kind: TyKind::Name(n) | TyKind::Apply(n, _),
            ..
        })) => n.text.clone(),
        _ => "Impl".to_string(),
    };
    let mut name = format!("{base}_{}_Future", sig.name.text);
    let mut n = 1;
    while names.contains(&name) {
        n += 1;
        name = format!("{base}_{}_Future{n}", sig.name.text);
    }
    names.insert(name.clone());
    sink.names_made.push((name.clone(), n == 1));
    // Lifetimes first, as Rust writes them; the order is otherwise the
    // impl's parameters, then the method's.
    let mut params: Vec<VariableKind> = imp.params.iter().chain(&sig.params).cloned().collect();
    params.sort_by_key(|p| p.kind != ParamKind::Lifetime);
    let where_clauses: Vec<QuantifiedWhereClause> = imp
        .where_clauses
        .iter()
        .chain(&sig.where_clauses)
        .cloned()
        .collect();
    let self_ty = self_ty_of(imp);
    let mut fields = Vec::new();
    match &sig.receiver {
        Receiver::None => {}
        Receiver::Value => fields.push(Field {
            name: ident("this", span),
            ty: self_ty.clone(),
        }),
        Receiver::Ref(mutability, lifetime) => fields.push(Field {
            name: ident("this", span),
            ty: Ty {
                kind: TyKind::Ref(*mutability, lifetime.clone(), Box::new(self_ty.clone())),
                span,
            },
        }),
    }
    for (arg, ty) in &sig.arguments {
        fields.push(Field {
            name: arg.clone(),
            ty: self_replaced(imp, ty),
        });
    }
    if let ImplMethodBody::Holds(held, _) = &m.body {
        for (i, ty) in held.iter().enumerate() {
            fields.push(Field {
                name: ident(format!("held{i}"), ty.span),
                ty: self_replaced(imp, ty),
            });
        }
    }
    let struct_name = ident(name.clone(), span);
    let struct_ty = Ty {
        kind: if params.is_empty() {
            TyKind::Name(struct_name.clone())
        } else {
            TyKind::Apply(
                struct_name.clone(),
                params.iter().map(param_as_arg).collect(),
            )
        },
        span,
    };
    let output = sig
        .return_type
        .as_ref()
        .map(|r| self_replaced(imp, r))
        .unwrap_or(Ty {
            kind: TyKind::Tuple(Vec::new()),
            span,
        });
    generated.push(Item::Adt(Arc::new(AdtDefn {
        kind: AdtKind::Struct,
        name: struct_name.clone(),
        params: params.clone(),
        where_clauses: where_clauses
            .iter()
            .map(|w| self_replaced_wc(imp, w))
            .collect(),
        variants: vec![Variant {
            name: struct_name,
            fields,
        }],
        flags: AdtFlags::default(),
        repr: AdtRepr::default(),
        variances: None,
        span,
    })));
    generated.push(Item::Impl(Arc::new(ImplDefn {
        params,
        trait_ref: TraitRef {
            trait_name: ident("Future", span),
            args: vec![GenericArg::Ty(struct_ty.clone())],
            span,
        },
        polarity: Polarity::Positive,
        where_clauses: where_clauses
            .iter()
            .map(|w| self_replaced_wc(imp, w))
            .collect(),
        assoc_ty_values: vec![AssocTyValue {
            name: ident("Output", span),
            params: Vec::new(),
            value: output,
            default: false,
            span,
        }],
        methods: Vec::new(),
        upstream: false,
        generated_by: None,
        span,
    })));
    struct_ty
}

fn self_ty_of(imp: &ImplDefn) -> Ty {
    match imp.trait_ref.args.first() {
        Some(GenericArg::Ty(t)) => t.clone(),
        _ => Ty {
            kind: TyKind::Error,
            span: imp.span,
        },
    }
}

/// A copy of `ty` with `Self` replaced by the impl's self type, and
/// `Self::Name` by `<SelfTy as Trait<..>>::Name`.
fn self_replaced(imp: &ImplDefn, ty: &Ty) -> Ty {
    let mut ty = ty.clone();
    ReplaceSelf { imp }.ty(&mut ty);
    ty
}

fn self_replaced_wc(imp: &ImplDefn, wc: &QuantifiedWhereClause) -> QuantifiedWhereClause {
    let mut wc = wc.clone();
    chalkboard_syntax::visit::walk_quantified_where_clause(&mut ReplaceSelf { imp }, &mut wc);
    wc
}

struct ReplaceSelf<'i> {
    imp: &'i ImplDefn,
}

impl VisitMut for ReplaceSelf<'_> {
    fn ty(&mut self, ty: &mut Ty) {
        if let TyKind::ShorthandProjection {
            self_ty,
            name,
            args,
        } = &ty.kind
        {
            if matches!(&self_ty.kind, TyKind::Name(n) if n.text == "Self") {
                ty.kind = TyKind::Projection(ProjectionTy {
                    trait_ref: self.imp.trait_ref.clone(),
                    name: name.clone(),
                    args: args.clone(),
                });
            }
        }
        if matches!(&ty.kind, TyKind::Name(n) if n.text == "Self") {
            let span = ty.span;
            *ty = self_ty_of(self.imp);
            ty.span = span;
            return;
        }
        walk_ty(self, ty);
    }
}
