//! Bodies written as code in `.chalk` files (rule `chalk-body-as-rust`)
//! give the verdicts of `holds` lists: each program of the corpus with code
//! bodies is compared, under every design, with the same program whose
//! bodies are replaced by `holds` lists of the types the body checker
//! computes; and the design programs with code bodies give the verdicts of
//! the documents' programs that state their `holds` lists by hand.

mod common;
use common::*;

use std::collections::BTreeMap;

/// A program with code bodies, and for each body (as written, from `{` to
/// `}`) the `holds` list that states what the body checker finds it holds.
struct Twin {
    path: &'static str,
    bodies: &'static [(&'static str, &'static str)],
}

const TWINS: &[Twin] = &[
    Twin {
        path: "programs/designs/bodies_middleware.chalk",
        bodies: &[
            (
                "{\n        self.inner.call(req).await\n    }",
                "holds <T as HttpService>::call<'static>;",
            ),
            ("{\n        Response {}\n    }", ""),
        ],
    },
    Twin {
        path: "programs/designs/bodies_rc_field_iterator.chalk",
        bodies: &[
            ("{ 0 }", ""),
            (
                "{\n        let cache = &self.cache;\n        self.socket.read(buf).await\n    }",
                "holds &'static Rc<Vec<u8>>, <Socket as AsyncRead>::read<'static, 'static>;",
            ),
        ],
    },
    Twin {
        path: "programs/designs/bodies_my_custom_iterator.chalk",
        bodies: &[
            ("{ 0 }", ""),
            (
                "{\n        let ssh_key = self.keys.current_key();\n        self.socket.read(buf).await\n    }",
                "holds Rc<Vec<u8>>, <Socket as AsyncRead>::read<'static, 'static>;",
            ),
        ],
    },
    Twin {
        path: "programs/async/bodies_health_check.chalk",
        bodies: &[
            ("{ true }", ""),
            (
                "{\n        let up = self.probe.probe(server).await;\n        if up {\n            true\n        } else {\n            self.failures = self.failures + 1;\n            false\n        }\n    }",
                "holds <Ping as Probe>::probe<'static, 'static>;",
            ),
            (
                "{\n        let cached = &self.server;\n        match self.probe.probe(server).await {\n            true => true,\n            false => false,\n        }\n    }",
                "holds &'static Rc<Server>, <Ping as Probe>::probe<'static, 'static>;",
            ),
            (
                "{\n        self.probe.probe(server).await\n    }",
                "holds <Ping as Probe>::probe<'static, 'static>;",
            ),
            (
                "{\n        loop {\n            if self.inner.check(server).await {\n                return true;\n            }\n        }\n    }",
                "holds <H as HealthCheck>::check<'static, 'static>;",
            ),
        ],
    },
];

/// The program with each code body replaced by its `holds` list, on as
/// many lines, so that every diagnostic and goal keeps its line.
fn holds_twin(twin: &Twin) -> String {
    let mut text = std::fs::read_to_string(workspace_root().join(twin.path)).unwrap();
    for (code, holds) in twin.bodies {
        assert_eq!(
            text.matches(code).count(),
            1,
            "{}: the body `{code}` is not in the program exactly once",
            twin.path
        );
        let padding = "\n".repeat(code.lines().count() - 1);
        let replacement = if holds.is_empty() {
            format!("{{ }}{padding}")
        } else {
            format!("{{ {holds} }}{padding}")
        };
        text = text.replace(code, &replacement);
    }
    text
}

/// `chalkboard compare` of a program without the rows of functions with
/// bodies (a `holds` list has none) and with the file's name left out.
fn verdicts(path: &str) -> String {
    let run = run_chalkboard(&["compare", path]);
    assert_eq!(run.code, 0, "compare {path} failed: {}", run.stderr);
    let mut out = String::new();
    let mut in_fn_row = false;
    for line in run.stdout.lines().skip(1) {
        if line.starts_with("  [") {
            in_fn_row = line.starts_with("  [fn] ");
        }
        if !in_fn_row {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The answer lines of `chalkboard run` (each solver's answer and each
/// expectation's status), without the goal headers, which name the file.
fn answers(path: &str) -> Vec<String> {
    let run = run_chalkboard(&["run", "--color", "never", path]);
    assert_eq!(run.code, 0, "run {path} failed: {}", run.stdout);
    run.stdout
        .lines()
        .filter_map(|l| {
            if l.starts_with("    ") {
                Some(l.trim().to_string())
            } else {
                // `FILE:LINE:COL: expected rejection holds: ..`
                l.split_once(": expected rejection")
                    .map(|(_, rest)| rest.to_string())
            }
        })
        .collect()
}

#[test]
fn code_bodies_give_the_verdicts_of_their_holds_lists() {
    for twin in TWINS {
        let holds = holds_twin(twin);
        let name = twin.path.replace('/', "_");
        let holds_path = scratch_file("chalk-bodies", &name, &holds);
        let holds_path = holds_path.to_str().unwrap();
        assert!(
            !holds
                .lines()
                .any(|l| l.contains(".await") && !l.trim_start().starts_with("//")),
            "{}: code left in the twin",
            twin.path
        );
        assert_eq!(
            verdicts(twin.path),
            verdicts(holds_path),
            "{}: the code and its `holds` lists give different verdicts",
            twin.path
        );
        let code_answers = answers(twin.path);
        assert!(!code_answers.is_empty(), "{}: nothing ran", twin.path);
        assert_eq!(code_answers, answers(holds_path), "{}", twin.path);
    }
}

/// The twins' `holds` lists are what `chalkboard desugar` reports the
/// bodies hold, so the comparison above is with the computed types.
#[test]
fn the_twins_hold_what_desugar_reports() {
    for twin in TWINS {
        let run = run_chalkboard(&["desugar", twin.path]);
        assert_eq!(run.code, 0, "desugar {} failed: {}", twin.path, run.stderr);
        let reported: Vec<String> = run
            .stdout
            .lines()
            .skip_while(|l| !l.starts_with("// What each future holds"))
            .take_while(|l| !l.is_empty())
            // `//   held_cached_2: &'static Rc<Server>: `cached`, declared ..`:
            // the values the body holds besides the arguments.
            .filter_map(|l| l.strip_prefix("//   held_"))
            .filter_map(|l| l.split_once(": ").map(|(_, rest)| rest))
            .filter_map(|l| l.split_once(": ").map(|(ty, _)| ty.to_string()))
            .collect();
        let stated: Vec<String> = twin
            .bodies
            .iter()
            .filter_map(|(_, holds)| holds.strip_prefix("holds "))
            .flat_map(|list| {
                // The types are separated by `, ` outside angle brackets.
                let list = list.trim_end_matches(';');
                let mut types = Vec::new();
                let (mut depth, mut start) = (0i32, 0);
                for (i, c) in list.char_indices() {
                    match c {
                        '<' => depth += 1,
                        '>' => depth -= 1,
                        ',' if depth == 0 => {
                            types.push(list[start..i].trim().to_string());
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                types.push(list[start..].trim().to_string());
                types
            })
            .collect();
        assert_eq!(reported, stated, "{}", twin.path);
    }
}

/// Each row's verdict (`holds`, `fails`, `ambiguous`) per design.
fn verdict_words(path: &str) -> BTreeMap<String, Vec<String>> {
    let run = run_chalkboard(&["compare", path]);
    assert_eq!(run.code, 0, "compare {path} failed: {}", run.stderr);
    let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for line in run.stdout.lines().skip(1) {
        if let Some(header) = line.strip_prefix("  [") {
            current = header.to_string();
            continue;
        }
        let mut words = line.split_whitespace();
        if let (Some(design), Some(verdict)) = (words.next(), words.next()) {
            rows.entry(current.clone())
                .or_default()
                .push(format!("{design} {verdict}"));
        }
    }
    rows
}

#[test]
fn code_bodies_give_the_verdicts_of_the_documents_programs() {
    let pairs = [
        (
            "programs/designs/bodies_middleware.chalk",
            "programs/designs/middleware.chalk",
        ),
        (
            "programs/designs/bodies_rc_field_iterator.chalk",
            "programs/designs/rc_field_iterator.chalk",
        ),
        (
            "programs/designs/bodies_my_custom_iterator.chalk",
            "programs/designs/my_custom_iterator.chalk",
        ),
    ];
    for (code, holds) in pairs {
        let code_rows = verdict_words(code);
        let holds_rows = verdict_words(holds);
        assert!(holds_rows.len() >= 3, "{holds}: too few rows");
        for (row, verdicts) in &holds_rows {
            assert_eq!(
                code_rows.get(row),
                Some(verdicts),
                "{code} and {holds} differ on `[{row}`"
            );
        }
    }
}
