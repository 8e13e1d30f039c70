//! Unit tests of lowering: each lowers a small program and compares what
//! came out, printed, with the expectation: the items as chalk's own program
//! writer prints them, the custom clauses and the goals as chalk-ir's `Debug`
//! prints them (with item names), or the diagnostics.
//!
//! `UPDATE_EXPECT=1 cargo test -p chalkboard-lowering` rewrites the
//! expectations; review the diff.

use std::sync::Arc;

use chalk_solve::display::{write_items, WriterState};
use chalk_solve::logging_db::RecordedItemId;
use expect_test::{expect, Expect};

use super::lower_file;
use crate::interner::Ir;
use crate::program::with_program;
use crate::program::Program;
use chalkboard_syntax::diagnostic::{Diagnostic, Severity};
use chalkboard_syntax::parse_file;

/// Lowers `source` (which must parse cleanly) and its goals, and checks the
/// printed result against `expect`.
fn check(source: &str, expect: Expect) {
    expect.assert_eq(&lowered(source));
}

/// The program lowered from `source` and printed, or its diagnostics.
fn lowered(source: &str) -> String {
    let (file, parse_errors) = parse_file(source);
    assert!(parse_errors.is_empty(), "parse errors: {parse_errors:#?}");
    let (program, diagnostics) = lower_file(&file);
    let mut out = diagnostics_text(source, &diagnostics);
    let Some(program) = program else {
        assert!(!diagnostics.is_empty(), "no program and no diagnostic");
        return out;
    };
    assert!(
        diagnostics.iter().all(|d| d.severity == Severity::Warning),
        "a program was returned despite errors: {diagnostics:#?}"
    );
    out.push_str(&program_text(&program));
    for block in &file.goals {
        match program.lower_goal(&block.goal) {
            Ok(goal) => {
                let goal = with_program(&program, || format!("{goal:?}"));
                out.push_str(&format!("goal {goal}\n"));
            }
            Err(d) => out.push_str(&diagnostics_text(source, &[d])),
        }
    }
    out
}

/// The items in source order as chalk's program writer prints them
/// (parameters named by binder depth and index, `_1_0`), then the custom
/// clauses.
fn program_text(program: &Arc<Program>) -> String {
    let mut ids: Vec<(u32, RecordedItemId<Ir>)> = Vec::new();
    ids.extend(program.adt_ids().map(|id| (id.0.index, id.into())));
    ids.extend(program.trait_ids().map(|id| (id.0.index, id.into())));
    ids.extend(program.impl_ids().map(|(id, _)| (id.0.index, id.into())));
    ids.extend(program.opaque_ids().map(|id| (id.0.index, id.into())));
    ids.extend(program.fn_def_ids().map(|id| (id.0.index, id.into())));
    ids.extend(
        program
            .coroutine_data
            .keys()
            .map(|&id| (id.0.index, RecordedItemId::Coroutine(id))),
    );
    ids.sort_by_key(|(index, _)| *index);
    let writer = WriterState::<Ir, Program, Arc<Program>>::new(Arc::clone(program));
    let mut out = String::new();
    with_program(program, || {
        write_items(&mut out, &writer, ids.into_iter().map(|(_, id)| id))
            .expect("chalk's writer prints the program");
        for clause in program.custom_program_clauses() {
            out.push_str(&format!("clause {clause:?}\n"));
        }
    });
    out
}

/// One line per diagnostic, `code: message @ line:column`, followed by its
/// labels, notes, help and chalk's wording, indented.
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
        if let Some(chalk) = &d.chalk_message {
            out.push_str(&format!("    chalk: {chalk}\n"));
        }
    }
    out
}

// The answers of these goals are the corpus's business (programs/chalk/
// basics.chalk, projection.chalk, auto_traits.chalk, wf_implied_bounds.chalk
// and clauses_negation.chalk run the same forms on both solvers); here the
// point is what lowering hands chalk.

#[test]
fn impls_of_scalars_and_existential_goals() {
    check(
        r#"
trait Foo { }
struct S { }
impl Foo for u32 { }
goal { exists<T> { T: Foo } }
goal { S: Foo }
"#,
        expect![[r#"
            trait Foo {}
            struct S {}
            impl Foo for u32 {}
            goal Exists<type> { Implemented(^0.0: Foo) }
            goal Implemented(S: Foo)
        "#]],
    );
}

#[test]
fn adts_print_by_name_and_projections_normalize() {
    check(
        r#"
struct Vec<T> { }
trait Iterator { type Item; }
impl<T> Iterator for Vec<T> { type Item = T; }
goal { exists<U> { Normalize(<Vec<u32> as Iterator>::Item -> U) } }
goal { exists<T> { T = Vec<i8> } }
goal { Vec<bool>: Iterator<Item = bool> }
"#,
        // `T: Tr<A = U>` lowers to `Implemented` and `AliasEq`.
        expect![[r#"
            struct Vec<_1_0> {}
            trait Iterator {
              type Item;
            }
            impl<_1_0> Iterator for Vec<_1_0> {
              type Item = _1_0;
            }
            goal Exists<type> { Normalize(<Vec<Uint(U32)> as Iterator>::Item -> ^0.0) }
            goal Exists<type> { (^0.0 = Vec<Int(I8)>) }
            goal all(AliasEq(<Vec<Bool> as Iterator>::Item = Bool), Implemented(Vec<Bool>: Iterator))
        "#]],
    );
}

#[test]
fn implication_hypotheses_and_supertraits() {
    check(
        r#"
trait Foo { }
trait Bar where Self: Foo { }
goal { forall<T> { if (T: Bar) { T: Foo } } }
goal { forall<T> { T: Foo } }
"#,
        expect![[r#"
            trait Foo {}
            trait Bar
            where
              Self: Foo
            {}
            goal ForAll<type> { if ([for<> FromEnv(^1.0: Bar)]) { Implemented(^0.0: Foo) } }
            goal ForAll<type> { Implemented(^0.0: Foo) }
        "#]],
    );
}

#[test]
fn auto_traits_and_negative_impls() {
    check(
        r#"
#[auto] trait Send { }
struct Rc<T> { }
struct Box<T> { t: T }
impl<T> !Send for Rc<T> { }
goal { Box<Rc<u32>>: Send }
"#,
        expect![[r#"
            #[auto]
            trait Send {}
            struct Rc<_1_0> {}
            struct Box<_1_0> {
              field_0: _1_0
            }
            impl<_1_0> !Send for Rc<_1_0> {}
            goal Implemented(Box<Rc<Uint(U32)>>: Send)
        "#]],
    );
}

#[test]
fn custom_clauses() {
    check(
        r#"
struct A { }
trait Foo { }
forall<T> { T: Foo if T = A }
"#,
        expect![[r#"
            struct A {}
            trait Foo {}
            clause for<type> Implemented(^0.0: Foo) :- (^0.0 = A)
        "#]],
    );
}

#[test]
fn debug_output_uses_names() {
    check(
        r#"
struct S<T> { }
trait Tr<U> { type Out<'a>; }
goal { forall<'a> { exists<X> { Normalize(<S<u8> as Tr<bool>>::Out<'a> -> X) } } }
"#,
        expect![[r#"
            struct S<_1_0> {}
            trait Tr<_1_1> {
              type Out<'_2_2>;
            }
            goal ForAll<lifetime> { Exists<type> { Normalize(<S<Uint(U8)> as Tr<Bool>>::Out<'^1.0> -> ^0.0) } }
        "#]],
    );
}

#[test]
fn accessors_report_items_in_source_order() {
    let (file, _) =
        parse_file("trait Foo { } struct A { } #[upstream] impl Foo for A { } impl Foo for u8 { }");
    let p = lower_file(&file).0.expect("the program lowers");
    let impls: Vec<bool> = p.impl_ids().map(|(_, local)| local).collect();
    assert_eq!(impls, vec![false, true]);
    assert_eq!(p.trait_ids().count(), 1);
    let a = p.adt_id_by_name("A").expect("A exists");
    assert_eq!(p.item_name(a.0), Some("A"));
}

#[test]
fn not_a_trait_keeps_chalks_text() {
    check(
        r#"
struct Foo { }
trait Bar { }
impl Foo for Bar { }
"#,
        expect![[r#"
            not-a-trait: `Foo` is used as a trait but is not one @ 4:6
                label: not a trait
                help: only traits can appear in bounds and after `impl`; for `impl Trait for Type`, check the order
                chalk: expected a trait, found `Foo`, which is not a trait
        "#]],
    );
}

#[test]
fn every_bad_item_is_reported() {
    check(
        r#"
trait Bar { }
impl Bar for X { }
trait Foo<T, T> { }
#[auto] trait Send<T> { }
"#,
        expect![[r#"
            unknown-type: cannot find a type or generic parameter named `X` @ 3:14
                label: not found in this scope
                help: declare `X` as a generic parameter (e.g. `forall<X>` or `impl<X>`), or define an item with that name
                chalk: invalid parameter name `X`
            duplicate-parameter: the parameter `T` is declared twice or shadows a parameter in scope @ 4:14
                label: duplicate or shadowing declaration
                help: give each generic parameter a name not already in scope
                chalk: duplicate or shadowed parameters
            auto-trait-with-params: the auto trait `Send` has generic parameters @ 5:20
                label: auto traits take no parameters
                help: remove the parameters, or remove `#[auto]` from the trait
                chalk: auto trait `Send` cannot have parameters
        "#]],
    );
}

#[test]
fn kind_and_arity_errors() {
    check(
        r#"
struct Foo<'a> { }
struct My { }
trait Bar { }
impl Bar for Foo<My> { }
"#,
        expect![[r#"
            wrong-kind: expected a lifetime argument for `Foo`, found a type @ 5:18
                label: this is a type
                help: pass a lifetime here
                chalk: incorrect parameter kind for `Foo`: expected lifetime, found type
        "#]],
    );
    check(
        r#"
trait Length<const N> { }
struct Foo { }
impl<'a> Length<'a> for Foo { }
"#,
        expect![[r#"
            wrong-kind: expected a const argument for `Length`, found a lifetime @ 4:17
                label: this is a lifetime
                help: pass a const here
                chalk: incorrect parameter kind for trait `Length`: expected const, found lifetime
        "#]],
    );
    check(
        r#"
struct Foo<T> { }
trait Bar { }
impl Bar for Foo { }
"#,
        expect![[r#"
            wrong-arity: `Foo` takes 1 generic argument but 0 were given @ 4:14
                label: expected 1 argument
                help: pass exactly 1 generic argument to `Foo`
                chalk: `Foo` takes 1 type parameters, not 0
        "#]],
    );
}

#[test]
fn negative_impls_and_auto_traits_are_checked() {
    check(
        r#"
trait Foo { type Item; }
struct S { }
impl !Foo for S { type Item = u32; }
"#,
        expect![[r#"
            negative-impl-with-assoc-values: a negative impl of `Foo` defines associated types @ 4:19
                label: negative impls cannot define associated types
                help: remove the associated type values, or make the impl positive
                chalk: negative impl for trait `Foo` cannot define associated values
        "#]],
    );
    check(
        r#"
#[auto] trait Foo { type Item; }
"#,
        expect![[r#"
            auto-trait-with-assoc-types: the auto trait `Foo` declares an associated type @ 2:21
                label: associated type in an auto trait
                help: remove the associated type, or remove `#[auto]` from the trait
                chalk: auto trait `Foo` cannot define associated types
        "#]],
    );
    check(
        r#"
trait Sized { }
#[auto] trait Foo where Self: Sized { }
"#,
        expect![[r#"
            auto-trait-with-where-clauses: the auto trait `Foo` has where clauses @ 3:25
                label: auto traits cannot have where clauses
                help: remove the where clauses, or remove `#[auto]` from the trait
                chalk: auto trait `Foo` cannot have where clauses
        "#]],
    );
}

#[test]
fn self_outside_a_trait_and_unknown_assoc_types() {
    check(
        r#"
struct S { f: Self }
"#,
        expect![[r#"
            self-outside-trait: `Self` is only in scope inside a trait @ 2:15
                label: `Self` used here
                help: name the type explicitly, or declare a generic parameter for it
                chalk: invalid parameter name `Self`
        "#]],
    );
    check(
        r#"
trait Tr { }
struct S { }
impl Tr for S { type Missing = u32; }
"#,
        expect![[r#"
            unknown-assoc-type: the trait `Tr` has no associated type named `Missing` @ 4:22
                label: not declared in the trait
                help: declare `type Missing;` in `Tr` or fix the spelling
                chalk: no associated type `Missing` defined in trait
        "#]],
    );
}

#[test]
fn errors_point_at_the_source() {
    let source = "trait Bar { } impl Bar for Nope { }";
    check(
        source,
        expect![[r#"
            unknown-type: cannot find a type or generic parameter named `Nope` @ 1:28
                label: not found in this scope
                help: declare `Nope` as a generic parameter (e.g. `forall<Nope>` or `impl<Nope>`), or define an item with that name
                chalk: invalid parameter name `Nope`
        "#]],
    );
    // The line and column above say where the span starts; this says where
    // it ends.
    let d = lower_file(&parse_file(source).0).1;
    assert_eq!(&source[d[0].primary.span.range()], "Nope");
}

#[test]
fn bad_goals_are_diagnosed() {
    check(
        r#"
trait Foo { }
goal { Nope: Foo }
"#,
        expect![[r#"
            trait Foo {}
            unknown-type: cannot find a type or generic parameter named `Nope` @ 3:8
                label: not found in this scope
                help: declare `Nope` as a generic parameter (e.g. `forall<Nope>` or `impl<Nope>`), or define an item with that name
                chalk: invalid parameter name `Nope`
        "#]],
    );
}

#[test]
fn duplicate_items_are_reported() {
    check(
        r#"
struct A { }
struct A { }
"#,
        expect![[r#"
            duplicate-item: the name `A` is defined more than once @ 3:8
                label: this type redefines `A`
                secondary @ 2:8: first defined here
                help: rename one of the definitions
        "#]],
    );
}

/// Rule lower-reuse: a lowering that takes what it can from the one before
/// gives exactly what a fresh lowering gives, spans and all, and lowers
/// again only the items an edit changed.
mod reuse {
    use std::sync::Arc;

    use super::super::{lower_file, lower_file_reusing};
    use chalkboard_syntax::parse_file;

    fn desugared(source: &str) -> Arc<chalkboard_syntax::ast::File> {
        let (file, errors) = parse_file(source);
        assert!(errors.is_empty(), "{errors:#?}");
        Arc::new(crate::desugar::desugar(&file).file)
    }

    /// Lowers `before`, then `after` reusing it; returns how many items the
    /// second lowering reused and lowered, after checking that its program
    /// is a fresh lowering's.
    fn edit(before: &str, after: &str) -> (usize, usize) {
        let (_, _, earlier) = lower_file_reusing(&desugared(before), None);
        let earlier = earlier.expect("the program before the edit lowers");
        let after = desugared(after);
        let (program, diagnostics, reusable) = lower_file_reusing(&after, Some(&earlier));
        let (fresh, fresh_diagnostics) = lower_file(&after);
        assert_eq!(format!("{diagnostics:?}"), format!("{fresh_diagnostics:?}"));
        match (program, fresh) {
            (Some(p), Some(f)) => assert_eq!(p.tables_printed(), f.tables_printed()),
            (None, None) => {}
            (p, f) => panic!("reused: {:?}, fresh: {:?}", p.is_some(), f.is_some()),
        }
        reusable.map_or((0, 0), |r| r.counts())
    }

    const ASYNC: &str = "use prelude::*;\ntrait Service {\n    async fn call(&self, request: u32) -> u32;\n}\n\
        struct A { }\nimpl Service for A {\n    async fn call(&self, request: u32) -> u32 { holds Vec<u32>; }\n}\n\
        struct B { }\nimpl Service for B {\n    async fn call(&self, request: u32) -> u32 { holds Vec<u32>; }\n}\n\
        trait Tr { type Out: Dup + if (Self: Send) { Send }; }\ntrait Dup { }\nimpl Dup for u32 { }\nimpl Dup for u64 { }\nimpl Tr for B { type Out = u32; }\n\
        forall<T> { T: Dup if T: Service }\n";

    #[test]
    fn an_unchanged_file_lowers_nothing_again() {
        let (reused, lowered) = edit(ASYNC, ASYNC);
        assert!(reused > 30, "{reused} reused");
        assert_eq!(lowered, 0);
    }

    #[test]
    fn a_field_added_lowers_its_struct_again_and_moves_the_rest() {
        let after = ASYNC.replace("struct A { }", "struct A { x: u32 }");
        assert_eq!(edit(ASYNC, &after).1, 1);
    }

    #[test]
    fn an_item_added_at_the_end_is_the_only_one_lowered() {
        let after = format!("{ASYNC}struct Added {{ }}\n");
        assert_eq!(edit(ASYNC, &after).1, 1);
    }

    #[test]
    fn a_changed_name_lowers_every_item_again() {
        // `B` names another item now, so nothing lowered before is taken.
        let after = ASYNC
            .replace("struct A { }", "struct A0 { }")
            .replace("for A ", "for A0 ");
        let (reused, _) = edit(ASYNC, &after);
        assert_eq!(reused, 0);
        // The kinds of a struct's parameters are part of its name.
        let after = ASYNC
            .replace("struct B { }", "struct B<T> { }")
            .replace("for B ", "for B<u32> ");
        assert_eq!(edit(ASYNC, &after).0, 0);
    }

    /// Rule impl-index-kept: after an edit that leaves every impl as it
    /// was, the program has the earlier program's index of impls, the very
    /// same; after an edit of an impl it builds its own. Either way the
    /// index is the one a fresh build gives.
    #[test]
    fn the_index_of_impls_is_kept_while_no_impl_changes() {
        let index_after = |after: &str| {
            let (earlier_program, _, earlier) = lower_file_reusing(&desugared(ASYNC), None);
            let earlier_program = earlier_program.expect("the program lowers");
            let earlier_index = std::ptr::from_ref(earlier_program.impl_index());
            let (program, _, _) = lower_file_reusing(&desugared(after), earlier.as_ref());
            let program = program.expect("the edited program lowers");
            let fresh = crate::impl_index::ImplIndex::build(&program.impl_data);
            assert_eq!(*program.impl_index(), fresh);
            std::ptr::eq(program.impl_index(), earlier_index)
        };
        assert!(index_after(
            &ASYNC.replace("struct A { }", "struct A { x: u32 }")
        ));
        assert!(index_after(&format!("{ASYNC}struct Added {{ }}\n")));
        assert!(!index_after(
            &ASYNC.replace("impl Dup for u64", "impl Dup for i64")
        ));
        assert!(!index_after(&format!("{ASYNC}impl Dup for i64 {{ }}\n")));
    }

    #[test]
    fn an_item_removed_or_an_auto_trait_made_lowers_right() {
        let removed = ASYNC.replace("impl Dup for u64 { }\n", "");
        assert_ne!(removed, ASYNC);
        edit(ASYNC, &removed);
        edit(ASYNC, &ASYNC.replace("trait Tr {", "#[auto] trait Tr {"));
        edit(ASYNC, &ASYNC.replace("type Out = u32;", "type Out = u64;"));
        edit(ASYNC, &ASYNC.replace("if T: Service", "if T: Tr"));
        edit(&removed, ASYNC);
        edit(
            ASYNC,
            &ASYNC.replace("trait Dup { }", "#[auto] trait Dup { }"),
        );
        edit(
            &ASYNC.replace("trait Dup { }", "#[auto] trait Dup { }"),
            ASYNC,
        );
    }
}
