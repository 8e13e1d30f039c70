//! The recursive-descent parser of `.chalk` files.
//!
//! The parser is one [`Parser`] value with one `impl Parser` block per
//! grammar area, each in its own module:
//!
//! - this module: the parser's state, the token cursor (`token`, `is_word`,
//!   `eat_punct`, ...), error reporting (`unexpected`, `expect_punct`), the
//!   nesting limit, names and numbers, and the entry points
//!   [`Parser::parse_file`] and [`Parser::goal_to_end`];
//! - `recovery`: the delimiter pre-pass that runs before parsing, and the
//!   skipping that resumes after a broken item or member;
//! - `harness`: the file level, where an entry is a file directive, one of
//!   chalk's test-harness forms (`test!`, `program { .. }`, `goal { .. }`
//!   with its `yields`, `error_msg { .. }`, ...) or an item;
//! - `attributes`: `#[..]` attributes, where each may appear, and what their
//!   arguments mean;
//! - `items`: structs, enums, fns, closures, opaque types, coroutines, extern
//!   types and `forall` clauses;
//! - `traits`: traits and impls with their bodies (associated types and
//!   methods);
//! - `types`: types, lifetimes, consts, generic arguments and generic
//!   parameters;
//! - `bounds`: inline bounds (`T: A + B`) and where clauses;
//! - `goals`: goals, domain goals and the clauses of `if (..)` hypotheses.
//!
//! A grammar function is private to its module unless another area calls it
//! (then it is `pub(super)`), so each module's `pub(super)` functions are its
//! interface.
//!
//! Contract: a function that parses a form returns [`PResult<T>`]. `Ok`
//! means the form was parsed and the cursor is just past it; the function may
//! still have recorded a diagnostic that leaves the tree usable (an invalid
//! number, a missing lifetime, a misplaced attribute). `Err(Failed)` means a
//! diagnostic has been recorded, or one already recorded covers the failure,
//! and the cursor is somewhere at or after where the form began; the caller
//! passes it on with `?`. Only the loops that can resume handle `Err`: the
//! entry loop of the file and of wrapper blocks, the member loops of trait and
//! impl bodies, and the goal of a `goal { .. }` block. They skip to the next
//! boundary with the help of the delimiter tables that `recovery` computes
//! once before parsing, so the parser reports one error per broken item and
//! carries on with the next item.

mod attributes;
mod bounds;
mod goals;
mod harness;
mod items;
mod recovery;
mod traits;
mod types;

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{lex, Punct, Token, TokenKind};
use types::scalar_type;

/// A diagnostic has been recorded; the caller recovers.
#[derive(Debug)]
pub(crate) struct Failed;

/// What every grammar function returns (see the module documentation for
/// the contract).
pub(crate) type PResult<T> = Result<T, Failed>;

/// A parse in progress over one text: its tokens, the delimiter tables the
/// pre-pass computed, the cursor and the diagnostics found so far.
pub(crate) struct Parser<'t> {
    text: &'t str,
    /// The lexer's tokens, ending with `Eof`, plus the zero-width closers the
    /// recovery pre-pass inserted.
    tokens: Vec<Token>,
    /// The value of each string literal, indexed by `TokenKind::Str`.
    strings: Vec<String>,
    /// For each token, how many delimiters enclose it; a delimiter itself
    /// counts at the depth outside it.
    depth: Vec<u32>,
    /// For each opening delimiter, the index of its closing one.
    matching: Vec<Option<usize>>,
    /// The cursor: the index of the current token.
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
    /// Lexes `text` and runs the delimiter pre-pass; nothing is parsed yet.
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

    /// Every diagnostic found by the lexer, the pre-pass and the parser, in
    /// the order they were found.
    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    // -----------------------------------------------------------------------
    // Entry points.

    /// The whole text as a file: `Entry*` up to the end of file (see
    /// `harness` for the entries).
    pub(crate) fn parse_file(&mut self) -> File {
        // Rule run-deadline: the half-read file a stop leaves is freed aside.
        let mut file = crate::deadline::FreedAsideOnStop::new(File::default());
        // Rule `items-moved-once`: the list of items is made about as long as
        // the file needs, one place for each word that begins a line outside
        // any delimiter (an item or a goal, mostly), so that no item is moved
        // again as the list grows; an item is hundreds of bytes.
        let lines = self
            .tokens
            .iter()
            .zip(&self.depth)
            .filter(|(t, d)| **d == 0 && t.starts_line && t.kind == TokenKind::Ident)
            .count();
        file.items.reserve(lines);
        let end = self.tokens.len().saturating_sub(1);
        self.entries_until(&mut file, end);
        file.into_inner()
    }

    /// A goal that must span the whole text, as `--goal` and the REPL take
    /// it: `G1, G2, ...` and nothing after.
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

    // -----------------------------------------------------------------------
    // The token cursor.

    /// The token `offset` places after the cursor; past the end, the
    /// end-of-file token.
    fn token_at(&self, offset: usize) -> Token {
        let index = (self.pos + offset).min(self.tokens.len().saturating_sub(1));
        self.tokens.get(index).copied().unwrap_or(Token {
            kind: TokenKind::Eof,
            span: Span::new(self.text.len(), self.text.len()),
            starts_line: true,
        })
    }

    /// The token at the cursor.
    fn token(&self) -> Token {
        self.token_at(0)
    }

    /// The source text of `token`; empty for the end of file and for the
    /// closers inserted for recovery.
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

    /// Whether the token `offset` places after the cursor is the word `word`.
    /// Keywords are contextual: the lexer makes every word an `Ident`.
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

    /// Moves past the current token (never past the end of file) and
    /// returns it.
    fn bump(&mut self) -> Token {
        let token = self.token();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    /// Moves past the current token and says whether it was `word`.
    fn bump_word_is(&mut self, word: &str) -> bool {
        let is = self.is_word(word);
        self.bump();
        is
    }

    /// Moves past `punct` if it is the current token.
    fn eat_punct(&mut self, punct: Punct) -> bool {
        if self.is_punct(punct) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Moves past `word` if it is the current token.
    fn eat_word(&mut self, word: &str) -> bool {
        if self.is_word(word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Where the current token begins, to pass to [`Parser::span_from`]
    /// once a form is parsed.
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
    // Error reporting.

    /// How a diagnostic names `token`: quoted text, "a string" or "end of
    /// file".
    fn describe(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Eof => "end of file".to_string(),
            TokenKind::Str(_) => "a string".to_string(),
            _ => format!("`{}`", self.token_text(token)),
        }
    }

    /// Records `diagnostic` unless one is already recorded at the same place.
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

    /// Reports that the current token is not what `expectation` describes,
    /// unless that is a consequence of an error already reported. The
    /// caller returns the `Failed` it gets.
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
                crate::codes::UNEXPECTED_TOKEN,
                format!("expected {expectation}, found {found}"),
                token.span,
            )
            .with_label(format!("expected {expectation}"))
            .with_help(format!("write {expectation} here")),
        );
        Failed
    }

    /// Moves past `punct`, or reports "expected `punct` `context`".
    fn expect_punct(&mut self, punct: Punct, context: &str) -> PResult<Token> {
        if self.is_punct(punct) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&format!("`{}` {context}", punct.as_str())))
        }
    }

    /// Moves past `word`, or reports "expected `word` `context`".
    fn expect_word(&mut self, word: &str, context: &str) -> PResult<Token> {
        if self.is_word(word) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&format!("`{word}` {context}")))
        }
    }

    /// Runs `parse` one nesting level deeper, refusing past [`MAX_NESTING`].
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nesting >= MAX_NESTING {
            let span = self.token().span;
            self.push_diagnostic(
                Diagnostic::error(
                    crate::codes::NESTING_TOO_DEEP,
                    "this is nested too deeply",
                    span,
                )
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

    // -----------------------------------------------------------------------
    // Names, strings and numbers.

    /// Any word, such as a reference to a type, a trait or a parameter;
    /// `what` names it in the error.
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
                    crate::codes::RESERVED_NAME,
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

    /// The value of a string literal token, with its escapes resolved.
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

    /// A decimal number such as `3` or `1_000`; one with a suffix or too
    /// large for 64 bits is reported and read as 0.
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
                        crate::codes::INVALID_NUMBER,
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

    /// A number that fits in 32 bits, as const values must; a larger one is
    /// reported and read as 0.
    fn number_u32(&mut self) -> PResult<(u32, Span)> {
        let (value, span) = self.number()?;
        match u32::try_from(value) {
            Ok(value) => Ok((value, span)),
            Err(_) => {
                self.push_diagnostic(
                    Diagnostic::error(
                        crate::codes::INVALID_NUMBER,
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
