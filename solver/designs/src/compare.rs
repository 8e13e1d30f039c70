//! `chalkboard compare`: one program under every design, side by side.
//!
//! One row per check (the program as a whole, each impl's obligations, each
//! trait's dyn safety, each goal, each broken promise) and one column per
//! design: explicit, implied with `assume`, implied with `decide`, boxed.

use std::sync::Arc;

use chalkboard_solver::db::{self, Database, Language, SourceFile};
use chalkboard_solver::explain::file::Selection;
use chalkboard_solver::explain::{ExplainLimits, Explanation};
use chalkboard_solver::layer::{Effect, Layer};
use chalkboard_solver::run::{FileReport, RunOptions};
use chalkboard_solver::Verdict;
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
    /// How long each phase of each column's run took, by column (the
    /// phases the columns share, such as parsing, count in the first that
    /// ran them).
    pub timings: Vec<chalkboard_solver::timing::Timings>,
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
    // The goal's verdict: chalk's answer with its lifetime constraints
    // decided, ambiguous when the solvers disagree.
    Cell {
        verdict: goal.verdict.verdict.clone(),
        diagnostic: None,
        explanation: None,
    }
}

/// Runs `text` under every column and builds the table.
pub fn compare(text: &str, language: Language, base: &RunOptions) -> Comparison {
    compare_explained(text, language, base, None)
}

/// As [`compare`]; with `explain`, every cell of a row whose verdicts
/// differ between the designs carries its explanation (a goal's tree, or the
/// obligation's), and the others carry none.
pub fn compare_explained(
    text: &str,
    language: Language,
    base: &RunOptions,
    explain: Option<&ExplainLimits>,
) -> Comparison {
    let db = Database::new(Arc::new(DesignLayer));
    let file = SourceFile::new(&db, text.to_string(), language);
    compare_in(&db, file, base, explain)
}

/// As [`compare_explained`], on a file already in a database with the
/// designs layer: what an earlier comparison of it memoized and the edits
/// since leave valid is reused (`compare --watch` and the REPL's
/// `:compare` keep one file and set its text).
pub fn compare_in(
    db: &Database,
    file: SourceFile,
    base: &RunOptions,
    explain: Option<&ExplainLimits>,
) -> Comparison {
    let columns = columns();
    let text = file.text(db);
    let mut options = base.clone();
    options.solve_despite_impl_errors = true;
    let (reports, timings): (Vec<Arc<FileReport>>, Vec<_>) = columns
        .iter()
        .map(|c| {
            let config = c.config();
            let settings = db.settings(&options, config);
            chalkboard_solver::timing::collect(|| Arc::clone(&db::report(db, file, settings).0))
        })
        .unzip();
    let mut rows = Vec::new();

    // The program as a whole: accepted, or the first error.
    rows.push(Row {
        kind: "program",
        name: "the program is accepted".into(),
        cells: reports
            .iter()
            .map(|r| {
                // The first error, as `check` would stop at it: its code and
                // line, to read beside rustc's; the impl or function it comes
                // from has its own row below, with the message.
                // Errors of an impl the design rejects, or of a function's
                // body, are shown in full in their own rows.
                let shown_below = |d: &Diagnostic| {
                    [
                        chalkboard_solver::codes::FUTURE_NOT_SEND,
                        chalkboard_solver::codes::UNSATISFIED_BOUND,
                        crate::codes::CONDITIONAL_BOUND_UNMET,
                        crate::codes::CONDITIONAL_BOUND_UNPROVEN,
                    ]
                    .contains(&d.code)
                        || r.layer.checks.iter().any(|c| {
                            c.effect == Effect::RejectsImpl
                                && c.diagnostic.as_ref().is_some_and(|x| {
                                    x.code == d.code && x.primary.span == d.primary.span
                                })
                        })
                };
                match r.diagnostics.iter().find(|d| d.is_error()) {
                    Some(d) => {
                        // Its line, to read beside rustc's.
                        let s = d.primary.span;
                        let at = if !s.in_model() && (s.start as usize) <= text.len() {
                            let line = text[..s.start as usize].matches('\n').count() + 1;
                            format!(" at line {line}")
                        } else {
                            String::new()
                        };
                        let diagnostic = (!shown_below(d)).then(|| d.clone());
                        fails(format!("rejected: {}{at}", d.code), diagnostic)
                    }
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

    // Dyn safety of every trait of the file written with methods.
    {
        let (tree, _) = db::parsed(db, file);
        let per_column: Vec<_> = columns.iter().map(|c| dyn_safety(tree, c.design)).collect();
        if let Some(first) = per_column.first() {
            for (i, t) in first.iter().enumerate() {
                // The traits of the model of the standard library (read
                // with every Rust file) are not the program's question.
                if t.span.in_model() {
                    continue;
                }
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

    // Each function with a body: whether its body's obligations hold.
    rows.extend(function_rows(db, file, &columns, &options));

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
                    db,
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

    Comparison {
        columns,
        rows,
        timings,
    }
}

/// One row per function with a body (a Rust file's): it holds under a
/// design when every obligation its body raises holds.
fn function_rows(
    db: &Database,
    file: SourceFile,
    columns: &[Column],
    options: &RunOptions,
) -> Vec<Row> {
    let per_column: Vec<_> = columns
        .iter()
        .map(|c| {
            let config = c.config();
            let settings = db.settings(options, config);
            let facts = db::bodies(db, file, db::Rewrite::new(db, config.rewrite)).clone();
            let (diagnostics, verdicts) = db::body_obligations(db, file, settings).clone();
            (facts, diagnostics, verdicts)
        })
        .collect();
    let Some((first, _, _)) = per_column.first() else {
        return Vec::new();
    };
    first
        .functions
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.in_model)
        .map(|(i, f)| Row {
            kind: "fn",
            name: f.name.clone(),
            cells: per_column
                .iter()
                .map(|(facts, diagnostics, verdicts)| {
                    let failing: Vec<usize> = facts
                        .obligations
                        .iter()
                        .enumerate()
                        .filter(|(k, o)| o.function == i && verdicts.get(*k) == Some(&false))
                        .map(|(k, _)| k)
                        .collect();
                    let type_error = facts
                        .diagnostics
                        .iter()
                        .find(|d| d.is_error() && f.span.start <= d.primary.span.start);
                    match failing.first() {
                        None if verdicts.is_empty() && type_error.is_some() => {
                            let d = type_error.cloned();
                            fails(
                                d.as_ref().map_or(String::new(), |d| {
                                    format!("{}: {}", d.code, d.message)
                                }),
                                d,
                            )
                        }
                        None => holds(format!(
                            "every obligation of its body holds ({})",
                            facts.obligations.iter().filter(|o| o.function == i).count()
                        )),
                        Some(&k) => {
                            let span = facts.obligations[k].span;
                            let d = diagnostics.iter().find(|d| d.primary.span == span).cloned();
                            fails(
                                d.as_ref().map_or_else(
                                    || "an obligation of its body fails".to_string(),
                                    |d| format!("{}: {}", d.code, d.message),
                                ),
                                d,
                            )
                        }
                    }
                })
                .collect(),
        })
        .collect()
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
