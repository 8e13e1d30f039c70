//! The designs for `Send` futures of `async fn` in traits, as a layer on
//! chalkboard's pipeline (see `chalkboard_solver::layer`):
//!
//! - **explicit** (rule [`design-explicit`](crate::rules::DESIGN_EXPLICIT), what Rust chose): futures promise
//!   nothing beyond `Future<Output = T>`; callers that need `Send` say so
//!   with return type notation.
//! - **implied** (rule [`design-implied`](crate::rules::DESIGN_IMPLIED), rejected): every future gets the
//!   conditional bound `if (Self: Send) { Send }`, which each impl must keep,
//!   proved by the implication rule `assume` or `decide`.
//! - **boxed** (rule [`design-boxed`](crate::rules::DESIGN_BOXED), the `async_trait` crate): every future is
//!   `Pin<Box<dyn Future<Output = T> + Send + 'a>>`, modeled as an
//!   unconditional `Send` promise that each impl's future must keep; the
//!   trait becomes dyn safe.
//!
//! | module | role |
//! |---|---|
//! | [`rewrite`] | each design's rewrite of the method futures, and computed dyn safety |
//! | [`dyn_compat`] | `dyn Trait` of a trait that is not dyn compatible is an error (E0038) |
//! | [`obligations`] | each impl against each conditional bound of its trait |
//! | [`audit`] | the promise audit: what callers may conclude against what is true |
//! | [`wording`] | every sentence the designs say to a user |
//! | [`compare`] | one program under every design, as a table |
//!
//! Architecture invariant: the pipeline knows this crate only through
//! [`DesignLayer`]'s implementation of `Layer`.

pub mod audit;
pub mod codes;
pub mod compare;
pub mod dyn_compat;
pub mod obligations;
pub mod rewrite;
pub mod rules;
pub mod wording;

use chalkboard_solver::layer::{CheckInput, Config, Layer, LayerReport};
use chalkboard_syntax::ast;
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;

/// A design, as named on the command line.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Design {
    #[default]
    Explicit,
    Implied,
    Boxed,
}

impl Design {
    pub const ALL: [Design; 3] = [Design::Explicit, Design::Implied, Design::Boxed];

    pub fn name(self) -> &'static str {
        match self {
            Design::Explicit => "explicit",
            Design::Implied => "implied",
            Design::Boxed => "boxed",
        }
    }

    pub fn from_name(name: &str) -> Option<Design> {
        Design::ALL.into_iter().find(|d| d.name() == name)
    }
}

/// How an impl proves `if (C) { Fut: B }`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Implication {
    /// Assume `C`, prove `Fut: B` (rule [`implication-assume`](crate::rules::IMPLICATION_ASSUME)).
    #[default]
    Assume,
    /// Prove `C` without assumptions; only then require `Fut: B` (rule
    /// `implication-decide`).
    Decide,
}

impl Implication {
    pub const ALL: [Implication; 2] = [Implication::Assume, Implication::Decide];

    pub fn name(self) -> &'static str {
        match self {
            Implication::Assume => "assume",
            Implication::Decide => "decide",
        }
    }

    pub fn from_name(name: &str) -> Option<Implication> {
        Implication::ALL.into_iter().find(|i| i.name() == name)
    }

    /// The rule an impl proves an implication by.
    pub fn rule(self) -> chalkboard_syntax::registry::Rule {
        match self {
            Implication::Assume => rules::IMPLICATION_ASSUME,
            Implication::Decide => rules::IMPLICATION_DECIDE,
        }
    }
}

/// A design together with the implication rule its impls use: the layer's
/// configuration.
pub fn config(design: Design, implication: Implication) -> Config {
    Config {
        rewrite: design.name(),
        rule: implication.name(),
    }
}

/// The design and implication rule a configuration names.
pub fn design_of(config: Config) -> (Design, Implication) {
    (
        Design::from_name(config.rewrite).unwrap_or_default(),
        Implication::from_name(config.rule).unwrap_or_default(),
    )
}

/// Runs one `.chalk` file's text through the pipeline under one design (a
/// fresh database): what `chalkboard run --design D --implication I` does
/// for one configuration, for tests and benchmarks.
pub fn run_text(
    text: &str,
    options: &chalkboard_solver::RunOptions,
    design: Design,
    implication: Implication,
) -> std::sync::Arc<chalkboard_solver::FileReport> {
    use chalkboard_solver::db::{report, Database, Language, Settings, SourceFile};
    let db = Database::new(std::sync::Arc::new(DesignLayer));
    let file = SourceFile::new(&db, text.to_string(), Language::Chalk);
    let settings = Settings::new(&db, options.clone(), design.name(), implication.name());
    std::sync::Arc::clone(&report(&db, file, settings).0)
}

/// The designs as a layer on the pipeline.
pub struct DesignLayer;

impl Layer for DesignLayer {
    fn default_config(&self) -> Config {
        config(Design::default(), Implication::default())
    }

    fn config_named(
        &self,
        base: Config,
        design: Option<&str>,
        implication: Option<&str>,
    ) -> Result<Config, String> {
        let (mut d, mut i) = design_of(base);
        if let Some(name) = design {
            d = Design::from_name(name).ok_or_else(|| wording::unknown_design(name))?;
        }
        if let Some(name) = implication {
            i = Implication::from_name(name).ok_or_else(|| wording::unknown_implication(name))?;
        }
        Ok(config(d, i))
    }

    fn config_name(&self, config: Config) -> String {
        match design_of(config) {
            (Design::Implied, i) | (_, i @ Implication::Decide) => {
                format!("{}/{}", config.rewrite, i.name())
            }
            (d, _) => d.name().to_string(),
        }
    }

    fn rewrite(
        &self,
        original: &ast::File,
        desugared: &std::sync::Arc<ast::File>,
        rewrite: &'static str,
        applied: &mut Vec<Applied>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> std::sync::Arc<ast::File> {
        let design = Design::from_name(rewrite).unwrap_or_default();
        diagnostics.extend(dyn_compat::check(original, design));
        rewrite::apply(original, desugared, design, applied)
    }

    fn check(&self, input: CheckInput<'_>) -> LayerReport {
        let (design, implication) = design_of(input.config);
        obligations::check(
            input.tree,
            input.kept,
            input.applied,
            input.program,
            implication,
            design,
            input.limits,
        )
    }
}
