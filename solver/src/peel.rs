//! Peeling a goal as chalk's harness does (`GoalExt::into_peeled_goal`),
//! keeping the names the user gave the variables it turns into
//! placeholders, so that a lifetime constraint on `'!1_0` can be reported as
//! one on `'a`.
//!
//! The peeling is chalk's own, step for step: each outer `forall` is
//! instantiated with placeholders of a new universe, each `exists` with
//! inference variables, each `if` moves its clauses into the environment;
//! then the goal is canonicalized and its universes made compact. The
//! compaction renumbers universes, and chalk's map from the new numbers to
//! the old ones gives each placeholder its name.

use chalk_ir::{
    Environment, Goal, GoalData, InEnvironment, QuantifierKind, UCanonical, UniverseIndex,
};
use chalk_solve::infer::InferenceTable;
use chalkboard_lowering::interner::Ir;
use chalkboard_syntax::ast;

/// A peeled goal, and the names of its placeholders.
pub struct Peeled {
    pub goal: UCanonical<InEnvironment<Goal<Ir>>>,
    pub names: PlaceholderNames,
}

/// The user's name of each placeholder of a peeled goal, by universe (as
/// the solution prints it) and index.
#[derive(Clone, Debug, Default)]
pub struct PlaceholderNames {
    /// `by_universe[u][i]` names `!u_i`; universe 0 has no placeholders.
    by_universe: Vec<Vec<String>>,
}

impl PlaceholderNames {
    pub fn name(&self, universe: usize, index: usize) -> Option<&str> {
        self.by_universe
            .get(universe)
            .and_then(|names| names.get(index))
            .map(String::as_str)
    }
}

/// Peels `goal` (lowered from `written`) as chalk's `into_peeled_goal` does.
pub fn peel(goal: Goal<Ir>, written: &ast::Goal) -> Peeled {
    let mut infer = InferenceTable::<Ir>::new();
    let mut env_goal = InEnvironment::new(&Environment::new(Ir), goal);
    // How many `forall`s were peeled: the `k`-th gets universe `k`.
    let mut foralls = 0;
    let peeled = loop {
        let InEnvironment { environment, goal } = env_goal;
        match goal.data(Ir) {
            GoalData::Quantified(QuantifierKind::ForAll, subgoal) => {
                foralls += 1;
                let subgoal = infer.instantiate_binders_universally(Ir, subgoal.clone());
                env_goal = InEnvironment::new(&environment, subgoal);
            }
            GoalData::Quantified(QuantifierKind::Exists, subgoal) => {
                let subgoal = infer.instantiate_binders_existentially(Ir, subgoal.clone());
                env_goal = InEnvironment::new(&environment, subgoal);
            }
            GoalData::Implies(clauses, subgoal) => {
                let environment = environment.add_clauses(Ir, clauses.iter(Ir).cloned());
                env_goal = InEnvironment::new(&environment, Goal::clone(subgoal));
            }
            _ => break InEnvironment::new(&environment, goal),
        }
    };
    let canonical = infer.canonicalize(Ir, peeled).quantified;
    let compact = InferenceTable::u_canonicalize(Ir, &canonical);
    // The written goal's chain of quantifiers names the peeled `forall`s; a
    // chain that does not line up (it always does, since lowering keeps the
    // shape) gives no names rather than wrong ones.
    let written_foralls = written_chain(written);
    let names = if written_foralls.len() == foralls {
        let original: Vec<Vec<String>> =
            std::iter::once(Vec::new()).chain(written_foralls).collect();
        PlaceholderNames {
            by_universe: compact
                .universes
                .universes
                .iter()
                .map(|UniverseIndex { counter }| {
                    original.get(*counter).cloned().unwrap_or_default()
                })
                .collect(),
        }
    } else {
        PlaceholderNames::default()
    };
    Peeled {
        goal: compact.quantified,
        names,
    }
}

/// The parameter names of each `forall` on the chain that peeling walks
/// (quantifiers and `if`s, outermost first), as lowering keeps them (an
/// empty quantifier disappears).
fn written_chain(goal: &ast::Goal) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut goal = goal;
    loop {
        match &goal.kind {
            ast::GoalKind::ForAll(params, body) => {
                if !params.is_empty() {
                    out.push(params.iter().map(param_name).collect());
                }
                goal = body;
            }
            ast::GoalKind::Exists(_, body) | ast::GoalKind::Implies(_, body) => goal = body,
            _ => return out,
        }
    }
}

fn param_name(p: &ast::VariableKind) -> String {
    p.name.text.clone()
}
