//! Unit tests of the desugaring rules: each desugars a small program and
//! compares the result, printed (without the prelude's items), and its
//! diagnostics with the expectation.
//!
//! `UPDATE_EXPECT=1 cargo test -p chalkboard-lowering` rewrites the
//! expectations; review the diff.

use expect_test::{expect, Expect};

use super::*;
use chalkboard_syntax::parse_file;
use chalkboard_syntax::print::print_file;

/// Runs the whole pass on `source` (which must parse cleanly) and checks
/// the printed result against `expect`.
fn check(source: &str, expect: Expect) {
    check_pass(desugar, source, expect);
}

/// Like [`check`], for one step of the pass.
fn check_pass(pass: fn(&ast::File) -> Desugared, source: &str, expect: Expect) {
    let (file, parse_errors) = parse_file(source);
    assert!(parse_errors.is_empty(), "{parse_errors:#?}");
    let Desugared {
        file: mut out,
        diagnostics,
        applied,
    } = pass(&file);
    let mut text = String::new();
    // The prelude's items carry the span of the `use` line; they are the
    // same in every test and are left out.
    if let Some(use_line) = file.uses_prelude {
        out.items.retain(|item| item.span() != use_line);
        text.push_str("// the prelude's items\n");
    }
    text.push_str(&print_file(&out));
    for d in &diagnostics {
        let before = &source[..d.primary.span.start as usize];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        text.push_str(&format!("{}: {} @ {line}:{column}\n", d.code, d.message));
    }
    // Every rule applied, with the line it rewrote.
    for a in &applied {
        let line = source[..a.span.start as usize].matches('\n').count() + 1;
        text.push_str(&format!(
            "// rule {} on `{}` @ line {line}\n",
            a.rule, a.subject
        ));
    }
    expect.assert_eq(&text);
}

#[test]
fn prelude_parses_cleanly() {
    let (_, diags) = parse_file(PRELUDE);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn async_fn_becomes_gat() {
    check(
        r#"
use prelude::*;
trait P { async fn request(&mut self, r: Request) -> Response; }
"#,
        expect![[r#"
            // the prelude's items
            trait P {
                type request<'a>: Future<Output = Response> + Sized;
            }
            // rule use-prelude on `prelude` @ line 2
            // rule elided-lifetime-to-param on `request` @ line 3
            // rule async-fn-to-impl-future on `request` @ line 3
            // rule implicit-sized on `Future::Output` @ line 2
            // rule implicit-sized on `P of Pin` @ line 2
            // rule implicit-sized on `T of Vec` @ line 2
            // rule implicit-sized on `T of impl Clone` @ line 2
            // rule implicit-sized on `P::request` @ line 3
            // rule impl-trait-to-gat on `request` @ line 3
        "#]],
    );
}

#[test]
fn misuse_codes() {
    check(
        r#"
use prelude::*;
trait P { fn plain(&self) -> u32; async fn a(&self); }
struct S<T> where T: P<plain(..): Send>, T::a(): Send, T::nope(..): Send {}
"#,
        expect![[r#"
            // the prelude's items
            trait P {
                type a<'a>: Future<Output = ()> + Sized;
            }
            struct S<T> where T: P, T: Sized;
            rtn-on-plain-method: return type notation used on function that is not `async` and does not return `impl Trait` @ 4:24
            rtn-needs-dotdot: return type notation arguments must be elided with `..` @ 4:45
            unknown-method: no trait in scope has a method named `nope` @ 4:59
            // rule use-prelude on `prelude` @ line 2
            // rule elided-lifetime-to-param on `plain` @ line 3
            // rule elided-lifetime-to-param on `a` @ line 3
            // rule async-fn-to-impl-future on `a` @ line 3
            // rule implicit-sized on `Future::Output` @ line 2
            // rule implicit-sized on `P of Pin` @ line 2
            // rule implicit-sized on `T of Vec` @ line 2
            // rule implicit-sized on `T of impl Clone` @ line 2
            // rule implicit-sized on `P::a` @ line 3
            // rule implicit-sized on `T of S` @ line 4
            // rule plain-method-dropped on `plain` @ line 3
            // rule impl-trait-to-gat on `a` @ line 3
        "#]],
    );
}

#[test]
fn elided_lifetimes_become_fresh_params() {
    check(
        r#"
trait Future { type Output; }
struct Server { }
trait HealthCheck { async fn check(&mut self, server: &Server) -> bool; }
"#,
        expect![[r#"
            trait Future {
                type Output;
            }
            struct Server;
            trait HealthCheck {
                type check<'a, 'b>: Future<Output = bool>;
            }
            // rule elided-lifetime-to-param on `check` @ line 4
            // rule async-fn-to-impl-future on `check` @ line 4
            // rule impl-trait-to-gat on `check` @ line 4
        "#]],
    );
}

#[test]
fn undeclared_and_written_lifetimes_are_kept_in_order() {
    check_pass(
        desugar_async,
        r#"
trait Future { type Output; }
trait T { async fn m<'x, U>(&'r self, u: &U) -> u32; }
"#,
        expect![[r#"
            trait Future {
                type Output;
            }
            trait T {
                fn m<'x, 'r, 'a, U>(&'r self, u: &'a U) -> impl Future<Output = u32> + 'x + 'r + 'a;
            }
            // rule elided-lifetime-to-param on `m` @ line 3
            // rule async-fn-to-impl-future on `m` @ line 3
        "#]],
    );
}

#[test]
fn impl_async_fn_becomes_a_struct_with_its_future_impl() {
    check(
        r#"
trait Future { type Output; }
struct Rc<T> { }
struct P<C> { }
trait Tr { async fn m(&mut self, x: u32) -> u8; }
impl<C> Tr for P<C> { async fn m(&mut self, x: u32) -> u8 { holds Rc<C>; } }
"#,
        expect![[r#"
            trait Future {
                type Output;
            }
            struct Rc<T>;
            struct P<C>;
            trait Tr {
                type m<'a>: Future<Output = u8>;
            }
            impl<C> Tr for P<C> {
                type m<'a> = P_m_Future<'a, C>;
            }
            struct P_m_Future<'a, C> { this: &'a mut P<C>, x: u32, held0: Rc<C> }
            impl<'a, C> Future for P_m_Future<'a, C> {
                type Output = u8;
            }
            // rule elided-lifetime-to-param on `m` @ line 5
            // rule async-fn-to-impl-future on `m` @ line 5
            // rule elided-lifetime-to-param on `m` @ line 6
            // rule impl-trait-to-gat on `m` @ line 5
            // rule impl-async-fn-to-future-struct on `m` @ line 6
        "#]],
    );
}

#[test]
fn hidden_type_becomes_the_gat_value() {
    check(
        r#"
trait Future { type Output; }
struct F { }
struct S { }
trait Tr { fn ready(&self) -> impl Future<Output = bool>; fn plain(&self) -> u32; }
impl Tr for S { fn ready(&self) -> impl Future<Output = bool> = F; fn plain(&self) -> u32; }
"#,
        expect![[r#"
            trait Future {
                type Output;
            }
            struct F;
            struct S;
            trait Tr {
                type ready<'a>: Future<Output = bool>;
            }
            impl Tr for S {
                type ready<'a> = F;
            }
            // rule elided-lifetime-to-param on `ready` @ line 5
            // rule elided-lifetime-to-param on `plain` @ line 5
            // rule elided-lifetime-to-param on `ready` @ line 6
            // rule elided-lifetime-to-param on `plain` @ line 6
            // rule impl-trait-to-gat on `ready` @ line 5
            // rule plain-method-dropped on `plain` @ line 5
            // rule impl-fn-hidden-type on `ready` @ line 6
            // rule plain-method-dropped on `plain` @ line 6
        "#]],
    );
}

#[test]
fn rtn_in_goals_and_hypotheses_is_quantified() {
    check(
        r#"
#[auto] trait Send { }
trait Future { type Output; }
trait Tr { type Item; async fn m(&self); }
goal { forall<T> { if (T: Tr<m(..): Send>; T::Item: Send) { T::m(..): Send } } }
"#,
        expect![[r#"
            #[auto]
            trait Send {}
            trait Future {
                type Output;
            }
            trait Tr {
                type Item;
                type m<'a>: Future<Output = ()>;
            }

            goal {
                forall<T> { if (T: Tr; forall<'a> { <T as Tr>::m<'a>: Send }; <T as Tr>::Item: Send) { forall<'a> { <T as Tr>::m<'a>: Send } } }
            }
            // rule elided-lifetime-to-param on `m` @ line 4
            // rule async-fn-to-impl-future on `m` @ line 4
            // rule impl-trait-to-gat on `m` @ line 4
            // rule rtn-to-gat-bound on `m(..)` @ line 5
            // rule assoc-bound-to-where-clause on `Item` @ line 5
            // rule rtn-to-gat-bound on `m(..)` @ line 5
        "#]],
    );
}

#[test]
fn fresh_rtn_params_avoid_names_in_scope() {
    check(
        r#"
#[auto] trait Send { }
trait Future { type Output; }
trait Tr { async fn m(&self); }
struct W<'a> { }
goal { forall<'a> { W<'a>::m(..): Send } }
"#,
        expect![[r#"
            #[auto]
            trait Send {}
            trait Future {
                type Output;
            }
            trait Tr {
                type m<'a>: Future<Output = ()>;
            }
            struct W<'a>;

            goal {
                forall<'a> { forall<'a2> { <W<'a> as Tr>::m<'a2>: Send } }
            }
            // rule elided-lifetime-to-param on `m` @ line 4
            // rule async-fn-to-impl-future on `m` @ line 4
            // rule impl-trait-to-gat on `m` @ line 4
            // rule rtn-to-gat-bound on `m(..)` @ line 6
        "#]],
    );
}

/// Rule fresh-names-on-need gathers an item's names only when it has a
/// bound to expand: wherever the bound sits (an item's where clause, an
/// associated type's where clause, a clause's condition), the fresh
/// parameter still avoids the item's own `'a`.
#[test]
fn fresh_rtn_params_avoid_the_names_of_the_item() {
    check(
        r#"
#[auto] trait Send { }
trait Future { type Output; }
trait Tr { async fn m(&self); }
struct S<'a, T> where T: Tr<m(..): Send> { }
trait U<'a> { type A where Self: Tr<m(..): Send>; }
trait Dup { }
forall<'a, T> { T: Dup if T::m(..): Send }
"#,
        expect![[r#"
            #[auto]
            trait Send {}
            trait Future {
                type Output;
            }
            trait Tr {
                type m<'a>: Future<Output = ()>;
            }
            struct S<'a, T> where T: Tr, forall<'a2> <T as Tr>::m<'a2>: Send;
            trait U<'a> {
                type A where Self: Tr, forall<'a2> <Self as Tr>::m<'a2>: Send;
            }
            trait Dup {}
            forall<'a, T> { T: Dup if forall<'a2> { <T as Tr>::m<'a2>: Send } }
            // rule elided-lifetime-to-param on `m` @ line 4
            // rule async-fn-to-impl-future on `m` @ line 4
            // rule impl-trait-to-gat on `m` @ line 4
            // rule rtn-to-gat-bound on `m(..)` @ line 5
            // rule rtn-to-gat-bound on `m(..)` @ line 6
            // rule rtn-to-gat-bound on `m(..)` @ line 8
        "#]],
    );
}

#[test]
fn prelude_spans_point_at_the_use_line() {
    let (file, _) = parse_file("use prelude::*;\nstruct S { }");
    let Desugared {
        file: out,
        diagnostics: diags,
        ..
    } = desugar(&file);
    assert!(diags.is_empty());
    let use_span = file.uses_prelude.unwrap();
    let (prelude, rest) = out.items.split_at(out.items.len() - 1);
    assert!(!prelude.is_empty());
    assert!(prelude.iter().all(|i| i.span() == use_span));
    assert!(rest[0].span() != use_span);
    assert!(out.uses_prelude.is_none());
}

#[test]
fn no_prelude_without_the_line() {
    check(
        r#"
struct S { }
"#,
        expect![[r#"
            struct S;
        "#]],
    );
}

#[test]
fn impl_misuse_codes() {
    check(
        r#"
trait Future { type Output; }
struct S { }
trait Tr { fn plain(&self) -> u32; fn r(&self) -> impl Future<Output = u8>; }
impl Tr for S {
    fn plain(&self) -> u32 { holds u8; }
    fn r(&self) -> impl Future<Output = u8>;
    async fn extra(&self) { }
}
trait Tr2 { fn plain2(&self) -> u32; }
impl Tr2 for S { async fn plain2(&self) -> u32 { } }
"#,
        expect![[r#"
            trait Future {
                type Output;
            }
            struct S;
            trait Tr {
                type r<'a>: Future<Output = u8>;
            }
            impl Tr for S {}
            trait Tr2 {}
            impl Tr2 for S {}
            holds-outside-async-fn: `holds` is only meaningful in the body of an `async fn` @ 6:28
            missing-hidden-type: method `r` returns `impl Trait` but names no hidden type @ 7:5
            unknown-impl-method: method `extra` is not a member of trait `Tr` @ 8:14
            impl-method-not-async-in-trait: method `plain2` is neither `async` nor returns `impl Trait` in trait `Tr2` @ 11:27
            // rule elided-lifetime-to-param on `plain` @ line 4
            // rule elided-lifetime-to-param on `r` @ line 4
            // rule elided-lifetime-to-param on `plain` @ line 6
            // rule elided-lifetime-to-param on `r` @ line 7
            // rule elided-lifetime-to-param on `extra` @ line 8
            // rule elided-lifetime-to-param on `plain2` @ line 10
            // rule elided-lifetime-to-param on `plain2` @ line 11
            // rule plain-method-dropped on `plain` @ line 4
            // rule impl-trait-to-gat on `r` @ line 4
            // rule plain-method-dropped on `plain2` @ line 10
            // rule plain-method-dropped on `plain2` @ line 11
        "#]],
    );
}

/// The where clauses of the item named `name`, printed.
/// The whole pass on `source` (which must parse cleanly): the desugared
/// tree and the codes of its diagnostics, for tests that look at one part.
fn desugared(source: &str) -> (ast::File, Vec<&'static str>) {
    let (file, parse_errors) = parse_file(source);
    assert!(parse_errors.is_empty(), "{parse_errors:#?}");
    let out = desugar(&file);
    let codes = out.diagnostics.iter().map(|d| d.code.name).collect();
    (out.file, codes)
}

fn where_clauses_of(file: &ast::File, name: &str) -> Vec<String> {
    let wcs = file
        .items
        .iter()
        .find_map(|i| match i {
            ast::Item::Adt(a) if a.name.text == name => Some(&a.where_clauses),
            ast::Item::Trait(t) if t.name.text == name => Some(&t.where_clauses),
            ast::Item::Fn(f) if f.name.text == name => Some(&f.where_clauses),
            _ => None,
        })
        .expect("the item exists");
    wcs.iter()
        .map(|w| chalkboard_syntax::print::print_where_clause(&w.where_clause))
        .collect()
}

#[test]
fn implicit_sized_only_with_the_prelude() {
    let with = "use prelude::*;
         struct Wrapper<T, U> where U: ?Sized { inner: T, tail: U }";
    let (out, codes) = desugared(with);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(where_clauses_of(&out, "Wrapper"), vec!["T: Sized"]);
    let without = "#[lang(sized)] trait Sized { }
         struct Wrapper<T, U> where U: ?Sized { inner: T, tail: U }";
    let (out, codes) = desugared(without);
    assert!(codes.is_empty(), "{codes:?}");
    assert!(where_clauses_of(&out, "Wrapper").is_empty());
}

#[test]
fn implicit_sized_is_set_by_a_front_end_too() {
    let (mut file, parse) = parse_file(
        "#[lang(sized)] trait Sized { }
         fn f<T>(t: T);
         goal { forall<T> { T: Sized } }",
    );
    assert!(parse.is_empty());
    file.implicit_sized = true;
    let out = desugar(&file);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(where_clauses_of(&out.file, "f"), vec!["T: Sized"]);
    let goal = chalkboard_syntax::print::print_goal(&out.file.goals[0].goal);
    assert_eq!(goal, "forall<T> { if (T: Sized) { T: Sized } }");
    // Desugaring again adds nothing: the rule is idempotent.
    let twice = desugar(&out.file);
    assert_eq!(twice.file, out.file);
}

#[test]
fn relaxed_bounds_are_checked() {
    let (_, codes) = desugared(
        "use prelude::*;
         struct A<T> where Vec<T>: ?Sized { t: Vec<T> }
         struct B<T> where T: ?Clone { t: T }",
    );
    assert_eq!(
        codes,
        vec!["invalid-relaxed-bound", "invalid-relaxed-bound"]
    );
}

#[test]
fn a_program_item_shadows_the_prelude_item() {
    let (out, codes) = desugared(
        "use prelude::*;
         struct String { len: u32 }",
    );
    assert!(codes.is_empty(), "{codes:?}");
    let strings: Vec<&ast::AdtDefn> = out
        .items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Adt(a) if a.name.text == "String" => Some(&**a),
            _ => None,
        })
        .collect();
    assert_eq!(strings.len(), 1);
    assert_eq!(strings[0].variants[0].fields[0].name.text, "len");
    // The prelude's `impl Clone for String` went with the prelude's `String`.
    let clone_for_string = out.items.iter().any(|i| {
        matches!(i, ast::Item::Impl(imp) if imp.trait_ref.trait_name.text == "Clone"
            && chalkboard_syntax::print::print_generic_arg(&imp.trait_ref.args[0]) == "String")
    });
    assert!(!clone_for_string);
}

#[test]
fn rtn_invents_names_the_goal_does_not_bind() {
    let (out, codes) = desugared(
        "use prelude::*;
         trait HealthCheck { async fn check<'a>(&'a mut self) -> bool; }
         goal { forall<'a, H> { if (H: HealthCheck) { H::check(..): Send } } }",
    );
    assert!(codes.is_empty(), "{codes:?}");
    let goal = chalkboard_syntax::print::print_goal(&out.goals[0].goal);
    assert!(
        goal.contains("forall<'a2> { <H as HealthCheck>::check<'a2>: Send }"),
        "{goal}"
    );
}

#[test]
fn rtn_restrictions_of_rustc() {
    let (_, codes) = desugared(
        "use prelude::*;
         trait Svc { async fn call<T>(&self, t: T) -> u8; }
         trait HealthCheck { async fn check(&mut self) -> bool; }
         trait A where Self: Svc<call(..): Send> { }
         trait B where Self: HealthCheck, for<'x> Self::check<'x>(..): Send { }
         trait C where Self: HealthCheck, for<'x> Self::check<'x>: Send { }",
    );
    assert_eq!(
        codes,
        vec!["rtn-on-generic-method", "rtn-with-generic-args"]
    );
}
