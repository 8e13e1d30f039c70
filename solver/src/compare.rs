//! `chalkboard compare`: one program under every design, side by side.
//!
//! One row per check (the program as a whole, each impl's obligations, each
//! trait's dyn safety, each goal, each broken promise) and one column per
//! design: explicit, implied with `assume`, implied with `decide`, boxed.

use std::sync::Arc;

use chalkboard_syntax::ast::SolverSpec;
use chalkboard_syntax::Diagnostic;

use crate::conditional::{Implication, Verdict};
use crate::designs::{dyn_safety, Design};
use crate::run::{FileReport, RunOptions};
use crate::solve::Outcome;

/// A column: a design, and for the implied design how impls prove it.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub design: Design,
    pub implication: Implication,
}

impl Column {
    pub fn name(&self) -> String {
        match self.design {
            Design::Implied => format!("implied/{}", self.implication.name()),
            d => d.name().to_string(),
        }
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
    }
}

fn fails(reason: impl Into<String>, diagnostic: Option<Diagnostic>) -> Cell {
    Cell {
        verdict: Verdict::Fails {
            reason: reason.into(),
        },
        diagnostic,
    }
}

fn ambiguous(reason: impl Into<String>) -> Cell {
    Cell {
        verdict: Verdict::Ambiguous {
            reason: reason.into(),
        },
        diagnostic: None,
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
    let mut cell = match &run.outcome {
        Outcome::Answer(a) if a.starts_with("Unique") => holds(a.clone()),
        Outcome::Answer(a) if a.starts_with("No possible solution") => fails(a.clone(), None),
        other => ambiguous(other.text()),
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
    let columns = columns();
    let reports: Vec<Arc<FileReport>> = columns
        .iter()
        .map(|c| {
            let mut options = base.clone();
            options.design = c.design;
            options.implication = c.implication;
            options.solve_despite_impl_errors = true;
            crate::db::run_text(text, &options)
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
                match r.diagnostics.iter().find(|d| {
                    d.is_error()
                        && !matches!(
                            d.code,
                            "conditional-bound-unmet" | "conditional-bound-unproven"
                        )
                }) {
                    Some(d) => fails(format!("{}: {}", d.code, d.message), Some(d.clone())),
                    None => holds("accepted"),
                }
            })
            .collect(),
    });

    // Each impl's obligations, by name, in first-seen order.
    let mut impl_names: Vec<String> = Vec::new();
    for r in &reports {
        for o in &r.conditional.obligations {
            if !impl_names.contains(&o.name) {
                impl_names.push(o.name.clone());
            }
        }
    }
    for name in impl_names {
        let cells = columns
            .iter()
            .zip(&reports)
            .map(
                |(c, r)| match r.conditional.obligations.iter().find(|o| o.name == name) {
                    Some(o) => Cell {
                        verdict: o.verdict.clone(),
                        diagnostic: o.diagnostic.clone(),
                    },
                    None => holds(match c.design {
                        Design::Explicit => "no promise to keep: callers state what they need",
                        _ => "no promise to keep",
                    }),
                },
            )
            .collect();
        rows.push(Row {
            kind: "impl",
            name,
            cells,
        });
    }

    // Dyn safety of every trait written with methods.
    if let Some((tree, _)) = Some(chalkboard_syntax::parse_file(text)) {
        let per_column: Vec<_> = columns
            .iter()
            .map(|c| dyn_safety(&tree, c.design))
            .collect();
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

    // Each goal.
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
    let mut promise_names: Vec<String> = Vec::new();
    for r in &reports {
        for b in &r.conditional.broken_promises {
            if !promise_names.contains(&b.name) {
                promise_names.push(b.name.clone());
            }
        }
    }
    for name in promise_names {
        rows.push(Row {
            kind: "promise",
            name: name.clone(),
            cells: columns
                .iter()
                .zip(&reports)
                .map(|(c, r)| {
                    match r
                        .conditional
                        .broken_promises
                        .iter()
                        .find(|b| b.name == name)
                    {
                        Some(b) => fails(
                            format!("unsound: broken for `{}`", b.instantiation),
                            Some(b.diagnostic.clone()),
                        ),
                        None if c.design == Design::Explicit => holds("no promise is made"),
                        None => holds("kept"),
                    }
                })
                .collect(),
        });
    }

    Comparison { columns, rows }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
