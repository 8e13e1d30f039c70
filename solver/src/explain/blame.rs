//! The most specific failing leaf of an explanation, the way rustc's new
//! solver picks the "best obligation" for a diagnostic: follow the failing
//! nodes down from the goal, through a clause only when it is the one
//! alternative left (a goal several clauses fail for is where the chain
//! stops), and through a clause's conditions only when exactly one fails.
//! The result is a chain of links from the goal to the leaf, which reads as
//! one sentence:
//!
//! ```text
//! `<RcCheck as HealthCheck>::check<'a>: Send` is not met: the future holds
//! `Rc<u32>` across an await, and `Rc<u32>: Send` fails because of
//! `impl<T> !Send for Rc<T>` (prelude line 20)
//! ```
//!
//! Another part of chalkboard asks for it with [`most_specific_failure`] on
//! the tree of [`super::explain_goal`] (or [`super::wf`] for an impl).

use chalkboard_syntax::ast::Span;

use super::{Node, NodeKind, Place, Status, StepKind};

/// The chain from an explained goal down to its most specific failing leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blame {
    /// Each node on the way, the explained goal first and the leaf last.
    pub chain: Vec<Node>,
}

/// Whether a node is a goal that is only the decomposition of its child
/// (`forall`, `if`): a sentence skips those.
fn structural(node: &Node) -> bool {
    node.kind == NodeKind::Goal
        && matches!(
            node.step.kind,
            StepKind::ForAll | StepKind::Exists | StepKind::Implies | StepKind::All
        )
}

/// The children of a node that share its status (the parts where it broke).
fn failing_parts(node: &Node) -> Vec<&Node> {
    node.children
        .iter()
        .filter(|c| {
            c.status == node.status && c.kind == NodeKind::Goal && !super::engine::asked_open(c)
        })
        .collect()
}

/// Follows `status` (fails, or ambiguous) down from `root` to the most
/// specific node; `None` when the root does not have that status.
pub fn most_specific(root: &Node, status: Status) -> Option<Blame> {
    if root.status != status {
        return None;
    }
    let mut chain = vec![root.clone()];
    let mut current = root;
    loop {
        // A part that holds as a part of a conjunction is no reason for
        // the conjunction's ambiguity, though chalk finds it ambiguous alone.
        let conjunction = current.kind != NodeKind::Goal
            || (current.kind == NodeKind::Goal && current.step.kind == StepKind::All);
        let failing: Vec<&Node> = current
            .children
            .iter()
            .filter(|c| {
                c.status == status
                    && !(conjunction && super::engine::part_status(c) != c.status)
                    // A part asked with values another part gives still
                    // open is no reason a reader can act on: the clause is.
                    && !(conjunction && super::engine::asked_open(c))
            })
            .collect();
        // The "from the environment" candidate of a trait goal fails
        // whenever no hypothesis says so; another failing alternative is
        // the more specific story.
        let informative: Vec<&Node> = if failing.len() > 1 {
            let specific: Vec<&Node> = failing
                .iter()
                .copied()
                .filter(|c| {
                    !matches!(
                        c.step.chalk_rule,
                        Some("Implemented-From-Env" | "AliasEq-Placeholder")
                    )
                })
                .collect();
            if specific.is_empty() {
                failing
            } else {
                specific
            }
        } else {
            failing
        };
        match informative.as_slice() {
            // "No hypothesis says so" is said by the goal's note.
            [only]
                if only.step.chalk_rule == Some("Implemented-From-Env")
                    && current.note.is_some() =>
            {
                break
            }
            [only] => {
                chain.push((*only).clone());
                current = only;
            }
            _ => break,
        }
    }
    // The leaf keeps its children (for the tree), but the chain's other
    // links need not: drop them to keep the value small.
    let n = chain.len();
    for link in &mut chain[..n - 1] {
        link.children.clear();
    }
    Some(Blame { chain })
}

/// The most specific failing leaf of a tree whose root fails.
pub fn most_specific_failure(root: &Node) -> Option<Blame> {
    most_specific(root, Status::Fails)
}

/// How a place reads in a sentence: the prelude's line always; a line of
/// the file when `line_of` knows it (diagnostics point there with a label
/// instead).
fn place_suffix(place: Option<Place>, line_of: &dyn Fn(Span) -> Option<usize>) -> String {
    match place {
        Some(Place::Prelude { line }) => format!(" (prelude line {line})"),
        Some(Place::File(span)) => line_of(span).map_or(String::new(), |l| format!(" (line {l})")),
        None => String::new(),
    }
}

impl Blame {
    /// The most specific node.
    pub fn leaf(&self) -> &Node {
        self.chain.last().expect("a blame has at least its goal")
    }

    /// The first domain goal of the chain: what is "not met".
    pub fn head(&self) -> &Node {
        self.chain
            .iter()
            .find(|n| n.kind == NodeKind::Goal && n.step.kind == StepKind::Domain)
            .unwrap_or(&self.chain[0])
    }

    /// Why the head is not met, from the head down to the leaf, e.g. "the
    /// future holds `Rc<u32>` across an await, and `Rc<u32>: Send` fails
    /// because of `impl<T> !Send for Rc<T>` (prelude line 20)".
    pub fn reason(&self, line_of: &dyn Fn(Span) -> Option<usize>) -> String {
        let head_at = self
            .chain
            .iter()
            .position(|n| std::ptr::eq(n, self.head()))
            .unwrap_or(0);
        let mut parts = Vec::new();
        let links = &self.chain[head_at..];
        for (i, link) in links.iter().enumerate().skip(1) {
            if link.kind == NodeKind::Case && !std::ptr::eq(link, self.leaf()) {
                parts.push(link.step.text.trim_start_matches("with ").to_string());
            }
            if let Some(about) = &link.about {
                let mut text = about.text.clone();
                if about.text.starts_with("where clause") {
                    // `impl<..> ..` requires `T: Send`: name the impl.
                    if let Some(prev) = links.get(i - 1) {
                        text = format!(
                            "`{}`{} requires `{}`",
                            prev.step.text,
                            place_suffix(prev.step.place, line_of),
                            about
                                .text
                                .trim_start_matches("where clause `")
                                .trim_end_matches("` of the impl")
                        );
                    }
                } else {
                    text.push_str(&place_suffix(about.place, line_of));
                }
                parts.push(text);
            }
        }
        let leaf = self.leaf();
        let ending = match (leaf.kind, leaf.step.kind) {
            (NodeKind::Clause, StepKind::NegativeImpl) => format!(
                "`{}` fails because of `{}`{}",
                leaf.goal,
                leaf.step.text,
                place_suffix(leaf.step.place, line_of)
            ),
            (NodeKind::Clause, _) if failing_parts(leaf).len() > 1 => format!(
                "`{}` {} because {}",
                leaf.goal,
                leaf.status.verb(),
                failing_parts(leaf)
                    .iter()
                    .map(|c| match &c.about {
                        Some(about) => format!(
                            "{}{} (`{}` {})",
                            about.text,
                            place_suffix(about.place, line_of),
                            c.goal,
                            c.status.verb()
                        ),
                        None => format!("`{}` {}", c.goal, c.status.verb()),
                    })
                    .collect::<Vec<_>>()
                    .join(", and ")
            ),
            (NodeKind::Clause, _) => {
                let note = leaf
                    .note
                    .as_deref()
                    .map_or(String::new(), |n| format!(" ({n})"));
                let by = format!(
                    "{}{}",
                    leaf.step.text,
                    place_suffix(leaf.step.place, line_of)
                );
                match leaf.status {
                    Status::Fails => format!("`{}` fails: {by} does not apply{note}", leaf.goal),
                    _ => format!(
                        "`{}` {}: chalk cannot tell whether {by} applies{note}",
                        leaf.goal,
                        leaf.status.verb()
                    ),
                }
            }
            (NodeKind::Case, _) => {
                format!("{}, `{}` {}", leaf.step.text, leaf.goal, leaf.status.verb())
            }
            (NodeKind::Goal, _) => {
                let failing = leaf
                    .children
                    .iter()
                    .filter(|c| c.status == leaf.status)
                    .count();
                if let Some(note) = &leaf.note {
                    format!("`{}` {}: {note}", leaf.goal, leaf.status.verb())
                } else if failing > 1 {
                    format!(
                        "`{}` {}: each of the {failing} clauses that could prove it fails",
                        leaf.goal,
                        leaf.status.verb()
                    )
                } else {
                    format!("`{}` {}", leaf.goal, leaf.status.verb())
                }
            }
        };
        let leaf_is_head = std::ptr::eq(leaf, self.head());
        if leaf_is_head {
            // Nothing between: the note alone is the reason.
            return match &leaf.note {
                Some(note) => note.clone(),
                None => ending,
            };
        }
        if structural(leaf) {
            return parts.join(", and ");
        }
        parts.push(ending);
        parts.join(", and ")
    }

    /// The whole sentence: "`G` is not met: <reason>".
    pub fn sentence(&self, line_of: &dyn Fn(Span) -> Option<usize>) -> String {
        let verb = match self.head().status {
            Status::Ambiguous => "cannot be proven",
            _ => "is not met",
        };
        format!("`{}` {verb}: {}", self.head().goal, self.reason(line_of))
    }

    /// Spans of the file the chain passes through, each with a label, for a
    /// diagnostic's secondary labels: the fields and where clauses on the
    /// way, and the leaf's item when it is in the file.
    pub fn labels(&self) -> Vec<(Span, String)> {
        let mut out = Vec::new();
        for link in &self.chain {
            if let Some(about) = &link.about {
                if let Some(Place::File(span)) = about.place {
                    out.push((
                        span,
                        format!("{}: `{}` {}", about.text, link.goal, link.status.verb()),
                    ));
                }
            }
        }
        let leaf = self.leaf();
        let parts = failing_parts(leaf);
        for part in &parts {
            if let Some(about) = &part.about {
                if let Some(Place::File(span)) = about.place {
                    out.push((
                        span,
                        format!("{}: `{}` {}", about.text, part.goal, part.status.verb()),
                    ));
                }
            }
        }
        if leaf.kind == NodeKind::Clause && parts.is_empty() {
            if let Some(Place::File(span)) = leaf.step.place {
                let label = match (leaf.step.kind, leaf.status) {
                    (StepKind::NegativeImpl, _) => {
                        format!("this negative impl rules out `{}`", leaf.goal)
                    }
                    (_, Status::Fails) => format!("this does not give `{}`", leaf.goal),
                    _ => format!("chalk cannot tell whether this gives `{}`", leaf.goal),
                };
                out.push((span, label));
            }
        }
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}
