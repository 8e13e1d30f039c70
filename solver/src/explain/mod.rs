//! Why a goal holds or fails, as a tree of named rules (`chalkboard explain`).
//!
//! chalk answers "No possible solution" and stops there; its solutions carry
//! no derivation. This module rebuilds one, with chalk's public pieces: the
//! clauses that could prove a domain goal (`program_clauses_that_could_match`,
//! the custom clauses and the environment's), an inference table to unify a
//! clause's head with the goal, and chalk's own solver to answer every node.
//!
//! - Each [`Node`] is a goal, or a clause tried for its parent goal, with its
//!   [`Status`]: what chalk's solver (SLG, as the checks use) says of exactly
//!   that goal, so the tree never contradicts the answer. When a node's
//!   status cannot be read off its children (chalk's SLG and this tree search
//!   are different algorithms), the node says so ([`Node::consistent`]) and
//!   so does the [`Explanation`] ([`Explanation::agrees`]).
//! - Each clause is named by its [`Origin`]: an impl with its source span, an
//!   auto trait's rule with the struct's fields, a hypothesis, an implied
//!   bound, a registry rule (`conditional-bound-to-clause`, `design-boxed`,
//!   `rtn-to-gat-bound`, ...), one of chalk's builtin rules, a negative impl.
//! - For a failure every alternative is shown, down to the subgoal where it
//!   broke; for a success, the first derivation chalk's answer rests on.
//! - Depth, breadth, node count and time are bounded ([`ExplainLimits`]); a
//!   node whose children were not explored says why ([`Cut`]).
//!
//! [`blame`] walks a tree to its most specific failing leaf, for diagnostics.
//!
//! | module | role |
//! |---|---|
//! | `engine` | the search: goals, clauses, unification, chalk's answers |
//! | `origin` | which item, rule or hypothesis a clause came from |
//! | `source` | what the syntax tree knows: item headers, fields, the prelude, generated items |
//! | `hints` | names and rules of a goal's quantifiers and hypotheses, from its syntax |
//! | `names` | printing goals with placeholders and inference variables named |
//! | [`blame`] | the most specific failing leaf, and the sentence that names it |
//! | [`file`] | explaining the goals of a file through the pipeline |
//! | [`wf`] | leaf-precise well-formedness diagnostics |
//!
//! Architecture invariant: nothing here prints; the CLI renders trees.

pub mod blame;
mod engine;
pub mod file;
pub mod hints;
mod names;
mod origin;
pub mod source;
pub mod wf;

use std::sync::Arc;
use std::time::Duration;

use chalk_ir::Goal;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::Span;
use chalkboard_syntax::registry::Rule;

pub use blame::{most_specific_failure, Blame};
pub use hints::HintTree;
pub use source::SourceMap;

/// What chalk's solver says of one node's goal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Status {
    /// A unique solution.
    Holds,
    /// No possible solution.
    Fails,
    /// An ambiguous solution.
    Ambiguous,
    /// Not decided: the solver hit a limit (deadline, overflow) or panicked,
    /// or the explanation ran out of time before asking.
    Limit,
}

impl Status {
    /// `holds`, `fails`, `ambiguous` or `limit` (the JSON spelling).
    pub fn word(self) -> &'static str {
        match self {
            Status::Holds => "holds",
            Status::Fails => "fails",
            Status::Ambiguous => "ambiguous",
            Status::Limit => "limit",
        }
    }

    /// As a verb in a sentence: `holds`, `fails`, `is ambiguous`, `was not
    /// decided`.
    pub fn verb(self) -> &'static str {
        match self {
            Status::Holds => "holds",
            Status::Fails => "fails",
            Status::Ambiguous => "is ambiguous",
            Status::Limit => "was not decided",
        }
    }

    /// The status of a solver's outcome.
    pub fn of(outcome: &crate::solve::Outcome) -> Status {
        use crate::solve::AnswerKind;
        match outcome.kind() {
            AnswerKind::Unique => Status::Holds,
            AnswerKind::NoSolution => Status::Fails,
            AnswerKind::Ambiguous | AnswerKind::Enumerated => Status::Ambiguous,
            AnswerKind::Limit | AnswerKind::Internal => Status::Limit,
        }
    }
}

/// Whether a node is a goal, a clause tried for its parent goal, or one
/// answer of a part of a conjunction (the other parts with its values).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NodeKind {
    Goal,
    Clause,
    /// chalk's SLG solver tries a conjunction's parts answer by answer: when
    /// no part fails on its own, each answer of an ambiguous part is a case,
    /// and the conjunction fails when every case does.
    Case,
}

/// The kind of step a node stands for: how a goal is taken apart, or where
/// the clause tried for it came from.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum StepKind {
    /// `forall<..> { G }`: `G` for arbitrary (placeholder) values.
    ForAll,
    /// `exists<..> { G }`: `G` for some values, found by unification.
    Exists,
    /// `if (H..) { G }`: `G` with the hypotheses added to the environment.
    Implies,
    /// `G1, G2, ..`: every conjunct.
    All,
    /// `not { G }`.
    Not,
    /// `A = B` or `Subtype(A, B)`: unification, chalk's builtin.
    Unify,
    /// A domain goal (`T: Trait`, `WellFormed(..)`, ..), proven by clauses.
    Domain,
    /// A goal chalk can never prove (`CannotProve`).
    CannotProve,
    /// A clause of an impl (`Implemented-From-Impl`, `Normalize-From-Impl`).
    Impl,
    /// A negative impl: it gives no clause, and so the auto trait's
    /// automatic impl does not apply either.
    NegativeImpl,
    /// An auto trait's automatic impl: the type's fields must implement it.
    AutoTrait,
    /// A hypothesis of the environment (`if (..)`, an impl's where clauses).
    Hypothesis,
    /// A clause a trait, associated type or type declaration gives (implied
    /// bounds, well-formedness, normalization).
    Declaration,
    /// A custom program clause written as `forall<..> { .. }`.
    CustomClause,
    /// A clause a conditional bound gives callers (rule
    /// `conditional-bound-to-clause`).
    ConditionalBound,
    /// One of chalk's builtin rules (`Sized`, `Copy`, fn pointers, tuples,
    /// aliases, `dyn` types, outlives).
    Builtin,
    /// One answer of an ambiguous part of a conjunction.
    Answer,
}

impl StepKind {
    /// The kebab-case name used in JSON and in the docs.
    pub fn name(self) -> &'static str {
        match self {
            StepKind::ForAll => "forall",
            StepKind::Exists => "exists",
            StepKind::Implies => "implies",
            StepKind::All => "all",
            StepKind::Not => "not",
            StepKind::Unify => "unify",
            StepKind::Domain => "goal",
            StepKind::CannotProve => "cannot-prove",
            StepKind::Impl => "impl",
            StepKind::NegativeImpl => "negative-impl",
            StepKind::AutoTrait => "auto-trait",
            StepKind::Hypothesis => "hypothesis",
            StepKind::Declaration => "declaration",
            StepKind::CustomClause => "custom-clause",
            StepKind::ConditionalBound => "conditional-bound",
            StepKind::Builtin => "builtin",
            StepKind::Answer => "answer",
        }
    }

    /// Every kind, in the order the docs list them.
    pub const ALL: [StepKind; 17] = [
        StepKind::ForAll,
        StepKind::Exists,
        StepKind::Implies,
        StepKind::All,
        StepKind::Not,
        StepKind::Unify,
        StepKind::Domain,
        StepKind::CannotProve,
        StepKind::Impl,
        StepKind::NegativeImpl,
        StepKind::AutoTrait,
        StepKind::Hypothesis,
        StepKind::Declaration,
        StepKind::CustomClause,
        StepKind::ConditionalBound,
        StepKind::Builtin,
        StepKind::Answer,
    ];
}

/// Where a source location is: in the file, or in the prelude (whose items
/// carry the span of the `use prelude::*;` line).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Place {
    /// A span of the explained file.
    File(Span),
    /// A line of the prelude (`chalkboard prelude` prints it).
    Prelude { line: usize },
}

/// What a node stands for: how its goal is taken apart, or where its clause
/// came from.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Step {
    pub kind: StepKind,
    /// The registry rule behind the step, when one is (a desugaring, lowering
    /// or design rule, e.g. `rtn-to-gat-bound`).
    pub rule: Option<Rule>,
    /// chalk's own name for the clause's rule, e.g. `Implemented-From-Impl`.
    pub chalk_rule: Option<&'static str>,
    /// In words, e.g. `impl<T> !Send for Rc<T>`, or `for every H`.
    pub text: String,
    /// Where the item, clause or hypothesis was written.
    pub place: Option<Place>,
}

impl Step {
    pub(crate) fn new(kind: StepKind, text: impl Into<String>) -> Step {
        Step {
            kind,
            rule: None,
            chalk_rule: None,
            text: text.into(),
            place: None,
        }
    }

    /// The registry rule's name, or else the kind's (the JSON `rule`).
    pub fn rule_name(&self) -> &'static str {
        self.rule.map_or(self.kind.name(), |r| r.name)
    }
}

/// What a subgoal stands for in its clause: a field of the type whose auto
/// trait impl is tried, a where clause of the impl.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct About {
    /// e.g. `field held0`, `where clause T: Send`.
    pub text: String,
    /// The field's or where clause's place.
    pub place: Option<Place>,
    /// The node stands for a value an `async fn`'s future holds (a field of
    /// a future struct of rule `impl-async-fn-to-future-struct`).
    pub held_by_future: bool,
}

/// Why a node's children were not explored.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cut {
    /// The tree reached its depth limit.
    Depth,
    /// The tree reached its node limit.
    Nodes,
    /// The goal has more alternatives than the breadth limit shows.
    Breadth,
    /// The explanation's deadline passed.
    Time,
    /// The same goal is being proven further up: a cycle (auto traits are
    /// coinductive, so chalk counts such a cycle as holding).
    Cycle,
}

impl Cut {
    pub fn word(self) -> &'static str {
        match self {
            Cut::Depth => "depth",
            Cut::Nodes => "nodes",
            Cut::Breadth => "breadth",
            Cut::Time => "time",
            Cut::Cycle => "cycle",
        }
    }

    /// In words, for the tree's marker.
    pub fn reason(self) -> &'static str {
        match self {
            Cut::Depth => "cut off: the depth limit was reached (`--max-depth`)",
            Cut::Nodes => "cut off: the node limit was reached (`--max-nodes`)",
            Cut::Breadth => {
                "cut off: more alternatives than the breadth limit shows (`--max-breadth`)"
            }
            Cut::Time => "cut off: the explanation's deadline passed (`--timeout`)",
            Cut::Cycle => "cut off: this goal is already being proven above (a cycle)",
        }
    }
}

/// One node of an explanation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Node {
    pub kind: NodeKind,
    /// The goal, printed with names (for a clause node: the goal the clause
    /// was tried for, as its head unified it).
    pub goal: String,
    pub status: Status,
    pub step: Step,
    /// What this subgoal stands for in its parent clause, if known.
    pub about: Option<About>,
    pub children: Vec<Node>,
    /// Set when the children were not explored.
    pub cut: Option<Cut>,
    /// How many alternatives were left out (a success shows one
    /// derivation; `--max-breadth` bounds a failure's).
    pub omitted: usize,
    /// A remark: why a goal no clause proves fails, or why its status is
    /// not its children's.
    pub note: Option<String>,
    /// False when the status chalk gives this node cannot be read off its
    /// children's (see the module docs).
    pub consistent: bool,
    /// The goal is ambiguous asked alone, but holds as a part of a
    /// conjunction (or of a clause's conditions): its first answer binds no
    /// variable and is not ambiguous, and chalk's SLG solver takes such an
    /// answer of a part and looks no further. Asked alone, chalk reports
    /// every answer, and answers that differ only in their lifetime
    /// constraints make the goal ambiguous.
    pub holds_as_part: bool,
}

impl Node {
    /// The node and all its descendants, depth first.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// Limits of one explanation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExplainLimits {
    /// Nodes deeper than this are not expanded.
    pub max_depth: usize,
    /// At most this many alternatives of one goal are shown.
    pub max_breadth: usize,
    /// At most this many nodes in the whole tree.
    pub max_nodes: usize,
    /// Wall-clock deadline for the whole explanation.
    pub timeout: Duration,
}

impl Default for ExplainLimits {
    fn default() -> Self {
        ExplainLimits {
            max_depth: 24,
            max_breadth: 12,
            max_nodes: 400,
            timeout: Duration::from_secs(10),
        }
    }
}

/// The explanation of one goal.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Explanation {
    /// The root's status: chalk's answer for the goal.
    pub status: Status,
    /// chalk's answer as its harness prints it.
    pub answer: String,
    /// chalk panicked answering the goal (the panic was caught).
    pub panicked: bool,
    /// Every node's status can be read off its children's (where they were
    /// explored). When false, the tree is shown with the nodes marked, and
    /// `disagreement` says where.
    pub agrees: bool,
    pub disagreement: Option<String>,
    /// Some node was cut off by a limit (depth, breadth, nodes, time; a
    /// cycle is no limit).
    pub cut: bool,
    /// Absent when the explanation itself failed (chalk panicked or the
    /// deadline passed before the root was answered); `error` says why.
    pub tree: Option<Node>,
    pub error: Option<String>,
}

/// Explains `goal` (lowered against `program`) with the names and rules its
/// syntax gives (`hints`) and the items' sources (`source`), on a worker
/// thread under the explanation's deadline.
pub fn explain_goal(
    program: &Arc<Program>,
    source: &Arc<SourceMap>,
    goal: Goal<Ir>,
    hints: HintTree,
    limits: &ExplainLimits,
) -> Explanation {
    let deadline = std::time::Instant::now() + limits.timeout;
    let (program_c, source_c, limits_c) = (Arc::clone(program), Arc::clone(source), *limits);
    let result = crate::solve::guarded(deadline, move || {
        chalkboard_lowering::with_program(&program_c, || {
            engine::Engine::new(&program_c, &source_c, &limits_c, deadline).explain(goal, &hints)
        })
    });
    match result {
        Some(Ok(explanation)) => explanation,
        Some(Err(panic)) => Explanation::failed(format!("chalk panicked: {panic}")),
        None => Explanation::failed(
            "the explanation did not finish before its deadline (`--timeout`)".to_string(),
        ),
    }
}

/// Explains `goal` on the calling thread, which must already run guarded
/// (a worker thread with `catch_unwind`, as `check` and the layer's checks
/// do) with `program` installed for printing.
pub fn explain_goal_here(
    program: &Program,
    source: &SourceMap,
    goal: Goal<Ir>,
    hints: &HintTree,
    limits: &ExplainLimits,
) -> Explanation {
    let deadline = std::time::Instant::now() + limits.timeout;
    engine::Engine::new(program, source, limits, deadline).explain(goal, hints)
}

/// Explains a goal written as syntax (a check's goal, built from the
/// program's own items) against `program`; `None` when it does not lower.
pub fn explain_syntax(
    program: &Arc<Program>,
    source: &Arc<SourceMap>,
    goal: &chalkboard_syntax::ast::Goal,
    limits: &ExplainLimits,
) -> Option<Explanation> {
    let lowered =
        chalkboard_lowering::with_program(program, || program.lower_goal(goal).map_err(Box::new))
            .ok()?;
    let hints = HintTree::from_syntax(goal, &lowered, source.applied());
    Some(explain_goal(program, source, lowered, hints, limits))
}

impl Explanation {
    fn failed(error: String) -> Explanation {
        Explanation {
            status: Status::Limit,
            answer: String::new(),
            panicked: false,
            agrees: false,
            disagreement: None,
            cut: true,
            tree: None,
            error: Some(error),
        }
    }
}
