//! Rewriting a file's expectations in place (`chalkboard run --bless`).
//!
//! Every rewrite is an [`Edit`] of a span of the source, so every byte
//! outside the edited spans stays as it was. An expectation keeps the
//! spelling the file gave it: a plain string stays a plain string, a raw
//! string (`r#".."#`) stays raw, and an answer wrapped in chalk's
//! `expect![[..]]` stays wrapped; the options in brackets
//! (`yields[design = implied]`) and the layout around the answers are not
//! touched.
//!
//! What an expectation should say is decided elsewhere (the command line
//! reads it from a run's report); this module only knows where the answers
//! are written and how to spell new ones.

use crate::ast::Span;
use crate::lexer::{lex, Punct, Token, TokenKind};

/// Replace the bytes `start..end` of the source by `text` (an insertion when
/// `start == end`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            start: at,
            end: at,
            text: text.into(),
        }
    }
}

/// The source with `edits` applied. Edits that overlap an earlier one (in
/// source order) are left out, so a conflict never garbles the file;
/// insertions at the same place keep their order.
pub fn apply(source: &str, edits: &[Edit]) -> String {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for edit in edits {
        let in_bounds = edit.start <= edit.end
            && edit.end <= source.len()
            && source.is_char_boundary(edit.start)
            && source.is_char_boundary(edit.end);
        if edit.start < at || !in_bounds {
            continue;
        }
        out.push_str(&source[at..edit.start]);
        out.push_str(&edit.text);
        at = edit.end;
    }
    out.push_str(&source[at..]);
    out
}

/// One written answer: its string literal, and the `expect![[ .. ]]` around
/// it if there is one.
#[derive(Clone, Copy, Debug)]
struct Written {
    /// From `expect` (or the string) to the last closer (or the string's end).
    start: usize,
    end: usize,
    /// The string literal; `None` for an empty `expect![[]]`.
    literal: Option<(usize, usize)>,
    /// Where a string goes in an `expect![[]]` without one.
    hole: usize,
    /// The wrapper's openers as written (`[[`), when the answer is wrapped.
    wrapper: Option<(usize, usize)>,
}

/// The answers written in an expectation (`yields[..] { A, B }` or
/// `error_msg { A }`): the braces' inner span and each answer.
struct Answers {
    open_end: usize,
    close_start: usize,
    written: Vec<Written>,
}

/// Finds the answers of the expectation written at `span` of `source`.
fn answers(source: &str, span: Span) -> Option<Answers> {
    let (base, end) = (span.start as usize, span.end as usize);
    let text = source.get(base..end)?;
    let lexed = lex(text);
    let tokens: Vec<Token> = lexed
        .tokens
        .into_iter()
        .filter(|t| t.kind != TokenKind::Eof)
        .collect();
    let at = |t: &Token| (base + t.span.start as usize, base + t.span.end as usize);
    // The answers' block is the first `{` outside the options' brackets,
    // and it closes with the expectation's last token.
    let mut depth = 0i32;
    let mut open = None;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::Punct(Punct::LBracket | Punct::LParen) => depth += 1,
            TokenKind::Punct(Punct::RBracket | Punct::RParen) => depth -= 1,
            TokenKind::Punct(Punct::LBrace) if depth == 0 => {
                open = Some(i);
                break;
            }
            _ => {}
        }
    }
    let open = open?;
    let close = tokens.len().checked_sub(1)?;
    if close <= open || tokens[close].kind != TokenKind::Punct(Punct::RBrace) {
        return None;
    }
    let word = |t: &Token| &source[at(t).0..at(t).1];
    let mut written = Vec::new();
    let mut i = open + 1;
    while i < close {
        let t = &tokens[i];
        match t.kind {
            TokenKind::Str(_) => {
                let (s, e) = at(t);
                written.push(Written {
                    start: s,
                    end: e,
                    literal: Some((s, e)),
                    hole: s,
                    wrapper: None,
                });
                i += 1;
            }
            TokenKind::Ident
                if word(t) == "expect"
                    && tokens.get(i + 1).map(|t| t.kind) == Some(TokenKind::Punct(Punct::Bang)) =>
            {
                let start = at(t).0;
                let mut j = i + 2;
                let mut closers = 0;
                while j < close
                    && matches!(
                        tokens[j].kind,
                        TokenKind::Punct(Punct::LBracket | Punct::LParen | Punct::LBrace)
                    )
                {
                    closers += 1;
                    j += 1;
                }
                let wrapper = Some((at(&tokens[i + 2]).0, at(&tokens[j - 1]).1));
                let hole = at(&tokens[j - 1]).1;
                let literal = match tokens.get(j).map(|t| t.kind) {
                    Some(TokenKind::Str(_)) => {
                        j += 1;
                        Some(at(&tokens[j - 1]))
                    }
                    _ => None,
                };
                let last = (j + closers).checked_sub(1)?;
                if closers == 0 || last >= close {
                    return None;
                }
                written.push(Written {
                    start,
                    end: at(&tokens[last]).1,
                    literal,
                    hole,
                    wrapper,
                });
                i = last + 1;
            }
            _ => i += 1,
        }
    }
    Some(Answers {
        open_end: at(&tokens[open]).1,
        close_start: at(&tokens[close]).0,
        written,
    })
}

/// How a string literal is spelt: plain (`None`) or raw with so many `#`s.
fn raw_hashes(literal: &str) -> Option<usize> {
    let rest = literal.strip_prefix('r')?;
    Some(rest.len() - rest.trim_start_matches('#').len())
}

/// `value` as a string literal spelt like `like` (plain, or raw with at
/// least as many `#`s as it needs).
pub fn string_literal(value: &str, raw: Option<usize>) -> String {
    match raw {
        None => {
            let mut out = String::from("\"");
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\0' => out.push_str("\\0"),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Some(at_least) => {
            let mut hashes = at_least;
            while value.contains(&format!("\"{}", "#".repeat(hashes))) {
                hashes += 1;
            }
            let h = "#".repeat(hashes);
            format!("r{h}\"{value}\"{h}")
        }
    }
}

/// The edits that make the expectation written at `span` (`yields { .. }`,
/// `yields_all { .. }`, `yields_first { .. }`, `error_msg { .. }`) say
/// `new`, keeping its spelling; `None` when its answers cannot be found
/// (the expectation did not parse as one).
///
/// With as many answers written as `new` has, each literal is replaced in
/// place; otherwise the written list is replaced by the new one, joined
/// with the separator the file used between its first two answers (or
/// `", "`), each spelt like the first written answer.
pub fn rewrite_answers(source: &str, span: Span, new: &[String]) -> Option<Vec<Edit>> {
    let found = answers(source, span)?;
    let spelling = found.written.first().copied();
    let raw = spelling
        .and_then(|w| w.literal)
        .and_then(|(s, e)| raw_hashes(&source[s..e]));
    if found.written.len() == new.len() {
        let mut edits = Vec::new();
        for (w, value) in found.written.iter().zip(new) {
            match w.literal {
                Some((s, e)) => {
                    let text = string_literal(value, raw_hashes(&source[s..e]));
                    if source[s..e] != text {
                        edits.push(Edit {
                            start: s,
                            end: e,
                            text,
                        });
                    }
                }
                None => edits.push(Edit::insert(w.hole, string_literal(value, raw))),
            }
        }
        return Some(edits);
    }
    let spell = |value: &str| {
        let literal = string_literal(value, raw);
        match spelling.and_then(|w| w.wrapper) {
            Some((s, e)) => {
                let openers = &source[s..e];
                let closers: String = openers
                    .chars()
                    .rev()
                    .map(|c| match c {
                        '[' => ']',
                        '(' => ')',
                        '{' => '}',
                        c => c,
                    })
                    .collect();
                format!("expect!{openers}{literal}{closers}")
            }
            None => literal,
        }
    };
    let joined = |separator: &str| {
        new.iter()
            .map(|v| spell(v))
            .collect::<Vec<_>>()
            .join(separator)
    };
    match found.written.as_slice() {
        [] => {
            let inner = &source[found.open_end..found.close_start];
            let text = if new.is_empty() {
                String::new()
            } else {
                format!(" {} ", joined(", "))
            };
            if inner.trim().is_empty() {
                Some(vec![Edit {
                    start: found.open_end,
                    end: found.close_start,
                    text,
                }])
            } else {
                Some(vec![Edit::insert(found.open_end, text)])
            }
        }
        [first, rest @ ..] => {
            let separator = match rest.first() {
                Some(second) => &source[first.end..second.start],
                None => ", ",
            };
            let last = rest.last().unwrap_or(first);
            // A trailing comma after the last answer stays where it is.
            Some(vec![Edit {
                start: first.start,
                end: last.end,
                text: joined(separator),
            }])
        }
    }
}

/// The edit that turns the verdict expectation written at `span` (`holds`
/// or `fails`, with its options) into `word`; `None` when it already says
/// it or is not a verdict expectation.
pub fn rewrite_verdict(source: &str, span: Span, word: &str) -> Option<Edit> {
    let start = span.start as usize;
    let text = source.get(start..span.end as usize)?;
    let old = ["holds", "fails"]
        .into_iter()
        .find(|w| text.starts_with(w))?;
    (old != word).then(|| Edit {
        start,
        end: start + old.len(),
        text: word.to_string(),
    })
}

/// A new `yields { "answer" }` after the goal block written at `goal`, on
/// the same line.
pub fn add_yields(goal: Span, answer: &str) -> Edit {
    Edit::insert(
        goal.end as usize,
        format!(" yields {{ {} }}", string_literal(answer, None)),
    )
}

/// A new `error_msg { "message" }` (with `options`, e.g.
/// `[design = implied]`, or empty) at the end of the file, on a line of its
/// own.
pub fn add_error_msg(source: &str, options: &str, message: &str) -> Edit {
    let newline = if source.is_empty() || source.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Edit::insert(
        source.len(),
        format!(
            "{newline}error_msg{options} {{ {} }}\n",
            string_literal(message, None)
        ),
    )
}

/// The edit that removes what is written at `span`: with its whole line
/// when nothing else is on it, and otherwise with the spaces before it.
pub fn remove(source: &str, span: Span) -> Edit {
    let (start, end) = (span.start as usize, span.end as usize);
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    let before = &source[line_start..start];
    let after = &source[end..line_end];
    if before.trim().is_empty() && after.trim().is_empty() {
        let through_newline = (line_end + 1).min(source.len());
        return Edit {
            start: line_start,
            end: through_newline,
            text: String::new(),
        };
    }
    let trimmed = before.trim_end_matches([' ', '\t']).len();
    Edit {
        start: line_start + trimmed,
        end,
        text: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(source: &str, part: &str) -> Span {
        let start = source.find(part).unwrap();
        Span::new(start, start + part.len())
    }

    fn rewrite(source: &str, part: &str, new: &[&str]) -> String {
        let new: Vec<String> = new.iter().map(|s| s.to_string()).collect();
        let edits = rewrite_answers(source, span_of(source, part), &new).unwrap();
        apply(source, &edits)
    }

    #[test]
    fn a_plain_answer_is_replaced_in_place() {
        let source = "goal { T: Foo } yields[solver = slg] { \"Unique\" } // kept\n";
        assert_eq!(
            rewrite(
                source,
                "yields[solver = slg] { \"Unique\" }",
                &["No \"possible\""]
            ),
            "goal { T: Foo } yields[solver = slg] { \"No \\\"possible\\\"\" } // kept\n"
        );
    }

    #[test]
    fn expect_and_raw_strings_keep_their_spelling() {
        let source = "yields[SolverChoice::slg(10, None)] {\n    expect![[r#\"Unique\"#]]\n}";
        assert_eq!(
            rewrite(source, source, &["Ambiguous"]),
            "yields[SolverChoice::slg(10, None)] {\n    expect![[r#\"Ambiguous\"#]]\n}"
        );
        let empty = "yields { expect![[]] }";
        assert_eq!(
            rewrite(empty, empty, &["Unique"]),
            "yields { expect![[\"Unique\"]] }"
        );
    }

    #[test]
    fn a_list_of_another_length_keeps_its_separator() {
        let source = "yields_all {\n    \"A\",\n    \"B\"\n}";
        assert_eq!(
            rewrite(source, source, &["A", "B", "C"]),
            "yields_all {\n    \"A\",\n    \"B\",\n    \"C\"\n}"
        );
        let empty = "yields_first { }";
        assert_eq!(
            rewrite(empty, empty, &["A", "B"]),
            "yields_first { \"A\", \"B\" }"
        );
        let one = "yields_all { expect![[\"A\"]] }";
        assert_eq!(rewrite(one, one, &[]), "yields_all {  }");
    }

    #[test]
    fn verdicts_and_new_expectations() {
        let source = "goal { T: Foo } holds[design = boxed]";
        let edit = rewrite_verdict(source, span_of(source, "holds[design = boxed]"), "fails");
        assert_eq!(
            apply(source, &edit.into_iter().collect::<Vec<_>>()),
            "goal { T: Foo } fails[design = boxed]"
        );
        assert_eq!(
            rewrite_verdict(source, span_of(source, "holds"), "holds"),
            None
        );
        let goal = "goal { T: Foo }";
        assert_eq!(
            apply(goal, &[add_yields(span_of(goal, goal), "Unique")]),
            "goal { T: Foo } yields { \"Unique\" }"
        );
        assert_eq!(
            apply("x", &[add_error_msg("x", "", "bad")]),
            "x\nerror_msg { \"bad\" }\n"
        );
    }

    #[test]
    fn removal_takes_a_line_it_is_alone_on() {
        let source = "a\n    //~^ ERROR x\nb //~ ERROR y\n";
        let edits = [
            remove(source, span_of(source, "//~^ ERROR x")),
            remove(source, span_of(source, "//~ ERROR y")),
        ];
        assert_eq!(apply(source, &edits), "a\nb\n");
    }

    #[test]
    fn raw_strings_grow_hashes_when_they_must() {
        assert_eq!(string_literal("a\"#b", Some(1)), "r##\"a\"#b\"##");
        assert_eq!(string_literal("a", Some(0)), "r\"a\"");
    }
}
