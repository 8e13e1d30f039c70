//! Renders reports as text: rustc-style diagnostics (annotate-snippets) and
//! one block per goal with each solver's answer and each expectation.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use chalkboard_lowering::syntax::ast::SolverSpec;
use chalkboard_lowering::{Diagnostic, Severity};
use chalkboard_solver::run::{ExpectationStatus, RunRequest};
use chalkboard_solver::solve::spec_name;

use crate::FileResult;

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let mut offset = offset;
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

fn clamp(source: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(range.start);
    let end = fix(range.end).max(start);
    start..end
}

/// Renders one diagnostic the way rustc does.
pub fn render_diagnostic(d: &Diagnostic, path: &str, source: &str, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut snippet = Snippet::source(source).path(path).annotation(
        AnnotationKind::Primary
            .span(clamp(source, d.primary.span.range()))
            .label(d.primary.message.as_str()),
    );
    for label in &d.secondary {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(clamp(source, label.span.range()))
                .label(label.message.as_str()),
        );
    }
    let mut group = level
        .primary_title(d.message.as_str())
        .id(d.code)
        .element(snippet);
    for note in &d.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(chalk) = &d.chalk_message {
        group = group.element(Level::NOTE.message(format!("chalk reports: {chalk}")));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: &[Group<'_>] = &[group];
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    format!("{}\n", renderer.render(report))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn solver_label(spec: SolverSpec, request: RunRequest) -> String {
    let name = if spec == SolverSpec::SLG_DEFAULT {
        "slg".to_string()
    } else if spec == SolverSpec::RECURSIVE_DEFAULT {
        "recursive".to_string()
    } else {
        spec_name(spec)
    };
    match request {
        RunRequest::Aggregated => name,
        RunRequest::All => format!("{name}, all answers"),
    }
}

/// Renders every file's report.
pub fn render(results: &[FileResult], color: bool, check_only: bool) -> String {
    let mut out = String::new();
    let (mut n_goals, mut n_held, mut n_failed, mut n_rejected) = (0, 0, 0, 0);
    for r in results {
        let report = &r.report;
        if let Some(design) = &r.design {
            out.push_str(&format!("== {} under the {design} design ==\n", r.path));
        }
        for d in &report.diagnostics {
            out.push_str(&render_diagnostic(d, &r.path, &r.source, color));
        }
        for e in &report.expected_errors {
            let (line, col) = line_col(&r.source, e.span.start as usize);
            let verdict = if e.holds { "holds" } else { "FAILED" };
            out.push_str(&format!(
                "{}:{line}:{col}: expected rejection {verdict}: {:?}\n",
                r.path, e.expected
            ));
            if e.holds {
                n_held += 1;
            } else {
                n_failed += 1;
            }
        }
        if report.rejected {
            if report.expected_errors.is_empty() {
                n_rejected += 1;
                out.push_str(&format!(
                    "{}: the program was rejected, so no goal ran\n",
                    r.path
                ));
            }
            continue;
        }
        if check_only {
            out.push_str(&format!("{}: the program is accepted\n", r.path));
            continue;
        }
        if report.expected_errors.is_empty()
            && report.diagnostics.is_empty()
            && report.goals.is_empty()
        {
            out.push_str(&format!(
                "{}: the program is accepted (it has no goals)\n",
                r.path
            ));
        }
        for g in &report.goals {
            n_goals += 1;
            let (line, col) = line_col(&r.source, g.span.start as usize);
            out.push_str(&format!(
                "{}:{line}:{col}: goal {{ {} }}\n",
                r.path,
                one_line(&g.text)
            ));
            if let Some(d) = &g.error {
                n_failed += 1;
                out.push_str(&render_diagnostic(d, &r.path, &r.source, color));
                continue;
            }
            for run in &g.runs {
                out.push_str(&format!(
                    "    {}: {}\n",
                    solver_label(run.solver, run.request),
                    run.outcome.text()
                ));
            }
            if let Some(dis) = &g.disagreement {
                out.push_str(&format!("    warning: {dis}\n"));
            }
            for e in &g.expectations {
                match &e.status {
                    ExpectationStatus::Holds => {
                        n_held += 1;
                        out.push_str(&format!("    holds: {}\n", e.description));
                    }
                    ExpectationStatus::Fails { actual } => {
                        n_failed += 1;
                        let (line, col) = line_col(&r.source, e.span.start as usize);
                        out.push_str(&format!(
                            "    FAILED: {} (line {line}, column {col})\n        got: {actual}\n",
                            e.description
                        ));
                    }
                    ExpectationStatus::Skipped { why } => {
                        out.push_str(&format!("    skipped: {} ({why})\n", e.description));
                    }
                }
            }
        }
    }
    if !check_only {
        out.push_str(&format!(
            "\n{} file(s), {n_goals} goal(s): {n_held} expectation(s) held, {n_failed} failed{}\n",
            {
                let mut paths: Vec<&str> = results.iter().map(|r| r.path.as_str()).collect();
                paths.dedup();
                paths.len()
            },
            if n_rejected > 0 {
                format!(", {n_rejected} program(s) rejected")
            } else {
                String::new()
            }
        ));
    }
    out
}
