//! What the syntax tree knows about the items an explanation names: how an
//! impl's header reads, a struct's fields and where they were written,
//! which items are the prelude's (and on which line of the prelude), and
//! which items a desugaring or design rule generated.
//!
//! Item `i` of the tree that was lowered has raw id `i` (rule `assign-ids`),
//! so an impl, struct or trait id leads back to its syntax.

use chalk_ir::{AdtId, AssocTypeId, ImplId};
use chalkboard_lowering::interner::{Ir, RawId};
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::registry::{Applied, Rule};

use super::Place;

/// The syntax behind a lowered program.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// The tree that was lowered (desugared, and rewritten by the layer).
    tree: ast::File,
    /// How many leading items are the prelude's.
    prelude_items: usize,
    /// The prelude's own tree, with spans into its text.
    prelude: ast::File,
    /// Every rule desugaring and the layer's rewrite applied.
    applied: Vec<Applied>,
}

/// A field of a struct, as an explanation names it.
#[derive(Clone, Debug)]
pub struct FieldSource {
    pub name: String,
    pub ty: String,
    pub place: Option<Place>,
}

/// The 1-based line of a byte offset in a text.
fn line_of(text: &str, offset: u32) -> usize {
    text[..(offset as usize).min(text.len())]
        .matches('\n')
        .count()
        + 1
}

fn item_name(item: &ast::Item) -> Option<&str> {
    Some(match item {
        ast::Item::Adt(x) => &x.name.text,
        ast::Item::Fn(x) => &x.name.text,
        ast::Item::Closure(x) => &x.name.text,
        ast::Item::Trait(x) => &x.name.text,
        ast::Item::OpaqueTy(x) => &x.name.text,
        ast::Item::Coroutine(x) => &x.name.text,
        ast::Item::Foreign(x) => &x.name.text,
        ast::Item::Impl(x) => &x.trait_ref.trait_name.text,
        ast::Item::Clause(_) => return None,
    })
}

impl SourceMap {
    /// The source map of `tree` (the tree that was lowered); `applied` are
    /// the rules its desugaring and rewrite applied.
    pub fn new(tree: &ast::File, applied: &[Applied]) -> SourceMap {
        // Rule prelude-parsed-once.
        let (prelude, _) = chalkboard_lowering::desugar::parsed_prelude();
        let n = prelude.items.len();
        // `use-prelude` prepends the prelude's items and gives all of them
        // the span of the `use` line, which no item of the file itself has.
        let from_prelude = n > 0
            && tree.items.len() >= n
            && tree.items[..n]
                .iter()
                .all(|i| i.span() == tree.items[0].span())
            && tree.items[..n]
                .iter()
                .zip(&prelude.items)
                .all(|(a, b)| item_name(a) == item_name(b));
        SourceMap {
            tree: tree.clone(),
            prelude_items: if from_prelude { n } else { 0 },
            prelude: prelude.clone(),
            applied: applied.to_vec(),
        }
    }

    /// Every rule desugaring and the layer's rewrite applied.
    pub fn applied(&self) -> &[Applied] {
        &self.applied
    }

    /// The item with raw id `id`, and whether it is the prelude's (then the
    /// prelude's own copy, whose spans are offsets into the prelude).
    fn item(&self, id: RawId) -> Option<(&ast::Item, bool)> {
        let i = id.index as usize;
        if i < self.prelude_items {
            self.prelude.items.get(i).map(|item| (item, true))
        } else {
            self.tree.items.get(i).map(|item| (item, false))
        }
    }

    fn place(&self, span: Span, in_prelude: bool) -> Place {
        if in_prelude {
            Place::Prelude {
                line: line_of(chalkboard_lowering::desugar::PRELUDE, span.start),
            }
        } else {
            Place::File(span)
        }
    }

    /// Where item `id` was written.
    pub fn item_place(&self, id: RawId) -> Option<Place> {
        self.item(id)
            .map(|(item, prelude)| self.place(item.span(), prelude))
    }

    /// The rule that generated the item written at `span`, among `rules`.
    pub fn generated_by(&self, span: Span, rules: &[Rule]) -> Option<&Applied> {
        self.applied
            .iter()
            .find(|a| a.span == span && rules.contains(&a.rule))
    }

    /// The design rule that rewrote the item written at `span` (a design's
    /// conditional bound carries the span of the method it was added for).
    pub fn design_rule_at(&self, span: Span) -> Option<Rule> {
        self.applied
            .iter()
            .find(|a| a.span == span && a.rule.stage == chalkboard_syntax::registry::Stage::Design)
            .filter(|a| a.rule.name.starts_with("design-"))
            .map(|a| a.rule)
    }

    /// `impl<T> !Send for Rc<T>` (with its where clauses), as written.
    pub fn impl_header(&self, id: ImplId<Ir>) -> Option<String> {
        let (ast::Item::Impl(imp), _) = self.item(id.0)? else {
            return None;
        };
        let mut header = ast::ImplDefn::clone(imp);
        header.assoc_ty_values.clear();
        header.methods.clear();
        header.upstream = false;
        // `T: ?Sized` only removes an implicit bound (rule `implicit-sized`):
        // no clause comes of it, so the explanation leaves it out.
        header
            .where_clauses
            .retain(|w| !matches!(w.where_clause, ast::WhereClause::Relaxed { .. }));
        let text =
            chalkboard_syntax::print::print_item(&ast::Item::Impl(std::sync::Arc::new(header)));
        let text = text.trim_end();
        let text = text.strip_suffix("{}").unwrap_or(text).trim_end();
        Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The span of an impl as written (for an item generated by a rule: the
    /// source the rule rewrote).
    pub fn impl_span(&self, id: ImplId<Ir>) -> Option<Span> {
        match self.item(id.0)? {
            (ast::Item::Impl(imp), false) => Some(imp.span),
            _ => None,
        }
    }

    /// An impl's where clauses as written, each with its place.
    pub fn impl_where_clauses(&self, id: ImplId<Ir>) -> Vec<(String, Place)> {
        let Some((ast::Item::Impl(imp), prelude)) = self.item(id.0) else {
            return Vec::new();
        };
        self.where_clauses(&imp.where_clauses, prelude)
    }

    /// A struct's or enum's where clauses as written, each with its place.
    pub fn adt_where_clauses(&self, id: AdtId<Ir>) -> Vec<(String, Place)> {
        let Some((ast::Item::Adt(adt), prelude)) = self.item(id.0) else {
            return Vec::new();
        };
        self.where_clauses(&adt.where_clauses, prelude)
    }

    /// Where clauses in the order lowering gives them: the parser splits
    /// `T: Tr<A = U>` into `T: Tr` and `<T as Tr>::A = U` at the same
    /// place, and lowering puts the equalities first (rule
    /// `lower-where-clauses`), and so do the clauses' conditions.
    fn where_clauses(
        &self,
        clauses: &[ast::QuantifiedWhereClause],
        prelude: bool,
    ) -> Vec<(String, Place)> {
        let clauses: Vec<ast::QuantifiedWhereClause> = clauses
            .iter()
            .filter(|w| !matches!(w.where_clause, ast::WhereClause::Relaxed { .. }))
            .cloned()
            .collect();
        let mut ordered: Vec<&ast::QuantifiedWhereClause> = Vec::new();
        let mut i = 0;
        while i < clauses.len() {
            let span = clauses[i].span;
            let run: Vec<&ast::QuantifiedWhereClause> =
                clauses[i..].iter().take_while(|w| w.span == span).collect();
            i += run.len();
            let is_eq = |w: &&ast::QuantifiedWhereClause| {
                matches!(w.where_clause, ast::WhereClause::AliasEq { .. })
            };
            ordered.extend(run.iter().filter(|w| is_eq(w)));
            ordered.extend(run.iter().filter(|w| !is_eq(w)));
        }
        ordered
            .into_iter()
            .map(|w| {
                (
                    chalkboard_syntax::print::print_where_clause(&w.where_clause),
                    self.place(w.span, prelude),
                )
            })
            .collect()
    }

    /// The associated type value `name` of impl `id`: its text and span.
    pub fn assoc_value(&self, id: ImplId<Ir>, name: &str) -> Option<(String, Option<Place>, Span)> {
        let (ast::Item::Impl(imp), prelude) = self.item(id.0)? else {
            return None;
        };
        let v = imp.assoc_ty_values.iter().find(|v| v.name.text == name)?;
        let params = if v.params.is_empty() {
            String::new()
        } else {
            format!(
                "<{}>",
                v.params
                    .iter()
                    .map(super::hints::param_name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Some((
            format!(
                "type {}{params} = {}",
                v.name.text,
                chalkboard_syntax::print::print_ty(&v.value)
            ),
            Some(self.place(v.span, prelude)),
            v.span,
        ))
    }

    /// The name of a struct or enum.
    pub fn adt_name(&self, id: AdtId<Ir>) -> Option<&str> {
        match self.item(id.0)? {
            (ast::Item::Adt(adt), _) => Some(&adt.name.text),
            _ => None,
        }
    }

    /// The span of a struct or enum in the file (`None` in the prelude).
    pub fn adt_span(&self, id: AdtId<Ir>) -> Option<Span> {
        match self.item(id.0)? {
            (ast::Item::Adt(adt), false) => Some(adt.span),
            _ => None,
        }
    }

    /// A struct's or enum's fields, every variant's in order (the order of
    /// chalk's constituent types, which an auto trait's impl requires).
    pub fn adt_fields(&self, id: AdtId<Ir>) -> Vec<FieldSource> {
        let Some((ast::Item::Adt(adt), prelude)) = self.item(id.0) else {
            return Vec::new();
        };
        adt.variants
            .iter()
            .flat_map(|v| &v.fields)
            .map(|f| FieldSource {
                name: f.name.text.clone(),
                ty: chalkboard_syntax::print::print_ty(&f.ty),
                place: Some(self.place(f.name.span, prelude)),
            })
            .collect()
    }

    /// The declaration of an associated type: `Trait::Name`, and where it
    /// was written.
    pub fn assoc_ty(&self, program: &Program, id: AssocTypeId<Ir>) -> Option<(String, Span)> {
        let span = program.assoc_ty_span(id)?;
        for item in &self.tree.items {
            if let ast::Item::Trait(t) = item {
                if let Some(a) = t.assoc_ty_defns.iter().find(|a| a.span == span) {
                    return Some((format!("{}::{}", t.name.text, a.name.text), a.span));
                }
            }
        }
        None
    }

    /// Whether the span is the `use prelude::*;` line's (every prelude item
    /// carries it).
    pub fn is_prelude_span(&self, span: Span) -> bool {
        self.prelude_items > 0 && self.tree.items.first().map(|i| i.span()) == Some(span)
    }
}
