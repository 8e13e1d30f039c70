//! The `chalkboard` command line.
//!
//! Architecture invariant: this is the only crate that knows about
//! terminals, colours, JSON and exit codes.

mod bless;
mod compare;
mod explain;
mod json;
mod program;
mod registry;
mod repl;
mod rustc;
mod suite;
mod text;
mod watch;

/// chalk's solvers allocate and free small terms all the time; mimalloc
/// serves them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

use chalkboard_designs::Design;
use chalkboard_solver::db::{Language, SourceFile};
use chalkboard_solver::{FileReport, SolverSelection};

/// A trait-solver laboratory for Rust language design: runs `.chalk`
/// programs on chalk's SLG and recursive solvers.
#[derive(Parser)]
#[command(name = "chalkboard", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check each program, solve every goal and compare with its expectations.
    Run(RunArgs),
    /// Only parse, lower and check each program (coherence and well-formedness).
    Check(CommonArgs),
    /// Run each program under every design (explicit, implied/assume, implied/decide, boxed), side by side.
    Compare(CompareArgs),
    /// Print the prelude that `use prelude::*;` brings into a program.
    Prelude(PreludeArgs),
    /// Load a program, then ask goals, add items and switch designs interactively.
    Repl(repl::ReplArgs),
    /// Print a program after desugaring, as chalkboard source text that parses again.
    Desugar(DesugarArgs),
    /// Print the program clauses chalk derives from a program, one per line.
    Clauses(ClausesArgs),
    /// Explain why each goal holds or fails, as a tree of named rules.
    Explain(explain::ExplainArgs),
    /// List every named rule (desugaring, lowering, design, check) as a Markdown table.
    Rules,
    /// List every diagnostic code as a Markdown table.
    Codes,
}

#[derive(clap::Args)]
struct PreludeArgs {
    /// Print the model of the standard library that every Rust file is read
    /// beside (docs/rust.md) instead of the `.chalk` prelude.
    #[arg(long)]
    rust: bool,
}

#[derive(clap::Args)]
struct DesugarArgs {
    /// The `.chalk` file to read.
    file: PathBuf,
    /// Which step to stop after.
    #[arg(long, value_enum, default_value_t = Stage::Gat)]
    stage: Stage,
    /// Which design's rewrite of the method futures to apply (stages `gat` and `chalk`).
    #[arg(long, value_enum, default_value_t = DesignArg::Explicit)]
    design: DesignArg,
    /// When to colour diagnostics (`auto` honours `NO_COLOR` and whether stderr is a terminal).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// After the program, list every rule applied, with the line it rewrote (as comments).
    #[arg(long)]
    rules: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Stage {
    /// The prelude prepended, elided lifetimes named and `async fn` in traits
    /// written as `fn .. -> impl Future<Output = T> + 'a`.
    Async,
    /// Everything desugared: methods as generic associated types, futures as
    /// generated structs, return type notation as quantified bounds (pure
    /// chalk language).
    Gat,
    /// The program clauses chalk derives from the desugared program, as
    /// `chalkboard clauses` prints them.
    Chalk,
}

#[derive(clap::Args)]
struct ClausesArgs {
    /// The `.chalk` file to read.
    file: PathBuf,
    /// How to print the clauses: one per line, or a JSON array of strings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Which design's rewrite of the method futures to apply first.
    #[arg(long, value_enum, default_value_t = DesignArg::Explicit)]
    design: DesignArg,
}

#[derive(clap::Args)]
struct CommonArgs {
    /// The `.chalk` or `.rs` files to read, or directories of them.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    select: suite::SelectArgs,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = suite::RunFormat::Text)]
    format: suite::RunFormat,
    /// When to colour the output (`auto` honours `NO_COLOR` and whether stdout is a terminal).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Deadline for each solve, in seconds.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    timeout: f64,
    /// Override the max size of every solver (chalk's defaults: SLG 10, recursive 30).
    #[arg(long, value_name = "N")]
    max_size: Option<usize>,
    /// Override the recursive solver's overflow depth (chalk's default: 100).
    #[arg(long, value_name = "N")]
    overflow_depth: Option<usize>,
    /// How an impl proves a conditional bound `if (Self: Send) { Send }`.
    #[arg(long, value_enum, default_value_t = ImplicationArg::Assume)]
    implication: ImplicationArg,
    /// Which design gives the futures of `async fn` in traits their `Send` bounds.
    #[arg(long, value_enum, default_value_t = DesignArg::Explicit)]
    design: DesignArg,
    /// After each file, print how long each phase took (parse, desugar, rewrite, lower, check, ..., each goal).
    #[arg(long)]
    timings: bool,
    /// Run again whenever a file is saved, reusing what did not change (docs/cli.md).
    #[arg(long)]
    watch: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum DesignArg {
    /// Futures promise nothing; callers ask with return type notation (what Rust chose).
    Explicit,
    /// Every future is `Send` if `Self` is: `if (Self: Send) { Send }` (rejected).
    Implied,
    /// Every future is `Pin<Box<dyn Future + Send>>` (the `async_trait` crate).
    Boxed,
}

impl DesignArg {
    fn design(self) -> Design {
        match self {
            DesignArg::Explicit => Design::Explicit,
            DesignArg::Implied => Design::Implied,
            DesignArg::Boxed => Design::Boxed,
        }
    }
}

#[derive(clap::Args)]
struct CompareArgs {
    /// The `.chalk` or `.rs` files to compare, or directories of them.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    select: suite::SelectArgs,
    /// How to print the table.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    format: CompareFormat,
    /// Show the diagnostic behind every failing cell.
    #[arg(long)]
    verbose: bool,
    /// Also run rustc (`$RUSTC`, or the one on `PATH`) on each Rust file and
    /// show its verdict and first error beside the designs' (docs/rust.md).
    #[arg(long)]
    rustc: bool,
    /// Under each cell whose verdict differs between the designs, explain it as a tree
    /// (with `--format markdown`, in collapsible `<details>` blocks after the table).
    #[arg(long)]
    explain: bool,
    /// Deadline for each solve, in seconds.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    timeout: f64,
    /// After each file's table, print how long each phase took under each design.
    #[arg(long)]
    timings: bool,
    /// Compare again whenever a file is saved, reusing what did not change (docs/cli.md).
    #[arg(long)]
    watch: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompareFormat {
    /// An aligned text table.
    Text,
    /// A Markdown table that pastes into a design document as is.
    Markdown,
    /// One JSON document.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImplicationArg {
    /// Assume the condition, prove the bound (the standard way to prove an implication).
    Assume,
    /// Decide the condition first; require the bound only if it holds (negative reasoning).
    Decide,
}

#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Which solvers answer goals that name none.
    #[arg(long, value_enum, default_value_t = SolverArg::Both)]
    solver: SolverArg,
    /// Under each failed expectation, explain the goal's answer as a tree (see `chalkboard explain`).
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    bless: suite::BlessArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Human-readable text with rustc-style diagnostics.
    Text,
    /// One JSON document per run (schema in docs/json.md).
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum SolverArg {
    /// SLG (max size 10) and recursive (overflow depth 100, max size 30), compared.
    Both,
    /// chalk's SLG solver only.
    Slg,
    /// chalk's recursive solver only.
    Recursive,
}

/// The exit codes, documented in docs/cli.md.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Exit {
    /// Every program was accepted (or rejected as expected) and every expectation held.
    Success = 0,
    /// A program was rejected, or an expectation failed.
    Failure = 1,
    /// A usage or I/O error.
    Usage = 2,
    /// A goal hit a limit (timeout or overflow).
    Limit = 3,
    /// chalk panicked (the panic was caught and reported).
    Internal = 4,
}

/// One input file and what became of it.
pub struct FileResult {
    pub path: String,
    pub source: String,
    /// The design this run used, when the file names several.
    pub design: Option<String>,
    /// The design this run used, always (a Rust file's revision shows it).
    pub config_name: String,
    /// The file is Rust (`.rs`): its verdicts read as rustc's.
    pub rust: bool,
    pub report: std::sync::Arc<FileReport>,
    /// With `run --explain`: the explanation of each goal with a failed
    /// expectation, by the goal's position.
    pub explanations: std::collections::BTreeMap<usize, chalkboard_solver::explain::Explanation>,
    /// With `--timings`: how long each phase of the run took.
    pub timings: Option<chalkboard_solver::timing::Timings>,
}

fn main() {
    let cli = Cli::parse();
    let code = command(&cli);
    // Rule run-deadline: what the run built is not freed, which at 100,000
    // items takes up to a second; every output has been written and flushed
    // (`print_out`), and ending the process releases it all at once.
    std::process::exit(code as i32)
}

fn command(cli: &Cli) -> Exit {
    match &cli.command {
        Command::Compare(args) => compare::main(args),
        Command::Prelude(args) => {
            print_out(if args.rust {
                chalkboard_rust::MODEL
            } else {
                chalkboard_lowering::desugar::PRELUDE
            });
            Exit::Success
        }
        Command::Desugar(args) => desugar(args),
        Command::Repl(args) => repl::main(args),
        Command::Run(args) => suite::run_or_check(
            &suite::Settings {
                common: &args.common,
                check_only: false,
                solvers: match args.solver {
                    SolverArg::Both => SolverSelection::Both,
                    SolverArg::Slg => SolverSelection::Slg,
                    SolverArg::Recursive => SolverSelection::Recursive,
                },
                explain: args.explain,
                bless: args.bless.clone(),
            },
            &args.common.select,
        ),
        Command::Check(args) => suite::run_or_check(
            &suite::Settings {
                common: args,
                check_only: true,
                solvers: SolverSelection::Both,
                explain: false,
                bless: Default::default(),
            },
            &args.select,
        ),
        Command::Clauses(args) => clauses(args),
        Command::Explain(args) => explain::main(args),
        Command::Rules => {
            print_out(&registry::rules_markdown());
            Exit::Success
        }
        Command::Codes => {
            print_out(&registry::codes_markdown());
            Exit::Success
        }
    }
}

/// Frees `value` on a thread of its own, so that the caller need not wait.
pub(crate) fn release<T: Send + 'static>(value: T) {
    // With no thread to spare, the value is dropped here, as it was before.
    let _ = std::thread::Builder::new()
        .name("chalkboard-free".into())
        .spawn(move || drop(value));
}

pub(crate) fn print_out(out: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error worth a panic.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
}

/// `chalkboard desugar`: parse, desugar up to the chosen step, print. The
/// diagnostics of parsing and desugaring go to stderr.
fn desugar(args: &DesugarArgs) -> Exit {
    let Some(source) = read_source(&args.file) else {
        return Exit::Usage;
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr())
        }
    };
    let db = program::database();
    let file = SourceFile::new(&db, source, Language::of_path(&args.file));
    let path = args.file.display().to_string();
    let printed = program::desugar(&db, file, &path, args.stage, args.design, args.rules, color);
    eprint!("{}", printed.diagnostics);
    print_out(&printed.out);
    printed.exit
}

/// `chalkboard clauses FILE`: the program clauses chalk derives from the
/// program, one per line or as a JSON array.
fn clauses(args: &ClausesArgs) -> Exit {
    let Some(source) = read_source(&args.file) else {
        return Exit::Usage;
    };
    let db = program::database();
    let file = SourceFile::new(&db, source, Language::of_path(&args.file));
    let path = args.file.display().to_string();
    match program::clause_list(&db, file, &path, args.design) {
        Ok((clauses, diagnostics)) => {
            eprint!("{diagnostics}");
            print_out(&match args.format {
                Format::Text => clauses.iter().map(|c| format!("{c}\n")).collect::<String>(),
                Format::Json => {
                    let mut json = serde_json::to_string_pretty(&clauses).unwrap_or_default();
                    json.push('\n');
                    json
                }
            });
            Exit::Success
        }
        Err(printed) => {
            eprint!("{}", printed.diagnostics);
            printed.exit
        }
    }
}

/// Reads a program's source text; an unreadable file is reported on stderr
/// (a usage or I/O error, exit code 2, decided by the caller).
pub fn read_source(path: &std::path::Path) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", path.display());
            None
        }
    }
}
