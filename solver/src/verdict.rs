//! Verdicts: whether something holds, fails or could not be decided, with
//! the reason, as the designs' checks, `compare` and every goal report them.

use std::sync::Arc;

use chalk_ir::{Constraint, InEnvironment, ProgramClause};
use chalk_solve::Solution;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;

use crate::describe::Describe;
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

/// What a goal's verdict reads besides chalk's answers: the program, the
/// environment of the goal as peeled (its hypotheses) and the user's names
/// of its placeholders.
pub struct GoalContext<'a> {
    pub program: &'a Arc<Program>,
    pub environment: Vec<ProgramClause<Ir>>,
    pub names: &'a PlaceholderNames,
}

impl GoalContext<'_> {
    /// Rule [`region-decision`](crate::rules::REGION_DECISION) on the
    /// constraints of one answer.
    fn decide(&self, constraints: &[InEnvironment<Constraint<Ir>>]) -> RegionDecision {
        chalkboard_lowering::with_program(self.program, || {
            let describe = Describe {
                program: self.program,
                names: self.names,
            };
            crate::regions::decide(
                self.program,
                constraints,
                &self.environment,
                &|c: &Constraint<Ir>| describe.constraint(c),
            )
        })
    }

    /// The verdict of one outcome of the goal, deciding the lifetime
    /// constraints of a unique answer (or of an enumeration's first definite
    /// answer).
    pub fn outcome_verdict(&self, outcome: &Outcome) -> Verdict {
        let text = outcome.render(Some(self.program));
        let constraints = match outcome {
            Outcome::Solved(Some(Solution::Unique(s))) => s.value.constraints.as_slice(Ir).to_vec(),
            Outcome::Enumerated { answers, .. } => answers
                .iter()
                .find_map(|a| match a {
                    EnumeratedAnswer::Definite(s) => {
                        Some(s.value.constraints.as_slice(Ir).to_vec())
                    }
                    _ => None,
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let plain = match plain_word(outcome) {
            "holds" => Verdict::holds(text),
            "fails" => Verdict::fails(text),
            _ => Verdict::ambiguous(text),
        };
        if constraints.is_empty() || plain.word() != "holds" {
            return plain;
        }
        region_verdict(self.decide(&constraints))
    }

    /// An ambiguous answer refined by the enumeration of every answer: when
    /// the answers differ only in their lifetime constraints (chalk's SLG
    /// solver finds `H: 'static` both from a hypothesis and as a constraint,
    /// and calls the two answers ambiguous), the goal holds if the
    /// constraints of one answer hold, and fails if those of none do.
    /// `None` when the enumeration does not settle it.
    pub fn refine_ambiguous(&self, enumerated: &Outcome) -> Option<Verdict> {
        let Outcome::Enumerated {
            answers,
            complete: true,
        } = enumerated
        else {
            return None;
        };
        let mut definite = Vec::new();
        for a in answers {
            match a {
                EnumeratedAnswer::Definite(s) => definite.push(s),
                _ => return None,
            }
        }
        let first = definite.first()?;
        let same_substitution = definite
            .iter()
            .all(|s| s.binders == first.binders && s.value.subst == first.value.subst);
        if !same_substitution {
            return None;
        }
        let mut failure = None;
        for s in &definite {
            match self.decide(s.value.constraints.as_slice(Ir)) {
                RegionDecision::Holds { constraints } => {
                    let why = if constraints.is_empty() {
                        "one of chalk's answers needs no lifetime constraint".to_string()
                    } else {
                        format!(
                            "the lifetime constraints of one of chalk's answers hold: {}",
                            quoted_list(&constraints)
                        )
                    };
                    return Some(Verdict::holds(why));
                }
                RegionDecision::Undecided { .. } => return None,
                fails => {
                    failure.get_or_insert(fails);
                }
            }
        }
        failure.map(region_verdict)
    }
}

/// The verdict a region decision gives a unique answer.
fn region_verdict(decision: RegionDecision) -> Verdict {
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

/// The verdict of the two default solvers together: the same word is that
/// verdict; a decided verdict wins over an ambiguous one (a solver that
/// timed out or could not decide does not undo the other's proof); `holds`
/// against `fails` is ambiguous.
pub fn combine(slg: Verdict, recursive: Verdict, disagreement: impl FnOnce() -> String) -> Verdict {
    match (slg.word(), recursive.word()) {
        (a, b) if a == b => slg,
        (_, "ambiguous") => slg,
        ("ambiguous", _) => recursive,
        _ => Verdict::ambiguous(disagreement()),
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
