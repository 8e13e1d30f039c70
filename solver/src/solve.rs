//! Running one goal on one of chalk's solvers, bounded and guarded.
//!
//! chalk's solvers can loop or panic on some programs (see the notes on
//! solver limits), so every solve here:
//! - runs on a worker thread with a large stack, so deep recursion in chalk
//!   cannot overflow the caller's stack;
//! - is given a deadline through `solve_limited`, reads the program through
//!   a [`DeadlineDb`] that stops the solver at its first read after the
//!   deadline, and the caller stops waiting shortly after the deadline even
//!   when chalk does neither;
//! - is wrapped in `catch_unwind`, and a solver that panicked or timed out is
//!   dropped and rebuilt, never reused (chalk asserts its internal stack is
//!   empty at the start of every solve).

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use chalk_ir::{
    AdtId, AssocTypeId, Binders, Canonical, CanonicalVarKinds, ClosureId, ConstrainedSubst,
    Constraints, CoroutineId, Environment, FnDefId, GenericArg, Goal, ImplId, InEnvironment,
    OpaqueTyId, ProgramClause, ProgramClauses, Substitution, TraitId, Ty, TyKind, UCanonical,
    UnificationDatabase,
};
use chalk_solve::ext::GoalExt;
use chalk_solve::rust_ir::{
    AdtDatum, AdtRepr, AdtSizeAlign, AssociatedTyDatum, AssociatedTyValue, AssociatedTyValueId,
    ClosureKind, CoroutineDatum, CoroutineWitnessDatum, FnDefDatum, FnDefInputsAndOutputDatum,
    ImplDatum, OpaqueTyDatum, TraitDatum, WellKnownAssocType, WellKnownTrait,
};
use chalk_solve::{RustIrDatabase, Solution, Solver, SubstitutionResult};
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
    /// Solve on the calling thread (see [`SolverPool::on_this_thread`]).
    here: bool,
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

/// What a guarded piece of work ended with, other than a value.
enum Stopped {
    /// The work reached a [`DeadlineDb`] after its deadline.
    Deadline,
    /// The work panicked; chalk's message.
    Panic(String),
}

/// A unit of work for a solver thread.
type Job = Box<dyn FnOnce() + Send>;

/// A solver thread waiting for work: a thread with a large stack, so deep
/// recursion in chalk cannot overflow the caller's stack, that runs jobs
/// until its queue is closed.
struct Worker {
    jobs: mpsc::Sender<Job>,
}

/// Idle solver threads. Starting a thread with a 512 MiB stack costs tens of
/// microseconds, which adds up over thousands of goals; a thread that
/// finished its job in time goes back here for the next one.
static IDLE_WORKERS: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

impl Worker {
    /// An idle worker, or a new one.
    fn take() -> std::io::Result<Worker> {
        let idle = IDLE_WORKERS.lock().ok().and_then(|mut idle| idle.pop());
        if let Some(worker) = idle {
            return Ok(worker);
        }
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("chalkboard-solve".into())
            .stack_size(512 * 1024 * 1024)
            .spawn(move || {
                IN_GUARDED_SOLVE.with(|g| g.set(true));
                // The loop ends when the worker is dropped, which closes the
                // queue: after a timeout the thread finishes (or is stopped
                // by its deadline in) its job and then exits.
                while let Some(job) = receive_soon(&queue, Duration::MAX) {
                    job();
                }
            })?;
        Ok(Worker { jobs })
    }

    /// Makes the worker available to the next guarded call.
    fn give_back(self) {
        if let Ok(mut idle) = IDLE_WORKERS.lock() {
            idle.push(self);
        }
    }
}

/// How long a thread handing work to another, or waiting for its next
/// job, polls before it sleeps (rule hand-over-spin).
const HAND_OVER_SPIN: Duration = Duration::from_micros(50);

/// Rule hand-over-spin: a solve handed to a solver thread is often done in
/// tens of microseconds, and a thread put to sleep and woken again costs
/// about as much; a file with thousands of goals spent as much wall time
/// in those hand-overs as in its solves. So each side polls for a short
/// while (`HAND_OVER_SPIN`) before it sleeps, yielding the core to any
/// thread that can run: the answer, or the next job, is usually there by
/// then.
fn receive<T>(rx: &mpsc::Receiver<T>, wait: Duration) -> Result<T, mpsc::RecvTimeoutError> {
    let started = Instant::now();
    loop {
        match rx.try_recv() {
            Ok(value) => return Ok(value),
            Err(mpsc::TryRecvError::Disconnected) => {
                return Err(mpsc::RecvTimeoutError::Disconnected)
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
        let spent = started.elapsed();
        if spent >= HAND_OVER_SPIN || spent >= wait {
            break;
        }
        // Yielding, not spinning: a thread with real work to do (a check
        // thread of `parallel_map`) gets the core first.
        std::thread::yield_now();
    }
    rx.recv_timeout(wait.saturating_sub(started.elapsed()))
}

/// The next job of a solver thread's queue ([`receive`] without a
/// deadline); `None` once the queue is closed.
fn receive_soon<T>(queue: &mpsc::Receiver<T>, wait: Duration) -> Option<T> {
    match receive(queue, wait) {
        Ok(job) => Some(job),
        Err(mpsc::RecvTimeoutError::Disconnected) => None,
        Err(mpsc::RecvTimeoutError::Timeout) => queue.recv().ok(),
    }
}

/// Runs `work` on a solver thread, catching panics and giving up waiting
/// shortly after `deadline`. Returns `None` on timeout.
///
/// Rule deadline-stops-the-thread: `work` that reads the program through a
/// [`DeadlineDb`] stops at its first read after the deadline (the read
/// unwinds), so a timed-out solve does not go on burning a core while the
/// next goal runs. A thread stuck in chalk without reading the program is
/// left behind: chalk offers no way to stop it, but it is detached, so it
/// never keeps the process alive once `main` returns, and it is never given
/// another job.
pub fn guarded<R: Send + 'static>(
    deadline: Instant,
    work: impl FnOnce() -> R + Send + 'static,
) -> Option<Result<R, String>> {
    install_quiet_panic_hook();
    let worker = match Worker::take() {
        Ok(worker) => worker,
        Err(e) => return Some(Err(format!("could not start a solver thread: {e}"))),
    };
    let (tx, rx) = mpsc::channel();
    let job: Job = Box::new(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
            if payload.is::<DeadlinePassed>() {
                Stopped::Deadline
            } else {
                Stopped::Panic(panic_message(&*payload))
            }
        });
        let _ = tx.send(result);
    });
    if worker.jobs.send(job).is_err() {
        return Some(Err("the solver thread exited unexpectedly".into()));
    }
    // The grace period lets a solver that honours the deadline report it itself.
    let grace = Duration::from_millis(250);
    let wait = deadline.saturating_duration_since(Instant::now()) + grace;
    match receive(&rx, wait) {
        Ok(result) => {
            worker.give_back();
            match result {
                Ok(value) => Some(Ok(value)),
                Err(Stopped::Deadline) => None,
                Err(Stopped::Panic(msg)) => Some(Err(msg)),
            }
        }
        // The worker is dropped, still busy: see the rule above.
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Some(Err("the solver thread exited unexpectedly".into()))
        }
    }
}

/// Runs `work` on this thread as [`guarded`] runs it on a solver thread:
/// its panics caught, a [`DeadlinePassed`] stop as a timeout (`None`).
fn here<R>(work: impl FnOnce() -> R) -> Option<Result<R, String>> {
    install_quiet_panic_hook();
    match panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => Some(Ok(value)),
        Err(payload) if payload.is::<DeadlinePassed>() => None,
        Err(payload) => Some(Err(panic_message(&*payload))),
    }
}

/// A deadline for a whole phase of solves (the checks that follow
/// coherence and well-formedness), on top of each solve's own: rule
/// check-deadline for the checks that run goal by goal through a
/// [`SolverPool`].
#[derive(Debug)]
pub struct PhaseDeadline {
    at: Instant,
    /// The last checkpoint: `(done, total)`.
    last: Mutex<(usize, usize)>,
    /// The deadline stopped the phase, or cut a solve in it short.
    stopped: std::sync::atomic::AtomicBool,
}

thread_local! {
    static PHASE: std::cell::RefCell<Option<Arc<PhaseDeadline>>> =
        const { std::cell::RefCell::new(None) };
}

impl PhaseDeadline {
    pub fn new(at: Instant) -> Arc<PhaseDeadline> {
        Arc::new(PhaseDeadline {
            at,
            last: Mutex::new((0, 0)),
            stopped: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Runs `f` with every [`SolverPool::solve`] on this thread bounded by
    /// this deadline too.
    pub fn run<R>(self: &Arc<Self>, f: impl FnOnce() -> R) -> R {
        struct Restore(Option<Arc<PhaseDeadline>>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                PHASE.with(|p| *p.borrow_mut() = previous);
            }
        }
        let previous = PHASE.with(|p| p.borrow_mut().replace(Arc::clone(self)));
        let _restore = Restore(previous);
        f()
    }

    /// Where the phase stopped, `(done, total)` at its last checkpoint, if
    /// its deadline stopped it or cut one of its solves short.
    pub fn stopped_at(&self) -> Option<(usize, usize)> {
        if self.stopped.load(std::sync::atomic::Ordering::Relaxed) {
            self.last.lock().ok().map(|last| *last)
        } else {
            None
        }
    }
}

/// For a loop over the work of a phase: records how far it got and says
/// whether to stop, because the deadline of the phase running on this thread
/// (if any) has passed.
pub fn phase_checkpoint(done: usize, total: usize) -> bool {
    PHASE.with(|p| match &*p.borrow() {
        Some(phase) => {
            if phase.stopped.load(std::sync::atomic::Ordering::Relaxed) {
                return true;
            }
            if let Ok(mut last) = phase.last.lock() {
                *last = (done, total);
            }
            let passed = Instant::now() >= phase.at;
            if passed {
                phase
                    .stopped
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
            passed
        }
        None => false,
    })
}

/// The phase running on this thread, if any (to run it on other threads
/// too, with [`PhaseDeadline::run`]).
pub fn current_phase() -> Option<Arc<PhaseDeadline>> {
    PHASE.with(|p| p.borrow().clone())
}

/// How many solver threads [`parallel_map`] uses: one per core, at most 8.
fn solver_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Runs `f` on every item, spread over the cores, and returns the results in
/// item order. Each thread is a solver thread (large stack, quiet panic hook)
/// with `program` installed for printing.
///
/// Rule parallel-checks: the checks of different items are independent (each
/// solve uses a fresh solver), so running them side by side changes no
/// answer; the results are put back in item order. A panic in `f` (chalk's,
/// or a [`DeadlinePassed`] stop) goes on unwinding in the caller once every
/// thread has stopped; when several items panicked, the first item's panic
/// wins, as it would have in a loop.
pub fn parallel_map<T: Sync, R: Send>(
    program: &Arc<Program>,
    items: &[T],
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let threads = solver_threads().min(items.len());
    if threads <= 1 {
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| f(i, item))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    // The index of the first item that panicked, so the other threads stop.
    let first_panic = std::sync::atomic::AtomicUsize::new(usize::MAX);
    type Panic = (usize, Box<dyn std::any::Any + Send>);
    let mut results: Vec<(usize, R)> = Vec::with_capacity(items.len());
    let mut panics: Vec<Panic> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .name("chalkboard-check".into())
                    .stack_size(512 * 1024 * 1024)
                    .spawn_scoped(scope, || {
                        IN_GUARDED_SOLVE.with(|g| g.set(true));
                        chalkboard_lowering::with_program(program, || {
                            let mut done: Vec<(usize, R)> = Vec::new();
                            loop {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                if i >= items.len()
                                    || i > first_panic.load(std::sync::atomic::Ordering::Relaxed)
                                {
                                    return (done, None);
                                }
                                match panic::catch_unwind(AssertUnwindSafe(|| f(i, &items[i]))) {
                                    Ok(r) => done.push((i, r)),
                                    Err(payload) => {
                                        first_panic
                                            .fetch_min(i, std::sync::atomic::Ordering::Relaxed);
                                        return (done, Some((i, payload)));
                                    }
                                }
                            }
                        })
                    })
            })
            .collect();
        // A thread that could not start took no work; what none took is
        // done below.
        for handle in handles.into_iter().flatten() {
            if let Ok((done, panicked)) = handle.join() {
                results.extend(done);
                panics.extend(panicked);
            }
        }
    });
    if let Some((_, payload)) = panics.into_iter().min_by_key(|(i, _)| *i) {
        panic::resume_unwind(payload);
    }
    let taken = next
        .load(std::sync::atomic::Ordering::Relaxed)
        .min(items.len());
    results.extend((taken..items.len()).map(|i| (i, f(i, &items[i]))));
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The payload a [`DeadlineDb`] unwinds with once its deadline has passed.
/// It is raised with `resume_unwind`, so no panic hook runs and nothing is
/// printed; [`guarded`] turns it into a timeout.
pub struct DeadlinePassed;

/// Whether a caught panic is a deadline stop rather than a failure; code that
/// catches panics inside guarded work must let these go on unwinding.
pub fn is_deadline_stop(payload: &(dyn std::any::Any + Send)) -> bool {
    payload.is::<DeadlinePassed>()
}

/// The program as chalk's solvers read it, with a deadline: every read after
/// the deadline unwinds with [`DeadlinePassed`], which stops a solver that
/// never checks its own `should_continue` (the recursive solver, the SLG
/// solver between quanta, chalk's coherence and well-formedness checks).
///
/// Every method answers exactly as [`Program`] does.
#[derive(Debug)]
pub struct DeadlineDb<'a> {
    program: &'a Program,
    deadline: Instant,
}

impl<'a> DeadlineDb<'a> {
    pub fn new(program: &'a Program, deadline: Instant) -> Self {
        DeadlineDb { program, deadline }
    }

    /// Unwinds with [`DeadlinePassed`] when the deadline has passed.
    pub fn check(&self) {
        if Instant::now() >= self.deadline {
            panic::resume_unwind(Box::new(DeadlinePassed));
        }
    }

    /// The program read through this database.
    pub fn program(&self) -> &'a Program {
        self.program
    }
}

impl RustIrDatabase<Ir> for DeadlineDb<'_> {
    fn custom_clauses(&self) -> Vec<ProgramClause<Ir>> {
        self.check();
        self.program.custom_clauses()
    }
    fn associated_ty_data(&self, id: AssocTypeId<Ir>) -> Arc<AssociatedTyDatum<Ir>> {
        self.check();
        self.program.associated_ty_data(id)
    }
    fn trait_datum(&self, id: TraitId<Ir>) -> Arc<TraitDatum<Ir>> {
        self.check();
        self.program.trait_datum(id)
    }
    fn adt_datum(&self, id: AdtId<Ir>) -> Arc<AdtDatum<Ir>> {
        self.check();
        self.program.adt_datum(id)
    }
    fn coroutine_datum(&self, id: CoroutineId<Ir>) -> Arc<CoroutineDatum<Ir>> {
        self.check();
        self.program.coroutine_datum(id)
    }
    fn coroutine_witness_datum(&self, id: CoroutineId<Ir>) -> Arc<CoroutineWitnessDatum<Ir>> {
        self.check();
        self.program.coroutine_witness_datum(id)
    }
    fn adt_repr(&self, id: AdtId<Ir>) -> Arc<AdtRepr<Ir>> {
        self.check();
        self.program.adt_repr(id)
    }
    fn adt_size_align(&self, id: AdtId<Ir>) -> Arc<AdtSizeAlign> {
        self.check();
        self.program.adt_size_align(id)
    }
    fn fn_def_datum(&self, id: FnDefId<Ir>) -> Arc<FnDefDatum<Ir>> {
        self.check();
        self.program.fn_def_datum(id)
    }
    fn impl_datum(&self, id: ImplId<Ir>) -> Arc<ImplDatum<Ir>> {
        self.check();
        self.program.impl_datum(id)
    }
    fn associated_ty_from_impl(
        &self,
        impl_id: ImplId<Ir>,
        assoc_type_id: AssocTypeId<Ir>,
    ) -> Option<AssociatedTyValueId<Ir>> {
        self.check();
        self.program.associated_ty_from_impl(impl_id, assoc_type_id)
    }
    fn associated_ty_value(&self, id: AssociatedTyValueId<Ir>) -> Arc<AssociatedTyValue<Ir>> {
        self.check();
        self.program.associated_ty_value(id)
    }
    fn opaque_ty_data(&self, id: OpaqueTyId<Ir>) -> Arc<OpaqueTyDatum<Ir>> {
        self.check();
        self.program.opaque_ty_data(id)
    }
    fn hidden_opaque_type(&self, id: OpaqueTyId<Ir>) -> Ty<Ir> {
        self.check();
        self.program.hidden_opaque_type(id)
    }
    fn impls_for_trait(
        &self,
        trait_id: TraitId<Ir>,
        parameters: &[GenericArg<Ir>],
        binders: &CanonicalVarKinds<Ir>,
    ) -> Vec<ImplId<Ir>> {
        self.check();
        self.program.impls_for_trait(trait_id, parameters, binders)
    }
    fn local_impls_to_coherence_check(&self, trait_id: TraitId<Ir>) -> Vec<ImplId<Ir>> {
        self.check();
        self.program.local_impls_to_coherence_check(trait_id)
    }
    fn impl_provided_for(&self, auto_trait_id: TraitId<Ir>, ty: &TyKind<Ir>) -> bool {
        self.check();
        self.program.impl_provided_for(auto_trait_id, ty)
    }
    fn well_known_trait_id(&self, well_known: WellKnownTrait) -> Option<TraitId<Ir>> {
        self.check();
        self.program.well_known_trait_id(well_known)
    }
    fn well_known_assoc_type_id(&self, assoc_type: WellKnownAssocType) -> Option<AssocTypeId<Ir>> {
        self.check();
        self.program.well_known_assoc_type_id(assoc_type)
    }
    fn program_clauses_for_env(&self, environment: &Environment<Ir>) -> ProgramClauses<Ir> {
        self.check();
        self.program.program_clauses_for_env(environment)
    }
    fn interner(&self) -> Ir {
        Ir
    }
    fn is_object_safe(&self, trait_id: TraitId<Ir>) -> bool {
        self.check();
        self.program.is_object_safe(trait_id)
    }
    fn closure_kind(&self, id: ClosureId<Ir>, substs: &Substitution<Ir>) -> ClosureKind {
        self.check();
        self.program.closure_kind(id, substs)
    }
    fn closure_inputs_and_output(
        &self,
        id: ClosureId<Ir>,
        substs: &Substitution<Ir>,
    ) -> Binders<FnDefInputsAndOutputDatum<Ir>> {
        self.check();
        self.program.closure_inputs_and_output(id, substs)
    }
    fn closure_upvars(&self, id: ClosureId<Ir>, substs: &Substitution<Ir>) -> Binders<Ty<Ir>> {
        self.check();
        self.program.closure_upvars(id, substs)
    }
    fn closure_fn_substitution(
        &self,
        id: ClosureId<Ir>,
        substs: &Substitution<Ir>,
    ) -> Substitution<Ir> {
        self.check();
        self.program.closure_fn_substitution(id, substs)
    }
    fn unification_database(&self) -> &dyn UnificationDatabase<Ir> {
        self.program.unification_database()
    }
    fn trait_name(&self, id: TraitId<Ir>) -> String {
        self.program.trait_name(id)
    }
    fn adt_name(&self, id: AdtId<Ir>) -> String {
        self.program.adt_name(id)
    }
    fn assoc_type_name(&self, id: AssocTypeId<Ir>) -> String {
        self.program.assoc_type_name(id)
    }
    fn opaque_type_name(&self, id: OpaqueTyId<Ir>) -> String {
        self.program.opaque_type_name(id)
    }
    fn fn_def_name(&self, id: FnDefId<Ir>) -> String {
        self.program.fn_def_name(id)
    }
    fn discriminant_type(&self, ty: Ty<Ir>) -> Ty<Ir> {
        self.check();
        self.program.discriminant_type(ty)
    }
}

impl SolverPool {
    /// A pool whose solves run on the calling thread when it is a solver
    /// thread (one of [`parallel_map`]'s; any other thread still hands each
    /// solve to a solver thread): each solve is still
    /// bounded by its deadline (its [`DeadlineDb`] and `should_continue`),
    /// and its panics are still caught, but no solve hands its work to
    /// another thread and waits for it (rule solve-on-this-thread). A
    /// thousand small solves cost what they solve, not a thousand hand-overs
    /// between threads, which on a loaded machine cost more than the solves.
    pub fn on_this_thread() -> SolverPool {
        SolverPool {
            solvers: HashMap::new(),
            here: true,
        }
    }

    /// Solves `goal` (already peeled and canonicalized) on the solver `spec`.
    pub fn solve(
        &mut self,
        program: &Arc<Program>,
        goal: UCanonical<InEnvironment<Goal<Ir>>>,
        spec: SolverSpec,
        request: Request,
        limits: &Limits,
    ) -> Outcome {
        self.solve_recording(program, goal, spec, request, limits, false)
            .0
    }

    /// [`SolverPool::solve`], and when `record` is set, what the solve read
    /// of the program (see [`chalkboard_lowering::reads`]), noted on the
    /// thread that solves.
    pub fn solve_recording(
        &mut self,
        program: &Arc<Program>,
        goal: UCanonical<InEnvironment<Goal<Ir>>>,
        spec: SolverSpec,
        request: Request,
        limits: &Limits,
        record: bool,
    ) -> (Outcome, Vec<chalkboard_lowering::reads::Read>) {
        let spec = effective_spec(spec, limits);
        let mut solver = self
            .solvers
            .remove(&key(spec))
            .unwrap_or_else(|| AnySolver::new(spec));
        let mut deadline = Instant::now() + limits.timeout;
        let phase = current_phase();
        if let Some(phase) = &phase {
            deadline = deadline.min(phase.at);
        }
        let program = Arc::clone(program);
        let work = move || {
            let timed_out = Cell::new(false);
            let stopped_mid_solve = Cell::new(false);
            let (outcome, reads) = recording_if(record, || {
                chalkboard_lowering::with_program(&program, || {
                    let db = DeadlineDb::new(&program, deadline);
                    let db = &db;
                    match request {
                        Request::Aggregated => {
                            let should_continue = || {
                                let go_on = Instant::now() < deadline;
                                if !go_on {
                                    timed_out.set(true);
                                }
                                go_on
                            };
                            Outcome::Solved(solver.as_dyn().solve_limited(
                                db,
                                &goal,
                                &should_continue,
                            ))
                        }
                        Request::All { limit } => {
                            let mut answers = Vec::new();
                            let mut complete = true;
                            let enumerated = panic::catch_unwind(AssertUnwindSafe(|| {
                                solver.as_dyn().solve_multiple(
                                    db,
                                    &goal,
                                    &mut |result, has_next| {
                                        answers.push(match result {
                                            SubstitutionResult::Definite(s) => {
                                                EnumeratedAnswer::Definite(s)
                                            }
                                            SubstitutionResult::Ambiguous(s) => {
                                                EnumeratedAnswer::Ambiguous(s)
                                            }
                                            SubstitutionResult::Floundered => {
                                                EnumeratedAnswer::Floundered
                                            }
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
                                    },
                                )
                            }));
                            // Stopped by the deadline between two answers: the
                            // answers found so far are kept, as when it is
                            // reached at an answer (none found is a timeout);
                            // the solver, stopped mid-solve, is not reused.
                            if let Err(payload) = enumerated {
                                if !is_deadline_stop(&*payload) || answers.is_empty() {
                                    panic::resume_unwind(payload);
                                }
                                stopped_mid_solve.set(true);
                                complete = false;
                            }
                            Outcome::Enumerated { answers, complete }
                        }
                    }
                })
            });
            let outcome = if timed_out.get() && matches!(request, Request::Aggregated) {
                Outcome::Timeout
            } else {
                outcome
            };
            (outcome, solver, !stopped_mid_solve.get(), reads)
        };
        // Only a solver thread (large stack, quiet panics) solves itself;
        // any other thread hands the solve to one, as every pool does.
        let result = if self.here && IN_GUARDED_SOLVE.with(|g| g.get()) {
            here(work)
        } else {
            guarded(deadline, work)
        };
        let mut reads = Vec::new();
        let outcome = match result {
            Some(Ok((outcome, solver, reusable, read))) => {
                if reusable && !matches!(outcome, Outcome::Timeout) {
                    self.solvers.insert(key(spec), solver);
                }
                reads = read;
                outcome
            }
            Some(Err(msg)) if msg.contains("overflow depth reached") => Outcome::Overflow,
            Some(Err(msg)) => Outcome::Panic(msg),
            None => Outcome::Timeout,
        };
        if let Some(phase) = phase {
            if matches!(outcome, Outcome::Timeout) && Instant::now() >= phase.at {
                phase
                    .stopped
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        (outcome, reads)
    }
}

/// `work`, and what it read of the program when `record` is set.
fn recording_if<R>(
    record: bool,
    work: impl FnOnce() -> R,
) -> (R, Vec<chalkboard_lowering::reads::Read>) {
    if record {
        chalkboard_lowering::reads::recording(work)
    } else {
        (work(), Vec::new())
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
