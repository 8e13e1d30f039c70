//! Rule [`dyner`](crate::rules::DYNER): `#[dyner]` on a trait, and
//! `dyner::external_trait!` for a trait declared elsewhere, as the Stage 1
//! explainer describes the dyner crate ("Caveat: Async fn in trait are not
//! dyn safe"); the crate was never published, so the explainer is the
//! source the model follows (docs/macros.md).
//!
//! Beside the trait `Trait`, the macro generates:
//!
//! - `__DynerTrait`, a dyn-compatible copy of the trait (each method's
//!   name prefixed with `__dyner_`, so that a call never finds two methods)
//!   whose `async fn`s return `dyner::BoxFuture<'_, T>` (the model's
//!   `Pin<Box<dyn Future<Output = T> + '_>>`) and whose `impl Other`
//!   arguments are `DynOther`s, with a blanket impl for every `Trait` that
//!   boxes each method's future;
//! - `struct DynTrait<'me>`, which holds a `Box<dyn __DynerTrait + 'me>`;
//! - `impl<'me> Trait for DynTrait<'me>`, which forwards each method
//!   through dynamic dispatch (an `impl Other` argument is passed as a
//!   `DynOther`);
//! - `DynTrait::new(x)` and `DynTrait::from(x)` for any `x: Trait + 'me`
//!   (boxing), `DynTrait::from_ref(&x) -> dyner::Ref<DynTrait<'me>>`, which
//!   derefs only to `&DynTrait` (so only `&self` methods can be called), and
//!   `DynTrait::from_mut(&mut x) -> &'me mut DynTrait<'me>`.
//!
//! Neither the `dyn` type nor the boxed futures say `Send`, as the
//! explainer's `DynTrait` replaces `Box<dyn Trait>`: a `DynTrait` and its
//! futures are not `Send`, whatever the value inside.
//!
//! "Dyner safety": a method with an `impl Other` argument needs `DynOther`
//! at the same place as `Other` (another `#[dyner]` trait, a
//! `dyner::external_trait!`, or a trait of `dyner::std`); otherwise the
//! error names the missing type, in the explainer's words ("the type
//! `cc_traits::DynClear` is not found"), and nothing is generated for the
//! trait.

use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::{
    HasAttrs, HasGenericArgs, HasGenericParams, HasModuleItem, HasName, HasVisibility,
};
use ra_ap_syntax::{AstNode, Edition, SourceFile, TextRange};

use super::{attr_parts, span_of, Edit, Expander};
use crate::rules::DYNER;
use chalkboard_syntax::ast::Span;
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;

/// The traits of `dyner::std` that have a `Dyn` type in the model.
const DYNER_STD: &[&str] = &["Iterator", "ToString"];

/// Enters every `#[dyner]` trait and `dyner::external_trait!` of the file,
/// by module, and the names each module imports, before anything is
/// generated (a trait may name one declared after it).
pub(super) fn collect(ex: &mut Expander, items: impl Iterator<Item = ra::Item>) {
    super::for_each_item(items, &[], &mut |item, module| match item {
        ra::Item::Trait(t) => {
            let is_dyner = t
                .attrs()
                .any(|a| attr_parts(&a).is_some_and(|(p, _)| p == "dyner" || p == "dyner::dyner"));
            if let (true, Some(name)) = (is_dyner, t.name()) {
                ex.dyner_traits
                    .push((module.to_vec(), name.text().to_string()));
            }
        }
        ra::Item::MacroCall(call) => {
            if let Some((path, _)) = external_trait(call) {
                if let Some(last) = path.rsplit("::").next() {
                    ex.dyner_traits.push((module.to_vec(), last.to_string()));
                }
            }
        }
        ra::Item::Use(u) => {
            let text = u.syntax().text().to_string();
            ex.dyner_uses.push((module.to_vec(), text));
        }
        _ => {}
    });
}

/// `dyner::external_trait! { pub trait path::Trait { .. } }`: the trait's
/// path and its text with the path replaced by the trait's name.
fn external_trait(call: &ra::MacroCall) -> Option<(String, String)> {
    let path = call.path()?.syntax().text().to_string().replace(' ', "");
    if path != "dyner::external_trait" {
        return None;
    }
    let tt = call.token_tree()?.syntax().text().to_string();
    let body = tt.get(1..tt.len().checked_sub(1)?)?;
    let at = body.find("trait ")? + "trait ".len();
    let rest = &body[at..];
    // The path ends at the first `{`, `<` or single `:` (a supertrait).
    let mut end_at = rest.len();
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'<' => {
                end_at = i;
                break;
            }
            b':' if bytes.get(i + 1) == Some(&b':') => i += 1,
            b':' => {
                end_at = i;
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let trait_path = rest[..end_at].trim().to_string();
    let last = trait_path.rsplit("::").next()?.to_string();
    let text = format!("{}{} {}", &body[..at], last, &rest[end_at..]);
    Some((trait_path, text))
}

pub(super) fn on_macro_call(ex: &mut Expander, call: &ra::MacroCall, module: &[String]) {
    let Some((path, text)) = external_trait(call) else {
        return;
    };
    let origin = span_of(call.syntax().text_range());
    let parsed = SourceFile::parse(&text, Edition::Edition2024);
    let Some(ra::Item::Trait(t)) = parsed.tree().items().next() else {
        ex.diags.push(
            Diagnostic::error(
                crate::codes::MACRO_ARGUMENTS,
                "`dyner::external_trait!` expects a trait declaration: `pub trait path::Trait { .. }`",
                origin,
            )
            .with_label("no trait declaration here")
            .with_help("copy the trait's declaration into the macro, with its path: `dyner::external_trait! { pub trait cc_traits::Clear { fn clear(&mut self); } }`"),
        );
        return;
    };
    let vis = t
        .visibility()
        .map(|v| format!("{} ", v.syntax()))
        .unwrap_or_default();
    let Some(generated) = generate(ex, &t, module, origin, None) else {
        return;
    };
    let name = t.name().map(|n| n.text().to_string()).unwrap_or_default();
    ex.edits.push(Edit {
        range: call.syntax().text_range(),
        text: format!("{vis}use {path};\n{generated}"),
        origin,
    });
    ex.applied
        .push(Applied::new(DYNER, origin, format!("Dyn{name}")));
}

pub(super) fn on_trait(ex: &mut Expander, t: &ra::Trait, attr: &ra::Attr, module: &[String]) {
    let origin = span_of(attr.syntax().text_range());
    let Some(generated) = generate(ex, t, module, origin, Some(t.syntax().text_range().start()))
    else {
        return;
    };
    let name = t.name().map(|n| n.text().to_string()).unwrap_or_default();
    ex.edits.push(Edit::insert(
        t.syntax().text_range().end(),
        format!("\n{generated}"),
        origin,
    ));
    ex.applied
        .push(Applied::new(DYNER, origin, format!("Dyn{name}")));
}

/// How an argument is passed on: as written, or as a `Dyn` type built
/// from it.
enum Pass {
    AsIs,
    /// `impl Other` → `DynOther::new(x)`.
    Owned(String),
    /// `&mut impl Other` → `DynOther::from_mut(x)`.
    Mut(String),
    /// `&impl Other` → `&*DynOther::from_ref(x)`.
    Shared(String),
}

/// The generated items for a trait, or `None` (with the errors said) when
/// it is not dyner safe. `in_file` is where the trait starts in the file
/// (its errors point into it), or `None` for an external trait's copy.
fn generate(
    ex: &mut Expander,
    t: &ra::Trait,
    module: &[String],
    origin: Span,
    in_file: Option<ra_ap_syntax::TextSize>,
) -> Option<String> {
    let name = t.name()?.text().to_string();
    let at = |range: TextRange| match in_file {
        Some(_) => span_of(range),
        None => origin,
    };
    let unsupported = |ex: &mut Expander, span: Span, what: &str| {
        ex.diags.push(
            Diagnostic::error(
                crate::codes::RUST_UNSUPPORTED,
                format!("{what} is not supported by chalkboard's expansion of `#[dyner]`"),
                span,
            )
            .with_label("not supported here")
            .with_help("docs/macros.md lists what the expansion of `#[dyner]` covers; write the `Dyn` type by hand meanwhile"),
        );
    };
    if t.generic_param_list().is_some() {
        unsupported(ex, origin, "a trait with generic parameters");
        return None;
    }
    let vis = t
        .visibility()
        .map(|v| format!("{} ", v.syntax()))
        .unwrap_or_default();
    let erased = format!("__Dyner{name}");
    let dyn_name = format!("Dyn{name}");
    let mut erased_items = String::new();
    let mut blanket_items = String::new();
    let mut forward_items = String::new();
    let mut safe = true;
    for item in t
        .assoc_item_list()
        .into_iter()
        .flat_map(|l| l.assoc_items())
    {
        let f = match item {
            ra::AssocItem::Fn(f) => f,
            other => {
                unsupported(
                    ex,
                    at(other.syntax().text_range()),
                    "an associated type or constant in a `#[dyner]` trait",
                );
                safe = false;
                continue;
            }
        };
        let method = f.name().map(|n| n.text().to_string()).unwrap_or_default();
        let Some(params) = f.param_list() else {
            continue;
        };
        if f.generic_param_list().is_some() {
            unsupported(
                ex,
                at(f.syntax().text_range()),
                "a generic method in a `#[dyner]` trait",
            );
            safe = false;
            continue;
        }
        let output = f
            .ret_type()
            .and_then(|r| r.ty())
            .map_or("()".to_string(), |t| t.syntax().text().to_string());
        // A method that returns nothing is written without `-> ()`.
        let arrow = if f.ret_type().is_some() {
            format!(" -> {output}")
        } else {
            String::new()
        };
        if f.ret_type().is_some_and(|r| {
            r.syntax()
                .descendants()
                .any(|n| ra::ImplTraitType::can_cast(n.kind()))
        }) {
            unsupported(
                ex,
                at(f.syntax().text_range()),
                "`impl Trait` in a `#[dyner]` method's return type",
            );
            safe = false;
            continue;
        }
        let receiver = params.self_param().map(|s| {
            (
                s.amp_token().is_some(),
                s.mut_token().is_some(),
                s.syntax().text().to_string(),
            )
        });
        if let Some((false, _, _)) = receiver {
            unsupported(
                ex,
                at(f.syntax().text_range()),
                "a `self` receiver by value in a `#[dyner]` trait",
            );
            safe = false;
            continue;
        }
        // Each argument: as declared, as the erased trait takes it, and how
        // the forwarding impl passes it.
        let mut declared = Vec::new();
        let mut erased_params = Vec::new();
        let mut names = Vec::new();
        let mut passes = Vec::new();
        for (i, p) in params.params().enumerate() {
            let arg = match p.pat() {
                Some(ra::Pat::IdentPat(ip)) => ip.name().map(|n| n.text().to_string()),
                _ => None,
            }
            .unwrap_or_else(|| format!("__arg{i}"));
            let ty = p.ty();
            let ty_text = ty
                .as_ref()
                .map(|t| t.syntax().text().to_string())
                .unwrap_or_default();
            declared.push(format!("{arg}: {ty_text}"));
            names.push(arg);
            let (erased_ty, pass) = match &ty {
                Some(ra::Type::ImplTraitType(it)) => match dyn_type(ex, it, module, &at) {
                    Some(d) => (d.clone(), Pass::Owned(d)),
                    None => {
                        safe = false;
                        continue;
                    }
                },
                Some(ra::Type::RefType(r)) => match r.ty() {
                    Some(ra::Type::ImplTraitType(it)) => match dyn_type(ex, &it, module, &at) {
                        Some(d) if r.mut_token().is_some() => (format!("&mut {d}"), Pass::Mut(d)),
                        Some(d) => (format!("&{d}"), Pass::Shared(d)),
                        None => {
                            safe = false;
                            continue;
                        }
                    },
                    _ => (ty_text.clone(), Pass::AsIs),
                },
                Some(other)
                    if other
                        .syntax()
                        .descendants()
                        .any(|n| ra::ImplTraitType::can_cast(n.kind())) =>
                {
                    unsupported(
                        ex,
                        at(other.syntax().text_range()),
                        "`impl Trait` nested in an argument's type in a `#[dyner]` method",
                    );
                    safe = false;
                    continue;
                }
                _ => (ty_text.clone(), Pass::AsIs),
            };
            erased_params.push(format!("{}: {erased_ty}", names.last().unwrap()));
            passes.push(pass);
        }
        let passed: Vec<String> = names
            .iter()
            .zip(&passes)
            .map(|(n, p)| match p {
                Pass::AsIs => n.clone(),
                Pass::Owned(d) => format!("{}::new({n})", strip_args(d)),
                Pass::Mut(d) => format!("{}::from_mut({n})", strip_args(d)),
                Pass::Shared(d) => format!("&*{}::from_ref({n})", strip_args(d)),
            })
            .collect();
        let is_async = f.async_token().is_some();
        let Some((_, is_mut, self_text)) = receiver else {
            // Without a receiver there is nothing to dispatch on: the
            // method is declared on `DynTrait` and never forwarded.
            forward_items.push_str(&format!(
                "    fn {method}({}){arrow};\n",
                declared.join(", ")
            ));
            continue;
        };
        let borrow = if is_mut {
            "&mut *self.inner"
        } else {
            "&*self.inner"
        };
        let comma = |v: &Vec<String>| {
            if v.is_empty() {
                String::new()
            } else {
                format!(", {}", v.join(", "))
            }
        };
        if is_async {
            let m = if is_mut { "mut " } else { "" };
            let sig = format!(
                "fn __dyner_{method}<'__dyner>(&'__dyner {m}self{}) -> ::dyner::BoxFuture<'__dyner, {output}> where Self: '__dyner",
                comma(&erased_params)
            );
            erased_items.push_str(&format!("    {sig};\n"));
            blanket_items.push_str(&format!(
                "    {sig} {{\n        ::dyner::BoxFuture::new(<__DynerSelf as {name}>::{method}(self{}))\n    }}\n",
                comma(&names)
            ));
            forward_items.push_str(&format!(
                "    async fn {method}({self_text}{}){arrow} {{\n        {erased}::__dyner_{method}({borrow}{}).await\n    }}\n",
                comma(&declared),
                comma(&passed)
            ));
        } else {
            let sig = format!(
                "fn __dyner_{method}({self_text}{}){arrow}",
                comma(&erased_params)
            );
            erased_items.push_str(&format!("    {sig};\n"));
            blanket_items.push_str(&format!(
                "    {sig} {{\n        <__DynerSelf as {name}>::{method}(self{})\n    }}\n",
                comma(&names)
            ));
            forward_items.push_str(&format!(
                "    fn {method}({self_text}{}){arrow} {{\n        {erased}::__dyner_{method}({borrow}{})\n    }}\n",
                comma(&declared),
                comma(&passed)
            ));
        }
    }
    if !safe {
        return None;
    }
    Some(format!(
        "{vis}trait {erased} {{\n{erased_items}}}\n\
         impl<__DynerSelf: {name}> {erased} for __DynerSelf {{\n{blanket_items}}}\n\
         {vis}struct {dyn_name}<'me> {{\n    inner: Box<dyn {erased} + 'me>,\n}}\n\
         impl<'me> {name} for {dyn_name}<'me> {{\n{forward_items}}}\n\
         impl<'me> {dyn_name}<'me> {{\n\
         \x20   pub fn new(value: impl {name} + 'me) -> {dyn_name}<'me> {{\n        {dyn_name} {{ inner: Box::new(value) }}\n    }}\n\
         \x20   pub fn from(value: impl {name} + 'me) -> {dyn_name}<'me> {{\n        {dyn_name} {{ inner: Box::new(value) }}\n    }}\n\
         \x20   pub fn from_ref(value: &'me impl {name}) -> ::dyner::Ref<{dyn_name}<'me>>;\n\
         \x20   pub fn from_mut(value: &'me mut impl {name}) -> &'me mut {dyn_name}<'me>;\n\
         }}\n"
    ))
}

/// `path::DynOther<'_, A>` without its generic arguments, for a call.
fn strip_args(d: &str) -> String {
    d.split('<').next().unwrap_or(d).trim().to_string()
}

/// The `Dyn` type that stands for `impl Other<A, Item = B>`:
/// `path::DynOther<'_, A, B>`, when dyner safety finds it; otherwise the
/// explainer's error.
fn dyn_type(
    ex: &mut Expander,
    it: &ra::ImplTraitType,
    module: &[String],
    at: &dyn Fn(TextRange) -> Span,
) -> Option<String> {
    let span = at(it.syntax().text_range());
    let bound = it
        .type_bound_list()
        .and_then(|l| l.bounds().find(|b| b.ty().is_some()));
    let Some(ra::Type::PathType(pt)) = bound.as_ref().and_then(|b| b.ty()) else {
        return None;
    };
    let path = pt.path()?;
    let segments: Vec<String> = path
        .segments()
        .filter_map(|s| s.name_ref().map(|n| n.text().to_string()))
        .collect();
    let last = path.segment()?;
    let trait_name = last.name_ref()?.text().to_string();
    let mut args = vec!["'_".to_string()];
    if let Some(list) = last.generic_arg_list() {
        for a in list.generic_args() {
            match a {
                ra::GenericArg::TypeArg(t) => args.push(t.syntax().text().to_string()),
                ra::GenericArg::AssocTypeArg(b) => {
                    if let Some(t) = b.ty() {
                        args.push(t.syntax().text().to_string())
                    }
                }
                _ => {}
            }
        }
    }
    let prefix = &segments[..segments.len() - 1];
    let dyn_path = prefix
        .iter()
        .cloned()
        .chain(std::iter::once(format!("Dyn{trait_name}")))
        .collect::<Vec<_>>()
        .join("::");
    if !found(ex, module, prefix, &trait_name) {
        ex.diags.push(
            Diagnostic::error(
                crate::codes::RUST_UNKNOWN_NAME,
                format!("the type `{dyn_path}` is not found"),
                span,
            )
            .with_label(format!(
                "`#[dyner]` looks for `Dyn{trait_name}` where `{trait_name}` is declared"
            ))
            .with_help(format!(
                "apply `#[dyner]` to `{trait_name}`, or declare it with `dyner::external_trait!` in a module of yours and name it from there (docs/macros.md)"
            )),
        );
        return None;
    }
    Some(format!("{dyn_path}<{}>", args.join(", ")))
}

/// Whether `Dyn{name}` exists beside the trait `prefix::name`, seen from
/// `module`.
fn found(ex: &Expander, module: &[String], prefix: &[String], name: &str) -> bool {
    let dyn_name = format!("Dyn{name}");
    let known = |m: &[String]| ex.dyner_traits.iter().any(|(mm, n)| mm == m && n == name);
    if prefix.is_empty() {
        if known(module) {
            return true;
        }
        // Imported beside the trait: `use dyner::std::iter::{Iterator,
        // DynIterator}` or `use dyner::std::prelude::*`.
        return ex.dyner_uses.iter().any(|(m, text)| {
            m == module
                && (text.contains(&dyn_name)
                    || DYNER_STD.contains(&name)
                        && text.contains("dyner::std::")
                        && text.contains('*'))
        });
    }
    if prefix.first().is_some_and(|s| s == "dyner") {
        return prefix.get(1).is_some_and(|s| s == "std") && DYNER_STD.contains(&name);
    }
    let absolute: Vec<String> = match prefix.first().map(String::as_str) {
        Some("crate") => prefix[1..].to_vec(),
        Some("self") => module.iter().chain(&prefix[1..]).cloned().collect(),
        Some("super") => {
            let mut m = module.to_vec();
            let mut rest = prefix;
            while rest.first().is_some_and(|s| s == "super") {
                m.pop();
                rest = &rest[1..];
            }
            m.into_iter().chain(rest.iter().cloned()).collect()
        }
        _ => module.iter().chain(prefix).cloned().collect(),
    };
    known(&absolute) || known(prefix)
}
