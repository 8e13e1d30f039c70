//! Renders `chalkboard compare` as text, Markdown or JSON.

use std::time::Duration;

use chalkboard_designs::compare::{compare_in, Comparison};
use chalkboard_solver::explain::ExplainLimits;
use chalkboard_solver::{Limits, RunOptions};
use serde_json::json;

use crate::rustc::RustcRun;
use crate::{CompareArgs, CompareFormat, Exit};
use chalkboard_solver::db::{Database, Language, SourceFile};

pub fn main(args: &CompareArgs) -> Exit {
    let Some(options) = options(args) else {
        return Exit::Usage;
    };
    let mut out = String::new();
    let mut docs = Vec::new();
    let mut exit = Exit::Success;
    let rustc = args.rustc.then(crate::rustc::find);
    let files = match crate::suite::compare_files(&args.files, &args.select) {
        Ok(files) => files,
        Err(exit) => return exit,
    };
    if args.watch {
        return crate::watch::compare(args, &files, &options);
    }
    // Each file is compared on a worker thread, in a database of its own,
    // and its part of the output is added in the order of the files.
    let jobs = crate::suite::jobs(&args.select, files.len());
    crate::suite::in_order(
        &files,
        jobs,
        |path| compare_file(args, &options, rustc.as_ref(), path),
        |file| {
            exit = exit.max(file.exit);
            eprint!("{}", file.stderr);
            out.push_str(&file.out);
            docs.extend(file.docs);
        },
    );
    finish(args.format, &mut out, docs);
    crate::print_out(&out);
    exit
}

/// The run options of `compare`, or `None` (said on stderr) for a bad
/// `--timeout`.
pub fn options(args: &CompareArgs) -> Option<RunOptions> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        eprintln!("error: `--timeout` must be a positive number of seconds");
        return None;
    }
    Some(RunOptions {
        limits: Limits {
            timeout: Duration::from_secs_f64(args.timeout),
            ..Limits::default()
        },
        ..RunOptions::default()
    })
}

/// Ends the output of every file: with `--format json`, one document of
/// every file's.
pub fn finish(format: CompareFormat, out: &mut String, docs: Vec<serde_json::Value>) {
    if let CompareFormat::Json = format {
        let doc = json!({ "version": 1, "files": docs });
        *out = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.push('\n');
    }
}

/// Compares one file, kept in `db`, and appends its table to `out` (or,
/// with `--format json`, its document to `docs`).
#[allow(clippy::too_many_arguments)]
pub fn file_table(
    args: &CompareArgs,
    options: &RunOptions,
    rustc: Option<&Option<std::path::PathBuf>>,
    db: &Database,
    file: SourceFile,
    path: &std::path::Path,
    out: &mut String,
    docs: &mut Vec<serde_json::Value>,
    stderr: &mut String,
) -> Exit {
    let mut exit = Exit::Success;
    let language = Language::of_path(path);
    let limits = ExplainLimits {
        timeout: options.limits.timeout,
        ..ExplainLimits::default()
    };
    let table = compare_in(db, file, options, args.explain.then_some(&limits));
    let source = file.text(db).as_str();
    let name = path.display().to_string();
    let index = crate::text::LineIndex::new(source);
    let file = crate::explain::Rendered {
        path: &name,
        source,
        index: &index,
    };
    let oracle = rustc.map(|found| {
        let column = oracle_column(found.as_deref(), path, language);
        // A file written for a macro crate is not the user's mistake: the
        // column says why rustc did not judge it, and that is all.
        if let Err(not_run) = &column {
            if not_run.needs_crate.is_none() {
                stderr.push_str(&format!("error: `--rustc` on `{name}`: {}\n", not_run.why));
                exit = Exit::Usage;
            }
        }
        column
    });
    match args.format {
        CompareFormat::Text => {
            out.push_str(&text(&file, &table, args.verbose, oracle.as_ref()));
            if args.timings {
                out.push_str(&timings_text(&name, &table));
            }
        }
        CompareFormat::Markdown => {
            out.push_str(&markdown(&file, &table, oracle.as_ref()));
            if args.timings {
                out.push_str(&timings_markdown(&table));
            }
        }
        CompareFormat::Json => {
            let mut doc = json_doc(&file, &table, oracle.as_ref());
            if args.timings {
                doc["timings"] = table
                    .columns
                    .iter()
                    .zip(&table.timings)
                    .map(|(c, t)| (c.name(), crate::json::timings(t, &|_| None)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
            docs.push(doc);
        }
    }
    exit
}

/// What the `rustc` column shows for a file: rustc's verdict, or why it
/// was not run.
pub type Oracle = Result<RustcRun, NotRun>;

/// Why rustc's verdict is missing from the `rustc` column.
#[derive(Debug)]
pub struct NotRun {
    why: String,
    /// The macro crate the file uses and rustc alone cannot resolve; then
    /// nothing is wrong with how chalkboard was run.
    needs_crate: Option<&'static str>,
}

impl From<String> for NotRun {
    fn from(why: String) -> NotRun {
        NotRun {
            why,
            needs_crate: None,
        }
    }
}

impl From<&str> for NotRun {
    fn from(why: &str) -> NotRun {
        NotRun::from(why.to_string())
    }
}

fn oracle_column(
    rustc: Option<&std::path::Path>,
    path: &std::path::Path,
    language: Language,
) -> Oracle {
    if language != Language::Rust {
        return Err("rustc reads Rust files (`.rs`) only".into());
    }
    let rustc = rustc.ok_or("no rustc found: put one on `PATH` or name it in `$RUSTC`")?;
    let run = crate::rustc::run(rustc, path)?;
    match run.errors.first().and_then(missing_macro_crate) {
        Some(krate) => Err(NotRun {
            why: match krate {
                "dyner" => "the file uses `dyner`, which was never published, so rustc cannot \
                            build it (docs/macros.md)"
                    .to_string(),
                _ => format!(
                    "the file uses the `{krate}` crate, which rustc alone cannot resolve \
                     (docs/macros.md: how the macro programs are checked with the real crate)"
                ),
            },
            needs_crate: Some(krate),
        }),
        None => Ok(run),
    }
}

/// The macro crates chalkboard's model of std provides (docs/macros.md):
/// a file that uses them is read by chalkboard, but rustc alone cannot
/// resolve them, so its "unresolved import" is about the set-up, not the
/// program.
const MACRO_CRATES: [&str; 3] = ["async_trait", "trait_variant", "dyner"];

/// The macro crate rustc could not resolve, when that is what its first
/// error says (E0432 unresolved import, E0433 failed to resolve).
fn missing_macro_crate(error: &crate::rustc::RustcError) -> Option<&'static str> {
    if !matches!(error.code.as_deref(), Some("E0432" | "E0433")) {
        return None;
    }
    MACRO_CRATES
        .into_iter()
        .find(|krate| error.message.contains(&format!("`{krate}")))
}

/// The `rustc` column's text: rustc's verdict and first error, or why it
/// did not run.
fn oracle_text(oracle: &Oracle) -> String {
    match oracle {
        Ok(run) => run.summary(),
        Err(not_run) => format!("not run: {}", not_run.why),
    }
}

fn cell_text(verdict: &chalkboard_solver::Verdict) -> String {
    format!("{}: {}", verdict.word(), verdict.reason())
}

pub fn text(
    file: &crate::explain::Rendered<'_>,
    table: &Comparison,
    verbose: bool,
    oracle: Option<&Oracle>,
) -> String {
    let (path, source, index) = (file.path, file.source, file.index);
    let mut out = format!("{path}\n");
    for (i, row) in table.rows.iter().enumerate() {
        out.push_str(&format!("  [{}] {}\n", row.kind, row.name));
        for (j, (col, cell)) in table.columns.iter().zip(&row.cells).enumerate() {
            // rustc's verdict is about the program as a whole (the first
            // row), and the explicit design (the first column) is what
            // rustc implements: the two are shown together.
            if let Some(oracle) = oracle.filter(|_| i == 0 && j == 1) {
                out.push_str(&format!("      {:<16} {}\n", "rustc", oracle_text(oracle)));
            }
            out.push_str(&format!(
                "      {:<16} {}\n",
                col.name(),
                cell_text(&cell.verdict)
            ));
            if verbose {
                if let Some(d) = &cell.diagnostic {
                    for line in
                        crate::text::render_diagnostic(d, path, source, index, false).lines()
                    {
                        out.push_str(&format!("          {line}\n"));
                    }
                }
            }
            if let Some(e) = &cell.explanation {
                out.push_str(&file.explanation_text(e, "          "));
            }
        }
    }
    out
}

fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(
    file: &crate::explain::Rendered<'_>,
    table: &Comparison,
    oracle: Option<&Oracle>,
) -> String {
    let path = file.path;
    // The `rustc` column, when asked for, follows the explicit design's (the
    // first): rustc implements that design.
    let mut header = vec!["check".to_string()];
    let mut rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| {
            vec![format!(
                "{}: {}",
                row.kind,
                escape_cell(&format!("`{}`", row.name))
            )]
        })
        .collect();
    for (j, col) in table.columns.iter().enumerate() {
        header.push(col.name());
        for (row, cells) in table.rows.iter().zip(&mut rows) {
            let cell = &row.cells[j];
            cells.push(format!(
                "**{}**: {}",
                cell.verdict.word(),
                escape_cell(cell.verdict.reason())
            ));
        }
        if let Some(oracle) = oracle.filter(|_| j == 0) {
            header.push("rustc".to_string());
            for (i, cells) in rows.iter_mut().enumerate() {
                cells.push(match oracle {
                    // rustc's verdict is about the program as a whole: the first row.
                    _ if i > 0 => String::new(),
                    Ok(run) if run.accepted => "**accepted**".to_string(),
                    _ => escape_cell(&oracle_text(oracle)),
                });
            }
        }
    }
    let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
    let mut out = format!("#### `{path}`\n\n");
    out.push_str(&line(&header));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for cells in &rows {
        out.push_str(&line(cells));
    }
    out.push('\n');
    // Why each differing cell is what it is, folded away under the table.
    for row in &table.rows {
        for (col, cell) in table.columns.iter().zip(&row.cells) {
            let Some(e) = &cell.explanation else { continue };
            out.push_str(&format!(
                "<details>\n<summary>{}: <code>{}</code> under {}: <b>{}</b></summary>\n\n{}\n</details>\n\n",
                row.kind,
                html_escape(&row.name),
                col.name(),
                cell.verdict.word(),
                file.explanation_markdown(e)
            ));
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn json_doc(
    file: &crate::explain::Rendered<'_>,
    table: &Comparison,
    oracle: Option<&Oracle>,
) -> serde_json::Value {
    let mut doc = json_table(file, table);
    if let Some(oracle) = oracle {
        doc["rustc"] = match oracle {
            Ok(run) => json!({
                "verdict": if run.accepted { "accepted" } else { "rejected" },
                "summary": run.summary(),
                "errors": run.errors.iter().map(|e| json!({
                    "code": e.code,
                    "message": e.message,
                    "file": e.place.as_ref().map(|p| &p.0),
                    "line": e.place.as_ref().map(|p| p.1),
                    "column": e.place.as_ref().map(|p| p.2),
                })).collect::<Vec<_>>(),
            }),
            Err(not_run) => {
                json!({ "verdict": "not-run", "summary": oracle_text(oracle), "reason": not_run.why, "errors": [] })
            }
        };
    }
    doc
}

fn json_table(file: &crate::explain::Rendered<'_>, table: &Comparison) -> serde_json::Value {
    json!({
        "path": file.path,
        "columns": table.columns.iter().map(|c| c.name()).collect::<Vec<_>>(),
        "rows": table.rows.iter().map(|r| json!({
            "kind": r.kind,
            "name": r.name,
            "cells": r.cells.iter().map(|c| json!({
                "verdict": c.verdict.word(),
                "reason": c.verdict.reason(),
                "diagnostic": c.diagnostic.as_ref().map(|d| json!({
                    "code": d.code.name, "message": d.message, "help": d.help, "notes": d.notes,
                })),
                "explanation": c.explanation.as_ref().map(|e| json!({
                    "verdict": e.status.word(),
                    "answer": e.answer,
                    "agrees_with_solver": e.agrees,
                    "disagreement": e.disagreement,
                    "cut": e.cut,
                    "explain_error": e.error,
                    "tree": e.tree.as_ref().map(|t| file.node_json(t)),
                })),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `--timings`: one row per phase (and per goal that ran in some column),
/// one column per design, each cell that column's own time of the phase.
fn timings_matrix(table: &Comparison) -> (Vec<String>, Vec<Vec<String>>) {
    let per_column: Vec<Vec<(String, String)>> = table
        .timings
        .iter()
        .map(|t| crate::text::timings_rows(t, &|_| None))
        .collect();
    // Every column lists the same phases; the goals differ when a design
    // rejected the program, so the labels are their union, in order.
    let mut labels: Vec<String> = Vec::new();
    for rows in &per_column {
        for (label, _) in rows {
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
    }
    let goal = |l: &String| l.starts_with("goal ");
    let mut ordered: Vec<String> = labels.iter().filter(|l| !goal(l)).cloned().collect();
    let mut goals: Vec<String> = labels.iter().filter(|l| goal(l)).cloned().collect();
    goals.sort_by_key(|l| l[5..].parse::<usize>().unwrap_or(usize::MAX));
    // The goals come before the report, as in `run --timings`.
    let at = ordered.len().saturating_sub(2);
    ordered.splice(at..at, goals);
    let cells = ordered
        .iter()
        .map(|label| {
            per_column
                .iter()
                .map(|rows| {
                    rows.iter()
                        .find(|(l, _)| l == label)
                        .map_or_else(|| "-".to_string(), |(_, t)| t.clone())
                })
                .collect()
        })
        .collect();
    (ordered, cells)
}

fn timings_text(path: &str, table: &Comparison) -> String {
    let (labels, cells) = timings_matrix(table);
    let names: Vec<String> = table.columns.iter().map(|c| c.name()).collect();
    let first = labels.iter().map(|l| l.len()).max().unwrap_or(0).max(5);
    let widths: Vec<usize> = names
        .iter()
        .enumerate()
        .map(|(j, n)| {
            cells
                .iter()
                .map(|row: &Vec<String>| row[j].len())
                .max()
                .unwrap_or(0)
                .max(n.len())
        })
        .collect();
    let mut out = format!("timings of {path}:\n");
    let line = |label: &str, row: &[String]| {
        let mut l = format!("    {label:<first$}");
        for (cell, w) in row.iter().zip(&widths) {
            l.push_str(&format!("  {cell:>w$}"));
        }
        l.push('\n');
        l
    };
    out.push_str(&line("phase", &names));
    for (label, row) in labels.iter().zip(&cells) {
        out.push_str(&line(label, row));
    }
    out
}

fn timings_markdown(table: &Comparison) -> String {
    let (labels, cells) = timings_matrix(table);
    let names: Vec<String> = table.columns.iter().map(|c| c.name()).collect();
    let mut out = format!("\n| phase | {} |\n", names.join(" | "));
    out.push_str(&format!("|---|{}\n", "---|".repeat(names.len())));
    for (label, row) in labels.iter().zip(&cells) {
        out.push_str(&format!("| {label} | {} |\n", row.join(" | ")));
    }
    out
}

/// One file's part of `compare`'s output.
struct FileComparison {
    exit: Exit,
    out: String,
    docs: Vec<serde_json::Value>,
    stderr: String,
}

/// Compares one file under every design (on a worker thread of
/// [`crate::suite::in_order`]), in a database of its own.
fn compare_file(
    args: &CompareArgs,
    options: &RunOptions,
    rustc: Option<&Option<std::path::PathBuf>>,
    path: &std::path::Path,
) -> FileComparison {
    let mut comparison = FileComparison {
        exit: Exit::Success,
        out: String::new(),
        docs: Vec::new(),
        stderr: String::new(),
    };
    let Some(source) = crate::read_source(path) else {
        comparison.exit = Exit::Usage;
        return comparison;
    };
    let db = crate::program::database();
    let file = SourceFile::new(&db, source, Language::of_path(path));
    comparison.exit = file_table(
        args,
        options,
        rustc,
        &db,
        file,
        path,
        &mut comparison.out,
        &mut comparison.docs,
        &mut comparison.stderr,
    );
    // Rule run-deadline: the next file does not wait for this one's
    // database to be freed.
    crate::release(db);
    comparison
}
