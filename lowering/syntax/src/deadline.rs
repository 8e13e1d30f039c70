//! The deadline of a run's front end (parsing, desugaring, the layer's
//! rewrite, lowering), so that `--timeout` bounds the whole run and not only
//! its checks (rule run-deadline).
//!
//! The driver of a run installs the deadline on its thread with
//! [`with_deadline`]; each pass calls [`checkpoint`] between items, which
//! records how far the pass got and, once the deadline has passed, unwinds
//! with a [`Stopped`]; [`stoppable`] catches it where the pass was started and
//! returns where it stopped, for a diagnostic. With no deadline installed, a
//! checkpoint does nothing.
//!
//! Unwinding out of a pass drops what it built, and the pass's caller
//! returns a tree or program with nothing in it beside the diagnostic, so
//! nothing half-built is ever used.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::ast::Span;

/// Where a pass was when the deadline stopped it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Stopped {
    /// What was being done, e.g. "lowering".
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
    /// What `done` and `total` count, e.g. "items".
    pub unit: &'static str,
    /// Where in the source the pass was.
    pub span: Span,
    /// The run's timeout, for the message.
    pub timeout: Duration,
}

thread_local! {
    static DEADLINE: Cell<Option<(Instant, Duration)>> = const { Cell::new(None) };
    static TICKS: Cell<u32> = const { Cell::new(0) };
    /// How many [`stoppable`] passes are running on this thread: a
    /// checkpoint outside of them (the prelude parsed for an explanation,
    /// after the checks) never unwinds, since nothing would catch it.
    static STOPPABLE: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` with the run's deadline `at` (after `timeout`) installed on this
/// thread; a deadline already installed that comes earlier is kept.
pub fn with_deadline<R>(at: Instant, timeout: Duration, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<(Instant, Duration)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0;
            DEADLINE.with(|d| d.set(previous));
        }
    }
    let previous = DEADLINE.with(Cell::get);
    let _restore = Restore(previous);
    let earliest = match previous {
        Some((earlier, t)) if earlier <= at => (earlier, t),
        _ => (at, timeout),
    };
    DEADLINE.with(|d| d.set(Some(earliest)));
    f()
}

/// The deadline installed on this thread, with the timeout it came from.
pub fn current() -> Option<(Instant, Duration)> {
    DEADLINE.with(Cell::get)
}

/// Runs `f` without counting its time against the deadline installed on
/// this thread: the deadline moves later by as long as `f` took. For work
/// whose every solve has a deadline of its own (a Rust file's function
/// bodies), as each goal has.
pub fn not_counted<R>(f: impl FnOnce() -> R) -> R {
    let start = Instant::now();
    let result = f();
    let took = start.elapsed();
    DEADLINE.with(|d| d.set(d.get().map(|(at, timeout)| (at + took, timeout))));
    result
}

/// What a pass is building: when the deadline unwinds out of the pass, it is
/// freed on a thread of its own, so that freeing a large half-built tree
/// does not add to the wall time the deadline bounds (rule run-deadline).
pub struct FreedAsideOnStop<T: Send + 'static>(Option<T>);

impl<T: Send + 'static> FreedAsideOnStop<T> {
    pub fn new(value: T) -> Self {
        FreedAsideOnStop(Some(value))
    }

    /// The value, once the pass is done with it.
    pub fn into_inner(mut self) -> T {
        match self.0.take() {
            Some(value) => value,
            // `new` stores a value, and only `into_inner` and `drop` take it.
            None => unreachable!("the value is taken only once"),
        }
    }
}

impl<T: Send + 'static> std::ops::Deref for FreedAsideOnStop<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Some(value) => value,
            None => unreachable!("the value is taken only once"),
        }
    }
}

impl<T: Send + 'static> std::ops::DerefMut for FreedAsideOnStop<T> {
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.0 {
            Some(value) => value,
            None => unreachable!("the value is taken only once"),
        }
    }
}

impl<T: Send + 'static> Drop for FreedAsideOnStop<T> {
    fn drop(&mut self) {
        if let Some(value) = self.0.take() {
            if std::thread::panicking() {
                // With no thread to spare, the value is freed here.
                let _ = std::thread::Builder::new()
                    .name("chalkboard-free".into())
                    .spawn(move || drop(value));
            }
        }
    }
}

/// How many checkpoints pass between two looks at the clock.
const CLOCK_EVERY: u32 = 16;

/// Between two items of a pass: unwinds with [`Stopped`] when the deadline
/// installed on this thread has passed.
pub fn checkpoint(phase: &'static str, done: usize, total: usize, unit: &'static str, span: Span) {
    if STOPPABLE.with(Cell::get) == 0 {
        return;
    }
    let Some((at, timeout)) = current() else {
        return;
    };
    let tick = TICKS.with(|t| {
        let n = t.get().wrapping_add(1);
        t.set(n);
        n
    });
    if !tick.is_multiple_of(CLOCK_EVERY) || Instant::now() < at {
        return;
    }
    panic::resume_unwind(Box::new(Stopped {
        phase,
        done,
        total,
        unit,
        span,
        timeout,
    }));
}

/// Runs `f` with no checkpoint in it stopping: for a small piece of work
/// inside a pass whose positions are not the pass's own (the prelude, parsed
/// while desugaring a file), so that a stop is reported by the pass, where
/// it was in the file.
pub fn unstoppable<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(u32);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0;
            STOPPABLE.with(|s| s.set(previous));
        }
    }
    let _restore = Restore(STOPPABLE.with(|s| s.replace(0)));
    f()
}

/// Runs the pass `f`: what it returned, or where the deadline stopped it.
/// Any other panic goes on unwinding.
pub fn stoppable<R>(f: impl FnOnce() -> R) -> Result<R, Stopped> {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            STOPPABLE.with(|s| s.set(s.get().saturating_sub(1)));
        }
    }
    STOPPABLE.with(|s| s.set(s.get() + 1));
    let leave = Leave;
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    drop(leave);
    match result {
        Ok(r) => Ok(r),
        Err(payload) => match payload.downcast::<Stopped>() {
            Ok(stopped) => Err(*stopped),
            Err(other) => panic::resume_unwind(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_past_its_deadline_stops_where_it_was() {
        let at = Instant::now();
        let stopped = with_deadline(at, Duration::from_secs(2), || {
            stoppable(|| {
                for i in 0..1000 {
                    checkpoint("lowering", i, 1000, "items", Span::new(i, i + 1));
                }
            })
        });
        let stopped = stopped.unwrap_err();
        assert_eq!(stopped.phase, "lowering");
        assert!(stopped.done < CLOCK_EVERY as usize, "{stopped:?}");
        assert_eq!(stopped.total, 1000);
        assert_eq!(stopped.timeout, Duration::from_secs(2));
        // Outside the run, nothing stops.
        assert!(current().is_none());
        assert!(stoppable(|| checkpoint("lowering", 0, 1, "items", Span::default())).is_ok());
    }

    #[test]
    fn outside_a_stoppable_pass_nothing_unwinds() {
        with_deadline(Instant::now(), Duration::from_secs(2), || {
            for i in 0..100 {
                checkpoint("parsing", i, 100, "bytes read", Span::default());
            }
        });
    }

    #[test]
    fn work_not_counted_moves_the_deadline() {
        let at = Instant::now() + Duration::from_secs(1);
        with_deadline(at, Duration::from_secs(1), || {
            not_counted(|| std::thread::sleep(Duration::from_millis(20)));
            let (moved, _) = current().unwrap();
            assert!(moved >= at + Duration::from_millis(20));
        });
    }

    #[test]
    fn what_a_stopped_pass_built_is_freed_aside() {
        let built = std::sync::Arc::new(());
        let kept = FreedAsideOnStop::new(std::sync::Arc::clone(&built));
        assert_eq!(std::sync::Arc::strong_count(&kept.into_inner()), 2);
        let in_pass = std::sync::Arc::clone(&built);
        let stopped = stoppable(|| {
            let _partial = FreedAsideOnStop::new(in_pass);
            panic::resume_unwind(Box::new(Stopped {
                phase: "a pass",
                done: 0,
                total: 1,
                unit: "items",
                span: Span::default(),
                timeout: Duration::from_secs(1),
            }));
        });
        assert!(stopped.is_err());
        // The freeing thread drops its copy soon after.
        let waited = Instant::now();
        while std::sync::Arc::strong_count(&built) > 1 {
            assert!(waited.elapsed() < Duration::from_secs(10), "never freed");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn unstoppable_work_runs_to_its_end() {
        let stopped = with_deadline(Instant::now(), Duration::from_secs(2), || {
            stoppable(|| {
                unstoppable(|| {
                    for done in 0..2 * CLOCK_EVERY as usize {
                        checkpoint("a pass", done, 100, "items", Span::default());
                    }
                });
                // Back in the pass, the deadline stops it.
                for done in 0..2 * CLOCK_EVERY as usize {
                    checkpoint("a pass", done, 100, "items", Span::default());
                }
            })
        });
        assert!(stopped.is_err());
    }

    #[test]
    fn an_earlier_deadline_is_kept() {
        let soon = Instant::now() + Duration::from_secs(1);
        let later = soon + Duration::from_secs(10);
        with_deadline(soon, Duration::from_secs(1), || {
            with_deadline(later, Duration::from_secs(11), || {
                assert_eq!(current(), Some((soon, Duration::from_secs(1))));
            });
        });
    }
}
