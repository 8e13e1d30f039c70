//! Explaining the goals of a file through the pipeline: the file is run
//! (answering despite an impl the layer rejects, as `compare` does), and
//! each selected goal of the tree that was lowered is explained against the
//! lowered program, with the names and rules its syntax gives.

use std::sync::Arc;

use chalkboard_syntax::ast::{SolverSpec, Span};
use chalkboard_syntax::Diagnostic;

use super::{ExplainLimits, Explanation, HintTree, SourceMap, Status};
use crate::db::{self, Database, Rewrite, Settings, SourceFile};
use crate::layer::Config;
use crate::run::{FileReport, RunOptions};

/// Which goals of a file to explain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    All,
    /// The goals at these positions (0-based, in the file's order).
    Goals(Vec<usize>),
    /// The goals whose text overlaps this span (a line of the file).
    Within(Span),
}

/// One goal's explanation.
#[derive(Clone, Debug)]
pub struct GoalExplanation {
    /// The goal's position in the file (0-based).
    pub index: usize,
    /// The goal as written.
    pub text: String,
    pub span: Span,
    /// The goal did not lower, so it has no explanation.
    pub error: Option<Diagnostic>,
    pub explanation: Option<Explanation>,
    /// What the run's SLG solver answered, when it ran.
    pub solver: Option<Status>,
}

impl GoalExplanation {
    /// The tree supports chalk's answer, and chalk's answer is the one the
    /// run printed.
    pub fn agrees_with_solver(&self) -> bool {
        match (&self.explanation, self.solver) {
            (Some(e), Some(s)) => e.agrees && e.status == s,
            // The run asked other solvers only: the explanation's own
            // question is the SLG solver's answer.
            (Some(e), None) => e.agrees,
            _ => false,
        }
    }
}

/// Every selected goal of one file, explained under one configuration.
#[derive(Clone, Debug)]
pub struct FileExplanation {
    pub config: Config,
    /// How the layer names the configuration, e.g. `implied/assume`.
    pub config_name: String,
    /// The run of the file (its diagnostics, and the goals' answers).
    pub report: Arc<FileReport>,
    /// Which goals were asked for.
    pub selection: Selection,
    pub goals: Vec<GoalExplanation>,
}

/// The source map of a file's lowered tree under a rewrite: the tree and
/// every rule desugaring and the rewrite applied.
pub fn source_map_of(db: &dyn db::Db, file: SourceFile, rewrite: &'static str) -> SourceMap {
    let design = Rewrite::new(db, rewrite);
    let rewritten = db::rewritten(db, file, design);
    let mut applied = db::desugared(db, file).applied.clone();
    applied.extend(rewritten.applied.iter().cloned());
    // The tree the program is lowered from: for a file with bodies, its
    // futures carry the values the body checker found them holding, and a
    // field an explanation blames must be found there.
    let lowered_from = if rewritten.program.rust.is_some() {
        db::program_tree(db, file, design)
    } else {
        &rewritten.program
    };
    SourceMap::new(lowered_from, &applied)
}

/// The source map of the program's part of a file (see [`db::items`]):
/// what the checks explain their failures with. It reads nothing of the
/// goals, so asking a goal leaves the checks' results valid.
pub fn program_source_map(db: &dyn db::Db, file: SourceFile, rewrite: &'static str) -> SourceMap {
    let design = Rewrite::new(db, rewrite);
    let items = db::items(db, file, design);
    SourceMap::new(db::tree_of_program(db, file, design), &items.applied)
}

/// Explains the selected goals of `file` under `config`.
pub fn explain_file(
    db: &Database,
    file: SourceFile,
    options: &RunOptions,
    config: Config,
    selection: &Selection,
    limits: &ExplainLimits,
) -> FileExplanation {
    let mut options = options.clone();
    options.solve_despite_impl_errors = true;
    let settings = Settings::new(db, options, config.rewrite, config.rule);
    let report = Arc::clone(&db::report(db, file, settings).0);
    let config_name = crate::layer::Layer::config_name(db::Db::layer(db), config);
    let mut goals = Vec::new();
    let goals_of_file = &db::rewritten(db, file, Rewrite::new(db, config.rewrite)).goals;
    let source = Arc::new(source_map_of(db, file, config.rewrite));
    for (index, block) in goals_of_file.iter().enumerate() {
        let selected = match selection {
            Selection::All => true,
            Selection::Goals(list) => list.contains(&index),
            Selection::Within(span) => block.span.start < span.end && span.start < block.span.end,
        };
        if !selected {
            continue;
        }
        let run = report.goals.get(index);
        let mut goal = GoalExplanation {
            index,
            text: block.text.clone(),
            span: block.span,
            error: run.and_then(|g| g.error.clone()),
            explanation: None,
            solver: run.and_then(|g| {
                g.runs
                    .iter()
                    .find(|r| {
                        r.solver == SolverSpec::SLG_DEFAULT
                            && r.request == crate::run::RunRequest::Aggregated
                    })
                    .map(|r| Status::of(&r.outcome))
            }),
        };
        if let (Some(program), None) = (&report.program, &goal.error) {
            let lowered = chalkboard_lowering::with_program(program, || {
                program.lower_goal(&block.goal).map_err(Box::new)
            });
            match lowered {
                Ok(lowered) => {
                    let hints = HintTree::from_syntax(&block.goal, &lowered, source.applied());
                    goal.explanation = Some(super::explain_goal(
                        program, &source, lowered, hints, limits,
                    ));
                }
                Err(d) => goal.error = Some(*d),
            }
        }
        goals.push(goal);
    }
    FileExplanation {
        config,
        config_name,
        report,
        selection: selection.clone(),
        goals,
    }
}

/// Explains the goals of a file's text under `config` (a fresh database).
pub fn explain_text(
    db: &Database,
    text: &str,
    language: crate::db::Language,
    options: &RunOptions,
    config: Config,
    selection: &Selection,
    limits: &ExplainLimits,
) -> FileExplanation {
    let file = SourceFile::new(db, text.to_string(), language);
    explain_file(db, file, options, config, selection, limits)
}
