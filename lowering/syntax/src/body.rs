//! Function bodies: the statements and expressions of the Rust subset that
//! design-review code uses (see `docs/rust.md`), as the Rust reader gives
//! them. The body checker infers their types and collects the obligations
//! they raise; nothing here knows about types beyond what was written.
//!
//! A construct outside the subset is kept as [`ExprKind::Unsupported`] (or
//! [`Pat::Unsupported`]) with its span, so the checker reports it rather
//! than skipping it.

use crate::ast::{GenericArg, Ident, Span, Ty};

/// `{ stmts; tail }`
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub tail: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Stmt {
    /// `let pat: ty = init else { .. };`
    Let {
        pat: Pat,
        ty: Option<Ty>,
        init: Option<Expr>,
        else_block: Option<Block>,
        span: Span,
    },
    /// `expr;` (or an expression statement without `;`, such as `if`).
    Expr(Expr),
    /// A nested item (`fn`, `struct`, ...): outside the subset.
    Item(Span),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// A path in expression or pattern position (`x`, `Rc::new`, `f::<T>`,
/// `<T as Trait>::m`, `Some`), with what the reader resolved it to.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExprPath {
    /// The path as written, for messages.
    pub text: String,
    pub res: PathRes,
    pub span: Span,
}

/// What an expression path names. The reader resolves every path (locals
/// shadow items, as in Rust); the body checker only looks the result up.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PathRes {
    /// A local variable or closure parameter in scope.
    Local(String),
    /// A function, by its path in the file's function table, with the
    /// turbofish arguments (`spawn::<F>`).
    Fn { path: String, args: Vec<GenericArg> },
    /// `Type::name`: an associated function of a type, inherent or from a
    /// trait (`Rc::new`, `Self::new`, `T::default`).
    Assoc {
        self_ty: Ty,
        name: Ident,
        args: Vec<GenericArg>,
    },
    /// `Trait::name` or `<T as Trait>::name`: a trait's method called as a
    /// function; the trait's flat name and arguments (without `Self`).
    TraitMethod {
        trait_name: Ident,
        trait_args: Vec<GenericArg>,
        self_ty: Option<Ty>,
        name: Ident,
        args: Vec<GenericArg>,
    },
    /// A struct: its constructor (unit or tuple) or, in a struct literal or
    /// pattern, the struct itself; the flat name and written arguments.
    Struct { adt: Ident, args: Vec<GenericArg> },
    /// An enum variant (`Some`, `Option::None`, `Poll::Ready`).
    Variant {
        adt: Ident,
        args: Vec<GenericArg>,
        variant: Ident,
    },
    /// Nothing of that name; the reader reported it.
    Error,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Lit {
    /// An integer; the suffix (`0u32`) if written.
    Int(Option<String>),
    /// A float; the suffix if written.
    Float(Option<String>),
    Bool(bool),
    Char,
    Str,
    ByteStr,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum BinaryOp {
    /// `+ - * / % & | ^ << >>`: the result has the operands' type.
    Arith,
    /// `== != < <= > >=`: the result is `bool`.
    Compare,
    /// `&& ||`
    Logic,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ExprKind {
    Lit(Lit),
    Path(ExprPath),
    /// `&e`, `&mut e`
    Ref {
        mutable: bool,
        expr: Box<Expr>,
    },
    /// `*e`
    Deref(Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `a = b`, `a += b`
    Assign(Box<Expr>, Box<Expr>),
    /// `e.name` (tuple fields are named `0`, `1`, ...)
    Field(Box<Expr>, Ident),
    Tuple(Vec<Expr>),
    /// `[a, b]`, `[a; n]`
    Array(Vec<Expr>),
    /// `e[i]`
    Index(Box<Expr>, Box<Expr>),
    /// `Path { field: e, .. }`
    Struct {
        path: ExprPath,
        fields: Vec<(Ident, Expr)>,
        base: Option<Box<Expr>>,
    },
    /// `f(args)`
    Call(Box<Expr>, Vec<Expr>),
    /// `receiver.method::<T>(args)`
    MethodCall {
        receiver: Box<Expr>,
        method: Ident,
        turbofish: Vec<GenericArg>,
        args: Vec<Expr>,
    },
    /// `move |a: A, b| body`, `async move || body`
    Closure {
        is_move: bool,
        is_async: bool,
        params: Vec<(Pat, Option<Ty>)>,
        ret: Option<Ty>,
        body: Box<Expr>,
    },
    /// `async { .. }`, `async move { .. }`
    Async {
        is_move: bool,
        block: Block,
    },
    /// `e.await`
    Await(Box<Expr>),
    /// `e?`
    Try(Box<Expr>),
    Block(Block),
    /// `unsafe { .. }`: the block, checked as any other.
    Unsafe(Block),
    If {
        cond: Box<Condition>,
        then: Block,
        else_: Option<Box<Expr>>,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<MatchArm>,
    },
    Loop(Block),
    While {
        cond: Box<Condition>,
        body: Block,
    },
    For {
        pat: Pat,
        iter: Box<Expr>,
        body: Block,
    },
    Break(Option<Box<Expr>>),
    Continue,
    Return(Option<Box<Expr>>),
    /// `a..b`, `a..`, `..b`, `..`
    Range(Option<Box<Expr>>, Option<Box<Expr>>),
    /// `e as T`
    Cast(Box<Expr>, Ty),
    /// `name!(args)` for the macros of the subset; the arguments that are
    /// expressions (a format string's arguments, `vec!`'s elements).
    Macro {
        name: Ident,
        args: Vec<Expr>,
    },
    /// Outside the subset: what it is, in a few words.
    Unsupported(String),
}

/// The condition of an `if` or `while`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Condition {
    Expr(Expr),
    /// `let pat = e` (`if let`, `while let`).
    Let(Pat, Expr),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MatchArm {
    pub pat: Pat,
    pub guard: Option<Expr>,
    pub body: Expr,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Pat {
    /// `x`, `mut x`, `ref x`
    Ident {
        name: Ident,
        mutable: bool,
        by_ref: bool,
    },
    /// `_`
    Wild,
    /// `..` inside a tuple or slice pattern.
    Rest(Span),
    Tuple(Vec<Pat>, Span),
    /// `Path { field: pat, .. }`
    Struct {
        path: ExprPath,
        fields: Vec<(Ident, Pat)>,
        span: Span,
    },
    /// `Path(pats)`: a tuple struct or variant (`Some(x)`, `Ok(v)`).
    TupleStruct {
        path: ExprPath,
        pats: Vec<Pat>,
        span: Span,
    },
    /// `Path`: a unit struct or variant (`None`).
    Path(ExprPath),
    Lit(Lit, Span),
    /// `a | b`
    Or(Vec<Pat>, Span),
    /// `&pat`
    Ref(Box<Pat>, Span),
    Unsupported(String, Span),
}

impl Pat {
    pub fn span(&self) -> Span {
        match self {
            Pat::Ident { name, .. } => name.span,
            Pat::Wild => Span::default(),
            Pat::Rest(s)
            | Pat::Tuple(_, s)
            | Pat::Struct { span: s, .. }
            | Pat::TupleStruct { span: s, .. }
            | Pat::Lit(_, s)
            | Pat::Or(_, s)
            | Pat::Ref(_, s)
            | Pat::Unsupported(_, s) => *s,
            Pat::Path(p) => p.span,
        }
    }
}
