//! Verdicts: whether something holds, fails or could not be decided, with
//! the reason, as the designs' checks, `compare` and every goal report them.

use std::sync::Arc;

use chalk_ir::Constraint;
use chalk_solve::Solution;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;

use crate::peel::PlaceholderNames;
use crate::regions::RegionDecision;
use crate::solve::{EnumeratedAnswer, Outcome};

/// The verdict of one check, with its reason in words.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Verdict {
    Holds { reason: String },
    Fails { reason: String },
    Ambiguous { reason: String },
}

impl Verdict {
    pub fn holds(reason: impl Into<String>) -> Verdict {
        Verdict::Holds {
            reason: reason.into(),
        }
    }

    pub fn fails(reason: impl Into<String>) -> Verdict {
        Verdict::Fails {
            reason: reason.into(),
        }
    }

    pub fn ambiguous(reason: impl Into<String>) -> Verdict {
        Verdict::Ambiguous {
            reason: reason.into(),
        }
    }

    /// `holds`, `fails` or `ambiguous`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Holds { .. } => "holds",
            Verdict::Fails { .. } => "fails",
            Verdict::Ambiguous { .. } => "ambiguous",
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Verdict::Holds { reason }
            | Verdict::Fails { reason }
            | Verdict::Ambiguous { reason } => reason,
        }
    }
}

/// The verdict of one goal: whether it holds, fails or is ambiguous, read
/// from chalk's answer and, for a unique answer with lifetime constraints,
/// from the region decision ([`crate::regions`]).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GoalVerdict {
    pub verdict: Verdict,
    /// The verdict says something the answers do not: the lifetime
    /// constraints of a unique answer cannot be proven, the solvers
    /// disagree, or a goal error stands in for the answer. Text output
    /// prints the verdict of a chalk program only then, so that chalk's own
    /// programs print exactly what chalk's harness prints.
    pub beyond_answer: bool,
}

impl GoalVerdict {
    /// `holds`, `fails` or `ambiguous`.
    pub fn word(&self) -> &'static str {
        self.verdict.word()
    }

    pub fn reason(&self) -> &str {
        self.verdict.reason()
    }

    /// The verdict of a goal that could not be run: `why` says why.
    pub fn not_run(why: impl Into<String>) -> GoalVerdict {
        GoalVerdict {
            verdict: Verdict::fails(why),
            beyond_answer: true,
        }
    }
}

/// The verdict that an outcome reads as on its own, before the lifetime
/// constraints are decided: `Unique` holds, `No possible solution` fails,
/// everything else is ambiguous; an enumeration holds when it found a
/// definite answer and fails when it completed without one.
pub fn plain_word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Solved(Some(Solution::Unique(_))) => "holds",
        Outcome::Solved(None) => "fails",
        Outcome::Enumerated { answers, complete } => {
            if answers
                .iter()
                .any(|a| matches!(a, EnumeratedAnswer::Definite(_)))
            {
                "holds"
            } else if *complete && answers.is_empty() {
                "fails"
            } else {
                "ambiguous"
            }
        }
        _ => "ambiguous",
    }
}

/// The verdict of one outcome of a goal against `program`, deciding the
/// lifetime constraints of a unique answer. `names` are the goal's
/// placeholder names, for the reason's text.
pub fn outcome_verdict(
    program: &Arc<Program>,
    outcome: &Outcome,
    names: &PlaceholderNames,
) -> Verdict {
    let text = outcome.render(Some(program));
    let constraints = match outcome {
        Outcome::Solved(Some(Solution::Unique(s))) => s.value.constraints.as_slice(Ir).to_vec(),
        Outcome::Enumerated { answers, .. } => answers
            .iter()
            .find_map(|a| match a {
                EnumeratedAnswer::Definite(s) => Some(s.value.constraints.as_slice(Ir).to_vec()),
                _ => None,
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let plain = match plain_word(outcome) {
        "holds" => Verdict::holds(text.clone()),
        "fails" => Verdict::fails(text.clone()),
        _ => Verdict::ambiguous(text.clone()),
    };
    if constraints.is_empty() || plain.word() != "holds" {
        return plain;
    }
    let decision = chalkboard_lowering::with_program(program, || {
        let describe = |c: &Constraint<Ir>| {
            let raw = match c {
                Constraint::LifetimeOutlives(a, b) => format!("{a:?}: {b:?}"),
                Constraint::TypeOutlives(t, l) => format!("{t:?}: {l:?}"),
            };
            names.rename(&raw)
        };
        crate::regions::decide(program, &constraints, &describe)
    });
    match decision {
        RegionDecision::Holds { constraints } => Verdict::holds(format!(
            "the lifetime constraints hold: {}",
            quoted_list(&constraints)
        )),
        RegionDecision::Fails {
            unproven,
            required_by,
        } => Verdict::fails(match required_by {
            Some(by) => format!("`{unproven}` cannot be proven (required by `{by}`)"),
            None => format!("`{unproven}` cannot be proven"),
        }),
        RegionDecision::Undecided { constraint } => Verdict::ambiguous(format!(
            "the lifetime constraint `{constraint}` cannot be decided"
        )),
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
