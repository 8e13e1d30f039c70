//! What a goal's syntax knows that its lowered form forgets: the names of
//! its quantifiers' parameters, where each hypothesis was written, and which
//! desugaring rule produced a quantifier or a hypothesis (return type
//! notation's `forall<'a> { <T as Trait>::m<'a>: Send }`, rule
//! `rtn-to-gat-bound`).
//!
//! A [`HintTree`] mirrors the lowered goal's structure (one child per
//! subgoal of a quantifier, an implication, a conjunction or a negation).
//! It is built by walking the syntax tree and the lowered goal side by
//! side: lowering keeps the order of quantifiers and implications (rules
//! `lower-goal`, `lower-quantified-goal`), so the non-empty quantifiers and
//! the implications of the syntax, in pre-order, are those of the lowered
//! goal, in pre-order. Should they ever not line up, the remaining nodes get
//! no hints and print with default names.

use chalk_ir::{Goal, GoalData};
use chalkboard_lowering::interner::Ir;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::registry::{Applied, Rule};

/// Hints for one node of a lowered goal, and its children's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HintTree {
    /// A quantifier's parameter names, as written (lifetimes with their
    /// quote).
    pub names: Vec<String>,
    /// An implication's hypotheses, in the lowered order.
    pub hypotheses: Vec<Hypothesis>,
    /// Where the node was written.
    pub span: Option<Span>,
    /// The desugaring rule that produced the node, if one did.
    pub rule: Option<Rule>,
    pub children: Vec<HintTree>,
}

/// Where a hypothesis was written and which rule produced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hypothesis {
    pub span: Option<Span>,
    pub rule: Option<Rule>,
}

/// A place in the syntax that introduces names or hypotheses.
enum Site {
    Quantifier {
        names: Vec<String>,
        span: Option<Span>,
        rule: Option<Rule>,
    },
    Implies {
        hypotheses: Vec<Hypothesis>,
        span: Option<Span>,
    },
}

/// A parameter's name as written, lifetimes with their quote.
pub fn param_name(p: &ast::VariableKind) -> String {
    match p.kind {
        ast::ParamKind::Lifetime => format!("'{}", p.name.text.trim_start_matches('\'')),
        _ => p.name.text.clone(),
    }
}

impl HintTree {
    /// Hints for a goal whose outermost quantifier binds `names`, and
    /// nothing else (a goal built from an item, such as an impl's
    /// well-formedness goal).
    pub fn quantifier(names: Vec<String>, child: HintTree) -> HintTree {
        HintTree {
            names,
            children: vec![child],
            ..HintTree::default()
        }
    }

    /// Hints for `goal` (lowered) from `syntax`, the goal as the rewritten
    /// tree holds it; `applied` are the rules desugaring applied.
    pub fn from_syntax(syntax: &ast::Goal, goal: &Goal<Ir>, applied: &[Applied]) -> HintTree {
        let mut sites = Vec::new();
        collect(syntax, applied, &mut sites);
        let mut sites = sites.into_iter().peekable();
        build(goal, &mut sites)
    }

    /// The hints of child `i` (or none).
    pub fn child(&self, i: usize) -> Option<&HintTree> {
        self.children.get(i)
    }
}

fn rule_at(applied: &[Applied], span: Span) -> Option<Rule> {
    applied
        .iter()
        .find(|a| a.span == span && a.rule.stage == chalkboard_syntax::registry::Stage::Desugar)
        .map(|a| a.rule)
        .filter(|r| {
            *r == chalkboard_lowering::rules::RTN_TO_GAT_BOUND
                || *r == chalkboard_lowering::rules::ASSOC_BOUND_TO_WHERE_CLAUSE
        })
}

/// Whether a hypothesis bounds a projection (what return type notation and
/// associated item bounds desugar to), as opposed to the trait bound written
/// next to them at the same place (`H: Trait<m(..): Send>` gives both).
fn bounds_projection(clause: &ast::Clause) -> bool {
    match &clause.consequence {
        ast::DomainGoal::Holds(ast::WhereClause::Implemented(tr)) => matches!(
            tr.args.first(),
            Some(ast::GenericArg::Ty(ast::Ty {
                kind: ast::TyKind::Projection(_),
                ..
            }))
        ),
        ast::DomainGoal::Holds(ast::WhereClause::AliasEq { .. }) => true,
        _ => false,
    }
}

/// A span, unless it is the empty span of a goal a check built.
fn known(span: Span) -> Option<Span> {
    (span.end > span.start).then_some(span)
}

fn collect(goal: &ast::Goal, applied: &[Applied], out: &mut Vec<Site>) {
    use ast::GoalKind as G;
    match &goal.kind {
        G::ForAll(params, inner) | G::Exists(params, inner) => {
            if !params.is_empty() {
                out.push(Site::Quantifier {
                    names: params.iter().map(param_name).collect(),
                    span: known(goal.span),
                    rule: rule_at(applied, goal.span),
                });
            }
            collect(inner, applied, out);
        }
        G::Implies(clauses, inner) => {
            out.push(Site::Implies {
                hypotheses: clauses
                    .iter()
                    .map(|c| Hypothesis {
                        span: known(c.span),
                        rule: rule_at(applied, c.span).filter(|_| bounds_projection(c)),
                    })
                    .collect(),
                span: known(goal.span),
            });
            collect(inner, applied, out);
        }
        G::And(goals) => {
            for g in goals {
                collect(g, applied, out);
            }
        }
        G::Not(inner) => collect(inner, applied, out),
        // `compatible { G }` is `forall<T> { if (Compatible; DownstreamType(T)) { G } }`.
        G::Compatible(inner) => {
            out.push(Site::Quantifier {
                names: vec!["Downstream".to_string()],
                span: known(goal.span),
                rule: None,
            });
            out.push(Site::Implies {
                hypotheses: vec![
                    Hypothesis {
                        span: known(goal.span),
                        rule: None,
                    };
                    2
                ],
                span: known(goal.span),
            });
            collect(inner, applied, out);
        }
        G::Leaf(_) | G::Error => {}
    }
}

fn build(goal: &Goal<Ir>, sites: &mut std::iter::Peekable<std::vec::IntoIter<Site>>) -> HintTree {
    let mut tree = HintTree::default();
    match goal.data(Ir) {
        GoalData::Quantified(_, binders) => {
            if !binders.binders.is_empty(Ir)
                && matches!(sites.peek(), Some(Site::Quantifier { .. }))
            {
                if let Some(Site::Quantifier { names, span, rule }) = sites.next() {
                    if names.len() == binders.binders.len(Ir) {
                        tree.names = names;
                    }
                    tree.span = span;
                    tree.rule = rule;
                }
            }
            tree.children.push(build(binders.skip_binders(), sites));
        }
        GoalData::Implies(clauses, inner) => {
            if matches!(sites.peek(), Some(Site::Implies { .. })) {
                if let Some(Site::Implies { hypotheses, span }) = sites.next() {
                    if hypotheses.len() == clauses.len(Ir) {
                        tree.hypotheses = hypotheses;
                    }
                    tree.span = span;
                }
            }
            tree.children.push(build(inner, sites));
        }
        GoalData::All(goals) => {
            for g in goals.iter(Ir) {
                tree.children.push(build(g, sites));
            }
        }
        GoalData::Not(inner) => tree.children.push(build(inner, sites)),
        _ => {}
    }
    tree
}
