//! `chalkboard compare`: one program under every design, side by side.
//!
//! One row per check (the program as a whole, each impl's obligations, each
//! trait's dyn safety, each goal, each broken promise) and one column per
//! design: explicit, implied with `assume`, implied with `decide`, boxed.

use std::sync::Arc;

use chalkboard_solver::db::{self, Database, Settings, SourceFile};
use chalkboard_solver::explain::file::Selection;
use chalkboard_solver::explain::{ExplainLimits, Explanation};
use chalkboard_solver::layer::{Effect, Layer};
use chalkboard_solver::run::{FileReport, RunOptions};
use chalkboard_solver::solve::AnswerKind;
use chalkboard_solver::Verdict;
use chalkboard_syntax::ast::SolverSpec;
use chalkboard_syntax::Diagnostic;

use crate::rewrite::dyn_safety;
use crate::{Design, DesignLayer, Implication};

/// A column: a design, and for the implied design how impls prove it.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub design: Design,
    pub implication: Implication,
}

impl Column {
    pub fn name(&self) -> String {
        DesignLayer.config_name(self.config())
    }

    fn config(&self) -> chalkboard_solver::Config {
        crate::config(self.design, self.implication)
    }
}

/// The four columns, in the order design reviews read them.
pub fn columns() -> Vec<Column> {
    vec![
        Column {
            design: Design::Explicit,
            implication: Implication::Assume,
        },
        Column {
            design: Design::Implied,
            implication: Implication::Assume,
        },
        Column {
            design: Design::Implied,
            implication: Implication::Decide,
        },
        Column {
            design: Design::Boxed,
            implication: Implication::Assume,
        },
    ]
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub verdict: Verdict,
    /// The diagnostic behind a failing cell, for `--verbose`.
    pub diagnostic: Option<Diagnostic>,
    /// Why the cell's goal or obligation is what it is, for `--explain`
    /// (only in rows whose verdicts differ between the designs).
    pub explanation: Option<Explanation>,
}

#[derive(Clone, Debug)]
pub struct Row {
    /// `program`, `impl`, `dyn`, `goal` or `promise`.
    pub kind: &'static str,
    pub name: String,
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug)]
pub struct Comparison {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

fn holds(reason: impl Into<String>) -> Cell {
    Cell {
        verdict: Verdict::Holds {
            reason: reason.into(),
        },
        diagnostic: None,
        explanation: None,
    }
}

fn fails(reason: impl Into<String>, diagnostic: Option<Diagnostic>) -> Cell {
    Cell {
        verdict: Verdict::Fails {
            reason: reason.into(),
        },
        diagnostic,
        explanation: None,
    }
}

fn ambiguous(reason: impl Into<String>) -> Cell {
    Cell {
        verdict: Verdict::Ambiguous {
            reason: reason.into(),
        },
        diagnostic: None,
        explanation: None,
    }
}

fn goal_cell(report: &FileReport, index: usize) -> Cell {
    let Some(goal) = report.goals.get(index) else {
        return ambiguous("not run: the program was rejected");
    };
    if let Some(d) = &goal.error {
        return fails(d.message.clone(), Some(d.clone()));
    }
    let slg = goal
        .runs
        .iter()
        .find(|r| r.solver == SolverSpec::SLG_DEFAULT)
        .or(goal.runs.first());
    let Some(run) = slg else {
        return ambiguous("no solver ran");
    };
    let text = report.render(&run.outcome);
    let mut cell = match run.outcome.kind() {
        AnswerKind::Unique => holds(text),
        AnswerKind::NoSolution => fails(text, None),
        _ => ambiguous(text),
    };
    if let Some(dis) = &goal.disagreement {
        cell.verdict = Verdict::Ambiguous {
            reason: dis.clone(),
        };
    }
    cell
}

/// Runs `text` under every column and builds the table.
pub fn compare(text: &str, base: &RunOptions) -> Comparison {
    compare_explained(text, base, None)
}

/// As [`compare`]; with `explain`, every cell of a row whose verdicts
/// differ between the designs carries its explanation (a goal's tree, or the
/// obligation's), and the others carry none.
pub fn compare_explained(
    text: &str,
    base: &RunOptions,
    explain: Option<&ExplainLimits>,
) -> Comparison {
    let columns = columns();
    let db = Database::new(Arc::new(DesignLayer));
    let file = SourceFile::new(&db, text.to_string());
    let mut options = base.clone();
    options.solve_despite_impl_errors = true;
    let reports: Vec<Arc<FileReport>> = columns
        .iter()
        .map(|c| {
            let config = c.config();
            let settings = Settings::new(&db, options.clone(), config.rewrite, config.rule);
            Arc::clone(&db::report(&db, file, settings).0)
        })
        .collect();
    let mut rows = Vec::new();

    // The program as a whole: accepted, or the first error.
    rows.push(Row {
        kind: "program",
        name: "the program is accepted".into(),
        cells: reports
            .iter()
            .map(|r| {
                // An impl the design rejects has its own row.
                let impl_errors: Vec<&Diagnostic> = r
                    .layer
                    .checks
                    .iter()
                    .filter(|c| c.effect == Effect::RejectsImpl)
                    .filter_map(|c| c.diagnostic.as_ref())
                    .collect();
                match r
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error() && !impl_errors.contains(d))
                {
                    Some(d) => fails(format!("{}: {}", d.code, d.message), Some(d.clone())),
                    None => holds("accepted"),
                }
            })
            .collect(),
    });

    // Each impl's obligations, by name, in first-seen order.
    rows.extend(check_rows(
        &columns,
        &reports,
        crate::obligations::KIND,
        |c| {
            holds(match c.design {
                Design::Explicit => "no promise to keep: callers state what they need",
                _ => "no promise to keep",
            })
        },
    ));

    // Dyn safety of every trait written with methods.
    {
        let (tree, _) = db::parsed(&db, file);
        let per_column: Vec<_> = columns.iter().map(|c| dyn_safety(tree, c.design)).collect();
        if let Some(first) = per_column.first() {
            for (i, t) in first.iter().enumerate() {
                rows.push(Row {
                    kind: "dyn",
                    name: format!("`dyn {}` is allowed", t.trait_name),
                    cells: per_column
                        .iter()
                        .map(|col| match col.get(i).and_then(|t| t.blocker.clone()) {
                            None => holds("dyn safe"),
                            Some(why) => fails(format!("not dyn safe: {why}"), None),
                        })
                        .collect(),
                });
            }
        }
    }

    // Each goal (its explanations are added below, where verdicts differ).
    let first_goal_row = rows.len();
    let n_goals = reports.iter().map(|r| r.goals.len()).max().unwrap_or(0);
    let goal_texts: Vec<String> = (0..n_goals)
        .map(|i| {
            reports
                .iter()
                .find_map(|r| r.goals.get(i).map(|g| one_line(&g.text)))
                .unwrap_or_default()
        })
        .collect();
    for (i, text) in goal_texts.into_iter().enumerate() {
        rows.push(Row {
            kind: "goal",
            name: text,
            cells: reports.iter().map(|r| goal_cell(r, i)).collect(),
        });
    }

    // Broken promises, by name.
    rows.extend(check_rows(&columns, &reports, crate::audit::KIND, |c| {
        holds(match c.design {
            Design::Explicit => "no promise is made",
            _ => "kept",
        })
    }));

    if let Some(limits) = explain {
        for (i, row) in rows.iter_mut().enumerate() {
            let differs = row
                .cells
                .windows(2)
                .any(|w| w[0].verdict.word() != w[1].verdict.word());
            if !differs {
                for cell in &mut row.cells {
                    cell.explanation = None;
                }
                continue;
            }
            if row.kind != "goal" {
                continue;
            }
            let goal = i - first_goal_row;
            for (column, cell) in columns.iter().zip(&mut row.cells) {
                let explained = chalkboard_solver::explain::file::explain_file(
                    &db,
                    file,
                    &options,
                    column.config(),
                    &Selection::Goals(vec![goal]),
                    limits,
                );
                cell.explanation = explained.goals.into_iter().find_map(|g| g.explanation);
            }
        }
    } else {
        for cell in rows.iter_mut().flat_map(|r| &mut r.cells) {
            cell.explanation = None;
        }
    }

    Comparison { columns, rows }
}

/// One row per name among the layer's checks of `kind`, in first-seen
/// order; a column without that check gets `absent(column)`.
fn check_rows(
    columns: &[Column],
    reports: &[Arc<FileReport>],
    kind: &'static str,
    absent: impl Fn(&Column) -> Cell,
) -> Vec<Row> {
    let mut names: Vec<&str> = Vec::new();
    for r in reports {
        for c in r.layer.checks.iter().filter(|c| c.kind == kind) {
            if !names.contains(&c.name.as_str()) {
                names.push(&c.name);
            }
        }
    }
    names
        .into_iter()
        .map(|name| Row {
            kind,
            name: name.to_string(),
            cells: columns
                .iter()
                .zip(reports)
                .map(|(column, r)| {
                    match r
                        .layer
                        .checks
                        .iter()
                        .find(|c| c.kind == kind && c.name == name)
                    {
                        Some(c) => Cell {
                            verdict: c.verdict.clone(),
                            diagnostic: c.diagnostic.clone(),
                            explanation: c.explanation.clone(),
                        },
                        None => absent(column),
                    }
                })
                .collect(),
        })
        .collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
