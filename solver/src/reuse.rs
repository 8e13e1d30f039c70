//! Rule check-reuse: the checks of a program, reused by the next program
//! of the same file where nothing they read changed.
//!
//! A check unit (one item's well-formedness, one impl's orphan check, one
//! pair of impls' overlap) is a solve whose verdict is a function of what it
//! read of the program (see [`chalkboard_lowering::reads`]). A kept database
//! (the REPL, `--watch`) keeps, per file and rewrite, the last program it
//! checked and each unit's reads and verdict; when the file is edited, a
//! unit whose reads all answer the same in the new program gets its verdict
//! back without a solve, and only the units that read what the edit
//! changed run again.
//!
//! Only verdicts without a diagnostic are kept (a passing item, a pair's
//! disjointness or specialization): a diagnostic holds spans, which an edit
//! moves, and a failing unit is cheap to run again next to the whole
//! program's.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chalkboard_lowering::lower::Reusable;
use chalkboard_lowering::reads::{ById, Read};
use chalkboard_lowering::{Program, RawId};

/// Which file and which rewrite of it a program is: the programs of one
/// scope follow one another as the file is edited.
pub type Scope = (salsa::Id, &'static str);

/// One check of a program.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Unit {
    /// The well-formedness of an ADT.
    WfAdt(RawId),
    /// The well-formedness of an impl.
    WfImpl(RawId),
    /// The well-formedness of an opaque type.
    WfOpaque(RawId),
    /// The orphan check of an impl.
    Orphan(RawId),
    /// The overlap of two impls of a trait, the earlier first.
    Pair(RawId, RawId),
}

/// A unit's verdict, when it has no diagnostic.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// The item is well-formed, or the impl keeps the orphan rules.
    Passed,
    /// The two impls are disjoint.
    Disjoint,
    /// They overlap, and the earlier specializes the later.
    FirstSpecializesSecond,
    /// They overlap, and the later specializes the earlier.
    SecondSpecializesFirst,
    /// They overlap without one specializing the other (the trait's
    /// diagnostic is built from the pair's ids, so it holds no span).
    Overlap,
}

struct Entry {
    reads: Box<[Read]>,
    outcome: Outcome,
}

/// The pairs of a trait's local impls that coherence solves (indices into
/// the trait's local impls in source order), or `None` when there were too
/// many to list (see `overlap_candidates` in `check.rs`).
pub type Candidates = Arc<Option<Vec<(usize, usize)>>>;

/// The units of the last program checked in one scope.
struct Memo {
    program: Arc<Program>,
    units: ById<Unit, Arc<Entry>>,
    /// The overlap candidates of each trait, by raw id (rule
    /// candidates-kept).
    candidates: ById<RawId, Candidates>,
}

/// The kept checks of a database, by scope.
#[derive(Default)]
pub struct CheckMemo {
    scopes: Mutex<HashMap<Scope, Arc<Memo>>>,
    /// The last lowering of each scope's items (rule lower-reuse), whose
    /// data the next lowering shares, so that the checks compare it by
    /// pointer.
    lowerings: Mutex<HashMap<Scope, Arc<Reusable>>>,
    /// What the layer kept from its checks, by scope and configuration
    /// (rule layer-check-reuse).
    layers: Mutex<HashMap<(Scope, &'static str), Arc<crate::layer::KeptByLayer>>>,
    /// The solves of the goals, by scope and configuration (rule
    /// goal-reuse).
    goals: Mutex<HashMap<(Scope, &'static str), Arc<crate::run::GoalsKept>>>,
    /// How many units the last pass reused and ran, until taken.
    last: Mutex<Option<(usize, usize)>>,
    /// The last text of each `.chalk` file parsed without a diagnostic, and
    /// its tree, which the next parse of the file edits (rule
    /// parse-reuse).
    parses: Mutex<HashMap<salsa::Id, KeptParse>>,
    /// How many parses took the kept tree (rule parse-reuse), until taken.
    parses_reused: AtomicUsize,
    /// The last desugaring of each file (rule desugar-reuse).
    desugarings: Mutex<HashMap<salsa::Id, Arc<chalkboard_lowering::desugar::DesugarMemo>>>,
    /// How many items desugarings took from the one before, until taken.
    items_desugared_again: AtomicUsize,
    items_kept_by_desugaring: AtomicUsize,
}

/// A text and the tree it parsed to (rule parse-reuse).
pub type KeptParse = (Arc<str>, Arc<chalkboard_syntax::ast::File>);

impl CheckMemo {
    /// The last lowering kept in `scope` (rule lower-reuse).
    pub fn earlier_lowering(&self, scope: Scope) -> Option<Arc<Reusable>> {
        self.lowerings.lock().ok()?.get(&scope).cloned()
    }

    /// What the layer keeps for `scope` under the configuration named
    /// `rule` (rule layer-check-reuse).
    pub fn kept_by_layer(
        &self,
        scope: Scope,
        rule: &'static str,
    ) -> Option<Arc<crate::layer::KeptByLayer>> {
        slot(&self.layers, (scope, rule))
    }

    /// The solves of the goals kept for `scope` under the configuration
    /// named `rule` (rule goal-reuse).
    pub fn goals_kept(
        &self,
        scope: Scope,
        rule: &'static str,
    ) -> Option<Arc<crate::run::GoalsKept>> {
        slot(&self.goals, (scope, rule))
    }

    /// How many solves of the goals the last run took from the run before,
    /// and how many it solved, in any scope (rule goal-reuse).
    pub fn take_last_goal_pass(&self) -> Option<(usize, usize)> {
        let goals = self.goals.lock().ok()?;
        goals.values().find_map(|kept| kept.take_counts())
    }

    /// The last text of `file` parsed without a diagnostic, and its tree
    /// (rule parse-reuse).
    pub fn earlier_parse(&self, file: salsa::Id) -> Option<KeptParse> {
        self.parses.lock().ok()?.get(&file).cloned()
    }

    /// Counts a parse that took the kept tree (rule parse-reuse).
    pub fn reused_parse(&self) {
        self.parses_reused.fetch_add(1, Ordering::Relaxed);
    }

    /// How many parses took the kept tree since the last call (rule
    /// parse-reuse).
    pub fn take_parses_reused(&self) -> usize {
        self.parses_reused.swap(0, Ordering::Relaxed)
    }

    /// Keeps a parse of `file` for the next (rule parse-reuse), or, with
    /// `None`, forgets the one kept: a parse with a diagnostic is not kept.
    pub fn keep_parse(&self, file: salsa::Id, parse: Option<KeptParse>) {
        if let Ok(mut parses) = self.parses.lock() {
            match parse {
                Some(parse) => parses.insert(file, parse),
                None => parses.remove(&file),
            };
        }
    }

    /// The last desugaring of `file` (rule desugar-reuse).
    pub fn earlier_desugaring(
        &self,
        file: salsa::Id,
    ) -> Option<Arc<chalkboard_lowering::desugar::DesugarMemo>> {
        self.desugarings.lock().ok()?.get(&file).cloned()
    }

    /// Keeps `desugaring` as the last of `file`, or forgets the last one
    /// (rule desugar-reuse); `counts` are how many input items it kept and
    /// desugared again.
    pub fn keep_desugaring(
        &self,
        file: salsa::Id,
        desugaring: Option<chalkboard_lowering::desugar::DesugarMemo>,
    ) {
        if let Some(d) = &desugaring {
            let (kept, again) = d.counts();
            self.items_kept_by_desugaring
                .fetch_add(kept, Ordering::Relaxed);
            self.items_desugared_again
                .fetch_add(again, Ordering::Relaxed);
        }
        if let Ok(mut desugarings) = self.desugarings.lock() {
            match desugaring {
                Some(d) => desugarings.insert(file, Arc::new(d)),
                None => desugarings.remove(&file),
            };
        }
    }

    /// How many input items the desugarings since the last call kept, and
    /// how many they desugared again (rule desugar-reuse).
    pub fn take_desugared_items(&self) -> (usize, usize) {
        (
            self.items_kept_by_desugaring.swap(0, Ordering::Relaxed),
            self.items_desugared_again.swap(0, Ordering::Relaxed),
        )
    }

    /// Keeps `lowering` as the last of `scope` (rule lower-reuse).
    pub fn keep_lowering(&self, scope: Scope, lowering: Reusable) {
        if let Ok(mut lowerings) = self.lowerings.lock() {
            lowerings.insert(scope, Arc::new(lowering));
        }
    }

    /// Starts checking `program` in `scope`, against what the scope kept.
    pub fn begin(&self, scope: Scope, program: &Arc<Program>) -> Arc<Pass> {
        let earlier = self
            .scopes
            .lock()
            .ok()
            .and_then(|scopes| scopes.get(&scope).cloned());
        let bound = program
            .raw_id_bound()
            .max(earlier.as_ref().map_or(0, |m| m.program.raw_id_bound()));
        Arc::new(Pass {
            scope,
            same_program: earlier
                .as_ref()
                .is_some_and(|m| Arc::ptr_eq(&m.program, program)),
            program: Arc::clone(program),
            earlier,
            items: (0..bound).map(|_| AtomicU8::new(UNKNOWN)).collect(),
            impls_of: (0..bound).map(|_| AtomicU8::new(UNKNOWN)).collect(),
            well_known: AtomicU8::new(UNKNOWN),
            custom_clauses: AtomicU8::new(UNKNOWN),
            others: Mutex::default(),
            fresh: Mutex::default(),
            taken: Mutex::default(),
            candidates: Mutex::default(),
            reused: AtomicUsize::new(0),
            ran: AtomicUsize::new(0),
        })
    }

    /// Keeps what `pass` found, for the next program of its scope: the
    /// earlier units whose reads did not change, and the units it ran.
    pub fn finish(&self, pass: &Pass) {
        let mut units: ById<Unit, Arc<Entry>> = ById::default();
        let fresh: Vec<(Unit, Arc<Entry>)> = pass
            .fresh
            .lock()
            .map(|mut fresh| fresh.drain(..).collect())
            .unwrap_or_default();
        // The units this pass reused were found unchanged already; the
        // earlier units it did not ask for are compared here.
        if let Ok(mut taken) = pass.taken.lock() {
            units.extend(taken.drain(..));
        }
        if let Some(earlier) = &pass.earlier {
            // When every earlier unit was reused or ran again (an edit
            // checks every unit of the program), none is left to compare.
            let ran_again = fresh
                .iter()
                .filter(|(unit, _)| earlier.units.contains_key(unit))
                .count();
            if units.len() + ran_again < earlier.units.len() {
                units.reserve(earlier.units.len().saturating_sub(units.len()));
                for (unit, entry) in &earlier.units {
                    if !units.contains_key(unit) && pass.unchanged(&entry.reads) {
                        units.insert(*unit, Arc::clone(entry));
                    }
                }
            }
        }
        units.extend(fresh);
        let candidates = pass
            .candidates
            .lock()
            .map(|mut c| c.drain().collect())
            .unwrap_or_default();
        let memo = Arc::new(Memo {
            program: Arc::clone(&pass.program),
            units,
            candidates,
        });
        if let Ok(mut scopes) = self.scopes.lock() {
            scopes.insert(pass.scope, memo);
        }
        if let Ok(mut last) = self.last.lock() {
            *last = Some((pass.reused(), pass.ran.load(Ordering::Relaxed)));
        }
    }

    /// How many check units the last pass reused, and how many it ran;
    /// `None` when no pass ran since the last call.
    pub fn take_last_pass(&self) -> Option<(usize, usize)> {
        self.last.lock().ok().and_then(|mut l| l.take())
    }

    /// How many impls the layer's last checks reused and ran, in any scope
    /// (rule layer-check-reuse); `None` when none ran since the last call.
    pub fn take_last_layer_pass(&self) -> Option<(usize, usize)> {
        let layers = self.layers.lock().ok()?;
        layers.values().find_map(|slot| slot.take_counts())
    }

    /// How many units the scope keeps (for tests).
    pub fn kept(&self, scope: Scope) -> usize {
        self.scopes
            .lock()
            .ok()
            .and_then(|s| s.get(&scope).map(|m| m.units.len()))
            .unwrap_or(0)
    }
}

/// The slot of `key` in `slots`, made empty on first use.
fn slot<K: std::hash::Hash + Eq, T: Default>(
    slots: &Mutex<HashMap<K, Arc<T>>>,
    key: K,
) -> Option<Arc<T>> {
    let mut slots = slots.lock().ok()?;
    Some(Arc::clone(slots.entry(key).or_default()))
}

const UNKNOWN: u8 = 0;
const SAME: u8 = 1;
const CHANGED: u8 = 2;

/// One check of a program against the units kept from the program before.
pub struct Pass {
    scope: Scope,
    program: Arc<Program>,
    earlier: Option<Arc<Memo>>,
    /// The program is the very one checked before (same value).
    same_program: bool,
    /// Whether each item, by dense index of its raw id, is unchanged since the earlier program;
    /// found on first need, by any check thread.
    items: Box<[AtomicU8]>,
    /// Whether every impl of each trait, by the trait's dense index, is
    /// unchanged (the same impls, with the same data).
    impls_of: Box<[AtomicU8]>,
    well_known: AtomicU8,
    custom_clauses: AtomicU8,
    /// The same for the lookups of a trait's impls by self type, when some
    /// impl of the trait changed.
    others: Mutex<ById<Read, bool>>,
    fresh: Mutex<Vec<(Unit, Arc<Entry>)>>,
    /// The earlier units this pass reused.
    taken: Mutex<Vec<(Unit, Arc<Entry>)>>,
    /// The overlap candidates of the traits this pass checked, kept or
    /// found (rule candidates-kept).
    candidates: Mutex<ById<RawId, Candidates>>,
    reused: AtomicUsize,
    ran: AtomicUsize,
}

impl Pass {
    /// The verdict of `unit` in the earlier program, if nothing it read
    /// changed since.
    pub fn reusable(&self, unit: Unit) -> Option<Outcome> {
        let entry = self.earlier.as_ref()?.units.get(&unit)?;
        if !self.unchanged(&entry.reads) {
            return None;
        }
        if let Ok(mut taken) = self.taken.lock() {
            taken.push((unit, Arc::clone(entry)));
        }
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some(entry.outcome)
    }

    /// Rule `candidates-kept`: the pairs of impls of `trait_id` that
    /// coherence solves are a function of the trait's impls and their data;
    /// when none of them changed since the earlier program, they are the
    /// earlier pairs, which are kept again for the next program.
    pub fn kept_candidates(&self, trait_id: RawId) -> Option<Candidates> {
        let kept = self.earlier.as_ref()?.candidates.get(&trait_id)?;
        let every_impl = Read::ImplsOf {
            trait_id,
            self_key: None,
        };
        if !self.unchanged(&[every_impl]) {
            return None;
        }
        self.keep_candidates(trait_id, Arc::clone(kept));
        Some(Arc::clone(kept))
    }

    /// Keeps the overlap candidates found for `trait_id` in this program
    /// (rule candidates-kept).
    pub fn keep_candidates(&self, trait_id: RawId, candidates: Candidates) {
        if let Ok(mut kept) = self.candidates.lock() {
            kept.insert(trait_id, candidates);
        }
    }

    /// Counts a unit that ran (its verdict kept or not).
    pub fn ran(&self) {
        self.ran.fetch_add(1, Ordering::Relaxed);
    }

    /// Keeps the verdict of a unit that ran in this program.
    pub fn keep(&self, unit: Unit, reads: Vec<Read>, outcome: Outcome) {
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push((
                unit,
                Arc::new(Entry {
                    reads: reads.into_boxed_slice(),
                    outcome,
                }),
            ));
        }
    }

    /// How many units got their verdict back without a solve.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    fn unchanged(&self, reads: &[Read]) -> bool {
        if self.same_program {
            return true;
        }
        let Some(earlier) = &self.earlier else {
            return false;
        };
        let dense = chalkboard_lowering::lower::dense_index;
        reads.iter().all(|read| match read {
            Read::Item(id) => self.items.get(dense(*id)).is_some_and(|slot| {
                self.unchanged_in(slot, || {
                    self.program.unchanged_since(&earlier.program, read)
                })
            }),
            Read::ImplsOf { trait_id, self_key } => {
                // When no impl of the trait changed, no lookup of its impls
                // did: one comparison of the trait's impls stands for the
                // lookups of every self type.
                let all = Read::ImplsOf {
                    trait_id: *trait_id,
                    self_key: None,
                };
                let every_impl = self.impls_of.get(dense(*trait_id)).is_some_and(|slot| {
                    self.unchanged_in(slot, || {
                        self.program.unchanged_since(&earlier.program, &all)
                    })
                });
                every_impl || (self_key.is_some() && self.other_unchanged(earlier, read))
            }
            Read::WellKnown => self.unchanged_in(&self.well_known, || {
                self.program.unchanged_since(&earlier.program, read)
            }),
            Read::CustomClauses => self.unchanged_in(&self.custom_clauses, || {
                self.program.unchanged_since(&earlier.program, read)
            }),
        })
    }

    /// The verdict kept in `slot`, found by `compare` on first need (two
    /// threads may both compare; they find the same).
    fn unchanged_in(&self, slot: &AtomicU8, compare: impl FnOnce() -> bool) -> bool {
        match slot.load(Ordering::Relaxed) {
            SAME => true,
            CHANGED => false,
            _ => {
                let same = compare();
                slot.store(if same { SAME } else { CHANGED }, Ordering::Relaxed);
                same
            }
        }
    }

    fn other_unchanged(&self, earlier: &Memo, read: &Read) -> bool {
        let known = self.others.lock().ok().and_then(|m| m.get(read).copied());
        if let Some(same) = known {
            return same;
        }
        let same = self.program.unchanged_since(&earlier.program, read);
        if let Ok(mut m) = self.others.lock() {
            m.insert(*read, same);
        }
        same
    }
}
