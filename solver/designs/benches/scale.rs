//! How chalkboard scales: generated programs of 1,000, 10,000 and 100,000
//! items, through the whole pipeline (parse, desugar, lower, check
//! coherence and well-formedness, answer every goal on both solvers).
//!
//! Run with `cargo bench -p chalkboard-designs --bench scale`. divan times
//! each program with a deadline far enough away that nothing is stopped, one
//! sample each, as the largest take many seconds (`DIVAN_SAMPLE_COUNT=3`
//! takes three and the table shows their median). Then a table prints, per
//! program and size, the median wall time, the peak heap, and the wall time
//! of one more run with a deadline of 2 seconds (`--timeout 2`). Each time
//! ends when the run's report is ready; freeing the run's database comes
//! after, as in the `chalkboard` binary, which frees it off the main thread.
//!
//! Peak heap comes from a counting global allocator: the most bytes live at
//! once during a run, above what was live when it started, over every
//! thread (the solvers run on worker threads). Thread stacks and the
//! program's code are not heap and are not counted.
//!
//! `CHALKBOARD_BENCH_SIZES=1000,10000` picks the sizes;
//! `CHALKBOARD_BENCH_EMIT=DIR` writes every generated program into `DIR`
//! (as `FAMILY-N.chalk`) instead of benchmarking, to run them with the
//! `chalkboard` binary. The generators live in `benches/generate/`, shared
//! with `tests/scale.rs`.

mod generate;

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chalkboard_designs::{Design, DesignLayer, Implication};
use chalkboard_solver::db::{self, Database, Language, Settings, SourceFile};
use chalkboard_solver::{Limits, RunOptions};
use divan::Bencher;
use generate::Family;

/// The system allocator, counting the bytes live and the most live at once.
///
/// Each thread counts its own allocations and adds them to the shared count
/// once they reach [`BATCH`] bytes either way, so the threads do not contend
/// on one counter at every allocation; the peak is exact to within
/// `BATCH` bytes per thread.
struct CountingAllocator;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
const BATCH: isize = 64 * 1024;

thread_local! {
    static UNCOUNTED: Cell<isize> = const { Cell::new(0) };
}

fn count(bytes: isize) {
    let flushed = UNCOUNTED.try_with(|local| {
        let pending = local.get() + bytes;
        if pending.abs() < BATCH {
            local.set(pending);
            None
        } else {
            local.set(0);
            Some(pending)
        }
    });
    // A thread being torn down has no counter left: count it directly.
    let pending = flushed.unwrap_or(Some(bytes));
    if let Some(pending) = pending {
        let live = LIVE.fetch_add(pending, Ordering::Relaxed) + pending;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on to the allocator the binary uses.
        let ptr = unsafe { INNER.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { INNER.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { INNER.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        new
    }
}

/// The allocator the `chalkboard` binary uses, so that the benchmark times
/// what a user runs.
static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// One benchmarked configuration: a family of programs under a design.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Case {
    family: usize,
    design: usize,
}

const DESIGNS: [Design; 3] = [Design::Explicit, Design::Implied, Design::Boxed];

impl Case {
    fn new(family: Family, design: Design) -> Case {
        Case {
            family: Family::ALL.iter().position(|f| *f == family).unwrap(),
            design: DESIGNS.iter().position(|d| *d == design).unwrap(),
        }
    }

    fn family(self) -> Family {
        Family::ALL[self.family]
    }

    fn design(self) -> Design {
        DESIGNS[self.design]
    }

    fn name(self) -> String {
        match (self.family(), self.design()) {
            (Family::AsyncFn, design) => format!("async_fn --design {}", design.name()),
            (family, _) => family.name().to_string(),
        }
    }
}

/// The wall time and peak heap of one run.
type Sample = (Duration, usize);

/// What the runs measured, per case and size.
static MEASURED: Mutex<BTreeMap<(Case, usize), Vec<Sample>>> = Mutex::new(BTreeMap::new());

fn sizes() -> Vec<usize> {
    std::env::var("CHALKBOARD_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000])
}

fn options(timeout: Duration) -> RunOptions {
    RunOptions {
        limits: Limits {
            timeout,
            ..Limits::default()
        },
        ..RunOptions::default()
    }
}

/// Runs one program once, measuring its wall time and peak heap.
///
/// The time ends when the report is ready, as it does for a user of the
/// `chalkboard` binary, which frees the run's database off the main thread
/// and exits without waiting for it; here the database is freed after the
/// clock stops, and before the heap is read.
fn measure(text: &str, design: Design, timeout: Duration) -> (Duration, usize, bool) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let db = Database::new(Arc::new(DesignLayer));
    let file = SourceFile::new(&db, text.to_string(), Language::Chalk);
    let settings = Settings::new(
        &db,
        options(timeout),
        design.name(),
        Implication::Assume.name(),
    );
    let report = Arc::clone(&db::report(&db, file, settings).0);
    let elapsed = start.elapsed();
    let holds = report.all_hold();
    drop(report);
    drop(db);
    let peak = (PEAK.load(Ordering::Relaxed) - before).max(0) as usize;
    (elapsed, peak, holds)
}

/// The deadline of the timed runs: far enough that no check or goal is
/// stopped, so the time is that of the whole work.
const UNBOUNDED: Duration = Duration::from_secs(600);

fn bench(bencher: Bencher, case: Case, n: usize) {
    let text = case.family().generate(n);
    bencher.bench_local(|| {
        let (elapsed, peak, holds) = measure(&text, case.design(), UNBOUNDED);
        assert!(holds, "{} at {n}: an expectation failed", case.name());
        if let Ok(mut measured) = MEASURED.lock() {
            measured.entry((case, n)).or_default().push((elapsed, peak));
        }
    });
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn flat(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::Flat, Design::Explicit), n);
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn blanket(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::Blanket, Design::Explicit), n);
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn auto_chain(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::AutoChain, Design::Explicit), n);
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn assoc_types(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::AssocTypes, Design::Explicit), n);
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn many_goals(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::ManyGoals, Design::Explicit), n);
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn async_fn_explicit(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::AsyncFn, Design::Explicit), n);
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn async_fn_implied(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::AsyncFn, Design::Implied), n);
}

#[divan::bench(args = sizes(), sample_count = 1, sample_size = 1)]
fn async_fn_boxed(bencher: Bencher, n: usize) {
    bench(bencher, Case::new(Family::AsyncFn, Design::Boxed), n);
}

fn format_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.0} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

fn format_bytes(b: usize) -> String {
    format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
}

/// The table: median time and peak heap per case and size, the wall time
/// with `--timeout 2`, and the growth of the time from each size to the next.
fn print_table() {
    let measured = MEASURED.lock().map(|m| m.clone()).unwrap_or_default();
    if measured.is_empty() {
        return;
    }
    println!();
    println!("| program | items | time (median) | peak heap | with `--timeout 2` | growth |");
    println!("|---|---|---|---|---|---|");
    let mut previous: Option<(Case, usize, Duration)> = None;
    for ((case, n), mut samples) in measured {
        samples.sort();
        let (median, _) = samples[samples.len() / 2];
        let peak = samples.iter().map(|(_, p)| *p).max().unwrap_or(0);
        let text = case.family().generate(n);
        let (bounded, _, _) = measure(&text, case.design(), Duration::from_secs(2));
        let growth = match previous {
            Some((c, m, t)) if c == case && m < n => format!(
                "{:.1}× for {:.0}× the items",
                median.as_secs_f64() / t.as_secs_f64(),
                n as f64 / m as f64
            ),
            _ => String::new(),
        };
        println!(
            "| {} | {n} | {} | {} | {} | {growth} |",
            case.name(),
            format_duration(median),
            format_bytes(peak),
            format_duration(bounded),
        );
        previous = Some((case, n, median));
    }
}

/// Writes every generated program into `dir`.
fn emit(dir: &str) {
    std::fs::create_dir_all(dir).expect("the directory can be created");
    for family in Family::ALL {
        for n in sizes() {
            let path = std::path::Path::new(dir).join(format!("{}-{n}.chalk", family.name()));
            std::fs::write(&path, family.generate(n)).expect("the program can be written");
            println!("{}", path.display());
        }
    }
}

fn main() {
    if let Ok(dir) = std::env::var("CHALKBOARD_BENCH_EMIT") {
        emit(&dir);
        return;
    }
    divan::main();
    print_table();
}
