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
use super::{Failed, PResult, Parser};
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
                self.method_body()?
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

    /// A method's body in an impl, at its `{`: a `holds` list
    /// (`{ holds T, U; }`, or `{}` for nothing), or Rust code
    /// (`{ self.inner.call(req).await }`), which is kept as text for the Rust
    /// front end to read. The two do not mix: a `holds` line among
    /// statements of code is an error (`holds-mixed-with-code`).
    fn method_body(&mut self) -> PResult<ImplMethodBody> {
        let body_start = self.start();
        let close = self.closing_index();
        if self.is_punct_at(1, Punct::RBrace) || self.holds_line_at(1) {
            self.bump();
            let mut held = Vec::new();
            let mut lines: Vec<Span> = Vec::new();
            while self.holds_line_at(0) {
                let line_start = self.start();
                self.bump();
                held.extend(self.types_separated_by(Punct::Comma, Punct::Semi)?);
                self.eat_punct(Punct::Semi);
                lines.push(self.span_from(line_start));
            }
            if self.pos < close && !self.is_punct(Punct::RBrace) {
                let depth = self.depth.get(self.pos).copied().unwrap_or(0);
                let code = match self.statements(self.pos, close, depth).first() {
                    Some(&(first, last)) => self.tokens[first].span.to(self.tokens[last].span),
                    None => self.token().span,
                };
                self.mixed_holds_and_code(&lines, code);
                self.skip_to_close(close);
                return Err(Failed);
            }
            self.expect_punct(Punct::RBrace, "after the method body (`{ holds T, U; }`)")?;
            return Ok(ImplMethodBody::Holds(held, self.span_from(body_start)));
        }
        // Code: everything up to the matching `}`. A `holds` line among its
        // statements (at the body's own depth, after a `;` or a block's
        // `}`) would be silently read as Rust, so it is reported.
        let body_depth = self.depth.get(self.pos).copied().unwrap_or(0) + 1;
        let mut holds_lines = Vec::new();
        let mut first_code = None;
        for (first, last) in self.statements(self.pos + 1, close, body_depth) {
            let span = self.tokens[first].span.to(self.tokens[last].span);
            if self.holds_line_at(first - self.pos) {
                holds_lines.push(span);
            } else if first_code.is_none() {
                first_code = Some(span);
            }
        }
        if let (false, Some(code)) = (holds_lines.is_empty(), first_code) {
            self.mixed_holds_and_code(&holds_lines, code);
            self.skip_to_close(close);
            return Err(Failed);
        }
        let end = self
            .tokens
            .get(close)
            .map_or(self.text.len() as u32, |t| t.span.end);
        let span = Span {
            start: body_start,
            end: end.max(body_start),
        };
        let text = self.text.get(span.range()).unwrap_or("").to_string();
        // The chalk lexer read the code too; what it could not place (`%`, a
        // character literal's closing quote, an escape Rust accepts) is the
        // Rust front end's to judge, so those complaints are dropped here.
        self.diagnostics.retain(|d| {
            let inside = span.start <= d.primary.span.start && d.primary.span.end <= span.end;
            !(inside
                && matches!(
                    d.code,
                    crate::codes::UNEXPECTED_CHARACTER | crate::codes::INVALID_ESCAPE
                ))
        });
        self.skip_to_close(close);
        Ok(ImplMethodBody::Code(CodeBody { text, span }))
    }

    /// The statements of a body whose tokens are `from..close`, as the
    /// indices of their first and last tokens: a statement ends after a `;`
    /// or a block's `}` at the body's own depth (`depth`).
    fn statements(&self, from: usize, close: usize, depth: u32) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for index in from..close.min(self.tokens.len()) {
            let token = self.tokens[index];
            let first = *start.get_or_insert(index);
            let ends = self.depth.get(index).copied() == Some(depth)
                && matches!(
                    token.kind,
                    TokenKind::Punct(Punct::Semi) | TokenKind::Punct(Punct::RBrace)
                );
            if ends || index + 1 == close {
                out.push((first, index));
                start = None;
            }
        }
        out
    }

    /// Whether the token `offset` places after the cursor starts a `holds`
    /// line: the word `holds` followed by what may start a type (a name,
    /// `<`, `&`, `(`, `[`, `*`, `!`), which no Rust statement can be.
    fn holds_line_at(&self, offset: usize) -> bool {
        if !self.is_word_at(offset, "holds") {
            return false;
        }
        let next = self.token_at(offset + 1);
        match next.kind {
            TokenKind::Ident => true,
            TokenKind::Punct(p) => matches!(
                p,
                Punct::LAngle
                    | Punct::Amp
                    | Punct::LParen
                    | Punct::LBracket
                    | Punct::Star
                    | Punct::Bang
            ),
            _ => false,
        }
    }

    fn mixed_holds_and_code(&mut self, holds_lines: &[Span], code: Span) {
        let Some(&first) = holds_lines.first() else {
            return;
        };
        let mut d = Diagnostic::error(
            crate::codes::HOLDS_MIXED_WITH_CODE,
            "a method body is either a `holds` list or code, not both",
            first,
        )
        .with_label("a `holds` line")
        .with_secondary(code, "code in the same body");
        for &line in &holds_lines[1..] {
            d = d.with_secondary(line, "another `holds` line");
        }
        self.push_diagnostic(d.with_help(
            "remove the `holds` lines and let the code say what the future holds, or replace the code by `holds` lines",
        ));
    }
}
