//! Each design's rewrite of the desugared program's method futures (the
//! generic associated types that rule `impl-trait-to-gat` created), and the
//! computed dyn safety of traits written with methods (rule [`dyn-safety`](crate::rules::DYN_SAFETY)).
//!
//! - rule [`design-explicit`](crate::rules::DESIGN_EXPLICIT): nothing is added;
//! - rule [`design-implied`](crate::rules::DESIGN_IMPLIED): every future gets `if (Self: Send) { Send }`;
//! - rule [`design-boxed`](crate::rules::DESIGN_BOXED): every future gets an unconditional `Send`
//!   promise (the boxed future is `dyn Future + Send`).

use std::sync::Arc;

use chalkboard_syntax::ast;
use chalkboard_syntax::build;
use chalkboard_syntax::registry::Applied;

use crate::rules;

use crate::Design;

/// A method of a trait whose return type is an anonymous future (an
/// `async fn` or `fn .. -> impl Future`), as written in the source.
pub struct FutureMethod<'a> {
    pub trait_name: &'a str,
    pub method: &'a ast::MethodSig,
}

fn returns_impl_future(sig: &ast::MethodSig) -> bool {
    sig.is_async
        || matches!(
            sig.return_type.as_ref().map(|t| &t.kind),
            Some(ast::TyKind::ImplTrait(bounds)) if bounds.iter().any(|b| matches!(
                &b.bound,
                ast::InlineBound::Trait(tb) if tb.trait_name.text == "Future"
            ) || matches!(
                &b.bound,
                ast::InlineBound::AliasEq(ab) if ab.trait_bound.trait_name.text == "Future"
            ))
        )
}

fn returns_impl_trait(sig: &ast::MethodSig) -> bool {
    sig.is_async
        || matches!(
            sig.return_type.as_ref().map(|t| &t.kind),
            Some(ast::TyKind::ImplTrait(_))
        )
}

/// The future-returning methods of every trait in the source.
pub fn future_methods(original: &ast::File) -> Vec<FutureMethod<'_>> {
    let mut out = Vec::new();
    for item in &original.items {
        if let ast::Item::Trait(t) = item {
            for m in &t.methods {
                if returns_impl_future(&m.sig) {
                    out.push(FutureMethod {
                        trait_name: &t.name.text,
                        method: &m.sig,
                    });
                }
            }
        }
    }
    out
}

/// Rewrites the desugared program for `design`: adds each design's bound to
/// the generic associated type of every future-returning trait method.
///
/// Rule `rewrite-unchanged-shared`: the program is copied only when the
/// rewrite changes it (a trait's computed dyn safety differs from its flag,
/// or a design adds a bound); otherwise the rewritten program is the
/// desugared one, shared, as it is for the explicit design of most
/// programs. A copy of the program was a seventh of an edited run's time.
pub fn apply(
    original: &ast::File,
    desugared: &Arc<ast::File>,
    design: Design,
    applied: &mut Vec<Applied>,
) -> Arc<ast::File> {
    let mut out = Arc::clone(desugared);
    // Rule [`dyn-safety`](crate::rules::DYN_SAFETY): a trait written with methods is object safe exactly
    // when its methods allow it under this design, so `ObjectSafe(Trait)`
    // goals see the computed answer (chalk programs keep `#[object_safe]`).
    let safety = dyn_safety(original, design);
    for i in 0..out.items.len() {
        let ast::Item::Trait(t) = &out.items[i] else {
            continue;
        };
        let Some(s) = safety.iter().find(|s| s.trait_name == t.name.text) else {
            continue;
        };
        applied.push(Applied::new(rules::DYN_SAFETY, s.span, t.name.text.clone()));
        let object_safe = s.blocker.is_none();
        if t.flags.object_safe != object_safe {
            if let ast::Item::Trait(t) = &mut Arc::make_mut(&mut out).items[i] {
                Arc::make_mut(t).flags.object_safe = object_safe;
            }
        }
    }
    if design == Design::Explicit {
        // Rule [`design-explicit`](crate::rules::DESIGN_EXPLICIT): nothing to add.
        for m in future_methods(original) {
            applied.push(Applied::new(
                rules::DESIGN_EXPLICIT,
                m.method.span,
                m.method.name.text.clone(),
            ));
        }
        return out;
    }
    let methods = future_methods(original);
    let total = out.items.len();
    for done in 0..total {
        // Rule run-deadline: the rewrite stops at the run's deadline.
        chalkboard_syntax::deadline::checkpoint(
            "the design's rewrite",
            done,
            total,
            "items rewritten",
            out.items[done].span(),
        );
        let ast::Item::Trait(t) = &out.items[done] else {
            continue;
        };
        let futures: Vec<usize> = t
            .assoc_ty_defns
            .iter()
            .enumerate()
            .filter(|(_, assoc)| {
                methods
                    .iter()
                    .any(|m| m.trait_name == t.name.text && m.method.name.text == assoc.name.text)
            })
            .map(|(k, _)| k)
            .collect();
        if futures.is_empty() {
            continue;
        }
        let ast::Item::Trait(t) = &mut Arc::make_mut(&mut out).items[done] else {
            continue;
        };
        let t = Arc::make_mut(t);
        for k in futures {
            let assoc = &mut t.assoc_ty_defns[k];
            let Some(m) = methods
                .iter()
                .find(|m| m.trait_name == t.name.text && m.method.name.text == assoc.name.text)
            else {
                continue;
            };
            let span = m.method.span;
            let rule = match design {
                Design::Implied => rules::DESIGN_IMPLIED,
                Design::Boxed => rules::DESIGN_BOXED,
                Design::Explicit => rules::DESIGN_EXPLICIT,
            };
            applied.push(Applied::new(rule, span, m.method.name.text.clone()));
            let conditions = match design {
                // Rule [`design-implied`](crate::rules::DESIGN_IMPLIED): `if (Self: Send) { Send }`.
                Design::Implied => vec![build::implemented(
                    build::name_ty("Self", span),
                    "Send",
                    span,
                )],
                // Rule [`design-boxed`](crate::rules::DESIGN_BOXED): an unconditional `Send` promise, kept by
                // every impl (the boxed future is `dyn Future + Send`).
                Design::Boxed => Vec::new(),
                Design::Explicit => continue,
            };
            assoc.bounds.push(ast::QuantifiedInlineBound {
                params: Vec::new(),
                bound: ast::InlineBound::Conditional(ast::ConditionalBound {
                    conditions,
                    bounds: vec![build::trait_bound("Send", span)],
                }),
                span,
            });
        }
    }
    out
}

/// Why a trait is or is not dyn safe under a design (rule [`dyn-safety`](crate::rules::DYN_SAFETY)).
#[derive(Clone, Debug)]
pub struct DynSafety {
    pub trait_name: String,
    pub span: ast::Span,
    /// `None` when dyn safe; otherwise why not, naming the method that
    /// prevents it (rustc's wording after "...because").
    pub blocker: Option<String>,
    /// Where the method that prevents it is declared.
    pub blocker_span: Option<ast::Span>,
}

/// Whether a method is exempt from dyn safety by `where Self: Sized`.
fn sized_only(sig: &ast::MethodSig) -> bool {
    sig.where_clauses.iter().any(|w| {
        matches!(&w.where_clause, ast::WhereClause::Implemented(tr)
            if tr.trait_name.text == "Sized"
                && matches!(tr.args.first(), Some(ast::GenericArg::Ty(ast::Ty { kind: ast::TyKind::Name(n), .. })) if n.text == "Self"))
    })
}

/// Why a method keeps its trait from being dyn safe under `design`, if it
/// does: an `async fn` or `-> impl Trait` method (unless the boxed design
/// boxes its future), a method with type parameters, or an associated
/// function without `self`, each unless it has `where Self: Sized` (rustc's
/// rules for dispatchable methods).
fn method_blocker(sig: &ast::MethodSig, design: Design) -> Option<String> {
    if sized_only(sig) {
        return None;
    }
    let boxed_away = design == Design::Boxed && returns_impl_future(sig);
    if returns_impl_trait(sig) && !boxed_away {
        return Some(crate::wording::dyn_blocker(&sig.name.text, sig.is_async));
    }
    if sig
        .params
        .iter()
        .any(|p| p.kind != ast::ParamKind::Lifetime)
    {
        return Some(crate::wording::dyn_blocker_generic(&sig.name.text));
    }
    if sig.receiver == ast::Receiver::None {
        return Some(crate::wording::dyn_blocker_no_self(&sig.name.text));
    }
    None
}

/// Computed dyn safety for traits written with methods: a trait is not dyn
/// safe when one of its methods is not dispatchable ([`method_blocker`]);
/// the boxed design returns a `dyn` future from every async method, which
/// makes such a method dispatchable.
pub fn dyn_safety(original: &ast::File, design: Design) -> Vec<DynSafety> {
    let mut out = Vec::new();
    for item in &original.items {
        let ast::Item::Trait(t) = item else { continue };
        if t.methods.is_empty() {
            continue;
        }
        let blocker = t
            .methods
            .iter()
            .find_map(|m| method_blocker(&m.sig, design).map(|why| (why, m.sig.name.span)));
        out.push(DynSafety {
            trait_name: t.name.text.clone(),
            span: t.name.span,
            blocker_span: blocker.as_ref().map(|(_, span)| *span),
            blocker: blocker.map(|(why, _)| why),
        });
    }
    out
}
