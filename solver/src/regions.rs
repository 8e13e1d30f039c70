//! Rule [`region-decision`](crate::rules::REGION_DECISION): whether the
//! lifetime constraints that chalk leaves undecided hold.
//!
//! chalk never fails a goal on lifetimes: it proves the rest and returns
//! `Unique; lifetime constraints [..]`, leaving the constraints to the
//! caller (rustc's borrow checker, in a compiler). A spawn requires
//! `F: 'static`, so a design review needs them decided. This module decides
//! them the way rustc's region check does for a generic function, from what
//! the goal's environment says:
//!
//! - a constraint is trivially true when both sides are the same region,
//!   when the longer one is `'static`, or when an erased lifetime is
//!   involved (chalk erases what does not matter);
//! - the environment's facts are its outlives hypotheses (`'a: 'b`,
//!   `T: 'a`), the outlives bounds of the traits it assumes (`T: Tr` with
//!   `trait Tr where Self: 'static`), and the implied bounds of the
//!   reference types it assumes well-formed (`FromEnv(&'a T)` gives
//!   `T: 'a`);
//! - `T: 'a` for a type `T` that is not a parameter holds when each of its
//!   parts does (RFC 1214): the lifetimes and type arguments of an ADT, the
//!   lifetime and pointee of a reference, the lifetime of a `dyn` type; a
//!   projection holds by a fact about it or by its parts;
//! - facts compose transitively, and `'static` outlives everything;
//! - a lifetime the goal leaves existential (`exists<'x>`) is chosen to
//!   satisfy its constraints when some choice does.
//!
//! The decision is a separate verdict: chalk's answer is never changed.

use chalk_ir::fold::shift::Shift;
use chalk_ir::visit::VisitExt;
use chalk_ir::{
    Constraint, DomainGoal, FromEnv, GenericArgData, InEnvironment, Lifetime, LifetimeData,
    PlaceholderIndex, ProgramClause, Substitution, TraitRef, Ty, TyKind, WellFormed, WhereClause,
};
use chalk_solve::RustIrDatabase;
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;

/// What the region check concluded about a solution's constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionDecision {
    /// Every constraint holds; the texts name them (empty: there were none).
    Holds { constraints: Vec<String> },
    /// This constraint cannot be proven from the environment (the first one,
    /// in chalk's order); `required_by` is the constraint chalk returned when
    /// the unproven one is a part of it.
    Fails {
        unproven: String,
        required_by: Option<String>,
    },
    /// The check cannot decide: a constraint mentions a type chalk left
    /// unknown, or an existential lifetime bounded by a type parameter.
    Undecided { constraint: String },
}

/// A region, as the decision compares them.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Region {
    Static,
    Erased,
    Placeholder(PlaceholderIndex),
    /// A variable of the canonical solution: a lifetime the goal left
    /// existential.
    Var(usize),
    /// Anything else (an inference variable, an error lifetime): never
    /// proven to outlive anything but itself.
    Other(Lifetime<Ir>),
}

/// One atomic requirement a constraint decomposes into.
#[derive(Clone, Debug)]
enum Req {
    /// `a: b`
    Region(Region, Region),
    /// `P: r` for a type parameter, or a projection the environment has a
    /// fact about.
    Param(Ty<Ir>, Region),
    /// A type the decision cannot see into (an inference variable).
    Unknown(Ty<Ir>),
}

/// The environment's facts: `a: b` between regions, and `P: r` for types.
#[derive(Default)]
struct Facts {
    regions: Vec<(Region, Region)>,
    types: Vec<(Ty<Ir>, Region)>,
}

/// Decides the constraints of a unique solution. The facts are those of
/// each constraint's environment and of `goal_environment`, the
/// environment of the goal as peeled (chalk returns constraints with an
/// empty environment when the hypotheses are the goal's own). `describe`
/// prints a constraint with the user's names.
pub fn decide(
    program: &Program,
    constraints: &[InEnvironment<Constraint<Ir>>],
    goal_environment: &[ProgramClause<Ir>],
    describe: &dyn Fn(&Constraint<Ir>) -> String,
) -> RegionDecision {
    let mut texts = Vec::new();
    for c in constraints {
        let mut facts = facts_of(program, goal_environment, true);
        let own = facts_of(program, c.environment.clauses.as_slice(Ir), false);
        facts.regions.extend(own.regions);
        facts.types.extend(own.types);
        let mut reqs = Vec::new();
        match &c.goal {
            Constraint::LifetimeOutlives(a, b) => {
                if let (Some(a), Some(b)) = (region(a, 0), region(b, 0)) {
                    reqs.push(Req::Region(a, b));
                }
            }
            Constraint::TypeOutlives(ty, l) => {
                if let Some(r) = region(l, 0) {
                    requirements(ty, &r, 0, &facts, &mut reqs);
                }
            }
        }
        let original = describe(&c.goal);
        match check(&reqs, &facts) {
            Ok(()) => texts.push(original),
            Err(Some(req)) => {
                let unproven = describe_req(&req, describe);
                let required_by = (unproven != original).then_some(original);
                return RegionDecision::Fails {
                    unproven,
                    required_by,
                };
            }
            Err(None) => {
                return RegionDecision::Undecided {
                    constraint: original,
                }
            }
        }
    }
    RegionDecision::Holds { constraints: texts }
}

fn describe_req(req: &Req, describe: &dyn Fn(&Constraint<Ir>) -> String) -> String {
    let lifetime = |r: &Region| match r {
        Region::Static => LifetimeData::Static.intern(Ir),
        Region::Erased => LifetimeData::Erased.intern(Ir),
        Region::Placeholder(p) => LifetimeData::Placeholder(*p).intern(Ir),
        Region::Var(i) => LifetimeData::BoundVar(chalk_ir::BoundVar::new(
            chalk_ir::DebruijnIndex::INNERMOST,
            *i,
        ))
        .intern(Ir),
        Region::Other(l) => *l,
    };
    match req {
        Req::Region(a, b) => describe(&Constraint::LifetimeOutlives(lifetime(a), lifetime(b))),
        Req::Param(ty, r) => describe(&Constraint::TypeOutlives(ty.clone(), lifetime(r))),
        Req::Unknown(ty) => format!("{ty:?}"),
    }
}

/// A lifetime met `depth` binders deep inside a constraint, as a region;
/// `None` for a lifetime bound by one of those binders (a fn pointer's
/// `for<'a>`), which is no constraint on the caller.
fn region(l: &Lifetime<Ir>, depth: u32) -> Option<Region> {
    Some(match l.data(Ir) {
        LifetimeData::Static => Region::Static,
        LifetimeData::Erased => Region::Erased,
        LifetimeData::Placeholder(p) => Region::Placeholder(*p),
        LifetimeData::BoundVar(bv) if bv.debruijn.depth() < depth => return None,
        LifetimeData::BoundVar(bv) if bv.debruijn.depth() == depth => Region::Var(bv.index),
        _ => Region::Other(*l),
    })
}

/// The atomic requirements of `ty: r` (RFC 1214's rules), `depth` binders
/// deep.
fn requirements(ty: &Ty<Ir>, r: &Region, depth: u32, facts: &Facts, out: &mut Vec<Req>) {
    let args = |subst: &Substitution<Ir>, depth: u32, out: &mut Vec<Req>| {
        for arg in subst.iter(Ir) {
            match arg.data(Ir) {
                GenericArgData::Ty(t) => requirements(t, r, depth, facts, out),
                GenericArgData::Lifetime(l) => {
                    if let Some(l) = region(l, depth) {
                        out.push(Req::Region(l, r.clone()));
                    }
                }
                GenericArgData::Const(_) => {}
            }
        }
    };
    match ty.kind(Ir) {
        TyKind::Adt(_, s)
        | TyKind::Tuple(_, s)
        | TyKind::FnDef(_, s)
        | TyKind::Closure(_, s)
        | TyKind::Coroutine(_, s)
        | TyKind::CoroutineWitness(_, s)
        | TyKind::OpaqueType(_, s) => args(s, depth, out),
        TyKind::Ref(_, l, t) => {
            if let Some(l) = region(l, depth) {
                out.push(Req::Region(l, r.clone()));
            }
            requirements(t, r, depth, facts, out);
        }
        TyKind::Raw(_, t) | TyKind::Slice(t) | TyKind::Array(t, _) => {
            requirements(t, r, depth, facts, out)
        }
        TyKind::Scalar(_) | TyKind::Str | TyKind::Never | TyKind::Foreign(_) => {}
        TyKind::Dyn(d) => {
            if let Some(l) = region(&d.lifetime, depth) {
                out.push(Req::Region(l, r.clone()));
            }
        }
        TyKind::Function(f) => args(&f.substitution.0, depth + 1, out),
        TyKind::Placeholder(_) => out.push(Req::Param(ty.clone(), r.clone())),
        TyKind::Alias(_) | TyKind::AssociatedType(..) => {
            // A fact about the projection itself decides it; otherwise it
            // outlives `r` when all of its parts do.
            if depth == 0 && facts.types.iter().any(|(t, _)| t == ty) {
                out.push(Req::Param(ty.clone(), r.clone()));
            } else {
                match ty.kind(Ir) {
                    TyKind::AssociatedType(_, s) => args(s, depth, out),
                    TyKind::Alias(chalk_ir::AliasTy::Projection(p)) => {
                        args(&p.substitution, depth, out)
                    }
                    TyKind::Alias(chalk_ir::AliasTy::Opaque(o)) => {
                        args(&o.substitution, depth, out)
                    }
                    _ => {}
                }
            }
        }
        TyKind::BoundVar(bv) if bv.debruijn.depth() < depth => {}
        TyKind::BoundVar(_) | TyKind::InferenceVar(..) | TyKind::Error => {
            out.push(Req::Unknown(ty.clone()))
        }
    }
}

/// Checks requirements against facts: `Err(Some(req))` names the first that
/// fails, `Err(None)` says the check cannot decide.
fn check(reqs: &[Req], facts: &Facts) -> Result<(), Option<Req>> {
    let mut regions = Vec::new();
    let mut params = Vec::new();
    for req in reqs {
        match req {
            Req::Region(a, b) => regions.push((a.clone(), b.clone())),
            Req::Param(ty, r) => {
                if matches!(r, Region::Var(_)) {
                    // How small an existential lifetime may be chosen
                    // depends on facts about the type; not decided here.
                    return Err(None);
                }
                params.push((ty.clone(), r.clone()));
            }
            Req::Unknown(_) => return Err(None),
        }
    }
    for (ty, r) in params {
        let proven = r == Region::Erased
            || facts
                .types
                .iter()
                .any(|(t, x)| *t == ty && outlives(x, &r, facts));
        if !proven {
            return Err(Some(Req::Param(ty, r)));
        }
    }
    for (a, b) in eliminate_vars(regions) {
        if !outlives(&a, &b, facts) {
            return Err(Some(Req::Region(a, b)));
        }
    }
    Ok(())
}

/// Chooses the existential lifetimes: a variable `v` with `a: v` and `v: b`
/// can be chosen exactly when each such `a` outlives each such `b`, so `v`
/// is replaced by those requirements (transitively, one variable at a time).
fn eliminate_vars(mut reqs: Vec<(Region, Region)>) -> Vec<(Region, Region)> {
    loop {
        let var = reqs.iter().find_map(|(a, b)| match (a, b) {
            (Region::Var(v), _) | (_, Region::Var(v)) => Some(*v),
            _ => None,
        });
        let Some(v) = var else {
            return reqs;
        };
        let is_v = |r: &Region| *r == Region::Var(v);
        let longer: Vec<Region> = reqs
            .iter()
            .filter(|(a, b)| is_v(b) && !is_v(a))
            .map(|(a, _)| a.clone())
            .collect();
        let shorter: Vec<Region> = reqs
            .iter()
            .filter(|(a, b)| is_v(a) && !is_v(b))
            .map(|(_, b)| b.clone())
            .collect();
        reqs.retain(|(a, b)| !is_v(a) && !is_v(b));
        for a in &longer {
            for b in &shorter {
                reqs.push((a.clone(), b.clone()));
            }
        }
    }
}

/// Whether `a: b` follows from the facts: trivially, or through a chain of
/// facts `a: x`, `x: y`, .. that reaches `b` or `'static`.
fn outlives(a: &Region, b: &Region, facts: &Facts) -> bool {
    let trivial =
        |a: &Region| a == b || *a == Region::Static || *a == Region::Erased || *b == Region::Erased;
    let mut seen = vec![a.clone()];
    let mut next = vec![a.clone()];
    while let Some(x) = next.pop() {
        if trivial(&x) {
            return true;
        }
        for (from, to) in &facts.regions {
            if *from == x && !seen.contains(to) {
                seen.push(to.clone());
                next.push(to.clone());
            }
        }
    }
    false
}

/// The facts an environment gives, with the clauses' own (empty) binder
/// removed so that they speak of the solution's variables directly. The
/// goal's environment speaks of the goal's variables, which are not the
/// solution's: its clauses that mention any (`skip_variables`) are left out.
fn facts_of(program: &Program, clauses: &[ProgramClause<Ir>], skip_variables: bool) -> Facts {
    let mut facts = Facts::default();
    let mut seen_traits = Vec::new();
    for clause in clauses {
        let binders = &clause.data(Ir).0;
        if !binders.binders.is_empty(Ir) {
            continue;
        }
        let implication = binders.skip_binders();
        if !implication.conditions.is_empty(Ir) {
            continue;
        }
        let Ok(goal) = implication.consequence.clone().shifted_out(Ir) else {
            continue;
        };
        if skip_variables && goal.has_free_vars(Ir) {
            continue;
        }
        match goal {
            DomainGoal::Holds(wc) => where_clause_fact(program, &wc, &mut facts, &mut seen_traits),
            DomainGoal::FromEnv(FromEnv::Trait(tr)) => {
                trait_facts(program, &tr, &mut facts, &mut seen_traits)
            }
            DomainGoal::FromEnv(FromEnv::Ty(ty)) | DomainGoal::WellFormed(WellFormed::Ty(ty)) => {
                implied_bounds(&ty, &mut facts)
            }
            _ => {}
        }
    }
    facts
}

fn where_clause_fact(
    program: &Program,
    wc: &WhereClause<Ir>,
    facts: &mut Facts,
    seen_traits: &mut Vec<TraitRef<Ir>>,
) {
    match wc {
        WhereClause::LifetimeOutlives(o) => {
            if let (Some(a), Some(b)) = (region(&o.a, 0), region(&o.b, 0)) {
                facts.regions.push((a, b));
            }
        }
        WhereClause::TypeOutlives(o) => {
            if let Some(r) = region(&o.lifetime, 0) {
                type_fact(&o.ty, &r, facts);
            }
        }
        WhereClause::Implemented(tr) => trait_facts(program, tr, facts, seen_traits),
        WhereClause::AliasEq(_) => {}
    }
}

/// `ty: r` as facts: the type itself, and each of its parts (so that
/// `Vec<T>: 'a` gives `T: 'a`).
fn type_fact(ty: &Ty<Ir>, r: &Region, facts: &mut Facts) {
    facts.types.push((ty.clone(), r.clone()));
    let mut parts = Vec::new();
    requirements(ty, r, 0, &Facts::default(), &mut parts);
    for p in parts {
        match p {
            Req::Region(a, b) => facts.regions.push((a, b)),
            Req::Param(t, x) => facts.types.push((t, x)),
            Req::Unknown(_) => {}
        }
    }
}

/// The outlives bounds of a trait the environment assumes (its where
/// clauses, and those of the traits they assume in turn).
fn trait_facts(
    program: &Program,
    tr: &TraitRef<Ir>,
    facts: &mut Facts,
    seen_traits: &mut Vec<TraitRef<Ir>>,
) {
    if seen_traits.contains(tr) {
        return;
    }
    seen_traits.push(tr.clone());
    let datum = program.trait_datum(tr.trait_id);
    if datum.binders.len(Ir) != tr.substitution.len(Ir) {
        return;
    }
    let where_clauses = datum
        .binders
        .map_ref(|b| b.where_clauses.clone())
        .substitute(Ir, &tr.substitution);
    for qwc in where_clauses {
        if !qwc.binders.is_empty(Ir) {
            continue;
        }
        let Ok(wc) = qwc.skip_binders().clone().shifted_out(Ir) else {
            continue;
        };
        where_clause_fact(program, &wc, facts, seen_traits);
    }
}

/// The implied bounds of a type assumed well-formed: each reference
/// `&'a T` in it gives `T: 'a`.
fn implied_bounds(ty: &Ty<Ir>, facts: &mut Facts) {
    match ty.kind(Ir) {
        TyKind::Ref(_, l, inner) => {
            if let Some(r) = region(l, 0) {
                type_fact(inner, &r, facts);
            }
            implied_bounds(inner, facts);
        }
        TyKind::Adt(_, s) | TyKind::Tuple(_, s) => {
            for arg in s.iter(Ir) {
                if let GenericArgData::Ty(t) = arg.data(Ir) {
                    implied_bounds(t, facts);
                }
            }
        }
        TyKind::Raw(_, t) | TyKind::Slice(t) | TyKind::Array(t, _) => implied_bounds(t, facts),
        _ => {}
    }
}
