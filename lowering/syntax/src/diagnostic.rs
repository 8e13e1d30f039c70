//! The one diagnostic type of chalkboard.
//!
//! A diagnostic is data only: a stable kebab-case code, a severity, a message,
//! a primary span with its label, secondary labels, notes and an optional help
//! line. Rendering (rustc-style text, JSON) happens at the edge, in the CLI.

use crate::ast::Span;
use crate::registry::Code;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// A stable kebab-case identifier, e.g. `unknown-trait`.
    pub code: Code,
    pub severity: Severity,
    /// One terse sentence saying what is wrong (no trailing full stop).
    pub message: String,
    /// Where it is wrong; every diagnostic points at the source.
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// The exact text chalk reports for the same error, when chalk reports
    /// one: `error_msg { ".." }` expectations are compared against it.
    pub chalk_message: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            chalk_message: None,
        }
    }

    /// Sets the label of the primary span.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.primary.message = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Records the text chalk-integration prints for this error.
    pub fn with_chalk_message(mut self, text: impl Into<String>) -> Diagnostic {
        self.chalk_message = Some(text.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
