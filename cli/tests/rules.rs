//! The rule registry against the docs and the code: docs/rules.md lists
//! exactly the registered rules (it embeds `chalkboard rules`), the page
//! each rule names describes it, and the code refers to each rule's value.

mod common;
use common::*;

use std::path::Path;

/// The rule names of `chalkboard rules` output (first column).
fn names(table: &str) -> Vec<String> {
    table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(String::from)
        .collect()
}

fn rules_table() -> String {
    let out = run_chalkboard(&["rules"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn docs_rules_md_embeds_the_registry() {
    let table = rules_table();
    let doc = std::fs::read_to_string(workspace_root().join("docs/rules.md")).unwrap();
    let embedded = doc
        .split("<!-- rules:begin -->\n")
        .nth(1)
        .and_then(|rest| rest.split("<!-- rules:end -->").next())
        .expect("docs/rules.md has the rules:begin/end markers");
    assert_eq!(
        embedded, table,
        "docs/rules.md is stale: replace the table with `chalkboard rules`"
    );
    let names = names(&table);
    assert!(names.len() > 40, "only {} rules registered", names.len());
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "a rule is registered twice");
}

#[test]
fn every_rule_is_described_on_its_page() {
    let mut missing = Vec::new();
    for line in rules_table().lines().skip(2) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let name = cells[0].trim_start_matches("| ").trim_matches('`');
        let page = cells[3]
            .split('(')
            .nth(1)
            .and_then(|p| p.split(')').next())
            .unwrap();
        let text =
            std::fs::read_to_string(workspace_root().join("docs").join(page)).unwrap_or_default();
        if !text.contains(&format!("`{name}`")) {
            missing.push(format!("{name} (docs/{page})"));
        }
    }
    assert!(
        missing.is_empty(),
        "rules not described on their page: {missing:?}"
    );
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "rules.rs")
        {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn the_code_refers_to_every_rule_by_its_value() {
    let crates = [
        ("lowering/src", "lowering/src/rules.rs"),
        ("solver/src", "solver/src/rules.rs"),
        ("solver/designs/src", "solver/designs/src/rules.rs"),
    ];
    let mut unreferenced = Vec::new();
    for (dir, table) in crates {
        let mut code = Vec::new();
        sources(&workspace_root().join(dir), &mut code);
        let code = code.join("\n");
        let table = std::fs::read_to_string(workspace_root().join(table)).unwrap();
        for line in table.lines() {
            let Some((constant, _)) = line.trim().split_once(" = (\"") else {
                continue;
            };
            if !code.contains(&format!("rules::{constant}")) {
                unreferenced.push(format!("{dir}: {constant}"));
            }
        }
    }
    assert!(
        unreferenced.is_empty(),
        "rules that no code refers to (apply them through the constant, or link it from the doc comment of the code that applies them): {unreferenced:?}"
    );
}
