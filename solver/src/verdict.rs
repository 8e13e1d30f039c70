//! Verdicts: whether something holds, fails or could not be decided, with
//! the reason, as the designs' checks and `compare` report them.

/// The verdict of one check, with its reason in words.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Verdict {
    Holds { reason: String },
    Fails { reason: String },
    Ambiguous { reason: String },
}

impl Verdict {
    pub fn holds(reason: impl Into<String>) -> Verdict {
        Verdict::Holds {
            reason: reason.into(),
        }
    }

    pub fn fails(reason: impl Into<String>) -> Verdict {
        Verdict::Fails {
            reason: reason.into(),
        }
    }

    pub fn ambiguous(reason: impl Into<String>) -> Verdict {
        Verdict::Ambiguous {
            reason: reason.into(),
        }
    }

    /// `holds`, `fails` or `ambiguous`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Holds { .. } => "holds",
            Verdict::Fails { .. } => "fails",
            Verdict::Ambiguous { .. } => "ambiguous",
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Verdict::Holds { reason }
            | Verdict::Fails { reason }
            | Verdict::Ambiguous { reason } => reason,
        }
    }
}
