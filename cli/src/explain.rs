//! `chalkboard explain`: renders explanation trees as text, JSON or
//! Markdown (the trees themselves come from `chalkboard_solver::explain`).

use std::sync::Arc;
use std::time::Duration;

use chalkboard_designs::{DesignLayer, Implication};
use chalkboard_solver::db::Database;
use chalkboard_solver::explain::file::{explain_text, FileExplanation, GoalExplanation, Selection};
use chalkboard_solver::explain::{
    ExplainLimits, Explanation, Node, NodeKind, Place, Status, StepKind,
};
use chalkboard_solver::{Limits, RunOptions, SolverSelection};
use chalkboard_syntax::ast::Span;
use serde_json::{json, Value};

use crate::text::LineIndex;
use crate::{DesignArg, Exit, ImplicationArg};

/// How to print explanations.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExplainFormat {
    /// A tree drawn with indentation, one node per line.
    Text,
    /// One JSON document (schema in docs/json.md).
    Json,
    /// Nested lists that paste into a design document.
    Markdown,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The `.chalk` files to read.
    #[arg(required = true)]
    files: Vec<std::path::PathBuf>,
    /// Explain only the N-th goal of each file (1-based).
    #[arg(long, value_name = "N", conflicts_with = "line")]
    goal: Option<usize>,
    /// Explain only the goals written on line L.
    #[arg(long, value_name = "L")]
    line: Option<usize>,
    /// Which design gives the futures of `async fn` in traits their `Send` bounds.
    #[arg(long, value_enum, default_value_t = DesignArg::Explicit)]
    design: DesignArg,
    /// How an impl proves a conditional bound `if (Self: Send) { Send }`.
    #[arg(long, value_enum, default_value_t = ImplicationArg::Assume)]
    implication: ImplicationArg,
    /// How to print the trees.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    /// Deadline for each goal's explanation (and each solve of the run), in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    timeout: f64,
    /// Nodes deeper than this are not taken apart.
    #[arg(long, default_value_t = ExplainLimits::default().max_depth, value_name = "N")]
    max_depth: usize,
    /// At most this many alternatives of one goal are shown.
    #[arg(long, default_value_t = ExplainLimits::default().max_breadth, value_name = "N")]
    max_breadth: usize,
    /// At most this many nodes in one tree.
    #[arg(long, default_value_t = ExplainLimits::default().max_nodes, value_name = "N")]
    max_nodes: usize,
}

pub fn main(args: &ExplainArgs) -> Exit {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        eprintln!("error: `--timeout` must be a positive number of seconds");
        return Exit::Usage;
    }
    let config = chalkboard_designs::config(
        args.design.design(),
        match args.implication {
            ImplicationArg::Assume => Implication::Assume,
            ImplicationArg::Decide => Implication::Decide,
        },
    );
    let limits = ExplainLimits {
        max_depth: args.max_depth,
        max_breadth: args.max_breadth.max(1),
        max_nodes: args.max_nodes.max(1),
        timeout: Duration::from_secs_f64(args.timeout),
    };
    // The trees are chalk's SLG answers, so the run they are compared with
    // needs no other solver.
    let options = RunOptions {
        solvers: SolverSelection::Slg,
        limits: Limits {
            timeout: Duration::from_secs_f64(args.timeout),
            ..Limits::default()
        },
        ..RunOptions::default()
    };
    let mut exit = Exit::Success;
    let mut out = String::new();
    let mut docs = Vec::new();
    for path in &args.files {
        let Some(source) = crate::read_source(path) else {
            exit = exit.max(Exit::Usage);
            continue;
        };
        let index = LineIndex::new(&source);
        let selection = match (args.goal, args.line) {
            (Some(n), _) => Selection::Goals(vec![n.saturating_sub(1)]),
            (None, Some(l)) => match index.line_span(&source, l) {
                Some(span) => Selection::Within(span),
                None => {
                    eprintln!("error: `{}` has no line {l}", path.display());
                    exit = exit.max(Exit::Usage);
                    continue;
                }
            },
            (None, None) => Selection::All,
        };
        let db = Database::new(Arc::new(DesignLayer));
        let language = chalkboard_solver::db::Language::of_path(path);
        let explained = explain_text(
            &db, &source, language, &options, config, &selection, &limits,
        );
        let name = path.display().to_string();
        if explained.report.program.is_none() {
            exit = exit.max(Exit::Failure);
        }
        if explained.goals.is_empty() && (args.goal.is_some() || args.line.is_some()) {
            eprintln!("error: `{name}` has no such goal");
            exit = exit.max(Exit::Usage);
        }
        for g in &explained.goals {
            match &g.explanation {
                None => exit = exit.max(Exit::Failure),
                Some(e) if e.error.is_some() || e.panicked => exit = exit.max(Exit::Internal),
                Some(e) if e.status == Status::Limit => exit = exit.max(Exit::Limit),
                Some(_) => {}
            }
        }
        let file = Rendered {
            path: &name,
            source: &source,
            index: &index,
        };
        match args.format {
            ExplainFormat::Text => out.push_str(&file.text(&explained)),
            ExplainFormat::Markdown => out.push_str(&file.markdown(&explained)),
            ExplainFormat::Json => docs.push(file.json(&explained)),
        }
    }
    if let ExplainFormat::Json = args.format {
        let doc = json!({ "version": 1, "files": docs });
        out = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.push('\n');
    }
    crate::print_out(&out);
    exit
}

/// `run --explain`: the explanation of every goal of a run with a failed
/// expectation, by the goal's position.
pub fn failed_expectations(
    db: &Database,
    source: &str,
    language: chalkboard_solver::db::Language,
    options: &RunOptions,
    config: chalkboard_solver::Config,
    report: &chalkboard_solver::FileReport,
) -> std::collections::BTreeMap<usize, Explanation> {
    use chalkboard_solver::run::ExpectationStatus;
    let failed: Vec<usize> = report
        .goals
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            g.expectations
                .iter()
                .any(|e| matches!(e.status, ExpectationStatus::Fails { .. }))
        })
        .map(|(i, _)| i)
        .collect();
    if failed.is_empty() {
        return Default::default();
    }
    let limits = ExplainLimits {
        timeout: options.limits.timeout,
        ..ExplainLimits::default()
    };
    let options = RunOptions {
        solvers: SolverSelection::Slg,
        ..options.clone()
    };
    explain_text(
        db,
        source,
        language,
        &options,
        config,
        &Selection::Goals(failed),
        &limits,
    )
    .goals
    .into_iter()
    .filter_map(|g| Some((g.index, g.explanation?)))
    .collect()
}

/// One file's text, for placing spans.
pub struct Rendered<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub index: &'a LineIndex,
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Holds => "✓ holds",
        Status::Fails => "✗ fails",
        Status::Ambiguous => "? ambiguous",
        Status::Limit => "! limit",
    }
}

/// An impl's header in Markdown: in backticks, so `<T>` is not read as
/// HTML (texts that quote their code already are left as they are).
fn code_unless_quoted(text: &str) -> String {
    if text.contains('`') {
        text.to_string()
    } else {
        format!("`{text}`")
    }
}

/// Quantifiers and implications print as their step, not their goal.
fn headline_is_step(node: &Node) -> bool {
    node.kind == NodeKind::Goal
        && matches!(
            node.step.kind,
            StepKind::ForAll | StepKind::Exists | StepKind::Implies
        )
        && !node.step.text.is_empty()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Rendered<'_> {
    fn line(&self, span: Span) -> usize {
        self.index.line_col(self.source, span.start as usize).0
    }

    fn place(&self, place: Option<Place>) -> Option<String> {
        match place? {
            Place::File(span) => Some(format!("line {}", self.line(span))),
            Place::Prelude { line } => Some(format!("prelude line {line}")),
        }
    }

    /// The bracketed facts of a node: its rule (registry or kind), chalk's
    /// rule name and where it was written.
    fn tags(&self, node: &Node) -> String {
        let mut tags = Vec::new();
        let structural = node.kind != NodeKind::Clause;
        if node.step.rule.is_some() || !structural {
            tags.push(node.step.rule_name().to_string());
        }
        if let Some(chalk) = node.step.chalk_rule {
            tags.push(chalk.to_string());
        }
        if let Some(p) = self.place(node.step.place) {
            tags.push(p);
        }
        if tags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", tags.join(", "))
        }
    }

    /// The lines under a node's headline.
    fn details(&self, node: &Node, parent_goal: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(about) = &node.about {
            match self.place(about.place) {
                Some(p) => out.push(format!("{} ({p})", about.text)),
                None => out.push(about.text.clone()),
            }
        }
        if node.kind == NodeKind::Goal
            && !node.step.text.is_empty()
            && !matches!(node.step.kind, StepKind::All | StepKind::Domain)
            && !headline_is_step(node)
        {
            out.push(node.step.text.clone());
        }
        if node.kind == NodeKind::Clause
            && !node.goal.is_empty()
            && Some(node.goal.as_str()) != parent_goal
        {
            out.push(format!("for `{}`", node.goal));
        }
        if let Some(note) = &node.note {
            out.push(format!("note: {note}"));
        }
        if node.omitted > 0 {
            out.push(if node.status == Status::Holds {
                format!(
                    "({} other clause(s) not shown: one derivation is enough)",
                    node.omitted
                )
            } else {
                format!("({} more alternative(s) not shown)", node.omitted)
            });
        }
        if let Some(cut) = node.cut {
            out.push(format!("✂ {}", cut.reason()));
        }
        if !node.consistent {
            out.push(
                "warning: chalk's answer for this node is not what its children say".to_string(),
            );
        }
        out
    }

    fn headline(&self, node: &Node) -> String {
        match node.kind {
            // A quantifier or an implication reads as its step ("for every
            // `H`"); its goal is its child's, one line down.
            NodeKind::Goal if headline_is_step(node) => {
                format!(
                    "{} {}{}",
                    mark(node.status),
                    node.step.text,
                    self.tags(node)
                )
            }
            NodeKind::Goal => format!("{} {}{}", mark(node.status), node.goal, self.tags(node)),
            NodeKind::Clause => format!(
                "{} by {}{}",
                mark(node.status),
                node.step.text,
                self.tags(node)
            ),
            NodeKind::Case => format!(
                "{} {}{}",
                mark(node.status),
                node.step.text,
                self.tags(node)
            ),
        }
    }

    fn tree(
        &self,
        out: &mut String,
        node: &Node,
        first: &str,
        rest: &str,
        parent_goal: Option<&str>,
    ) {
        out.push_str(first);
        out.push_str(&self.headline(node));
        out.push('\n');
        let bar = if node.children.is_empty() {
            "   "
        } else {
            "│  "
        };
        for d in self.details(node, parent_goal) {
            out.push_str(rest);
            out.push_str(bar);
            out.push_str(&d);
            out.push('\n');
        }
        let goal = match node.kind {
            NodeKind::Goal | NodeKind::Case => Some(node.goal.as_str()),
            NodeKind::Clause => parent_goal,
        };
        for (i, child) in node.children.iter().enumerate() {
            let last = i + 1 == node.children.len();
            let (f, r) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            self.tree(
                out,
                child,
                &format!("{rest}{f}"),
                &format!("{rest}{r}"),
                goal,
            );
        }
    }

    /// The explanation of one goal as text: a header, then the tree.
    pub fn explanation_text(&self, e: &Explanation, indent: &str) -> String {
        let mut out = String::new();
        out.push_str(&format!("{indent}chalk (slg): {}\n", e.answer));
        if let Some(error) = &e.error {
            out.push_str(&format!("{indent}no tree: {error}\n"));
            return out;
        }
        match &e.disagreement {
            None => out.push_str(&format!("{indent}the tree agrees with chalk's answer\n")),
            Some(d) => out.push_str(&format!(
                "{indent}warning: the tree does not support chalk's answer: {d}\n"
            )),
        }
        if let Some(tree) = &e.tree {
            self.tree(&mut out, tree, indent, indent, None);
        }
        out
    }

    fn goal_header(&self, g: &GoalExplanation) -> String {
        let (line, col) = self.index.line_col(self.source, g.span.start as usize);
        format!(
            "{}:{line}:{col}: goal {{ {} }}\n",
            self.path,
            one_line(&g.text)
        )
    }

    pub fn text(&self, f: &FileExplanation) -> String {
        let mut out = String::new();
        if f.config_name != "explicit" {
            out.push_str(&format!(
                "== {} under the {} design ==\n",
                self.path, f.config_name
            ));
        }
        for d in &f.report.diagnostics {
            out.push_str(&crate::text::render_diagnostic(
                d,
                self.path,
                self.source,
                self.index,
                false,
            ));
        }
        if f.report.program.is_none() {
            out.push_str(&format!(
                "{}: the program was rejected, so no goal is explained\n",
                self.path
            ));
            return out;
        }
        // The layer's checks that failed or could not decide (a design's
        // impl obligations), each with its tree.
        let checks = f
            .report
            .layer
            .checks
            .iter()
            .filter(|c| c.explanation.is_some() && f.selection == Selection::All);
        for c in checks {
            let (line, col) = self.index.line_col(self.source, c.span.start as usize);
            out.push_str(&format!(
                "{}:{line}:{col}: {}: {}: {}\n",
                self.path,
                c.name,
                c.verdict.word(),
                c.verdict.reason()
            ));
            if let Some(e) = &c.explanation {
                out.push_str(&self.explanation_text(e, "  "));
            }
            out.push('\n');
        }
        if f.goals.is_empty() {
            out.push_str(&format!("{}: no goal to explain\n", self.path));
        }
        for g in &f.goals {
            out.push_str(&self.goal_header(g));
            if let Some(d) = &g.error {
                out.push_str(&crate::text::render_diagnostic(
                    d,
                    self.path,
                    self.source,
                    self.index,
                    false,
                ));
                continue;
            }
            if let Some(e) = &g.explanation {
                out.push_str(&self.explanation_text(e, "  "));
                if let Some(s) = g.solver.filter(|s| *s != e.status) {
                    out.push_str(&format!(
                        "  warning: the run's SLG solver answered `{}` here: it keeps its tables between a file's goals, so an earlier goal can change its answer; asked on its own, as here, chalk answers `{}`\n",
                        s.word(),
                        e.status.word()
                    ));
                }
            }
            out.push('\n');
        }
        out
    }

    fn location(&self, span: Span) -> Value {
        crate::json::location(self.source, self.index, span.start, span.end)
    }

    fn place_json(&self, place: Option<Place>) -> (Value, Value) {
        match place {
            Some(Place::File(span)) => (self.location(span), Value::Null),
            Some(Place::Prelude { line }) => (Value::Null, json!(line)),
            None => (Value::Null, Value::Null),
        }
    }

    pub fn node_json(&self, node: &Node) -> Value {
        let (span, prelude_line) = self.place_json(node.step.place);
        json!({
            "node": match node.kind {
                NodeKind::Goal => "goal",
                NodeKind::Clause => "clause",
                NodeKind::Case => "case",
            },
            "goal": node.goal,
            "result": node.status.word(),
            "rule": node.step.rule_name(),
            "kind": node.step.kind.name(),
            "chalk_rule": node.step.chalk_rule,
            "origin": node.step.text,
            "span": span,
            "prelude_line": prelude_line,
            "about": node.about.as_ref().map(|a| {
                let (span, prelude_line) = self.place_json(a.place);
                json!({ "text": a.text, "span": span, "prelude_line": prelude_line })
            }),
            "note": node.note,
            "cut": node.cut.map(|c| c.word()),
            "omitted": node.omitted,
            "consistent": node.consistent,
            "holds_as_part": node.holds_as_part,
            "children": node.children.iter().map(|c| self.node_json(c)).collect::<Vec<_>>(),
        })
    }

    pub fn json(&self, f: &FileExplanation) -> Value {
        json!({
            "path": self.path,
            "design": f.config_name,
            "rejected": f.report.program.is_none(),
            "diagnostics": f.report.diagnostics.iter()
                .map(|d| crate::json::diagnostic(d, self.path, self.source, self.index))
                .collect::<Vec<_>>(),
            "checks": f.report.layer.checks.iter().filter_map(|c| {
                let e = c.explanation.as_ref()?;
                Some(json!({
                    "kind": c.kind,
                    "name": c.name,
                    "span": self.location(c.span),
                    "verdict": c.verdict.word(),
                    "reason": c.verdict.reason(),
                    "answer": e.answer,
                    "agrees_with_solver": e.agrees,
                    "disagreement": e.disagreement,
                    "cut": e.cut,
                    "explain_error": e.error,
                    "tree": e.tree.as_ref().map(|t| self.node_json(t)),
                }))
            }).collect::<Vec<_>>(),
            "goals": f.goals.iter().map(|g| {
                let e = g.explanation.as_ref();
                json!({
                    "index": g.index + 1,
                    "goal": g.text,
                    "span": self.location(g.span),
                    "error": g.error.as_ref().map(|d| crate::json::diagnostic(d, self.path, self.source, self.index)),
                    "verdict": e.map(|e| e.status.word()),
                    "answer": e.map(|e| e.answer.clone()),
                    "solver_verdict": g.solver.map(|s| s.word()),
                    "agrees_with_solver": g.agrees_with_solver(),
                    "disagreement": e.and_then(|e| e.disagreement.clone()),
                    "cut": e.is_some_and(|e| e.cut),
                    "explain_error": e.and_then(|e| e.error.clone()),
                    "tree": e.and_then(|e| e.tree.as_ref()).map(|t| self.node_json(t)),
                })
            }).collect::<Vec<_>>(),
        })
    }

    /// A node and its children as a Markdown list.
    fn markdown_tree(
        &self,
        out: &mut String,
        node: &Node,
        depth: usize,
        parent_goal: Option<&str>,
    ) {
        let indent = "  ".repeat(depth);
        let rule = |node: &Node| -> String {
            let mut tags = Vec::new();
            // Links are relative to `docs/`, where design documents that
            // embed explanations live.
            if let Some(r) = node.step.rule {
                tags.push(format!("[`{}`]({})", r.name, r.doc));
            } else if node.kind == NodeKind::Clause {
                tags.push(format!(
                    "[`{}`](explain.md#{})",
                    node.step.kind.name(),
                    node.step.kind.name()
                ));
            }
            if let Some(c) = node.step.chalk_rule {
                tags.push(format!("`{c}`"));
            }
            if let Some(p) = self.place(node.step.place) {
                tags.push(p);
            }
            if tags.is_empty() {
                String::new()
            } else {
                format!(" ({})", tags.join(", "))
            }
        };
        let head = match node.kind {
            NodeKind::Goal if headline_is_step(node) => {
                format!("{} {}{}", mark(node.status), node.step.text, rule(node))
            }
            NodeKind::Goal => format!("{} `{}`{}", mark(node.status), node.goal, rule(node)),
            NodeKind::Clause => format!(
                "{} by {}{}",
                mark(node.status),
                code_unless_quoted(&node.step.text),
                rule(node)
            ),
            NodeKind::Case => format!("{} {}{}", mark(node.status), node.step.text, rule(node)),
        };
        out.push_str(&format!("{indent}- {head}"));
        let details = self.details(node, parent_goal);
        if !details.is_empty() {
            out.push_str(&format!(": {}", details.join("; ")));
        }
        out.push('\n');
        let goal = match node.kind {
            NodeKind::Goal | NodeKind::Case => Some(node.goal.as_str()),
            NodeKind::Clause => parent_goal,
        };
        for c in &node.children {
            self.markdown_tree(out, c, depth + 1, goal);
        }
    }

    /// The explanation of one goal as Markdown (a list), for `explain` and
    /// `compare --format markdown --explain`.
    pub fn explanation_markdown(&self, e: &Explanation) -> String {
        let mut out = format!("chalk (slg): `{}`", e.answer);
        match (&e.error, &e.disagreement) {
            (Some(error), _) => {
                out.push_str(&format!("; no tree: {error}\n"));
                return out;
            }
            (None, None) => out.push_str(" (the tree agrees)\n\n"),
            (None, Some(d)) => out.push_str(&format!(
                "\n\n**warning**: the tree does not support chalk's answer: {d}\n\n"
            )),
        }
        if let Some(tree) = &e.tree {
            self.markdown_tree(&mut out, tree, 0, None);
        }
        out
    }

    pub fn markdown(&self, f: &FileExplanation) -> String {
        let mut out = format!("#### `{}` ({} design)\n\n", self.path, f.config_name);
        if f.report.program.is_none() {
            out.push_str("The program was rejected, so no goal is explained.\n\n");
            return out;
        }
        let checks = f
            .report
            .layer
            .checks
            .iter()
            .filter(|c| c.explanation.is_some() && f.selection == Selection::All);
        for c in checks {
            out.push_str(&format!(
                "{} `{}`: **{}**: {}\n\n",
                c.kind,
                c.name,
                c.verdict.word(),
                c.verdict.reason()
            ));
            if let Some(e) = &c.explanation {
                out.push_str(&self.explanation_markdown(e));
                out.push('\n');
            }
        }
        for g in &f.goals {
            out.push_str(&format!(
                "Goal {}: `{}`\n\n",
                g.index + 1,
                one_line(&g.text)
            ));
            match (&g.error, &g.explanation) {
                (Some(d), _) => out.push_str(&format!("error: {}\n\n", d.message)),
                (None, Some(e)) => {
                    out.push_str(&self.explanation_markdown(e));
                    out.push('\n');
                }
                (None, None) => {}
            }
        }
        out
    }
}
