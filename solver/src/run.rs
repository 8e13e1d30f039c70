//! Running a file's goals: solve every goal on the solvers its expectations
//! name (both by default), and compare the answers with the expectations,
//! the way chalk's own test harness does. The pipeline (`db`) decides
//! whether the goals run at all, and [`assemble`] puts what it found into a
//! [`FileReport`]: plain data that the CLI renders as text or JSON.
//!
//! Nothing here prints, and nothing here knows a layer's configurations by
//! name: an expectation for another configuration is recognised by asking
//! the layer ([`Layer::config_named`]).

use std::sync::Arc;

use chalk_ir::{InEnvironment, UCanonical};
use chalkboard_lowering::interner::Ir;

use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, ExpectationKind, SolverSpec, Span};
use chalkboard_syntax::Diagnostic;

use crate::annotations::AnnotationCheck;
use crate::layer::{Config, Layer, LayerReport};
use crate::negation::Graph;
use crate::solve::{spec_name, AnswerKind, Limits, Outcome, Request, SolverPool};
use crate::verdict::{combine, plain_word, GoalContext, GoalVerdict};

/// Which solvers run goals that carry no solver-specific expectation.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SolverSelection {
    /// SLG and recursive, compared with each other (the default).
    #[default]
    Both,
    Slg,
    Recursive,
}

/// The solver settings of a run (the layer's configuration is apart: see
/// [`crate::layer::Config`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOptions {
    pub solvers: SolverSelection,
    pub limits: Limits,
    /// Only parse, lower and check; solve nothing.
    pub check_only: bool,
    /// Answer the goals even when the layer rejects an impl (for `compare`,
    /// which shows both).
    pub solve_despite_impl_errors: bool,
}

/// Everything that happened to one file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// Parse, lowering and check diagnostics, in that order.
    pub diagnostics: Vec<Diagnostic>,
    /// The program was rejected (it has error diagnostics), so no goal ran.
    pub rejected: bool,
    /// The file's `error_msg { .. }` expectations, with whether each held.
    pub expected_errors: Vec<ExpectedErrorReport>,
    pub goals: Vec<GoalReport>,
    /// What the layer's checks found (a design's impl obligations).
    pub layer: LayerReport,
    /// The lowered program, when it was accepted: the names that answers
    /// print with (see [`FileReport::render`]).
    pub program: Option<Arc<Program>>,
    /// A Rust file's `//~` annotations against this run's diagnostics (see
    /// [`crate::annotations`]); `None` for `.chalk` files and for runs that
    /// ignore annotations (`chalkboard check`).
    pub annotations: Option<AnnotationCheck>,
}

#[derive(Clone, Debug)]
pub struct ExpectedErrorReport {
    pub expected: String,
    pub span: Span,
    pub holds: bool,
}

#[derive(Clone, Debug)]
pub struct GoalReport {
    /// The goal as written.
    pub text: String,
    pub span: Span,
    /// A diagnostic when the goal could not be lowered (an unknown name, ...).
    pub error: Option<Diagnostic>,
    /// One entry per solver configuration the goal ran on.
    pub runs: Vec<SolverRun>,
    pub expectations: Vec<ExpectationReport>,
    /// Set when the default solvers (SLG and recursive) disagree.
    pub disagreement: Option<String>,
    /// Whether the goal holds, fails or is ambiguous: chalk's answer (the
    /// default SLG solver's, or the first solver's that ran) with its
    /// lifetime constraints decided ([`crate::regions`]); `ambiguous` when
    /// the default solvers disagree; `fails` when the goal has an error.
    pub verdict: GoalVerdict,
}

impl GoalReport {
    /// Replaces the goal's answers by an error that stands in for them.
    pub fn set_error(&mut self, d: Diagnostic) {
        self.verdict = GoalVerdict::not_run(d.message.clone());
        self.error = Some(d);
        self.runs.clear();
        self.expectations.clear();
    }
}

#[derive(Clone, Debug)]
pub struct SolverRun {
    pub solver: SolverSpec,
    /// `all` for an enumeration of every answer (`yields_all`/`yields_first`).
    pub request: RunRequest,
    pub outcome: Outcome,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RunRequest {
    Aggregated,
    All,
}

#[derive(Clone, Debug)]
pub struct ExpectationReport {
    /// The expectation's form (`yields`, `holds`, ..).
    pub kind: ExpectationKind,
    /// The expectation as written, e.g. `yields[solver = slg] { "Unique" }`.
    pub description: String,
    pub span: Span,
    pub status: ExpectationStatus,
    /// When the expectation failed: what it would have to say to hold, as
    /// the answers it writes (`yields`: one answer; `yields_all` and
    /// `yields_first`: each answer; `holds`/`fails`: the verdict word), for
    /// `chalkboard run --bless`. `None` when no text would make it hold
    /// (the default solvers disagree, a solver hit a limit or panicked, the
    /// verdict is `ambiguous`, the expectation names a design that does not
    /// exist).
    pub would_hold: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectationStatus {
    Holds,
    /// The answer differs; `actual` is what the solver said.
    Fails {
        actual: String,
    },
    /// Not checked in this run (e.g. `--solver slg` skips recursive expectations).
    Skipped {
        why: String,
    },
}

impl FileReport {
    /// True when every expectation (goals and errors, or a Rust file's
    /// annotations) held and the program was accepted or rejected as the file
    /// said it would be.
    pub fn all_hold(&self) -> bool {
        let errors_ok = if let Some(annotations) = &self.annotations {
            annotations.holds()
        } else if self.expected_errors.is_empty() {
            !self.rejected
        } else {
            self.expected_errors.iter().all(|e| e.holds)
        };
        errors_ok
            && self.goals.iter().all(|g| {
                g.error.is_none()
                    && g.expectations
                        .iter()
                        .all(|e| !matches!(e.status, ExpectationStatus::Fails { .. }))
            })
    }

    /// True when some goal hit a limit (timeout or overflow).
    pub fn hit_limit(&self) -> bool {
        self.goals
            .iter()
            .any(|g| g.runs.iter().any(|r| r.outcome.hit_limit()))
    }

    /// True when chalk panicked somewhere.
    pub fn internal_error(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code == crate::codes::INTERNAL_ERROR)
            || self.goals.iter().any(|g| {
                g.runs
                    .iter()
                    .any(|r| matches!(r.outcome, Outcome::Panic(_)))
            })
    }
}

/// chalk's `assert_same`: whitespace-insensitive, and the actual text must
/// start with the expected text.
pub fn same_modulo_whitespace(actual: &str, expected: &str) -> bool {
    let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let expected = strip(expected);
    !expected.is_empty() && strip(actual).starts_with(&expected)
}

/// Puts together the report of a file: its diagnostics, the goals'
/// reports (empty when the program was rejected), the layer's findings and
/// the file's `error_msg { .. }` expectations for this configuration.
pub fn assemble(
    file: &ast::File,
    diagnostics: Vec<Diagnostic>,
    program: Option<Arc<Program>>,
    goals: Vec<GoalReport>,
    layer_report: LayerReport,
    layer: &dyn Layer,
    config: Config,
) -> FileReport {
    let expected_errors = file
        .expected_errors
        .iter()
        .filter(|e| applies(layer, config, e.design.as_ref(), e.implication.as_ref()))
        .map(|e| ExpectedErrorReport {
            expected: e.text.clone(),
            span: e.span,
            holds: diagnostics.iter().filter(|d| d.is_error()).any(|d| {
                same_modulo_whitespace(d.chalk_message.as_deref().unwrap_or(&d.message), &e.text)
                    || same_modulo_whitespace(&d.message, &e.text)
            }),
        })
        .collect();
    FileReport {
        diagnostics,
        rejected: program.is_none(),
        expected_errors,
        goals,
        layer: layer_report,
        program,
        annotations: None,
    }
}

/// Runs every goal of `file` against `program`, with a solver pool shared
/// between the goals (as chalk's harness shares one solver per choice).
pub fn run_goals(
    program: &Arc<Program>,
    tree: &ast::File,
    goals: &[ast::GoalBlock],
    options: &RunOptions,
    layer: &dyn Layer,
    config: Config,
    kept: Option<&GoalsKept>,
) -> Vec<GoalReport> {
    let mut solver = GoalSolver::new(program, options, kept);
    // Rule graph-built-when-negated: a goal closes a negative cycle only
    // through a negative edge its own hypotheses add; without one, the
    // program's graph is not searched (see `negative_cycles_in_goal`), so
    // it is built only when some goal's hypotheses negate.
    let graph = if goals
        .iter()
        .any(|b| crate::negation::hypotheses_negate(&b.goal))
    {
        Graph::of_program(tree)
    } else {
        Graph::default()
    };
    let reports = goals
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let _timing = crate::timing::span(crate::timing::Phase::Goal(i));
            run_goal(program, block, options, layer, config, &graph, &mut solver)
        })
        .collect();
    if let Some(kept) = kept {
        solver.keep(program, options, kept);
    }
    reports
}

/// Rule `goal-reuse`: the solves of a file's goals, kept in a database
/// kept across edits for the next run of the file's goals (by file,
/// rewrite and implication rule, see [`crate::reuse::CheckMemo`]).
///
/// The goals of a file share one solver pool, as chalk's harness shares
/// its solvers, so a solve's answer may rest on what the solves before it
/// left in the pool: it is a function of what it and every solve before it
/// read of the program. The next run takes the kept answers while it asks
/// the kept solves in their order, provided nothing any kept solve read
/// changed; it then goes on with the kept pool, in the state those solves
/// left it (or, when it asks something else first, a fresh pool that
/// solves what it took again), so every answer is the one a fresh run
/// gives, byte for byte. Only complete answers are kept: a timeout or a
/// panic keeps nothing.
#[derive(Default)]
pub struct GoalsKept {
    kept: std::sync::Mutex<Option<Arc<KeptGoals>>>,
    counts: std::sync::Mutex<Option<(usize, usize)>>,
}

impl GoalsKept {
    /// How many solves the last run of the goals took from the run before,
    /// and how many it solved, until taken.
    pub fn take_counts(&self) -> Option<(usize, usize)> {
        self.counts.lock().ok()?.take()
    }
}

struct KeptGoals {
    options: RunOptions,
    program: Arc<Program>,
    solves: Vec<KeptSolve>,
    /// The pool in the state the solves left it.
    pool: std::sync::Mutex<Option<SolverPool>>,
}

#[derive(Clone)]
struct KeptSolve {
    goal: UCanonical<InEnvironment<chalk_ir::Goal<Ir>>>,
    spec: SolverSpec,
    request: (RunRequest, usize),
    outcome: Outcome,
    reads: Arc<[chalkboard_lowering::reads::Read]>,
}

/// The solves of one run of a file's goals (see [`GoalsKept`]).
pub(crate) struct GoalSolver {
    pool: SolverPool,
    /// The kept solves this run takes while it asks them in order.
    earlier: Option<Arc<KeptGoals>>,
    /// How many of them it took.
    taken: usize,
    /// How many of them the pool's state stands for: all of them for the
    /// kept pool, none for a fresh one.
    pool_after: usize,
    record: bool,
    solves: Vec<KeptSolve>,
    solved: usize,
}

impl GoalSolver {
    fn new(program: &Arc<Program>, options: &RunOptions, kept: Option<&GoalsKept>) -> Self {
        let earlier = kept.and_then(|k| k.kept.lock().ok()?.take()).filter(|e| {
            // The same program (a goal asked) reads the same; otherwise
            // each read is answered once.
            let mut answers = std::collections::HashMap::new();
            let mut unchanged = |read: &chalkboard_lowering::reads::Read| {
                *answers
                    .entry(*read)
                    .or_insert_with(|| program.unchanged_since(&e.program, read))
            };
            e.options == *options
                && (Arc::ptr_eq(program, &e.program)
                    || e.solves.iter().all(|s| s.reads.iter().all(&mut unchanged)))
        });
        let kept_pool = earlier.as_ref().and_then(|e| e.pool.lock().ok()?.take());
        let pool_after = match (&earlier, &kept_pool) {
            (Some(e), Some(_)) => e.solves.len(),
            _ => 0,
        };
        GoalSolver {
            pool: kept_pool.unwrap_or_default(),
            earlier,
            taken: 0,
            pool_after,
            record: kept.is_some(),
            solves: Vec::new(),
            solved: 0,
        }
    }

    fn solve(
        &mut self,
        program: &Arc<Program>,
        goal: UCanonical<InEnvironment<chalk_ir::Goal<Ir>>>,
        spec: SolverSpec,
        (request, limit): (RunRequest, usize),
        limits: &Limits,
    ) -> Outcome {
        if let Some(earlier) = &self.earlier {
            match earlier.solves.get(self.taken) {
                Some(k) if k.goal == goal && k.spec == spec && k.request == (request, limit) => {
                    self.taken += 1;
                    self.solves.push(k.clone());
                    return k.outcome.clone();
                }
                _ => {
                    // From here the run solves: its pool must be in the
                    // state the solves it took would have left it.
                    if self.pool_after != self.taken {
                        self.pool = SolverPool::default();
                        for k in &earlier.solves[..self.taken] {
                            let (request, limit) = k.request;
                            self.pool.solve(
                                program,
                                k.goal.clone(),
                                k.spec,
                                request_of(request, limit),
                                limits,
                            );
                        }
                    }
                    self.earlier = None;
                }
            }
        }
        let (outcome, reads) = self.pool.solve_recording(
            program,
            goal.clone(),
            spec,
            request_of(request, limit),
            limits,
            self.record,
        );
        self.solved += 1;
        if self.record {
            self.solves.push(KeptSolve {
                goal,
                spec,
                request: (request, limit),
                outcome: outcome.clone(),
                reads: reads.into(),
            });
        }
        outcome
    }

    /// Keeps this run's solves for the next run, when every answer is
    /// complete.
    fn keep(self, program: &Arc<Program>, options: &RunOptions, kept: &GoalsKept) {
        if let Ok(mut counts) = kept.counts.lock() {
            *counts = Some((self.taken, self.solved));
        }
        let complete = self.solves.iter().all(|s| match &s.outcome {
            Outcome::Solved(_) => true,
            Outcome::Enumerated { complete, .. } => *complete,
            _ => false,
        });
        // A run that took fewer kept solves than its pool stands for, and
        // solved nothing, left the pool ahead of its solves.
        let pool_matches = self.earlier.is_none() || self.pool_after == self.taken;
        let next = complete.then(|| KeptGoals {
            options: options.clone(),
            program: Arc::clone(program),
            solves: self.solves,
            pool: std::sync::Mutex::new(pool_matches.then_some(self.pool)),
        });
        if let Ok(mut slot) = kept.kept.lock() {
            *slot = next.map(Arc::new);
        }
    }
}

fn request_of(request: RunRequest, limit: usize) -> Request {
    match request {
        RunRequest::Aggregated => Request::Aggregated,
        RunRequest::All => Request::All { limit },
    }
}

impl FileReport {
    /// An outcome of this report as chalk's harness prints it.
    pub fn render(&self, outcome: &Outcome) -> String {
        outcome.render(self.program.as_ref())
    }

    /// The enumerated answers of an outcome of this report, each as chalk's
    /// harness prints it.
    pub fn render_answers(&self, outcome: &Outcome) -> Vec<String> {
        outcome.render_answers(self.program.as_ref())
    }
}

fn describe(e: &ast::Expectation) -> String {
    let kind = match e.kind {
        ExpectationKind::Yields => "yields",
        ExpectationKind::YieldsAll => "yields_all",
        ExpectationKind::YieldsFirst => "yields_first",
        ExpectationKind::Holds => "verdict holds",
        ExpectationKind::Fails => "verdict fails",
    };
    let mut attrs = Vec::new();
    if let Some(s) = e.solver {
        attrs.push(format!("solver = {}", spec_name(s)));
    }
    if let Some(d) = &e.design {
        attrs.push(format!("design = {}", d.text));
    }
    let attrs = if attrs.is_empty() {
        String::new()
    } else {
        format!("[{}]", attrs.join(", "))
    };
    if matches!(e.kind, ExpectationKind::Holds | ExpectationKind::Fails) {
        return format!("{kind}{attrs}");
    }
    let answers = e
        .answers
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{kind}{attrs} {{ {answers} }}")
}

fn run_goal(
    program: &Arc<Program>,
    block: &ast::GoalBlock,
    options: &RunOptions,
    layer: &dyn Layer,
    config: Config,
    graph: &Graph,
    solver: &mut GoalSolver,
) -> GoalReport {
    let text = |o: &Outcome| o.render(Some(program));
    let mut report = GoalReport {
        text: block.text.clone(),
        span: block.span,
        error: None,
        runs: Vec::new(),
        expectations: Vec::new(),
        disagreement: None,
        verdict: GoalVerdict::not_run("the goal did not run"),
    };
    // Rule `stratified-negation`: hypotheses that close a negative cycle
    // would make chalk panic or loop; the goal is not solved.
    if let Some(d) = graph
        .negative_cycles_in_goal(&block.goal)
        .into_iter()
        .next()
    {
        report.set_error(d);
        return report;
    }
    let goal = match chalkboard_lowering::with_program(program, || {
        program.lower_goal(&block.goal).map_err(Box::new)
    }) {
        Ok(goal) => goal,
        Err(d) => {
            report.set_error(*d);
            return report;
        }
    };
    let crate::peel::Peeled {
        goal: peeled,
        names,
    } = crate::peel::peel(goal, &block.goal);
    let cx = GoalContext {
        program,
        environment: peeled
            .canonical
            .value
            .environment
            .clauses
            .as_slice(Ir)
            .to_vec(),
        names: &names,
    };
    let mut default_verdict: Option<GoalVerdict> = None;

    let limits = &options.limits;
    let mut solve =
        |spec: SolverSpec, request: RunRequest, limit: usize, runs: &mut Vec<SolverRun>| {
            if let Some(run) = runs.iter().find(|r| {
                r.solver == spec && r.request == request && request == RunRequest::Aggregated
            }) {
                return run.outcome.clone();
            }
            let outcome = solver.solve(program, peeled.clone(), spec, (request, limit), limits);
            runs.push(SolverRun {
                solver: spec,
                request,
                outcome: outcome.clone(),
            });
            outcome
        };

    let allowed = |spec: &SolverSpec| {
        matches!(
            (options.solvers, spec),
            (SolverSelection::Both, _)
                | (SolverSelection::Slg, SolverSpec::Slg { .. })
                | (SolverSelection::Recursive, SolverSpec::Recursive { .. })
        )
    };

    let mut runs = Vec::new();
    // Expectations for another design or implication rule are not checked
    // in this run.
    let for_this_design =
        |e: &ast::Expectation| applies(layer, config, e.design.as_ref(), e.implication.as_ref());
    let has_default_expectation = block.expectations.iter().any(|e| {
        matches!(
            e.kind,
            ExpectationKind::Yields | ExpectationKind::Holds | ExpectationKind::Fails
        ) && e.solver.is_none()
            && for_this_design(e)
    });
    let only_other_designs =
        !block.expectations.is_empty() && !block.expectations.iter().any(for_this_design);
    // A goal without any expectation, or with a plain `yields`, runs on the
    // selected default solvers and the two are compared.
    if block.expectations.is_empty() || has_default_expectation || only_other_designs {
        let defaults: Vec<SolverSpec> = [SolverSpec::SLG_DEFAULT, SolverSpec::RECURSIVE_DEFAULT]
            .into_iter()
            .filter(|s| allowed(s))
            .collect();
        let mut answers = Vec::new();
        for spec in defaults {
            answers.push((spec, solve(spec, RunRequest::Aggregated, 0, &mut runs)));
        }
        if let [(_, slg), (_, rec)] = answers.as_slice() {
            if !agree(&text(slg), &text(rec)) {
                report.disagreement = Some(format!(
                    "the solvers disagree: SLG says `{}`, recursive says `{}`",
                    text(slg),
                    text(rec)
                ));
            }
        }
    }

    for e in &block.expectations {
        let description = describe(e);
        {
            let named = layer.config_named(
                config,
                e.design.as_ref().map(|d| d.text.as_str()),
                e.implication.as_ref().map(|i| i.text.as_str()),
            );
            let status = match named {
                Err(error) => Some(ExpectationStatus::Fails { actual: error }),
                Ok(other) if other != config => Some(ExpectationStatus::Skipped {
                    why: format!(
                        "for {}",
                        config_description(e.design.as_ref(), e.implication.as_ref())
                    ),
                }),
                Ok(_) => None,
            };
            if let Some(status) = status {
                report.expectations.push(ExpectationReport {
                    kind: e.kind,
                    description,
                    span: e.span,
                    status,
                    would_hold: None,
                });
                continue;
            }
        }
        let status = match e.kind {
            ExpectationKind::Yields => match e.solver {
                None => {
                    // Both solvers: SLG must give the expected text exactly and
                    // the recursive solver must agree with SLG (chalk's rule).
                    let slg = runs
                        .iter()
                        .find(|r| r.solver == SolverSpec::SLG_DEFAULT)
                        .map(|r| r.outcome.clone());
                    let rec = runs
                        .iter()
                        .find(|r| r.solver == SolverSpec::RECURSIVE_DEFAULT)
                        .map(|r| r.outcome.clone());
                    let expected = e.answers.first().map(|s| s.trim()).unwrap_or("");
                    match (slg, rec) {
                        (Some(slg), Some(rec)) => {
                            let (slg, rec) = (text(&slg), text(&rec));
                            if slg != expected {
                                ExpectationStatus::Fails {
                                    actual: format!("slg: {slg}"),
                                }
                            } else if !agree(&slg, &rec) {
                                ExpectationStatus::Fails {
                                    actual: format!("recursive: {rec}"),
                                }
                            } else {
                                ExpectationStatus::Holds
                            }
                        }
                        (Some(one), None) | (None, Some(one)) => {
                            let one = text(&one);
                            if one == expected {
                                ExpectationStatus::Holds
                            } else {
                                ExpectationStatus::Fails { actual: one }
                            }
                        }
                        (None, None) => ExpectationStatus::Skipped {
                            why: "no solver selected".into(),
                        },
                    }
                }
                Some(spec) if allowed(&spec) => {
                    let outcome = text(&solve(spec, RunRequest::Aggregated, 0, &mut runs));
                    let expected = e.answers.first().map(|s| s.trim()).unwrap_or("");
                    if outcome == expected {
                        ExpectationStatus::Holds
                    } else {
                        ExpectationStatus::Fails { actual: outcome }
                    }
                }
                Some(spec) => ExpectationStatus::Skipped {
                    why: format!("{} is not selected", spec_name(spec)),
                },
            },
            ExpectationKind::Holds | ExpectationKind::Fails => {
                let expected = if e.kind == ExpectationKind::Holds {
                    "holds"
                } else {
                    "fails"
                };
                let verdict = match e.solver {
                    None => Some(
                        default_verdict
                            .get_or_insert_with(|| goal_verdict(&cx, &runs, &peeled, limits))
                            .verdict
                            .clone(),
                    ),
                    Some(spec) if allowed(&spec) => {
                        let outcome = solve(spec, RunRequest::Aggregated, 0, &mut runs);
                        Some(cx.outcome_verdict(&outcome))
                    }
                    Some(_) => None,
                };
                match verdict {
                    Some(v) if v.word() == expected => ExpectationStatus::Holds,
                    Some(v) => ExpectationStatus::Fails {
                        actual: format!("{}: {}", v.word(), v.reason()),
                    },
                    None => ExpectationStatus::Skipped {
                        why: format!(
                            "{} is not selected",
                            e.solver.map(spec_name).unwrap_or_default()
                        ),
                    },
                }
            }
            ExpectationKind::YieldsAll | ExpectationKind::YieldsFirst => {
                let spec = e.solver.unwrap_or(SolverSpec::SLG_DEFAULT);
                if let SolverSpec::Recursive { .. } = spec {
                    ExpectationStatus::Fails {
                        actual: "the recursive solver cannot enumerate answers; use the SLG solver"
                            .into(),
                    }
                } else if !allowed(&spec) {
                    ExpectationStatus::Skipped {
                        why: format!("{} is not selected", spec_name(spec)),
                    }
                } else {
                    // One more answer than expected shows whether there are extras.
                    let limit = e.answers.len() + 1;
                    let outcome = solve(spec, RunRequest::All, limit, &mut runs);
                    check_answers(e, &outcome, program)
                }
            }
        };
        let would_hold = match status {
            ExpectationStatus::Fails { .. } => {
                would_hold(e, &runs, default_verdict.as_ref(), &cx, program)
            }
            _ => None,
        };
        report.expectations.push(ExpectationReport {
            kind: e.kind,
            description,
            span: e.span,
            status,
            would_hold,
        });
    }
    report.verdict = default_verdict.unwrap_or_else(|| goal_verdict(&cx, &runs, &peeled, limits));
    report.runs = runs;
    report
}

/// The verdict of a goal from the runs it had: each default solver's
/// outcome with its lifetime constraints decided, combined
/// ([`crate::verdict::combine`]); without default runs, the first run's.
/// An ambiguous SLG answer is refined by enumerating its answers on a solver
/// of its own (so that the shared solver's tables, and the later goals'
/// answers, stay as chalk's harness has them).
fn goal_verdict(
    cx: &GoalContext<'_>,
    runs: &[SolverRun],
    peeled: &UCanonical<InEnvironment<chalk_ir::Goal<Ir>>>,
    limits: &Limits,
) -> GoalVerdict {
    let find = |spec: SolverSpec| {
        runs.iter()
            .find(|r| r.solver == spec && r.request == RunRequest::Aggregated)
    };
    let (slg, rec) = (
        find(SolverSpec::SLG_DEFAULT),
        find(SolverSpec::RECURSIVE_DEFAULT),
    );
    let Some(reference) = slg.or(rec).or(runs.first()) else {
        return GoalVerdict::not_run("no solver ran");
    };
    let plain = plain_word(&reference.outcome);
    let of_slg = |run: &SolverRun| {
        let verdict = cx.outcome_verdict(&run.outcome);
        if run.outcome.kind() != AnswerKind::Ambiguous {
            return verdict;
        }
        let all = SolverPool::default().solve(
            cx.program,
            peeled.clone(),
            SolverSpec::SLG_DEFAULT,
            Request::All {
                limit: REFINE_LIMIT,
            },
            limits,
        );
        cx.refine_ambiguous(&all).unwrap_or(verdict)
    };
    let verdict = match (slg, rec) {
        (Some(slg), Some(rec)) => combine(of_slg(slg), cx.outcome_verdict(&rec.outcome), || {
            format!(
                "the solvers disagree: SLG says `{}`, recursive says `{}`",
                slg.outcome.render(Some(cx.program)),
                rec.outcome.render(Some(cx.program))
            )
        }),
        (Some(slg), None) => of_slg(slg),
        _ => cx.outcome_verdict(&reference.outcome),
    };
    GoalVerdict {
        beyond_answer: verdict.word() != plain,
        verdict,
    }
}

/// What a failed expectation would have to say to hold, from the runs its
/// check made (see [`ExpectationReport::would_hold`]).
fn would_hold(
    e: &ast::Expectation,
    runs: &[SolverRun],
    default_verdict: Option<&GoalVerdict>,
    cx: &GoalContext<'_>,
    program: &Arc<Program>,
) -> Option<Vec<String>> {
    let find = |spec: SolverSpec, request: RunRequest| {
        runs.iter()
            .find(|r| r.solver == spec && r.request == request)
            .map(|r| &r.outcome)
            .filter(|o| !o.hit_limit() && !matches!(o, Outcome::Panic(_)))
    };
    let text = |o: &Outcome| o.render(Some(program)).trim().to_string();
    match e.kind {
        ExpectationKind::Yields => match e.solver {
            None => {
                let slg = find(SolverSpec::SLG_DEFAULT, RunRequest::Aggregated).map(text);
                let rec = find(SolverSpec::RECURSIVE_DEFAULT, RunRequest::Aggregated).map(text);
                match (slg, rec) {
                    (Some(slg), Some(rec)) => agree(&slg, &rec).then(|| vec![slg]),
                    (Some(one), None) | (None, Some(one)) => Some(vec![one]),
                    (None, None) => None,
                }
            }
            Some(spec) => find(spec, RunRequest::Aggregated).map(|o| vec![text(o)]),
        },
        ExpectationKind::YieldsAll | ExpectationKind::YieldsFirst => {
            let outcome = find(e.solver.unwrap_or(SolverSpec::SLG_DEFAULT), RunRequest::All)?;
            if !matches!(outcome, Outcome::Enumerated { .. }) {
                return None;
            }
            let mut answers: Vec<String> = outcome
                .render_answers(Some(program))
                .iter()
                .map(|a| a.trim().to_string())
                .collect();
            // `yields_first` states as many answers as it did; one more was
            // asked for only to see whether there are extras.
            if e.kind == ExpectationKind::YieldsFirst && !e.answers.is_empty() {
                answers.truncate(e.answers.len());
            }
            Some(answers)
        }
        ExpectationKind::Holds | ExpectationKind::Fails => {
            let verdict = match e.solver {
                None => default_verdict?.verdict.clone(),
                Some(spec) => cx.outcome_verdict(find(spec, RunRequest::Aggregated)?),
            };
            let word = verdict.word();
            matches!(word, "holds" | "fails").then(|| vec![word.to_string()])
        }
    }
}

/// At most this many answers are enumerated to refine an ambiguous one.
const REFINE_LIMIT: usize = 8;

/// chalk's harness rule for the two default solvers: the recursive
/// solver's answer must match SLG's, modulo whitespace.
fn agree(slg: &str, rec: &str) -> bool {
    same_modulo_whitespace(rec, slg)
}

fn check_answers(
    e: &ast::Expectation,
    outcome: &Outcome,
    program: &Arc<Program>,
) -> ExpectationStatus {
    let Outcome::Enumerated { complete, .. } = outcome else {
        return ExpectationStatus::Fails {
            actual: outcome.render(Some(program)),
        };
    };
    let answers = outcome.render_answers(Some(program));
    let expected: Vec<&str> = e.answers.iter().map(|s| s.trim()).collect();
    let got: Vec<&str> = answers.iter().map(|s| s.trim()).collect();
    let holds = match e.kind {
        ExpectationKind::YieldsAll => got == expected && *complete,
        _ => got.len() >= expected.len() && got[..expected.len()] == expected[..],
    };
    if holds {
        ExpectationStatus::Holds
    } else {
        ExpectationStatus::Fails {
            actual: outcome.render(Some(program)),
        }
    }
}

/// Whether an expectation written for `design` / `implication` (either may
/// be left out: any) applies to a run under `config`.
pub fn applies(
    layer: &dyn Layer,
    config: Config,
    design: Option<&ast::Ident>,
    implication: Option<&ast::Ident>,
) -> bool {
    layer.config_named(
        config,
        design.map(|d| d.text.as_str()),
        implication.map(|i| i.text.as_str()),
    ) == Ok(config)
}

/// How a report names the configuration an expectation is for.
fn config_description(design: Option<&ast::Ident>, implication: Option<&ast::Ident>) -> String {
    match (design, implication) {
        (Some(d), Some(i)) => format!("design {} with implication {}", d.text, i.text),
        (Some(d), None) => format!("design {}", d.text),
        (None, Some(i)) => format!("implication {}", i.text),
        (None, None) => "every design".to_string(),
    }
}
