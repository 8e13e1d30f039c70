//! Renders `chalkboard compare` as text, Markdown or JSON.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chalkboard_designs::compare::{compare_explained, Comparison};
use chalkboard_solver::explain::ExplainLimits;
use chalkboard_solver::{Limits, RunOptions};
use serde_json::json;

use crate::{CompareArgs, CompareFormat, Exit};

pub fn main(args: &CompareArgs) -> ExitCode {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        eprintln!("error: `--timeout` must be a positive number of seconds");
        return ExitCode::from(Exit::Usage as u8);
    }
    let options = RunOptions {
        limits: Limits {
            timeout: Duration::from_secs_f64(args.timeout),
            ..Limits::default()
        },
        ..RunOptions::default()
    };
    let mut out = String::new();
    let mut docs = Vec::new();
    let mut exit = Exit::Success;
    for path in &args.files {
        let Some(source) = crate::read_source(path) else {
            exit = Exit::Usage;
            continue;
        };
        let limits = ExplainLimits {
            timeout: options.limits.timeout,
            ..ExplainLimits::default()
        };
        let table = compare_explained(&source, &options, args.explain.then_some(&limits));
        let name = path.display().to_string();
        let index = crate::text::LineIndex::new(&source);
        let file = crate::explain::Rendered {
            path: &name,
            source: &source,
            index: &index,
        };
        match args.format {
            CompareFormat::Text => out.push_str(&text(&file, &table, args.verbose)),
            CompareFormat::Markdown => out.push_str(&markdown(&file, &table)),
            CompareFormat::Json => docs.push(json_doc(&file, &table)),
        }
    }
    if let CompareFormat::Json = args.format {
        let doc = json!({ "version": 1, "files": docs });
        out = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.push('\n');
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    ExitCode::from(exit as u8)
}

fn cell_text(verdict: &chalkboard_solver::Verdict) -> String {
    format!("{}: {}", verdict.word(), verdict.reason())
}

fn text(file: &crate::explain::Rendered<'_>, table: &Comparison, verbose: bool) -> String {
    let (path, source, index) = (file.path, file.source, file.index);
    let mut out = format!("{path}\n");
    for row in &table.rows {
        out.push_str(&format!("  [{}] {}\n", row.kind, row.name));
        for (col, cell) in table.columns.iter().zip(&row.cells) {
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

fn markdown(file: &crate::explain::Rendered<'_>, table: &Comparison) -> String {
    let path = file.path;
    let mut out = format!("#### `{path}`\n\n| check |");
    for col in &table.columns {
        out.push_str(&format!(" {} |", col.name()));
    }
    out.push_str("\n|---|");
    for _ in &table.columns {
        out.push_str("---|");
    }
    out.push('\n');
    for row in &table.rows {
        out.push_str(&format!(
            "| {}: {} |",
            row.kind,
            escape_cell(&format!("`{}`", row.name))
        ));
        for cell in &row.cells {
            out.push_str(&format!(
                " **{}**: {} |",
                cell.verdict.word(),
                escape_cell(cell.verdict.reason())
            ));
        }
        out.push('\n');
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

fn json_doc(file: &crate::explain::Rendered<'_>, table: &Comparison) -> serde_json::Value {
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
