//! How long each phase of a run took (`--timings`), as plain data.
//!
//! Every query of the pipeline ([`crate::db`]) opens a [`Span`] for its
//! phase when it executes, and each goal opens one of its own. A phase's
//! time is its own: the time of a query that it calls, and that executes,
//! is counted in that query's phase and subtracted from the caller's, so no
//! time is counted twice and the phases add up to the whole run. A query
//! whose result salsa already had does not execute, and costs its caller
//! only the look-up.
//!
//! The spans record into the collector that [`collect`] installs on the
//! current thread for the duration of a run (salsa executes queries on the
//! thread that asks for them); with none installed, a span records nothing.

use std::cell::RefCell;
use std::time::{Duration, Instant};

/// A phase of the pipeline, as `--timings` names it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Phase {
    /// Reading the source text into a syntax tree (query `parsed`).
    Parse,
    /// chalkboard's extensions desugared into chalk's language (`desugared`).
    Desugar,
    /// The layer's rewrite of the desugared program, e.g. a design's
    /// bounds on method futures (`rewritten`).
    Rewrite,
    /// Names resolved and chalk-ir built (`lowered_items`, `program_tree`,
    /// `lowered`).
    Lower,
    /// A Rust file's function bodies checked, and their obligations solved
    /// (`bodies`, `body_obligations`).
    Bodies,
    /// Coherence, orphan rules and well-formedness (`checked`).
    Check,
    /// The layer's checks of the program's impls (`layer_checks`).
    LayerChecks,
    /// One goal of the file, by its position, on every solver it runs on.
    Goal(usize),
    /// What is left: putting the report together (`goal_runs` and `report`
    /// outside their goals).
    Report,
}

impl Phase {
    /// The phases other than the goals, in the order they run.
    pub const FIXED: [Phase; 8] = [
        Phase::Parse,
        Phase::Desugar,
        Phase::Rewrite,
        Phase::Lower,
        Phase::Bodies,
        Phase::Check,
        Phase::LayerChecks,
        Phase::Report,
    ];

    /// The phase's stable name (the key of the JSON output).
    pub fn name(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Desugar => "desugar",
            Phase::Rewrite => "rewrite",
            Phase::Lower => "lower",
            Phase::Bodies => "bodies",
            Phase::Check => "check",
            Phase::LayerChecks => "layer_checks",
            Phase::Goal(_) => "goal",
            Phase::Report => "report",
        }
    }
}

/// The time of each phase of one run. A phase that did not execute in this
/// run (skipped, or shared with an earlier run of the same file, whose
/// timings hold it) is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    /// Each phase once, in the order it first finished, with its own time
    /// summed over every query of the phase that executed.
    pub phases: Vec<(Phase, Duration)>,
}

impl Timings {
    /// The time of `phase` (zero when it did not execute).
    pub fn of(&self, phase: Phase) -> Duration {
        self.phases
            .iter()
            .find(|(p, _)| *p == phase)
            .map_or(Duration::ZERO, |(_, d)| *d)
    }

    /// The goals that ran, by position, with their times.
    pub fn goals(&self) -> impl Iterator<Item = (usize, Duration)> + '_ {
        self.phases.iter().filter_map(|(p, d)| match p {
            Phase::Goal(i) => Some((*i, *d)),
            _ => None,
        })
    }

    /// The whole run: every phase added up.
    pub fn total(&self) -> Duration {
        self.phases.iter().map(|(_, d)| *d).sum()
    }

    /// Adds the times of `other` to these (a phase of both is summed).
    pub fn absorb(&mut self, other: Timings) {
        for (phase, time) in other.phases {
            self.add(phase, time);
        }
    }

    fn add(&mut self, phase: Phase, time: Duration) {
        match self.phases.iter_mut().find(|(p, _)| *p == phase) {
            Some((_, d)) => *d += time,
            None => self.phases.push((phase, time)),
        }
    }
}

/// The collector of the current thread: what has been recorded, and the
/// time of the spans nested in each open span.
struct Collector {
    timings: Timings,
    /// For each open span, the time of the spans that finished inside it.
    nested: Vec<Duration>,
}

thread_local! {
    static COLLECTOR: RefCell<Option<Collector>> = const { RefCell::new(None) };
}

/// Runs `f` and returns what it returned with the time of every phase that
/// executed on this thread meanwhile.
pub fn collect<R>(f: impl FnOnce() -> R) -> (R, Timings) {
    struct Restore(Option<Collector>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            COLLECTOR.with(|c| *c.borrow_mut() = previous);
        }
    }
    let fresh = Collector {
        timings: Timings::default(),
        nested: Vec::new(),
    };
    let mut restore = Restore(COLLECTOR.with(|c| c.borrow_mut().replace(fresh)));
    let result = f();
    let mine = COLLECTOR.with(|c| std::mem::replace(&mut *c.borrow_mut(), restore.0.take()));
    (result, mine.map(|c| c.timings).unwrap_or_default())
}

/// A phase being timed; it records its own time when dropped.
#[must_use = "a span times the scope it lives in"]
pub struct Span {
    phase: Phase,
    start: Instant,
    /// A collector was installed when the span opened.
    active: bool,
}

/// Starts timing `phase` until the returned span is dropped.
pub fn span(phase: Phase) -> Span {
    let active = COLLECTOR.with(|c| match &mut *c.borrow_mut() {
        Some(collector) => {
            collector.nested.push(Duration::ZERO);
            true
        }
        None => false,
    });
    Span {
        phase,
        start: Instant::now(),
        active,
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        if !self.active {
            return;
        }
        let elapsed = self.start.elapsed();
        let phase = self.phase;
        COLLECTOR.with(|c| {
            if let Some(collector) = &mut *c.borrow_mut() {
                let nested = collector.nested.pop().unwrap_or_default();
                collector.timings.add(phase, elapsed.saturating_sub(nested));
                if let Some(outer) = collector.nested.last_mut() {
                    *outer += elapsed;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_spans_are_not_counted_twice() {
        let ((), timings) = collect(|| {
            let _outer = span(Phase::Report);
            std::thread::sleep(Duration::from_millis(20));
            {
                let _inner = span(Phase::Parse);
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        let parse = timings.of(Phase::Parse);
        let report = timings.of(Phase::Report);
        assert!(parse >= Duration::from_millis(200), "{timings:?}");
        assert!(report >= Duration::from_millis(20), "{timings:?}");
        // Without the inner span's time: well under what it slept.
        assert!(report < Duration::from_millis(200), "{timings:?}");
        assert_eq!(timings.phases[0].0, Phase::Parse);
        assert_eq!(timings.total(), parse + report);
    }

    #[test]
    fn without_a_collector_nothing_is_recorded() {
        let _span = span(Phase::Parse);
        let ((), timings) = collect(|| {});
        assert!(timings.phases.is_empty());
    }
}
