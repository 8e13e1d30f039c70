//! The search that builds an explanation, modelled on chalk's recursive
//! solver: a goal is taken apart by its form (quantifiers are instantiated,
//! hypotheses join the environment, conjunctions are split), and a domain
//! goal is tried against every clause that could prove it: the clause is
//! instantiated, its head unified with the goal, and its conditions become
//! the subgoals. Every node's status is chalk's own answer (SLG, max size
//! 10, as the checks use) for exactly that node's goal.
//!
//! One inference table serves the whole tree; each alternative is explored
//! in a snapshot that is rolled back afterwards. Within a conjunction, the
//! parts whose answer is unique are applied first (as chalk's fulfillment
//! loop applies solutions), so later parts print with the values found.

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use chalk_ir::cast::Cast;
use chalk_ir::could_match::CouldMatch;
use chalk_ir::{
    ClausePriority, DomainGoal, Environment, GenericArg, Goal, GoalData, InEnvironment,
    LifetimeData, PlaceholderIndex, ProgramClause, QuantifierKind, TyKind, UCanonical,
    UniverseIndex, UniverseMap, VariableKind, Variance, WhereClause,
};
use chalk_solve::clauses::program_clauses_that_could_match;
use chalk_solve::ext::GoalExt;
use chalk_solve::infer::ucanonicalize::UniverseMapExt;
use chalk_solve::infer::{InferenceTable, ParameterEnaVariableExt};
use chalk_solve::{RustIrDatabase, Solution, Solver};
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;

use super::hints::{HintTree, Hypothesis};
use super::names::{default_names, Namer};
use super::origin::{self, OriginIndex};
use super::source::SourceMap;
use super::{
    About, Cut, ExplainLimits, Explanation, Node, NodeKind, Place, Status, Step, StepKind,
};

/// chalk's answer for one canonical goal.
#[derive(Clone)]
struct Answer {
    status: Status,
    solution: Option<Solution<Ir>>,
    /// chalk panicked; its message.
    panic: Option<String>,
    /// The solution is ambiguous, but the first answer chalk found binds no
    /// variable and is not ambiguous itself (see `holds_as_part`).
    first_binds_nothing: bool,
}

/// An answer, with what is needed to apply its substitution to the table.
struct Solved {
    answer: Answer,
    free_vars: Vec<GenericArg<Ir>>,
    universes: UniverseMap,
    /// The goal as it is, canonical (identifies the node).
    key: UCanonical<InEnvironment<Goal<Ir>>>,
    /// The goal as chalk was asked it (quantifiers peeled).
    key_peeled: UCanonical<InEnvironment<Goal<Ir>>>,
    /// Quantifiers or hypotheses were peeled off: the values chalk's answer
    /// speaks of are gone with the snapshot they were made in.
    peeled: bool,
}

/// How chalk's SLG solver orders a conjunction's parts: a written
/// conjunction `A, B` is tried from its first part, a clause's conditions
/// from its last (the solver selects the last subgoal of an ex-clause, and
/// a written conjunction's parts are pushed in reverse). A conjunction is
/// asked in the order its parts would be tried, since chalk's answer can
/// depend on it (a part that flounders first may never be retried).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Written,
    Conditions,
}

fn conjoined(goals: &[Goal<Ir>], order: Order) -> Goal<Ir> {
    match order {
        Order::Written => Goal::all(Ir, goals.iter().cloned()),
        Order::Conditions => Goal::all(Ir, goals.iter().rev().cloned()),
    }
}

/// Which children of a node to take apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expand {
    /// Every one (a derivation, or an unexplained failure).
    Always,
    /// Those that do not hold (the parts where a failure broke).
    UnlessHolds,
}

/// One answer of chalk's SLG solver, as it enumerates them: `None` for an
/// answer that is not definite (ambiguous, or floundering).
type EnumeratedAnswer = Option<chalk_ir::Canonical<chalk_ir::ConstrainedSubst<Ir>>>;

/// A goal whose answers were enumerated, with how many were asked for.
type AnswersKey = (UCanonical<InEnvironment<Goal<Ir>>>, usize);

/// A clause that could prove a domain goal: the clause, its step, and the
/// impl it came from, if one did.
type Candidate = (ProgramClause<Ir>, Step, Option<chalk_ir::ImplId<Ir>>);

/// A clause tried for a domain goal, with its status.
struct Alternative {
    clause: ProgramClause<Ir>,
    step: Step,
    /// The impl the clause came from, if one did.
    impl_id: Option<chalk_ir::ImplId<Ir>>,
    status: Status,
    priority: ClausePriority,
}

pub(crate) struct Engine<'a> {
    program: &'a Program,
    source: &'a SourceMap,
    limits: ExplainLimits,
    deadline: Instant,
    table: InferenceTable<Ir>,
    max_universe: UniverseIndex,
    namer: Namer,
    solver: Option<chalk_engine::solve::SLGSolver<Ir>>,
    cache: HashMap<UCanonical<InEnvironment<Goal<Ir>>>, Answer>,
    /// chalk's first answers for a goal, by goal and how many were asked.
    enumerated: HashMap<AnswersKey, Option<(Vec<EnumeratedAnswer>, bool)>>,
    /// The goals being explained, outermost first (for cycles).
    stack: Vec<UCanonical<InEnvironment<Goal<Ir>>>>,
    nodes: usize,
    cut: bool,
    origins: OriginIndex,
    hypotheses: HashMap<ProgramClause<Ir>, Hypothesis>,
}

impl<'a> Engine<'a> {
    pub(crate) fn new(
        program: &'a Program,
        source: &'a SourceMap,
        limits: &ExplainLimits,
        deadline: Instant,
    ) -> Engine<'a> {
        Engine {
            program,
            source,
            limits: *limits,
            deadline,
            table: InferenceTable::new(),
            max_universe: UniverseIndex::root(),
            namer: Namer::default(),
            solver: None,
            cache: HashMap::new(),
            enumerated: HashMap::new(),
            stack: Vec::new(),
            nodes: 0,
            cut: false,
            origins: OriginIndex::default(),
            hypotheses: HashMap::new(),
        }
    }

    /// Explains a closed goal.
    pub(crate) fn explain(mut self, goal: Goal<Ir>, hints: &HintTree) -> Explanation {
        // chalk's answer as `run` asks for it: quantifiers and implications
        // peeled off, on the SLG solver.
        let peeled = goal.clone().into_peeled_goal(Ir);
        let root = self.ask(&peeled);
        let answer = match (&root.panic, root.status) {
            (Some(message), _) => format!("internal error: chalk panicked: {message}"),
            (None, Status::Limit) => {
                "timeout: the solver did not answer before the deadline".to_string()
            }
            _ => crate::solve::format_solution(root.solution.clone()),
        };
        let env = Environment::new(Ir);
        let tree = self.goal_node(&env, &goal, Some(hints), 0, Expand::Always);
        let mut disagreement = first_inconsistency(&tree);
        if disagreement.is_none() && tree.status != root.status && tree.status != Status::Limit {
            disagreement = Some(format!(
                "chalk answers the goal {} with its quantifiers peeled off, but {} as a closed goal",
                root.status.word(),
                tree.status.word()
            ));
        }
        Explanation {
            status: root.status,
            answer,
            panicked: root.panic.is_some(),
            agrees: disagreement.is_none(),
            disagreement,
            cut: self.cut,
            tree: Some(tree),
            error: None,
        }
    }

    // ------------------------------------------------------------------
    // chalk's answers.

    /// chalk's answer for a canonical goal (cached).
    fn ask(&mut self, goal: &UCanonical<InEnvironment<Goal<Ir>>>) -> Answer {
        if let Some(answer) = self.cache.get(goal) {
            return answer.clone();
        }
        let answer = if Instant::now() >= self.deadline {
            self.cut = true;
            Answer {
                status: Status::Limit,
                solution: None,
                panic: None,
                first_binds_nothing: false,
            }
        } else {
            let db: &Program = self.program;
            let deadline = self.deadline;
            let timed_out = Cell::new(false);
            // A fresh solver for every question: chalk's SLG answers depend
            // on the tables earlier questions left behind (an auto trait's
            // cycle entered at another goal can give another answer), and a
            // node's status must be chalk's answer for that goal alone.
            let solver = self
                .solver
                .insert(chalk_engine::solve::SLGSolver::new(10, None));
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                solver.solve_limited(db, goal, &|| {
                    let go_on = Instant::now() < deadline;
                    if !go_on {
                        timed_out.set(true);
                    }
                    go_on
                })
            }));
            match result {
                Ok(_) if timed_out.get() => {
                    self.cut = true;
                    Answer {
                        status: Status::Limit,
                        solution: None,
                        panic: None,
                        first_binds_nothing: false,
                    }
                }
                Ok(solution) => {
                    let first_binds_nothing = matches!(solution, Some(Solution::Ambig(_)))
                        && self.first_binds_nothing(goal);
                    Answer {
                        status: match &solution {
                            Some(Solution::Unique(_)) => Status::Holds,
                            Some(Solution::Ambig(_)) => Status::Ambiguous,
                            None => Status::Fails,
                        },
                        solution,
                        panic: None,
                        first_binds_nothing,
                    }
                }
                Err(payload) => {
                    // chalk asserts its internal state is clean at the start
                    // of a solve: a solver that panicked is not reused.
                    self.solver = None;
                    Answer {
                        status: Status::Limit,
                        solution: None,
                        panic: Some(crate::solve::panic_message(&*payload)),
                        first_binds_nothing: false,
                    }
                }
            }
        };
        self.cache.insert(goal.clone(), answer.clone());
        answer
    }

    /// Whether the first answer of `goal` binds no variable and is not
    /// ambiguous, read from the solver that has just answered it: its
    /// table already holds the answers it drew (the first, and a peek at
    /// the next), in the order a fresh solver finds them, so this asks
    /// nothing new.
    fn first_binds_nothing(&mut self, goal: &UCanonical<InEnvironment<Goal<Ir>>>) -> bool {
        let db: &Program = self.program;
        let Some(solver) = self.solver.as_mut() else {
            return false;
        };
        let mut binds_nothing = false;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            solver.solve_multiple(db, goal, &mut |answer, _| {
                binds_nothing = matches!(
                    answer,
                    chalk_solve::SubstitutionResult::Definite(s)
                        if s.value.subst.is_identity_subst(Ir)
                );
                false
            })
        }));
        if result.is_err() {
            self.solver = None;
            return false;
        }
        binds_nothing
    }

    /// chalk's answer for `goal` in `env`, with the table's current values,
    /// asked as `run` asks a goal: leading quantifiers and implications
    /// peeled off (a `forall` becomes placeholders, an `exists` variables
    /// whose values the answer reports, an `if` joins the environment).
    fn solve(&mut self, env: &Environment<Ir>, goal: &Goal<Ir>) -> Solved {
        let peels = matches!(
            goal.data(Ir),
            GoalData::Quantified(..) | GoalData::Implies(..)
        );
        // The goal as it is (not peeled) identifies the node for cycles.
        let key = {
            let canonical = self
                .table
                .canonicalize(Ir, InEnvironment::new(env, goal.clone()));
            InferenceTable::u_canonicalize(Ir, &canonical.quantified).quantified
        };
        let snapshot = self.table.snapshot();
        let mut env = env.clone();
        let mut goal = goal.clone();
        loop {
            match goal.data(Ir).clone() {
                GoalData::Quantified(QuantifierKind::ForAll, binders) => {
                    goal = self.table.instantiate_binders_universally(Ir, binders);
                }
                GoalData::Quantified(QuantifierKind::Exists, binders) => {
                    goal = self.table.instantiate_binders_existentially(Ir, binders);
                }
                GoalData::Implies(clauses, inner) => {
                    env = env.add_clauses(Ir, clauses.iter(Ir).cloned());
                    goal = inner;
                }
                _ => break,
            }
        }
        let canonical = self.table.canonicalize(Ir, InEnvironment::new(&env, goal));
        let free_vars = canonical
            .free_vars
            .iter()
            .map(|v| v.to_generic_arg(Ir))
            .collect();
        let u = InferenceTable::u_canonicalize(Ir, &canonical.quantified);
        self.table.rollback_to(snapshot);
        let answer = self.ask(&u.quantified);
        Solved {
            answer,
            key_peeled: u.quantified,
            // The variables peeling made are gone with the snapshot; the
            // answer of a peeled goal is not applied to the table.
            free_vars: if peels { Vec::new() } else { free_vars },
            peeled: peels,
            universes: u.universes,
            key,
        }
    }

    /// Applies a unique answer's substitution to the table, as chalk's
    /// fulfillment applies a subgoal's solution.
    fn apply(&mut self, solved: &Solved) {
        let Some(Solution::Unique(subst)) = &solved.answer.solution else {
            return;
        };
        let subst = solved.universes.map_from_canonical(Ir, subst);
        let values = self.table.instantiate_canonical(Ir, subst);
        self.bind(&solved.free_vars, &values.subst);
    }

    /// Applies an ambiguous answer's guidance: definite guidance, or with
    /// `suggested`, suggested guidance too (as chalk's recursive solver does
    /// when nothing else makes progress). Returns whether it bound anything.
    fn apply_guidance(&mut self, solved: &Solved, suggested: bool) -> bool {
        let subst = match &solved.answer.solution {
            Some(Solution::Ambig(chalk_solve::Guidance::Definite(subst))) => subst,
            Some(Solution::Ambig(chalk_solve::Guidance::Suggested(subst))) if suggested => subst,
            _ => return false,
        };
        if solved.free_vars.is_empty() || subst.value.is_identity_subst(Ir) {
            return false;
        }
        let subst = solved.universes.map_from_canonical(Ir, subst);
        let values = self.table.instantiate_canonical(Ir, subst);
        self.bind(&solved.free_vars, &values);
        true
    }

    fn bind(&mut self, free_vars: &[GenericArg<Ir>], values: &chalk_ir::Substitution<Ir>) {
        let env = Environment::new(Ir);
        for (i, var) in free_vars.iter().enumerate() {
            let value = values.at(Ir, i);
            // Unifying an unbound variable with its solution cannot fail;
            // should it, the variable simply stays unbound in the printout.
            let _ = self.table.relate(
                Ir,
                self.program.unification_database(),
                &env,
                Variance::Invariant,
                var,
                value,
            );
        }
    }

    /// The limit that stops exploring below `depth`, if one is reached.
    fn budget(&mut self, depth: usize) -> Option<Cut> {
        let cut = if Instant::now() >= self.deadline {
            Some(Cut::Time)
        } else if self.nodes >= self.limits.max_nodes {
            Some(Cut::Nodes)
        } else if depth >= self.limits.max_depth {
            Some(Cut::Depth)
        } else {
            None
        };
        if cut.is_some() {
            self.cut = true;
        }
        cut
    }

    // ------------------------------------------------------------------
    // Goals.

    fn goal_node(
        &mut self,
        env: &Environment<Ir>,
        goal: &Goal<Ir>,
        hint: Option<&HintTree>,
        depth: usize,
        expand: Expand,
    ) -> Node {
        // Where clauses become goals wrapped in an empty `forall<> { .. }`:
        // it is no quantifier to a reader.
        if let GoalData::Quantified(_, binders) = goal.data(Ir) {
            if binders.binders.is_empty(Ir) {
                return self.goal_node(env, binders.skip_binders(), hint, depth, expand);
            }
        }
        let text = self.namer.goal_text(&mut self.table, goal, hint);
        let solved = self.solve(env, goal);
        self.nodes += 1;
        let mut node = Node {
            kind: NodeKind::Goal,
            goal: text,
            status: solved.answer.status,
            step: structural_step(goal),
            about: None,
            children: Vec::new(),
            cut: None,
            omitted: 0,
            note: None,
            consistent: true,
            holds_as_part: false,
        };
        if node.status == Status::Ambiguous {
            if let Some(why) = self.holds_as_part(&solved) {
                node.holds_as_part = true;
                // A quantifier or an implication is asked as the goal inside
                // it, which says why.
                if !matches!(
                    goal.data(Ir),
                    GoalData::Quantified(..) | GoalData::Implies(..)
                ) {
                    node.note = Some(why);
                }
            }
        }
        if let Some(h) = hint {
            node.step.rule = h.rule;
            if matches!(
                goal.data(Ir),
                GoalData::Quantified(..) | GoalData::Implies(..)
            ) {
                node.step.place = h.span.map(Place::File);
            }
        }
        if expand == Expand::UnlessHolds && node.status == Status::Holds {
            return node;
        }
        if let Some(cut) = self.budget(depth) {
            node.cut = Some(cut);
            return node;
        }
        if self.stack.contains(&solved.key) {
            node.cut = Some(Cut::Cycle);
            return node;
        }
        self.stack.push(solved.key.clone());
        let child_hint = |i: usize| hint.and_then(|h| h.child(i));
        match goal.data(Ir) {
            GoalData::Quantified(QuantifierKind::ForAll, binders) => {
                let names = names_for(binders.binders.len(Ir), hint, &binders.binders);
                let inner = self.instantiate_universally(binders, names.clone());
                node.step.text = format!("for every {}", quoted(&names));
                let child = self.goal_node(env, &inner, child_hint(0), depth + 1, Expand::Always);
                node.children.push(child);
            }
            GoalData::Quantified(QuantifierKind::Exists, binders) => {
                let names = names_for(binders.binders.len(Ir), hint, &binders.binders);
                let inner = self.instantiate_existentially(binders, &names);
                let vars: Vec<String> = names
                    .iter()
                    .map(|n| format!("?{}", n.trim_start_matches('\'')))
                    .collect();
                node.step.text = format!("for some {}", quoted(&vars));
                let child = self.goal_node(env, &inner, child_hint(0), depth + 1, Expand::Always);
                node.children.push(child);
            }
            GoalData::Implies(clauses, inner) => {
                let hyps: Vec<ProgramClause<Ir>> = clauses.iter(Ir).cloned().collect();
                let mut texts = Vec::new();
                for (i, c) in hyps.iter().enumerate() {
                    let h = hint
                        .and_then(|h| h.hypotheses.get(i).cloned())
                        .unwrap_or(Hypothesis {
                            span: None,
                            rule: None,
                        });
                    self.hypotheses.entry(c.clone()).or_insert(h);
                    texts.push(format!("`{}`", self.namer.clause_text(&mut self.table, c)));
                }
                node.step.text = format!("assuming {}", texts.join(", "));
                let env = env.add_clauses(Ir, hyps);
                let child = self.goal_node(&env, inner, child_hint(0), depth + 1, Expand::Always);
                node.children.push(child);
            }
            GoalData::All(goals) => {
                let goals: Vec<Goal<Ir>> = goals.iter(Ir).cloned().collect();
                let hints: Vec<Option<&HintTree>> = (0..goals.len()).map(child_hint).collect();
                let abouts = vec![None; goals.len()];
                node.children = self.conjunction(
                    env,
                    &goals,
                    (&hints, abouts),
                    node.status,
                    Order::Written,
                    depth + 1,
                );
            }
            GoalData::Not(inner) => {
                // chalk refutes the inner goal for every value of its
                // placeholders: it inverts them into variables first, and
                // flounders (ambiguous) on variables still unbound.
                let snapshot = self.table.snapshot();
                let resolved = super::names::resolve(&mut self.table, inner.clone());
                match self.table.invert(Ir, resolved) {
                    Some(inverted) => {
                        if inverted != *inner {
                            node.step.text =
                                "holds when the inner goal fails for every value of its placeholders"
                                    .to_string();
                        }
                        let child = self.goal_node(
                            env,
                            &inverted,
                            child_hint(0),
                            depth + 1,
                            Expand::Always,
                        );
                        node.children.push(child);
                    }
                    None => {
                        node.note = Some(
                            "the inner goal has variables that are not known yet: chalk's negation flounders"
                                .to_string(),
                        );
                    }
                }
                self.table.rollback_to(snapshot);
            }
            GoalData::DomainGoal(goal) => self.domain(env, goal, &mut node, depth),
            GoalData::EqGoal(_) | GoalData::SubtypeGoal(_) | GoalData::CannotProve => {}
        }
        self.stack.pop();
        node.consistent = consistent(&node);
        node
    }

    /// `forall<..> { G }`: `G` with a placeholder of a new universe for each
    /// parameter, named after it.
    fn instantiate_universally(
        &mut self,
        binders: &chalk_ir::Binders<Goal<Ir>>,
        names: Vec<String>,
    ) -> Goal<Ir> {
        let ui = self.table.new_universe();
        self.max_universe = ui;
        let args: Vec<GenericArg<Ir>> = binders
            .binders
            .iter(Ir)
            .enumerate()
            .map(|(idx, kind)| {
                let index = PlaceholderIndex { ui, idx };
                match kind {
                    VariableKind::Ty(_) => TyKind::Placeholder(index).intern(Ir).cast(Ir),
                    VariableKind::Lifetime => LifetimeData::Placeholder(index).intern(Ir).cast(Ir),
                    VariableKind::Const(ty) => chalk_ir::ConstData {
                        ty: ty.clone(),
                        value: chalk_ir::ConstValue::Placeholder(index),
                    }
                    .intern(Ir)
                    .cast(Ir),
                }
            })
            .collect();
        self.namer.name_universe(ui, names);
        binders.clone().substitute(Ir, &args)
    }

    /// `exists<..> { G }`: `G` with an inference variable for each
    /// parameter, named after it.
    fn instantiate_existentially(
        &mut self,
        binders: &chalk_ir::Binders<Goal<Ir>>,
        names: &[String],
    ) -> Goal<Ir> {
        let args: Vec<GenericArg<Ir>> = binders
            .binders
            .iter(Ir)
            .enumerate()
            .map(|(i, kind)| {
                let var = self.table.new_variable(self.max_universe);
                let arg: GenericArg<Ir> = match kind {
                    VariableKind::Ty(k) => var.to_ty_with_kind(Ir, *k).cast(Ir),
                    VariableKind::Lifetime => var.to_lifetime(Ir).cast(Ir),
                    VariableKind::Const(ty) => var.to_const(Ir, ty.clone()).cast(Ir),
                };
                if let Some(name) = names.get(i) {
                    self.namer.name_var(var.into(), name.clone());
                }
                arg
            })
            .collect();
        binders.clone().substitute(Ir, &args)
    }

    /// The parts of a conjunction (or a clause's conditions): the parts with
    /// a unique answer are applied first, then each is explained with the
    /// values found.
    fn conjunction(
        &mut self,
        env: &Environment<Ir>,
        goals: &[Goal<Ir>],
        (hints, abouts): (&[Option<&HintTree>], Vec<Option<About>>),
        status: Status,
        order: Order,
        depth: usize,
    ) -> Vec<Node> {
        let snapshot = self.table.snapshot();
        // When chalk proves the whole conjunction, its solution gives the
        // values the derivation rests on (a part may be ambiguous alone, as
        // `<T as Trait>::Assoc = ?X` is until `?X` is chosen).
        if status == Status::Holds {
            let whole = self.solve(env, &conjoined(goals, order));
            if whole.answer.status == Status::Holds {
                self.apply(&whole);
            }
        }
        // Then, as chalk's fulfillment does: apply every unique answer; when
        // none is left, definite guidance; then suggested guidance.
        let mut settled = vec![false; goals.len()];
        for _ in 0..=2 * goals.len() {
            let mut progress = false;
            for (i, g) in goals.iter().enumerate() {
                if settled[i] {
                    continue;
                }
                let solved = self.solve(env, g);
                if solved.answer.status == Status::Holds {
                    self.apply(&solved);
                    settled[i] = true;
                    progress = true;
                } else if solved.answer.status == Status::Ambiguous
                    && self.holds_as_part(&solved).is_some()
                {
                    // Its first answer binds nothing: there is nothing to
                    // apply, and the part holds where the conjunction asks it.
                    settled[i] = true;
                }
            }
            if progress {
                continue;
            }
            for suggested in [false, true] {
                for (i, g) in goals.iter().enumerate() {
                    if !settled[i] && !progress {
                        let solved = self.solve(env, g);
                        progress = self.apply_guidance(&solved, suggested);
                    }
                }
            }
            if !progress {
                break;
            }
        }
        // Under a failure, only the parts that do not hold are taken apart;
        // if every part holds on its own, all are shown.
        let expand = if status == Status::Holds || settled.iter().all(|s| *s) {
            Expand::Always
        } else {
            Expand::UnlessHolds
        };
        if status != Status::Holds && goals.len() > 1 {
            if let Some(children) = self.cases(env, goals, (hints, &abouts), status, order, depth) {
                self.table.rollback_to(snapshot);
                return children;
            }
        }
        let mut children = self.parts(env, goals, (hints, &abouts), depth, expand);
        // chalk finds the conjunction ambiguous, but with the values its
        // settled parts give, a part fails. chalk's SLG solver does not
        // settle a part first because it has one answer: it tries a clause's
        // conditions from the last, so a condition can be asked before the
        // one that gives its variables their values (`?T: HealthCheck`
        // before `<X as HealthCheck>::check = (HealthCheck::check)<?T>`
        // says `?T` is `X`), and be ambiguous with them open. The parts are
        // then shown as chalk asks them, with the values open.
        if status == Status::Ambiguous
            && settled.iter().any(|s| *s)
            && children.iter().any(|c| part_status(c) == Status::Fails)
        {
            let settled_texts: Vec<String> = children
                .iter()
                .filter(|c| part_status(c) == Status::Fails)
                .map(|c| c.goal.clone())
                .collect();
            self.table.rollback_to(snapshot);
            let snapshot = self.table.snapshot();
            let mut open = self.parts(env, goals, (hints, &abouts), depth, Expand::UnlessHolds);
            if !open.iter().any(|c| part_status(c) == Status::Fails) {
                let why = format!(
                    "{ASKED_OPEN} (it tries a clause's conditions from the last), and so it is ambiguous; with those values, {} fails",
                    settled_texts
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                );
                for part in open
                    .iter_mut()
                    .filter(|c| c.status == Status::Ambiguous && !c.holds_as_part)
                {
                    part.note = Some(match part.note.take() {
                        Some(note) => format!("{note}; {why}"),
                        None => why.clone(),
                    });
                }
                children = open;
            }
            self.table.rollback_to(snapshot);
            return children;
        }
        self.table.rollback_to(snapshot);
        children
    }

    /// The nodes of a conjunction's parts, each asked with the values the
    /// table has now.
    fn parts(
        &mut self,
        env: &Environment<Ir>,
        goals: &[Goal<Ir>],
        (hints, abouts): (&[Option<&HintTree>], &[Option<About>]),
        depth: usize,
        expand: Expand,
    ) -> Vec<Node> {
        let mut children = Vec::new();
        for (i, g) in goals.iter().enumerate() {
            let hint = hints.get(i).copied().flatten();
            let mut child = self.goal_node(env, g, hint, depth, expand);
            child.about = abouts.get(i).cloned().flatten();
            children.push(child);
        }
        children
    }

    /// When no part of a conjunction fails on its own but one is ambiguous
    /// (`<T as Trait>::Assoc = ?X` has an answer per clause), the parts are
    /// explained answer by answer of that part, as chalk's SLG solver tries
    /// them: the part itself, then one case per answer with the other parts
    /// under its values. `None` when there is no such part or its answers
    /// cannot all be listed.
    fn cases(
        &mut self,
        env: &Environment<Ir>,
        goals: &[Goal<Ir>],
        (hints, abouts): (&[Option<&HintTree>], &[Option<About>]),
        status: Status,
        order: Order,
        depth: usize,
    ) -> Option<Vec<Node>> {
        let mut candidates = Vec::new();
        for (i, g) in goals.iter().enumerate() {
            let solved = self.solve(env, g);
            match solved.answer.status {
                Status::Limit => return None,
                // A part that fails on its own is where a failing
                // conjunction breaks. When chalk finds the conjunction
                // ambiguous, such a part fails only while another part's
                // values are open (`<?0 as Future>::Output = bool` before
                // `?0` is known): chalk's SLG solver never asks it that way,
                // since it tries the other part first and this one under
                // each of its answers, and so do the cases.
                Status::Fails if status != Status::Ambiguous => return None,
                // A part that holds as a part (its first answer binds
                // nothing) is not tried answer by answer: chalk's SLG solver
                // takes that first answer and looks no further.
                Status::Ambiguous
                    if !solved.free_vars.is_empty() && self.holds_as_part(&solved).is_none() =>
                {
                    candidates.push((i, solved))
                }
                _ => {}
            }
        }
        // The first ambiguous part whose answers can all be listed (a part
        // such as `?X: Send` flounders and cannot).
        let (i, solved, answers) = candidates.into_iter().find_map(|(i, solved)| {
            self.enumerate(&solved.key_peeled, self.limits.max_breadth)
                .map(|answers| (i, solved, answers))
        })?;
        let mut part = self.goal_node(
            env,
            &goals[i],
            hints.get(i).copied().flatten(),
            depth,
            Expand::Always,
        );
        part.about = abouts.get(i).cloned().flatten();
        let mut children = vec![part];
        let rest: Vec<Goal<Ir>> = goals
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, g)| g.clone())
            .collect();
        let rest_hints: Vec<Option<&HintTree>> = (0..goals.len())
            .filter(|j| *j != i)
            .map(|j| hints.get(j).copied().flatten())
            .collect();
        let rest_abouts: Vec<Option<About>> = (0..goals.len())
            .filter(|j| *j != i)
            .map(|j| abouts.get(j).cloned().flatten())
            .collect();
        for answer in answers {
            let snapshot = self.table.snapshot();
            let values = solved.universes.map_from_canonical(Ir, &answer);
            let values = self.table.instantiate_canonical(Ir, values);
            self.bind(&solved.free_vars, &values.subst);
            let part_text = self.namer.goal_text(&mut self.table, &goals[i], None);
            // An answer that leaves an associated type opaque comes from
            // chalk's low-priority fallback (`AliasEq-Placeholder`).
            let fallback = solved.free_vars.iter().any(|v| {
                let v = super::names::resolve(&mut self.table, v.clone());
                matches!(
                    v.ty(Ir).map(|t| t.kind(Ir)),
                    Some(TyKind::AssociatedType(..))
                )
            });
            let conjunction = conjoined(&rest, order);
            let status = self.solve(env, &conjunction).answer.status;
            self.nodes += 1;
            let mut case = Node {
                kind: NodeKind::Case,
                goal: self.namer.goal_text(&mut self.table, &conjunction, None),
                status,
                step: Step {
                    chalk_rule: fallback.then_some("AliasEq-Placeholder"),
                    ..Step::new(StepKind::Answer, format!("with `{part_text}`"))
                },
                about: None,
                children: Vec::new(),
                cut: None,
                omitted: 0,
                note: None,
                consistent: true,
                holds_as_part: false,
            };
            if let Some(cut) = self.budget(depth) {
                case.cut = Some(cut);
            } else {
                case.children = self.conjunction(
                    env,
                    &rest,
                    (&rest_hints, rest_abouts.clone()),
                    status,
                    order,
                    depth + 1,
                );
            }
            case.consistent = consistent(&case);
            children.push(case);
            self.table.rollback_to(snapshot);
        }
        Some(children)
    }

    /// Every answer of a canonical goal, as chalk's SLG solver enumerates
    /// them; `None` when there are more than `limit`, or one flounders.
    fn enumerate(
        &mut self,
        goal: &UCanonical<InEnvironment<Goal<Ir>>>,
        limit: usize,
    ) -> Option<Vec<chalk_ir::Canonical<chalk_ir::ConstrainedSubst<Ir>>>> {
        let (answers, complete) = self.answers(goal, limit)?;
        let definite = answers.into_iter().collect::<Option<Vec<_>>>()?;
        (complete && !definite.is_empty()).then_some(definite)
    }

    /// The first answers of a canonical goal, as chalk's SLG solver
    /// enumerates them, up to the first that is not definite and at most
    /// `limit` of them (cached), and whether they are all there are. `None`
    /// when chalk panics or the deadline has passed.
    fn answers(
        &mut self,
        goal: &UCanonical<InEnvironment<Goal<Ir>>>,
        limit: usize,
    ) -> Option<(Vec<EnumeratedAnswer>, bool)> {
        if let Some(found) = self.enumerated.get(&(goal.clone(), limit)).cloned() {
            return found;
        }
        if Instant::now() >= self.deadline {
            return None;
        }
        let db: &Program = self.program;
        let solver = self
            .solver
            .insert(chalk_engine::solve::SLGSolver::new(10, None));
        let mut answers = Vec::new();
        let mut complete = true;
        let deadline = self.deadline;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            solver.solve_multiple(db, goal, &mut |result, has_next| {
                let answer = match result {
                    chalk_solve::SubstitutionResult::Definite(s) => Some(s),
                    _ => None,
                };
                let definite = answer.is_some();
                answers.push(answer);
                if !definite || answers.len() >= limit || Instant::now() >= deadline {
                    complete = !has_next;
                    return false;
                }
                true
            })
        }));
        let found = if result.is_err() {
            self.solver = None;
            None
        } else {
            Some((answers, complete))
        };
        self.enumerated.insert((goal.clone(), limit), found.clone());
        found
    }

    /// Why an ambiguous goal holds as a part of a conjunction, in words, or
    /// `None` when it does not. chalk's SLG solver takes a part's answers
    /// one by one, but an answer that binds no variable ends the search for
    /// that part ("green cut"): when the first answer binds nothing and is
    /// not ambiguous, the part holds inside a conjunction or a clause's
    /// conditions, even though chalk, asked the goal alone, also reports
    /// the later answers, and answers that differ only in the lifetime
    /// constraints they leave make it ambiguous (its aggregation does not
    /// merge region constraints, rust-lang/rust#21974).
    fn holds_as_part(&mut self, solved: &Solved) -> Option<String> {
        if !solved.answer.first_binds_nothing {
            return None;
        }
        // The first answer decides; the others are only listed.
        let limit = self.limits.max_breadth.max(2);
        let (answers, complete) = self.answers(&solved.key_peeled, limit)?;
        let constraints = if solved.peeled {
            // The placeholders the constraints speak of were made in a
            // snapshot that is gone: leave them out.
            None
        } else {
            answers
                .iter()
                .map(|a| match a {
                    Some(s) if s.value.subst.is_identity_subst(Ir) => {
                        Some(self.constraints_text(solved, s))
                    }
                    _ => None,
                })
                .collect::<Option<Vec<String>>>()
        };
        let cut = "chalk's SLG solver takes a part's first answer when it binds no variable";
        Some(match constraints {
            Some(texts) if complete && texts.len() > 1 => format!(
                "chalk finds {} answers that differ only in the lifetime constraints they leave ({}) and calls the goal ambiguous; as a part of a conjunction it holds, leaving {}: {cut}",
                texts.len(),
                texts.join("; "),
                texts[0]
            ),
            Some(texts) => format!(
                "as a part of a conjunction it holds, leaving {}: {cut}",
                texts[0]
            ),
            None => format!("as a part of a conjunction it holds: {cut}"),
        })
    }

    /// The lifetime constraints an answer of `solved` leaves, in words
    /// (`'a: 'b`, or `none`).
    fn constraints_text(
        &mut self,
        solved: &Solved,
        answer: &chalk_ir::Canonical<chalk_ir::ConstrainedSubst<Ir>>,
    ) -> String {
        // The answer binds nothing: its variables are the goal's own, in
        // order, so the constraints speak of the goal's values.
        let answer = solved.universes.map_from_canonical(Ir, answer);
        if answer.binders.len(Ir) != solved.free_vars.len() {
            return "constraints on values not shown".to_string();
        }
        let kinds =
            chalk_ir::VariableKinds::from_iter(Ir, answer.binders.iter(Ir).map(|b| b.kind.clone()));
        let constraints = chalk_ir::Binders::new(kinds, answer.value.constraints)
            .substitute(Ir, solved.free_vars.as_slice());
        let texts: Vec<String> = constraints
            .iter(Ir)
            .map(|c| {
                let goal = match &c.goal {
                    chalk_ir::Constraint::LifetimeOutlives(a, b) => {
                        WhereClause::LifetimeOutlives(chalk_ir::LifetimeOutlives { a: *a, b: *b })
                    }
                    chalk_ir::Constraint::TypeOutlives(ty, lifetime) => {
                        WhereClause::TypeOutlives(chalk_ir::TypeOutlives {
                            ty: ty.clone(),
                            lifetime: *lifetime,
                        })
                    }
                };
                format!(
                    "`{}`",
                    self.namer
                        .domain_text(&mut self.table, &DomainGoal::Holds(goal))
                )
            })
            .collect();
        if texts.is_empty() {
            "none".to_string()
        } else {
            texts.join(", ")
        }
    }

    // ------------------------------------------------------------------
    // Domain goals.

    /// The clauses that could prove `goal` in `env`, each with its step, in
    /// chalk's order: custom clauses, the program's, the environment's.
    fn clauses(
        &mut self,
        env: &Environment<Ir>,
        goal: &DomainGoal<Ir>,
    ) -> Result<Vec<Candidate>, ()> {
        let db: &dyn RustIrDatabase<Ir> = self.program;
        let canonical = self
            .table
            .canonicalize(Ir, InEnvironment::new(env, goal.clone()))
            .quantified;
        let canonical_goal = canonical.value.goal.clone();
        let could_match =
            |c: &ProgramClause<Ir>| c.could_match(Ir, db.unification_database(), &canonical_goal);
        let mut clauses: Vec<ProgramClause<Ir>> = db
            .custom_clauses()
            .into_iter()
            .filter(could_match)
            .collect();
        let ucanonical = UCanonical {
            canonical,
            universes: self.max_universe.counter + 1,
        };
        match program_clauses_that_could_match(db, &ucanonical) {
            Ok(found) => clauses.extend(found.into_iter().filter(could_match)),
            Err(_) => return Err(()),
        }
        clauses.extend(
            db.program_clauses_for_env(env)
                .iter(Ir)
                .filter(|c| could_match(c))
                .cloned(),
        );
        let mut seen = std::collections::HashSet::new();
        clauses.retain(|c| seen.insert(c.clone()));
        Ok(clauses
            .into_iter()
            .map(|c| {
                let (step, impl_id) = self.classify(env, &c);
                (c, step, impl_id)
            })
            .collect())
    }

    fn classify(
        &mut self,
        env: &Environment<Ir>,
        clause: &ProgramClause<Ir>,
    ) -> (Step, Option<chalk_ir::ImplId<Ir>>) {
        (
            self.classify_step(env, clause),
            match self.origins.item(self.program, env, clause) {
                Some(origin::Item::Impl(id)) => Some(id),
                _ => None,
            },
        )
    }

    fn classify_step(&mut self, env: &Environment<Ir>, clause: &ProgramClause<Ir>) -> Step {
        if env.clauses.iter(Ir).any(|c| c == clause) {
            let h = self.hypotheses.get(clause).cloned();
            let mut step = Step::new(
                StepKind::Hypothesis,
                format!(
                    "hypothesis `{}`",
                    self.namer.clause_text(&mut self.table, clause)
                ),
            );
            if let Some(h) = h {
                step.place = h.span.map(Place::File);
                step.rule = h.rule;
            }
            return step;
        }
        if let Some(span) = self.program.custom_clause_span(clause) {
            let mut step = Step::new(
                StepKind::CustomClause,
                format!(
                    "custom clause `{}`",
                    self.namer.clause_text(&mut self.table, clause)
                ),
            );
            step.place = Some(Place::File(span));
            step.rule = Some(chalkboard_lowering::rules::LOWER_CLAUSE);
            return step;
        }
        if let Some(bound) = self
            .program
            .conditional_bounds()
            .iter()
            .find(|b| b.clauses.contains(clause))
        {
            let db: &dyn RustIrDatabase<Ir> = self.program;
            let datum = db.associated_ty_data(bound.assoc_ty_id);
            let name = format!("{}::{}", db.trait_name(datum.trait_id), datum.name);
            let mut step = Step::new(
                StepKind::ConditionalBound,
                format!(
                    "the conditional bound on `{name}`: `{}`",
                    self.namer.clause_text(&mut self.table, clause)
                ),
            );
            step.rule = Some(
                self.source
                    .design_rule_at(bound.span)
                    .unwrap_or(chalkboard_lowering::rules::CONDITIONAL_BOUND_TO_CLAUSE),
            );
            step.place = Some(Place::File(bound.span));
            return step;
        }
        if let Some(item) = self.origins.item(self.program, env, clause) {
            return origin::item_step(self.program, self.source, item, clause);
        }
        origin::builtin_step(self.program, self.source, clause)
    }

    fn domain(
        &mut self,
        env: &Environment<Ir>,
        goal: &DomainGoal<Ir>,
        node: &mut Node,
        depth: usize,
    ) {
        node.step = Step::new(StepKind::Domain, "");
        let clauses = match self.clauses(env, goal) {
            Ok(clauses) => clauses,
            Err(()) => {
                node.note = Some(
                    "chalk cannot list the clauses for this goal: its self type is not known yet (the goal flounders)"
                        .to_string(),
                );
                return;
            }
        };
        let empty_env = env.clauses.is_empty(Ir);
        // Pass 1: the status of every clause that applies.
        let mut alternatives = Vec::new();
        for (clause, step, impl_id) in clauses {
            // `Implemented(T: Trait) :- FromEnv(T: Trait)` is a candidate of
            // every trait goal; with no hypotheses it can never apply.
            if empty_env && step.chalk_rule == Some("Implemented-From-Env") {
                continue;
            }
            let snapshot = self.table.snapshot();
            if let Some(subgoals) = self.unify_clause(env, &clause, goal) {
                // "From the environment" when no hypothesis could say so is
                // no alternative worth showing.
                if step.chalk_rule == Some("Implemented-From-Env")
                    && !self.env_could_prove(env, &subgoals)
                {
                    self.table.rollback_to(snapshot);
                    continue;
                }
                let conjunction = conjoined(&subgoals, Order::Conditions);
                let status = self.solve(env, &conjunction).answer.status;
                let priority = clause.data(Ir).0.skip_binders().priority;
                alternatives.push(Alternative {
                    clause,
                    step,
                    impl_id,
                    status,
                    priority,
                });
            }
            self.table.rollback_to(snapshot);
        }
        // Which alternatives to show: for a success, the one chalk's answer
        // rests on (a high-priority clause before a low one); otherwise
        // every one, up to the breadth limit.
        let derivation = alternatives
            .iter()
            .position(|a| a.status == Status::Holds && a.priority == ClausePriority::High)
            .or_else(|| alternatives.iter().position(|a| a.status == Status::Holds));
        let chosen: Vec<usize> = match (node.status, derivation) {
            (Status::Holds, Some(i)) => vec![i],
            // A failure, or a success no clause accounts for (which the
            // consistency check then reports): every alternative.
            _ => (0..alternatives.len()).collect(),
        };
        let shown: Vec<usize> = chosen
            .iter()
            .copied()
            .take(self.limits.max_breadth)
            .collect();
        node.omitted = alternatives.len() - shown.len();
        if node.status != Status::Holds && chosen.len() > shown.len() {
            node.cut = Some(Cut::Breadth);
            self.cut = true;
        }
        for i in shown {
            let alt = &alternatives[i];
            let (clause, step, status) = (alt.clause.clone(), alt.step.clone(), alt.status);
            let impl_id = alt.impl_id;
            let child = self.clause_node(
                env,
                goal,
                (&clause, step, impl_id),
                status,
                node.status,
                depth + 1,
            );
            node.children.push(child);
        }
        if let DomainGoal::Holds(WhereClause::Implemented(trait_ref)) = goal {
            for n in self.negative_impls(env, trait_ref) {
                node.children.push(n);
            }
        }
        // No clause but "from the environment" could apply: say why nothing
        // proves the goal.
        let only_env = node.children.iter().all(|c| {
            c.status == Status::Fails && c.step.chalk_rule == Some("Implemented-From-Env")
        });
        if node.omitted == 0 && only_env {
            node.note = Some(self.no_clause_note(env, goal));
        }
    }

    /// Whether some clause of the environment could prove one of `goals`
    /// (the `FromEnv` condition of "from the environment").
    fn env_could_prove(&mut self, env: &Environment<Ir>, goals: &[Goal<Ir>]) -> bool {
        let db: &dyn RustIrDatabase<Ir> = self.program;
        let env_clauses = db.program_clauses_for_env(env);
        goals.iter().any(|g| match g.data(Ir) {
            GoalData::DomainGoal(dg) => {
                let canonical = self
                    .table
                    .canonicalize(Ir, InEnvironment::new(env, dg.clone()))
                    .quantified;
                env_clauses
                    .iter(Ir)
                    .any(|c| c.could_match(Ir, db.unification_database(), &canonical.value.goal))
            }
            _ => true,
        })
    }

    /// Instantiates `clause` and unifies its head with `goal`; the subgoals
    /// are the unifier's goals and the clause's conditions (`None` when the
    /// head does not unify).
    fn unify_clause(
        &mut self,
        env: &Environment<Ir>,
        clause: &ProgramClause<Ir>,
        goal: &DomainGoal<Ir>,
    ) -> Option<Vec<Goal<Ir>>> {
        let implication = self
            .table
            .instantiate_binders_existentially(Ir, clause.data(Ir).0.clone());
        let related = self
            .table
            .relate(
                Ir,
                self.program.unification_database(),
                env,
                Variance::Invariant,
                &implication.consequence,
                goal,
            )
            .ok()?;
        let mut subgoals: Vec<Goal<Ir>> = related.goals.into_iter().map(|g| g.goal).collect();
        subgoals.extend(implication.conditions.iter(Ir).cloned());
        Some(subgoals)
    }

    fn clause_node(
        &mut self,
        env: &Environment<Ir>,
        goal: &DomainGoal<Ir>,
        (clause, step, impl_id): (&ProgramClause<Ir>, Step, Option<chalk_ir::ImplId<Ir>>),
        status: Status,
        parent: Status,
        depth: usize,
    ) -> Node {
        let snapshot = self.table.snapshot();
        self.nodes += 1;
        let mut node = Node {
            kind: NodeKind::Clause,
            goal: String::new(),
            status,
            step,
            about: None,
            children: Vec::new(),
            cut: None,
            omitted: 0,
            note: None,
            consistent: true,
            holds_as_part: false,
        };
        let Some(subgoals) = self.unify_clause(env, clause, goal) else {
            self.table.rollback_to(snapshot);
            return node;
        };
        node.goal = self.namer.domain_text(&mut self.table, goal);
        let take_apart = match parent {
            Status::Holds => true,
            _ => status != Status::Fails || parent == Status::Fails,
        };
        if take_apart {
            if let Some(cut) = self.budget(depth) {
                node.cut = Some(cut);
            } else {
                let n_conditions = clause.data(Ir).0.skip_binders().conditions.len(Ir);
                let mut abouts = vec![None; subgoals.len() - n_conditions];
                let resolved = super::names::resolve(&mut self.table, goal.clone());
                abouts.extend(self.abouts(&resolved, &node.step, impl_id, n_conditions));
                let hints = vec![None; subgoals.len()];
                node.children = self.conjunction(
                    env,
                    &subgoals,
                    (&hints, abouts),
                    status,
                    Order::Conditions,
                    depth,
                );
            }
        }
        node.consistent = consistent(&node);
        // chalk asks a clause's conditions with the clause's own variables
        // open, and finds several values for them; the goal needs only one.
        if status == Status::Ambiguous && derived(&node) == Some(Status::Holds) {
            let how = if node.children.iter().any(|c| c.kind == NodeKind::Case) {
                "the answers below prove the goal"
            } else {
                "its conditions hold with the values below"
            };
            node.note.get_or_insert_with(|| {
                format!("ambiguous only while this clause's own variables are open: {how}")
            });
        }
        self.table.rollback_to(snapshot);
        node
    }

    /// What each condition of a clause stands for: the fields of a type
    /// whose auto trait impl is tried, the where clauses of an impl.
    fn abouts(
        &self,
        goal: &DomainGoal<Ir>,
        step: &Step,
        impl_id: Option<chalk_ir::ImplId<Ir>>,
        n: usize,
    ) -> Vec<Option<About>> {
        let none = vec![None; n];
        // A type's well-formedness: its where clauses.
        if let DomainGoal::WellFormed(chalk_ir::WellFormed::Ty(ty)) = goal {
            if step.chalk_rule != Some("WellFormed-Type") {
                return none;
            }
            let TyKind::Adt(id, _) = ty.kind(Ir) else {
                return none;
            };
            let wcs = self.source.adt_where_clauses(*id);
            if wcs.len() != n {
                return none;
            }
            let owner = self.source.adt_name(*id).unwrap_or("the type");
            return wcs
                .into_iter()
                .map(|(text, place)| {
                    Some(About {
                        text: format!("`{owner}` requires `{text}`"),
                        place: Some(place),
                        held_by_future: false,
                    })
                })
                .collect();
        }
        let DomainGoal::Holds(WhereClause::Implemented(tr)) = goal else {
            return none;
        };
        match step.kind {
            StepKind::AutoTrait => {
                let self_ty = tr.self_type_parameter(Ir);
                let TyKind::Adt(id, _) = self_ty.kind(Ir) else {
                    return none;
                };
                let fields = self.source.adt_fields(*id);
                if fields.len() != n {
                    return none;
                }
                let future =
                    step.rule == Some(chalkboard_lowering::rules::IMPL_ASYNC_FN_TO_FUTURE_STRUCT);
                fields
                    .into_iter()
                    .map(|f| {
                        let held = future && f.name.starts_with("held");
                        let text = if held {
                            format!("the future holds `{}` across an await", f.ty)
                        } else if future {
                            format!("the future captures `{}: {}`", f.name, f.ty)
                        } else {
                            let owner = self.source.adt_name(*id).unwrap_or("the type");
                            format!("`{owner}` has field `{}: {}`", f.name, f.ty)
                        };
                        Some(About {
                            text,
                            place: f.place,
                            held_by_future: held,
                        })
                    })
                    .collect()
            }
            StepKind::Impl if step.chalk_rule == Some("Implemented-From-Impl") => {
                let Some(id) = impl_id else {
                    return none;
                };
                let wcs = self.source.impl_where_clauses(id);
                if wcs.len() != n {
                    return none;
                }
                wcs.into_iter()
                    .map(|(text, place)| {
                        Some(About {
                            text: format!("where clause `{text}` of the impl"),
                            place: Some(place),
                            held_by_future: false,
                        })
                    })
                    .collect()
            }
            _ => none,
        }
    }

    /// The negative impls of the goal's trait whose trait reference unifies
    /// with the goal's: each is why no clause (and, for an auto trait, no
    /// automatic impl) proves it.
    fn negative_impls(
        &mut self,
        env: &Environment<Ir>,
        trait_ref: &chalk_ir::TraitRef<Ir>,
    ) -> Vec<Node> {
        let db: &dyn RustIrDatabase<Ir> = self.program;
        let mut out = Vec::new();
        let ids: Vec<_> = self.program.impl_ids().map(|(id, _)| id).collect();
        for id in ids {
            let datum = db.impl_datum(id);
            if datum.is_positive() || datum.trait_id() != trait_ref.trait_id {
                continue;
            }
            let snapshot = self.table.snapshot();
            let bound = self
                .table
                .instantiate_binders_existentially(Ir, datum.binders.clone());
            // Only a syntactic match counts: unifying with an associated
            // type "succeeds" by asking to normalize it first.
            let unifies = self
                .table
                .relate(
                    Ir,
                    db.unification_database(),
                    env,
                    Variance::Invariant,
                    &bound.trait_ref,
                    trait_ref,
                )
                .is_ok_and(|r| r.goals.is_empty());
            self.table.rollback_to(snapshot);
            if !unifies {
                continue;
            }
            let header = self
                .source
                .impl_header(id)
                .unwrap_or_else(|| format!("impl !{}", db.trait_name(trait_ref.trait_id)));
            let auto = db.trait_datum(trait_ref.trait_id).is_auto_trait();
            let mut step = Step::new(StepKind::NegativeImpl, header);
            step.place = self.source.item_place(id.0);
            self.nodes += 1;
            out.push(Node {
                kind: NodeKind::Clause,
                goal: self.namer.domain_text(
                    &mut self.table,
                    &DomainGoal::Holds(WhereClause::Implemented(trait_ref.clone())),
                ),
                status: Status::Fails,
                step,
                about: None,
                children: Vec::new(),
                cut: None,
                omitted: 0,
                note: Some(if auto {
                    "a negative impl gives no clause, and it switches off the auto trait's automatic impl for this type".to_string()
                } else {
                    "a negative impl gives no clause: it promises the trait is never implemented here".to_string()
                }),
                consistent: true,
                holds_as_part: false,
            });
        }
        out
    }

    /// Why no clause applies to a goal.
    fn no_clause_note(&mut self, env: &Environment<Ir>, goal: &DomainGoal<Ir>) -> String {
        let db: &dyn RustIrDatabase<Ir> = self.program;
        let goal = &super::names::resolve(&mut self.table, goal.clone());
        match goal {
            DomainGoal::Holds(WhereClause::Implemented(tr)) => {
                let name = db.trait_name(tr.trait_id);
                let self_ty = tr.self_type_parameter(Ir);
                let ty = self.namer.text(&mut self.table, &self_ty);
                match self_ty.kind(Ir) {
                    TyKind::Placeholder(_) => {
                        if env.clauses.is_empty(Ir) {
                            format!("nothing is known about `{ty}` (no hypothesis says `{ty}: {name}`)")
                        } else {
                            format!("no hypothesis says `{ty}: {name}`, and no impl of `{name}` applies to every type")
                        }
                    }
                    TyKind::AssociatedType(..) | TyKind::Alias(_) => format!(
                        "`{ty}` is an associated type left opaque: only its declared bounds and the hypotheses say what it implements, and none says `{name}`"
                    ),
                    _ => format!("no impl of `{name}` applies to `{ty}`"),
                }
            }
            DomainGoal::FromEnv(_) => "no hypothesis says so".to_string(),
            DomainGoal::ObjectSafe(id) => format!(
                "trait `{}` is not dyn safe (`#[object_safe]`, or for a trait written with methods, rule `dyn-safety`)",
                db.trait_name(*id)
            ),
            _ => "no clause applies".to_string(),
        }
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn names_for(
    n: usize,
    hint: Option<&HintTree>,
    kinds: &chalk_ir::VariableKinds<Ir>,
) -> Vec<String> {
    match hint {
        Some(h) if h.names.len() == n => h.names.clone(),
        _ => default_names(kinds),
    }
}

/// The step of a goal node, by the goal's form.
fn structural_step(goal: &Goal<Ir>) -> Step {
    match goal.data(Ir) {
        GoalData::Quantified(QuantifierKind::ForAll, _) => Step::new(StepKind::ForAll, ""),
        GoalData::Quantified(QuantifierKind::Exists, _) => Step::new(StepKind::Exists, ""),
        GoalData::Implies(..) => Step::new(StepKind::Implies, ""),
        GoalData::All(_) => Step::new(StepKind::All, "every part must hold"),
        GoalData::Not(_) => Step::new(StepKind::Not, "holds when the inner goal fails"),
        GoalData::EqGoal(_) | GoalData::SubtypeGoal(_) => {
            Step::new(StepKind::Unify, "unification, chalk's builtin")
        }
        GoalData::DomainGoal(_) => Step::new(StepKind::Domain, ""),
        GoalData::CannotProve => Step::new(StepKind::CannotProve, "chalk can never prove this"),
    }
}

/// The status a node's children give it, when they were explored.
fn derived(node: &Node) -> Option<Status> {
    if node.cut.is_some() || node.status == Status::Limit {
        return None;
    }
    let statuses: Vec<Status> = node.children.iter().map(|c| c.status).collect();
    // The parts of a conjunction (a written one, a clause's conditions, a
    // case's other parts), with the status each has there.
    let parts: Vec<Status> = node.children.iter().map(part_status).collect();
    let all = |statuses: &[Status]| -> Status {
        if statuses.contains(&Status::Fails) {
            Status::Fails
        } else if statuses.iter().all(|s| *s == Status::Holds) {
            Status::Holds
        } else if statuses.contains(&Status::Limit) {
            Status::Limit
        } else {
            Status::Ambiguous
        }
    };
    // A conjunction taken apart answer by answer: the cases decide.
    if node.children.iter().any(|c| c.kind == NodeKind::Case) {
        let cases: Vec<Status> = node
            .children
            .iter()
            .filter(|c| c.kind == NodeKind::Case)
            .map(|c| c.status)
            .collect();
        return Some(if cases.contains(&Status::Holds) {
            Status::Holds
        } else if cases.iter().all(|s| *s == Status::Fails) {
            Status::Fails
        } else if cases.contains(&Status::Limit) {
            Status::Limit
        } else {
            Status::Ambiguous
        });
    }
    match node.kind {
        NodeKind::Case => Some(all(&parts)).filter(|_| !parts.is_empty()),
        NodeKind::Clause => {
            // A clause that was not taken apart, a fact, or a negative impl
            // is a leaf.
            if node.children.is_empty() {
                return None;
            }
            Some(all(&parts))
        }
        NodeKind::Goal => match node.step.kind {
            StepKind::ForAll | StepKind::Exists | StepKind::Implies => statuses.first().copied(),
            StepKind::Not if statuses.is_empty() => None,
            StepKind::Not => statuses.first().map(|s| match s {
                Status::Holds => Status::Fails,
                Status::Fails => Status::Holds,
                other => *other,
            }),
            StepKind::All => {
                if parts.is_empty() {
                    None
                } else {
                    Some(all(&parts))
                }
            }
            StepKind::Domain => {
                if node
                    .note
                    .as_deref()
                    .is_some_and(|n| n.contains("flounders"))
                {
                    return None;
                }
                // A clause whose every condition holds proves the goal,
                // even when chalk, asked the conditions with the clause's
                // own variables left open, finds several values for them.
                let statuses: Vec<Status> = node
                    .children
                    .iter()
                    .map(|c| match derived(c) {
                        Some(Status::Holds) if c.kind == NodeKind::Clause => Status::Holds,
                        _ => c.status,
                    })
                    .collect();
                if statuses.contains(&Status::Holds) {
                    Some(Status::Holds)
                } else if statuses.iter().all(|s| *s == Status::Fails) {
                    if node.omitted > 0 {
                        None
                    } else {
                        Some(Status::Fails)
                    }
                } else if statuses.contains(&Status::Limit) {
                    Some(Status::Limit)
                } else {
                    Some(Status::Ambiguous)
                }
            }
            _ => None,
        },
    }
}

/// How the note of a part that chalk asks before another part gives its
/// values begins.
const ASKED_OPEN: &str =
    "chalk's SLG solver asks this part while the values another part gives are still open";

/// Whether a part was shown as chalk asks it, with values another part
/// gives still open: it is no reason a reader can act on.
pub(crate) fn asked_open(node: &Node) -> bool {
    node.note.as_deref().is_some_and(|n| n.contains(ASKED_OPEN))
}

/// The status a goal has as a part of a conjunction: chalk's answer for it,
/// except that a goal that holds as a part (its first answer binds nothing)
/// holds there.
pub(crate) fn part_status(node: &Node) -> Status {
    if node.status == Status::Ambiguous && node.holds_as_part {
        Status::Holds
    } else {
        node.status
    }
}

/// Whether chalk's status of a node can be read off its children's.
fn consistent(node: &Node) -> bool {
    match derived(node) {
        None | Some(Status::Limit) => true,
        Some(d) => d == node.status || (node.status == Status::Ambiguous && d == Status::Holds),
    }
}

/// Where the tree does not support chalk's answer, in words.
fn first_inconsistency(node: &Node) -> Option<String> {
    for n in node.walk() {
        if !n.consistent {
            let what = match n.kind {
                NodeKind::Goal if n.step.kind == StepKind::Domain => "its clauses",
                _ => "its parts",
            };
            let goal = if n.goal.is_empty() {
                "a clause"
            } else {
                &n.goal
            };
            return Some(format!(
                "chalk says `{goal}` {}, but {what} say {}",
                n.status.word(),
                derived(n).map_or("nothing", |d| d.word())
            ));
        }
    }
    None
}
