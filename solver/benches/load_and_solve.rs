//! How long chalkboard takes to load a program and solve its goals.
//!
//! Run with `cargo bench -p chalkboard-solver`. It reports the median time of
//! parse + lower + check + solve (both solvers) for each program in
//! `programs/chalk/`, divided by the number of goals, to compare with chalk's
//! own REPL (about 22 ms per program and goal on a 2-core machine).

use std::path::Path;
use std::time::{Duration, Instant};

use chalkboard_solver::{run_source, RunOptions};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../programs/chalk");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("programs/chalk exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "chalk"))
        .collect();
    entries.sort();
    let options = RunOptions::default();
    println!(
        "{:<40} {:>6} {:>12} {:>14}",
        "program", "goals", "median", "per goal"
    );
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let samples: Vec<Duration> = (0..20)
            .map(|_| {
                let start = Instant::now();
                let report = run_source(&text, &options);
                std::hint::black_box(&report);
                start.elapsed()
            })
            .collect();
        let goals = run_source(&text, &options).goals.len().max(1);
        let m = median(samples);
        println!(
            "{:<40} {:>6} {:>10.2}ms {:>12.3}ms",
            path.file_name().unwrap().to_string_lossy(),
            goals,
            m.as_secs_f64() * 1e3,
            m.as_secs_f64() * 1e3 / goals as f64
        );
    }
}
