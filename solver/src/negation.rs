//! Stratified negation, checked before anything is solved.
//!
//! chalk answers `not { G }` by negation as failure. When proving `G` needs
//! the conclusion of the very clause whose condition negates it (`S: P if
//! not { S: P }`), there is no answer: chalk's SLG solver panics ("negative
//! cycle was detected") and its recursive solver loops until the deadline.
//! Logic programming calls a program without such a cycle *stratified*.
//!
//! Rule [`stratified-negation`](crate::rules::STRATIFIED_NEGATION): the
//! program's predicates (a trait, with its associated types, is one
//! predicate; every other kind of domain goal is one predicate per kind) form
//! a graph, with an edge from the conclusion of every clause, impl and trait
//! to each predicate its conditions use, marked negative under `not`. A
//! negative edge inside a cycle is reported on the clause that has it, with
//! the other clauses of the cycle, and the program (or the goal whose
//! hypotheses close the cycle) is not solved. The check is per predicate, not
//! per type: it may reject a program whose negation is stratified only type
//! by type, which chalk's solvers could still have answered.

use std::collections::BTreeMap;

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::Diagnostic;

/// One dependency: proving `from` uses `to`, negatively or not, as the
/// clause at `span` says.
#[derive(Clone, Debug)]
struct Edge {
    from: String,
    to: String,
    negative: bool,
    span: Span,
}

/// The dependency graph of a program's predicates.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    edges: Vec<Edge>,
}

impl Graph {
    /// The graph of a program's items.
    pub fn of_program(file: &ast::File) -> Graph {
        let mut g = Graph::default();
        let auto_traits: Vec<&str> = file
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Trait(t) if t.flags.auto => Some(t.name.text.as_str()),
                _ => None,
            })
            .collect();
        for item in &file.items {
            match item {
                ast::Item::Clause(c) => g.clause(c),
                ast::Item::Impl(i) => {
                    let head = i.trait_ref.trait_name.text.clone();
                    for w in &i.where_clauses {
                        g.where_clause(&head, &w.where_clause, i.span);
                    }
                }
                ast::Item::Trait(t) => {
                    // A trait's where clauses are implied by it and required
                    // by its well-formedness: both directions.
                    let head = t.name.text.clone();
                    for w in &t.where_clauses {
                        g.where_clause(&head, &w.where_clause, t.span);
                        for p in where_clause_predicates(&w.where_clause) {
                            g.edge(&p, &head, false, t.span);
                        }
                    }
                    for a in &t.assoc_ty_defns {
                        for w in &a.where_clauses {
                            g.where_clause(&head, &w.where_clause, a.span);
                        }
                    }
                }
                ast::Item::Adt(a) => {
                    // A type is well-formed when its where clauses hold,
                    // and a type assumed well-formed implies them.
                    for w in &a.where_clauses {
                        g.where_clause("WellFormed(type)", &w.where_clause, a.span);
                        for p in where_clause_predicates(&w.where_clause) {
                            g.edge(&p, "FromEnv(type)", false, a.span);
                        }
                    }
                    // An auto trait of an ADT needs it of every field type,
                    // normalized: projections in fields use their traits.
                    for f in a.variants.iter().flat_map(|v| &v.fields) {
                        for p in ty_predicates(&f.ty) {
                            for auto in &auto_traits {
                                g.edge(auto, &p, false, a.span);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        g
    }

    fn edge(&mut self, from: &str, to: &str, negative: bool, span: Span) {
        self.edges.push(Edge {
            from: from.to_string(),
            to: to.to_string(),
            negative,
            span,
        });
    }

    fn where_clause(&mut self, head: &str, wc: &ast::WhereClause, span: Span) {
        for p in where_clause_predicates(wc) {
            self.edge(head, &p, false, span);
        }
    }

    /// A custom clause: its conclusion depends on each condition.
    fn clause(&mut self, c: &ast::Clause) {
        let heads = domain_goal_predicates(&c.consequence);
        for condition in &c.conditions {
            let mut used = Vec::new();
            goal_predicates(condition, false, &mut used);
            for head in &heads {
                for (p, negative) in &used {
                    self.edge(head, p, *negative, c.span);
                }
            }
        }
    }

    /// The negative cycles of the graph, each as the diagnostic to report.
    pub fn negative_cycles(&self) -> Vec<Diagnostic> {
        self.negative_cycles_among(|_| true)
    }

    /// The negative cycles that the hypotheses of `goal` close, on top of
    /// the program's graph.
    pub fn negative_cycles_in_goal(&self, goal: &ast::Goal) -> Vec<Diagnostic> {
        let mut clauses = Vec::new();
        hypotheses(goal, &mut clauses);
        let mut added = Graph::default();
        for c in clauses {
            added.clause(c);
        }
        // Rule `goal-graph-unless-negated`: only the edges the goal's
        // hypotheses add are considered, and only a negative one makes a
        // diagnostic, so a goal whose hypotheses add no negative edge (most
        // goals have no hypotheses at all) closes no cycle, and the
        // program's graph is neither copied nor searched for it.
        if !added.edges.iter().any(|e| e.negative) {
            return Vec::new();
        }
        let mut g = self.clone();
        let before = g.edges.len();
        g.edges.extend(added.edges);
        g.negative_cycles_among(|i| i >= before)
    }

    /// One diagnostic per negative edge (among those `consider` selects)
    /// whose ends lie on a common cycle.
    fn negative_cycles_among(&self, consider: impl Fn(usize) -> bool) -> Vec<Diagnostic> {
        let component = self.components();
        let mut out: Vec<Diagnostic> = Vec::new();
        for (i, e) in self.edges.iter().enumerate() {
            if !e.negative || !consider(i) || component[&e.from] != component[&e.to] {
                continue;
            }
            if out.iter().any(|d| d.primary.span == e.span) {
                continue;
            }
            let c = component[&e.from];
            let mut d = Diagnostic::error(
                crate::codes::NEGATIVE_CYCLE,
                format!(
                    "negative reasoning is not stratified: proving `{}` needs `not {{ .. {} .. }}`, which needs `{}` again",
                    e.from, e.to, e.from
                ),
                e.span,
            )
            .with_label("this clause negates a goal that depends on its own conclusion");
            let mut others: Vec<Span> = Vec::new();
            for other in &self.edges {
                let on_cycle = component[&other.from] == c && component[&other.to] == c;
                if on_cycle && other.span != e.span && !others.contains(&other.span) {
                    others.push(other.span);
                }
            }
            for span in others {
                d = d.with_secondary(span, "part of the cycle");
            }
            d = d
                .with_note(
                    "chalk's SLG solver panics on such a cycle (\"negative cycle was detected\") and its recursive solver does not terminate, so no goal was solved",
                )
                .with_help(
                    "state the negated fact positively, or make sure nothing the `not { .. }` needs depends on the clause's conclusion",
                );
            out.push(d);
        }
        out
    }

    /// The strongly connected component of every predicate (Tarjan's
    /// algorithm, iterative so that a long chain cannot exhaust the stack).
    fn components(&self) -> BTreeMap<String, usize> {
        let mut nodes: Vec<&str> = Vec::new();
        let mut id: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &self.edges {
            for n in [e.from.as_str(), e.to.as_str()] {
                if !id.contains_key(n) {
                    id.insert(n, nodes.len());
                    nodes.push(n);
                }
            }
        }
        let mut succ = vec![Vec::new(); nodes.len()];
        for e in &self.edges {
            succ[id[e.from.as_str()]].push(id[e.to.as_str()]);
        }
        let n = nodes.len();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut comp = vec![usize::MAX; n];
        let mut next_index = 0;
        let mut next_comp = 0;
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            // (node, position in its successor list)
            let mut work = vec![(root, 0)];
            index[root] = next_index;
            low[root] = next_index;
            next_index += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (v, ref mut pos)) = work.last_mut() {
                if let Some(&w) = succ[v].get(*pos) {
                    *pos += 1;
                    if index[w] == usize::MAX {
                        index[w] = next_index;
                        low[w] = next_index;
                        next_index += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
        nodes
            .iter()
            .enumerate()
            .map(|(i, name)| (name.to_string(), comp[i]))
            .collect()
    }
}

/// Rule `graph-built-when-negated`: a negative cycle needs a negative edge,
/// and only a custom clause with a `not { .. }` among its conditions makes
/// one (every other item's edges are positive). A program without such a
/// clause has no negative cycle, so its graph is not built for the check;
/// and the goals need the program's graph only when some goal's
/// hypotheses negate.
pub fn program_negates(file: &ast::File) -> bool {
    file.items
        .iter()
        .any(|item| matches!(item, ast::Item::Clause(c) if clause_negates(c)))
}

/// Whether the hypotheses of `goal` hold a clause that negates (rule
/// graph-built-when-negated).
pub fn hypotheses_negate(goal: &ast::Goal) -> bool {
    let mut clauses = Vec::new();
    hypotheses(goal, &mut clauses);
    clauses.into_iter().any(clause_negates)
}

/// Whether a clause's conditions use a predicate under `not`: the negative
/// edges [`Graph::clause`] would add.
fn clause_negates(c: &ast::Clause) -> bool {
    c.conditions.iter().any(|condition| {
        let mut used = Vec::new();
        goal_predicates(condition, false, &mut used);
        used.iter().any(|&(_, negative)| negative)
    })
}

/// The clauses an `if (..)` anywhere in a goal assumes.
fn hypotheses<'g>(goal: &'g ast::Goal, out: &mut Vec<&'g ast::Clause>) {
    match &goal.kind {
        ast::GoalKind::ForAll(_, g)
        | ast::GoalKind::Exists(_, g)
        | ast::GoalKind::Not(g)
        | ast::GoalKind::Compatible(g) => hypotheses(g, out),
        ast::GoalKind::Implies(clauses, g) => {
            out.extend(clauses);
            hypotheses(g, out);
        }
        ast::GoalKind::And(goals) => {
            for g in goals {
                hypotheses(g, out);
            }
        }
        ast::GoalKind::Leaf(_) | ast::GoalKind::Error => {}
    }
}

/// The predicates a goal uses, each with whether it is under a `not`.
fn goal_predicates(goal: &ast::Goal, negative: bool, out: &mut Vec<(String, bool)>) {
    match &goal.kind {
        ast::GoalKind::ForAll(_, g)
        | ast::GoalKind::Exists(_, g)
        | ast::GoalKind::Implies(_, g)
        | ast::GoalKind::Compatible(g) => goal_predicates(g, negative, out),
        ast::GoalKind::Not(g) => goal_predicates(g, true, out),
        ast::GoalKind::And(goals) => {
            for g in goals {
                goal_predicates(g, negative, out);
            }
        }
        ast::GoalKind::Leaf(ast::LeafGoal::DomainGoal(d)) => {
            for p in domain_goal_predicates(d) {
                out.push((p, negative));
            }
        }
        ast::GoalKind::Leaf(_) | ast::GoalKind::Error => {}
    }
}

/// The predicates a domain goal is about: its trait, for every form that
/// names one; otherwise the kind of goal.
fn domain_goal_predicates(d: &ast::DomainGoal) -> Vec<String> {
    use ast::DomainGoal as D;
    match d {
        D::Holds(wc) => where_clause_predicates(wc),
        D::Normalize { projection, .. } => vec![projection.trait_ref.trait_name.text.clone()],
        D::TraitRefWellFormed(t) | D::TraitRefFromEnv(t) | D::LocalImplAllowed(t) => {
            vec![t.trait_name.text.clone()]
        }
        D::TyWellFormed(_) => vec!["WellFormed(type)".into()],
        D::TyFromEnv(_) => vec!["FromEnv(type)".into()],
        D::IsLocal(_) => vec!["IsLocal".into()],
        D::IsUpstream(_) => vec!["IsUpstream".into()],
        D::IsFullyVisible(_) => vec!["IsFullyVisible".into()],
        D::Compatible => vec!["Compatible".into()],
        D::DownstreamType(_) => vec!["DownstreamType".into()],
        D::Reveal => vec!["Reveal".into()],
        D::ObjectSafe(t) => vec![format!("ObjectSafe({})", t.text)],
    }
}

fn where_clause_predicates(wc: &ast::WhereClause) -> Vec<String> {
    match wc {
        ast::WhereClause::Implemented(t) => vec![t.trait_name.text.clone()],
        ast::WhereClause::AliasEq { projection, .. } => {
            vec![projection.trait_ref.trait_name.text.clone()]
        }
        ast::WhereClause::BoundWithAssocBounds { bound, .. } => vec![bound.trait_name.text.clone()],
        _ => Vec::new(),
    }
}

/// The traits of the projections a type mentions.
fn ty_predicates(ty: &ast::Ty) -> Vec<String> {
    let mut out = Vec::new();
    // Rule `walk-shared`: the type is read where it is, not copied.
    let mut collect = ProjectionTraits(&mut out);
    chalkboard_syntax::visit::shared::Visit::ty(&mut collect, ty);
    out
}

struct ProjectionTraits<'o>(&'o mut Vec<String>);

impl chalkboard_syntax::visit::shared::Visit for ProjectionTraits<'_> {
    fn ty(&mut self, ty: &ast::Ty) {
        if let ast::TyKind::Projection(p) = &ty.kind {
            self.0.push(p.trait_ref.trait_name.text.clone());
        }
        chalkboard_syntax::visit::shared::walk_ty(self, ty);
    }
}
