//! Rule `implicit-sized`: Rust's implicit `Sized` bounds, and the relaxed
//! bound `?Sized` that opts out of them.
//!
//! In Rust every type parameter is `Sized` unless it says `?Sized`, and so
//! are associated types and the anonymous types of `-> impl Trait`. chalk's
//! test language has no such rule: a parameter is `Sized` only when a where
//! clause says so. A program that follows Rust's rules (one that writes
//! `use prelude::*;`, or one a Rust front end produced, which sets
//! [`File::implicit_sized`]) gets the bounds written out here, so that the
//! core lowering and chalk see them like any other where clause.
//!
//! In every program, the `?Sized` markers are checked and removed: a relaxed
//! bound only means something on a type parameter of the item that declares
//! it, and only for `Sized` (rustc's two rules).

use super::Sink;
use crate::rules;
use chalkboard_syntax::ast::*;
use chalkboard_syntax::build::{self, name_ty};
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::visit::{open_mut, walk_goal, VisitMut};

/// Applies rule [`implicit-sized`](crate::rules::IMPLICIT_SIZED) to every
/// item and goal when `rust_rules` is set and the program has a trait named
/// `Sized`; in any case checks and removes the `?Sized` markers of items.
/// `active`: Rust's rules apply ([`active`]).
pub(crate) fn implicit_sized(file: &mut File, active: bool, sink: &mut Sink) {
    let mut pass = Pass { active, sink };
    let total = file.items.len();
    for (done, item) in file.items.iter_mut().enumerate() {
        super::checkpoint(done, total, item.span());
        // Rule items-shared: an item the rule leaves as it is stays shared.
        if !untouched(item, active) {
            item_sized(item, &mut pass);
        }
        pass.sink.item_done(1);
    }
    // A Rust file's functions: their owners' and their own type
    // parameters (a trait's `Self` stays unsized, as in Rust).
    if let Some(rust) = &mut file.rust {
        for f in &mut rust.functions {
            let path = f.path.clone();
            let subject = Subject::Item(&path);
            match &mut f.owner {
                chalkboard_syntax::rust::FnOwner::Free => {}
                chalkboard_syntax::rust::FnOwner::Inherent {
                    params,
                    where_clauses,
                    ..
                }
                | chalkboard_syntax::rust::FnOwner::TraitImpl {
                    params,
                    where_clauses,
                    ..
                }
                | chalkboard_syntax::rust::FnOwner::Trait {
                    params,
                    where_clauses,
                    ..
                } => {
                    let params = params.clone();
                    pass.params(&params, where_clauses, &subject, f.span);
                }
            }
            let params = f.params.clone();
            pass.params(&params, &mut f.where_clauses, &subject, f.span);
        }
    }
    if active {
        for block in &mut file.goals {
            let mut goals = SizedGoals {
                sink: pass.sink,
                span: block.span,
            };
            goals.goal(&mut block.goal);
        }
    }
}

/// Whether rule implicit-sized adds bounds: Rust's rules apply
/// (`rust_rules`) and the program has a trait `Sized`.
pub(crate) fn active(items: &[Item], rust_rules: bool) -> bool {
    rust_rules
        && items
            .iter()
            .any(|i| matches!(i, Item::Trait(t) if t.name.text == "Sized"))
}

/// Rule implicit-sized on one item, which it changes.
fn item_sized(item: &mut Item, pass: &mut Pass) {
    match item {
        Item::Adt(d) => {
            let d = open_mut(d);
            let subject = Subject::Item(&d.name.text);
            pass.params(&d.params, &mut d.where_clauses, &subject, d.span);
        }
        Item::Fn(d) => {
            let d = open_mut(d);
            let subject = Subject::Item(&d.name.text);
            pass.params(&d.params, &mut d.where_clauses, &subject, d.span);
        }
        Item::Trait(t) => {
            let t = open_mut(t);
            let trait_name = &t.name.text;
            pass.params(
                &t.params,
                &mut t.where_clauses,
                &Subject::Item(trait_name),
                t.span,
            );
            for a in &mut t.assoc_ty_defns {
                let subject = Subject::Member(trait_name, &a.name.text);
                pass.params(&a.params, &mut a.where_clauses, &subject, a.span);
                pass.bounds(&mut a.bounds, &subject, a.span);
            }
            for m in &mut t.methods {
                let subject = Subject::Member(trait_name, &m.sig.name.text);
                pass.params(
                    &m.sig.params,
                    &mut m.sig.where_clauses,
                    &subject,
                    m.sig.span,
                );
                if let Some(Ty {
                    kind: TyKind::ImplTrait(bounds),
                    ..
                }) = &mut m.sig.return_type
                {
                    pass.bounds(bounds, &subject, m.sig.span);
                }
            }
        }
        Item::Impl(i) => {
            let i = open_mut(i);
            let trait_name = &i.trait_ref.trait_name.text;
            let subject = Subject::Impl(trait_name);
            pass.params(&i.params, &mut i.where_clauses, &subject, i.span);
            for m in &mut i.methods {
                let subject = Subject::ImplMember(trait_name, &m.sig.name.text);
                pass.params(
                    &m.sig.params,
                    &mut m.sig.where_clauses,
                    &subject,
                    m.sig.span,
                );
            }
        }
        _ => {}
    }
}

/// Whether rule implicit-sized certainly leaves `item` as it is: no
/// `?Sized` marker to remove, and, where the rule adds bounds (`active`),
/// no type parameter, associated type or `impl Trait` to bound. Erring
/// towards `false` only opens an item the rule then leaves as it was.
fn untouched(item: &Item, active: bool) -> bool {
    let quiet = |params: &[VariableKind], wcs: &[QuantifiedWhereClause]| {
        let relaxed = wcs
            .iter()
            .any(|w| matches!(w.where_clause, WhereClause::Relaxed { .. }));
        let bounded = active && params.iter().any(|p| p.kind == ParamKind::Ty);
        !relaxed && !bounded
    };
    let quiet_bounds = |bounds: &[QuantifiedInlineBound]| {
        !active
            && !bounds
                .iter()
                .any(|b| matches!(b.bound, InlineBound::Relaxed(_)))
    };
    match item {
        Item::Adt(d) => quiet(&d.params, &d.where_clauses),
        Item::Fn(d) => quiet(&d.params, &d.where_clauses),
        Item::Trait(t) => {
            quiet(&t.params, &t.where_clauses)
                && t.assoc_ty_defns
                    .iter()
                    .all(|a| quiet(&a.params, &a.where_clauses) && quiet_bounds(&a.bounds))
                && t.methods.iter().all(|m| {
                    quiet(&m.sig.params, &m.sig.where_clauses)
                        && match &m.sig.return_type {
                            Some(Ty {
                                kind: TyKind::ImplTrait(bounds),
                                ..
                            }) => quiet_bounds(bounds),
                            _ => true,
                        }
                })
        }
        Item::Impl(i) => {
            quiet(&i.params, &i.where_clauses)
                && i.methods
                    .iter()
                    .all(|m| quiet(&m.sig.params, &m.sig.where_clauses))
        }
        _ => true,
    }
}

/// What the parameters or bounds a rule reads belong to, as the rules
/// applied name it (`S`, `Trait::m`, `impl Trait`, `impl Trait: m`).
/// Rule `subject-printed-on-need`: it is printed only when a rule applies
/// or a diagnostic is made, not for every item and method.
enum Subject<'a> {
    Item(&'a str),
    Member(&'a str, &'a str),
    Impl(&'a str),
    ImplMember(&'a str, &'a str),
}

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Item(name) => write!(f, "{name}"),
            Subject::Member(owner, name) => write!(f, "{owner}::{name}"),
            Subject::Impl(trait_name) => write!(f, "impl {trait_name}"),
            Subject::ImplMember(trait_name, name) => write!(f, "impl {trait_name}: {name}"),
        }
    }
}

struct Pass<'s> {
    /// Rust's rules apply: bounds are added, not only markers removed.
    active: bool,
    sink: &'s mut Sink,
}

impl Pass<'_> {
    /// The type parameters `params` of one item (`subject`), with its where
    /// clauses: every `T: ?Sized` marker is checked and removed, and every
    /// other type parameter gets `T: Sized`.
    fn params(
        &mut self,
        params: &[VariableKind],
        wcs: &mut Vec<QuantifiedWhereClause>,
        subject: &Subject,
        span: Span,
    ) {
        let mut relaxed = Vec::new();
        let mut kept = Vec::with_capacity(wcs.len());
        for w in std::mem::take(wcs) {
            let WhereClause::Relaxed { ty, trait_name } = &w.where_clause else {
                kept.push(w);
                continue;
            };
            let own_param = match &ty.kind {
                TyKind::Name(n) if w.params.is_empty() => params
                    .iter()
                    .find(|p| p.kind == ParamKind::Ty && p.name.text == n.text),
                _ => None,
            };
            match own_param {
                _ if trait_name.text != "Sized" => self.only_sized(trait_name, w.span),
                None => self.not_permitted(w.span),
                Some(p) => relaxed.push(p.name.text.clone()),
            }
        }
        *wcs = kept;
        if !self.active {
            return;
        }
        let mut sized = Vec::new();
        for p in params.iter().filter(|p| p.kind == ParamKind::Ty) {
            let already = wcs.iter().any(|w| is_sized_bound_on(w, &p.name.text));
            if relaxed.contains(&p.name.text) || already {
                continue;
            }
            wcs.push(build::implemented(
                name_ty(p.name.text.clone(), p.name.span),
                "Sized",
                p.name.span,
            ));
            sized.push(p.name.text.clone());
        }
        if !sized.is_empty() {
            self.sink.applied(
                rules::IMPLICIT_SIZED,
                span,
                format!("{} of {subject}", sized.join(", ")),
            );
        }
    }

    /// The bounds of an associated type or of a method's `impl Trait`
    /// (`subject`): the type is `Sized` unless a `?Sized` bound says
    /// otherwise; the marker is removed.
    fn bounds(&mut self, bounds: &mut Vec<QuantifiedInlineBound>, subject: &Subject, span: Span) {
        let mut relaxed = false;
        let mut kept = Vec::with_capacity(bounds.len());
        for b in std::mem::take(bounds) {
            match &b.bound {
                InlineBound::Relaxed(name) if name.text != "Sized" => self.only_sized(name, b.span),
                InlineBound::Relaxed(_) => relaxed = true,
                _ => kept.push(b),
            }
        }
        *bounds = kept;
        let already = bounds.iter().any(|b| {
            b.params.is_empty()
                && matches!(&b.bound, InlineBound::Trait(t) if t.trait_name.text == "Sized")
        });
        if self.active && !relaxed && !already {
            bounds.push(build::trait_bound("Sized", span));
            self.sink
                .applied(rules::IMPLICIT_SIZED, span, subject.to_string());
        }
    }

    fn only_sized(&mut self, trait_name: &Ident, span: Span) {
        self.sink.diags.push(
            Diagnostic::error(
                crate::codes::INVALID_RELAXED_BOUND,
                "bound modifier `?` can only be applied to `Sized`",
                span,
            )
            .with_label(format!("`?{}` relaxes nothing", trait_name.text))
            .with_help("remove it: only `Sized` is a default bound that can be relaxed"),
        );
    }

    fn not_permitted(&mut self, span: Span) {
        self.sink.diags.push(
            Diagnostic::error(
                crate::codes::INVALID_RELAXED_BOUND,
                "this relaxed bound is not permitted here",
                span,
            )
            .with_label("not a type parameter of this item")
            .with_note(
                "in this context, relaxed bounds are only allowed on type parameters defined on the closest item",
            )
            .with_help("write `T: ?Sized` on the item that declares `T`"),
        );
    }
}

/// Whether `w` is the bound `name: Sized`, unquantified.
fn is_sized_bound_on(w: &QuantifiedWhereClause, name: &str) -> bool {
    let WhereClause::Implemented(t) = &w.where_clause else {
        return false;
    };
    w.params.is_empty()
        && t.trait_name.text == "Sized"
        && matches!(t.args.first(), Some(GenericArg::Ty(Ty { kind: TyKind::Name(n), .. })) if n.text == name)
}

/// Rule [`implicit-sized`](crate::rules::IMPLICIT_SIZED) on goals: a goal's
/// `forall<T> { G }` speaks of every type a Rust generic parameter could be,
/// and those are `Sized`, so it becomes `forall<T> { if (T: Sized) { G } }`.
struct SizedGoals<'s> {
    sink: &'s mut Sink,
    span: Span,
}

impl VisitMut for SizedGoals<'_> {
    fn goal(&mut self, goal: &mut Goal) {
        walk_goal(self, goal);
        let GoalKind::ForAll(params, body) = &mut goal.kind else {
            return;
        };
        // A body that already assumes `T: Sized` (a goal desugared before)
        // gets nothing more: the rule is idempotent.
        let assumed = |name: &str| {
            match &body.kind {
            GoalKind::Implies(clauses, _) => clauses.iter().any(|c| {
                c.params.is_empty()
                    && c.conditions.is_empty()
                    && matches!(&c.consequence, DomainGoal::Holds(wc) if is_sized_bound_on(
                        &QuantifiedWhereClause { params: Vec::new(), where_clause: wc.clone(), span: c.span },
                        name,
                    ))
            }),
            _ => false,
        }
        };
        let hypotheses: Vec<QuantifiedWhereClause> = params
            .iter()
            .filter(|p| p.kind == ParamKind::Ty && !assumed(&p.name.text))
            .map(|p| {
                build::implemented(
                    name_ty(p.name.text.clone(), p.name.span),
                    "Sized",
                    p.name.span,
                )
            })
            .collect();
        if hypotheses.is_empty() {
            return;
        }
        let names: Vec<String> = params
            .iter()
            .filter(|p| p.kind == ParamKind::Ty && !assumed(&p.name.text))
            .map(|p| p.name.text.clone())
            .collect();
        self.sink.applied(
            rules::IMPLICIT_SIZED,
            self.span,
            format!("{} of a goal's forall", names.join(", ")),
        );
        let inner = std::mem::replace(
            body.as_mut(),
            Goal {
                kind: GoalKind::Error,
                span: goal.span,
            },
        );
        let clauses = hypotheses
            .into_iter()
            .map(|w| Clause {
                params: Vec::new(),
                consequence: DomainGoal::Holds(w.where_clause),
                conditions: Vec::new(),
                span: w.span,
            })
            .collect();
        **body = Goal {
            span: inner.span,
            kind: GoalKind::Implies(clauses, Box::new(inner)),
        };
    }
}
