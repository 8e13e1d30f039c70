//! Round trips through the printer: parse, print, parse again, and compare
//! the trees with spans erased.

use super::ast::*;
use super::print::{print_file, print_goal};
use super::{parse_file, parse_goal};
use std::path::{Path, PathBuf};

/// Replaces every `Span { start: .., end: .. }` in a `Debug` rendering by
/// `Span`, so that trees that differ only in positions compare equal.
pub(super) fn erase_spans(debug: &str) -> String {
    const OPEN: &str = "Span { start: ";
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        let after = &rest[at..];
        match after.find('}') {
            Some(close) => rest = &after[close + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The tree without spans. A goal block's `text` is the goal as written, so
/// it is blanked here and checked separately against the printed goal.
fn erased_file(file: &File) -> String {
    let mut file = file.clone();
    for block in &mut file.goals {
        block.text.clear();
    }
    erase_spans(&format!("{file:?}")).replace(", ", ",\n")
}

/// Whether the parser left an error node in the tree; such a tree has no
/// source text that parses back to it.
fn has_error_nodes(file: &File) -> bool {
    let debug = format!("{file:?}");
    debug.contains("kind: Error")
}

/// Asserts that `file` prints to text that parses back to the same tree.
pub(super) fn assert_round_trip(file: &File, origin: &str) {
    let printed = print_file(file);
    let (reparsed, _) = parse_file(&printed);
    let expected = erased_file(file);
    let found = erased_file(&reparsed);
    assert!(
        expected == found,
        "{origin}: the printed program parses to a different tree\n--- printed:\n{printed}\n--- first difference near:\n{}",
        first_difference(&expected, &found)
    );
    for (original, again) in file.goals.iter().zip(&reparsed.goals) {
        assert_eq!(again.text, print_goal(&original.goal), "{origin}");
    }
    // Printing is a fixed point once the text is the printer's own.
    assert_eq!(print_file(&reparsed), printed, "{origin}");
}

/// Asserts that a goal prints to text that parses back to the same goal.
pub(super) fn assert_goal_round_trip(goal: &Goal) {
    let printed = print_goal(goal);
    let (reparsed, diagnostics) = parse_goal(&printed);
    let Some(reparsed) = reparsed else {
        panic!("the printed goal `{printed}` does not parse: {diagnostics:#?}");
    };
    assert_eq!(
        erase_spans(&format!("{goal:?}")),
        erase_spans(&format!("{reparsed:?}")),
        "printed goal: {printed}"
    );
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(a.lines().count().min(b.lines().count()));
    let window = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().collect();
        let from = line.saturating_sub(8);
        let to = (line + 4).min(lines.len());
        lines.get(from..to).unwrap_or_default().join("\n")
    };
    format!("expected:\n{}\nfound:\n{}", window(a), window(b))
}

fn chalk_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            chalk_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "chalk") {
            found.push(path);
        }
    }
}

#[test]
fn every_corpus_program_round_trips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../programs");
    let mut files = Vec::new();
    chalk_files(&root, &mut files);
    files.sort();
    assert!(files.len() > 10, "found only {} programs", files.len());
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a readable program");
        let (file, _) = parse_file(&text);
        // Recovery drops whole items, which leaves a tree that still round
        // trips; only error nodes inside an item have no spelling.
        if has_error_nodes(&file) {
            continue;
        }
        assert_round_trip(&file, &path.display().to_string());
        checked += 1;
    }
    assert!(checked * 2 > files.len(), "only {checked} programs checked");
}

/// Parses a program that must be free of diagnostics and checks its round
/// trip.
fn round_trip(text: &str) -> File {
    let (file, diagnostics) = parse_file(text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_round_trip(&file, text);
    file
}

#[test]
fn items_and_attributes() {
    round_trip(
        r#"
        use prelude::*;
        disable_coherence;
        #[variance(Invariant, Covariant)] #[upstream] #[fundamental] #[phantom_data] #[one_zst]
        #[repr(C)] #[repr(packed)]
        struct S<T, 'a, const N, int I, float F> where T: Tr<u32, A = u8, B<'a> = i8> + 'a { x: &'a T, y: [T; N], z: [u8; 3] }
        struct Unit;
        struct Tuple<T>(T, *const T, *mut u8);
        #[repr(u8)] enum E<T> { A, B(T, T), C { x: T } }
        enum Empty {}
        #[auto] #[marker] #[upstream] #[fundamental] #[non_enumerable] #[coinductive] #[object_safe] #[lang(sized)]
        trait Tr<U> where U: Copy {
            type A: Clone + forall<'x> Fn<(&'x u8,), Output = ()>;
            #[lang(async_fn_once_output)] type B<'a>: 'a where Self: 'a;
            fn plain(self, x: u32) -> u32;
            async fn get(&self) -> u32;
            fn by_mut<'b>(&'b mut self, y: &'b u8) -> impl Iterator<Item = u8> + Send + 'b where Self: Sized;
            fn free();
            fn unit(&'static self) -> ();
        }
        #[upstream] impl<T> Tr<u32> for Box<T> where T: Clone {
            type A = T;
            default type B<'a> = &'a T;
            fn plain(self, x: u32) -> u32;
            async fn get(&self) -> u32 { holds Rc<u8>, Box<T>; }
            async fn other(&mut self) {}
            fn by_mut<'b>(&'b mut self, y: &'b u8) -> impl Iterator<Item = u8> + Send + 'b = Iter<'b>;
        }
        impl !Send for Raw {}
        unsafe extern "C" fn f<T>(a: T, b: ...) -> T where T: Copy;
        extern "Rust" fn g();
        fn h(x: for<'a> unsafe extern "C" fn(&'a u8, ...) -> &'a u8, y: fn());
        closure c<T>(&mut self, a: T) -> T { T; u8 }
        closure d(self) {}
        opaque type O<T>: Tr<u8> + Send where T: Clone = Box<T>;
        opaque type P = u32;
        coroutine static G<T>[resume = u8, yield = T] -> bool { upvars [T; u8] witnesses exists<'a, 'b> [&'a T; &'b u8] }
        coroutine H[resume = (), yield = ()] { upvars [] witnesses [] }
        extern type Ext;
        forall<T> { T: Tr<u8, A = u32> if T: Clone, (T: Copy, T: Send) }
        forall<T, U> { WellFormed(T: Tr<U>) if FromEnv(T), not { U: Send } }
        forall { Compatible if IsLocal(u8) }
        "#,
    );
}

#[test]
fn types_and_bounds() {
    round_trip(
        r#"
        trait Tr {
            fn a(&self) -> dyn Send;
            fn b(&self) -> Box<dyn Tr<A = u8> + Send + 'static>;
            fn c(&self) -> <Self as Tr>::A;
            fn d<T>(&self) -> T::Assoc<u8>::Next;
            fn e(&self) -> (u8,);
            fn f(&self) -> (u8, str, !, [u8], f16, i128, usize, char, bool);
            fn g(&self) -> Foo<>;
            fn h(&self) -> &'erased mut dyn Fn<(u8,)>;
        }
        struct X<T> where
            T: Tr<m(..): Send, A: Clone, get<'a>: Send>,
            T::m(..): Send + 'static,
            <T as Tr<u8>>::m(..): Send,
            T::m<'a>: Send,
            T::m(): Send,
            T::Assoc: Clone + Copy,
            <T as Tr>::A: Clone,
            'a: 'b,
            T: 'a + Copy,
            for<'a> T: Tr<'a>,
            forall<'a> T: Tr<'a, A = &'a u8>,
            T: Tr<Assoc: if (Self: Send) { Send }>,
            T: Marker<Assoc: if (Self: Send, T: Copy) < Send + Sync >>
        { x: T }
        "#,
    );
}

#[test]
fn goals_and_expectations() {
    let file = round_trip(
        r#"
        goal { forall<T> { if (T: Tr<A = u8>; forall<U> { U: Send :- U: Copy, (U: Sync, U: Clone) }; FromEnv(T)) { T: Tr } } }
        yields { "Unique" } yields[solver = slg] { "a \"quoted\"\\ answer" }
        yields[SolverChoice::slg(7, Some(2))] { "x" }
        yields[SolverChoice::recursive(20, 40)] { "y" }
        yields[solver = recursive, design = implied] { "z" }
        yields_all[SolverChoice::slg(10, None)] { "p", "q" }
        yields_first { }
        goal { exists<T, 'a> { T = Vec<u8>, 'a = 'static, T: Tr<u8, A = u32> + Send + 'a, not { compatible { T: Copy } } } } yields { "multi
line" }
        goal { Normalize(<u8 as Tr>::A -> u32), Subtype(u8, u8), WellFormed(u8), FromEnv(u8: Tr), IsLocal(u8), IsUpstream(u8), IsFullyVisible(u8), LocalImplAllowed(u8: Tr<u16>), DownstreamType(u8), ObjectSafe(Tr), Compatible, Reveal }
        goal { u8: Tr, }
        goal { (u8, u16): Tr, () = (), 3 = 3, T::m(..): Send, T::A: Send }
        goal { forall { u8: A } }
        error_msg { "some error" }
        lowering_success;
        "#,
    );
    assert_eq!(file.goals.len(), 6);
}

#[test]
fn bare_goals_round_trip() {
    for text in [
        "u8: Tr<A = u16> + Send",
        "exists<T> { T: Tr<A = u8>, T: Send }",
        "(A: B, C: D), E: F",
        "if (A: B :- C: D, E: F; G: H) { not { I: J } }",
    ] {
        let (goal, diagnostics) = parse_goal(text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert_goal_round_trip(&goal.expect("a goal"));
    }
}

#[test]
fn unknown_abi_keeps_its_name() {
    let (file, diagnostics) = parse_file(r#"extern "we\"ird" fn g();"#);
    assert_eq!(diagnostics.len(), 1);
    assert_round_trip(&file, "unknown ABI");
}

#[test]
fn output_is_one_item_per_line() {
    let (file, _) = parse_file(
        "struct A {} // gone\n trait T { type X; fn f(&self); } impl T for A { type X = A; }",
    );
    assert_eq!(
        print_file(&file),
        "struct A;\ntrait T {\n    type X;\n    fn f(&self);\n}\nimpl T for A {\n    type X = A;\n}\n"
    );
}
