//! Renders `chalkboard compare` as text, Markdown or JSON.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chalkboard_designs::compare::{compare, Comparison};
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
        let table = compare(
            &source,
            chalkboard_solver::db::Language::of_path(path),
            &options,
        );
        let name = path.display().to_string();
        match args.format {
            CompareFormat::Text => out.push_str(&text(&name, &table, &source, args.verbose)),
            CompareFormat::Markdown => out.push_str(&markdown(&name, &table)),
            CompareFormat::Json => docs.push(json_doc(&name, &table)),
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

fn text(path: &str, table: &Comparison, source: &str, verbose: bool) -> String {
    let mut out = format!("{path}\n");
    let index = crate::text::LineIndex::new(source);
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
                        crate::text::render_diagnostic(d, path, source, &index, false).lines()
                    {
                        out.push_str(&format!("          {line}\n"));
                    }
                }
            }
        }
    }
    out
}

fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(path: &str, table: &Comparison) -> String {
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
    out
}

fn json_doc(path: &str, table: &Comparison) -> serde_json::Value {
    json!({
        "path": path,
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
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
