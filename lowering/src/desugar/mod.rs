//! Desugaring: chalkboard's extensions to pure chalk language, syntax tree to
//! syntax tree.
//!
//! The pass runs in two steps, each of which can be shown on its own with
//! `chalkboard desugar --stage`:
//!
//! 1. [`desugar_async`] (`--stage async`): `use-prelude` (with
//!    `prelude-shadowed`), then `elided-lifetime-to-param` and
//!    `async-fn-to-impl-future` on method signatures, then `implicit-sized`.
//! 2. [`desugar`] (`--stage gat`): step 1, then `impl-trait-to-gat`,
//!    `plain-method-dropped`, `impl-async-fn-to-future-struct`,
//!    `impl-fn-hidden-type`, `rtn-to-gat-bound`,
//!    `assoc-bound-to-where-clause` and `shorthand-to-projection`. Its output contains
//!    no extension node, so the core lowering accepts it.
//!
//! Every rule is named in the doc comment of the code that performs it, and
//! the names are listed in `docs/async.md`.

mod methods;
mod prelude;
mod rtn;
mod sized;

use std::collections::{BTreeMap, BTreeSet};

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::deadline::FreedAsideOnStop;
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::registry::{Applied, Rule};

pub use prelude::{parsed_prelude, PRELUDE};

/// What the later rules need to know about a trait: its parameters, its
/// associated types and its methods (after step 1, so elided lifetimes are
/// already parameters).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TraitInfo {
    pub(crate) params: Vec<ast::VariableKind>,
    pub(crate) assoc_types: BTreeSet<String>,
    pub(crate) methods: BTreeMap<String, MethodInfo>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MethodInfo {
    pub(crate) params: Vec<ast::VariableKind>,
    /// The method is `async` or returns `impl Trait`, so it has an anonymous
    /// return type that becomes a generic associated type.
    pub(crate) returns_impl_trait: bool,
    pub(crate) span: Span,
}

pub(crate) type Traits = BTreeMap<String, TraitInfo>;

/// What a desugaring step produced: the tree, its diagnostics, and every
/// rule it applied, in order (`chalkboard desugar --rules` prints them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Desugared {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
    pub applied: Vec<Applied>,
}

/// Where the rules report to: the diagnostics, and the rules applied.
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) applied: Vec<Applied>,
    /// The names of the future structs generated so far, each with whether
    /// it was the first name tried (rule desugar-reuse).
    pub(crate) names_made: Vec<(String, bool)>,
    /// Where each item's records end, in the order a pass met the items
    /// (rule desugar-reuse).
    pub(crate) ends: Vec<Ends>,
}

/// How many records a pass had made, and how many items it had put out,
/// when it was done with an item.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Ends {
    applied: usize,
    diags: usize,
    names: usize,
    outputs: usize,
}

impl Sink {
    /// Records that `rule` rewrote the source at `span`.
    pub(crate) fn applied(&mut self, rule: Rule, span: Span, subject: impl Into<String>) {
        self.applied.push(Applied::new(rule, span, subject));
    }

    /// The pass is done with an item, which became `outputs` items.
    pub(crate) fn item_done(&mut self, outputs: usize) {
        let before = self.ends.last().map_or(0, |e| e.outputs);
        self.ends.push(Ends {
            applied: self.applied.len(),
            diags: self.diags.len(),
            names: self.names_made.len(),
            outputs: before + outputs,
        });
    }
}

/// Step 1 only: the prelude is prepended and every `async fn` in a trait is
/// written as a method returning `impl Future`.
pub fn desugar_async(file: &ast::File) -> Desugared {
    let mut sink = Sink::default();
    let out = async_step(file, &mut sink);
    Desugared {
        file: out,
        diagnostics: sink.diags,
        applied: sink.applied,
    }
}

fn async_step(file: &ast::File, sink: &mut Sink) -> ast::File {
    let (mut out, active) = with_prelude(file, sink);
    methods::require_future_trait(&out, sink);
    methods::async_step(&mut out, sink);
    sized::implicit_sized(&mut out, active, sink);
    out.into_inner()
}

/// The file with the prelude's items before its own (rule use-prelude),
/// and whether rule implicit-sized adds bounds.
fn with_prelude(file: &ast::File, sink: &mut Sink) -> (FreedAsideOnStop<ast::File>, bool) {
    // A Rust file's macros were expanded as it was read; their rules come
    // first.
    if let Some(rust) = &file.rust {
        sink.applied.extend(rust.applied.iter().cloned());
    }
    // Rust's rules apply to programs that use the prelude and to those a
    // Rust front end produced; chalk programs keep chalk's semantics.
    let rust_rules = file.implicit_sized || file.uses_prelude.is_some();
    // Rule run-deadline: a pass the deadline stops leaves its half-built
    // tree to be freed aside.
    let out = FreedAsideOnStop::new(prelude::use_prelude(file, sink));
    let active = sized::active(&out.items, rust_rules);
    (out, active)
}

/// The whole pass: the result is pure chalk language (when no diagnostic is
/// an error).
pub fn desugar(file: &ast::File) -> Desugared {
    desugar_with(file, None, false).0
}

/// Rule `desugar-reuse`: what a desugaring keeps for the next desugaring
/// of the same file in a kept database (the REPL, `--watch`).
///
/// An item's desugaring reads the item and a few facts of the whole
/// program: whether rule implicit-sized adds bounds, what the traits are
/// after step 1 (their parameters, associated types and methods), and
/// which names a generated future struct must avoid. The passes meet the
/// items in order and record what they did in order, so when the first
/// items of the next file are the very items of this one (the same `Arc`s,
/// as rules parse-reuse, items-shared and prelude-respanned-once hand them
/// on: every item before an edit, and every item when a goal is asked or
/// an item added at the end) and those facts are the same, what the
/// passes made of those items, and their records of them, are this
/// desugaring's; only the items after them are desugared, with the goals.
pub struct DesugarMemo {
    /// The items the passes read: the prelude's, then the file's.
    inputs: Vec<ast::Item>,
    active: bool,
    traits: Traits,
    /// Per input, the item after step 1 when it is a trait, which the
    /// traits are collected from.
    step_one_traits: Vec<Option<ast::Item>>,
    /// Per pass (step 1's two, then `gat_step`, then `rtn_step`), the
    /// records, and where each input's end.
    passes: [Records; 4],
    /// The names of the structs generated, and where each input's end.
    names_made: Vec<(String, bool)>,
    names_ends: Vec<usize>,
    /// The items put out, and where each input's end.
    outputs: Vec<ast::Item>,
    output_ends: Vec<usize>,
    /// How many inputs this desugaring took from the one before.
    kept: usize,
}

#[derive(Default)]
struct Records {
    applied: Vec<Applied>,
    diags: Vec<Diagnostic>,
    /// Per input, how many records there were when it was done.
    ends: Vec<(usize, usize)>,
}

impl Records {
    /// The records of the first `kept` inputs.
    fn before(&self, kept: usize) -> (&[Applied], &[Diagnostic]) {
        let (applied, diags) = kept.checked_sub(1).map_or((0, 0), |i| self.ends[i]);
        (&self.applied[..applied], &self.diags[..diags])
    }
}

impl DesugarMemo {
    /// How many input items this desugaring took from the one before, and
    /// how many it desugared.
    pub fn counts(&self) -> (usize, usize) {
        (self.kept, self.inputs.len() - self.kept)
    }

    /// How many of its first items `items` shares with the inputs here.
    fn shared_prefix(&self, items: &[ast::Item]) -> usize {
        items
            .iter()
            .zip(&self.inputs)
            .take_while(|(a, b)| ast::same_item(a, b))
            .count()
    }

    /// Where the first `kept` inputs' entries end in a list of ends.
    fn end(ends: &[usize], kept: usize) -> usize {
        kept.checked_sub(1).map_or(0, |i| ends[i])
    }
}

/// [`desugar`], taking what it can from the desugaring before (rule
/// desugar-reuse), and what the next desugaring may take from this one
/// (none for a Rust file, whose functions are desugared with its items).
pub fn desugar_reusing(
    file: &ast::File,
    earlier: Option<&DesugarMemo>,
) -> (Desugared, Option<DesugarMemo>) {
    desugar_with(file, earlier, true)
}

/// The desugaring of `file`, taking the head of `earlier`, and what the next
/// desugaring may take when it is to be `kept` (a one-shot run keeps
/// nothing, so its records are moved, not copied).
fn desugar_with(
    file: &ast::File,
    earlier: Option<&DesugarMemo>,
    kept_for_next: bool,
) -> (Desugared, Option<DesugarMemo>) {
    // A Rust file's functions are desugared with its items: nothing is kept.
    let kept_for_next = kept_for_next && file.rust.is_none();
    let mut sink = Sink::default();
    let (mut whole, active) = with_prelude(file, &mut sink);
    methods::require_future_trait(&whole, &mut sink);
    let earlier = earlier.filter(|e| e.active == active && file.rust.is_none());
    let inputs = std::mem::take(&mut whole.items);
    let taken = methods::names_taken(&inputs);
    let mut goals = std::mem::take(&mut whole.goals);
    let mut expected_errors = std::mem::take(&mut whole.expected_errors);
    let mut rust = whole.rust.take();

    // The items kept: those shared with the inputs before, up to the first
    // whose generated struct a fresh desugaring might name otherwise (it
    // took another name than the first it tried, or that name is taken).
    let mut kept = earlier.map_or(0, |e| e.shared_prefix(&inputs));
    let mut names = taken.clone();
    if let Some(e) = earlier {
        'items: for i in 0..kept {
            let made = &e.names_made[DesugarMemo::end(&e.names_ends, i)..e.names_ends[i]];
            for (name, first_tried) in made {
                if !first_tried || names.contains(name) {
                    kept = i;
                    break 'items;
                }
                names.insert(name.clone());
            }
        }
    }

    let mut passes: [Sink; 4] = Default::default();
    let mut rest;
    let traits;
    loop {
        // Step 1 on the items after those kept, and on the goals (kept as
        // written while the traits may yet turn out changed).
        let again = kept > 0;
        rest = FreedAsideOnStop::new(ast::File {
            items: inputs[kept..].to_vec(),
            goals: if again {
                goals.clone()
            } else {
                std::mem::take(&mut goals)
            },
            expected_errors: if again {
                expected_errors.clone()
            } else {
                std::mem::take(&mut expected_errors)
            },
            rust: rust.take(),
            ..ast::File::clone(&whole)
        });
        methods::async_step(&mut rest, &mut passes[0]);
        sized::implicit_sized(&mut rest, active, &mut passes[1]);
        let kept_traits = earlier
            .map(|e| &e.step_one_traits[..kept])
            .unwrap_or_default()
            .iter()
            .flatten();
        let found = collect_traits(kept_traits.chain(&rest.items));
        match earlier {
            // The traits changed: every item is desugared again.
            Some(e) if kept > 0 && e.traits != found => {
                rust = rest.into_inner().rust;
                passes = Default::default();
                kept = 0;
                names = taken.clone();
            }
            _ => {
                traits = found;
                break;
            }
        }
    }
    let step_one: Vec<Option<ast::Item>> = rest
        .items
        .iter()
        .map(|i| matches!(i, ast::Item::Trait(_)).then(|| i.clone()))
        .collect();
    methods::gat_step(&mut rest, &traits, &mut names, &mut passes[2]);
    rtn::rtn_step(&mut rest, &traits, &mut passes[3]);
    let mut rest = rest.into_inner();

    // What the passes made of each input after those kept: `gat_step`
    // counts its outputs per input, `rtn_step` per output of `gat_step`.
    let gat_ends = &passes[2].ends;
    let rtn_end = |gat_end: usize| {
        gat_end
            .checked_sub(1)
            .map_or(0, |j| passes[3].ends[j].outputs)
    };
    let rest_output_ends: Vec<usize> = gat_ends.iter().map(|e| rtn_end(e.outputs)).collect();
    let rest_pass_ends: [Vec<(usize, usize)>; 4] = std::array::from_fn(|k| {
        (0..gat_ends.len())
            .map(|i| {
                let at = if k == 3 {
                    gat_ends[i].outputs.checked_sub(1)
                } else {
                    Some(i)
                };
                at.map_or((0, 0), |j| {
                    (passes[k].ends[j].applied, passes[k].ends[j].diags)
                })
            })
            .collect()
    });

    // The desugared file: the kept inputs' outputs, then the rest's; the
    // records: per pass, the kept inputs', then the rest's.
    let kept_outputs = earlier.map_or(0, |e| DesugarMemo::end(&e.output_ends, kept));
    let mut items = Vec::with_capacity(kept_outputs + rest.items.len());
    if let Some(e) = earlier {
        items.extend(e.outputs[..kept_outputs].iter().cloned());
    }
    items.append(&mut rest.items);
    let mut memo_passes: [Records; 4] = Default::default();
    for (k, pass) in passes.iter_mut().enumerate() {
        let (applied, diags) = earlier.map_or((&[][..], &[][..]), |e| e.passes[k].before(kept));
        let (applied_before, diags_before) = (applied.len(), diags.len());
        let records = &mut memo_passes[k];
        records.applied = applied.to_vec();
        records.applied.append(&mut pass.applied);
        records.diags = diags.to_vec();
        records.diags.append(&mut pass.diags);
        records.ends = earlier.map_or(Vec::new(), |e| e.passes[k].ends[..kept].to_vec());
        records.ends.extend(
            rest_pass_ends[k]
                .iter()
                .map(|&(a, d)| (applied_before + a, diags_before + d)),
        );
        if kept_for_next {
            sink.applied.extend(records.applied.iter().cloned());
            sink.diags.extend(records.diags.iter().cloned());
        } else {
            sink.applied.append(&mut records.applied);
            sink.diags.append(&mut records.diags);
        }
    }
    let names_before = earlier.map_or(0, |e| DesugarMemo::end(&e.names_ends, kept));
    let mut names_made = earlier.map_or(Vec::new(), |e| e.names_made[..names_before].to_vec());
    names_made.append(&mut passes[2].names_made);
    let mut names_ends = earlier.map_or(Vec::new(), |e| e.names_ends[..kept].to_vec());
    names_ends.extend(passes[2].ends.iter().map(|e| names_before + e.names));
    let mut output_ends = earlier.map_or(Vec::new(), |e| e.output_ends[..kept].to_vec());
    output_ends.extend(rest_output_ends.iter().map(|&n| kept_outputs + n));
    let mut step_one_traits = earlier.map_or(Vec::new(), |e| e.step_one_traits[..kept].to_vec());
    step_one_traits.extend(step_one);

    let desugared = ast::File { items, ..rest };
    let memo = kept_for_next.then(|| DesugarMemo {
        inputs,
        active,
        traits,
        step_one_traits,
        passes: memo_passes,
        names_made,
        names_ends,
        outputs: desugared.items.clone(),
        output_ends,
        kept,
    });
    (
        Desugared {
            file: desugared,
            diagnostics: sink.diags,
            applied: sink.applied,
        },
        memo,
    )
}

fn collect_traits<'i>(items: impl IntoIterator<Item = &'i ast::Item>) -> Traits {
    let mut traits = Traits::new();
    for item in items {
        if let ast::Item::Trait(t) = item {
            let info = TraitInfo {
                params: t.params.clone(),
                assoc_types: t
                    .assoc_ty_defns
                    .iter()
                    .map(|a| a.name.text.clone())
                    .collect(),
                methods: t
                    .methods
                    .iter()
                    .map(|m| {
                        let returns_impl_trait = m.sig.is_async
                            || matches!(
                                m.sig.return_type,
                                Some(ast::Ty {
                                    kind: ast::TyKind::ImplTrait(_),
                                    ..
                                })
                            );
                        (
                            m.sig.name.text.clone(),
                            MethodInfo {
                                params: m.sig.params.clone(),
                                returns_impl_trait,
                                span: m.sig.span,
                            },
                        )
                    })
                    .collect(),
            };
            traits.insert(t.name.text.clone(), info);
        }
    }
    traits
}

#[cfg(test)]
mod tests;

/// Rule run-deadline: desugaring stops at the run's deadline, between
/// items, saying how far it got.
pub(crate) fn checkpoint(done: usize, total: usize, span: chalkboard_syntax::ast::Span) {
    chalkboard_syntax::deadline::checkpoint("desugaring", done, total, "items desugared", span);
}
