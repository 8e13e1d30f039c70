//! Running one goal on one of chalk's solvers, bounded and guarded.
//!
//! chalk's solvers can loop or panic on some programs (see the notes on
//! solver limits), so every solve here:
//! - runs on a worker thread with a large stack, so deep recursion in chalk
//!   cannot overflow the caller's stack;
//! - is given a deadline through `solve_limited`, and the caller stops waiting
//!   shortly after the deadline even when chalk never checks it;
//! - is wrapped in `catch_unwind`, and a solver that panicked or timed out is
//!   dropped and rebuilt, never reused (chalk asserts its internal stack is
//!   empty at the start of every solve).

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use chalk_ir::{Canonical, ConstrainedSubst, Constraints, Goal, InEnvironment, UCanonical};
use chalk_solve::ext::GoalExt;
use chalk_solve::{Solution, Solver, SubstitutionResult};
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, SolverSpec};

/// Limits applied to every solve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Wall-clock deadline for one solve (or one check).
    pub timeout: Duration,
    /// Overrides the max size of every solver (chalk's default: SLG 10, recursive 30).
    pub max_size: Option<usize>,
    /// Overrides the recursive solver's overflow depth (chalk's default: 100).
    pub overflow_depth: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(5),
            max_size: None,
            overflow_depth: None,
        }
    }
}

/// What came of one solve, as data: chalk's solution itself, not its text.
/// [`Outcome::render`] prints it as chalk's harness does, at the edge.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// The solver answered: a unique or ambiguous solution, or `None` for
    /// "No possible solution".
    Solved(Option<Solution<Ir>>),
    /// Several answers (`yields_all` / `yields_first`); `complete` is false
    /// when enumeration was cut short.
    Enumerated {
        answers: Vec<EnumeratedAnswer>,
        complete: bool,
    },
    /// The deadline passed before the solver answered.
    Timeout,
    /// The recursive solver hit its overflow depth (chalk panics with
    /// "overflow depth reached").
    Overflow,
    /// chalk panicked for another reason; the message is chalk's.
    Panic(String),
}

/// One answer of an enumeration (chalk's `SubstitutionResult`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum EnumeratedAnswer {
    Definite(Canonical<ConstrainedSubst<Ir>>),
    Ambiguous(Canonical<ConstrainedSubst<Ir>>),
    Floundered,
}

/// What kind of answer an outcome is: the data every holds/fails decision
/// reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AnswerKind {
    /// A unique solution (possibly with region constraints: see
    /// [`Outcome::region_constraints`]).
    Unique,
    /// An ambiguous solution, with or without guidance.
    Ambiguous,
    /// No possible solution.
    NoSolution,
    /// Several answers were enumerated.
    Enumerated,
    /// A limit was hit: the deadline or the overflow depth.
    Limit,
    /// chalk panicked.
    Internal,
}

impl Outcome {
    /// What kind of answer this is.
    pub fn kind(&self) -> AnswerKind {
        match self {
            Outcome::Solved(Some(Solution::Unique(_))) => AnswerKind::Unique,
            Outcome::Solved(Some(Solution::Ambig(_))) => AnswerKind::Ambiguous,
            Outcome::Solved(None) => AnswerKind::NoSolution,
            Outcome::Enumerated { .. } => AnswerKind::Enumerated,
            Outcome::Timeout | Outcome::Overflow => AnswerKind::Limit,
            Outcome::Panic(_) => AnswerKind::Internal,
        }
    }

    /// The region constraints of a unique solution (empty otherwise).
    pub fn region_constraints(&self) -> Vec<InEnvironment<chalk_ir::Constraint<Ir>>> {
        match self {
            Outcome::Solved(Some(Solution::Unique(s))) => s.value.constraints.as_slice(Ir).to_vec(),
            _ => Vec::new(),
        }
    }

    /// The outcome as one line of text, as chalk's harness prints it; the
    /// names of items come from `program`.
    pub fn render(&self, program: Option<&Arc<Program>>) -> String {
        match program {
            Some(p) => chalkboard_lowering::with_program(p, || self.render_installed()),
            None => self.render_installed(),
        }
    }

    fn render_installed(&self) -> String {
        match self {
            Outcome::Solved(solution) => format_solution(solution.clone()),
            Outcome::Enumerated { answers, complete } => {
                let mut s = answers
                    .iter()
                    .map(|a| format!("{:?}", format_enumerated(a)))
                    .collect::<Vec<_>>()
                    .join(", ");
                if !*complete {
                    s.push_str(", ... (enumeration stopped)");
                }
                format!("[{s}]")
            }
            Outcome::Timeout => "timeout: the solver did not answer before the deadline".into(),
            Outcome::Overflow => "overflow: the recursive solver reached its overflow depth".into(),
            Outcome::Panic(msg) => format!("internal error: chalk panicked: {msg}"),
        }
    }

    /// Each enumerated answer as chalk's harness prints it (empty for an
    /// aggregated outcome).
    pub fn render_answers(&self, program: Option<&Arc<Program>>) -> Vec<String> {
        let Outcome::Enumerated { answers, .. } = self else {
            return Vec::new();
        };
        let render = || answers.iter().map(format_enumerated).collect();
        match program {
            Some(p) => chalkboard_lowering::with_program(p, render),
            None => render(),
        }
    }

    /// True when the outcome is a limit being hit rather than an answer.
    pub fn hit_limit(&self) -> bool {
        self.kind() == AnswerKind::Limit
    }
}

/// The concrete solver configuration for a spec under the given limits.
pub fn effective_spec(spec: SolverSpec, limits: &Limits) -> SolverSpec {
    match spec {
        SolverSpec::Slg {
            max_size,
            expected_answers,
        } => SolverSpec::Slg {
            max_size: limits.max_size.unwrap_or(max_size),
            expected_answers,
        },
        SolverSpec::Recursive {
            overflow_depth,
            max_size,
        } => SolverSpec::Recursive {
            overflow_depth: limits.overflow_depth.unwrap_or(overflow_depth),
            max_size: limits.max_size.unwrap_or(max_size),
        },
    }
}

/// A human name for a solver configuration, e.g. `slg(10)`.
pub fn spec_name(spec: SolverSpec) -> String {
    match spec {
        SolverSpec::Slg {
            max_size,
            expected_answers: None,
        } => format!("slg(max_size {max_size})"),
        SolverSpec::Slg {
            max_size,
            expected_answers: Some(n),
        } => format!("slg(max_size {max_size}, expected_answers {n})"),
        SolverSpec::Recursive {
            overflow_depth,
            max_size,
        } => format!("recursive(overflow_depth {overflow_depth}, max_size {max_size})"),
    }
}

enum AnySolver {
    Slg(chalk_engine::solve::SLGSolver<Ir>),
    Recursive(chalk_recursive::RecursiveSolver<Ir>),
}

impl AnySolver {
    fn new(spec: SolverSpec) -> AnySolver {
        match spec {
            SolverSpec::Slg {
                max_size,
                expected_answers,
            } => AnySolver::Slg(chalk_engine::solve::SLGSolver::new(
                max_size,
                expected_answers,
            )),
            SolverSpec::Recursive {
                overflow_depth,
                max_size,
            } => AnySolver::Recursive(chalk_recursive::RecursiveSolver::new(
                overflow_depth,
                max_size,
                Some(chalk_recursive::Cache::new()),
            )),
        }
    }

    fn as_dyn(&mut self) -> &mut dyn Solver<Ir> {
        match self {
            AnySolver::Slg(s) => s,
            AnySolver::Recursive(s) => s,
        }
    }
}

/// Solvers kept alive across the goals of one program, as chalk's harness
/// keeps one solver per solver choice (so caches are shared between goals).
#[derive(Default)]
pub struct SolverPool {
    solvers: HashMap<SpecKey, AnySolver>,
}

#[derive(Hash, PartialEq, Eq, Clone, Copy)]
struct SpecKey(u8, usize, usize);

fn key(spec: SolverSpec) -> SpecKey {
    match spec {
        SolverSpec::Slg {
            max_size,
            expected_answers,
        } => SpecKey(0, max_size, expected_answers.map_or(usize::MAX, |n| n)),
        SolverSpec::Recursive {
            overflow_depth,
            max_size,
        } => SpecKey(1, overflow_depth, max_size),
    }
}

/// What a solve is asked to produce.
#[derive(Clone, Copy, Debug)]
pub enum Request {
    /// One aggregated solution.
    Aggregated,
    /// Every answer, at most this many (SLG only).
    All { limit: usize },
}

/// Prints a solution as chalk's harness does: lifetime constraints of a
/// unique solution are sorted by their debug text, since the solvers may
/// produce them in different orders.
pub fn format_solution(result: Option<Solution<Ir>>) -> String {
    let mut result = result;
    if let Some(Solution::Unique(solution)) = &mut result {
        let mut sorted = solution.value.constraints.as_slice(Ir).to_vec();
        sorted.sort_by_key(|c| format!("{c:?}"));
        solution.value.constraints = Constraints::from_iter(Ir, sorted);
    }
    match result {
        Some(v) => v.display(Ir).to_string(),
        None => "No possible solution".to_string(),
    }
}

fn format_enumerated(answer: &EnumeratedAnswer) -> String {
    let result = match answer {
        EnumeratedAnswer::Definite(s) => SubstitutionResult::Definite(s),
        EnumeratedAnswer::Ambiguous(s) => SubstitutionResult::Ambiguous(s),
        EnumeratedAnswer::Floundered => SubstitutionResult::Floundered,
    };
    format!("{}", result.map(|v| v.display(Ir)))
}

thread_local! {
    static IN_GUARDED_SOLVE: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that keeps chalk's panics inside guarded
/// solves quiet: they are caught and reported per goal, so the default hook's
/// "thread panicked at" line would only be noise.
fn install_quiet_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default_hook = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_GUARDED_SOLVE.with(|g| g.get()) {
                default_hook(info);
            }
        }));
    });
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Runs `work` on a worker thread with a large stack, catching panics and
/// giving up waiting shortly after `deadline`. Returns `None` on timeout.
pub fn guarded<R: Send + 'static>(
    deadline: Instant,
    work: impl FnOnce() -> R + Send + 'static,
) -> Option<Result<R, String>> {
    install_quiet_panic_hook();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("chalkboard-solve".into())
        .stack_size(512 * 1024 * 1024)
        .spawn(move || {
            IN_GUARDED_SOLVE.with(|g| g.set(true));
            let result = panic::catch_unwind(AssertUnwindSafe(work));
            let _ = tx.send(result.map_err(|p| panic_message(&*p)));
        });
    if let Err(e) = spawned {
        return Some(Err(format!("could not start a solver thread: {e}")));
    }
    // The grace period lets a solver that honours the deadline report it itself.
    let grace = Duration::from_millis(250);
    let wait = deadline.saturating_duration_since(Instant::now()) + grace;
    // On timeout the worker is left behind: chalk offers no way to stop a
    // solver that does not check its deadline, and the process moves on.
    rx.recv_timeout(wait).ok()
}

impl SolverPool {
    /// Solves `goal` (already peeled and canonicalized) on the solver `spec`.
    pub fn solve(
        &mut self,
        program: &Arc<Program>,
        goal: UCanonical<InEnvironment<Goal<Ir>>>,
        spec: SolverSpec,
        request: Request,
        limits: &Limits,
    ) -> Outcome {
        let spec = effective_spec(spec, limits);
        let mut solver = self
            .solvers
            .remove(&key(spec))
            .unwrap_or_else(|| AnySolver::new(spec));
        let deadline = Instant::now() + limits.timeout;
        let program = Arc::clone(program);
        let result = guarded(deadline, move || {
            let timed_out = Cell::new(false);
            let outcome = chalkboard_lowering::with_program(&program, || {
                let db: &Program = &program;
                match request {
                    Request::Aggregated => {
                        let should_continue = || {
                            let go_on = Instant::now() < deadline;
                            if !go_on {
                                timed_out.set(true);
                            }
                            go_on
                        };
                        Outcome::Solved(solver.as_dyn().solve_limited(db, &goal, &should_continue))
                    }
                    Request::All { limit } => {
                        let mut answers = Vec::new();
                        let mut complete = true;
                        solver
                            .as_dyn()
                            .solve_multiple(db, &goal, &mut |result, has_next| {
                                answers.push(match result {
                                    SubstitutionResult::Definite(s) => {
                                        EnumeratedAnswer::Definite(s)
                                    }
                                    SubstitutionResult::Ambiguous(s) => {
                                        EnumeratedAnswer::Ambiguous(s)
                                    }
                                    SubstitutionResult::Floundered => EnumeratedAnswer::Floundered,
                                });
                                if Instant::now() >= deadline {
                                    timed_out.set(true);
                                    complete = !has_next;
                                    return false;
                                }
                                if answers.len() >= limit {
                                    complete = !has_next;
                                    return false;
                                }
                                true
                            });
                        Outcome::Enumerated { answers, complete }
                    }
                }
            });
            let outcome = if timed_out.get() && matches!(request, Request::Aggregated) {
                Outcome::Timeout
            } else {
                outcome
            };
            (outcome, solver)
        });
        match result {
            Some(Ok((outcome, solver))) => {
                if !matches!(outcome, Outcome::Timeout) {
                    self.solvers.insert(key(spec), solver);
                }
                outcome
            }
            Some(Err(msg)) if msg.contains("overflow depth reached") => Outcome::Overflow,
            Some(Err(msg)) => Outcome::Panic(msg),
            None => Outcome::Timeout,
        }
    }
}

impl SolverPool {
    /// Lowers a goal written as syntax against `program` and answers it on
    /// the SLG solver with chalk's defaults (the solver chalk's own checks
    /// use). A goal that does not lower is an internal error: the checks
    /// that build goals build them from the program's own items.
    pub fn prove(&mut self, program: &Arc<Program>, goal: &ast::Goal, limits: &Limits) -> Outcome {
        let lowered = chalkboard_lowering::with_program(program, || {
            program.lower_goal(goal).map_err(Box::new)
        });
        match lowered {
            Ok(goal) => self.solve(
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

    /// Lowers a goal written as syntax and enumerates up to `limit` of its
    /// answers on the SLG solver.
    pub fn enumerate(
        &mut self,
        program: &Arc<Program>,
        goal: &ast::Goal,
        limits: &Limits,
        limit: usize,
    ) -> Outcome {
        let lowered = chalkboard_lowering::with_program(program, || {
            program.lower_goal(goal).map_err(Box::new)
        });
        match lowered {
            Ok(goal) => self.solve(
                program,
                goal.into_peeled_goal(Ir),
                SolverSpec::SLG_DEFAULT,
                Request::All { limit },
                limits,
            ),
            Err(d) => Outcome::Panic(format!(
                "the check's goal could not be lowered: {}",
                d.message
            )),
        }
    }
}
