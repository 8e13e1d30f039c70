//! The abstract syntax tree of a `.chalk` file.
//!
//! The tree covers chalk's test language (items, types, where clauses, goals)
//! plus chalkboard's extensions: methods in traits and impls (`async fn`,
//! `fn .. -> impl Trait`), return-type-notation bounds, conditional bounds
//! `if (Self: Send) { Send }` and the `use prelude::*;` line.
//!
//! Architecture invariant: this module knows nothing of chalk-ir or salsa.
//! Every node that a diagnostic may point at carries a [`Span`].

use std::fmt;
use std::sync::Arc;

/// A byte range in the source text of one file.
///
/// Equal as two ranges, except inside [`eq_shifted`], which compares two
/// trees as if every span of the second were moved by a distance.
#[derive(Copy, Clone, Eq, Debug, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

thread_local! {
    /// How far the spans of the right-hand side of a comparison are moved
    /// (rule `items-equal-when-moved`); zero outside [`eq_shifted`].
    static SPAN_SHIFT: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// Hashed as two ranges; outside [`eq_shifted`], equal spans are the same
/// two numbers, so they hash the same.
impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.start.hash(state);
        self.end.hash(state);
    }
}

impl PartialEq for Span {
    fn eq(&self, other: &Span) -> bool {
        let shift = SPAN_SHIFT.with(std::cell::Cell::get);
        if shift == 0 {
            return self.start == other.start && self.end == other.end;
        }
        if shift == IGNORE_SPANS {
            return true;
        }
        // Spans into the model of the standard library never move: an edit
        // of the file does not change the model's text.
        let moved = |s: u32| {
            if s >= Span::MODEL_BASE {
                s as i64
            } else {
                s as i64 + shift
            }
        };
        self.start as i64 == moved(other.start) && self.end as i64 == moved(other.end)
    }
}

/// Rule `items-equal-when-moved`: whether `new` equals `old` once every
/// span of `old` is moved by `shift` bytes (the spans of the model of the
/// standard library stay where they are). An edit of a file moves each
/// item after it by the same distance; such an item is the same item, and
/// what was made of it before can be kept, moved by that distance.
pub fn eq_shifted<T: PartialEq + ?Sized>(new: &T, old: &T, shift: i64) -> bool {
    struct Reset(i64);
    impl Drop for Reset {
        fn drop(&mut self) {
            SPAN_SHIFT.with(|s| s.set(self.0));
        }
    }
    let _reset = Reset(SPAN_SHIFT.with(|s| s.replace(shift)));
    new == old
}

/// The shift that makes every two spans equal (see [`eq_ignoring_spans`]).
const IGNORE_SPANS: i64 = i64::MIN;

/// Whether `a` equals `b` wherever they were written: what a node says,
/// not where it is (rule `items-equal-when-moved`, for parts of a file
/// that move by different distances, such as the types of a whole file).
pub fn eq_ignoring_spans<T: PartialEq + ?Sized>(a: &T, b: &T) -> bool {
    eq_shifted(a, b, IGNORE_SPANS)
}

/// Moves every span of `item` by `shift` bytes, except those into the model
/// of the standard library (see [`eq_shifted`]).
pub fn shift_item(item: &mut Item, shift: i64) {
    crate::visit::walk_item(&mut Shift(shift), item);
}

/// The walk that moves every span it meets by so many bytes.
struct Shift(i64);

impl crate::visit::VisitMut for Shift {
    fn span(&mut self, span: &mut Span) {
        *span = span.shifted(self.0);
    }
}

/// Moves every span of a goal block (its goal and its expectations) by
/// `shift` bytes (rule `parse-reuse`).
pub fn shift_goal_block(block: &mut GoalBlock, shift: i64) {
    crate::visit::walk_goal(&mut Shift(shift), &mut block.goal);
    block.span = block.span.shifted(shift);
    for expectation in &mut block.expectations {
        expectation.span = expectation.span.shifted(shift);
        shift_options(
            [&mut expectation.design, &mut expectation.implication],
            shift,
        );
    }
}

/// Moves every span of an expected error by `shift` bytes (rule
/// `parse-reuse`).
pub fn shift_expected_error(expected: &mut ExpectedError, shift: i64) {
    expected.span = expected.span.shifted(shift);
    shift_options([&mut expected.design, &mut expected.implication], shift);
}

/// Moves the names of `[design = .., implication = ..]` options.
fn shift_options(options: [&mut Option<Ident>; 2], shift: i64) {
    for ident in options.into_iter().flatten() {
        ident.span = ident.span.shifted(shift);
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span that covers both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Spans into chalkboard's model of the standard library (a second
    /// text, read with every Rust file) start at this offset, so one span
    /// type can point into either text: the renderer shows such a span
    /// against the model's text.
    pub const MODEL_BASE: u32 = 1 << 30;

    /// The span moved by `shift` bytes; a span into the model of the
    /// standard library stays where it is (see [`eq_shifted`]).
    pub fn shifted(self, shift: i64) -> Span {
        if self.in_model() {
            return self;
        }
        Span {
            start: (self.start as i64 + shift) as u32,
            end: (self.end as i64 + shift) as u32,
        }
    }

    /// Whether the span points into the model of the standard library.
    pub fn in_model(self) -> bool {
        self.start >= Span::MODEL_BASE
    }
}

/// A name as written, with where it was written.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A whole `.chalk` file: the program, its goals and the file's directives.
#[derive(Clone, Eq, Debug, Default)]
pub struct File {
    /// `use prelude::*;` was written.
    pub uses_prelude: Option<Span>,
    /// Rust's rule that every type parameter is `Sized` unless it says
    /// `?Sized` applies to this program (rule `implicit-sized`). A Rust front
    /// end sets it; `use prelude::*;` turns it on as well, so chalk programs
    /// without the prelude keep chalk's semantics.
    pub implicit_sized: bool,
    /// `disable_coherence;` was written: skip coherence, orphan and WF checks,
    /// as chalk's harness does.
    pub disable_coherence: Option<Span>,
    pub items: Vec<Item>,
    pub goals: Vec<GoalBlock>,
    /// `error_msg { "..." }` / `rejected { "..." }`: the program must be rejected
    /// with an error whose text starts with this (whitespace-insensitive).
    pub expected_errors: Vec<ExpectedError>,
    /// `lowering_success;` or an empty `lowering_success! { program { .. } }`
    /// wrapper: the program must be accepted.
    pub expect_success: Option<Span>,
    /// A Rust file's functions and expectations (`None` for `.chalk` files).
    pub rust: Option<Box<crate::rust::RustFile>>,
}

/// Rule `tree-compared-from-the-end`: salsa compares each new tree of a
/// file with the one it replaces, and most edits leave them different, so
/// the parts an edit most likely changed are compared first: the goals (a
/// goal asked), the number of items (an item added), and the items from the
/// last one back, since an edit moves the span of every item after it.
/// Equal trees cost one full comparison either way.
impl PartialEq for File {
    fn eq(&self, other: &Self) -> bool {
        let File {
            uses_prelude,
            implicit_sized,
            disable_coherence,
            items,
            goals,
            expected_errors,
            expect_success,
            rust,
        } = self;
        *uses_prelude == other.uses_prelude
            && *implicit_sized == other.implicit_sized
            && *disable_coherence == other.disable_coherence
            && *expect_success == other.expect_success
            && goals.len() == other.goals.len()
            && expected_errors.len() == other.expected_errors.len()
            && items.len() == other.items.len()
            && goals.iter().rev().eq(other.goals.iter().rev())
            && *expected_errors == other.expected_errors
            && items.iter().rev().eq(other.items.iter().rev())
            && *rust == other.rust
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExpectedError {
    pub text: String,
    pub span: Span,
    /// `error_msg[design = implied] { .. }`: only under this design.
    pub design: Option<Ident>,
    /// `error_msg[implication = decide] { .. }`: only with this implication rule.
    pub implication: Option<Ident>,
}

/// `goal { G } yields { "..." } yields[solver = slg] { "..." } ...`
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GoalBlock {
    pub goal: Goal,
    /// The goal's source text as written between the braces.
    pub text: String,
    pub span: Span,
    pub expectations: Vec<Expectation>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Expectation {
    pub kind: ExpectationKind,
    /// Which solver(s) this expectation is for; `None` means the form's default
    /// (`yields`: both solvers; `yields_all`/`yields_first`: SLG(10)).
    pub solver: Option<SolverSpec>,
    /// `yields[design = implied]`: the design this expectation is for.
    pub design: Option<Ident>,
    /// `yields[implication = decide]`: the implication rule this expectation is for.
    pub implication: Option<Ident>,
    /// The expected answer strings, as written (unquoted, unescaped).
    pub answers: Vec<String>,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ExpectationKind {
    /// `yields { "A" }`: the single aggregated answer.
    Yields,
    /// `yields_all { "A", "B" }`: exactly these answers, in order.
    YieldsAll,
    /// `yields_first { "A", "B" }`: the first answers are these.
    YieldsFirst,
    /// `holds` after the goal: its verdict is `holds` (chalkboard extension).
    Holds,
    /// `fails` after the goal: its verdict is `fails` (chalkboard extension).
    Fails,
}

/// A solver named in an expectation: `solver = slg`, `solver = recursive`,
/// `SolverChoice::slg(10, Some(2))`, `SolverChoice::recursive_default()`, ...
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SolverSpec {
    Slg {
        max_size: usize,
        expected_answers: Option<usize>,
    },
    Recursive {
        overflow_depth: usize,
        max_size: usize,
    },
}

impl SolverSpec {
    /// chalk's `SolverChoice::slg_default()`.
    pub const SLG_DEFAULT: SolverSpec = SolverSpec::Slg {
        max_size: 10,
        expected_answers: None,
    };
    /// chalk's `SolverChoice::recursive_default()`.
    pub const RECURSIVE_DEFAULT: SolverSpec = SolverSpec::Recursive {
        overflow_depth: 100,
        max_size: 30,
    };
}

/// An item of a file.
///
/// Rule `items-shared`: each item is held behind an `Arc`, so a tree made
/// from another (parse-reuse's, the desugaring's, a design's rewrite) shares
/// the items it keeps instead of copying them, and a pass that changes an
/// item opens it with `Arc::make_mut`, which copies it only while it is
/// shared. Two items behind the same pointer compare equal without a walk.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Item {
    Adt(Arc<AdtDefn>),
    Fn(Arc<FnDefn>),
    Closure(Arc<ClosureDefn>),
    Trait(Arc<TraitDefn>),
    Impl(Arc<ImplDefn>),
    OpaqueTy(Arc<OpaqueTyDefn>),
    Coroutine(Arc<CoroutineDefn>),
    Foreign(Arc<ForeignDefn>),
    Clause(Arc<Clause>),
}

/// Whether `a` and `b` are the very same item, behind the same pointer
/// (rule items-shared), without comparing what they hold.
pub fn same_item(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Adt(a), Item::Adt(b)) => Arc::ptr_eq(a, b),
        (Item::Fn(a), Item::Fn(b)) => Arc::ptr_eq(a, b),
        (Item::Closure(a), Item::Closure(b)) => Arc::ptr_eq(a, b),
        (Item::Trait(a), Item::Trait(b)) => Arc::ptr_eq(a, b),
        (Item::Impl(a), Item::Impl(b)) => Arc::ptr_eq(a, b),
        (Item::OpaqueTy(a), Item::OpaqueTy(b)) => Arc::ptr_eq(a, b),
        (Item::Coroutine(a), Item::Coroutine(b)) => Arc::ptr_eq(a, b),
        (Item::Foreign(a), Item::Foreign(b)) => Arc::ptr_eq(a, b),
        (Item::Clause(a), Item::Clause(b)) => Arc::ptr_eq(a, b),
        _ => false,
    }
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Adt(x) => x.span,
            Item::Fn(x) => x.span,
            Item::Closure(x) => x.span,
            Item::Trait(x) => x.span,
            Item::Impl(x) => x.span,
            Item::OpaqueTy(x) => x.span,
            Item::Coroutine(x) => x.span,
            Item::Foreign(x) => x.span,
            Item::Clause(x) => x.span,
        }
    }
}

/// A generic parameter or quantified variable: `T`, `'a`, `const N`, `int T`, `float T`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VariableKind {
    pub kind: ParamKind,
    pub name: Ident,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ParamKind {
    Ty,
    IntegerTy,
    FloatTy,
    Lifetime,
    Const,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Variance {
    Invariant,
    Covariant,
    Contravariant,
}

/// An attribute as written, kept so that lowering can report misplaced ones.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Attribute {
    pub name: Ident,
    /// The words inside `#[name(..)]`, if any.
    pub args: Vec<Ident>,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum AdtKind {
    Struct,
    Enum,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct AdtFlags {
    pub upstream: bool,
    pub fundamental: bool,
    pub phantom_data: bool,
    pub one_zst: bool,
    /// Generated by chalkboard (a future struct), by this rule: well-formed
    /// by construction, so the well-formedness check skips it.
    pub generated_by: Option<crate::registry::Rule>,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct AdtRepr {
    pub c: bool,
    pub packed: bool,
    /// `#[repr(u8)]` and friends (only kept on enums, as chalk does).
    pub int: Option<Ty>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AdtDefn {
    pub kind: AdtKind,
    pub name: Ident,
    pub params: Vec<VariableKind>,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    /// A struct has exactly one variant, named after the struct.
    pub variants: Vec<Variant>,
    pub flags: AdtFlags,
    pub repr: AdtRepr,
    pub variances: Option<(Vec<Variance>, Span)>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Variant {
    pub name: Ident,
    pub fields: Vec<Field>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Field {
    /// `x` in `x: T`; tuple fields are named `0`, `1`, ...
    pub name: Ident,
    pub ty: Ty,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Abi {
    Rust,
    C,
    Other(String),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FnSig {
    pub abi: Abi,
    pub is_unsafe: bool,
    pub variadic: bool,
}

/// `fn name<P>(a: A, b: B) -> R where WC;`
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FnDefn {
    pub name: Ident,
    pub params: Vec<VariableKind>,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    pub argument_types: Vec<Ty>,
    /// `()` when no `->` is written.
    pub return_type: Ty,
    pub sig: FnSig,
    pub variances: Option<(Vec<Variance>, Span)>,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ClosureKind {
    /// `self`
    FnOnce,
    /// `&mut self`
    FnMut,
    /// `&self`
    Fn,
}

/// `closure name<P>(self, a: A) -> R { Upvar; Upvar }`
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ClosureDefn {
    pub name: Ident,
    pub kind: ClosureKind,
    pub params: Vec<VariableKind>,
    pub argument_types: Vec<Ty>,
    pub return_type: Ty,
    pub upvars: Vec<Ty>,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum WellKnownTrait {
    Sized,
    Copy,
    Clone,
    Drop,
    FnOnce,
    FnMut,
    Fn,
    AsyncFnOnce,
    AsyncFnMut,
    AsyncFn,
    Unsize,
    Unpin,
    CoerceUnsized,
    DiscriminantKind,
    Coroutine,
    DispatchFromDyn,
    Tuple,
    Pointee,
    FnPtr,
    Future,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct TraitFlags {
    pub auto: bool,
    pub marker: bool,
    pub upstream: bool,
    pub fundamental: bool,
    pub non_enumerable: bool,
    pub coinductive: bool,
    pub object_safe: bool,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TraitDefn {
    pub name: Ident,
    pub params: Vec<VariableKind>,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    pub assoc_ty_defns: Vec<AssocTyDefn>,
    /// chalkboard extension: `fn` / `async fn` signatures in the trait body.
    pub methods: Vec<TraitMethod>,
    pub flags: TraitFlags,
    pub well_known: Option<WellKnownTrait>,
    pub span: Span,
}

/// `type Name<P>: Bounds where WC;` in a trait.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AssocTyDefn {
    pub name: Ident,
    pub params: Vec<VariableKind>,
    pub bounds: Vec<QuantifiedInlineBound>,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    /// `#[lang(async_fn_once_output)]`
    pub async_fn_once_output: bool,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Polarity {
    Positive,
    Negative,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImplDefn {
    pub params: Vec<VariableKind>,
    pub trait_ref: TraitRef,
    pub polarity: Polarity,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    pub assoc_ty_values: Vec<AssocTyValue>,
    /// chalkboard extension: method bodies in the impl.
    pub methods: Vec<ImplMethod>,
    /// `#[upstream] impl`: chalk's `ImplType::External`.
    pub upstream: bool,
    /// Generated by chalkboard (a future's `Future` impl), by this rule:
    /// well-formed by construction, so the well-formedness check skips it.
    pub generated_by: Option<crate::registry::Rule>,
    pub span: Span,
}

/// `[default] type Name<P> = Ty;` in an impl.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AssocTyValue {
    pub name: Ident,
    pub params: Vec<VariableKind>,
    pub value: Ty,
    pub default: bool,
    pub span: Span,
}

/// `opaque type Name<P>: Bounds where WC = Hidden;`
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OpaqueTyDefn {
    pub name: Ident,
    pub params: Vec<VariableKind>,
    pub bounds: Vec<QuantifiedInlineBound>,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    pub hidden_ty: Ty,
    pub span: Span,
}

/// `coroutine [static] Name<P> [resume = R, yield = Y] -> Ret { upvars [..] witnesses [exists<'a> ..] [..] }`
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CoroutineDefn {
    pub name: Ident,
    pub is_static: bool,
    pub params: Vec<VariableKind>,
    pub resume_ty: Ty,
    pub yield_ty: Ty,
    pub return_ty: Ty,
    pub upvars: Vec<Ty>,
    pub witness_lifetimes: Vec<Ident>,
    pub witness_types: Vec<Ty>,
    pub span: Span,
}

/// `extern type Name;`
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ForeignDefn {
    pub name: Ident,
    pub span: Span,
}

/// A custom program clause: `forall<P> { DomainGoal if G1, G2 }`, or one inside
/// an `if (..)` hypothesis (`DomainGoal :- G1, G2`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Clause {
    pub params: Vec<VariableKind>,
    pub consequence: DomainGoal,
    pub conditions: Vec<Goal>,
    pub span: Span,
}

// ---------------------------------------------------------------------------
// Types.

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ty {
    pub kind: TyKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TyKind {
    /// A bare name: a generic parameter, or an ADT / fn / closure / opaque /
    /// foreign / coroutine name without arguments.
    Name(Ident),
    /// `Name<A, B>`
    Apply(Ident, Vec<GenericArg>),
    /// `dyn A + B + 'a`
    Dyn {
        bounds: Vec<QuantifiedInlineBound>,
        lifetime: Option<Lifetime>,
    },
    /// `<T as Trait<A>>::Name<B>`
    Projection(ProjectionTy),
    /// `T::Name<B>`: a shorthand projection, resolved in lowering against the
    /// traits in scope (chalkboard extension).
    ShorthandProjection {
        self_ty: Box<Ty>,
        name: Ident,
        args: Vec<GenericArg>,
    },
    /// `[for<'a>] [unsafe] [extern "C"] fn(A, B) -> R`
    FnPtr {
        lifetimes: Vec<Ident>,
        argument_types: Vec<Ty>,
        return_type: Box<Ty>,
        sig: FnSig,
    },
    /// `()`, `(A,)`, `(A, B)`
    Tuple(Vec<Ty>),
    Scalar(ScalarType),
    Str,
    Never,
    /// `[T]`
    Slice(Box<Ty>),
    /// `[T; N]`
    Array(Box<Ty>, Const),
    /// `*const T` / `*mut T`
    Raw(Mutability, Box<Ty>),
    /// `&'a T` / `&'a mut T`; the lifetime is required in chalk's language and
    /// optional (elided) in method signatures.
    Ref(Mutability, Option<Lifetime>, Box<Ty>),
    /// `impl A + B` in the return position of a method (chalkboard extension).
    ImplTrait(Vec<QuantifiedInlineBound>),
    /// `T::m(..)`, `<T as Trait>::m(..)` or `T::m<'a>` naming a method's
    /// anonymous return type (chalkboard extension).
    ReturnTypeNotation(Box<Rtn>),
    /// The parser could not make sense of this type; a diagnostic was emitted.
    Error,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Mutability {
    Not,
    Mut,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ScalarType {
    Bool,
    Char,
    Int(IntTy),
    Uint(UintTy),
    Float(FloatTy),
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum IntTy {
    Isize,
    I8,
    I16,
    I32,
    I64,
    I128,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum UintTy {
    Usize,
    U8,
    U16,
    U32,
    U64,
    U128,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FloatTy {
    F16,
    F32,
    F64,
    F128,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Lifetime {
    pub kind: LifetimeKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LifetimeKind {
    /// `'a` (the name is stored without the quote).
    Named(String),
    Static,
    Erased,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Const {
    /// A const parameter's name.
    Name(Ident),
    /// A literal.
    Value(u32, Span),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum GenericArg {
    Ty(Ty),
    Lifetime(Lifetime),
    /// A literal number: a const argument.
    Const(Const),
}

impl GenericArg {
    pub fn span(&self) -> Span {
        match self {
            GenericArg::Ty(t) => t.span,
            GenericArg::Lifetime(l) => l.span,
            GenericArg::Const(Const::Name(n)) => n.span,
            GenericArg::Const(Const::Value(_, s)) => *s,
        }
    }
}

/// `Trait<A, B>` applied to a self type: `T: Trait<A, B>` has
/// `args = [T, A, B]` (self first, as in chalk).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TraitRef {
    pub trait_name: Ident,
    pub args: Vec<GenericArg>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProjectionTy {
    pub trait_ref: TraitRef,
    pub name: Ident,
    pub args: Vec<GenericArg>,
}

/// A method's return type named in return type notation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Rtn {
    pub self_ty: Ty,
    /// `<T as Trait<A>>::m(..)` names the trait; `T::m(..)` does not.
    pub trait_ref: Option<TraitRef>,
    pub method: Ident,
    /// `m<'a, 'b>`: explicit lifetime arguments (the explainer's spelling).
    pub args: Vec<GenericArg>,
    pub style: RtnStyle,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum RtnStyle {
    /// `m(..)` (RFC 3654).
    DotDot,
    /// `m()`: an error (the arguments must be elided with `..`).
    EmptyParens,
    /// `m` or `m<'a>`: the stage 1 explainer's GAT spelling.
    Bare,
}

// ---------------------------------------------------------------------------
// Bounds and where clauses.

/// `Trait<A>` or `Trait<A, Assoc = T>` as a bound, optionally `forall<..>`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct QuantifiedInlineBound {
    pub params: Vec<VariableKind>,
    pub bound: InlineBound,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum InlineBound {
    /// `Trait<A>`: `args` excludes the self type.
    Trait(TraitBound),
    /// `Trait<A, Name<B> = T>`
    AliasEq(AliasEqBound),
    /// `'a` in `impl Future + 'a` (chalkboard extension; chalk's inline bounds
    /// have no outlives form, so lowering drops or moves it).
    Outlives(Lifetime),
    /// `if (WC) { Bounds }` / `if (WC) < Bounds >` (chalkboard extension).
    Conditional(ConditionalBound),
    /// `?Sized`: opts out of the implicit `Sized` bound (chalkboard
    /// extension, Rust's relaxed bound; removed by rule `implicit-sized`).
    Relaxed(Ident),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TraitBound {
    pub trait_name: Ident,
    /// Generic arguments, without the self type.
    pub args: Vec<GenericArg>,
    /// Associated-item bounds inside the angle brackets:
    /// `Trait<m(..): Send>`, `Trait<Assoc: Send>` (chalkboard extension).
    pub assoc_bounds: Vec<AssocItemBound>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AliasEqBound {
    pub trait_bound: TraitBound,
    pub name: Ident,
    pub args: Vec<GenericArg>,
    pub value: Ty,
}

/// `m(..): Send` or `Assoc: Send` inside a trait's angle brackets.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AssocItemBound {
    pub name: Ident,
    pub args: Vec<GenericArg>,
    /// `m(..)` / `m()` / plain `m` or `Assoc`.
    pub style: RtnStyle,
    pub bounds: Vec<QuantifiedInlineBound>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConditionalBound {
    pub conditions: Vec<QuantifiedWhereClause>,
    pub bounds: Vec<QuantifiedInlineBound>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct QuantifiedWhereClause {
    pub params: Vec<VariableKind>,
    pub where_clause: WhereClause,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum WhereClause {
    /// `T: Trait<A>`; the trait ref's args include the self type first.
    Implemented(TraitRef),
    /// `T: Trait<A, Name<B> = U>` is parsed as an `Implemented` plus one
    /// `AliasEq` per equality; `<T as Trait>::Name = U` in goals uses this too.
    AliasEq { projection: ProjectionTy, ty: Ty },
    /// `'a: 'b`
    LifetimeOutlives { a: Lifetime, b: Lifetime },
    /// `T: 'a`
    TypeOutlives { ty: Ty, lifetime: Lifetime },
    /// `T: Trait<m(..): Send>` and `T: Trait<Assoc: Bound>`: a trait bound
    /// carrying associated-item bounds (chalkboard extension).
    BoundWithAssocBounds { self_ty: Ty, bound: TraitBound },
    /// `T::m(..): Send`, `<T as Trait>::m(..): Send`, `T::m<'a>: Send`,
    /// `T::m: Send` (chalkboard extension): a return-type-notation bound.
    Rtn {
        rtn: Rtn,
        bounds: Vec<QuantifiedInlineBound>,
    },
    /// `T::Assoc: Bound` where `T::Assoc` is a shorthand projection (resolved
    /// in lowering; might turn out to be RTN in the bare spelling).
    ShorthandBound {
        self_ty: Ty,
        bounds: Vec<QuantifiedInlineBound>,
    },
    /// `T: ?Sized`: `T` opts out of the implicit `Sized` bound (chalkboard
    /// extension, Rust's relaxed bound; removed by rule `implicit-sized`).
    Relaxed { ty: Ty, trait_name: Ident },
}

// ---------------------------------------------------------------------------
// Goals.

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Goal {
    pub kind: GoalKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum GoalKind {
    ForAll(Vec<VariableKind>, Box<Goal>),
    Exists(Vec<VariableKind>, Box<Goal>),
    /// `if (C1; C2) { G }`
    Implies(Vec<Clause>, Box<Goal>),
    /// `G1, G2, ...` (at least two).
    And(Vec<Goal>),
    Not(Box<Goal>),
    Compatible(Box<Goal>),
    Leaf(LeafGoal),
    /// The parser could not make sense of this goal; a diagnostic was emitted.
    Error,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LeafGoal {
    DomainGoal(DomainGoal),
    /// `A = B`
    Unify(GenericArg, GenericArg),
    /// `Subtype(A, B)`
    Subtype(Ty, Ty),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum DomainGoal {
    Holds(WhereClause),
    /// `Normalize(<T as Trait>::Name -> U)`
    Normalize {
        projection: ProjectionTy,
        ty: Ty,
    },
    /// `WellFormed(T: Trait)`
    TraitRefWellFormed(TraitRef),
    /// `WellFormed(Ty)`
    TyWellFormed(Ty),
    /// `FromEnv(Ty)`
    TyFromEnv(Ty),
    /// `FromEnv(T: Trait)`
    TraitRefFromEnv(TraitRef),
    IsLocal(Ty),
    IsUpstream(Ty),
    IsFullyVisible(Ty),
    /// `LocalImplAllowed(T: Trait)`
    LocalImplAllowed(TraitRef),
    Compatible,
    DownstreamType(Ty),
    Reveal,
    ObjectSafe(Ident),
}

// ---------------------------------------------------------------------------
// chalkboard extension: methods.

/// How a method takes `self`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Receiver {
    /// No `self`: an associated function.
    None,
    /// `self`
    Value,
    /// `&self`, `&'a self`, `&mut self`, `&'a mut self`
    Ref(Mutability, Option<Lifetime>),
}

/// A method signature in a trait (`fn`, `async fn`, `fn .. -> impl Trait`),
/// or the signature part of a method in an impl.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MethodSig {
    pub is_async: bool,
    pub name: Ident,
    pub params: Vec<VariableKind>,
    pub receiver: Receiver,
    /// `(name, type)` of each argument after the receiver.
    pub arguments: Vec<(Ident, Ty)>,
    /// `None` when no `->` is written (the unit type).
    pub return_type: Option<Ty>,
    pub where_clauses: Vec<QuantifiedWhereClause>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TraitMethod {
    pub sig: MethodSig,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImplMethod {
    pub sig: MethodSig,
    pub body: ImplMethodBody,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ImplMethodBody {
    /// `fn m(&self) -> u32;`: a declaration with nothing to lower.
    None,
    /// `async fn m(&self) { holds T1, T2; }`: the types live across an await.
    Holds(Vec<Ty>, Span),
    /// `fn m(&self) -> impl Trait = Hidden;`: the hidden type.
    Hidden(Ty),
    /// `async fn m(&self) { self.inner.m().await }`: a body written as Rust
    /// code, which the Rust front end reads and the body checker checks, so
    /// the held types are computed rather than written.
    Code(CodeBody),
}

/// A method body written as Rust code in a `.chalk` file, kept as text: the
/// chalk parser only finds where it ends (its matching `}`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CodeBody {
    /// The source text from the `{` to the matching `}`, both included.
    pub text: String,
    /// Where that text is in the file: `span.start` is the offset of the `{`.
    pub span: Span,
}
