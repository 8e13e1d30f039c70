//! Attributes: `#[name]` and `#[name(arg, ..)]` before items and before the
//! members of trait and impl bodies; which item may carry which, and what
//! their arguments mean.
//!
//! Reading an attribute list (`attributes`) accepts any name with any word or
//! number arguments, and fails only on malformed syntax. Whether an attribute
//! is allowed is decided afterwards by the item that carries it
//! (`check_attributes`), against the lists below, which also give chalk's
//! order: an unknown, misplaced, repeated or out-of-order attribute is
//! reported and dropped, and the item is parsed all the same. The meaning of
//! the arguments (`variances`, `repr`, `lang_item`) is checked in the same
//! spirit: a bad argument is reported, never fatal.

use super::types::scalar_type;
use super::{PResult, Parser};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Punct, TokenKind};

/// The attributes a struct or enum may carry, in the order chalk requires.
pub(super) const ADT_ATTRIBUTES: &[&str] = &[
    "variance",
    "upstream",
    "fundamental",
    "phantom_data",
    "one_zst",
    "repr",
];
/// The attributes a trait may carry, in chalk's order.
pub(super) const TRAIT_ATTRIBUTES: &[&str] = &[
    "auto",
    "marker",
    "upstream",
    "fundamental",
    "non_enumerable",
    "coinductive",
    "object_safe",
    "lang",
];
/// The attributes an impl may carry, in chalk's order.
pub(super) const IMPL_ATTRIBUTES: &[&str] = &["upstream"];
/// The attributes a fn item may carry, in chalk's order.
pub(super) const FN_ATTRIBUTES: &[&str] = &["variance"];
/// The attributes an associated type in a trait may carry, in chalk's order.
pub(super) const ASSOC_TY_ATTRIBUTES: &[&str] = &["lang"];

/// Where each known attribute belongs, for `misplaced-attribute` help.
fn attribute_home(name: &str) -> Option<&'static str> {
    Some(match name {
        "variance" => "structs, enums and fns",
        "upstream" => "structs, enums, traits and impls",
        "fundamental" => "structs, enums and traits",
        "phantom_data" | "one_zst" | "repr" => "structs and enums",
        "auto" | "marker" | "non_enumerable" | "coinductive" | "object_safe" => "traits",
        "lang" => "traits (and `#[lang(async_fn_once_output)]` on associated types)",
        _ => return None,
    })
}

/// The names `#[lang(..)]` accepts on a trait, with the trait each names.
const LANG_ITEMS: &[(&str, WellKnownTrait)] = &[
    ("sized", WellKnownTrait::Sized),
    ("copy", WellKnownTrait::Copy),
    ("clone", WellKnownTrait::Clone),
    ("drop", WellKnownTrait::Drop),
    ("fn_once", WellKnownTrait::FnOnce),
    ("fn_mut", WellKnownTrait::FnMut),
    ("fn", WellKnownTrait::Fn),
    ("async_fn_once", WellKnownTrait::AsyncFnOnce),
    ("async_fn_mut", WellKnownTrait::AsyncFnMut),
    ("async_fn", WellKnownTrait::AsyncFn),
    ("unsize", WellKnownTrait::Unsize),
    ("unpin", WellKnownTrait::Unpin),
    ("coerce_unsized", WellKnownTrait::CoerceUnsized),
    ("discriminant_kind", WellKnownTrait::DiscriminantKind),
    ("coroutine", WellKnownTrait::Coroutine),
    ("dispatch_from_dyn", WellKnownTrait::DispatchFromDyn),
    ("tuple_trait", WellKnownTrait::Tuple),
    ("pointee_trait", WellKnownTrait::Pointee),
    ("fn_ptr_trait", WellKnownTrait::FnPtr),
    ("future", WellKnownTrait::Future),
];

impl Parser<'_> {
    /// `#[name]` or `#[name(arg, ..)]`, any number of them; whether they are
    /// allowed is decided by [`Parser::check_attributes`].
    pub(super) fn attributes(&mut self) -> PResult<Vec<Attribute>> {
        let mut attributes = Vec::new();
        while self.is_punct(Punct::Hash) {
            let start = self.start();
            self.bump();
            self.expect_punct(Punct::LBracket, "after `#`")?;
            let name = self.ident("an attribute name")?;
            let mut args = Vec::new();
            if self.eat_punct(Punct::LParen) {
                while !self.is_punct(Punct::RParen) {
                    let token = self.token();
                    if !matches!(token.kind, TokenKind::Ident | TokenKind::Number) {
                        return Err(self.unexpected("an attribute argument"));
                    }
                    self.bump();
                    args.push(Ident {
                        text: self.token_text(token).to_string(),
                        span: token.span,
                    });
                    if !self.eat_punct(Punct::Comma) {
                        break;
                    }
                }
                self.expect_punct(Punct::RParen, "after the attribute arguments")?;
            }
            self.expect_punct(Punct::RBracket, "to close the attribute")?;
            attributes.push(Attribute {
                name,
                args,
                span: self.span_from(start),
            });
        }
        Ok(attributes)
    }

    /// Checks names, placement and chalk's fixed order; returns the
    /// attributes that are allowed on this item, in order.
    pub(super) fn check_attributes<'a>(
        &mut self,
        attributes: &'a [Attribute],
        allowed: &[&str],
        item_description: &str,
    ) -> Vec<&'a Attribute> {
        let mut accepted: Vec<&Attribute> = Vec::new();
        let mut last_rank: Option<usize> = None;
        for attribute in attributes {
            let name = attribute.name.text.as_str();
            let Some(rank) = allowed.iter().position(|a| *a == name) else {
                let diagnostic = match attribute_home(name) {
                    Some(home) => Diagnostic::error(
                        crate::codes::MISPLACED_ATTRIBUTE,
                        format!("`#[{name}]` is not allowed on {item_description}"),
                        attribute.span,
                    )
                    .with_label("misplaced attribute")
                    .with_help(format!("`#[{name}]` belongs on {home}")),
                    None => Diagnostic::error(
                        crate::codes::UNKNOWN_ATTRIBUTE,
                        format!("unknown attribute `#[{name}]`"),
                        attribute.span,
                    )
                    .with_label("unknown attribute")
                    .with_help(format!(
                        "the attributes allowed on {item_description} are {}",
                        if allowed.is_empty() {
                            "none".to_string()
                        } else {
                            list_attributes(allowed)
                        }
                    )),
                };
                self.push_diagnostic(diagnostic);
                continue;
            };
            if let Some(last) = last_rank {
                if rank < last || (rank == last && name != "repr") {
                    let message = if rank == last {
                        format!("`#[{name}]` is written twice")
                    } else {
                        format!("`#[{name}]` is out of order")
                    };
                    self.push_diagnostic(
                        Diagnostic::error(crate::codes::ATTRIBUTE_ORDER, message, attribute.span)
                            .with_label("out of order")
                            .with_help(format!(
                                "chalk requires the attributes of {item_description} in this order, each at most once: {}",
                                list_attributes(allowed)
                            )),
                    );
                    continue;
                }
            }
            last_rank = Some(rank);
            accepted.push(attribute);
        }
        accepted
    }

    /// The arguments of `#[variance(Invariant, Covariant, Contravariant)]`;
    /// an unknown one is reported and left out.
    pub(super) fn variances(&mut self, attribute: &Attribute) -> Vec<Variance> {
        let mut variances = Vec::new();
        for arg in &attribute.args {
            let variance = match arg.text.as_str() {
                "Invariant" => Variance::Invariant,
                "Covariant" => Variance::Covariant,
                "Contravariant" => Variance::Contravariant,
                _ => {
                    self.push_diagnostic(
                        Diagnostic::error(
                            crate::codes::UNKNOWN_VARIANCE,
                            format!("unknown variance `{}`", arg.text),
                            arg.span,
                        )
                        .with_label("unknown variance")
                        .with_help("write `Invariant`, `Covariant` or `Contravariant`"),
                    );
                    continue;
                }
            };
            variances.push(variance);
        }
        variances
    }

    /// The argument of `#[repr(C)]`, `#[repr(packed)]` or `#[repr(u8)]`,
    /// recorded in `repr` (an integer type only on enums, as chalk keeps it).
    pub(super) fn repr(&mut self, attribute: &Attribute, kind: AdtKind, repr: &mut AdtRepr) {
        let Some(arg) = attribute.args.first() else {
            self.push_diagnostic(unknown_repr(attribute.span));
            return;
        };
        match arg.text.as_str() {
            "C" => repr.c = true,
            "packed" => repr.packed = true,
            word => match scalar_type(word) {
                Some(scalar @ (ScalarType::Int(_) | ScalarType::Uint(_))) => {
                    // chalk keeps an integer representation on enums only.
                    if kind == AdtKind::Enum {
                        repr.int = Some(Ty {
                            kind: TyKind::Scalar(scalar),
                            span: arg.span,
                        });
                    }
                }
                _ => self.push_diagnostic(unknown_repr(arg.span)),
            },
        }
    }

    /// The trait named by `#[lang(sized)]` and the like; an unknown name is
    /// reported and gives `None`.
    pub(super) fn lang_item(&mut self, attribute: &Attribute) -> Option<WellKnownTrait> {
        let arg = attribute.args.first();
        let found = arg.and_then(|arg| {
            LANG_ITEMS
                .iter()
                .find(|(name, _)| *name == arg.text)
                .map(|(_, item)| *item)
        });
        if found.is_none() {
            let names: Vec<&str> = LANG_ITEMS.iter().map(|(name, _)| *name).collect();
            self.push_diagnostic(
                Diagnostic::error(
                    crate::codes::UNKNOWN_LANG_ITEM,
                    match arg {
                        Some(arg) => format!("unknown lang item `{}`", arg.text),
                        None => "`#[lang]` needs the lang item's name".to_string(),
                    },
                    arg.map_or(attribute.span, |a| a.span),
                )
                .with_label("unknown lang item")
                .with_help(format!("the trait lang items are {}", names.join(", "))),
            );
        }
        found
    }
}

/// "`#[a]`, `#[b]`", for help texts.
fn list_attributes(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`#[{name}]`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_repr(span: Span) -> Diagnostic {
    Diagnostic::error(crate::codes::UNKNOWN_REPR, "unknown representation", span)
        .with_label("unknown repr")
        .with_help("write `#[repr(C)]`, `#[repr(packed)]` or an integer type such as `#[repr(u8)]`")
}
