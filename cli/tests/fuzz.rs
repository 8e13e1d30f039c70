//! Mutation fuzzing of the whole pipeline, bounded so that it runs in every
//! `cargo test`.
//!
//! Every program in `programs/` is mutated (tokens deleted, duplicated and
//! swapped, the text truncated, two programs spliced) with a fixed seed, and
//! each mutant goes through parse, lower, check and solve with short
//! deadlines. The properties: nothing panics, nothing hangs, and a rejected
//! mutant has at least one error diagnostic whose span lies inside the file
//! (on character boundaries, so the renderers can slice the text).

mod common;
use common::*;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use chalkboard_solver::{run_source, FileReport, Limits, RunOptions, SolverSelection};
use chalkboard_syntax::ast::Span;
use chalkboard_syntax::lexer::lex;

/// How many mutants each program gets by default: about a thousand runs in
/// all, which takes ten-odd seconds in a debug build. Longer runs set
/// `CHALKBOARD_FUZZ_MUTANTS` (and `CHALKBOARD_FUZZ_SEED` for other mutants).
const MUTANTS_PER_PROGRAM: usize = 30;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Wall-clock budget for one mutant, far above the solver deadlines, so that
/// exceeding it means a hang outside the guarded solves.
const HANG_LIMIT: Duration = Duration::from_secs(20);

/// A tiny xorshift generator: deterministic, and no new dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` must not be zero).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Every `.chalk` program of the corpus with its text.
fn corpus() -> Vec<(String, String)> {
    chalk_programs()
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a program is readable");
            (relative(path), text)
        })
        .collect()
}

/// The byte ranges of the tokens of `text` (without the end-of-file token).
fn token_ranges(text: &str) -> Vec<(usize, usize)> {
    lex(text)
        .tokens
        .iter()
        .filter(|t| t.span.start < t.span.end)
        .map(|t| (t.span.start as usize, t.span.end as usize))
        .collect()
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One mutation of `text`; `other` is a second program for splices.
fn mutate(rng: &mut XorShift, text: &str, other: &str) -> String {
    let tokens = token_ranges(text);
    if tokens.is_empty() {
        return other.to_string();
    }
    let pick = |rng: &mut XorShift| tokens[rng.below(tokens.len())];
    match rng.below(5) {
        // Delete a token.
        0 => {
            let (s, e) = pick(rng);
            format!("{}{}", &text[..s], &text[e..])
        }
        // Duplicate a token.
        1 => {
            let (s, e) = pick(rng);
            format!("{}{}{}", &text[..e], &text[s..e], &text[e..])
        }
        // Swap two tokens.
        2 => {
            let (a, b) = (pick(rng), pick(rng));
            let (first, second) = if a.0 <= b.0 { (a, b) } else { (b, a) };
            if first == second || first.1 > second.0 {
                return text.to_string();
            }
            format!(
                "{}{}{}{}{}",
                &text[..first.0],
                &text[second.0..second.1],
                &text[first.1..second.0],
                &text[first.0..first.1],
                &text[second.1..]
            )
        }
        // Truncate anywhere, even inside a token, a comment or a string.
        3 => {
            let at = floor_boundary(text, rng.below(text.len() + 1));
            text[..at].to_string()
        }
        // Splice: the start of this program, the end of another.
        _ => {
            let cut = floor_boundary(text, rng.below(text.len() + 1));
            let from = floor_boundary(other, rng.below(other.len() + 1));
            format!("{}{}", &text[..cut], &other[from..])
        }
    }
}

fn span_inside(span: Span, text: &str) -> bool {
    let (start, end) = (span.start as usize, span.end as usize);
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

/// Everything wrong with one mutant's report, if anything.
fn problems(report: &FileReport, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let goal_errors = report.goals.iter().filter_map(|g| g.error.as_ref());
    for d in report.diagnostics.iter().chain(goal_errors) {
        let spans = std::iter::once(d.primary.span).chain(d.secondary.iter().map(|l| l.span));
        for span in spans {
            if !span_inside(span, text) {
                problems.push(format!(
                    "[{}] {}: span {span:?} outside the file",
                    d.code, d.message
                ));
            }
        }
    }
    if report.rejected && !report.diagnostics.iter().any(|d| d.is_error()) {
        problems.push("rejected without an error diagnostic".to_string());
    }
    problems
}

#[test]
fn mutants_of_every_program_never_panic_hang_or_lose_their_spans() {
    let started = Instant::now();
    let programs = corpus();
    let options = RunOptions {
        solvers: SolverSelection::Both,
        limits: Limits {
            timeout: Duration::from_millis(100),
            max_size: None,
            overflow_depth: Some(30),
        },
        check_only: false,
        ..RunOptions::default()
    };
    // Zero would make xorshift return zero forever.
    let mut rng = XorShift(env_number("CHALKBOARD_FUZZ_SEED", 0x5eed_cafe_f00d_d00d).max(1));
    let mutants_per_program = env_number("CHALKBOARD_FUZZ_MUTANTS", MUTANTS_PER_PROGRAM as u64);
    let mut failures = Vec::new();
    let (mut runs, mut rejected) = (0, 0);
    for (index, (path, text)) in programs.iter().enumerate() {
        let other = &programs[(index + 1 + rng.below(programs.len())) % programs.len()].1;
        for _ in 0..mutants_per_program {
            let mut mutant = mutate(&mut rng, text, other);
            // A second mutation now and then reaches states one cannot.
            if rng.below(3) == 0 {
                mutant = mutate(&mut rng, &mutant, other);
            }
            runs += 1;
            // Each mutant runs on its own thread, so that a hang is detected
            // (and reported with the mutant) instead of stalling the test.
            let (tx, rx) = mpsc::channel();
            let (input, opts) = (mutant.clone(), options.clone());
            std::thread::Builder::new()
                .stack_size(64 * 1024 * 1024)
                .spawn(move || {
                    let outcome = std::panic::catch_unwind(|| run_source(&input, &opts));
                    let _ = tx.send(outcome.map_err(|_| ()));
                })
                .expect("a fuzzing thread starts");
            let failure = match rx.recv_timeout(HANG_LIMIT) {
                Ok(Ok(report)) => {
                    rejected += usize::from(report.rejected);
                    let problems = problems(&report, &mutant);
                    (!problems.is_empty()).then(|| problems.join("; "))
                }
                Ok(Err(())) => Some("panicked".to_string()),
                Err(_) => Some(format!("no answer within {HANG_LIMIT:?}")),
            };
            if let Some(failure) = failure {
                failures.push(format!(
                    "mutant of {path}: {failure}\n--- mutant ---\n{mutant}\n---"
                ));
            }
        }
    }
    eprintln!(
        "fuzzed {runs} mutants ({rejected} rejected) in {:?}",
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The span checks apply to rejected mutants, so some must be rejected
    // (and, for the mutations to reach past the parser, some accepted).
    assert!(
        0 < rejected && rejected < runs,
        "{rejected} of {runs} mutants rejected"
    );
}
