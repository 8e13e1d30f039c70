//! `run --bless`: what each failed expectation of a file should say, read
//! from the file's runs, as edits of its source
//! (`chalkboard_syntax::bless` spells them and keeps every other byte), and
//! the unified diff of the change.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use chalkboard_solver::annotations::AnnotationStatus;
use chalkboard_solver::run::ExpectationStatus;
use chalkboard_solver::solve::Outcome;
use chalkboard_syntax::ast::{ExpectationKind, SolverSpec};
use chalkboard_syntax::bless::{self, Edit};
use chalkboard_syntax::Severity;

use crate::FileResult;

/// The edits of one file and what could not be blessed.
#[derive(Default)]
pub struct Blessing {
    pub edits: Vec<Edit>,
    /// One sentence per expectation that no text can make hold, with its
    /// line.
    pub unblessable: Vec<String>,
}

/// What `--bless` changes in the file of `results` (every run of one file,
/// one per configuration or revision). With `additions`, a goal without
/// expectations gets a `yields` and a rejected program without `error_msg`
/// gets one; without it, only what failed is rewritten (what a run without
/// `--bless` shows as a diff): failed expectations, and a Rust file's
/// annotations.
pub fn blessing(results: &[FileResult], additions: bool) -> Blessing {
    let Some(first) = results.first() else {
        return Blessing::default();
    };
    let source = first.source.as_str();
    let mut out = Blessing::default();
    if results.iter().any(|r| r.report.annotations.is_some()) {
        annotations(results, &mut out);
        return out;
    }
    // Each expectation is checked in the runs it applies to; they must
    // agree on what it should say.
    let mut answers: BTreeMap<(u32, u32), (ExpectationKind, Vec<String>)> = BTreeMap::new();
    let mut conflicting = BTreeSet::new();
    let mut bare_goals = BTreeSet::new();
    for (run_index, r) in results.iter().enumerate() {
        let report = &r.report;
        for g in &report.goals {
            if g.error.is_some() {
                continue;
            }
            if g.expectations.is_empty() && additions && run_index == 0 && g.disagreement.is_none()
            {
                let answer = [SolverSpec::SLG_DEFAULT, SolverSpec::RECURSIVE_DEFAULT]
                    .into_iter()
                    .find_map(|spec| g.runs.iter().find(|run| run.solver == spec))
                    .filter(|run| {
                        !run.outcome.hit_limit() && !matches!(run.outcome, Outcome::Panic(_))
                    })
                    .map(|run| report.render(&run.outcome));
                if let Some(answer) = answer {
                    if bare_goals.insert((g.span.start, g.span.end)) {
                        out.edits.push(bless::add_yields(g.span, answer.trim()));
                    }
                }
            }
            for e in &g.expectations {
                let ExpectationStatus::Fails { actual } = &e.status else {
                    continue;
                };
                let key = (e.span.start, e.span.end);
                match &e.would_hold {
                    Some(new) => match answers.get(&key) {
                        Some((_, old)) if old != new => {
                            conflicting.insert(key);
                        }
                        Some(_) => {}
                        None => {
                            answers.insert(key, (e.kind, new.clone()));
                        }
                    },
                    None => out.unblessable.push(format!(
                        "line {}: `{}` cannot be blessed: no text makes it hold (got: {actual})",
                        line_of(source, e.span.start as usize),
                        e.description
                    )),
                }
            }
        }
        expected_errors(r, run_index, additions, &mut out);
    }
    for (key, (kind, new)) in answers {
        let span = chalkboard_syntax::ast::Span {
            start: key.0,
            end: key.1,
        };
        if conflicting.contains(&key) {
            out.unblessable.push(format!(
                "line {}: the runs under different designs need different answers; write one expectation per design",
                line_of(source, key.0 as usize)
            ));
            continue;
        }
        match kind {
            ExpectationKind::Holds | ExpectationKind::Fails => {
                if let Some(word) = new.first() {
                    out.edits.extend(bless::rewrite_verdict(source, span, word));
                }
            }
            _ => match bless::rewrite_answers(source, span, &new) {
                Some(edits) => out.edits.extend(edits),
                None => out.unblessable.push(format!(
                    "line {}: the answers of this expectation could not be found",
                    line_of(source, key.0 as usize)
                )),
            },
        }
    }
    out.edits.sort_by_key(|e| (e.start, e.end));
    out.edits.dedup();
    out
}

/// The file's `error_msg { .. }` expectations of one run: a failed one says
/// the error the program now has (or is removed when it has none), and a
/// rejected program without any gets one.
fn expected_errors(r: &FileResult, run_index: usize, additions: bool, out: &mut Blessing) {
    let report = &r.report;
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.chalk_message.as_deref().unwrap_or(&d.message))
        .collect();
    // The errors that a held expectation already names are not named twice.
    let mut free: Vec<&str> = messages
        .iter()
        .copied()
        .filter(|m| {
            !report
                .expected_errors
                .iter()
                .any(|e| e.holds && chalkboard_solver::run::same_modulo_whitespace(m, &e.expected))
        })
        .collect();
    for e in report.expected_errors.iter().filter(|e| !e.holds) {
        if messages.is_empty() {
            out.edits.push(bless::remove(&r.source, e.span));
        } else if !free.is_empty() {
            let message = free.remove(0);
            out.edits.extend(
                bless::rewrite_answers(&r.source, e.span, &[message.to_string()])
                    .unwrap_or_default(),
            );
        } else {
            out.unblessable.push(format!(
                "line {}: `error_msg` names an error the program no longer has, and its other errors are named already",
                line_of(&r.source, e.span.start as usize)
            ));
        }
    }
    if additions && run_index == 0 && report.rejected && report.expected_errors.is_empty() {
        if let Some(message) = messages.first() {
            out.edits
                .push(bless::add_error_msg(&r.source, "", first_line(message)));
        }
    }
}

/// A Rust file's annotations: one that matches nothing is removed, and an
/// error or warning no annotation claims gets one, on a line of its own
/// below the line it is on (`//~^ ERROR message`), for the revisions it
/// appears in.
fn annotations(results: &[FileResult], out: &mut Blessing) {
    let source = results[0].source.as_str();
    let mut removed = BTreeSet::new();
    // (line, kind, message) -> the revisions whose runs have it unclaimed.
    let mut missing: BTreeMap<(u32, &'static str, String), Vec<Option<String>>> = BTreeMap::new();
    let revisions: Vec<Option<String>> = results
        .iter()
        .filter_map(|r| r.report.annotations.as_ref().map(|a| a.revision.clone()))
        .collect();
    for r in results {
        let Some(check) = &r.report.annotations else {
            continue;
        };
        for a in &check.annotations {
            match &a.status {
                AnnotationStatus::Unmatched => {
                    if removed.insert((a.annotation.span.start, a.annotation.span.end)) {
                        out.edits.push(bless::remove(source, a.annotation.span));
                    }
                }
                AnnotationStatus::UnknownRevision { name } => out.unblessable.push(format!(
                    "line {}: the annotation names revision `{name}`, which the file does not declare",
                    line_of(source, a.annotation.span.start as usize)
                )),
                AnnotationStatus::Matched { .. } => {}
            }
        }
        // An error no annotation claims fails the run, so its annotation is
        // written with or without `additions`.
        for &i in &check.unannotated {
            let Some(d) = r.report.diagnostics.get(i) else {
                continue;
            };
            if d.primary.span.in_model() {
                out.unblessable.push(format!(
                    "an error in the model of the standard library cannot be annotated: {}",
                    d.message
                ));
                continue;
            }
            let kind = if d.severity == Severity::Error {
                "ERROR"
            } else {
                "WARN"
            };
            let line = line_of(source, d.primary.span.start as usize);
            missing
                .entry((line, kind, first_line(&d.message).to_string()))
                .or_default()
                .push(check.revision.clone());
        }
    }
    // The new annotation lines go below each line, after the annotation
    // lines already there, so that every `^` still counts right.
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut below: BTreeMap<u32, usize> = BTreeMap::new();
    for ((line, kind, message), runs) in missing {
        let Some(text) = lines.get(line as usize - 1) else {
            continue;
        };
        let mut after = line as usize;
        while lines.get(after).is_some_and(|l| is_annotation_line(l)) {
            after += 1;
        }
        let count = below.entry(line).or_insert(0);
        *count += 1;
        let carets = "^".repeat(after - line as usize + *count);
        let every = runs.len() >= revisions.len();
        let revs = if every {
            String::new()
        } else {
            let names: Vec<&str> = runs.iter().flatten().map(String::as_str).collect();
            format!("[{}]", names.join(","))
        };
        let indent: String = text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let at: usize = lines[..after].iter().map(|l| l.len()).sum();
        let newline = if at == source.len() && !source.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        out.edits.push(Edit::insert(
            at,
            format!("{newline}{indent}//{revs}~{carets} {kind} {message}\n"),
        ));
    }
    out.edits.sort_by_key(|e| (e.start, e.end));
}

/// A line that holds only an annotation (`//~^ ERROR ..`, `//[rev]~ ..`).
fn is_annotation_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("//~") || (t.starts_with("//[") && t.contains("]~"))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The 1-based line of a byte offset.
fn line_of(source: &str, offset: usize) -> u32 {
    let offset = offset.min(source.len());
    source.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

/// The unified diff of `old` to `new` for `path` (empty when equal), with
/// added lines green and removed lines red when `color` is set.
pub fn diff(path: &str, old: &str, new: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        // A file without a final newline still ends its diff with one.
        let line_end = if line.ends_with('\n') { "" } else { "\n" };
        let paint = if !color {
            None
        } else if line.starts_with("+++") || line.starts_with("---") {
            Some("1")
        } else if line.starts_with('+') {
            Some("32")
        } else if line.starts_with('-') {
            Some("31")
        } else if line.starts_with("@@") {
            Some("36")
        } else {
            None
        };
        match paint {
            Some(code) => out.push_str(&format!(
                "\x1b[{code}m{}\x1b[0m\n",
                line.trim_end_matches('\n')
            )),
            None => {
                out.push_str(line);
                out.push_str(line_end);
            }
        }
    }
    out
}
