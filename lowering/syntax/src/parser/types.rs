//! Types, lifetimes, consts, generic arguments and generic parameters.
//!
//! A type is a scalar (`u32`, `bool`, ..), `str`, a name with optional
//! generic arguments (`Vec<T>`), a tuple, a reference (`&'a mut T`), a raw
//! pointer (`*const T`), an array (`[T; 3]`) or a slice, `!`,
//! `dyn Bounds + 'a`, `impl Bounds`, a fn pointer, a qualified path
//! (`<T as Trait>::Name`), a shorthand projection (`T::Name`), or return type
//! notation (`T::m(..)`, `<T as Trait>::m(..)`).
//!
//! Contract: the parser's `PResult` contract. Types nest, so `ty` counts the
//! nesting and fails with `nesting-too-deep` past the limit rather than
//! overflow the stack. chalk's language has no lifetime elision: a reference
//! or a `dyn` type without a lifetime is reported, and still parsed, except
//! in a method signature (while `elision_allowed` is set).

use super::{Failed, PResult, Parser};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Punct, TokenKind};

impl Parser<'_> {
    /// A type (see the module documentation for the forms), at most
    /// `MAX_NESTING` levels deep.
    pub(super) fn ty(&mut self) -> PResult<Ty> {
        self.nested(Self::ty_unlimited)
    }

    /// A type, one nesting level counted by the caller ([`Parser::ty`]).
    fn ty_unlimited(&mut self) -> PResult<Ty> {
        let start = self.start();
        let token = self.token();
        let kind = match token.kind {
            TokenKind::Ident => {
                let word = self.token_text(token);
                if let Some(scalar) = scalar_type(word) {
                    self.bump();
                    TyKind::Scalar(scalar)
                } else if word == "str" {
                    self.bump();
                    TyKind::Str
                } else if word == "dyn" {
                    self.bump();
                    self.dyn_ty(start)?
                } else if word == "impl" {
                    self.bump();
                    TyKind::ImplTrait(self.bounds()?)
                } else if matches!(word, "for" | "unsafe" | "extern" | "fn") {
                    self.fn_ptr()?
                } else {
                    let name = self.ident("a type")?;
                    let kind = if self.is_punct(Punct::LAngle) {
                        TyKind::Apply(name, self.generic_args()?)
                    } else {
                        TyKind::Name(name)
                    };
                    return self.path_continuation(Ty {
                        kind,
                        span: self.span_from(start),
                    });
                }
            }
            TokenKind::Punct(Punct::LAngle) => return self.qualified_path(),
            TokenKind::Punct(Punct::LParen) => {
                self.bump();
                if self.eat_punct(Punct::RParen) {
                    TyKind::Tuple(Vec::new())
                } else {
                    let first = self.ty()?;
                    if self.eat_punct(Punct::Comma) {
                        let mut types = vec![first];
                        types.extend(self.types_separated_by(Punct::Comma, Punct::RParen)?);
                        self.expect_punct(Punct::RParen, "or `,` after the tuple's types")?;
                        TyKind::Tuple(types)
                    } else {
                        self.expect_punct(Punct::RParen, "or `,` after the type")?;
                        first.kind
                    }
                }
            }
            TokenKind::Punct(Punct::Star) => {
                self.bump();
                let mutability = if self.eat_word("mut") {
                    Mutability::Mut
                } else if self.eat_word("const") {
                    Mutability::Not
                } else {
                    return Err(self.unexpected("`const` or `mut` after `*`"));
                };
                TyKind::Raw(mutability, Box::new(self.ty()?))
            }
            TokenKind::Punct(Punct::Amp) => {
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
                if lifetime.is_none() && !self.elision_allowed {
                    self.push_diagnostic(missing_lifetime(
                        Span::new(start as usize, start as usize + 1),
                        "a reference",
                        "write `&'a T` (or `&'a mut T`) and declare `'a` as a parameter",
                    ));
                }
                TyKind::Ref(mutability, lifetime, Box::new(self.ty()?))
            }
            TokenKind::Punct(Punct::LBracket) => {
                self.bump();
                let element = self.ty()?;
                if self.eat_punct(Punct::Semi) {
                    let length = self.const_value()?;
                    self.expect_punct(Punct::RBracket, "after the array length")?;
                    TyKind::Array(Box::new(element), length)
                } else {
                    self.expect_punct(Punct::RBracket, "or `;` after the slice's element type")?;
                    TyKind::Slice(Box::new(element))
                }
            }
            TokenKind::Punct(Punct::Bang) => {
                self.bump();
                TyKind::Never
            }
            _ => return Err(self.unexpected("a type")),
        };
        Ok(Ty {
            kind,
            span: self.span_from(start),
        })
    }

    /// After `T` or `<T as Tr>::A`: `::Name<B>` makes a shorthand projection
    /// and `::m(..)` a return-type-notation type.
    fn path_continuation(&mut self, mut ty: Ty) -> PResult<Ty> {
        let start = ty.span.start;
        while self.is_punct(Punct::ColonColon) && self.is_ident_at(1) {
            self.bump();
            let name = self.ident("an associated item name")?;
            let args = self.generic_args()?;
            if self.is_punct(Punct::LParen) {
                let style = self.rtn_parens()?;
                let rtn = Rtn {
                    self_ty: ty,
                    trait_ref: None,
                    method: name,
                    args,
                    style,
                };
                return Ok(Ty {
                    kind: TyKind::ReturnTypeNotation(Box::new(rtn)),
                    span: self.span_from(start),
                });
            }
            ty = Ty {
                kind: TyKind::ShorthandProjection {
                    self_ty: Box::new(ty),
                    name,
                    args,
                },
                span: self.span_from(start),
            };
        }
        Ok(ty)
    }

    /// `(..)` or `()` after a method name in return type notation.
    pub(super) fn rtn_parens(&mut self) -> PResult<RtnStyle> {
        self.expect_punct(Punct::LParen, "after the method name")?;
        if self.eat_punct(Punct::RParen) {
            return Ok(RtnStyle::EmptyParens);
        }
        self.expect_punct(
            Punct::DotDot,
            "in return type notation (the arguments are elided: `m(..)`)",
        )?;
        self.expect_punct(Punct::RParen, "after `..`")?;
        Ok(RtnStyle::DotDot)
    }

    /// `<T as Trait<A>>::Name<B>` or `<T as Trait>::m(..)`.
    fn qualified_path(&mut self) -> PResult<Ty> {
        let start = self.start();
        self.bump();
        let self_ty = self.ty()?;
        self.expect_word("as", "after the self type of a qualified path")?;
        let trait_start = self.start();
        let trait_name = self.ident("a trait name")?;
        let trait_args = self.generic_args()?;
        let mut args = vec![GenericArg::Ty(self_ty.clone())];
        args.extend(trait_args);
        let trait_ref = TraitRef {
            trait_name,
            args,
            span: self.span_from(trait_start),
        };
        self.expect_punct(Punct::RAngle, "after the trait of a qualified path")?;
        self.expect_punct(Punct::ColonColon, "after `<T as Trait>`")?;
        let name = self.ident("an associated item name")?;
        let args = self.generic_args()?;
        if self.is_punct(Punct::LParen) {
            let style = self.rtn_parens()?;
            let rtn = Rtn {
                self_ty,
                trait_ref: Some(trait_ref),
                method: name,
                args,
                style,
            };
            return Ok(Ty {
                kind: TyKind::ReturnTypeNotation(Box::new(rtn)),
                span: self.span_from(start),
            });
        }
        let ty = Ty {
            kind: TyKind::Projection(ProjectionTy {
                trait_ref,
                name,
                args,
            }),
            span: self.span_from(start),
        };
        self.path_continuation(ty)
    }

    /// `Bounds + 'a` after `dyn`; the lifetime among the bounds (the last,
    /// if several) becomes the `dyn` type's lifetime.
    fn dyn_ty(&mut self, start: u32) -> PResult<TyKind> {
        let mut bounds = self.bounds()?;
        let mut lifetime = None;
        if let Some(position) = bounds
            .iter()
            .rposition(|b| matches!(b.bound, InlineBound::Outlives(_)))
        {
            if let InlineBound::Outlives(l) = bounds.remove(position).bound {
                lifetime = Some(l);
            }
        }
        if lifetime.is_none() && !self.elision_allowed {
            self.push_diagnostic(missing_lifetime(
                self.span_from(start),
                "a `dyn` type",
                "write `dyn Trait + 'a` and declare `'a` as a parameter",
            ));
        }
        Ok(TyKind::Dyn { bounds, lifetime })
    }

    /// `[for<'a>] [unsafe] [extern "C"] fn(A, ...) [-> R]`
    fn fn_ptr(&mut self) -> PResult<TyKind> {
        let mut lifetimes = Vec::new();
        if self.eat_word("for") {
            self.expect_punct(Punct::LAngle, "after `for`")?;
            while !self.is_punct(Punct::RAngle) {
                let token = self.token();
                if token.kind != TokenKind::Lifetime {
                    return Err(self.unexpected("a lifetime"));
                }
                self.bump();
                lifetimes.push(lifetime_ident(self.token_text(token), token.span));
                if !self.eat_punct(Punct::Comma) {
                    break;
                }
            }
            self.expect_punct(Punct::RAngle, "or `,` after the lifetimes")?;
        }
        let is_unsafe = self.eat_word("unsafe");
        let abi = self.abi()?;
        self.expect_word("fn", "in a fn pointer type")?;
        self.expect_punct(Punct::LParen, "after `fn`")?;
        let mut argument_types = Vec::new();
        let mut variadic = false;
        while !self.is_punct(Punct::RParen) {
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
        self.expect_punct(Punct::RParen, "or `,` after the argument types")?;
        let return_type = Box::new(self.return_type()?);
        Ok(TyKind::FnPtr {
            lifetimes,
            argument_types,
            return_type,
            sig: FnSig {
                abi,
                is_unsafe,
                variadic,
            },
        })
    }

    /// `extern "C"`, or Rust when absent.
    pub(super) fn abi(&mut self) -> PResult<Abi> {
        if !self.eat_word("extern") {
            return Ok(Abi::Rust);
        }
        let token = self.token();
        if !matches!(token.kind, TokenKind::Str(_)) {
            return Err(self.unexpected("an ABI string such as `\"C\"` after `extern`"));
        }
        self.bump();
        let name = self.string_value(token);
        Ok(match name.as_str() {
            "C" => Abi::C,
            "Rust" => Abi::Rust,
            _ => {
                self.push_diagnostic(
                    Diagnostic::error(
                        crate::codes::UNKNOWN_ABI,
                        format!("unknown ABI `{name}`"),
                        token.span,
                    )
                    .with_label("unknown ABI")
                    .with_help("write `extern \"C\"`, or nothing for the Rust ABI"),
                );
                Abi::Other(name)
            }
        })
    }

    /// `-> Ty`, or `()` when absent.
    pub(super) fn return_type(&mut self) -> PResult<Ty> {
        if self.eat_punct(Punct::Arrow) {
            self.ty()
        } else {
            let at = self.token().span.start;
            Ok(Ty {
                kind: TyKind::Tuple(Vec::new()),
                span: Span { start: at, end: at },
            })
        }
    }

    /// Reports a variadic `...` that is not the last argument of a fn item or
    /// a fn pointer type.
    pub(super) fn variadic_not_last(&mut self, span: Span) {
        self.push_diagnostic(
            Diagnostic::error(
                crate::codes::VARIADIC_NOT_LAST,
                "`...` must be the last argument",
                span,
            )
            .with_label("variadic argument before the end")
            .with_help("move `...` to the end of the argument list"),
        );
    }

    /// Types separated by `separator`, stopping before `end`; a trailing
    /// separator is allowed.
    pub(super) fn types_separated_by(&mut self, separator: Punct, end: Punct) -> PResult<Vec<Ty>> {
        let mut types = Vec::new();
        while !self.is_punct(end) {
            types.push(self.ty()?);
            if !self.eat_punct(separator) {
                break;
            }
        }
        Ok(types)
    }

    // -----------------------------------------------------------------------
    // Lifetimes, consts and generic arguments.

    /// `'a`, `'static` or `'erased`.
    pub(super) fn lifetime(&mut self) -> PResult<Lifetime> {
        let token = self.token();
        if token.kind != TokenKind::Lifetime {
            return Err(self.unexpected("a lifetime"));
        }
        self.bump();
        let text = self.token_text(token);
        let kind = match text {
            "'static" => LifetimeKind::Static,
            "'erased" => LifetimeKind::Erased,
            _ => LifetimeKind::Named(text.trim_start_matches('\'').to_string()),
        };
        Ok(Lifetime {
            kind,
            span: token.span,
        })
    }

    /// A const value, as an array length: a number such as `3`, or a const
    /// parameter `N`.
    fn const_value(&mut self) -> PResult<Const> {
        if self.token().kind == TokenKind::Number {
            let (value, span) = self.number_u32()?;
            return Ok(Const::Value(value, span));
        }
        Ok(Const::Name(self.defined_name(
            "a const value: a number or a const parameter",
        )?))
    }

    /// One generic argument: a lifetime `'a`, a const value `3` or a type.
    pub(super) fn generic_arg(&mut self) -> PResult<GenericArg> {
        match self.token().kind {
            TokenKind::Lifetime => Ok(GenericArg::Lifetime(self.lifetime()?)),
            TokenKind::Number => {
                let (value, span) = self.number_u32()?;
                Ok(GenericArg::Const(Const::Value(value, span)))
            }
            _ => Ok(GenericArg::Ty(self.ty()?)),
        }
    }

    /// `<A, 'b, 3>`, or nothing.
    pub(super) fn generic_args(&mut self) -> PResult<Vec<GenericArg>> {
        if !self.eat_punct(Punct::LAngle) {
            return Ok(Vec::new());
        }
        let mut args = Vec::new();
        while !self.is_punct(Punct::RAngle) {
            args.push(self.generic_arg()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        self.expect_punct(Punct::RAngle, "or `,` after the generic arguments")?;
        Ok(args)
    }

    // -----------------------------------------------------------------------
    // Generic parameters.

    /// `<T, 'a, const N, int T, float T>`, or nothing.
    pub(super) fn params(&mut self) -> PResult<Vec<VariableKind>> {
        if !self.eat_punct(Punct::LAngle) {
            return Ok(Vec::new());
        }
        let mut params = Vec::new();
        while !self.is_punct(Punct::RAngle) {
            params.push(self.variable_kind()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        self.expect_punct(Punct::RAngle, "or `,` after the parameters")?;
        Ok(params)
    }

    /// One generic parameter: `T`, `'a`, `const N`, `int T` (an integer
    /// type variable) or `float T`.
    fn variable_kind(&mut self) -> PResult<VariableKind> {
        let token = self.token();
        if token.kind == TokenKind::Lifetime {
            self.bump();
            return Ok(VariableKind {
                kind: ParamKind::Lifetime,
                name: lifetime_ident(self.token_text(token), token.span),
            });
        }
        let kind = if self.is_ident_at(1)
            && (self.is_word("const") || self.is_word("int") || self.is_word("float"))
        {
            let word = self.bump();
            match self.token_text(word) {
                "const" => ParamKind::Const,
                "int" => ParamKind::IntegerTy,
                _ => ParamKind::FloatTy,
            }
        } else {
            ParamKind::Ty
        };
        let name =
            self.defined_name("a parameter name (`T`, `'a`, `const N`, `int T`, `float T`)")?;
        Ok(VariableKind { kind, name })
    }
}

/// The scalar type a word names (`u32`, `bool`, `f64`, ..), if any.
pub(super) fn scalar_type(word: &str) -> Option<ScalarType> {
    Some(match word {
        "i8" => ScalarType::Int(IntTy::I8),
        "i16" => ScalarType::Int(IntTy::I16),
        "i32" => ScalarType::Int(IntTy::I32),
        "i64" => ScalarType::Int(IntTy::I64),
        "i128" => ScalarType::Int(IntTy::I128),
        "isize" => ScalarType::Int(IntTy::Isize),
        "u8" => ScalarType::Uint(UintTy::U8),
        "u16" => ScalarType::Uint(UintTy::U16),
        "u32" => ScalarType::Uint(UintTy::U32),
        "u64" => ScalarType::Uint(UintTy::U64),
        "u128" => ScalarType::Uint(UintTy::U128),
        "usize" => ScalarType::Uint(UintTy::Usize),
        "f16" => ScalarType::Float(FloatTy::F16),
        "f32" => ScalarType::Float(FloatTy::F32),
        "f64" => ScalarType::Float(FloatTy::F64),
        "f128" => ScalarType::Float(FloatTy::F128),
        "bool" => ScalarType::Bool,
        "char" => ScalarType::Char,
        _ => return None,
    })
}

/// The name of a lifetime parameter, without its `'`.
pub(super) fn lifetime_ident(text: &str, span: Span) -> Ident {
    Ident {
        text: text.trim_start_matches('\'').to_string(),
        span,
    }
}

fn missing_lifetime(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        crate::codes::MISSING_LIFETIME,
        format!("{what} needs an explicit lifetime"),
        span,
    )
    .with_label("lifetime missing here")
    .with_note("chalk's language has no lifetime elision; only method signatures may omit it")
    .with_help(help.to_string())
}
