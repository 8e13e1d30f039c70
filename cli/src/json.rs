//! Renders reports as one JSON document (schema: docs/json.md).

use chalkboard_solver::run::{ExpectationStatus, RunRequest};
use chalkboard_solver::solve::spec_name;
use chalkboard_solver::{FileReport, Outcome};
use chalkboard_syntax::{Diagnostic, Severity};
use serde_json::{json, Value};

use crate::text::LineIndex;
use crate::FileResult;

/// The schema version; bump it when a field changes meaning or disappears.
const SCHEMA_VERSION: u32 = 1;

pub fn location(source: &str, index: &LineIndex, start: u32, end: u32) -> Value {
    let (line, column) = index.line_col(source, start as usize);
    let (end_line, end_column) = index.line_col(source, end as usize);
    json!({
        "start": start, "end": end,
        "line": line, "column": column,
        "end_line": end_line, "end_column": end_column,
    })
}

pub fn diagnostic(d: &Diagnostic, path: &str, source: &str, index: &LineIndex) -> Value {
    json!({
        "code": d.code.name,
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": d.message,
        "file": path,
        "span": location(source, index, d.primary.span.start, d.primary.span.end),
        "label": d.primary.message,
        "secondary": d.secondary.iter().map(|l| json!({
            "span": location(source, index, l.span.start, l.span.end),
            "label": l.message,
        })).collect::<Vec<_>>(),
        "notes": d.notes,
        "help": d.help,
        "chalk_message": d.chalk_message,
    })
}

fn outcome(report: &FileReport, o: &Outcome) -> Value {
    match o {
        Outcome::Solved(_) => json!({ "kind": "answer", "answer": report.render(o) }),
        Outcome::Enumerated { complete, .. } => {
            json!({ "kind": "answers", "answers": report.render_answers(o), "complete": complete })
        }
        Outcome::Timeout => json!({ "kind": "timeout", "message": report.render(o) }),
        Outcome::Overflow => json!({ "kind": "overflow", "message": report.render(o) }),
        Outcome::Panic(msg) => json!({ "kind": "internal-error", "message": msg }),
    }
}

/// An explanation (`run --explain`): as `chalkboard explain` prints one
/// goal's, without the goal's own fields.
fn explanation(
    r: &FileResult,
    index: &LineIndex,
    e: &chalkboard_solver::explain::Explanation,
) -> Value {
    let file = crate::explain::Rendered {
        path: &r.path,
        source: &r.source,
        index,
    };
    json!({
        "verdict": e.status.word(),
        "answer": e.answer,
        "agrees_with_solver": e.agrees,
        "disagreement": e.disagreement,
        "cut": e.cut,
        "explain_error": e.error,
        "tree": e.tree.as_ref().map(|t| file.node_json(t)),
    })
}

pub fn render(results: &[FileResult]) -> String {
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            let rep = &r.report;
            let index = LineIndex::new(&r.source);
            json!({
                "path": r.path,
                "design": r.design,
                "rejected": rep.rejected,
                "all_hold": rep.all_hold(),
                "diagnostics": rep.diagnostics.iter().map(|d| diagnostic(d, &r.path, &r.source, &index)).collect::<Vec<_>>(),
                "expected_errors": rep.expected_errors.iter().map(|e| json!({
                    "expected": e.expected,
                    "span": location(&r.source, &index, e.span.start, e.span.end),
                    "status": if e.holds { "holds" } else { "fails" },
                })).collect::<Vec<_>>(),
                "goals": rep.goals.iter().enumerate().map(|(i, g)| json!({
                    "explanation": r.explanations.get(&i).map(|e| explanation(r, &index, e)),
                    "text": g.text,
                    "span": location(&r.source, &index, g.span.start, g.span.end),
                    "error": g.error.as_ref().map(|d| diagnostic(d, &r.path, &r.source, &index)),
                    "runs": g.runs.iter().map(|run| json!({
                        "solver": match run.solver {
                            chalkboard_syntax::ast::SolverSpec::Slg { .. } => "slg",
                            chalkboard_syntax::ast::SolverSpec::Recursive { .. } => "recursive",
                        },
                        "config": spec_name(run.solver),
                        "request": match run.request { RunRequest::Aggregated => "aggregated", RunRequest::All => "all" },
                        "outcome": outcome(rep, &run.outcome),
                    })).collect::<Vec<_>>(),
                    "disagreement": g.disagreement,
                    "expectations": g.expectations.iter().map(|e| {
                        let (status, detail) = match &e.status {
                            ExpectationStatus::Holds => ("holds", Value::Null),
                            ExpectationStatus::Fails { actual } => ("fails", json!(actual)),
                            ExpectationStatus::Skipped { why } => ("skipped", json!(why)),
                        };
                        json!({
                            "expectation": e.description,
                            "span": location(&r.source, &index, e.span.start, e.span.end),
                            "status": status,
                            "detail": detail,
                        })
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({ "version": SCHEMA_VERSION, "files": files });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
