//! Type inference of one body (rule [`body-infer`](crate::rules::BODY_INFER)), and everything it
//! records on the way: the obligations of each call, the captures of each
//! `async` block and closure, and what is live at each `.await`.
//!
//! Types flow from signatures, annotations, literals, fields and method
//! signatures; projections normalize through chalk ([`Oracle::normalize`]).
//! The futures of `async` blocks and `async fn`s, and closures, are
//! placeholders while inferring (`#fut3<..>`, `#closure1<..>`), applied to
//! every parameter of the environment they are made in; [`super::generate`]
//! turns them into generated items once every body is checked.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::body::{
    BinaryOp, Block, Condition, Expr, ExprKind, Lit, Pat, PathRes, Stmt, UnaryOp,
};
use chalkboard_syntax::build;
use chalkboard_syntax::print::print_ty;
use chalkboard_syntax::rust::{FnOwner, Function, RustFile, OPAQUE_SELF};
use chalkboard_syntax::Diagnostic;

use super::items::{body_lifetime, fn_env, head, Items, Subst};
use super::oracle::{Env, Oracle, BODY_LIFETIME};
use super::table::{var_of, visit_types, Table, VarKind};
use super::{FnSummary, HeldWhy, Obligation, Origin};
use crate::codes;
use crate::solve::Limits;

/// A future the checker generates: an `async fn`'s, or an `async` block's.
pub struct FutureInfo {
    pub placeholder: String,
    /// The struct's name in the program.
    pub name: String,
    /// The environment its placeholder's arguments follow.
    pub env: Env,
    pub fields: Vec<(String, ast::Ty, HeldWhy)>,
    pub output: ast::Ty,
    /// For an impl's `async fn`: desugaring already generated the struct;
    /// the checker only adds what it holds.
    pub existing: Option<String>,
    pub span: Span,
    /// The body has been checked (its fields are known).
    pub checked: bool,
}

/// The opaque type a function outside a trait returns when it is written
/// `-> impl Trait` (rule [`body-opaque-return`](crate::rules::BODY_OPAQUE_RETURN)).
pub struct OpaqueInfo {
    pub placeholder: String,
    /// The struct's name in the program.
    pub name: String,
    /// The function's environment: the opaque type is applied to all of it.
    pub env: Env,
    /// The bounds of `impl Trait`, on [`OPAQUE_SELF`].
    pub bounds: Vec<ast::QuantifiedWhereClause>,
    /// The type the body returns, once it is checked.
    pub hidden: Option<ast::Ty>,
    /// `impl HealthCheck + Send`, as written.
    pub shown: String,
    pub span: Span,
}

/// A closure the checker generates.
pub struct ClosureInfo {
    pub placeholder: String,
    pub name: String,
    pub env: Env,
    pub params: Vec<ast::Ty>,
    pub ret: ast::Ty,
    pub upvars: Vec<ast::Ty>,
    pub kind: ast::ClosureKind,
    pub span: Span,
}

pub struct Cx<'a> {
    pub items: Items<'a>,
    pub oracle: Oracle,
    pub futures: Vec<FutureInfo>,
    pub closures: Vec<ClosureInfo>,
    pub opaques: Vec<OpaqueInfo>,
    /// The future of each `async fn`, by function index.
    pub fn_futures: HashMap<usize, usize>,
    /// The opaque return type of each function that has one.
    pub fn_opaques: HashMap<usize, usize>,
    /// Each function's row in [`Cx::functions`], by function index.
    summaries: HashMap<usize, usize>,
    pub obligations: Vec<Obligation>,
    pub diagnostics: Vec<Diagnostic>,
    pub functions: Vec<FnSummary>,
    pub taken: BTreeSet<String>,
    /// The counts of futures, closures and known hidden types the oracle's
    /// program has stand-ins for (see [`FnCx::refresh_oracle`]).
    scratch: (usize, usize, usize),
}

fn mangle(path: &str) -> String {
    path.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

impl<'a> Cx<'a> {
    pub fn new(
        file: &'a ast::File,
        rust: &'a RustFile,
        program: &Arc<Program>,
        limits: &Limits,
    ) -> Cx<'a> {
        let taken = file
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Adt(a) => Some(a.name.text.clone()),
                ast::Item::Trait(t) => Some(t.name.text.clone()),
                ast::Item::Closure(c) => Some(c.name.text.clone()),
                _ => None,
            })
            .collect();
        Cx {
            items: Items::new(file, rust),
            oracle: Oracle::new(Arc::clone(program), *limits),
            futures: Vec::new(),
            closures: Vec::new(),
            opaques: Vec::new(),
            fn_futures: HashMap::new(),
            fn_opaques: HashMap::new(),
            summaries: HashMap::new(),
            obligations: Vec::new(),
            diagnostics: Vec::new(),
            functions: Vec::new(),
            taken,
            scratch: (0, 0, 0),
        }
    }

    fn fresh_item_name(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 1;
        while !self.taken.insert(name.clone()) {
            n += 1;
            name = format!("{base}{n}");
        }
        name
    }

    /// The future of an `async fn` (created when first needed).
    fn fn_future(&mut self, index: usize) -> usize {
        if let Some(&i) = self.fn_futures.get(&index) {
            return i;
        }
        let f = &self.items.rust.functions[index];
        let fe = fn_env(f);
        let existing = self.items.impl_of(f).and_then(|imp| {
            self.items
                .impl_futures
                .get(&(imp, f.name.text.clone()))
                .cloned()
        });
        let name = match &existing {
            Some(n) => n.clone(),
            None => self.fresh_item_name(&format!("{}_Future", mangle(&f.path))),
        };
        // An `async fn`'s future owns its arguments, from the start.
        let mut fields = Vec::new();
        if let Some(r) = &fe.receiver {
            fields.push((
                "this".to_string(),
                r.clone(),
                HeldWhy::Argument { span: f.sig_span },
            ));
        }
        for (i, ((pat, _), ty)) in f.arguments.iter().zip(&fe.arguments).enumerate() {
            let name = match pat {
                Pat::Ident { name, .. } => name.text.clone(),
                _ => format!("arg{i}"),
            };
            fields.push((name, ty.clone(), HeldWhy::Argument { span: pat.span() }));
        }
        self.futures.push(FutureInfo {
            placeholder: format!("#fut{}", self.futures.len()),
            name,
            env: fe.env,
            fields,
            output: fe.return_type,
            existing,
            span: f.span,
            checked: f.body.is_none(),
        });
        let id = self.futures.len() - 1;
        self.fn_futures.insert(index, id);
        id
    }

    /// The opaque type of a function that returns `impl Trait` outside a
    /// trait, made the first time a body calls it or it is checked.
    pub fn fn_opaque(&mut self, index: usize) -> Option<usize> {
        if let Some(&i) = self.fn_opaques.get(&index) {
            return Some(i);
        }
        let f = &self.items.rust.functions[index];
        let ret = f.return_type.as_ref()?;
        if !matches!(f.owner, FnOwner::Free | FnOwner::Inherent { .. })
            || !matches!(ret.kind, ast::TyKind::ImplTrait(_))
        {
            return None;
        }
        let name = self.fresh_item_name(&format!("{}_Opaque", mangle(&f.path)));
        self.opaques.push(OpaqueInfo {
            placeholder: format!("#opaque{}", self.opaques.len()),
            name,
            env: fn_env(f).env,
            bounds: f.opaque_bounds.clone(),
            hidden: None,
            shown: print_ty(ret),
            span: ret.span,
        });
        let id = self.opaques.len() - 1;
        self.fn_opaques.insert(index, id);
        Some(id)
    }

    /// Gives a function its row (in [`Cx::functions`]), so rows follow the
    /// source whatever order the bodies are checked in.
    pub fn register_function(&mut self, index: usize) {
        let f: &'a Function = &self.items.rust.functions[index];
        if f.in_model || self.summaries.contains_key(&index) {
            return;
        }
        let name = match &f.owner {
            FnOwner::Free => format!("fn {}", f.name.text),
            _ => f.path.clone(),
        };
        self.functions.push(FnSummary {
            name,
            span: f.sig_span,
            in_model: f.in_model,
        });
        self.summaries.insert(index, self.functions.len() - 1);
    }

    pub fn check_function(&mut self, index: usize) {
        let f: &'a Function = &self.items.rust.functions[index];
        if f.in_model {
            return;
        }
        self.register_function(index);
        let summary = self.summaries[&index];
        let (unanswered, reported) = (self.oracle.unanswered, self.diagnostics.len());
        let fe = fn_env(f);
        let mut fcx = FnCx {
            cx: self,
            summary,
            env: fe.env.clone(),
            table: Table::default(),
            locals: Vec::new(),
            scopes: vec![Vec::new()],
            frames: Vec::new(),
            statements: Vec::new(),
            returns: Vec::new(),
            loops: Vec::new(),
            pending: Vec::new(),
            created_futures: Vec::new(),
            created_closures: Vec::new(),
            arguments_end: 0,
            conditional: 0,
            in_place: false,
        };
        let async_future = f.is_async.then(|| fcx.cx.fn_future(index));
        fcx.frames.push(Frame {
            kind: match async_future {
                Some(fut) => FrameKind::Async { future: fut },
                None => FrameKind::Sync,
            },
            is_move: true,
            captures: Vec::new(),
            awaits: 0,
        });
        if let Some(r) = &fe.receiver {
            fcx.declare("self", r.clone(), f.sig_span);
        }
        for ((pat, _), ty) in f.arguments.iter().zip(&fe.arguments) {
            fcx.bind_pattern(pat, ty.clone(), false);
        }
        fcx.arguments_end = fcx.locals.len();
        // Rule `body-opaque-return`: the body of a function returning
        // `impl Trait` is checked against its hidden type, a fresh variable
        // the body decides, which must then meet the bounds.
        let opaque = if f.is_async {
            None
        } else {
            fcx.cx.fn_opaque(index)
        };
        let ret = match opaque {
            Some(_) => fcx.var(f.sig_span),
            None => fe.return_type.clone(),
        };
        fcx.returns.push(ret.clone());
        let Some(body) = &f.body else { return };
        let ty = fcx.check_block(body, Some(&ret));
        let tail = body.tail.as_ref().map_or(body.span, |t| t.span);
        fcx.coerce(&ty, &ret, tail);
        if let Some(o) = opaque {
            let mut subst = Subst::default();
            subst.types.insert(OPAQUE_SELF.to_string(), ret.clone());
            let span = fcx.cx.opaques[o].span;
            for wc in fcx.cx.opaques[o].bounds.clone() {
                let wc = subst.apply_wc(&wc);
                fcx.pending.push(Pending {
                    params: wc.params,
                    where_clause: wc.where_clause,
                    span,
                    argument: None,
                    origin: Origin::OpaqueBound { tail },
                });
            }
        }
        fcx.finish(async_future, opaque.map(|o| (o, ret)));
        // A question chalk did not answer leaves a type unknown: the errors
        // that follow may come from that rather than from the body.
        if self.oracle.unanswered > unanswered {
            for d in &mut self.diagnostics[reported..] {
                d.notes.push(
                    "chalk did not answer a question this function's type inference asked (it hit the deadline, `--timeout`, or a solver limit): this error may come from that; raise the limit if it looks wrong".to_string(),
                );
            }
        }
    }
}

/// A local variable.
struct Local {
    name: String,
    ty: ast::Ty,
    span: Span,
    /// The frame it was declared in.
    frame: usize,
    moved: bool,
}

enum FrameKind {
    /// A function body that is not `async`.
    Sync,
    /// An `async fn` body or `async` block: its future.
    Async { future: usize },
    /// A closure body (its index in [`Cx::closures`]).
    Closure(#[allow(dead_code)] usize),
}

struct Frame {
    kind: FrameKind,
    is_move: bool,
    /// Locals of enclosing frames used here: (local, by reference, first use).
    captures: Vec<(usize, bool, Span)>,
    awaits: usize,
}

/// An obligation whose types may still hold inference variables.
struct Pending {
    /// Its own binder (`for<'a>` of a return type notation bound).
    params: Vec<ast::VariableKind>,
    where_clause: ast::WhereClause,
    span: Span,
    /// The argument whose type the bound is on, when it is one.
    argument: Option<Span>,
    origin: Origin,
}

pub struct FnCx<'c, 'a> {
    cx: &'c mut Cx<'a>,
    summary: usize,
    env: Env,
    table: Table,
    locals: Vec<Local>,
    scopes: Vec<Vec<usize>>,
    frames: Vec<Frame>,
    /// The temporaries borrowed in each statement being checked.
    statements: Vec<Vec<(ast::Ty, Span)>>,
    /// The return type of the innermost function, closure or `async` block.
    returns: Vec<ast::Ty>,
    /// The type of each enclosing loop's `break` value.
    loops: Vec<ast::Ty>,
    pending: Vec<Pending>,
    /// The futures and closures this body creates.
    created_futures: Vec<usize>,
    created_closures: Vec<usize>,
    /// Locals below this index are the arguments of the function (an
    /// `async fn`'s future owns them already).
    arguments_end: usize,
    /// Inside a branch or loop body: moves there do not count (the value
    /// may still be live), as with rustc's drop flags.
    conditional: usize,
    /// Checking a place expression (its locals are not moved).
    in_place: bool,
}

fn unit(span: Span) -> ast::Ty {
    ast::Ty {
        kind: ast::TyKind::Tuple(Vec::new()),
        span,
    }
}

fn scalar_ty(s: ast::ScalarType, span: Span) -> ast::Ty {
    ast::Ty {
        kind: ast::TyKind::Scalar(s),
        span,
    }
}

fn apply(name: &str, args: Vec<ast::GenericArg>, span: Span) -> ast::Ty {
    let name = build::ident(name, span);
    ast::Ty {
        kind: if args.is_empty() {
            ast::TyKind::Name(name)
        } else {
            ast::TyKind::Apply(name, args)
        },
        span,
    }
}

fn ref_ty(mutable: bool, ty: ast::Ty, span: Span) -> ast::Ty {
    ref_ty_in(mutable, ty, body_lifetime(span), span)
}

fn ref_ty_in(mutable: bool, ty: ast::Ty, lifetime: ast::Lifetime, span: Span) -> ast::Ty {
    ast::Ty {
        kind: ast::TyKind::Ref(
            if mutable {
                ast::Mutability::Mut
            } else {
                ast::Mutability::Not
            },
            Some(lifetime),
            Box::new(ty),
        ),
        span,
    }
}

/// The arguments of a placeholder applied to an environment.
fn env_args(env: &Env) -> Vec<ast::GenericArg> {
    env.params.iter().map(build::param_as_arg).collect()
}

/// The placeholder a generated type is, if it is one: its kind and index.
pub fn placeholder_of(ty: &ast::Ty) -> Option<(&str, usize)> {
    let (ast::TyKind::Name(n) | ast::TyKind::Apply(n, _)) = &ty.kind else {
        return None;
    };
    let rest = n.text.strip_prefix('#')?;
    for kind in ["fut", "closure", "opaque"] {
        if let Some(i) = rest.strip_prefix(kind) {
            return i.parse().ok().map(|i| (kind, i));
        }
    }
    None
}

fn generic_args_of(ty: &ast::Ty) -> &[ast::GenericArg] {
    match &ty.kind {
        ast::TyKind::Apply(_, args) => args,
        _ => &[],
    }
}

impl FnCx<'_, '_> {
    // -----------------------------------------------------------------
    // Diagnostics.

    fn error(
        &mut self,
        code: chalkboard_syntax::registry::Code,
        message: String,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(code, message, span)
    }

    fn report(&mut self, d: Diagnostic) {
        self.cx.diagnostics.push(d);
    }

    fn show(&self, ty: &ast::Ty) -> String {
        let ty = self.table.resolve(ty);
        show_ty(&ty, &self.cx.futures, &self.cx.closures)
    }

    // -----------------------------------------------------------------
    // Locals, scopes and frames.

    fn declare(&mut self, name: &str, ty: ast::Ty, span: Span) {
        self.locals.push(Local {
            name: name.to_string(),
            ty,
            span,
            frame: self.frames.len() - 1,
            moved: false,
        });
        let id = self.locals.len() - 1;
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(id);
        }
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .copied()
            .find(|&id| self.locals[id].name == name)
    }

    /// The type a use of local `id` has here, recording a capture by every
    /// frame between its declaration and here.
    fn use_local(&mut self, id: usize, span: Span, by_value: bool) -> ast::Ty {
        let declared_in = self.locals[id].frame;
        let ty = self.locals[id].ty.clone();
        let here = self.frames.len() - 1;
        let mut by_ref = false;
        for f in (declared_in + 1)..=here {
            let frame = &mut self.frames[f];
            let capture_by_ref = !frame.is_move;
            if !frame.captures.iter().any(|(l, _, _)| *l == id) {
                frame.captures.push((id, capture_by_ref, span));
            }
            by_ref |= capture_by_ref;
        }
        // A value used by value in its own frame is moved out (unless it is
        // `Copy`); a `move` capture moves it out of the declaring frame.
        let moves = if here == declared_in {
            by_value && !self.in_place
        } else {
            !by_ref && self.frames[declared_in + 1].is_move
        };
        if moves && self.conditional == 0 && !self.is_copy(&ty) {
            self.locals[id].moved = true;
        }
        ty
    }

    fn is_copy(&mut self, ty: &ast::Ty) -> bool {
        let ty = self.table.resolve(ty);
        match &ty.kind {
            ast::TyKind::Scalar(_) | ast::TyKind::Never => return true,
            ast::TyKind::Ref(ast::Mutability::Not, _, _) => return true,
            ast::TyKind::Ref(ast::Mutability::Mut, _, _) => return false,
            _ => {}
        }
        if self.table.has_vars(&ty) || has_placeholder(&ty) {
            return false;
        }
        let Some(copy) = self.prelude_trait("Copy") else {
            return false;
        };
        self.cx.oracle.holds(
            &self.env,
            ast::WhereClause::Implemented(build::trait_ref(
                &build::ident(copy, ty.span),
                ty,
                &[],
                Span::default(),
            )),
        ) == Some(true)
    }

    fn prelude_trait(&self, name: &str) -> Option<String> {
        self.cx
            .items
            .traits
            .contains_key(name)
            .then(|| name.to_string())
    }

    /// Gives chalk stand-ins for the futures and closures made so far, so
    /// that questions about them (`<Map<I, {closure}> as Iterator>::Item`,
    /// `<{async block} as Future>::Output`) have answers while inferring: a
    /// struct per future with its `Future` impl, a chalk closure per
    /// closure, each named by its placeholder. Only their signatures matter
    /// here; what a future holds is added when every body is checked.
    fn refresh_oracle(&mut self) {
        let known = self
            .cx
            .opaques
            .iter()
            .filter(|o| o.hidden.is_some())
            .count();
        let counts = (
            self.cx.futures.len(),
            self.cx.closures.len(),
            self.cx.opaques.len() + known,
        );
        if counts == self.cx.scratch {
            return;
        }
        self.cx.scratch = counts;
        let mut tree = self.cx.items.file.clone();
        for f in &self.cx.futures {
            let output = self.table.resolve(&f.output);
            if self.table.has_vars(&output) {
                continue;
            }
            let name = build::ident(f.placeholder.clone(), f.span);
            let self_ty = apply(&f.placeholder, env_args(&f.env), f.span);
            tree.items.push(ast::Item::Adt(Arc::new(ast::AdtDefn {
                kind: ast::AdtKind::Struct,
                name: name.clone(),
                params: f.env.params.clone(),
                where_clauses: Vec::new(),
                variants: vec![ast::Variant {
                    name,
                    fields: Vec::new(),
                }],
                flags: ast::AdtFlags::default(),
                repr: ast::AdtRepr::default(),
                variances: None,
                span: f.span,
            })));
            tree.items.push(ast::Item::Impl(Arc::new(ast::ImplDefn {
                params: f.env.params.clone(),
                trait_ref: build::trait_ref(&build::ident("Future", f.span), self_ty, &[], f.span),
                polarity: ast::Polarity::Positive,
                where_clauses: Vec::new(),
                assoc_ty_values: vec![ast::AssocTyValue {
                    name: build::ident("Output", f.span),
                    params: Vec::new(),
                    value: output,
                    default: false,
                    span: f.span,
                }],
                methods: Vec::new(),
                upstream: false,
                generated_by: None,
                span: f.span,
            })));
        }
        for c in &self.cx.closures {
            let params: Vec<ast::Ty> = c.params.iter().map(|t| self.table.resolve(t)).collect();
            let ret = self.table.resolve(&c.ret);
            if params.iter().chain([&ret]).any(|t| self.table.has_vars(t)) {
                continue;
            }
            tree.items
                .push(ast::Item::Closure(Arc::new(ast::ClosureDefn {
                    name: build::ident(c.placeholder.clone(), c.span),
                    kind: c.kind,
                    params: c.env.params.clone(),
                    argument_types: params,
                    return_type: ret,
                    upvars: Vec::new(),
                    span: c.span,
                })));
        }
        for o in &self.cx.opaques {
            let hidden = o
                .hidden
                .as_ref()
                .map(|h| self.table.resolve(h))
                .filter(|h| !self.table.has_vars(h));
            tree.items.extend(super::generate::opaque_items(
                o,
                &o.placeholder,
                hidden.as_ref(),
                &self.cx.items.traits,
                None,
            ));
        }
        tree.rust = None;
        tree.goals.clear();
        if let (Some(program), _) = chalkboard_lowering::lower::lower_file(&tree) {
            self.cx.oracle.set_program(program);
        }
    }

    /// Obligations whose self type is known but whose other types are not
    /// yet: chalk's answer picks them (`Vec<?1>: FromIterator<u8>` gives
    /// `?1 = u8`), as rustc's trait selection does while inferring.
    fn select_pending(&mut self) {
        for _ in 0..3 {
            let mut progress = false;
            for i in 0..self.pending.len() {
                if !self.pending[i].params.is_empty() {
                    continue;
                }
                let wc = self.pending[i].where_clause.clone();
                let mut resolved = ast::QuantifiedWhereClause {
                    params: Vec::new(),
                    where_clause: wc,
                    span: Span::default(),
                };
                let mut has_vars = false;
                chalkboard_syntax::visit::walk_quantified_where_clause(
                    &mut ResolveAll {
                        table: &self.table,
                        has_vars: &mut has_vars,
                    },
                    &mut resolved,
                );
                if !has_vars {
                    continue;
                }
                // The self type's head must be known (`Vec<?1>`, not `?1`):
                // otherwise every impl would be an answer.
                let self_known = match &resolved.where_clause {
                    ast::WhereClause::Implemented(tr) => match tr.args.first() {
                        Some(ast::GenericArg::Ty(t)) => var_of(&self.table.resolve(t)).is_none(),
                        _ => false,
                    },
                    ast::WhereClause::AliasEq { projection, .. } => {
                        match projection.trait_ref.args.first() {
                            Some(ast::GenericArg::Ty(t)) => {
                                var_of(&self.table.resolve(t)).is_none()
                            }
                            _ => false,
                        }
                    }
                    _ => false,
                };
                if !self_known {
                    continue;
                }
                // Projections inside are normalized first: chalk answers a
                // question about an unnormalized one only ambiguously.
                if let ast::WhereClause::Implemented(tr) = &mut resolved.where_clause {
                    for a in tr.args.iter_mut() {
                        if let ast::GenericArg::Ty(t) = a {
                            *t = self.normalize(t);
                        }
                    }
                }
                // The variables, in the order chalk meets them.
                let mut vars: Vec<String> = Vec::new();
                let mut collect = |t: &ast::Ty| {
                    visit_types(t, &mut |x| {
                        if let ast::TyKind::Name(n) = &x.kind {
                            if var_of(x).is_some() && !vars.contains(&n.text) {
                                vars.push(n.text.clone());
                            }
                        }
                    })
                };
                wc_types(&resolved.where_clause, &mut collect);
                if has_placeholder_wc(&resolved.where_clause) {
                    self.refresh_oracle();
                }
                let binders: Vec<ast::VariableKind> = vars
                    .iter()
                    .map(|v| ast::VariableKind {
                        kind: ast::ParamKind::Ty,
                        name: build::ident(v.clone(), Span::default()),
                    })
                    .collect();
                let values =
                    self.cx
                        .oracle
                        .select(&self.env, &binders, resolved.where_clause.clone());
                for (v, value) in vars.iter().zip(values) {
                    let Some(value) = value else { continue };
                    let var = build::name_ty(v.clone(), Span::default());
                    let saved = self.table.snapshot();
                    if self.table.unify(&var, &value) {
                        progress = true;
                    } else {
                        self.table.rollback(saved);
                    }
                }
            }
            if !progress {
                break;
            }
        }
    }

    /// The lifetime of a borrow made here. Inside a future, a borrow of
    /// the future's own values is internal to it (rustc erases it from the
    /// future's type), so it is `'static` for the future's bounds; outside,
    /// it is the body's lifetime, which nothing outlives.
    fn region(&self, span: Span) -> ast::Lifetime {
        match self.frames.last().map(|f| &f.kind) {
            Some(FrameKind::Async { .. }) => ast::Lifetime {
                kind: ast::LifetimeKind::Static,
                span,
            },
            _ => body_lifetime(span),
        }
    }

    fn in_async(&self) -> Option<usize> {
        match self.frames.last()?.kind {
            FrameKind::Async { future } => Some(future),
            _ => None,
        }
    }

    // -----------------------------------------------------------------
    // Types.

    fn var(&mut self, span: Span) -> ast::Ty {
        self.table.new_var(VarKind::General, span)
    }

    /// The type with inference variables resolved and projections
    /// normalized where chalk can.
    fn normalize(&mut self, ty: &ast::Ty) -> ast::Ty {
        let ty = self.fill_holes(ty);
        let ty = self.table.resolve(&ty);
        let mut out = ty.clone();
        self.normalize_in_place(&mut out, 0);
        out
    }

    fn normalize_in_place(&mut self, ty: &mut ast::Ty, depth: usize) {
        if depth > 8 {
            return;
        }
        match &mut ty.kind {
            ast::TyKind::Projection(p) => {
                for a in p.trait_ref.args.iter_mut().chain(p.args.iter_mut()) {
                    if let ast::GenericArg::Ty(t) = a {
                        self.normalize_in_place(t, depth + 1);
                    }
                }
                if let Some(t) = self.normalize_projection(&p.clone()) {
                    *ty = t;
                }
            }
            ast::TyKind::Apply(_, args) => {
                for a in args {
                    if let ast::GenericArg::Ty(t) = a {
                        self.normalize_in_place(t, depth + 1);
                    }
                }
            }
            ast::TyKind::Ref(_, _, t)
            | ast::TyKind::Slice(t)
            | ast::TyKind::Array(t, _)
            | ast::TyKind::Raw(_, t) => self.normalize_in_place(t, depth + 1),
            ast::TyKind::Tuple(ts) => {
                for t in ts {
                    self.normalize_in_place(t, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// A projection's normal form: a generated future's output is known
    /// here; anything else is chalk's to say.
    fn normalize_projection(&mut self, p: &ast::ProjectionTy) -> Option<ast::Ty> {
        let self_ty = match p.trait_ref.args.first() {
            Some(ast::GenericArg::Ty(t)) => self.table.resolve(t),
            _ => return None,
        };
        if let Some(("fut", i)) = placeholder_of(&self_ty) {
            let future = &self.cx.futures[i];
            return match p.name.text.as_str() {
                "Output" => Some(instantiate_generated(
                    &future.env,
                    generic_args_of(&self_ty),
                    &future.output,
                )),
                "IntoFuture" => Some(self_ty.clone()),
                _ => None,
            };
        }
        if let Some(("closure", i)) = placeholder_of(&self_ty) {
            let closure = &self.cx.closures[i];
            if p.name.text == "Output" {
                return Some(instantiate_generated(
                    &closure.env,
                    generic_args_of(&self_ty),
                    &closure.ret,
                ));
            }
            return None;
        }
        let mut whole = ast::Ty {
            kind: ast::TyKind::Projection(p.clone()),
            span: Span::default(),
        };
        whole = self.table.resolve(&whole);
        if self.table.has_vars(&whole) {
            return None;
        }
        if has_placeholder(&whole) {
            self.refresh_oracle();
        }
        let ast::TyKind::Projection(p) = &whole.kind else {
            return None;
        };
        if let Some(output) = self.declared_future_output(p) {
            return Some(output);
        }
        self.cx.oracle.normalize(&self.env, p)
    }

    /// The arguments of a generated item or associated type at a call:
    /// each lifetime a fresh region, each type the call's (by name in
    /// `subst`) or the parameter itself.
    fn args_with_fresh_regions(
        &mut self,
        params: &[ast::VariableKind],
        subst: &Subst,
        span: Span,
    ) -> Vec<ast::GenericArg> {
        params
            .iter()
            .map(|p| match p.kind {
                ast::ParamKind::Lifetime => ast::GenericArg::Lifetime(self.region(span)),
                _ => ast::GenericArg::Ty(
                    subst
                        .types
                        .get(&p.name.text)
                        .cloned()
                        .unwrap_or_else(|| build::name_ty(p.name.text.clone(), span)),
                ),
            })
            .collect()
    }

    /// Rule [`body-alias-bound-output`](crate::rules::BODY_ALIAS_BOUND_OUTPUT): the output of awaiting an associated
    /// type the body cannot see through (`<S as Service>::call<'_>` for a
    /// type parameter `S`) is the `Output` its trait declares for it
    /// (`type call<'a>: Future<Output = Response>`), as rustc reads an
    /// alias's own bounds. chalk would answer the same (an impl's value must
    /// meet the bound), but only after enumerating every impl's future,
    /// which grows with the program and can outlast the question's deadline.
    fn declared_future_output(&self, p: &ast::ProjectionTy) -> Option<ast::Ty> {
        if p.name.text != "Output" || !p.args.is_empty() {
            return None;
        }
        let future = self.prelude_trait("Future")?;
        let awaited_trait = &p.trait_ref.trait_name.text;
        if *awaited_trait != future
            && Some(awaited_trait) != self.prelude_trait("IntoFuture").as_ref()
        {
            return None;
        }
        let Some(ast::GenericArg::Ty(awaited)) = p.trait_ref.args.first() else {
            return None;
        };
        let ast::TyKind::Projection(alias) = &awaited.kind else {
            return None;
        };
        let trait_defn = self
            .cx
            .items
            .traits
            .get(alias.trait_ref.trait_name.text.as_str())?;
        let assoc = trait_defn
            .assoc_ty_defns
            .iter()
            .find(|a| a.name.text == alias.name.text)?;
        let declared = assoc.bounds.iter().find_map(|b| match &b.bound {
            ast::InlineBound::AliasEq(eq)
                if b.params.is_empty()
                    && eq.trait_bound.trait_name.text == future
                    && eq.name.text == "Output"
                    && eq.args.is_empty() =>
            {
                Some(&eq.value)
            }
            _ => None,
        })?;
        // `Self`, the trait's and the associated type's type parameters
        // become the alias's arguments; an output that names a lifetime
        // parameter is left to chalk.
        let mut map = Vec::new();
        let self_and_params = std::iter::once("Self".to_string())
            .chain(trait_defn.params.iter().map(|v| v.name.text.clone()))
            .chain(assoc.params.iter().map(|v| v.name.text.clone()));
        let kinds = std::iter::once(ast::ParamKind::Ty)
            .chain(trait_defn.params.iter().map(|v| v.kind))
            .chain(assoc.params.iter().map(|v| v.kind));
        let args = alias.trait_ref.args.iter().chain(&alias.args);
        for ((name, kind), arg) in self_and_params.zip(kinds).zip(args) {
            if let (ast::ParamKind::Ty, ast::GenericArg::Ty(ty)) = (kind, arg) {
                map.push((name, ty.clone()));
            }
        }
        // An output that names a lifetime parameter or an associated type
        // (`Option<Self::Item>`, which chalk normalizes with the
        // environment's equalities) is left to chalk.
        struct LeftToChalk(bool);
        impl chalkboard_syntax::visit::VisitMut for LeftToChalk {
            fn lifetime(&mut self, l: &mut ast::Lifetime) {
                if matches!(l.kind, ast::LifetimeKind::Named(_)) {
                    self.0 = true;
                }
            }
            fn ty(&mut self, ty: &mut ast::Ty) {
                if matches!(
                    ty.kind,
                    ast::TyKind::Projection(_) | ast::TyKind::ShorthandProjection { .. }
                ) {
                    self.0 = true;
                }
                chalkboard_syntax::visit::walk_ty(self, ty);
            }
        }
        let mut output = build::substituted_ty(declared, &map);
        let mut names = LeftToChalk(false);
        chalkboard_syntax::visit::VisitMut::ty(&mut names, &mut output);
        if names.0 {
            return None;
        }
        Some(output)
    }

    /// Makes `actual` fit where `expected` is wanted: equal types, or a
    /// coercion Rust makes there (`&mut T` to `&T`, deref coercion, a `!`,
    /// a box to a boxed `dyn` type). Reports a mismatch otherwise.
    fn coerce(&mut self, actual: &ast::Ty, expected: &ast::Ty, span: Span) -> bool {
        let actual_r = self.table.resolve(actual);
        let expected_r = self.table.resolve(expected);
        if matches!(actual_r.kind, ast::TyKind::Never) {
            return true;
        }
        let saved = self.table.snapshot();
        if self.table.unify(&actual_r, &expected_r) {
            return true;
        }
        self.table.rollback(saved);
        // Normalize both, then try again.
        let a = self.normalize(&actual_r);
        let e = self.normalize(&expected_r);
        let saved = self.table.snapshot();
        if self.table.unify(&a, &e) {
            return true;
        }
        self.table.rollback(saved);
        // `&mut T` as `&T`, and deref coercion `&Rc<T>` as `&T`.
        if let (ast::TyKind::Ref(ma, _, ta), ast::TyKind::Ref(me, _, te)) = (&a.kind, &e.kind) {
            if *me == ast::Mutability::Not || ma == me {
                let mut step = (**ta).clone();
                for _ in 0..6 {
                    let saved = self.table.snapshot();
                    if self.table.unify(&step, te) {
                        return true;
                    }
                    self.table.rollback(saved);
                    match self.deref_step(&step) {
                        Some(next) => step = next,
                        None => break,
                    }
                }
            }
        }
        // Unsized coercion: `Box<T>` as `Box<dyn B>`, `Pin<Box<T>>` as
        // `Pin<Box<dyn B>>`: `T` must implement every bound of the `dyn`.
        if let Some((inner_actual, bounds)) = self.unsize_target(&a, &e) {
            for b in bounds {
                for goal in build::bound_goals(&inner_actual, std::slice::from_ref(&b)) {
                    if let ast::GoalKind::Leaf(ast::LeafGoal::DomainGoal(ast::DomainGoal::Holds(
                        wc,
                    ))) = goal.kind
                    {
                        self.pending.push(Pending {
                            params: Vec::new(),
                            where_clause: wc,
                            span,
                            argument: None,
                            origin: Origin::Coercion {
                                from: self.show(&a),
                                to: self.show(&e),
                            },
                        });
                    }
                }
            }
            return true;
        }
        if self.table.has_vars(&e) && self.table.has_vars(&a) {
            return true;
        }
        let d = self
            .error(
                codes::TYPE_MISMATCH,
                "mismatched types".into(),
                span,
            )
            .with_label(format!(
                "expected `{}`, found `{}`",
                self.show(&e),
                self.show(&a)
            ))
            .with_help("make the types agree; chalkboard checks bodies with Rust's typing rules (docs/rust.md)");
        self.report(d);
        false
    }

    /// For `Box<T>` (or `Pin<Box<T>>`) expected as the same with a `dyn`
    /// inside: `T` and the `dyn`'s bounds.
    fn unsize_target(
        &mut self,
        a: &ast::Ty,
        e: &ast::Ty,
    ) -> Option<(ast::Ty, Vec<ast::QuantifiedInlineBound>)> {
        let peel = |t: &ast::Ty| -> Option<(Vec<String>, ast::Ty)> {
            let mut names = Vec::new();
            let mut t = t.clone();
            loop {
                match &t.kind {
                    ast::TyKind::Apply(n, args) if args.len() == 1 => {
                        let ast::GenericArg::Ty(inner) = &args[0] else {
                            return None;
                        };
                        names.push(n.text.clone());
                        let inner = inner.clone();
                        t = inner;
                    }
                    _ => return Some((names, t)),
                }
            }
        };
        let (na, ia) = peel(a)?;
        let (ne, ie) = peel(e)?;
        if na != ne || na.is_empty() {
            return None;
        }
        let ast::TyKind::Dyn { bounds, .. } = &ie.kind else {
            return None;
        };
        if matches!(ia.kind, ast::TyKind::Dyn { .. }) {
            return None;
        }
        Some((ia, bounds.clone()))
    }

    /// A written type with every `_` (a type to infer) a fresh variable.
    fn fill_holes(&mut self, ty: &ast::Ty) -> ast::Ty {
        struct Holes<'t> {
            table: &'t mut Table,
        }
        impl chalkboard_syntax::visit::VisitMut for Holes<'_> {
            fn ty(&mut self, ty: &mut ast::Ty) {
                if matches!(&ty.kind, ast::TyKind::Name(n) if n.text == "_") {
                    *ty = self.table.new_var(VarKind::General, ty.span);
                    return;
                }
                chalkboard_syntax::visit::walk_ty(self, ty);
            }
        }
        let mut ty = ty.clone();
        chalkboard_syntax::visit::VisitMut::ty(
            &mut Holes {
                table: &mut self.table,
            },
            &mut ty,
        );
        ty
    }

    /// One step of auto-deref: `&T` and `&mut T` to `T`, and through
    /// `Deref` (`Box`, `Rc`, `Arc`, `MutexGuard`, `Pin<P>`) as chalk says.
    fn deref_step(&mut self, ty: &ast::Ty) -> Option<ast::Ty> {
        let ty = self.table.resolve(ty);
        match &ty.kind {
            ast::TyKind::Ref(_, _, t) => Some((**t).clone()),
            ast::TyKind::Apply(..) | ast::TyKind::Name(_)
                if var_of(&ty).is_none() && placeholder_of(&ty).is_none() =>
            {
                let deref = self.prelude_trait("Deref")?;
                let p = ast::ProjectionTy {
                    trait_ref: build::trait_ref(
                        &build::ident(deref, ty.span),
                        ty.clone(),
                        &[],
                        ty.span,
                    ),
                    name: build::ident("Target", ty.span),
                    args: Vec::new(),
                };
                if self.table.has_vars(&ty) {
                    return None;
                }
                if let Some(target) = self.cx.oracle.normalize(&self.env, &p) {
                    return Some(target);
                }
                // chalk's answer may be a `dyn` type, which has no syntax
                // here; ask instead whether the target is one of the type's
                // own `dyn` arguments, as it is for `Box<dyn Trait>`.
                let ast::TyKind::Apply(_, args) = &ty.kind else {
                    return None;
                };
                args.iter().find_map(|a| match a {
                    ast::GenericArg::Ty(t) if matches!(t.kind, ast::TyKind::Dyn { .. }) => {
                        let wc = ast::WhereClause::AliasEq {
                            projection: p.clone(),
                            ty: t.clone(),
                        };
                        (self.cx.oracle.holds(&self.env, wc) == Some(true)).then(|| t.clone())
                    }
                    _ => None,
                })
            }
            _ => None,
        }
    }

    // -----------------------------------------------------------------
    // Obligations.

    fn oblige(&mut self, where_clause: ast::WhereClause, span: Span, origin: Origin) {
        self.pending.push(Pending {
            params: Vec::new(),
            where_clause,
            span,
            argument: None,
            origin,
        });
    }

    // -----------------------------------------------------------------
    // Statements and blocks.

    fn check_block(&mut self, block: &Block, expected: Option<&ast::Ty>) -> ast::Ty {
        self.scopes.push(Vec::new());
        let mut diverges = false;
        for stmt in &block.stmts {
            self.statements.push(Vec::new());
            match stmt {
                Stmt::Let {
                    pat,
                    ty,
                    init,
                    else_block,
                    span,
                } => {
                    let declared = ty.clone().map(|t| self.normalize(&t));
                    let value_ty = match init {
                        Some(e) => {
                            let t = self.check_expr(e, declared.as_ref());
                            if let Some(d) = &declared {
                                self.coerce(&t, d, e.span);
                            }
                            declared.clone().unwrap_or(t)
                        }
                        None => declared.clone().unwrap_or_else(|| self.var(*span)),
                    };
                    if let Some(b) = else_block {
                        self.conditional += 1;
                        self.check_block(b, None);
                        self.conditional -= 1;
                    }
                    self.bind_pattern(pat, value_ty, else_block.is_some());
                }
                Stmt::Expr(e) => {
                    let t = self.check_expr(e, None);
                    if matches!(self.table.resolve(&t).kind, ast::TyKind::Never) {
                        diverges = true;
                    }
                    if matches!(
                        e.kind,
                        ExprKind::Return(_) | ExprKind::Break(_) | ExprKind::Continue
                    ) {
                        diverges = true;
                    }
                }
                Stmt::Item(_) => {}
            }
            self.statements.pop();
            self.select_pending();
        }
        let ty = match &block.tail {
            Some(tail) => {
                self.statements.push(Vec::new());
                let t = self.check_expr(tail, expected);
                self.statements.pop();
                t
            }
            None if diverges => ast::Ty {
                kind: ast::TyKind::Never,
                span: block.span,
            },
            None => unit(block.span),
        };
        self.scopes.pop();
        ty
    }

    /// Binds a pattern's names to the parts of `ty`, with Rust's default
    /// binding modes (a reference matched by a non-reference pattern binds
    /// by reference).
    fn bind_pattern(&mut self, pat: &Pat, ty: ast::Ty, refutable: bool) {
        let _ = refutable;
        self.bind_pattern_mode(pat, ty, None);
    }

    fn bind_pattern_mode(&mut self, pat: &Pat, ty: ast::Ty, by_ref: Option<bool>) {
        let resolved = self.normalize(&ty);
        // Default binding mode: peel references off the scrutinee.
        if !matches!(
            pat,
            Pat::Ident { .. } | Pat::Wild | Pat::Ref(..) | Pat::Rest(_)
        ) {
            if let ast::TyKind::Ref(m, _, inner) = &resolved.kind {
                let mutable = *m == ast::Mutability::Mut;
                return self.bind_pattern_mode(
                    pat,
                    (**inner).clone(),
                    Some(by_ref.unwrap_or(mutable) && mutable),
                );
            }
        }
        let region = self.region(Span::default());
        let wrap = |t: ast::Ty| match by_ref {
            Some(m) => ref_ty_in(m, t, region.clone(), Span::default()),
            None => t,
        };
        match pat {
            Pat::Ident {
                name, by_ref: r, ..
            } => {
                let t = if *r {
                    ref_ty_in(false, resolved, region.clone(), name.span)
                } else {
                    wrap(resolved)
                };
                self.declare(&name.text, t, name.span);
            }
            Pat::Wild | Pat::Rest(_) | Pat::Lit(..) => {}
            Pat::Tuple(pats, span) => {
                let elems: Vec<ast::Ty> = match &resolved.kind {
                    ast::TyKind::Tuple(ts) if ts.len() == pats.len() => ts.clone(),
                    _ => {
                        let ts: Vec<ast::Ty> = pats.iter().map(|p| self.var(p.span())).collect();
                        let tuple = ast::Ty {
                            kind: ast::TyKind::Tuple(ts.clone()),
                            span: *span,
                        };
                        self.coerce(&tuple, &resolved, *span);
                        ts
                    }
                };
                for (p, t) in pats.iter().zip(elems) {
                    self.bind_pattern_mode(p, t, by_ref);
                }
            }
            Pat::Ref(inner, _) => {
                let t = match &resolved.kind {
                    ast::TyKind::Ref(_, _, t) => (**t).clone(),
                    _ => self.var(inner.span()),
                };
                self.bind_pattern_mode(inner, t, None);
            }
            Pat::Or(pats, _) => {
                if let Some(first) = pats.first() {
                    self.bind_pattern_mode(first, resolved, by_ref);
                }
            }
            Pat::TupleStruct { path, pats, span } => {
                let fields = self.ctor_fields(&path.res, &resolved, *span);
                for (i, p) in pats.iter().enumerate() {
                    let t = fields.get(i).cloned().unwrap_or_else(|| self.var(p.span()));
                    self.bind_pattern_mode(p, t, by_ref);
                }
            }
            Pat::Struct { path, fields, span } => {
                let named = self.ctor_named_fields(&path.res, &resolved, *span);
                for (name, p) in fields {
                    let t = named
                        .iter()
                        .find(|(n, _)| *n == name.text)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_else(|| self.var(p.span()));
                    self.bind_pattern_mode(p, t, by_ref);
                }
            }
            Pat::Path(path) => {
                let t = self.ctor_type(&path.res, path.span);
                self.coerce(&t, &resolved, path.span);
            }
            Pat::Unsupported(..) => {}
        }
    }

    /// The ADT and variant a constructor path names, instantiated with
    /// fresh variables unless the scrutinee's type fixes them.
    fn ctor_variant(&mut self, res: &PathRes, span: Span) -> Option<(ast::Ty, Vec<ast::Field>)> {
        let (adt_name, variant, args) = match res {
            PathRes::Struct { adt, args } => (adt.text.clone(), None, args.clone()),
            PathRes::Variant { adt, args, variant } => {
                (adt.text.clone(), Some(variant.text.clone()), args.clone())
            }
            _ => return None,
        };
        let adt = *self.cx.items.adts.get(adt_name.as_str())?;
        let mut subst = Subst::default();
        let mut ty_args = Vec::new();
        let mut explicit = args.into_iter();
        for p in &adt.params {
            match p.kind {
                ast::ParamKind::Lifetime => {
                    let l = self.region(span);
                    subst.lifetimes.insert(p.name.text.clone(), l.clone());
                    ty_args.push(ast::GenericArg::Lifetime(l));
                }
                _ => {
                    let t = match explicit.next() {
                        Some(ast::GenericArg::Ty(t)) => self.normalize(&t),
                        _ => self.var(span),
                    };
                    subst.types.insert(p.name.text.clone(), t.clone());
                    ty_args.push(ast::GenericArg::Ty(t));
                }
            }
        }
        let v = match &variant {
            Some(name) => adt.variants.iter().find(|v| &v.name.text == name)?,
            None => adt.variants.first()?,
        };
        let fields = v
            .fields
            .iter()
            .map(|f| ast::Field {
                name: f.name.clone(),
                ty: subst.apply(&f.ty),
            })
            .collect();
        Some((apply(&adt.name.text, ty_args, span), fields))
    }

    fn ctor_type(&mut self, res: &PathRes, span: Span) -> ast::Ty {
        match self.ctor_variant(res, span) {
            Some((ty, _)) => ty,
            None => self.var(span),
        }
    }

    fn ctor_fields(&mut self, res: &PathRes, scrutinee: &ast::Ty, span: Span) -> Vec<ast::Ty> {
        match self.ctor_variant(res, span) {
            Some((ty, fields)) => {
                self.coerce(&ty, scrutinee, span);
                fields.into_iter().map(|f| f.ty).collect()
            }
            None => Vec::new(),
        }
    }

    fn ctor_named_fields(
        &mut self,
        res: &PathRes,
        scrutinee: &ast::Ty,
        span: Span,
    ) -> Vec<(String, ast::Ty)> {
        match self.ctor_variant(res, span) {
            Some((ty, fields)) => {
                self.coerce(&ty, scrutinee, span);
                fields.into_iter().map(|f| (f.name.text, f.ty)).collect()
            }
            None => Vec::new(),
        }
    }

    // -----------------------------------------------------------------
    // Expressions.

    fn check_expr(&mut self, e: &Expr, expected: Option<&ast::Ty>) -> ast::Ty {
        let span = e.span;
        match &e.kind {
            ExprKind::Lit(lit) => self.literal(lit, expected, span),
            ExprKind::Path(path) => self.path_value(&path.res, span, true),
            ExprKind::Ref { mutable, expr } => {
                let was = self.in_place;
                self.in_place = true;
                let t = self.check_expr(expr, None);
                self.in_place = was;
                if !is_place(expr) {
                    if let Some(s) = self.statements.last_mut() {
                        s.push((t.clone(), expr.span));
                    }
                }
                ref_ty_in(*mutable, t, self.region(span), span)
            }
            ExprKind::Deref(inner) => {
                let was = self.in_place;
                self.in_place = true;
                let t = self.check_expr(inner, None);
                self.in_place = was;
                match self.deref_step(&t) {
                    Some(t) => t,
                    None => self.var(span),
                }
            }
            ExprKind::Unary(op, inner) => {
                let t = self.check_expr(inner, expected);
                match op {
                    UnaryOp::Not | UnaryOp::Neg => t,
                }
            }
            ExprKind::Binary(op, a, b) => {
                let ta = self.check_expr(a, None);
                let tb = self.check_expr(b, Some(&ta));
                match op {
                    BinaryOp::Arith => {
                        let ra = self.table.resolve(&ta);
                        if matches!(ra.kind, ast::TyKind::Scalar(_)) || var_of(&ra).is_some() {
                            let saved = self.table.snapshot();
                            if !self.table.unify(&ta, &tb) {
                                self.table.rollback(saved);
                            }
                        }
                        ta
                    }
                    BinaryOp::Compare | BinaryOp::Logic => scalar_ty(ast::ScalarType::Bool, span),
                }
            }
            ExprKind::Assign(place, value) => {
                let was = self.in_place;
                self.in_place = true;
                let tp = self.check_expr(place, None);
                self.in_place = was;
                let tv = self.check_expr(value, Some(&tp));
                let saved = self.table.snapshot();
                if !self.table.unify(&tp, &tv) {
                    self.table.rollback(saved);
                }
                // Assigning a local makes it live again.
                if let ExprKind::Path(p) = &place.kind {
                    if let PathRes::Local(name) = &p.res {
                        if let Some(id) = self.lookup(name) {
                            self.locals[id].moved = false;
                        }
                    }
                }
                unit(span)
            }
            ExprKind::Field(base, name) => {
                let was = self.in_place;
                self.in_place = true;
                let t = self.check_expr(base, None);
                self.in_place = was;
                self.field(&t, name, span)
            }
            ExprKind::Tuple(items) => {
                let expected_items = expected.map(|e| self.table.resolve(e)).and_then(|e| match e
                    .kind
                {
                    ast::TyKind::Tuple(ts) if ts.len() == items.len() => Some(ts),
                    _ => None,
                });
                let tys = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        let exp = expected_items.as_ref().map(|ts| ts[i].clone());
                        self.check_expr(x, exp.as_ref())
                    })
                    .collect();
                ast::Ty {
                    kind: ast::TyKind::Tuple(tys),
                    span,
                }
            }
            ExprKind::Array(items) => {
                let elem = self.var(span);
                for x in items {
                    let t = self.check_expr(x, Some(&elem));
                    self.coerce(&t, &elem, x.span);
                }
                ast::Ty {
                    kind: ast::TyKind::Slice(Box::new(elem)),
                    span,
                }
            }
            ExprKind::Index(base, index) => {
                self.check_expr(base, None);
                self.check_expr(index, None);
                self.var(span)
            }
            ExprKind::Struct { path, fields, base } => {
                let Some((ty, declared)) = self.ctor_variant(&path.res, span) else {
                    for (_, x) in fields {
                        self.check_expr(x, None);
                    }
                    return self.var(span);
                };
                for (name, x) in fields {
                    match declared.iter().find(|f| f.name.text == name.text) {
                        Some(f) => {
                            let ft = f.ty.clone();
                            let t = self.check_expr(x, Some(&ft));
                            self.coerce(&t, &ft, x.span);
                        }
                        None => {
                            self.check_expr(x, None);
                            let d = self
                                .error(
                                    codes::UNKNOWN_FIELD,
                                    format!(
                                        "struct `{}` has no field named `{}`",
                                        self.show(&ty),
                                        name.text
                                    ),
                                    name.span,
                                )
                                .with_label("unknown field");
                            self.report(d);
                        }
                    }
                }
                if let Some(b) = base {
                    let t = self.check_expr(b, Some(&ty));
                    self.coerce(&t, &ty, b.span);
                }
                ty
            }
            ExprKind::Call(callee, args) => self.call(callee, args, span, expected),
            ExprKind::MethodCall {
                receiver,
                method,
                turbofish,
                args,
            } => self.method_call(receiver, method, turbofish, args, span),
            ExprKind::Closure {
                is_move,
                is_async,
                params,
                ret,
                body,
            } => self.closure(*is_move, *is_async, params, ret.as_ref(), body, span, None),
            ExprKind::Async { is_move, block } => self.async_block(*is_move, block, span),
            ExprKind::Await(inner) => self.await_expr(inner, span),
            ExprKind::Try(inner) => {
                let t = self.check_expr(inner, None);
                let t = self.normalize(&t);
                match &t.kind {
                    ast::TyKind::Apply(n, args)
                        if (n.text == "Option" || n.text == "Result") && !args.is_empty() =>
                    {
                        match &args[0] {
                            ast::GenericArg::Ty(t) => t.clone(),
                            _ => self.var(span),
                        }
                    }
                    _ => self.var(span),
                }
            }
            ExprKind::Block(b) | ExprKind::Unsafe(b) => self.check_block(b, expected),
            ExprKind::If { cond, then, else_ } => {
                self.scopes.push(Vec::new());
                self.condition(cond);
                self.conditional += 1;
                let t = self.check_block(then, expected);
                self.scopes.pop();
                let out = match else_ {
                    Some(x) => {
                        let te = self.check_expr(x, Some(&t));
                        let rt = self.table.resolve(&t);
                        if matches!(rt.kind, ast::TyKind::Never) {
                            te
                        } else {
                            self.coerce(&te, &t, x.span);
                            t
                        }
                    }
                    None => unit(span),
                };
                self.conditional -= 1;
                out
            }
            ExprKind::Match { scrutinee, arms } => {
                let t = self.check_expr(scrutinee, None);
                let result = expected.cloned().unwrap_or_else(|| self.var(span));
                self.conditional += 1;
                let mut all_diverge = !arms.is_empty();
                for arm in arms {
                    self.scopes.push(Vec::new());
                    self.bind_pattern(&arm.pat, t.clone(), true);
                    if let Some(g) = &arm.guard {
                        self.check_expr(g, None);
                    }
                    let ta = self.check_expr(&arm.body, Some(&result));
                    if !matches!(self.table.resolve(&ta).kind, ast::TyKind::Never) {
                        all_diverge = false;
                        self.coerce(&ta, &result, arm.body.span);
                    }
                    self.scopes.pop();
                }
                self.conditional -= 1;
                if all_diverge {
                    ast::Ty {
                        kind: ast::TyKind::Never,
                        span,
                    }
                } else {
                    result
                }
            }
            ExprKind::Loop(body) => {
                let result = self.var(span);
                self.loops.push(result.clone());
                self.conditional += 1;
                self.check_block(body, None);
                self.conditional -= 1;
                self.loops.pop();
                result
            }
            ExprKind::While { cond, body } => {
                self.loops.push(unit(span));
                self.scopes.push(Vec::new());
                self.conditional += 1;
                self.condition(cond);
                self.check_block(body, None);
                self.conditional -= 1;
                self.scopes.pop();
                self.loops.pop();
                unit(span)
            }
            ExprKind::For { pat, iter, body } => {
                let t = self.check_expr(iter, None);
                let item = self.iterator_item(&t, iter.span);
                self.loops.push(unit(span));
                self.scopes.push(Vec::new());
                self.conditional += 1;
                self.bind_pattern(pat, item, false);
                self.check_block(body, None);
                self.conditional -= 1;
                self.scopes.pop();
                self.loops.pop();
                unit(span)
            }
            ExprKind::Break(value) => {
                if let Some(v) = value {
                    let target = self.loops.last().cloned();
                    let t = self.check_expr(v, target.as_ref());
                    if let Some(target) = target {
                        self.coerce(&t, &target, v.span);
                    }
                }
                ast::Ty {
                    kind: ast::TyKind::Never,
                    span,
                }
            }
            ExprKind::Continue => ast::Ty {
                kind: ast::TyKind::Never,
                span,
            },
            ExprKind::Return(value) => {
                let target = self.returns.last().cloned();
                match value {
                    Some(v) => {
                        let t = self.check_expr(v, target.as_ref());
                        if let Some(target) = target {
                            self.coerce(&t, &target, v.span);
                        }
                    }
                    None => {
                        if let Some(target) = target {
                            self.coerce(&unit(span), &target, span);
                        }
                    }
                }
                ast::Ty {
                    kind: ast::TyKind::Never,
                    span,
                }
            }
            ExprKind::Range(a, b) => {
                for x in [a, b].into_iter().flatten() {
                    self.check_expr(x, None);
                }
                self.var(span)
            }
            ExprKind::Cast(inner, ty) => {
                self.check_expr(inner, None);
                self.normalize(ty)
            }
            ExprKind::Macro { name, args } => self.macro_expr(name, args, span),
            ExprKind::Unsupported(_) => self.var(span),
        }
    }

    fn condition(&mut self, cond: &Condition) {
        match cond {
            Condition::Expr(e) => {
                self.check_expr(e, None);
            }
            Condition::Let(pat, e) => {
                let t = self.check_expr(e, None);
                self.bind_pattern(pat, t, true);
            }
        }
    }

    fn literal(&mut self, lit: &Lit, expected: Option<&ast::Ty>, span: Span) -> ast::Ty {
        use ast::{FloatTy as F, IntTy as I, ScalarType as S, UintTy as U};
        let suffixed = |s: &str| -> Option<ast::ScalarType> {
            Some(match s {
                "u8" => S::Uint(U::U8),
                "u16" => S::Uint(U::U16),
                "u32" => S::Uint(U::U32),
                "u64" => S::Uint(U::U64),
                "u128" => S::Uint(U::U128),
                "usize" => S::Uint(U::Usize),
                "i8" => S::Int(I::I8),
                "i16" => S::Int(I::I16),
                "i32" => S::Int(I::I32),
                "i64" => S::Int(I::I64),
                "i128" => S::Int(I::I128),
                "isize" => S::Int(I::Isize),
                "f32" => S::Float(F::F32),
                "f64" => S::Float(F::F64),
                _ => return None,
            })
        };
        match lit {
            Lit::Int(suffix) | Lit::Float(suffix) if suffix.is_some() => {
                match suffix.as_deref().and_then(suffixed) {
                    Some(s) => scalar_ty(s, span),
                    None => self.var(span),
                }
            }
            Lit::Int(_) => {
                let v = self.table.new_var(VarKind::Int, span);
                if let Some(e) = expected {
                    let saved = self.table.snapshot();
                    if !self.table.unify(&v, e) {
                        self.table.rollback(saved);
                    }
                }
                v
            }
            Lit::Float(_) => self.table.new_var(VarKind::Float, span),
            Lit::Bool(_) => scalar_ty(S::Bool, span),
            Lit::Char => scalar_ty(S::Char, span),
            Lit::Str => ast::Ty {
                kind: ast::TyKind::Ref(
                    ast::Mutability::Not,
                    Some(ast::Lifetime {
                        kind: ast::LifetimeKind::Static,
                        span,
                    }),
                    Box::new(ast::Ty {
                        kind: ast::TyKind::Str,
                        span,
                    }),
                ),
                span,
            },
            Lit::ByteStr => ref_ty(
                false,
                ast::Ty {
                    kind: ast::TyKind::Slice(Box::new(scalar_ty(S::Uint(U::U8), span))),
                    span,
                },
                span,
            ),
        }
    }

    fn macro_expr(&mut self, name: &ast::Ident, args: &[Expr], span: Span) -> ast::Ty {
        let was = self.in_place;
        // Formatting macros take their arguments by reference.
        let formats = !matches!(name.text.as_str(), "vec" | "dbg");
        self.in_place = formats;
        let tys: Vec<ast::Ty> = args.iter().map(|a| self.check_expr(a, None)).collect();
        self.in_place = was;
        match name.text.as_str() {
            "format" => apply("String", Vec::new(), span),
            "panic" | "todo" | "unreachable" | "unimplemented" => ast::Ty {
                kind: ast::TyKind::Never,
                span,
            },
            "vec" => {
                let elem = tys.first().cloned().unwrap_or_else(|| self.var(span));
                apply("Vec", vec![ast::GenericArg::Ty(elem)], span)
            }
            "dbg" => tys.into_iter().next().unwrap_or_else(|| unit(span)),
            _ => unit(span),
        }
    }

    /// The item type of a `for` loop's iterator (`<I as IntoIterator>::Item`).
    fn iterator_item(&mut self, t: &ast::Ty, span: Span) -> ast::Ty {
        let Some(into_iter) = self.prelude_trait("IntoIterator") else {
            return self.var(span);
        };
        let t = self.normalize(t);
        let p = ast::ProjectionTy {
            trait_ref: build::trait_ref(&build::ident(into_iter, span), t, &[], span),
            name: build::ident("Item", span),
            args: Vec::new(),
        };
        match self.normalize_projection(&p) {
            Some(t) => t,
            None => self.var(span),
        }
    }

    /// A path used as a value: a local, a unit struct or variant, a
    /// function (not supported as a value yet).
    fn path_value(&mut self, res: &PathRes, span: Span, by_value: bool) -> ast::Ty {
        match res {
            PathRes::Local(name) => match self.lookup(name) {
                Some(id) => self.use_local(id, span, by_value),
                None => self.var(span),
            },
            PathRes::Struct { .. } | PathRes::Variant { .. } => {
                let (ty, fields) = match self.ctor_variant(res, span) {
                    Some(x) => x,
                    None => return self.var(span),
                };
                if fields.is_empty() {
                    ty
                } else {
                    // A tuple constructor as a value: a function.
                    ast::Ty {
                        kind: ast::TyKind::FnPtr {
                            lifetimes: Vec::new(),
                            argument_types: fields.into_iter().map(|f| f.ty).collect(),
                            return_type: Box::new(ty),
                            sig: ast::FnSig {
                                abi: ast::Abi::Rust,
                                is_unsafe: false,
                                variadic: false,
                            },
                        },
                        span,
                    }
                }
            }
            PathRes::Fn { .. } | PathRes::Assoc { .. } | PathRes::TraitMethod { .. } => {
                let d = self
                    .error(
                        codes::NOT_CALLABLE,
                        "a function used as a value is not supported by chalkboard's body checker"
                            .into(),
                        span,
                    )
                    .with_label("call it here, or wrap it in a closure")
                    .with_help("write `|x| f(x)` instead of `f`");
                self.report(d);
                self.var(span)
            }
            PathRes::Error => self.var(span),
        }
    }

    fn field(&mut self, base: &ast::Ty, name: &ast::Ident, span: Span) -> ast::Ty {
        let mut t = self.normalize(base);
        for _ in 0..6 {
            if let ast::TyKind::Tuple(ts) = &t.kind {
                if let Ok(i) = name.text.parse::<usize>() {
                    if let Some(x) = ts.get(i) {
                        return x.clone();
                    }
                }
            }
            if let Some(h) = head(&t) {
                if let Some(adt) = self.cx.items.adts.get(h.as_str()).copied() {
                    if adt.kind == ast::AdtKind::Struct {
                        if let Some(field) = adt
                            .variants
                            .first()
                            .and_then(|v| v.fields.iter().find(|f| f.name.text == name.text))
                        {
                            let subst = adt_subst(adt, generic_args_of(&t));
                            return subst.apply(&field.ty);
                        }
                    }
                }
            }
            match self.deref_step(&t) {
                Some(next) => t = self.normalize(&next),
                None => break,
            }
        }
        if !self.table.has_vars(base) {
            let d = self
                .error(
                    codes::UNKNOWN_FIELD,
                    format!("no field `{}` on type `{}`", name.text, self.show(base)),
                    name.span,
                )
                .with_label("unknown field");
            self.report(d);
        }
        self.var(span)
    }

    // -----------------------------------------------------------------
    // Calls.

    /// Instantiates a function's signature: its parameters as fresh
    /// variables (or the turbofish's types), its lifetimes as the body's.
    fn instantiate(
        &mut self,
        index: usize,
        self_ty: Option<&ast::Ty>,
        turbofish: &[ast::GenericArg],
        span: Span,
    ) -> Instantiated {
        let f = &self.cx.items.rust.functions[index];
        let fe = fn_env(f);
        let mut subst = Subst::default();
        let mut explicit = turbofish.iter().filter_map(|a| match a {
            ast::GenericArg::Ty(t) => Some(t.clone()),
            _ => None,
        });
        let own_type_params: Vec<String> = f
            .params
            .iter()
            .filter(|p| p.kind != ast::ParamKind::Lifetime)
            .map(|p| p.name.text.clone())
            .collect();
        for p in &fe.env.params {
            match p.kind {
                ast::ParamKind::Lifetime => {
                    subst
                        .lifetimes
                        .insert(p.name.text.clone(), self.region(span));
                }
                _ => {
                    let t = if p.name.text == "Self" {
                        self_ty.cloned().unwrap_or_else(|| self.var(span))
                    } else if own_type_params.contains(&p.name.text) {
                        match explicit.next() {
                            Some(t) => self.normalize(&t),
                            None => self.var(span),
                        }
                    } else {
                        self.var(span)
                    };
                    subst.types.insert(p.name.text.clone(), t);
                }
            }
        }
        // An impl's method: its `Self` is the impl's self type.
        if let (Some(s), Some(own_self)) = (self_ty, &fe.self_ty) {
            let inst = subst.apply(own_self);
            let saved = self.table.snapshot();
            if !self.table.unify(&inst, s) {
                self.table.rollback(saved);
            }
        }
        let opaque = if f.is_async {
            None
        } else {
            self.cx.fn_opaque(index)
        };
        let ret =
            match (f.is_async, &f.owner) {
                // A trait's method: its anonymous return type is the generic
                // associated type of rule `impl-trait-to-gat`.
                (
                    _,
                    FnOwner::Trait {
                        trait_name, params, ..
                    }
                    | FnOwner::TraitImpl {
                        trait_name, params, ..
                    },
                ) if f.is_async
                    || matches!(
                        f.return_type.as_ref().map(|t| &t.kind),
                        Some(ast::TyKind::ImplTrait(_))
                    ) =>
                {
                    let me = subst
                        .types
                        .get("Self")
                        .cloned()
                        .or_else(|| fe.self_ty.as_ref().map(|s| subst.apply(s)))
                        .unwrap_or_else(|| self.var(span));
                    let trait_args: Vec<ast::GenericArg> = match &f.owner {
                        FnOwner::Trait { .. } => params
                            .iter()
                            .map(|p| {
                                ast::GenericArg::Ty(
                                    subst.types.get(&p.name.text).cloned().unwrap_or_else(|| {
                                        build::name_ty(p.name.text.clone(), span)
                                    }),
                                )
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    let gat_params = self
                        .cx
                        .items
                        .gat_params(&trait_name.text, &f.name.text)
                        .unwrap_or(&[]);
                    let gat_args = self.args_with_fresh_regions(gat_params, &subst, span);
                    ast::Ty {
                        kind: ast::TyKind::Projection(ast::ProjectionTy {
                            trait_ref: build::trait_ref(trait_name, me, &trait_args, span),
                            name: f.name.clone(),
                            args: gat_args,
                        }),
                        span,
                    }
                }
                (true, _) => {
                    let fut = self.cx.fn_future(index);
                    let env = self.cx.futures[fut].env.clone();
                    let args = self.args_with_fresh_regions(&env.params, &subst, span);
                    apply(&self.cx.futures[fut].placeholder.clone(), args, span)
                }
                // Rule `body-opaque-return`: callers see the opaque type.
                _ => match opaque {
                    Some(o) => {
                        let args: Vec<ast::GenericArg> = self.cx.opaques[o]
                            .env
                            .params
                            .clone()
                            .iter()
                            .map(|p| match p.kind {
                                ast::ParamKind::Lifetime => ast::GenericArg::Lifetime(
                                    subst
                                        .lifetimes
                                        .get(&p.name.text)
                                        .cloned()
                                        .unwrap_or_else(|| self.region(span)),
                                ),
                                _ => ast::GenericArg::Ty(
                                    subst.types.get(&p.name.text).cloned().unwrap_or_else(|| {
                                        build::name_ty(p.name.text.clone(), span)
                                    }),
                                ),
                            })
                            .collect();
                        apply(&self.cx.opaques[o].placeholder.clone(), args, span)
                    }
                    None => subst.apply(&fe.return_type),
                },
            };
        let f = &self.cx.items.rust.functions[index];
        Instantiated {
            arguments: fe.arguments.iter().map(|t| subst.apply(t)).collect(),
            receiver: fe.receiver.as_ref().map(|t| subst.apply(t)),
            ret,
            where_clauses: fe
                .env
                .where_clauses
                .iter()
                .map(|w| (subst.apply_wc(w), w.span))
                .collect(),
            callee: match &f.owner {
                FnOwner::Free => f.name.text.clone(),
                _ => f.path.clone(),
            },
        }
    }

    /// Checks the arguments of a call against the instantiated signature,
    /// then registers the callee's where clauses.
    fn finish_call(&mut self, inst: Instantiated, args: &[Expr], span: Span) -> ast::Ty {
        if inst.arguments.len() != args.len() {
            let d = self
                .error(
                    codes::WRONG_ARGUMENT_COUNT,
                    format!(
                        "this function takes {} argument{} but {} {} supplied",
                        inst.arguments.len(),
                        if inst.arguments.len() == 1 { "" } else { "s" },
                        args.len(),
                        if args.len() == 1 {
                            "argument was"
                        } else {
                            "arguments were"
                        }
                    ),
                    span,
                )
                .with_label(format!("`{}` called here", inst.callee));
            self.report(d);
        }
        for (i, arg) in args.iter().enumerate() {
            let Some(param) = inst.arguments.get(i).cloned() else {
                self.check_expr(arg, None);
                continue;
            };
            let t = match &arg.kind {
                ExprKind::Closure {
                    is_move,
                    is_async,
                    params,
                    ret,
                    body,
                } => {
                    let sig = self.expected_closure_sig(&param, &inst.where_clauses);
                    self.closure(
                        *is_move,
                        *is_async,
                        params,
                        ret.as_ref(),
                        body,
                        arg.span,
                        sig,
                    )
                }
                _ => self.check_expr(arg, Some(&param)),
            };
            self.coerce(&t, &param, arg.span);
        }
        // Which argument each of the callee's type parameters was given by
        // (a parameter declared as the argument's whole type).
        let argument_of: Vec<(usize, Span)> = inst
            .arguments
            .iter()
            .zip(args)
            .filter_map(|(p, a)| var_of(p).map(|v| (v, a.span)))
            .collect();
        for (wc, bound_span) in inst.where_clauses {
            let subject = match &wc.where_clause {
                ast::WhereClause::Implemented(tr) => match tr.args.first() {
                    Some(ast::GenericArg::Ty(t)) => var_of(t),
                    _ => None,
                },
                ast::WhereClause::TypeOutlives { ty, .. } => var_of(ty),
                _ => None,
            };
            let argument =
                subject.and_then(|v| argument_of.iter().find(|(w, _)| *w == v).map(|(_, s)| *s));
            self.pending.push(Pending {
                params: wc.params,
                where_clause: wc.where_clause,
                span,
                argument,
                origin: Origin::CalleeBound {
                    callee: inst.callee.clone(),
                    bound: bound_span,
                },
            });
        }
        inst.ret
    }

    /// What the callee's bounds say a closure passed for `param` takes and
    /// returns: `F: FnOnce(A, B) -> R` (rule [`body-closure-signature`](crate::rules::BODY_CLOSURE_SIGNATURE)).
    fn expected_closure_sig(
        &mut self,
        param: &ast::Ty,
        where_clauses: &[(ast::QuantifiedWhereClause, Span)],
    ) -> Option<(Vec<ast::Ty>, Option<ast::Ty>)> {
        let param = self.table.resolve(param);
        var_of(&param)?;
        let mut args = None;
        let mut ret = None;
        for (wc, _) in where_clauses {
            match &wc.where_clause {
                ast::WhereClause::Implemented(tr)
                    if ["Fn", "FnMut", "FnOnce"].contains(&tr.trait_name.text.as_str()) =>
                {
                    if let Some(ast::GenericArg::Ty(s)) = tr.args.first() {
                        if var_of(&self.table.resolve(s)) == var_of(&param) {
                            if let Some(ast::GenericArg::Ty(t)) = tr.args.get(1) {
                                if let ast::TyKind::Tuple(ts) = &self.table.resolve(t).kind {
                                    args = Some(ts.clone());
                                }
                            }
                        }
                    }
                }
                ast::WhereClause::AliasEq { projection, ty }
                    if projection.name.text == "Output" =>
                {
                    if let Some(ast::GenericArg::Ty(s)) = projection.trait_ref.args.first() {
                        if var_of(&self.table.resolve(s)) == var_of(&param) {
                            ret = Some(ty.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        args.map(|a| (a, ret))
    }

    fn call(
        &mut self,
        callee: &Expr,
        args: &[Expr],
        span: Span,
        expected: Option<&ast::Ty>,
    ) -> ast::Ty {
        let _ = expected;
        let ExprKind::Path(path) = &callee.kind else {
            let t = self.check_expr(callee, None);
            return self.call_value(&t, args, span);
        };
        match &path.res {
            PathRes::Fn {
                path: p,
                args: turbofish,
            } => {
                let Some(&index) = self.cx.items.by_path.get(p.as_str()) else {
                    for a in args {
                        self.check_expr(a, None);
                    }
                    return self.var(span);
                };
                let inst = self.instantiate(index, None, turbofish, span);
                self.finish_call(inst, args, span)
            }
            PathRes::Assoc {
                self_ty,
                name,
                args: turbofish,
            } => {
                let self_ty = self.complete_type(self_ty, span);
                match self.find_method(&self_ty, name, false) {
                    Some(found) => {
                        let inst =
                            self.instantiate(found.function, Some(&found.self_ty), turbofish, span);
                        let mut inst = inst;
                        if let Some(r) = inst.receiver.take() {
                            inst.arguments.insert(0, r);
                        }
                        if let Some(t) = found.trait_name {
                            self.oblige_trait(&found.self_ty, &t, span, &name.text);
                        }
                        self.finish_call(inst, args, span)
                    }
                    None => {
                        for a in args {
                            self.check_expr(a, None);
                        }
                        self.no_method(&self_ty, name, true);
                        self.var(span)
                    }
                }
            }
            PathRes::TraitMethod {
                trait_name,
                self_ty,
                name,
                args: turbofish,
                ..
            } => {
                let candidates: Vec<usize> = self
                    .cx
                    .items
                    .trait_methods
                    .get(name.text.as_str())
                    .map(|v| {
                        v.iter()
                            .filter(|(t, _)| *t == trait_name.text)
                            .map(|(_, i)| *i)
                            .collect()
                    })
                    .unwrap_or_default();
                let Some(&index) = candidates.first() else {
                    for a in args {
                        self.check_expr(a, None);
                    }
                    self.no_method(&self_ty.clone().unwrap_or_else(|| unit(span)), name, true);
                    return self.var(span);
                };
                let me = match self_ty {
                    Some(t) => self.normalize(t),
                    None => self.var(span),
                };
                let mut inst = self.instantiate(index, Some(&me), turbofish, span);
                if let Some(r) = inst.receiver.take() {
                    inst.arguments.insert(0, r);
                }
                self.oblige_trait(&me, &trait_name.text, span, &name.text);
                self.finish_call(inst, args, span)
            }
            PathRes::Struct { .. } | PathRes::Variant { .. } => {
                let Some((ty, fields)) = self.ctor_variant(&path.res, span) else {
                    return self.var(span);
                };
                let inst = Instantiated {
                    arguments: fields.into_iter().map(|f| f.ty).collect(),
                    receiver: None,
                    ret: ty,
                    where_clauses: Vec::new(),
                    callee: path.text.clone(),
                };
                self.finish_call(inst, args, span)
            }
            PathRes::Local(_) => {
                let t = self.check_expr(callee, None);
                self.call_value(&t, args, span)
            }
            PathRes::Error => {
                for a in args {
                    self.check_expr(a, None);
                }
                self.var(span)
            }
        }
    }

    /// Calling a value: a closure or a function pointer.
    fn call_value(&mut self, t: &ast::Ty, args: &[Expr], span: Span) -> ast::Ty {
        let t = self.table.resolve(t);
        let (params, ret) = match (&t.kind, placeholder_of(&t)) {
            (_, Some(("closure", i))) => {
                let c = &self.cx.closures[i];
                let a = generic_args_of(&t).to_vec();
                (
                    c.params
                        .iter()
                        .map(|p| instantiate_generated(&c.env, &a, p))
                        .collect::<Vec<_>>(),
                    instantiate_generated(&c.env, &a, &c.ret),
                )
            }
            (
                ast::TyKind::FnPtr {
                    argument_types,
                    return_type,
                    ..
                },
                _,
            ) => (argument_types.clone(), (**return_type).clone()),
            _ => {
                for a in args {
                    self.check_expr(a, None);
                }
                if !self.table.has_vars(&t) {
                    let d = self
                        .error(
                            codes::NOT_CALLABLE,
                            format!("expected function, found `{}`", self.show(&t)),
                            span,
                        )
                        .with_label("call expression requires a function");
                    self.report(d);
                }
                return self.var(span);
            }
        };
        let inst = Instantiated {
            arguments: params,
            receiver: None,
            ret,
            where_clauses: Vec::new(),
            callee: "closure".into(),
        };
        self.finish_call(inst, args, span)
    }

    /// A type written without its generic arguments (`Vec` in
    /// `Vec::new()`), with fresh variables for them, as Rust infers them.
    fn complete_type(&mut self, ty: &ast::Ty, span: Span) -> ast::Ty {
        let ty = self.normalize(ty);
        if let ast::TyKind::Name(n) = &ty.kind {
            if let Some(adt) = self.cx.items.adts.get(n.text.as_str()).copied() {
                if !adt.params.is_empty() {
                    let args = adt
                        .params
                        .iter()
                        .map(|p| match p.kind {
                            ast::ParamKind::Lifetime => {
                                ast::GenericArg::Lifetime(self.region(span))
                            }
                            _ => ast::GenericArg::Ty(self.var(span)),
                        })
                        .collect();
                    return apply(&n.text, args, ty.span);
                }
            }
        }
        ty
    }

    fn oblige_trait(&mut self, self_ty: &ast::Ty, trait_name: &str, span: Span, method: &str) {
        let t = self.cx.items.traits.get(trait_name).copied();
        let args: Vec<ast::GenericArg> = t
            .map(|t| {
                t.params
                    .iter()
                    .map(|_| ast::GenericArg::Ty(self.var(span)))
                    .collect()
            })
            .unwrap_or_default();
        self.oblige(
            ast::WhereClause::Implemented(build::trait_ref(
                &build::ident(trait_name, span),
                self_ty.clone(),
                &args,
                span,
            )),
            span,
            Origin::MethodTrait {
                method: method.to_string(),
            },
        );
    }

    fn no_method(&mut self, ty: &ast::Ty, name: &ast::Ident, associated: bool) {
        if self.table.has_vars(ty) {
            let d = self
                .error(
                    codes::TYPE_ANNOTATIONS_NEEDED,
                    "type annotations needed".into(),
                    name.span,
                )
                .with_label(format!("the type of the receiver of `{}` must be known here", name.text))
                .with_help("annotate the type of the value this method is called on, e.g. `let x: Type = ..`");
            self.report(d);
            return;
        }
        let d = self
            .error(
                codes::UNKNOWN_METHOD,
                format!(
                    "no {} named `{}` found for `{}` in the current scope",
                    if associated { "function or associated item" } else { "method" },
                    name.text,
                    self.show(ty)
                ),
                name.span,
            )
            .with_label(if associated { "function or associated item not found" } else { "method not found" })
            .with_help("declare the method (in an impl of the type, or a trait the type implements and the function's bounds name), or check its spelling");
        self.report(d);
    }

    /// Method resolution (rule [`body-method-resolution`](crate::rules::BODY_METHOD_RESOLUTION)): for each type of
    /// the receiver's auto-deref chain, its inherent methods first, then
    /// the methods of traits it implements; the first step with a
    /// candidate wins, and two traits there are an ambiguity.
    fn find_method(
        &mut self,
        receiver: &ast::Ty,
        name: &ast::Ident,
        with_receiver: bool,
    ) -> Option<Found> {
        let mut step = self.normalize(receiver);
        for derefs in 0..6 {
            let resolved = self.table.resolve(&step);
            // Inherent methods of the step's type.
            if let Some(h) = head(&resolved) {
                let candidates = self.cx.items.inherent.get(&h).cloned().unwrap_or_default();
                for i in candidates {
                    let f = &self.cx.items.rust.functions[i];
                    if f.name.text != name.text
                        || (with_receiver && f.receiver == ast::Receiver::None)
                    {
                        continue;
                    }
                    let FnOwner::Inherent {
                        self_ty, params, ..
                    } = &f.owner
                    else {
                        continue;
                    };
                    // The impl applies if its self type unifies with the step.
                    let mut subst = Subst::default();
                    for p in params {
                        if p.kind != ast::ParamKind::Lifetime {
                            subst.types.insert(p.name.text.clone(), self.var(name.span));
                        }
                    }
                    let inst = subst.apply(self_ty);
                    let saved = self.table.snapshot();
                    if self.table.unify(&inst, &resolved) {
                        self.table.rollback(saved);
                        return Some(Found {
                            function: i,
                            self_ty: resolved,
                            trait_name: None,
                            derefs,
                        });
                    }
                    self.table.rollback(saved);
                }
            }
            // Methods of traits the step's type implements.
            let traits = self
                .cx
                .items
                .trait_methods
                .get(name.text.as_str())
                .cloned()
                .unwrap_or_default();
            let mut matching = Vec::new();
            for (t, i) in &traits {
                let f = &self.cx.items.rust.functions[*i];
                if with_receiver && f.receiver == ast::Receiver::None {
                    continue;
                }
                if self.implements(&resolved, t) != Some(false) {
                    matching.push((t.to_string(), *i));
                }
            }
            if matching.len() > 1 {
                // Prefer a trait the environment names for this type.
                let named: Vec<_> = matching
                    .iter()
                    .filter(|(t, _)| self.bound_in_env(&resolved, t))
                    .cloned()
                    .collect();
                if named.len() == 1 {
                    matching = named;
                }
            }
            match matching.len() {
                0 => {}
                1 => {
                    let (t, i) = matching.remove(0);
                    return Some(Found {
                        function: i,
                        self_ty: resolved,
                        trait_name: Some(t),
                        derefs,
                    });
                }
                _ => {
                    let list: Vec<String> =
                        matching.iter().map(|(t, _)| format!("`{t}`")).collect();
                    let d = self
                        .error(
                            codes::UNKNOWN_METHOD,
                            format!(
                                "multiple applicable items in scope: `{}` is a method of {}",
                                name.text,
                                list.join(" and ")
                            ),
                            name.span,
                        )
                        .with_label("ambiguous method")
                        .with_help(format!(
                            "call it as `<{} as Trait>::{}(..)` to say which",
                            self.show(&resolved),
                            name.text
                        ));
                    self.report(d);
                    let (t, i) = matching.remove(0);
                    return Some(Found {
                        function: i,
                        self_ty: resolved,
                        trait_name: Some(t),
                        derefs,
                    });
                }
            }
            match self.deref_step(&resolved) {
                Some(next) => step = self.normalize(&next),
                None => break,
            }
        }
        None
    }

    /// A `&mut self` method found `derefs` steps down the receiver's
    /// auto-deref chain borrows mutably through each step: a step through
    /// an overloaded deref (anything but a reference) needs `DerefMut`, as
    /// rustc asks (`dyner::Ref<DynTrait>` derefs only to `&DynTrait`).
    fn deref_mut_steps(&mut self, receiver: &ast::Ty, derefs: usize, span: Span) {
        let Some(deref_mut) = self.prelude_trait("DerefMut") else {
            return;
        };
        let mut step = self.normalize(receiver);
        for _ in 0..derefs {
            let resolved = self.table.resolve(&step);
            if !matches!(resolved.kind, ast::TyKind::Ref(..)) && !self.table.has_vars(&resolved) {
                let shown = self.show(&resolved);
                self.oblige(
                    ast::WhereClause::Implemented(build::trait_ref(
                        &build::ident(deref_mut.clone(), span),
                        resolved.clone(),
                        &[],
                        span,
                    )),
                    span,
                    Origin::DerefMut { ty: shown },
                );
            }
            match self.deref_step(&resolved) {
                Some(next) => step = self.normalize(&next),
                None => break,
            }
        }
    }

    fn bound_in_env(&self, ty: &ast::Ty, trait_name: &str) -> bool {
        let text = print_ty(ty);
        self.env.where_clauses.iter().any(|w| match &w.where_clause {
            ast::WhereClause::Implemented(tr) => {
                tr.trait_name.text == trait_name && matches!(tr.args.first(), Some(ast::GenericArg::Ty(t)) if print_ty(t) == text)
            }
            _ => false,
        })
    }

    /// Whether `ty` implements `trait_name` (with fresh arguments for the
    /// trait's parameters): `None` when it cannot be decided yet.
    fn implements(&mut self, ty: &ast::Ty, trait_name: &str) -> Option<bool> {
        let ty = self.table.resolve(ty);
        if self.table.has_vars(&ty) {
            return None;
        }
        match placeholder_of(&ty) {
            // A generated future implements `Future` and `IntoFuture`; a
            // closure the `Fn` traits; an opaque type what the scratch
            // program's stand-in says (its bounds).
            Some(("fut", _)) => return Some(["Future", "IntoFuture"].contains(&trait_name)),
            Some(("closure", _)) => return Some(["Fn", "FnMut", "FnOnce"].contains(&trait_name)),
            Some(_) => self.refresh_oracle(),
            None if has_placeholder(&ty) => return None,
            None => {}
        }
        let params = self
            .cx
            .items
            .traits
            .get(trait_name)
            .map(|t| t.params.clone())
            .unwrap_or_default();
        let vars: Vec<ast::VariableKind> = params
            .iter()
            .enumerate()
            .map(|(i, p)| ast::VariableKind {
                kind: p.kind,
                name: build::ident(format!("?arg{i}"), Span::default()),
            })
            .collect();
        let args: Vec<ast::GenericArg> = vars.iter().map(build::param_as_arg).collect();
        let wc = ast::WhereClause::Implemented(build::trait_ref(
            &build::ident(trait_name, ty.span),
            ty,
            &args,
            Span::default(),
        ));
        if vars.is_empty() {
            return self.cx.oracle.holds(&self.env, wc);
        }
        let goal = self.env.close(build::goal(ast::GoalKind::Exists(
            vars,
            Box::new(build::where_clause_goal(wc)),
        )));
        match self.cx.oracle.solve(&goal).kind() {
            crate::solve::AnswerKind::NoSolution => Some(false),
            _ => Some(true),
        }
    }

    fn method_call(
        &mut self,
        receiver: &Expr,
        method: &ast::Ident,
        turbofish: &[ast::GenericArg],
        args: &[Expr],
        span: Span,
    ) -> ast::Ty {
        let was = self.in_place;
        self.in_place = true;
        let recv_ty = self.check_expr(receiver, None);
        self.in_place = was;
        let Some(found) = self.find_method(&recv_ty, method, true) else {
            for a in args {
                self.check_expr(a, None);
            }
            self.no_method(&recv_ty, method, false);
            return self.var(span);
        };
        let inst = self.instantiate(found.function, Some(&found.self_ty), turbofish, span);
        // The receiver: by value (moved), or auto-referenced (a temporary
        // borrowed until the end of the statement).
        match &self.cx.items.rust.functions[found.function].receiver {
            ast::Receiver::Value => {
                if found.derefs == 0 {
                    if let ExprKind::Path(p) = &receiver.kind {
                        if let PathRes::Local(name) = &p.res {
                            if let Some(id) = self.lookup(name) {
                                let is_copy = self.is_copy(&recv_ty);
                                if self.conditional == 0
                                    && !is_copy
                                    && self.locals[id].frame == self.frames.len() - 1
                                {
                                    self.locals[id].moved = true;
                                }
                            }
                        }
                    }
                }
            }
            ast::Receiver::Ref(..) => {
                if !is_place(receiver) {
                    if let Some(s) = self.statements.last_mut() {
                        s.push((recv_ty.clone(), receiver.span));
                    }
                }
            }
            ast::Receiver::None => {}
        }
        if let ast::Receiver::Ref(ast::Mutability::Mut, _) =
            self.cx.items.rust.functions[found.function].receiver
        {
            self.deref_mut_steps(&recv_ty, found.derefs, method.span);
        }
        if let Some(t) = &found.trait_name {
            self.oblige_trait(&found.self_ty, t, span, &method.text);
        }
        let mut inst = inst;
        inst.receiver = None;
        self.finish_call(inst, args, span)
    }

    // -----------------------------------------------------------------
    // Closures, `async` blocks and `.await`.

    #[allow(clippy::too_many_arguments)]
    fn closure(
        &mut self,
        is_move: bool,
        is_async: bool,
        params: &[(Pat, Option<ast::Ty>)],
        ret: Option<&ast::Ty>,
        body: &Expr,
        span: Span,
        expected: Option<(Vec<ast::Ty>, Option<ast::Ty>)>,
    ) -> ast::Ty {
        let placeholder = format!("#closure{}", self.cx.closures.len());
        let name = self.cx.fresh_item_name(&format!(
            "{}_closure",
            mangle(&self.cx.functions[self.summary].name.replace("fn ", ""))
        ));
        self.cx.closures.push(ClosureInfo {
            placeholder: placeholder.clone(),
            name,
            env: self.env.clone(),
            params: Vec::new(),
            ret: unit(span),
            upvars: Vec::new(),
            kind: ast::ClosureKind::Fn,
            span,
        });
        let id = self.cx.closures.len() - 1;
        self.created_closures.push(id);
        self.frames.push(Frame {
            kind: FrameKind::Closure(id),
            is_move,
            captures: Vec::new(),
            awaits: 0,
        });
        self.scopes.push(Vec::new());
        let (expected_params, expected_ret) = match expected {
            Some((p, r)) => (Some(p), r),
            None => (None, None),
        };
        let mut param_tys = Vec::new();
        for (i, (pat, ty)) in params.iter().enumerate() {
            let t = match ty {
                Some(t) => self.normalize(t),
                None => expected_params
                    .as_ref()
                    .and_then(|p| p.get(i).cloned())
                    .unwrap_or_else(|| self.var(pat.span())),
            };
            self.bind_pattern(pat, t.clone(), false);
            param_tys.push(t);
        }
        let ret_ty = ret
            .map(|t| self.normalize(t))
            .or(expected_ret.clone())
            .unwrap_or_else(|| self.var(span));
        self.returns.push(ret_ty.clone());
        let saved_conditional = self.conditional;
        self.conditional = 0;
        let body_ty = if is_async {
            // `async move || body` is a closure returning `async move { body }`.
            match &body.kind {
                ExprKind::Block(b) => self.async_block(is_move, b, body.span),
                _ => self.check_expr(body, Some(&ret_ty)),
            }
        } else {
            self.check_expr(body, Some(&ret_ty))
        };
        self.conditional = saved_conditional;
        self.returns.pop();
        if !is_async || ret.is_some() {
            self.coerce(&body_ty, &ret_ty, body.span);
        } else {
            let saved = self.table.snapshot();
            if !self.table.unify(&body_ty, &ret_ty) {
                self.table.rollback(saved);
            }
        }
        self.scopes.pop();
        let frame = self.frames.pop().expect("the closure's frame");
        let upvars: Vec<ast::Ty> = frame
            .captures
            .iter()
            .map(|(l, by_ref, s)| {
                let t = self.locals[*l].ty.clone();
                if *by_ref {
                    ref_ty(false, t, *s)
                } else {
                    t
                }
            })
            .collect();
        let kind = if is_move {
            ast::ClosureKind::FnOnce
        } else {
            ast::ClosureKind::Fn
        };
        let c = &mut self.cx.closures[id];
        c.params = param_tys;
        c.ret = if is_async { body_ty } else { ret_ty };
        c.upvars = upvars;
        c.kind = kind;
        apply(&placeholder, env_args(&self.env), span)
    }

    fn async_block(&mut self, is_move: bool, block: &Block, span: Span) -> ast::Ty {
        let placeholder = format!("#fut{}", self.cx.futures.len());
        let base = mangle(&self.cx.functions[self.summary].name.replace("fn ", ""));
        let name = self.cx.fresh_item_name(&format!("{base}_block"));
        self.cx.futures.push(FutureInfo {
            placeholder: placeholder.clone(),
            name,
            env: self.env.clone(),
            fields: Vec::new(),
            output: unit(span),
            existing: None,
            span,
            checked: false,
        });
        let id = self.cx.futures.len() - 1;
        self.created_futures.push(id);
        self.frames.push(Frame {
            kind: FrameKind::Async { future: id },
            is_move,
            captures: Vec::new(),
            awaits: 0,
        });
        let ret = self.var(span);
        self.returns.push(ret.clone());
        let saved_conditional = self.conditional;
        self.conditional = 0;
        let saved_loops = std::mem::take(&mut self.loops);
        let t = self.check_block(block, None);
        self.loops = saved_loops;
        self.conditional = saved_conditional;
        self.returns.pop();
        self.coerce(&t, &ret, block.tail.as_ref().map_or(block.span, |x| x.span));
        let frame = self.frames.pop().expect("the block's frame");
        let mut captures = Vec::new();
        for (l, by_ref, s) in &frame.captures {
            let local = &self.locals[*l];
            let t = if *by_ref {
                ref_ty(false, local.ty.clone(), *s)
            } else {
                local.ty.clone()
            };
            captures.push((
                local.name.clone(),
                t,
                HeldWhy::Captured {
                    name: local.name.clone(),
                    span: *s,
                    by_ref: *by_ref,
                },
            ));
        }
        let fut = &mut self.cx.futures[id];
        fut.fields.splice(0..0, captures);
        fut.output = ret;
        fut.checked = true;
        apply(&placeholder, env_args(&self.env), span)
    }

    fn await_expr(&mut self, inner: &Expr, span: Span) -> ast::Ty {
        let t = self.check_expr(inner, None);
        // rustc points at `await` itself, after the `.`.
        let span = Span {
            start: (inner.span.end + 1).min(span.end),
            end: span.end,
        };
        let Some(future) = self.in_async() else {
            let d = self
                .error(
                    codes::AWAIT_OUTSIDE_ASYNC,
                    "`await` is only allowed inside `async` functions and blocks".into(),
                    span,
                )
                .with_label("only allowed inside `async` functions and blocks")
                .with_help(
                    "make the enclosing function `async`, or wrap the code in an `async` block",
                );
            self.report(d);
            return self.var(span);
        };
        // What is live here is held by the future (rule
        // `body-held-across-await`): the bindings of this future's frame in
        // scope and not moved out, the statement's borrowed temporaries,
        // and the awaited future itself.
        let frame = self.frames.len() - 1;
        let n = self.frames[frame].awaits;
        self.frames[frame].awaits += 1;
        let mut held = Vec::new();
        for scope in &self.scopes {
            for &id in scope {
                let l = &self.locals[id];
                let owned_argument = frame == 0 && id < self.arguments_end;
                if l.frame == frame && !l.moved && !owned_argument {
                    held.push((
                        l.name.clone(),
                        l.ty.clone(),
                        HeldWhy::Binding {
                            name: l.name.clone(),
                            binding: l.span,
                            await_span: span,
                        },
                    ));
                }
            }
        }
        if let Some(temps) = self.statements.last() {
            for (i, (t, s)) in temps.iter().enumerate() {
                held.push((
                    format!("temporary{n}_{i}"),
                    t.clone(),
                    HeldWhy::Temporary {
                        span: *s,
                        await_span: span,
                    },
                ));
            }
        }
        held.push((
            format!("awaited{n}"),
            t.clone(),
            HeldWhy::Awaited {
                span: inner.span,
                call: call_text(inner),
            },
        ));
        let fields = &mut self.cx.futures[future].fields;
        for (name, ty, why) in held {
            // A binding held at several `.await`s is one field.
            if let HeldWhy::Binding { binding, .. } = &why {
                if fields.iter().any(
                    |(_, _, w)| matches!(w, HeldWhy::Binding { binding: b, .. } if b == binding),
                ) {
                    continue;
                }
            }
            fields.push((name, ty, why));
        }
        // The output: a generated future's is known; anything else is
        // `<T as IntoFuture>::Output`, which chalk normalizes.
        let resolved = self.normalize(&t);
        if let Some(("fut", i)) = placeholder_of(&resolved) {
            let f = &self.cx.futures[i];
            return instantiate_generated(&f.env, generic_args_of(&resolved), &f.output);
        }
        // A `.chalk` program's prelude has `Future` but no `IntoFuture`;
        // awaiting a future is the same question asked of `Future`.
        let into_future = self
            .prelude_trait("IntoFuture")
            .or_else(|| self.prelude_trait("Future"))
            .unwrap_or_else(|| "IntoFuture".into());
        let p = ast::ProjectionTy {
            trait_ref: build::trait_ref(
                &build::ident(into_future.clone(), span),
                resolved.clone(),
                &[],
                span,
            ),
            name: build::ident("Output", span),
            args: Vec::new(),
        };
        match self.normalize_projection(&p) {
            Some(out) => {
                self.oblige(
                    ast::WhereClause::Implemented(build::trait_ref(
                        &build::ident(into_future, span),
                        resolved.clone(),
                        &[],
                        span,
                    )),
                    span,
                    Origin::Await,
                );
                out
            }
            None => {
                if !self.table.has_vars(&resolved) && !has_placeholder(&resolved) {
                    let d = self
                        .error(
                            codes::NOT_A_FUTURE,
                            format!("`{}` is not a future", self.show(&resolved)),
                            span,
                        )
                        .with_label("this is not a future, so it cannot be awaited")
                        .with_help(
                            "remove `.await`, or await a value whose type implements `Future`",
                        );
                    self.report(d);
                }
                self.var(span)
            }
        }
    }

    // -----------------------------------------------------------------
    // The end of a body.

    fn finish(mut self, async_future: Option<usize>, opaque: Option<(usize, ast::Ty)>) {
        self.select_pending();
        self.table.default_literals();
        // A binding whose type is still unknown needs an annotation.
        for l in &self.locals {
            if self.table.has_vars(&l.ty) && l.name != "self" && !l.name.starts_with('_') {
                let d = Diagnostic::error(
                    codes::TYPE_ANNOTATIONS_NEEDED,
                    "type annotations needed",
                    l.span,
                )
                .with_label(format!("the type of `{}` cannot be inferred", l.name))
                .with_help(format!(
                    "give `{}` a type: `let {}: Type = ..`",
                    l.name, l.name
                ));
                self.cx.diagnostics.push(d);
            }
        }
        // Resolve what this body recorded: the fields of its futures, its
        // closures, and its obligations.
        let mine: Vec<usize> = self
            .created_futures
            .iter()
            .copied()
            .chain(async_future)
            .collect();
        for i in mine {
            let fut = &mut self.cx.futures[i];
            for (_, t, _) in fut.fields.iter_mut() {
                *t = self.table.resolve(t);
            }
            fut.output = self.table.resolve(&fut.output);
            fut.checked = true;
        }
        for &i in &self.created_closures {
            let c = &mut self.cx.closures[i];
            for t in c.params.iter_mut().chain(c.upvars.iter_mut()) {
                *t = self.table.resolve(t);
            }
            c.ret = self.table.resolve(&c.ret);
        }
        if let Some((o, hidden)) = opaque {
            self.cx.opaques[o].hidden = Some(self.table.resolve(&hidden));
        }
        for p in std::mem::take(&mut self.pending) {
            let mut wc = ast::QuantifiedWhereClause {
                params: p.params,
                where_clause: p.where_clause,
                span: p.span,
            };
            let mut has_vars = false;
            let mut resolver = ResolveAll {
                table: &self.table,
                has_vars: &mut has_vars,
            };
            chalkboard_syntax::visit::walk_quantified_where_clause(&mut resolver, &mut wc);
            if has_vars {
                continue;
            }
            self.cx.obligations.push(Obligation {
                argument: p.argument,
                function: self.summary,
                env: self.env.clone(),
                goal: self.env.close(build::forall(
                    &wc.params,
                    build::where_clause_goal(wc.where_clause.clone()),
                )),
                where_clause: wc.where_clause,
                span: p.span,
                origin: p.origin,
            });
        }
    }
}

struct ResolveAll<'t> {
    table: &'t Table,
    has_vars: &'t mut bool,
}

impl chalkboard_syntax::visit::VisitMut for ResolveAll<'_> {
    fn ty(&mut self, ty: &mut ast::Ty) {
        *ty = self.table.resolve(ty);
        visit_types(ty, &mut |t| {
            if var_of(t).is_some() {
                *self.has_vars = true;
            }
        });
    }
}

struct Instantiated {
    arguments: Vec<ast::Ty>,
    receiver: Option<ast::Ty>,
    ret: ast::Ty,
    where_clauses: Vec<(ast::QuantifiedWhereClause, Span)>,
    callee: String,
}

struct Found {
    function: usize,
    self_ty: ast::Ty,
    trait_name: Option<String>,
    derefs: usize,
}

fn is_place(e: &Expr) -> bool {
    matches!(
        &e.kind,
        ExprKind::Path(p) if matches!(p.res, PathRes::Local(_))
    ) || matches!(&e.kind, ExprKind::Field(b, _) if is_place(b))
        || matches!(&e.kind, ExprKind::Deref(_) | ExprKind::Index(..))
}

/// The call an awaited expression makes, as the user wrote it, for
/// messages: `health_check.check(..)`.
fn call_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::MethodCall {
            receiver, method, ..
        } => format!("{}.{}(..)", call_text(receiver), method.text),
        ExprKind::Call(callee, _) => format!("{}(..)", call_text(callee)),
        ExprKind::Path(p) => p.text.clone(),
        ExprKind::Field(b, n) => format!("{}.{}", call_text(b), n.text),
        _ => "this expression".into(),
    }
}

/// The types of a trait or projection where clause, in the order chalk
/// meets them: the trait's arguments, the projection's own, its value.
fn wc_types(wc: &ast::WhereClause, f: &mut impl FnMut(&ast::Ty)) {
    let args = match wc {
        ast::WhereClause::Implemented(tr) => tr.args.iter().chain(&[]),
        ast::WhereClause::AliasEq { projection, .. } => {
            projection.trait_ref.args.iter().chain(&projection.args)
        }
        _ => return,
    };
    for a in args {
        if let ast::GenericArg::Ty(t) = a {
            f(t);
        }
    }
    if let ast::WhereClause::AliasEq { ty, .. } = wc {
        f(ty);
    }
}

/// Whether a generated placeholder occurs in a where clause.
fn has_placeholder_wc(wc: &ast::WhereClause) -> bool {
    let mut found = false;
    wc_types(wc, &mut |t| found |= has_placeholder(t));
    found
}

/// Whether a generated placeholder occurs in the type.
pub fn has_placeholder(ty: &ast::Ty) -> bool {
    let mut found = false;
    visit_types(ty, &mut |t| {
        if placeholder_of(t).is_some() {
            found = true;
        }
    });
    found
}

/// A generated item's type (its fields, output) with its environment's
/// parameters replaced by the placeholder's arguments.
pub fn instantiate_generated(env: &Env, args: &[ast::GenericArg], ty: &ast::Ty) -> ast::Ty {
    let subst = Subst::from_params(&env.params, args);
    subst.apply(ty)
}

/// The substitution of an ADT's parameters by a type's arguments.
fn adt_subst(adt: &ast::AdtDefn, args: &[ast::GenericArg]) -> Subst {
    Subst::from_params(&adt.params, args)
}

/// A type as rustc shows it: generated futures as `{async block}` and
/// `impl Future<Output = T>`, the body's lifetime elided.
pub fn show_ty(ty: &ast::Ty, futures: &[FutureInfo], closures: &[ClosureInfo]) -> String {
    let mut text = print_ty(ty);
    for (i, f) in futures.iter().enumerate().rev() {
        let marker = format!("#fut{i}");
        if text.contains(&marker) {
            let shown = if f.name.contains("_block") {
                "{async block}".to_string()
            } else {
                format!("impl Future<Output = {}>", print_ty(&f.output))
            };
            text = replace_applied(&text, &marker, &shown);
        }
    }
    for (i, _) in closures.iter().enumerate().rev() {
        let marker = format!("#closure{i}");
        if text.contains(&marker) {
            text = replace_applied(&text, &marker, "{closure}");
        }
    }
    text.replace(&format!("'{BODY_LIFETIME} "), "")
        .replace(&format!("'{BODY_LIFETIME}"), "'_")
}

/// Replaces `marker<..>` (with its balanced arguments) or `marker` by `with`.
fn replace_applied(text: &str, marker: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        out.push_str(with);
        rest = &rest[at + marker.len()..];
        // Stop at a digit: `#fut1` must not match `#fut12`.
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            out.truncate(out.len() - with.len());
            out.push_str(marker);
            continue;
        }
        if rest.starts_with('<') {
            let mut depth = 0;
            let mut end = 0;
            for (i, c) in rest.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}
