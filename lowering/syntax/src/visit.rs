//! Walks over the syntax tree: a mutable one ([`VisitMut`]) and a shared one
//! ([`shared::Visit`]), made from one definition.
//!
//! The desugaring rules rewrite nodes that may sit anywhere in a file (a
//! shorthand projection inside a field type, a span inside a prelude item),
//! so one walker visits every node and each rule overrides only the hooks it
//! needs. The default of every hook is to walk into the node's children.

/// The walkers, written once: `VisitMut` and its `walk_*` functions take
/// `&mut` nodes, `shared::Visit` and its `walk_*` functions take `&` nodes,
/// so a pass that only reads the tree walks it without copying it first
/// (rule `walk-shared`).
macro_rules! walkers {
    ($Visit:ident, [$($m:tt)?], $iter:ident, $from:ident, $open:path) => {
        use crate::ast::*;

        pub trait $Visit {
            /// Called on every span in the tree, including those of identifiers.
            fn span(&mut self, _span: &$($m)? Span) {}

            fn ty(&mut self, ty: &$($m)? Ty) {
                walk_ty(self, ty);
            }

            /// Called on every list of where clauses, so that a rule can replace one
            /// clause by several.
            fn where_clauses(&mut self, wcs: &$($m)? Vec<QuantifiedWhereClause>) {
                for wc in wcs {
                    walk_quantified_where_clause(self, wc);
                }
            }

            fn goal(&mut self, goal: &$($m)? Goal) {
                walk_goal(self, goal);
            }

            fn lifetime(&mut self, l: &$($m)? Lifetime) {
                self.span(&$($m)? l.span);
            }

            /// Called on every list of declared parameters (of an item, a method, a
            /// quantifier or a binder), so that a rule can see every name bound.
            fn params(&mut self, params: &$($m)? [VariableKind]) {
                walk_params(self, params);
            }

            /// Called on every list of clauses (`if (..)` hypotheses), so that a rule
            /// can replace one clause by several.
            fn clauses(&mut self, clauses: &$($m)? Vec<Clause>) {
                for c in clauses {
                    walk_clause(self, c);
                }
            }
        }

        pub fn walk_ident<V: $Visit + ?Sized>(v: &mut V, ident: &$($m)? Ident) {
            v.span(&$($m)? ident.span);
        }

        pub fn walk_params<V: $Visit + ?Sized>(v: &mut V, params: &$($m)? [VariableKind]) {
            for p in params {
                walk_ident(v, &$($m)? p.name);
            }
        }

        fn walk_variances<V: $Visit + ?Sized>(v: &mut V, variances: &$($m)? Option<(Vec<Variance>, Span)>) {
            if let Some((_, s)) = variances {
                v.span(s);
            }
        }

        pub fn walk_item<V: $Visit + ?Sized>(v: &mut V, item: &$($m)? Item) {
            match item {
                Item::Adt(d) => {
                    let d = $open(d);
                    walk_ident(v, &$($m)? d.name);
                    v.params(&$($m)? d.params);
                    v.where_clauses(&$($m)? d.where_clauses);
                    for variant in &$($m)? d.variants {
                        walk_ident(v, &$($m)? variant.name);
                        for f in &$($m)? variant.fields {
                            walk_ident(v, &$($m)? f.name);
                            v.ty(&$($m)? f.ty);
                        }
                    }
                    if let Some(t) = &$($m)? d.repr.int {
                        v.ty(t);
                    }
                    walk_variances(v, &$($m)? d.variances);
                    v.span(&$($m)? d.span);
                }
                Item::Fn(d) => {
                    let d = $open(d);
                    walk_ident(v, &$($m)? d.name);
                    v.params(&$($m)? d.params);
                    v.where_clauses(&$($m)? d.where_clauses);
                    for t in &$($m)? d.argument_types {
                        v.ty(t);
                    }
                    v.ty(&$($m)? d.return_type);
                    walk_variances(v, &$($m)? d.variances);
                    v.span(&$($m)? d.span);
                }
                Item::Closure(d) => {
                    let d = $open(d);
                    walk_ident(v, &$($m)? d.name);
                    v.params(&$($m)? d.params);
                    for t in d
                        .argument_types
                        .$iter()
                        .chain(std::iter::once(&$($m)? d.return_type))
                        .chain(d.upvars.$iter())
                    {
                        v.ty(t);
                    }
                    v.span(&$($m)? d.span);
                }
                Item::Trait(d) => {
                    let d = $open(d);
                    walk_ident(v, &$($m)? d.name);
                    v.params(&$($m)? d.params);
                    v.where_clauses(&$($m)? d.where_clauses);
                    for a in &$($m)? d.assoc_ty_defns {
                        walk_ident(v, &$($m)? a.name);
                        v.params(&$($m)? a.params);
                        walk_inline_bounds(v, &$($m)? a.bounds);
                        v.where_clauses(&$($m)? a.where_clauses);
                        v.span(&$($m)? a.span);
                    }
                    for m in &$($m)? d.methods {
                        walk_method_sig(v, &$($m)? m.sig);
                    }
                    v.span(&$($m)? d.span);
                }
                Item::Impl(d) => {
                    let d = $open(d);
                    v.params(&$($m)? d.params);
                    walk_trait_ref(v, &$($m)? d.trait_ref);
                    v.where_clauses(&$($m)? d.where_clauses);
                    for a in &$($m)? d.assoc_ty_values {
                        walk_ident(v, &$($m)? a.name);
                        v.params(&$($m)? a.params);
                        v.ty(&$($m)? a.value);
                        v.span(&$($m)? a.span);
                    }
                    for m in &$($m)? d.methods {
                        walk_method_sig(v, &$($m)? m.sig);
                        match &$($m)? m.body {
                            ImplMethodBody::None => {}
                            ImplMethodBody::Holds(tys, span) => {
                                for t in tys {
                                    v.ty(t);
                                }
                                v.span(span);
                            }
                            ImplMethodBody::Hidden(t) => v.ty(t),
                            ImplMethodBody::Code(code) => v.span(&$($m)? code.span),
                        }
                    }
                    v.span(&$($m)? d.span);
                }
                Item::OpaqueTy(d) => {
                    let d = $open(d);
                    walk_ident(v, &$($m)? d.name);
                    v.params(&$($m)? d.params);
                    walk_inline_bounds(v, &$($m)? d.bounds);
                    v.where_clauses(&$($m)? d.where_clauses);
                    v.ty(&$($m)? d.hidden_ty);
                    v.span(&$($m)? d.span);
                }
                Item::Coroutine(d) => {
                    let d = $open(d);
                    walk_ident(v, &$($m)? d.name);
                    v.params(&$($m)? d.params);
                    for t in [&$($m)? d.resume_ty, &$($m)? d.yield_ty, &$($m)? d.return_ty]
                        .into_iter()
                        .chain(d.upvars.$iter())
                        .chain(d.witness_types.$iter())
                    {
                        v.ty(t);
                    }
                    for l in &$($m)? d.witness_lifetimes {
                        walk_ident(v, l);
                    }
                    v.span(&$($m)? d.span);
                }
                Item::Foreign(d) => {
                    let d = $open(d);
                    walk_ident(v, &$($m)? d.name);
                    v.span(&$($m)? d.span);
                }
                Item::Clause(c) => walk_clause(v, $open(c)),
            }
        }

        pub fn walk_method_sig<V: $Visit + ?Sized>(v: &mut V, sig: &$($m)? MethodSig) {
            walk_ident(v, &$($m)? sig.name);
            v.params(&$($m)? sig.params);
            if let Receiver::Ref(_, Some(l)) = &$($m)? sig.receiver {
                walk_lifetime(v, l);
            }
            for (name, ty) in &$($m)? sig.arguments {
                walk_ident(v, name);
                v.ty(ty);
            }
            if let Some(t) = &$($m)? sig.return_type {
                v.ty(t);
            }
            v.where_clauses(&$($m)? sig.where_clauses);
            v.span(&$($m)? sig.span);
        }

        pub fn walk_clause<V: $Visit + ?Sized>(v: &mut V, c: &$($m)? Clause) {
            v.params(&$($m)? c.params);
            walk_domain_goal(v, &$($m)? c.consequence);
            for g in &$($m)? c.conditions {
                v.goal(g);
            }
            v.span(&$($m)? c.span);
        }

        pub fn walk_ty<V: $Visit + ?Sized>(v: &mut V, ty: &$($m)? Ty) {
            match &$($m)? ty.kind {
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
            v.span(&$($m)? ty.span);
        }

        fn walk_rtn<V: $Visit + ?Sized>(v: &mut V, rtn: &$($m)? Rtn) {
            v.ty(&$($m)? rtn.self_ty);
            if let Some(t) = &$($m)? rtn.trait_ref {
                walk_trait_ref(v, t);
            }
            walk_ident(v, &$($m)? rtn.method);
            walk_args(v, &$($m)? rtn.args);
        }

        pub fn walk_lifetime<V: $Visit + ?Sized>(v: &mut V, l: &$($m)? Lifetime) {
            v.lifetime(l);
        }

        fn walk_const<V: $Visit + ?Sized>(v: &mut V, c: &$($m)? Const) {
            match c {
                Const::Name(n) => walk_ident(v, n),
                Const::Value(_, s) => v.span(s),
            }
        }

        pub fn walk_args<V: $Visit + ?Sized>(v: &mut V, args: &$($m)? [GenericArg]) {
            for a in args {
                match a {
                    GenericArg::Ty(t) => v.ty(t),
                    GenericArg::Lifetime(l) => walk_lifetime(v, l),
                    GenericArg::Const(c) => walk_const(v, c),
                }
            }
        }

        pub fn walk_trait_ref<V: $Visit + ?Sized>(v: &mut V, t: &$($m)? TraitRef) {
            walk_ident(v, &$($m)? t.trait_name);
            walk_args(v, &$($m)? t.args);
            v.span(&$($m)? t.span);
        }

        fn walk_projection<V: $Visit + ?Sized>(v: &mut V, p: &$($m)? ProjectionTy) {
            walk_trait_ref(v, &$($m)? p.trait_ref);
            walk_ident(v, &$($m)? p.name);
            walk_args(v, &$($m)? p.args);
        }

        pub fn walk_inline_bounds<V: $Visit + ?Sized>(v: &mut V, bounds: &$($m)? [QuantifiedInlineBound]) {
            for b in bounds {
                v.params(&$($m)? b.params);
                match &$($m)? b.bound {
                    InlineBound::Trait(t) => walk_trait_bound(v, t),
                    InlineBound::AliasEq(a) => {
                        walk_trait_bound(v, &$($m)? a.trait_bound);
                        walk_ident(v, &$($m)? a.name);
                        walk_args(v, &$($m)? a.args);
                        v.ty(&$($m)? a.value);
                    }
                    InlineBound::Outlives(l) => walk_lifetime(v, l),
                    InlineBound::Relaxed(name) => walk_ident(v, name),
                    InlineBound::Conditional(c) => {
                        v.where_clauses(&$($m)? c.conditions);
                        walk_inline_bounds(v, &$($m)? c.bounds);
                    }
                }
                v.span(&$($m)? b.span);
            }
        }

        fn walk_trait_bound<V: $Visit + ?Sized>(v: &mut V, t: &$($m)? TraitBound) {
            walk_ident(v, &$($m)? t.trait_name);
            walk_args(v, &$($m)? t.args);
            for a in &$($m)? t.assoc_bounds {
                walk_ident(v, &$($m)? a.name);
                walk_args(v, &$($m)? a.args);
                walk_inline_bounds(v, &$($m)? a.bounds);
                v.span(&$($m)? a.span);
            }
            v.span(&$($m)? t.span);
        }

        pub fn walk_quantified_where_clause<V: $Visit + ?Sized>(
            v: &mut V,
            wc: &$($m)? QuantifiedWhereClause,
        ) {
            v.params(&$($m)? wc.params);
            walk_where_clause(v, &$($m)? wc.where_clause);
            v.span(&$($m)? wc.span);
        }

        pub fn walk_where_clause<V: $Visit + ?Sized>(v: &mut V, wc: &$($m)? WhereClause) {
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

        pub fn walk_goal<V: $Visit + ?Sized>(v: &mut V, goal: &$($m)? Goal) {
            match &$($m)? goal.kind {
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
                    walk_args(v, std::slice::$from(a));
                    walk_args(v, std::slice::$from(b));
                }
                GoalKind::Leaf(LeafGoal::Subtype(a, b)) => {
                    v.ty(a);
                    v.ty(b);
                }
                GoalKind::Error => {}
            }
            v.span(&$($m)? goal.span);
        }

        pub fn walk_domain_goal<V: $Visit + ?Sized>(v: &mut V, d: &$($m)? DomainGoal) {
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
        pub fn walk_function<V: $Visit + ?Sized>(v: &mut V, f: &$($m)? crate::rust::Function) {
            use crate::rust::FnOwner;
            walk_ident(v, &$($m)? f.name);
            match &$($m)? f.owner {
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
            walk_params(v, &$($m)? f.params);
            v.where_clauses(&$($m)? f.where_clauses);
            if let Receiver::Ref(_, Some(l)) = &$($m)? f.receiver {
                v.lifetime(l);
            }
            for (_, ty) in &$($m)? f.arguments {
                v.ty(ty);
            }
            if let Some(t) = &$($m)? f.return_type {
                v.ty(t);
            }
            if let Some(body) = &$($m)? f.body {
                walk_block(v, body);
            }
        }

        /// The types written in a body.
        pub fn walk_block<V: $Visit + ?Sized>(v: &mut V, block: &$($m)? crate::body::Block) {
            use crate::body::Stmt;
            for s in &$($m)? block.stmts {
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
            if let Some(t) = &$($m)? block.tail {
                walk_expr(v, t);
            }
        }

        fn walk_path<V: $Visit + ?Sized>(v: &mut V, path: &$($m)? crate::body::ExprPath) {
            use crate::body::PathRes;
            match &$($m)? path.res {
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

        fn walk_pat<V: $Visit + ?Sized>(v: &mut V, pat: &$($m)? crate::body::Pat) {
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

        fn walk_expr<V: $Visit + ?Sized>(v: &mut V, e: &$($m)? crate::body::Expr) {
            use crate::body::{Condition, ExprKind as E};
            let cond = |v: &mut V, c: &$($m)? Condition| match c {
                Condition::Expr(e) => walk_expr(v, e),
                Condition::Let(p, e) => {
                    walk_pat(v, p);
                    walk_expr(v, e);
                }
            };
            match &$($m)? e.kind {
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
                        walk_pat(v, &$($m)? arm.pat);
                        if let Some(g) = &$($m)? arm.guard {
                            walk_expr(v, g);
                        }
                        walk_expr(v, &$($m)? arm.body);
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
    };
}

walkers!(VisitMut, [mut], iter_mut, from_mut, open_mut);

/// An item opened to be changed (rule `items-shared`): copied first if
/// another tree shares it.
pub fn open_mut<T: Clone>(item: &mut std::sync::Arc<T>) -> &mut T {
    std::sync::Arc::make_mut(item)
}

/// The walk over a shared tree: the same hooks and order as [`VisitMut`]'s,
/// for passes that only read.
pub mod shared {
    walkers!(Visit, [], iter, from_ref, open);

    /// An item read where it is.
    pub fn open<T>(item: &std::sync::Arc<T>) -> &T {
        item
    }
}
