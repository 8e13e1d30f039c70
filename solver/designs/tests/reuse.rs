//! Rule check-reuse: a database kept across edits reuses the checks of the
//! program before an edit where nothing they read changed, and its reports
//! are exactly those of a fresh database.
//!
//! Every program of the corpus is edited in a kept database: a type or
//! trait name at a few places is replaced by another name of the file
//! (which changes impls, fields, bounds and goals while every item keeps
//! its id, so that most checks are reusable and the ones that read the
//! edited item are not), then the edit is undone; after each step the
//! report, down to every diagnostic and answer, must be the one a fresh
//! database gives for the same text.

#[path = "../benches/generate/mod.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chalkboard_designs::{Design, DesignLayer, Implication};
use chalkboard_solver::db::{self, Database, Db, Language, SourceFile};
use chalkboard_solver::{Limits, RunOptions};
use salsa::Setter;

fn options() -> RunOptions {
    RunOptions {
        limits: Limits {
            timeout: Duration::from_secs(600),
            ..Limits::default()
        },
        ..RunOptions::default()
    }
}

/// The whole report of a run, as text.
fn report(db: &Database, file: SourceFile, design: Design) -> String {
    report_with(db, file, design, Implication::Assume)
}

fn report_with(
    db: &Database,
    file: SourceFile,
    design: Design,
    implication: Implication,
) -> String {
    let config = chalkboard_designs::config(design, implication);
    let settings = db.settings(&options(), config);
    format!("{:#?}", db::report(db, file, settings).0)
}

fn fresh(text: &str, language: Language, design: Design) -> String {
    fresh_with(text, language, design, Implication::Assume)
}

fn fresh_with(text: &str, language: Language, design: Design, implication: Implication) -> String {
    let db = Database::new(Arc::new(DesignLayer));
    let file = SourceFile::new(&db, text.to_string(), language);
    report_with(&db, file, design, implication)
}

/// The names of the file that start with a capital letter, with where
/// each occurs.
fn capitalized_names(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &text[start..i];
            let after_other_word = start > 0 && bytes[start - 1] == b'\'';
            if c.is_ascii_uppercase() && !after_other_word {
                found.push((start, word));
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Up to `count` edits of the text, each replacing one occurrence of a
/// capitalized name by the next such name of the file, at places spread
/// over the file.
fn edits(text: &str, count: usize) -> Vec<String> {
    let names = capitalized_names(text);
    let mut distinct: Vec<&str> = names.iter().map(|&(_, n)| n).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for k in 0..count {
        let (at, name) = names[(k * 2 + 1) * names.len() / (count * 2)];
        let next = distinct[(distinct.binary_search(&name).unwrap() + 1) % distinct.len()];
        let mut edited = text.to_string();
        edited.replace_range(at..at + name.len(), next);
        if !out.contains(&edited) {
            out.push(edited);
        }
    }
    out
}

/// Edits `text` and undoes each edit in one kept database, comparing every
/// report with a fresh database's; returns how many checks were reused.
fn edit_and_compare(path: &Path, language: Language, design: Design, count: usize) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let original = fresh(&text, language, design);
    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
    let file = SourceFile::new(&db, text.clone(), language);
    assert_eq!(report(&db, file, design), original, "{}", path.display());
    let mut reused = 0;
    for edited in edits(&text, count) {
        file.set_text(&mut db).to(edited.clone());
        let kept = report(&db, file, design);
        reused += db
            .check_memo()
            .and_then(|m| m.take_last_pass())
            .map_or(0, |p| p.0);
        assert_eq!(
            kept,
            fresh(&edited, language, design),
            "{} edited, under {design:?}:\n{edited}",
            path.display()
        );
        file.set_text(&mut db).to(text.clone());
        let kept = report(&db, file, design);
        reused += db
            .check_memo()
            .and_then(|m| m.take_last_pass())
            .map_or(0, |p| p.0);
        assert_eq!(
            kept,
            original,
            "{} after undoing the edit, under {design:?}:\n{edited}",
            path.display()
        );
    }
    reused
}

fn corpus(dir: &str, extension: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, extension, out);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../programs")
            .join(dir),
        extension,
        &mut out,
    );
    out.sort();
    out
}

fn chalk_programs_keep_their_reports(dir: &str, designs: &[Design]) {
    let mut reused = 0;
    let files = corpus(dir, "chalk");
    assert!(!files.is_empty(), "programs/{dir} has programs");
    for path in &files {
        for &design in designs {
            reused += edit_and_compare(path, Language::Chalk, design, 4);
        }
    }
    assert!(reused > 0, "some check of programs/{dir} was reused");
}

#[test]
fn chalk_corpus_reports_are_unchanged_by_reuse() {
    chalk_programs_keep_their_reports("chalk", &[Design::Explicit]);
}

#[test]
fn design_programs_reports_are_unchanged_by_reuse() {
    chalk_programs_keep_their_reports("designs", &[Design::Explicit, Design::Implied]);
    chalk_programs_keep_their_reports("async", &[Design::Explicit, Design::Boxed]);
}

#[test]
fn error_and_explain_programs_reports_are_unchanged_by_reuse() {
    chalk_programs_keep_their_reports("errors", &[Design::Explicit]);
    chalk_programs_keep_their_reports("explain", &[Design::Explicit]);
    chalk_programs_keep_their_reports("rust_rules", &[Design::Explicit]);
}

#[test]
fn rust_programs_reports_are_unchanged_by_reuse() {
    let mut reused = 0;
    for path in corpus("rust", "rs") {
        reused += edit_and_compare(&path, Language::Rust, Design::Explicit, 2);
    }
    assert!(reused > 0, "some check of programs/rust was reused");
}

/// Rule desugar-reuse: in a kept database, every desugaring of an edited
/// program of the corpus (an item added at the end, a goal asked, a name
/// changed at four places, each edit undone) is the one a fresh database
/// makes, down to every rule applied and every diagnostic, and most items
/// before an edit are taken from the desugaring before it.
#[test]
fn a_desugaring_kept_across_edits_is_a_fresh_one() {
    let desugared = |db: &Database, file: SourceFile| db::desugared(db, file).clone();
    let (mut kept, mut again) = (0, 0);
    let files: Vec<PathBuf> = ["chalk", "designs", "errors", "explain", "limits"]
        .iter()
        .flat_map(|dir| corpus(dir, "chalk"))
        .collect();
    assert!(files.len() > 50, "the corpus was found");
    // Two edits after an impl whose desugaring they change: its trait, at
    // the end, gets a parameter; a struct takes the name of its future.
    let impl_first = "use prelude::*;\nstruct S { }\nimpl Tr for S { async fn m(&self); }\ntrait Tr { async fn m(&self); }\n";
    let later_edits = [
        impl_first.replace("trait Tr {", "trait Tr<T> {"),
        format!("{impl_first}struct S_m_Future {{ }}\n"),
    ];
    let programs = files
        .iter()
        .map(|path| {
            (
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .chain([("impl before its trait".to_string(), impl_first.to_string())]);
    for (path, text) in programs {
        let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
        let file = SourceFile::new(&db, text.clone(), Language::Chalk);
        desugared(&db, file);
        let memo = db.check_memo().unwrap();
        memo.take_desugared_items();
        let mut edited = edits(&text, 4);
        edited.push(format!("{text}\nstruct AddedAtTheEnd {{ }}\n"));
        edited.push(format!(
            "{text}\ngoal {{ AddedAtTheEnd: Sized }} yields {{ \"No\" }}\n"
        ));
        if text == impl_first {
            edited.extend(later_edits.iter().cloned());
        }
        for edited in edited {
            for next in [&edited, &text] {
                file.set_text(&mut db).to(next.clone());
                let fresh_db = Database::new(Arc::new(DesignLayer));
                let fresh_file = SourceFile::new(&fresh_db, next.clone(), Language::Chalk);
                assert_eq!(
                    desugared(&db, file),
                    desugared(&fresh_db, fresh_file),
                    "{path}, desugared in a kept database:\n{next}"
                );
                let (k, a) = db.check_memo().unwrap().take_desugared_items();
                kept += k;
                again += a;
            }
        }
    }
    assert!(
        kept > 2 * again,
        "items kept by desugar-reuse: {kept}, desugared again: {again}"
    );
}

/// Rules parse-reuse and desugar-reuse on edits of another shape: whole
/// lines of each corpus program removed, or copied elsewhere in it, as an
/// editor does, one edit after another in one kept database (so the tree
/// and the desugaring before an edit are themselves ones that took items),
/// each tree and each desugaring compared with a fresh database's.
#[test]
fn a_desugaring_kept_across_line_edits_is_a_fresh_one() {
    let desugared = |db: &Database, file: SourceFile| db::desugared(db, file).clone();
    // A small deterministic generator (xorshift), so that a failure can be
    // run again.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut below = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let (mut kept, mut again) = (0, 0);
    for dir in ["chalk", "designs", "errors", "explain"] {
        for path in corpus(dir, "chalk") {
            let original = std::fs::read_to_string(&path).unwrap();
            let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
            let file = SourceFile::new(&db, original.clone(), Language::Chalk);
            desugared(&db, file);
            let mut text = original.clone();
            for _ in 0..12 {
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                let from = below(lines.len());
                let to = (from + 1 + below(6)).min(lines.len());
                let stretch: String = lines[from..to].concat();
                let mut next: Vec<&str> = lines.clone();
                if below(2) == 0 {
                    next.drain(from..to);
                } else {
                    next.insert(below(lines.len() + 1), &stretch);
                }
                text = next.concat();
                file.set_text(&mut db).to(text.clone());
                let fresh_db = Database::new(Arc::new(DesignLayer));
                let fresh_file = SourceFile::new(&fresh_db, text.clone(), Language::Chalk);
                assert_eq!(
                    db::parsed(&db, file),
                    db::parsed(&fresh_db, fresh_file),
                    "{}, parsed in a kept database:\n{text}",
                    path.display()
                );
                assert_eq!(
                    desugared(&db, file),
                    desugared(&fresh_db, fresh_file),
                    "{}, desugared in a kept database:\n{text}",
                    path.display()
                );
                let (k, a) = db.check_memo().unwrap().take_desugared_items();
                kept += k;
                again += a;
            }
        }
    }
    // Many line edits leave a file that does not parse, or edit its first
    // lines; still, a third of the items must have been taken.
    assert!(
        kept * 3 > kept + again,
        "items kept by desugar-reuse: {kept}, desugared again: {again}"
    );
}

/// After one struct of the 1,000-item flat program gets a field, only the
/// checks that read that struct run again.
#[test]
fn a_one_item_edit_reruns_only_the_checks_that_read_the_item() {
    let text = generate::flat(1000);
    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
    let file = SourceFile::new(&db, text.clone(), Language::Chalk);
    report(&db, file, Design::Explicit);
    let (reused, ran) = db.check_memo().unwrap().take_last_pass().unwrap();
    assert_eq!(reused, 0, "nothing to reuse in a first run");
    assert_eq!(ran, 2000, "a well-formedness check per struct and per impl");

    let edited = text.replacen("struct S500 { }", "struct S500 { extra: S0 }", 1);
    file.set_text(&mut db).to(edited.clone());
    let kept = report(&db, file, Design::Explicit);
    assert_eq!(kept, fresh(&edited, Language::Chalk, Design::Explicit));
    let (reused, ran) = db.check_memo().unwrap().take_last_pass().unwrap();
    assert_eq!(
        (reused, ran),
        (1998, 2),
        "the struct and its impl run again, every other check is reused"
    );
}

/// Runs `before` in a kept database, then `before` with `from` replaced
/// by `to`, which the checks reject: the edited program's report must be a
/// fresh database's (so the edit changed the verdict of a check that the
/// earlier program passed, and that check ran again), while the checks the
/// edit did not touch are reused.
fn an_edit_rejects(before: &str, from: &str, to: &str) {
    an_edit_rejects_under((Design::Explicit, Implication::Assume), before, from, to);
}

/// [`an_edit_rejects`] under a design and implication rule; returns the
/// database, to ask it what it reused.
fn an_edit_rejects_under(
    config: (Design, Implication),
    before: &str,
    from: &str,
    to: &str,
) -> Database {
    let (db, first, kept) = an_edit_under(config, before, from, to);
    assert!(first.contains("rejected: false"), "{first}");
    assert!(kept.contains("rejected: true"), "{kept}");
    db
}

/// Runs `before` in a kept database, then `before` with `from` replaced by
/// `to`; the edited program's report must be a fresh database's, and some
/// check must have been reused. Returns the database and both reports.
fn an_edit_under(
    (design, implication): (Design, Implication),
    before: &str,
    from: &str,
    to: &str,
) -> (Database, String, String) {
    assert!(before.contains(from), "{before} has {from}");
    let after = before.replace(from, to);
    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
    let file = SourceFile::new(&db, before.to_string(), Language::Chalk);
    let first = report_with(&db, file, design, implication);
    file.set_text(&mut db).to(after.clone());
    let kept = report_with(&db, file, design, implication);
    assert_eq!(
        kept,
        fresh_with(&after, Language::Chalk, design, implication)
    );
    let (reused, _) = db.check_memo().unwrap().take_last_pass().unwrap();
    assert!(reused > 0, "the checks the edit did not touch are reused");
    (db, first, kept)
}

/// Rule layer-check-reuse: under the implied design each impl of a trait
/// with an `async fn` is checked against the promise its future makes;
/// after one struct gets a field, only the impl whose future reads it runs
/// again, and every report is a fresh database's.
#[test]
fn a_one_item_edit_reruns_only_the_layer_checks_that_read_it() {
    let text = generate::async_fn(20);
    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
    let file = SourceFile::new(&db, text.clone(), Language::Chalk);
    report(&db, file, Design::Implied);
    let memo = db.check_memo().unwrap();
    assert_eq!(
        memo.take_last_layer_pass(),
        Some((0, 20)),
        "every impl runs"
    );
    // An item added at the end moves nothing.
    let added = format!("{text}struct Added {{ }}\n");
    file.set_text(&mut db).to(added.clone());
    assert_eq!(
        report(&db, file, Design::Implied),
        fresh(&added, Language::Chalk, Design::Implied)
    );
    let memo = db.check_memo().unwrap();
    assert_eq!(memo.take_last_layer_pass(), Some((20, 0)));
    // A struct in the middle gets a field: its impl runs again, the later
    // impls move.
    let changed = added.replacen("struct S10 { }", "struct S10 { extra: u32 }", 1);
    file.set_text(&mut db).to(changed.clone());
    assert_eq!(
        report(&db, file, Design::Implied),
        fresh(&changed, Language::Chalk, Design::Implied)
    );
    let memo = db.check_memo().unwrap();
    assert_eq!(memo.take_last_layer_pass(), Some((19, 1)));
}

/// Under the implied design, an impl whose future holds `Data` keeps the
/// trait's promise until `Data` holds an `Rc`: the impl itself did not
/// change, but its check read `Data`, so it runs again and rejects it.
#[test]
fn a_layer_check_runs_again_when_what_it_read_changes() {
    let before = "use prelude::*;\nstruct Data { }\ntrait Service {\n    async fn call(&self) -> u32;\n}\nstruct A { }\nimpl Service for A {\n    async fn call(&self) -> u32 { holds Data; }\n}\nstruct B { }\nimpl Service for B {\n    async fn call(&self) -> u32 { holds u32; }\n}\n";
    let db = an_edit_rejects_under(
        (Design::Implied, Implication::Assume),
        before,
        "struct Data { }",
        "struct Data { r: Rc<u32> }",
    );
    let (reused, ran) = db.check_memo().unwrap().take_last_layer_pass().unwrap();
    assert_eq!((reused, ran), (1, 1), "B's check is reused, A's runs again");
}

/// The well-formedness of `impl Foo for A` reads the impls of `Bar` (its
/// where clause `Self: Bar`); moving that impl to another type must run it
/// again.
#[test]
fn a_check_that_looked_up_a_traits_impls_runs_again_when_they_change() {
    let before = "trait Bar { }\ntrait Foo where Self: Bar { }\nstruct A { }\nstruct B { }\nimpl Bar for A { }\nimpl Foo for A { }\n";
    an_edit_rejects(before, "impl Bar for A", "impl Bar for B");
}

/// `W<T>` is well-formed because `T: Sub` implies `T: Base`, which chalk
/// elaborates from the environment (cached per program, which notes the
/// elaboration's reads again on every hit): the check read `Sub` and must
/// run again when `Sub` changes.
#[test]
fn a_check_that_elaborated_an_environment_runs_again_when_its_traits_change() {
    let before = "trait Base { }\ntrait Sub where Self: Base { }\nstruct Needs<T> where T: Base { }\nstruct W<T> where T: Sub { f: Needs<T> }\nstruct Other { }\n";
    an_edit_rejects(before, "trait Sub where Self: Base { }", "trait Sub { }");
}

/// `B: Send` holds until `A`, a field of `B`, gets a negative impl: the
/// auto trait's impls are read through `impl_provided_for`.
#[test]
fn a_check_that_asked_for_an_auto_trait_runs_again_when_its_impls_change() {
    let before = "#[auto] trait Send { }\ntrait Spawn where Self: Send { }\nstruct A { }\nstruct C { }\nstruct B { a: A }\nimpl !Send for C { }\nimpl Spawn for B { }\n";
    an_edit_rejects(before, "impl !Send for C", "impl !Send for A");
}

/// A blanket impl over `X: Foo` and an impl for `A<Y>` are disjoint while
/// no `A<..>` is `Foo`; once one can be, the pair overlaps (neither impl
/// specializes the other) and must be solved again.
#[test]
fn an_overlap_check_runs_again_when_a_where_clause_starts_to_hold() {
    let before = "trait Foo { }\ntrait Baz { }\ntrait Qux { }\ntrait T { }\nstruct A<Y> { }\nstruct B<Y> { }\nimpl<Y> Foo for B<Y> where Y: Qux { }\nimpl<X> T for X where X: Foo { }\nimpl<Y> T for A<Y> where Y: Baz { }\n";
    an_edit_rejects(before, "impl<Y> Foo for B<Y>", "impl<Y> Foo for A<Y>");
}

/// Rule candidates-kept: the pairs of impls coherence solves are kept per
/// trait while none of its impls changes. Moving an impl onto the type of
/// another (the same trait) makes a pair that was never a candidate, which
/// must be found and rejected; an edit of another item keeps the pairs.
#[test]
fn overlap_candidates_are_found_again_when_a_traits_impls_change() {
    let before = "trait Tr { }\nstruct A { }\nstruct B { }\nstruct C { }\nimpl Tr for A { }\nimpl Tr for B { }\n";
    an_edit_rejects(before, "impl Tr for B", "impl Tr for A");
    let (_, first, kept) = an_edit_under(
        (Design::Explicit, Implication::Assume),
        before,
        "struct C { }",
        "struct C { c: A }",
    );
    assert!(first.contains("rejected: false"), "{first}");
    assert!(kept.contains("rejected: false"), "{kept}");
}

/// The promise audit tries the file's types for a generic impl's type
/// parameters (rule implication-decide accepts `W<T>` here since
/// `forall<T> W<T>: Send` fails): once a type that meets the impl's where
/// clause is added, `W<Bad>` breaks the promise. No solve of the impl read
/// `Bad`, so only the file's candidate types tell the check to run again.
#[test]
fn a_generic_impls_layer_check_runs_again_when_a_type_is_added() {
    let before = "use prelude::*;\ntrait Tag { }\ntrait HealthCheck {\n    async fn check(&mut self) -> bool;\n}\nstruct W<T> { t: T }\nimpl<T> HealthCheck for W<T> where T: Tag {\n    async fn check(&mut self) -> bool { holds Rc<T>; }\n}\n";
    // The type is added after the impl, so that the impl keeps its place
    // and its kept checks are offered.
    let (_, first, kept) = an_edit_under(
        (Design::Implied, Implication::Decide),
        before,
        "holds Rc<T>; }\n}\n",
        "holds Rc<T>; }\n}\nstruct Bad { }\nimpl Tag for Bad { }\n",
    );
    assert!(!first.contains("broken-promise"), "{first}");
    assert!(kept.contains("broken-promise"), "{kept}");
}

/// Runs `text` in `db`'s `file` under the explicit design, requires the
/// report to be a fresh database's, and returns how many solves of the
/// goals it took from the run before and how many it solved (rule
/// goal-reuse).
fn goal_solves(db: &mut Database, file: SourceFile, text: &str) -> (usize, usize) {
    file.set_text(db).to(text.to_string());
    assert_eq!(
        report(db, file, Design::Explicit),
        fresh(text, Language::Chalk, Design::Explicit),
        "{text}"
    );
    db.check_memo().unwrap().take_last_goal_pass().unwrap()
}

/// Rule goal-reuse: a goal asked after the others solves only itself; an
/// item added that no goal read solves nothing; an edit of what a goal
/// read solves every goal again; and each report is a fresh database's.
#[test]
fn goals_are_solved_again_only_when_what_they_read_changes() {
    let text = generate::many_goals(20);
    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
    let file = SourceFile::new(&db, text.clone(), Language::Chalk);
    report(&db, file, Design::Explicit);
    let memo = db.check_memo().unwrap();
    // Each goal runs on both default solvers.
    assert_eq!(memo.take_last_goal_pass(), Some((0, 40)));
    let asked = format!("{text}goal {{ S3: Show }} yields {{ \"Unique\" }}\n");
    assert_eq!(goal_solves(&mut db, file, &asked), (40, 2));
    let added = format!("{asked}struct Added {{ }}\n");
    assert_eq!(goal_solves(&mut db, file, &added), (42, 0));
    // `S5: Show` read the impls of `Show` for `S5`.
    let changed = added.replacen("impl Show for S5 { }", "impl Show for Added { }", 1);
    let (taken, solved) = goal_solves(&mut db, file, &changed);
    assert_eq!((taken, solved), (0, 42));
    assert!(report(&db, file, Design::Explicit).contains("No possible solution"));
}

/// A goal changed in the middle of a file: the goals before it take their
/// answers, and the pool that solves the rest first solves them again,
/// so that every answer is the one a fresh run gives.
#[test]
fn a_goal_changed_in_the_middle_solves_the_rest_afresh() {
    let text = "trait Show { }\nstruct A { }\nstruct B<T> { }\nimpl Show for A { }\nimpl<T> Show for B<T> where T: Show { }\ngoal { A: Show } yields { \"Unique\" }\ngoal { B<A>: Show } yields { \"Unique\" }\ngoal { exists<T> { B<T>: Show } } yields { \"Ambiguous; no inference guidance\" }\n";
    let mut db = Database::new(Arc::new(DesignLayer)).kept_across_edits();
    let file = SourceFile::new(&db, text.to_string(), Language::Chalk);
    assert_eq!(goal_solves(&mut db, file, text), (0, 6));
    let edited = text.replace("goal { B<A>: Show }", "goal { B<B<A>>: Show }");
    assert_eq!(goal_solves(&mut db, file, &edited), (2, 4));
    assert_eq!(goal_solves(&mut db, file, text), (2, 4));
    // A goal removed at the end keeps the others' answers; the pool they
    // left had solved more, so the goal asked back solves afresh.
    let shorter = text.replace(
        "goal { exists<T> { B<T>: Show } } yields { \"Ambiguous; no inference guidance\" }\n",
        "",
    );
    assert_eq!(goal_solves(&mut db, file, &shorter), (4, 0));
    assert_eq!(goal_solves(&mut db, file, text), (4, 2));
}
