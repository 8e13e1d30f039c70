//! Conditional bounds at the impl, and the promise audit.
//!
//! A conditional bound `type Fut<'a>: if (Self: Send) { Send };` promises
//! callers that `Fut` is `Send` whenever `Self` is (rule
//! conditional-bound-to-clause, in lowering). Each impl must keep that
//! promise. How an impl proves the implication is a design choice:
//!
//! - **assume** (rule implication-assume): assume `Self: Send`, prove the
//!   future `Send`. The standard way to prove an implication; it rejects a
//!   future holding an `Rc` even when `Self` is not `Send`, and the
//!   assumption can make `&mut Self: Send` provable for a `Self` that is not.
//! - **decide** (rule implication-decide): first ask whether `Self: Send`
//!   holds with no assumptions; only if it does, require the future `Send`.
//!   Negative reasoning: for a generic impl `forall<T> W<T>: Send` fails, so
//!   the impl is accepted, yet `W<u32>: Send` holds and its future may not be.
//!
//! The promise audit (rule promise-audit) then compares, for every concrete
//! instantiation of every accepted impl, what callers may conclude with what
//! is true of the concrete future.

use std::sync::Arc;

use chalk_solve::ext::GoalExt;
use chalkboard_lowering::desugar::visit::{self, VisitMut};
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::Diagnostic;

use crate::solve::{Limits, Outcome, Request, SolverPool};
use ast::SolverSpec;

/// How an impl proves `if (C) { Fut: B }`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Implication {
    /// Assume `C`, prove `Fut: B` (rule implication-assume).
    #[default]
    Assume,
    /// Prove `C` without assumptions; only then require `Fut: B` (rule implication-decide).
    Decide,
}

impl Implication {
    pub fn name(self) -> &'static str {
        match self {
            Implication::Assume => "assume",
            Implication::Decide => "decide",
        }
    }
}

/// The verdict of one check.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Verdict {
    Holds { reason: String },
    Fails { reason: String },
    Ambiguous { reason: String },
}

impl Verdict {
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Holds { .. } => "holds",
            Verdict::Fails { .. } => "fails",
            Verdict::Ambiguous { .. } => "ambiguous",
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Verdict::Holds { reason }
            | Verdict::Fails { reason }
            | Verdict::Ambiguous { reason } => reason,
        }
    }
}

/// One impl's obligation from one conditional bound.
#[derive(Clone, Debug)]
pub struct ImplObligation {
    /// e.g. `impl AsyncIterator for MyCustomIterator: next`
    pub name: String,
    pub impl_span: Span,
    pub verdict: Verdict,
    /// A diagnostic at the impl when the obligation fails.
    pub diagnostic: Option<Diagnostic>,
    /// Whether the impl is accepted (the obligation held or was vacuous).
    pub accepted: bool,
}

/// A promise callers may rely on that the concrete future breaks.
#[derive(Clone, Debug)]
pub struct BrokenPromise {
    pub name: String,
    pub impl_span: Span,
    /// The instantiation that shows it, e.g. `W<u32>`.
    pub instantiation: String,
    pub diagnostic: Diagnostic,
}

/// Everything the conditional-bound checks found in one program.
#[derive(Clone, Debug, Default)]
pub struct ConditionalReport {
    pub obligations: Vec<ImplObligation>,
    pub broken_promises: Vec<BrokenPromise>,
}

/// A conditional bound on an associated type, found in the syntax tree.
struct CondBound<'a> {
    trait_name: &'a str,
    assoc: &'a ast::AssocTyDefn,
    cond: &'a ast::ConditionalBound,
}

fn conditional_bounds(file: &ast::File) -> Vec<CondBound<'_>> {
    let mut out = Vec::new();
    for item in &file.items {
        if let ast::Item::Trait(t) = item {
            for a in &t.assoc_ty_defns {
                for b in &a.bounds {
                    if let ast::InlineBound::Conditional(cond) = &b.bound {
                        out.push(CondBound {
                            trait_name: &t.name.text,
                            assoc: a,
                            cond,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Checks every impl against every conditional bound of its trait, then
/// audits the promises of the impls that were accepted.
pub fn check(
    file: &ast::File,
    program: &Arc<Program>,
    implication: Implication,
    design: crate::designs::Design,
    limits: &Limits,
) -> ConditionalReport {
    // Who demands the bound, for the diagnostics: a design's rewrite, or a
    // conditional bound written by hand.
    let demanded_by = match design {
        crate::designs::Design::Implied => "the implied design (`--design implied`)",
        crate::designs::Design::Boxed => "the boxed design (`--design boxed`)",
        crate::designs::Design::Explicit => "the trait's conditional bound",
    };
    let bounds = conditional_bounds(file);
    let mut report = ConditionalReport::default();
    if bounds.is_empty() {
        return report;
    }
    let truth = Arc::new(program.without_conditional_clauses());
    // Computed once for the whole program, not once per impl, which made
    // the audit grow with the square of the program.
    let candidates = candidate_types(file);
    for (done, item) in file.items.iter().enumerate() {
        // The checks share the deadline of the check phase (rule check-deadline).
        if crate::solve::phase_checkpoint(done, file.items.len()) {
            break;
        }
        let ast::Item::Impl(imp) = item else { continue };
        // Each impl's goals get solvers of their own: solvers shared by
        // every impl keep the tables of all of them, which made the check
        // slower with every impl and held them all in memory.
        let mut pool = SolverPool::default();
        let mut truth_pool = SolverPool::default();
        if imp.polarity == ast::Polarity::Negative {
            continue;
        }
        for bound in bounds
            .iter()
            .filter(|b| b.trait_name == imp.trait_ref.trait_name.text)
        {
            let Some(value) = imp
                .assoc_ty_values
                .iter()
                .find(|v| v.name.text == bound.assoc.name.text)
            else {
                continue;
            };
            let mut solve = |goal: &ast::Goal| prove(program, &mut pool, goal, limits);
            let obligation = check_impl(
                file,
                imp,
                value,
                bound,
                implication,
                demanded_by,
                &mut solve,
            );
            let accepted = obligation.accepted;
            report.obligations.push(obligation);
            if accepted {
                let mut solve_truth =
                    |goal: &ast::Goal| prove(&truth, &mut truth_pool, goal, limits);
                report.broken_promises.extend(audit(
                    &candidates,
                    imp,
                    value,
                    bound,
                    &mut solve_truth,
                ));
            }
        }
    }
    report
}

/// The answer to one goal on the SLG solver (the solver chalk's own checks use).
fn prove(
    program: &Arc<Program>,
    pool: &mut SolverPool,
    goal: &ast::Goal,
    limits: &Limits,
) -> Outcome {
    let lowered = chalkboard_lowering::interner::with_program(program, || {
        program.lower_goal(goal).map_err(Box::new)
    });
    match lowered {
        Ok(goal) => pool.solve(
            program,
            goal.into_peeled_goal(Ir),
            SolverSpec::SLG_DEFAULT,
            Request::Aggregated,
            limits,
        ),
        Err(d) => Outcome::Panic(format!(
            "the check's goal could not be lowered: {}",
            d.message
        )),
    }
}

fn holds(outcome: &Outcome) -> Option<bool> {
    match outcome {
        Outcome::Answer(a) if a.starts_with("Unique") => Some(true),
        Outcome::Answer(a) if a.starts_with("No possible solution") => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Building goals from the syntax tree.

fn sp() -> Span {
    Span::default()
}

fn goal(kind: ast::GoalKind) -> ast::Goal {
    ast::Goal { kind, span: sp() }
}

fn where_clause_goal(wc: ast::WhereClause) -> ast::Goal {
    goal(ast::GoalKind::Leaf(ast::LeafGoal::DomainGoal(
        ast::DomainGoal::Holds(wc),
    )))
}

fn forall(params: &[ast::VariableKind], g: ast::Goal) -> ast::Goal {
    if params.is_empty() {
        g
    } else {
        goal(ast::GoalKind::ForAll(params.to_vec(), Box::new(g)))
    }
}

fn implies(hypotheses: Vec<ast::QuantifiedWhereClause>, g: ast::Goal) -> ast::Goal {
    if hypotheses.is_empty() {
        return g;
    }
    let clauses = hypotheses
        .into_iter()
        .map(|qwc| ast::Clause {
            params: qwc.params,
            consequence: ast::DomainGoal::Holds(qwc.where_clause),
            conditions: Vec::new(),
            span: sp(),
        })
        .collect();
    goal(ast::GoalKind::Implies(clauses, Box::new(g)))
}

fn all(goals: Vec<ast::Goal>) -> ast::Goal {
    match goals.len() {
        1 => goals
            .into_iter()
            .next()
            .unwrap_or_else(|| goal(ast::GoalKind::Error)),
        _ => goal(ast::GoalKind::And(goals)),
    }
}

/// `V: B` for each bound in `bounds`, as goals.
fn bound_goals(ty: &ast::Ty, bounds: &[ast::QuantifiedInlineBound]) -> Vec<ast::Goal> {
    let mut out = Vec::new();
    for b in bounds {
        match &b.bound {
            ast::InlineBound::Trait(tb) => {
                let mut args = vec![ast::GenericArg::Ty(ty.clone())];
                args.extend(tb.args.iter().cloned());
                out.push(forall(
                    &b.params,
                    where_clause_goal(ast::WhereClause::Implemented(ast::TraitRef {
                        trait_name: tb.trait_name.clone(),
                        args,
                        span: sp(),
                    })),
                ));
            }
            ast::InlineBound::AliasEq(ab) => {
                let mut args = vec![ast::GenericArg::Ty(ty.clone())];
                args.extend(ab.trait_bound.args.iter().cloned());
                let trait_ref = ast::TraitRef {
                    trait_name: ab.trait_bound.trait_name.clone(),
                    args,
                    span: sp(),
                };
                out.push(forall(
                    &b.params,
                    all(vec![
                        where_clause_goal(ast::WhereClause::Implemented(trait_ref.clone())),
                        where_clause_goal(ast::WhereClause::AliasEq {
                            projection: ast::ProjectionTy {
                                trait_ref,
                                name: ab.name.clone(),
                                args: ab.args.clone(),
                            },
                            ty: ab.value.clone(),
                        }),
                    ]),
                ));
            }
            // Outlives bounds say nothing chalk answers; nested conditionals
            // are not part of the language.
            ast::InlineBound::Outlives(_) | ast::InlineBound::Conditional(_) => {}
        }
    }
    out
}

/// Replaces every bare type name in `map` (e.g. `Self`, an impl parameter)
/// by its type, wherever it occurs.
struct SubstNames<'m> {
    map: &'m [(String, ast::Ty)],
}

impl VisitMut for SubstNames<'_> {
    fn ty(&mut self, ty: &mut ast::Ty) {
        if let ast::TyKind::Name(n) = &ty.kind {
            if let Some((_, t)) = self.map.iter().find(|(k, _)| *k == n.text) {
                *ty = t.clone();
                return;
            }
        }
        visit::walk_ty(self, ty);
    }
}

fn subst_ty(ty: &mut ast::Ty, map: &[(String, ast::Ty)]) {
    SubstNames { map }.ty(ty);
}

fn subst_bound(b: &mut ast::QuantifiedInlineBound, map: &[(String, ast::Ty)]) {
    visit::walk_inline_bounds(&mut SubstNames { map }, std::slice::from_mut(b));
}

fn subst_where_clause(qwc: &mut ast::QuantifiedWhereClause, map: &[(String, ast::Ty)]) {
    visit::walk_quantified_where_clause(&mut SubstNames { map }, qwc);
}

/// The impl's self type.
fn self_ty(imp: &ast::ImplDefn) -> Option<&ast::Ty> {
    match imp.trait_ref.args.first() {
        Some(ast::GenericArg::Ty(t)) => Some(t),
        _ => None,
    }
}

/// The conditions of the bound, with `Self` replaced by the impl's self type.
fn conditions_for(bound: &CondBound<'_>, self_ty: &ast::Ty) -> Vec<ast::QuantifiedWhereClause> {
    let map = [("Self".to_string(), self_ty.clone())];
    bound
        .cond
        .conditions
        .iter()
        .map(|c| {
            let mut c = c.clone();
            subst_where_clause(&mut c, &map);
            c
        })
        .collect()
}

/// `B` with `Self` replaced by the impl's self type.
fn bounds_for(bound: &CondBound<'_>, self_ty: &ast::Ty) -> Vec<ast::QuantifiedInlineBound> {
    let map = [("Self".to_string(), self_ty.clone())];
    bound
        .cond
        .bounds
        .iter()
        .map(|b| {
            let mut b = b.clone();
            subst_bound(&mut b, &map);
            b
        })
        .collect()
}

/// Short source-like text of a type, for messages.
pub fn ty_text(ty: &ast::Ty) -> String {
    match &ty.kind {
        ast::TyKind::Name(n) => n.text.clone(),
        ast::TyKind::Apply(n, args) => format!(
            "{}<{}>",
            n.text,
            args.iter().map(arg_text).collect::<Vec<_>>().join(", ")
        ),
        ast::TyKind::Ref(m, l, t) => format!(
            "&{}{}{}",
            l.as_ref()
                .map(lifetime_text)
                .map(|l| format!("{l} "))
                .unwrap_or_default(),
            if *m == ast::Mutability::Mut {
                "mut "
            } else {
                ""
            },
            ty_text(t)
        ),
        ast::TyKind::Tuple(tys) => format!(
            "({})",
            tys.iter().map(ty_text).collect::<Vec<_>>().join(", ")
        ),
        ast::TyKind::Scalar(s) => scalar_text(*s).to_string(),
        ast::TyKind::Str => "str".to_string(),
        ast::TyKind::Never => "!".to_string(),
        ast::TyKind::Slice(t) => format!("[{}]", ty_text(t)),
        ast::TyKind::Projection(p) => format!(
            "<{} as {}>::{}",
            p.trait_ref.args.first().map(arg_text).unwrap_or_default(),
            p.trait_ref.trait_name.text,
            p.name.text
        ),
        _ => "_".to_string(),
    }
}

fn scalar_text(s: ast::ScalarType) -> &'static str {
    use ast::{FloatTy as F, IntTy as I, ScalarType as S, UintTy as U};
    match s {
        S::Bool => "bool",
        S::Char => "char",
        S::Int(I::Isize) => "isize",
        S::Int(I::I8) => "i8",
        S::Int(I::I16) => "i16",
        S::Int(I::I32) => "i32",
        S::Int(I::I64) => "i64",
        S::Int(I::I128) => "i128",
        S::Uint(U::Usize) => "usize",
        S::Uint(U::U8) => "u8",
        S::Uint(U::U16) => "u16",
        S::Uint(U::U32) => "u32",
        S::Uint(U::U64) => "u64",
        S::Uint(U::U128) => "u128",
        S::Float(F::F16) => "f16",
        S::Float(F::F32) => "f32",
        S::Float(F::F64) => "f64",
        S::Float(F::F128) => "f128",
    }
}

fn lifetime_text(l: &ast::Lifetime) -> String {
    match &l.kind {
        ast::LifetimeKind::Named(n) => format!("'{n}"),
        ast::LifetimeKind::Static => "'static".into(),
        ast::LifetimeKind::Erased => "'erased".into(),
    }
}

fn arg_text(a: &ast::GenericArg) -> String {
    match a {
        ast::GenericArg::Ty(t) => ty_text(t),
        ast::GenericArg::Lifetime(l) => lifetime_text(l),
        ast::GenericArg::Const(ast::Const::Value(v, _)) => v.to_string(),
        ast::GenericArg::Const(ast::Const::Name(n)) => n.text.clone(),
    }
}

fn bounds_text(bounds: &[ast::QuantifiedInlineBound]) -> String {
    bounds
        .iter()
        .filter_map(|b| match &b.bound {
            ast::InlineBound::Trait(tb) => Some(tb.trait_name.text.clone()),
            ast::InlineBound::AliasEq(ab) => Some(ab.trait_bound.trait_name.text.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn conditions_text(conds: &[ast::QuantifiedWhereClause]) -> String {
    if conds.is_empty() {
        return "nothing".to_string();
    }
    conds
        .iter()
        .map(|c| match &c.where_clause {
            ast::WhereClause::Implemented(t) => format!(
                "`{}: {}`",
                t.args.first().map(arg_text).unwrap_or_default(),
                t.trait_name.text
            ),
            _ => "its condition".to_string(),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The fields of the value type, when it is a struct of the program: the
/// held types a failing future is blamed on.
fn fields_of(file: &ast::File, value: &ast::Ty) -> Vec<ast::Ty> {
    let (name, args) = match &value.kind {
        ast::TyKind::Name(n) => (&n.text, Vec::new()),
        ast::TyKind::Apply(n, args) => (&n.text, args.clone()),
        _ => return Vec::new(),
    };
    for item in &file.items {
        if let ast::Item::Adt(adt) = item {
            if &adt.name.text == name {
                let map: Vec<(String, ast::Ty)> = adt
                    .params
                    .iter()
                    .zip(&args)
                    .filter_map(|(p, a)| match a {
                        ast::GenericArg::Ty(t) => Some((p.name.text.clone(), t.clone())),
                        _ => None,
                    })
                    .collect();
                return adt
                    .variants
                    .iter()
                    .flat_map(|v| &v.fields)
                    .map(|f| {
                        let mut t = f.ty.clone();
                        subst_ty(&mut t, &map);
                        t
                    })
                    .collect();
            }
        }
    }
    Vec::new()
}

/// Rule implication-assume / implication-decide: one impl against one
/// conditional bound.
fn check_impl(
    file: &ast::File,
    imp: &ast::ImplDefn,
    value: &ast::AssocTyValue,
    bound: &CondBound<'_>,
    implication: Implication,
    demanded_by: &str,
    solve: &mut dyn FnMut(&ast::Goal) -> Outcome,
) -> ImplObligation {
    let self_ty = self_ty(imp).cloned().unwrap_or(ast::Ty {
        kind: ast::TyKind::Error,
        span: sp(),
    });
    let self_text = ty_text(&self_ty);
    let name = format!(
        "impl {} for {}: {}",
        imp.trait_ref.trait_name.text, self_text, value.name.text
    );
    let conditions = conditions_for(bound, &self_ty);
    let bounds = bounds_for(bound, &self_ty);
    let bounds_text = bounds_text(&bounds);
    let impl_wcs = imp.where_clauses.clone();
    let span = imp.span;

    // `forall<impl params> { if (impl WCs [; C]) { forall<value params> { V: B } } }`
    let promise_goal = |with_conditions: bool| {
        let mut hyps = impl_wcs.clone();
        if with_conditions {
            hyps.extend(conditions.clone());
        }
        forall(
            &imp.params,
            implies(
                hyps,
                forall(&value.params, all(bound_goals(&value.value, &bounds))),
            ),
        )
    };

    let condition_goal = || {
        forall(
            &imp.params,
            implies(
                impl_wcs.clone(),
                all(conditions
                    .iter()
                    .cloned()
                    .map(|c| where_clause_goal(c.where_clause))
                    .collect()),
            ),
        )
    };
    // An unconditional promise (the boxed design) has nothing to decide.
    let condition_holds = if conditions.is_empty() {
        Some(true)
    } else {
        holds(&solve(&condition_goal()))
    };
    if implication == Implication::Decide {
        match condition_holds {
            Some(false) => {
                return ImplObligation {
                    name,
                    impl_span: span,
                    verdict: Verdict::Holds {
                        reason: format!(
                            "vacuous: {} does not hold, so nothing is required",
                            conditions_text(&conditions)
                        ),
                    },
                    diagnostic: None,
                    accepted: true,
                }
            }
            None => {
                return ImplObligation {
                    name,
                    impl_span: span,
                    verdict: Verdict::Ambiguous {
                        reason: format!("could not decide {}", conditions_text(&conditions)),
                    },
                    diagnostic: None,
                    accepted: false,
                }
            }
            Some(true) => {}
        }
    }

    let with_conditions = implication == Implication::Assume;
    match holds(&solve(&promise_goal(with_conditions))) {
        Some(true) => ImplObligation {
            name,
            impl_span: span,
            verdict: Verdict::Holds {
                reason: match implication {
                    _ if conditions.is_empty() => {
                        format!("`{}` is {}", value.name.text, bounds_text)
                    }
                    Implication::Assume => format!(
                        "assuming {}, `{}` is {}",
                        conditions_text(&conditions),
                        value.name.text,
                        bounds_text
                    ),
                    Implication::Decide => format!(
                        "{} holds and `{}` is {}",
                        conditions_text(&conditions),
                        value.name.text,
                        bounds_text
                    ),
                },
            },
            diagnostic: None,
            accepted: true,
        },
        Some(false) => {
            // Blame the first held type that fails the bound.
            let culprit = fields_of(file, &value.value).into_iter().find(|field| {
                let g = forall(
                    &imp.params,
                    implies(
                        if with_conditions {
                            let mut h = impl_wcs.clone();
                            h.extend(conditions.clone());
                            h
                        } else {
                            impl_wcs.clone()
                        },
                        forall(&value.params, all(bound_goals(field, &bounds))),
                    ),
                );
                holds(&solve(&g)) == Some(false)
            });
            let method = &value.name.text;
            // The background document's wording when the condition holds; when
            // it does not (only under assume), say that it was assumed.
            let message = if conditions.is_empty() {
                format!(
                    "`{method}` must be `{bounds_text}`: `{}` promises `{bounds_text}` futures",
                    imp.trait_ref.trait_name.text
                )
            } else if condition_holds == Some(true) {
                format!(
                    "`{method}` must be `{bounds_text}`, since `{self_text}` is `{bounds_text}`"
                )
            } else {
                format!(
                    "`{method}` must be `{bounds_text}` whenever `{self_text}` is `{bounds_text}` (assumed, though it is not)"
                )
            };
            let mut d = Diagnostic::error("conditional-bound-unmet", message.clone(), imp.span)
                .with_label(format!(
                    "the future of `{method}` is not `{bounds_text}`"
                ))
                .with_secondary(bound_span(bound), "the trait promises this conditional bound")
                .with_note(if conditions.is_empty() {
                    format!("{demanded_by} promises this future is always `{bounds_text}` (rule implication-unconditional)")
                } else {
                    format!(
                        "{demanded_by} promises the future is `{bounds_text}` whenever {} holds; checked by {} (rule implication-{})",
                        conditions_text(&conditions),
                        match implication {
                            Implication::Assume => "assuming the condition and proving the bound",
                            Implication::Decide => "deciding the condition first, then proving the bound",
                        },
                        implication.name()
                    )
                });
            if let Some(c) = &culprit {
                d = d.with_note(format!(
                    "the future holds a `{}`, which is not `{bounds_text}`",
                    ty_text(c)
                ));
            }
            d = d.with_help(format!(
                "make every value that the future of `{method}` holds `{bounds_text}`, or, as the explicit design does, promise nothing and let callers that need it ask (`{}::{method}(..): {bounds_text}` for a method's future)",
                imp.trait_ref.trait_name.text
            ));
            ImplObligation {
                name,
                impl_span: span,
                verdict: Verdict::Fails {
                    reason: match &culprit {
                        Some(c) => format!("{message}; it holds a `{}`", ty_text(c)),
                        None => message,
                    },
                },
                diagnostic: Some(d),
                accepted: false,
            }
        }
        None => {
            // chalk could not decide: the obligation is not proven, so the
            // impl is rejected, as rustc rejects what it cannot prove.
            let method = &value.name.text;
            let message = if conditions.is_empty() {
                format!("`{method}` must be `{bounds_text}`, and chalk could not prove that it is")
            } else {
                format!(
                    "`{method}` must be `{bounds_text}` whenever `{self_text}` is `{bounds_text}`, and chalk could not prove that it is"
                )
            };
            let d = Diagnostic::error("conditional-bound-unproven", message.clone(), imp.span)
                .with_label(format!("the future of `{method}` is not provably `{bounds_text}`"))
                .with_secondary(bound_span(bound), "the trait promises this bound")
                .with_note("the solver's answer was ambiguous: it could neither prove nor refute the bound")
                .with_help("add where clauses to the impl that make the future's captured and held types provably `Send`");
            ImplObligation {
                name,
                impl_span: span,
                verdict: Verdict::Ambiguous { reason: message },
                diagnostic: Some(d),
                accepted: false,
            }
        }
    }
}

fn bound_span(bound: &CondBound<'_>) -> Span {
    bound
        .assoc
        .bounds
        .iter()
        .find(|b| matches!(b.bound, ast::InlineBound::Conditional(_)))
        .map_or(bound.assoc.span, |b| b.span)
}

/// Candidate types to instantiate a generic impl's type parameters with: the
/// program's types without parameters, and `u32`.
/// The types a generic impl's parameters are instantiated with by the
/// audit: `u32` and the program's ADTs without parameters, in source order.
/// The audit keeps the first 64 assignments of them in order, which only
/// ever use the first 64 types, so no more are kept.
fn candidate_types(file: &ast::File) -> Vec<ast::Ty> {
    let mut out = vec![ast::Ty {
        kind: ast::TyKind::Scalar(ast::ScalarType::Uint(ast::UintTy::U32)),
        span: sp(),
    }];
    for item in &file.items {
        if let ast::Item::Adt(adt) = item {
            if adt.params.is_empty() {
                out.push(ast::Ty {
                    kind: ast::TyKind::Name(adt.name.clone()),
                    span: sp(),
                });
                if out.len() == 64 {
                    break;
                }
            }
        }
    }
    out
}

/// Rule promise-audit: for each instantiation of an accepted impl whose
/// condition holds, the promised bound must really hold of the concrete
/// future (in the program without the promise's own clauses).
fn audit(
    candidates: &[ast::Ty],
    imp: &ast::ImplDefn,
    value: &ast::AssocTyValue,
    bound: &CondBound<'_>,
    solve: &mut dyn FnMut(&ast::Goal) -> Outcome,
) -> Vec<BrokenPromise> {
    let Some(self_ty) = self_ty(imp) else {
        return Vec::new();
    };
    let type_params: Vec<&ast::VariableKind> = imp
        .params
        .iter()
        .filter(|p| p.kind == ast::ParamKind::Ty)
        .collect();
    let other_params: Vec<ast::VariableKind> = imp
        .params
        .iter()
        .filter(|p| p.kind != ast::ParamKind::Ty)
        .cloned()
        .collect();
    // Every assignment of candidate types to the impl's type parameters
    // (bounded, so an impl with many parameters stays cheap).
    let mut assignments: Vec<Vec<(String, ast::Ty)>> = vec![Vec::new()];
    for p in &type_params {
        let mut next = Vec::new();
        for a in &assignments {
            for c in candidates {
                let mut a = a.clone();
                a.push((p.name.text.clone(), c.clone()));
                next.push(a);
            }
        }
        next.truncate(64);
        assignments = next;
    }
    for map in assignments {
        let mut inst_self = self_ty.clone();
        subst_ty(&mut inst_self, &map);
        let mut inst_value = value.value.clone();
        subst_ty(&mut inst_value, &map);
        let conditions = conditions_for(bound, &inst_self);
        let bounds = bounds_for(bound, &inst_self);
        let wcs: Vec<ast::QuantifiedWhereClause> = imp
            .where_clauses
            .iter()
            .map(|w| {
                let mut w = w.clone();
                subst_where_clause(&mut w, &map);
                w
            })
            .collect();
        // The impl applies and the condition holds: callers may conclude the bound.
        let mut premises: Vec<ast::Goal> = wcs
            .iter()
            .map(|w| where_clause_goal(w.where_clause.clone()))
            .collect();
        premises.extend(
            conditions
                .iter()
                .map(|c| where_clause_goal(c.where_clause.clone())),
        );
        // With no premises, callers may always conclude the bound.
        if !premises.is_empty() {
            let premise_goal = forall(&other_params, all(premises));
            if holds(&solve(&premise_goal)) != Some(true) {
                continue;
            }
        }
        let truth_goal = forall(
            &other_params,
            forall(&value.params, all(bound_goals(&inst_value, &bounds))),
        );
        if holds(&solve(&truth_goal)) == Some(false) {
            let inst = ty_text(&inst_self);
            let name = format!(
                "promise of {} for {}: {}",
                imp.trait_ref.trait_name.text, inst, value.name.text
            );
            let bt = bounds_text(&bounds);
            let d = Diagnostic::error(
                "broken-promise",
                format!(
                    "unsound: callers may conclude that `{}` of `{inst}` is `{bt}`, but it is not",
                    value.name.text
                ),
                imp.span,
            )
            .with_label(format!("this impl was accepted, yet for `{inst}` its future is not `{bt}`"))
            .with_secondary(bound_span(bound), "the conditional bound callers rely on")
            .with_note(format!(
                "{} holds, so the bound promises the future is `{bt}`; the concrete future is not (rule promise-audit)",
                conditions_text(&conditions)
            ))
            .with_help("deciding the condition for a generic impl (`forall<T> ..`) says nothing about its instances: this is the negative-reasoning hole of the implied design");
            return vec![BrokenPromise {
                name,
                impl_span: imp.span,
                instantiation: inst,
                diagnostic: d,
            }];
        }
    }
    Vec::new()
}
