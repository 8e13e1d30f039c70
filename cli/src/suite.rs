//! A user's programs as a test suite: `run` and `check` on files and
//! directories, the files run in parallel with their output in the order a
//! sequential run prints it, `--bless`, the closing summary and JUnit XML.
//!
//! A directory stands for every `.chalk` and `.rs` file below it, in the
//! order of their paths, leaving out what `.gitignore` (and `.ignore`)
//! files and hidden directories exclude, as ripgrep does (the `ignore`
//! crate).
//!
//! Each file runs on a worker thread of its own pool (`--jobs`), in a
//! database of its own; its output is rendered on the worker and printed
//! as soon as every earlier file's has been. A panic while running a file
//! is caught and reported for that file alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::ValueEnum;

use chalkboard_designs::Implication;
use chalkboard_solver::db::{Language, SourceFile};
use chalkboard_solver::run::ExpectationStatus;
use chalkboard_solver::{Limits, RunOptions, SolverSelection};
use chalkboard_syntax::codes;
use chalkboard_syntax::registry::Code;

use crate::program::{self, RunPlan};
use crate::{bless, text, ColorChoice, CommonArgs, Exit, FileResult, ImplicationArg};

/// Which files and goals to run, and on how many threads.
#[derive(clap::Args, Clone, Default)]
pub struct SelectArgs {
    /// Keep only the files whose path contains TEXT, and in other files only
    /// the goals whose text contains it (`compare` keeps a file whole when
    /// its path or text contains it).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// How many files run at once (default: one per core; `--jobs 1` runs
    /// them one after the other).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// `run --bless` and `--dry-run`.
#[derive(clap::Args, Clone, Default)]
pub struct BlessArgs {
    /// Rewrite each file's expectations to what chalkboard now answers, in
    /// place, and print the diff of every change.
    #[arg(long)]
    pub bless: bool,
    /// With `--bless`: print the diff, write nothing.
    #[arg(long, requires = "bless")]
    pub dry_run: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RunFormat {
    /// Human-readable text with rustc-style diagnostics.
    Text,
    /// One JSON document per run (schema in docs/json.md).
    Json,
    /// JUnit XML, one test suite per file and one test case per goal, for CI systems.
    Junit,
}

/// A path the command line was given that names no program: the code and
/// the sentences of an error with no source to point at.
struct PathError {
    code: Code,
    message: String,
    help: String,
}

impl PathError {
    fn render(&self) -> String {
        format!(
            "error[{}]: {}\n  = help: {}\n",
            self.code.name, self.message, self.help
        )
    }
}

/// The programs the paths stand for: each file as given, and each
/// directory's `.chalk` and `.rs` files, not ignored, sorted by path. The
/// `bool` says whether a directory was among the paths.
fn expand(paths: &[PathBuf], filter: Option<&str>) -> Result<(Vec<PathBuf>, bool), PathError> {
    let mut files = Vec::new();
    let mut any_directory = false;
    for path in paths {
        if path.is_dir() {
            any_directory = true;
            let mut found = Vec::new();
            let walk = ignore::WalkBuilder::new(path)
                .hidden(true)
                .git_ignore(true)
                .git_exclude(true)
                .ignore(true)
                // A tree that is not (yet) a git repository still has its
                // `.gitignore` respected, as the user wrote it.
                .require_git(false)
                .build();
            for entry in walk {
                let entry = entry.map_err(|e| PathError {
                    code: codes::UNREADABLE_PROGRAM,
                    message: format!("cannot read the directory `{}`: {e}", path.display()),
                    help: "check its permissions, or name the files to run".to_string(),
                })?;
                let is_program = entry.file_type().is_some_and(|t| t.is_file())
                    && entry
                        .path()
                        .extension()
                        .is_some_and(|e| e == "chalk" || e == "rs");
                if is_program {
                    found.push(entry.into_path());
                }
            }
            found.sort();
            if found.is_empty() {
                return Err(PathError {
                    code: codes::NO_PROGRAMS,
                    message: format!(
                        "the directory `{}` holds no `.chalk` or `.rs` file",
                        path.display()
                    ),
                    help: "name a directory with programs in it; files that `.gitignore` excludes and hidden directories are left out".to_string(),
                });
            }
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(PathError {
                code: codes::NO_SUCH_PATH,
                message: format!("cannot read `{}`: it does not exist", path.display()),
                help: "name an existing `.chalk` or `.rs` file, or a directory of them".to_string(),
            });
        }
    }
    if let Some(filter) = filter {
        // A file stays when its path names the text, or when its text holds
        // it (a goal might); which goals stay is decided after the run.
        files.retain(|f| {
            f.display().to_string().contains(filter)
                || std::fs::read_to_string(f).is_ok_and(|text| text.contains(filter))
        });
        if files.is_empty() {
            return Err(PathError {
                code: codes::NO_PROGRAMS,
                message: format!("no file or goal matches `--filter {filter}`"),
                help: "a file is kept when its path contains the text, and a goal when its text does; check the spelling".to_string(),
            });
        }
    }
    Ok((files, any_directory))
}

/// The files `compare` runs: [`expand`]ed, or the error printed (exit 2).
pub fn compare_files(paths: &[PathBuf], select: &SelectArgs) -> Result<Vec<PathBuf>, Exit> {
    match expand(paths, select.filter.as_deref()) {
        Ok((files, _)) => Ok(files),
        Err(e) => {
            eprint!("{}", e.render());
            Err(Exit::Usage)
        }
    }
}

/// What `run` or `check` does with each file.
pub struct Settings<'a> {
    pub common: &'a CommonArgs,
    pub check_only: bool,
    pub solvers: SolverSelection,
    pub explain: bool,
    pub bless: BlessArgs,
}

/// What became of one file.
struct FileRun {
    path: String,
    /// Every run of the file (one per configuration or revision), after
    /// `--bless` the runs of the blessed text.
    results: Vec<FileResult>,
    exit: Exit,
    /// The text output of the file (text format), diffs included.
    text: String,
    /// Diffs and notes for stderr (formats other than text).
    stderr: String,
    tally: text::Tally,
    elapsed: Duration,
    /// `--bless` changed (or, with `--dry-run`, would change) the file.
    blessed: bool,
    /// A run without `--bless` has a diff that `--bless` would apply.
    blessable: bool,
    /// `--filter` left the file out: none of its goals names the text.
    filtered_out: bool,
}

/// `run` and `check`: every file through the pipeline, in parallel, each
/// file's output printed in order, then the closing lines.
pub fn run_or_check(settings: &Settings<'_>, select: &SelectArgs) -> Exit {
    let common = settings.common;
    if !(common.timeout.is_finite() && common.timeout > 0.0) {
        eprintln!("error: `--timeout` must be a positive number of seconds");
        return Exit::Usage;
    }
    let started = Instant::now();
    let (files, any_directory) = match expand(&common.files, select.filter.as_deref()) {
        Ok(found) => found,
        Err(e) => {
            eprint!("{}", e.render());
            return Exit::Usage;
        }
    };
    let color = match common.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
        }
    };
    if common.watch {
        return watch(settings, select, &files, color);
    }
    let jobs = jobs(select, files.len());
    let text_format = matches!(common.format, RunFormat::Text);

    let mut runs: Vec<FileRun> = Vec::with_capacity(files.len());
    let mut tally = text::Tally::default();
    let mut exit = Exit::Success;
    in_order(
        &files,
        jobs,
        |path| guarded_file(path, settings, select, color),
        |run| {
            if text_format {
                crate::print_out(&run.text);
            } else {
                eprint!("{}", run.stderr);
            }
            tally.add(run.tally);
            exit = exit.max(run.exit);
            runs.push(run);
        },
    );
    let elapsed = started.elapsed();
    runs.retain(|r| !r.filtered_out);
    if runs.is_empty() {
        let filter = select.filter.as_deref().unwrap_or_default();
        eprint!(
            "{}",
            PathError {
                code: codes::NO_PROGRAMS,
                message: format!("no file or goal matches `--filter {filter}`"),
                help: "a file is kept when its path contains the text, and a goal when its text does; check the spelling".to_string(),
            }
            .render()
        );
        return Exit::Usage;
    }

    // The summary goes to stderr: it holds times, which would make two runs'
    // outputs differ.
    let summary = (any_directory || files.len() > 1 || settings.bless.bless)
        .then(|| summary(&runs, elapsed, jobs, settings));
    match common.format {
        RunFormat::Text => {
            if !settings.check_only {
                crate::print_out(&tally.line(runs.len()));
            }
        }
        RunFormat::Json => {
            let results: Vec<FileResult> =
                runs.iter_mut().flat_map(|r| r.results.drain(..)).collect();
            crate::print_out(&crate::json::render(&results));
            std::mem::forget(results);
        }
        RunFormat::Junit => crate::print_out(&junit(&runs, elapsed)),
    }
    if let Some(summary) = summary {
        eprint!("{summary}");
    }
    if runs.iter().any(|r| r.blessable) {
        eprintln!("hint: re-run with `--bless` to write chalkboard's answers into the failed expectations (`--bless --dry-run` only shows the diff)");
    }
    // Rule run-deadline: what the runs built is released when the process
    // ends, all at once.
    std::mem::forget(runs);
    exit
}

/// `run --watch` and `check --watch` over the files found: text or JSON,
/// never `--bless` (a watch that rewrote the files it watches would see
/// its own saves).
fn watch(settings: &Settings<'_>, select: &SelectArgs, files: &[PathBuf], color: bool) -> Exit {
    let format = match settings.common.format {
        RunFormat::Text => crate::Format::Text,
        RunFormat::Json => crate::Format::Json,
        RunFormat::Junit => {
            eprintln!("error: `--watch` prints text or JSON: leave out `--format junit`");
            return Exit::Usage;
        }
    };
    if settings.bless.bless {
        eprintln!("error: `--watch` and `--bless` do not go together: a watch that rewrote the files it watches would see its own saves; bless once, then watch");
        return Exit::Usage;
    }
    let plan_of = |path: &Path| {
        let name = path.display().to_string();
        plan(
            settings,
            select.filter.as_deref().filter(|f| !name.contains(f)),
        )
    };
    crate::watch::run(files, plan_of, settings.check_only, format, color)
}

/// Runs `work` on every file on `jobs` worker threads, and hands each
/// result to `done` on the calling thread in the order of the files, as
/// soon as it and every result before it are ready.
///
/// Each worker takes the next file not yet taken. With one job the files
/// start in order; with several, the costliest start first (by
/// [`expected_cost`]), so that a slow file does not start last and leave
/// the other threads idle while it ends the run alone.
pub fn in_order<R: Send>(
    files: &[PathBuf],
    jobs: usize,
    work: impl Fn(&Path) -> R + Sync,
    mut done: impl FnMut(R),
) {
    let mut start_order: Vec<usize> = (0..files.len()).collect();
    if jobs > 1 {
        let costs: Vec<u64> = files.iter().map(|f| expected_cost(f)).collect();
        start_order.sort_by_key(|i| std::cmp::Reverse(costs[*i]));
    }
    let next = AtomicUsize::new(0);
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        let (next, work, start_order) = (&next, &work, &start_order);
        let take = move |sender: &std::sync::mpsc::Sender<(usize, R)>| {
            while let Some(&i) = start_order.get(next.fetch_add(1, Ordering::Relaxed)) {
                if sender.send((i, work(&files[i]))).is_err() {
                    break;
                }
            }
        };
        let mut spawned = 0;
        for worker in 0..jobs.max(1) {
            let sender = sender.clone();
            let thread = std::thread::Builder::new()
                .name(format!("chalkboard-file-{worker}"))
                // Parsing and desugaring recurse on deeply nested programs;
                // the main thread they ran on before had 8 MiB.
                .stack_size(64 * 1024 * 1024)
                .spawn_scoped(scope, move || take(&sender));
            spawned += usize::from(thread.is_ok());
        }
        if spawned == 0 {
            // With no thread to spare, the items run here, in order.
            take(&sender);
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut handed = 0;
        for (i, result) in receiver {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&handed) {
                done(result);
                handed += 1;
            }
        }
    });
}

/// What a file is expected to cost to run, to start the costliest first:
/// its size, ten times over for a Rust file, whose function bodies are
/// checked under each design beside the model of the standard library.
fn expected_cost(path: &Path) -> u64 {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if path.extension().is_some_and(|e| e == "rs") {
        size * 10
    } else {
        size
    }
}

/// How many files run at once: `--jobs`, or one per core, and never more
/// than there are files.
pub fn jobs(select: &SelectArgs, files: usize) -> usize {
    select
        .jobs
        .filter(|j| *j > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(files.max(1))
}

/// One file, with a panic anywhere in it reported as the file's internal
/// error rather than ending the whole run.
fn guarded_file(path: &Path, settings: &Settings<'_>, select: &SelectArgs, color: bool) -> FileRun {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        one_file(path, settings, select, color)
    }));
    match outcome {
        Ok(mut run) => {
            run.elapsed = started.elapsed();
            run
        }
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_string());
            let message = format!(
                "error[internal-error]: chalkboard panicked while running `{}`: {why}\n  = help: this is a bug in chalkboard; the other files were not disturbed\n",
                path.display()
            );
            FileRun {
                path: path.display().to_string(),
                results: Vec::new(),
                exit: Exit::Internal,
                text: message.clone(),
                stderr: message,
                tally: text::Tally::default(),
                elapsed: started.elapsed(),
                blessed: false,
                blessable: false,
                filtered_out: false,
            }
        }
    }
}

/// How many times `--bless` re-runs a file whose rewritten text still
/// fails: `yields_all` learns one more answer than it stated each round.
const BLESS_ROUNDS: usize = 4;

fn one_file(path: &Path, settings: &Settings<'_>, select: &SelectArgs, color: bool) -> FileRun {
    let name = path.display().to_string();
    let mut run = FileRun {
        path: name.clone(),
        results: Vec::new(),
        exit: Exit::Success,
        text: String::new(),
        stderr: String::new(),
        tally: text::Tally::default(),
        elapsed: Duration::ZERO,
        blessed: false,
        blessable: false,
        filtered_out: false,
    };
    let source = match std::fs::read_to_string(path) {
        Ok(source) => source,
        Err(e) => {
            let error = PathError {
                code: codes::UNREADABLE_PROGRAM,
                message: format!("cannot read `{name}`: {e}"),
                help: "check that the path names a readable UTF-8 text file".to_string(),
            }
            .render();
            run.text = error.clone();
            run.stderr = error;
            run.exit = Exit::Usage;
            return run;
        }
    };
    let filter = select.filter.as_deref().filter(|f| !name.contains(f));
    let (mut results, mut exit) = run_source(path, &source, settings, filter);
    if filter.is_some() && results.iter().all(|r| r.report.goals.is_empty()) {
        // `--filter` kept this file for a goal, and none of its goals names
        // the text: it is left out.
        run.filtered_out = true;
        return run;
    }
    let mut notes = Vec::new();
    let mut diff = String::new();
    if settings.bless.bless {
        // Bless until the text stops changing (or the rounds run out).
        let mut text = source.clone();
        for round in 0..BLESS_ROUNDS {
            // Expectations are added in the first round only: a program
            // whose rejection swallows what was added (an unclosed comment)
            // would otherwise get it again each round.
            let blessing = bless::blessing(&results, round == 0);
            notes = blessing.unblessable;
            let new = chalkboard_syntax::bless::apply(&text, &blessing.edits);
            if new == text {
                break;
            }
            text = new;
            (results, exit) = run_source(path, &text, settings, filter);
        }
        if text != source {
            run.blessed = true;
            diff = bless::diff(
                &name,
                &source,
                &text,
                color && matches!(settings.common.format, RunFormat::Text),
            );
            if !settings.bless.dry_run {
                if let Err(e) = std::fs::write(path, &text) {
                    let error = PathError {
                        code: codes::UNREADABLE_PROGRAM,
                        message: format!("cannot write the blessed `{name}`: {e}"),
                        help: "check the file's permissions; nothing was written".to_string(),
                    }
                    .render();
                    notes.insert(0, error);
                    exit = exit.max(Exit::Usage);
                }
            }
            if settings.bless.dry_run {
                // What the file says has not changed: its runs stand.
                (results, exit) = run_source(path, &source, settings, filter);
            }
        }
    } else if !settings.check_only {
        let blessing = bless::blessing(&results, false);
        let new = chalkboard_syntax::bless::apply(&source, &blessing.edits);
        if new != source {
            run.blessable = true;
            diff = bless::diff(&name, &source, &new, color);
        }
    }
    let mut tally = text::Tally::default();
    let mut out = text::render_files(&results, color, settings.check_only, &mut tally);
    let mut extra = String::new();
    extra.push_str(&diff);
    for note in &notes {
        extra.push_str(&format!("note: {name}: {note}\n"));
    }
    out.push_str(&extra);
    run.text = out;
    run.stderr = extra;
    run.tally = tally;
    run.exit = exit;
    run.results = results;
    run
}

/// The plan of one file's runs: `run`'s settings, and the goal filter.
fn plan(settings: &Settings<'_>, goal_filter: Option<&str>) -> RunPlan {
    let common = settings.common;
    let config = chalkboard_designs::config(
        common.design.design(),
        match common.implication {
            ImplicationArg::Assume => Implication::Assume,
            ImplicationArg::Decide => Implication::Decide,
        },
    );
    RunPlan {
        options: RunOptions {
            solvers: settings.solvers,
            check_only: settings.check_only,
            solve_despite_impl_errors: false,
            limits: Limits {
                timeout: Duration::from_secs_f64(common.timeout),
                max_size: common.max_size,
                overflow_depth: common.overflow_depth,
            },
        },
        config,
        check_only: settings.check_only,
        explain: settings.explain,
        timings: common.timings,
        goal_filter: goal_filter.map(str::to_string),
    }
}

/// Runs one file's text under each configuration it names, as `run` does
/// ([`program::file_results`]), keeping with `goal_filter` only the goals
/// whose text contains it. Returns the runs and the file's exit code.
fn run_source(
    path: &Path,
    source: &str,
    settings: &Settings<'_>,
    goal_filter: Option<&str>,
) -> (Vec<FileResult>, Exit) {
    let db = program::database();
    let file = SourceFile::new(&db, source.to_string(), Language::of_path(path));
    let found = program::file_results(
        &db,
        file,
        &path.display().to_string(),
        &plan(settings, goal_filter),
    );
    // Rule run-deadline: the next file does not wait for this one's
    // database to be freed.
    crate::release(db);
    found
}

/// The closing summary, as a test runner prints it.
fn summary(runs: &[FileRun], elapsed: Duration, jobs: usize, settings: &Settings<'_>) -> String {
    let (mut goals, mut held, mut failed, mut skipped) = (0, 0, 0, 0);
    for r in runs.iter().flat_map(|run| &run.results) {
        goals += r.report.goals.len();
        for g in &r.report.goals {
            for e in &g.expectations {
                match e.status {
                    ExpectationStatus::Holds => held += 1,
                    ExpectationStatus::Fails { .. } => failed += 1,
                    ExpectationStatus::Skipped { .. } => skipped += 1,
                }
            }
        }
        for e in &r.report.expected_errors {
            if e.holds {
                held += 1;
            } else {
                failed += 1;
            }
        }
        if let Some(check) = &r.report.annotations {
            for a in &check.annotations {
                if matches!(
                    a.status,
                    chalkboard_solver::annotations::AnnotationStatus::Matched { .. }
                ) {
                    held += 1;
                } else {
                    failed += 1;
                }
            }
            failed += check.unannotated.len();
        }
    }
    let failing_files = runs
        .iter()
        .filter(|r| r.exit == Exit::Failure || r.exit == Exit::Internal)
        .count();
    let mut out = format!(
        "\nsummary: {} file(s) ({} failed), {goals} goal(s), {held} expectation(s) held, {failed} failed, {skipped} skipped, in {:.2} s on {jobs} thread(s)\n",
        runs.len(),
        failing_files,
        elapsed.as_secs_f64()
    );
    let mut slowest: Vec<&FileRun> = runs.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.elapsed));
    if runs.len() > 1 {
        out.push_str("slowest:");
        for r in slowest.iter().take(3) {
            out.push_str(&format!(" {} ({:.2} s)", r.path, r.elapsed.as_secs_f64()));
        }
        out.push('\n');
    }
    let bless = &settings.bless;
    let blessed = runs.iter().filter(|r| r.blessed).count();
    if bless.bless && bless.dry_run {
        out.push_str(&format!(
            "--dry-run: {blessed} file(s) would be blessed; nothing was written\n"
        ));
    } else if bless.bless {
        out.push_str(&format!("blessed {blessed} file(s)\n"));
    }
    out
}

/// The runs as JUnit XML: one `<testsuite>` per file, one `<testcase>` per
/// goal (failed when an expectation failed or the goal did not lower), one
/// for the file's expected errors or rejection, and one for a Rust file's
/// annotations.
fn junit(runs: &[FileRun], elapsed: Duration) -> String {
    let mut suites = String::new();
    let (mut total_tests, mut total_failures) = (0, 0);
    for run in runs {
        let results = &run.results;
        let mut cases = String::new();
        let (mut tests, mut failures) = (0, 0);
        let mut case = |name: String, failure: Option<String>| {
            tests += 1;
            match failure {
                Some(message) => {
                    failures += 1;
                    cases.push_str(&format!(
                        "    <testcase name=\"{}\" classname=\"{}\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                        xml(&name),
                        xml(&run.path),
                        xml(first_line(&message)),
                        xml(&message)
                    ));
                }
                None => cases.push_str(&format!(
                    "    <testcase name=\"{}\" classname=\"{}\"/>\n",
                    xml(&name),
                    xml(&run.path)
                )),
            }
        };
        if results.is_empty() {
            case("file".to_string(), Some(run.text.clone()));
        }
        for r in results {
            let under = r
                .design
                .as_ref()
                .map_or(String::new(), |d| format!(" [{d}]"));
            let line = |offset: u32| {
                r.source.as_bytes()[..(offset as usize).min(r.source.len())]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1
            };
            if let Some(check) = &r.report.annotations {
                let failed: Vec<String> = check
                    .annotations
                    .iter()
                    .filter(|a| {
                        !matches!(
                            a.status,
                            chalkboard_solver::annotations::AnnotationStatus::Matched { .. }
                        )
                    })
                    .map(|a| {
                        format!(
                            "line {}: {} matched nothing",
                            a.annotation.line,
                            text::annotation_text(&a.annotation)
                        )
                    })
                    .chain(
                        check
                            .unannotated
                            .iter()
                            .filter_map(|i| r.report.diagnostics.get(*i))
                            .map(|d| {
                                format!(
                                    "line {}: unannotated: {}",
                                    line(d.primary.span.start),
                                    d.message
                                )
                            }),
                    )
                    .collect();
                case(
                    format!("annotations{under}"),
                    (!failed.is_empty()).then(|| failed.join("\n")),
                );
                continue;
            }
            if r.report.rejected || !r.report.expected_errors.is_empty() {
                let failed: Vec<String> = r
                    .report
                    .expected_errors
                    .iter()
                    .filter(|e| !e.holds)
                    .map(|e| {
                        format!(
                            "line {}: expected rejection {:?} did not happen",
                            line(e.span.start),
                            e.expected
                        )
                    })
                    .collect();
                let unexpected = r.report.rejected && r.report.expected_errors.is_empty();
                let failure = if unexpected {
                    Some(
                        r.report
                            .diagnostics
                            .iter()
                            .filter(|d| d.is_error())
                            .map(|d| {
                                format!(
                                    "line {}: error[{}]: {}",
                                    line(d.primary.span.start),
                                    d.code.name,
                                    d.message
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("\n"),
                    )
                } else {
                    (!failed.is_empty()).then(|| failed.join("\n"))
                };
                case(format!("program{under}"), failure);
            }
            for g in &r.report.goals {
                let name = format!(
                    "line {}: goal {{ {} }}{under}",
                    line(g.span.start),
                    text::one_line(&g.text)
                );
                let failure = match &g.error {
                    Some(d) => Some(format!("error[{}]: {}", d.code.name, d.message)),
                    None => {
                        let failed: Vec<String> = g
                            .expectations
                            .iter()
                            .filter_map(|e| match &e.status {
                                ExpectationStatus::Fails { actual } => {
                                    Some(format!("{} failed; got: {actual}", e.description))
                                }
                                _ => None,
                            })
                            .collect();
                        (!failed.is_empty()).then(|| failed.join("\n"))
                    }
                };
                case(name, failure);
            }
        }
        total_tests += tests;
        total_failures += failures;
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{:.3}\">\n{cases}  </testsuite>\n",
            xml(&run.path),
            run.elapsed.as_secs_f64()
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"chalkboard\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\" time=\"{:.3}\">\n{suites}</testsuites>\n",
        elapsed.as_secs_f64()
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// `text` escaped for XML text and attribute values; characters XML 1.0
/// cannot hold (most control characters) are left out.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}
