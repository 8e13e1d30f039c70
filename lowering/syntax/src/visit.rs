//! A mutable walk over the syntax tree.
//!
//! The desugaring rules rewrite nodes that may sit anywhere in a file (a
//! shorthand projection inside a field type, a span inside a prelude item),
//! so one walker visits every node and each rule overrides only the hooks it
//! needs. The default of every hook is to walk into the node's children.

use crate::ast::*;

pub trait VisitMut {
    /// Called on every span in the tree, including those of identifiers.
    fn span(&mut self, _span: &mut Span) {}

    fn ty(&mut self, ty: &mut Ty) {
        walk_ty(self, ty);
    }

    /// Called on every list of where clauses, so that a rule can replace one
    /// clause by several.
    fn where_clauses(&mut self, wcs: &mut Vec<QuantifiedWhereClause>) {
        for wc in wcs {
            walk_quantified_where_clause(self, wc);
        }
    }

    fn goal(&mut self, goal: &mut Goal) {
        walk_goal(self, goal);
    }

    fn lifetime(&mut self, l: &mut Lifetime) {
        self.span(&mut l.span);
    }

    /// Called on every list of declared parameters (of an item, a method, a
    /// quantifier or a binder), so that a rule can see every name bound.
    fn params(&mut self, params: &mut [VariableKind]) {
        walk_params(self, params);
    }

    /// Called on every list of clauses (`if (..)` hypotheses), so that a rule
    /// can replace one clause by several.
    fn clauses(&mut self, clauses: &mut Vec<Clause>) {
        for c in clauses {
            walk_clause(self, c);
        }
    }
}

pub fn walk_ident<V: VisitMut + ?Sized>(v: &mut V, ident: &mut Ident) {
    v.span(&mut ident.span);
}

pub fn walk_params<V: VisitMut + ?Sized>(v: &mut V, params: &mut [VariableKind]) {
    for p in params {
        walk_ident(v, &mut p.name);
    }
}

fn walk_variances<V: VisitMut + ?Sized>(v: &mut V, variances: &mut Option<(Vec<Variance>, Span)>) {
    if let Some((_, s)) = variances {
        v.span(s);
    }
}

pub fn walk_item<V: VisitMut + ?Sized>(v: &mut V, item: &mut Item) {
    match item {
        Item::Adt(d) => {
            walk_ident(v, &mut d.name);
            v.params(&mut d.params);
            v.where_clauses(&mut d.where_clauses);
            for variant in &mut d.variants {
                walk_ident(v, &mut variant.name);
                for f in &mut variant.fields {
                    walk_ident(v, &mut f.name);
                    v.ty(&mut f.ty);
                }
            }
            if let Some(t) = &mut d.repr.int {
                v.ty(t);
            }
            walk_variances(v, &mut d.variances);
            v.span(&mut d.span);
        }
        Item::Fn(d) => {
            walk_ident(v, &mut d.name);
            v.params(&mut d.params);
            v.where_clauses(&mut d.where_clauses);
            for t in &mut d.argument_types {
                v.ty(t);
            }
            v.ty(&mut d.return_type);
            walk_variances(v, &mut d.variances);
            v.span(&mut d.span);
        }
        Item::Closure(d) => {
            walk_ident(v, &mut d.name);
            v.params(&mut d.params);
            for t in d
                .argument_types
                .iter_mut()
                .chain(std::iter::once(&mut d.return_type))
                .chain(d.upvars.iter_mut())
            {
                v.ty(t);
            }
            v.span(&mut d.span);
        }
        Item::Trait(d) => {
            walk_ident(v, &mut d.name);
            v.params(&mut d.params);
            v.where_clauses(&mut d.where_clauses);
            for a in &mut d.assoc_ty_defns {
                walk_ident(v, &mut a.name);
                v.params(&mut a.params);
                walk_inline_bounds(v, &mut a.bounds);
                v.where_clauses(&mut a.where_clauses);
                v.span(&mut a.span);
            }
            for m in &mut d.methods {
                walk_method_sig(v, &mut m.sig);
            }
            v.span(&mut d.span);
        }
        Item::Impl(d) => {
            v.params(&mut d.params);
            walk_trait_ref(v, &mut d.trait_ref);
            v.where_clauses(&mut d.where_clauses);
            for a in &mut d.assoc_ty_values {
                walk_ident(v, &mut a.name);
                v.params(&mut a.params);
                v.ty(&mut a.value);
                v.span(&mut a.span);
            }
            for m in &mut d.methods {
                walk_method_sig(v, &mut m.sig);
                match &mut m.body {
                    ImplMethodBody::None => {}
                    ImplMethodBody::Holds(tys, span) => {
                        for t in tys {
                            v.ty(t);
                        }
                        v.span(span);
                    }
                    ImplMethodBody::Hidden(t) => v.ty(t),
                    ImplMethodBody::Code(code) => v.span(&mut code.span),
                }
            }
            v.span(&mut d.span);
        }
        Item::OpaqueTy(d) => {
            walk_ident(v, &mut d.name);
            v.params(&mut d.params);
            walk_inline_bounds(v, &mut d.bounds);
            v.where_clauses(&mut d.where_clauses);
            v.ty(&mut d.hidden_ty);
            v.span(&mut d.span);
        }
        Item::Coroutine(d) => {
            walk_ident(v, &mut d.name);
            v.params(&mut d.params);
            for t in [&mut d.resume_ty, &mut d.yield_ty, &mut d.return_ty]
                .into_iter()
                .chain(d.upvars.iter_mut())
                .chain(d.witness_types.iter_mut())
            {
                v.ty(t);
            }
            for l in &mut d.witness_lifetimes {
                walk_ident(v, l);
            }
            v.span(&mut d.span);
        }
        Item::Foreign(d) => {
            walk_ident(v, &mut d.name);
            v.span(&mut d.span);
        }
        Item::Clause(c) => walk_clause(v, c),
    }
}

pub fn walk_method_sig<V: VisitMut + ?Sized>(v: &mut V, sig: &mut MethodSig) {
    walk_ident(v, &mut sig.name);
    v.params(&mut sig.params);
    if let Receiver::Ref(_, Some(l)) = &mut sig.receiver {
        walk_lifetime(v, l);
    }
    for (name, ty) in &mut sig.arguments {
        walk_ident(v, name);
        v.ty(ty);
    }
    if let Some(t) = &mut sig.return_type {
        v.ty(t);
    }
    v.where_clauses(&mut sig.where_clauses);
    v.span(&mut sig.span);
}

pub fn walk_clause<V: VisitMut + ?Sized>(v: &mut V, c: &mut Clause) {
    v.params(&mut c.params);
    walk_domain_goal(v, &mut c.consequence);
    for g in &mut c.conditions {
        v.goal(g);
    }
    v.span(&mut c.span);
}

pub fn walk_ty<V: VisitMut + ?Sized>(v: &mut V, ty: &mut Ty) {
    match &mut ty.kind {
        TyKind::Name(n) => walk_ident(v, n),
        TyKind::Apply(n, args) => {
            walk_ident(v, n);
            walk_args(v, args);
        }
        TyKind::Dyn { bounds, lifetime } => {
            walk_inline_bounds(v, bounds);
            if let Some(l) = lifetime {
                walk_lifetime(v, l);
            }
        }
        TyKind::Projection(p) => walk_projection(v, p),
        TyKind::ShorthandProjection {
            self_ty,
            name,
            args,
        } => {
            v.ty(self_ty);
            walk_ident(v, name);
            walk_args(v, args);
        }
        TyKind::FnPtr {
            lifetimes,
            argument_types,
            return_type,
            ..
        } => {
            for l in lifetimes {
                walk_ident(v, l);
            }
            for t in argument_types {
                v.ty(t);
            }
            v.ty(return_type);
        }
        TyKind::Tuple(tys) => {
            for t in tys {
                v.ty(t);
            }
        }
        TyKind::Slice(t) | TyKind::Raw(_, t) => v.ty(t),
        TyKind::Array(t, c) => {
            v.ty(t);
            walk_const(v, c);
        }
        TyKind::Ref(_, l, t) => {
            if let Some(l) = l {
                walk_lifetime(v, l);
            }
            v.ty(t);
        }
        TyKind::ImplTrait(bounds) => walk_inline_bounds(v, bounds),
        TyKind::ReturnTypeNotation(rtn) => walk_rtn(v, rtn),
        TyKind::Scalar(_) | TyKind::Str | TyKind::Never | TyKind::Error => {}
    }
    v.span(&mut ty.span);
}

fn walk_rtn<V: VisitMut + ?Sized>(v: &mut V, rtn: &mut Rtn) {
    v.ty(&mut rtn.self_ty);
    if let Some(t) = &mut rtn.trait_ref {
        walk_trait_ref(v, t);
    }
    walk_ident(v, &mut rtn.method);
    walk_args(v, &mut rtn.args);
}

pub fn walk_lifetime<V: VisitMut + ?Sized>(v: &mut V, l: &mut Lifetime) {
    v.lifetime(l);
}

fn walk_const<V: VisitMut + ?Sized>(v: &mut V, c: &mut Const) {
    match c {
        Const::Name(n) => walk_ident(v, n),
        Const::Value(_, s) => v.span(s),
    }
}

pub fn walk_args<V: VisitMut + ?Sized>(v: &mut V, args: &mut [GenericArg]) {
    for a in args {
        match a {
            GenericArg::Ty(t) => v.ty(t),
            GenericArg::Lifetime(l) => walk_lifetime(v, l),
            GenericArg::Const(c) => walk_const(v, c),
        }
    }
}

pub fn walk_trait_ref<V: VisitMut + ?Sized>(v: &mut V, t: &mut TraitRef) {
    walk_ident(v, &mut t.trait_name);
    walk_args(v, &mut t.args);
    v.span(&mut t.span);
}

fn walk_projection<V: VisitMut + ?Sized>(v: &mut V, p: &mut ProjectionTy) {
    walk_trait_ref(v, &mut p.trait_ref);
    walk_ident(v, &mut p.name);
    walk_args(v, &mut p.args);
}

pub fn walk_inline_bounds<V: VisitMut + ?Sized>(v: &mut V, bounds: &mut [QuantifiedInlineBound]) {
    for b in bounds {
        v.params(&mut b.params);
        match &mut b.bound {
            InlineBound::Trait(t) => walk_trait_bound(v, t),
            InlineBound::AliasEq(a) => {
                walk_trait_bound(v, &mut a.trait_bound);
                walk_ident(v, &mut a.name);
                walk_args(v, &mut a.args);
                v.ty(&mut a.value);
            }
            InlineBound::Outlives(l) => walk_lifetime(v, l),
            InlineBound::Relaxed(name) => walk_ident(v, name),
            InlineBound::Conditional(c) => {
                v.where_clauses(&mut c.conditions);
                walk_inline_bounds(v, &mut c.bounds);
            }
        }
        v.span(&mut b.span);
    }
}

fn walk_trait_bound<V: VisitMut + ?Sized>(v: &mut V, t: &mut TraitBound) {
    walk_ident(v, &mut t.trait_name);
    walk_args(v, &mut t.args);
    for a in &mut t.assoc_bounds {
        walk_ident(v, &mut a.name);
        walk_args(v, &mut a.args);
        walk_inline_bounds(v, &mut a.bounds);
        v.span(&mut a.span);
    }
    v.span(&mut t.span);
}

pub fn walk_quantified_where_clause<V: VisitMut + ?Sized>(
    v: &mut V,
    wc: &mut QuantifiedWhereClause,
) {
    v.params(&mut wc.params);
    walk_where_clause(v, &mut wc.where_clause);
    v.span(&mut wc.span);
}

pub fn walk_where_clause<V: VisitMut + ?Sized>(v: &mut V, wc: &mut WhereClause) {
    match wc {
        WhereClause::Implemented(t) => walk_trait_ref(v, t),
        WhereClause::AliasEq { projection, ty } => {
            walk_projection(v, projection);
            v.ty(ty);
        }
        WhereClause::LifetimeOutlives { a, b } => {
            walk_lifetime(v, a);
            walk_lifetime(v, b);
        }
        WhereClause::TypeOutlives { ty, lifetime } => {
            v.ty(ty);
            walk_lifetime(v, lifetime);
        }
        WhereClause::BoundWithAssocBounds { self_ty, bound } => {
            v.ty(self_ty);
            walk_trait_bound(v, bound);
        }
        WhereClause::Rtn { rtn, bounds } => {
            walk_rtn(v, rtn);
            walk_inline_bounds(v, bounds);
        }
        WhereClause::ShorthandBound { self_ty, bounds } => {
            v.ty(self_ty);
            walk_inline_bounds(v, bounds);
        }
        WhereClause::Relaxed { ty, trait_name } => {
            v.ty(ty);
            walk_ident(v, trait_name);
        }
    }
}

pub fn walk_goal<V: VisitMut + ?Sized>(v: &mut V, goal: &mut Goal) {
    match &mut goal.kind {
        GoalKind::ForAll(params, g) | GoalKind::Exists(params, g) => {
            v.params(params);
            v.goal(g);
        }
        GoalKind::Implies(clauses, g) => {
            v.clauses(clauses);
            v.goal(g);
        }
        GoalKind::And(gs) => {
            for g in gs {
                v.goal(g);
            }
        }
        GoalKind::Not(g) | GoalKind::Compatible(g) => v.goal(g),
        GoalKind::Leaf(LeafGoal::DomainGoal(d)) => walk_domain_goal(v, d),
        GoalKind::Leaf(LeafGoal::Unify(a, b)) => {
            walk_args(v, std::slice::from_mut(a));
            walk_args(v, std::slice::from_mut(b));
        }
        GoalKind::Leaf(LeafGoal::Subtype(a, b)) => {
            v.ty(a);
            v.ty(b);
        }
        GoalKind::Error => {}
    }
    v.span(&mut goal.span);
}

pub fn walk_domain_goal<V: VisitMut + ?Sized>(v: &mut V, d: &mut DomainGoal) {
    match d {
        DomainGoal::Holds(wc) => walk_where_clause(v, wc),
        DomainGoal::Normalize { projection, ty } => {
            walk_projection(v, projection);
            v.ty(ty);
        }
        DomainGoal::TraitRefWellFormed(t)
        | DomainGoal::TraitRefFromEnv(t)
        | DomainGoal::LocalImplAllowed(t) => walk_trait_ref(v, t),
        DomainGoal::TyWellFormed(t)
        | DomainGoal::TyFromEnv(t)
        | DomainGoal::IsLocal(t)
        | DomainGoal::IsUpstream(t)
        | DomainGoal::IsFullyVisible(t)
        | DomainGoal::DownstreamType(t) => v.ty(t),
        DomainGoal::ObjectSafe(n) => walk_ident(v, n),
        DomainGoal::Compatible | DomainGoal::Reveal => {}
    }
}

/// A Rust function: its owner's types and where clauses, its signature,
/// and every type written in its body.
pub fn walk_function<V: VisitMut + ?Sized>(v: &mut V, f: &mut crate::rust::Function) {
    use crate::rust::FnOwner;
    walk_ident(v, &mut f.name);
    match &mut f.owner {
        FnOwner::Free => {}
        FnOwner::Inherent {
            self_ty,
            params,
            where_clauses,
        }
        | FnOwner::TraitImpl {
            self_ty,
            params,
            where_clauses,
            ..
        } => {
            v.ty(self_ty);
            walk_params(v, params);
            v.where_clauses(where_clauses);
        }
        FnOwner::Trait {
            params,
            where_clauses,
            ..
        } => {
            walk_params(v, params);
            v.where_clauses(where_clauses);
        }
    }
    walk_params(v, &mut f.params);
    v.where_clauses(&mut f.where_clauses);
    if let Receiver::Ref(_, Some(l)) = &mut f.receiver {
        v.lifetime(l);
    }
    for (_, ty) in &mut f.arguments {
        v.ty(ty);
    }
    if let Some(t) = &mut f.return_type {
        v.ty(t);
    }
    if let Some(body) = &mut f.body {
        walk_block(v, body);
    }
}

/// The types written in a body.
pub fn walk_block<V: VisitMut + ?Sized>(v: &mut V, block: &mut crate::body::Block) {
    use crate::body::Stmt;
    for s in &mut block.stmts {
        match s {
            Stmt::Let {
                pat,
                ty,
                init,
                else_block,
                ..
            } => {
                walk_pat(v, pat);
                if let Some(t) = ty {
                    v.ty(t);
                }
                if let Some(e) = init {
                    walk_expr(v, e);
                }
                if let Some(b) = else_block {
                    walk_block(v, b);
                }
            }
            Stmt::Expr(e) => walk_expr(v, e),
            Stmt::Item(_) => {}
        }
    }
    if let Some(t) = &mut block.tail {
        walk_expr(v, t);
    }
}

fn walk_path<V: VisitMut + ?Sized>(v: &mut V, path: &mut crate::body::ExprPath) {
    use crate::body::PathRes;
    match &mut path.res {
        PathRes::Fn { args, .. } | PathRes::Struct { args, .. } | PathRes::Variant { args, .. } => {
            walk_args(v, args)
        }
        PathRes::Assoc { self_ty, args, .. } => {
            v.ty(self_ty);
            walk_args(v, args);
        }
        PathRes::TraitMethod {
            trait_args,
            self_ty,
            args,
            ..
        } => {
            walk_args(v, trait_args);
            if let Some(t) = self_ty {
                v.ty(t);
            }
            walk_args(v, args);
        }
        PathRes::Local(_) | PathRes::Error => {}
    }
}

fn walk_pat<V: VisitMut + ?Sized>(v: &mut V, pat: &mut crate::body::Pat) {
    use crate::body::Pat;
    match pat {
        Pat::Tuple(pats, _) | Pat::Or(pats, _) => {
            for p in pats {
                walk_pat(v, p);
            }
        }
        Pat::TupleStruct { path, pats, .. } => {
            walk_path(v, path);
            for p in pats {
                walk_pat(v, p);
            }
        }
        Pat::Struct { path, fields, .. } => {
            walk_path(v, path);
            for (_, p) in fields {
                walk_pat(v, p);
            }
        }
        Pat::Path(path) => walk_path(v, path),
        Pat::Ref(p, _) => walk_pat(v, p),
        Pat::Ident { .. } | Pat::Wild | Pat::Rest(_) | Pat::Lit(..) | Pat::Unsupported(..) => {}
    }
}

fn walk_expr<V: VisitMut + ?Sized>(v: &mut V, e: &mut crate::body::Expr) {
    use crate::body::{Condition, ExprKind as E};
    let cond = |v: &mut V, c: &mut Condition| match c {
        Condition::Expr(e) => walk_expr(v, e),
        Condition::Let(p, e) => {
            walk_pat(v, p);
            walk_expr(v, e);
        }
    };
    match &mut e.kind {
        E::Lit(_) | E::Continue | E::Unsupported(_) => {}
        E::Path(p) => walk_path(v, p),
        E::Ref { expr, .. } => walk_expr(v, expr),
        E::Deref(x) | E::Unary(_, x) | E::Field(x, _) | E::Await(x) | E::Try(x) => walk_expr(v, x),
        E::Binary(_, a, b) | E::Assign(a, b) | E::Index(a, b) => {
            walk_expr(v, a);
            walk_expr(v, b);
        }
        E::Tuple(xs) | E::Array(xs) => {
            for x in xs {
                walk_expr(v, x);
            }
        }
        E::Struct { path, fields, base } => {
            walk_path(v, path);
            for (_, x) in fields {
                walk_expr(v, x);
            }
            if let Some(b) = base {
                walk_expr(v, b);
            }
        }
        E::Call(callee, args) => {
            walk_expr(v, callee);
            for a in args {
                walk_expr(v, a);
            }
        }
        E::MethodCall {
            receiver,
            turbofish,
            args,
            ..
        } => {
            walk_expr(v, receiver);
            walk_args(v, turbofish);
            for a in args {
                walk_expr(v, a);
            }
        }
        E::Closure {
            params, ret, body, ..
        } => {
            for (p, t) in params {
                walk_pat(v, p);
                if let Some(t) = t {
                    v.ty(t);
                }
            }
            if let Some(t) = ret {
                v.ty(t);
            }
            walk_expr(v, body);
        }
        E::Async { block, .. } | E::Block(block) | E::Unsafe(block) | E::Loop(block) => {
            walk_block(v, block)
        }
        E::If {
            cond: c,
            then,
            else_,
        } => {
            cond(v, c);
            walk_block(v, then);
            if let Some(x) = else_ {
                walk_expr(v, x);
            }
        }
        E::Match { scrutinee, arms } => {
            walk_expr(v, scrutinee);
            for arm in arms {
                walk_pat(v, &mut arm.pat);
                if let Some(g) = &mut arm.guard {
                    walk_expr(v, g);
                }
                walk_expr(v, &mut arm.body);
            }
        }
        E::While { cond: c, body } => {
            cond(v, c);
            walk_block(v, body);
        }
        E::For { pat, iter, body } => {
            walk_pat(v, pat);
            walk_expr(v, iter);
            walk_block(v, body);
        }
        E::Break(x) | E::Return(x) => {
            if let Some(x) = x {
                walk_expr(v, x);
            }
        }
        E::Range(a, b) => {
            if let Some(a) = a {
                walk_expr(v, a);
            }
            if let Some(b) = b {
                walk_expr(v, b);
            }
        }
        E::Cast(x, t) => {
            walk_expr(v, x);
            v.ty(t);
        }
        E::Macro { args, .. } => {
            for a in args {
                walk_expr(v, a);
            }
        }
    }
}
