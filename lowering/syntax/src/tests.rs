//! Unit tests of the lexer and parser: each parses a small program and
//! compares the tree, printed back to source, and the diagnostics with the
//! expectation. Every program parsed without diagnostics must also round-trip
//! through the printer, so the printed text stands for the whole tree.
//!
//! `UPDATE_EXPECT=1 cargo test -p chalkboard-syntax` rewrites the
//! expectations; review the diff.

use expect_test::{expect, Expect};
use std::sync::Arc;

use super::ast::*;
use super::diagnostic::{Diagnostic, Severity};
use super::print::{print_file, print_goal, print_item, print_where_clause};
use super::round_trip::{assert_goal_round_trip, assert_round_trip};
use super::{parse_file, parse_goal};

/// Parses `source` and checks the printed tree, followed by the diagnostics,
/// against `expect`.
fn check(source: &str, expect: Expect) {
    expect.assert_eq(&parsed(source).1);
}

/// The tree of `source` and its printed text with the diagnostics.
fn parsed(source: &str) -> (File, String) {
    let (file, diagnostics) = parse_file(source);
    if diagnostics.is_empty() {
        assert_round_trip(&file, source);
    }
    let text = print_file(&file) + &diagnostics_text(source, &diagnostics);
    (file, text)
}

/// Parses a bare goal that must be free of diagnostics, and checks its
/// round trip through the printer.
fn goal(text: &str) -> Goal {
    let (goal, diagnostics) = parse_goal(text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let goal = goal.expect("a goal");
    assert_goal_round_trip(&goal);
    goal
}

/// One line per diagnostic, `code: message @ line:column`, followed by its
/// labels, notes and help, indented.
fn diagnostics_text(source: &str, diagnostics: &[Diagnostic]) -> String {
    let at = |offset: u32| {
        let before = &source[..offset as usize];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{line}:{column}")
    };
    let mut out = String::new();
    for d in diagnostics {
        let warning = if d.severity == Severity::Warning {
            " (warning)"
        } else {
            ""
        };
        out.push_str(&format!(
            "{}{warning}: {} @ {}\n",
            d.code,
            d.message,
            at(d.primary.span.start)
        ));
        if !d.primary.message.is_empty() {
            out.push_str(&format!("    label: {}\n", d.primary.message));
        }
        for label in &d.secondary {
            out.push_str(&format!(
                "    secondary @ {}: {}\n",
                at(label.span.start),
                label.message
            ));
        }
        for note in &d.notes {
            out.push_str(&format!("    note: {note}\n"));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("    help: {help}\n"));
        }
    }
    out
}

/// Each where clause of the first item (a struct) on a line of its own,
/// with the kind of node the parser made: the printer folds back the forms
/// that the parser expands into several clauses, so this shows them.
fn where_clause_nodes(file: &File) -> String {
    let Item::Adt(adt) = &file.items[0] else {
        panic!("expected a struct, got {:?}", file.items[0]);
    };
    let mut out = String::new();
    for clause in &adt.where_clauses {
        let debug = format!("{:?}", clause.where_clause);
        let kind = debug.split([' ', '(', '{']).next().unwrap_or_default();
        let binders = if clause.params.is_empty() {
            String::new()
        } else {
            format!("{} binder(s) ", clause.params.len())
        };
        out.push_str(&format!(
            "{kind}: {binders}{}\n",
            print_where_clause(&clause.where_clause)
        ));
    }
    out
}

#[test]
fn empty_file_is_fine() {
    check("", expect![[""]]);
}

#[test]
fn whitespace_between_tokens_is_free_and_double_angle_closes_twice() {
    check(
        r#"
goal { Vec < T > : Clone }
goal { Foo<Bar<T>>: Baz<Vec<Vec<u8>>> }
"#,
        expect![[r#"

            goal {
                Vec<T>: Clone
            }

            goal {
                Foo<Bar<T>>: Baz<Vec<Vec<u8>>>
            }
        "#]],
    );
}

#[test]
fn comments_anywhere() {
    check(
        "// line\nstruct /* inline */ Foo<T> /* nested /* ok */ */ { x: T } // end",
        expect![[r#"
            struct Foo<T> { x: T }
        "#]],
    );
}

#[test]
fn adt_attributes_in_order_set_flags() {
    let source = r#"
#[variance(Invariant, Covariant)] #[upstream] #[fundamental] #[phantom_data] #[one_zst] #[repr(C)] #[repr(u8)]
enum E<T, U> { A, B(T), C { x: U } }
"#;
    check(
        source,
        expect![[r#"
            #[variance(Invariant, Covariant)]
            #[upstream]
            #[fundamental]
            #[phantom_data]
            #[one_zst]
            #[repr(C)]
            #[repr(u8)]
            enum E<T, U> { A, B(T), C { x: U } }
        "#]],
    );
    // The printed text does not show the names the parser gives fields.
    let (file, _) = parsed(source);
    let Item::Adt(adt) = &file.items[0] else {
        panic!()
    };
    assert_eq!(adt.variants[1].fields[0].name.text, "0");
    assert_eq!(adt.variants[2].fields[0].name.text, "x");
}

#[test]
fn attribute_order_is_enforced_with_help() {
    check(
        "#[fundamental] #[upstream] struct Foo {}",
        expect![[r#"
            #[fundamental]
            struct Foo;
            attribute-order: `#[upstream]` is out of order @ 1:16
                label: out of order
                help: chalk requires the attributes of a struct in this order, each at most once: `#[variance]`, `#[upstream]`, `#[fundamental]`, `#[phantom_data]`, `#[one_zst]`, `#[repr]`
        "#]],
    );
}

#[test]
fn misplaced_and_unknown_attributes() {
    check(
        r#"
#[auto] struct Foo {}
#[frobnicate] trait Bar {}
"#,
        expect![[r#"
            struct Foo;
            trait Bar {}
            misplaced-attribute: `#[auto]` is not allowed on a struct @ 2:1
                label: misplaced attribute
                help: `#[auto]` belongs on traits
            unknown-attribute: unknown attribute `#[frobnicate]` @ 3:1
                label: unknown attribute
                help: the attributes allowed on a trait are `#[auto]`, `#[marker]`, `#[upstream]`, `#[fundamental]`, `#[non_enumerable]`, `#[coinductive]`, `#[object_safe]`, `#[lang]`
        "#]],
    );
}

#[test]
fn trait_attributes_and_lang_items() {
    check(
        r#"
#[auto] #[marker] #[upstream] #[fundamental] #[non_enumerable] #[coinductive] #[object_safe] #[lang(async_fn_once)] trait Foo {}
#[lang(future)] trait Future { #[lang(async_fn_once_output)] type Output; }
"#,
        expect![[r#"
            #[auto]
            #[marker]
            #[upstream]
            #[fundamental]
            #[non_enumerable]
            #[coinductive]
            #[object_safe]
            #[lang(async_fn_once)]
            trait Foo {}
            #[lang(future)]
            trait Future {
                #[lang(async_fn_once_output)]
                type Output;
            }
        "#]],
    );
    check(
        "#[lang(frob)] trait X {}",
        expect![[r#"
            trait X {}
            unknown-lang-item: unknown lang item `frob` @ 1:8
                label: unknown lang item
                help: the trait lang items are sized, copy, clone, drop, fn_once, fn_mut, fn, async_fn_once, async_fn_mut, async_fn, unsize, unpin, coerce_unsized, discriminant_kind, coroutine, dispatch_from_dyn, tuple_trait, pointee_trait, fn_ptr_trait, future
        "#]],
    );
}

#[test]
fn gat_with_bounds_and_where_clauses() {
    check(
        "trait Foo { type Item<'a, T>: Clone + forall<'b> Bar<'b> where T: 'a; }",
        expect![[r#"
            trait Foo {
                type Item<'a, T>: Clone + forall<'b> Bar<'b> where T: 'a;
            }
        "#]],
    );
}

#[test]
fn alias_eq_in_where_clause_expands_implemented_first() {
    let (file, _) = parsed("struct S<T> where T: Iterator<u8, Item = u32, Extra<'a> = T> {}");
    expect![[r#"
        Implemented: T: Iterator<u8>
        AliasEq: T: Iterator<u8, Item = u32>
        AliasEq: T: Iterator<u8, Extra<'a> = T>
    "#]]
    .assert_eq(&where_clause_nodes(&file));
    // All three clauses point at the one clause written.
    let Item::Adt(adt) = &file.items[0] else {
        panic!()
    };
    let clauses = &adt.where_clauses;
    assert!(clauses.iter().all(|c| c.span == clauses[0].span));
}

#[test]
fn alias_eq_in_goals_and_hypotheses_expands() {
    // The printer folds the expansions back, so the nodes print one by one.
    let g = goal("T: Iterator<Item = u32>");
    let GoalKind::And(parts) = &g.kind else {
        panic!("{g:?}")
    };
    let parts: Vec<String> = parts.iter().map(print_goal).collect();
    expect![[r#"
        [
            "T: Iterator",
            "T: Iterator<Item = u32>",
        ]
    "#]]
    .assert_debug_eq(&parts);
    let g = goal("if (T: Iterator<Item = u32>; forall<U> { U: Foo :- U: Bar, U: Baz }) { T: Qux }");
    let GoalKind::Implies(hypotheses, _) = &g.kind else {
        panic!("{g:?}")
    };
    let hypotheses: Vec<String> = hypotheses
        .iter()
        .map(|c| print_item(&Item::Clause(Arc::new(c.clone()))))
        .collect();
    expect![[r#"
        [
            "forall { T: Iterator }",
            "forall { T: Iterator<Item = u32> }",
            "forall<U> { U: Foo if U: Bar, U: Baz }",
        ]
    "#]]
    .assert_debug_eq(&hypotheses);
    let (file, _) = parsed("forall<T> { T: Iterator<Item = u32> if T: Foo, T: Bar }");
    let items: Vec<String> = file.items.iter().map(print_item).collect();
    expect![[r#"
        [
            "forall<T> { T: Iterator if T: Foo, T: Bar }",
            "forall<T> { T: Iterator<Item = u32> if T: Foo, T: Bar }",
        ]
    "#]]
    .assert_debug_eq(&items);
}

#[test]
fn clause_items_without_parameters() {
    check(
        "forall { Foo: Bar } forall<> { WellFormed(Foo) }",
        expect![[r#"
            forall { Foo: Bar }
            forall { WellFormed(Foo) }
        "#]],
    );
}

#[test]
fn tuples_and_parentheses() {
    check(
        "struct S { a: (), b: (u8,), c: (u8, bool), d: (u8) }",
        expect![[r#"
            struct S { a: (), b: (u8,), c: (u8, bool), d: u8 }
        "#]],
    );
}

#[test]
fn parenthesised_goals_versus_tuple_types() {
    check(
        r#"
goal { (A, B): Foo }
goal { () = () }
goal { (A: Foo), B: Bar }
"#,
        expect![[r#"

            goal {
                (A, B): Foo
            }

            goal {
                () = ()
            }

            goal {
                A: Foo, B: Bar
            }
        "#]],
    );
}

#[test]
fn every_type_form() {
    check(
        r#"
struct S<'a, T, const N> {
    a: dyn Foo + Bar<T> + 'a, b: <T as Tr<u8>>::Name<'a>, c: *const T, d: *mut T,
    e: &'a T, f: &'a mut T, g: [T], h: [T; 3], i: [T; N], j: for<'b> unsafe extern "C" fn(&'b u8, ...) -> T,
    k: str, l: !, m: f16, n: f128, o: fn()
}
"#,
        expect![[r#"
            struct S<'a, T, const N> { a: dyn Foo + Bar<T> + 'a, b: <T as Tr<u8>>::Name<'a>, c: *const T, d: *mut T, e: &'a T, f: &'a mut T, g: [T], h: [T; 3], i: [T; N], j: for<'b> unsafe extern "C" fn(&'b u8, ...) -> T, k: str, l: !, m: f16, n: f128, o: fn() }
        "#]],
    );
}

#[test]
fn other_items() {
    let source = r#"
#[variance(Covariant)] unsafe extern "C" fn f<T>(a: T, _: ...) -> u8 where T: Copy;
closure c<T>(&mut self, x: T) -> u8 { T; u8 }
opaque type O<T>: Clone + Iterator<Item = T> where T: Clone = Vec<T>;
coroutine static G<T>[resume = u8, yield = T] -> () { upvars [T; u8] witnesses exists<'a> [&'a T] }
extern type X;
#[upstream] impl<T> !Send for Vec<T> where T: Copy { }
impl Foo for Bar { default type A<'a> = &'a u8; type B = u8; }
"#;
    check(
        source,
        expect![[r##"
            #[variance(Covariant)]
            unsafe extern "C" fn f<T>(arg0: T, rest: ...) -> u8 where T: Copy;
            closure c<T>(&mut self, arg0: T) -> u8 { T; u8 }
            opaque type O<T>: Clone + Iterator<Item = T> where T: Clone = Vec<T>;
            coroutine static G<T>[resume = u8, yield = T] { upvars [T; u8] witnesses exists<'a> [&'a T] }
            extern type X;
            #[upstream]
            impl<T> !Send for Vec<T> where T: Copy {}
            impl Foo for Bar {
                default type A<'a> = &'a u8;
                type B = u8;
            }
        "##]],
    );
    // The printed receiver stands for the closure's kind.
    let (file, _) = parsed(source);
    let Item::Closure(c) = &file.items[1] else {
        panic!()
    };
    assert_eq!(c.kind, ClosureKind::FnMut);
}

#[test]
fn every_goal_form() {
    check(
        r#"
goal {
    forall<T> { exists<'a, int I, float F, const N> { not { compatible {
        Subtype(T, T), Normalize(<T as Tr>::A -> u8), WellFormed(T), WellFormed(T: Tr), FromEnv(T),
        FromEnv(T: Tr), IsLocal(T), IsUpstream(T), IsFullyVisible(T), LocalImplAllowed(T: Tr),
        Compatible, DownstreamType(T), Reveal, ObjectSafe(Tr), 'a: 'a, T: 'a, 'a = 'a, 3 = N
    } } } }
}
"#,
        expect![[r#"

            goal {
                forall<T> { exists<'a, int I, float F, const N> { not { compatible { Subtype(T, T), Normalize(<T as Tr>::A -> u8), WellFormed(T), WellFormed(T: Tr), FromEnv(T), FromEnv(T: Tr), IsLocal(T), IsUpstream(T), IsFullyVisible(T), LocalImplAllowed(T: Tr), Compatible, DownstreamType(T), Reveal, ObjectSafe(Tr), 'a: 'a, T: 'a, 'a = 'a, 3 = N } } } }
            }
        "#]],
    );
}

#[test]
fn expectations_in_every_spelling() {
    let source = r###"
goal { Foo: Bar }
yields { "Unique" }
yields { expect![[r#"Unique; substitution [?0 := Uint(U32)]"#]] }
yields[solver = slg, design = boxed] { "A" }
yields[SolverChoice::slg(10, Some(2))] { "B" }
yields[SolverChoice::recursive(30, 7)] { "C" }
yields[SolverChoice::recursive_default()] { "D" }
yields_all[SolverChoice::slg(3, None)] { }
yields_first { "x\n", expect![["y"]], }
"###;
    check(
        source,
        expect![[r#"

            goal {
                Foo: Bar
            } yields {
                "Unique"
            } yields {
                "Unique; substitution [?0 := Uint(U32)]"
            } yields[solver = slg, design = boxed] {
                "A"
            } yields[SolverChoice::slg(10, Some(2))] {
                "B"
            } yields[SolverChoice::recursive(30, 7)] {
                "C"
            } yields[solver = recursive] {
                "D"
            } yields_all[SolverChoice::slg(3, None)] {} yields_first {
                "x
            ",
                "y"
            }
        "#]],
    );
    // The printed text does not show the goal as written (kept for the
    // output) nor which argument of a solver choice sets which limit.
    let (file, _) = parsed(source);
    let block = &file.goals[0];
    assert_eq!(block.text, "Foo: Bar");
    assert_eq!(
        block.expectations[3].solver,
        Some(SolverSpec::Slg {
            max_size: 10,
            expected_answers: Some(2)
        })
    );
    assert_eq!(
        block.expectations[4].solver,
        Some(SolverSpec::Recursive {
            overflow_depth: 7,
            max_size: 30
        })
    );
}

#[test]
fn chalk_test_macros_and_directives() {
    check(
        r#"
use prelude::*;
test! { disable_coherence; program { struct A {} } goal { A: Foo } yields { "No" } }
lowering_error! { program { struct B {} } error_msg { "bad" } }
lowering_success! { program { struct C {} } }
program { struct D {} }
rejected { "also bad" }
"#,
        expect![[r#"
            use prelude::*;
            disable_coherence;

            struct A;
            struct B;
            struct C;
            struct D;

            goal {
                A: Foo
            } yields {
                "No"
            }

            error_msg { "bad" }

            error_msg { "also bad" }

            lowering_success;
        "#]],
    );
}

#[test]
fn trait_and_impl_methods() {
    check(
        r#"
trait Service {
    fn m<'a, T>(&self, x: u32) -> R where T: Clone;
    async fn call(&mut self, r: Request) -> Response;
    fn ready(&self) -> impl Future<Output = bool> + Send + 'static;
    fn by_ref(&'a self, s: &Server, t: &mut dyn Foo);
    fn consume(self);
    fn assoc();
    fn lifetimed(&'a mut self);
}
impl Service for S {
    async fn call(&mut self, r: Request) -> Response { holds Rc<Vec<u8>>, u32; }
    async fn empty(&self) { }
    fn plain(&self) -> u32;
    fn ready(&self) -> impl Future<Output = bool> = MyFut;
}
"#,
        expect![[r#"
            trait Service {
                fn m<'a, T>(&self, x: u32) -> R where T: Clone;
                async fn call(&mut self, r: Request) -> Response;
                fn ready(&self) -> impl Future<Output = bool> + Send + 'static;
                fn by_ref(&'a self, s: &Server, t: &mut dyn Foo);
                fn consume(self);
                fn assoc();
                fn lifetimed(&'a mut self);
            }
            impl Service for S {
                async fn call(&mut self, r: Request) -> Response { holds Rc<Vec<u8>>, u32; }
                async fn empty(&self) {}
                fn plain(&self) -> u32;
                fn ready(&self) -> impl Future<Output = bool> = MyFut;
            }
        "#]],
    );
}

#[test]
fn impl_method_bodies_written_as_code() {
    let source = r#"
impl Service for S {
    async fn call(&mut self, r: Request) -> Response {
        let shared = &self.shared; // a comment, and `%` and 'c' are Rust's
        if x % 2 == 0 { self.inner.call(r).await } else { 'c'; Response {} }
    }
    async fn one_line(&self) { self.inner.tick().await; }
    async fn holds_twice(&self) { holds u8; holds Rc<u32>; }
}
"#;
    let (file, printed) = parsed(source);
    expect![[r#"
        impl Service for S {
            async fn call(&mut self, r: Request) -> Response {
                let shared = &self.shared; // a comment, and `%` and 'c' are Rust's
                if x % 2 == 0 { self.inner.call(r).await } else { 'c'; Response {} }
            }
            async fn one_line(&self) { self.inner.tick().await; }
            async fn holds_twice(&self) { holds u8, Rc<u32>; }
        }
    "#]]
    .assert_eq(&printed);
    // The code keeps its place in the file, so that the Rust front end's
    // diagnostics point into it.
    let Item::Impl(imp) = &file.items[0] else {
        panic!("an impl")
    };
    let ImplMethodBody::Code(code) = &imp.methods[0].body else {
        panic!("a code body")
    };
    assert_eq!(&source[code.span.range()], code.text);
    assert!(code.text.starts_with('{') && code.text.ends_with('}'));
}

#[test]
fn character_literals_in_code_bodies_are_not_delimiters() {
    // `'}'` closes no brace and `'"'` opens no string: the body ends at its
    // own `}`, and the impl's second method is still found.
    let source = r#"impl S for T {
    async fn m(&self) { let c = '}'; let q = '"'; let e = '\''; let u = '\u{7D}'; 'a' }
    async fn n(&self) { holds u8; }
}"#;
    let (file, diagnostics) = crate::parse_file(source);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let Item::Impl(imp) = &file.items[0] else {
        panic!("an impl")
    };
    assert_eq!(imp.methods.len(), 2);
    let ImplMethodBody::Code(code) = &imp.methods[0].body else {
        panic!("a code body")
    };
    assert!(code.text.ends_with("'a' }"), "{}", code.text);
    assert!(matches!(imp.methods[1].body, ImplMethodBody::Holds(..)));
    // Outside a code body, a character literal is an error of its own, and
    // a lifetime is still a lifetime.
    check(
        "struct S<'a> { x: &'a u8 } struct T<'b'> { }",
        expect![[r#"
            struct S<'a> { x: &'a u8 }
            struct T;
            unexpected-character: a character literal is not chalk syntax @ 1:37
                label: a character literal
                help: write a lifetime such as `'a`; character literals belong in a method body written as code
        "#]],
    );
}

#[test]
fn holds_lines_and_code_do_not_mix() {
    check(
        "impl S for T { async fn m(&self) { holds Rc<u8>; self.x.m().await } }",
        expect![[r#"
            impl S for T {}
            holds-mixed-with-code: a method body is either a `holds` list or code, not both @ 1:36
                label: a `holds` line
                secondary @ 1:50: code in the same body
                help: remove the `holds` lines and let the code say what the future holds, or replace the code by `holds` lines
        "#]],
    );
    check(
        "impl S for T { async fn m(&self) { let x = 1; holds Rc<u8>; } }",
        expect![[r#"
            impl S for T {}
            holds-mixed-with-code: a method body is either a `holds` list or code, not both @ 1:47
                label: a `holds` line
                secondary @ 1:36: code in the same body
                help: remove the `holds` lines and let the code say what the future holds, or replace the code by `holds` lines
        "#]],
    );
    // A local named `holds` is code: `holds.len()` starts no `holds` line.
    check(
        "impl S for T { async fn m(&self) { let holds = 1; holds.len(); } }",
        expect![[r#"
            impl S for T {
                async fn m(&self) { let holds = 1; holds.len(); }
            }
        "#]],
    );
}

#[test]
fn missing_lifetime_outside_methods() {
    check(
        "struct S<T> { x: &T }",
        expect![[r#"
            struct S<T> { x: &T }
            missing-lifetime: a reference needs an explicit lifetime @ 1:18
                label: lifetime missing here
                note: chalk's language has no lifetime elision; only method signatures may omit it
                help: write `&'a T` (or `&'a mut T`) and declare `'a` as a parameter
        "#]],
    );
    check(
        "struct S { x: dyn Foo }",
        expect![[r#"
            struct S { x: dyn Foo }
            missing-lifetime: a `dyn` type needs an explicit lifetime @ 1:15
                label: lifetime missing here
                note: chalk's language has no lifetime elision; only method signatures may omit it
                help: write `dyn Trait + 'a` and declare `'a` as a parameter
        "#]],
    );
    check(
        "trait T { fn f(&self, x: &u8); }",
        expect![[r#"
            trait T {
                fn f(&self, x: &u8);
            }
        "#]],
    );
}

#[test]
fn return_type_notation_forms() {
    let (file, _) = parsed(
        r#"
struct S<T, I> where
    T: Trait<m(..): Send>,
    I: AsyncIterator<Item = String, next(..): Send>,
    T: Trait<Assoc: Send>,
    T::m(..): Send,
    <T as Trait>::m(..): Send + Sync,
    for<'a> T::m<'a>: Send,
    T::m: Send,
    T::m(): Send,
    T::Name: Clone
{}
"#,
    );
    expect![[r#"
        BoundWithAssocBounds: T: Trait<m(..): Send>
        BoundWithAssocBounds: I: AsyncIterator<next(..): Send>
        AliasEq: I: AsyncIterator<Item = String>
        BoundWithAssocBounds: T: Trait<Assoc: Send>
        Rtn: T::m(..): Send
        Rtn: <T as Trait>::m(..): Send + Sync
        ShorthandBound: 1 binder(s) T::m<'a>: Send
        ShorthandBound: T::m: Send
        Rtn: T::m(): Send
        ShorthandBound: T::Name: Clone
    "#]]
    .assert_eq(&where_clause_nodes(&file));
    // In goals too.
    assert!(matches!(
        goal("T::m(..): Send").kind,
        GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(
            WhereClause::Rtn { .. }
        )))
    ));
}

#[test]
fn conditional_bounds() {
    check(
        r#"
trait AsyncIterator {
    type Item;
    type NextFuture: Future<Output = Self::Item> + if (Self: Send) { Send };
    type Other: if (Self: Send) < Send + Sync >;
}
"#,
        expect![[r#"
            trait AsyncIterator {
                type Item;
                type NextFuture: Future<Output = Self::Item> + if (Self: Send) { Send };
                type Other: if (Self: Send) { Send + Sync };
            }
        "#]],
    );
}

#[test]
fn lexical_errors() {
    check(
        "struct A {} /* never closed",
        expect![[r#"
            struct A;
            unterminated-comment: unterminated block comment @ 1:13
                label: this comment is never closed
                help: close the comment with `*/`
        "#]],
    );
    check(
        r#"goal { A: B } yields { "never closed }"#,
        expect![[r#"
            unterminated-string: unterminated string literal @ 1:24
                label: this string is never closed
                help: close the string with a matching `"`
        "#]],
    );
    check(
        "struct S { x: [u8; 99999999999] }",
        expect![[r#"
            struct S { x: [u8; 0] }
            invalid-number: 99999999999 does not fit in 32 bits @ 1:20
                label: too large
                help: const values must be below 4294967296
        "#]],
    );
    check(
        r#"extern "Fortran" fn f();"#,
        expect![[r#"
            extern "Fortran" fn f();
            unknown-abi: unknown ABI `Fortran` @ 1:8
                label: unknown ABI
                help: write `extern "C"`, or nothing for the Rust ABI
        "#]],
    );
}

#[test]
fn unbalanced_delimiter_points_at_the_opener() {
    let source = "struct A { x: u8\nstruct B {}";
    check(
        source,
        expect![[r#"
            struct A { x: u8 }
            struct B;
            unbalanced-delimiter: unclosed `{` @ 2:1
                label: `struct` starts a new item here
                secondary @ 1:10: this delimiter is never closed
                help: add the missing `}`
        "#]],
    );
    let (_, diagnostics) = parse_file(source);
    assert!(diagnostics[0].primary.span.end as usize <= source.len());
}

#[test]
fn independent_errors_are_all_reported() {
    check(
        r#"
struct A { x: }
struct Good {}
trait T where Self: { }
impl Foo Bar {}
struct AlsoGood {}
"#,
        expect![[r#"
            struct Good;
            struct AlsoGood;
            unexpected-token: expected a type, found `}` @ 2:15
                label: expected a type
                help: write a type here
            unexpected-token: expected a trait name or a lifetime after `:`, found `{` @ 4:21
                label: expected a trait name or a lifetime after `:`
                help: write a trait name or a lifetime after `:` here
            unexpected-token: expected `for` after the trait (chalk has no inherent impls), found `Bar` @ 5:10
                label: expected `for` after the trait (chalk has no inherent impls)
                help: write `for` after the trait (chalk has no inherent impls) here
        "#]],
    );
}

#[test]
fn errors_inside_goals_keep_the_expectations() {
    check(
        r#"
goal { Foo: } yields { "Unique" }
goal { A: B } yields { "X" }
"#,
        expect![[r#"

            goal {
                {error}
            } yields {
                "Unique"
            }

            goal {
                A: B
            } yields {
                "X"
            }
            unexpected-token: expected a trait name or a lifetime after `:`, found `}` @ 2:13
                label: expected a trait name or a lifetime after `:`
                help: write a trait name or a lifetime after `:` here
        "#]],
    );
}

#[test]
fn reserved_names_are_rejected() {
    check(
        "struct i32 {}",
        expect![[r#"
            reserved-name: `i32` is reserved and cannot be used as the name of the type @ 1:8
                label: reserved word
                help: choose another name
        "#]],
    );
}

#[test]
fn parse_goal_rejects_trailing_text() {
    let source = "A: B C";
    let (goal, diagnostics) = parse_goal(source);
    assert!(goal.is_none());
    expect![[r#"
        unexpected-token: expected `,` or the end of the goal, found `C` @ 1:6
            label: expected `,` or the end of the goal
            help: write `,` or the end of the goal here
    "#]]
    .assert_eq(&diagnostics_text(source, &diagnostics));
    let (goal, diagnostics) = parse_goal("");
    assert!(goal.is_none());
    expect![[r#"
        unexpected-token: expected a goal, found end of file @ 1:1
            label: expected a goal
            help: write a goal here
    "#]]
    .assert_eq(&diagnostics_text("", &diagnostics));
}

#[test]
fn never_panics_on_any_prefix_or_mutation() {
    let sample = r##"use prelude::*;
#[variance(Invariant)] #[upstream] struct Foo<'a, T> where T: Bar<Item = u8> { x: &'a T, y: [T; 3] }
#[auto] trait Send { } trait Svc { async fn call(&mut self, r: &Req) -> impl Future<Output = u8> + Send; type A: if (Self: Send) { Send }; }
impl<T> Svc for Foo<'static, T> { fn call(&self) -> u8 { holds Rc<u8>; } }
forall<T> { T: Send if T: Bar, WellFormed(T) }
test! { program { struct Ω {} } goal { forall<T> { if (T: Send; forall<U> { U: Bar :- U: Send }) { exists<U> { (T, U): Send, <T as Bar>::Item = U } } } } yields[SolverChoice::slg(10, Some(2))] { expect![[r#"Unique"#]] } }
/* comment */ goal { T::m(..): Send } yields_all { "a", "b\"" }
"##;
    let boundaries: Vec<usize> = (0..=sample.len())
        .filter(|i| sample.is_char_boundary(*i))
        .collect();
    for &end in &boundaries {
        let (_, diagnostics) = parse_file(&sample[..end]);
        for d in diagnostics {
            assert!(d.primary.span.end as usize <= end, "{d:?}");
        }
        let _ = parse_goal(&sample[..end]);
    }
    for window in boundaries.windows(2) {
        let mutated = format!("{}{}", &sample[..window[0]], &sample[window[1]..]);
        let (_, diagnostics) = parse_file(&mutated);
        for d in diagnostics {
            assert!(d.primary.span.end as usize <= mutated.len(), "{d:?}");
        }
    }
}

fn codes(text: &str) -> Vec<&'static str> {
    parse_file(text).1.iter().map(|d| d.code.name).collect()
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep_type = format!(
        "struct S {{ x: {}u8{} }}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert!(codes(&deep_type).contains(&"nesting-too-deep"));
    let deep_goal = format!(
        "goal {{ {}A: B{} }}",
        "not { ".repeat(5000),
        " }".repeat(5000)
    );
    assert!(codes(&deep_goal).contains(&"nesting-too-deep"));
    let deep_parens = format!("goal {{ {}A: B{} }}", "(".repeat(5000), ")".repeat(5000));
    assert!(codes(&deep_parens).contains(&"nesting-too-deep"));
    let deep_bounds = format!(
        "trait T {{ type A: {}Send{}; }}",
        "if (Self: Send) { ".repeat(3000),
        " }".repeat(3000)
    );
    assert!(codes(&deep_bounds).contains(&"nesting-too-deep"));
    // Real programs nest far less than the limit.
    let fine = format!("struct S {{ x: {}u8{} }}", "[".repeat(30), "]".repeat(30));
    assert!(codes(&fine).is_empty());
}

#[test]
fn an_unclosed_body_ends_at_the_next_item_keyword_on_a_new_line() {
    check(
        r#"
struct Foo { x: u32
trait Bar { type Item }
impl Bar for Foo { type Item = ; }
struct Ok { }
"#,
        expect![[r#"
            struct Foo { x: u32 }
            trait Bar {}
            impl Bar for Foo {}
            struct Ok;
            unbalanced-delimiter: unclosed `{` @ 3:1
                label: `trait` starts a new item here
                secondary @ 2:12: this delimiter is never closed
                help: add the missing `}`
            unexpected-token: expected `;` after the associated type, found `}` @ 3:23
                label: expected `;` after the associated type
                help: write `;` after the associated type here
            unexpected-token: expected a type, found `;` @ 4:32
                label: expected a type
                help: write a type here
        "#]],
    );
}

#[test]
fn items_inside_wrappers_and_impl_trait_types_do_not_close_anything() {
    check(
        r#"
test! {
program {
struct Foo { }
trait Bar { }
}
goal {
Foo: Bar
} yields { "No" }
}
"#,
        expect![[r#"
            struct Foo;
            trait Bar {}

            goal {
                Foo: Bar
            } yields {
                "No"
            }
        "#]],
    );
    check(
        r#"
trait Foo {
fn f(&self);
}
"#,
        expect![[r#"
            trait Foo {
                fn f(&self);
            }
        "#]],
    );
}

#[test]
fn many_impl_lines_inside_an_unclosed_body_parse_quickly() {
    let text = format!("struct Foo {{\n{}", "impl\n".repeat(50_000));
    let started = std::time::Instant::now();
    let (_, diagnostics) = parse_file(&text);
    assert!(!diagnostics.is_empty());
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn relaxed_bounds_parse_in_where_clauses_and_assoc_bounds() {
    check(
        "struct Tail<T> where T: Clone + ?Sized { hits: u32, inner: T }
trait Tr { type Item: ?Sized; }",
        expect![[r#"
            struct Tail<T> where T: Clone, T: ?Sized { hits: u32, inner: T }
            trait Tr {
                type Item: ?Sized;
            }
        "#]],
    );
}

#[test]
fn verdict_expectations_follow_the_goal() {
    check(
        "struct S { }
goal { S: Send } holds
goal { S: Sync } yields { \"No possible solution\" } fails[design = implied]",
        expect![[r#"
            struct S;

            goal {
                S: Send
            } holds

            goal {
                S: Sync
            } yields {
                "No possible solution"
            } fails[design = implied]
        "#]],
    );
}

/// Rule items-equal-when-moved: an item after an edit is the same item with
/// every span moved by the edit's length, and nothing else compares equal.
#[test]
fn items_equal_when_moved_by_the_same_distance() {
    let before = parse_file("struct A { }\nimpl Tr<u32> for A where A: Send { }\n").0;
    let after = parse_file("struct A { x: u32 }\nimpl Tr<u32> for A where A: Send { }\n").0;
    let shift = after.items[1].span().start as i64 - before.items[1].span().start as i64;
    assert_eq!(shift, 7);
    assert!(after.items[1] != before.items[1]);
    assert!(eq_shifted(&after.items[1], &before.items[1], shift));
    // Any other distance, or another item, is not the same.
    assert!(!eq_shifted(&after.items[1], &before.items[1], shift - 1));
    assert!(!eq_shifted(&after.items[0], &before.items[0], 0));
    let other = parse_file("struct A { x: u32 }\nimpl Tr<u64> for A where A: Send { }\n").0;
    assert!(!eq_shifted(&other.items[1], &before.items[1], shift));
    // The comparison ends with the shift undone.
    assert!(after.items[1] != before.items[1]);
    // Ignoring spans, only what the items say counts.
    assert!(eq_ignoring_spans(&after.items[1], &before.items[1]));
    assert!(!eq_ignoring_spans(&other.items[1], &before.items[1]));
    assert!(after.items[1] != before.items[1]);
    // Moving the old item by the distance gives the new one.
    let mut moved = before.items[1].clone();
    shift_item(&mut moved, shift);
    assert_eq!(moved, after.items[1]);
}
