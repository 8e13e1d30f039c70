//! Rule [`dyn-compatible-use`](crate::rules::DYN_COMPATIBLE_USE): a `dyn
//! Trait` type of a trait that is not dyn compatible is an error (rustc's
//! E0038), wherever it is written: in a type, a field, a signature or a goal.
//!
//! Which traits are dyn compatible depends on the design (the boxed design
//! makes an `async fn` dispatchable), so the check runs in the design's
//! rewrite. A trait is not dyn compatible when one of its methods is not
//! dispatchable (rule `dyn-safety`), and, in a program that follows Rust's
//! rules (one that uses the prelude), also when it declares a generic
//! associated type or requires `Self: Sized`. chalk programs keep chalk's
//! semantics: a trait without methods may be used as `dyn` whatever
//! `#[object_safe]` says.

use std::collections::BTreeMap;

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::visit::shared::{walk_goal, walk_item, walk_ty, Visit};
use chalkboard_syntax::Diagnostic;

use crate::rewrite::dyn_safety;
use crate::{wording, Design};

/// Why a trait is not dyn compatible: rustc's reason and the member that
/// causes it (none for `Self: Sized`), with where it is declared.
#[derive(Clone, Debug)]
pub struct Blocker {
    pub reason: String,
    pub member: Option<String>,
    /// The member is a method, which `where Self: Sized` would exempt.
    pub method: bool,
    pub span: Span,
}

/// The traits of a program that are not dyn compatible under `design`.
pub fn blockers(original: &ast::File, design: Design) -> BTreeMap<String, Blocker> {
    let mut out = BTreeMap::new();
    for s in dyn_safety(original, design) {
        if let Some(reason) = s.blocker {
            let member = original.items.iter().find_map(|i| match i {
                ast::Item::Trait(t) if t.name.text == s.trait_name => t
                    .methods
                    .iter()
                    .find(|m| Some(m.sig.name.span) == s.blocker_span)
                    .map(|m| m.sig.name.text.clone()),
                _ => None,
            });
            out.insert(
                s.trait_name,
                Blocker {
                    reason,
                    member,
                    method: true,
                    span: s.blocker_span.unwrap_or(s.span),
                },
            );
        }
    }
    let rust_rules = original.uses_prelude.is_some() || original.implicit_sized;
    if !rust_rules {
        return out;
    }
    for item in &original.items {
        let ast::Item::Trait(t) = item else { continue };
        if out.contains_key(&t.name.text) {
            continue;
        }
        let requires_sized = t.where_clauses.iter().find(|w| {
            w.params.is_empty()
                && matches!(&w.where_clause, ast::WhereClause::Implemented(tr)
                    if tr.trait_name.text == "Sized"
                        && matches!(tr.args.first(), Some(ast::GenericArg::Ty(ast::Ty { kind: ast::TyKind::Name(n), .. })) if n.text == "Self"))
        });
        let gat = t.assoc_ty_defns.iter().find(|a| !a.params.is_empty());
        let blocker = if let Some(w) = requires_sized {
            Some(Blocker {
                reason: wording::DYN_BLOCKER_SIZED.to_string(),
                member: None,
                method: false,
                span: w.span,
            })
        } else {
            gat.map(|a| Blocker {
                reason: wording::dyn_blocker_gat(&a.name.text),
                member: Some(a.name.text.clone()),
                method: false,
                span: a.name.span,
            })
        };
        if let Some(b) = blocker {
            out.insert(t.name.text.clone(), b);
        }
    }
    out
}

/// One E0038 error per `dyn` type of a trait that is not dyn compatible, in
/// source order.
pub fn check(original: &ast::File, design: Design) -> Vec<Diagnostic> {
    let blockers = blockers(original, design);
    if blockers.is_empty() {
        return Vec::new();
    }
    let boxed = if design == Design::Boxed {
        blockers.clone()
    } else {
        self::blockers(original, Design::Boxed)
    };
    let mut finder = DynUses {
        blockers: &blockers,
        boxed: &boxed,
        found: Vec::new(),
    };
    // Rule `walk-shared`: the walk only reads, so it walks the tree where it
    // is, without copying an item or a goal.
    for item in &original.items {
        walk_item(&mut finder, item);
    }
    for block in &original.goals {
        walk_goal(&mut finder, &block.goal);
    }
    finder.found
}

struct DynUses<'b> {
    blockers: &'b BTreeMap<String, Blocker>,
    /// The blockers under the boxed design, for the help.
    boxed: &'b BTreeMap<String, Blocker>,
    found: Vec<Diagnostic>,
}

impl Visit for DynUses<'_> {
    fn ty(&mut self, ty: &ast::Ty) {
        if let ast::TyKind::Dyn { bounds, .. } = &ty.kind {
            for b in bounds {
                let name = match &b.bound {
                    ast::InlineBound::Trait(t) => &t.trait_name,
                    ast::InlineBound::AliasEq(a) => &a.trait_bound.trait_name,
                    _ => continue,
                };
                let Some(blocker) = self.blockers.get(&name.text) else {
                    continue;
                };
                self.found.push(
                    Diagnostic::error(
                        crate::codes::NOT_DYN_COMPATIBLE,
                        wording::not_dyn_compatible(&name.text),
                        ty.span,
                    )
                    .with_label(wording::not_dyn_compatible_label(&name.text))
                    .with_secondary(blocker.span, format!("...because {}", blocker.reason))
                    .with_note(wording::NOT_DYN_COMPATIBLE_NOTE)
                    .with_help(wording::not_dyn_compatible_help(
                        blocker.member.as_deref(),
                        blocker.method,
                        !self.boxed.contains_key(&name.text),
                    )),
                );
            }
        }
        walk_ty(self, ty);
    }
}
