//! rustc's lints that bear on the designs, as warnings.
//!
//! - `refining_impl_trait`: an impl's method that returns a more specific
//!   type than its trait's `async fn` or `-> impl Trait` declares (a concrete
//!   type, or `impl Trait` with a bound the trait's lacks, such as `+ Send`)
//!   refines the trait's signature. A caller that knows the impl's type sees
//!   the refinement (its future is `Send`), so it becomes part of the
//!   impl's public API; rustc warns, and so does chalkboard, in rustc's
//!   words, at the same place. `#[allow(refining_impl_trait)]` (or one of
//!   the lint's two halves, `_reachable` and `_internal`, or `warnings`) on
//!   the method, its impl or the crate, and `#[refine]` on the method or
//!   impl, silence it.

use chalkboard_syntax::ast;
use chalkboard_syntax::rust::{FnOwner, Function};
use chalkboard_syntax::{Diagnostic, Severity};
use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::HasAttrs;
use ra_ap_syntax::{AstNode, TextRange};

use crate::codes;

/// The names that silence `refining_impl_trait` in an `allow`.
const REFINING_NAMES: &[&str] = &[
    "refining_impl_trait",
    "refining_impl_trait_reachable",
    "refining_impl_trait_internal",
    "warnings",
];

/// Warns about every impl method of the file that refines its trait's
/// `async fn` or `-> impl Trait`.
pub(crate) fn refining_impl_trait(
    tree: &ra::SourceFile,
    functions: &[Function],
    diags: &mut Vec<Diagnostic>,
) {
    if tree.attrs().any(|a| allows(&a)) {
        return;
    }
    let silenced = silenced_ranges(tree);
    for f in functions.iter().filter(|f| !f.in_model) {
        let FnOwner::TraitImpl { trait_name, .. } = &f.owner else {
            continue;
        };
        let declared = functions.iter().find(|d| {
            d.name.text == f.name.text
                && matches!(&d.owner, FnOwner::Trait { trait_name: t, .. } if t.text == trait_name.text)
        });
        let Some(declared) = declared else { continue };
        let Some(promised) = promised_bounds(declared) else {
            continue;
        };
        if f.is_async {
            continue;
        }
        let Some(returned) = &f.return_type else {
            continue;
        };
        let refines = match &returned.kind {
            ast::TyKind::ImplTrait(bounds) => bounds
                .iter()
                .filter_map(|b| bound_trait(&b.bound))
                .any(|name| !promised.contains(&name)),
            // A nameable type is more specific than any `impl Trait`.
            _ => true,
        };
        let start = f.span.start as usize;
        if !refines
            || silenced
                .iter()
                .any(|r| usize::from(r.start()) <= start && start < usize::from(r.end()))
        {
            continue;
        }
        let trait_span = declared
            .return_type
            .as_ref()
            .map_or(declared.sig_span, |t| t.span);
        let mut warning = Diagnostic::error(
                codes::RUST_REFINING_IMPL_TRAIT,
                "impl trait in impl method signature does not match trait method signature",
                returned.span,
            )
            .with_label("this return type is more specific than the trait's")
            .with_secondary(trait_span, "return type from trait method defined here")
            .with_note(
                "a caller that knows this impl's type sees the refinement, so it is part of the impl's public API",
            )
            .with_help(format!(
                "return `{}` as the trait does, or add `#[allow(refining_impl_trait)]` if the refinement is meant to be public",
                trait_return(declared)
            ));
        warning.severity = Severity::Warning;
        diags.push(warning);
    }
}

/// The traits a trait method's anonymous return type promises, when it
/// has one: `Future` for an `async fn`, the bounds of `-> impl Trait`.
fn promised_bounds(declared: &Function) -> Option<Vec<String>> {
    if declared.is_async {
        return Some(vec!["Future".to_string()]);
    }
    match &declared.return_type.as_ref()?.kind {
        ast::TyKind::ImplTrait(bounds) => Some(
            bounds
                .iter()
                .filter_map(|b| bound_trait(&b.bound))
                .collect(),
        ),
        _ => None,
    }
}

/// The trait a bound names (`Future` in `Future<Output = T>`); none for an
/// outlives bound.
fn bound_trait(bound: &ast::InlineBound) -> Option<String> {
    match bound {
        ast::InlineBound::Trait(t) => Some(t.trait_name.text.clone()),
        ast::InlineBound::AliasEq(a) => Some(a.trait_bound.trait_name.text.clone()),
        ast::InlineBound::Outlives(_)
        | ast::InlineBound::Conditional(_)
        | ast::InlineBound::Relaxed(_) => None,
    }
}

/// The trait method's return type as an impl should write it.
fn trait_return(declared: &Function) -> String {
    if declared.is_async {
        let output = declared
            .return_type
            .as_ref()
            .map_or_else(|| "()".to_string(), chalkboard_syntax::print::print_ty);
        return format!("impl Future<Output = {output}>");
    }
    declared
        .return_type
        .as_ref()
        .map_or_else(String::new, chalkboard_syntax::print::print_ty)
}

/// The ranges of the impls and methods whose attributes silence the lint.
fn silenced_ranges(tree: &ra::SourceFile) -> Vec<TextRange> {
    let mut ranges = Vec::new();
    for node in tree.syntax().descendants() {
        let attrs: Vec<ra::Attr> = if let Some(f) = ra::Fn::cast(node.clone()) {
            f.attrs().collect()
        } else if let Some(i) = ra::Impl::cast(node.clone()) {
            i.attrs().collect()
        } else {
            continue;
        };
        if attrs.iter().any(|a| allows(a) || is_refine(a)) {
            ranges.push(node.text_range());
        }
    }
    ranges
}

/// `#[allow(..)]` (or `#![allow(..)]`, or `expect`) naming the lint.
fn allows(attr: &ra::Attr) -> bool {
    let text: String = attr
        .syntax()
        .text()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let list = text
        .trim_start_matches("#!")
        .trim_start_matches('#')
        .trim_start_matches('[');
    let Some(names) = list
        .strip_prefix("allow(")
        .or_else(|| list.strip_prefix("expect("))
    else {
        return false;
    };
    names
        .trim_end_matches(']')
        .trim_end_matches(')')
        .split(',')
        .any(|n| REFINING_NAMES.contains(&n))
}

/// `#[refine]`, which says the refinement is meant.
fn is_refine(attr: &ra::Attr) -> bool {
    attr.syntax().text().to_string().replace(' ', "") == "#[refine]"
}
