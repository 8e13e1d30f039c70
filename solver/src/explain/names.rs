//! Printing the goals of an explanation as a reader would write them: the
//! placeholders of a `forall` named after its parameters (`H`, `'a`), the
//! variables of an `exists` as `?T`, variables that unification bound
//! replaced by their values, and domain goals in the source language's
//! spelling (`Rc<u32>: Send` rather than `Implemented(Rc<u32>: Send)`).
//!
//! chalk prints a placeholder as `!U_I` (universe `U`, index `I`) and an
//! inference variable as `?N`; the printed text is rewritten token by token
//! from the names recorded when the binders were instantiated.

use std::collections::HashMap;
use std::fmt::Debug;

use chalk_ir::cast::Cast;
use std::convert::Infallible;

use chalk_ir::fold::shift::Shift;
use chalk_ir::fold::{FallibleTypeFolder, TypeFoldable};
use chalk_ir::{
    Binders, ConstData, ConstValue, DebruijnIndex, DomainGoal, GenericArg, Goal, GoalData,
    InferenceVar, LifetimeData, PlaceholderIndex, ProgramClause, QuantifierKind, TyKind,
    TyVariableKind, UniverseIndex, VariableKind, VariableKinds, WhereClause,
};
use chalk_solve::infer::InferenceTable;
use chalkboard_lowering::interner::Ir;

use super::hints::HintTree;

/// The universes of the placeholders that stand for the binders of a goal
/// or clause while it prints (nested binders count up from here); goals
/// never reach this many universes of their own.
const MARK: usize = 900_000;

/// The names of placeholders and inference variables.
#[derive(Default, Clone)]
pub(crate) struct Namer {
    universes: HashMap<UniverseIndex, Vec<String>>,
    vars: HashMap<u32, String>,
}

/// Default names for binders without a written name: `T`, `U`, `V`, ..
/// for types, `'a`, `'b`, .. for lifetimes, `N`, `M`, .. for consts.
pub(crate) fn default_names(kinds: &VariableKinds<Ir>) -> Vec<String> {
    let mut out = Vec::new();
    let (mut t, mut l, mut c) = (0usize, 0usize, 0usize);
    for kind in kinds.iter(Ir) {
        out.push(match kind {
            VariableKind::Ty(_) => {
                t += 1;
                let letters = ["T", "U", "V", "W", "X", "Y", "Z"];
                letters
                    .get(t - 1)
                    .map_or_else(|| format!("T{t}"), |s| s.to_string())
            }
            VariableKind::Lifetime => {
                l += 1;
                let letter = (b'a' + ((l - 1) % 26) as u8) as char;
                format!("'{letter}")
            }
            VariableKind::Const(_) => {
                c += 1;
                if c == 1 {
                    "N".to_string()
                } else {
                    format!("N{c}")
                }
            }
        });
    }
    out
}

/// Default names for `kinds` that are not among `taken`: the default name,
/// or its next spelling (`'b`, `'c`, .. or `T2`, `T3`, ..).
fn fresh_names(kinds: &VariableKinds<Ir>, taken: &[String]) -> Vec<String> {
    let mut used: Vec<String> = taken.to_vec();
    let mut out = Vec::new();
    for kind in kinds.iter(Ir) {
        let candidates: Box<dyn Iterator<Item = String>> = match kind {
            VariableKind::Lifetime => Box::new(
                (b'a'..=b'z')
                    .map(|c| format!("'{}", c as char))
                    .chain((2..).map(|n| format!("'a{n}"))),
            ),
            VariableKind::Ty(_) => Box::new(
                ["T", "U", "V", "W", "X", "Y", "Z"]
                    .into_iter()
                    .map(str::to_string)
                    .chain((2..).map(|n| format!("T{n}"))),
            ),
            VariableKind::Const(_) => {
                Box::new(std::iter::once("N".to_string()).chain((2..).map(|n| format!("N{n}"))))
            }
        };
        let Some(name) = candidates.into_iter().find(|n| !used.contains(n)) else {
            continue;
        };
        used.push(name.clone());
        out.push(name);
    }
    out
}

impl Namer {
    /// Names the placeholders of universe `ui` (one per binder, in order).
    /// Every name given so far.
    fn all_names(&self) -> Vec<String> {
        self.universes.values().flatten().cloned().collect()
    }

    pub(crate) fn name_universe(&mut self, ui: UniverseIndex, names: Vec<String>) {
        self.universes.insert(ui, names);
    }

    /// Names an inference variable (an `exists` binder's), printed `?name`.
    pub(crate) fn name_var(&mut self, var: InferenceVar, name: String) {
        self.vars.insert(var.index(), name);
    }

    /// The printed text of `value` after resolving bound variables, with
    /// names substituted.
    pub(crate) fn text<T>(&self, table: &mut InferenceTable<Ir>, value: &T) -> String
    where
        T: TypeFoldable<Ir> + Debug + Clone,
    {
        let resolved = resolve(table, value.clone());
        self.rename(&format!("{resolved:?}"))
    }

    /// A domain goal in the source language's spelling.
    pub(crate) fn domain_text(
        &self,
        table: &mut InferenceTable<Ir>,
        goal: &DomainGoal<Ir>,
    ) -> String {
        let goal = resolve(table, goal.clone());
        self.rename(&domain_goal(&goal))
    }

    /// A goal in the source language's spelling, binders named after the
    /// hints (or `T`, `'a`, .. when none).
    pub(crate) fn goal_text(
        &mut self,
        table: &mut InferenceTable<Ir>,
        goal: &Goal<Ir>,
        hint: Option<&HintTree>,
    ) -> String {
        let goal = resolve(table, goal.clone());
        let mut printer = Printer {
            namer: self.clone(),
            depth: 0,
        };
        let text = printer.goal(&goal, hint);
        printer.namer.rename(&text)
    }

    /// A program clause (a hypothesis), its binders named `T`, `'a`, ..
    pub(crate) fn clause_text(
        &self,
        table: &mut InferenceTable<Ir>,
        clause: &ProgramClause<Ir>,
    ) -> String {
        let clause = resolve(table, clause.clone());
        let mut printer = Printer {
            namer: self.clone(),
            depth: 0,
        };
        let text = printer.clause(&clause);
        printer.namer.rename(&text)
    }

    /// A value under binders, the binders opened and named `names` (or
    /// `T`, `'a`, .. when the count differs); domain goals and where
    /// clauses print in the source language's spelling.
    pub(crate) fn under_binders<T>(&self, binders: &Binders<T>, names: &[String]) -> String
    where
        T: TypeFoldable<Ir> + chalk_ir::interner::HasInterner<Interner = Ir> + Clone + Debug,
    {
        let (mut printer, inner) = self.open_named(binders, names);
        printer.readable(&inner)
    }

    /// The printer with `binders` opened as `names` (or default names when
    /// the count differs), and the value inside.
    fn open_named<T>(&self, binders: &Binders<T>, names: &[String]) -> (Printer, T)
    where
        T: TypeFoldable<Ir> + chalk_ir::interner::HasInterner<Interner = Ir> + Clone,
    {
        let names = if names.len() == binders.binders.len(Ir) {
            names.to_vec()
        } else {
            default_names(&binders.binders)
        };
        let mut printer = Printer {
            namer: self.clone(),
            depth: 0,
        };
        let (inner, _) = printer.open(binders, names);
        (printer, inner)
    }

    /// As [`Namer::under_binders`], for a value under two binders (an
    /// impl's parameters, then a `forall` of its own, as in a trait's
    /// where clause `forall<'a> <Self as Trait>::m<'a>: Send`): the inner
    /// binder prints as `for<'a> ..` with names of its own.
    pub(crate) fn under_nested_binders<T>(
        &self,
        binders: &Binders<Binders<T>>,
        names: &[String],
    ) -> String
    where
        T: TypeFoldable<Ir> + chalk_ir::interner::HasInterner<Interner = Ir> + Clone + Debug,
    {
        let (mut printer, inner) = self.open_named(binders, names);
        // The inner binder's names must not repeat the outer's.
        let taken: Vec<String> = printer.namer.all_names();
        let inner_names: Vec<String> = fresh_names(&inner.binders, &taken);
        let (value, list) = printer.open(&inner, inner_names);
        let text = printer.readable(&value);
        if list.is_empty() {
            text
        } else {
            format!("for<{list}> {text}")
        }
    }

    /// Rewrites chalk's `!U_I` placeholders and `?N` variables to names,
    /// and its spelling of integer and float types (`Uint(U32)`) to Rust's
    /// (`u32`).
    pub(crate) fn rename(&self, text: &str) -> String {
        let text = &scalars(text);
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'!' {
                if let Some((ui, idx, end)) = placeholder_at(bytes, i + 1) {
                    let lifetime = out.ends_with('\'');
                    if let Some(name) = self
                        .universes
                        .get(&UniverseIndex { counter: ui })
                        .and_then(|names| names.get(idx))
                    {
                        if lifetime {
                            out.push_str(name.trim_start_matches('\''));
                        } else {
                            out.push_str(name);
                        }
                        i = end;
                        continue;
                    }
                }
            } else if c == b'?' {
                let end = digits_end(bytes, i + 1);
                if end > i + 1 {
                    let n: u32 = text[i + 1..end].parse().unwrap_or(u32::MAX);
                    if let Some(name) = self.vars.get(&n) {
                        out.push('?');
                        out.push_str(name.trim_start_matches('\''));
                        i = end;
                        continue;
                    }
                }
            }
            // Copy one whole character (the text may hold non-ASCII names).
            let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + ch_len]);
            i += ch_len;
        }
        out
    }
}

/// `Uint(U32)` to `u32`, `Int(I64)` to `i64`, `Float(F64)` to `f64`.
fn scalars(text: &str) -> String {
    let mut out = readable_dyn(text);
    for (family, prefix) in [("Uint", 'U'), ("Int", 'I'), ("Float", 'F')] {
        for size in ["8", "16", "32", "64", "128", "size"] {
            let from = format!("{family}({prefix}{size})");
            if out.contains(&from) {
                let to = format!("{}{size}", prefix.to_ascii_lowercase());
                out = out.replace(&from, &to);
            }
        }
    }
    out
}

/// chalk prints a trait object with its bounds as quantified where clauses
/// on the object's own type (`dyn for<type> [for<> Implemented(^1.0:
/// Future), for<> AliasEq(<^1.0 as Future>::Output = Bool)] + 'a`); a
/// reader writes `dyn Future<Output = bool> + 'a`.
fn readable_dyn(text: &str) -> String {
    const OPEN: &str = "dyn for<type> [";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let inner_start = at + OPEN.len();
        let Some(len) = balanced_len(&rest[inner_start..], b'[', b']') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let inner = readable_dyn(&rest[inner_start..inner_start + len]);
        out.push_str("dyn ");
        out.push_str(&dyn_bounds(&inner));
        rest = &rest[inner_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The length of the text up to the `close` that balances an `open`
/// already passed.
fn balanced_len(text: &str, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        if b == open {
            depth += 1;
        } else if b == close {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
        }
    }
    None
}

/// `for<> Implemented(^1.0: Trait), for<> AliasEq(<^1.0 as Trait>::Name =
/// Ty)` as `Trait<Name = Ty>`, joined by ` + `.
fn dyn_bounds(inner: &str) -> String {
    let mut traits: Vec<(String, Vec<String>)> = Vec::new();
    for part in split_top_level(inner) {
        let part = part.trim();
        // Each bound has its own (usually empty) binder: `for<> ..`.
        let part = match part.strip_prefix("for<") {
            Some(after) => match balanced_len(after, b'<', b'>') {
                Some(len) => after[len + 1..].trim_start(),
                None => part,
            },
            None => part,
        };
        if let Some(body) = part
            .strip_prefix("Implemented(")
            .and_then(|b| b.strip_suffix(')'))
        {
            let name = body.split_once(": ").map_or(body, |(_, t)| t);
            traits.push((name.to_string(), Vec::new()));
        } else if let Some(body) = part
            .strip_prefix("AliasEq(<")
            .and_then(|b| b.strip_suffix(')'))
        {
            // `^1.0 as Future>::Output = Bool`
            let Some((_, after_as)) = body.split_once(" as ") else {
                return inner.to_string();
            };
            let Some((trait_name, assoc)) = after_as.split_once(">::") else {
                return inner.to_string();
            };
            let assoc = assoc.replace(" = Bool", " = bool");
            match traits.iter_mut().find(|(t, _)| t == trait_name) {
                Some((_, eqs)) => eqs.push(assoc),
                None => traits.push((trait_name.to_string(), vec![assoc])),
            }
        } else {
            return inner.to_string();
        }
    }
    traits
        .into_iter()
        .map(|(t, eqs)| {
            if eqs.is_empty() {
                t
            } else {
                match t.strip_suffix('>') {
                    // `Trait<A>` with `Name = Ty` is `Trait<A, Name = Ty>`.
                    Some(open) => format!("{open}, {}>", eqs.join(", ")),
                    None => format!("{t}<{}>", eqs.join(", ")),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Splits on the commas that are not inside brackets of any kind.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'<' => depth += 1,
            b')' | b']' => depth -= 1,
            // `->` is not a closing bracket.
            b'>' if i == 0 || text.as_bytes()[i - 1] != b'-' => depth -= 1,
            b',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn digits_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// `U_I` at `start` (after a `!`): the universe, the index and the end.
fn placeholder_at(bytes: &[u8], start: usize) -> Option<(usize, usize, usize)> {
    let ui_end = digits_end(bytes, start);
    if ui_end == start || bytes.get(ui_end) != Some(&b'_') {
        return None;
    }
    let idx_end = digits_end(bytes, ui_end + 1);
    if idx_end == ui_end + 1 {
        return None;
    }
    let text = std::str::from_utf8(&bytes[start..idx_end]).ok()?;
    let (ui, idx) = text.split_once('_')?;
    Some((ui.parse().ok()?, idx.parse().ok()?, idx_end))
}

/// A domain goal in the source language's spelling, where it has one.
pub(crate) fn domain_goal(goal: &DomainGoal<Ir>) -> String {
    match goal {
        DomainGoal::Holds(WhereClause::Implemented(tr)) => format!("{:?}", tr.with_colon()),
        DomainGoal::Holds(WhereClause::AliasEq(eq)) => format!("{:?} = {:?}", eq.alias, eq.ty),
        DomainGoal::Holds(WhereClause::LifetimeOutlives(o)) => format!("{:?}: {:?}", o.a, o.b),
        DomainGoal::Holds(WhereClause::TypeOutlives(o)) => {
            format!("{:?}: {:?}", o.ty, o.lifetime)
        }
        other => format!("{other:?}"),
    }
}

/// Replaces every bound inference variable by its value, and every unbound
/// one by the root of its unification class.
pub(crate) fn resolve<T: TypeFoldable<Ir>>(table: &mut InferenceTable<Ir>, value: T) -> T {
    match value.try_fold_with(&mut Resolver { table }, DebruijnIndex::INNERMOST) {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

struct Resolver<'t> {
    table: &'t mut InferenceTable<Ir>,
}

impl FallibleTypeFolder<Ir> for Resolver<'_> {
    type Error = Infallible;

    fn as_dyn(&mut self) -> &mut dyn FallibleTypeFolder<Ir, Error = Infallible> {
        self
    }

    fn interner(&self) -> Ir {
        Ir
    }

    fn try_fold_inference_ty(
        &mut self,
        var: InferenceVar,
        kind: TyVariableKind,
        outer_binder: DebruijnIndex,
    ) -> Result<chalk_ir::Ty<Ir>, Infallible> {
        Ok(match self.table.probe_var(var) {
            Some(arg) => match arg.ty(Ir) {
                Some(ty) => ty
                    .clone()
                    .try_fold_with(self.as_dyn(), DebruijnIndex::INNERMOST)?
                    .shifted_in_from(Ir, outer_binder),
                None => var.to_ty(Ir, kind),
            },
            None => self.table.inference_var_root(var).to_ty(Ir, kind),
        })
    }

    fn try_fold_inference_lifetime(
        &mut self,
        var: InferenceVar,
        outer_binder: DebruijnIndex,
    ) -> Result<chalk_ir::Lifetime<Ir>, Infallible> {
        Ok(match self.table.probe_var(var) {
            Some(arg) => match arg.lifetime(Ir) {
                Some(l) => (*l)
                    .try_fold_with(self.as_dyn(), DebruijnIndex::INNERMOST)?
                    .shifted_in_from(Ir, outer_binder),
                None => var.to_lifetime(Ir),
            },
            None => self.table.inference_var_root(var).to_lifetime(Ir),
        })
    }

    fn try_fold_inference_const(
        &mut self,
        ty: chalk_ir::Ty<Ir>,
        var: InferenceVar,
        outer_binder: DebruijnIndex,
    ) -> Result<chalk_ir::Const<Ir>, Infallible> {
        Ok(match self.table.probe_var(var) {
            Some(arg) => match arg.constant(Ir) {
                Some(c) => c
                    .clone()
                    .try_fold_with(self.as_dyn(), DebruijnIndex::INNERMOST)?
                    .shifted_in_from(Ir, outer_binder),
                None => var.to_const(Ir, ty),
            },
            None => self.table.inference_var_root(var).to_const(Ir, ty),
        })
    }
}

/// Prints compound goals and clauses, opening each binder with marker
/// placeholders that are then renamed.
struct Printer {
    namer: Namer,
    depth: usize,
}

impl Printer {
    /// A value as a reader writes it: a where clause prints
    /// `Implemented(T: Trait)`, a reader writes `T: Trait`, with the
    /// placeholders named.
    fn readable<T: Debug>(&mut self, value: &T) -> String {
        let text = format!("{value:?}");
        let text = match text.strip_prefix("Implemented(") {
            Some(rest) => rest.strip_suffix(')').unwrap_or(rest).to_string(),
            None => text,
        };
        self.namer.rename(&text)
    }

    /// Opens `binders` with marker placeholders named `names`; returns the
    /// value inside and the names joined for the `forall<..>` list.
    fn open<T>(&mut self, binders: &Binders<T>, names: Vec<String>) -> (T, String)
    where
        T: TypeFoldable<Ir> + chalk_ir::interner::HasInterner<Interner = Ir> + Clone,
    {
        self.depth += 1;
        let ui = UniverseIndex {
            counter: MARK + self.depth,
        };
        let args: Vec<GenericArg<Ir>> = binders
            .binders
            .iter(Ir)
            .enumerate()
            .map(|(idx, kind)| {
                let index = PlaceholderIndex { ui, idx };
                match kind {
                    VariableKind::Ty(_) => TyKind::Placeholder(index).intern(Ir).cast(Ir),
                    VariableKind::Lifetime => LifetimeData::Placeholder(index).intern(Ir).cast(Ir),
                    VariableKind::Const(ty) => ConstData {
                        ty: ty.clone(),
                        value: ConstValue::Placeholder(index),
                    }
                    .intern(Ir)
                    .cast(Ir),
                }
            })
            .collect();
        let list = names.join(", ");
        self.namer.name_universe(ui, names);
        (binders.clone().substitute(Ir, &args), list)
    }

    fn names_for(kinds: &VariableKinds<Ir>, hint: Option<&HintTree>) -> Vec<String> {
        match hint {
            Some(h) if h.names.len() == kinds.len(Ir) => h.names.clone(),
            _ => default_names(kinds),
        }
    }

    fn goal(&mut self, goal: &Goal<Ir>, hint: Option<&HintTree>) -> String {
        let child = |i: usize| hint.and_then(|h| h.children.get(i));
        match goal.data(Ir) {
            GoalData::Quantified(kind, binders) => {
                if binders.binders.is_empty(Ir) {
                    return self.goal(binders.skip_binders(), hint);
                }
                let names = Self::names_for(&binders.binders, hint);
                let (inner, list) = self.open(binders, names);
                let word = match kind {
                    QuantifierKind::ForAll => "forall",
                    QuantifierKind::Exists => "exists",
                };
                format!("{word}<{list}> {{ {} }}", self.goal(&inner, child(0)))
            }
            GoalData::Implies(clauses, inner) => {
                let hyps: Vec<String> = clauses.iter(Ir).map(|c| self.clause(c)).collect();
                format!(
                    "if ({}) {{ {} }}",
                    hyps.join("; "),
                    self.goal(inner, child(0))
                )
            }
            GoalData::All(goals) => goals
                .iter(Ir)
                .enumerate()
                .map(|(i, g)| self.goal(g, child(i)))
                .collect::<Vec<_>>()
                .join(", "),
            GoalData::Not(inner) => format!("not {{ {} }}", self.goal(inner, child(0))),
            GoalData::EqGoal(eq) => format!("{:?} = {:?}", eq.a, eq.b),
            GoalData::SubtypeGoal(s) => format!("Subtype({:?}, {:?})", s.a, s.b),
            GoalData::DomainGoal(dg) => domain_goal(dg),
            GoalData::CannotProve => "CannotProve".to_string(),
        }
    }

    fn clause(&mut self, clause: &ProgramClause<Ir>) -> String {
        let binders = &clause.data(Ir).0;
        let (implication, prefix) = if binders.binders.is_empty(Ir) {
            (binders.skip_binders().clone(), String::new())
        } else {
            let names = default_names(&binders.binders);
            let (inner, list) = self.open(binders, names);
            (inner, format!("forall<{list}> "))
        };
        let head = domain_goal(&implication.consequence);
        let conditions: Vec<String> = implication
            .conditions
            .iter(Ir)
            .map(|g| self.goal(g, None))
            .collect();
        if conditions.is_empty() {
            format!("{prefix}{head}")
        } else {
            format!("{prefix}{head} :- {}", conditions.join(", "))
        }
    }
}

#[cfg(test)]
mod dyn_tests {
    use super::readable_dyn;

    #[test]
    fn a_trait_object_prints_as_rust_writes_it() {
        assert_eq!(
            readable_dyn("Box<dyn for<type> [for<> Implemented(^1.0: Future), for<> AliasEq(<^1.0 as Future>::Output = Bool)] + 'a>: Send"),
            "Box<dyn Future<Output = bool> + 'a>: Send"
        );
        assert_eq!(
            readable_dyn("dyn for<type> [for<> Implemented(^1.0: Show), for<> Implemented(^1.0: Send)] + 'static"),
            "dyn Show + Send + 'static"
        );
        assert_eq!(
            readable_dyn("dyn for<type> [for<> Implemented(^1.0: Fn<(u32,)>), for<> AliasEq(<^1.0 as FnOnce<(u32,)>>::Output = u32)] + 'a"),
            "dyn Fn<(u32,)> + FnOnce<(u32,), Output = u32> + 'a"
        );
        // Text that is not a trait object stays as it is.
        assert_eq!(readable_dyn("Rc<u32>: Send"), "Rc<u32>: Send");
    }
}
