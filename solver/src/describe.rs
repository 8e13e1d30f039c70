//! Types, lifetimes and lifetime constraints of chalk-ir, printed the way
//! Rust spells them and with the names the user wrote (`H: 'static`, not
//! `!1_0: 'static`), for verdict reasons. Anything this printer does not
//! know is printed as chalk's `Debug` prints it.

use chalk_ir::{
    AliasTy, Constraint, FloatTy, GenericArg, GenericArgData, IntTy, Lifetime, LifetimeData,
    Mutability, Scalar, Substitution, Ty, TyKind, UintTy, WhereClause,
};
use chalk_solve::RustIrDatabase;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;

use crate::peel::PlaceholderNames;

/// Prints chalk-ir terms of one goal's answer.
pub struct Describe<'p> {
    pub program: &'p Program,
    pub names: &'p PlaceholderNames,
}

impl Describe<'_> {
    /// `T: 'a` or `'a: 'b`.
    pub fn constraint(&self, c: &Constraint<Ir>) -> String {
        match c {
            Constraint::LifetimeOutlives(a, b) => {
                format!("{}: {}", self.lifetime(a), self.lifetime(b))
            }
            Constraint::TypeOutlives(t, l) => format!("{}: {}", self.ty(t), self.lifetime(l)),
        }
    }

    pub fn lifetime(&self, l: &Lifetime<Ir>) -> String {
        match l.data(Ir) {
            LifetimeData::Static => "'static".into(),
            LifetimeData::Erased => "'erased".into(),
            LifetimeData::Placeholder(p) => match self.names.name(p.ui.counter, p.idx) {
                Some(name) => format!("'{name}"),
                None => format!("{l:?}"),
            },
            // A lifetime the goal left existential, or one bound inside the
            // type: either is "some lifetime".
            _ => "'_".into(),
        }
    }

    pub fn ty(&self, ty: &Ty<Ir>) -> String {
        match ty.kind(Ir) {
            TyKind::Adt(id, s) => format!("{}{}", self.program.adt_name(*id), self.args(s)),
            TyKind::Placeholder(p) => match self.names.name(p.ui.counter, p.idx) {
                Some(name) => name.to_string(),
                None => format!("{ty:?}"),
            },
            TyKind::Scalar(s) => scalar(*s).to_string(),
            TyKind::Str => "str".into(),
            TyKind::Never => "!".into(),
            TyKind::Tuple(_, s) => {
                let parts: Vec<String> = s.iter(Ir).map(|a| self.arg(a)).collect();
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            TyKind::Ref(m, l, t) => {
                format!("&{} {}{}", self.lifetime(l), mutability(*m), self.ty(t))
            }
            TyKind::Raw(m, t) => {
                let m = match m {
                    Mutability::Mut => "mut",
                    Mutability::Not => "const",
                };
                format!("*{m} {}", self.ty(t))
            }
            TyKind::Slice(t) => format!("[{}]", self.ty(t)),
            TyKind::Dyn(d) => {
                let mut parts: Vec<String> = d
                    .bounds
                    .skip_binders()
                    .iter(Ir)
                    .filter_map(|b| match b.skip_binders() {
                        WhereClause::Implemented(tr) => Some(self.program.trait_name(tr.trait_id)),
                        _ => None,
                    })
                    .collect();
                parts.push(self.lifetime(&d.lifetime));
                format!("dyn {}", parts.join(" + "))
            }
            TyKind::Alias(AliasTy::Projection(p)) => {
                self.projection(p.associated_ty_id, &p.substitution)
            }
            TyKind::AssociatedType(id, s) => self.projection(*id, s),
            TyKind::Alias(AliasTy::Opaque(o)) => format!(
                "{}{}",
                self.program.opaque_type_name(o.opaque_ty_id),
                self.args(&o.substitution)
            ),
            TyKind::OpaqueType(id, s) => {
                format!("{}{}", self.program.opaque_type_name(*id), self.args(s))
            }
            TyKind::FnDef(id, s) => format!("{}{}", self.program.fn_def_name(*id), self.args(s)),
            _ => format!("{ty:?}"),
        }
    }

    /// `<T as Trait<A>>::Name<B>`.
    fn projection(&self, id: chalk_ir::AssocTypeId<Ir>, s: &Substitution<Ir>) -> String {
        let datum = self.program.associated_ty_data(id);
        let trait_params = self.program.trait_datum(datum.trait_id).binders.len(Ir);
        let args: Vec<&GenericArg<Ir>> = s.iter(Ir).collect();
        let (trait_args, own) = args.split_at(trait_params.min(args.len()));
        let self_ty = trait_args.first().map(|a| self.arg(a)).unwrap_or_default();
        let list = |xs: &[&GenericArg<Ir>]| {
            if xs.is_empty() {
                String::new()
            } else {
                let parts: Vec<String> = xs.iter().map(|a| self.arg(a)).collect();
                format!("<{}>", parts.join(", "))
            }
        };
        format!(
            "<{self_ty} as {}{}>::{}{}",
            self.program.trait_name(datum.trait_id),
            list(trait_args.get(1..).unwrap_or_default()),
            self.program.assoc_type_name(id),
            list(own)
        )
    }

    fn args(&self, s: &Substitution<Ir>) -> String {
        if s.is_empty(Ir) {
            return String::new();
        }
        let parts: Vec<String> = s.iter(Ir).map(|a| self.arg(a)).collect();
        format!("<{}>", parts.join(", "))
    }

    fn arg(&self, a: &GenericArg<Ir>) -> String {
        match a.data(Ir) {
            GenericArgData::Ty(t) => self.ty(t),
            GenericArgData::Lifetime(l) => self.lifetime(l),
            GenericArgData::Const(c) => format!("{c:?}"),
        }
    }
}

fn mutability(m: Mutability) -> &'static str {
    match m {
        Mutability::Mut => "mut ",
        Mutability::Not => "",
    }
}

fn scalar(s: Scalar) -> &'static str {
    match s {
        Scalar::Bool => "bool",
        Scalar::Char => "char",
        Scalar::Int(i) => match i {
            IntTy::Isize => "isize",
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::I128 => "i128",
        },
        Scalar::Uint(u) => match u {
            UintTy::Usize => "usize",
            UintTy::U8 => "u8",
            UintTy::U16 => "u16",
            UintTy::U32 => "u32",
            UintTy::U64 => "u64",
            UintTy::U128 => "u128",
        },
        Scalar::Float(f) => match f {
            FloatTy::F16 => "f16",
            FloatTy::F32 => "f32",
            FloatTy::F64 => "f64",
            FloatTy::F128 => "f128",
        },
    }
}
