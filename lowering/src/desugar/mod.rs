//! Desugaring: chalkboard's extensions to pure chalk language, syntax tree to
//! syntax tree.
//!
//! The pass runs in two steps, each of which can be shown on its own with
//! `chalkboard desugar --stage`:
//!
//! 1. [`desugar_async`] (`--stage async`): `use-prelude` (with
//!    `prelude-shadowed`), then `elided-lifetime-to-param` and
//!    `async-fn-to-impl-future` on method signatures, then `implicit-sized`.
//! 2. [`desugar`] (`--stage gat`): step 1, then `impl-trait-to-gat`,
//!    `plain-method-dropped`, `impl-async-fn-to-future-struct`,
//!    `impl-fn-hidden-type`, `rtn-to-gat-bound`,
//!    `assoc-bound-to-where-clause` and `shorthand-to-projection`. Its output contains
//!    no extension node, so the core lowering accepts it.
//!
//! Every rule is named in the doc comment of the code that performs it, and
//! the names are listed in `docs/async.md`.

mod methods;
mod prelude;
mod rtn;
mod sized;

use std::collections::{BTreeMap, BTreeSet};

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::deadline::FreedAsideOnStop;
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::registry::{Applied, Rule};

pub use prelude::{parsed_prelude, PRELUDE};

/// What the later rules need to know about a trait: its parameters, its
/// associated types and its methods (after step 1, so elided lifetimes are
/// already parameters).
#[derive(Clone, Debug, Default)]
pub(crate) struct TraitInfo {
    pub(crate) params: Vec<ast::VariableKind>,
    pub(crate) assoc_types: BTreeSet<String>,
    pub(crate) methods: BTreeMap<String, MethodInfo>,
}

#[derive(Clone, Debug)]
pub(crate) struct MethodInfo {
    pub(crate) params: Vec<ast::VariableKind>,
    /// The method is `async` or returns `impl Trait`, so it has an anonymous
    /// return type that becomes a generic associated type.
    pub(crate) returns_impl_trait: bool,
    pub(crate) span: Span,
}

pub(crate) type Traits = BTreeMap<String, TraitInfo>;

/// What a desugaring step produced: the tree, its diagnostics, and every
/// rule it applied, in order (`chalkboard desugar --rules` prints them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Desugared {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
    pub applied: Vec<Applied>,
}

/// Where the rules report to: the diagnostics, and the rules applied.
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) applied: Vec<Applied>,
}

impl Sink {
    /// Records that `rule` rewrote the source at `span`.
    pub(crate) fn applied(&mut self, rule: Rule, span: Span, subject: impl Into<String>) {
        self.applied.push(Applied::new(rule, span, subject));
    }
}

/// Step 1 only: the prelude is prepended and every `async fn` in a trait is
/// written as a method returning `impl Future`.
pub fn desugar_async(file: &ast::File) -> Desugared {
    let mut sink = Sink::default();
    let out = async_step(file, &mut sink);
    Desugared {
        file: out,
        diagnostics: sink.diags,
        applied: sink.applied,
    }
}

fn async_step(file: &ast::File, sink: &mut Sink) -> ast::File {
    // A Rust file's macros were expanded as it was read; their rules come
    // first.
    if let Some(rust) = &file.rust {
        sink.applied.extend(rust.applied.iter().cloned());
    }
    // Rust's rules apply to programs that use the prelude and to those a
    // Rust front end produced; chalk programs keep chalk's semantics.
    let rust_rules = file.implicit_sized || file.uses_prelude.is_some();
    let mut out = FreedAsideOnStop::new(prelude::use_prelude(file, sink));
    methods::async_step(&mut out, sink);
    sized::implicit_sized(&mut out, rust_rules, sink);
    out.into_inner()
}

/// The whole pass: the result is pure chalk language (when no diagnostic is
/// an error).
pub fn desugar(file: &ast::File) -> Desugared {
    let mut sink = Sink::default();
    // Rule run-deadline: a pass the deadline stops leaves its half-built
    // tree to be freed aside.
    let mut out = FreedAsideOnStop::new(async_step(file, &mut sink));
    let traits = collect_traits(&out);
    methods::gat_step(&mut out, &traits, &mut sink);
    rtn::rtn_step(&mut out, &traits, &mut sink);
    Desugared {
        file: out.into_inner(),
        diagnostics: sink.diags,
        applied: sink.applied,
    }
}

fn collect_traits(file: &ast::File) -> Traits {
    let mut traits = Traits::new();
    for item in &file.items {
        if let ast::Item::Trait(t) = item {
            let info = TraitInfo {
                params: t.params.clone(),
                assoc_types: t
                    .assoc_ty_defns
                    .iter()
                    .map(|a| a.name.text.clone())
                    .collect(),
                methods: t
                    .methods
                    .iter()
                    .map(|m| {
                        let returns_impl_trait = m.sig.is_async
                            || matches!(
                                m.sig.return_type,
                                Some(ast::Ty {
                                    kind: ast::TyKind::ImplTrait(_),
                                    ..
                                })
                            );
                        (
                            m.sig.name.text.clone(),
                            MethodInfo {
                                params: m.sig.params.clone(),
                                returns_impl_trait,
                                span: m.sig.span,
                            },
                        )
                    })
                    .collect(),
            };
            traits.insert(t.name.text.clone(), info);
        }
    }
    traits
}

#[cfg(test)]
mod tests;

/// Rule run-deadline: desugaring stops at the run's deadline, between
/// items, saying how far it got.
pub(crate) fn checkpoint(done: usize, total: usize, span: chalkboard_syntax::ast::Span) {
    chalkboard_syntax::deadline::checkpoint("desugaring", done, total, "items desugared", span);
}
