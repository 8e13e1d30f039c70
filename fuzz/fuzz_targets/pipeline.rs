//! Runs arbitrary text through parse, lower, check and solve, with short
//! deadlines. A crash is any panic that escapes (chalk's own panics inside
//! guarded solves are caught and reported, so they are not crashes), or a
//! diagnostic whose span is not inside the text on character boundaries.

#![no_main]

use std::time::Duration;

use chalkboard_syntax::ast::Span;
use chalkboard_solver::{run_source, Limits, RunOptions, SolverSelection};
use libfuzzer_sys::fuzz_target;

fn check_span(span: Span, text: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(start <= end && end <= text.len(), "span {span:?} outside the text");
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "span {span:?} splits a character");
}

fuzz_target!(|data: &[u8]| {
    // The CLI reads files as UTF-8 and reports other bytes as an I/O error,
    // so only text reaches the pipeline.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = RunOptions {
        solvers: SolverSelection::Both,
        limits: Limits {
            timeout: Duration::from_millis(50),
            max_size: None,
            overflow_depth: Some(30),
        },
        check_only: false,
        ..RunOptions::default()
    };
    let report = run_source(text, &options);
    let goal_errors = report.goals.iter().filter_map(|g| g.error.as_ref());
    for d in report.diagnostics.iter().chain(goal_errors) {
        check_span(d.primary.span, text);
        for label in &d.secondary {
            check_span(label.span, text);
        }
    }
    if report.rejected {
        assert!(report.diagnostics.iter().any(|d| d.is_error()), "rejected without an error");
    }
});
