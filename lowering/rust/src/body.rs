//! Function bodies: rust-analyzer's expression tree to chalkboard's
//! (`chalkboard_syntax::body`), with every path resolved. A local shadows an
//! item of the same name, as in Rust, so the reader keeps the scopes of
//! `let` bindings, patterns and closure parameters as it goes.

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::body::{
    BinaryOp, Block, Condition, Expr, ExprKind, ExprPath, Lit, MatchArm, Pat, PathRes, Stmt,
    UnaryOp,
};
use chalkboard_syntax::build;
use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::{HasArgList, HasGenericArgs, HasLoopBody, HasName};
use ra_ap_syntax::{AstNode, TextRange, TextSize};

use crate::items::path_names;
use crate::resolve::Def;
use crate::{Reader, Scope};

/// The macros of the subset: their arguments are expressions.
const MACROS: &[&str] = &[
    "format",
    "println",
    "print",
    "eprintln",
    "eprint",
    "panic",
    "todo",
    "unreachable",
    "unimplemented",
    "vec",
    "assert",
    "assert_eq",
    "assert_ne",
    "dbg",
    "write",
    "writeln",
];

/// The locals in scope while reading a body, innermost scope last.
#[derive(Default)]
struct Locals {
    scopes: Vec<Vec<String>>,
}

impl Locals {
    fn contains(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.iter().any(|n| n == name))
    }

    fn bind_pat(&mut self, pat: &Pat) {
        let mut names = Vec::new();
        collect_bindings(pat, &mut names);
        if let Some(scope) = self.scopes.last_mut() {
            scope.extend(names);
        }
    }
}

fn collect_bindings(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident { name, .. } => out.push(name.text.clone()),
        Pat::Tuple(pats, _) | Pat::TupleStruct { pats, .. } | Pat::Or(pats, _) => {
            for p in pats {
                collect_bindings(p, out);
            }
        }
        Pat::Struct { fields, .. } => {
            for (_, p) in fields {
                collect_bindings(p, out);
            }
        }
        Pat::Ref(p, _) => collect_bindings(p, out),
        Pat::Wild | Pat::Rest(_) | Pat::Path(_) | Pat::Lit(..) | Pat::Unsupported(..) => {}
    }
}

/// Reads one body with its own local scopes.
struct BodyReader<'r> {
    reader: &'r mut Reader,
    scope: Scope,
    locals: Locals,
    /// Added to every range: a macro's arguments are parsed from a slice
    /// of the text, so their ranges are relative to it.
    shift: TextSize,
}

impl Reader {
    /// The body of a function whose arguments bind `arguments`' patterns.
    pub(crate) fn body(
        &mut self,
        block: &ra::BlockExpr,
        scope: &Scope,
        arguments: &[(Pat, ast::Ty)],
    ) -> Block {
        let mut body_scope = scope.clone();
        body_scope.in_body = true;
        let mut r = BodyReader {
            reader: self,
            scope: body_scope,
            locals: Locals::default(),
            shift: TextSize::from(0),
        };
        r.locals.scopes.push(vec!["self".to_string()]);
        for (pat, _) in arguments {
            r.locals.bind_pat(pat);
        }
        r.block(block)
    }

    /// A pattern in a function's signature (its bindings are entered when
    /// the body is read).
    pub(crate) fn pattern_decl(&mut self, pat: &ra::Pat, scope: &Scope) -> Pat {
        let mut r = BodyReader {
            reader: self,
            scope: scope.clone(),
            locals: Locals::default(),
            shift: TextSize::from(0),
        };
        r.pat(pat)
    }
}

impl BodyReader<'_> {
    fn span_of(&self, range: TextRange) -> Span {
        self.reader.span(&self.scope, range + self.shift)
    }

    fn span(&self, node: &impl AstNode) -> Span {
        self.span_of(node.syntax().text_range())
    }

    fn ident(&self, node: &impl AstNode) -> ast::Ident {
        ast::Ident {
            text: node.syntax().text().to_string(),
            span: self.span(node),
        }
    }

    fn unsupported(&mut self, span: Span, what: &str) -> ExprKind {
        self.reader.unsupported(span, what);
        ExprKind::Unsupported(what.to_string())
    }

    fn block(&mut self, b: &ra::BlockExpr) -> Block {
        let span = self.span(b);
        self.locals.scopes.push(Vec::new());
        let mut stmts = Vec::new();
        let mut tail = None;
        if let Some(list) = b.stmt_list() {
            for s in list.statements() {
                if let Some(stmt) = self.stmt(&s) {
                    stmts.push(stmt);
                }
            }
            tail = list.tail_expr().map(|e| Box::new(self.expr(&e)));
        }
        self.locals.scopes.pop();
        Block { stmts, tail, span }
    }

    fn stmt(&mut self, s: &ra::Stmt) -> Option<Stmt> {
        match s {
            ra::Stmt::LetStmt(l) => {
                let span = self.span(l);
                let init = l.initializer().map(|e| self.expr(&e));
                let else_block = l
                    .let_else()
                    .and_then(|e| e.block_expr())
                    .map(|b| self.block(&b));
                let ty = l.ty().map(|t| self.reader.ty(&t, &self.scope));
                let pat = match l.pat() {
                    Some(p) => self.pat(&p),
                    None => Pat::Wild,
                };
                // The bindings are in scope after the initializer.
                self.locals.bind_pat(&pat);
                Some(Stmt::Let {
                    pat,
                    ty,
                    init,
                    else_block,
                    span,
                })
            }
            ra::Stmt::ExprStmt(e) => e.expr().map(|e| Stmt::Expr(self.expr(&e))),
            ra::Stmt::Item(i) => {
                let span = self.span(i);
                self.reader
                    .unsupported(span, "an item inside a function body");
                Some(Stmt::Item(span))
            }
        }
    }

    fn boxed(&mut self, e: Option<ra::Expr>, span: Span) -> Box<Expr> {
        Box::new(match e {
            Some(e) => self.expr(&e),
            None => Expr {
                kind: ExprKind::Unsupported("a missing expression".into()),
                span,
            },
        })
    }

    fn expr(&mut self, e: &ra::Expr) -> Expr {
        let span = self.span(e);
        let kind = match e {
            ra::Expr::ParenExpr(p) => return *self.boxed(p.expr(), span),
            ra::Expr::Literal(l) => ExprKind::Lit(literal(l)),
            ra::Expr::PathExpr(p) => match p.path() {
                Some(path) => ExprKind::Path(self.expr_path(&path, span)),
                None => ExprKind::Unsupported("a path".into()),
            },
            ra::Expr::RefExpr(r) => {
                if r.raw_token().is_some() {
                    return Expr {
                        kind: self.unsupported(span, "a raw borrow (`&raw`)"),
                        span,
                    };
                }
                ExprKind::Ref {
                    mutable: r.mut_token().is_some(),
                    expr: self.boxed(r.expr(), span),
                }
            }
            ra::Expr::PrefixExpr(p) => {
                let inner = self.boxed(p.expr(), span);
                match p.op_kind() {
                    Some(ra::UnaryOp::Deref) => ExprKind::Deref(inner),
                    Some(ra::UnaryOp::Not) => ExprKind::Unary(UnaryOp::Not, inner),
                    Some(ra::UnaryOp::Neg) => ExprKind::Unary(UnaryOp::Neg, inner),
                    None => ExprKind::Unsupported("an operator".into()),
                }
            }
            ra::Expr::BinExpr(b) => {
                let lhs = self.boxed(b.lhs(), span);
                let rhs = self.boxed(b.rhs(), span);
                match b.op_kind() {
                    Some(ra::BinaryOp::Assignment { .. }) => ExprKind::Assign(lhs, rhs),
                    Some(ra::BinaryOp::LogicOp(_)) => ExprKind::Binary(BinaryOp::Logic, lhs, rhs),
                    Some(ra::BinaryOp::CmpOp(_)) => ExprKind::Binary(BinaryOp::Compare, lhs, rhs),
                    Some(ra::BinaryOp::ArithOp(_)) => ExprKind::Binary(BinaryOp::Arith, lhs, rhs),
                    None => ExprKind::Unsupported("an operator".into()),
                }
            }
            ra::Expr::FieldExpr(f) => {
                let base = self.boxed(f.expr(), span);
                match f.name_ref() {
                    Some(n) => ExprKind::Field(base, self.ident(&n)),
                    None => ExprKind::Unsupported("a field access".into()),
                }
            }
            ra::Expr::TupleExpr(t) => ExprKind::Tuple(t.fields().map(|f| self.expr(&f)).collect()),
            ra::Expr::ArrayExpr(a) => ExprKind::Array(a.exprs().map(|x| self.expr(&x)).collect()),
            ra::Expr::IndexExpr(i) => {
                ExprKind::Index(self.boxed(i.base(), span), self.boxed(i.index(), span))
            }
            ra::Expr::RecordExpr(r) => {
                let path = match r.path() {
                    Some(p) => self.expr_path(&p, span),
                    None => {
                        return Expr {
                            kind: ExprKind::Unsupported("a struct literal".into()),
                            span,
                        }
                    }
                };
                let mut fields = Vec::new();
                let mut base = None;
                if let Some(list) = r.record_expr_field_list() {
                    for f in list.fields() {
                        let Some(name) = f.name_ref() else { continue };
                        let name = self.ident(&name);
                        let value = match f.expr() {
                            Some(e) => self.expr(&e),
                            // `S { x }` is `S { x: x }`.
                            None => Expr {
                                kind: ExprKind::Path(self.local_or_item(
                                    &name.text,
                                    Vec::new(),
                                    name.span,
                                )),
                                span: name.span,
                            },
                        };
                        fields.push((name, value));
                    }
                    base = list.spread().map(|e| Box::new(self.expr(&e)));
                }
                ExprKind::Struct { path, fields, base }
            }
            ra::Expr::CallExpr(c) => {
                let callee = self.boxed(c.expr(), span);
                let args = c
                    .arg_list()
                    .map(|l| l.args().map(|a| self.expr(&a)).collect())
                    .unwrap_or_default();
                ExprKind::Call(callee, args)
            }
            ra::Expr::MethodCallExpr(m) => {
                let receiver = self.boxed(m.receiver(), span);
                let Some(name) = m.name_ref() else {
                    return Expr {
                        kind: ExprKind::Unsupported("a method call".into()),
                        span,
                    };
                };
                let turbofish = m
                    .generic_arg_list()
                    .map(|l| self.reader.generic_args(&l, &self.scope))
                    .unwrap_or_default();
                let args = m
                    .arg_list()
                    .map(|l| l.args().map(|a| self.expr(&a)).collect())
                    .unwrap_or_default();
                ExprKind::MethodCall {
                    receiver,
                    method: self.ident(&name),
                    turbofish,
                    args,
                }
            }
            ra::Expr::ClosureExpr(c) => {
                self.locals.scopes.push(Vec::new());
                let params: Vec<(Pat, Option<ast::Ty>)> = c
                    .param_list()
                    .map(|l| {
                        l.params()
                            .map(|p| {
                                let pat = p.pat().map_or(Pat::Wild, |pat| self.pat(&pat));
                                let ty = p.ty().map(|t| self.reader.ty(&t, &self.scope));
                                (pat, ty)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                for (p, _) in &params {
                    self.locals.bind_pat(p);
                }
                let ret = c
                    .ret_type()
                    .and_then(|r| r.ty())
                    .map(|t| self.reader.ty(&t, &self.scope));
                let body = self.boxed(c.body(), span);
                self.locals.scopes.pop();
                ExprKind::Closure {
                    is_move: c.move_token().is_some(),
                    is_async: c.async_token().is_some(),
                    params,
                    ret,
                    body,
                }
            }
            ra::Expr::BlockExpr(b) => match b.modifier() {
                None => ExprKind::Block(self.block(b)),
                Some(ra::BlockModifier::Async(_)) => ExprKind::Async {
                    is_move: b.move_token().is_some(),
                    block: self.block(b),
                },
                Some(ra::BlockModifier::Unsafe(_)) => ExprKind::Unsafe(self.block(b)),
                Some(ra::BlockModifier::Label(_)) => ExprKind::Block(self.block(b)),
                Some(_) => self.unsupported(span, "a `try`, `const` or `gen` block"),
            },
            ra::Expr::AwaitExpr(a) => ExprKind::Await(self.boxed(a.expr(), span)),
            ra::Expr::TryExpr(t) => ExprKind::Try(self.boxed(t.expr(), span)),
            ra::Expr::IfExpr(i) => {
                self.locals.scopes.push(Vec::new());
                let cond = Box::new(self.condition(i.condition(), span));
                let then = match i.then_branch() {
                    Some(b) => self.block(&b),
                    None => empty_block(span),
                };
                self.locals.scopes.pop();
                let else_ = i.else_branch().map(|e| {
                    Box::new(match e {
                        ra::ElseBranch::Block(b) => Expr {
                            span: self.span(&b),
                            kind: ExprKind::Block(self.block(&b)),
                        },
                        ra::ElseBranch::IfExpr(ie) => self.expr(&ra::Expr::IfExpr(ie)),
                    })
                });
                ExprKind::If { cond, then, else_ }
            }
            ra::Expr::MatchExpr(m) => {
                let scrutinee = self.boxed(m.expr(), span);
                let mut arms = Vec::new();
                for arm in m.match_arm_list().into_iter().flat_map(|l| l.arms()) {
                    self.locals.scopes.push(Vec::new());
                    let pat = arm.pat().map_or(Pat::Wild, |p| self.pat(&p));
                    self.locals.bind_pat(&pat);
                    let guard = arm
                        .guard()
                        .and_then(|g| g.condition())
                        .map(|c| self.expr(&c));
                    let arm_span = self.span(&arm);
                    let body = *self.boxed(arm.expr(), arm_span);
                    self.locals.scopes.pop();
                    arms.push(MatchArm { pat, guard, body });
                }
                ExprKind::Match { scrutinee, arms }
            }
            ra::Expr::LoopExpr(l) => ExprKind::Loop(match l.loop_body() {
                Some(b) => self.block(&b),
                None => empty_block(span),
            }),
            ra::Expr::WhileExpr(w) => {
                self.locals.scopes.push(Vec::new());
                let cond = Box::new(self.condition(w.condition(), span));
                let body = match w.loop_body() {
                    Some(b) => self.block(&b),
                    None => empty_block(span),
                };
                self.locals.scopes.pop();
                ExprKind::While { cond, body }
            }
            ra::Expr::ForExpr(f) => {
                let iter = self.boxed(f.iterable(), span);
                self.locals.scopes.push(Vec::new());
                let pat = f.pat().map_or(Pat::Wild, |p| self.pat(&p));
                self.locals.bind_pat(&pat);
                let body = match f.loop_body() {
                    Some(b) => self.block(&b),
                    None => empty_block(span),
                };
                self.locals.scopes.pop();
                ExprKind::For { pat, iter, body }
            }
            ra::Expr::BreakExpr(b) => ExprKind::Break(b.expr().map(|e| Box::new(self.expr(&e)))),
            ra::Expr::ContinueExpr(_) => ExprKind::Continue,
            ra::Expr::ReturnExpr(r) => ExprKind::Return(r.expr().map(|e| Box::new(self.expr(&e)))),
            ra::Expr::RangeExpr(r) => {
                use ra_ap_syntax::ast::RangeItem;
                ExprKind::Range(
                    r.start().map(|e| Box::new(self.expr(&e))),
                    r.end().map(|e| Box::new(self.expr(&e))),
                )
            }
            ra::Expr::CastExpr(c) => {
                let inner = self.boxed(c.expr(), span);
                let ty = match c.ty() {
                    Some(t) => self.reader.ty(&t, &self.scope),
                    None => crate::types::error_ty(span),
                };
                ExprKind::Cast(inner, ty)
            }
            ra::Expr::MacroExpr(m) => match m.macro_call() {
                Some(call) => self.macro_call(&call, span),
                None => ExprKind::Unsupported("a macro".into()),
            },
            ra::Expr::LetExpr(_) => {
                self.unsupported(span, "a `let` expression outside `if let`/`while let`")
            }
            ra::Expr::UnderscoreExpr(_) => self.unsupported(span, "`_` as an expression"),
            ra::Expr::YieldExpr(_) | ra::Expr::YeetExpr(_) | ra::Expr::BecomeExpr(_) => {
                self.unsupported(span, "this experimental expression")
            }
            ra::Expr::AsmExpr(_) => self.unsupported(span, "inline assembly"),
            ra::Expr::FormatArgsExpr(_)
            | ra::Expr::OffsetOfExpr(_)
            | ra::Expr::IncludeBytesExpr(_) => {
                self.unsupported(span, "a built-in macro expression")
            }
        };
        Expr { kind, span }
    }

    fn condition(&mut self, cond: Option<ra::Expr>, span: Span) -> Condition {
        match cond {
            Some(ra::Expr::LetExpr(l)) => {
                let scrutinee = *self.boxed(l.expr(), span);
                let pat = l.pat().map_or(Pat::Wild, |p| self.pat(&p));
                self.locals.bind_pat(&pat);
                Condition::Let(pat, scrutinee)
            }
            Some(e) => {
                if let ra::Expr::BinExpr(b) = &e {
                    if matches!(b.lhs(), Some(ra::Expr::LetExpr(_)))
                        || matches!(b.rhs(), Some(ra::Expr::LetExpr(_)))
                    {
                        let s = self.span(&e);
                        return Condition::Expr(Expr {
                            kind: self.unsupported(s, "a `let` chain (`if let .. && ..`)"),
                            span: s,
                        });
                    }
                }
                Condition::Expr(self.expr(&e))
            }
            None => Condition::Expr(Expr {
                kind: ExprKind::Unsupported("a missing condition".into()),
                span,
            }),
        }
    }

    /// `name!(..)`: the macros of the subset, whose arguments are
    /// expressions (a format string first, for the formatting ones).
    fn macro_call(&mut self, call: &ra::MacroCall, span: Span) -> ExprKind {
        let Some(path) = call.path() else {
            return ExprKind::Unsupported("a macro".into());
        };
        let name_text = path.syntax().text().to_string();
        let Some(tt) = call.token_tree() else {
            return ExprKind::Unsupported("a macro".into());
        };
        if !MACROS.contains(&name_text.as_str()) {
            return self.unsupported(span, &format!("the macro `{name_text}!`"));
        }
        let name = ast::Ident {
            text: name_text.clone(),
            span: self.span(&path),
        };
        // The arguments: the token tree's text between its delimiters,
        // split at top-level commas (and `;` in `vec![x; n]`), each parsed
        // as an expression.
        let text = tt.syntax().text().to_string();
        let tt_start = tt.syntax().text_range().start() + self.shift;
        let inner = if text.len() >= 2 {
            &text[1..text.len() - 1]
        } else {
            ""
        };
        let mut args = Vec::new();
        for (offset, piece) in split_top_level(inner) {
            if piece.trim().is_empty() {
                continue;
            }
            let parsed = ra::Expr::parse(piece, ra_ap_syntax::Edition::Edition2024);
            if !parsed.errors().is_empty() {
                continue;
            }
            let expr = parsed.tree();
            let saved = self.shift;
            self.shift = tt_start + TextSize::from((1 + offset) as u32);
            let e = self.expr(&expr);
            self.shift = saved;
            // A format string is not an expression worth checking.
            if matches!(e.kind, ExprKind::Lit(Lit::Str)) {
                continue;
            }
            args.push(e);
        }
        // Inline format arguments (`{name}`) borrow locals too.
        if matches!(
            name_text.as_str(),
            "format" | "println" | "print" | "eprintln" | "eprint" | "panic" | "write" | "writeln"
        ) {
            for captured in inline_format_args(inner) {
                if self.locals.contains(&captured) {
                    args.push(Expr {
                        kind: ExprKind::Path(ExprPath {
                            text: captured.clone(),
                            res: PathRes::Local(captured),
                            span,
                        }),
                        span,
                    });
                }
            }
        }
        ExprKind::Macro { name, args }
    }

    /// A path in expression position, resolved: a local, a function, an
    /// associated function, a constructor or a variant.
    fn expr_path(&mut self, path: &ra::Path, span: Span) -> ExprPath {
        let text = path.syntax().text().to_string();
        let res = self.resolve_value_path(path, span);
        ExprPath { text, res, span }
    }

    fn local_or_item(&mut self, name: &str, args: Vec<ast::GenericArg>, span: Span) -> ExprPath {
        let res = if self.locals.contains(name) {
            PathRes::Local(name.to_string())
        } else {
            self.resolve_value_names(&[name.to_string()], args, span)
        };
        ExprPath {
            text: name.to_string(),
            res,
            span,
        }
    }

    fn resolve_value_path(&mut self, path: &ra::Path, span: Span) -> PathRes {
        let last_args = path
            .segment()
            .and_then(|s| s.generic_arg_list())
            .map(|l| self.reader.generic_args(&l, &self.scope))
            .unwrap_or_default();
        // `<T as Trait>::m` / `<T>::m`
        if let Some(qualifier) = path.qualifier() {
            if let Some(first) = qualifier.segment() {
                if let Some(ra::PathSegmentKind::Type {
                    type_ref,
                    trait_ref,
                }) = first.kind()
                {
                    let name = match path.segment().and_then(|s| s.name_ref()) {
                        Some(n) => self.ident(&n),
                        None => return PathRes::Error,
                    };
                    let self_ty = self.reader.ty_or_error(type_ref, &self.scope, span);
                    return match trait_ref.and_then(|t| self.reader.trait_bound(&t, &self.scope)) {
                        Some(bound) => PathRes::TraitMethod {
                            trait_name: bound.bound.trait_name,
                            trait_args: bound.bound.args,
                            self_ty: Some(self_ty),
                            name,
                            args: last_args,
                        },
                        None => PathRes::Assoc {
                            self_ty,
                            name,
                            args: last_args,
                        },
                    };
                }
            }
        }
        let names = path_names(path);
        if let [single] = names.as_slice() {
            if self.locals.contains(single) && last_args.is_empty() {
                return PathRes::Local(single.clone());
            }
        }
        // `Type::name` / `Trait::name` / `T::name` / `Self::name`: resolve
        // the qualifier as a type or trait.
        if names.len() >= 2 {
            let (init, last) = names.split_at(names.len() - 1);
            let last = &last[0];
            let name_span = path
                .segment()
                .and_then(|s| s.name_ref())
                .map_or(span, |n| self.span(&n));
            let name = build::ident(last.clone(), name_span);
            let qualifier = path.qualifier();
            let qualifier_args = qualifier
                .as_ref()
                .and_then(|q| q.segment())
                .and_then(|s| s.generic_arg_list())
                .map(|l| self.reader.generic_args(&l, &self.scope))
                .unwrap_or_default();
            if let [param] = init {
                let is_param = self.scope.params.iter().any(|(p, lt)| !lt && p == param);
                if is_param || (param == "Self" && self.scope.self_ty.is_some()) {
                    let self_ty = if param == "Self" {
                        self.scope
                            .self_ty
                            .clone()
                            .unwrap_or_else(|| crate::types::error_ty(span))
                    } else {
                        build::name_ty(param.clone(), span)
                    };
                    return PathRes::Assoc {
                        self_ty,
                        name,
                        args: last_args,
                    };
                }
            }
            match self.reader.defs.resolve(self.scope.module, init, true) {
                Ok(Def::Adt(id)) => {
                    let adt = build::ident(self.reader.defs.adts[id].flat.clone(), span);
                    if self.reader.defs.adts[id].variants.iter().any(|v| v == last) {
                        return PathRes::Variant {
                            adt,
                            args: qualifier_args,
                            variant: name,
                        };
                    }
                    let self_ty = ast::Ty {
                        kind: if qualifier_args.is_empty() {
                            ast::TyKind::Name(adt)
                        } else {
                            ast::TyKind::Apply(adt, qualifier_args)
                        },
                        span,
                    };
                    return PathRes::Assoc {
                        self_ty,
                        name,
                        args: last_args,
                    };
                }
                Ok(Def::Trait(t)) => {
                    return PathRes::TraitMethod {
                        trait_name: build::ident(self.reader.defs.traits[t].flat.clone(), span),
                        trait_args: qualifier_args,
                        self_ty: None,
                        name,
                        args: last_args,
                    };
                }
                Ok(Def::Alias(_)) => {
                    if let Some(q) = &qualifier {
                        let self_ty = self.reader.path_type_of(q, &self.scope);
                        return PathRes::Assoc {
                            self_ty,
                            name,
                            args: last_args,
                        };
                    }
                }
                _ => {}
            }
            if let [prim] = init {
                if matches!(
                    prim.as_str(),
                    "u8" | "u16"
                        | "u32"
                        | "u64"
                        | "usize"
                        | "i8"
                        | "i16"
                        | "i32"
                        | "i64"
                        | "isize"
                        | "bool"
                        | "char"
                        | "str"
                        | "f32"
                        | "f64"
                ) {
                    let self_ty = self
                        .reader
                        .path_type_of(qualifier.as_ref().unwrap_or(path), &self.scope);
                    return PathRes::Assoc {
                        self_ty,
                        name,
                        args: last_args,
                    };
                }
            }
        }
        self.resolve_value_names(&names, last_args, span)
    }

    /// A path in the value namespace: a function, a constructor, a variant.
    fn resolve_value_names(
        &mut self,
        names: &[String],
        args: Vec<ast::GenericArg>,
        span: Span,
    ) -> PathRes {
        match self.reader.defs.resolve(self.scope.module, names, false) {
            Ok(Def::Fn(path)) => PathRes::Fn { path, args },
            Ok(Def::Ctor(id)) => PathRes::Struct {
                adt: build::ident(self.reader.defs.adts[id].flat.clone(), span),
                args,
            },
            Ok(Def::Variant(id, variant)) => PathRes::Variant {
                adt: build::ident(self.reader.defs.adts[id].flat.clone(), span),
                args,
                variant: build::ident(variant, span),
            },
            Ok(_) => PathRes::Error,
            Err(e) => {
                // A record struct's path in a literal or pattern.
                if let Ok(Def::Adt(id)) = self.reader.defs.resolve(self.scope.module, names, true) {
                    return PathRes::Struct {
                        adt: build::ident(self.reader.defs.adts[id].flat.clone(), span),
                        args,
                    };
                }
                self.reader.unresolved(names, e, span, "value");
                PathRes::Error
            }
        }
    }

    fn pat(&mut self, p: &ra::Pat) -> Pat {
        let span = self.span(p);
        match p {
            ra::Pat::IdentPat(i) => {
                if let Some(sub) = i.pat() {
                    self.reader
                        .unsupported(span, "a binding with a subpattern (`x @ pat`)");
                    return self.pat(&sub);
                }
                let Some(name) = i.name() else {
                    return Pat::Unsupported("a pattern".into(), span);
                };
                let name = self.ident(&name);
                // A bare name that is a unit struct or variant in scope
                // (`None`) is a path pattern, not a binding.
                if i.mut_token().is_none() && i.ref_token().is_none() {
                    if let Ok(d @ (Def::Ctor(_) | Def::Variant(..))) = self.reader.defs.resolve(
                        self.scope.module,
                        std::slice::from_ref(&name.text),
                        false,
                    ) {
                        let res = match d {
                            Def::Ctor(id) => PathRes::Struct {
                                adt: build::ident(self.reader.defs.adts[id].flat.clone(), span),
                                args: Vec::new(),
                            },
                            Def::Variant(id, v) => PathRes::Variant {
                                adt: build::ident(self.reader.defs.adts[id].flat.clone(), span),
                                args: Vec::new(),
                                variant: build::ident(v, span),
                            },
                            _ => PathRes::Error,
                        };
                        return Pat::Path(ExprPath {
                            text: name.text.clone(),
                            res,
                            span,
                        });
                    }
                }
                Pat::Ident {
                    name,
                    mutable: i.mut_token().is_some(),
                    by_ref: i.ref_token().is_some(),
                }
            }
            ra::Pat::WildcardPat(_) => Pat::Wild,
            ra::Pat::RestPat(_) => Pat::Rest(span),
            ra::Pat::TuplePat(t) => Pat::Tuple(t.fields().map(|f| self.pat(&f)).collect(), span),
            ra::Pat::ParenPat(p) => match p.pat() {
                Some(inner) => self.pat(&inner),
                None => Pat::Wild,
            },
            ra::Pat::TupleStructPat(t) => {
                let path = match t.path() {
                    Some(p) => self.expr_path(&p, span),
                    None => return Pat::Unsupported("a pattern".into(), span),
                };
                Pat::TupleStruct {
                    path,
                    pats: t.fields().map(|f| self.pat(&f)).collect(),
                    span,
                }
            }
            ra::Pat::RecordPat(r) => {
                let path = match r.path() {
                    Some(p) => self.expr_path(&p, span),
                    None => return Pat::Unsupported("a pattern".into(), span),
                };
                let mut fields = Vec::new();
                if let Some(list) = r.record_pat_field_list() {
                    for f in list.fields() {
                        match (f.name_ref(), f.pat()) {
                            (Some(n), Some(p)) => {
                                let name = self.ident(&n);
                                fields.push((name, self.pat(&p)));
                            }
                            (None, Some(p)) => {
                                // `S { x }`: the field `x` bound to `x`.
                                let pat = self.pat(&p);
                                if let Pat::Ident { name, .. } = &pat {
                                    fields.push((name.clone(), pat.clone()));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Pat::Struct { path, fields, span }
            }
            ra::Pat::PathPat(p) => match p.path() {
                Some(path) => Pat::Path(self.expr_path(&path, span)),
                None => Pat::Unsupported("a pattern".into(), span),
            },
            ra::Pat::LiteralPat(l) => match l.literal() {
                Some(lit) => Pat::Lit(literal(&lit), span),
                None => Pat::Unsupported("a pattern".into(), span),
            },
            ra::Pat::OrPat(o) => Pat::Or(o.pats().map(|p| self.pat(&p)).collect(), span),
            ra::Pat::RefPat(r) => match r.pat() {
                Some(inner) => Pat::Ref(Box::new(self.pat(&inner)), span),
                None => Pat::Wild,
            },
            other => {
                let what = match other {
                    ra::Pat::SlicePat(_) => "a slice pattern",
                    ra::Pat::RangePat(_) => "a range pattern",
                    ra::Pat::BoxPat(_) => "a `box` pattern",
                    _ => "this pattern",
                };
                self.reader.unsupported(span, what);
                Pat::Unsupported(what.into(), span)
            }
        }
    }
}

fn empty_block(span: Span) -> Block {
    Block {
        stmts: Vec::new(),
        tail: None,
        span,
    }
}

fn literal(l: &ra::Literal) -> Lit {
    let text = l.syntax().text().to_string();
    match l.kind() {
        ra::LiteralKind::IntNumber(_) => Lit::Int(suffix(
            &text,
            &[
                "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
                "isize",
            ],
        )),
        ra::LiteralKind::FloatNumber(_) => Lit::Float(suffix(&text, &["f32", "f64"])),
        ra::LiteralKind::Bool(b) => Lit::Bool(b),
        ra::LiteralKind::Char(_) | ra::LiteralKind::Byte(_) => Lit::Char,
        ra::LiteralKind::String(_) | ra::LiteralKind::CString(_) => Lit::Str,
        ra::LiteralKind::ByteString(_) => Lit::ByteStr,
    }
}

fn suffix(text: &str, suffixes: &[&str]) -> Option<String> {
    suffixes
        .iter()
        .find(|s| text.ends_with(*s) && !text.starts_with("0x"))
        .map(|s| s.to_string())
}

/// The pieces of a macro's arguments split at top-level `,` and `;`, with
/// each piece's offset in `text`.
fn split_top_level(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_str {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => in_str = false,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' | ';' if depth == 0 => {
                out.push((start, &text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start, &text[start..]));
    out
}

/// The names a format string captures inline (`"{name}"`, `"{name:?}"`).
fn inline_format_args(text: &str) -> Vec<String> {
    let Some(start) = text.find('"') else {
        return Vec::new();
    };
    let Some(end) = text[start + 1..].find('"') else {
        return Vec::new();
    };
    let format = &text[start + 1..start + 1 + end];
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if rest.starts_with('{') {
            rest = &rest[1..];
            continue;
        }
        let close = rest.find('}').unwrap_or(rest.len());
        let name: String = rest[..close]
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if !name.is_empty()
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !name.chars().all(|c| c.is_ascii_digit())
        {
            out.push(name);
        }
        rest = &rest[close.min(rest.len())..];
    }
    out
}
