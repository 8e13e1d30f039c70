//! Desugaring: chalkboard's extensions to pure chalk language, syntax tree to
//! syntax tree.
//!
//! The pass runs in two steps, each of which can be shown on its own with
//! `chalkboard desugar --stage`:
//!
//! 1. [`desugar_async`] (`--stage async`): `use-prelude`, then
//!    `elided-lifetime-to-param` and `async-fn-to-impl-future` on method
//!    signatures.
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

use std::collections::{BTreeMap, BTreeSet};

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::diagnostic::Diagnostic;

pub use prelude::PRELUDE;

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

/// Step 1 only: the prelude is prepended and every `async fn` in a trait is
/// written as a method returning `impl Future`.
pub fn desugar_async(file: &ast::File) -> (ast::File, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = prelude::use_prelude(file, &mut diags);
    methods::async_step(&mut out, &mut diags);
    (out, diags)
}

/// The whole pass: the result is pure chalk language (when no diagnostic is
/// an error).
pub fn desugar(file: &ast::File) -> (ast::File, Vec<Diagnostic>) {
    let (mut out, mut diags) = desugar_async(file);
    let traits = collect_traits(&out);
    methods::gat_step(&mut out, &traits, &mut diags);
    rtn::rtn_step(&mut out, &traits, &mut diags);
    (out, diags)
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
