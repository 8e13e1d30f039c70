//! Traits and impls with their bodies: associated types, associated type
//! values, and methods (a chalkboard extension: `fn` and `async fn`
//! signatures, with `{ holds T, U; }` bodies or hidden types in impls).
//!
//! Contract: `trait_defn` and `impl_defn` follow the parser's `PResult`
//! contract for the header and the braces, but a broken member does not fail
//! the item: it is reported, skipped to the end of the member (see
//! `recovery`), and the rest of the body is parsed, so a mistake in one
//! member loses only that member.

use super::attributes::{ASSOC_TY_ATTRIBUTES, IMPL_ATTRIBUTES, TRAIT_ATTRIBUTES};
use super::{PResult, Parser};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Punct, TokenKind};

impl Parser<'_> {
    /// `trait Name<P> [where WC] { Member* }`, after its attributes; each
    /// member is an associated type or a method signature.
    pub(super) fn trait_defn(
        &mut self,
        start: u32,
        attributes: &[Attribute],
    ) -> PResult<TraitDefn> {
        let accepted = self.check_attributes(attributes, TRAIT_ATTRIBUTES, "a trait");
        let mut flags = TraitFlags::default();
        let mut well_known = None;
        for attribute in accepted {
            match attribute.name.text.as_str() {
                "auto" => flags.auto = true,
                "marker" => flags.marker = true,
                "upstream" => flags.upstream = true,
                "fundamental" => flags.fundamental = true,
                "non_enumerable" => flags.non_enumerable = true,
                "coinductive" => flags.coinductive = true,
                "object_safe" => flags.object_safe = true,
                "lang" => well_known = self.lang_item(attribute),
                _ => {}
            }
        }
        self.bump();
        let name = self.defined_name("the trait's name")?;
        let params = self.params()?;
        let where_clauses = self.where_clauses()?;
        if !self.is_punct(Punct::LBrace) {
            return Err(self.unexpected("`{` or `where` before the trait's body"));
        }
        let close = self.closing_index();
        self.bump();
        let body_depth = self.depth.get(self.pos).copied().unwrap_or(0);
        let mut assoc_ty_defns = Vec::new();
        let mut methods = Vec::new();
        while self.pos < close && !self.at_eof() {
            let member_start = self.pos;
            let result = self.trait_member(&mut assoc_ty_defns, &mut methods);
            if result.is_err() {
                self.recover_member(member_start, body_depth, close);
            }
        }
        self.expect_punct(Punct::RBrace, "after the trait's body")?;
        Ok(TraitDefn {
            name,
            params,
            where_clauses,
            assoc_ty_defns,
            methods,
            flags,
            well_known,
            span: self.span_from(start),
        })
    }

    /// One member of a trait's body, added to the list it belongs to:
    ///
    /// ```text
    /// [#[lang(async_fn_once_output)]] type Name<P> [: Bounds] [where WC];
    /// [async] fn name<P>(&self, a: A) [-> R] [where WC];
    /// ```
    fn trait_member(
        &mut self,
        assoc_ty_defns: &mut Vec<AssocTyDefn>,
        methods: &mut Vec<TraitMethod>,
    ) -> PResult<()> {
        let start = self.start();
        let attributes = self.attributes()?;
        if self.is_word("type") {
            let accepted =
                self.check_attributes(&attributes, ASSOC_TY_ATTRIBUTES, "an associated type");
            let mut async_fn_once_output = false;
            for attribute in accepted {
                if attribute.args.len() == 1 && attribute.args[0].text == "async_fn_once_output" {
                    async_fn_once_output = true;
                } else {
                    self.push_diagnostic(
                        Diagnostic::error(
                            crate::codes::UNKNOWN_LANG_ITEM,
                            "unknown lang item for an associated type",
                            attribute.span,
                        )
                        .with_label("unknown lang item")
                        .with_help(
                            "the only associated type lang item is `#[lang(async_fn_once_output)]`",
                        ),
                    );
                }
            }
            self.bump();
            let name = self.ident("the associated type's name")?;
            let params = self.params()?;
            let bounds = if self.eat_punct(Punct::Colon) {
                self.bounds()?
            } else {
                Vec::new()
            };
            let where_clauses = self.where_clauses()?;
            self.expect_punct(Punct::Semi, "after the associated type")?;
            assoc_ty_defns.push(AssocTyDefn {
                name,
                params,
                bounds,
                where_clauses,
                async_fn_once_output,
                span: self.span_from(start),
            });
            return Ok(());
        }
        if self.is_word("fn") || self.is_word("async") {
            self.check_attributes(&attributes, &[], "a method");
            let sig = self.method_sig(start)?;
            self.expect_punct(Punct::Semi, "after a trait method's signature")?;
            let mut sig = sig;
            sig.span = self.span_from(start);
            methods.push(TraitMethod { sig });
            return Ok(());
        }
        Err(self.unexpected("`type`, `fn`, `async fn` or `}` in the trait's body"))
    }

    /// `[async] fn name<P>(receiver, a: A) [-> R] [where WC]`, without the
    /// terminator.
    fn method_sig(&mut self, start: u32) -> PResult<MethodSig> {
        let is_async = self.eat_word("async");
        self.expect_word("fn", "to start a method")?;
        let name = self.ident("the method's name")?;
        let params = self.params()?;
        self.expect_punct(Punct::LParen, "before the method's arguments")?;
        let saved_elision = self.elision_allowed;
        self.elision_allowed = true;
        let result = self.method_arguments_and_return();
        self.elision_allowed = saved_elision;
        let (receiver, arguments, return_type) = result?;
        let where_clauses = self.where_clauses()?;
        Ok(MethodSig {
            is_async,
            name,
            params,
            receiver,
            arguments,
            return_type,
            where_clauses,
            span: self.span_from(start),
        })
    }

    /// `receiver, a: A, ..) [-> R]`, after the `(`: the receiver (`self`,
    /// `&self`, `&'a mut self`, or none at all), the other arguments and the
    /// return type if any.
    #[allow(clippy::type_complexity)]
    fn method_arguments_and_return(&mut self) -> PResult<(Receiver, Vec<(Ident, Ty)>, Option<Ty>)> {
        let receiver = if self.eat_word("self") {
            Receiver::Value
        } else if self.is_punct(Punct::Amp)
            && (self.is_word_at(1, "self")
                || (self.is_word_at(1, "mut") && self.is_word_at(2, "self"))
                || (self.token_at(1).kind == TokenKind::Lifetime
                    && (self.is_word_at(2, "self")
                        || (self.is_word_at(2, "mut") && self.is_word_at(3, "self")))))
        {
            self.bump();
            let lifetime = if self.token().kind == TokenKind::Lifetime {
                Some(self.lifetime()?)
            } else {
                None
            };
            let mutability = if self.eat_word("mut") {
                Mutability::Mut
            } else {
                Mutability::Not
            };
            self.bump();
            Receiver::Ref(mutability, lifetime)
        } else {
            Receiver::None
        };
        let mut arguments = Vec::new();
        let mut first = receiver == Receiver::None;
        loop {
            if self.is_punct(Punct::RParen) {
                break;
            }
            if !first {
                if !self.eat_punct(Punct::Comma) {
                    break;
                }
                if self.is_punct(Punct::RParen) {
                    break;
                }
            }
            first = false;
            let name = self.ident("an argument name")?;
            self.expect_punct(Punct::Colon, "after the argument name")?;
            let ty = self.ty()?;
            arguments.push((name, ty));
        }
        self.expect_punct(Punct::RParen, "or `,` after the method's arguments")?;
        let return_type = if self.eat_punct(Punct::Arrow) {
            Some(self.ty()?)
        } else {
            None
        };
        Ok((receiver, arguments, return_type))
    }

    /// `impl<P> [!]Trait<A> for Ty [where WC] { Member* }`, after its
    /// attributes; chalk has no inherent impls.
    pub(super) fn impl_defn(&mut self, start: u32, attributes: &[Attribute]) -> PResult<ImplDefn> {
        let upstream = !self
            .check_attributes(attributes, IMPL_ATTRIBUTES, "an impl")
            .is_empty();
        self.bump();
        let params = self.params()?;
        let polarity = if self.eat_punct(Punct::Bang) {
            Polarity::Negative
        } else {
            Polarity::Positive
        };
        let trait_start = self.start();
        let trait_name = self.ident("the implemented trait's name")?;
        let trait_args = self.generic_args()?;
        self.expect_word("for", "after the trait (chalk has no inherent impls)")?;
        let self_ty = self.ty()?;
        let mut args = vec![GenericArg::Ty(self_ty)];
        args.extend(trait_args);
        let trait_ref = TraitRef {
            trait_name,
            args,
            span: self.span_from(trait_start),
        };
        let where_clauses = self.where_clauses()?;
        if !self.is_punct(Punct::LBrace) {
            return Err(self.unexpected("`{` or `where` before the impl's body"));
        }
        let close = self.closing_index();
        self.bump();
        let body_depth = self.depth.get(self.pos).copied().unwrap_or(0);
        let mut assoc_ty_values = Vec::new();
        let mut methods = Vec::new();
        while self.pos < close && !self.at_eof() {
            let member_start = self.pos;
            if self
                .impl_member(&mut assoc_ty_values, &mut methods)
                .is_err()
            {
                self.recover_member(member_start, body_depth, close);
            }
        }
        self.expect_punct(Punct::RBrace, "after the impl's body")?;
        Ok(ImplDefn {
            params,
            trait_ref,
            polarity,
            where_clauses,
            assoc_ty_values,
            methods,
            upstream,
            generated_by: None,
            span: self.span_from(start),
        })
    }

    /// One member of an impl's body, added to the list it belongs to:
    ///
    /// ```text
    /// [default] type Name<P> = Ty;
    /// [async] fn name<P>(&self, a: A) [-> R] [where WC];
    /// [async] fn name<P>(&self, a: A) [-> R] [where WC] = HiddenTy;
    /// [async] fn name<P>(&self, a: A) [-> R] [where WC] { holds T, U; }
    /// ```
    fn impl_member(
        &mut self,
        assoc_ty_values: &mut Vec<AssocTyValue>,
        methods: &mut Vec<ImplMethod>,
    ) -> PResult<()> {
        let start = self.start();
        let attributes = self.attributes()?;
        self.check_attributes(&attributes, &[], "an impl member");
        if self.is_word("type") || (self.is_word("default") && self.is_word_at(1, "type")) {
            let default = self.eat_word("default");
            self.bump();
            let name = self.ident("the associated type's name")?;
            let params = self.params()?;
            self.expect_punct(Punct::Eq, "before the associated type's value")?;
            let value = self.ty()?;
            self.expect_punct(Punct::Semi, "after the associated type's value")?;
            assoc_ty_values.push(AssocTyValue {
                name,
                params,
                value,
                default,
                span: self.span_from(start),
            });
            return Ok(());
        }
        if self.is_word("fn") || self.is_word("async") {
            let mut sig = self.method_sig(start)?;
            let body = if self.eat_punct(Punct::Semi) {
                ImplMethodBody::None
            } else if self.eat_punct(Punct::Eq) {
                let hidden = self.ty()?;
                self.expect_punct(Punct::Semi, "after the hidden type")?;
                ImplMethodBody::Hidden(hidden)
            } else if self.is_punct(Punct::LBrace) {
                let body_start = self.start();
                self.bump();
                let mut held = Vec::new();
                if self.eat_word("holds") {
                    held = self.types_separated_by(Punct::Comma, Punct::Semi)?;
                    self.eat_punct(Punct::Semi);
                }
                self.expect_punct(Punct::RBrace, "after the method body (`{ holds T, U; }`)")?;
                ImplMethodBody::Holds(held, self.span_from(body_start))
            } else {
                return Err(self.unexpected(
                    "`;`, `= HiddenType;` or `{ holds .. }` after the method's signature",
                ));
            };
            sig.span = self.span_from(start);
            methods.push(ImplMethod { sig, body });
            return Ok(());
        }
        Err(self.unexpected("`type`, `default type`, `fn`, `async fn` or `}` in the impl's body"))
    }
}
