//! Rule [`async-trait`](crate::rules::ASYNC_TRAIT): `#[async_trait]` (and
//! `#[async_trait(?Send)]`) on a trait and on its impls, as the
//! `async-trait` crate (0.1) expands it.
//!
//! Every `async fn` of the trait or impl becomes a method returning
//! `Pin<Box<dyn Future<Output = T> + Send + 'async_trait>>` (without `Send`
//! under `?Send`), with each elided lifetime of its arguments named
//! (`'life0`, `'life1`, ..) and outliving `'async_trait`, and an impl's body
//! becomes `Box::pin(async move { .. })`, which moves every argument into
//! the future. So the impl's future is checked against `Send` where it is
//! coerced to the `dyn` type, at the impl (rustc reports it at the `async`
//! keyword, and so does chalkboard); the trait has no `async fn` left, so it
//! is dyn compatible; and a caller that knows the impl's type sees only the
//! boxed `dyn` future, never the concrete future's auto traits.
//! A default body in the trait also asks `Self: Sync` (for `&self`) or
//! `Self: Send` (otherwise), as the crate's does.

use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::{HasGenericParams, HasName};
use ra_ap_syntax::{AstNode, TextRange};

use super::{span_of, Edit, Expander};
use crate::rules::ASYNC_TRAIT;
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;

/// Whether the futures must be `Send` (`#[async_trait]`) or not
/// (`#[async_trait(?Send)]`).
fn send_mode(ex: &mut Expander, attr: &ra::Attr, args: Option<String>) -> Option<bool> {
    match args.as_deref().map(str::trim) {
        None | Some("") => Some(true),
        Some("?Send") => Some(false),
        Some(other) => {
            ex.diags.push(
                Diagnostic::error(
                    crate::codes::MACRO_ARGUMENTS,
                    format!("expected #[async_trait] or #[async_trait(?Send)], not `{other}`"),
                    span_of(attr.syntax().text_range()),
                )
                .with_label("the async-trait crate does not accept this argument")
                .with_help("write `#[async_trait]` or `#[async_trait(?Send)]`"),
            );
            None
        }
    }
}

pub(super) fn on_trait(ex: &mut Expander, t: &ra::Trait, attr: &ra::Attr, args: Option<String>) {
    let Some(send) = send_mode(ex, attr, args) else {
        return;
    };
    let name = t.name().map(|n| n.text().to_string()).unwrap_or_default();
    for item in t
        .assoc_item_list()
        .into_iter()
        .flat_map(|l| l.assoc_items())
    {
        if let ra::AssocItem::Fn(f) = item {
            rewrite(ex, &f, send, true, &name);
        }
    }
}

pub(super) fn on_impl(ex: &mut Expander, i: &ra::Impl, attr: &ra::Attr, args: Option<String>) {
    let Some(send) = send_mode(ex, attr, args) else {
        return;
    };
    let name = i
        .trait_()
        .map(|t| t.syntax().text().to_string())
        .unwrap_or_default();
    let self_ty = i
        .self_ty()
        .map(|t| t.syntax().text().to_string())
        .unwrap_or_default();
    for item in i
        .assoc_item_list()
        .into_iter()
        .flat_map(|l| l.assoc_items())
    {
        if let ra::AssocItem::Fn(f) = item {
            rewrite(ex, &f, send, false, &format!("<{self_ty} as {name}>"));
        }
    }
}

/// Rewrites one `async fn`: its signature, and its body if it has one.
fn rewrite(ex: &mut Expander, f: &ra::Fn, send: bool, in_trait: bool, owner: &str) {
    let Some(kw) = f.async_token() else { return };
    let Some(params) = f.param_list() else { return };
    let name = f.name().map(|n| n.text().to_string()).unwrap_or_default();
    let sig_end = f
        .body()
        .map(|b| b.syntax().text_range().start())
        .or_else(|| f.semicolon_token().map(|s| s.text_range().start()));
    let Some(sig_end) = sig_end else { return };
    let sig_range = TextRange::new(kw.text_range().start(), sig_end);

    // Each elided lifetime in the arguments gets a name, as the crate
    // names them, and every lifetime and type parameter outlives the
    // future's `'async_trait`.
    let mut lifetimes: Vec<String> = Vec::new();
    let mut bounds: Vec<String> = Vec::new();
    let fresh = |lifetimes: &mut Vec<String>| {
        let l = format!("'life{}", lifetimes.len());
        lifetimes.push(l.clone());
        l
    };
    let mut arguments = Vec::new();
    let mut moved = Vec::new();
    let mut receiver_is_shared_ref = false;
    if let Some(s) = params.self_param() {
        let text = if s.amp_token().is_some() && s.lifetime().is_none() {
            receiver_is_shared_ref = s.mut_token().is_none();
            let l = fresh(&mut lifetimes);
            let m = if s.mut_token().is_some() { "mut " } else { "" };
            format!("&{l} {m}self")
        } else {
            if let Some(l) = s.lifetime() {
                bounds.push(format!("{}: 'async_trait", l.syntax().text()));
                receiver_is_shared_ref = s.mut_token().is_none();
            }
            s.syntax().text().to_string()
        };
        arguments.push(text);
        moved.push("self".to_string());
    }
    for p in params.params() {
        let pat = p
            .pat()
            .map(|p| p.syntax().text().to_string())
            .unwrap_or_default();
        if let Some(ra::Pat::IdentPat(ip)) = p.pat() {
            if let Some(n) = ip.name() {
                moved.push(n.text().to_string());
            }
        }
        let ty = match p.ty() {
            Some(ty) => name_lifetimes(&ty, &mut lifetimes, &mut bounds),
            None => String::new(),
        };
        arguments.push(format!("{pat}: {ty}"));
    }
    for l in &lifetimes {
        bounds.push(format!("{l}: 'async_trait"));
    }
    let mut generics: Vec<String> = lifetimes.clone();
    generics.push("'async_trait".into());
    for p in f
        .generic_param_list()
        .iter()
        .flat_map(|l| l.generic_params())
    {
        match &p {
            ra::GenericParam::TypeParam(tp) => {
                if let Some(n) = tp.name() {
                    bounds.push(format!("{}: 'async_trait", n.text()));
                }
            }
            ra::GenericParam::LifetimeParam(lp) => {
                if let Some(l) = lp.lifetime() {
                    bounds.push(format!("{}: 'async_trait", l.syntax().text()));
                }
            }
            ra::GenericParam::ConstParam(_) => {}
        }
        generics.push(p.syntax().text().to_string());
    }
    // Lifetimes come first in Rust's generics.
    generics.sort_by_key(|g| !g.starts_with('\''));
    if params.self_param().is_some() {
        let self_bound = if in_trait && send && f.body().is_some() {
            if receiver_is_shared_ref {
                "Sync + "
            } else {
                "::core::marker::Send + "
            }
        } else {
            ""
        };
        bounds.push(format!("Self: {self_bound}'async_trait"));
    }
    if let Some(w) = f.where_clause() {
        for pred in w.predicates() {
            bounds.push(pred.syntax().text().to_string());
        }
    }
    let output = f
        .ret_type()
        .and_then(|r| r.ty())
        .map_or("()".to_string(), |t| t.syntax().text().to_string());
    let send_bound = if send { " + ::core::marker::Send" } else { "" };
    let sig = format!(
        "fn {name}<{}>({}) -> ::core::pin::Pin<Box<dyn ::core::future::Future<Output = {output}>{send_bound} + 'async_trait>> where {} ",
        generics.join(", "),
        arguments.join(", "),
        bounds.join(", ")
    );
    let sig_origin = span_of(sig_range);
    ex.edits.push(Edit {
        range: sig_range,
        text: sig,
        origin: sig_origin,
    });
    if let Some(body) = f.body() {
        // The body moves into a boxed `async move` block, reported at the
        // `async` keyword as rustc reports the crate's block.
        let at_async = span_of(kw.text_range());
        let range = body.syntax().text_range();
        let moves: String = moved.iter().map(|m| format!("let _ = &{m}; ")).collect();
        ex.edits.push(Edit::insert(
            range.start(),
            format!("{{ Box::pin(async move {{ {moves}let __ret: {output} = "),
            at_async,
        ));
        ex.edits.push(Edit::insert(
            range.end(),
            "; __ret }) }".into(),
            span_of(TextRange::new(
                range.end() - ra_ap_syntax::TextSize::from(1),
                range.end(),
            )),
        ));
    }
    ex.applied.push(Applied::new(
        ASYNC_TRAIT,
        sig_origin,
        format!("{owner}::{name}"),
    ));
}

/// The text of an argument's type with every elided lifetime named: `&T`
/// becomes `&'lifeN T`, `'_` becomes `'lifeN`, and `impl Trait` gains
/// `+ 'async_trait`. A named lifetime outlives `'async_trait`.
fn name_lifetimes(ty: &ra::Type, lifetimes: &mut Vec<String>, bounds: &mut Vec<String>) -> String {
    let base = ty.syntax().text_range().start();
    let text = ty.syntax().text().to_string();
    // (offset, replaced length, text), applied from the end.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for node in ty.syntax().descendants() {
        if let Some(r) = ra::RefType::cast(node.clone()) {
            if r.lifetime().is_none() {
                if let Some(amp) = r.amp_token() {
                    let l = format!("'life{}", lifetimes.len());
                    lifetimes.push(l.clone());
                    let off = usize::from(amp.text_range().end() - base);
                    edits.push((off, 0, format!("{l} ")));
                }
            }
        } else if let Some(l) = ra::Lifetime::cast(node.clone()) {
            let t = l.syntax().text().to_string();
            let off = usize::from(l.syntax().text_range().start() - base);
            if t == "'_" {
                let named = format!("'life{}", lifetimes.len());
                lifetimes.push(named.clone());
                edits.push((off, 2, named));
            } else if t != "'static" && !bounds.contains(&format!("{t}: 'async_trait")) {
                bounds.push(format!("{t}: 'async_trait"));
            }
        } else if let Some(it) = ra::ImplTraitType::cast(node.clone()) {
            // Nested in another type, `impl A + 'b` needs parentheses.
            let nested = it.syntax().text_range().start() != base;
            let start = usize::from(it.syntax().text_range().start() - base);
            let end = usize::from(it.syntax().text_range().end() - base);
            if nested {
                edits.push((start, 0, "(".into()));
            }
            edits.push((
                end,
                0,
                format!(" + 'async_trait{}", if nested { ")" } else { "" }),
            ));
        }
    }
    let mut out = text;
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (off, len, with) in edits {
        out.replace_range(off..off + len, &with);
    }
    out
}
