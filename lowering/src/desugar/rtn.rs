//! The rules on bounds: `rtn-to-gat-bound`, `assoc-bound-to-where-clause`
//! and `shorthand-to-projection`.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::methods::NamesUsed;
use super::{Sink, Traits};
use crate::rules;
use chalkboard_syntax::ast::*;
use chalkboard_syntax::build::param_as_arg;
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::rust::FnOwner;
use chalkboard_syntax::visit::{
    shared, walk_clause, walk_function, walk_goal, walk_item, walk_quantified_where_clause,
    walk_ty, VisitMut,
};

/// Step 2 on bounds: every item, every goal.
pub(crate) fn rtn_step(file: &mut File, traits: &Traits, sink: &mut Sink) {
    let mut pass = Pass {
        traits,
        current_trait: None,
        scope: Vec::new(),
        names: BTreeSet::new(),
        sink,
    };
    // Rule items-moved-once (see `gat_step`): each item is rewritten where
    // it is; the clauses that become several (or none) are put in place
    // afterwards.
    let total = file.items.len();
    let mut expanded: Vec<(usize, Vec<Clause>)> = Vec::new();
    for done in 0..total {
        let item = &mut file.items[done];
        super::checkpoint(done, total, item.span());
        // Rule `fresh-names-on-need`: the names an item uses are gathered
        // only when it has a bound this pass expands, the one place that
        // invents names; most items have none.
        // Rule items-shared: an item without such a bound is left as it
        // is, shared, since the pass changes nothing else.
        let extended = has_extension(item);
        if !extended && !has_shorthand(item) {
            pass.sink.item_done(1);
            continue;
        }
        pass.names = if extended {
            names_in(|v| walk_item(v, item))
        } else {
            BTreeSet::new()
        };
        pass.current_trait = match &*item {
            Item::Trait(t) => Some(t.name.text.clone()),
            _ => None,
        };
        pass.scope = match &*item {
            Item::Impl(i) => bounds_in_scope(i.where_clauses.iter().map(|w| &w.where_clause)),
            Item::Adt(a) => bounds_in_scope(a.where_clauses.iter().map(|w| &w.where_clause)),
            Item::Trait(t) => bounds_in_scope(t.where_clauses.iter().map(|w| &w.where_clause)),
            Item::Fn(f) => bounds_in_scope(f.where_clauses.iter().map(|w| &w.where_clause)),
            _ => Vec::new(),
        };
        if let Item::Clause(c) = item {
            let mut clauses = vec![Clause::clone(c)];
            pass.clauses(&mut clauses);
            match <[Clause; 1]>::try_from(clauses) {
                Ok([one]) => {
                    *c = Arc::new(one);
                    pass.sink.item_done(1);
                }
                Err(several) => {
                    pass.sink.item_done(several.len());
                    expanded.push((done, several));
                }
            }
        } else {
            walk_item(&mut pass, item);
            pass.sink.item_done(1);
        }
    }
    if !expanded.is_empty() {
        let items = std::mem::take(&mut file.items);
        let mut expanded = expanded.into_iter().peekable();
        for (at, item) in items.into_iter().enumerate() {
            match expanded.next_if(|(e, _)| *e == at) {
                Some((_, clauses)) => file
                    .items
                    .extend(clauses.into_iter().map(|c| Item::Clause(Arc::new(c)))),
                None => file.items.push(item),
            }
        }
    }
    // A Rust file's functions: their where clauses and types, written in
    // the same extensions, are rewritten the same way.
    if let Some(rust) = &mut file.rust {
        for f in &mut rust.functions {
            let (owner_trait, owner_wcs) = match &f.owner {
                FnOwner::Trait {
                    trait_name,
                    where_clauses,
                    ..
                } => (Some(trait_name.text.clone()), where_clauses.clone()),
                FnOwner::TraitImpl { where_clauses, .. }
                | FnOwner::Inherent { where_clauses, .. } => (None, where_clauses.clone()),
                FnOwner::Free => (None, Vec::new()),
            };
            pass.current_trait = owner_trait;
            pass.names = names_in(|v| walk_function(v, f));
            pass.scope = bounds_in_scope(
                owner_wcs
                    .iter()
                    .chain(&f.where_clauses)
                    .map(|w| &w.where_clause),
            );
            walk_function(&mut pass, f);
            // Rule `body-opaque-return`: the bounds of a return-position
            // `impl Trait` outside a trait, as where clauses on the opaque
            // type, which the body checker proves of the hidden type.
            if matches!(f.owner, FnOwner::Free | FnOwner::Inherent { .. }) {
                if let Some(Ty {
                    kind: TyKind::ImplTrait(bounds),
                    span,
                }) = &f.return_type
                {
                    let mut out = Vec::new();
                    pass.bounds_on(
                        chalkboard_syntax::build::name_ty(
                            chalkboard_syntax::rust::OPAQUE_SELF,
                            *span,
                        ),
                        bounds,
                        Vec::new(),
                        *span,
                        &mut out,
                    );
                    f.opaque_bounds = out;
                }
            }
        }
    }
    pass.current_trait = None;
    pass.scope.clear();
    for g in &mut file.goals {
        pass.names = names_in(|v| walk_goal(v, &mut g.goal));
        pass.goal(&mut g.goal);
    }
}

/// Whether an item has a bound that [`Pass::expand`] rewrites with fresh
/// names: a where clause, a hypothesis or a goal written with return type
/// notation, associated-item bounds or a shorthand bound, at any depth.
fn has_extension(item: &Item) -> bool {
    struct Finds(bool);
    impl shared::Visit for Finds {
        fn where_clauses(&mut self, wcs: &Vec<QuantifiedWhereClause>) {
            self.0 |= wcs.iter().any(|w| is_extension(&w.where_clause));
            for w in wcs {
                shared::walk_quantified_where_clause(self, w);
            }
        }
        fn clauses(&mut self, clauses: &Vec<Clause>) {
            for c in clauses {
                self.0 |= matches!(&c.consequence, DomainGoal::Holds(wc) if is_extension(wc));
                shared::walk_clause(self, c);
            }
        }
        fn goal(&mut self, goal: &Goal) {
            self.0 |= matches!(
                &goal.kind,
                GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(wc))) if is_extension(wc)
            );
            shared::walk_goal(self, goal);
        }
    }
    let mut finds = Finds(false);
    // An item clause is expanded as a list of one (see `rtn_step`).
    if let Item::Clause(c) = item {
        finds.0 = matches!(&c.consequence, DomainGoal::Holds(wc) if is_extension(wc));
    }
    shared::walk_item(&mut finds, item);
    finds.0
}

/// Whether `item` has a type the pass's `ty` hook acts on anywhere: `T::Name`,
/// which rule shorthand-to-projection rewrites, or return type notation in
/// a type's place, which it reports.
fn has_shorthand(item: &Item) -> bool {
    struct Finds(bool);
    impl shared::Visit for Finds {
        fn ty(&mut self, ty: &Ty) {
            self.0 |= matches!(
                ty.kind,
                TyKind::ShorthandProjection { .. } | TyKind::ReturnTypeNotation(_)
            );
            shared::walk_ty(self, ty);
        }
    }
    let mut finds = Finds(false);
    shared::walk_item(&mut finds, item);
    finds.0
}

/// Every name written or declared in a node (see [`NamesUsed`]).
fn names_in(walk: impl FnOnce(&mut NamesUsed)) -> BTreeSet<String> {
    let mut names = NamesUsed::default();
    walk(&mut names);
    names.0
}

struct Pass<'t, 'd> {
    traits: &'t Traits,
    /// The trait whose body is being rewritten: `Self::Item` there means
    /// this trait's `Item` first.
    current_trait: Option<String>,
    /// `(T, Trait)` for every bound `T: Trait` in scope (the item's where
    /// clauses, the enclosing `if (..)` hypotheses): a shorthand `T::name`
    /// that several traits could mean is the one `T` is bound by, as in Rust.
    scope: Vec<(String, String)>,
    /// Every name written or declared in the item or goal being rewritten:
    /// the parameters this pass invents avoid them all, so that they never
    /// collide with a name the user bound around the bound (hygiene).
    names: BTreeSet<String>,
    sink: &'d mut Sink,
}

/// The `(T, Trait)` pairs of the bounds `T: Trait` among `wcs` whose self
/// type is a bare name.
fn bounds_in_scope<'a>(wcs: impl Iterator<Item = &'a WhereClause>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for wc in wcs {
        let (self_ty, trait_name) = match wc {
            WhereClause::Implemented(t) => match t.args.first() {
                Some(GenericArg::Ty(ty)) => (ty, &t.trait_name),
                _ => continue,
            },
            WhereClause::BoundWithAssocBounds { self_ty, bound } => (self_ty, &bound.trait_name),
            _ => continue,
        };
        if let TyKind::Name(n) = &self_ty.kind {
            out.push((n.text.clone(), trait_name.text.clone()));
        }
    }
    out
}

/// Whether a where clause is one of the extension forms this pass removes.
fn is_extension(wc: &WhereClause) -> bool {
    matches!(
        wc,
        WhereClause::Rtn { .. }
            | WhereClause::BoundWithAssocBounds { .. }
            | WhereClause::ShorthandBound { .. }
    )
}

/// What `T::name` turned out to name.
enum Named {
    AssocType,
    Method,
}

impl Pass<'_, '_> {
    /// Finds the trait that a shorthand `T::name` refers to: a trait with an
    /// associated type of that name first (the trait being defined, if it
    /// has one; otherwise the only one), then a trait with a method of that
    /// name. Reports an error and returns `None` when there is none, or more
    /// than one, or when the trait has parameters the shorthand cannot give.
    fn shorthand_trait(
        &mut self,
        name: &Ident,
        methods_only: bool,
        self_ty: &Ty,
    ) -> Option<(String, Named)> {
        let with_assoc: Vec<&String> = if methods_only {
            Vec::new()
        } else {
            self.traits
                .iter()
                .filter(|(_, t)| t.assoc_types.contains(&name.text))
                .map(|(n, _)| n)
                .collect()
        };
        let with_method: Vec<&String> = self
            .traits
            .iter()
            .filter(|(_, t)| t.methods.contains_key(&name.text))
            .map(|(n, _)| n)
            .collect();
        let (mut candidates, named) = if !with_assoc.is_empty() {
            (with_assoc, Named::AssocType)
        } else {
            (with_method, Named::Method)
        };
        // Several traits could be meant: keep those the self type is bound by.
        if candidates.len() > 1 {
            if let TyKind::Name(n) = &self_ty.kind {
                let bound: Vec<&String> = candidates
                    .iter()
                    .copied()
                    .filter(|c| self.scope.iter().any(|(t, tr)| *t == n.text && tr == *c))
                    .collect();
                if !bound.is_empty() {
                    candidates = bound;
                }
            }
        }
        let chosen = match &self.current_trait {
            Some(cur) if candidates.contains(&cur) => cur.clone(),
            _ => match candidates.as_slice() {
                [] => {
                    let (code, what) = if methods_only {
                        (crate::codes::UNKNOWN_METHOD, "a method")
                    } else {
                        (
                            crate::codes::UNKNOWN_ASSOCIATED_ITEM,
                            "an associated type or method",
                        )
                    };
                    self.sink.diags.push(
                        Diagnostic::error(
                            code,
                            format!("no trait in scope has {what} named `{}`", name.text),
                            name.span,
                        )
                        .with_label("not found in any trait")
                        .with_help(
                            "declare it in a trait, or check the spelling (return type notation needs an `async fn` or a method returning `impl Trait`)",
                        ),
                    );
                    return None;
                }
                [one] => (*one).clone(),
                many => {
                    let list: Vec<String> = many.iter().map(|t| format!("`{t}`")).collect();
                    let self_text = chalkboard_syntax::print::print_ty(self_ty);
                    self.sink.diags.push(
                        Diagnostic::error(
                            crate::codes::AMBIGUOUS_ASSOCIATED_ITEM,
                            format!(
                                "`{}` is ambiguous: it is in traits {}",
                                name.text,
                                list.join(", ")
                            ),
                            name.span,
                        )
                        .with_label("ambiguous name")
                        .with_help(format!(
                            "name the trait: `<{self_text} as {}>::{}`",
                            many[0], name.text
                        )),
                    );
                    return None;
                }
            },
        };
        let has_params = self
            .traits
            .get(&chosen)
            .is_some_and(|t| !t.params.is_empty());
        if has_params {
            let self_text = chalkboard_syntax::print::print_ty(self_ty);
            self.sink.diags.push(
                Diagnostic::error(
                    crate::codes::SHORTHAND_NEEDS_TRAIT_ARGS,
                    format!(
                        "cannot use `{self_text}::{}` because trait `{chosen}` has generic parameters",
                        name.text
                    ),
                    name.span,
                )
                .with_label("the trait's arguments are unknown here")
                .with_help(format!(
                    "write the trait with its arguments: `<{self_text} as {chosen}<..>>::{}`",
                    name.text
                )),
            );
            return None;
        }
        Some((chosen, named))
    }

    /// Rule [`rtn-to-gat-bound`](crate::rules::RTN_TO_GAT_BOUND), the method part: `<T as Trait>::m(..)`
    /// names the GAT `<T as Trait>::m<P..>` for fresh parameters `P..` (one
    /// per parameter of `m`, to be quantified with `forall`); the explainer's
    /// `T::m<'a>` gives the arguments itself and quantifies nothing new.
    fn method_projection(
        &mut self,
        trait_ref: TraitRef,
        method: &Ident,
        args: &[GenericArg],
        style: RtnStyle,
        taken: &BTreeSet<String>,
    ) -> Option<(Ty, Vec<VariableKind>)> {
        if style == RtnStyle::EmptyParens {
            self.sink.diags.push(
                Diagnostic::error(
                    crate::codes::RTN_NEEDS_DOTDOT,
                    "return type notation arguments must be elided with `..`",
                    method.span,
                )
                .with_label("write `(..)` here")
                .with_help(format!("write `{}(..)`", method.text)),
            );
            return None;
        }
        let trait_name = trait_ref.trait_name.text.clone();
        let Some(info) = self
            .traits
            .get(&trait_name)
            .and_then(|t| t.methods.get(&method.text))
        else {
            // Without parentheses (`Trait<name: Bound>`), `name` may have
            // been meant as an associated type just as well as a method.
            let diagnostic = if style == RtnStyle::Bare {
                Diagnostic::error(
                    crate::codes::UNKNOWN_ASSOCIATED_ITEM,
                    format!(
                        "trait `{trait_name}` has no associated type or method named `{}`",
                        method.text
                    ),
                    method.span,
                )
                .with_label("no such associated type or method")
                .with_help(format!(
                    "declare `type {};` in trait `{trait_name}`, or fix the spelling",
                    method.text
                ))
            } else {
                Diagnostic::error(
                    crate::codes::UNKNOWN_METHOD,
                    format!("trait `{trait_name}` has no method named `{}`", method.text),
                    method.span,
                )
                .with_label("no such method")
                .with_help("return type notation names a method of the trait: check the spelling")
            };
            self.sink.diags.push(diagnostic);
            return None;
        };
        if !info.returns_impl_trait {
            self.sink.diags.push(
                Diagnostic::error(
                    crate::codes::RTN_ON_PLAIN_METHOD,
                    "return type notation used on function that is not `async` and does not return `impl Trait`",
                    method.span,
                )
                .with_label(format!("`{}` has a nameable return type", method.text))
                .with_secondary(info.span, "declared here")
                .with_help("bound the method's return type directly, or make the method `async` or return `impl Trait`"),
            );
            return None;
        }
        if style == RtnStyle::DotDot && !args.is_empty() {
            // rustc rejects `H::check<'a>(..)` in its parser: the notation
            // is already higher-ranked over the method's lifetimes.
            let span = args
                .iter()
                .map(GenericArg::span)
                .fold(args[0].span(), Span::to);
            self.sink.diags.push(
                Diagnostic::error(
                    crate::codes::RTN_WITH_GENERIC_ARGS,
                    "return type notation does not take generic arguments",
                    span,
                )
                .with_label("rustc expects one of `!`, `+`, `::`, `:`, `==`, or `=` before `(`")
                .with_note(format!(
                    "`{}(..)` already stands for the return type under every lifetime the method has",
                    method.text
                ))
                .with_help(format!(
                    "write `{m}(..)`, or the explainer's GAT spelling without parentheses, `for<'a> T::{m}<'a>`",
                    m = method.text
                )),
            );
            return None;
        }
        let explicit_args = style == RtnStyle::Bare && !args.is_empty();
        if !explicit_args {
            if let Some(ty_param) = info.params.iter().find(|p| p.kind != ParamKind::Lifetime) {
                // rustc: the notation quantifies over the method's lifetimes
                // only, so a method with type (or const) parameters has no
                // single return type to bound.
                self.sink.diags.push(
                    Diagnostic::error(
                        crate::codes::RTN_ON_GENERIC_METHOD,
                        "return type notation is not allowed for functions that have type parameters",
                        method.span,
                    )
                    .with_secondary(ty_param.name.span, "type parameter declared here")
                    .with_help(format!(
                        "bound the method's future for one instantiation instead, naming its generic associated type: `<T as {trait_name}>::{}<'a, .., Type>: Send`",
                        method.text
                    )),
                );
                return None;
            }
        }
        let (args, params) = if explicit_args {
            (args.to_vec(), Vec::new())
        } else {
            let mut taken = taken.clone();
            let params: Vec<VariableKind> = info
                .params
                .iter()
                .map(|p| {
                    let mut name = p.name.text.clone();
                    let mut n = 1;
                    while taken.contains(&name) {
                        n += 1;
                        name = format!("{}{n}", p.name.text);
                    }
                    taken.insert(name.clone());
                    VariableKind {
                        kind: p.kind,
                        name: chalkboard_syntax::build::ident(name, method.span),
                    }
                })
                .collect();
            (params.iter().map(param_as_arg).collect(), params)
        };
        let span = method.span;
        Some((
            Ty {
                kind: TyKind::Projection(ProjectionTy {
                    trait_ref,
                    name: method.clone(),
                    args,
                }),
                span,
            },
            params,
        ))
    }

    /// `T: Trait<name: Bounds>` or `T::name: Bounds` where `name` is a
    /// method or an associated type of `trait_ref`'s trait.
    #[allow(clippy::too_many_arguments)]
    fn assoc_item(
        &mut self,
        trait_ref: TraitRef,
        name: &Ident,
        args: &[GenericArg],
        style: RtnStyle,
        bounds: &[QuantifiedInlineBound],
        params: &[VariableKind],
        taken: &BTreeSet<String>,
        span: Span,
        out: &mut Vec<QuantifiedWhereClause>,
    ) {
        let is_assoc = style == RtnStyle::Bare
            && self
                .traits
                .get(&trait_ref.trait_name.text)
                .is_some_and(|t| t.assoc_types.contains(&name.text));
        if is_assoc {
            // Rule [`assoc-bound-to-where-clause`](crate::rules::ASSOC_BOUND_TO_WHERE_CLAUSE): `T: Trait<Assoc: B>` is
            // `<T as Trait>::Assoc: B`.
            self.sink
                .applied(rules::ASSOC_BOUND_TO_WHERE_CLAUSE, span, name.text.clone());
            let proj = Ty {
                kind: TyKind::Projection(ProjectionTy {
                    trait_ref,
                    name: name.clone(),
                    args: args.to_vec(),
                }),
                span: name.span,
            };
            self.bounds_on(proj, bounds, params.to_vec(), span, out);
        } else if let Some((proj, extra)) =
            self.method_projection(trait_ref, name, args, style, taken)
        {
            self.sink
                .applied(rules::RTN_TO_GAT_BOUND, span, format!("{}(..)", name.text));
            let params = params.iter().cloned().chain(extra).collect();
            self.bounds_on(proj, bounds, params, span, out);
        }
    }

    /// `forall<params> { ty: B }` for each bound `B`, as core where clauses.
    fn bounds_on(
        &mut self,
        ty: Ty,
        bounds: &[QuantifiedInlineBound],
        params: Vec<VariableKind>,
        span: Span,
        out: &mut Vec<QuantifiedWhereClause>,
    ) {
        for b in bounds {
            let params: Vec<VariableKind> = params.iter().chain(&b.params).cloned().collect();
            let wc = |where_clause| QuantifiedWhereClause {
                params: params.clone(),
                where_clause,
                span,
            };
            let trait_ref = |tb: &TraitBound| TraitRef {
                trait_name: tb.trait_name.clone(),
                args: std::iter::once(GenericArg::Ty(ty.clone()))
                    .chain(tb.args.iter().cloned())
                    .collect(),
                span: tb.span,
            };
            match &b.bound {
                InlineBound::Trait(tb) if !tb.assoc_bounds.is_empty() => {
                    out.extend(self.expand(
                        wc(WhereClause::BoundWithAssocBounds {
                            self_ty: ty.clone(),
                            bound: tb.clone(),
                        }),
                        &[],
                    ));
                }
                InlineBound::Trait(tb) => out.push(wc(WhereClause::Implemented(trait_ref(tb)))),
                InlineBound::AliasEq(ab) => {
                    let tr = trait_ref(&ab.trait_bound);
                    out.push(wc(WhereClause::Implemented(tr.clone())));
                    out.push(wc(WhereClause::AliasEq {
                        projection: ProjectionTy {
                            trait_ref: tr,
                            name: ab.name.clone(),
                            args: ab.args.clone(),
                        },
                        ty: ab.value.clone(),
                    }));
                }
                InlineBound::Outlives(l) => out.push(wc(WhereClause::TypeOutlives {
                    ty: ty.clone(),
                    lifetime: l.clone(),
                })),
                // A relaxed bound on a method's return type or an associated
                // type is not a where clause anyone can write; lowering says so.
                InlineBound::Relaxed(name) => out.push(wc(WhereClause::Relaxed {
                    ty: ty.clone(),
                    trait_name: name.clone(),
                })),
                InlineBound::Conditional(_) => self.sink.diags.push(
                    Diagnostic::error(
                        crate::codes::UNSUPPORTED_HERE,
                        "a conditional bound cannot be lowered here",
                        b.span,
                    )
                    .with_label("not supported in this position")
                    .with_help("conditional bounds are not supported yet"),
                ),
            }
        }
    }

    /// Rewrites one where clause into core where clauses (rules
    /// `rtn-to-gat-bound`, `assoc-bound-to-where-clause`,
    /// `shorthand-to-projection`); `outer` are parameters bound around it
    /// (an `if` clause's), whose names the fresh parameters avoid.
    fn expand(
        &mut self,
        mut qwc: QuantifiedWhereClause,
        outer: &[VariableKind],
    ) -> Vec<QuantifiedWhereClause> {
        // A clause written in core syntax keeps its form: only its parts
        // are rewritten, and no name is invented for it.
        if !is_extension(&qwc.where_clause) {
            walk_quantified_where_clause(self, &mut qwc);
            return vec![qwc];
        }
        let mut taken = NamesUsed::default();
        walk_quantified_where_clause(&mut taken, &mut qwc);
        let mut taken = taken.0;
        taken.extend(outer.iter().chain(&qwc.params).map(|p| p.name.text.clone()));
        taken.extend(self.names.iter().cloned());
        let QuantifiedWhereClause {
            params,
            where_clause,
            span,
        } = qwc;
        let mut out = Vec::new();
        match where_clause {
            // Rule [`rtn-to-gat-bound`](crate::rules::RTN_TO_GAT_BOUND): `T::m(..): B`, `<T as Trait>::m(..): B`
            // and `for<'a> T::m<'a>: B` become
            // `forall<params of m> { <T as Trait>::m<params>: B }`.
            WhereClause::Rtn { rtn, bounds } => {
                let trait_ref = match rtn.trait_ref {
                    Some(t) => Some(t),
                    None => {
                        self.shorthand_trait(&rtn.method, true, &rtn.self_ty)
                            .map(|(name, _)| TraitRef {
                                trait_name: chalkboard_syntax::build::ident(name, rtn.method.span),
                                args: vec![GenericArg::Ty(rtn.self_ty.clone())],
                                span: rtn.self_ty.span.to(rtn.method.span),
                            })
                    }
                };
                if let Some(trait_ref) = trait_ref {
                    if let Some((proj, extra)) =
                        self.method_projection(trait_ref, &rtn.method, &rtn.args, rtn.style, &taken)
                    {
                        self.sink.applied(
                            rules::RTN_TO_GAT_BOUND,
                            span,
                            format!("{}(..)", rtn.method.text),
                        );
                        let params = params.into_iter().chain(extra).collect();
                        self.bounds_on(proj, &bounds, params, span, &mut out);
                    }
                }
            }
            // `T: Trait<m(..): B, Assoc: C>` is `T: Trait` plus one bound per
            // associated item.
            WhereClause::BoundWithAssocBounds { self_ty, bound } => {
                let trait_ref = TraitRef {
                    trait_name: bound.trait_name.clone(),
                    args: std::iter::once(GenericArg::Ty(self_ty))
                        .chain(bound.args.iter().cloned())
                        .collect(),
                    span: bound.span,
                };
                out.push(QuantifiedWhereClause {
                    params: params.clone(),
                    where_clause: WhereClause::Implemented(trait_ref.clone()),
                    span,
                });
                for ab in &bound.assoc_bounds {
                    self.assoc_item(
                        trait_ref.clone(),
                        &ab.name,
                        &ab.args,
                        ab.style,
                        &ab.bounds,
                        &params,
                        &taken,
                        span,
                        &mut out,
                    );
                }
            }
            // `T::name: B`: an associated type's projection, or the
            // explainer's bare RTN spelling when `name` is a method.
            WhereClause::ShorthandBound { self_ty, bounds } => match self_ty.kind {
                TyKind::ShorthandProjection {
                    self_ty: inner,
                    name,
                    args,
                } => {
                    if let Some((trait_name, _)) = self.shorthand_trait(&name, false, &inner) {
                        let trait_ref = TraitRef {
                            trait_name: chalkboard_syntax::build::ident(trait_name, name.span),
                            args: vec![GenericArg::Ty(*inner)],
                            span: self_ty.span,
                        };
                        self.assoc_item(
                            trait_ref,
                            &name,
                            &args,
                            RtnStyle::Bare,
                            &bounds,
                            &params,
                            &taken,
                            span,
                            &mut out,
                        );
                    }
                }
                _ => self.bounds_on(self_ty, &bounds, params, span, &mut out),
            },
            other => out.push(QuantifiedWhereClause {
                params,
                where_clause: other,
                span,
            }),
        }
        for w in &mut out {
            walk_quantified_where_clause(self, w);
        }
        out
    }
}

/// Rule items-shared: `rtn_step` leaves an item alone unless `has_extension`
/// or `has_shorthand` finds something for these hooks to act on, so a hook
/// that acts on another node must be found there too.
impl VisitMut for Pass<'_, '_> {
    fn where_clauses(&mut self, wcs: &mut Vec<QuantifiedWhereClause>) {
        for w in std::mem::take(wcs) {
            let expanded = self.expand(w, &[]);
            wcs.extend(expanded);
        }
    }

    /// A goal `T::m(..): Send` becomes `forall<'a> { <T as Trait>::m<'a>: Send }`.
    fn goal(&mut self, goal: &mut Goal) {
        if let GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(wc))) = &goal.kind {
            if is_extension(wc) {
                let span = goal.span;
                let wcs = self.expand(
                    QuantifiedWhereClause {
                        params: Vec::new(),
                        where_clause: wc.clone(),
                        span,
                    },
                    &[],
                );
                let mut goals: Vec<Goal> = wcs
                    .into_iter()
                    .map(|w| {
                        let leaf = Goal {
                            kind: GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(
                                w.where_clause,
                            ))),
                            span,
                        };
                        if w.params.is_empty() {
                            leaf
                        } else {
                            Goal {
                                kind: GoalKind::ForAll(w.params, Box::new(leaf)),
                                span,
                            }
                        }
                    })
                    .collect();
                goal.kind = match goals.len() {
                    0 => GoalKind::Error,
                    1 => goals.remove(0).kind,
                    _ => GoalKind::And(goals),
                };
                return;
            }
        }
        if let GoalKind::Implies(clauses, _) = &goal.kind {
            let added = bounds_in_scope(clauses.iter().filter_map(|c| match &c.consequence {
                DomainGoal::Holds(wc) => Some(wc),
                _ => None,
            }));
            let n = added.len();
            self.scope.extend(added);
            walk_goal(self, goal);
            self.scope.truncate(self.scope.len() - n);
            return;
        }
        walk_goal(self, goal);
    }

    /// A hypothesis `if (T::m(..): Send)` becomes
    /// `if (forall<'a> { <T as Trait>::m<'a>: Send })`.
    fn clauses(&mut self, clauses: &mut Vec<Clause>) {
        for mut c in std::mem::take(clauses) {
            if let DomainGoal::Holds(wc) = &c.consequence {
                if is_extension(wc) {
                    let wcs = self.expand(
                        QuantifiedWhereClause {
                            params: Vec::new(),
                            where_clause: wc.clone(),
                            span: c.span,
                        },
                        &c.params,
                    );
                    for g in &mut c.conditions {
                        self.goal(g);
                    }
                    for w in wcs {
                        clauses.push(Clause {
                            params: c.params.iter().chain(&w.params).cloned().collect(),
                            consequence: DomainGoal::Holds(w.where_clause),
                            conditions: c.conditions.clone(),
                            span: c.span,
                        });
                    }
                    continue;
                }
            }
            walk_clause(self, &mut c);
            clauses.push(c);
        }
    }

    /// Rule [`shorthand-to-projection`](crate::rules::SHORTHAND_TO_PROJECTION): the type `T::Name` is
    /// `<T as Trait>::Name` for the trait that has the associated type.
    fn ty(&mut self, ty: &mut Ty) {
        walk_ty(self, ty);
        match &ty.kind {
            TyKind::ShorthandProjection {
                self_ty,
                name,
                args,
            } => {
                let with_assoc = self
                    .traits
                    .iter()
                    .any(|(_, t)| t.assoc_types.contains(&name.text));
                if !with_assoc {
                    // A method's name here is return type notation in a
                    // type's place; any other name is a misspelling or a
                    // missing declaration.
                    let is_method = self
                        .traits
                        .iter()
                        .any(|(_, t)| t.methods.contains_key(&name.text));
                    let help = if is_method {
                        format!(
                            "`{}` is a method: return type notation is only allowed in bounds, as in `T::{}(..): Bound`",
                            name.text, name.text
                        )
                    } else {
                        format!(
                            "declare `type {};` in a trait, or fix the spelling",
                            name.text
                        )
                    };
                    self.sink.diags.push(
                        Diagnostic::error(
                            crate::codes::UNKNOWN_ASSOCIATED_TYPE,
                            format!(
                                "no trait in scope has an associated type named `{}`",
                                name.text
                            ),
                            name.span,
                        )
                        .with_label("not an associated type")
                        .with_help(help),
                    );
                    return;
                }
                if let Some((trait_name, _)) = self.shorthand_trait(name, false, self_ty) {
                    self.sink.applied(
                        rules::SHORTHAND_TO_PROJECTION,
                        ty.span,
                        format!(
                            "{}::{}",
                            chalkboard_syntax::print::print_ty(self_ty),
                            name.text
                        ),
                    );
                    ty.kind = TyKind::Projection(ProjectionTy {
                        trait_ref: TraitRef {
                            trait_name: chalkboard_syntax::build::ident(trait_name, name.span),
                            args: vec![GenericArg::Ty((**self_ty).clone())],
                            span: ty.span,
                        },
                        name: name.clone(),
                        args: args.clone(),
                    });
                }
            }
            TyKind::ReturnTypeNotation(_) => self.sink.diags.push(
                Diagnostic::error(
                    crate::codes::RTN_IN_TYPE_POSITION,
                    "return type notation not allowed in this position yet",
                    ty.span,
                )
                .with_label("only allowed as the self type of a bound")
                .with_help("write the bound `T::m(..): Trait` in a where clause instead"),
            ),
            _ => {}
        }
    }
}
