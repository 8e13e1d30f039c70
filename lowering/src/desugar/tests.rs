//! Unit tests of the desugaring rules.

use super::*;
use chalkboard_syntax::parse_file;

fn desugared(src: &str) -> (ast::File, Vec<&'static str>) {
    let (file, parse) = parse_file(src);
    assert!(parse.is_empty(), "{parse:?}");
    let Desugared {
        file: out,
        diagnostics: diags,
        ..
    } = desugar(&file);
    (out, diags.iter().map(|d| d.code.name).collect())
}

#[test]
fn prelude_parses_cleanly() {
    let (_, diags) = parse_file(PRELUDE);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn async_fn_becomes_gat() {
    let (out, codes) = desugared(
        "use prelude::*;
         trait P { async fn request(&mut self, r: Request) -> Response; }",
    );
    assert!(codes.is_empty(), "{codes:?}");
    let Some(ast::Item::Trait(t)) = out.items.last() else {
        panic!()
    };
    assert!(t.methods.is_empty());
    assert_eq!(t.assoc_ty_defns[0].name.text, "request");
    assert_eq!(t.assoc_ty_defns[0].params.len(), 1);
}

#[test]
fn misuse_codes() {
    let (_, codes) = desugared(
        "use prelude::*;
         trait P { fn plain(&self) -> u32; async fn a(&self); }
         struct S<T> where T: P<plain(..): Send>, T::a(): Send, T::nope(..): Send {}",
    );
    assert_eq!(
        codes,
        vec!["rtn-on-plain-method", "rtn-needs-dotdot", "unknown-method"]
    );
}

/// The desugared program, printed, with the prelude left out.
fn printed(src: &str) -> String {
    let (out, codes) = desugared(src);
    assert!(codes.is_empty(), "{codes:?}");
    chalkboard_syntax::print::print_file(&out)
}

#[test]
fn elided_lifetimes_become_fresh_params() {
    let text = printed(
        "trait Future { type Output; }
         struct Server { }
         trait HealthCheck { async fn check(&mut self, server: &Server) -> bool; }",
    );
    assert!(
        text.contains("type check<'a, 'b>: Future<Output = bool>;"),
        "{text}"
    );
}

#[test]
fn undeclared_and_written_lifetimes_are_kept_in_order() {
    let Desugared { file: out, .. } = desugar_async(
        &parse_file(
            "trait Future { type Output; }
             trait T { async fn m<'x, U>(&'r self, u: &U) -> u32; }",
        )
        .0,
    );
    let text = chalkboard_syntax::print::print_file(&out);
    assert!(
        text.contains(
            "fn m<'x, 'r, 'a, U>(&'r self, u: &'a U) -> impl Future<Output = u32> + 'x + 'r + 'a;"
        ),
        "{text}"
    );
}

#[test]
fn impl_async_fn_becomes_a_struct_with_its_future_impl() {
    let text = printed(
        "trait Future { type Output; }
         struct Rc<T> { }
         struct P<C> { }
         trait Tr { async fn m(&mut self, x: u32) -> u8; }
         impl<C> Tr for P<C> { async fn m(&mut self, x: u32) -> u8 { holds Rc<C>; } }",
    );
    assert!(text.contains("type m<'a> = P_m_Future<'a, C>;"), "{text}");
    assert!(
        text.contains("struct P_m_Future<'a, C> { this: &'a mut P<C>, x: u32, held0: Rc<C> }"),
        "{text}"
    );
    assert!(
        text.contains("impl<'a, C> Future for P_m_Future<'a, C> {"),
        "{text}"
    );
}

#[test]
fn hidden_type_becomes_the_gat_value() {
    let text = printed(
        "trait Future { type Output; }
         struct F { } struct S { }
         trait Tr { fn ready(&self) -> impl Future<Output = bool>; fn plain(&self) -> u32; }
         impl Tr for S { fn ready(&self) -> impl Future<Output = bool> = F; fn plain(&self) -> u32; }",
    );
    assert!(text.contains("type ready<'a> = F;"), "{text}");
    assert!(!text.contains("plain"), "{text}");
}

#[test]
fn rtn_in_goals_and_hypotheses_is_quantified() {
    let text = printed(
        "#[auto] trait Send { } trait Future { type Output; }
         trait Tr { type Item; async fn m(&self); }
         goal { forall<T> { if (T: Tr<m(..): Send>; T::Item: Send) { T::m(..): Send } } } yields { \"Unique\" }",
    );
    assert!(
        text.contains("forall<T> { if (T: Tr; forall<'a> { <T as Tr>::m<'a>: Send }; <T as Tr>::Item: Send) { forall<'a> { <T as Tr>::m<'a>: Send } } }"),
        "{text}"
    );
}

#[test]
fn fresh_rtn_params_avoid_names_in_scope() {
    let text = printed(
        "#[auto] trait Send { } trait Future { type Output; }
         trait Tr { async fn m(&self); }
         struct W<'a> { }
         goal { forall<'a> { W<'a>::m(..): Send } } yields { \"Unique\" }",
    );
    assert!(
        text.contains("forall<'a> { forall<'a2> { <W<'a> as Tr>::m<'a2>: Send } }"),
        "{text}"
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
    assert!(out.items[..out.items.len() - 1]
        .iter()
        .all(|i| i.span() == use_span));
    assert!(out.uses_prelude.is_none());
}

#[test]
fn no_prelude_without_the_line() {
    let (file, _) = parse_file("struct S { }");
    let out = desugar(&file).file;
    assert_eq!(out.items.len(), 1);
}

#[test]
fn impl_misuse_codes() {
    let (_, codes) = desugared(
        "trait Future { type Output; }
         struct S { }
         trait Tr { fn plain(&self) -> u32; fn r(&self) -> impl Future<Output = u8>; }
         impl Tr for S {
             fn plain(&self) -> u32 { holds u8; }
             fn r(&self) -> impl Future<Output = u8>;
             async fn extra(&self) { }
         }
         trait Tr2 { fn plain2(&self) -> u32; }
         impl Tr2 for S { async fn plain2(&self) -> u32 { } }",
    );
    assert_eq!(
        codes,
        vec![
            "holds-outside-async-fn",
            "missing-hidden-type",
            "unknown-impl-method",
            "impl-method-not-async-in-trait"
        ]
    );
}

/// The where clauses of the item named `name`, printed.
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
            ast::Item::Adt(a) if a.name.text == "String" => Some(a),
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
