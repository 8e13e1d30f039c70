//! The one registry of rules and diagnostic codes: the tables of every
//! crate, gathered (`chalkboard rules`, `chalkboard codes`).

use chalkboard_syntax::registry::{Code, Rule};

/// Every rule of chalkboard, in pipeline order.
pub fn rules() -> Vec<Rule> {
    [
        chalkboard_rust::rules::ALL,
        chalkboard_lowering::rules::ALL,
        chalkboard_solver::rules::ALL,
        chalkboard_designs::rules::ALL,
    ]
    .concat()
}

/// Every diagnostic code of chalkboard, in pipeline order.
pub fn codes() -> Vec<Code> {
    [
        chalkboard_syntax::codes::ALL,
        chalkboard_rust::codes::ALL,
        chalkboard_lowering::codes::ALL,
        chalkboard_solver::codes::ALL,
        chalkboard_designs::codes::ALL,
    ]
    .concat()
}

/// The rules as a Markdown table (docs/rules.md embeds it).
pub fn rules_markdown() -> String {
    let mut out =
        String::from("| rule | stage | what it does | described in |\n|---|---|---|---|\n");
    for r in rules() {
        out.push_str(&format!(
            "| `{}` | {} | {} | [{}]({}) |\n",
            r.name,
            r.stage.name(),
            r.summary.replace('|', "\\|"),
            r.doc,
            r.doc
        ));
    }
    out
}

/// The codes as a Markdown table.
pub fn codes_markdown() -> String {
    let mut out = String::from("| code | meaning |\n|---|---|\n");
    for c in codes() {
        out.push_str(&format!(
            "| `{}` | {} |\n",
            c.name,
            c.summary.replace('|', "\\|")
        ));
    }
    out
}
