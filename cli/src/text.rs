//! Renders reports as text: rustc-style diagnostics (annotate-snippets) and
//! one block per goal with each solver's answer and each expectation.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use chalkboard_solver::run::{ExpectationStatus, RunRequest};
use chalkboard_solver::solve::spec_name;
use chalkboard_syntax::ast::SolverSpec;
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::{Diagnostic, Severity};

use crate::FileResult;

/// The start of every line of a source text, computed once per file so that
/// placing a diagnostic costs a binary search, not a scan of the file (a file
/// with tens of thousands of errors must still print quickly).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line containing a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = char_floor(source, offset);
        let line = self.line_of(offset);
        let col = source[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The span of the 1-based line `line` (without its newline), if the
    /// text has that line.
    pub fn line_span(&self, source: &str, line: usize) -> Option<chalkboard_syntax::ast::Span> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(source.len(), |&next| next.saturating_sub(1).max(start));
        Some(chalkboard_syntax::ast::Span::new(start, end.max(start + 1)))
    }

    /// The byte range of whole lines covering `range`, and the 1-based
    /// number of its first line.
    fn lines_around(
        &self,
        source: &str,
        range: std::ops::Range<usize>,
    ) -> (std::ops::Range<usize>, usize) {
        let first = self.line_of(range.start);
        let last = self.line_of(range.end);
        let end = self.starts.get(last + 1).map_or(source.len(), |&next| {
            next.saturating_sub(1).max(self.starts[last])
        });
        (self.starts[first]..char_floor(source, end), first + 1)
    }
}

fn char_floor(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
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

/// Renders one diagnostic the way rustc does. Only the lines its labels
/// cover are handed to the renderer, so the cost does not grow with the file.
pub fn render_diagnostic(
    d: &Diagnostic,
    path: &str,
    source: &str,
    index: &LineIndex,
    color: bool,
) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let spans: Vec<std::ops::Range<usize>> = std::iter::once(&d.primary)
        .chain(&d.secondary)
        .map(|l| clamp(source, l.span.range()))
        .collect();
    let covered = spans.iter().map(|r| r.start).min().unwrap_or(0)
        ..spans.iter().map(|r| r.end).max().unwrap_or(0);
    let (window, first_line) = index.lines_around(source, covered);
    let local = |r: &std::ops::Range<usize>| {
        let start = r.start.clamp(window.start, window.end) - window.start;
        let end = r.end.clamp(window.start, window.end) - window.start;
        start..end.max(start)
    };
    let mut snippet = Snippet::source(&source[window.clone()])
        .line_start(first_line)
        .path(path)
        .annotation(
            AnnotationKind::Primary
                .span(local(&spans[0]))
                .label(d.primary.message.as_str()),
        );
    for (label, span) in d.secondary.iter().zip(&spans[1..]) {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(local(span))
                .label(label.message.as_str()),
        );
    }
    let mut group = level
        .primary_title(d.message.as_str())
        .id(d.code.name)
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
        let index = LineIndex::new(&r.source);
        let line_col = |source: &str, offset: usize| index.line_col(source, offset);
        if let Some(design) = &r.design {
            out.push_str(&format!("== {} under the {design} design ==\n", r.path));
        }
        for d in &report.diagnostics {
            out.push_str(&render_diagnostic(d, &r.path, &r.source, &index, color));
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
        for (goal_index, g) in report.goals.iter().enumerate() {
            n_goals += 1;
            let (line, col) = line_col(&r.source, g.span.start as usize);
            out.push_str(&format!(
                "{}:{line}:{col}: goal {{ {} }}\n",
                r.path,
                one_line(&g.text)
            ));
            if let Some(d) = &g.error {
                n_failed += 1;
                out.push_str(&render_diagnostic(d, &r.path, &r.source, &index, color));
                continue;
            }
            for run in &g.runs {
                out.push_str(&format!(
                    "    {}: {}\n",
                    solver_label(run.solver, run.request),
                    report.render(&run.outcome)
                ));
            }
            if let Some(dis) = &g.disagreement {
                out.push_str(&format!("    warning: {dis}\n"));
            }
            // The tree prints once per goal, under its first failure.
            let mut explained = false;
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
                        if let Some(explanation) = r
                            .explanations
                            .get(&goal_index)
                            .filter(|_| !std::mem::replace(&mut explained, true))
                        {
                            let file = crate::explain::Rendered {
                                path: &r.path,
                                source: &r.source,
                                index: &index,
                            };
                            out.push_str(&file.explanation_text(explanation, "        "));
                        }
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

/// The rules a desugaring applied, as comment lines that follow the printed
/// program (so the output still parses): one per application, with the line
/// of the source it rewrote.
pub fn rules_applied(applied: &[Applied], source: &str, index: &LineIndex) -> String {
    let mut out = String::from("\n// Rules applied, in order:\n");
    if applied.is_empty() {
        out.push_str("//   none\n");
    }
    for a in applied {
        let (line, _) = index.line_col(source, a.span.start as usize);
        out.push_str(&format!(
            "//   line {line}: `{}` on `{}`: {}\n",
            a.rule.name, a.subject, a.rule.summary
        ));
    }
    out
}
