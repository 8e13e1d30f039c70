//! The recursive-descent parser of `.chalk` files.
//!
//! Design: every parse function returns `PResult<T>`. An `Err(Failed)` means a
//! diagnostic has already been recorded and the caller must recover; only the
//! item loop, member loops and brace-delimited blocks recover, by skipping to
//! the next boundary with the help of a delimiter-depth table computed once
//! before parsing. The parser therefore reports one error per broken item and
//! carries on with the next item.

use super::ast::*;
use super::lexer::{lex, Punct, Token, TokenKind};
use crate::diagnostic::Diagnostic;

/// A diagnostic has been recorded; the caller recovers.
#[derive(Debug)]
pub(crate) struct Failed;

pub(crate) type PResult<T> = Result<T, Failed>;

/// Words that begin an item or a file directive, where recovery may stop.
const ITEM_STARTS: &[&str] = &[
    "struct",
    "enum",
    "trait",
    "impl",
    "fn",
    "closure",
    "opaque",
    "coroutine",
    "extern",
    "unsafe",
    "forall",
    "goal",
    "use",
    "disable_coherence",
    "error_msg",
    "rejected",
    "lowering_success",
    "lowering_error",
    "test",
    "program",
];

const ADT_ATTRIBUTES: &[&str] = &[
    "variance",
    "upstream",
    "fundamental",
    "phantom_data",
    "one_zst",
    "repr",
];
const TRAIT_ATTRIBUTES: &[&str] = &[
    "auto",
    "marker",
    "upstream",
    "fundamental",
    "non_enumerable",
    "coinductive",
    "object_safe",
    "lang",
];
const IMPL_ATTRIBUTES: &[&str] = &["upstream"];
const FN_ATTRIBUTES: &[&str] = &["variance"];
const ASSOC_TY_ATTRIBUTES: &[&str] = &["lang"];

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

fn scalar_type(word: &str) -> Option<ScalarType> {
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

/// The contents of a trait's angle brackets in bound position, sorted by form.
#[derive(Default)]
struct BoundArgs {
    args: Vec<GenericArg>,
    /// `Name<B> = T`
    equalities: Vec<(Ident, Vec<GenericArg>, Ty)>,
    /// `m(..): Send`, `Assoc: Send`
    assoc_bounds: Vec<AssocItemBound>,
}

pub(crate) struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    strings: Vec<String>,
    /// For each token, how many delimiters enclose it; a delimiter itself
    /// counts at the depth outside it.
    depth: Vec<u32>,
    /// For each opening delimiter, the index of its closing one.
    matching: Vec<Option<usize>>,
    pos: usize,
    diagnostics: Vec<Diagnostic>,
    /// The delimiter pass found an opener that is never closed; errors at the
    /// end of file are then consequences and not reported again.
    has_unclosed_delimiter: bool,
    /// Inside a method signature, references and `dyn` may omit the lifetime.
    elision_allowed: bool,
    /// How many types, bounds and goals enclose the current position; capped
    /// so that hostile input cannot overflow the stack.
    nesting: u32,
}

/// Deep enough for any real program, shallow enough for a 2 MiB thread stack
/// in a debug build.
const MAX_NESTING: u32 = 100;

impl<'t> Parser<'t> {
    pub(crate) fn new(text: &'t str) -> Parser<'t> {
        let lexed = lex(text);
        let mut parser = Parser {
            text,
            tokens: lexed.tokens,
            strings: lexed.strings,
            depth: Vec::new(),
            matching: Vec::new(),
            pos: 0,
            diagnostics: lexed.diagnostics,
            has_unclosed_delimiter: false,
            elision_allowed: false,
            nesting: 0,
        };
        parser.match_delimiters();
        parser
    }

    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Whether the token at `index` is an item keyword at the start of a line
    /// that can never appear inside a type, a body or a goal, so that an
    /// opener still open there was certainly left unclosed by mistake.
    fn closes_bodies_for_recovery(&self, index: usize) -> bool {
        let token = self.tokens[index];
        if !token.starts_line || token.kind != TokenKind::Ident {
            return false;
        }
        let next_is_ident = self
            .tokens
            .get(index + 1)
            .is_some_and(|t| t.kind == TokenKind::Ident);
        let next_is = |punct: Punct| {
            self.tokens
                .get(index + 1)
                .is_some_and(|t| t.kind == TokenKind::Punct(punct))
        };
        match self.token_text(token) {
            "struct" | "enum" | "trait" | "opaque" | "coroutine" | "closure" => next_is_ident,
            "goal" => next_is(Punct::LBrace),
            // `impl Trait` is also a type, so only an impl header (`impl<..>`
            // or `impl Trait for Type`) counts.
            "impl" => next_is(Punct::LAngle) || self.impl_header_follows(index),
            _ => false,
        }
    }

    /// Whether an `impl` at `index` is followed by `for` before the next `{`,
    /// `;` or `}`: the header of an impl item rather than an `impl Trait` type.
    /// The look-ahead is bounded, so that a file of many `impl` lines cannot
    /// make this pass quadratic; a longer header only misses the recovery.
    fn impl_header_follows(&self, index: usize) -> bool {
        const LOOK_AHEAD: usize = 256;
        let end = (index + 1 + LOOK_AHEAD).min(self.tokens.len());
        for token in &self.tokens[index + 1..end] {
            match token.kind {
                TokenKind::Punct(Punct::LBrace | Punct::RBrace | Punct::Semi) | TokenKind::Eof => {
                    return false
                }
                TokenKind::Ident if self.token_text(*token) == "for" => return true,
                _ => {}
            }
        }
        false
    }

    /// Whether the opener at `index` is the block of a `test!`-style wrapper
    /// or of `program`, which legitimately contains items.
    fn is_wrapper_opener(&self, index: usize) -> bool {
        index.checked_sub(1).is_some_and(|p| {
            let before = self.tokens[p];
            before.kind == TokenKind::Punct(Punct::Bang)
                || (before.kind == TokenKind::Ident && self.token_text(before) == "program")
        })
    }

    /// Closes, for recovery purposes, every delimiter left open before an item
    /// keyword at the start of a line (`struct Foo { x: u32` followed by
    /// `trait Bar { .. }`): a synthetic empty closer is inserted after the last
    /// real token, so the broken item ends there and every later item is
    /// parsed, and checked, on its own. Wrapper blocks are never closed this
    /// way, since items inside them are expected.
    fn insert_recovery_closers(&mut self) {
        let mut tokens = Vec::with_capacity(self.tokens.len());
        let mut stack: Vec<(usize, Punct)> = Vec::new();
        for index in 0..self.tokens.len() {
            let token = self.tokens[index];
            if !stack.is_empty() && self.closes_bodies_for_recovery(index) {
                while let Some(&(opener_index, opener)) = stack.last() {
                    if self.is_wrapper_opener(opener_index) {
                        break;
                    }
                    stack.pop();
                    let Some(closer) = opener.closer() else {
                        continue;
                    };
                    let at = tokens.last().map_or(0, |t: &Token| t.span.end);
                    self.diagnostics.push(unclosed_diagnostic(
                        token.span,
                        self.tokens[opener_index].span,
                        opener,
                        &format!("`{}` starts a new item here", self.token_text(token)),
                    ));
                    tokens.push(Token {
                        kind: TokenKind::Punct(closer),
                        span: Span { start: at, end: at },
                        starts_line: false,
                    });
                }
            }
            if let TokenKind::Punct(punct) = token.kind {
                if punct.closer().is_some() {
                    stack.push((index, punct));
                } else if punct.is_closer() {
                    if let Some(position) = stack
                        .iter()
                        .rposition(|(_, opener)| opener.closer() == Some(punct))
                    {
                        stack.truncate(position);
                    }
                }
            }
            tokens.push(token);
        }
        self.tokens = tokens;
    }

    /// Pairs up `()`, `[]` and `{}` and reports those that do not pair up.
    fn match_delimiters(&mut self) {
        self.insert_recovery_closers();
        let count = self.tokens.len();
        self.depth = vec![0; count];
        self.matching = vec![None; count];
        let mut stack: Vec<(usize, Punct)> = Vec::new();
        for index in 0..count {
            let token = self.tokens[index];
            self.depth[index] = stack.len() as u32;
            let TokenKind::Punct(punct) = token.kind else {
                continue;
            };
            if punct.closer().is_some() {
                stack.push((index, punct));
            } else if punct.is_closer() {
                let position = stack
                    .iter()
                    .rposition(|(_, opener)| opener.closer() == Some(punct));
                match position {
                    Some(position) => {
                        // Openers above the match are never closed.
                        for &(unclosed, opener) in &stack[position + 1..] {
                            let span = self.tokens[unclosed].span;
                            self.diagnostics.push(unclosed_diagnostic(
                                token.span,
                                span,
                                opener,
                                &format!("found `{}` instead", punct.as_str()),
                            ));
                        }
                        let (opener_index, _) = stack[position];
                        self.matching[opener_index] = Some(index);
                        stack.truncate(position);
                        self.depth[index] = stack.len() as u32;
                    }
                    None => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                "unbalanced-delimiter",
                                format!("unexpected closing `{}`", punct.as_str()),
                                token.span,
                            )
                            .with_label("this delimiter closes nothing")
                            .with_help("remove it, or add the matching opening delimiter"),
                        );
                    }
                }
            }
        }
        let end = self.tokens.last().map(|t| t.span).unwrap_or_default();
        // An unterminated string or comment swallows the rest of the file, so
        // the delimiters it swallowed are not separate mistakes.
        let swallowed = self
            .diagnostics
            .iter()
            .any(|d| matches!(d.code, "unterminated-string" | "unterminated-comment"));
        self.has_unclosed_delimiter = !stack.is_empty();
        for &(unclosed, opener) in &stack {
            if swallowed {
                break;
            }
            let span = self.tokens[unclosed].span;
            self.diagnostics
                .push(unclosed_diagnostic(end, span, opener, "the file ends here"));
        }
    }

    // -----------------------------------------------------------------------
    // Token helpers.

    fn token_at(&self, offset: usize) -> Token {
        let index = (self.pos + offset).min(self.tokens.len().saturating_sub(1));
        self.tokens.get(index).copied().unwrap_or(Token {
            kind: TokenKind::Eof,
            span: Span::new(self.text.len(), self.text.len()),
            starts_line: true,
        })
    }

    fn token(&self) -> Token {
        self.token_at(0)
    }

    fn token_text(&self, token: Token) -> &'t str {
        self.text.get(token.span.range()).unwrap_or("")
    }

    fn at_eof(&self) -> bool {
        self.token().kind == TokenKind::Eof
    }

    fn is_punct_at(&self, offset: usize, punct: Punct) -> bool {
        self.token_at(offset).kind == TokenKind::Punct(punct)
    }

    fn is_punct(&self, punct: Punct) -> bool {
        self.is_punct_at(0, punct)
    }

    fn is_word_at(&self, offset: usize, word: &str) -> bool {
        let token = self.token_at(offset);
        token.kind == TokenKind::Ident && self.token_text(token) == word
    }

    fn is_word(&self, word: &str) -> bool {
        self.is_word_at(0, word)
    }

    fn is_ident_at(&self, offset: usize) -> bool {
        self.token_at(offset).kind == TokenKind::Ident
    }

    fn bump(&mut self) -> Token {
        let token = self.token();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    fn eat_punct(&mut self, punct: Punct) -> bool {
        if self.is_punct(punct) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.is_word(word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn start(&self) -> u32 {
        self.token().span.start
    }

    /// The span from byte `start` to the end of the last consumed token.
    fn span_from(&self, start: u32) -> Span {
        let end = if self.pos == 0 {
            start
        } else {
            self.tokens
                .get(self.pos - 1)
                .map_or(start, |t| t.span.end.max(start))
        };
        Span { start, end }
    }

    fn describe(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Eof => "end of file".to_string(),
            TokenKind::Str(_) => "a string".to_string(),
            _ => format!("`{}`", self.token_text(token)),
        }
    }

    fn push_diagnostic(&mut self, diagnostic: Diagnostic) {
        // A second error at the same place is a consequence of the first.
        let duplicate = self
            .diagnostics
            .iter()
            .any(|d| d.primary.span.start == diagnostic.primary.span.start);
        if !duplicate {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Reports that the current token is not what `expectation` describes.
    fn unexpected(&mut self, expectation: &str) -> Failed {
        let token = self.token();
        if token.kind == TokenKind::Eof && self.has_unclosed_delimiter {
            return Failed;
        }
        // A closer inserted for recovery (it has no text) was already
        // reported as a missing delimiter; whatever fails on it is a
        // consequence.
        if matches!(token.kind, TokenKind::Punct(_)) && token.span.start == token.span.end {
            return Failed;
        }
        let found = self.describe(token);
        self.push_diagnostic(
            Diagnostic::error(
                "unexpected-token",
                format!("expected {expectation}, found {found}"),
                token.span,
            )
            .with_label(format!("expected {expectation}"))
            .with_help(format!("write {expectation} here")),
        );
        Failed
    }

    fn expect_punct(&mut self, punct: Punct, context: &str) -> PResult<Token> {
        if self.is_punct(punct) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&format!("`{}` {context}", punct.as_str())))
        }
    }

    fn expect_word(&mut self, word: &str, context: &str) -> PResult<Token> {
        if self.is_word(word) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&format!("`{word}` {context}")))
        }
    }

    fn ident(&mut self, what: &str) -> PResult<Ident> {
        let token = self.token();
        if token.kind == TokenKind::Ident {
            self.pos += 1;
            Ok(Ident {
                text: self.token_text(token).to_string(),
                span: token.span,
            })
        } else {
            Err(self.unexpected(what))
        }
    }

    /// The name of a new item, parameter or field: any word that is not
    /// reserved for a type or a keyword of the language.
    fn defined_name(&mut self, what: &str) -> PResult<Ident> {
        let token = self.token();
        if token.kind == TokenKind::Ident && is_reserved(self.token_text(token)) {
            let word = self.token_text(token);
            self.push_diagnostic(
                Diagnostic::error(
                    "reserved-name",
                    format!("`{word}` is reserved and cannot be used as {what}"),
                    token.span,
                )
                .with_label("reserved word")
                .with_help("choose another name"),
            );
            return Err(Failed);
        }
        self.ident(what)
    }

    fn string_value(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Str(index) => self
                .strings
                .get(index as usize)
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    fn number(&mut self) -> PResult<(u64, Span)> {
        let token = self.token();
        if token.kind != TokenKind::Number {
            return Err(self.unexpected("a number"));
        }
        self.pos += 1;
        let text = self.token_text(token);
        let digits: String = text.chars().filter(|c| *c != '_').collect();
        match digits.parse::<u64>() {
            Ok(value) => Ok((value, token.span)),
            Err(_) => {
                self.push_diagnostic(
                    Diagnostic::error(
                        "invalid-number",
                        format!("`{text}` is not a valid number"),
                        token.span,
                    )
                    .with_label("invalid number")
                    .with_help("write a plain decimal number without a suffix, such as `3`"),
                );
                Ok((0, token.span))
            }
        }
    }

    fn number_u32(&mut self) -> PResult<(u32, Span)> {
        let (value, span) = self.number()?;
        match u32::try_from(value) {
            Ok(value) => Ok((value, span)),
            Err(_) => {
                self.push_diagnostic(
                    Diagnostic::error(
                        "invalid-number",
                        format!("{value} does not fit in 32 bits"),
                        span,
                    )
                    .with_label("too large")
                    .with_help("const values must be below 4294967296"),
                );
                Ok((0, span))
            }
        }
    }

    // -----------------------------------------------------------------------
    // Recovery.

    fn starts_item_at(&self, index: usize) -> bool {
        let Some(token) = self.tokens.get(index).copied() else {
            return false;
        };
        match token.kind {
            TokenKind::Punct(Punct::Hash) => true,
            TokenKind::Ident => ITEM_STARTS.contains(&self.token_text(token)),
            _ => false,
        }
    }

    /// Skips from a failed item to the next plausible item boundary at
    /// `item_depth`, never past `end`.
    fn recover_item(&mut self, item_start: usize, item_depth: u32, end: usize) {
        if self.pos <= item_start {
            self.pos = item_start + 1;
        }
        while self.pos < end && !self.at_eof() {
            let index = self.pos;
            let depth = self.depth.get(index).copied().unwrap_or(0);
            if depth < item_depth {
                break;
            }
            if depth == item_depth {
                let token = self.tokens[index];
                // Only `;` and `}` end items; a `)` or `]` at item depth
                // closes something inside a broken item header.
                if let TokenKind::Punct(Punct::Semi | Punct::RBrace) = token.kind {
                    self.pos += 1;
                    break;
                }
                let after_boundary = token.starts_line
                    || index
                        .checked_sub(1)
                        .and_then(|p| self.tokens.get(p))
                        .is_some_and(|p| {
                            matches!(
                                p.kind,
                                TokenKind::Punct(Punct::Semi | Punct::RBrace | Punct::RBracket)
                            )
                        });
                if after_boundary && self.starts_item_at(index) {
                    break;
                }
            }
            self.pos += 1;
        }
        self.pos = self.pos.min(end.max(item_start + 1));
    }

    /// Skips a failed member of a trait or impl body: to just after the next
    /// `;` at the member's depth, or to the body's closing brace.
    fn recover_member(&mut self, member_start: usize, member_depth: u32, close: usize) {
        if self.pos <= member_start {
            self.pos = member_start + 1;
        }
        while self.pos < close && !self.at_eof() {
            let index = self.pos;
            let depth = self.depth.get(index).copied().unwrap_or(0);
            if depth < member_depth {
                break;
            }
            self.pos += 1;
            if depth == member_depth
                && matches!(
                    self.tokens[index].kind,
                    TokenKind::Punct(Punct::Semi | Punct::RBrace)
                )
            {
                break;
            }
        }
        self.pos = self.pos.min(close.max(member_start + 1));
    }

    /// The index of the token closing the delimiter at the current position,
    /// or of the end-of-file token.
    fn closing_index(&self) -> usize {
        self.matching
            .get(self.pos)
            .copied()
            .flatten()
            .unwrap_or(self.tokens.len().saturating_sub(1))
    }

    // -----------------------------------------------------------------------
    // The file.

    /// A goal that must span the whole text.
    pub(crate) fn goal_to_end(&mut self) -> Option<Goal> {
        if self.at_eof() {
            self.unexpected("a goal");
            return None;
        }
        let goal = self.goal().ok()?;
        if !self.at_eof() {
            self.unexpected("`,` or the end of the goal");
            return None;
        }
        Some(goal)
    }

    pub(crate) fn parse_file(&mut self) -> File {
        let mut file = File::default();
        let end = self.tokens.len().saturating_sub(1);
        self.entries_until(&mut file, end);
        file
    }

    /// Parses items and directives up to token index `end` (a closing brace
    /// of a wrapper, or end of file).
    fn entries_until(&mut self, file: &mut File, end: usize) {
        while self.pos < end && !self.at_eof() {
            let entry_start = self.pos;
            let entry_depth = self.depth.get(self.pos).copied().unwrap_or(0);
            if self.entry(file).is_err() {
                self.recover_item(entry_start, entry_depth, end);
            }
        }
    }

    fn entry(&mut self, file: &mut File) -> PResult<()> {
        let start = self.start();
        if self.is_word("use") {
            self.bump();
            let path_ok = self.eat_word("prelude")
                && self.eat_punct(Punct::ColonColon)
                && self.eat_punct(Punct::Star);
            if !path_ok {
                return Err(self.unexpected("`prelude::*` (the only import is `use prelude::*;`)"));
            }
            self.expect_punct(Punct::Semi, "after `use prelude::*`")?;
            file.uses_prelude = Some(self.span_from(start));
            return Ok(());
        }
        if self.is_word("disable_coherence") {
            self.bump();
            self.expect_punct(Punct::Semi, "after `disable_coherence`")?;
            file.disable_coherence = Some(self.span_from(start));
            return Ok(());
        }
        let is_macro = self.is_punct_at(1, Punct::Bang);
        if is_macro
            && (self.is_word("test")
                || self.is_word("lowering_error")
                || self.is_word("lowering_success"))
        {
            let success = self.is_word("lowering_success");
            self.bump();
            self.bump();
            self.wrapper_block(file)?;
            self.eat_punct(Punct::Semi);
            if success {
                file.expect_success = Some(self.span_from(start));
            }
            return Ok(());
        }
        if self.is_word("lowering_success") {
            self.bump();
            self.expect_punct(Punct::Semi, "after `lowering_success`")?;
            file.expect_success = Some(self.span_from(start));
            return Ok(());
        }
        if self.is_word("program") && self.is_punct_at(1, Punct::LBrace) {
            self.bump();
            return self.wrapper_block(file);
        }
        if self.is_word("goal") {
            let goal = self.goal_block()?;
            file.goals.push(goal);
            return Ok(());
        }
        if (self.is_word("error_msg") || self.is_word("rejected"))
            && (self.is_punct_at(1, Punct::LBrace) || self.is_punct_at(1, Punct::LBracket))
        {
            self.bump();
            let mut solver = None;
            let mut design = None;
            let mut implication = None;
            if self.eat_punct(Punct::LBracket) {
                self.solver_options(&mut solver, &mut design, &mut implication)?;
                self.expect_punct(Punct::RBracket, "after the options")?;
                if solver.is_some() {
                    self.push_diagnostic(
                        Diagnostic::error(
                            "unknown-option",
                            "an expected error cannot name a solver",
                            self.span_from(start),
                        )
                        .with_label("`solver = ..` is not allowed here")
                        .with_help("the checks always use chalk's SLG solver; name a `design` or an `implication` instead"),
                    );
                }
            }
            self.expect_punct(Punct::LBrace, "before the expected error message")?;
            let token = self.token();
            if !matches!(token.kind, TokenKind::Str(_)) {
                return Err(self.unexpected("the expected error message as a string"));
            }
            self.bump();
            self.eat_punct(Punct::Comma);
            self.expect_punct(Punct::RBrace, "after the expected error message")?;
            file.expected_errors.push(ExpectedError {
                text: self.string_value(token),
                span: self.span_from(start),
                design,
                implication,
            });
            return Ok(());
        }
        let items = self.item()?;
        file.items.extend(items);
        Ok(())
    }

    /// `{ ENTRIES }` (or `( .. )`, `[ .. ]`) of a `test!`-style wrapper.
    fn wrapper_block(&mut self, file: &mut File) -> PResult<()> {
        let token = self.token();
        let closer = match token.kind {
            TokenKind::Punct(punct) => punct.closer(),
            _ => None,
        };
        let Some(closer) = closer else {
            return Err(self.unexpected("`{` to open the block"));
        };
        let close = self.closing_index();
        self.bump();
        self.entries_until(file, close);
        self.expect_punct(closer, "to close the block")?;
        Ok(())
    }

    fn goal_block(&mut self) -> PResult<GoalBlock> {
        let start = self.start();
        self.bump();
        if !self.is_punct(Punct::LBrace) {
            return Err(self.unexpected("`{` after `goal`"));
        }
        let open = self.token();
        let close = self.closing_index();
        self.bump();
        let text_end = self
            .tokens
            .get(close)
            .map_or(self.text.len(), |t| t.span.start as usize);
        let text = self
            .text
            .get(open.span.end as usize..text_end)
            .unwrap_or("")
            .trim()
            .to_string();
        let goal_start = self.start();
        let goal = match self.goal() {
            Ok(goal) if self.is_punct(Punct::RBrace) => {
                self.bump();
                goal
            }
            Ok(_) => {
                self.unexpected("`,` or `}` after the goal");
                self.skip_to_close(close);
                self.error_goal(goal_start)
            }
            Err(Failed) => {
                self.skip_to_close(close);
                self.error_goal(goal_start)
            }
        };
        let mut expectations = Vec::new();
        while self.is_word("yields") || self.is_word("yields_all") || self.is_word("yields_first") {
            expectations.push(self.expectation()?);
        }
        Ok(GoalBlock {
            goal,
            text,
            span: self.span_from(start),
            expectations,
        })
    }

    fn error_goal(&self, start: u32) -> Goal {
        Goal {
            kind: GoalKind::Error,
            span: self.span_from(start),
        }
    }

    /// Moves past the closing delimiter at index `close` after an error inside.
    fn skip_to_close(&mut self, close: usize) {
        if close >= self.pos && close < self.tokens.len() {
            self.pos = close;
            self.bump();
        }
    }

    fn expectation(&mut self) -> PResult<Expectation> {
        let start = self.start();
        let word = self.bump();
        let kind = match self.token_text(word) {
            "yields_all" => ExpectationKind::YieldsAll,
            "yields_first" => ExpectationKind::YieldsFirst,
            _ => ExpectationKind::Yields,
        };
        let mut solver = None;
        let mut design = None;
        let mut implication = None;
        if self.eat_punct(Punct::LBracket) {
            self.solver_options(&mut solver, &mut design, &mut implication)?;
            self.expect_punct(Punct::RBracket, "after the solver choice")?;
        }
        self.expect_punct(Punct::LBrace, "before the expected answers")?;
        let mut answers = Vec::new();
        while !self.is_punct(Punct::RBrace) {
            answers.push(self.answer()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        self.expect_punct(Punct::RBrace, "after the expected answers")?;
        if kind == ExpectationKind::Yields && answers.len() != 1 {
            self.push_diagnostic(
                Diagnostic::error(
                    "wrong-answer-count",
                    format!("`yields` takes exactly one answer, found {}", answers.len()),
                    self.span_from(start),
                )
                .with_label("here")
                .with_help("write one answer, or use `yields_all` / `yields_first` for several"),
            );
        }
        Ok(Expectation {
            kind,
            solver,
            design,
            implication,
            answers,
            span: self.span_from(start),
        })
    }

    /// `"..."` or `expect![["..."]]`.
    fn answer(&mut self) -> PResult<String> {
        let token = self.token();
        if let TokenKind::Str(_) = token.kind {
            self.bump();
            return Ok(self.string_value(token));
        }
        if !(self.is_word("expect") && self.is_punct_at(1, Punct::Bang)) {
            let token = self.token();
            let found = self.describe(token);
            self.push_diagnostic(
                Diagnostic::error(
                    "unexpected-token",
                    format!("expected the answer as a string, found {found}"),
                    token.span,
                )
                .with_label("the expected answer must be quoted")
                .with_help(
                    "write the answer as a string, e.g. `\"Unique\"`, or as `expect![[\"..\"]]`",
                ),
            );
            return Err(Failed);
        }
        self.bump();
        self.bump();
        let mut closers = Vec::new();
        while let TokenKind::Punct(punct) = self.token().kind {
            match punct.closer() {
                Some(closer) => {
                    closers.push(closer);
                    self.bump();
                }
                None => break,
            }
        }
        if closers.is_empty() {
            return Err(self.unexpected("`[[` after `expect!`"));
        }
        let token = self.token();
        let value = if let TokenKind::Str(_) = token.kind {
            self.bump();
            self.string_value(token)
        } else {
            String::new()
        };
        for closer in closers.into_iter().rev() {
            self.expect_punct(closer, "to close `expect!`")?;
        }
        Ok(value)
    }

    fn solver_options(
        &mut self,
        solver: &mut Option<SolverSpec>,
        design: &mut Option<Ident>,
        implication: &mut Option<Ident>,
    ) -> PResult<()> {
        if self.is_word("SolverChoice") {
            self.bump();
            self.expect_punct(Punct::ColonColon, "after `SolverChoice`")?;
            let name = self.ident("a solver constructor such as `slg_default`")?;
            self.expect_punct(Punct::LParen, "after the solver constructor")?;
            let spec = match name.text.as_str() {
                "slg_default" | "default" => SolverSpec::SLG_DEFAULT,
                "recursive_default" => SolverSpec::RECURSIVE_DEFAULT,
                "slg" => {
                    let (max_size, _) = self.number()?;
                    self.expect_punct(Punct::Comma, "after the SLG solver's maximum size")?;
                    let expected_answers = if self.eat_word("None") {
                        None
                    } else {
                        self.expect_word("Some", "or `None` for the expected answer count")?;
                        self.expect_punct(Punct::LParen, "after `Some`")?;
                        let (count, _) = self.number()?;
                        self.expect_punct(Punct::RParen, "after the answer count")?;
                        Some(count as usize)
                    };
                    SolverSpec::Slg {
                        max_size: max_size as usize,
                        expected_answers,
                    }
                }
                "recursive" => {
                    // chalk's argument order: `recursive(max_size, overflow_depth)`.
                    let (max_size, _) = self.number()?;
                    self.expect_punct(Punct::Comma, "after the recursive solver's maximum size")?;
                    let (overflow_depth, _) = self.number()?;
                    SolverSpec::Recursive {
                        overflow_depth: overflow_depth as usize,
                        max_size: max_size as usize,
                    }
                }
                _ => {
                    self.push_diagnostic(unknown_solver(&name.text, name.span));
                    return Err(Failed);
                }
            };
            self.expect_punct(Punct::RParen, "after the solver arguments")?;
            *solver = Some(spec);
            return Ok(());
        }
        loop {
            let key = self.ident("`solver = ..` or `design = ..`")?;
            self.expect_punct(Punct::Eq, "after the option name")?;
            let value = self.ident("an option value")?;
            match key.text.as_str() {
                "solver" => match value.text.as_str() {
                    "slg" => *solver = Some(SolverSpec::SLG_DEFAULT),
                    "recursive" => *solver = Some(SolverSpec::RECURSIVE_DEFAULT),
                    _ => {
                        self.push_diagnostic(unknown_solver(&value.text, value.span));
                        return Err(Failed);
                    }
                },
                "design" => *design = Some(value),
                "implication" => *implication = Some(value),
                _ => {
                    self.push_diagnostic(
                        Diagnostic::error(
                            "unknown-option",
                            format!("unknown expectation option `{}`", key.text),
                            key.span,
                        )
                        .with_label("unknown option")
                        .with_help("the options are `solver = slg|recursive`, `design = explicit|implied|boxed` and `implication = assume|decide`"),
                    );
                    return Err(Failed);
                }
            }
            if !self.eat_punct(Punct::Comma) || self.is_punct(Punct::RBracket) {
                return Ok(());
            }
        }
    }

    // -----------------------------------------------------------------------
    // Attributes and items.

    fn attributes(&mut self) -> PResult<Vec<Attribute>> {
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
    fn check_attributes<'a>(
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
                        "misplaced-attribute",
                        format!("`#[{name}]` is not allowed on {item_description}"),
                        attribute.span,
                    )
                    .with_label("misplaced attribute")
                    .with_help(format!("`#[{name}]` belongs on {home}")),
                    None => Diagnostic::error(
                        "unknown-attribute",
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
                        Diagnostic::error("attribute-order", message, attribute.span)
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

    /// One item; a `forall` clause whose consequence expands (`T: Tr<A = U>`)
    /// yields several.
    fn item(&mut self) -> PResult<Vec<Item>> {
        let start = self.start();
        let attributes = self.attributes()?;
        if self.is_word("struct") || self.is_word("enum") {
            return Ok(vec![Item::Adt(self.adt(start, &attributes)?)]);
        }
        if self.is_word("trait") {
            return Ok(vec![Item::Trait(self.trait_defn(start, &attributes)?)]);
        }
        if self.is_word("impl") {
            return Ok(vec![Item::Impl(self.impl_defn(start, &attributes)?)]);
        }
        if self.is_word("extern") && self.is_word_at(1, "type") {
            self.check_attributes(&attributes, &[], "an extern type");
            self.bump();
            self.bump();
            let name = self.defined_name("the name of the extern type")?;
            self.expect_punct(Punct::Semi, "after the extern type's name")?;
            return Ok(vec![Item::Foreign(ForeignDefn {
                name,
                span: self.span_from(start),
            })]);
        }
        if self.is_word("fn") || self.is_word("unsafe") || self.is_word("extern") {
            return Ok(vec![Item::Fn(self.fn_defn(start, &attributes)?)]);
        }
        if self.is_word("closure") {
            self.check_attributes(&attributes, &[], "a closure");
            return Ok(vec![Item::Closure(self.closure(start)?)]);
        }
        if self.is_word("opaque") {
            self.check_attributes(&attributes, &[], "an opaque type");
            return Ok(vec![Item::OpaqueTy(self.opaque(start)?)]);
        }
        if self.is_word("coroutine") {
            self.check_attributes(&attributes, &[], "a coroutine");
            return Ok(vec![Item::Coroutine(self.coroutine(start)?)]);
        }
        if self.is_word("forall") {
            self.check_attributes(&attributes, &[], "a clause");
            return Ok(self
                .clause_item(start)?
                .into_iter()
                .map(Item::Clause)
                .collect());
        }
        Err(self.unexpected(
            "an item (`struct`, `enum`, `trait`, `impl`, `fn`, `closure`, `opaque type`, `coroutine`, `extern type`, `forall`) or `goal`",
        ))
    }

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

    fn bump_word_is(&mut self, word: &str) -> bool {
        let is = self.is_word(word);
        self.bump();
        is
    }

    fn variances(&mut self, attribute: &Attribute) -> Vec<Variance> {
        let mut variances = Vec::new();
        for arg in &attribute.args {
            let variance = match arg.text.as_str() {
                "Invariant" => Variance::Invariant,
                "Covariant" => Variance::Covariant,
                "Contravariant" => Variance::Contravariant,
                _ => {
                    self.push_diagnostic(
                        Diagnostic::error(
                            "unknown-variance",
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

    fn repr(&mut self, attribute: &Attribute, kind: AdtKind, repr: &mut AdtRepr) {
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

    fn variadic_not_last(&mut self, span: Span) {
        self.push_diagnostic(
            Diagnostic::error("variadic-not-last", "`...` must be the last argument", span)
                .with_label("variadic argument before the end")
                .with_help("move `...` to the end of the argument list"),
        );
    }

    /// `-> Ty`, or `()` when absent.
    fn return_type(&mut self) -> PResult<Ty> {
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

    /// `extern "C"`, or Rust when absent.
    fn abi(&mut self) -> PResult<Abi> {
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
                    Diagnostic::error("unknown-abi", format!("unknown ABI `{name}`"), token.span)
                        .with_label("unknown ABI")
                        .with_help("write `extern \"C\"`, or nothing for the Rust ABI"),
                );
                Abi::Other(name)
            }
        })
    }

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

    /// Types separated by `separator`, stopping before `end`; a trailing
    /// separator is allowed.
    fn types_separated_by(&mut self, separator: Punct, end: Punct) -> PResult<Vec<Ty>> {
        let mut types = Vec::new();
        while !self.is_punct(end) {
            types.push(self.ty()?);
            if !self.eat_punct(separator) {
                break;
            }
        }
        Ok(types)
    }

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

    fn trait_defn(&mut self, start: u32, attributes: &[Attribute]) -> PResult<TraitDefn> {
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

    fn lang_item(&mut self, attribute: &Attribute) -> Option<WellKnownTrait> {
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
                    "unknown-lang-item",
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
                            "unknown-lang-item",
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

    fn impl_defn(&mut self, start: u32, attributes: &[Attribute]) -> PResult<ImplDefn> {
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
            span: self.span_from(start),
        })
    }

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

    /// `Goal1, Goal1, ...` until one of `ends` (trailing comma allowed).
    fn goal_list(&mut self, ends: &[Punct]) -> PResult<Vec<Goal>> {
        let mut goals = Vec::new();
        loop {
            if ends.iter().any(|end| self.is_punct(*end)) {
                break;
            }
            goals.push(self.goal1()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        Ok(goals)
    }

    // -----------------------------------------------------------------------
    // Generic parameters.

    /// `<T, 'a, const N, int T, float T>`, or nothing.
    fn params(&mut self) -> PResult<Vec<VariableKind>> {
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

    // -----------------------------------------------------------------------
    // Types.

    /// Runs `parse` one nesting level deeper, refusing past [`MAX_NESTING`].
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nesting >= MAX_NESTING {
            let span = self.token().span;
            self.push_diagnostic(
                Diagnostic::error("nesting-too-deep", "this is nested too deeply", span)
                    .with_label("nesting limit reached here")
                    .with_help(format!(
                        "types, bounds and goals may nest at most {MAX_NESTING} levels deep"
                    )),
            );
            return Err(Failed);
        }
        self.nesting += 1;
        let result = parse(self);
        self.nesting -= 1;
        result
    }

    pub(crate) fn ty(&mut self) -> PResult<Ty> {
        self.nested(Self::ty_unlimited)
    }

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
    fn rtn_parens(&mut self) -> PResult<RtnStyle> {
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

    fn lifetime(&mut self) -> PResult<Lifetime> {
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

    fn const_value(&mut self) -> PResult<Const> {
        if self.token().kind == TokenKind::Number {
            let (value, span) = self.number_u32()?;
            return Ok(Const::Value(value, span));
        }
        Ok(Const::Name(self.defined_name(
            "a const value: a number or a const parameter",
        )?))
    }

    fn generic_arg(&mut self) -> PResult<GenericArg> {
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
    fn generic_args(&mut self) -> PResult<Vec<GenericArg>> {
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
    // Bounds.

    /// `Trait<..> + forall<'a> Trait2<'a> + 'a + if (WC) { Bounds }`
    fn bounds(&mut self) -> PResult<Vec<QuantifiedInlineBound>> {
        let mut bounds = Vec::new();
        loop {
            bounds.extend(self.quantified_inline_bound()?);
            if !self.eat_punct(Punct::Plus) {
                break;
            }
        }
        Ok(bounds)
    }

    fn quantified_params(&mut self) -> PResult<Vec<VariableKind>> {
        if (self.is_word("forall") || self.is_word("for")) && self.is_punct_at(1, Punct::LAngle) {
            self.bump();
            return self.params();
        }
        Ok(Vec::new())
    }

    fn quantified_inline_bound(&mut self) -> PResult<Vec<QuantifiedInlineBound>> {
        self.nested(Self::quantified_inline_bound_unlimited)
    }

    fn quantified_inline_bound_unlimited(&mut self) -> PResult<Vec<QuantifiedInlineBound>> {
        let start = self.start();
        let params = self.quantified_params()?;
        if self.token().kind == TokenKind::Lifetime {
            let lifetime = self.lifetime()?;
            return Ok(vec![QuantifiedInlineBound {
                params,
                bound: InlineBound::Outlives(lifetime),
                span: self.span_from(start),
            }]);
        }
        if self.is_word("if") && self.is_punct_at(1, Punct::LParen) {
            self.bump();
            self.bump();
            let mut conditions = Vec::new();
            while !self.is_punct(Punct::RParen) {
                conditions.extend(self.quantified_where_clause()?);
                if !(self.eat_punct(Punct::Semi) || self.eat_punct(Punct::Comma)) {
                    break;
                }
            }
            self.expect_punct(Punct::RParen, "after the condition")?;
            let closer = if self.eat_punct(Punct::LBrace) {
                Punct::RBrace
            } else if self.eat_punct(Punct::LAngle) {
                Punct::RAngle
            } else {
                return Err(self.unexpected("`{` or `<` before the conditional bounds"));
            };
            let bounds = self.bounds()?;
            self.expect_punct(closer, "after the conditional bounds")?;
            return Ok(vec![QuantifiedInlineBound {
                params,
                bound: InlineBound::Conditional(ConditionalBound { conditions, bounds }),
                span: self.span_from(start),
            }]);
        }
        let trait_name = self.ident("a trait bound")?;
        let BoundArgs {
            args,
            equalities,
            assoc_bounds,
        } = self.bound_args()?;
        let span = self.span_from(start);
        let trait_bound = |assoc_bounds: Vec<AssocItemBound>| TraitBound {
            trait_name: trait_name.clone(),
            args: args.clone(),
            assoc_bounds,
            span,
        };
        let quantified = |bound: InlineBound| QuantifiedInlineBound {
            params: params.clone(),
            bound,
            span,
        };
        // chalk writes `Trait<A = T>` as one `AliasEq` bound (which implies the
        // trait); the plain trait bound is only added when nothing else
        // carries it or when it carries associated-item bounds.
        let mut bounds = Vec::new();
        if equalities.is_empty() || !assoc_bounds.is_empty() {
            bounds.push(quantified(InlineBound::Trait(trait_bound(assoc_bounds))));
        }
        for (name, args, value) in equalities {
            bounds.push(quantified(InlineBound::AliasEq(AliasEqBound {
                trait_bound: trait_bound(Vec::new()),
                name,
                args,
                value,
            })));
        }
        Ok(bounds)
    }

    /// The angle brackets after a trait name in bound position: arguments,
    /// `Name<B> = T` equalities and `m(..): Bound` / `Assoc: Bound` bounds.
    fn bound_args(&mut self) -> PResult<BoundArgs> {
        let mut result = BoundArgs::default();
        if !self.eat_punct(Punct::LAngle) {
            return Ok(result);
        }
        while !self.is_punct(Punct::RAngle) {
            let start = self.start();
            if self.is_ident_at(0) && !self.is_word("fn") && self.is_punct_at(1, Punct::LParen) {
                let name = self.ident("a method name")?;
                let style = self.rtn_parens()?;
                self.expect_punct(Punct::Colon, "after the method's return type notation")?;
                let bounds = self.bounds()?;
                result.assoc_bounds.push(AssocItemBound {
                    name,
                    args: Vec::new(),
                    style,
                    bounds,
                    span: self.span_from(start),
                });
            } else if self.is_ident_at(0) && self.is_punct_at(1, Punct::Eq) {
                let name = self.ident("an associated type name")?;
                self.bump();
                let value = self.ty()?;
                result.equalities.push((name, Vec::new(), value));
            } else if self.is_ident_at(0) && self.is_punct_at(1, Punct::Colon) {
                let name = self.ident("an associated item name")?;
                self.bump();
                let bounds = self.bounds()?;
                result.assoc_bounds.push(AssocItemBound {
                    name,
                    args: Vec::new(),
                    style: RtnStyle::Bare,
                    bounds,
                    span: self.span_from(start),
                });
            } else {
                let arg = self.generic_arg()?;
                let applied = match &arg {
                    GenericArg::Ty(Ty {
                        kind: TyKind::Apply(name, args),
                        ..
                    }) => Some((name.clone(), args.clone())),
                    _ => None,
                };
                match applied {
                    Some((name, args)) if self.eat_punct(Punct::Eq) => {
                        let value = self.ty()?;
                        result.equalities.push((name, args, value));
                    }
                    Some((name, args)) if self.is_punct(Punct::Colon) => {
                        // `Assoc<'a>: Bound`, or the explainer's `m<'a>: Send`.
                        self.bump();
                        let bounds = self.bounds()?;
                        result.assoc_bounds.push(AssocItemBound {
                            name,
                            args,
                            style: RtnStyle::Bare,
                            bounds,
                            span: self.span_from(start),
                        });
                    }
                    _ => result.args.push(arg),
                }
            }
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        self.expect_punct(Punct::RAngle, "or `,` after the trait's arguments")?;
        Ok(result)
    }

    // -----------------------------------------------------------------------
    // Where clauses.

    /// `where WC, WC`, or nothing.
    fn where_clauses(&mut self) -> PResult<Vec<QuantifiedWhereClause>> {
        if !self.eat_word("where") {
            return Ok(Vec::new());
        }
        let mut clauses = Vec::new();
        loop {
            if self.is_punct(Punct::LBrace)
                || self.is_punct(Punct::Semi)
                || self.is_punct(Punct::Eq)
                || self.at_eof()
            {
                break;
            }
            clauses.extend(self.quantified_where_clause()?);
            if !self.eat_punct(Punct::Comma) {
                break;
            }
        }
        Ok(clauses)
    }

    /// Whether `for<..>` at the current position starts a fn pointer type
    /// rather than quantifying a where clause.
    fn for_starts_fn_pointer(&self) -> bool {
        let Some(close) = (1..64).find(|&i| {
            self.is_punct_at(i, Punct::RAngle) || self.token_at(i).kind == TokenKind::Eof
        }) else {
            return false;
        };
        self.is_word_at(close + 1, "fn")
            || self.is_word_at(close + 1, "unsafe")
            || self.is_word_at(close + 1, "extern")
    }

    /// One where clause, possibly expanded: `T: Tr<A = U>` gives the
    /// `Implemented` clause then one `AliasEq` per equality, all with the
    /// same span.
    pub(crate) fn quantified_where_clause(&mut self) -> PResult<Vec<QuantifiedWhereClause>> {
        let start = self.start();
        let params =
            if self.is_word("forall") || (self.is_word("for") && !self.for_starts_fn_pointer()) {
                if self.is_punct_at(1, Punct::LAngle) {
                    self.bump();
                    self.params()?
                } else {
                    return Err(self.unexpected("`<` after `forall`"));
                }
            } else {
                Vec::new()
            };
        let clauses = self.where_clause()?;
        let span = self.span_from(start);
        Ok(clauses
            .into_iter()
            .map(|where_clause| QuantifiedWhereClause {
                params: params.clone(),
                where_clause,
                span,
            })
            .collect())
    }

    fn where_clause(&mut self) -> PResult<Vec<WhereClause>> {
        if self.token().kind == TokenKind::Lifetime {
            let a = self.lifetime()?;
            self.expect_punct(Punct::Colon, "after the lifetime")?;
            let b = self.lifetime()?;
            return Ok(vec![WhereClause::LifetimeOutlives { a, b }]);
        }
        let self_ty = self.ty()?;
        self.expect_punct(Punct::Colon, "after the type in a where clause")?;
        self.where_clause_bounds(self_ty)
    }

    /// The part after `Ty:` in a where clause.
    fn where_clause_bounds(&mut self, self_ty: Ty) -> PResult<Vec<WhereClause>> {
        match self_ty.kind {
            TyKind::ReturnTypeNotation(rtn) => {
                let bounds = self.bounds()?;
                return Ok(vec![WhereClause::Rtn { rtn: *rtn, bounds }]);
            }
            TyKind::ShorthandProjection { .. } => {
                let bounds = self.bounds()?;
                return Ok(vec![WhereClause::ShorthandBound { self_ty, bounds }]);
            }
            _ => {}
        }
        let mut clauses = Vec::new();
        loop {
            if self.token().kind == TokenKind::Lifetime {
                let lifetime = self.lifetime()?;
                clauses.push(WhereClause::TypeOutlives {
                    ty: self_ty.clone(),
                    lifetime,
                });
            } else {
                let start = self.start();
                let trait_name = self.ident("a trait name or a lifetime after `:`")?;
                let BoundArgs {
                    args,
                    equalities,
                    assoc_bounds,
                } = self.bound_args()?;
                let span = self.span_from(start);
                let mut full_args = vec![GenericArg::Ty(self_ty.clone())];
                full_args.extend(args.iter().cloned());
                let trait_ref = TraitRef {
                    trait_name: trait_name.clone(),
                    args: full_args,
                    span,
                };
                if assoc_bounds.is_empty() {
                    clauses.push(WhereClause::Implemented(trait_ref.clone()));
                } else {
                    clauses.push(WhereClause::BoundWithAssocBounds {
                        self_ty: self_ty.clone(),
                        bound: TraitBound {
                            trait_name,
                            args,
                            assoc_bounds,
                            span,
                        },
                    });
                }
                for (name, args, ty) in equalities {
                    clauses.push(WhereClause::AliasEq {
                        projection: ProjectionTy {
                            trait_ref: trait_ref.clone(),
                            name,
                            args,
                        },
                        ty,
                    });
                }
            }
            // `T: A + B` is a chalkboard extension; stop before a `+` that
            // does not continue with a bound.
            let continues = self.is_punct(Punct::Plus)
                && (self.is_ident_at(1) || self.token_at(1).kind == TokenKind::Lifetime);
            if !continues {
                break;
            }
            self.bump();
        }
        Ok(clauses)
    }

    // -----------------------------------------------------------------------
    // Goals.

    /// `G1, G2, ...`
    pub(crate) fn goal(&mut self) -> PResult<Goal> {
        let start = self.start();
        let first = self.goal1()?;
        if !self.is_punct(Punct::Comma) {
            return Ok(first);
        }
        let mut goals = vec![first];
        while self.eat_punct(Punct::Comma) {
            // A trailing comma before the closing delimiter is harmless.
            if self.is_punct(Punct::RBrace) || self.is_punct(Punct::RParen) || self.at_eof() {
                break;
            }
            goals.push(self.goal1()?);
        }
        Ok(Goal {
            kind: GoalKind::And(goals),
            span: self.span_from(start),
        })
    }

    fn braced_goal(&mut self, context: &str) -> PResult<Goal> {
        self.expect_punct(Punct::LBrace, context)?;
        let goal = self.goal()?;
        self.expect_punct(Punct::RBrace, "or `,` after the goal")?;
        Ok(goal)
    }

    fn goal1(&mut self) -> PResult<Goal> {
        self.nested(Self::goal1_unlimited)
    }

    fn goal1_unlimited(&mut self) -> PResult<Goal> {
        let start = self.start();
        let opens_block = self.is_punct_at(1, Punct::LAngle) || self.is_punct_at(1, Punct::LBrace);
        if (self.is_word("forall") || self.is_word("exists")) && opens_block {
            let exists = self.is_word("exists");
            self.bump();
            let params = self.params()?;
            let body = Box::new(self.braced_goal("after the quantifier's parameters")?);
            let kind = if exists {
                GoalKind::Exists(params, body)
            } else {
                GoalKind::ForAll(params, body)
            };
            return Ok(Goal {
                kind,
                span: self.span_from(start),
            });
        }
        if self.is_word("if") && self.is_punct_at(1, Punct::LParen) {
            self.bump();
            self.bump();
            let mut clauses = Vec::new();
            while !self.is_punct(Punct::RParen) {
                clauses.extend(self.inline_clause()?);
                if !self.eat_punct(Punct::Semi) {
                    break;
                }
            }
            self.expect_punct(Punct::RParen, "or `;` after the hypotheses")?;
            let body = Box::new(self.braced_goal("after the hypotheses of `if`")?);
            return Ok(Goal {
                kind: GoalKind::Implies(clauses, body),
                span: self.span_from(start),
            });
        }
        if (self.is_word("not") || self.is_word("compatible")) && self.is_punct_at(1, Punct::LBrace)
        {
            let not = self.is_word("not");
            self.bump();
            let body = Box::new(self.braced_goal("")?);
            let kind = if not {
                GoalKind::Not(body)
            } else {
                GoalKind::Compatible(body)
            };
            return Ok(Goal {
                kind,
                span: self.span_from(start),
            });
        }
        if self.is_punct(Punct::LParen) {
            // `(G)` groups a goal, but `(A, B): Tr` and `() = ()` start with a
            // tuple type: the token after the matching `)` decides.
            let close = self.closing_index();
            let after = self.tokens.get(close + 1).map(|t| t.kind);
            let is_type = matches!(
                after,
                Some(TokenKind::Punct(
                    Punct::Colon | Punct::Eq | Punct::ColonColon
                ))
            );
            if !is_type {
                self.bump();
                let inner = self.goal()?;
                self.expect_punct(Punct::RParen, "or `,` after the goal")?;
                return Ok(Goal {
                    kind: inner.kind,
                    span: self.span_from(start),
                });
            }
        }
        let leaves = self.leaf_goals()?;
        let span = self.span_from(start);
        let mut goals: Vec<Goal> = leaves
            .into_iter()
            .map(|leaf| Goal {
                kind: GoalKind::Leaf(leaf),
                span,
            })
            .collect();
        if goals.len() == 1 {
            if let Some(goal) = goals.pop() {
                return Ok(goal);
            }
        }
        Ok(Goal {
            kind: GoalKind::And(goals),
            span,
        })
    }

    /// A leaf goal; a where clause with equalities expands to several.
    fn leaf_goals(&mut self) -> PResult<Vec<LeafGoal>> {
        if self.is_word("Subtype") && self.is_punct_at(1, Punct::LParen) {
            self.bump();
            self.bump();
            let a = self.ty()?;
            self.expect_punct(Punct::Comma, "between the two types of `Subtype`")?;
            let b = self.ty()?;
            self.expect_punct(Punct::RParen, "after `Subtype`'s types")?;
            return Ok(vec![LeafGoal::Subtype(a, b)]);
        }
        if let Some(domain_goal) = self.keyword_domain_goal()? {
            return Ok(vec![LeafGoal::DomainGoal(domain_goal)]);
        }
        let token = self.token();
        let left = match token.kind {
            TokenKind::Lifetime => {
                let lifetime = self.lifetime()?;
                if self.eat_punct(Punct::Colon) {
                    let b = self.lifetime()?;
                    return Ok(vec![LeafGoal::DomainGoal(DomainGoal::Holds(
                        WhereClause::LifetimeOutlives { a: lifetime, b },
                    ))]);
                }
                GenericArg::Lifetime(lifetime)
            }
            TokenKind::Number => {
                let (value, span) = self.number_u32()?;
                GenericArg::Const(Const::Value(value, span))
            }
            _ => {
                let ty = self.ty()?;
                if self.eat_punct(Punct::Colon) {
                    return Ok(self
                        .where_clause_bounds(ty)?
                        .into_iter()
                        .map(|wc| LeafGoal::DomainGoal(DomainGoal::Holds(wc)))
                        .collect());
                }
                GenericArg::Ty(ty)
            }
        };
        self.expect_punct(Punct::Eq, "or `:` after the type in a goal")?;
        let right = self.generic_arg()?;
        Ok(vec![LeafGoal::Unify(left, right)])
    }

    /// `WellFormed(..)`, `FromEnv(..)`, `Normalize(..)`, ... or `None` when the
    /// current token starts no such form.
    fn keyword_domain_goal(&mut self) -> PResult<Option<DomainGoal>> {
        let token = self.token();
        if token.kind != TokenKind::Ident {
            return Ok(None);
        }
        let word = self.token_text(token);
        if matches!(word, "Compatible" | "Reveal")
            && !self.is_punct_at(1, Punct::LAngle)
            && !self.is_punct_at(1, Punct::Colon)
            && !self.is_punct_at(1, Punct::ColonColon)
            && !self.is_punct_at(1, Punct::Eq)
        {
            self.bump();
            return Ok(Some(if word == "Compatible" {
                DomainGoal::Compatible
            } else {
                DomainGoal::Reveal
            }));
        }
        let takes_parens = matches!(
            word,
            "WellFormed"
                | "FromEnv"
                | "Normalize"
                | "IsLocal"
                | "IsUpstream"
                | "IsFullyVisible"
                | "LocalImplAllowed"
                | "DownstreamType"
                | "ObjectSafe"
        );
        if !takes_parens || !self.is_punct_at(1, Punct::LParen) {
            return Ok(None);
        }
        self.bump();
        self.bump();
        let goal = match word {
            "WellFormed" | "FromEnv" => {
                let ty = self.ty()?;
                if self.eat_punct(Punct::Colon) {
                    let trait_ref = self.trait_ref_after_colon(ty)?;
                    if word == "WellFormed" {
                        DomainGoal::TraitRefWellFormed(trait_ref)
                    } else {
                        DomainGoal::TraitRefFromEnv(trait_ref)
                    }
                } else if word == "WellFormed" {
                    DomainGoal::TyWellFormed(ty)
                } else {
                    DomainGoal::TyFromEnv(ty)
                }
            }
            "Normalize" => {
                let alias = self.ty()?;
                let TyKind::Projection(projection) = alias.kind else {
                    self.push_diagnostic(
                        Diagnostic::error(
                            "unexpected-token",
                            "`Normalize` needs a projection `<T as Trait>::Name`",
                            alias.span,
                        )
                        .with_label("not a projection")
                        .with_help("write `Normalize(<T as Trait>::Name -> U)`"),
                    );
                    return Err(Failed);
                };
                self.expect_punct(Punct::Arrow, "after the projection in `Normalize`")?;
                let ty = self.ty()?;
                DomainGoal::Normalize { projection, ty }
            }
            "LocalImplAllowed" => {
                let ty = self.ty()?;
                self.expect_punct(Punct::Colon, "after the self type")?;
                DomainGoal::LocalImplAllowed(self.trait_ref_after_colon(ty)?)
            }
            "ObjectSafe" => DomainGoal::ObjectSafe(self.ident("a trait name")?),
            _ => {
                let ty = self.ty()?;
                match word {
                    "IsLocal" => DomainGoal::IsLocal(ty),
                    "IsUpstream" => DomainGoal::IsUpstream(ty),
                    "IsFullyVisible" => DomainGoal::IsFullyVisible(ty),
                    _ => DomainGoal::DownstreamType(ty),
                }
            }
        };
        self.expect_punct(Punct::RParen, &format!("to close `{word}(`"))?;
        Ok(Some(goal))
    }

    fn trait_ref_after_colon(&mut self, self_ty: Ty) -> PResult<TraitRef> {
        let start = self.start();
        let trait_name = self.ident("a trait name")?;
        let mut args = vec![GenericArg::Ty(self_ty)];
        args.extend(self.generic_args()?);
        Ok(TraitRef {
            trait_name,
            args,
            span: self.span_from(start),
        })
    }

    /// Domain goals only (a clause's consequence); a where clause with
    /// equalities expands to several.
    fn domain_goals(&mut self) -> PResult<Vec<DomainGoal>> {
        let start = self.start();
        let leaves = self.leaf_goals()?;
        let mut goals = Vec::new();
        for leaf in leaves {
            match leaf {
                LeafGoal::DomainGoal(goal) => goals.push(goal),
                _ => {
                    self.push_diagnostic(
                        Diagnostic::error(
                            "unexpected-token",
                            "expected a domain goal, found a unification or subtyping goal",
                            self.span_from(start),
                        )
                        .with_label("not a domain goal")
                        .with_help(
                            "a clause's consequence is a domain goal such as `T: Trait` or `WellFormed(T)`",
                        ),
                    );
                    return Err(Failed);
                }
            }
        }
        Ok(goals)
    }

    /// A hypothesis of `if (..)`: `DomainGoal`, `DomainGoal :- G1, G2` or
    /// `forall<P> { DomainGoal [:- ..] }`.
    fn inline_clause(&mut self) -> PResult<Vec<Clause>> {
        let start = self.start();
        let (params, braced) = if self.is_word("forall") {
            self.bump();
            let params = self.params()?;
            self.expect_punct(Punct::LBrace, "after the clause's parameters")?;
            (params, true)
        } else {
            (Vec::new(), false)
        };
        let consequences = self.domain_goals()?;
        let mut conditions = Vec::new();
        if self.is_punct(Punct::Colon) && self.is_punct_at(1, Punct::Minus) {
            self.bump();
            self.bump();
            conditions = self.goal_list(&[Punct::Semi, Punct::RParen, Punct::RBrace])?;
        }
        if braced {
            self.expect_punct(Punct::RBrace, "or `:-` after the clause")?;
        }
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

/// Words that can never name an item, a parameter or a const.
fn is_reserved(word: &str) -> bool {
    scalar_type(word).is_some()
        || matches!(
            word,
            "str"
                | "dyn"
                | "fn"
                | "impl"
                | "for"
                | "forall"
                | "exists"
                | "where"
                | "struct"
                | "enum"
                | "trait"
                | "type"
                | "unsafe"
                | "extern"
                | "if"
                | "not"
        )
}

fn lifetime_ident(text: &str, span: Span) -> Ident {
    Ident {
        text: text.trim_start_matches('\'').to_string(),
        span,
    }
}

fn list_attributes(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`#[{name}]`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unclosed_diagnostic(at: Span, opener_span: Span, opener: Punct, found: &str) -> Diagnostic {
    let closer = opener.closer().map_or("?", Punct::as_str);
    Diagnostic::error(
        "unbalanced-delimiter",
        format!("unclosed `{}`", opener.as_str()),
        at,
    )
    .with_label(found.to_string())
    .with_secondary(opener_span, "this delimiter is never closed")
    .with_help(format!("add the missing `{closer}`"))
}

fn unknown_solver(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error("unknown-solver", format!("unknown solver `{name}`"), span)
        .with_label("not a solver chalk has")
        .with_help(
            "write `solver = slg`, `solver = recursive`, or chalk's `SolverChoice::slg_default()`, `SolverChoice::recursive_default()`, `SolverChoice::slg(N, None)`, `SolverChoice::recursive(max_size, overflow_depth)`",
        )
}

fn unknown_repr(span: Span) -> Diagnostic {
    Diagnostic::error("unknown-repr", "unknown representation", span)
        .with_label("unknown repr")
        .with_help("write `#[repr(C)]`, `#[repr(packed)]` or an integer type such as `#[repr(u8)]`")
}

fn missing_lifetime(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        "missing-lifetime",
        format!("{what} needs an explicit lifetime"),
        span,
    )
    .with_label("lifetime missing here")
    .with_note("chalk's language has no lifetime elision; only method signatures may omit it")
    .with_help(help.to_string())
}
