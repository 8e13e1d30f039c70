//! chalkboard's back end: checks programs and runs goals on chalk's
//! recursive and SLG solvers, bounded and guarded, and compares answers with
//! the expectations written in the file.
//!
//! The pipeline (`db`) offers one hook to a semantic layer on top of chalk's
//! language (`layer`); the designs for `Send` futures are such a layer, in
//! the crate `chalkboard-designs`, which depends on this one.
//!
//! Architecture invariant: nothing here prints or knows about terminals, JSON
//! or exit codes; the CLI renders the reports. Nothing here knows a layer's
//! configurations, rules or diagnostic codes.

pub mod annotations;
pub mod assoc_bounds;
pub mod bodies;
pub mod check;
pub mod clauses;
pub mod codes;
pub mod db;
pub mod describe;
pub mod explain;
pub mod layer;
pub mod negation;
pub mod peel;
pub mod regions;
pub mod reuse;
pub mod rules;
pub mod run;
pub mod solve;
pub mod timing;
pub mod verdict;

pub use clauses::program_clauses;
pub use db::run_text as run_source;
pub use layer::{Config, Layer};
pub use run::{FileReport, RunOptions, SolverSelection};
pub use solve::{AnswerKind, Limits, Outcome};
pub use verdict::{GoalVerdict, Verdict};
