//! What an edit costs when the database is kept (the REPL, `run --watch`):
//! a generated program of 1,000 items is run cold, then edited by one item
//! and run again in the same database, and the two times are compared.
//!
//! Run with `cargo bench -p chalkboard-designs --bench incremental`. Each
//! family of `benches/generate/` is measured under two edits:
//! - **add**: one item added at the end of the file (`struct Added { }`),
//!   as the REPL adds an item;
//! - **change**: one struct in the middle of the file gets a field, as a
//!   save in an editor changes it (every later span moves);
//! - **ask**: one goal added at the end, as the REPL asks a goal.
//!
//! Each time is the median of `CHALKBOARD_BENCH_SAMPLES` runs (default 5),
//! after one sample of each row that is run and not counted (a warm-up);
//! a cold run starts from a fresh database, an edited run from a database
//! that ran the program before the edit. Every run asserts that the
//! program's expectations hold, so a faster run is never a wrong one.
//! `CHALKBOARD_BENCH_SIZES=1000,10000` picks the sizes (default 1,000);
//! `CHALKBOARD_BENCH_FAMILIES=flat,async_fn` and
//! `CHALKBOARD_BENCH_EDITS=ask` pick families and edits (default all).
//! `CHALKBOARD_BENCH_PROFILE=100` runs, for a profiler, only edited runs:
//! each picked program and its edited text alternate 100 times in one
//! database, and nothing is printed but the mean time of an edited run.
//! `CHALKBOARD_BENCH_PHASES=10` shows more of the phases of each edited run.
//! `CHALKBOARD_BENCH_DESIGN=implied` (or `boxed`) runs under another design
//! than the explicit one; with `CHALKBOARD_BENCH_PROFILE`,
//! `CHALKBOARD_BENCH_PROFILE_CHECKS=1` prints the checks reused and run by
//! each edited run.

mod generate;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chalkboard_designs::{Design, DesignLayer, Implication};
use chalkboard_solver::db::{self, Database, Db, Language, SourceFile};
use chalkboard_solver::timing::Phase;
use chalkboard_solver::RunOptions;
use generate::Family;
use salsa::Setter;

/// The allocator the `chalkboard` binary uses, so that the benchmark times
/// what a user of the REPL or of `--watch` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn samples() -> usize {
    std::env::var("CHALKBOARD_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
}

fn sizes() -> Vec<usize> {
    std::env::var("CHALKBOARD_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1000])
}

/// Whether `name` is among the comma-separated names of the variable
/// `var`, or the variable is not set.
fn picked(var: &str, name: &str) -> bool {
    std::env::var(var).map_or(true, |names| names.split(',').any(|n| n.trim() == name))
}

/// How many edited runs `CHALKBOARD_BENCH_PROFILE` asks for, if it is set.
fn profile_runs() -> Option<usize> {
    std::env::var("CHALKBOARD_BENCH_PROFILE")
        .ok()
        .and_then(|s| s.parse().ok())
}

fn options() -> RunOptions {
    RunOptions {
        limits: chalkboard_solver::Limits {
            timeout: Duration::from_secs(600),
            ..Default::default()
        },
        ..RunOptions::default()
    }
}

/// The design the runs are under: `CHALKBOARD_BENCH_DESIGN` (explicit,
/// implied or boxed; explicit by default).
fn design() -> Design {
    match std::env::var("CHALKBOARD_BENCH_DESIGN").as_deref() {
        Ok("implied") => Design::Implied,
        Ok("boxed") => Design::Boxed,
        _ => Design::Explicit,
    }
}

/// One run of `file` under the design of [`design`]: its wall time, and the
/// time of each phase.
fn run(db: &Database, file: SourceFile) -> (Duration, chalkboard_solver::timing::Timings) {
    let config = chalkboard_designs::config(design(), Implication::Assume);
    let settings = db.settings(&options(), config);
    let start = Instant::now();
    let (report, timings) =
        chalkboard_solver::timing::collect(|| Arc::clone(&db::report(db, file, settings).0));
    let took = start.elapsed();
    assert!(report.all_hold(), "the program's expectations hold");
    (took, timings)
}

/// The edits: one item added at the end, or one item in the middle changed.
#[derive(Clone, Copy)]
enum Edit {
    Add,
    Change,
    Ask,
}

impl Edit {
    fn name(self) -> &'static str {
        match self {
            Edit::Add => "add",
            Edit::Change => "change",
            Edit::Ask => "ask",
        }
    }

    /// The program after the edit.
    fn apply(self, family: Family, text: &str, n: usize) -> String {
        match self {
            Edit::Add => format!("{text}struct Added {{ }}\n"),
            Edit::Ask => {
                let goal = match family {
                    Family::AutoChain => "Leaf: Send",
                    Family::AsyncFn => "S1: Service",
                    _ => "S1: Show",
                };
                format!("{text}goal {{ {goal} }} yields {{ \"Unique\" }}\n")
            }
            Edit::Change => {
                // A struct in the middle gets a field: it changes the
                // struct's item and its auto trait clauses, and every later
                // span moves.
                let i = n / 2;
                let (from, to) = match family {
                    Family::AutoChain => {
                        let c = i / generate::CHAIN_LENGTH;
                        let k = i % generate::CHAIN_LENGTH;
                        let from = format!("struct C{c}_{k} {{ inner: ");
                        (from.clone(), format!("{from}Leaf, extra: "))
                    }
                    _ => (
                        format!("struct S{i} {{ }}"),
                        format!("struct S{i} {{ extra: S0 }}"),
                    ),
                };
                assert!(text.contains(&from), "{} has `{from}`", family.name());
                text.replacen(&from, &to, 1)
            }
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The phases of an edited run that took longest, for the table.
fn top_phases(timings: &chalkboard_solver::timing::Timings) -> String {
    let mut by_phase: Vec<(String, Duration)> = Vec::new();
    for &(phase, took) in &timings.phases {
        let name = match phase {
            Phase::Goal(_) => "goals".to_string(),
            other => other.name().to_string(),
        };
        match by_phase.iter_mut().find(|(n, _)| *n == name) {
            Some((_, t)) => *t += took,
            None => by_phase.push((name, took)),
        }
    }
    by_phase.sort_by_key(|p| std::cmp::Reverse(p.1));
    by_phase
        .iter()
        .take(
            std::env::var("CHALKBOARD_BENCH_PHASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(3),
        )
        .map(|(n, t)| format!("{n} {}", ms(*t)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    println!(
        "| program | items | edit | cold | after the edit | speed-up | checks reused / run | where the edited run goes |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for n in sizes() {
        for family in Family::ALL {
            if !picked("CHALKBOARD_BENCH_FAMILIES", family.name()) {
                continue;
            }
            let text = family.generate(n);
            for edit in [Edit::Add, Edit::Change, Edit::Ask] {
                if !picked("CHALKBOARD_BENCH_EDITS", edit.name()) {
                    continue;
                }
                let edited = edit.apply(family, &text, n);
                if let Some(times) = profile_runs() {
                    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
                    let file = SourceFile::new(&db, text.clone(), Language::Chalk);
                    run(&db, file);
                    let start = Instant::now();
                    for i in 0..times {
                        let next = if i % 2 == 0 { &edited } else { &text };
                        file.set_text(&mut db).to(next.clone());
                        run(&db, file);
                        if std::env::var_os("CHALKBOARD_BENCH_PROFILE_CHECKS").is_some() {
                            eprintln!("{:?}", db.check_memo().and_then(|m| m.take_last_pass()));
                        }
                    }
                    let mean = start.elapsed() / times.max(1) as u32;
                    println!("{} {n} {}: {}", family.name(), edit.name(), ms(mean));
                    continue;
                }
                let mut cold = Vec::new();
                let mut warm = Vec::new();
                let mut last_timings = None;
                let mut last_checks = None;
                // The first sample of a row is a warm-up, not counted: a
                // run's first allocations fault fresh pages in from the
                // system (zeroing them), which the runs after it reuse,
                // and that cost would otherwise land on whichever runs
                // come first, cold or edited.
                for sample in 0..=samples() {
                    let fresh = Database::new(Arc::new(DesignLayer));
                    let file = SourceFile::new(&fresh, edited.clone(), Language::Chalk);
                    cold.push(run(&fresh, file).0);
                    drop(fresh);

                    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
                    let file = SourceFile::new(&db, text.clone(), Language::Chalk);
                    run(&db, file);
                    db.check_memo().and_then(|m| m.take_last_pass());
                    file.set_text(&mut db).to(edited.clone());
                    let (took, timings) = run(&db, file);
                    let checks = db.check_memo().and_then(|m| m.take_last_pass());
                    if sample == 0 {
                        cold.clear();
                        continue;
                    }
                    warm.push(took);
                    last_timings = Some(timings);
                    last_checks = checks;
                }
                let (cold, warm) = (median(cold), median(warm));
                let checks = match last_checks {
                    Some((reused, ran)) if reused + ran > 0 => format!("{reused} / {ran}"),
                    _ => "not run".to_string(),
                };
                println!(
                    "| {} | {n} | {} | {} | {} | {:.1}× | {checks} | {} |",
                    family.name(),
                    edit.name(),
                    ms(cold),
                    ms(warm),
                    cold.as_secs_f64() / warm.as_secs_f64(),
                    last_timings.as_ref().map(top_phases).unwrap_or_default(),
                );
            }
        }
    }
}
