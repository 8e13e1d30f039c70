//! The attribute macros a design review meets in real code, expanded as
//! their crates expand them, before the file is read (docs/macros.md).
//!
//! - rule [`trait-variant-make`](crate::rules::TRAIT_VARIANT_MAKE):
//!   `#[trait_variant::make(SendTrait: Send)]` ([`trait_variant`]);
//! - rule [`async-trait`](crate::rules::ASYNC_TRAIT): `#[async_trait]` and
//!   `#[async_trait(?Send)]` on a trait and its impls ([`async_trait`]);
//! - rule [`dyner`](crate::rules::DYNER): `#[dyner]` and
//!   `dyner::external_trait!` ([`dyner`]).
//!
//! A procedural macro rewrites tokens; so does this module, on the file's
//! text: each macro is a list of [`Edit`]s (text inserted or replaced at a
//! range of the original), and the reader reads the edited text. Every
//! position of the edited text maps back to the original through a
//! [`SourceMap`]: text the edits kept maps to itself, so a diagnostic in a
//! user's body points where the user wrote it, and generated text maps to
//! the source its edit names (the attribute, or the signature it rewrote),
//! as rustc points a macro's errors at the spans the macro gave its tokens.

mod async_trait;
mod dyner;
mod trait_variant;

use chalkboard_syntax::ast::Span;
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;
use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::{HasAttrs, HasModuleItem, HasName};
use ra_ap_syntax::{AstNode, TextRange, TextSize};

/// One rewrite of the original text: `range` (empty for an insertion)
/// becomes `text`, and whatever is read from `text` is reported at
/// `origin`.
#[derive(Clone, Debug)]
pub(crate) struct Edit {
    pub range: TextRange,
    pub text: String,
    pub origin: Span,
}

impl Edit {
    pub fn insert(at: TextSize, text: String, origin: Span) -> Edit {
        Edit {
            range: TextRange::empty(at),
            text,
            origin,
        }
    }
}

/// Where each edit's text landed in the expanded text, and what it
/// replaced.
#[derive(Clone, Debug, Default)]
pub(crate) struct SourceMap {
    /// (expanded start, expanded end, original end, origin), in order.
    edits: Vec<(u32, u32, u32, Span)>,
}

impl SourceMap {
    /// The original position of the start of a range of the expanded text.
    pub fn start(&self, p: u32) -> u32 {
        self.map(p, true)
    }

    /// The original position of the end of a range of the expanded text.
    pub fn end(&self, p: u32) -> u32 {
        self.map(p, false)
    }

    fn map(&self, p: u32, is_start: bool) -> u32 {
        // Positions after an edit keep their distance to its end.
        let mut anchor: Option<(u32, u32)> = None;
        for &(start, end, original_end, origin) in &self.edits {
            let inside = if is_start {
                p >= start && p < end
            } else {
                p > start && p <= end
            };
            if inside {
                return if is_start { origin.start } else { origin.end };
            }
            if p < start || p == start && !is_start {
                break;
            }
            anchor = Some((end, original_end));
        }
        match anchor {
            Some((end, original_end)) => original_end + (p - end),
            None => p,
        }
    }
}

/// What the macros of a file expand to.
pub(crate) struct Expansion {
    pub text: String,
    pub map: SourceMap,
    pub applied: Vec<Applied>,
    pub diags: Vec<Diagnostic>,
}

/// What a macro's expansion adds to a file, and what it says.
#[derive(Default)]
pub(crate) struct Expander {
    pub edits: Vec<Edit>,
    pub applied: Vec<Applied>,
    pub diags: Vec<Diagnostic>,
    /// The traits `#[dyner]` or `dyner::external_trait!` gives a `Dyn`
    /// type, by module path and name, for dyner safety.
    pub dyner_traits: Vec<(Vec<String>, String)>,
    /// The text of each `use` item, by module, for dyner safety.
    pub dyner_uses: Vec<(Vec<String>, String)>,
}

/// A span of the original text.
pub(crate) fn span_of(range: TextRange) -> Span {
    Span::new(range.start().into(), range.end().into())
}

/// The text of a node without the comments and attributes before it.
pub(crate) fn text_after_attrs(node: &ra_ap_syntax::SyntaxNode) -> (TextSize, String) {
    let range = node.text_range();
    let start = node
        .children_with_tokens()
        .find(|element| {
            !matches!(
                element.kind(),
                ra_ap_syntax::SyntaxKind::COMMENT
                    | ra_ap_syntax::SyntaxKind::WHITESPACE
                    | ra_ap_syntax::SyntaxKind::ATTR
            )
        })
        .map_or(range.start(), |element| element.text_range().start());
    let text = node.text().to_string();
    let skip = usize::from(start - range.start());
    (start, text[skip..].to_string())
}

/// The path of an attribute (`trait_variant::make`) and the text of its
/// arguments (`SendTrait: Send`), if it has any.
pub(crate) fn attr_parts(attr: &ra::Attr) -> Option<(String, Option<String>)> {
    let text = attr.syntax().text().to_string();
    let inner = text.strip_prefix("#[")?.strip_suffix(']')?;
    Some(match inner.split_once('(') {
        Some((path, args)) => (
            path.replace(char::is_whitespace, ""),
            Some(args.trim_end().strip_suffix(')')?.trim().to_string()),
        ),
        None => (inner.replace(char::is_whitespace, ""), None),
    })
}

/// Expands every macro of the file; `None` when it uses none.
pub(crate) fn expand(file: &ra::SourceFile, text: &str) -> Option<Expansion> {
    let mut ex = Expander::default();
    // dyner first learns which traits have a `Dyn` type, so that a trait
    // may name one declared after it.
    dyner::collect(&mut ex, file.items());
    walk(&mut ex, file.items());
    if ex.edits.is_empty() && ex.diags.is_empty() {
        return None;
    }
    let (text, map) = apply(text, ex.edits);
    Some(Expansion {
        text,
        map,
        applied: ex.applied,
        diags: ex.diags,
    })
}

/// Calls `visit` on every item of `items` and, through inline modules, of
/// the modules among them, with the path of the module it is in.
pub(super) fn for_each_item(
    items: impl Iterator<Item = ra::Item>,
    module: &[String],
    visit: &mut impl FnMut(&ra::Item, &[String]),
) {
    for item in items {
        if let ra::Item::Module(m) = &item {
            if let (Some(name), Some(list)) = (m.name(), m.item_list()) {
                let mut inner = module.to_vec();
                inner.push(name.text().to_string());
                for_each_item(list.items(), &inner, visit);
            }
        }
        visit(&item, module);
    }
}

fn walk(ex: &mut Expander, items: impl Iterator<Item = ra::Item>) {
    for_each_item(items, &[], &mut |item, module| {
        match item {
            ra::Item::Trait(t) => {
                for attr in t.attrs() {
                    let Some((path, args)) = attr_parts(&attr) else {
                        continue;
                    };
                    match path.as_str() {
                        "trait_variant::make" => trait_variant::make(ex, t, &attr, args),
                        "async_trait" | "async_trait::async_trait" => {
                            async_trait::on_trait(ex, t, &attr, args)
                        }
                        "dyner" | "dyner::dyner" => dyner::on_trait(ex, t, &attr, module),
                        _ => {}
                    }
                }
            }
            ra::Item::Impl(i) => {
                for attr in i.attrs() {
                    let Some((path, args)) = attr_parts(&attr) else {
                        continue;
                    };
                    if matches!(path.as_str(), "async_trait" | "async_trait::async_trait") {
                        async_trait::on_impl(ex, i, &attr, args);
                    }
                }
            }
            ra::Item::MacroCall(call) => dyner::on_macro_call(ex, call, module),
            // `use dyner::dyner;` imports the attribute, which the
            // expansion consumes; the crate's items are found by their
            // paths (`dyner::std::iter::DynIterator`).
            ra::Item::Use(u)
                if u.syntax()
                    .text()
                    .to_string()
                    .replace(char::is_whitespace, "")
                    == "usedyner::dyner;" =>
            {
                let range = u.syntax().text_range();
                ex.edits.push(Edit {
                    range,
                    text: String::new(),
                    origin: span_of(range),
                });
            }
            _ => {}
        }
    });
}

/// The edited text and its map back to the original.
fn apply(text: &str, mut edits: Vec<Edit>) -> (String, SourceMap) {
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len() + 256);
    let mut map = SourceMap::default();
    let mut at = 0usize;
    for edit in edits {
        let start = usize::from(edit.range.start());
        if start < at {
            // Overlapping edits cannot both apply; the macros never make
            // them, and the first one wins.
            continue;
        }
        out.push_str(&text[at..start]);
        let expanded_start = out.len() as u32;
        out.push_str(&edit.text);
        map.edits.push((
            expanded_start,
            out.len() as u32,
            u32::from(edit.range.end()),
            edit.origin,
        ));
        at = usize::from(edit.range.end());
    }
    out.push_str(&text[at..]);
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_keeps_kept_text_and_sends_generated_text_to_its_origin() {
        let text = "abcdef";
        let edits = vec![
            Edit::insert(TextSize::from(2), "XYZ".into(), Span::new(0, 1)),
            Edit {
                range: TextRange::new(TextSize::from(4), TextSize::from(5)),
                text: "".into(),
                origin: Span::new(4, 5),
            },
        ];
        let (out, map) = apply(text, edits);
        assert_eq!(out, "abXYZcdf");
        assert_eq!(map.start(0), 0);
        assert_eq!(map.start(2), 0);
        assert_eq!(map.end(5), 1);
        assert_eq!(map.start(5), 2);
        assert_eq!(map.start(7), 5);
        assert_eq!(map.end(8), 6);
    }
}
