//! Checks a lowered program before any goal runs, as chalk's
//! `checked_program` does: overlap and orphan coherence for every trait and
//! local impl, then well-formedness of every ADT, opaque type and impl.
//!
//! As in chalk's harness, the checks always use the SLG solver with max size
//! 10, whatever solver the goals use. Unlike chalk, every failure is reported
//! (not just the first), each as a diagnostic pointing at the item.
//!
//! The checks grow with the program, not with its square: overlap is only
//! solved for pairs of impls that could apply to the same types (rule
//! overlap-candidates), and every lookup of impls goes through the program's
//! impl index. The whole phase runs under one deadline (`--timeout`), and a
//! phase stopped by it says which check it was on and how far it got.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chalk_ir::cast::Cast;
use chalk_ir::fold::shift::Shift;
use chalk_ir::{
    AdtId, DebruijnIndex, EqGoal, GenericArg, Goal, GoalData, ImplId, ProgramClause,
    ProgramClauses, QuantifierKind, TraitId, Ty, TyKind,
};
use chalk_solve::coherence::CoherenceError;
use chalk_solve::ext::GoalExt;
use chalk_solve::rust_ir::ImplDatum;
use chalk_solve::wf::WfSolver;
use chalk_solve::RustIrDatabase;
use chalk_solve::Solver;
use chalkboard_lowering::impl_index::SimplifiedType;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::Span;
use chalkboard_syntax::Diagnostic;

use crate::solve::{guarded, is_deadline_stop, parallel_map, DeadlineDb, Limits};

fn check_solver() -> Box<dyn Solver<Ir>> {
    Box::new(chalk_engine::solve::SLGSolver::<Ir>::new(10, None))
}

/// Runs every check; returns the diagnostics (empty when the program is fine).
///
/// Rule check-deadline: the whole phase gets `limits.timeout` of wall time.
/// The checks stop themselves between items once it has passed, a solve in
/// progress is stopped by its [`DeadlineDb`], and the caller stops waiting
/// shortly after the deadline whatever the checks do.
pub fn check_program(program: &Arc<Program>, limits: &Limits) -> Vec<Diagnostic> {
    check_program_reusing(program, limits, None)
}

/// [`check_program`], reusing the verdicts of the units that `pass` kept
/// from the program checked before and nothing they read changed since
/// (rule check-reuse), and keeping the verdicts of the units it runs.
pub fn check_program_reusing(
    program: &Arc<Program>,
    limits: &Limits,
    pass: Option<Arc<crate::reuse::Pass>>,
) -> Vec<Diagnostic> {
    let deadline = phase_deadline(limits.timeout);
    let progress = Arc::new(Progress::default());
    let shared = Arc::clone(program);
    let reporter = Arc::clone(&progress);
    let result = guarded(deadline, move || {
        chalkboard_lowering::with_program(&shared, || {
            Checker {
                program: &shared,
                db: DeadlineDb::new(&shared, deadline),
                deadline,
                progress: &reporter,
                reuse: pass.as_deref(),
            }
            .run()
        })
    });
    match result {
        Some(Ok(Ok(diagnostics))) => diagnostics,
        Some(Ok(Err(Stop::Deadline))) | None => {
            vec![timeout_diagnostic(&progress, limits.timeout)]
        }
        Some(Ok(Err(Stop::ChalkPanic(msg)))) | Some(Err(msg)) => vec![Diagnostic::error(
            crate::codes::INTERNAL_ERROR,
            format!("chalk panicked while checking the program: {msg}"),
            // A failure of the whole check phase points at the start of the file.
            Span::new(0, 0),
        )
        .with_label("while checking coherence and well-formedness of this program")
        .with_note("this is a bug in chalk or chalkboard, not in your program")],
    }
}

/// What the overlap check concludes about the impls of one trait.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum OverlapVerdict {
    /// No two impls overlap (or those that do specialize one another).
    Coherent,
    /// The first pair of impls, in source order, that overlap without one
    /// specializing the other: chalk's `OverlappingImpls`.
    Overlapping(ImplId<Ir>, ImplId<Ir>),
    /// chalk's own check would panic with this message.
    ChalkWouldPanic(String),
}

/// The overlap check of one trait, without a deadline: what chalk's
/// `CoherenceSolver::specialization_priorities` concludes, found by solving
/// only the pairs of impls that could overlap (rule overlap-candidates).
/// `tests/scale.rs` compares the two on every program of the corpus.
pub fn overlap_verdict(program: &Arc<Program>, trait_id: TraitId<Ir>) -> OverlapVerdict {
    // Far enough away never to be reached, near enough not to overflow.
    let deadline = Instant::now() + Duration::from_secs(60 * 60 * 24 * 365);
    let progress = Progress::default();
    chalkboard_lowering::with_program(program, || {
        let checker = Checker {
            program,
            db: DeadlineDb::new(program, deadline),
            deadline,
            progress: &progress,
            reuse: None,
        };
        let trait_name = program.trait_name(trait_id);
        match checker.overlapping_pair(trait_id, &trait_name) {
            Ok(None) => OverlapVerdict::Coherent,
            Ok(Some((a, b))) => OverlapVerdict::Overlapping(a, b),
            Err(Stop::ChalkPanic(msg)) => OverlapVerdict::ChalkWouldPanic(msg),
            Err(Stop::Deadline) => unreachable!("the deadline is a year away"),
        }
    })
}

/// How many pairs of impls are solved side by side at a time.
const OVERLAP_BATCH: usize = 256;

/// What one pair of impls of a trait amounts to.
enum PairVerdict {
    Disjoint,
    /// They overlap, and the first (earlier) impl specializes the second.
    FirstSpecializesSecond,
    /// They overlap, and the second impl specializes the first.
    SecondSpecializesFirst,
    /// They overlap without one specializing the other.
    Overlap,
    /// chalk panicked while deciding.
    Panicked(Box<dyn std::any::Any + Send>),
}

/// Two impls of one trait, the earlier first.
type ImplPair = (ImplId<Ir>, ImplId<Ir>);

/// Why the checks ended early.
enum Stop {
    /// The deadline passed.
    Deadline,
    /// chalk would have panicked with this message.
    ChalkPanic(String),
}

/// Where the checks are, shared with the thread that waits for them, so a
/// phase stopped by its deadline can say how far it got.
#[derive(Default)]
struct Progress(Mutex<Option<Position>>);

#[derive(Clone)]
struct Position {
    /// The check, e.g. "coherence of `Show`".
    check: String,
    /// The item it is about (the trait, or the first item of the phase).
    span: Span,
    done: usize,
    total: usize,
    /// What is counted, e.g. "impls".
    unit: &'static str,
}

impl Progress {
    fn start(&self, check: String, span: Span, total: usize, unit: &'static str) {
        if let Ok(mut position) = self.0.lock() {
            *position = Some(Position {
                check,
                span,
                done: 0,
                total,
                unit,
            });
        }
    }

    fn advance(&self, done: usize, span: Option<Span>) {
        if let Ok(mut position) = self.0.lock() {
            if let Some(p) = position.as_mut() {
                p.done = done;
                if let Some(span) = span {
                    p.span = span;
                }
            }
        }
    }

    fn position(&self) -> Option<Position> {
        self.0.lock().ok().and_then(|p| p.clone())
    }
}

/// `1234567` as `1,234,567`.
fn with_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

fn timeout_diagnostic(progress: &Progress, timeout: Duration) -> Diagnostic {
    let message = format!(
        "checking the program did not finish before the deadline ({})",
        seconds(timeout)
    );
    match progress.position() {
        Some(p) => Diagnostic::error(crate::codes::CHECK_TIMEOUT, message, p.span)
            .with_label(format!(
                "stopped at {}: {} of {} {} checked",
                p.check,
                with_thousands(p.done),
                with_thousands(p.total),
                p.unit
            ))
            .with_help("raise `--timeout`, or look for impls that recurse without bound"),
        None => Diagnostic::error(crate::codes::CHECK_TIMEOUT, message, Span::new(0, 0))
            .with_help("raise `--timeout`, or look for impls that recurse without bound"),
    }
}

/// The `check-timeout` of a front-end pass (parsing, desugaring, the
/// layer's rewrite, lowering) stopped by the run's deadline (rule
/// run-deadline): where it stopped, and how far it got.
pub fn stopped_timeout(stopped: &chalkboard_syntax::deadline::Stopped) -> Diagnostic {
    Diagnostic::error(
        crate::codes::CHECK_TIMEOUT,
        format!(
            "preparing the program did not finish before the deadline ({})",
            seconds(stopped.timeout)
        ),
        stopped.span,
    )
    .with_label(format!(
        "stopped at {}: {} of {} {}",
        stopped.phase,
        with_thousands(stopped.done),
        with_thousands(stopped.total),
        stopped.unit
    ))
    .with_note("`--timeout` bounds the whole run of a file, from reading it to the end of its checks, and each goal")
    .with_help("raise `--timeout`")
}

/// The deadline of a phase that starts now and may take `timeout`: no later
/// than the run's deadline, when one is installed (rule run-deadline).
pub fn phase_deadline(timeout: Duration) -> Instant {
    let own = Instant::now() + timeout;
    match chalkboard_syntax::deadline::current() {
        Some((run, _)) => own.min(run),
        None => own,
    }
}

/// The `check-timeout` of the conditional bounds' checks, which run goal by
/// goal after well-formedness: stopped at item `done` of `total`.
pub fn conditional_timeout(span: Span, done: usize, total: usize, timeout: Duration) -> Diagnostic {
    let progress = Progress::default();
    progress.start(
        "the conditional bounds of impls".into(),
        span,
        total,
        "items",
    );
    progress.advance(done, None);
    timeout_diagnostic(&progress, timeout)
}

struct Checker<'a> {
    program: &'a Arc<Program>,
    db: DeadlineDb<'a>,
    deadline: Instant,
    progress: &'a Progress,
    /// The units kept from the program checked before (rule check-reuse).
    reuse: Option<&'a crate::reuse::Pass>,
}

impl Checker<'_> {
    /// Rule check-reuse: the verdict of `unit` kept from the program checked
    /// before when nothing it read changed since, else `work`'s, run while
    /// its reads are recorded and kept when `outcome` says it has no
    /// diagnostic. `also_read` are reads `work` makes outside the program's
    /// database (impl data handed to it). Without a kept database, `work`.
    fn reusing<R>(
        &self,
        unit: crate::reuse::Unit,
        also_read: &[chalkboard_lowering::reads::Read],
        from: impl FnOnce(crate::reuse::Outcome) -> R,
        work: impl FnOnce() -> R,
        outcome: impl FnOnce(&R) -> Option<crate::reuse::Outcome>,
    ) -> R {
        let Some(pass) = self.reuse else {
            return work();
        };
        if let Some(kept) = pass.reusable(unit) {
            return from(kept);
        }
        pass.ran();
        let (result, mut reads) = chalkboard_lowering::reads::recording(work);
        if let Some(o) = outcome(&result) {
            reads.extend_from_slice(also_read);
            pass.keep(unit, reads, o);
        }
        result
    }

    /// [`Checker::reusing`] for a unit whose result is its diagnostics: it
    /// passed when it has none.
    fn reusing_diagnostics(
        &self,
        unit: crate::reuse::Unit,
        work: impl FnOnce() -> Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        self.reusing(
            unit,
            &[],
            |_| Vec::new(),
            work,
            |diagnostics| {
                diagnostics
                    .is_empty()
                    .then_some(crate::reuse::Outcome::Passed)
            },
        )
    }

    /// Stops the checks once the deadline has passed.
    fn on_time(&self) -> Result<(), Stop> {
        if Instant::now() >= self.deadline {
            Err(Stop::Deadline)
        } else {
            Ok(())
        }
    }

    fn run(&self) -> Result<Vec<Diagnostic>, Stop> {
        let mut diagnostics = Vec::new();
        self.coherence(&mut diagnostics)?;
        self.orphan_rules(&mut diagnostics)?;
        self.well_formedness(&mut diagnostics)?;
        // Report in source order, as the parser and lowering do; within one
        // item the phases keep their order (coherence, orphan rules,
        // well-formedness).
        diagnostics.sort_by_key(|d| d.primary.span.start);
        Ok(diagnostics)
    }

    /// Rule [`coherence-overlap`](crate::rules::COHERENCE_OVERLAP): each
    /// trait's impls, in trait order.
    fn coherence(&self, diagnostics: &mut Vec<Diagnostic>) -> Result<(), Stop> {
        let program = self.program;
        for trait_id in program.trait_ids() {
            self.on_time()?;
            let trait_name = program.trait_name(trait_id);
            let trait_span = program.trait_span(trait_id).unwrap_or_default();
            let Some((first, second)) = self.overlapping_pair(trait_id, &trait_name)? else {
                continue;
            };
            let d = Diagnostic::error(
                crate::codes::OVERLAPPING_IMPLS,
                format!("overlapping impls of trait `{trait_name}`"),
                impl_span(program, second),
            )
            .with_label("this impl overlaps an earlier one")
            .with_help(
                "make the impls disjoint, for example with more specific self types or where clauses",
            )
            .with_secondary(impl_span(program, first), "the earlier impl")
            .with_secondary(trait_span, format!("the trait `{trait_name}`"))
            .with_note(
                "some type (in this program or in a compatible future one) would match both \
                 impls, with their where clauses holding",
            )
            .with_chalk_message(CoherenceError::OverlappingImpls(trait_id).to_string());
            diagnostics.push(d);
        }
        Ok(())
    }

    /// The first pair of impls of `trait_id` (in chalk's order) that overlap
    /// without one specializing the other: what makes chalk's
    /// `CoherenceSolver::specialization_priorities` fail.
    ///
    /// Rule overlap-candidates: chalk asks the solver about every pair of
    /// impls; here a pair is only solved when the two impls could apply to
    /// the same types. The impls are bucketed by the simplified types of
    /// their trait parameters (see [`overlap_candidates`]), and each
    /// candidate pair is then unified structurally ([`could_unify`]). A pair
    /// rejected either way has trait references that do not unify, so
    /// chalk's disjointness goal fails at its first step (the equalities
    /// are unified before any where clause is looked at): the pair is
    /// disjoint, and skipping it changes no answer.
    fn overlapping_pair(
        &self,
        trait_id: TraitId<Ir>,
        trait_name: &str,
    ) -> Result<Option<ImplPair>, Stop> {
        let program = self.program;
        // Impls of marker traits are allowed to overlap.
        if program.trait_datum(trait_id).flags.marker {
            return Ok(None);
        }
        let impls = program.impl_index().local_impls_of_trait(trait_id);
        self.progress.start(
            format!("coherence of `{trait_name}`"),
            program.trait_span(trait_id).unwrap_or_default(),
            impls.len(),
            "impls",
        );
        let data: Vec<Arc<ImplDatum<Ir>>> =
            impls.iter().map(|&id| program.impl_datum(id)).collect();
        let mut specializations = Specializations::default();
        // Rule candidates-kept: the pairs found for the trait in the
        // program before an edit, while none of its impls changed.
        let listed = match self.reuse.and_then(|pass| pass.kept_candidates(trait_id.0)) {
            Some(kept) => kept,
            None => {
                let found = Arc::new(overlap_candidates(&data));
                if let Some(pass) = self.reuse {
                    pass.keep_candidates(trait_id.0, Arc::clone(&found));
                }
                found
            }
        };
        let candidates: Box<dyn Iterator<Item = (usize, usize)>> = match listed.as_ref() {
            Some(pairs) => Box::new(pairs.iter().copied()),
            // Too many pairs agree on every slot to list them: every pair is
            // visited in order, still filtered by unification, until done or
            // until the deadline.
            None => {
                let n = data.len();
                Box::new((0..n).flat_map(move |i| (i + 1..n).map(move |j| (i, j))))
            }
        };
        // The pairs left to solve, in order; solved a batch at a time, the
        // batch spread over the cores, and their verdicts read in order.
        let mut batch: Vec<(usize, usize)> = Vec::with_capacity(OVERLAP_BATCH);
        let mut candidates = candidates.peekable();
        while let Some((i, j)) = candidates.next() {
            let (lhs, rhs) = (&data[i], &data[j]);
            // Two negative impls never conflict; impls whose trait
            // references do not unify are disjoint.
            if (lhs.is_positive() || rhs.is_positive()) && could_unify(lhs, rhs) {
                batch.push((i, j));
            }
            if batch.len() < OVERLAP_BATCH && candidates.peek().is_some() {
                continue;
            }
            self.progress
                .advance(batch.first().map_or(i, |p| p.0), None);
            self.on_time()?;
            let verdicts = parallel_map(self.program, &batch, |_, &(i, j)| {
                use crate::reuse::Outcome;
                use chalkboard_lowering::reads::Read;
                let (a, b) = (impls[i].0, impls[j].0);
                self.reusing(
                    crate::reuse::Unit::Pair(a, b),
                    &[Read::Item(a), Read::Item(b)],
                    |kept| match kept {
                        Outcome::Disjoint | Outcome::Passed => PairVerdict::Disjoint,
                        Outcome::FirstSpecializesSecond => PairVerdict::FirstSpecializesSecond,
                        Outcome::SecondSpecializesFirst => PairVerdict::SecondSpecializesFirst,
                        Outcome::Overlap => PairVerdict::Overlap,
                    },
                    || self.pair_verdict(&data[i], &data[j]),
                    |verdict| match verdict {
                        PairVerdict::Disjoint => Some(Outcome::Disjoint),
                        PairVerdict::FirstSpecializesSecond => {
                            Some(Outcome::FirstSpecializesSecond)
                        }
                        PairVerdict::SecondSpecializesFirst => {
                            Some(Outcome::SecondSpecializesFirst)
                        }
                        PairVerdict::Overlap => Some(Outcome::Overlap),
                        PairVerdict::Panicked(_) => None,
                    },
                )
            });
            for (&(i, j), verdict) in batch.iter().zip(verdicts) {
                match verdict {
                    PairVerdict::Disjoint => {}
                    PairVerdict::FirstSpecializesSecond => specializations.record(j, i),
                    PairVerdict::SecondSpecializesFirst => specializations.record(i, j),
                    PairVerdict::Overlap => return Ok(Some((impls[i], impls[j]))),
                    PairVerdict::Panicked(payload) => std::panic::resume_unwind(payload),
                }
            }
            batch.clear();
        }
        self.progress.advance(impls.len(), None);
        if !specializations.is_a_forest() {
            // chalk 0.104 assigns specialization priorities by walking the
            // specialization graph from its roots and asserts that it meets
            // no impl twice, which fails as soon as three impls specialize
            // one another in a chain (`T`, `S<T>`, `S<u32>`). chalkboard keeps
            // chalk's verdict on such programs.
            return Err(Stop::ChalkPanic(
                "assertion failed: old_value.is_none()".into(),
            ));
        }
        Ok(None)
    }

    /// Whether two impls that could unify overlap, as chalk decides it for
    /// one pair: disjoint, or overlapping with exactly one specializing the
    /// other (fine), or overlapping otherwise. A panic of chalk's is kept as
    /// the verdict, so that the pair that comes first decides, as in a loop.
    fn pair_verdict(&self, lhs: &ImplDatum<Ir>, rhs: &ImplDatum<Ir>) -> PairVerdict {
        let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if disjoint(&self.db, lhs, rhs) {
                return PairVerdict::Disjoint;
            }
            match (
                specializes(&self.db, rhs, lhs),
                specializes(&self.db, lhs, rhs),
            ) {
                (true, false) => PairVerdict::SecondSpecializesFirst,
                (false, true) => PairVerdict::FirstSpecializesSecond,
                _ => PairVerdict::Overlap,
            }
        }));
        match verdict {
            Ok(verdict) => verdict,
            Err(payload) if is_deadline_stop(&*payload) => std::panic::resume_unwind(payload),
            Err(payload) => PairVerdict::Panicked(payload),
        }
    }

    /// Rule [`coherence-orphan`](crate::rules::COHERENCE_ORPHAN): one check
    /// per local impl of an `#[upstream]` trait.
    ///
    /// Rule orphan-local-trait: chalk gives every trait that is not
    /// `#[upstream]` the fact `forall<..> { LocalImplAllowed(Self: Trait<..>) }`,
    /// so the orphan check of an impl of such a trait always passes and is
    /// not solved.
    fn orphan_rules(&self, diagnostics: &mut Vec<Diagnostic>) -> Result<(), Stop> {
        let program: &Program = self.program;
        let checked: Vec<ImplId<Ir>> = program
            .impl_ids()
            .filter(|&(id, local)| {
                local
                    && program
                        .trait_datum(program.impl_datum(id).trait_id())
                        .flags
                        .upstream
            })
            .map(|(id, _)| id)
            .collect();
        self.progress.start(
            "the orphan rules".into(),
            checked
                .first()
                .map(|&id| impl_span(program, id))
                .unwrap_or_default(),
            checked.len(),
            "impls of upstream traits",
        );
        self.on_time()?;
        let found = parallel_map(self.program, &checked, |done, &impl_id| {
            let span = impl_span(program, impl_id);
            self.progress.advance(done, Some(span));
            self.db.check();
            let err = self
                .reusing(
                    crate::reuse::Unit::Orphan(impl_id.0),
                    &[],
                    |_| Ok(()),
                    || {
                        let mut solver = check_solver();
                        chalk_solve::coherence::orphan::perform_orphan_check(
                            &self.db,
                            &mut *solver,
                            impl_id,
                        )
                    },
                    |result| result.is_ok().then_some(crate::reuse::Outcome::Passed),
                )
                .err()?;
            let trait_name = program.trait_name(program.impl_datum(impl_id).trait_id());
            let mut d = Diagnostic::error(
                crate::codes::ORPHAN_IMPL,
                format!("this impl of `{trait_name}` violates the orphan rules"),
                span,
            )
            .with_label("neither the trait nor any type in this impl is local")
            .with_help(
                "implement a local trait, or implement the trait for a local type \
                 (a type not marked `#[upstream]`)",
            );
            d.chalk_message = Some(err.to_string());
            Some(d)
        });
        diagnostics.extend(found.into_iter().flatten());
        Ok(())
    }

    /// Well-formedness of every declaration, one solve per item, the items
    /// spread over the cores (rule parallel-checks): rules
    /// [`wf-adt`](crate::rules::WF_ADT), [`wf-opaque`](crate::rules::WF_OPAQUE)
    /// and [`wf-impl`](crate::rules::WF_IMPL). Generated items (a body's
    /// future structs) are well-formed by construction, and their where
    /// clauses would only trip chalk's panicking paths: they are skipped.
    fn well_formedness(&self, diagnostics: &mut Vec<Diagnostic>) -> Result<(), Stop> {
        let program: &Program = self.program;
        let adts: Vec<_> = program
            .adt_ids()
            .filter(|id| program.generated_by(id.0).is_none())
            .collect();
        self.progress.start(
            "the well-formedness of types".into(),
            Span::new(0, 0),
            adts.len(),
            "types",
        );
        self.on_time()?;
        let found = parallel_map(self.program, &adts, |done, &adt_id| {
            let span = program.adt_span(adt_id).unwrap_or_default();
            self.progress.advance(done, Some(span));
            self.db.check();
            self.reusing_diagnostics(crate::reuse::Unit::WfAdt(adt_id.0), || {
                self.check_adt(adt_id, span)
            })
        });
        diagnostics.extend(found.into_iter().flatten());

        let opaques: Vec<_> = program.opaque_ids().collect();
        self.progress.start(
            "the well-formedness of opaque types".into(),
            Span::new(0, 0),
            opaques.len(),
            "opaque types",
        );
        for (done, &opaque_id) in opaques.iter().enumerate() {
            let span = program.opaque_span(opaque_id).unwrap_or_default();
            self.progress.advance(done, Some(span));
            self.on_time()?;
            let verdict = self.reusing(
                crate::reuse::Unit::WfOpaque(opaque_id.0),
                &[],
                |_| Ok(()),
                || WfSolver::new(&self.db, &check_solver).verify_opaque_ty_decl(opaque_id),
                |result| result.is_ok().then_some(crate::reuse::Outcome::Passed),
            );
            if let Err(err) = verdict {
                let mut d = Diagnostic::error(
                    crate::codes::ILL_FORMED_OPAQUE_TYPE,
                    "the hidden type does not satisfy the opaque type's bounds",
                    span,
                )
                .with_help("implement the bounds for the hidden type, or change the bounds");
                d.chalk_message = Some(err.to_string());
                diagnostics.push(d);
            }
        }

        let impls: Vec<_> = program
            .impl_ids()
            .map(|(id, _)| id)
            .filter(|id| program.generated_by(id.0).is_none())
            .collect();
        self.progress.start(
            "the well-formedness of impls".into(),
            Span::new(0, 0),
            impls.len(),
            "impls",
        );
        self.on_time()?;
        let found = parallel_map(self.program, &impls, |done, &impl_id| {
            let span = impl_span(program, impl_id);
            self.progress.advance(done, Some(span));
            self.db.check();
            self.reusing_diagnostics(crate::reuse::Unit::WfImpl(impl_id.0), || {
                self.check_impl(impl_id, span)
            })
        });
        diagnostics.extend(found.into_iter().flatten());
        Ok(())
    }

    /// The well-formedness diagnostics of one ADT (none when it is well-formed).
    fn check_adt(&self, adt_id: AdtId<Ir>, span: Span) -> Vec<Diagnostic> {
        let program: &Program = self.program;
        let mut diagnostics = Vec::new();
        let wf = WfSolver::new(&self.db, &check_solver);
        let Some(result) = unchecked_if_panics(
            || wf.verify_adt_decl(adt_id),
            format!("type `{}`", program.adt_name(adt_id)),
            crate::assoc_bounds::adt_panic_note(program, adt_id),
            span,
            &mut diagnostics,
        ) else {
            return diagnostics;
        };
        if let Err(err) = result {
            let name = program.adt_name(adt_id);
            let mut d = Diagnostic::error(
                crate::codes::ILL_FORMED_TYPE,
                format!("type `{name}` is not well-formed"),
                span,
            )
            .with_label("a field type's bounds are not implied by this type's where clauses")
            .with_help("add the missing bounds as where clauses on the type");
            d.chalk_message = Some(err.to_string());
            diagnostics.push(d);
        }
        diagnostics
    }

    /// The well-formedness diagnostics of one impl (none when it is well-formed).
    fn check_impl(&self, impl_id: ImplId<Ir>, span: Span) -> Vec<Diagnostic> {
        let program: &Program = self.program;
        let mut diagnostics = Vec::new();
        let trait_id = program.impl_datum(impl_id).trait_id();
        let trait_name = program.trait_name(trait_id);
        let wf = WfSolver::new(&self.db, &check_solver);
        let Some(result) = unchecked_if_panics(
            || wf.verify_trait_impl(impl_id),
            format!("this impl of `{trait_name}`"),
            crate::assoc_bounds::impl_panic_note(program, impl_id),
            span,
            &mut diagnostics,
        ) else {
            // Rule `assoc-value-bounds`: what chalk's panicking check would
            // have checked of the impl, checked without it.
            diagnostics.extend(crate::assoc_bounds::check_impl(program, impl_id, span));
            return diagnostics;
        };
        if let Err(err) = result {
            let unmet = unmet_trait_bounds(&self.db, impl_id);
            let mut d = Diagnostic::error(
                crate::codes::ILL_FORMED_IMPL,
                format!("this impl of `{trait_name}` is not well-formed"),
                span,
            )
            .with_label("the trait's where clauses or an associated type's bounds are not met")
            .with_help(
                "add the missing where clauses to the impl, or make the associated type \
                 values satisfy the bounds the trait declares",
            );
            if !unmet.is_empty() {
                d.primary.message = format!("`{}` does not hold here", unmet.join("`, `"));
                d.help = Some(format!(
                    "add `where {}` to the impl, or implement what is missing",
                    unmet.join(", ")
                ));
                if let Some(span) = program.trait_span(trait_id) {
                    d = d.with_secondary(span, format!("`{trait_name}` requires it"));
                }
            }
            d.chalk_message = Some(err.to_string());
            diagnostics.push(d);
        }
        diagnostics
    }
}

/// Runs one well-formedness check, catching a panic of chalk's. chalk 0.104
/// panics (an `unwrap` in `wf.rs`'s `InputTypeCollector`) on a where clause
/// `forall<'a> { Ty: Trait }` whose type mentions `'a`, which is what return
/// type notation lowers to, and on any `dyn` type in an associated type
/// value; rejecting every such item would make those unusable, so the item
/// is reported as unchecked (a warning whose `note` says which case it was,
/// see [`crate::assoc_bounds`]) and the program still runs. A stop by the
/// deadline is not such a panic and goes on unwinding.
fn unchecked_if_panics<R>(
    check: impl FnOnce() -> R,
    what: String,
    note: String,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<R> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(result) => Some(result),
        Err(payload) if is_deadline_stop(&*payload) => std::panic::resume_unwind(payload),
        Err(_) => {
            let mut d = Diagnostic::error(
                crate::codes::UNCHECKED_WELL_FORMEDNESS,
                format!("chalk could not check that {what} is well-formed"),
                span,
            )
            .with_label("chalk's well-formedness check skipped")
            .with_note(note)
            .with_help("the program still runs; check the rest of this item's bounds by hand");
            d.severity = chalkboard_syntax::Severity::Warning;
            diagnostics.push(d);
            None
        }
    }
}

/// The trait's where clauses that an impl does not meet, printed with the
/// impl's own types: each is checked as `forall<impl params> { if (impl's
/// where clauses) { clause } }`.
/// As [`unmet_trait_bounds`], outside the check phase (no deadline).
pub(crate) fn unmet_trait_bounds_of(program: &Program, impl_id: ImplId<Ir>) -> Vec<String> {
    // Far enough away never to be reached, near enough not to overflow.
    let never = Instant::now() + Duration::from_secs(60 * 60 * 24 * 365);
    unmet_trait_bounds(&DeadlineDb::new(program, never), impl_id)
}

fn unmet_trait_bounds(db: &DeadlineDb<'_>, impl_id: ImplId<Ir>) -> Vec<String> {
    let program = db.program();
    let impl_datum = program.impl_datum(impl_id);
    let trait_datum = program.trait_datum(impl_datum.trait_id());
    let (kinds, bound) = impl_datum.binders.as_ref().into();
    let required = trait_datum
        .binders
        .map_ref(|b| b.where_clauses.clone())
        .substitute(Ir, &bound.trait_ref.substitution);
    let assumptions = ProgramClauses::from_iter(
        Ir,
        bound
            .where_clauses
            .iter()
            .map(|wc| wc.clone().cast::<ProgramClause<Ir>>(Ir)),
    );
    let mut unmet = Vec::new();
    for clause in required {
        let goal = GoalData::Implies(assumptions.clone(), clause.clone().cast::<Goal<Ir>>(Ir))
            .intern(Ir)
            .quantify(Ir, QuantifierKind::ForAll, kinds.clone());
        let mut solver = check_solver();
        let answer = solver.solve(db, &goal.into_closed_goal(Ir));
        if !matches!(answer, Some(chalk_solve::Solution::Unique(_))) {
            let text = describe_where_clause(program, &clause);
            // chalk prints the impl's own parameters as bound variables
            // (`^0.0`), which would only confuse; such a bound is left to
            // the generic wording.
            if text.contains('^') {
                return Vec::new();
            }
            unmet.push(text);
        }
    }
    unmet
}

/// A where clause as the user would write it, e.g. `Key: Eq`.
fn describe_where_clause(
    program: &Program,
    clause: &chalk_ir::QuantifiedWhereClause<Ir>,
) -> String {
    match clause.skip_binders() {
        chalk_ir::WhereClause::Implemented(trait_ref) => {
            let rest: Vec<String> = trait_ref
                .substitution
                .iter(Ir)
                .skip(1)
                .map(|arg| format!("{arg:?}"))
                .collect();
            let args = if rest.is_empty() {
                String::new()
            } else {
                format!("<{}>", rest.join(", "))
            };
            format!(
                "{:?}: {}{args}",
                trait_ref.self_type_parameter(Ir),
                program.trait_name(trait_ref.trait_id)
            )
        }
        other => format!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Rule overlap-candidates: which pairs of impls could overlap at all.

/// The most slots a trait's impls are bucketed by: the trait's parameters
/// first, then the arguments of each parameter's outermost constructor.
/// More would rarely reject more pairs, and each slot costs a pass.
const MAX_SLOTS: usize = 12;

/// The key of one slot of an impl: the simplified type found there, or
/// `None` (a wildcard) where anything could be: an impl parameter, a
/// projection, a lifetime or const, anything below a wildcard, an error type.
type SlotKey = Option<SimplifiedType>;

/// The slots the impls of one trait are compared on: `(parameter, None)` is
/// the trait parameter itself, `(parameter, Some(k))` the `k`-th type argument
/// of its outermost constructor.
fn slots_of(impls: &[Arc<ImplDatum<Ir>>]) -> Vec<(usize, Option<usize>)> {
    let params = impls
        .iter()
        .map(|d| d.binders.skip_binders().trait_ref.substitution.len(Ir))
        .max()
        .unwrap_or(0);
    let mut slots: Vec<(usize, Option<usize>)> = (0..params).map(|p| (p, None)).collect();
    for p in 0..params {
        let width = impls
            .iter()
            .filter_map(|d| {
                let subst = &d.binders.skip_binders().trait_ref.substitution;
                subst.at(Ir, p).ty(Ir).map(|ty| type_children(ty).len())
            })
            .max()
            .unwrap_or(0);
        slots.extend((0..width).map(|k| (p, Some(k))));
    }
    slots.truncate(MAX_SLOTS);
    slots
}

/// The simplified type of a type, where "unknown" (`None`) also covers the
/// error type, which unifies with anything.
fn rigid_head(ty: &Ty<Ir>) -> SlotKey {
    SimplifiedType::of(ty).filter(|k| *k != SimplifiedType::Error)
}

/// The type arguments below a type's outermost constructor that unification
/// compares position by position (the children of `dyn`, `fn` types and the
/// like are left out: they are compared under binders).
fn type_children(ty: &Ty<Ir>) -> Vec<&GenericArg<Ir>> {
    match ty.kind(Ir) {
        TyKind::Adt(_, subst)
        | TyKind::Tuple(_, subst)
        | TyKind::FnDef(_, subst)
        | TyKind::AssociatedType(_, subst)
        | TyKind::OpaqueType(_, subst)
        | TyKind::Closure(_, subst)
        | TyKind::Coroutine(_, subst)
        | TyKind::CoroutineWitness(_, subst) => subst.iter(Ir).collect(),
        _ => Vec::new(),
    }
}

fn slot_keys(datum: &ImplDatum<Ir>, slots: &[(usize, Option<usize>)]) -> Vec<SlotKey> {
    let subst = &datum.binders.skip_binders().trait_ref.substitution;
    slots
        .iter()
        .map(|&(p, child)| {
            let param = subst.as_slice(Ir).get(p)?.ty(Ir)?;
            let head = rigid_head(param)?;
            match child {
                None => Some(head),
                Some(k) => rigid_head(type_children(param).get(k)?.ty(Ir)?),
            }
        })
        .collect()
}

/// The most candidate pairs listed; beyond it, listing them would cost more
/// memory than visiting every pair in turn.
const MAX_LISTED_PAIRS: usize = 4_000_000;

/// The pairs `(i, j)`, `i < j`, of impls that agree on every slot (equal
/// simplified types, or a wildcard on either side), in chalk's order (by
/// `i`, then by `j`), or `None` when there are more than
/// [`MAX_LISTED_PAIRS`]. Every pair of impls whose trait references unify is
/// among them; the work is proportional to the number of impls times the
/// number of slots, plus the pairs found.
fn overlap_candidates(impls: &[Arc<ImplDatum<Ir>>]) -> Option<Vec<(usize, usize)>> {
    let slots = slots_of(impls);
    let keys: Vec<Vec<SlotKey>> = impls.iter().map(|d| slot_keys(d, &slots)).collect();
    let mut pairs = Vec::new();
    let all: Vec<usize> = (0..impls.len()).collect();
    pairs_within(&keys, &all, 0, &mut pairs);
    if pairs.len() > MAX_LISTED_PAIRS {
        return None;
    }
    for pair in &mut pairs {
        if pair.0 > pair.1 {
            *pair = (pair.1, pair.0);
        }
    }
    pairs.sort_unstable();
    Some(pairs)
}

/// Splits `set` on `slot`: the impls by their key there, and those with a
/// wildcard there.
fn split(keys: &[Vec<SlotKey>], set: &[usize], slot: usize) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut by_key: HashMap<SimplifiedType, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut wild = Vec::new();
    for &i in set {
        match keys[i][slot] {
            Some(key) => {
                let g = *by_key.entry(key).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[g].push(i);
            }
            None => wild.push(i),
        }
    }
    (groups, wild)
}

/// The compatible pairs of impls within `set`, from `slot` on.
fn pairs_within(keys: &[Vec<SlotKey>], set: &[usize], slot: usize, out: &mut Vec<(usize, usize)>) {
    if set.len() < 2 || out.len() > MAX_LISTED_PAIRS {
        return;
    }
    let Some(slots) = keys.first().map(Vec::len) else {
        return;
    };
    if slot == slots {
        for (n, &i) in set.iter().enumerate() {
            if out.len() > MAX_LISTED_PAIRS {
                return;
            }
            out.extend(set[n + 1..].iter().map(|&j| (i, j)));
        }
        return;
    }
    let (groups, wild) = split(keys, set, slot);
    for group in &groups {
        pairs_within(keys, group, slot + 1, out);
    }
    // Every keyed impl agrees with every wildcard on this slot.
    let keyed: Vec<usize> = groups.concat();
    pairs_across(keys, &keyed, &wild, slot + 1, out);
    pairs_within(keys, &wild, slot + 1, out);
}

/// The compatible pairs `(a, b)` with `a` in `left` and `b` in `right`
/// (disjoint sets), from `slot` on.
fn pairs_across(
    keys: &[Vec<SlotKey>],
    left: &[usize],
    right: &[usize],
    slot: usize,
    out: &mut Vec<(usize, usize)>,
) {
    if left.is_empty() || right.is_empty() || out.len() > MAX_LISTED_PAIRS {
        return;
    }
    let slots = keys[left[0]].len();
    if slot == slots {
        for &a in left {
            if out.len() > MAX_LISTED_PAIRS {
                return;
            }
            out.extend(right.iter().map(|&b| (a, b)));
        }
        return;
    }
    let (left_groups, left_wild) = split(keys, left, slot);
    let (right_groups, right_wild) = split(keys, right, slot);
    let right_by_key: HashMap<SimplifiedType, &Vec<usize>> = right_groups
        .iter()
        .map(|g| (keys[g[0]][slot].expect("a keyed group"), g))
        .collect();
    for group in &left_groups {
        let key = keys[group[0]][slot].expect("a keyed group");
        if let Some(same) = right_by_key.get(&key) {
            pairs_across(keys, group, same, slot + 1, out);
        }
    }
    // Keyed impls on the left agree with the wildcards on the right, and the
    // wildcards on the left with everything on the right.
    let left_keyed: Vec<usize> = left_groups.concat();
    pairs_across(keys, &left_keyed, &right_wild, slot + 1, out);
    pairs_across(keys, &left_wild, right, slot + 1, out);
}

/// Rule overlap-structural-unify: whether the trait references of two impls
/// could unify, by first-order unification of their types with each impl's
/// parameters as variables. Anything it cannot see through (projections,
/// `dyn` and `fn` types, lifetimes, consts, error types) unifies with
/// anything, so `false` is certain and `true` only possible.
fn could_unify(a: &ImplDatum<Ir>, b: &ImplDatum<Ir>) -> bool {
    let a_params = a.binders.skip_binders().trait_ref.substitution.as_slice(Ir);
    let b_params = b.binders.skip_binders().trait_ref.substitution.as_slice(Ir);
    let mut unifier = Unifier {
        bindings: HashMap::new(),
        budget: 10_000,
    };
    a_params.len() != b_params.len()
        || a_params
            .iter()
            .zip(b_params)
            .all(|(x, y)| match (x.ty(Ir), y.ty(Ir)) {
                (Some(x), Some(y)) => unifier.unify((Side::A, x.clone()), (Side::B, y.clone())),
                _ => true,
            })
}

/// Which impl a type (and the parameters in it) belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Side {
    A,
    B,
}

struct Unifier {
    /// Impl parameters bound so far, to a type of either impl.
    bindings: HashMap<(Side, usize), (Side, Ty<Ir>)>,
    /// Steps left; when they run out the answer is "could unify".
    budget: usize,
}

impl Unifier {
    /// The impl parameter a type is, if it is one.
    fn parameter(ty: &Ty<Ir>) -> Option<usize> {
        match ty.kind(Ir) {
            TyKind::BoundVar(var) if var.debruijn == DebruijnIndex::INNERMOST => Some(var.index),
            _ => None,
        }
    }

    /// Follows the bindings of a parameter.
    fn resolve(&mut self, (mut side, mut ty): (Side, Ty<Ir>)) -> (Side, Ty<Ir>) {
        while let Some(index) = Self::parameter(&ty) {
            match self.bindings.get(&(side, index)) {
                Some((s, t)) if self.budget > 0 => {
                    self.budget -= 1;
                    (side, ty) = (*s, t.clone());
                }
                _ => break,
            }
        }
        (side, ty)
    }

    fn unify(&mut self, a: (Side, Ty<Ir>), b: (Side, Ty<Ir>)) -> bool {
        if self.budget == 0 {
            return true;
        }
        self.budget -= 1;
        let (a_side, a) = self.resolve(a);
        let (b_side, b) = self.resolve(b);
        match (Self::parameter(&a), Self::parameter(&b)) {
            (Some(x), Some(y)) if (a_side, x) == (b_side, y) => true,
            (Some(x), _) => {
                self.bindings.insert((a_side, x), (b_side, b));
                true
            }
            (_, Some(y)) => {
                self.bindings.insert((b_side, y), (a_side, a));
                true
            }
            (None, None) => match (rigid_head(&a), rigid_head(&b)) {
                (Some(x), Some(y)) if x != y => false,
                (Some(_), Some(_)) => {
                    let (xs, ys) = (rigid_children(&a), rigid_children(&b));
                    xs.len() != ys.len()
                        || xs
                            .into_iter()
                            .zip(ys)
                            .all(|(x, y)| self.unify((a_side, x), (b_side, y)))
                }
                _ => true,
            },
        }
    }
}

/// The types below a rigid type's outermost constructor, in the order
/// unification compares them.
fn rigid_children(ty: &Ty<Ir>) -> Vec<Ty<Ir>> {
    match ty.kind(Ir) {
        TyKind::Ref(_, _, inner) | TyKind::Raw(_, inner) | TyKind::Slice(inner) => {
            vec![inner.clone()]
        }
        TyKind::Array(inner, _) => vec![inner.clone()],
        _ => type_children(ty)
            .into_iter()
            .filter_map(|arg| arg.ty(Ir).cloned())
            .collect(),
    }
}

/// The specialization edges found so far, `less special -> more special`,
/// between indices of a trait's impls.
#[derive(Default)]
struct Specializations {
    edges: HashMap<usize, Vec<usize>>,
    has_incoming: std::collections::HashSet<usize>,
}

impl Specializations {
    fn record(&mut self, less: usize, more: usize) {
        let out = self.edges.entry(less).or_default();
        if !out.contains(&more) {
            out.push(more);
        }
        self.has_incoming.insert(more);
    }

    /// Whether walking down from every impl that specializes nothing meets
    /// each impl at most once, as chalk's priority assignment requires.
    fn is_a_forest(&self) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<usize> = self
            .edges
            .keys()
            .copied()
            .filter(|n| !self.has_incoming.contains(n))
            .collect();
        while let Some(node) = stack.pop() {
            if !seen.insert(node) {
                return false;
            }
            stack.extend(self.edges.get(&node).into_iter().flatten().copied());
        }
        true
    }
}

/// Whether two impls are disjoint: chalk's goal `not { compatible { exists<B..>
/// { exists<A..> { params(A) = params(B), where clauses of both } } } }`, which
/// holds when no type, in this program or any compatible future one, matches
/// both impls with both impls' where clauses holding.
fn disjoint(db: &DeadlineDb<'_>, a: &ImplDatum<Ir>, b: &ImplDatum<Ir>) -> bool {
    let (a_kinds, a_bound) = a.binders.as_ref().into();
    let (b_kinds, b_bound) = b.binders.as_ref().into();
    // The goal is `exists<B..> { exists<A..> { .. } }`: the variables of `a`
    // sit inside those of `b`, so `b`'s are shifted in by one binder level.
    let equal_params = a_bound
        .trait_ref
        .substitution
        .iter(Ir)
        .zip(b_bound.trait_ref.substitution.iter(Ir))
        .map(|(x, y)| {
            GoalData::EqGoal(EqGoal {
                a: x.clone(),
                b: y.clone().shifted_in(Ir),
            })
            .intern(Ir)
        });
    let where_clauses = a_bound
        .where_clauses
        .iter()
        .cloned()
        .chain(
            b_bound
                .where_clauses
                .iter()
                .map(|wc| wc.clone().shifted_in(Ir)),
        )
        .map(|wc| wc.cast::<Goal<Ir>>(Ir));
    let both_apply = Goal::all(Ir, equal_params.chain(where_clauses))
        .quantify(Ir, QuantifierKind::Exists, a_kinds)
        .quantify(Ir, QuantifierKind::Exists, b_kinds);
    let never_both = both_apply.compatible(Ir).negate(Ir);
    let mut solver = check_solver();
    let answer = solver.solve(db, &never_both.into_closed_goal(Ir));
    matches!(answer, Some(chalk_solve::Solution::Unique(_)))
}

/// Whether `more` specializes `less`: for all of `more`'s parameters, if
/// `more`'s where clauses hold then `less` applies to the same trait
/// reference.
fn specializes(db: &DeadlineDb<'_>, more: &ImplDatum<Ir>, less: &ImplDatum<Ir>) -> bool {
    let (more_kinds, more_bound) = more.binders.as_ref().into();
    let (less_kinds, less_bound) = less.binders.as_ref().into();
    // Inside `exists<less..>`, `more`'s variables are one binder further out.
    let equal_params = more_bound
        .trait_ref
        .substitution
        .iter(Ir)
        .zip(less_bound.trait_ref.substitution.iter(Ir))
        .map(|(x, y)| {
            GoalData::EqGoal(EqGoal {
                a: x.clone().shifted_in(Ir),
                b: y.clone(),
            })
            .intern(Ir)
        });
    let less_holds = Goal::all(
        Ir,
        equal_params.chain(
            less_bound
                .where_clauses
                .iter()
                .map(|wc| wc.clone().cast::<Goal<Ir>>(Ir)),
        ),
    )
    .quantify(Ir, QuantifierKind::Exists, less_kinds);
    let assumptions = ProgramClauses::from_iter(
        Ir,
        more_bound
            .where_clauses
            .iter()
            .map(|wc| wc.clone().cast::<ProgramClause<Ir>>(Ir)),
    );
    let goal = GoalData::Implies(assumptions, less_holds)
        .intern(Ir)
        .quantify(Ir, QuantifierKind::ForAll, more_kinds);
    let mut solver = check_solver();
    let answer = solver.solve(db, &goal.into_closed_goal(Ir));
    matches!(answer, Some(chalk_solve::Solution::Unique(_)))
}

fn impl_span(program: &Program, impl_id: ImplId<Ir>) -> Span {
    program
        .impl_source(impl_id)
        .map(|s| s.header)
        .unwrap_or_default()
}
