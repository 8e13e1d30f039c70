//! The body checker: the obligations that code inside functions raises.
//!
//! For every function, method and default method of a Rust file, the
//! checker infers the types of the body (rule [`body-infer`](crate::rules::BODY_INFER)), resolves each
//! method call as Rust does (rule [`body-method-resolution`](crate::rules::BODY_METHOD_RESOLUTION)), and collects
//! the obligations the body raises: every callee's where clauses,
//! instantiated (rule [`body-callee-bounds`](crate::rules::BODY_CALLEE_BOUNDS)), and what `.await` requires
//! (rule [`body-await`](crate::rules::BODY_AWAIT)). The future of an `async fn` or `async` block
//! becomes a generated struct holding its captures and every value live
//! across an `.await` (rule [`body-future-struct`](crate::rules::BODY_FUTURE_STRUCT), with the scope-based
//! liveness rule [`body-held-across-await`](crate::rules::BODY_HELD_ACROSS_AWAIT)), so chalk decides whether the
//! future is `Send` from what it holds, exactly as for any struct.
//!
//! The checker runs twice in the pipeline's terms: against the program of
//! the file's items (to ask chalk about projections and bounds while it
//! infers), and its output (the generated items, the held types of impls'
//! `async fn`s, and the obligations as goals) is then added to the program,
//! whose checks answer the obligations (see `db::body_obligations`).

mod diagnose;
mod generate;
mod infer;
pub(crate) mod items;
mod oracle;
mod table;

use std::sync::Arc;

use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::Diagnostic;

pub use diagnose::explain_failure;
pub use oracle::{Env, Oracle, BODY_LIFETIME};

use crate::solve::Limits;

/// What the body checker found in a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyFacts {
    /// Generated items: future structs with their `Future` impls, closures.
    pub items: Vec<ast::Item>,
    /// Fields to add to the future structs that desugaring generated for
    /// impls' `async fn`s: the struct's name and the held values.
    pub held_fields: Vec<(String, Vec<ast::Field>)>,
    /// Every obligation the bodies raise, in source order.
    pub obligations: Vec<Obligation>,
    /// Type errors and unsupported constructs found while inferring.
    pub diagnostics: Vec<Diagnostic>,
    /// One entry per function with a body, for `compare`'s rows.
    pub functions: Vec<FnSummary>,
    /// What each future holds, for `desugar`.
    pub held: Vec<HeldReport>,
    /// How messages show each generated future (`{async block}`,
    /// `impl Future<Output = bool>`) and each argument's `impl Trait`.
    pub shown: Vec<(String, String)>,
}

/// A function with a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnSummary {
    /// `fn start_health_check`, `<MyCheck as HealthCheck>::check`.
    pub name: String,
    pub span: Span,
    /// Declared in the model of the standard library.
    pub in_model: bool,
}

/// One value a future holds, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldReport {
    /// The generated struct that holds it.
    pub future: String,
    pub field: String,
    pub ty: ast::Ty,
    pub why: HeldWhy,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeldWhy {
    /// An argument of an `async fn` (its future owns every argument).
    Argument { span: Span },
    /// Captured by an `async` block or closure (by value with `move`, by
    /// reference otherwise), at its first use.
    Captured {
        name: String,
        span: Span,
        by_ref: bool,
    },
    /// A binding in scope at an `.await`: declared at `binding`, held
    /// across the `.await` at `await_span`.
    Binding {
        name: String,
        binding: Span,
        await_span: Span,
    },
    /// A temporary of the statement that contains an `.await`.
    Temporary { span: Span, await_span: Span },
    /// The future awaited at `span` (held while it runs); `call` is the
    /// call that made it, as written (`health_check.check(..)`).
    Awaited { span: Span, call: String },
}

/// One obligation: a where clause that must hold in a function's
/// environment for its body to be accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Obligation {
    /// Which function (index into [`BodyFacts::functions`]).
    pub function: usize,
    /// The where clause, e.g. `start_health_check_block0<H>: Send`.
    pub where_clause: ast::WhereClause,
    /// The closed goal: `forall<P..> { if (WC..) { where_clause } }`.
    pub goal: ast::Goal,
    /// The environment it is asked in (the function's).
    pub env: Env,
    /// The expression that raised it (a call, a method call, an `.await`).
    pub span: Span,
    /// The argument of the call whose type the bound is on, if any: rustc
    /// points at it for a bound that is not a future's `Send`.
    pub argument: Option<Span>,
    pub origin: Origin,
}

/// Why an obligation was raised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A where clause of the callee: its name and where the bound is written.
    CalleeBound { callee: String, bound: Span },
    /// The trait a method call resolved to.
    MethodTrait { method: String },
    /// `.await` needs `IntoFuture`.
    Await,
    /// A coercion to a `dyn` type (`Box::pin(async { .. })` as
    /// `Pin<Box<dyn Future + Send>>`).
    Coercion { from: String, to: String },
    /// A bound of the function's `-> impl Trait`, on the type its body
    /// returns at `tail`.
    OpaqueBound { tail: Span },
    /// A `&mut self` method called through an overloaded deref of `ty`
    /// (`Ref<DynTrait>`), which needs `DerefMut`.
    DerefMut { ty: String },
}

/// Checks every body of a Rust file against the program of its items.
pub fn check_bodies(file: &ast::File, program: &Arc<Program>, limits: &Limits) -> BodyFacts {
    let Some(rust) = &file.rust else {
        return BodyFacts::default();
    };
    let mut cx = infer::Cx::new(file, rust, program, limits);
    // Functions that return `impl Trait` first: their callers see the
    // hidden type's auto traits.
    let (opaque, rest): (Vec<usize>, Vec<usize>) = (0..rust.functions.len())
        .filter(|&i| rust.functions[i].body.is_some())
        .partition(|&i| !rust.functions[i].opaque_bounds.is_empty());
    for (i, f) in rust.functions.iter().enumerate() {
        if f.body.is_some() {
            cx.register_function(i);
        }
    }
    for i in opaque.into_iter().chain(rest) {
        cx.check_function(i);
    }
    generate::finish(cx)
}
