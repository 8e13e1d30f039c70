//! The inference table of one body: types are chalkboard's syntax types,
//! and an unknown type is a variable written `?N` (`?iN` for an integer
//! literal's type, `?fN` for a float's), a name no source can write.
//!
//! Unification is structural; lifetimes are not unified (they are erased
//! while inferring, and named when the body's items are generated).

use chalkboard_syntax::ast::{self, Span};

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum VarKind {
    General,
    Int,
    Float,
}

#[derive(Default)]
pub struct Table {
    values: Vec<Option<ast::Ty>>,
    kinds: Vec<VarKind>,
}

/// The variable a type is, if it is one.
pub fn var_of(ty: &ast::Ty) -> Option<usize> {
    match &ty.kind {
        ast::TyKind::Name(n) => n
            .text
            .strip_prefix('?')
            .map(|rest| rest.trim_start_matches(['i', 'f']))
            .and_then(|digits| digits.parse().ok()),
        _ => None,
    }
}

fn is_int(s: ast::ScalarType) -> bool {
    matches!(s, ast::ScalarType::Int(_) | ast::ScalarType::Uint(_))
}

impl Table {
    pub fn new_var(&mut self, kind: VarKind, span: Span) -> ast::Ty {
        let n = self.values.len();
        self.values.push(None);
        self.kinds.push(kind);
        let prefix = match kind {
            VarKind::General => "?",
            VarKind::Int => "?i",
            VarKind::Float => "?f",
        };
        ast::Ty {
            kind: ast::TyKind::Name(ast::Ident {
                text: format!("{prefix}{n}"),
                span,
            }),
            span,
        }
    }

    /// The variables' values now, to go back to with [`Table::rollback`].
    pub fn snapshot(&self) -> Vec<Option<ast::Ty>> {
        self.values.clone()
    }

    /// Undoes every binding made since the snapshot (variables created
    /// since stay, unbound).
    pub fn rollback(&mut self, snapshot: Vec<Option<ast::Ty>>) {
        let n = snapshot.len();
        for (slot, value) in self.values.iter_mut().zip(snapshot) {
            *slot = value;
        }
        for slot in self.values.iter_mut().skip(n) {
            *slot = None;
        }
    }

    /// The type with its outermost variable replaced by its value.
    pub fn shallow(&self, ty: &ast::Ty) -> ast::Ty {
        let mut ty = ty.clone();
        while let Some(v) = var_of(&ty) {
            match self.values.get(v).and_then(|x| x.as_ref()) {
                Some(value) => ty = value.clone(),
                None => break,
            }
        }
        ty
    }

    /// The type with every bound variable replaced by its value.
    pub fn resolve(&self, ty: &ast::Ty) -> ast::Ty {
        let mut ty = self.shallow(ty);
        self.resolve_children(&mut ty);
        ty
    }

    fn resolve_children(&self, ty: &mut ast::Ty) {
        use ast::TyKind as T;
        let resolve_args = |args: &mut Vec<ast::GenericArg>| {
            for a in args {
                if let ast::GenericArg::Ty(t) = a {
                    *t = self.resolve(t);
                }
            }
        };
        match &mut ty.kind {
            T::Apply(_, args) => resolve_args(args),
            T::Ref(_, _, t) | T::Raw(_, t) | T::Slice(t) | T::Array(t, _) => **t = self.resolve(t),
            T::Tuple(ts) => {
                for t in ts {
                    *t = self.resolve(t);
                }
            }
            T::Projection(p) => {
                resolve_args(&mut p.trait_ref.args);
                resolve_args(&mut p.args);
            }
            T::FnPtr {
                argument_types,
                return_type,
                ..
            } => {
                for t in argument_types {
                    *t = self.resolve(t);
                }
                **return_type = self.resolve(return_type);
            }
            _ => {}
        }
    }

    /// Whether an unbound variable is left in the type.
    pub fn has_vars(&self, ty: &ast::Ty) -> bool {
        let ty = self.resolve(ty);
        let mut found = false;
        visit_types(&ty, &mut |t| {
            if var_of(t).is_some() {
                found = true;
            }
        });
        found
    }

    /// Gives every integer variable left `i32` and every float variable
    /// `f64`, as Rust's fallback does.
    pub fn default_literals(&mut self) {
        for i in 0..self.values.len() {
            if self.values[i].is_none() {
                let kind = match self.kinds[i] {
                    VarKind::Int => ast::ScalarType::Int(ast::IntTy::I32),
                    VarKind::Float => ast::ScalarType::Float(ast::FloatTy::F64),
                    VarKind::General => continue,
                };
                self.values[i] = Some(ast::Ty {
                    kind: ast::TyKind::Scalar(kind),
                    span: Span::default(),
                });
            }
        }
    }

    fn bind(&mut self, v: usize, ty: ast::Ty) -> bool {
        if let Some(w) = var_of(&ty) {
            if w == v {
                return true;
            }
            // An integer variable is more precise than a general one.
            if self.kinds[v] != VarKind::General && self.kinds[w] == VarKind::General {
                self.values[w] = Some(self.var_ty(v));
                return true;
            }
            if self.kinds[v] != VarKind::General && self.kinds[w] != self.kinds[v] {
                return false;
            }
            self.values[v] = Some(ty);
            return true;
        }
        match self.kinds[v] {
            VarKind::Int if !matches!(&ty.kind, ast::TyKind::Scalar(s) if is_int(*s)) => {
                return false
            }
            VarKind::Float
                if !matches!(&ty.kind, ast::TyKind::Scalar(ast::ScalarType::Float(_))) =>
            {
                return false
            }
            _ => {}
        }
        // The occurs check: `?1 = Vec<?1>` has no solution.
        let mut occurs = false;
        visit_types(&self.resolve(&ty), &mut |t| {
            if var_of(t) == Some(v) {
                occurs = true;
            }
        });
        if occurs {
            return false;
        }
        self.values[v] = Some(ty);
        true
    }

    fn var_ty(&self, v: usize) -> ast::Ty {
        let prefix = match self.kinds[v] {
            VarKind::General => "?",
            VarKind::Int => "?i",
            VarKind::Float => "?f",
        };
        ast::Ty {
            kind: ast::TyKind::Name(ast::Ident {
                text: format!("{prefix}{v}"),
                span: Span::default(),
            }),
            span: Span::default(),
        }
    }

    /// Makes two types equal, binding variables; false when they cannot be.
    /// A failed unification may leave some variables bound.
    pub fn unify(&mut self, a: &ast::Ty, b: &ast::Ty) -> bool {
        use ast::TyKind as T;
        let a = self.shallow(a);
        let b = self.shallow(b);
        if let Some(v) = var_of(&a) {
            return self.bind(v, b);
        }
        if let Some(v) = var_of(&b) {
            return self.bind(v, a);
        }
        match (&a.kind, &b.kind) {
            (T::Error, _) | (_, T::Error) => true,
            (T::Name(x), T::Name(y)) => x.text == y.text,
            (T::Name(x), T::Apply(y, args)) | (T::Apply(y, args), T::Name(x)) => {
                x.text == y.text && args.iter().all(|a| !matches!(a, ast::GenericArg::Ty(_)))
            }
            (T::Apply(x, xs), T::Apply(y, ys)) => {
                if x.text != y.text {
                    return false;
                }
                self.unify_args(xs, ys)
            }
            (T::Ref(m1, _, t1), T::Ref(m2, _, t2)) => m1 == m2 && self.unify(t1, t2),
            (T::Raw(m1, t1), T::Raw(m2, t2)) => m1 == m2 && self.unify(t1, t2),
            (T::Slice(t1), T::Slice(t2)) => self.unify(t1, t2),
            (T::Array(t1, c1), T::Array(t2, c2)) => c1 == c2 && self.unify(t1, t2),
            (T::Tuple(xs), T::Tuple(ys)) => {
                xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.unify(x, y))
            }
            (T::Scalar(x), T::Scalar(y)) => x == y,
            (T::Str, T::Str) | (T::Never, T::Never) => true,
            (
                T::FnPtr {
                    argument_types: a1,
                    return_type: r1,
                    ..
                },
                T::FnPtr {
                    argument_types: a2,
                    return_type: r2,
                    ..
                },
            ) => {
                a1.len() == a2.len()
                    && a1.iter().zip(a2).all(|(x, y)| self.unify(x, y))
                    && self.unify(r1, r2)
            }
            (T::Projection(p), T::Projection(q)) => {
                p.name.text == q.name.text
                    && p.trait_ref.trait_name.text == q.trait_ref.trait_name.text
                    && self.unify_args(&p.trait_ref.args, &q.trait_ref.args)
                    && self.unify_args(&p.args, &q.args)
            }
            (T::Dyn { .. }, T::Dyn { .. }) => {
                strip_lifetimes(&chalkboard_syntax::print::print_ty(&a))
                    == strip_lifetimes(&chalkboard_syntax::print::print_ty(&b))
            }
            _ => false,
        }
    }

    fn unify_args(&mut self, xs: &[ast::GenericArg], ys: &[ast::GenericArg]) -> bool {
        if xs.len() != ys.len() {
            return false;
        }
        xs.iter().zip(ys).all(|(x, y)| match (x, y) {
            (ast::GenericArg::Ty(x), ast::GenericArg::Ty(y)) => self.unify(x, y),
            (ast::GenericArg::Lifetime(_), ast::GenericArg::Lifetime(_)) => true,
            (ast::GenericArg::Const(a), ast::GenericArg::Const(b)) => a == b,
            _ => false,
        })
    }
}

fn strip_lifetimes(text: &str) -> String {
    text.split(" + '").next().unwrap_or(text).to_string()
}

/// Calls `f` on `ty` and every type inside it.
pub fn visit_types(ty: &ast::Ty, f: &mut dyn FnMut(&ast::Ty)) {
    use ast::TyKind as T;
    f(ty);
    let args = |args: &[ast::GenericArg], f: &mut dyn FnMut(&ast::Ty)| {
        for a in args {
            if let ast::GenericArg::Ty(t) = a {
                visit_types(t, f);
            }
        }
    };
    match &ty.kind {
        T::Apply(_, a) => args(a, f),
        T::Ref(_, _, t) | T::Raw(_, t) | T::Slice(t) | T::Array(t, _) => visit_types(t, f),
        T::Tuple(ts) => {
            for t in ts {
                visit_types(t, f);
            }
        }
        T::Projection(p) => {
            args(&p.trait_ref.args, f);
            args(&p.args, f);
        }
        T::FnPtr {
            argument_types,
            return_type,
            ..
        } => {
            for t in argument_types {
                visit_types(t, f);
            }
            visit_types(return_type, f);
        }
        _ => {}
    }
}
