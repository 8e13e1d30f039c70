//! Running a whole `.chalk` file: check the program, solve every goal on the
//! solvers its expectations name (both by default), and compare the answers
//! with the expectations, the way chalk's own test harness does.
//!
//! The result is a [`FileReport`]: plain data that the CLI renders as text or
//! JSON. Nothing here prints.

use std::sync::Arc;

use chalk_solve::ext::GoalExt;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, ExpectationKind, SolverSpec, Span};
use chalkboard_syntax::Diagnostic;

use crate::solve::{spec_name, Limits, Outcome, Request, SolverPool};

/// Which solvers run goals that carry no solver-specific expectation.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SolverSelection {
    /// SLG and recursive, compared with each other (the default).
    #[default]
    Both,
    Slg,
    Recursive,
}

#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub solvers: SolverSelection,
    pub limits: Limits,
    /// Only parse, lower and check; solve nothing.
    pub check_only: bool,
    /// How impls prove conditional bounds `if (Self: Send) { Send }`.
    pub implication: crate::conditional::Implication,
    /// Which design rewrites the futures of `async fn` in traits.
    pub design: crate::designs::Design,
    /// Answer the goals even when an impl fails its conditional-bound
    /// obligation (for `compare`, which shows both).
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
    /// The impls' conditional-bound obligations and the promise audit.
    pub conditional: crate::conditional::ConditionalReport,
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
    /// The expectation as written, e.g. `yields[solver = slg] { "Unique" }`.
    pub description: String,
    pub span: Span,
    pub status: ExpectationStatus,
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
    /// True when every expectation (goals and errors) held and the program was
    /// accepted or rejected as the file said it would be.
    pub fn all_hold(&self) -> bool {
        let errors_ok = if self.expected_errors.is_empty() {
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
        self.diagnostics.iter().any(|d| d.code == "internal-error")
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

/// Checks a parsed file's program and runs its goals.
pub fn run_file(
    file: &ast::File,
    mut diagnostics: Vec<Diagnostic>,
    lowered: Option<Arc<Program>>,
    options: &RunOptions,
) -> FileReport {
    let mut program = if diagnostics.iter().any(|d| d.is_error()) {
        None
    } else {
        lowered
    };
    let mut conditional = crate::conditional::ConditionalReport::default();
    if let Some(p) = &program {
        if file.disable_coherence.is_none() {
            // Rule check-deadline: coherence, well-formedness and the
            // conditional bounds share one deadline.
            let phase = crate::solve::PhaseDeadline::new(
                std::time::Instant::now() + options.limits.timeout,
            );
            let mut check = crate::check::check_program(p, &options.limits);
            if !check.iter().any(|d| d.is_error()) {
                conditional = phase.run(|| {
                    crate::conditional::check(
                        file,
                        p,
                        options.implication,
                        options.design,
                        &options.limits,
                    )
                });
                if let Some((done, total)) = phase.stopped_at() {
                    // What was cut short says nothing; the program is
                    // rejected, as for any check that timed out.
                    conditional = crate::conditional::ConditionalReport::default();
                    let span = file.items.get(done).map(|i| i.span()).unwrap_or_default();
                    check.push(crate::check::conditional_timeout(
                        span,
                        done,
                        total,
                        options.limits.timeout,
                    ));
                }
                check.extend(
                    conditional
                        .obligations
                        .iter()
                        .filter_map(|o| o.diagnostic.clone()),
                );
                // A broken promise is a finding about the design, not an
                // error in the program: it is reported as a warning.
                check.extend(conditional.broken_promises.iter().map(|b| {
                    let mut d = b.diagnostic.clone();
                    d.severity = chalkboard_syntax::Severity::Warning;
                    d
                }));
            }
            let blocking = check.iter().any(|d| {
                d.is_error()
                    && !(options.solve_despite_impl_errors
                        && matches!(
                            d.code,
                            "conditional-bound-unmet" | "conditional-bound-unproven"
                        ))
            });
            if blocking {
                program = None;
            }
            diagnostics.extend(check);
        }
    }
    let rejected = program.is_none();
    let expected_errors = file
        .expected_errors
        .iter()
        .filter(|e| applies(e.design.as_ref(), e.implication.as_ref(), options))
        .map(|e| ExpectedErrorReport {
            expected: e.text.clone(),
            span: e.span,
            holds: diagnostics.iter().filter(|d| d.is_error()).any(|d| {
                same_modulo_whitespace(d.chalk_message.as_deref().unwrap_or(&d.message), &e.text)
                    || same_modulo_whitespace(&d.message, &e.text)
            }),
        })
        .collect();
    let mut goals = Vec::new();
    if let (Some(program), false) = (&program, options.check_only) {
        let mut pool = SolverPool::default();
        for block in &file.goals {
            goals.push(run_goal(program, block, options, &mut pool));
        }
    }
    FileReport {
        diagnostics,
        rejected,
        expected_errors,
        goals,
        conditional,
    }
}

fn describe(e: &ast::Expectation) -> String {
    let kind = match e.kind {
        ExpectationKind::Yields => "yields",
        ExpectationKind::YieldsAll => "yields_all",
        ExpectationKind::YieldsFirst => "yields_first",
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
    pool: &mut SolverPool,
) -> GoalReport {
    let mut report = GoalReport {
        text: block.text.clone(),
        span: block.span,
        error: None,
        runs: Vec::new(),
        expectations: Vec::new(),
        disagreement: None,
    };
    let goal = match chalkboard_lowering::interner::with_program(program, || {
        program.lower_goal(&block.goal).map_err(Box::new)
    }) {
        Ok(goal) => goal,
        Err(d) => {
            report.error = Some(*d);
            return report;
        }
    };
    let peeled = goal.into_peeled_goal(Ir);

    let limits = &options.limits;
    let mut solve =
        |spec: SolverSpec, request: RunRequest, limit: usize, runs: &mut Vec<SolverRun>| {
            if let Some(run) = runs.iter().find(|r| {
                r.solver == spec && r.request == request && request == RunRequest::Aggregated
            }) {
                return run.outcome.clone();
            }
            let req = match request {
                RunRequest::Aggregated => Request::Aggregated,
                RunRequest::All => Request::All { limit },
            };
            let outcome = pool.solve(program, peeled.clone(), spec, req, limits);
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
        |e: &ast::Expectation| applies(e.design.as_ref(), e.implication.as_ref(), options);
    let has_default_expectation = block
        .expectations
        .iter()
        .any(|e| e.kind == ExpectationKind::Yields && e.solver.is_none() && for_this_design(e));
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
            if !agree(slg, rec) {
                report.disagreement = Some(format!(
                    "the solvers disagree: SLG says `{}`, recursive says `{}`",
                    slg.text(),
                    rec.text()
                ));
            }
        }
    }

    for e in &block.expectations {
        let description = describe(e);
        {
            let status = match config_error(e.design.as_ref(), e.implication.as_ref()) {
                Some(error) => Some(ExpectationStatus::Fails { actual: error }),
                None if !for_this_design(e) => Some(ExpectationStatus::Skipped {
                    why: format!(
                        "for {}",
                        config_name(e.design.as_ref(), e.implication.as_ref())
                    ),
                }),
                None => None,
            };
            if let Some(status) = status {
                report.expectations.push(ExpectationReport {
                    description,
                    span: e.span,
                    status,
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
                            if slg.text() != expected {
                                ExpectationStatus::Fails {
                                    actual: format!("slg: {}", slg.text()),
                                }
                            } else if !agree(&slg, &rec) {
                                ExpectationStatus::Fails {
                                    actual: format!("recursive: {}", rec.text()),
                                }
                            } else {
                                ExpectationStatus::Holds
                            }
                        }
                        (Some(one), None) | (None, Some(one)) => {
                            if one.text() == expected {
                                ExpectationStatus::Holds
                            } else {
                                ExpectationStatus::Fails { actual: one.text() }
                            }
                        }
                        (None, None) => ExpectationStatus::Skipped {
                            why: "no solver selected".into(),
                        },
                    }
                }
                Some(spec) if allowed(&spec) => {
                    let outcome = solve(spec, RunRequest::Aggregated, 0, &mut runs);
                    let expected = e.answers.first().map(|s| s.trim()).unwrap_or("");
                    if outcome.text() == expected {
                        ExpectationStatus::Holds
                    } else {
                        ExpectationStatus::Fails {
                            actual: outcome.text(),
                        }
                    }
                }
                Some(spec) => ExpectationStatus::Skipped {
                    why: format!("{} is not selected", spec_name(spec)),
                },
            },
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
                    check_answers(e, &outcome)
                }
            }
        };
        report.expectations.push(ExpectationReport {
            description,
            span: e.span,
            status,
        });
    }
    report.runs = runs;
    report
}

fn agree(slg: &Outcome, rec: &Outcome) -> bool {
    match (slg, rec) {
        (Outcome::Answer(a), Outcome::Answer(b)) => same_modulo_whitespace(b, a),
        _ => slg == rec,
    }
}

fn check_answers(e: &ast::Expectation, outcome: &Outcome) -> ExpectationStatus {
    let Outcome::Answers { answers, complete } = outcome else {
        return ExpectationStatus::Fails {
            actual: outcome.text(),
        };
    };
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
            actual: outcome.text(),
        }
    }
}

/// Whether an expectation written for `design` / `implication` (either may
/// be left out: any) applies to a run with `options`.
pub fn applies(
    design: Option<&ast::Ident>,
    implication: Option<&ast::Ident>,
    options: &RunOptions,
) -> bool {
    let design_ok =
        design.is_none_or(|d| crate::designs::Design::from_name(&d.text) == Some(options.design));
    let implication_ok = implication.is_none_or(|i| i.text == options.implication.name());
    design_ok && implication_ok
}

/// Why a named design or implication rule does not exist, if it does not.
fn config_error(design: Option<&ast::Ident>, implication: Option<&ast::Ident>) -> Option<String> {
    if let Some(d) = design {
        if crate::designs::Design::from_name(&d.text).is_none() {
            return Some(format!(
                "unknown design `{}`: the designs are `explicit`, `implied` and `boxed`",
                d.text
            ));
        }
    }
    if let Some(i) = implication {
        if i.text != "assume" && i.text != "decide" {
            return Some(format!(
                "unknown implication rule `{}`: the rules are `assume` and `decide`",
                i.text
            ));
        }
    }
    None
}

fn config_name(design: Option<&ast::Ident>, implication: Option<&ast::Ident>) -> String {
    match (design, implication) {
        (Some(d), Some(i)) => format!("design {} with implication {}", d.text, i.text),
        (Some(d), None) => format!("design {}", d.text),
        (None, Some(i)) => format!("implication {}", i.text),
        (None, None) => "every design".to_string(),
    }
}
