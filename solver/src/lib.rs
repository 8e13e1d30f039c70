//! chalkboard's back end: checks programs and runs goals on chalk's
//! recursive and SLG solvers, bounded and guarded, and compares answers with
//! the expectations written in the file.
//!
//! Architecture invariant: nothing here prints or knows about terminals, JSON
//! or exit codes; the CLI renders the reports.

pub mod check;
pub mod clauses;
pub mod db;
pub mod run;
pub mod solve;

pub use clauses::program_clauses;
pub use db::run_text as run_source;
pub use run::{run_file, FileReport, RunOptions, SolverSelection};
pub use solve::{Limits, Outcome};
