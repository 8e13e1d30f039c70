//! Rule `parse-reuse`, checked against the full parse: whenever
//! [`reparse`] makes a tree, it is the tree, spans and all, that parsing
//! the whole new text gives, and that parse found no diagnostic.

use crate::parse_file;
use crate::reparse::reparse;

/// The corpus's `.chalk` programs, as (path, text).
fn corpus() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("the corpus can be read")
            .map(|e| e.expect("a corpus entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "chalk") {
                let text = std::fs::read_to_string(&path).expect("a corpus program");
                out.push((path.display().to_string(), text));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../programs");
    let mut out = Vec::new();
    walk(&root, &mut out);
    assert!(out.len() > 50, "the corpus was found at {}", root.display());
    out
}

/// A small deterministic generator (xorshift), so that a failure can be
/// run again.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One edit of `text`: a stretch of it removed, or a stretch of it (often
/// whole lines, as an editor copies them) inserted elsewhere, or both.
fn edit(text: &str, random: &mut Random) -> String {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i <= text.len())
        .collect();
    let pick = |random: &mut Random| -> usize {
        if random.below(2) == 0 {
            lines[random.below(lines.len())]
        } else {
            boundary(text, random.below(text.len() + 1))
        }
    };
    let (a, b) = (pick(random), pick(random));
    let (from, to) = (a.min(b), a.max(b));
    let taken = if to - from > 400 {
        &text[from..boundary(text, from + 400)]
    } else {
        &text[from..to]
    };
    let at = pick(random);
    let cut_end = boundary(text, at + random.below(40));
    let mut out = String::with_capacity(text.len() + taken.len());
    match random.below(3) {
        // Insert a copy.
        0 => {
            out.push_str(&text[..at]);
            out.push_str(taken);
            out.push_str(&text[at..]);
        }
        // Remove a stretch.
        1 => {
            out.push_str(&text[..from]);
            out.push_str(&text[to..]);
        }
        // Replace a short stretch with a copy.
        _ => {
            out.push_str(&text[..at]);
            out.push_str(taken);
            out.push_str(&text[cut_end..]);
        }
    }
    out
}

/// Checks one edit; returns whether the rule made the tree.
fn check(path: &str, old_text: &str, new_text: &str) -> bool {
    let (old, old_diagnostics) = parse_file(old_text);
    if !old_diagnostics.is_empty() {
        return false;
    }
    let Some(reparsed) = reparse(old_text, &old, new_text) else {
        return false;
    };
    let (full, diagnostics) = parse_file(new_text);
    assert!(
        diagnostics.is_empty(),
        "{path}: the rule made a tree, but the full parse finds {diagnostics:?}\n--- new text:\n{new_text}"
    );
    assert_eq!(
        format!("{reparsed:#?}"),
        format!("{full:#?}"),
        "{path}: the tree the rule made differs from the full parse\n--- new text:\n{new_text}"
    );
    assert!(reparsed == full, "{path}: the trees compare unequal");
    true
}

/// `REPARSE_SEED` and `REPARSE_EDITS` (edits per program, 60 by default)
/// run it with other edits, or more of them.
#[test]
fn reparse_gives_the_full_parse_on_random_edits_of_the_corpus() {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
    let seed = number("REPARSE_SEED").unwrap_or(0x9e37_79b9_7f4a_7c15);
    let iter = number("REPARSE_EDITS").unwrap_or(60) as usize;
    let mut random = Random(seed);
    let (mut clean, mut reused) = (0, 0);
    for (path, text) in corpus() {
        for _ in 0..iter {
            let new_text = edit(&text, &mut random);
            if check(&path, &text, &new_text) {
                reused += 1;
            }
            if parse_file(&text).1.is_empty() && parse_file(&new_text).1.is_empty() {
                clean += 1;
            }
        }
    }
    // The rule must apply to most edits that leave a program that parses
    // (it refuses an edit whose window holds a goal or a directive, and
    // edits in files with clauses), or this test checks little.
    assert!(
        reused * 2 > clean,
        "the rule made {reused} trees of {clean} edits that parse"
    );
}

/// The edits the REPL and an editor make, each of which the rule must
/// handle without falling back, and the ones it must refuse.
#[test]
fn reparse_keeps_what_an_edit_did_not_touch() {
    let text = "use prelude::*;\n\
                struct A { }\n\
                struct B { }\n\
                impl Send for A { }\n\
                goal { A: Send } yields { \"Unique\" }\n\
                error_msg { \"never\" }\n";
    let applies = |new_text: &str| check("example", text, new_text);
    // An item added before the goals, as the REPL adds one.
    assert!(applies(&text.replace("goal {", "struct C { }\ngoal {")));
    // A struct in the middle gets a field: every later span moves.
    assert!(applies(&text.replace("struct B { }", "struct B { a: A }")));
    // An item removed, and an impl changed.
    assert!(applies(&text.replace("struct B { }\n", "")));
    assert!(applies(&text.replace("impl Send for A", "impl Send for B")));
    // A goal asked at the end, as the REPL asks one, or changed.
    assert!(applies(&format!(
        "{text}goal {{ B: Send }} yields {{ \"No possible solution\" }}\n"
    )));
    assert!(applies(&text.replace("A: Send }", "B: Send }")));
    // A directive written falls back.
    assert!(!applies(&text.replace(
        "struct B { }\n",
        "struct B { }\ndisable_coherence;\n"
    )));
    // An unclosed comment or delimiter, a line comment that would swallow
    // the next line, and text that does not parse all fall back.
    assert!(!applies(&text.replace("struct B { }", "/* struct B { }")));
    assert!(!applies(&text.replace("struct B { }", "struct B {")));
    assert!(!applies(
        &text.replace("struct B { }\n", "struct B { } // note ")
    ));
    assert!(!applies(&text.replace("struct B { }", "struct B { ! }")));

    // In a wrapper, an edit between its braces keeps the wrapper.
    let wrapped = "lowering_success! {\n    program {\n        struct A { }\n        \
                   struct B { }\n    }\n}\n";
    let (old, diagnostics) = parse_file(wrapped);
    assert!(diagnostics.is_empty());
    let new_text = wrapped.replace("struct B { }", "struct B { a: A }");
    assert!(reparse(wrapped, &old, &new_text).is_some());
    assert!(check("wrapped", wrapped, &new_text));
    // Removing a wrapper's closing brace is never taken for an edit between
    // items.
    assert!(!check(
        "wrapped",
        wrapped,
        &wrapped.replacen("    }\n", "", 1)
    ));
}

/// A directive written twice is kept in the tree in one place (the last);
/// an edit that removes that one leaves the other, which only a full parse
/// sees, so the rule falls back. Found by a kept database's line edits of
/// `programs/errors/dyn_incompatible.chalk`, which had lost its prelude.
#[test]
fn a_directive_written_twice_and_removed_once_is_still_written() {
    let old_text = "use prelude::*;\nstruct A { }\nuse prelude::*;\nstruct B { }\n";
    let new_text = "use prelude::*;\nstruct A { }\nstruct B { }\n";
    let (old, diagnostics) = parse_file(old_text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let full = parse_file(new_text).0;
    assert!(
        full.uses_prelude.is_some(),
        "the first `use` is still written"
    );
    if let Some(tree) = reparse(old_text, &old, new_text) {
        assert_eq!(tree, full, "the tree parse-reuse made");
    }
}
