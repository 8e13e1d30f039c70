//! The hand-written lexer of `.chalk` files.
//!
//! Every punctuation character is its own token except `::`, `->`, `..` and
//! `...`, so that `Foo<Bar<T>>` needs no splitting of `>>` and whitespace
//! between tokens never matters. Comments (`//` and nested `/* */`) and
//! whitespace are skipped; the lexer never fails, it reports diagnostics and
//! carries on.

use super::ast::Span;
use crate::diagnostic::Diagnostic;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Punct {
    LAngle,
    RAngle,
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Semi,
    Colon,
    ColonColon,
    Eq,
    Bang,
    Amp,
    Star,
    Plus,
    Minus,
    Arrow,
    Hash,
    Dot,
    DotDot,
    DotDotDot,
    Question,
    Pipe,
    Slash,
}

impl Punct {
    pub fn as_str(self) -> &'static str {
        match self {
            Punct::LAngle => "<",
            Punct::RAngle => ">",
            Punct::LParen => "(",
            Punct::RParen => ")",
            Punct::LBrace => "{",
            Punct::RBrace => "}",
            Punct::LBracket => "[",
            Punct::RBracket => "]",
            Punct::Comma => ",",
            Punct::Semi => ";",
            Punct::Colon => ":",
            Punct::ColonColon => "::",
            Punct::Eq => "=",
            Punct::Bang => "!",
            Punct::Amp => "&",
            Punct::Star => "*",
            Punct::Plus => "+",
            Punct::Minus => "-",
            Punct::Arrow => "->",
            Punct::Hash => "#",
            Punct::Dot => ".",
            Punct::DotDot => "..",
            Punct::DotDotDot => "...",
            Punct::Question => "?",
            Punct::Pipe => "|",
            Punct::Slash => "/",
        }
    }

    /// The closing delimiter matching an opening one.
    pub fn closer(self) -> Option<Punct> {
        match self {
            Punct::LParen => Some(Punct::RParen),
            Punct::LBrace => Some(Punct::RBrace),
            Punct::LBracket => Some(Punct::RBracket),
            _ => None,
        }
    }

    pub fn is_closer(self) -> bool {
        matches!(self, Punct::RParen | Punct::RBrace | Punct::RBracket)
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum TokenKind {
    /// A word: an identifier or a keyword (keywords are recognised by the parser).
    Ident,
    /// `'a`, `'static`, `'erased` (the text includes the quote).
    Lifetime,
    /// A run of digits, possibly followed by letters (rejected by the parser).
    Number,
    /// A string literal; the index of its unescaped value in [`Lexed::strings`].
    Str(u32),
    Punct(Punct),
    Eof,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// Only whitespace or comments precede this token on its line; the parser
    /// uses this as a hint when recovering at item boundaries.
    pub starts_line: bool,
}

#[derive(Debug, Default)]
pub struct Lexed {
    /// Always ends with exactly one `Eof` token, whose span is empty at the end.
    pub tokens: Vec<Token>,
    pub strings: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn lex(text: &str) -> Lexed {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        starts_line: true,
        out: Lexed::default(),
    };
    lexer.run();
    lexer.out
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    starts_line: bool,
    out: Lexed,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn byte_at(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.out.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
            starts_line: self.starts_line,
        });
        self.starts_line = false;
    }

    fn run(&mut self) {
        while let Some(b) = self.byte_at(self.pos) {
            let start = self.pos;
            match b {
                b'\n' => {
                    self.pos += 1;
                    self.starts_line = true;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'/' if self.byte_at(start + 1) == Some(b'/') => {
                    while let Some(c) = self.byte_at(self.pos) {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'/' if self.byte_at(start + 1) == Some(b'*') => self.block_comment(),
                b'r' if self.raw_string_ahead() => self.raw_string(),
                _ if is_ident_start(b) => {
                    while self.byte_at(self.pos).is_some_and(is_ident_continue) {
                        self.pos += 1;
                    }
                    self.push(TokenKind::Ident, start);
                }
                b'0'..=b'9' => {
                    // Letters glued to digits (`10usize`, `1x`) stay in the
                    // token so that the parser reports one `invalid-number`.
                    while self.byte_at(self.pos).is_some_and(is_ident_continue) {
                        self.pos += 1;
                    }
                    self.push(TokenKind::Number, start);
                }
                b'\'' => self.lifetime(),
                b'"' => self.string(),
                _ => self.punct(b),
            }
        }
        let end = self.text.len();
        self.out.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span::new(end, end),
            starts_line: true,
        });
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        // Rust's block comments nest; we follow Rust rather than C.
        let mut depth = 1usize;
        while depth > 0 {
            match (self.byte_at(self.pos), self.byte_at(self.pos + 1)) {
                (Some(b'/'), Some(b'*')) => {
                    depth += 1;
                    self.pos += 2;
                }
                (Some(b'*'), Some(b'/')) => {
                    depth -= 1;
                    self.pos += 2;
                }
                (Some(b'\n'), _) => {
                    self.starts_line = true;
                    self.pos += 1;
                }
                (Some(_), _) => self.pos += 1,
                (None, _) => {
                    self.out.diagnostics.push(
                        Diagnostic::error(
                            crate::codes::UNTERMINATED_COMMENT,
                            "unterminated block comment",
                            Span::new(start, start + 2),
                        )
                        .with_label("this comment is never closed")
                        .with_help("close the comment with `*/`"),
                    );
                    return;
                }
            }
        }
    }

    fn lifetime(&mut self) {
        let start = self.pos;
        if let Some(end) = self.char_literal_end() {
            // chalk has no character literals, but an impl method's body
            // written as code is Rust, and a literal such as `'}'` or `'"'`
            // must not be read as a delimiter or the start of a string, or
            // the parser would not find where the body ends. The literal is
            // skipped whole; the error stands outside such a body (inside
            // one, the parser leaves the literal to the Rust front end).
            self.pos = end;
            self.out.diagnostics.push(
                Diagnostic::error(
                    crate::codes::UNEXPECTED_CHARACTER,
                    "a character literal is not chalk syntax",
                    Span::new(start, end),
                )
                .with_label("a character literal")
                .with_help("write a lifetime such as `'a`; character literals belong in a method body written as code"),
            );
            return;
        }
        self.pos += 1;
        if self.byte_at(self.pos).is_some_and(is_ident_start) {
            while self.byte_at(self.pos).is_some_and(is_ident_continue) {
                self.pos += 1;
            }
            self.push(TokenKind::Lifetime, start);
        } else {
            self.out.diagnostics.push(
                Diagnostic::error(
                    crate::codes::UNEXPECTED_CHARACTER,
                    "a quote must start a lifetime name",
                    Span::new(start, start + 1),
                )
                .with_label("expected a lifetime name after this quote")
                .with_help("write a lifetime such as `'a`; strings use double quotes"),
            );
        }
    }

    /// Where the character literal at the cursor (a quote) ends, as Rust's
    /// lexer reads one: `'x'` for any one character `x` other than a quote
    /// or a line break, or an escape (`'\n'`, `'\''`, `'\u{7FFF}'`) up to
    /// the closing quote on the same line. `'a` (a lifetime) is none.
    fn char_literal_end(&self) -> Option<usize> {
        let rest = self.text.get(self.pos + 1..)?;
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        match first {
            '\'' | '\n' | '\r' => None,
            '\\' => {
                // The escaped character, then anything up to the quote.
                chars.next()?;
                chars
                    .take_while(|&(_, c)| c != '\n')
                    .find(|&(_, c)| c == '\'')
                    .map(|(i, _)| self.pos + 1 + i + 1)
            }
            _ => match chars.next() {
                Some((i, '\'')) => Some(self.pos + 1 + i + 1),
                _ => None,
            },
        }
    }

    /// `r"..."`, `r#"..."#`, ...
    fn raw_string_ahead(&self) -> bool {
        let mut at = self.pos + 1;
        while self.byte_at(at) == Some(b'#') {
            at += 1;
        }
        self.byte_at(at) == Some(b'"')
    }

    fn raw_string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let mut hashes = 0usize;
        while self.byte_at(self.pos) == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        self.pos += 1;
        let content_start = self.pos;
        loop {
            match self.byte_at(self.pos) {
                None => {
                    self.unterminated_string(start);
                    let value = self.text.get(content_start..).unwrap_or("").to_string();
                    self.push_string(value, start);
                    return;
                }
                Some(b'"') => {
                    let closes = (1..=hashes).all(|i| self.byte_at(self.pos + i) == Some(b'#'));
                    if closes {
                        let value = self
                            .text
                            .get(content_start..self.pos)
                            .unwrap_or("")
                            .to_string();
                        self.pos += 1 + hashes;
                        self.push_string(value, start);
                        return;
                    }
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn push_string(&mut self, value: String, start: usize) {
        let index = self.out.strings.len() as u32;
        self.out.strings.push(value);
        self.push(TokenKind::Str(index), start);
    }

    fn unterminated_string(&mut self, start: usize) {
        self.out.diagnostics.push(
            Diagnostic::error(
                crate::codes::UNTERMINATED_STRING,
                "unterminated string literal",
                Span::new(start, start + 1),
            )
            .with_label("this string is never closed")
            .with_help("close the string with a matching `\"`"),
        );
    }

    fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        loop {
            let rest = self.text.get(self.pos..).unwrap_or("");
            let mut chars = rest.chars();
            let Some(c) = chars.next() else {
                self.unterminated_string(start);
                self.push_string(value, start);
                return;
            };
            match c {
                '"' => {
                    self.pos += 1;
                    self.push_string(value, start);
                    return;
                }
                '\\' => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    let Some(e) = chars.next() else {
                        continue;
                    };
                    self.pos += e.len_utf8();
                    match e {
                        'n' => value.push('\n'),
                        't' => value.push('\t'),
                        'r' => value.push('\r'),
                        '0' => value.push('\0'),
                        '\\' => value.push('\\'),
                        '"' => value.push('"'),
                        '\'' => value.push('\''),
                        '\n' => {
                            // A line continuation: skip the following whitespace.
                            while self
                                .byte_at(self.pos)
                                .is_some_and(|b| b.is_ascii_whitespace())
                            {
                                self.pos += 1;
                            }
                        }
                        'u' => self.unicode_escape(escape_start, &mut value),
                        other => {
                            self.bad_escape(escape_start);
                            value.push(other);
                        }
                    }
                }
                other => {
                    self.pos += other.len_utf8();
                    value.push(other);
                }
            }
        }
    }

    fn unicode_escape(&mut self, escape_start: usize, value: &mut String) {
        if self.byte_at(self.pos) != Some(b'{') {
            self.bad_escape(escape_start);
            return;
        }
        let digits_start = self.pos + 1;
        let mut end = digits_start;
        while self.byte_at(end).is_some_and(|b| b.is_ascii_hexdigit()) {
            end += 1;
        }
        if self.byte_at(end) != Some(b'}') {
            self.bad_escape(escape_start);
            return;
        }
        self.pos = end + 1;
        let digits = self.text.get(digits_start..end).unwrap_or("");
        match u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) => value.push(c),
            None => self.bad_escape(escape_start),
        }
    }

    fn bad_escape(&mut self, escape_start: usize) {
        self.out.diagnostics.push(
            Diagnostic::error(
                crate::codes::INVALID_ESCAPE,
                "unknown escape sequence in string",
                Span::new(escape_start, self.pos.max(escape_start + 1)),
            )
            .with_label("unknown escape")
            .with_help(
                "use one of `\\n`, `\\t`, `\\r`, `\\0`, `\\\\`, `\\\"`, `\\'`, `\\u{..}`, or a raw string `r#\"..\"#`",
            ),
        );
    }

    fn punct(&mut self, b: u8) {
        let start = self.pos;
        let next = self.byte_at(start + 1);
        let (punct, len) = match b {
            b'<' => (Punct::LAngle, 1),
            b'>' => (Punct::RAngle, 1),
            b'(' => (Punct::LParen, 1),
            b')' => (Punct::RParen, 1),
            b'{' => (Punct::LBrace, 1),
            b'}' => (Punct::RBrace, 1),
            b'[' => (Punct::LBracket, 1),
            b']' => (Punct::RBracket, 1),
            b',' => (Punct::Comma, 1),
            b';' => (Punct::Semi, 1),
            b':' if next == Some(b':') => (Punct::ColonColon, 2),
            b':' => (Punct::Colon, 1),
            b'=' => (Punct::Eq, 1),
            b'!' => (Punct::Bang, 1),
            b'&' => (Punct::Amp, 1),
            b'*' => (Punct::Star, 1),
            b'+' => (Punct::Plus, 1),
            b'-' if next == Some(b'>') => (Punct::Arrow, 2),
            b'-' => (Punct::Minus, 1),
            b'#' => (Punct::Hash, 1),
            b'.' if next == Some(b'.') && self.byte_at(start + 2) == Some(b'.') => {
                (Punct::DotDotDot, 3)
            }
            b'.' if next == Some(b'.') => (Punct::DotDot, 2),
            b'.' => (Punct::Dot, 1),
            b'?' => (Punct::Question, 1),
            b'|' => (Punct::Pipe, 1),
            b'/' => (Punct::Slash, 1),
            _ => {
                let width = self
                    .text
                    .get(start..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
                self.pos += width;
                let shown = self.text.get(start..self.pos).unwrap_or("?").to_string();
                self.out.diagnostics.push(
                    Diagnostic::error(
                        crate::codes::UNEXPECTED_CHARACTER,
                        format!("unexpected character `{shown}`"),
                        Span::new(start, self.pos),
                    )
                    .with_label("not part of chalk's language")
                    .with_help("remove this character"),
                );
                return;
            }
        };
        self.pos += len;
        self.push(TokenKind::Punct(punct), start);
    }
}
