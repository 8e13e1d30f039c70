//! Recovery: how one broken item is kept from spoiling the rest of the file.
//!
//! Recovery works in two steps, one before parsing and one during it.
//!
//! # Before parsing: the delimiter pre-pass
//!
//! `match_delimiters` pairs up `()`, `[]` and `{}` once, reports those that do
//! not pair up (`unbalanced-delimiter`), and records for every token its
//! delimiter depth and for every opener the index of its closer. With these
//! tables the parser finds the end of a block, or the next boundary at the
//! same depth, without parsing what lies between.
//!
//! First, though, `insert_recovery_closers` closes the bodies that were left
//! open by mistake. Its invariant: where a line starts with an item keyword
//! that can never appear inside a type, a body or a goal (`struct Name`,
//! `enum Name`, `trait Name`, `opaque Name`, `coroutine Name`,
//! `closure Name`, `goal {`, and `impl` when it begins an impl item rather
//! than an `impl Trait` type), no delimiter is open except the blocks of
//! wrappers (`test! { .. }`, `program { .. }`), which legitimately hold
//! items. Each delimiter still open there is closed by a zero-width closer
//! inserted right after the last token before the keyword, and reported once,
//! at the keyword. Real tokens are never removed or reordered, so every span
//! still points into the source. The inserted closers are recognisable by
//! their empty span, and `Parser::unexpected` stays silent about failures on
//! them: those are consequences of the error already reported.
//!
//! Why the pre-pass exists: without it, a struct whose `}` is missing would
//! extend to the next stray `}` or to the end of the file. Its error would be
//! reported far from the mistake, and every later item would be swallowed
//! into it, neither parsed nor checked. With it, the broken item ends where
//! the next one starts, and every later item is parsed, and checked, on its
//! own.
//!
//! The pass looks ahead only to tell an impl item from an `impl Trait` type
//! (`impl<..>` or `impl Trait for Type`), and that look-ahead is bounded at
//! 256 tokens, so that a file of many `impl` lines cannot make the pass
//! quadratic; an impl header longer than that only misses the recovery.
//!
//! # During parsing: skipping
//!
//! A grammar function that fails returns `Err(Failed)` with a diagnostic
//! recorded (see the parser's contract), and the nearest loop that can resume
//! skips forward with the help of the depth table: `recover_item` to the end
//! of the broken entry (a `;` or `}` at its depth) or to the next item keyword
//! after a line break, `recover_member` to the end of the broken member of a
//! trait or impl body, and `skip_to_close` past the closer of a goal block.
//! `recover_item` and `recover_member` move at least one token forward and
//! never leave the enclosing block, so the loops that call them end, and a
//! broken entry inside `test! { .. }` never swallows the wrapper's closer.

use super::Parser;
use crate::ast::Span;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Punct, Token, TokenKind};

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

impl Parser<'_> {
    // -----------------------------------------------------------------------
    // Before parsing: the delimiter pre-pass.

    /// Closes the bodies left open before an item keyword, then pairs up
    /// `()`, `[]` and `{}`, reports those that do not pair up, and fills the
    /// `depth` and `matching` tables.
    pub(super) fn match_delimiters(&mut self) {
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
                                crate::codes::UNBALANCED_DELIMITER,
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
        let swallowed = self.diagnostics.iter().any(|d| {
            matches!(
                d.code,
                crate::codes::UNTERMINATED_STRING | crate::codes::UNTERMINATED_COMMENT
            )
        });
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

    // -----------------------------------------------------------------------
    // During parsing: skipping past what failed.

    /// Skips from a failed item to the next plausible item boundary at
    /// `item_depth`, never past `end`.
    pub(super) fn recover_item(&mut self, item_start: usize, item_depth: u32, end: usize) {
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

    /// Whether the token at `index` is `#` (an attribute) or a word in
    /// [`ITEM_STARTS`].
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

    /// Skips a failed member of a trait or impl body: to just after the next
    /// `;` at the member's depth, or to the body's closing brace.
    pub(super) fn recover_member(&mut self, member_start: usize, member_depth: u32, close: usize) {
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

    /// Moves past the closing delimiter at index `close` after an error inside.
    pub(super) fn skip_to_close(&mut self, close: usize) {
        if close >= self.pos && close < self.tokens.len() {
            self.pos = close;
            self.bump();
        }
    }
}

fn unclosed_diagnostic(at: Span, opener_span: Span, opener: Punct, found: &str) -> Diagnostic {
    let closer = opener.closer().map_or("?", Punct::as_str);
    Diagnostic::error(
        crate::codes::UNBALANCED_DELIMITER,
        format!("unclosed `{}`", opener.as_str()),
        at,
    )
    .with_label(found.to_string())
    .with_secondary(opener_span, "this delimiter is never closed")
    .with_help(format!("add the missing `{closer}`"))
}
