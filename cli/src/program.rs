//! What the one-shot commands share with the REPL and `--watch`: one file's
//! run, its desugaring and its clauses, each on a database and a file the
//! caller keeps, so that a caller that keeps them across edits gets salsa's
//! memoized phases back, and every caller prints the same text.

use std::sync::Arc;

use chalkboard_designs::DesignLayer;
use chalkboard_solver::db::{self, Database, Language, SourceFile};
use chalkboard_solver::{Config, FileReport, RunOptions};

use crate::{text, DesignArg, Exit, FileResult, Stage};

/// How `run` (or `check`) runs each file.
pub struct RunPlan {
    pub options: RunOptions,
    pub config: Config,
    pub check_only: bool,
    /// Explain each goal whose expectation failed (`run --explain`).
    pub explain: bool,
    /// Keep each run's timings (`--timings`).
    pub timings: bool,
    /// `--filter TEXT` on a file whose path does not contain it: only the
    /// goals whose text contains it are shown and counted (they all run,
    /// since the goals of a file share their solvers).
    pub goal_filter: Option<String>,
}

/// A database with the designs layer.
pub fn database() -> Database {
    Database::new(Arc::new(DesignLayer))
}

/// A database with the designs layer that is kept across edits (the REPL,
/// `--watch`): it keeps the checks of each program for the next (rule
/// check-reuse).
pub fn kept_database() -> Database {
    database().kept_across_edits()
}

/// Runs `file` under the plan's configuration and every other one its
/// expectations name, as `run` does: one result per configuration, and the
/// exit code they call for.
pub fn file_results(
    db: &Database,
    file: SourceFile,
    path: &str,
    plan: &RunPlan,
) -> (Vec<FileResult>, Exit) {
    let source = file.text(db).clone();
    let language = *file.language(db);
    let runs = db::run_all_configs_in(db, file, &plan.options, plan.config);
    let several = runs.len() > 1;
    let mut exit = Exit::Success;
    let mut results = Vec::new();
    for run in runs {
        let db::ConfigRun {
            config: run_config,
            name: config_name,
            report,
            timings,
        } = run;
        let report = match &plan.goal_filter {
            Some(filter) => {
                let mut kept: FileReport = (*report).clone();
                kept.goals.retain(|g| g.text.contains(filter.as_str()));
                Arc::new(kept)
            }
            None => report,
        };
        // `check` on a Rust file gives the program's own verdict: its
        // annotations are not read, so an error fails it.
        let rust_check_fails = language == Language::Rust
            && plan.check_only
            && report.diagnostics.iter().any(|d| d.is_error());
        let file_exit = if report.internal_error() {
            Exit::Internal
        } else if !report.all_hold() || rust_check_fails {
            Exit::Failure
        } else if report.hit_limit() {
            Exit::Limit
        } else {
            Exit::Success
        };
        exit = exit.max(file_exit);
        let explanations = if plan.explain {
            crate::explain::failed_expectations(
                db,
                &source,
                language,
                &plan.options,
                run_config,
                &report,
            )
        } else {
            Default::default()
        };
        results.push(FileResult {
            path: path.to_string(),
            source: source.clone(),
            design: (several
                || report
                    .annotations
                    .as_ref()
                    .is_some_and(|a| a.revision.is_some()))
            .then_some(config_name.clone()),
            config_name,
            rust: language == Language::Rust,
            report,
            explanations,
            timings: plan.timings.then_some(timings),
        });
    }
    (results, exit)
}

/// What a command that prints one program produced: its output, the
/// diagnostics it printed beside it (stderr for the one-shot commands), and
/// its exit code.
pub struct Printed {
    pub out: String,
    pub diagnostics: String,
    pub exit: Exit,
}

/// `chalkboard desugar`: the file desugared up to `stage`. The diagnostics
/// of parsing and desugaring are rendered apart; with an error among them
/// nothing is printed, since the tree would still hold extension nodes.
pub fn desugar(
    db: &Database,
    file: SourceFile,
    path: &str,
    stage: Stage,
    design: DesignArg,
    rules: bool,
    color: bool,
) -> Printed {
    let source = file.text(db).as_str();
    let (tree, parse_diagnostics) = db::parsed(db, file);
    let mut diagnostics = parse_diagnostics.clone();
    let mut out = None;
    let mut applied = Vec::new();
    let mut bodies = None;
    if !diagnostics.iter().any(|d| d.is_error()) {
        let desugared = match stage {
            Stage::Async => {
                let step = chalkboard_lowering::desugar::desugar_async(tree);
                diagnostics.extend(step.diagnostics);
                applied = step.applied;
                step.file
            }
            Stage::Gat => {
                let desugared = db::desugared(db, file);
                diagnostics.extend(desugared.diagnostics.iter().cloned());
                let design = rewrite(db, design);
                let rewritten = db::rewritten(db, file, design);
                diagnostics.extend(rewritten.diagnostics.iter().cloned());
                applied = desugared.applied.clone();
                applied.extend(rewritten.applied.iter().cloned());
                if rewritten.program.rust.is_some() {
                    // A Rust file's bodies add their futures, closures and
                    // held values (rule body-future-struct).
                    let facts = db::bodies(db, file, design);
                    diagnostics.extend(facts.diagnostics.iter().cloned());
                    bodies = Some(facts.clone());
                    // The program's tree has no goals (they are not part of
                    // the program): the printed file has them as written.
                    let mut tree = db::program_tree(db, file, design).clone();
                    tree.goals = rewritten.goals.clone();
                    tree.expected_errors = rewritten.expected_errors.clone();
                    tree
                } else {
                    rewritten.file()
                }
            }
            Stage::Chalk => return clauses(db, file, path, design),
        };
        out = Some(desugared);
    }
    let index = text::LineIndex::new(source);
    let rendered: String = diagnostics
        .iter()
        .map(|d| text::render_diagnostic(d, path, source, &index, color))
        .collect();
    match out {
        Some(mut tree) if !diagnostics.iter().any(|d| d.is_error()) => {
            // The model of the standard library, read with every Rust file,
            // is the same every time: `chalkboard prelude --rust` prints it.
            let model = tree.items.len();
            tree.items.retain(|i| !i.span().in_model());
            let model = model - tree.items.len();
            let mut text = String::new();
            if model > 0 {
                text.push_str(&format!(
                    "// {model} items of the model of the standard library are not shown (`chalkboard prelude --rust` prints them)\n"
                ));
            }
            text.push_str(&chalkboard_syntax::print::print_file(&tree));
            if let Some(facts) = &bodies {
                text.push_str(&text::held_values(facts, source, &index));
            }
            if rules {
                text.push_str(&text::rules_applied(&applied, source, &index));
            }
            Printed {
                out: text,
                diagnostics: rendered,
                exit: Exit::Success,
            }
        }
        _ => Printed {
            out: String::new(),
            diagnostics: rendered,
            exit: Exit::Failure,
        },
    }
}

/// `chalkboard clauses`: parses and lowers the program (without the
/// coherence and well-formedness checks, which do not change the clauses)
/// and prints its program clauses, one per line.
pub fn clauses(db: &Database, file: SourceFile, path: &str, design: DesignArg) -> Printed {
    match clause_list(db, file, path, design) {
        Ok((clauses, diagnostics)) => Printed {
            out: clauses.iter().map(|c| format!("{c}\n")).collect(),
            diagnostics,
            exit: Exit::Success,
        },
        Err(printed) => printed,
    }
}

/// The program clauses of `file` and its rendered diagnostics, or what to
/// print instead when the program did not lower or chalk panicked.
pub fn clause_list(
    db: &Database,
    file: SourceFile,
    path: &str,
    design: DesignArg,
) -> Result<(Vec<String>, String), Printed> {
    let source = file.text(db).as_str();
    // A recovered tree lacks the broken items, so its clauses would mislead;
    // so would a tree that desugaring could not fully rewrite: in both cases
    // nothing is lowered.
    let mut diagnostics = db::parsed(db, file).1.clone();
    let (program, lowering) = db::lowered(db, file, rewrite(db, design));
    diagnostics.extend(lowering.iter().cloned());
    let program = program.as_ref().map(|p| Arc::clone(&p.0));
    let index = text::LineIndex::new(source);
    let rendered: String = diagnostics
        .iter()
        .map(|d| text::render_diagnostic(d, path, source, &index, false))
        .collect();
    let Some(program) = program else {
        return Err(Printed {
            out: String::new(),
            diagnostics: rendered,
            exit: Exit::Failure,
        });
    };
    // chalk's clause generation asserts invariants of the program; a broken
    // one is reported like a solver panic rather than aborting.
    match std::panic::catch_unwind(|| chalkboard_solver::program_clauses(&program)) {
        Ok(clauses) => Ok((clauses, rendered)),
        Err(_) => Err(Printed {
            out: String::new(),
            diagnostics: format!(
                "{rendered}error: chalk panicked while deriving the program clauses of `{path}`\n"
            ),
            exit: Exit::Internal,
        }),
    }
}

/// The key of a design's rewrite, for the queries that depend on it alone.
fn rewrite(db: &Database, design: DesignArg) -> db::Rewrite<'_> {
    db::Rewrite::new(db, design.design().name())
}
