//! Diagnostics for the obligations a body raises that do not hold, where
//! rustc puts them: at the call that demands the bound, naming each
//! culprit the way rustc's notes do, and the fix.
//!
//! A future that must be `Send` is explained by asking, field by field of
//! its generated struct, which held value is not `Send` (and, for a held
//! future, which of its own values), down to the leaves.

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::build;
use chalkboard_syntax::print::print_ty;
use chalkboard_syntax::Diagnostic;

use super::oracle::{Oracle, BODY_LIFETIME};
use super::{BodyFacts, HeldReport, HeldWhy, Obligation, Origin};
use crate::codes;

/// A type as messages show it: generated futures by what they are, the
/// body's lifetime elided.
pub fn show(ty: &ast::Ty, facts: &BodyFacts) -> String {
    // A method's future (the generic associated type of rule
    // `impl-trait-to-gat`, named after the method, so in lower case) shows
    // as rustc shows return type notation: `<H as HealthCheck>::check(..)`.
    if let ast::TyKind::Projection(p) = &ty.kind {
        if p.name.text.starts_with(|c: char| c.is_lowercase()) {
            let self_ty = match p.trait_ref.args.first() {
                Some(ast::GenericArg::Ty(t)) => show(t, facts),
                _ => "_".into(),
            };
            let mut trait_ref = p.trait_ref.clone();
            trait_ref.args.remove(0);
            let trait_args: Vec<String> = trait_ref
                .args
                .iter()
                .map(chalkboard_syntax::print::print_generic_arg)
                .collect();
            let trait_text = if trait_args.is_empty() {
                p.trait_ref.trait_name.text.clone()
            } else {
                format!("{}<{}>", p.trait_ref.trait_name.text, trait_args.join(", "))
            };
            return format!("<{self_ty} as {trait_text}>::{}(..)", p.name.text);
        }
    }
    let mut text = print_ty(ty);
    for (name, shown) in &facts.shown {
        if text.contains(name.as_str()) {
            text = replace_word(&text, name, shown);
        }
    }
    text.replace(&format!("'{BODY_LIFETIME}, "), "")
        .replace(&format!(", '{BODY_LIFETIME}"), "")
        .replace(&format!("<'{BODY_LIFETIME}>"), "")
        .replace(&format!("'{BODY_LIFETIME} "), "")
        .replace(&format!("'{BODY_LIFETIME}"), "'_")
}

/// Replaces `name` (and its arguments) as a whole word.
fn replace_word(text: &str, name: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after = &rest[at + name.len()..];
        let after_ok = !after.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        if !(before_ok && after_ok) {
            out.push_str(&rest[..at + name.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        out.push_str(with);
        rest = after;
        if rest.starts_with('<') {
            let mut depth = 0;
            for (i, c) in rest.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            rest = &rest[i + 1..];
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// The generated future a type is (its struct's name), if it is one.
fn future_name<'f>(ty: &ast::Ty, facts: &'f BodyFacts) -> Option<&'f str> {
    let (ast::TyKind::Name(n) | ast::TyKind::Apply(n, _)) = &ty.kind else {
        return None;
    };
    if opaque_hidden(ty, facts).is_some() {
        return None;
    }
    facts
        .shown
        .iter()
        .find(|(name, _)| *name == n.text && !name.starts_with("__impl"))
        .map(|(name, _)| name.as_str())
}

/// The hidden type behind an opaque return type (rule
/// `body-opaque-return`), as the type naming it sees it.
fn opaque_hidden(ty: &ast::Ty, facts: &BodyFacts) -> Option<ast::Ty> {
    let (ast::TyKind::Name(n) | ast::TyKind::Apply(n, _)) = &ty.kind else {
        return None;
    };
    let field = facts.items.iter().find_map(|i| match i {
        ast::Item::Adt(a)
            if a.name.text == n.text
                && a.flags.generated_by == Some(crate::rules::BODY_OPAQUE_RETURN) =>
        {
            a.variants.first()?.fields.first()
        }
        _ => None,
    })?;
    Some(future_subst(&n.text, ty, facts).apply(&field.ty))
}

/// A type with every opaque return type replaced by its hidden type, as
/// rustc explains an auto trait that leaks through one.
fn see_through(ty: &ast::Ty, facts: &BodyFacts) -> ast::Ty {
    let mut ty = ty.clone();
    for _ in 0..4 {
        match opaque_hidden(&ty, facts) {
            Some(h) => ty = h,
            None => break,
        }
    }
    ty
}

/// One leaf of an explanation: a held value that fails the bound, with its
/// type as the obligation's function sees it.
struct Culprit<'f> {
    held: &'f HeldReport,
    ty: ast::Ty,
}

/// The substitution of a generated future's parameters by the arguments of
/// a type naming it.
fn future_subst(future: &str, ty: &ast::Ty, facts: &BodyFacts) -> super::items::Subst {
    let args = match &ty.kind {
        ast::TyKind::Apply(_, args) => args.as_slice(),
        _ => &[],
    };
    let params = facts.items.iter().find_map(|i| match i {
        ast::Item::Adt(a) if a.name.text == future => Some(a.params.as_slice()),
        _ => None,
    });
    super::items::Subst::from_params(params.unwrap_or(&[]), args)
}

/// The held values of the future `ty` (a generated struct named `future`)
/// that fail `trait_name`, descending into held futures (a few levels).
#[allow(clippy::too_many_arguments)]
fn culprits<'f>(
    future: &str,
    ty: &ast::Ty,
    trait_name: &str,
    obligation: &Obligation,
    facts: &'f BodyFacts,
    oracle: &mut Oracle,
    depth: usize,
    out: &mut Vec<Culprit<'f>>,
) {
    if depth > 3 {
        return;
    }
    let subst = future_subst(future, ty, facts);
    for held in facts.held.iter().filter(|h| h.future == future) {
        let held_ty = subst.apply(&held.ty);
        let wc = ast::WhereClause::Implemented(build::trait_ref(
            &build::ident(trait_name, Span::default()),
            held_ty.clone(),
            &[],
            Span::default(),
        ));
        if oracle.holds(&obligation.env, wc) == Some(true) {
            continue;
        }
        match future_name(&held_ty, facts) {
            // A held future of this file: its own culprits explain it.
            Some(inner) if matches!(held.why, HeldWhy::Awaited { .. }) && inner != future => {
                let before = out.len();
                culprits(
                    inner,
                    &held_ty,
                    trait_name,
                    obligation,
                    facts,
                    oracle,
                    depth + 1,
                    out,
                );
                if out.len() == before {
                    out.push(Culprit { held, ty: held_ty });
                }
            }
            _ => out.push(Culprit { held, ty: held_ty }),
        }
    }
}

/// The function whose where clauses a fix goes into.
fn function_name(obligation: &Obligation, facts: &BodyFacts) -> String {
    facts
        .functions
        .get(obligation.function)
        .map(|f| f.name.trim_start_matches("fn ").to_string())
        .unwrap_or_default()
}

/// The diagnostic for an obligation that does not hold.
pub fn explain_failure(
    obligation: &Obligation,
    facts: &BodyFacts,
    oracle: &mut Oracle,
) -> Diagnostic {
    // rustc's words for a `&mut self` method called through a pointer that
    // derefs only to `&T`.
    if let Origin::DerefMut { ty } = &obligation.origin {
        return Diagnostic::error(
            codes::UNSATISFIED_BOUND,
            format!("cannot borrow data in dereference of `{ty}` as mutable"),
            obligation.span,
        )
        .with_label("cannot borrow as mutable")
        .with_help(format!(
            "trait `DerefMut` is required to modify through a dereference, but it is not implemented for `{ty}`"
        ));
    }
    let mut d = match &obligation.where_clause {
        ast::WhereClause::Implemented(tr) => {
            let self_ty = match tr.args.first() {
                Some(ast::GenericArg::Ty(t)) => t.clone(),
                _ => ast::Ty {
                    kind: ast::TyKind::Error,
                    span: obligation.span,
                },
            };
            let trait_name = tr.trait_name.text.as_str();
            let seen = see_through(&self_ty, facts);
            match future_name(&seen, facts) {
                Some(future) if trait_name == "Send" || trait_name == "Sync" => {
                    future_not_send(obligation, facts, oracle, future, &seen, trait_name)
                }
                _ => {
                    let shown = show(&self_ty, facts);
                    // rustc words the two thread-safety traits its own way.
                    let message = match trait_name {
                        "Send" => format!("`{shown}` cannot be sent between threads safely"),
                        "Sync" => format!("`{shown}` cannot be shared between threads safely"),
                        _ => format!("the trait bound `{shown}: {trait_name}` is not satisfied"),
                    };
                    Diagnostic::error(
                        codes::UNSATISFIED_BOUND,
                        message,
                        obligation.argument.unwrap_or(obligation.span),
                    )
                    .with_label(format!(
                        "the trait `{trait_name}` is not implemented for `{shown}`"
                    ))
                    .with_help(help_for_bound(&self_ty, trait_name, obligation, facts))
                }
            }
        }
        ast::WhereClause::AliasEq { projection, ty } => {
            let p = ast::Ty {
                kind: ast::TyKind::Projection(projection.clone()),
                span: obligation.span,
            };
            Diagnostic::error(
                codes::UNSATISFIED_BOUND,
                format!(
                    "type mismatch resolving `{} == {}`",
                    show(&p, facts),
                    show(ty, facts)
                ),
                obligation.span,
            )
            .with_label(format!("expected `{}`", show(ty, facts)))
        }
        other => {
            let text = chalkboard_syntax::print::print_where_clause(other);
            Diagnostic::error(
                codes::UNSATISFIED_BOUND,
                format!("`{text}` does not hold"),
                obligation.span,
            )
            .with_label("required here")
        }
    };
    match &obligation.origin {
        Origin::CalleeBound { callee, bound } => {
            let callee = callee.rsplit("::").next().unwrap_or(callee);
            d = d.with_secondary(*bound, format!("required by this bound in `{callee}`"));
        }
        Origin::Coercion { from, to } => {
            d = d.with_note(format!("required for the cast from `{from}` to `{to}`"));
        }
        Origin::MethodTrait { method } => {
            d = d.with_note(format!("required by the method `{method}`"));
        }
        Origin::Await => {
            d = d.with_note("`.await` needs the value to implement `IntoFuture`");
        }
        Origin::DerefMut { .. } => {}
        Origin::OpaqueBound { tail } => {
            let hidden = match &obligation.where_clause {
                ast::WhereClause::Implemented(tr) => match tr.args.first() {
                    Some(ast::GenericArg::Ty(t)) => Some(show(t, facts)),
                    _ => None,
                },
                _ => None,
            };
            if let Some(hidden) = hidden {
                d = d.with_secondary(
                    *tail,
                    format!("return type was inferred to be `{hidden}` here"),
                );
            }
        }
    }
    d
}

fn future_not_send(
    obligation: &Obligation,
    facts: &BodyFacts,
    oracle: &mut Oracle,
    future: &str,
    self_ty: &ast::Ty,
    trait_name: &str,
) -> Diagnostic {
    let shown = show(self_ty, facts);
    let label = if shown.starts_with("{async block") {
        format!("future created by async block is not `{trait_name}`")
    } else {
        format!("future returned by this call is not `{trait_name}`")
    };
    let mut d = Diagnostic::error(
        codes::FUTURE_NOT_SEND,
        if trait_name == "Send" {
            "future cannot be sent between threads safely".to_string()
        } else {
            format!("future cannot be shared between threads safely (it is not `{trait_name}`)")
        },
        obligation.span,
    )
    .with_label(label);
    let mut found = Vec::new();
    culprits(
        future, self_ty, trait_name, obligation, facts, oracle, 0, &mut found,
    );
    let fn_name = function_name(obligation, facts);
    let mut helps = Vec::new();
    for c in &found {
        let ty = show(&c.ty, facts);
        match &c.held.why {
            HeldWhy::Binding {
                name,
                binding,
                await_span,
            } => {
                d = d
                    .with_secondary(*binding, format!("has type `{ty}` which is not `{trait_name}`"))
                    .with_secondary(*await_span, format!("await occurs here, with `{name}` maybe used later"))
                    .with_note(format!("future is not `{trait_name}` as this value is used across an await: `{name}` has type `{ty}`"));
            }
            HeldWhy::Temporary { span, await_span } => {
                d = d
                    .with_secondary(*span, format!("has type `{ty}` which is not `{trait_name}`"))
                    .with_secondary(*await_span, "await occurs here, with the temporary maybe used later")
                    .with_note(format!("future is not `{trait_name}` as this temporary of type `{ty}` is held across an await"));
            }
            HeldWhy::Awaited { span, call } => {
                d = d
                    .with_secondary(*span, format!("await occurs here on type `{ty}`, which is not `{trait_name}`"))
                    .with_note(format!(
                        "future is not `{trait_name}` as it awaits another future which is not `{trait_name}`: the future of `{call}` is awaited here and is not known to be `{trait_name}`"
                    ));
                if let ast::TyKind::Projection(p) = &c.ty.kind {
                    // The bound to add names a type parameter (or an
                    // `impl Trait` argument's): for a concrete self type
                    // there is no where clause that would make its future
                    // `Send`, so no help is given.
                    let names_a_param = |ty: &ast::Ty| match &ty.kind {
                        ast::TyKind::Name(n) => {
                            n.text.starts_with("__impl") || is_param(&obligation.env, &n.text)
                        }
                        _ => false,
                    };
                    if let Some(ast::GenericArg::Ty(param)) = p
                        .trait_ref
                        .args
                        .first()
                        .filter(|a| matches!(a, ast::GenericArg::Ty(t) if names_a_param(t)))
                    {
                        let param_text = print_ty(param);
                        helps.push(if param_text.starts_with("__impl") {
                            format!(
                                "add `{}(..): {trait_name}` to the bounds of `{}`",
                                p.name.text,
                                show(param, facts)
                            )
                        } else {
                            format!(
                                "add `{param_text}: {}<{}(..): {trait_name}>` to the where clauses of `{fn_name}`",
                                p.trait_ref.trait_name.text,
                                p.name.text
                            )
                        });
                    }
                }
            }
            HeldWhy::Captured { name, span, by_ref } => {
                let how = if *by_ref { "borrowed" } else { "captured" };
                d = d
                    .with_secondary(
                        *span,
                        format!("has type `{ty}` which is not `{trait_name}`"),
                    )
                    .with_note(format!(
                        "{how} value is not `{trait_name}`: `{name}` has type `{ty}`"
                    ));
                if let ast::TyKind::Name(n) = &c.ty.kind {
                    if n.text.chars().next().is_some_and(|ch| ch.is_uppercase())
                        && is_param(&obligation.env, &n.text)
                    {
                        helps.push(format!(
                            "consider further restricting type parameter `{}` with trait `{trait_name}`: add `{}: {trait_name}` to the where clauses of `{fn_name}`",
                            n.text, n.text
                        ));
                    }
                }
            }
            HeldWhy::Argument { span } => {
                d = d
                    .with_secondary(
                        *span,
                        format!("has type `{ty}` which is not `{trait_name}`"),
                    )
                    .with_note(format!(
                        "the future owns this argument of type `{ty}`, which is not `{trait_name}`"
                    ));
            }
        }
    }
    if found.is_empty() {
        d = d.with_note(format!("within `{shown}`, the trait `{trait_name}` is not implemented for what the future holds"));
    }
    helps.dedup();
    if let Some(h) = helps.into_iter().next() {
        d = d.with_help(h);
    }
    d
}

fn is_param(env: &super::oracle::Env, name: &str) -> bool {
    env.params.iter().any(|p| p.name.text == name)
}

fn help_for_bound(
    self_ty: &ast::Ty,
    trait_name: &str,
    obligation: &Obligation,
    facts: &BodyFacts,
) -> String {
    let fn_name = function_name(obligation, facts);
    match &self_ty.kind {
        ast::TyKind::Name(n) if is_param(&obligation.env, &n.text) => format!(
            "consider further restricting type parameter `{}` with trait `{trait_name}`: add `{}: {trait_name}` to the where clauses of `{fn_name}`",
            n.text, n.text
        ),
        ast::TyKind::Projection(p) => format!(
            "consider further restricting the associated type: add `{}: {trait_name}` to the where clauses of `{fn_name}`",
            print_ty(&ast::Ty {
                kind: ast::TyKind::Projection(p.clone()),
                span: Span::default()
            })
        ),
        _ if matches!(obligation.origin, super::Origin::OpaqueBound { .. }) => format!(
            "return a value whose type implements `{trait_name}`, or drop `{trait_name}` from the bounds of the return type of `{fn_name}`"
        ),
        _ => format!("implement `{trait_name}` for `{}`, or pass a value of a type that implements it", show(self_ty, facts)),
    }
}
