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
    let mut seen: std::collections::HashSet<Read, std::hash::BuildHasherDefault<IdHasher>> =
        std::collections::HashSet::with_capacity_and_hasher(reads.len(), Default::default());
    reads.retain(|r| seen.insert(*r));
}

/// Rule `units-hashed-by-id`: the maps of check units and the sets of a
/// check's reads are keyed by a few small ids, which the standard library's default hash (SipHash, made to
/// resist keys chosen by an attacker) took a tenth of an edited run to
/// hash; a unit's ids are mixed by a multiply-and-rotate hash instead.
/// Nothing here is keyed by input an attacker chooses.
#[derive(Clone, Copy)]
pub struct IdHasher(u64);

impl Default for IdHasher {
    /// Starts from a word that is not zero: from zero, a leading zero word
    /// (the first variant's discriminant) would leave the state as it was,
    /// and `Read::Item` of id 2 would hash as `Read::WellKnown`.
    fn default() -> Self {
        IdHasher(0x243F_6A88_85A3_08D3)
    }
}

impl IdHasher {
    fn add(&mut self, word: u64) {
        // An odd constant with its bits spread (2^64 over the golden
        // ratio), so that every bit of `word` moves the high bits the
        // table's control bytes read.
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.add(n as u64);
    }
}

/// A map keyed by ids (rule units-hashed-by-id).
pub type ById<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn item(i: u32) -> Read {
        Read::Item(RawId { index: i })
    }

    #[test]
    fn reads_of_nearby_ids_hash_apart() {
        // Rule units-hashed-by-id: a table finds its bucket from the low
        // bits and filters on the high ones, so both must tell nearby ids
        // apart, and the kinds of read must not collide with each other.
        use std::hash::BuildHasher;
        let hasher = std::hash::BuildHasherDefault::<IdHasher>::default();
        let reads: Vec<Read> = (0..4096)
            .flat_map(|i| {
                [
                    item(i),
                    Read::ImplsOf {
                        trait_id: RawId { index: i },
                        self_key: None,
                    },
                ]
            })
            .chain([Read::WellKnown, Read::CustomClauses])
            .collect();
        let hashes: Vec<u64> = reads.iter().map(|r| hasher.hash_one(r)).collect();
        let distinct = |bits: fn(u64) -> u64| {
            hashes
                .iter()
                .map(|&h| bits(h))
                .collect::<std::collections::HashSet<_>>()
                .len()
        };
        assert_eq!(distinct(|h| h), reads.len(), "two reads hash alike");
        // 8,194 reads in 2^13 low buckets and 2^7 high tags: most fill a
        // place of their own.
        assert!(distinct(|h| h & 0x1fff) > 5_000, "the low bits cluster");
        assert!(distinct(|h| h >> 57) > 100, "the high bits cluster");
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
