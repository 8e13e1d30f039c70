//! chalkboard's Rust front end: reads a `.rs` file with rust-analyzer's
//! parser (`ra_ap_syntax`) into chalkboard's syntax tree, beside the model
//! of the standard library, so the same file rustc checks goes through
//! chalkboard's pipeline (desugaring, the designs, lowering) unchanged.
//!
//! - traits, trait impls, structs and enums become chalk items of the
//!   [`ast::File`] (rule `rust-item-to-chalk`);
//! - functions and methods, with their bodies, go to the file's
//!   [`chalkboard_syntax::rust::RustFile`], which the body checker reads;
//! - paths are resolved against the file's modules, its `use`s, the model
//!   of the standard library (`model/std.rs`, printed by `chalkboard
//!   prelude --rust`) and Rust's prelude (rule `rust-resolve-path`);
//! - rustc's UI-test annotations (`//~ ERROR`, `//@ revisions`) become the
//!   file's expectations.
//!
//! Architecture invariant: reading never fails; every construct outside
//! the supported subset is reported at its span, never skipped silently.
//! This crate knows nothing of chalk-ir or salsa.

mod annotations;
mod body;
mod chalk_bodies;
pub mod codes;
mod defaults;
mod items;
mod lints;
mod macros;
mod resolve;
pub mod rules;
mod types;

use std::collections::HashMap;

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::rust::RustFile;
use chalkboard_syntax::Diagnostic;
use ra_ap_syntax::ast as ra;
use ra_ap_syntax::{AstNode, Edition, SourceFile, SyntaxKind, TextRange};

use resolve::{Defs, ModId};

pub use chalk_bodies::{has_code_bodies, read_chalk_bodies};

/// chalkboard's model of the standard library, as Rust source.
pub const MODEL: &str = include_str!("../model/std.rs");

/// The path a user sees for the model in diagnostics.
pub const MODEL_PATH: &str = "<chalkboard's std model>";

/// Reads a Rust file: the chalk program of its items (with the model's),
/// its functions and expectations, and every diagnostic.
pub fn read_file(text: &str) -> (ast::File, Vec<Diagnostic>) {
    let model = SourceFile::parse(MODEL, Edition::Edition2024);
    let file = SourceFile::parse(text, Edition::Edition2024);
    let mut reader = Reader::default();
    // rust-analyzer's parser reports an error at every token it cannot
    // place, so one mistake gives a cascade; rustc's parser recovers at the
    // next item and reports the first. So is kept the first error of each
    // stretch of the file between two top-level items' starts.
    let item_starts: Vec<u32> = ra::HasModuleItem::items(&file.tree())
        .map(|item| item.syntax().text_range().start().into())
        .collect();
    let mut reported_stretches = std::collections::BTreeSet::new();
    let mut errors = file.errors();
    errors.sort_by_key(|e| e.range().start());
    for error in errors {
        let range = error.range();
        let start: u32 = range.start().into();
        let stretch = item_starts.partition_point(|&s| s <= start);
        if !reported_stretches.insert(stretch) {
            continue;
        }
        reader.diags.push(
            Diagnostic::error(
                codes::RUST_SYNTAX_ERROR,
                error.to_string(),
                Span::new(range.start().into(), range.end().into()),
            )
            .with_help("fix the syntax; chalkboard reads Rust as rustc's parser does"),
        );
    }
    // The model parses cleanly (a test checks it); its errors would be ours.
    let model_tree = model.tree();
    let original_tree = file.tree();
    // The attribute macros are expanded on the text, and the expanded text
    // is read, its spans mapped back to the file (docs/macros.md).
    let expanded = if reader.diags.is_empty() {
        macros::expand(&original_tree, text)
    } else {
        None
    };
    let file_tree = match expanded {
        Some(expansion) => {
            let parsed = SourceFile::parse(&expansion.text, Edition::Edition2024);
            reader.map = Some(expansion.map);
            reader.rust.applied = expansion.applied;
            reader.diags.extend(expansion.diags);
            // The macros write text rustc's parser accepts; an error here
            // is chalkboard's, and is reported where it maps to.
            for error in parsed.errors() {
                let range = error.range();
                let span = reader.span(&Scope::default(), range);
                reader.diags.push(
                    Diagnostic::error(
                        codes::RUST_SYNTAX_ERROR,
                        format!("the expansion of a macro does not parse: {error}"),
                        span,
                    )
                    .with_help("this is chalkboard's mistake; write the macro's expansion by hand meanwhile"),
                );
            }
            parsed.tree()
        }
        None => original_tree.clone(),
    };
    reader.collect(&model_tree, true);
    reader.collect(&file_tree, false);
    reader.defs.assign_flat_names();
    reader.convert(&model_tree, true);
    reader.convert(&file_tree, false);
    defaults::keep_default_async_fns(&mut reader.out.items, &mut reader.rust.functions);
    lints::refining_impl_trait(&original_tree, &reader.rust.functions, &mut reader.diags);
    reader.rust.expectations = annotations::read(text, &mut reader.diags);
    let mut out = reader.out;
    // Rust's type parameters are `Sized` unless they say `?Sized` (rule
    // `implicit-sized`, with the model's `Sized` as chalk's lang item).
    out.implicit_sized = true;
    out.rust = Some(Box::new(reader.rust));
    (out, reader.diags)
}

/// Where the reader is: which text, which module, which generic
/// parameters and which `Self` are in scope.
#[derive(Clone, Default)]
pub(crate) struct Scope {
    pub module: ModId,
    pub in_model: bool,
    /// Reading a body, where `_` in a type asks for inference.
    pub in_body: bool,
    /// Generic parameters in scope, innermost last: (name, is a lifetime).
    pub params: Vec<(String, bool)>,
    /// What `Self` means here.
    pub self_ty: Option<ast::Ty>,
    /// Inside a trait: its flat name (so `Self::Item` may name its own items).
    pub current_trait: Option<String>,
    /// Where the text being read starts in its file: a `.chalk` file's code
    /// body is parsed on its own, so its ranges are shifted by this.
    pub offset: u32,
}

#[derive(Default)]
pub(crate) struct Reader {
    pub defs: Defs,
    pub diags: Vec<Diagnostic>,
    pub out: ast::File,
    pub rust: RustFile,
    /// The module each `mod` item and each file opened, by (text, range).
    pub modules_at: HashMap<(bool, TextRange), ModId>,
    /// The id of each ADT, trait and alias item, by (text, range).
    pub adts_at: HashMap<(bool, TextRange), usize>,
    pub traits_at: HashMap<(bool, TextRange), usize>,
    /// Type aliases: the syntax node and the scope it was declared in.
    pub alias_nodes: Vec<(ra::TypeAlias, Scope)>,
    /// Aliases being expanded (to report a cycle instead of looping).
    pub expanding: Vec<usize>,
    /// Counter for names the reader invents (`impl Trait` arguments).
    pub fresh: u32,
    /// Reading the code bodies of a `.chalk` file, whose names are its own
    /// items and chalkboard's prelude (not the model of std), which the
    /// help of a diagnostic says.
    pub chalk_file: bool,
    /// The expanded file's positions, back to the file's (when the file
    /// uses a macro chalkboard expands).
    pub map: Option<macros::SourceMap>,
}

impl Reader {
    /// The span of a syntax node in the text it came from.
    pub fn span(&self, scope: &Scope, range: TextRange) -> Span {
        let base = if scope.in_model { Span::MODEL_BASE } else { 0 } + scope.offset;
        if let (Some(map), false) = (&self.map, scope.in_model) {
            let start = map.start(u32::from(range.start()) + scope.offset);
            return Span {
                start,
                end: map.end(u32::from(range.end()) + scope.offset).max(start),
            };
        }
        Span {
            start: base + u32::from(range.start()),
            end: base + u32::from(range.end()),
        }
    }

    pub fn node_span(&self, scope: &Scope, node: &impl AstNode) -> Span {
        self.span(scope, node.syntax().text_range())
    }

    /// The span of an item without the comments and attributes before it
    /// (rust-analyzer's tree makes them part of the item), so that a
    /// diagnostic about the item starts on the item's own first line, as
    /// rustc's do, and an annotation on that line claims it.
    pub fn item_span(&self, scope: &Scope, node: &impl AstNode) -> Span {
        let range = node.syntax().text_range();
        let start = node
            .syntax()
            .children_with_tokens()
            .find(|element| {
                !matches!(
                    element.kind(),
                    SyntaxKind::COMMENT | SyntaxKind::WHITESPACE | SyntaxKind::ATTR
                )
            })
            .map_or(range.start(), |element| element.text_range().start());
        self.span(scope, TextRange::new(start, range.end()))
    }

    /// Reports a construct outside the supported subset.
    pub fn unsupported(&mut self, span: Span, what: &str) {
        self.diags.push(
            Diagnostic::error(
                codes::RUST_UNSUPPORTED,
                format!("{what} is not supported by chalkboard's Rust front end"),
                span,
            )
            .with_label("not supported here")
            .with_help(
                "rewrite it with the supported subset (docs/rust.md lists it), or remove it if it does not bear on the trait question",
            ),
        );
    }

    /// The help for a name that is not found.
    pub fn declare_help(&self, path: &str) -> String {
        if self.chalk_file {
            format!("declare `{path}` in the file; a body in a `.chalk` file sees the file's items, `use prelude::*;`'s and the method's locals")
        } else {
            format!("declare `{path}` in the file, or import it with `use`")
        }
    }

    /// An identifier from a syntax node's text.
    pub fn ident(&self, scope: &Scope, node: &impl AstNode) -> ast::Ident {
        ast::Ident {
            text: node.syntax().text().to_string(),
            span: self.node_span(scope, node),
        }
    }

    /// A fresh name for something the source leaves anonymous (an
    /// argument's `impl Trait`); the leading `__` keeps it apart from the
    /// names people write, and the counter from every other fresh name.
    pub fn fresh_name(&mut self, base: &str) -> String {
        self.fresh += 1;
        format!("__{base}_{}", self.fresh)
    }
}
