//! Rule `parse-reuse`: a file edited in a kept database (the REPL, `--watch`)
//! is parsed again only where the edit changed it.
//!
//! An edit changes one stretch of the text. The entries before it read
//! the same, and the entries after it read the same, moved by the edit's
//! length; only the stretch between them, the *window*, is parsed, on its
//! own, and the file is put together from the tree before and the window's
//! entries (an item added, or a goal asked as the REPL asks one). The result is the tree a full parse of the new text gives; any
//! doubt falls back to that parse:
//!
//! - the tree before had no diagnostic (the caller keeps only such trees)
//!   and no clause items (a clause of chalk's `forall { .. }` form is one of
//!   several items made of one piece of text);
//! - the window starts where an entry (an item, a goal, an expected error
//!   or a directive) of the tree before ended, and ends where one started
//!   or where an item in it ended, at a line's end, so that no token, and
//!   no `//` comment, runs across either end of it;
//! - the window parses on its own without a diagnostic, to items, goals
//!   and expected errors, and the text it replaces parses on its own
//!   without a diagnostic: an unclosed delimiter, comment or string in
//!   either, or a directive or a wrapper's brace in the window, makes it
//!   fall back;
//! - no entry of the tree before starts or ends inside the window unless it
//!   lies wholly in it (it is replaced); an entry around the whole window
//!   (`lowering_success! { .. }`) keeps its start and moves its end;
//! - no directive of the tree before lies in the window: a directive
//!   written twice is kept in one place, so a replaced one might still be
//!   written elsewhere.
//!
//! Parsing is deterministic and left to right, the delimiter pre-pass
//! matches a balanced window within itself, and the lexer starts the window
//! and the text after it in its initial state, so the tokens, and the
//! entries made of them, are those of a full parse.

use crate::ast::{self, Span};

/// The tree of `new_text`, made from `old`, the diagnostic-free tree of
/// `old_text`, by parsing only what the edit changed; `None` when the
/// rule does not apply and the caller must parse the whole text.
pub fn reparse(old_text: &str, old: &ast::File, new_text: &str) -> Option<ast::File> {
    if old.rust.is_some() || old.items.iter().any(|i| matches!(i, ast::Item::Clause(_))) {
        return None;
    }
    let (old_bytes, new_bytes) = (old_text.as_bytes(), new_text.as_bytes());
    let prefix = old_bytes
        .iter()
        .zip(new_bytes)
        .take_while(|(a, b)| a == b)
        .count();
    let room = old_bytes.len().min(new_bytes.len()) - prefix;
    let suffix = old_bytes
        .iter()
        .rev()
        .zip(new_bytes.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let delta = new_bytes.len() as i64 - old_bytes.len() as i64;
    let unchanged_from = old_bytes.len() - suffix;

    // The window in the old text: from the end of the last entry before the
    // edit to the start of the first entry after it.
    let extents = entries(old);
    let start = extents
        .iter()
        .map(|e| e.end as usize)
        .filter(|&end| end <= prefix)
        .max()
        .unwrap_or(0);
    // It may also end where an item in it ended (in a wrapper, what follows
    // the last item is the wrapper's closing braces, which are no entry).
    let low = unchanged_from.max(start);
    let item_ends = old
        .items
        .iter()
        .map(ast::Item::span)
        .filter(|span| span.start as usize >= start)
        .map(|span| span.end as usize);
    let end_old = extents
        .iter()
        .map(|e| e.start as usize)
        .chain(item_ends)
        .filter(|&at| at >= low)
        .min()
        .unwrap_or(old_bytes.len());
    let end_new = usize::try_from(end_old as i64 + delta).ok()?;
    if end_new < start || end_new > new_bytes.len() {
        return None;
    }
    // No token or line comment runs across the end of the window: a line
    // ends there.
    let at_line_end = end_new == new_bytes.len()
        || new_bytes[end_new] == b'\n'
        || (end_new > 0 && new_bytes[end_new - 1] == b'\n');
    if end_new > start && !at_line_end {
        return None;
    }
    let window = new_text.get(start..end_new)?;

    // Where an entry of the tree before goes: `Some(None)` when it lies in
    // the window (replaced), `Some(Some(after))` when it lies before or
    // after it, `None` when the edit cut it.
    let side = |span: Span| -> Option<Option<bool>> {
        let (s, e) = (span.start as usize, span.end as usize);
        if s >= start && e <= end_old {
            Some(None)
        } else if e <= start {
            Some(Some(false))
        } else if s >= end_old {
            Some(Some(true))
        } else {
            None
        }
    };
    // A directive may also lie around the whole window (a
    // `lowering_success! { .. }` wrapper): its start stays, its end moves.
    let directive = |span: Option<Span>| -> Option<Option<Span>> {
        let Some(span) = span else {
            return Some(None);
        };
        let (s, e) = (span.start as usize, span.end as usize);
        if s < start && e > end_old {
            return Some(Some(Span::new(s, (e as i64 + delta) as usize)));
        }
        // A directive the edit replaced falls back: the file may say it
        // again elsewhere (the tree keeps one place of a directive written
        // twice), and only a full parse sees that.
        let after = side(span)??;
        Some(Some(if after { span.shifted(delta) } else { span }))
    };

    // The text the edit replaced and the text it wrote must each parse on
    // their own, the new text to entries other than directives: then
    // neither holds part of a delimiter pair or a wrapper, and the text
    // around them, the same in both, parses the same.
    let replaced = old_text.get(start..end_old)?;
    if !replaced.trim().is_empty() && !crate::parse_file(replaced).1.is_empty() {
        return None;
    }
    let parsed = entries_alone(window)?;

    // The window's entries go between those before it and those after it,
    // each moved from the window to the file.
    let shift = start as i64;
    Some(ast::File {
        uses_prelude: directive(old.uses_prelude)?,
        implicit_sized: old.implicit_sized,
        disable_coherence: directive(old.disable_coherence)?,
        items: splice(
            &old.items,
            parsed.items,
            ast::Item::span,
            ast::shift_item,
            &side,
            shift,
            delta,
        )?,
        goals: splice(
            &old.goals,
            parsed.goals,
            |g| g.span,
            ast::shift_goal_block,
            &side,
            shift,
            delta,
        )?,
        expected_errors: splice(
            &old.expected_errors,
            parsed.expected_errors,
            |e| e.span,
            ast::shift_expected_error,
            &side,
            shift,
            delta,
        )?,
        expect_success: directive(old.expect_success)?,
        rust: None,
    })
}

/// One list of entries of the new tree: those of `old` before the window,
/// kept; the window's, moved by `shift` (the window's start); those of
/// `old` after the window, moved by `delta` (the edit's length); those of
/// `old` in the window are dropped. `None` when the edit cut an entry.
fn splice<T: Clone>(
    old: &[T],
    window: Vec<T>,
    span: impl Fn(&T) -> Span,
    move_by: impl Fn(&mut T, i64),
    side: &impl Fn(Span) -> Option<Option<bool>>,
    shift: i64,
    delta: i64,
) -> Option<Vec<T>> {
    let mut out = Vec::with_capacity(old.len() + window.len());
    let mut window = Some(window);
    let mut put_window = |out: &mut Vec<T>| {
        for mut entry in window.take().into_iter().flatten() {
            if shift != 0 {
                move_by(&mut entry, shift);
            }
            out.push(entry);
        }
    };
    for entry in old {
        let Some(after) = side(span(entry))? else {
            continue;
        };
        let mut entry = entry.clone();
        if after {
            put_window(&mut out);
            if delta != 0 {
                move_by(&mut entry, delta);
            }
        }
        out.push(entry);
    }
    put_window(&mut out);
    Some(out)
}

/// The tree of `text` parsed on its own, when it is entries other than
/// directives (items, goals, expected errors), without a diagnostic.
fn entries_alone(text: &str) -> Option<ast::File> {
    if text.trim().is_empty() {
        return Some(ast::File::default());
    }
    let (parsed, diagnostics) = crate::parse_file(text);
    let no_directive = diagnostics.is_empty()
        && parsed.uses_prelude.is_none()
        && parsed.disable_coherence.is_none()
        && parsed.expect_success.is_none()
        && parsed.rust.is_none()
        && !parsed.implicit_sized;
    no_directive.then_some(parsed)
}

/// The extent of every entry of `file`: its items, goal blocks, expected
/// errors and directives.
fn entries(file: &ast::File) -> Vec<Span> {
    let mut out: Vec<Span> = file.items.iter().map(ast::Item::span).collect();
    out.extend(file.goals.iter().map(|g| g.span));
    out.extend(file.expected_errors.iter().map(|e| e.span));
    out.extend(
        [
            file.uses_prelude,
            file.disable_coherence,
            file.expect_success,
        ]
        .into_iter()
        .flatten(),
    );
    out
}
