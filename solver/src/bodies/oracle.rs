//! The body checker's questions to chalk: does a where clause hold in a
//! function's environment, and what does a projection normalize to.
//!
//! Every question is written as a goal of chalkboard's syntax
//! (`forall<P..> { if (WC..) { .. } }`), lowered against the program and
//! answered by chalk's SLG solver, bounded and guarded like every solve.
//! A normalization's answer comes back as chalk-ir; [`raise`] turns it into
//! syntax again, naming the environment's placeholders by their parameters.

use std::collections::HashMap;
use std::sync::Arc;

use chalk_ir::{GenericArgData, LifetimeData, TyKind};
use chalk_solve::split::Split;
use chalk_solve::Solution;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::build;

use crate::solve::{AnswerKind, Limits, Outcome, SolverPool};

/// The lifetime a body's own borrows get: a parameter of the environment
/// with no outlives facts, so nothing borrowed from the body is `'static`.
pub const BODY_LIFETIME: &str = "__body";

/// A function's environment: its parameters (with [`BODY_LIFETIME`]) and
/// its where clauses, in chalk's core syntax.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    pub params: Vec<ast::VariableKind>,
    pub where_clauses: Vec<ast::QuantifiedWhereClause>,
}

impl Env {
    /// `forall<P..> { if (WC..) { goal } }`
    pub fn close(&self, goal: ast::Goal) -> ast::Goal {
        build::forall(
            &self.params,
            build::implies(self.where_clauses.clone(), goal),
        )
    }
}

pub struct Oracle {
    program: Arc<Program>,
    pool: SolverPool,
    limits: Limits,
    cache: HashMap<String, Outcome>,
    /// How many questions chalk did not answer (a deadline, an overflow, a
    /// panic): an inference that needed them may be wrong, and says so.
    pub unanswered: usize,
}

impl Oracle {
    pub fn new(program: Arc<Program>, limits: Limits) -> Oracle {
        Oracle {
            program,
            pool: SolverPool::default(),
            limits,
            cache: HashMap::new(),
            unanswered: 0,
        }
    }

    pub fn program(&self) -> &Arc<Program> {
        &self.program
    }

    /// Asks the following questions of another program (one with
    /// stand-ins for the futures and closures of the bodies so far).
    pub fn set_program(&mut self, program: Arc<Program>) {
        self.program = program;
        self.pool = SolverPool::default();
        self.cache.clear();
    }

    /// The values of `vars` for which `wc` holds in `env`, when chalk's
    /// answer is unique (each `None` where the answer leaves it open).
    pub fn select(
        &mut self,
        env: &Env,
        vars: &[ast::VariableKind],
        wc: ast::WhereClause,
    ) -> Vec<Option<ast::Ty>> {
        let goal = env.close(build::goal(ast::GoalKind::Exists(
            vars.to_vec(),
            Box::new(build::where_clause_goal(wc)),
        )));
        let subst = match self.solve(&goal) {
            Outcome::Solved(Some(Solution::Unique(c))) => c.value.subst,
            Outcome::Solved(Some(Solution::Ambig(chalk_solve::Guidance::Definite(c)))) => c.value,
            _ => return vec![None; vars.len()],
        };
        let values = subst.as_slice(Ir).to_vec();
        (0..vars.len())
            .map(|i| {
                let v = values.get(i)?;
                let t = self.raise_arg(env, v)?;
                // A value that is itself an unknown is no answer.
                let text = chalkboard_syntax::print::print_ty(&t);
                (!text.contains('^')).then_some(t)
            })
            .collect()
    }

    /// chalk's answer to a closed goal, cached by its text.
    pub fn solve(&mut self, goal: &ast::Goal) -> Outcome {
        let key = chalkboard_syntax::print::print_goal(goal);
        if let Some(o) = self.cache.get(&key) {
            return o.clone();
        }
        let outcome = self.pool.prove(&self.program, goal, &self.limits);
        if matches!(
            outcome,
            Outcome::Timeout | Outcome::Overflow | Outcome::Panic(_)
        ) {
            self.unanswered += 1;
        }
        if std::env::var_os("CHALKBOARD_DEBUG_ORACLE").is_some() {
            eprintln!(
                "oracle: {key}\n  => {}",
                outcome.render(Some(&self.program))
            );
        }
        self.cache.insert(key, outcome.clone());
        outcome
    }

    /// Whether `wc` holds in `env`: `None` when chalk cannot say.
    pub fn holds(&mut self, env: &Env, wc: ast::WhereClause) -> Option<bool> {
        let goal = env.close(build::where_clause_goal(wc));
        match self.solve(&goal).kind() {
            AnswerKind::Unique => Some(true),
            AnswerKind::NoSolution => Some(false),
            _ => None,
        }
    }

    /// What `projection` normalizes to in `env`, when chalk knows.
    pub fn normalize(&mut self, env: &Env, projection: &ast::ProjectionTy) -> Option<ast::Ty> {
        let var = "?normalized";
        let goal = env.close(build::goal(ast::GoalKind::Exists(
            vec![ast::VariableKind {
                kind: ast::ParamKind::Ty,
                name: build::ident(var, Span::default()),
            }],
            Box::new(build::goal(ast::GoalKind::Leaf(ast::LeafGoal::DomainGoal(
                ast::DomainGoal::Normalize {
                    projection: projection.clone(),
                    ty: build::name_ty(var, Span::default()),
                },
            )))),
        )));
        let outcome = self.solve(&goal);
        let Outcome::Solved(Some(solution)) = outcome else {
            return None;
        };
        let subst = match &solution {
            Solution::Unique(c) => c.value.subst.clone(),
            Solution::Ambig(chalk_solve::Guidance::Definite(c)) => c.value.clone(),
            // chalk answers `<X as Tr>::A = ?T` ambiguously when `X` is
            // itself a projection: `?T` may be the value the bounds give,
            // or the projection left rigid. Enumerate the answers and take
            // the one value that is not the projection itself.
            Solution::Ambig(_) => return self.enumerate_normalized(env, &goal, projection),
        };
        let value = subst.as_slice(Ir).first()?.clone();
        self.raise_arg(env, &value)
    }

    fn raise_arg(&self, env: &Env, value: &chalk_ir::GenericArg<Ir>) -> Option<ast::Ty> {
        let names: Vec<&ast::VariableKind> = env.params.iter().collect();
        match value.data(Ir) {
            GenericArgData::Ty(t) => {
                chalkboard_lowering::with_program(&self.program, || raise(&self.program, t, &names))
            }
            _ => None,
        }
    }

    fn enumerate_normalized(
        &mut self,
        env: &Env,
        goal: &ast::Goal,
        projection: &ast::ProjectionTy,
    ) -> Option<ast::Ty> {
        let outcome = self.pool.enumerate(&self.program, goal, &self.limits, 4);
        if std::env::var_os("CHALKBOARD_DEBUG_ORACLE").is_some() {
            eprintln!(
                "  enumerated: {:?}",
                outcome.render_answers(Some(&self.program))
            );
        }
        let crate::solve::Outcome::Enumerated { answers, .. } = outcome else {
            return None;
        };
        let itself = chalkboard_syntax::print::print_ty(&ast::Ty {
            kind: ast::TyKind::Projection(projection.clone()),
            span: Span::default(),
        });
        // The answers are the same type, more or less normalized: take the
        // most normalized one (fewest projections left), if it is one type.
        let mut values: Vec<(usize, String, ast::Ty)> = Vec::new();
        for a in answers {
            let crate::solve::EnumeratedAnswer::Definite(c) = a else {
                continue;
            };
            let Some(value) = c.value.subst.as_slice(Ir).first().cloned() else {
                continue;
            };
            let Some(t) = self.raise_arg(env, &value) else {
                continue;
            };
            let text = chalkboard_syntax::print::print_ty(&t);
            if text == itself {
                continue;
            }
            let mut projections = 0;
            super::table::visit_types(&t, &mut |x| {
                if matches!(x.kind, ast::TyKind::Projection(_)) {
                    projections += 1;
                }
            });
            if !values.iter().any(|(_, v, _)| *v == text) {
                values.push((projections, text, t));
            }
        }
        let least = values.iter().map(|(n, _, _)| *n).min();
        let values: Vec<ast::Ty> = values
            .into_iter()
            .filter(|(n, _, _)| Some(*n) == least)
            .map(|(_, _, t)| t)
            .collect();
        match <[ast::Ty; 1]>::try_from(values) {
            Ok([one]) => Some(one),
            Err(_) => None,
        }
    }
}

/// A chalk type as syntax, with the environment's placeholders named by
/// `params` (in order). `None` for what has no syntax here (an inference
/// variable left in the answer, a closure, a `dyn` type).
pub fn raise(
    program: &Program,
    ty: &chalk_ir::Ty<Ir>,
    params: &[&ast::VariableKind],
) -> Option<ast::Ty> {
    let span = Span::default();
    let mk = |kind| Some(ast::Ty { kind, span });
    let args = |subst: &chalk_ir::Substitution<Ir>| -> Option<Vec<ast::GenericArg>> {
        subst
            .as_slice(Ir)
            .iter()
            .map(|a| raise_arg(program, a, params))
            .collect()
    };
    match ty.kind(Ir) {
        TyKind::Adt(id, subst) => {
            let name = build::ident(program.item_name(id.0)?, span);
            let args = args(subst)?;
            if args.is_empty() {
                mk(ast::TyKind::Name(name))
            } else {
                mk(ast::TyKind::Apply(name, args))
            }
        }
        TyKind::Scalar(s) => mk(ast::TyKind::Scalar(scalar(*s))),
        TyKind::Tuple(_, subst) => {
            let tys = args(subst)?
                .into_iter()
                .map(|a| match a {
                    ast::GenericArg::Ty(t) => Some(t),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            mk(ast::TyKind::Tuple(tys))
        }
        TyKind::Ref(m, l, t) => mk(ast::TyKind::Ref(
            mutability(*m),
            Some(raise_lifetime(l, params)),
            Box::new(raise(program, t, params)?),
        )),
        TyKind::Raw(m, t) => mk(ast::TyKind::Raw(
            mutability(*m),
            Box::new(raise(program, t, params)?),
        )),
        TyKind::Str => mk(ast::TyKind::Str),
        TyKind::Never => mk(ast::TyKind::Never),
        TyKind::Slice(t) => mk(ast::TyKind::Slice(Box::new(raise(program, t, params)?))),
        TyKind::Placeholder(p) => {
            // One `forall` binds the whole environment, so a placeholder's
            // index is its parameter's position.
            let param = params.get(p.idx)?;
            mk(ast::TyKind::Name(param.name.clone()))
        }
        TyKind::Alias(chalk_ir::AliasTy::Projection(proj)) => {
            let (datum, trait_params, own) = program.split_projection(proj);
            raise_projection(
                program,
                datum.trait_id,
                &datum.name,
                trait_params,
                own,
                params,
            )
        }
        TyKind::AssociatedType(assoc, subst) => {
            let datum = chalk_solve::RustIrDatabase::associated_ty_data(program, *assoc);
            let trait_arity = chalk_solve::RustIrDatabase::trait_datum(program, datum.trait_id)
                .binders
                .len(Ir);
            let all = subst.as_slice(Ir);
            let (trait_params, own) = all.split_at(trait_arity.min(all.len()));
            raise_projection(
                program,
                datum.trait_id,
                &datum.name,
                trait_params,
                own,
                params,
            )
        }
        _ => None,
    }
}

fn raise_projection(
    program: &Program,
    trait_id: chalk_ir::TraitId<Ir>,
    name: &str,
    trait_params: &[chalk_ir::GenericArg<Ir>],
    own: &[chalk_ir::GenericArg<Ir>],
    params: &[&ast::VariableKind],
) -> Option<ast::Ty> {
    let span = Span::default();
    let trait_args = trait_params
        .iter()
        .map(|a| raise_arg(program, a, params))
        .collect::<Option<Vec<_>>>()?;
    let own = own
        .iter()
        .map(|a| raise_arg(program, a, params))
        .collect::<Option<Vec<_>>>()?;
    Some(ast::Ty {
        kind: ast::TyKind::Projection(ast::ProjectionTy {
            trait_ref: ast::TraitRef {
                trait_name: build::ident(program.item_name(trait_id.0)?, span),
                args: trait_args,
                span,
            },
            name: build::ident(name, span),
            args: own,
        }),
        span,
    })
}

fn raise_arg(
    program: &Program,
    arg: &chalk_ir::GenericArg<Ir>,
    params: &[&ast::VariableKind],
) -> Option<ast::GenericArg> {
    match arg.data(Ir) {
        GenericArgData::Ty(t) => raise(program, t, params).map(ast::GenericArg::Ty),
        GenericArgData::Lifetime(l) => Some(ast::GenericArg::Lifetime(raise_lifetime(l, params))),
        GenericArgData::Const(_) => None,
    }
}

fn raise_lifetime(l: &chalk_ir::Lifetime<Ir>, params: &[&ast::VariableKind]) -> ast::Lifetime {
    let span = Span::default();
    let kind = match l.data(Ir) {
        LifetimeData::Static => ast::LifetimeKind::Static,
        LifetimeData::Placeholder(p) => match params.get(p.idx) {
            Some(param) => ast::LifetimeKind::Named(param.name.text.clone()),
            None => ast::LifetimeKind::Named(BODY_LIFETIME.into()),
        },
        _ => ast::LifetimeKind::Named(BODY_LIFETIME.into()),
    };
    ast::Lifetime { kind, span }
}

fn mutability(m: chalk_ir::Mutability) -> ast::Mutability {
    match m {
        chalk_ir::Mutability::Mut => ast::Mutability::Mut,
        chalk_ir::Mutability::Not => ast::Mutability::Not,
    }
}

fn scalar(s: chalk_ir::Scalar) -> ast::ScalarType {
    use ast::{FloatTy as F, IntTy as I, ScalarType as S, UintTy as U};
    use chalk_ir::{FloatTy, IntTy, Scalar, UintTy};
    match s {
        Scalar::Bool => S::Bool,
        Scalar::Char => S::Char,
        Scalar::Int(i) => S::Int(match i {
            IntTy::Isize => I::Isize,
            IntTy::I8 => I::I8,
            IntTy::I16 => I::I16,
            IntTy::I32 => I::I32,
            IntTy::I64 => I::I64,
            IntTy::I128 => I::I128,
        }),
        Scalar::Uint(u) => S::Uint(match u {
            UintTy::Usize => U::Usize,
            UintTy::U8 => U::U8,
            UintTy::U16 => U::U16,
            UintTy::U32 => U::U32,
            UintTy::U64 => U::U64,
            UintTy::U128 => U::U128,
        }),
        Scalar::Float(f) => S::Float(match f {
            FloatTy::F16 => F::F16,
            FloatTy::F32 => F::F32,
            FloatTy::F64 => F::F64,
            FloatTy::F128 => F::F128,
        }),
    }
}
