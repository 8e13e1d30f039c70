//! The file level: the entry loop, the file directives and chalk's
//! test-harness forms.
//!
//! A file is `Entry*`, and an entry is one of:
//!
//! - a directive: `use prelude::*;`, `disable_coherence;` or
//!   `lowering_success;`;
//! - a wrapper whose block holds more entries: `test! { .. }`,
//!   `lowering_error! { .. }`, `lowering_success! { .. }` or
//!   `program { .. }`, copied from chalk's test suite so that its tests parse
//!   unchanged (the entries inside belong to the same file);
//! - a goal block with its expectations: `goal { G } yields { "Unique" }`,
//!   with `yields_all` and `yields_first`, answers written as strings or as
//!   `expect![[".."]]`, and options such as `yields[solver = recursive]`;
//!   chalkboard's verdict expectations `holds` and `fails` after the goal;
//! - an expected error: chalk's `error_msg { ".." }`, or
//!   `rejected [design = .., implication = ..] { ".." }`;
//! - an item (see `items`).
//!
//! Contract: `entries_until` never fails; it resumes after each broken entry
//! (see `recovery`) and always reaches the end it was given. Every other
//! function here follows the parser's `PResult` contract, and a goal block
//! also resumes inside itself: a goal that does not parse becomes an error
//! goal, so that the expectations after it are still read.

use super::{Failed, PResult, Parser};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Punct, TokenKind};

impl Parser<'_> {
    /// `Entry*` up to token index `end` (the closer of a wrapper's block, or
    /// the end of file); never fails.
    pub(super) fn entries_until(&mut self, file: &mut File, end: usize) {
        while self.pos < end && !self.at_eof() {
            // Rule run-deadline: parsing stops at the run's deadline.
            let span = self.token().span;
            crate::deadline::checkpoint(
                "parsing",
                span.start as usize,
                self.text.len(),
                "bytes read",
                span,
            );
            let entry_start = self.pos;
            let entry_depth = self.depth.get(self.pos).copied().unwrap_or(0);
            if self.entry(file).is_err() {
                self.recover_item(entry_start, entry_depth, end);
            }
        }
    }

    /// One entry, added to `file`:
    ///
    /// ```text
    /// use prelude::*;          disable_coherence;          lowering_success;
    /// test! { Entry* }         lowering_error! { Entry* }  lowering_success! { Entry* }
    /// program { Entry* }
    /// goal { G } yields { "Unique; substitution [], lifetime constraints []" }
    /// error_msg { "message" }  rejected [design = boxed] { "message" }
    /// Item
    /// ```
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
            let expected = self.expected_error()?;
            file.expected_errors.push(expected);
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

    /// An expected error, `error_msg { "message" }` (chalk's) or
    /// `rejected [design = boxed, implication = decide] { "message" }`.
    fn expected_error(&mut self) -> PResult<ExpectedError> {
        let start = self.start();
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
                        crate::codes::UNKNOWN_OPTION,
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
        Ok(ExpectedError {
            text: self.string_value(token),
            span: self.span_from(start),
            design,
            implication,
        })
    }

    /// `goal { G } Expectation*`, keeping the goal's source text; a goal that
    /// does not parse becomes an error goal and the expectations are still
    /// read.
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
        loop {
            if self.is_word("yields") || self.is_word("yields_all") || self.is_word("yields_first")
            {
                expectations.push(self.expectation()?);
            } else if self.is_word("holds") || self.is_word("fails") {
                expectations.push(self.verdict_expectation()?);
            } else {
                break;
            }
        }
        Ok(GoalBlock {
            goal,
            text,
            span: self.span_from(start),
            expectations,
        })
    }

    /// The stand-in for a goal that did not parse, from `start` to the last
    /// token consumed.
    fn error_goal(&self, start: u32) -> Goal {
        Goal {
            kind: GoalKind::Error,
            span: self.span_from(start),
        }
    }

    /// `yields { A }`, `yields_all { A, .. }` or `yields_first { A, .. }`,
    /// each optionally followed by options in brackets
    /// (`yields[solver = recursive]`, `yields[SolverChoice::slg(10, None)]`).
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
                    crate::codes::WRONG_ANSWER_COUNT,
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

    /// `holds` or `fails` after a goal (chalkboard extension): the goal's
    /// verdict, optionally followed by options in brackets
    /// (`fails[design = implied]`).
    fn verdict_expectation(&mut self) -> PResult<Expectation> {
        let start = self.start();
        let word = self.bump();
        let kind = match self.token_text(word) {
            "holds" => ExpectationKind::Holds,
            _ => ExpectationKind::Fails,
        };
        let mut solver = None;
        let mut design = None;
        let mut implication = None;
        if self.eat_punct(Punct::LBracket) {
            self.solver_options(&mut solver, &mut design, &mut implication)?;
            self.expect_punct(Punct::RBracket, "after the options")?;
        }
        Ok(Expectation {
            kind,
            solver,
            design,
            implication,
            answers: Vec::new(),
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
                    crate::codes::UNEXPECTED_TOKEN,
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

    /// The options between the brackets after `yields` or an expected error:
    /// chalk's `SolverChoice::slg_default()`, `::recursive_default()`,
    /// `::slg(max_size, None | Some(n))` or
    /// `::recursive(max_size, overflow_depth)`, or chalkboard's
    /// `solver = slg|recursive, design = NAME, implication = NAME` (any
    /// subset, in any order).
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
                            crate::codes::UNKNOWN_OPTION,
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
}

fn unknown_solver(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(crate::codes::UNKNOWN_SOLVER, format!("unknown solver `{name}`"), span)
        .with_label("not a solver chalk has")
        .with_help(
            "write `solver = slg`, `solver = recursive`, or chalk's `SolverChoice::slg_default()`, `SolverChoice::recursive_default()`, `SolverChoice::slg(N, None)`, `SolverChoice::recursive(max_size, overflow_depth)`",
        )
}
