//! Rule [`trait-variant-make`](crate::rules::TRAIT_VARIANT_MAKE):
//! `#[trait_variant::make(SendTrait: Send)]` on a trait, as the
//! `trait-variant` crate (0.1) expands it.
//!
//! The trait stays as written, and two items follow it: the variant, a
//! copy of the trait named `SendTrait` with the attribute's bounds added to
//! its supertraits and to the future of every `async fn` (which becomes
//! `fn .. -> impl Future<Output = T> + Send`, as does every `-> impl Trait`
//! method's return type), and the blanket impl of the original trait for
//! every type that implements the variant, whose methods call the
//! variant's. So `impl SendTrait for X` asks `X`'s futures to be `Send` at
//! the impl, and a type that implements only the original trait is not a
//! `SendTrait`. `#[trait_variant::make(Send)]`, without a name, rewrites the
//! trait itself into its variant.

use ra_ap_syntax::ast as ra;
use ra_ap_syntax::ast::{HasGenericParams, HasName, HasTypeBounds, HasVisibility};
use ra_ap_syntax::AstNode;

use super::{span_of, text_after_attrs, Edit, Expander};
use crate::rules::TRAIT_VARIANT_MAKE;
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;

/// The name of the blanket impl's type parameter, as the crate names it.
const BLANKET: &str = "TraitVariantBlanketType";

pub(super) fn make(ex: &mut Expander, t: &ra::Trait, attr: &ra::Attr, args: Option<String>) {
    let origin = span_of(attr.syntax().text_range());
    let Some(name) = t.name().map(|n| n.text().to_string()) else {
        return;
    };
    let args = args.unwrap_or_default();
    let (variant, bounds) = match args
        .split_once(':')
        .filter(|(_, rest)| !rest.starts_with(':'))
    {
        Some((variant, bounds)) => (Some(variant.trim().to_string()), bounds.trim().to_string()),
        None => (None, args.trim().to_string()),
    };
    // The crate's grammar: an identifier, `:` and bounds joined by `+`
    // (possibly none), or bounds alone; a bound is a path.
    let is_ident = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    let bound_ok = |b: &str| {
        let b = b.trim();
        !b.is_empty() && !b.contains(char::is_whitespace)
    };
    let bounds_ok = if variant.is_some() && bounds.is_empty() {
        true
    } else {
        bounds.split('+').all(bound_ok)
    };
    if !bounds_ok || variant.as_deref().is_some_and(|v| !is_ident(v)) {
        ex.diags.push(
            Diagnostic::error(
                crate::codes::MACRO_ARGUMENTS,
                "`trait_variant::make` expects `VariantName: Bounds` or `Bounds`, with bounds joined by `+`",
                origin,
            )
            .with_label("the trait-variant crate does not accept these arguments")
            .with_help("name the variant and its bounds: `#[trait_variant::make(SendTrait: Send)]`"),
        );
        return;
    }
    let bounds: Vec<String> = bounds
        .split('+')
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .collect();
    let variant_text = variant_trait(t, variant.as_deref().unwrap_or(&name), &bounds);
    let end = t.syntax().text_range().end();
    match variant {
        Some(variant) => {
            let blanket = blanket_impl(t, &name, &variant);
            ex.edits.push(Edit::insert(
                end,
                format!("\n{variant_text}\n{blanket}\n"),
                origin,
            ));
            ex.applied
                .push(Applied::new(TRAIT_VARIANT_MAKE, origin, variant));
        }
        None => {
            let (start, _) = text_after_attrs(t.syntax());
            ex.edits.push(Edit {
                range: ra_ap_syntax::TextRange::new(start, end),
                text: variant_text,
                origin,
            });
            ex.applied
                .push(Applied::new(TRAIT_VARIANT_MAKE, origin, name));
        }
    }
}

/// The text of a node, or nothing.
fn text(node: Option<impl AstNode>) -> String {
    node.map(|n| n.syntax().text().to_string())
        .unwrap_or_default()
}

/// The variant: the trait with `bounds` on itself and on its futures.
fn variant_trait(t: &ra::Trait, name: &str, bounds: &[String]) -> String {
    let vis = t
        .visibility()
        .map(|v| format!("{} ", v.syntax()))
        .unwrap_or_default();
    let generics = text(t.generic_param_list());
    let mut supertraits: Vec<String> = t
        .type_bound_list()
        .map(|l| l.bounds().map(|b| b.syntax().text().to_string()).collect())
        .unwrap_or_default();
    supertraits.extend(bounds.iter().cloned());
    let where_clause = text(t.where_clause());
    let plus: String = bounds.iter().map(|b| format!(" + {b}")).collect();
    let mut items = String::new();
    for item in t
        .assoc_item_list()
        .into_iter()
        .flat_map(|l| l.assoc_items())
    {
        let (_, item_text) = text_after_attrs(item.syntax());
        let ra::AssocItem::Fn(f) = &item else {
            items.push_str(&format!("    {item_text}\n"));
            continue;
        };
        let (start, _) = text_after_attrs(f.syntax());
        let cut = |node: &ra_ap_syntax::SyntaxNode| {
            let off = usize::from(node.text_range().start() - start);
            item_text[..off].trim_end().to_string()
        };
        if let Some(kw) = f.async_token() {
            // `async fn m(..) -> T` is `fn m(..) -> impl Future<Output = T> + B`.
            let output = f
                .ret_type()
                .and_then(|r| r.ty())
                .map_or("()".to_string(), |t| t.syntax().text().to_string());
            let head_end = f
                .ret_type()
                .map(|r| r.syntax().clone())
                .or_else(|| f.param_list().map(|p| p.syntax().clone()));
            let Some(head_end) = head_end else { continue };
            let before_async = usize::from(kw.text_range().start() - start);
            let after_async = usize::from(kw.text_range().end() - start);
            let head = if f.ret_type().is_some() {
                cut(&head_end)
            } else {
                let off = usize::from(head_end.text_range().end() - start);
                item_text[..off].to_string()
            };
            let head = format!(
                "{}{}",
                &head[..before_async],
                head[after_async..].trim_start()
            );
            let rest_start = usize::from(head_end.text_range().end() - start);
            let rest = &item_text[rest_start..];
            items.push_str(&format!(
                "    {head} -> impl ::core::future::Future<Output = {output}>{plus}{rest}\n"
            ));
        } else if let Some(ra::Type::ImplTraitType(it)) = f.ret_type().and_then(|r| r.ty()) {
            let off = usize::from(it.syntax().text_range().end() - start);
            items.push_str(&format!(
                "    {}{plus}{}\n",
                &item_text[..off],
                &item_text[off..]
            ));
        } else {
            items.push_str(&format!("    {item_text}\n"));
        }
    }
    let colon = if supertraits.is_empty() { "" } else { ": " };
    format!(
        "{vis}trait {name}{generics}{colon}{} {where_clause} {{\n{items}}}",
        supertraits.join(" + ")
    )
}

/// A generic parameter list as the arguments that name its parameters:
/// `<'a, T: Clone, const N: usize>` as `<'a, T, N>`, nothing for no list.
fn params_as_args(list: Option<&ra::GenericParamList>) -> String {
    let args: Vec<String> = list
        .into_iter()
        .flat_map(|l| l.generic_params())
        .filter_map(|p| match p {
            ra::GenericParam::LifetimeParam(l) => {
                l.lifetime().map(|l| l.syntax().text().to_string())
            }
            ra::GenericParam::TypeParam(t) => t.name().map(|n| n.text().to_string()),
            ra::GenericParam::ConstParam(c) => c.name().map(|n| n.text().to_string()),
        })
        .collect();
    if args.is_empty() {
        String::new()
    } else {
        format!("<{}>", args.join(", "))
    }
}

/// `impl<P, TraitVariantBlanketType: Variant<P>> Trait<P> for
/// TraitVariantBlanketType`, whose methods call the variant's.
fn blanket_impl(t: &ra::Trait, name: &str, variant: &str) -> String {
    let list = t.generic_param_list();
    let mut impl_params: Vec<String> = list
        .iter()
        .flat_map(|l| l.generic_params())
        .map(|p| p.syntax().text().to_string())
        .collect();
    let ty_args = params_as_args(list.as_ref());
    impl_params.push(format!("{BLANKET}: {variant}{ty_args}"));
    let where_clause = text(t.where_clause());
    let mut items = String::new();
    for item in t
        .assoc_item_list()
        .into_iter()
        .flat_map(|l| l.assoc_items())
    {
        match &item {
            ra::AssocItem::Fn(f) => {
                let (start, item_text) = text_after_attrs(f.syntax());
                let sig_end = f
                    .body()
                    .map(|b| b.syntax().text_range().start())
                    .or_else(|| f.semicolon_token().map(|s| s.text_range().start()))
                    .unwrap_or_else(|| f.syntax().text_range().end());
                let sig = item_text[..usize::from(sig_end - start)].trim_end();
                let method = f.name().map(|n| n.text().to_string()).unwrap_or_default();
                let mut args = Vec::new();
                if let Some(params) = f.param_list() {
                    if params.self_param().is_some() {
                        args.push("self".to_string());
                    }
                    for p in params.params() {
                        match p.pat() {
                            Some(ra::Pat::IdentPat(ip)) => args
                                .push(ip.name().map(|n| n.text().to_string()).unwrap_or_default()),
                            other => args.push(text(other)),
                        }
                    }
                }
                let dot_await = if f.async_token().is_some() {
                    ".await"
                } else {
                    ""
                };
                items.push_str(&format!(
                    "    {sig} {{\n        <Self as {variant}{ty_args}>::{method}({}){dot_await}\n    }}\n",
                    args.join(", ")
                ));
            }
            ra::AssocItem::TypeAlias(a) => {
                let alias = a.name().map(|n| n.text().to_string()).unwrap_or_default();
                let params = text(a.generic_param_list());
                let args = params_as_args(a.generic_param_list().as_ref());
                let wc = text(a.where_clause());
                items.push_str(&format!(
                    "    type {alias}{params} = <Self as {variant}{ty_args}>::{alias}{args} {wc};\n"
                ));
            }
            _ => {}
        }
    }
    format!(
        "impl<{}> {name}{ty_args} for {BLANKET} {where_clause} {{\n{items}}}",
        impl_params.join(", ")
    )
}
