//! The incremental pipeline on salsa.
//!
//! The source text of a file is an input; parsing, lowering, checking and
//! solving are derived from it, so a watch mode or a REPL that edits a file
//! re-runs only what the edit touches: an edit that leaves the syntax tree
//! unchanged (a comment, whitespace) re-uses the lowered program, the checks
//! and every answer.

use std::sync::{Arc, Mutex};

use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast;
use chalkboard_syntax::Diagnostic;

use crate::run::{FileReport, RunOptions};

/// The database: salsa's storage, and optionally a log of the queries that
/// re-executed (for tests of incrementality and for `--verbose` tools).
#[salsa::db]
#[derive(Clone, Default)]
pub struct Database {
    storage: salsa::Storage<Self>,
    executed: Option<Arc<Mutex<Vec<String>>>>,
}

impl Database {
    /// A database that records the name of every query it executes.
    pub fn with_execution_log() -> Database {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        Database {
            storage: salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
                if let salsa::EventKind::WillExecute { database_key } = event.kind {
                    let key = format!("{database_key:?}");
                    // Keep the query's name, drop the salsa id.
                    let name = key.split('(').next().unwrap_or(&key).to_string();
                    if let Ok(mut log) = sink.lock() {
                        log.push(name);
                    }
                }
            }))),
            executed: Some(log),
        }
    }

    /// The queries executed since the last call, in order.
    pub fn take_executed(&self) -> Vec<String> {
        self.executed
            .as_ref()
            .and_then(|log| log.lock().ok().map(|mut l| std::mem::take(&mut *l)))
            .unwrap_or_default()
    }
}

#[salsa::db]
impl salsa::Database for Database {}

/// One `.chalk` file's text.
#[salsa::input]
pub struct SourceFile {
    #[returns(ref)]
    pub text: String,
}

/// Compares by pointer: a freshly computed value is never equal to an old
/// one, so salsa re-runs what depends on it unless an earlier query
/// backdated (its own result compared equal).
#[derive(Clone, Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
impl<T> Eq for Shared<T> {}

/// The syntax tree and the parser's diagnostics. Compared structurally, so an
/// edit that does not change the tree stops here.
#[salsa::tracked(returns(ref))]
pub fn parsed(db: &dyn salsa::Database, file: SourceFile) -> (ast::File, Vec<Diagnostic>) {
    chalkboard_syntax::parse_file(file.text(db))
}

/// The program in chalk's language: the desugaring of every extension
/// (async fn, `impl Trait`, return type notation, the prelude), then the
/// design's rewrite of the method futures.
#[salsa::tracked(returns(ref))]
pub fn desugared(
    db: &dyn salsa::Database,
    file: SourceFile,
    options: Options,
) -> (ast::File, Vec<Diagnostic>) {
    let (tree, parse_diagnostics) = parsed(db, file);
    if parse_diagnostics.iter().any(|d| d.is_error()) {
        return (tree.clone(), Vec::new());
    }
    let (core, diagnostics) = desugar_extensions(tree);
    let design = options.run_options(db).design;
    (crate::designs::apply(tree, &core, design), diagnostics)
}

/// Removes every chalkboard extension from the tree: the prelude prepended,
/// methods turned into generic associated types, return type notation into
/// quantified bounds. Goals are desugared too, since return type notation
/// may appear in them.
fn desugar_extensions(tree: &ast::File) -> (ast::File, Vec<Diagnostic>) {
    chalkboard_lowering::desugar::desugar(tree)
}

/// The lowered program (none when parsing, desugaring or lowering failed)
/// and the desugaring and lowering diagnostics.
#[salsa::tracked(returns(ref))]
pub fn lowered(
    db: &dyn salsa::Database,
    file: SourceFile,
    options: Options,
) -> (Option<Shared<Program>>, Vec<Diagnostic>) {
    let (_, parse_diagnostics) = parsed(db, file);
    if parse_diagnostics.iter().any(|d| d.is_error()) {
        return (None, Vec::new());
    }
    let (tree, desugar_diagnostics) = desugared(db, file, options);
    let program_diagnostics: Vec<Diagnostic> = desugar_diagnostics
        .iter()
        .filter(|d| goal_index(tree, d).is_none())
        .cloned()
        .collect();
    if program_diagnostics.iter().any(|d| d.is_error()) {
        // Lowering a tree with extension nodes left in it would only repeat
        // the desugaring errors as `unsupported-here`.
        return (None, program_diagnostics);
    }
    let (program, diagnostics) = chalkboard_lowering::lower::lower_file(tree);
    let mut all = program_diagnostics;
    all.extend(diagnostics);
    (program.map(Shared), all)
}

/// The goal block a desugaring diagnostic points into, if any: an error in
/// a goal (say, return type notation on an unknown method) is that goal's
/// error, reported with it, and does not reject the program.
fn goal_index(tree: &ast::File, d: &Diagnostic) -> Option<usize> {
    let span = d.primary.span;
    tree.goals
        .iter()
        .position(|g| g.span.start <= span.start && span.end <= g.span.end)
}

/// The whole report for a file under the given options.
#[salsa::tracked(returns(ref))]
pub fn report(db: &dyn salsa::Database, file: SourceFile, options: Options) -> Shared<FileReport> {
    let (_, parse_diagnostics) = parsed(db, file);
    let (core, _) = desugared(db, file, options);
    let (program, lower_diagnostics) = lowered(db, file, options);
    let mut diagnostics = parse_diagnostics.clone();
    diagnostics.extend(lower_diagnostics.iter().cloned());
    let mut report = crate::run::run_file(
        core,
        diagnostics,
        program.as_ref().map(|p| Arc::clone(&p.0)),
        options.run_options(db),
    );
    if !parse_diagnostics.iter().any(|d| d.is_error()) {
        // A goal that desugaring could not rewrite reports the desugaring
        // error in place of the lowering error its leftover nodes caused.
        let (desugared_tree, desugar_diagnostics) = desugared(db, file, options);
        for d in desugar_diagnostics.iter().filter(|d| d.is_error()) {
            if let Some(i) = goal_index(desugared_tree, d) {
                if let Some(goal) = report.goals.get_mut(i) {
                    if goal.error.as_ref().is_none_or(|e| e.code != d.code) {
                        goal.error = Some(d.clone());
                        goal.runs.clear();
                        goal.expectations.clear();
                    }
                }
            }
        }
    }
    Shared(Arc::new(report))
}

/// The options of a run, interned so they can key a query.
#[salsa::input]
pub struct Options {
    #[returns(ref)]
    pub run_options: RunOptions,
}

/// Runs one file's text through the pipeline.
pub fn run_text(text: &str, options: &RunOptions) -> Arc<FileReport> {
    let db = Database::default();
    let file = SourceFile::new(&db, text.to_string());
    let options = Options::new(&db, options.clone());
    Arc::clone(&report(&db, file, options).0)
}

/// A design together with the implication rule its impls use.
pub type Config = (crate::designs::Design, crate::conditional::Implication);

/// Runs one file's text under the options' design and implication rule, and
/// under every other design or rule its expectations name
/// (`yields[design = implied] { .. }`, `error_msg[implication = decide] { .. }`),
/// sharing the parse between the runs.
pub fn run_text_all_designs(text: &str, options: &RunOptions) -> Vec<(Config, Arc<FileReport>)> {
    use crate::conditional::Implication;
    use crate::designs::Design;
    let db = Database::default();
    let file = SourceFile::new(&db, text.to_string());
    let base = (options.design, options.implication);
    let mut configs = vec![base];
    let (tree, _) = parsed(&db, file);
    let named = tree
        .goals
        .iter()
        .flat_map(|b| &b.expectations)
        .map(|e| (e.design.as_ref(), e.implication.as_ref()))
        .chain(
            tree.expected_errors
                .iter()
                .map(|e| (e.design.as_ref(), e.implication.as_ref())),
        );
    for (design, implication) in named {
        let design = match design {
            None => base.0,
            Some(d) => match Design::from_name(&d.text) {
                Some(d) => d,
                None => continue,
            },
        };
        let implication = match implication.map(|i| i.text.as_str()) {
            None => base.1,
            Some("assume") => Implication::Assume,
            Some("decide") => Implication::Decide,
            Some(_) => continue,
        };
        if !configs.contains(&(design, implication)) {
            configs.push((design, implication));
        }
    }
    configs
        .into_iter()
        .map(|(design, implication)| {
            let mut o = options.clone();
            o.design = design;
            o.implication = implication;
            let input = Options::new(&db, o);
            (
                (design, implication),
                Arc::clone(&report(&db, file, input).0),
            )
        })
        .collect()
}
