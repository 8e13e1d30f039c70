//! rustc's UI-test annotations, read from a Rust file's comments:
//!
//! - `//~ ERROR text`: an error on this line whose message contains `text`;
//!   `//~^ ERROR` one line up (`//~^^` two), `//~| ERROR` the line of the
//!   previous annotation; `WARN`, `NOTE` and `HELP` likewise;
//! - `//[rev]~ ERROR` (rustc's spelling) or `//~[rev] ERROR`: for one
//!   revision only (`//[a,b]~` for several);
//! - `//@ revisions: explicit implied boxed`, `//@ check-pass`,
//!   `//@ rustc-differs: reason`.

use chalkboard_syntax::ast::{Ident, Span};
use chalkboard_syntax::rust::{Annotation, AnnotationKind, Expectations};
use chalkboard_syntax::Diagnostic;

use crate::codes;

pub(crate) fn read(text: &str, diags: &mut Vec<Diagnostic>) -> Expectations {
    let mut out = Expectations::default();
    let mut offset = 0usize;
    let mut previous_line: Option<u32> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line_no = i as u32 + 1;
        let start = offset;
        offset += line.len();
        let Some(at) = line.find("//") else { continue };
        let comment = line[at..].trim_end();
        let span = Span::new(start + at, start + at + comment.len());
        if let Some(directive) = comment.strip_prefix("//@") {
            directive_line(directive.trim(), span, start + at, &mut out, diags);
            continue;
        }
        let Some(annotation) = annotation_line(comment, line_no, previous_line, span, diags) else {
            continue;
        };
        previous_line = Some(annotation.line);
        out.annotations.push(annotation);
    }
    out
}

fn directive_line(
    directive: &str,
    span: Span,
    base: usize,
    out: &mut Expectations,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(list) = directive.strip_prefix("revisions:") {
        let list_start =
            span.start as usize + (span.end as usize - span.start as usize) - list.len();
        let mut at = list_start;
        for word in list.split(' ') {
            if !word.is_empty() {
                out.revisions.push(Ident {
                    text: word.to_string(),
                    span: Span::new(at, at + word.len()),
                });
            }
            at += word.len() + 1;
        }
    } else if directive == "check-pass" {
        out.check_pass = Some(span);
    } else if let Some(reason) = directive.strip_prefix("rustc-differs:") {
        out.rustc_differs = Some((reason.trim().to_string(), span));
    } else {
        let _ = base;
        // rustc's other directives (`edition`, `compile-flags`, ..) say
        // nothing chalkboard checks; an unknown one is worth a warning.
        let known = [
            "edition",
            "compile-flags",
            "build-pass",
            "run-pass",
            "needs-",
            "ignore-",
            "only-",
            "aux-",
        ];
        if !known.iter().any(|k| directive.starts_with(k)) {
            diags.push(
                Diagnostic::error(
                    codes::RUST_UNKNOWN_DIRECTIVE,
                    format!("unknown directive `//@ {directive}`"),
                    span,
                )
                .with_label("not a directive chalkboard knows")
                .with_help(
                    "the directives are `revisions: ..`, `check-pass` and `rustc-differs: reason`",
                ),
            );
        }
    }
}

fn annotation_line(
    comment: &str,
    line: u32,
    previous: Option<u32>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Annotation> {
    let mut rest = comment.strip_prefix("//")?;
    let mut revisions = Vec::new();
    // `//[rev]~`
    if let Some(r) = rest.strip_prefix('[') {
        let (list, after) = r.split_once(']')?;
        if !after.starts_with('~') {
            return None;
        }
        revisions.extend(list.split(',').map(|s| s.trim().to_string()));
        rest = after;
    }
    let mut rest = rest.strip_prefix('~')?;
    // `//~[rev]`
    if let Some(r) = rest.strip_prefix('[') {
        let (list, after) = r.split_once(']')?;
        revisions.extend(list.split(',').map(|s| s.trim().to_string()));
        rest = after;
    }
    let mut target = line;
    if let Some(r) = rest.strip_prefix('|') {
        target = previous.unwrap_or(line);
        rest = r;
    } else {
        let ups = rest.chars().take_while(|c| *c == '^').count();
        target = target.saturating_sub(ups as u32);
        rest = &rest[ups..];
    }
    let rest = rest.trim_start();
    let (word, text) = rest.split_once(' ').unwrap_or((rest, ""));
    let kind = match word.trim_end_matches(':') {
        "ERROR" => AnnotationKind::Error,
        "WARN" | "WARNING" => AnnotationKind::Warn,
        "NOTE" => AnnotationKind::Note,
        "HELP" => AnnotationKind::Help,
        _ => {
            diags.push(
                Diagnostic::error(
                    codes::RUST_UNKNOWN_DIRECTIVE,
                    format!("`{word}` is not an annotation kind"),
                    span,
                )
                .with_label("expected `ERROR`, `WARN`, `NOTE` or `HELP`")
                .with_help("write `//~ ERROR text`"),
            );
            return None;
        }
    };
    Some(Annotation {
        kind,
        line: target,
        text: text.trim().to_string(),
        revisions,
        span,
    })
}
