//! Renders reports as text: rustc-style diagnostics (annotate-snippets) and
//! one block per goal with each solver's answer and each expectation.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use chalkboard_solver::annotations::{AnnotationCheck, AnnotationStatus};
use chalkboard_solver::run::{ExpectationStatus, RunRequest};
use chalkboard_solver::solve::spec_name;
use chalkboard_syntax::ast::{ExpectationKind, SolverSpec, Span};
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::rust::Annotation;
use chalkboard_syntax::{Diagnostic, Severity};

use chalkboard_solver::timing::{Phase, Timings};

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

/// The model of the standard library's text and line index, built once.
fn model() -> &'static (String, LineIndex) {
    static MODEL: std::sync::OnceLock<(String, LineIndex)> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let text = chalkboard_rust::MODEL.to_string();
        let index = LineIndex::new(&text);
        (text, index)
    })
}

/// One snippet of a source with the labels that point into it (the first
/// label primary when `primary` says so), over only the lines they cover.
fn snippet<'a>(
    source: &'a str,
    path: &'a str,
    index: &LineIndex,
    labels: &[(&'a chalkboard_syntax::Label, bool)],
    base: u32,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let spans: Vec<std::ops::Range<usize>> = labels
        .iter()
        .map(|(l, _)| {
            let r = l.span.range();
            clamp(source, r.start - base as usize..r.end - base as usize)
        })
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
        .path(path);
    for ((label, primary), span) in labels.iter().zip(&spans) {
        let kind = if *primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        snippet = snippet.annotation(kind.span(local(span)).label(label.message.as_str()));
    }
    snippet
}

/// Renders one diagnostic the way rustc does. Only the lines its labels
/// cover are handed to the renderer, so the cost does not grow with the file.
/// Labels that point into the model of the standard library are shown
/// against the model's text, in a snippet of their own.
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
    let labels: Vec<(&chalkboard_syntax::Label, bool)> = std::iter::once((&d.primary, true))
        .chain(d.secondary.iter().map(|l| (l, false)))
        .collect();
    let (in_model, in_file): (Vec<_>, Vec<_>) =
        labels.into_iter().partition(|(l, _)| l.span.in_model());
    let (model_text, model_index) = model();
    let file_snippet = (!in_file.is_empty()).then(|| snippet(source, path, index, &in_file, 0));
    let model_snippet = (!in_model.is_empty()).then(|| {
        snippet(
            model_text,
            chalkboard_rust::MODEL_PATH,
            model_index,
            &in_model,
            chalkboard_syntax::ast::Span::MODEL_BASE,
        )
    });
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(d.code.name));
    // The snippet with the primary label comes first.
    let (first, second) = if d.primary.span.in_model() {
        (model_snippet, file_snippet)
    } else {
        (file_snippet, model_snippet)
    };
    for s in [first, second].into_iter().flatten() {
        group = group.element(s);
    }
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

pub fn one_line(text: &str) -> String {
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

/// What the text output counts over the files it renders.
#[derive(Clone, Copy, Default, Debug)]
pub struct Tally {
    pub goals: usize,
    pub held: usize,
    pub failed: usize,
    pub rejected: usize,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.goals += other.goals;
        self.held += other.held;
        self.failed += other.failed;
        self.rejected += other.rejected;
    }

    /// The closing line of `run`'s text output.
    pub fn line(&self, files: usize) -> String {
        format!(
            "\n{files} file(s), {} goal(s): {} expectation(s) held, {} failed{}\n",
            self.goals,
            self.held,
            self.failed,
            if self.rejected > 0 {
                format!(", {} program(s) rejected", self.rejected)
            } else {
                String::new()
            }
        )
    }
}

/// Renders every file's report, then (unless `check_only`) the closing
/// line that counts them all, as `run` prints one set of files.
pub fn render(results: &[FileResult], color: bool, check_only: bool) -> String {
    let mut tally = Tally::default();
    let mut out = render_files(results, color, check_only, &mut tally);
    if !check_only {
        let mut paths: Vec<&str> = results.iter().map(|r| r.path.as_str()).collect();
        paths.dedup();
        out.push_str(&tally.line(paths.len()));
    }
    out
}

/// Renders every file's report, without the closing line (see
/// [`Tally::line`]), counting into `tally`.
pub fn render_files(
    results: &[FileResult],
    color: bool,
    check_only: bool,
    tally: &mut Tally,
) -> String {
    let mut out = String::new();
    let (mut n_goals, mut n_held, mut n_failed, mut n_rejected) = (0, 0, 0, 0);
    for r in results {
        // The file's output; `break 'file` ends it early.
        'file: {
            let report = &r.report;
            let index = LineIndex::new(&r.source);
            let line_col = |source: &str, offset: usize| index.line_col(source, offset);
            if let Some(check) = &report.annotations {
                let (held, failed) = render_annotated(r, check, &index, color, &mut out);
                n_held += held;
                n_failed += failed;
                break 'file;
            }
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
                    if r.rust {
                        out.push_str(&format!("{}: the program is rejected\n", r.path));
                    } else {
                        out.push_str(&format!(
                            "{}: the program was rejected, so no goal ran\n",
                            r.path
                        ));
                    }
                }
                break 'file;
            }
            if check_only {
                out.push_str(&format!("{}: the program is accepted\n", r.path));
                break 'file;
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
                // The verdict is printed when it says more than the answers
                // (chalk's own programs print exactly what chalk's harness
                // prints), or when the goal states one.
                let states_verdict = g
                    .expectations
                    .iter()
                    .any(|e| matches!(e.kind, ExpectationKind::Holds | ExpectationKind::Fails));
                if g.verdict.beyond_answer || states_verdict {
                    out.push_str(&format!(
                        "    verdict: {}: {}\n",
                        g.verdict.word(),
                        g.verdict.reason()
                    ));
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
        if let Some(timings) = &r.timings {
            out.push_str(&timings_table(r, timings, &LineIndex::new(&r.source)));
        }
    }
    tally.add(Tally {
        goals: n_goals,
        held: n_held,
        failed: n_failed,
        rejected: n_rejected,
    });
    out
}

/// Where a span is, as `path:line:column`: in the file, or in the model of
/// the standard library.
pub fn place(path: &str, source: &str, index: &LineIndex, span: Span) -> String {
    if span.in_model() {
        let (model_text, model_index) = model();
        let offset = (span.start - Span::MODEL_BASE) as usize;
        let (line, col) = model_index.line_col(model_text, offset);
        format!("{}:{line}:{col}", chalkboard_rust::MODEL_PATH)
    } else {
        let (line, col) = index.line_col(source, span.start as usize);
        format!("{path}:{line}:{col}")
    }
}

/// An annotation as rustc's tests spell it, `//[rev]~ ERROR text`.
pub fn annotation_text(a: &Annotation) -> String {
    let revisions = if a.revisions.is_empty() {
        String::new()
    } else {
        format!("[{}]", a.revisions.join(","))
    };
    let text = if a.text.is_empty() {
        String::new()
    } else {
        format!(" {}", a.text)
    };
    format!("//{revisions}~ {}{text}", a.kind.word())
}

/// One run of a Rust file against its annotations: the diagnostics, then
/// each annotation with whether it matched, each error or warning no
/// annotation claims, and the verdict. Returns the number of expectations
/// held and failed.
fn render_annotated(
    r: &FileResult,
    check: &AnnotationCheck,
    index: &LineIndex,
    color: bool,
    out: &mut String,
) -> (usize, usize) {
    let report = &r.report;
    let (mut held, mut failed) = (0, 0);
    if let Some(revision) = &check.revision {
        if *revision == r.config_name {
            out.push_str(&format!("== {} under revision `{revision}` ==\n", r.path));
        } else {
            out.push_str(&format!(
                "== {} under revision `{revision}` ({}) ==\n",
                r.path, r.config_name
            ));
        }
    }
    for d in &report.diagnostics {
        out.push_str(&render_diagnostic(d, &r.path, &r.source, index, color));
    }
    for a in &check.annotations {
        let at = place(&r.path, &r.source, index, a.annotation.span);
        let written = annotation_text(&a.annotation);
        match &a.status {
            AnnotationStatus::Matched { .. } => {
                held += 1;
                out.push_str(&format!("{at}: holds: {written}\n"));
            }
            AnnotationStatus::Unmatched => {
                failed += 1;
                let kind = match a.annotation.kind {
                    chalkboard_syntax::rust::AnnotationKind::Error => "no error",
                    chalkboard_syntax::rust::AnnotationKind::Warn => "no warning",
                    chalkboard_syntax::rust::AnnotationKind::Note => "no diagnostic with a note",
                    chalkboard_syntax::rust::AnnotationKind::Help => "no diagnostic with a help",
                };
                let containing = if a.annotation.text.is_empty() {
                    String::new()
                } else {
                    format!(" containing {:?}", a.annotation.text)
                };
                out.push_str(&format!(
                    "{at}: FAILED: {written}\n    {kind}{containing} on line {}\n",
                    a.annotation.line
                ));
            }
            AnnotationStatus::UnknownRevision { name } => {
                failed += 1;
                out.push_str(&format!(
                    "{at}: FAILED: {written}\n    it names revision `{name}`, which `//@ revisions:` does not declare\n"
                ));
            }
        }
    }
    for &i in &check.unannotated {
        let Some(d) = report.diagnostics.get(i) else {
            continue;
        };
        failed += 1;
        let at = place(&r.path, &r.source, index, d.primary.span);
        let (severity, word) = match d.severity {
            Severity::Error => ("error", "ERROR"),
            Severity::Warning => ("warning", "WARN"),
        };
        out.push_str(&format!(
            "{at}: FAILED: {severity}[{}] is not annotated\n    expected `//~ {word} {}` on its line\n",
            d.code.name, d.message
        ));
    }
    let rejected = report.diagnostics.iter().any(|d| d.is_error());
    match check.check_pass {
        Some((_, true)) => {
            held += 1;
            out.push_str(&format!(
                "{}: the program is accepted, as `//@ check-pass` states\n",
                r.path
            ));
        }
        Some((span, false)) => {
            failed += 1;
            out.push_str(&format!(
                "{}: FAILED: `//@ check-pass` states that the program is accepted, but it is rejected\n",
                place(&r.path, &r.source, index, span)
            ));
        }
        None if rejected => out.push_str(&format!("{}: the program is rejected\n", r.path)),
        None => out.push_str(&format!("{}: the program is accepted\n", r.path)),
    }
    (held, failed)
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

/// What a Rust file's bodies computed, as comment lines after the printed
/// program (so the output still parses): what each future holds, each value
/// with the line that holds it (rules body-future-struct and
/// body-held-across-await), and every obligation the bodies raise, as the
/// goal chalkboard asks (rule body-callee-bounds).
pub fn held_values(
    facts: &chalkboard_solver::bodies::BodyFacts,
    source: &str,
    index: &LineIndex,
) -> String {
    use chalkboard_solver::bodies::{HeldWhy, Origin};
    use chalkboard_syntax::print::{print_goal, print_ty};
    let line = |span: chalkboard_syntax::ast::Span| index.line_col(source, span.start as usize).0;
    let mut out = String::from(
        "\n// What each future holds (rules body-future-struct, body-held-across-await):\n",
    );
    let mut futures: Vec<&str> = Vec::new();
    for h in &facts.held {
        if !futures.contains(&h.future.as_str()) {
            futures.push(&h.future);
        }
    }
    if futures.is_empty() {
        out.push_str("//   no future\n");
    }
    for future in futures {
        let shown = facts
            .shown
            .iter()
            .find(|(name, _)| name == future)
            .map(|(_, s)| format!(", {s}"))
            .unwrap_or_default();
        out.push_str(&format!("// `{future}`{shown}:\n"));
        for h in facts.held.iter().filter(|h| h.future == future) {
            let why = match &h.why {
                HeldWhy::Argument { span } => format!("an argument (line {})", line(*span)),
                HeldWhy::Captured { name, span, by_ref } => format!(
                    "`{name}`, captured {} (first used on line {})",
                    if *by_ref { "by reference" } else { "by value" },
                    line(*span)
                ),
                HeldWhy::Binding {
                    name,
                    binding,
                    await_span,
                } => format!(
                    "`{name}`, declared on line {}, in scope at the `.await` on line {}",
                    line(*binding),
                    line(*await_span)
                ),
                HeldWhy::Temporary { span, await_span } => format!(
                    "a temporary of the statement on line {}, borrowed across the `.await` on line {}",
                    line(*span),
                    line(*await_span)
                ),
                HeldWhy::Awaited { span, call } => {
                    format!("the future of `{call}`, awaited on line {}", line(*span))
                }
            };
            out.push_str(&format!("//   {}: {}: {why}\n", h.field, print_ty(&h.ty)));
        }
    }
    out.push_str("\n// The obligations of the bodies (rule body-callee-bounds), as goals:\n");
    if facts.obligations.is_empty() {
        out.push_str("//   none\n");
    }
    for o in &facts.obligations {
        let function = facts
            .functions
            .get(o.function)
            .map_or("", |f| f.name.as_str());
        let origin = match &o.origin {
            Origin::CalleeBound { callee, .. } => format!("a bound of `{callee}`"),
            Origin::MethodTrait { method } => format!("the trait of the method `{method}`"),
            Origin::Await => "`.await` needs `IntoFuture`".to_string(),
            Origin::Coercion { from, to } => format!("the cast from `{from}` to `{to}`"),
            Origin::OpaqueBound { .. } => "a bound of the function's return type".to_string(),
            Origin::DerefMut { ty } => format!("a mutable borrow through `{ty}`"),
        };
        out.push_str(&format!(
            "// {function}, line {} ({origin}):\n//   goal {{ {} }}\n",
            line(o.span),
            print_goal(&o.goal)
        ));
    }
    out
}

/// A duration as `--timings` prints it: milliseconds below a second.
pub fn duration(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

/// What `--timings` calls each phase.
pub fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Parse => "parse",
        Phase::Desugar => "desugar",
        Phase::Rewrite => "design rewrite",
        Phase::Lower => "lower",
        Phase::Bodies => "bodies",
        Phase::Check => "check",
        Phase::LayerChecks => "design checks",
        Phase::Goal(_) => "goal",
        Phase::Report => "report",
    }
}

/// The phases of a run and their times, as an aligned table after the
/// file's output (`--timings`): every phase in pipeline order (`-` when it
/// did not run in this run), each goal with its line, and the total.
pub fn timings_rows(
    timings: &Timings,
    goal_line: &dyn Fn(usize) -> Option<usize>,
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let ran = |phase: Phase| timings.phases.iter().any(|(p, _)| *p == phase);
    let fixed = |phase: Phase| {
        let time = if ran(phase) {
            duration(timings.of(phase))
        } else {
            "-".to_string()
        };
        (phase_label(phase).to_string(), time)
    };
    for phase in Phase::FIXED {
        if phase == Phase::Report {
            continue;
        }
        rows.push(fixed(phase));
    }
    for (i, time) in timings.goals() {
        let label = match goal_line(i) {
            Some(line) => format!("goal {} (line {line})", i + 1),
            None => format!("goal {}", i + 1),
        };
        rows.push((label, duration(time)));
    }
    rows.push(fixed(Phase::Report));
    rows.push(("total".to_string(), duration(timings.total())));
    rows
}

/// `rows` as lines indented by `indent`, the times aligned on the right.
pub fn aligned(rows: &[(String, String)], indent: &str) -> String {
    let label = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let time = rows.iter().map(|(_, t)| t.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(l, t)| format!("{indent}{l:<label$}  {t:>time$}\n"))
        .collect()
}

fn timings_table(r: &FileResult, timings: &Timings, index: &LineIndex) -> String {
    let goal_line = |i: usize| {
        r.report
            .goals
            .get(i)
            .map(|g| index.line_col(&r.source, g.span.start as usize).0)
    };
    let title = match &r.design {
        Some(design) => format!("timings of {} under the {design} design:\n", r.path),
        None => format!("timings of {}:\n", r.path),
    };
    title + &aligned(&timings_rows(timings, &goal_line), "    ")
}
