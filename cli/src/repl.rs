//! `chalkboard repl`: load a program, then ask goals, add items, switch
//! designs and explain, without starting again.
//!
//! The session keeps one database and one salsa input, whose text is the
//! loaded file, then the items added in the session, then (while a goal is
//! asked) the goal: every answer comes from the pipeline of `run`, and what
//! an edit does not touch keeps its memoized result.
//!
//! On a terminal the line editor is rustyline (docs/cli.md says why):
//! history saved between sessions, completion, and input that goes on over
//! several lines until its braces balance. From a pipe, lines are read one by
//! one and the output is plain, so tests and scripts can drive it.

use std::borrow::Cow;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use chalkboard_designs::Implication;
use chalkboard_solver::db::{self, Database, Language, SourceFile};
use chalkboard_solver::explain::file::{explain_file, Selection};
use chalkboard_solver::explain::ExplainLimits;
use chalkboard_solver::{Limits, RunOptions, SolverSelection};
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};
use salsa::Setter;

use crate::program::{self, RunPlan};
use crate::{text, DesignArg, Exit, ImplicationArg, SolverArg, Stage};

#[derive(clap::Args)]
pub struct ReplArgs {
    /// The `.chalk` or `.rs` file to load first.
    file: Option<PathBuf>,
    /// Print each line read before its output (for transcripts of a piped session).
    #[arg(long)]
    echo: bool,
    /// Deadline for each solve, in seconds.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    timeout: f64,
}

/// The commands, with what each takes and does (`:help` prints them).
const COMMANDS: &[(&str, &str, &str)] = &[
    (
        ":load",
        "[FILE]",
        "load a program (without FILE: read the loaded file again)",
    ),
    (":design", "D", "explicit, implied or boxed"),
    (":implication", "I", "assume or decide"),
    (":solver", "S", "both, slg or recursive"),
    (
        ":explain",
        "[GOAL]",
        "explain a goal (without GOAL: the last goal asked, or every goal of the program)",
    ),
    (
        ":compare",
        "",
        "run the program under every design, side by side",
    ),
    (":clauses", "", "print the program clauses chalk derives"),
    (
        ":desugar",
        "[STAGE]",
        "print the program desugared (async, gat or chalk)",
    ),
    (
        ":prelude",
        "",
        "print the prelude (the model of std for a Rust file)",
    ),
    (":undo", "", "remove the last item added"),
    (":help", "", "print this help"),
    (":quit", "", "end the session"),
];

/// Why a goal is refused in a Rust session.
const NO_RUST_GOALS: &str = "error: a Rust file has no goals: its verdicts are its diagnostics (`:load` a `.chalk` file to ask goals)\n";

/// What the session holds.
struct Session {
    db: Database,
    file: SourceFile,
    /// The path diagnostics name: the loaded file, or `<repl>`.
    path: String,
    loaded: Option<PathBuf>,
    /// The loaded file's text.
    base: String,
    /// The items added in the session, in order.
    added: Vec<String>,
    design: DesignArg,
    implication: ImplicationArg,
    solver: SolverArg,
    timeout: Duration,
    /// The last goal asked, for `:explain` without a goal.
    last_goal: Option<String>,
}

pub fn main(args: &ReplArgs) -> Exit {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        eprintln!("error: `--timeout` must be a positive number of seconds");
        return Exit::Usage;
    }
    let db = program::kept_database();
    let file = SourceFile::new(&db, String::new(), Language::Chalk);
    let mut session = Session {
        db,
        file,
        path: "<repl>".into(),
        loaded: None,
        base: String::new(),
        added: Vec::new(),
        design: DesignArg::Explicit,
        implication: ImplicationArg::Assume,
        solver: SolverArg::Both,
        timeout: Duration::from_secs_f64(args.timeout),
        last_goal: None,
    };
    if let Some(path) = &args.file {
        print(&session.load(Some(path.clone())));
    }
    if std::io::stdin().is_terminal() {
        terminal(&mut session)
    } else {
        piped(&mut session, args.echo)
    }
}

/// Reads commands from a pipe, one line at a time (an item or goal whose
/// braces are still open goes on to the next line), until `:quit` or the
/// end of the input.
fn piped(session: &mut Session, echo: bool) -> Exit {
    let mut pending = String::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if echo {
            let prompt = if pending.is_empty() { "> " } else { ". " };
            print(&format!("{prompt}{line}\n"));
        }
        pending.push_str(&line);
        pending.push('\n');
        if !balanced(&pending) {
            continue;
        }
        let input = std::mem::take(&mut pending);
        match session.guarded(&input) {
            Step::Quit => return Exit::Success,
            Step::Go(out) => print(&out),
        }
    }
    if !pending.trim().is_empty() {
        print("error: the input ended inside an unclosed `{`\n");
    }
    Exit::Success
}

/// The line editor on a terminal.
fn terminal(session: &mut Session) -> Exit {
    // Tab completes what all candidates share, and a second Tab lists them,
    // as a shell does.
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut editor: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return Exit::Usage;
        }
    };
    editor.set_helper(Some(ReplHelper {
        files: FilenameCompleter::new(),
        names: session.names(),
    }));
    let history = history_path();
    if let Some(h) = &history {
        // A first session has no history yet.
        let _ = editor.load_history(h);
    }
    print("chalkboard repl: `:help` lists the commands, `:quit` (or Ctrl-D) ends the session\n");
    loop {
        match editor.readline("?- ") {
            Ok(input) => {
                if !input.trim().is_empty() {
                    let _ = editor.add_history_entry(input.as_str());
                    if let Some(h) = &history {
                        let _ = editor.append_history(h);
                    }
                }
                let step = session.guarded(&input);
                if let Some(helper) = editor.helper_mut() {
                    helper.names = session.names();
                }
                match step {
                    Step::Quit => break,
                    Step::Go(out) => print(&out),
                }
            }
            // Ctrl-C drops the line being written; the session goes on.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                break;
            }
        }
    }
    Exit::Success
}

/// Where the history is kept: `$CHALKBOARD_HISTORY`, or
/// `~/.chalkboard_history`.
fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHALKBOARD_HISTORY") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".chalkboard_history"))
}

fn print(out: &str) {
    crate::print_out(out);
}

/// Whether every `{`, `(` and `[` of the input is closed (those inside
/// string literals and line comments do not count).
fn balanced(input: &str) -> bool {
    let mut depth = 0i64;
    let mut chars = input.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '/' if chars.peek() == Some(&'/') => {
                // A line comment runs to the end of its line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => depth -= 1,
            _ => {}
        }
    }
    depth <= 0
}

/// What one input asks of the session.
enum Step {
    Go(String),
    Quit,
}

/// What a line that is not a command is.
#[derive(Debug, PartialEq)]
enum Input {
    /// A goal, as the body of `goal { .. }`, or a whole goal block with
    /// its expectations.
    Goal { block: String, goal: String },
    /// An item to add to the program.
    Item(String),
}

/// Tells a goal from an item: an item starts with an item's keyword or an
/// attribute; `?- G`, `goal { G } ..` and anything else is a goal.
fn classify(input: &str, language: Language) -> Input {
    let trimmed = input.trim();
    if let Some(goal) = trimmed.strip_prefix("?-") {
        let goal = goal.trim().trim_end_matches(';').trim().to_string();
        return Input::Goal {
            block: format!("goal {{ {goal} }}"),
            goal,
        };
    }
    if trimmed.starts_with("goal") && trimmed[4..].trim_start().starts_with('{') {
        let inner = goal_of_block(trimmed).unwrap_or_default();
        return Input::Goal {
            block: trimmed.to_string(),
            goal: inner,
        };
    }
    let first = trimmed
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    const CHALK_ITEMS: &[&str] = &[
        "struct",
        "enum",
        "trait",
        "impl",
        "fn",
        "closure",
        "coroutine",
        "opaque",
        "extern",
        "use",
        "async",
    ];
    const RUST_ITEMS: &[&str] = &[
        "struct",
        "enum",
        "trait",
        "impl",
        "fn",
        "async",
        "pub",
        "use",
        "mod",
        "type",
        "const",
        "static",
        "unsafe",
        "extern",
        "union",
        "macro_rules",
    ];
    let items = match language {
        Language::Chalk => CHALK_ITEMS,
        Language::Rust => RUST_ITEMS,
    };
    if trimmed.starts_with("#[") || trimmed.starts_with("//") || items.contains(&first) {
        return Input::Item(trimmed.to_string());
    }
    let goal = trimmed.trim_end_matches(';').trim().to_string();
    Input::Goal {
        block: format!("goal {{ {goal} }}"),
        goal,
    }
}

/// The goal inside `goal { G } ...`.
fn goal_of_block(block: &str) -> Option<String> {
    let open = block.find('{')?;
    let mut depth = 0;
    for (i, c) in block[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(block[open + 1..open + i].trim().to_string());
                }
            }
            _ => {}
        }
    }
    None
}

impl Session {
    /// Runs one input; a panic anywhere in it is reported, and the session
    /// goes on.
    fn guarded(&mut self, input: &str) -> Step {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.step(input)));
        result.unwrap_or_else(|_| {
            Step::Go("error: internal error while running this line (the session goes on)\n".into())
        })
    }

    fn step(&mut self, input: &str) -> Step {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Step::Go(String::new());
        }
        let Some(command) = trimmed.strip_prefix(':') else {
            let language = *self.file.language(&self.db);
            return Step::Go(match classify(trimmed, language) {
                Input::Goal { block, goal } => self.ask(&block, goal),
                Input::Item(item) => self.add(item),
            });
        };
        let (name, arg) = match command.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (command, ""),
        };
        let arg = (!arg.is_empty()).then_some(arg);
        Step::Go(match name {
            "q" | "quit" | "exit" => return Step::Quit,
            "load" | "l" => self.load(arg.map(PathBuf::from)),
            "design" => {
                match arg.and_then(|a| <DesignArg as clap::ValueEnum>::from_str(a, true).ok()) {
                    Some(d) => {
                        self.design = d;
                        format!("design: {}\n", d.design().name())
                    }
                    None => "error: `:design` takes explicit, implied or boxed\n".into(),
                }
            }
            "implication" => {
                match arg.and_then(|a| <ImplicationArg as clap::ValueEnum>::from_str(a, true).ok())
                {
                    Some(i) => {
                        self.implication = i;
                        format!("implication: {}\n", arg.unwrap_or_default().to_lowercase())
                    }
                    None => "error: `:implication` takes assume or decide\n".into(),
                }
            }
            "solver" => {
                match arg.and_then(|a| <SolverArg as clap::ValueEnum>::from_str(a, true).ok()) {
                    Some(s) => {
                        self.solver = s;
                        format!("solver: {}\n", arg.unwrap_or_default().to_lowercase())
                    }
                    None => "error: `:solver` takes both, slg or recursive\n".into(),
                }
            }
            "explain" => self.explain(arg),
            "compare" => self.compare(),
            "clauses" => self.clauses(),
            "desugar" => match arg {
                None => self.desugar(Stage::Gat),
                Some(a) => match <Stage as clap::ValueEnum>::from_str(a, true) {
                    Ok(stage) => self.desugar(stage),
                    Err(_) => "error: `:desugar` takes async, gat or chalk\n".into(),
                },
            },
            "prelude" => match self.file.language(&self.db) {
                Language::Chalk => chalkboard_lowering::desugar::PRELUDE.to_string(),
                Language::Rust => chalkboard_rust::MODEL.to_string(),
            },
            "undo" => match self.added.pop() {
                Some(item) => {
                    self.set_program();
                    format!("removed: {}\n", first_line(&item))
                }
                None => "error: no item was added in this session\n".into(),
            },
            "help" | "h" | "?" => help(),
            _ => format!("error: unknown command `:{name}` (`:help` lists the commands)\n"),
        })
    }

    /// The program's text: the loaded file, then the items added.
    fn program_text(&self) -> String {
        let mut text = self.base.clone();
        for item in &self.added {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(item);
            text.push('\n');
        }
        text
    }

    /// Sets the input's text, unless it already is that (a set always
    /// starts a new revision).
    fn set_text(&mut self, text: String) {
        if *self.file.text(&self.db) != text {
            self.file.set_text(&mut self.db).to(text);
        }
    }

    fn set_program(&mut self) {
        let text = self.program_text();
        self.set_text(text);
    }

    fn config(&self) -> chalkboard_solver::Config {
        chalkboard_designs::config(
            self.design.design(),
            match self.implication {
                ImplicationArg::Assume => Implication::Assume,
                ImplicationArg::Decide => Implication::Decide,
            },
        )
    }

    fn options(&self) -> RunOptions {
        RunOptions {
            solvers: match self.solver {
                SolverArg::Both => SolverSelection::Both,
                SolverArg::Slg => SolverSelection::Slg,
                SolverArg::Recursive => SolverSelection::Recursive,
            },
            limits: Limits {
                timeout: self.timeout,
                ..Limits::default()
            },
            ..RunOptions::default()
        }
    }

    fn plan(&self) -> RunPlan {
        RunPlan {
            options: self.options(),
            config: self.config(),
            check_only: false,
            explain: false,
            timings: false,
            goal_filter: None,
        }
    }

    /// `:load FILE`: the file replaces the program, and runs as `run`
    /// would run it.
    fn load(&mut self, path: Option<PathBuf>) -> String {
        let Some(path) = path.or_else(|| self.loaded.clone()) else {
            return "error: `:load` takes a file (no file is loaded yet)\n".into();
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => return format!("error: cannot read `{}`: {e}\n", path.display()),
        };
        let language = Language::of_path(&path);
        if self.loaded.as_ref() != Some(&path) {
            // Another file's items do not belong to this one.
            self.added.clear();
            self.last_goal = None;
        }
        if *self.file.language(&self.db) != language {
            self.file.set_language(&mut self.db).to(language);
        }
        self.base = text;
        self.path = path.display().to_string();
        self.loaded = Some(path);
        self.set_program();
        self.run_program()
    }

    /// The program's run, rendered as `run` renders it.
    fn run_program(&self) -> String {
        let (results, _) = program::file_results(&self.db, self.file, &self.path, &self.plan());
        text::render_files(&results, false, false, &mut text::Tally::default())
    }

    /// An item: added to the program, which runs again, unless the item
    /// does not parse (then the program is left as it was).
    fn add(&mut self, item: String) -> String {
        self.added.push(item);
        self.set_program();
        let base_len = self.base.len();
        let bad = {
            let (_, diagnostics) = db::parsed(&self.db, self.file);
            diagnostics
                .iter()
                .filter(|d| d.is_error() && d.primary.span.start as usize >= base_len)
                .map(|d| {
                    let source = self.file.text(&self.db);
                    let index = text::LineIndex::new(source);
                    text::render_diagnostic(d, &self.path, source, &index, false)
                })
                .collect::<String>()
        };
        if !bad.is_empty() {
            self.added.pop();
            self.set_program();
            return format!("{bad}the item was not added\n");
        }
        self.run_program()
    }

    /// A goal: asked of the program with the goal after it; its answers
    /// print as `run` prints a goal's.
    fn ask(&mut self, block: &str, goal: String) -> String {
        if *self.file.language(&self.db) == Language::Rust {
            return NO_RUST_GOALS.into();
        }
        let program = self.program_text();
        let text = format!("{program}{block}\n");
        let goal_start = program.len();
        self.set_text(text);
        self.last_goal = Some(goal);
        let (results, _) = program::file_results(&self.db, self.file, &self.path, &self.plan());
        let mut out = String::new();
        for mut result in results {
            let report = std::sync::Arc::make_mut(&mut result.report);
            // Only the asked goal's part: the program's own goals and
            // diagnostics were printed when it was loaded or changed, and a
            // rejected program is said once.
            let asked: Vec<_> = report
                .goals
                .drain(..)
                .filter(|g| g.span.start as usize >= goal_start)
                .collect();
            if report.rejected {
                out.push_str(&format!(
                    "{}: the program is rejected, so no goal runs (the diagnostics printed when it changed say why)\n",
                    self.path
                ));
                continue;
            }
            report.goals = asked;
            report
                .diagnostics
                .retain(|d| d.primary.span.start as usize >= goal_start);
            report.expected_errors.clear();
            out.push_str(&text::render_files(
                &[result],
                false,
                false,
                &mut text::Tally::default(),
            ));
        }
        out
    }

    /// `:explain [GOAL]`.
    fn explain(&mut self, goal: Option<&str>) -> String {
        let program = self.program_text();
        let goal = goal
            .map(|g| match classify(g, Language::Chalk) {
                Input::Goal { goal, .. } => goal,
                Input::Item(i) => i,
            })
            .or_else(|| self.last_goal.clone());
        let selection = match &goal {
            Some(_) if *self.file.language(&self.db) == Language::Rust => {
                return NO_RUST_GOALS.into();
            }
            Some(g) => {
                self.set_text(format!("{program}goal {{ {g} }}\n"));
                // The asked goal is the last of the program's.
                let n = db::parsed(&self.db, self.file).0.goals.len();
                Selection::Goals(vec![n.saturating_sub(1)])
            }
            None => {
                self.set_text(program);
                Selection::All
            }
        };
        let limits = ExplainLimits {
            timeout: self.timeout,
            ..ExplainLimits::default()
        };
        // The trees are chalk's SLG answers, as `chalkboard explain` gives.
        let options = RunOptions {
            solvers: SolverSelection::Slg,
            ..self.options()
        };
        let explained = explain_file(
            &self.db,
            self.file,
            &options,
            self.config(),
            &selection,
            &limits,
        );
        let source = self.file.text(&self.db);
        let index = text::LineIndex::new(source);
        crate::explain::Rendered {
            path: &self.path,
            source,
            index: &index,
        }
        .text(&explained)
    }

    fn compare(&mut self) -> String {
        self.set_program();
        let options = self.options();
        let table = chalkboard_designs::compare::compare_in(&self.db, self.file, &options, None);
        let source = self.file.text(&self.db);
        let index = text::LineIndex::new(source);
        let file = crate::explain::Rendered {
            path: &self.path,
            source,
            index: &index,
        };
        crate::compare::text(&file, &table, false, None)
    }

    fn clauses(&mut self) -> String {
        self.set_program();
        let printed = program::clauses(&self.db, self.file, &self.path, self.design);
        format!("{}{}", printed.diagnostics, printed.out)
    }

    fn desugar(&mut self, stage: Stage) -> String {
        self.set_program();
        let printed = program::desugar(
            &self.db,
            self.file,
            &self.path,
            stage,
            self.design,
            false,
            false,
        );
        format!("{}{}", printed.diagnostics, printed.out)
    }

    /// The names completion offers: every trait, type and function of the
    /// program.
    fn names(&self) -> Vec<String> {
        let tree = &db::parsed(&self.db, self.file).0;
        let mut names: Vec<String> = tree
            .items
            .iter()
            .filter_map(|item| match item {
                chalkboard_syntax::ast::Item::Adt(x) => Some(x.name.text.clone()),
                chalkboard_syntax::ast::Item::Trait(x) => Some(x.name.text.clone()),
                chalkboard_syntax::ast::Item::Fn(x) => Some(x.name.text.clone()),
                chalkboard_syntax::ast::Item::Foreign(x) => Some(x.name.text.clone()),
                _ => None,
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn help() -> String {
    let mut rows: Vec<(String, String)> = COMMANDS
        .iter()
        .map(|(c, a, what)| (format!("{c} {a}").trim_end().to_string(), what.to_string()))
        .collect();
    rows.push((
        "Foo: Bar, ?- G, forall<T> { .. }".into(),
        "ask a goal".into(),
    ));
    rows.push((
        "struct S { }, impl Bar for S { }".into(),
        "add an item, and run the program again".into(),
    ));
    let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(c, what)| format!("  {c:<width$}  {what}\n"))
        .collect()
}

/// Completion of commands, their arguments, file names after `:load`, and
/// the program's names.
struct ReplHelper {
    files: FilenameCompleter,
    names: Vec<String>,
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        if before.starts_with(":load ") {
            return self.files.complete(line, pos, ctx);
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let word = &before[start..];
        let pairs = |options: &mut dyn Iterator<Item = String>| -> Vec<Pair> {
            options
                .filter(|o| o.starts_with(word))
                .map(|o| Pair {
                    display: o.clone(),
                    replacement: o,
                })
                .collect()
        };
        if start == 0 && word.starts_with(':') {
            return Ok((0, pairs(&mut COMMANDS.iter().map(|c| c.0.to_string()))));
        }
        let arguments: Option<&[&str]> = match before.split_whitespace().next() {
            Some(":design") => Some(&["explicit", "implied", "boxed"]),
            Some(":implication") => Some(&["assume", "decide"]),
            Some(":solver") => Some(&["both", "slg", "recursive"]),
            Some(":desugar") => Some(&["async", "gat", "chalk"]),
            _ => None,
        };
        if let Some(arguments) = arguments {
            return Ok((start, pairs(&mut arguments.iter().map(|a| a.to_string()))));
        }
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        Ok((start, pairs(&mut self.names.iter().cloned())))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}

/// Input goes on to the next line while a brace is open.
impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if balanced(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_and_items_are_told_apart() {
        let goal = |g: &str| Input::Goal {
            block: format!("goal {{ {g} }}"),
            goal: g.to_string(),
        };
        assert_eq!(classify("Foo: Bar", Language::Chalk), goal("Foo: Bar"));
        assert_eq!(classify("?- Foo: Bar", Language::Chalk), goal("Foo: Bar"));
        assert_eq!(
            classify("forall<T> { T: Bar }", Language::Chalk),
            goal("forall<T> { T: Bar }")
        );
        assert_eq!(
            classify("impl Bar for Foo { }", Language::Chalk),
            Input::Item("impl Bar for Foo { }".into())
        );
        assert_eq!(
            classify("#[auto] trait Send { }", Language::Chalk),
            Input::Item("#[auto] trait Send { }".into())
        );
        assert_eq!(
            classify("goal { Foo: Bar } yields { \"Unique\" }", Language::Chalk),
            Input::Goal {
                block: "goal { Foo: Bar } yields { \"Unique\" }".into(),
                goal: "Foo: Bar".into()
            }
        );
    }

    #[test]
    fn input_goes_on_while_a_brace_is_open() {
        assert!(!balanced("impl Bar for Foo {"));
        assert!(balanced("impl Bar for Foo {\n}"));
        assert!(balanced("goal { Foo: Bar } yields { \"}\" }"));
        assert!(!balanced("struct S { // }\n"));
    }
}
