//! What a Rust file holds beyond chalk's items: its functions (with their
//! bodies) and the expectations written as rustc's UI-test annotations.
//!
//! The Rust reader (`chalkboard-rust`) turns a `.rs` file's traits, impls
//! and types into the chalk items of an [`crate::ast::File`], and keeps
//! everything chalk has no item for here, in [`crate::ast::File::rust`].

use crate::ast::{Ident, QuantifiedWhereClause, Receiver, Span, Ty, VariableKind};
use crate::body::{Block, Pat};

/// The Rust-only part of a file.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct RustFile {
    /// Every function: free functions, inherent and trait-impl methods,
    /// and default methods of traits, in source order (the model's first).
    pub functions: Vec<Function>,
    pub expectations: Expectations,
    /// The type parameters an argument's `impl Trait` became, and how a
    /// message shows each (`impl AsyncIterator<Item = String> + Send`).
    pub impl_params: Vec<(String, String)>,
    /// The macros the reader expanded (`trait-variant-make`, `async-trait`,
    /// `dyner`), where and on what; desugaring reports them first.
    pub applied: Vec<crate::registry::Applied>,
}

/// Who a function belongs to.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FnOwner {
    /// A free function.
    Free,
    /// A method of an inherent impl `impl<P> Type where WC { .. }`.
    Inherent {
        self_ty: Ty,
        params: Vec<VariableKind>,
        where_clauses: Vec<QuantifiedWhereClause>,
    },
    /// A method of a trait impl `impl<P> Trait for Type where WC { .. }`.
    TraitImpl {
        trait_name: Ident,
        self_ty: Ty,
        params: Vec<VariableKind>,
        where_clauses: Vec<QuantifiedWhereClause>,
    },
    /// A trait's method: a default body, or a declaration without one.
    Trait {
        trait_name: Ident,
        params: Vec<VariableKind>,
        where_clauses: Vec<QuantifiedWhereClause>,
    },
}

/// The name that stands for a function's opaque return type in
/// [`Function::opaque_bounds`].
pub const OPAQUE_SELF: &str = "#opaque";

/// A function or method, its signature as written (elided lifetimes stay
/// elided) and its body.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Function {
    /// The name as written (`spawn`).
    pub name: Ident,
    /// The path it is found by (`tokio::spawn`, `Rc::new`, `crate::helper`).
    pub path: String,
    pub owner: FnOwner,
    pub is_async: bool,
    /// The function's own generic parameters (arguments written `impl Trait`
    /// become parameters named `impl Trait#N`).
    pub params: Vec<VariableKind>,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    pub receiver: Receiver,
    /// Each argument after the receiver: its pattern and type.
    pub arguments: Vec<(Pat, Ty)>,
    /// `None` when no `->` is written (the unit type).
    pub return_type: Option<Ty>,
    /// For a function outside a trait that returns `impl Trait`: the bounds
    /// of that opaque type as where clauses on the type named
    /// [`OPAQUE_SELF`], return type notation expanded (filled in by
    /// desugaring; rule `body-opaque-return`).
    pub opaque_bounds: Vec<QuantifiedWhereClause>,
    pub body: Option<Block>,
    /// The signature, from `fn` (or `async`) to the end of the where clauses.
    pub sig_span: Span,
    pub span: Span,
    /// Declared in chalkboard's model of the standard library, not the file.
    pub in_model: bool,
}

/// The expectations of a Rust file, as rustc's UI tests write them.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Expectations {
    /// `//@ revisions: explicit implied boxed`
    pub revisions: Vec<Ident>,
    /// `//@ check-pass`
    pub check_pass: Option<Span>,
    /// `//@ rustc-differs: reason`
    pub rustc_differs: Option<(String, Span)>,
    /// `//~ ERROR text` and its variants.
    pub annotations: Vec<Annotation>,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum AnnotationKind {
    Error,
    Warn,
    Note,
    Help,
}

impl AnnotationKind {
    pub fn word(self) -> &'static str {
        match self {
            AnnotationKind::Error => "ERROR",
            AnnotationKind::Warn => "WARN",
            AnnotationKind::Note => "NOTE",
            AnnotationKind::Help => "HELP",
        }
    }
}

/// `//~ ERROR text`: a diagnostic expected on a line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Annotation {
    pub kind: AnnotationKind,
    /// The 1-based line the diagnostic is expected on.
    pub line: u32,
    /// The text the diagnostic's message must contain (may be empty).
    pub text: String,
    /// The revisions it applies to (`//[implied]~` or `//~[implied]`);
    /// empty for every revision.
    pub revisions: Vec<String>,
    /// The annotation itself.
    pub span: Span,
}
