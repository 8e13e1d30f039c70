//! The one hook the pipeline offers a semantic layer on top of chalk's
//! language, such as the designs for `Send` futures (`chalkboard-designs`).
//!
//! A layer does two things, and the pipeline knows nothing else about it:
//!
//! 1. **rewrite**: after the extensions are desugared and before lowering,
//!    it rewrites the program, syntax tree to syntax tree (a design adds its
//!    bounds to method futures);
//! 2. **check**: after lowering and chalk's own checks, it runs checks of its
//!    own (a design's impl obligations) and returns them as [`NamedCheck`]s.
//!
//! A run names a point of the layer's space with a [`Config`]: the part that
//! selects the rewrite, and the part that only the checks read. The salsa
//! queries are keyed on those parts separately, so switching only the second
//! re-runs only the layer's checks.
//!
//! Architecture invariant: the generic run code (`db`, `run`) decides what
//! to do with a layer's findings from their [`Effect`], never from their
//! diagnostic codes or wording.

use std::sync::Arc;

use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;

use crate::solve::Limits;
use crate::verdict::Verdict;

/// A point in a layer's configuration space, e.g. the implied design with
/// the `decide` implication rule.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Config {
    /// Selects the rewrite (and so the lowered program), e.g. `implied`.
    pub rewrite: &'static str,
    /// Read only by the layer's checks, e.g. `decide`.
    pub rule: &'static str,
}

/// What a layer's check found about one named part of the program.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedCheck {
    /// What kind of thing was checked, e.g. `impl` or `promise`; `compare`
    /// shows one row per kind and name.
    pub kind: &'static str,
    /// e.g. `impl AsyncIterator for MyCustomIterator: next`
    pub name: String,
    pub span: Span,
    pub verdict: Verdict,
    /// The diagnostic to report, if the check found something.
    pub diagnostic: Option<Diagnostic>,
    pub effect: Effect,
    /// Why the check's goal failed or could not be decided, as a tree
    /// (`compare --explain` shows it).
    pub explanation: Option<crate::explain::Explanation>,
}

/// What a layer's finding does to the run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Effect {
    /// Nothing: the check held, or its diagnostic is informational.
    None,
    /// Reported as a warning: a finding about the design, not an error in
    /// the program.
    Warns,
    /// Rejects the program, as an error in one impl does. A run that asks
    /// for it ([`crate::run::RunOptions::solve_despite_impl_errors`]) still
    /// answers the goals, to show what callers would conclude.
    RejectsImpl,
}

/// Everything a layer's checks found in one program.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerReport {
    pub checks: Vec<NamedCheck>,
}

impl LayerReport {
    /// The diagnostics the checks report, with the severity their effect gives.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.checks.iter().filter_map(|c| {
            let mut d = c.diagnostic.clone()?;
            if c.effect == Effect::Warns {
                d.severity = chalkboard_syntax::Severity::Warning;
            }
            Some(d)
        })
    }

    /// True when some finding rejects the program.
    pub fn rejects(&self) -> bool {
        self.checks.iter().any(|c| c.effect == Effect::RejectsImpl)
    }
}

/// What a layer's check sees: the rewritten tree and the lowered program
/// that passed chalk's own checks.
pub struct CheckInput<'a> {
    pub tree: &'a ast::File,
    /// In a database kept across edits, the tree shared (a `.chalk` file's)
    /// and what the layer kept from its last check of the same file under
    /// the same configuration (rule layer-check-reuse).
    pub kept: Option<(Arc<ast::File>, &'a KeptByLayer)>,
    /// Every rule desugaring and the rewrite applied (an explanation names
    /// the items they generated).
    pub applied: &'a [Applied],
    pub program: &'a Arc<Program>,
    pub config: Config,
    pub limits: &'a Limits,
}

/// What a layer keeps from one check of a file to the next, in a database
/// kept across edits (rule layer-check-reuse): whatever the layer puts
/// there, taken back on its next check of the file under the same
/// configuration.
#[derive(Default)]
pub struct KeptByLayer(
    std::sync::Mutex<Option<Arc<dyn std::any::Any + Send + Sync>>>,
    std::sync::Mutex<Option<(usize, usize)>>,
);

impl KeptByLayer {
    /// Notes how many of its checks the layer reused and ran.
    pub fn count(&self, reused: usize, ran: usize) {
        if let Ok(mut counts) = self.1.lock() {
            *counts = Some((reused, ran));
        }
    }

    /// How many checks the layer reused and ran last, until taken.
    pub fn take_counts(&self) -> Option<(usize, usize)> {
        self.1.lock().ok()?.take()
    }

    /// What the layer kept last, if it kept a `T`.
    pub fn take<T: std::any::Any + Send + Sync>(&self) -> Option<Arc<T>> {
        let kept = self.0.lock().ok()?.take()?;
        kept.downcast().ok()
    }

    /// Keeps `value` for the next check.
    pub fn keep<T: std::any::Any + Send + Sync>(&self, value: Arc<T>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(value);
        }
    }
}

/// A semantic layer on top of chalk's language.
pub trait Layer: Send + Sync + 'static {
    /// The configuration of a run that names none.
    fn default_config(&self) -> Config;

    /// The configuration that an expectation's attributes name
    /// (`yields[design = implied, implication = decide]`), starting from
    /// `base` for the attributes left out; an error message names what is
    /// unknown.
    fn config_named(
        &self,
        base: Config,
        design: Option<&str>,
        implication: Option<&str>,
    ) -> Result<Config, String>;

    /// How reports name a configuration, e.g. `implied/decide`.
    fn config_name(&self, config: Config) -> String;

    /// The configuration a revision of a Rust file names (`//@ revisions:
    /// implied-decide`), starting from `base`: a design alone
    /// (`config_named(base, Some(name), None)`), or a design and an
    /// implication rule joined by `-`; an error message names what is
    /// unknown.
    fn config_of_revision(&self, base: Config, name: &str) -> Result<Config, String> {
        match self.config_named(base, Some(name), None) {
            Ok(config) => Ok(config),
            Err(error) => match name.split_once('-') {
                Some((design, implication)) => {
                    self.config_named(base, Some(design), Some(implication))
                }
                None => Err(error),
            },
        }
    }

    /// Rewrites the desugared program for the configuration's rewrite,
    /// recording every rule it applies and reporting what the rewrite finds
    /// wrong with the program under this configuration (a `dyn Trait` of a
    /// trait that is not dyn compatible); a diagnostic inside a goal is that
    /// goal's error, any other rejects the program. `original` is the tree
    /// as parsed, before any desugaring; `desugared` is the desugared
    /// program without its goals and expected errors, which no rewrite
    /// changes. A rewrite that changes nothing returns `desugared` itself
    /// (rule rewrite-unchanged-shared).
    fn rewrite(
        &self,
        original: &ast::File,
        desugared: &Arc<ast::File>,
        rewrite: &'static str,
        applied: &mut Vec<Applied>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Arc<ast::File>;

    /// The layer's own checks of a program that passed chalk's checks.
    fn check(&self, input: CheckInput<'_>) -> LayerReport;
}

/// The layer of plain chalk programs: no rewrite, no checks.
pub struct NoLayer;

impl Layer for NoLayer {
    fn default_config(&self) -> Config {
        Config {
            rewrite: "none",
            rule: "none",
        }
    }

    fn config_named(
        &self,
        base: Config,
        design: Option<&str>,
        implication: Option<&str>,
    ) -> Result<Config, String> {
        match design.or(implication) {
            None => Ok(base),
            Some(name) => Err(format!(
                "unknown configuration `{name}`: this run has no designs"
            )),
        }
    }

    fn config_name(&self, _config: Config) -> String {
        "chalk".to_string()
    }

    fn rewrite(
        &self,
        _original: &ast::File,
        desugared: &Arc<ast::File>,
        _rewrite: &'static str,
        _applied: &mut Vec<Applied>,
        _diagnostics: &mut Vec<Diagnostic>,
    ) -> Arc<ast::File> {
        Arc::clone(desugared)
    }

    fn check(&self, _input: CheckInput<'_>) -> LayerReport {
        LayerReport::default()
    }
}
