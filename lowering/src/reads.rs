//! What a piece of work read of a [`Program`](crate::Program), so that its
//! result can be reused in a later program in which none of it changed.
//!
//! Rule check-reuse: a check of the program (one item's well-formedness, one
//! impl's orphan check, one pair of impls' overlap) is a solve whose answer
//! is a function of what chalk's solver reads through `RustIrDatabase` and
//! of nothing else; chalk's solvers are deterministic. [`recording`] runs
//! the work while every read of the program's data is noted, coarsened to
//! the item it reads ([`Read`]); [`Program::unchanged_since`] tells whether
//! a read gives the same answer in a later program. A check none of whose
//! reads changed gives the same verdict again, so it need not run.
//!
//! The reads are noted by [`Program`](crate::Program)'s own `RustIrDatabase`
//! methods, so every way into the program (chalk's solvers, chalk's checks,
//! the elaboration of an environment) is covered. The clauses of an
//! environment are computed once per program and cached: the cache keeps
//! what computing them read and notes it again on every hit, so a cached
//! environment counts as reads of the traits it was elaborated from.

use std::cell::RefCell;

use crate::impl_index::SimplifiedType;
use crate::interner::RawId;

/// One thing a piece of work read of the program.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Read {
    /// The data of one item, associated type or associated type value, by
    /// its raw id (ids come from one counter, so an id names one thing):
    /// its datum and everything the program keeps beside it (an ADT's
    /// representation, size and variances; a trait's object safety; ...).
    Item(RawId),
    /// The impls of a trait that a lookup for a self type with this
    /// simplified type considers (`None`: every impl of the trait), with
    /// their data.
    ImplsOf {
        trait_id: RawId,
        self_key: Option<SimplifiedType>,
    },
    /// Which traits and associated types are the well-known ones.
    WellKnown,
    /// The program's custom clauses.
    CustomClauses,
}

thread_local! {
    /// The reads of each recording in progress on this thread, innermost last.
    static FRAMES: RefCell<Vec<Vec<Read>>> = const { RefCell::new(Vec::new()) };
}

/// Notes a read, for every recording in progress on this thread (the
/// innermost one; it passes its reads on to the one around it when it ends).
pub fn note(read: Read) {
    FRAMES.with(|frames| {
        if let Ok(mut frames) = frames.try_borrow_mut() {
            if let Some(top) = frames.last_mut() {
                top.push(read);
            }
        }
    });
}

/// Notes several reads at once (an environment's cached clauses).
pub fn note_all(reads: &[Read]) {
    FRAMES.with(|frames| {
        if let Ok(mut frames) = frames.try_borrow_mut() {
            if let Some(top) = frames.last_mut() {
                top.extend_from_slice(reads);
            }
        }
    });
}

/// Runs `work`, noting every read of a program it makes on this thread;
/// returns its result and its reads, each once, in no particular order.
/// Recordings nest: the reads of an inner one are reads of the outer one
/// too. If `work` unwinds, its reads are dropped and the unwinding goes on.
pub fn recording<R>(work: impl FnOnce() -> R) -> (R, Vec<Read>) {
    struct Frame;
    impl Drop for Frame {
        fn drop(&mut self) {
            // Only reached by unwinding: the normal path pops the frame
            // itself and forgets this guard.
            FRAMES.with(|frames| {
                if let Ok(mut frames) = frames.try_borrow_mut() {
                    frames.pop();
                }
            });
        }
    }
    FRAMES.with(|frames| frames.borrow_mut().push(Vec::new()));
    let guard = Frame;
    let result = work();
    std::mem::forget(guard);
    let mut reads = FRAMES.with(|frames| {
        let mut frames = frames.borrow_mut();
        let reads = frames.pop().unwrap_or_default();
        if let Some(outer) = frames.last_mut() {
            outer.extend_from_slice(&reads);
        }
        reads
    });
    dedup(&mut reads);
    (result, reads)
}

/// Keeps one of each read (a check reads the same trait many times).
fn dedup(reads: &mut Vec<Read>) {
    if reads.len() < 2 {
        return;
    }
    let mut seen = std::collections::HashSet::with_capacity(reads.len());
    reads.retain(|r| seen.insert(*r));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(i: u32) -> Read {
        Read::Item(RawId { index: i })
    }

    #[test]
    fn a_recording_sees_its_reads_once_and_passes_them_outwards() {
        note(item(0)); // Outside any recording: not kept anywhere.
        let ((_, inner), outer) = recording(|| {
            note(item(1));
            let inner = recording(|| {
                note(item(2));
                note(item(2));
            });
            note(item(3));
            inner
        });
        assert_eq!(inner, vec![item(2)]);
        let mut outer = outer;
        outer.sort_by_key(|r| match r {
            Read::Item(id) => id.index,
            _ => u32::MAX,
        });
        assert_eq!(outer, vec![item(1), item(2), item(3)]);
    }

    #[test]
    fn an_unwinding_recording_leaves_no_frame_behind() {
        let caught = std::panic::catch_unwind(|| {
            recording(|| {
                note(item(1));
                panic!("stop");
            })
        });
        assert!(caught.is_err());
        let (_, reads) = recording(|| note(item(2)));
        assert_eq!(reads, vec![item(2)]);
        FRAMES.with(|f| assert!(f.borrow().is_empty()));
    }
}
