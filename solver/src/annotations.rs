//! A run's diagnostics against the file's annotations, as rustc's UI tests
//! (compiletest) check them: `//~ ERROR text` expects an error on its line
//! whose message contains `text`.
//!
//! - Errors and warnings are checked both ways: every annotation `ERROR` (or
//!   `WARN`) must claim a diagnostic of that severity on its line, and every
//!   error and warning must be claimed by an annotation. Each diagnostic is
//!   claimed at most once, so two errors on a line need two annotations.
//! - `NOTE` and `HELP` annotations are checked one way only: a `NOTE` must
//!   find a diagnostic on its line with a note (or a label) containing its
//!   text, a `HELP` one whose help contains it; notes and helps need no
//!   annotation.
//! - An annotation's text matches a diagnostic when the message contains it,
//!   or when it is the diagnostic's code; an empty text matches any.
//! - `//@ check-pass` states that the run has no error.
//! - An annotation for some revisions (`//[implied]~ ERROR`) applies to runs
//!   of those revisions only; one that names a revision the file does not
//!   declare fails (reported with the first revision's run).
//!
//! Nothing here knows a layer's configurations: the run that calls
//! [`check`] names its revision, and the layer turns revision names into
//! configurations ([`crate::layer::Layer::config_of_revision`]).

use chalkboard_syntax::ast::Span;
use chalkboard_syntax::rust::{Annotation, AnnotationKind, Expectations};
use chalkboard_syntax::{Diagnostic, Severity};

/// What became of the annotations of one run of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationCheck {
    /// The revision of this run as the file names it (`implied-decide`);
    /// `None` when the file declares no revisions.
    pub revision: Option<String>,
    /// Every annotation that applies to this run, in source order, with
    /// what it matched.
    pub annotations: Vec<AnnotationReport>,
    /// The errors and warnings no annotation claims, as indices into the
    /// report's diagnostics.
    pub unannotated: Vec<usize>,
    /// `//@ check-pass`: where it is written, and whether the run has no error.
    pub check_pass: Option<(Span, bool)>,
}

/// One annotation and what it matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationReport {
    pub annotation: Annotation,
    pub status: AnnotationStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnnotationStatus {
    /// It claims the diagnostic with this index in the report's diagnostics.
    Matched { diagnostic: usize },
    /// No diagnostic of its kind on its line contains its text.
    Unmatched,
    /// It names a revision the file does not declare.
    UnknownRevision { name: String },
}

impl AnnotationCheck {
    /// True when every annotation matched, every error and warning was
    /// annotated, and `//@ check-pass` (if written) held.
    pub fn holds(&self) -> bool {
        self.annotations
            .iter()
            .all(|a| matches!(a.status, AnnotationStatus::Matched { .. }))
            && self.unannotated.is_empty()
            && self.check_pass.is_none_or(|(_, holds)| holds)
    }
}

/// Whether an annotation written for `revisions` (empty: every revision)
/// applies to a run of `revision` (`None`: the file declares none).
pub fn applies(annotation: &Annotation, revision: Option<&str>) -> bool {
    annotation.revisions.is_empty()
        || revision.is_some_and(|r| annotation.revisions.iter().any(|a| a == r))
}

/// Checks the diagnostics of one run (of `revision`, the `index`-th run of
/// the file) against the file's expectations. `text` is the file's source,
/// to find the line of each diagnostic.
pub fn check(
    expectations: &Expectations,
    revision: Option<&str>,
    first_run: bool,
    diagnostics: &[Diagnostic],
    text: &str,
) -> AnnotationCheck {
    let lines = LineStarts::new(text);
    // A diagnostic in the model of the standard library has no line in the
    // file, so no annotation can claim it.
    let line_of = |span: Span| (!span.in_model()).then(|| lines.line_of(span.start));
    let declared: Vec<&str> = expectations
        .revisions
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    let mut claimed = vec![false; diagnostics.len()];
    let mut annotations = Vec::new();
    for annotation in &expectations.annotations {
        let undeclared = annotation
            .revisions
            .iter()
            .find(|r| !declared.contains(&r.as_str()));
        if let Some(name) = undeclared {
            if first_run {
                annotations.push(AnnotationReport {
                    annotation: annotation.clone(),
                    status: AnnotationStatus::UnknownRevision { name: name.clone() },
                });
            }
            continue;
        }
        if !applies(annotation, revision) {
            continue;
        }
        let on_line = |d: &Diagnostic| line_of(d.primary.span) == Some(annotation.line);
        let status = match annotation.kind {
            AnnotationKind::Error | AnnotationKind::Warn => {
                let severity = match annotation.kind {
                    AnnotationKind::Error => Severity::Error,
                    _ => Severity::Warning,
                };
                let found = diagnostics.iter().enumerate().position(|(i, d)| {
                    !claimed[i]
                        && d.severity == severity
                        && on_line(d)
                        && text_matches(&annotation.text, d)
                });
                match found {
                    Some(i) => {
                        claimed[i] = true;
                        AnnotationStatus::Matched { diagnostic: i }
                    }
                    None => AnnotationStatus::Unmatched,
                }
            }
            AnnotationKind::Note => diagnostics
                .iter()
                .position(|d| {
                    let in_note = on_line(d)
                        && (d.notes.iter().any(|n| n.contains(&annotation.text))
                            || d.primary.message.contains(&annotation.text));
                    let in_label = d.secondary.iter().any(|l| {
                        line_of(l.span) == Some(annotation.line)
                            && l.message.contains(&annotation.text)
                    });
                    in_note || in_label
                })
                .map_or(AnnotationStatus::Unmatched, |i| AnnotationStatus::Matched {
                    diagnostic: i,
                }),
            AnnotationKind::Help => diagnostics
                .iter()
                .position(|d| {
                    on_line(d)
                        && d.help
                            .as_ref()
                            .is_some_and(|h| h.contains(&annotation.text))
                })
                .map_or(AnnotationStatus::Unmatched, |i| AnnotationStatus::Matched {
                    diagnostic: i,
                }),
        };
        annotations.push(AnnotationReport {
            annotation: annotation.clone(),
            status,
        });
    }
    let unannotated = diagnostics
        .iter()
        .enumerate()
        .filter(|(i, _)| !claimed[*i])
        .map(|(i, _)| i)
        .collect();
    let has_error = diagnostics.iter().any(Diagnostic::is_error);
    AnnotationCheck {
        revision: revision.map(str::to_string),
        annotations,
        unannotated,
        check_pass: expectations.check_pass.map(|span| (span, !has_error)),
    }
}

/// An annotation's text matches a diagnostic whose message contains it, or
/// whose code it is (`//~ ERROR ill-formed-impl`).
fn text_matches(text: &str, d: &Diagnostic) -> bool {
    d.message.contains(text) || text == d.code.name
}

/// The start of every line, to turn offsets into 1-based line numbers.
struct LineStarts(Vec<u32>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        LineStarts(starts)
    }

    fn line_of(&self, offset: u32) -> u32 {
        self.0.partition_point(|&s| s <= offset) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chalkboard_syntax::ast::Ident;
    use chalkboard_syntax::registry::Code;

    const CODE: Code = Code {
        name: "some-code",
        summary: "",
    };

    fn annotation(kind: AnnotationKind, line: u32, text: &str, revisions: &[&str]) -> Annotation {
        Annotation {
            kind,
            line,
            text: text.to_string(),
            revisions: revisions.iter().map(|r| r.to_string()).collect(),
            span: Span::new(0, 0),
        }
    }

    fn revisions(names: &[&str]) -> Vec<Ident> {
        names
            .iter()
            .map(|n| Ident {
                text: n.to_string(),
                span: Span::new(0, 0),
            })
            .collect()
    }

    const TEXT: &str = "line one\nline two\nline three\n";

    /// An error on line `line` (1-based) of [`TEXT`].
    fn error_on(line: usize, message: &str) -> Diagnostic {
        let start = TEXT
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        Diagnostic::error(CODE, message, Span::new(start, start + 4))
    }

    #[test]
    fn an_annotation_claims_an_error_on_its_line_that_contains_its_text() {
        let expectations = Expectations {
            annotations: vec![annotation(AnnotationKind::Error, 2, "not Send", &[])],
            ..Expectations::default()
        };
        let diagnostics = [error_on(2, "the future is not Send")];
        let check = check(&expectations, None, true, &diagnostics, TEXT);
        assert_eq!(
            check.annotations[0].status,
            AnnotationStatus::Matched { diagnostic: 0 }
        );
        assert!(check.holds());
    }

    #[test]
    fn an_error_on_another_line_or_with_other_text_is_not_claimed() {
        let expectations = Expectations {
            annotations: vec![
                annotation(AnnotationKind::Error, 1, "not Send", &[]),
                annotation(AnnotationKind::Error, 2, "dyn", &[]),
            ],
            ..Expectations::default()
        };
        let diagnostics = [error_on(2, "the future is not Send")];
        let check = check(&expectations, None, true, &diagnostics, TEXT);
        assert!(check
            .annotations
            .iter()
            .all(|a| a.status == AnnotationStatus::Unmatched));
        assert_eq!(check.unannotated, vec![0]);
        assert!(!check.holds());
    }

    #[test]
    fn each_error_is_claimed_once() {
        let expectations = Expectations {
            annotations: vec![
                annotation(AnnotationKind::Error, 3, "", &[]),
                annotation(AnnotationKind::Error, 3, "", &[]),
            ],
            ..Expectations::default()
        };
        let one = [error_on(3, "a")];
        assert!(!check(&expectations, None, true, &one, TEXT).holds());
        let two = [error_on(3, "a"), error_on(3, "b")];
        assert!(check(&expectations, None, true, &two, TEXT).holds());
    }

    #[test]
    fn an_annotation_for_one_revision_applies_to_that_revision_only() {
        let expectations = Expectations {
            revisions: revisions(&["explicit", "implied"]),
            annotations: vec![annotation(AnnotationKind::Error, 1, "", &["implied"])],
            ..Expectations::default()
        };
        let diagnostics = [error_on(1, "x")];
        assert!(check(&expectations, Some("implied"), false, &diagnostics, TEXT).holds());
        let explicit = check(&expectations, Some("explicit"), true, &[], TEXT);
        assert!(explicit.annotations.is_empty() && explicit.holds());
        // The error under the explicit revision is not annotated for it.
        assert!(!check(&expectations, Some("explicit"), true, &diagnostics, TEXT).holds());
    }

    #[test]
    fn an_annotation_for_an_undeclared_revision_fails_once() {
        let expectations = Expectations {
            revisions: revisions(&["explicit"]),
            annotations: vec![annotation(AnnotationKind::Error, 1, "", &["implid"])],
            ..Expectations::default()
        };
        let first = check(&expectations, Some("explicit"), true, &[], TEXT);
        assert_eq!(
            first.annotations[0].status,
            AnnotationStatus::UnknownRevision {
                name: "implid".into()
            }
        );
        assert!(!first.holds());
        assert!(check(&expectations, Some("explicit"), false, &[], TEXT).holds());
    }

    #[test]
    fn check_pass_fails_on_an_error_and_a_warning_needs_an_annotation() {
        let expectations = Expectations {
            check_pass: Some(Span::new(0, 0)),
            ..Expectations::default()
        };
        assert!(check(&expectations, None, true, &[], TEXT).holds());
        let failed = check(&expectations, None, true, &[error_on(1, "x")], TEXT);
        assert_eq!(failed.check_pass, Some((Span::new(0, 0), false)));
        let mut warning = error_on(1, "x");
        warning.severity = Severity::Warning;
        let warned = check(
            &Expectations::default(),
            None,
            true,
            &[warning.clone()],
            TEXT,
        );
        assert_eq!(warned.unannotated, vec![0]);
        let annotated = Expectations {
            annotations: vec![annotation(AnnotationKind::Warn, 1, "some-code", &[])],
            ..Expectations::default()
        };
        assert!(check(&annotated, None, true, &[warning], TEXT).holds());
    }

    #[test]
    fn notes_and_helps_are_checked_one_way() {
        let expectations = Expectations {
            annotations: vec![
                annotation(AnnotationKind::Error, 2, "", &[]),
                annotation(AnnotationKind::Help, 2, "add a bound", &[]),
                annotation(AnnotationKind::Note, 2, "required by", &[]),
            ],
            ..Expectations::default()
        };
        let d = error_on(2, "x")
            .with_help("add a bound")
            .with_note("required by a bound");
        assert!(check(&expectations, None, true, std::slice::from_ref(&d), TEXT).holds());
        let bare = error_on(2, "x");
        let check = check(&expectations, None, true, &[bare], TEXT);
        assert_eq!(check.annotations[1].status, AnnotationStatus::Unmatched);
        assert_eq!(check.annotations[2].status, AnnotationStatus::Unmatched);
    }
}
