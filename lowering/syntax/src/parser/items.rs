//! Items: structs and enums, fns, closures, opaque types, coroutines, extern
//! types and `forall` clauses, and the dispatch (`item`) that also hands
//! traits and impls to `traits`.
//!
//! Contract: each function parses one whole item, its terminator included
//! (the `;` or the closing `}`), and follows the parser's `PResult` contract.
//! `item` reads the attributes before the item; the item's own function
//! checks them, reporting and dropping those not allowed on it, so a
//! misplaced attribute never stops the item from being parsed.

use super::attributes::{ADT_ATTRIBUTES, FN_ATTRIBUTES};
use super::types::lifetime_ident;
use super::{Failed, PResult, Parser};
use crate::ast::*;
use crate::lexer::{Punct, TokenKind};
use std::sync::Arc;

impl Parser<'_> {
    /// One item with its attributes, `#[..]* Item`; a `forall` clause whose
    /// consequence expands (`T: Tr<A = U>`) yields several.
    pub(super) fn item(&mut self) -> PResult<Vec<Item>> {
        let start = self.start();
        let attributes = self.attributes()?;
        if self.is_word("struct") || self.is_word("enum") {
            return Ok(vec![Item::Adt(Arc::new(self.adt(start, &attributes)?))]);
        }
        if self.is_word("trait") {
            return Ok(vec![Item::Trait(Arc::new(
                self.trait_defn(start, &attributes)?,
            ))]);
        }
        if self.is_word("impl") {
            return Ok(vec![Item::Impl(Arc::new(
                self.impl_defn(start, &attributes)?,
            ))]);
        }
        if self.is_word("extern") && self.is_word_at(1, "type") {
            self.check_attributes(&attributes, &[], "an extern type");
            self.bump();
            self.bump();
            let name = self.defined_name("the name of the extern type")?;
            self.expect_punct(Punct::Semi, "after the extern type's name")?;
            return Ok(vec![Item::Foreign(Arc::new(ForeignDefn {
                name,
                span: self.span_from(start),
            }))]);
        }
        if self.is_word("fn") || self.is_word("unsafe") || self.is_word("extern") {
            return Ok(vec![Item::Fn(Arc::new(self.fn_defn(start, &attributes)?))]);
        }
        if self.is_word("closure") {
            self.check_attributes(&attributes, &[], "a closure");
            return Ok(vec![Item::Closure(Arc::new(self.closure(start)?))]);
        }
        if self.is_word("opaque") {
            self.check_attributes(&attributes, &[], "an opaque type");
            return Ok(vec![Item::OpaqueTy(Arc::new(self.opaque(start)?))]);
        }
        if self.is_word("coroutine") {
            self.check_attributes(&attributes, &[], "a coroutine");
            return Ok(vec![Item::Coroutine(Arc::new(self.coroutine(start)?))]);
        }
        if self.is_word("forall") {
            self.check_attributes(&attributes, &[], "a clause");
            return Ok(self
                .clause_item(start)?
                .into_iter()
                .map(|c| Item::Clause(Arc::new(c)))
                .collect());
        }
        Err(self.unexpected(
            "an item (`struct`, `enum`, `trait`, `impl`, `fn`, `closure`, `opaque type`, `coroutine`, `extern type`, `forall`) or `goal`",
        ))
    }

    /// A struct or an enum, after its attributes:
    ///
    /// ```text
    /// struct Name<P> [where WC] { field: Ty, .. }
    /// struct Name<P> [where WC];
    /// struct Name<P> [where WC] (A, B);
    /// enum Name<P> [where WC] { Unit, Tuple(A, B), Named { field: Ty }, .. }
    /// ```
    fn adt(&mut self, start: u32, attributes: &[Attribute]) -> PResult<AdtDefn> {
        let kind = if self.bump_word_is("struct") {
            AdtKind::Struct
        } else {
            AdtKind::Enum
        };
        let description = match kind {
            AdtKind::Struct => "a struct",
            AdtKind::Enum => "an enum",
        };
        let accepted = self.check_attributes(attributes, ADT_ATTRIBUTES, description);
        let mut flags = AdtFlags::default();
        let mut repr = AdtRepr::default();
        let mut variances = None;
        for attribute in accepted {
            match attribute.name.text.as_str() {
                "variance" => variances = Some((self.variances(attribute), attribute.span)),
                "upstream" => flags.upstream = true,
                "fundamental" => flags.fundamental = true,
                "phantom_data" => flags.phantom_data = true,
                "one_zst" => flags.one_zst = true,
                "repr" => self.repr(attribute, kind, &mut repr),
                _ => {}
            }
        }
        let name = self.defined_name("the name of the type")?;
        let params = self.params()?;
        let where_clauses = self.where_clauses()?;
        let variants = match kind {
            AdtKind::Struct => {
                let fields = if self.eat_punct(Punct::Semi) {
                    Vec::new()
                } else if self.is_punct(Punct::LParen) {
                    let fields = self.tuple_fields(&name)?;
                    self.expect_punct(Punct::Semi, "after a tuple struct")?;
                    fields
                } else {
                    self.expect_punct(Punct::LBrace, "or `where` before the struct's fields")?;
                    let fields = self.named_fields()?;
                    self.expect_punct(Punct::RBrace, "after the struct's fields")?;
                    fields
                };
                vec![Variant {
                    name: name.clone(),
                    fields,
                }]
            }
            AdtKind::Enum => {
                self.expect_punct(Punct::LBrace, "or `where` before the enum's variants")?;
                let mut variants = Vec::new();
                while !self.is_punct(Punct::RBrace) {
                    let variant_name = self.ident("a variant name")?;
                    let fields = if self.eat_punct(Punct::LBrace) {
                        let fields = self.named_fields()?;
                        self.expect_punct(Punct::RBrace, "after the variant's fields")?;
                        fields
                    } else if self.is_punct(Punct::LParen) {
                        self.tuple_fields(&variant_name)?
                    } else {
                        Vec::new()
                    };
                    variants.push(Variant {
                        name: variant_name,
                        fields,
                    });
                    if !self.eat_punct(Punct::Comma) {
                        break;
                    }
                }
                self.expect_punct(Punct::RBrace, "or `,` after the enum's variants")?;
                variants
            }
        };
        Ok(AdtDefn {
            kind,
            name,
            params,
            where_clauses,
            variants,
            flags,
            repr,
            variances,
            span: self.span_from(start),
        })
    }

    /// `field: Ty, ..` (a trailing comma allowed), up to the closing `}`.
    fn named_fields(&mut self) -> PResult<Vec<Field>> {
        let mut fields = Vec::new();
        while !self.is_punct(Punct::RBrace) {
            let name = self.ident("a field name")?;
            self.expect_punct(Punct::Colon, "after the field name")?;
            let ty = self.ty()?;
            fields.push(Field { name, ty });
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        Ok(fields)
    }

    /// `(A, B)` fields, named `0`, `1`, ... after the owner's span as chalk does.
    fn tuple_fields(&mut self, owner: &Ident) -> PResult<Vec<Field>> {
        self.expect_punct(Punct::LParen, "before the fields")?;
        let mut fields = Vec::new();
        while !self.is_punct(Punct::RParen) {
            let ty = self.ty()?;
            fields.push(Field {
                name: Ident {
                    text: fields.len().to_string(),
                    span: owner.span,
                },
                ty,
            });
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        self.expect_punct(Punct::RParen, "or `,` after the fields")?;
        Ok(fields)
    }

    /// `[unsafe] [extern "C"] fn name<P>(a: A, b: B) [-> R] [where WC];`,
    /// where the last argument may be variadic (`rest: ...`); fn items have
    /// no body.
    fn fn_defn(&mut self, start: u32, attributes: &[Attribute]) -> PResult<FnDefn> {
        let accepted = self.check_attributes(attributes, FN_ATTRIBUTES, "a fn");
        let variances = accepted
            .first()
            .map(|attribute| (self.variances(attribute), attribute.span));
        let is_unsafe = self.eat_word("unsafe");
        let abi = self.abi()?;
        self.expect_word("fn", "to start a fn item")?;
        let name = self.defined_name("the fn's name")?;
        let params = self.params()?;
        self.expect_punct(Punct::LParen, "before the fn's arguments")?;
        let mut argument_types = Vec::new();
        let mut variadic = false;
        while !self.is_punct(Punct::RParen) {
            self.ident("an argument name")?;
            self.expect_punct(Punct::Colon, "after the argument name")?;
            if self.is_punct(Punct::DotDotDot) {
                let token = self.bump();
                variadic = true;
                self.eat_punct(Punct::Comma);
                if !self.is_punct(Punct::RParen) {
                    self.variadic_not_last(token.span);
                    return Err(Failed);
                }
                break;
            }
            argument_types.push(self.ty()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        self.expect_punct(Punct::RParen, "or `,` after the fn's arguments")?;
        let return_type = self.return_type()?;
        let where_clauses = self.where_clauses()?;
        self.expect_punct(
            Punct::Semi,
            "after the fn's signature (fn items have no body)",
        )?;
        Ok(FnDefn {
            name,
            params,
            where_clauses,
            argument_types,
            return_type,
            sig: FnSig {
                abi,
                is_unsafe,
                variadic,
            },
            variances,
            span: self.span_from(start),
        })
    }

    /// `closure name<P>(self | &self | &mut self, a: A, ..) [-> R] { U1; U2 }`,
    /// the receiver giving the closure's kind and the braces its upvar types.
    fn closure(&mut self, start: u32) -> PResult<ClosureDefn> {
        self.bump();
        let name = self.defined_name("the closure's name")?;
        let params = self.params()?;
        self.expect_punct(Punct::LParen, "before the closure's arguments")?;
        let kind = if self.eat_word("self") {
            ClosureKind::FnOnce
        } else if self.eat_punct(Punct::Amp) {
            let kind = if self.eat_word("mut") {
                ClosureKind::FnMut
            } else {
                ClosureKind::Fn
            };
            self.expect_word("self", "in the closure's receiver")?;
            kind
        } else {
            return Err(self.unexpected("`self`, `&self` or `&mut self` as the closure's receiver"));
        };
        let mut argument_types = Vec::new();
        while self.eat_punct(Punct::Comma) && !self.is_punct(Punct::RParen) {
            self.ident("an argument name")?;
            self.expect_punct(Punct::Colon, "after the argument name")?;
            argument_types.push(self.ty()?);
        }
        self.expect_punct(Punct::RParen, "or `,` after the closure's arguments")?;
        let return_type = self.return_type()?;
        self.expect_punct(Punct::LBrace, "before the closure's upvars")?;
        let upvars = self.types_separated_by(Punct::Semi, Punct::RBrace)?;
        self.expect_punct(Punct::RBrace, "or `;` after the closure's upvars")?;
        Ok(ClosureDefn {
            name,
            kind,
            params,
            argument_types,
            return_type,
            upvars,
            span: self.span_from(start),
        })
    }

    /// `opaque type Name<P> [: Bounds] [where WC] = HiddenTy;`
    fn opaque(&mut self, start: u32) -> PResult<OpaqueTyDefn> {
        self.bump();
        self.expect_word("type", "after `opaque`")?;
        let name = self.defined_name("the opaque type's name")?;
        let params = self.params()?;
        let bounds = if self.eat_punct(Punct::Colon) {
            self.bounds()?
        } else {
            Vec::new()
        };
        let where_clauses = self.where_clauses()?;
        self.expect_punct(Punct::Eq, "before the opaque type's hidden type")?;
        let hidden_ty = self.ty()?;
        self.expect_punct(Punct::Semi, "after the hidden type")?;
        Ok(OpaqueTyDefn {
            name,
            params,
            bounds,
            where_clauses,
            hidden_ty,
            span: self.span_from(start),
        })
    }

    /// ```text
    /// coroutine [static] Name<P>[resume = R, yield = Y] [-> Ret] {
    ///     upvars [U1; U2]
    ///     witnesses [exists<'a, ..>] [W1; W2]
    /// }
    /// ```
    fn coroutine(&mut self, start: u32) -> PResult<CoroutineDefn> {
        self.bump();
        let is_static = self.eat_word("static");
        let name = self.defined_name("the coroutine's name")?;
        let params = self.params()?;
        self.expect_punct(Punct::LBracket, "before `resume = ..`")?;
        self.expect_word("resume", "in the coroutine header")?;
        self.expect_punct(Punct::Eq, "after `resume`")?;
        let resume_ty = self.ty()?;
        self.expect_punct(Punct::Comma, "after the resume type")?;
        self.expect_word("yield", "in the coroutine header")?;
        self.expect_punct(Punct::Eq, "after `yield`")?;
        let yield_ty = self.ty()?;
        self.expect_punct(Punct::RBracket, "after the yield type")?;
        let return_ty = self.return_type()?;
        self.expect_punct(Punct::LBrace, "before the coroutine's body")?;
        self.expect_word("upvars", "in the coroutine's body")?;
        self.expect_punct(Punct::LBracket, "after `upvars`")?;
        let upvars = self.types_separated_by(Punct::Semi, Punct::RBracket)?;
        self.expect_punct(Punct::RBracket, "or `;` after the upvars")?;
        self.expect_word("witnesses", "after the upvars")?;
        let mut witness_lifetimes = Vec::new();
        if self.eat_word("exists") {
            self.expect_punct(Punct::LAngle, "after `exists`")?;
            while !self.is_punct(Punct::RAngle) {
                let token = self.token();
                if token.kind != TokenKind::Lifetime {
                    return Err(self.unexpected("a lifetime"));
                }
                self.bump();
                witness_lifetimes.push(lifetime_ident(self.token_text(token), token.span));
                if !self.eat_punct(Punct::Comma) {
                    break;
                }
            }
            self.expect_punct(Punct::RAngle, "or `,` after the witness lifetimes")?;
        }
        self.expect_punct(Punct::LBracket, "before the witness types")?;
        let witness_types = self.types_separated_by(Punct::Semi, Punct::RBracket)?;
        self.expect_punct(Punct::RBracket, "or `;` after the witness types")?;
        self.expect_punct(Punct::RBrace, "after the coroutine's witnesses")?;
        Ok(CoroutineDefn {
            name,
            is_static,
            params,
            resume_ty,
            yield_ty,
            return_ty,
            upvars,
            witness_lifetimes,
            witness_types,
            span: self.span_from(start),
        })
    }

    /// `forall<P> { DomainGoal [if G1, G2] }` as an item.
    fn clause_item(&mut self, start: u32) -> PResult<Vec<Clause>> {
        self.bump();
        let params = self.params()?;
        self.expect_punct(Punct::LBrace, "after the clause's parameters")?;
        let consequences = self.domain_goals()?;
        let mut conditions = Vec::new();
        if self.eat_word("if") {
            conditions = self.goal_list(&[Punct::RBrace])?;
        }
        self.expect_punct(Punct::RBrace, "or `if` after the clause's consequence")?;
        let span = self.span_from(start);
        Ok(consequences
            .into_iter()
            .map(|consequence| Clause {
                params: params.clone(),
                consequence,
                conditions: conditions.clone(),
                span,
            })
            .collect())
    }
}
