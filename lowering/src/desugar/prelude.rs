//! The prelude and the `use-prelude` rule.

use super::Sink;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::visit::{walk_item, VisitMut};

/// The prelude's source text (`chalkboard prelude` prints it).
pub const PRELUDE: &str = include_str!("../prelude.chalk");

/// Rule [`use-prelude`](crate::rules::USE_PRELUDE): `use prelude::*;` prepends the prelude's items. Every
/// span in them is set to the span of the `use` line, so that a diagnostic
/// about a prelude item (a duplicate name, an overlapping impl) points into
/// the user's file and not at offsets of an unrelated text. The line itself
/// is removed, so the output does not prepend the prelude twice when parsed
/// again.
pub(crate) fn use_prelude(file: &ast::File, sink: &mut Sink) -> ast::File {
    let mut out = file.clone();
    let Some(span) = out.uses_prelude.take() else {
        return out;
    };
    sink.applied(crate::rules::USE_PRELUDE, span, "prelude");
    let (prelude, prelude_diags) = chalkboard_syntax::parse_file(PRELUDE);
    if let Some(first) = prelude_diags.first() {
        // The prelude is part of chalkboard and tested to parse cleanly; if
        // it ever does not, say so at the `use` line instead of panicking.
        sink.diags.push(
            Diagnostic::error(
                crate::codes::BROKEN_PRELUDE,
                "the prelude does not parse",
                span,
            )
            .with_note(first.message.clone())
            .with_help("this is a bug in chalkboard; remove `use prelude::*;` meanwhile"),
        );
        return out;
    }
    let mut items = prelude.items;
    let mut respan = Respan(span);
    for item in &mut items {
        walk_item(&mut respan, item);
    }
    items.append(&mut out.items);
    out.items = items;
    out
}

/// Sets every span to one span.
struct Respan(Span);

impl VisitMut for Respan {
    fn span(&mut self, span: &mut Span) {
        *span = self.0;
    }
}
