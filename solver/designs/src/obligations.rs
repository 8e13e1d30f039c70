//! Conditional bounds at the impl.
//!
//! A conditional bound `type Fut<'a>: if (Self: Send) { Send };` promises
//! callers that `Fut` is `Send` whenever `Self` is (rule
//! `conditional-bound-to-clause`, in lowering). Each impl must keep that
//! promise. How an impl proves the implication is a design choice:
//!
//! - **assume** (rule [`implication-assume`](crate::rules::IMPLICATION_ASSUME)): assume `Self: Send`, prove the
//!   future `Send`. The standard way to prove an implication; it rejects a
//!   future holding an `Rc` even when `Self` is not `Send`, and the
//!   assumption can make `&mut Self: Send` provable for a `Self` that is not.
//! - **decide** (rule [`implication-decide`](crate::rules::IMPLICATION_DECIDE)): first ask whether `Self: Send`
//!   holds with no assumptions; only if it does, require the future `Send`.
//!   Negative reasoning: for a generic impl `forall<T> W<T>: Send` fails, so
//!   the impl is accepted, yet `W<u32>: Send` holds and its future may not be.
//! - an unconditional bound (the boxed design) is checked as it is (rule
//!   `implication-unconditional`).
//!
//! Every accepted impl then goes through the promise audit ([`crate::audit`]).

use std::sync::Arc;

use chalkboard_lowering::program::Program;
use chalkboard_lowering::reads::Read;
use chalkboard_solver::explain::blame::most_specific;
use chalkboard_solver::explain::{
    explain_syntax, most_specific_failure, ExplainLimits, Explanation, SourceMap, Status,
};
use chalkboard_solver::layer::{Effect, KeptByLayer, LayerReport, NamedCheck};
use chalkboard_solver::solve::{AnswerKind, Limits, Outcome, SolverPool};
use chalkboard_solver::Verdict;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::build::{self, all, bound_goals, forall, implies, where_clause_goal};
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;

use crate::wording;
use crate::{Design, Implication};

/// The kind of the [`NamedCheck`]s this module reports.
pub const KIND: &str = "impl";

/// A conditional bound on an associated type, found in the syntax tree.
pub(crate) struct CondBound<'a> {
    pub trait_name: &'a str,
    pub assoc: &'a ast::AssocTyDefn,
    pub cond: &'a ast::ConditionalBound,
}

impl CondBound<'_> {
    /// The bound's conditions, with `Self` replaced by `self_ty`.
    pub fn conditions_for(&self, self_ty: &ast::Ty) -> Vec<ast::QuantifiedWhereClause> {
        let map = [("Self".to_string(), self_ty.clone())];
        self.cond
            .conditions
            .iter()
            .map(|c| build::substituted_where_clause(c, &map))
            .collect()
    }

    /// The promised bounds, with `Self` replaced by `self_ty`.
    pub fn bounds_for(&self, self_ty: &ast::Ty) -> Vec<ast::QuantifiedInlineBound> {
        let map = [("Self".to_string(), self_ty.clone())];
        self.cond
            .bounds
            .iter()
            .map(|b| build::substituted_bound(b, &map))
            .collect()
    }

    /// Where the conditional bound was written.
    pub fn span(&self) -> Span {
        self.assoc
            .bounds
            .iter()
            .find(|b| matches!(b.bound, ast::InlineBound::Conditional(_)))
            .map_or(self.assoc.span, |b| b.span)
    }
}

fn conditional_bounds(file: &ast::File) -> Vec<CondBound<'_>> {
    let mut out = Vec::new();
    for item in &file.items {
        let ast::Item::Trait(t) = item else { continue };
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
    out
}

/// The impl's self type.
pub(crate) fn self_ty(imp: &ast::ImplDefn) -> Option<&ast::Ty> {
    match imp.trait_ref.args.first() {
        Some(ast::GenericArg::Ty(t)) => Some(t),
        _ => None,
    }
}

/// Whether a goal holds, read from chalk's answer: `None` when chalk could
/// not decide (ambiguous, a limit, an internal error).
pub(crate) fn holds(outcome: &Outcome) -> Option<bool> {
    match outcome.kind() {
        AnswerKind::Unique => Some(true),
        AnswerKind::NoSolution => Some(false),
        _ => None,
    }
}

/// Rule `layer-check-reuse`: what one check of a file's impls keeps for
/// the next check of the file (in a database kept across edits).
///
/// An impl's checks are a function of the impl, the conditional bounds of
/// the file, the candidate types of the promise audit, and what their
/// solves read of the program (see [`chalkboard_lowering::reads`]). After
/// an edit, an impl equal to the one at its place before once moved (rule
/// items-equal-when-moved), in a file whose bounds and candidate types say
/// the same, whose solves' reads all answer the same, gets its checks back
/// without a solve, their spans moved. Only checks that held are kept: a
/// failure's diagnostic and explanation point into the text.
struct Kept {
    file: Arc<ast::File>,
    program: Arc<Program>,
    truth: Truth,
    candidates: Vec<ast::Ty>,
    /// By the impl's index among the file's items.
    impls: std::collections::HashMap<usize, Arc<KeptImpl>>,
}

/// The program without the clauses conditional bounds give callers (what
/// the promise audit solves against), made on first need: a check that
/// reuses every impl's checks does not need it.
#[derive(Default)]
struct Truth(std::sync::OnceLock<Arc<Program>>);

impl Truth {
    fn of(&self, program: &Program) -> &Arc<Program> {
        self.0
            .get_or_init(|| Arc::new(program.without_conditional_clauses()))
    }
}

/// One impl's kept checks, with the spans of the file they were kept with.
struct KeptImpl {
    reads: Arc<[Read]>,
    checks: Vec<NamedCheck>,
}

impl Kept {
    /// Whether `earlier`'s checks can stand for checks of this file: the
    /// same bounds, wherever they were written.
    fn usable(&self, bounds: &[CondBound<'_>]) -> bool {
        let before = conditional_bounds(&self.file);
        before.len() == bounds.len()
            && before.iter().zip(bounds).all(|(a, b)| {
                a.trait_name == b.trait_name
                    && ast::eq_ignoring_spans(a.assoc, b.assoc)
                    && ast::eq_ignoring_spans(a.cond, b.cond)
            })
    }

    /// The checks kept for the impl at `index`, moved to where it is now,
    /// when nothing they depend on changed.
    fn checks_for(
        &self,
        index: usize,
        imp: &ast::ImplDefn,
        (program, truth): (&Arc<Program>, &Truth),
        same_candidates: &std::sync::OnceLock<bool>,
        candidates: &[ast::Ty],
        answers: &std::sync::Mutex<std::collections::HashMap<Read, bool>>,
    ) -> Option<(Vec<NamedCheck>, Arc<KeptImpl>)> {
        let kept = self.impls.get(&index)?;
        // The promise audit tries the file's types for an impl's type
        // parameters: a generic impl's checks read them all.
        let generic = imp.params.iter().any(|p| p.kind == ast::ParamKind::Ty);
        if generic
            && !*same_candidates
                .get_or_init(|| ast::eq_ignoring_spans(self.candidates.as_slice(), candidates))
        {
            return None;
        }
        let ast::Item::Impl(before) = self.file.items.get(index)? else {
            return None;
        };
        let shift = imp.span.start as i64 - before.span.start as i64;
        if !ast::eq_shifted(imp, before, shift) {
            return None;
        }
        let unchanged = |read: &Read| {
            // An item's read is answered at once when lowering took the
            // item from the program before (rule lower-reuse); the others
            // are answered once per check.
            if let Read::Item(_) = read {
                if program.unchanged_since(&self.program, read) {
                    return Some(true);
                }
            }
            if let Some(&same) = answers.lock().ok()?.get(read) {
                return Some(same);
            }
            // The truth is the program without the promised clauses: the
            // same items, other custom clauses.
            let same = program.unchanged_since(&self.program, read)
                && (*read != Read::CustomClauses
                    || truth
                        .of(program)
                        .unchanged_since(self.truth.of(&self.program), read));
            answers.lock().ok()?.insert(*read, same);
            Some(same)
        };
        if !kept.reads.iter().all(|r| unchanged(r) == Some(true)) {
            return None;
        }
        let checks: Vec<NamedCheck> = kept
            .checks
            .iter()
            .map(|c| NamedCheck {
                span: c.span.shifted(shift),
                ..c.clone()
            })
            .collect();
        let moved = KeptImpl {
            reads: Arc::clone(&kept.reads),
            checks: checks.clone(),
        };
        Some((checks, Arc::new(moved)))
    }
}

/// Whether an impl's checks may be kept for the next check of the file
/// (see [`Kept`]): each held, with nothing pointing into the text but its
/// span.
fn keepable(checks: &[NamedCheck]) -> bool {
    checks.iter().all(|c| {
        matches!(c.verdict, Verdict::Holds { .. })
            && c.diagnostic.is_none()
            && c.explanation.is_none()
            && c.effect == Effect::None
    })
}

/// Checks every impl against every conditional bound of its trait, then
/// audits the promises of the impls that were accepted.
pub fn check(
    file: &ast::File,
    kept: Option<(Arc<ast::File>, &KeptByLayer)>,
    applied: &[Applied],
    program: &Arc<Program>,
    implication: Implication,
    design: Design,
    limits: &Limits,
) -> LayerReport {
    let bounds = conditional_bounds(file);
    let mut report = LayerReport::default();
    if bounds.is_empty() {
        return report;
    }
    // Both made on first need (see [`Truth`]): the source map for an
    // explanation of a failure.
    let source = std::sync::OnceLock::new();
    let source =
        || -> &Arc<SourceMap> { source.get_or_init(|| Arc::new(SourceMap::new(file, applied))) };
    let explain_limits = ExplainLimits {
        timeout: limits.timeout,
        ..ExplainLimits::default()
    };
    let truth = Truth::default();
    // Computed once for the whole program, not once per impl, which made
    // the audit grow with the square of the program.
    let candidates = crate::audit::candidate_types(file);
    // The impls some conditional bound applies to, with their positions.
    let impls: Vec<(usize, &ast::ImplDefn)> = file
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            ast::Item::Impl(imp)
                if imp.polarity != ast::Polarity::Negative
                    && bounds
                        .iter()
                        .any(|b| b.trait_name == imp.trait_ref.trait_name.text) =>
            {
                Some((i, &**imp))
            }
            _ => None,
        })
        .collect();
    // Rule parallel-checks: each impl's checks are independent of every
    // other impl's (their solvers are their own), so they are spread over
    // the cores and put back in item order; and rule solve-on-this-thread:
    // each check thread solves its impls' goals itself.
    let phase = chalkboard_solver::solve::current_phase();
    let total = file.items.len();
    // A deadline already passed stops the checks before their first item,
    // and says so.
    if chalkboard_solver::solve::phase_checkpoint(0, total) {
        return report;
    }
    // Rule layer-check-reuse: the checks kept from the file before, when
    // its bounds and candidate types say the same.
    let earlier = kept
        .as_ref()
        .and_then(|(_, slot)| slot.take::<Kept>())
        .filter(|earlier| earlier.usable(&bounds));
    let same_candidates = std::sync::OnceLock::new();
    let answers = std::sync::Mutex::default();
    let checked = chalkboard_solver::solve::parallel_map(program, &impls, |_, &(done, imp)| {
        let run = || {
            // The checks share the deadline of the check phase (rule
            // check-deadline).
            if chalkboard_solver::solve::phase_checkpoint(done, total) {
                return None;
            }
            if let Some((checks, kept)) = earlier.as_ref().and_then(|e| {
                e.checks_for(
                    done,
                    imp,
                    (program, &truth),
                    &same_candidates,
                    &candidates,
                    &answers,
                )
            }) {
                return Some((checks, Some(kept), true));
            }
            let (checks, reads) = chalkboard_lowering::reads::recording(|| {
                check_one_impl(
                    file,
                    imp,
                    &bounds,
                    (program, truth.of(program)),
                    &source,
                    &candidates,
                    (implication, design),
                    (limits, &explain_limits),
                )
            });
            let kept = keepable(&checks).then(|| {
                Arc::new(KeptImpl {
                    reads: reads.into(),
                    checks: checks.clone(),
                })
            });
            Some((checks, kept, false))
        };
        match &phase {
            Some(phase) => phase.run(run),
            None => run(),
        }
    });
    let mut kept_impls = std::collections::HashMap::new();
    let (mut reused, mut ran) = (0, 0);
    // What the deadline stopped says nothing; the caller reports where.
    for (&(index, _), result) in impls.iter().zip(checked) {
        let Some((checks, kept, was_reused)) = result else {
            break;
        };
        if was_reused {
            reused += 1;
        } else {
            ran += 1;
        }
        report.checks.extend(checks);
        if let Some(kept) = kept {
            kept_impls.insert(index, kept);
        }
    }
    if let Some((tree, slot)) = kept {
        slot.count(reused, ran);
        slot.keep(Arc::new(Kept {
            file: tree,
            program: Arc::clone(program),
            truth,
            candidates,
            impls: kept_impls,
        }));
    }
    report
}

/// One impl against every conditional bound of its trait, and the promise
/// audit of each bound it keeps; each impl's goals get solvers of their
/// own: solvers shared by every impl keep the tables of all of them, which
/// made the check slower with every impl and held them all in memory.
#[allow(clippy::too_many_arguments)]
fn check_one_impl<'s>(
    file: &ast::File,
    imp: &ast::ImplDefn,
    bounds: &[CondBound<'_>],
    (program, truth): (&Arc<Program>, &Arc<Program>),
    source: &dyn Fn() -> &'s Arc<SourceMap>,
    candidates: &[ast::Ty],
    (implication, design): (Implication, Design),
    (limits, explain_limits): (&Limits, &ExplainLimits),
) -> Vec<NamedCheck> {
    let mut checks = Vec::new();
    let mut pool = SolverPool::on_this_thread();
    let mut truth_pool = SolverPool::on_this_thread();
    {
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
            let mut solve = |goal: &ast::Goal| pool.prove(program, goal, limits);
            let mut explain =
                |goal: &ast::Goal| explain_syntax(program, source(), goal, explain_limits);
            let (obligation, accepted) = check_impl(
                file,
                (imp, value, bound),
                implication,
                design,
                &mut solve,
                &mut explain,
            );
            checks.push(obligation);
            if accepted {
                let mut solve_truth = |goal: &ast::Goal| truth_pool.prove(truth, goal, limits);
                checks.extend(crate::audit::audit(
                    candidates,
                    imp,
                    value,
                    bound,
                    &mut solve_truth,
                ));
            }
        }
    }
    checks
}

/// The fields of the value type, when it is a struct of the program: the
/// held types a failing future is blamed on.
fn fields_of(file: &ast::File, value: &ast::Ty) -> Vec<ast::Ty> {
    let (name, args) = match &value.kind {
        ast::TyKind::Name(n) => (&n.text, Vec::new()),
        ast::TyKind::Apply(n, args) => (&n.text, args.clone()),
        _ => return Vec::new(),
    };
    let Some(adt) = file.items.iter().find_map(|item| match item {
        ast::Item::Adt(adt) if &adt.name.text == name => Some(adt),
        _ => None,
    }) else {
        return Vec::new();
    };
    let map: Vec<(String, ast::Ty)> = adt
        .params
        .iter()
        .zip(&args)
        .filter_map(|(p, a)| match a {
            ast::GenericArg::Ty(t) => Some((p.name.text.clone(), t.clone())),
            _ => None,
        })
        .collect();
    adt.variants
        .iter()
        .flat_map(|v| &v.fields)
        .map(|f| build::substituted_ty(&f.ty, &map))
        .collect()
}

/// Rule [`implication-assume`](crate::rules::IMPLICATION_ASSUME) / `implication-decide` /
/// `implication-unconditional`: one impl against one conditional bound.
/// Also says whether the impl is accepted (and so audited): an impl whose
/// condition could not be decided is neither accepted nor rejected.
fn check_impl(
    file: &ast::File,
    (imp, value, bound): (&ast::ImplDefn, &ast::AssocTyValue, &CondBound<'_>),
    implication: Implication,
    design: Design,
    solve: &mut dyn FnMut(&ast::Goal) -> Outcome,
    explain: &mut dyn FnMut(&ast::Goal) -> Option<Explanation>,
) -> (NamedCheck, bool) {
    let self_ty = self_ty(imp).cloned().unwrap_or(ast::Ty {
        kind: ast::TyKind::Error,
        span: Span::default(),
    });
    let self_text = wording::ty(&self_ty);
    let conditions = bound.conditions_for(&self_ty);
    let bounds = bound.bounds_for(&self_ty);
    let bounds_text = wording::bounds(&bounds);
    let conditions_text = wording::conditions(&conditions);
    let words = wording::Obligation {
        method: &value.name.text,
        trait_name: &imp.trait_ref.trait_name.text,
        self_ty: &self_text,
        bounds: &bounds_text,
        conditions: &conditions_text,
        unconditional: conditions.is_empty(),
        implication,
        design,
    };
    let check = |verdict: Verdict,
                 diagnostic: Option<Diagnostic>,
                 effect: Effect,
                 explanation: Option<Explanation>| NamedCheck {
        kind: KIND,
        name: wording::obligation_name(
            &imp.trait_ref.trait_name.text,
            &self_text,
            &value.name.text,
        ),
        span: imp.span,
        verdict,
        diagnostic,
        effect,
        explanation,
    };

    // `forall<impl params> { if (impl WCs [; C]) { forall<value params> { V: B } } }`
    let with_conditions = implication == Implication::Assume;
    let hypotheses = || {
        let mut hyps = imp.where_clauses.clone();
        if with_conditions {
            hyps.extend(conditions.clone());
        }
        hyps
    };
    let promise_goal = |ty: &ast::Ty| {
        forall(
            &imp.params,
            implies(
                hypotheses(),
                forall(&value.params, all(bound_goals(ty, &bounds))),
            ),
        )
    };
    let condition_goal = forall(
        &imp.params,
        implies(
            imp.where_clauses.clone(),
            all(conditions
                .iter()
                .map(|c| where_clause_goal(c.where_clause.clone()))
                .collect()),
        ),
    );
    // An unconditional promise (the boxed design) has nothing to decide.
    let decide_condition = |solve: &mut dyn FnMut(&ast::Goal) -> Outcome| {
        if conditions.is_empty() {
            Some(true)
        } else {
            holds(&solve(&condition_goal))
        }
    };
    // Rule implication-assume assumes the condition, so its answer only
    // words a failure: it is solved then, and not for every impl that
    // keeps its promise (a quarter of the design's solves).
    let mut condition_holds = None;
    if implication == Implication::Decide {
        condition_holds = decide_condition(solve);
        match condition_holds {
            Some(false) => {
                return (
                    check(Verdict::holds(words.vacuous()), None, Effect::None, None),
                    true,
                )
            }
            None => {
                return (
                    check(
                        Verdict::ambiguous(words.undecided()),
                        None,
                        Effect::None,
                        None,
                    ),
                    false,
                )
            }
            Some(true) => {}
        }
    }

    match holds(&solve(&promise_goal(&value.value))) {
        Some(true) => (
            check(Verdict::holds(words.held()), None, Effect::None, None),
            true,
        ),
        Some(false) => {
            if implication != Implication::Decide {
                condition_holds = decide_condition(solve);
            }
            // Blame the first held type that fails the bound.
            let culprit = fields_of(file, &value.value)
                .into_iter()
                .find(|field| holds(&solve(&promise_goal(field))) == Some(false))
                .map(|c| wording::ty(&c));
            let headline = words.unmet(condition_holds == Some(true));
            let mut d = Diagnostic::error(
                crate::codes::CONDITIONAL_BOUND_UNMET,
                headline.clone(),
                imp.span,
            )
            .with_label(words.unmet_label())
            .with_secondary(bound.span(), wording::CONDITIONAL_BOUND_LABEL)
            .with_note(words.unmet_note());
            // The most specific failing leaf, down from the future's bound
            // (the field it holds, the impl that rules it out).
            let explanation = explain(&promise_goal(&value.value));
            let blame = explanation
                .as_ref()
                .and_then(|e| e.tree.as_ref())
                .and_then(most_specific_failure);
            match (&blame, &culprit) {
                (Some(blame), _) => {
                    let no_lines = |_| None;
                    let head = wording::projection(imp, value, &bounds_text);
                    d = d.with_note(format!("`{head}` is not met: {}", blame.reason(&no_lines)));
                    for (span, label) in blame.labels() {
                        d = d.with_secondary(span, label);
                    }
                }
                (None, Some(c)) => d = d.with_note(words.culprit_note(c)),
                (None, None) => {}
            }
            d = d.with_help(words.unmet_help());
            (
                check(
                    Verdict::fails(words.unmet_reason(headline, culprit.as_deref())),
                    Some(d),
                    Effect::RejectsImpl,
                    explanation,
                ),
                false,
            )
        }
        None => {
            // chalk could not decide: the obligation is not proven, so the
            // impl is rejected, as rustc rejects what it cannot prove.
            let headline = words.unproven();
            let mut d = Diagnostic::error(
                crate::codes::CONDITIONAL_BOUND_UNPROVEN,
                headline.clone(),
                imp.span,
            )
            .with_label(words.unproven_label())
            .with_secondary(bound.span(), wording::UNPROVEN_BOUND_LABEL)
            .with_note(wording::UNPROVEN_NOTE);
            // The most specific part chalk could not decide.
            let explanation = explain(&promise_goal(&value.value));
            if let Some(blame) = explanation
                .as_ref()
                .and_then(|e| e.tree.as_ref())
                .and_then(|tree| most_specific(tree, Status::Ambiguous))
            {
                let no_lines = |_| None;
                let head = wording::projection(imp, value, &bounds_text);
                d = d.with_note(format!(
                    "`{head}` cannot be proven: {}",
                    blame.reason(&no_lines)
                ));
                for (span, label) in blame.labels() {
                    d = d.with_secondary(span, label);
                }
            }
            d = d.with_help(wording::UNPROVEN_HELP);
            (
                check(
                    Verdict::ambiguous(headline),
                    Some(d),
                    Effect::RejectsImpl,
                    explanation,
                ),
                false,
            )
        }
    }
}
