//! The incremental pipeline on salsa.
//!
//! ```text
//! SourceFile ─ parsed ─ desugared ─ rewritten(rewrite) ─ lowered(rewrite) ─┬─ checked ──────┐
//!                                                                            ├─ layer_checks ─┼─ report
//!                                                                            └─ goal_runs ────┘
//! ```
//!
//! The source text of a file is an input; so are the [`Settings`] of a run.
//! Every query reads only what it needs, so an edit or a switch re-runs only
//! what it touches:
//! - an edit that leaves the syntax tree unchanged (a comment, whitespace)
//!   re-uses the lowered program, the checks and every answer;
//! - `rewritten` and `lowered` are keyed on the layer's rewrite alone, so
//!   two configurations with the same rewrite share one lowered program;
//! - switching only the layer's rule (`--implication`) re-runs only the
//!   layer's checks (and the cheap assembly of the report).
//!
//! The layer (see [`crate::layer`]) is part of the database, not of the
//! keys: one database serves one layer.

use std::sync::{Arc, Mutex};

use chalkboard_lowering::desugar::Desugared;
use chalkboard_lowering::program::Program;
use chalkboard_syntax::ast;
use chalkboard_syntax::registry::Applied;
use chalkboard_syntax::Diagnostic;

use crate::bodies::BodyFacts;
use crate::layer::{CheckInput, Config, Layer, LayerReport, NoLayer};
use crate::run::{FileReport, GoalReport, RunOptions};

/// The database's view for queries: salsa's, plus the layer.
#[salsa::db]
pub trait Db: salsa::Database {
    fn layer(&self) -> &dyn Layer;
    /// The checks kept from one program of a file to the next (rule
    /// check-reuse), in a database kept across edits.
    fn check_memo(&self) -> Option<&crate::reuse::CheckMemo>;
}

/// The database: salsa's storage, the layer, and optionally a log of the
/// queries that re-executed (for tests of incrementality).
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    layer: Arc<dyn Layer>,
    executed: Option<Arc<Mutex<Vec<String>>>>,
    /// The settings inputs made so far, so that a run under settings
    /// equal to an earlier one's reuses that run's memoized queries (they
    /// are keyed on the input, not on its value).
    settings: Arc<Mutex<Vec<Settings>>>,
    /// Rule check-reuse, in a database kept across edits.
    check_memo: Option<Arc<crate::reuse::CheckMemo>>,
}

impl Default for Database {
    fn default() -> Self {
        Database::new(Arc::new(NoLayer))
    }
}

impl Database {
    /// A database for runs under `layer`.
    pub fn new(layer: Arc<dyn Layer>) -> Database {
        Database {
            storage: salsa::Storage::default(),
            layer,
            executed: None,
            settings: Arc::default(),
            check_memo: None,
        }
    }

    /// A database kept across edits of its files (the REPL, `--watch`):
    /// each check of a program that passed is kept with what it read, and
    /// the next program of the same file reuses it where nothing it read
    /// changed (rule check-reuse). Recording what each check reads costs a
    /// little, which a one-shot run does not pay.
    pub fn kept_across_edits(mut self) -> Database {
        self.check_memo = Some(Arc::default());
        self
    }

    /// A database that records the name of every query it executes.
    pub fn with_execution_log(layer: Arc<dyn Layer>) -> Database {
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
            layer,
            executed: Some(log),
            settings: Arc::default(),
            check_memo: None,
        }
    }

    /// The settings input for a run with `options` under `config`: the
    /// one made earlier for equal settings, or a new one.
    pub fn settings(&self, options: &RunOptions, config: Config) -> Settings {
        let Ok(mut made) = self.settings.lock() else {
            return Settings::new(self, options.clone(), config.rewrite, config.rule);
        };
        let same = made
            .iter()
            .copied()
            .find(|s| s.run(self) == options && s.config(self) == config);
        same.unwrap_or_else(|| {
            let settings = Settings::new(self, options.clone(), config.rewrite, config.rule);
            made.push(settings);
            settings
        })
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

#[salsa::db]
impl Db for Database {
    fn check_memo(&self) -> Option<&crate::reuse::CheckMemo> {
        self.check_memo.as_deref()
    }

    fn layer(&self) -> &dyn Layer {
        &*self.layer
    }
}

/// One source file's text, and the language it is written in.
#[salsa::input]
pub struct SourceFile {
    #[returns(ref)]
    pub text: String,
    pub language: Language,
}

/// The languages chalkboard reads.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Language {
    /// chalk's test language with chalkboard's extensions (`.chalk`).
    Chalk,
    /// Rust (`.rs`), read with rust-analyzer's parser beside the model of
    /// the standard library.
    Rust,
}

impl Language {
    /// The language of a file, by its extension: `.rs` is Rust, anything
    /// else chalk's language.
    pub fn of_path(path: &std::path::Path) -> Language {
        if path.extension().is_some_and(|e| e == "rs") {
            Language::Rust
        } else {
            Language::Chalk
        }
    }
}

/// How a run is configured: the solver settings, and the layer's
/// configuration in its two parts (see [`Config`]).
#[salsa::input]
pub struct Settings {
    #[returns(ref)]
    pub run: RunOptions,
    pub rewrite: &'static str,
    pub rule: &'static str,
}

impl Settings {
    pub fn config(self, db: &dyn Db) -> Config {
        Config {
            rewrite: self.rewrite(db),
            rule: self.rule(db),
        }
    }
}

/// A layer's rewrite, interned so that it can key the queries that depend
/// on it alone.
#[salsa::interned]
pub struct Rewrite<'db> {
    pub name: &'static str,
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
///
/// The tree is shared (an `Arc`), so that a kept database can keep it for
/// the next parse of the file (rule parse-reuse).
#[salsa::tracked(returns(ref))]
pub fn parsed(db: &dyn Db, file: SourceFile) -> (Arc<ast::File>, Vec<Diagnostic>) {
    let _timing = crate::timing::span(crate::timing::Phase::Parse);
    // Rule run-deadline: a pass stopped by the run's deadline leaves nothing
    // but the diagnostic that says where it stopped.
    stoppable(
        || match file.language(db) {
            Language::Chalk => match db.check_memo() {
                Some(memo) => parse_chalk_kept(memo, file, file.text(db)),
                None => {
                    let (tree, diagnostics) = parse_chalk(file.text(db));
                    (Arc::new(tree), diagnostics)
                }
            },
            Language::Rust => {
                let (tree, diagnostics) = chalkboard_rust::read_file(file.text(db));
                (Arc::new(tree), diagnostics)
            }
        },
        |d| (Arc::new(ast::File::default()), vec![d]),
    )
}

/// Rule `parse-reuse` (`chalkboard_syntax::reparse`): in a database kept
/// across edits, a `.chalk` file whose last text parsed without a
/// diagnostic is parsed again only where the edit changed it, and the tree
/// is the one a full parse gives. A file with code bodies (rule
/// chalk-body-as-rust, which reads them with the whole text) is parsed
/// whole.
fn parse_chalk_kept(
    memo: &crate::reuse::CheckMemo,
    file: SourceFile,
    text: &str,
) -> (Arc<ast::File>, Vec<Diagnostic>) {
    use salsa::plumbing::AsId;
    let id = file.as_id();
    let reparsed = memo.earlier_parse(id).and_then(|(old_text, old)| {
        chalkboard_syntax::reparse::reparse(&old_text, &old, text)
            .filter(|tree| !chalkboard_rust::has_code_bodies(tree))
    });
    let (tree, diagnostics) = match reparsed {
        Some(tree) => {
            memo.reused_parse();
            (Arc::new(tree), Vec::new())
        }
        None => {
            let (tree, diagnostics) = parse_chalk(text);
            (Arc::new(tree), diagnostics)
        }
    };
    let keep = diagnostics.is_empty() && tree.rust.is_none();
    memo.keep_parse(id, keep.then(|| (Arc::from(text), Arc::clone(&tree))));
    (tree, diagnostics)
}

/// Parses a `.chalk` file, and reads the impl method bodies it writes as
/// Rust code (rule `chalk-body-as-rust`), resolving their names in the file
/// and, when it says `use prelude::*;`, in the prelude.
pub fn parse_chalk(text: &str) -> (ast::File, Vec<Diagnostic>) {
    let (mut tree, mut diagnostics) = chalkboard_syntax::parse_file(text);
    if has_error(&diagnostics) || !chalkboard_rust::has_code_bodies(&tree) {
        return (tree, diagnostics);
    }
    // Rule prelude-parsed-once.
    let prelude = tree
        .uses_prelude
        .map(|_| &chalkboard_lowering::desugar::parsed_prelude().0);
    diagnostics.extend(chalkboard_rust::read_chalk_bodies(&mut tree, text, prelude));
    (tree, diagnostics)
}

/// Runs a front-end pass; when the run's deadline stopped it, what
/// `stopped` makes of the `check-timeout` diagnostic instead (rule
/// run-deadline).
fn stoppable<R>(pass: impl FnOnce() -> R, stopped: impl FnOnce(Diagnostic) -> R) -> R {
    match chalkboard_syntax::deadline::stoppable(pass) {
        Ok(r) => r,
        Err(at) => stopped(crate::check::stopped_timeout(&at)),
    }
}

/// Whether a front-end pass was stopped by the run's deadline (see
/// [`stoppable`]).
fn stopped_by_deadline(diagnostics: &[Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.code == crate::codes::CHECK_TIMEOUT)
}

fn has_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// The desugared file, kept in two parts as [`Rewritten`] is (rule
/// program-shared-with-items), so that a rewrite that changes nothing
/// shares the program's tree (rule rewrite-unchanged-shared).
///
/// Compared structurally, the goals first (rule tree-compared-from-the-end):
/// a goal asked changes them, and the program is then not compared here but
/// once, by [`items`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesugaredFile {
    pub goals: Vec<ast::GoalBlock>,
    pub expected_errors: Vec<ast::ExpectedError>,
    pub diagnostics: Vec<Diagnostic>,
    pub applied: Vec<Applied>,
    /// The items and directives; its goals and expected errors are empty.
    pub program: Arc<ast::File>,
}

impl DesugaredFile {
    fn of(desugared: Desugared) -> Self {
        let (program, goals, expected_errors) = split(desugared.file);
        DesugaredFile {
            program,
            goals,
            expected_errors,
            diagnostics: desugared.diagnostics,
            applied: desugared.applied,
        }
    }
}

/// A tree's program (items and directives) apart from its goals and
/// expected errors, which are moved out of it.
fn split(mut file: ast::File) -> (Arc<ast::File>, Vec<ast::GoalBlock>, Vec<ast::ExpectedError>) {
    let goals = std::mem::take(&mut file.goals);
    let expected_errors = std::mem::take(&mut file.expected_errors);
    (Arc::new(file), goals, expected_errors)
}

/// The program in chalk's language: every extension (the prelude, async
/// fn, `impl Trait`, return type notation) desugared. Goals are desugared
/// too, since return type notation may appear in them.
#[salsa::tracked(returns(ref))]
pub fn desugared(db: &dyn Db, file: SourceFile) -> DesugaredFile {
    let _timing = crate::timing::span(crate::timing::Phase::Desugar);
    let (tree, parse_diagnostics) = parsed(db, file);
    if has_error(parse_diagnostics) {
        return DesugaredFile::of(Desugared {
            file: ast::File::clone(tree),
            diagnostics: Vec::new(),
            applied: Vec::new(),
        });
    }
    DesugaredFile::of(stoppable(
        || match db.check_memo() {
            // Rule desugar-reuse: a kept database desugars again only the
            // items after those the last desugaring shares.
            Some(memo) => {
                use salsa::plumbing::AsId;
                let earlier = memo.earlier_desugaring(file.as_id());
                let (desugared, kept) =
                    chalkboard_lowering::desugar::desugar_reusing(tree, earlier.as_deref());
                drop(earlier);
                memo.keep_desugaring(file.as_id(), kept);
                desugared
            }
            None => chalkboard_lowering::desugar::desugar(tree),
        },
        |d| Desugared {
            file: ast::File::default(),
            diagnostics: vec![d],
            applied: Vec::new(),
        },
    ))
}

/// The desugared program after the layer's rewrite, and the rules the
/// rewrite applied.
///
/// Rule `program-shared-with-items`: the tree is kept in two parts, the
/// program (items and directives) and the goals with the expected errors,
/// so that [`items`] shares the program's part instead of copying it; a
/// copy of the whole program on every run was a tenth of an edited run's
/// time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewritten {
    /// The items and directives; its goals and expected errors are empty.
    pub program: Arc<ast::File>,
    pub goals: Vec<ast::GoalBlock>,
    pub expected_errors: Vec<ast::ExpectedError>,
    pub applied: Vec<Applied>,
    /// What the layer found wrong under this rewrite (see [`Layer::rewrite`]).
    pub diagnostics: Vec<Diagnostic>,
}

impl Rewritten {
    fn of_file(file: ast::File, applied: Vec<Applied>, diagnostics: Vec<Diagnostic>) -> Self {
        let (program, goals, expected_errors) = split(file);
        Rewritten {
            program,
            goals,
            expected_errors,
            applied,
            diagnostics,
        }
    }

    /// The whole rewritten tree, goals included (a copy).
    pub fn file(&self) -> ast::File {
        let mut file = ast::File::clone(&self.program);
        file.goals = self.goals.clone();
        file.expected_errors = self.expected_errors.clone();
        file
    }
}

/// The desugared program after the layer's rewrite. Never compared: the
/// edits that leave it unchanged are rare, and [`items`] compares the
/// program's part, which is what the checks read.
#[salsa::tracked(returns(ref), no_eq)]
pub fn rewritten<'db>(db: &'db dyn Db, file: SourceFile, rewrite: Rewrite<'db>) -> Rewritten {
    let _timing = crate::timing::span(crate::timing::Phase::Rewrite);
    let (original, _) = parsed(db, file);
    let desugared = desugared(db, file);
    // Rule run-deadline: after a desugaring the deadline stopped there is
    // nothing to rewrite, and the rewrite would still read the whole source
    // after the deadline; the desugaring's diagnostic says where it stopped.
    if stopped_by_deadline(&desugared.diagnostics) {
        return Rewritten::of_file(ast::File::default(), Vec::new(), Vec::new());
    }
    let core = &desugared.program;
    stoppable(
        || {
            let mut applied = Vec::new();
            let mut diagnostics = Vec::new();
            let program = db.layer().rewrite(
                original,
                core,
                rewrite.name(db),
                &mut applied,
                &mut diagnostics,
            );
            Rewritten {
                program,
                goals: desugared.goals.clone(),
                expected_errors: desugared.expected_errors.clone(),
                applied,
                diagnostics,
            }
        },
        |d| Rewritten::of_file(ast::File::default(), Vec::new(), vec![d]),
    )
}

/// The part of a file's rewritten tree its program is made of: the items
/// and directives without the goals and expected errors, the rules
/// desugaring and the rewrite applied outside the goals, and their
/// diagnostics that are not a goal's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Items {
    /// Shared with [`Rewritten::program`] (rule program-shared-with-items).
    pub file: Arc<ast::File>,
    pub applied: Vec<Applied>,
    pub diagnostics: Vec<Diagnostic>,
    /// Parsing failed, so there is no program (the parser's diagnostics are
    /// the report's).
    pub unparsed: bool,
}

/// The program's part of the rewritten file. Compared structurally, so an
/// edit of the goals alone (a goal asked in the REPL, an expectation
/// changed) stops here: the program is not lowered or checked again, and
/// only the goals run.
#[salsa::tracked(returns(ref))]
pub fn items<'db>(db: &'db dyn Db, file: SourceFile, rewrite: Rewrite<'db>) -> Items {
    let _timing = crate::timing::span(crate::timing::Phase::Rewrite);
    let (_, parse_diagnostics) = parsed(db, file);
    if has_error(parse_diagnostics) {
        return Items {
            unparsed: true,
            ..Items::default()
        };
    }
    let desugared = desugared(db, file);
    let rewritten = rewritten(db, file, rewrite);
    let goals = &rewritten.goals;
    let in_goal = |span: chalkboard_syntax::ast::Span| {
        goals
            .iter()
            .any(|g| g.span.start <= span.start && span.end <= g.span.end)
    };
    let diagnostics = desugared
        .diagnostics
        .iter()
        .chain(&rewritten.diagnostics)
        .filter(|d| goal_index(goals, d).is_none())
        .cloned()
        .collect();
    let applied = desugared
        .applied
        .iter()
        .chain(&rewritten.applied)
        .filter(|a| !in_goal(a.span))
        .cloned()
        .collect();
    Items {
        file: Arc::clone(&rewritten.program),
        applied,
        diagnostics,
        unparsed: false,
    }
}

/// The lowered program of the file's items (none when parsing,
/// desugaring or lowering failed) and the desugaring and lowering
/// diagnostics of the program (those of a goal are reported with the goal).
#[salsa::tracked(returns(ref))]
pub fn lowered_items<'db>(
    db: &'db dyn Db,
    file: SourceFile,
    rewrite: Rewrite<'db>,
) -> (Option<Shared<Program>>, Vec<Diagnostic>) {
    let _timing = crate::timing::span(crate::timing::Phase::Lower);
    let items = items(db, file, rewrite);
    if items.unparsed {
        return (None, Vec::new());
    }
    let tree = &items.file;
    let program_diagnostics = items.diagnostics.clone();
    if has_error(&program_diagnostics) {
        // Lowering a tree with extension nodes left in it would only repeat
        // the desugaring errors as `unsupported-here`.
        return (None, program_diagnostics);
    }
    let (program, diagnostics) = match db.check_memo() {
        // Rule lower-reuse: a kept database lowers only the items an edit
        // changed.
        Some(memo) => {
            use salsa::plumbing::AsId;
            let scope = (file.as_id(), *rewrite.name(db));
            let earlier = memo.earlier_lowering(scope);
            let (program, diagnostics, reusable) = stoppable(
                || chalkboard_lowering::lower::lower_file_reusing(tree, earlier.as_deref()),
                |d| (None, vec![d], None),
            );
            if let Some(reusable) = reusable {
                memo.keep_lowering(scope, reusable);
            }
            (program, diagnostics)
        }
        None => stoppable(
            || chalkboard_lowering::lower::lower_file(tree),
            |d| (None, vec![d]),
        ),
    };
    let mut all = program_diagnostics;
    all.extend(diagnostics);
    (program.map(Shared), all)
}

/// What the bodies of a Rust file hold and oblige (nothing for `.chalk`
/// files), checked against the program of the file's items.
#[salsa::tracked(returns(ref))]
pub fn bodies<'db>(db: &'db dyn Db, file: SourceFile, rewrite: Rewrite<'db>) -> BodyFacts {
    let _timing = crate::timing::span(crate::timing::Phase::Bodies);
    // Rule run-deadline: every solve of the bodies has a deadline of its own,
    // as each goal has; their time does not count against the run's.
    chalkboard_syntax::deadline::not_counted(|| {
        let tree = &items(db, file, rewrite).file;
        if tree.rust.is_none() {
            return BodyFacts::default();
        }
        let (program, diagnostics) = lowered_items(db, file, rewrite);
        match program {
            Some(p) if !has_error(diagnostics) => {
                crate::bodies::check_bodies(tree, &p.0, &crate::solve::Limits::default())
            }
            _ => BodyFacts::default(),
        }
    })
}

/// The tree the program is lowered from: the rewritten tree, and for a
/// Rust file the items its bodies generate and what each impl's `async fn`
/// holds.
#[salsa::tracked(returns(ref))]
pub fn program_tree<'db>(db: &'db dyn Db, file: SourceFile, rewrite: Rewrite<'db>) -> ast::File {
    let _timing = crate::timing::span(crate::timing::Phase::Lower);
    let mut tree = ast::File::clone(&items(db, file, rewrite).file);
    if tree.rust.is_none() {
        return tree;
    }
    let facts = bodies(db, file, rewrite);
    for (name, fields) in &facts.held_fields {
        for item in &mut tree.items {
            if let ast::Item::Adt(adt) = item {
                if &adt.name.text == name {
                    let adt = chalkboard_syntax::visit::open_mut(adt);
                    if let Some(v) = adt.variants.first_mut() {
                        v.fields.extend(fields.iter().cloned());
                    }
                }
            }
        }
    }
    tree.items.extend(facts.items.iter().cloned());
    tree
}

/// The tree the program was lowered from, without copying it: a `.chalk`
/// file's is its items' tree itself, which [`program_tree`] would copy.
pub fn tree_of_program<'db>(
    db: &'db dyn Db,
    file: SourceFile,
    rewrite: Rewrite<'db>,
) -> &'db ast::File {
    let items = &items(db, file, rewrite).file;
    if items.rust.is_none() {
        items
    } else {
        program_tree(db, file, rewrite)
    }
}

/// The lowered program: the file's items, and for a Rust file the items
/// its bodies generate.
#[salsa::tracked(returns(ref))]
pub fn lowered<'db>(
    db: &'db dyn Db,
    file: SourceFile,
    rewrite: Rewrite<'db>,
) -> (Option<Shared<Program>>, Vec<Diagnostic>) {
    let _timing = crate::timing::span(crate::timing::Phase::Lower);
    let lowered = lowered_items(db, file, rewrite);
    if self::items(db, file, rewrite).file.rust.is_none()
        || lowered.0.is_none()
        || has_error(&lowered.1)
    {
        return lowered.clone();
    }
    // The query runs before the pass, so that nothing unwinds through it.
    let tree = program_tree(db, file, rewrite);
    let (program, diagnostics) = stoppable(
        || chalkboard_lowering::lower::lower_file(tree),
        |d| (None, vec![d]),
    );
    let mut all = lowered.1.clone();
    all.extend(diagnostics);
    (program.map(Shared), all)
}

/// Each obligation the bodies raise, answered against the whole program:
/// the failures' diagnostics, and each obligation's verdict.
#[salsa::tracked(returns(ref))]
pub fn body_obligations(
    db: &dyn Db,
    file: SourceFile,
    settings: Settings,
) -> (Vec<Diagnostic>, Vec<bool>) {
    let _timing = crate::timing::span(crate::timing::Phase::Bodies);
    let rewrite = rewrite_of(db, settings);
    let facts = bodies(db, file, rewrite);
    if facts.obligations.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let Some(program) = program_of(db, file, settings) else {
        return (Vec::new(), Vec::new());
    };
    if has_error(checked(db, file, settings)) {
        return (Vec::new(), Vec::new());
    }
    let limits = settings.run(db).limits;
    let mut oracle = crate::bodies::Oracle::new(Arc::clone(&program), limits);
    let mut diagnostics = Vec::new();
    let mut verdicts = Vec::new();
    for o in &facts.obligations {
        let holds = !matches!(
            oracle.solve(&o.goal).kind(),
            crate::solve::AnswerKind::NoSolution
        );
        verdicts.push(holds);
        if !holds {
            diagnostics.push(crate::bodies::explain_failure(o, facts, &mut oracle));
        }
    }
    // One diagnostic per call and message: a spawn's `Send` and `'static`
    // bounds failing for the same future are one error, as in rustc.
    diagnostics.dedup_by(|a, b| a.primary.span == b.primary.span && a.message == b.message);
    (diagnostics, verdicts)
}

/// The goal block a desugaring diagnostic points into, if any: an error in
/// a goal (say, return type notation on an unknown method) is that goal's
/// error, reported with it, and does not reject the program.
fn goal_index(goals: &[ast::GoalBlock], d: &Diagnostic) -> Option<usize> {
    let span = d.primary.span;
    goals
        .iter()
        .position(|g| g.span.start <= span.start && span.end <= g.span.end)
}

fn rewrite_of(db: &dyn Db, settings: Settings) -> Rewrite<'_> {
    Rewrite::new(db, settings.rewrite(db))
}

fn program_of(db: &dyn Db, file: SourceFile, settings: Settings) -> Option<Arc<Program>> {
    let (program, diagnostics) = lowered(db, file, rewrite_of(db, settings));
    if has_error(diagnostics) {
        return None;
    }
    program.as_ref().map(|p| Arc::clone(&p.0))
}

/// chalk's own checks (coherence, orphan rules, well-formedness) of the
/// lowered program; nothing when the file says `disable_coherence;`.
#[salsa::tracked(returns(ref))]
pub fn checked(db: &dyn Db, file: SourceFile, settings: Settings) -> Vec<Diagnostic> {
    let _timing = crate::timing::span(crate::timing::Phase::Check);
    let Some(program) = program_of(db, file, settings) else {
        return Vec::new();
    };
    // Rule `stratified-negation`, even under `disable_coherence;`: a
    // negative cycle makes every solver panic or loop, the checks' included.
    let tree = &items(db, file, rewrite_of(db, settings)).file;
    // Rule graph-built-when-negated: only a clause with a `not { .. }`
    // condition can close a negative cycle.
    let cycles = if crate::negation::program_negates(tree) {
        crate::negation::Graph::of_program(tree).negative_cycles()
    } else {
        Vec::new()
    };
    if !cycles.is_empty() {
        return cycles;
    }
    if tree.disable_coherence.is_some() {
        return Vec::new();
    }
    let limits = &settings.run(db).limits;
    let diagnostics = match db.check_memo() {
        Some(memo) => {
            use salsa::plumbing::AsId;
            let pass = memo.begin((file.as_id(), settings.rewrite(db)), &program);
            let diagnostics =
                crate::check::check_program_reusing(&program, limits, Some(Arc::clone(&pass)));
            memo.finish(&pass);
            diagnostics
        }
        None => crate::check::check_program(&program, limits),
    };
    // An ill-formed item's diagnostic names its failing requirement and the
    // most specific leaf behind it (see `explain::wf`). The source map costs
    // a walk of the whole file, which a program that passed does not need.
    if diagnostics.is_empty() {
        return diagnostics;
    }
    let source = crate::explain::file::program_source_map(db, file, settings.rewrite(db));
    let explain_limits = crate::explain::ExplainLimits {
        timeout: limits.timeout,
        ..crate::explain::ExplainLimits::default()
    };
    crate::explain::wf::refine_diagnostics(&program, source, diagnostics, &explain_limits)
}

/// The layer's checks of a program that passed chalk's checks.
#[salsa::tracked(returns(ref))]
pub fn layer_checks(db: &dyn Db, file: SourceFile, settings: Settings) -> LayerReport {
    let _timing = crate::timing::span(crate::timing::Phase::LayerChecks);
    let Some(program) = program_of(db, file, settings) else {
        return LayerReport::default();
    };
    let items = items(db, file, rewrite_of(db, settings));
    if items.file.disable_coherence.is_some() || has_error(checked(db, file, settings)) {
        return LayerReport::default();
    }
    let tree = tree_of_program(db, file, rewrite_of(db, settings));
    let applied = &items.applied;
    // Rule check-deadline: the layer's checks stop at the deadline of
    // their phase, between items; what was cut short says nothing, and the
    // program is rejected, as for any check that timed out.
    let limits = &settings.run(db).limits;
    let phase = crate::solve::PhaseDeadline::new(crate::check::phase_deadline(limits.timeout));
    // Rule layer-check-reuse: a kept database keeps what the layer made of
    // a `.chalk` file's checks for the next edit of it.
    let kept = match (db.check_memo(), tree.rust.is_none()) {
        (Some(memo), true) => {
            use salsa::plumbing::AsId;
            let rewrite: &'static str = settings.rewrite(db);
            memo.kept_by_layer((file.as_id(), rewrite), settings.rule(db))
                .map(|slot| (Arc::clone(&items.file), slot))
        }
        _ => None,
    };
    let report = phase.run(|| {
        db.layer().check(CheckInput {
            tree,
            kept: kept
                .as_ref()
                .map(|(tree, slot)| (Arc::clone(tree), &**slot)),
            applied,
            program: &program,
            config: settings.config(db),
            limits,
        })
    });
    match phase.stopped_at() {
        None => report,
        Some((done, total)) => {
            let span = tree.items.get(done).map(|i| i.span()).unwrap_or_default();
            let d = crate::check::conditional_timeout(span, done, total, limits.timeout);
            LayerReport {
                checks: vec![crate::layer::NamedCheck {
                    kind: "deadline",
                    name: "the layer's checks".into(),
                    span,
                    verdict: crate::Verdict::Ambiguous {
                        reason: d.message.clone(),
                    },
                    diagnostic: Some(d),
                    effect: crate::layer::Effect::RejectsImpl,
                    explanation: None,
                }],
            }
        }
    }
}

/// Every goal of the file, answered (nothing when the program did not lower).
#[salsa::tracked(returns(ref))]
pub fn goal_runs(db: &dyn Db, file: SourceFile, settings: Settings) -> Shared<Vec<GoalReport>> {
    let _timing = crate::timing::span(crate::timing::Phase::Report);
    let Some(program) = program_of(db, file, settings) else {
        return Shared(Arc::new(Vec::new()));
    };
    let rewritten = rewritten(db, file, rewrite_of(db, settings));
    // Rule goal-reuse: a kept database keeps the solves of the goals for
    // the next run of the file's goals.
    let kept = db.check_memo().and_then(|memo| {
        use salsa::plumbing::AsId;
        let rewrite: &'static str = settings.rewrite(db);
        memo.goals_kept((file.as_id(), rewrite), settings.rule(db))
    });
    let goals = crate::run::run_goals(
        &program,
        &rewritten.program,
        &rewritten.goals,
        settings.run(db),
        db.layer(),
        settings.config(db),
        kept.as_deref(),
    );
    Shared(Arc::new(goals))
}

/// The whole report for a file under the given settings.
#[salsa::tracked(returns(ref))]
pub fn report(db: &dyn Db, file: SourceFile, settings: Settings) -> Shared<FileReport> {
    let _timing = crate::timing::span(crate::timing::Phase::Report);
    // Rule run-deadline: the run of the file, up to the end of its checks,
    // gets `--timeout` of wall time from here, unless whoever asked for the
    // report started the clock earlier (see `run_all_configs`).
    let timeout = settings.run(db).limits.timeout;
    chalkboard_syntax::deadline::with_deadline(std::time::Instant::now() + timeout, timeout, || {
        report_within_deadline(db, file, settings)
    })
}

fn report_within_deadline(db: &dyn Db, file: SourceFile, settings: Settings) -> Shared<FileReport> {
    let options = settings.run(db);
    let (tree, parse_diagnostics) = parsed(db, file);
    let mut diagnostics = parse_diagnostics.clone();
    let mut program = None;
    let mut layer = LayerReport::default();
    if !has_error(parse_diagnostics) {
        let (lowered_program, lower_diagnostics) = lowered(db, file, rewrite_of(db, settings));
        diagnostics.extend(lower_diagnostics.iter().cloned());
        program = lowered_program
            .as_ref()
            .filter(|_| !has_error(&diagnostics))
            .map(|p| Arc::clone(&p.0));
        // A body that does not type-check rejects the program, as rustc
        // does; its other obligations are still checked, so every error is
        // reported.
        let mut body_type_errors = false;
        if program.is_some() {
            let facts = bodies(db, file, rewrite_of(db, settings));
            diagnostics.extend(facts.diagnostics.iter().cloned());
            body_type_errors = has_error(&facts.diagnostics);
        }
        if program.is_some() {
            let checks = checked(db, file, settings);
            diagnostics.extend(checks.iter().cloned());
            layer = layer_checks(db, file, settings).clone();
            diagnostics.extend(layer.diagnostics());
            let (body_errors, _) = body_obligations(db, file, settings);
            diagnostics.extend(body_errors.iter().cloned());
            let blocked = has_error(checks)
                || body_type_errors
                || has_error(body_errors)
                || (layer.rejects() && !options.solve_despite_impl_errors);
            if blocked {
                program = None;
            }
        }
    }
    let mut goals = match (&program, options.check_only) {
        (Some(_), false) => goal_runs(db, file, settings).0.as_ref().clone(),
        _ => Vec::new(),
    };
    if !has_error(parse_diagnostics) {
        // A goal that desugaring could not rewrite reports the desugaring
        // error in place of the lowering error its leftover nodes caused; a
        // goal the layer's rewrite found wrong reports that error in place
        // of its answers.
        let desugar_diagnostics = &desugared(db, file).diagnostics;
        let rewritten = rewritten(db, file, rewrite_of(db, settings));
        let goal_errors = desugar_diagnostics
            .iter()
            .chain(&rewritten.diagnostics)
            .filter(|d| d.is_error());
        for d in goal_errors {
            if let Some(goal) = goal_index(&rewritten.goals, d).and_then(|i| goals.get_mut(i)) {
                if goal.error.as_ref().is_none_or(|e| e.code != d.code) {
                    goal.set_error(d.clone());
                }
            }
        }
    }
    let report = crate::run::assemble(
        tree,
        diagnostics,
        program,
        goals,
        layer,
        db.layer(),
        settings.config(db),
    );
    Shared(Arc::new(report))
}

/// Runs one file's text through the pipeline with no layer.
pub fn run_text(text: &str, options: &RunOptions) -> Arc<FileReport> {
    let db = Database::default();
    let config = db.layer().default_config();
    let file = SourceFile::new(&db, text.to_string(), Language::Chalk);
    let settings = Settings::new(&db, options.clone(), config.rewrite, config.rule);
    Arc::clone(&report(&db, file, settings).0)
}

/// Runs `f` under the run deadline of a run begun at `begun` (rule
/// run-deadline).
fn within<R>(begun: std::time::Instant, options: &RunOptions, f: impl FnOnce() -> R) -> R {
    let timeout = options.limits.timeout;
    chalkboard_syntax::deadline::with_deadline(begun + timeout, timeout, f)
}

/// One run of a file under one configuration.
#[derive(Clone, Debug)]
pub struct ConfigRun {
    pub config: Config,
    /// The layer's name for the configuration.
    pub name: String,
    pub report: Arc<FileReport>,
    /// How long each phase of the run took; the phases shared with an
    /// earlier run of the same file (parsing, say) count in that run's.
    pub timings: crate::timing::Timings,
}

/// Runs one file's text under `config`, and under every other
/// configuration its expectations name (`yields[design = implied] { .. }`,
/// `error_msg[implication = decide] { .. }`), sharing the parse between the
/// runs. Each report comes with the layer's name for its configuration.
///
/// A Rust file names its configurations differently, as rustc's UI tests
/// do: see [`run_revisions`], which a run that is not `check_only` takes.
pub fn run_all_configs(
    db: &Database,
    text: &str,
    language: Language,
    options: &RunOptions,
    config: Config,
) -> Vec<ConfigRun> {
    let file = SourceFile::new(db, text.to_string(), language);
    run_all_configs_in(db, file, options, config)
}

/// As [`run_all_configs`], on a file already in the database: what an
/// earlier run of it memoized and the edits since leave valid is reused
/// (the REPL and `--watch` keep one file and set its text).
pub fn run_all_configs_in(
    db: &Database,
    file: SourceFile,
    options: &RunOptions,
    config: Config,
) -> Vec<ConfigRun> {
    if *file.language(db) == Language::Rust && !options.check_only {
        return run_revisions_in(db, file, options, config);
    }
    let layer = db.layer();
    let mut configs = vec![config];
    // Rule run-deadline: the first run's clock starts before the parse it
    // shares with the others; each later run gets a deadline of its own.
    let start = std::time::Instant::now();
    let (tree, mut first_timings) = within(start, options, || {
        crate::timing::collect(|| &parsed(db, file).0)
    });
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
        let Ok(named) = layer.config_named(
            config,
            design.map(|d| d.text.as_str()),
            implication.map(|i| i.text.as_str()),
        ) else {
            // An unknown name is reported by the expectation itself.
            continue;
        };
        if !configs.contains(&named) {
            configs.push(named);
        }
    }
    configs
        .into_iter()
        .enumerate()
        .map(|(i, config)| {
            let settings = db.settings(options, config);
            let begun = if i == 0 {
                start
            } else {
                std::time::Instant::now()
            };
            let (report, timings) = within(begun, options, || {
                crate::timing::collect(|| Arc::clone(&report(db, file, settings).0))
            });
            let mut all = std::mem::take(&mut first_timings);
            all.absorb(timings);
            ConfigRun {
                config,
                name: layer.config_name(config),
                report,
                timings: all,
            }
        })
        .collect()
}

/// Runs a Rust file once per revision its `//@ revisions:` line names
/// (the layer turns each name into a configuration,
/// [`Layer::config_of_revision`]), or under `config` alone when it names
/// none, and checks each run's diagnostics against the file's `//~`
/// annotations ([`crate::annotations`]). A revision the layer does not know
/// gives a run named `unknown` with the one error `unknown-revision`, which
/// the file may annotate like any other (`//[name]~ ERROR unknown`).
pub fn run_revisions(
    db: &Database,
    text: &str,
    options: &RunOptions,
    config: Config,
) -> Vec<ConfigRun> {
    let file = SourceFile::new(db, text.to_string(), Language::Rust);
    run_revisions_in(db, file, options, config)
}

/// As [`run_revisions`], on a file already in the database.
pub fn run_revisions_in(
    db: &Database,
    file: SourceFile,
    options: &RunOptions,
    config: Config,
) -> Vec<ConfigRun> {
    let layer = db.layer();
    let text = file.text(db);
    let start = std::time::Instant::now();
    let (tree, mut first_timings) = within(start, options, || {
        crate::timing::collect(|| &parsed(db, file).0)
    });
    let expectations = tree
        .rust
        .as_ref()
        .map(|r| r.expectations.clone())
        .unwrap_or_default();
    let revisions: Vec<Option<&ast::Ident>> = if expectations.revisions.is_empty() {
        vec![None]
    } else {
        expectations.revisions.iter().map(Some).collect()
    };
    let mut runs = Vec::new();
    for (i, revision) in revisions.into_iter().enumerate() {
        let named = match revision {
            None => Ok(config),
            Some(r) => layer.config_of_revision(config, &r.text),
        };
        let mut timings = std::mem::take(&mut first_timings);
        let (config, name, mut report) = match (named, revision) {
            (Ok(named), _) => {
                let settings = db.settings(options, named);
                let begun = if i == 0 {
                    start
                } else {
                    std::time::Instant::now()
                };
                let (report, these) = within(begun, options, || {
                    crate::timing::collect(|| report(db, file, settings).0.as_ref().clone())
                });
                timings.absorb(these);
                (named, layer.config_name(named), report)
            }
            (Err(why), Some(r)) => (config, "unknown".to_string(), unknown_revision(r, &why)),
            // A run without revisions uses `config` itself, which is known.
            (Err(_), None) => continue,
        };
        report.annotations = Some(crate::annotations::check(
            &expectations,
            revision.map(|r| r.text.as_str()),
            i == 0,
            &report.diagnostics,
            text,
        ));
        runs.push(ConfigRun {
            config,
            name,
            report: Arc::new(report),
            timings,
        });
    }
    runs
}

/// The run of a revision that names no configuration: nothing ran, and its
/// one diagnostic says why.
fn unknown_revision(revision: &ast::Ident, why: &str) -> FileReport {
    let diagnostic = Diagnostic::error(
        crate::codes::UNKNOWN_REVISION,
        format!("unknown revision `{}`: {why}", revision.text),
        revision.span,
    )
    .with_label("no configuration has this name")
    .with_help(
        "name a configuration the message lists, alone or joined by `-` to the rule it is proved by (as in `implied-decide`)",
    );
    FileReport {
        diagnostics: vec![diagnostic],
        rejected: true,
        expected_errors: Vec::new(),
        goals: Vec::new(),
        layer: LayerReport::default(),
        program: None,
        annotations: None,
    }
}
