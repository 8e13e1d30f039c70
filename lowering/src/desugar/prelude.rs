//! The prelude and the `use-prelude` rule.

use std::collections::BTreeSet;

use super::Sink;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::visit::shared::{self, Visit};
use chalkboard_syntax::visit::{walk_item, VisitMut};

/// The prelude's source text (`chalkboard prelude` prints it).
pub const PRELUDE: &str = include_str!("../prelude.chalk");

/// Rule [`use-prelude`](crate::rules::USE_PRELUDE): `use prelude::*;` prepends the prelude's items. Every
/// span in them is set to the span of the `use` line, so that a diagnostic
/// about a prelude item (a duplicate name, an overlapping impl) points into
/// the user's file and not at offsets of an unrelated text. The line itself
/// is removed, so the output does not prepend the prelude twice when parsed
/// again.
pub(crate) fn use_prelude(file: &ast::File, sink: &mut Sink) -> ast::File {
    let mut out = file.clone();
    let Some(span) = out.uses_prelude.take() else {
        return out;
    };
    sink.applied(crate::rules::USE_PRELUDE, span, "prelude");
    // The prelude is parsed to its end even past the run's deadline (it is
    // small): a stop inside it would point into the prelude's text as if it
    // were the file's, and the desugaring stops at its next item anyway.
    let (prelude, prelude_diags) = chalkboard_syntax::deadline::unstoppable(parsed_prelude);
    if let Some(first) = prelude_diags.first() {
        // The prelude is part of chalkboard and tested to parse cleanly; if
        // it ever does not, say so at the `use` line instead of panicking.
        sink.diags.push(
            Diagnostic::error(
                crate::codes::BROKEN_PRELUDE,
                "the prelude does not parse",
                span,
            )
            .with_note(first.message.clone())
            .with_help("this is a bug in chalkboard; remove `use prelude::*;` meanwhile"),
        );
        return out;
    }
    let mut items = shadowed_left_out(
        respanned_prelude(&prelude.items, span),
        &out.items,
        span,
        sink,
    );
    items.append(&mut out.items);
    out.items = items;
    out
}

/// Rule `prelude-parsed-once`: the prelude's text is part of chalkboard, so
/// its tree and diagnostics are the same on every run; it is parsed once per
/// process, the first time a program uses it, and every later run (a REPL's,
/// `--watch`'s, each file of a directory) copies that tree.
pub fn parsed_prelude() -> &'static (ast::File, Vec<Diagnostic>) {
    static PARSED: std::sync::OnceLock<(ast::File, Vec<Diagnostic>)> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| chalkboard_syntax::parse_file(PRELUDE))
}

/// The prelude's items with every span set to `span`, the `use` line's.
///
/// Rule `prelude-respanned-once`: the last such list is kept, per thread,
/// and handed out again while the `use` line stays where it is, so that a
/// kept database's next desugaring meets the very same prelude items
/// (rules items-shared and desugar-reuse), and no run respans them again.
fn respanned_prelude(prelude: &[ast::Item], span: Span) -> Vec<ast::Item> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(Span, Vec<ast::Item>)>> =
            const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((at, items)) = &*last {
            if *at == span {
                return items.clone();
            }
        }
        let mut items = prelude.to_vec();
        let mut respan = Respan(span);
        for item in &mut items {
            walk_item(&mut respan, item);
        }
        *last = Some((span, items.clone()));
        items
    })
}

/// Sets every span to one span.
struct Respan(Span);

impl VisitMut for Respan {
    fn span(&mut self, span: &mut Span) {
        *span = self.0;
    }
}

/// The name an item declares, if it declares one.
fn declared_name(item: &ast::Item) -> Option<&str> {
    match item {
        ast::Item::Adt(x) => Some(&x.name.text),
        ast::Item::Fn(x) => Some(&x.name.text),
        ast::Item::Closure(x) => Some(&x.name.text),
        ast::Item::Trait(x) => Some(&x.name.text),
        ast::Item::OpaqueTy(x) => Some(&x.name.text),
        ast::Item::Coroutine(x) => Some(&x.name.text),
        ast::Item::Foreign(x) => Some(&x.name.text),
        ast::Item::Impl(_) | ast::Item::Clause(_) => None,
    }
}

/// Rule [`prelude-shadowed`](crate::rules::PRELUDE_SHADOWED): `use prelude::*;`
/// is a glob import, so a program's own item wins over the prelude's item of
/// the same name, as in Rust. The prelude's item is left out, and so is every
/// prelude item that mentions it (an impl for the prelude's `Server` is not
/// an impl for the program's `Server`), until nothing left mentions a name
/// that is left out.
fn shadowed_left_out(
    prelude: Vec<ast::Item>,
    program: &[ast::Item],
    span: Span,
    sink: &mut Sink,
) -> Vec<ast::Item> {
    let own: BTreeSet<&str> = program.iter().filter_map(declared_name).collect();
    let mut left_out: BTreeSet<String> = BTreeSet::new();
    for item in &prelude {
        if let Some(name) = declared_name(item).filter(|n| own.contains(n)) {
            sink.applied(crate::rules::PRELUDE_SHADOWED, span, name.to_string());
            left_out.insert(name.to_string());
        }
    }
    if left_out.is_empty() {
        return prelude;
    }
    let mut items = prelude;
    loop {
        let before = items.len();
        items.retain(|item| {
            if declared_name(item).is_some_and(|n| left_out.contains(n)) {
                return false;
            }
            let mut mentioned = Mentioned::default();
            shared::walk_item(&mut mentioned, item);
            if let ast::Item::Impl(i) = item {
                mentioned.0.insert(i.trait_ref.trait_name.text.clone());
            }
            if mentioned.0.iter().any(|n| left_out.contains(n)) {
                if let Some(name) = declared_name(item) {
                    left_out.insert(name.to_string());
                }
                return false;
            }
            true
        });
        if items.len() == before {
            return items;
        }
    }
}

/// The names of the types and traits an item mentions, in the forms the
/// prelude uses: type names, projections, bounds and where clauses.
#[derive(Default)]
struct Mentioned(BTreeSet<String>);

impl Mentioned {
    fn bounds(&mut self, bounds: &[ast::QuantifiedInlineBound]) {
        for b in bounds {
            match &b.bound {
                ast::InlineBound::Trait(t) => {
                    self.0.insert(t.trait_name.text.clone());
                }
                ast::InlineBound::AliasEq(a) => {
                    self.0.insert(a.trait_bound.trait_name.text.clone());
                }
                _ => {}
            }
        }
    }
}

impl Visit for Mentioned {
    fn ty(&mut self, ty: &ast::Ty) {
        match &ty.kind {
            ast::TyKind::Name(n) | ast::TyKind::Apply(n, _) => {
                self.0.insert(n.text.clone());
            }
            ast::TyKind::Projection(p) => {
                self.0.insert(p.trait_ref.trait_name.text.clone());
            }
            ast::TyKind::Dyn { bounds, .. } | ast::TyKind::ImplTrait(bounds) => self.bounds(bounds),
            _ => {}
        }
        shared::walk_ty(self, ty);
    }

    fn where_clauses(&mut self, wcs: &Vec<ast::QuantifiedWhereClause>) {
        for w in wcs {
            match &w.where_clause {
                ast::WhereClause::Implemented(t) => {
                    self.0.insert(t.trait_name.text.clone());
                }
                ast::WhereClause::AliasEq { projection, .. } => {
                    self.0.insert(projection.trait_ref.trait_name.text.clone());
                }
                ast::WhereClause::Relaxed { trait_name, .. } => {
                    self.0.insert(trait_name.text.clone());
                }
                _ => {}
            }
            shared::walk_quantified_where_clause(self, w);
        }
    }
}
