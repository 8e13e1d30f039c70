//! Renders reports as one JSON document (schema: docs/json.md).

use chalkboard_solver::annotations::{AnnotationCheck, AnnotationStatus};
use chalkboard_solver::run::{ExpectationStatus, RunRequest};
use chalkboard_solver::solve::spec_name;
use chalkboard_solver::timing::{Phase, Timings};
use chalkboard_solver::{FileReport, Outcome};
use chalkboard_syntax::{Diagnostic, Severity};
use serde_json::{json, Value};

use crate::text::LineIndex;
use crate::FileResult;

/// The schema version; bump it when a field changes meaning or disappears.
const SCHEMA_VERSION: u32 = 1;

pub fn location(source: &str, index: &LineIndex, start: u32, end: u32) -> Value {
    if chalkboard_syntax::ast::Span::new(start as usize, end as usize).in_model() {
        // A span in the model of the standard library: its place in the
        // model's text (the diagnostic's `file` names the model).
        let base = chalkboard_syntax::ast::Span::MODEL_BASE;
        let model = chalkboard_rust::MODEL;
        let model_index = LineIndex::new(model);
        let mut place = location(model, &model_index, start - base, end - base);
        place["start"] = json!(start);
        place["end"] = json!(end);
        return place;
    }
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
        "file": if d.primary.span.in_model() { chalkboard_rust::MODEL_PATH } else { path },
        "span": location(source, index, d.primary.span.start, d.primary.span.end),
        "label": d.primary.message,
        "secondary": d.secondary.iter().map(|l| {
            let mut label = json!({
                "span": location(source, index, l.span.start, l.span.end),
                "label": l.message,
            });
            // A label in the model of the standard library says so (a
            // `.chalk` file's labels are all in the file).
            if l.span.in_model() {
                label["file"] = json!(chalkboard_rust::MODEL_PATH);
            }
            label
        }).collect::<Vec<_>>(),
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

/// A Rust run's annotations against its diagnostics (docs/json.md).
fn annotations(check: &AnnotationCheck, source: &str, index: &LineIndex) -> Value {
    json!({
        "revision": check.revision,
        "annotations": check.annotations.iter().map(|a| {
            let (status, diagnostic, revision) = match &a.status {
                AnnotationStatus::Matched { diagnostic } => ("matched", json!(diagnostic), Value::Null),
                AnnotationStatus::Unmatched => ("unmatched", Value::Null, Value::Null),
                AnnotationStatus::UnknownRevision { name } => ("unknown-revision", Value::Null, json!(name)),
            };
            json!({
                "annotation": crate::text::annotation_text(&a.annotation),
                "kind": a.annotation.kind.word(),
                "line": a.annotation.line,
                "text": a.annotation.text,
                "revisions": a.annotation.revisions,
                "span": location(source, index, a.annotation.span.start, a.annotation.span.end),
                "status": status,
                "diagnostic": diagnostic,
                "unknown_revision": revision,
            })
        }).collect::<Vec<_>>(),
        "unannotated": check.unannotated,
        "check_pass": check.check_pass.map(|(span, holds)| json!({
            "span": location(source, index, span.start, span.end),
            "holds": holds,
        })),
    })
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

/// `--timings`: each phase's own time in seconds (`null` when it did not
/// run in this run), each goal's, and the total (docs/json.md).
pub fn timings(t: &Timings, goal_line: &dyn Fn(usize) -> Option<usize>) -> Value {
    let mut phases = serde_json::Map::new();
    for phase in Phase::FIXED {
        let ran = t.phases.iter().any(|(p, _)| *p == phase);
        phases.insert(
            phase.name().to_string(),
            if ran {
                json!(t.of(phase).as_secs_f64())
            } else {
                Value::Null
            },
        );
    }
    phases.insert(
        "goals".to_string(),
        t.goals()
            .map(|(i, d)| json!({ "goal": i, "line": goal_line(i), "seconds": d.as_secs_f64() }))
            .collect::<Vec<_>>()
            .into(),
    );
    phases.insert("total".to_string(), json!(t.total().as_secs_f64()));
    Value::Object(phases)
}

pub fn render(results: &[FileResult]) -> String {
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            let rep = &r.report;
            let index = LineIndex::new(&r.source);
            let mut file = json!({
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
                    "verdict": g.verdict.word(),
                    "verdict_reason": g.verdict.reason(),
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
            });
            // Only a Rust file's runs have annotations; a `.chalk` file's
            // document is as it always was.
            if let Some(check) = &rep.annotations {
                file["annotations"] = annotations(check, &r.source, &index);
            }
            if let Some(t) = &r.timings {
                let goal_line = |i: usize| {
                    rep.goals
                        .get(i)
                        .map(|g| index.line_col(&r.source, g.span.start as usize).0)
                };
                file["timings"] = timings(t, &goal_line);
            }
            file
        })
        .collect();
    let doc = json!({ "version": SCHEMA_VERSION, "files": files });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
