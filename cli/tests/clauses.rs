//! `chalkboard clauses`: the program clauses chalk derives, printed with
//! item names.

mod common;
use common::*;

/// Writes `program` to a scratch file and runs `chalkboard clauses` on it.
fn clauses(name: &str, program: &str, extra: &[&str]) -> (String, String, i32) {
    let path = scratch_file("clauses", &format!("{name}.chalk"), program);
    let mut args = vec!["clauses", path.to_str().unwrap()];
    args.extend(extra);
    let run = run_chalkboard(&args);
    (run.stdout, run.stderr, run.code)
}

const PROGRAM: &str = "
#[lang(clone)] trait Clone {}
impl Clone for u32 {}
struct Foo<T> where T: Clone { x: T }
#[auto] trait Send {}
trait Iterator { type Item; }
impl Iterator for Foo<u32> { type Item = u32; }
forall<T> { Foo<T>: Clone if T: Clone }
";

#[test]
fn impls_traits_and_types_give_named_clauses() {
    let (out, stderr, code) = clauses("named", PROGRAM, &[]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = out.lines().collect();
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    // The impl of a scalar type.
    assert!(has("Implemented(Uint(U32): Clone)"), "{out}");
    // The custom clause comes first, as written.
    assert_eq!(
        lines.first().copied(),
        Some("for<T0> Implemented(Foo<T0>: Clone) :- Implemented(T0: Clone)")
    );
    // An associated type value normalises.
    assert!(
        has("Normalize(<Foo<Uint(U32)> as Iterator>::Item -> Uint(U32))"),
        "{out}"
    );
    // The struct's where clause is implied by its well-formedness.
    assert!(
        has("for<T0> FromEnv(T0: Clone) :- FromEnv(Foo<T0>)"),
        "{out}"
    );
    // The auto trait's default impl for the struct.
    assert!(
        has("for<T0> Implemented(Foo<T0>: Send) :- Implemented(T0: Send)"),
        "{out}"
    );
    // No clause is left with a de Bruijn index for its own variables.
    assert!(!out.contains("^0."), "{out}");
}

#[test]
fn variables_of_every_kind_are_named_and_nested_binders_kept() {
    let program = "
trait A<'x> {}
struct S<'a, T, const N> where T: A<'a> { x: [T; N] }
forall<'a, T> { S<'a, T, 3>: A<'a> if forall<U> { U: A<'a> } }
";
    let (out, stderr, code) = clauses("kinds", program, &[]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("for<'a0, T1> Implemented(S<'a0, T1, 3>: A<'a0>) :- ForAll<type> { Implemented(^0.0: A<'a0>) }")
    );
    assert!(
        lines.contains(&"for<'a0, T1, N2> IsLocal(S<'a0, T1, N2>)"),
        "{out}"
    );
}

#[test]
fn json_is_an_array_of_the_same_clauses() {
    let (text, _, _) = clauses("text", PROGRAM, &[]);
    let (json, stderr, code) = clauses("json", PROGRAM, &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let parsed: Vec<String> = serde_json::from_str(&json).expect("a JSON array of strings");
    assert!(!parsed.is_empty(), "{json}");
    assert_eq!(parsed, text.lines().collect::<Vec<_>>());
}

#[test]
fn a_rejected_program_reports_and_fails() {
    let (out, stderr, code) = clauses("broken", "struct Foo { x: Bar }", &[]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(stderr.contains("error[unknown-type]"), "{stderr}");
    let (out, stderr, code) = clauses("syntax", "struct {", &[]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(stderr.contains("error[unexpected-token]"), "{stderr}");
}
