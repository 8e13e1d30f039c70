//! Unit tests of the lexer and parser, on small inline programs.

use super::ast::*;
use super::{parse_file, parse_goal};

fn codes(text: &str) -> Vec<&'static str> {
    parse_file(text).1.iter().map(|d| d.code.name).collect()
}

/// Parses a program that must be free of diagnostics.
fn clean(text: &str) -> File {
    let (file, diagnostics) = parse_file(text);
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics: {diagnostics:#?}"
    );
    // Every clean program of these tests also checks the printer.
    super::print_tests::assert_round_trip(&file, text);
    file
}

fn goal(text: &str) -> Goal {
    let (goal, diagnostics) = parse_goal(text);
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics: {diagnostics:#?}"
    );
    let goal = goal.expect("a goal");
    super::print_tests::assert_goal_round_trip(&goal);
    goal
}

fn where_clauses_of_struct(file: &File) -> &[QuantifiedWhereClause] {
    match &file.items[0] {
        Item::Adt(adt) => &adt.where_clauses,
        other => panic!("expected a struct, got {other:?}"),
    }
}

fn name(ident: &Ident) -> &str {
    &ident.text
}

#[test]
fn empty_file_is_fine() {
    let (file, diagnostics) = parse_file("");
    assert!(diagnostics.is_empty());
    assert!(file.items.is_empty());
}

#[test]
fn whitespace_between_tokens_is_free_and_double_angle_closes_twice() {
    let g = goal("Vec < T > : Clone");
    let GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(WhereClause::Implemented(t)))) =
        g.kind
    else {
        panic!("{g:?}")
    };
    assert_eq!(t.trait_name.text, "Clone");
    let g = goal("Foo<Bar<T>>: Baz<Vec<Vec<u8>>>");
    let GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(WhereClause::Implemented(t)))) =
        g.kind
    else {
        panic!("{g:?}")
    };
    assert_eq!(t.args.len(), 2);
}

#[test]
fn comments_anywhere() {
    let file = clean("// line\nstruct /* inline */ Foo<T> /* nested /* ok */ */ { x: T } // end");
    assert_eq!(file.items.len(), 1);
}

#[test]
fn adt_attributes_in_order_set_flags() {
    let file = clean(
        "#[variance(Invariant, Covariant)] #[upstream] #[fundamental] #[phantom_data] #[one_zst] #[repr(C)] #[repr(u8)] enum E<T, U> { A, B(T), C { x: U } }",
    );
    let Item::Adt(adt) = &file.items[0] else {
        panic!()
    };
    assert_eq!(adt.kind, AdtKind::Enum);
    assert!(
        adt.flags.upstream && adt.flags.fundamental && adt.flags.phantom_data && adt.flags.one_zst
    );
    assert!(adt.repr.c);
    assert!(matches!(
        adt.repr.int,
        Some(Ty {
            kind: TyKind::Scalar(ScalarType::Uint(UintTy::U8)),
            ..
        })
    ));
    assert_eq!(
        adt.variances.as_ref().map(|v| v.0.clone()),
        Some(vec![Variance::Invariant, Variance::Covariant])
    );
    assert_eq!(adt.variants.len(), 3);
    assert_eq!(adt.variants[1].fields[0].name.text, "0");
    assert_eq!(adt.variants[2].fields[0].name.text, "x");
}

#[test]
fn attribute_order_is_enforced_with_help() {
    let (_, diagnostics) = parse_file("#[fundamental] #[upstream] struct Foo {}");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "attribute-order");
    let help = diagnostics[0].help.clone().unwrap_or_default();
    assert!(help.contains("`#[upstream]`, `#[fundamental]`"), "{help}");
}

#[test]
fn misplaced_and_unknown_attributes() {
    let (_, diagnostics) = parse_file("#[auto] struct Foo {}\n#[frobnicate] trait Bar {}");
    let found: Vec<_> = diagnostics.iter().map(|d| d.code.name).collect();
    assert_eq!(found, vec!["misplaced-attribute", "unknown-attribute"]);
    assert!(diagnostics[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("traits"));
}

#[test]
fn trait_attributes_and_lang_items() {
    let file = clean(
        "#[auto] #[marker] #[upstream] #[fundamental] #[non_enumerable] #[coinductive] #[object_safe] #[lang(async_fn_once)] trait Foo {}
         #[lang(future)] trait Future { #[lang(async_fn_once_output)] type Output; }",
    );
    let Item::Trait(t) = &file.items[0] else {
        panic!()
    };
    assert!(t.flags.auto && t.flags.marker && t.flags.object_safe && t.flags.coinductive);
    assert_eq!(t.well_known, Some(WellKnownTrait::AsyncFnOnce));
    let Item::Trait(f) = &file.items[1] else {
        panic!()
    };
    assert_eq!(f.well_known, Some(WellKnownTrait::Future));
    assert!(f.assoc_ty_defns[0].async_fn_once_output);
    assert_eq!(codes("#[lang(frob)] trait X {}"), vec!["unknown-lang-item"]);
}

#[test]
fn gat_with_bounds_and_where_clauses() {
    let file = clean("trait Foo { type Item<'a, T>: Clone + forall<'b> Bar<'b> where T: 'a; }");
    let Item::Trait(t) = &file.items[0] else {
        panic!()
    };
    let assoc = &t.assoc_ty_defns[0];
    assert_eq!(assoc.params.len(), 2);
    assert_eq!(assoc.params[0].kind, ParamKind::Lifetime);
    assert_eq!(assoc.bounds.len(), 2);
    assert_eq!(assoc.bounds[1].params.len(), 1);
    assert!(matches!(
        assoc.where_clauses[0].where_clause,
        WhereClause::TypeOutlives { .. }
    ));
}

#[test]
fn alias_eq_in_where_clause_expands_implemented_first() {
    let file = clean("struct S<T> where T: Iterator<u8, Item = u32, Extra<'a> = T> {}");
    let clauses = where_clauses_of_struct(&file);
    assert_eq!(clauses.len(), 3);
    let WhereClause::Implemented(trait_ref) = &clauses[0].where_clause else {
        panic!("{clauses:?}")
    };
    assert_eq!(trait_ref.args.len(), 2);
    let WhereClause::AliasEq { projection, .. } = &clauses[1].where_clause else {
        panic!()
    };
    assert_eq!(name(&projection.name), "Item");
    let WhereClause::AliasEq { projection, .. } = &clauses[2].where_clause else {
        panic!()
    };
    assert_eq!(name(&projection.name), "Extra");
    assert_eq!(projection.args.len(), 1);
    assert!(clauses.iter().all(|c| c.span == clauses[0].span));
}

#[test]
fn alias_eq_in_goals_and_hypotheses_expands() {
    let g = goal("T: Iterator<Item = u32>");
    let GoalKind::And(parts) = &g.kind else {
        panic!("{g:?}")
    };
    assert!(matches!(
        parts[0].kind,
        GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(
            WhereClause::Implemented(_)
        )))
    ));
    assert!(matches!(
        parts[1].kind,
        GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(
            WhereClause::AliasEq { .. }
        )))
    ));
    let g = goal("if (T: Iterator<Item = u32>; forall<U> { U: Foo :- U: Bar, U: Baz }) { T: Qux }");
    let GoalKind::Implies(clauses, _) = &g.kind else {
        panic!()
    };
    assert_eq!(clauses.len(), 3);
    assert_eq!(clauses[2].params.len(), 1);
    assert_eq!(clauses[2].conditions.len(), 2);
    let file = clean("forall<T> { T: Iterator<Item = u32> if T: Foo, T: Bar }");
    assert_eq!(file.items.len(), 2);
    let Item::Clause(clause) = &file.items[1] else {
        panic!()
    };
    assert_eq!(clause.conditions.len(), 2);
}

#[test]
fn clause_items_without_parameters() {
    let file = clean("forall { Foo: Bar } forall<> { WellFormed(Foo) }");
    assert_eq!(file.items.len(), 2);
}

#[test]
fn tuples_and_parentheses() {
    let file = clean("struct S { a: (), b: (u8,), c: (u8, bool), d: (u8) }");
    let Item::Adt(adt) = &file.items[0] else {
        panic!()
    };
    let kinds: Vec<_> = adt.variants[0].fields.iter().map(|f| &f.ty.kind).collect();
    assert!(matches!(kinds[0], TyKind::Tuple(v) if v.is_empty()));
    assert!(matches!(kinds[1], TyKind::Tuple(v) if v.len() == 1));
    assert!(matches!(kinds[2], TyKind::Tuple(v) if v.len() == 2));
    assert!(matches!(kinds[3], TyKind::Scalar(_)));
}

#[test]
fn parenthesised_goals_versus_tuple_types() {
    assert!(matches!(goal("(A, B): Foo").kind, GoalKind::Leaf(_)));
    assert!(matches!(
        goal("() = ()").kind,
        GoalKind::Leaf(LeafGoal::Unify(..))
    ));
    let g = goal("(A: Foo), B: Bar");
    assert!(matches!(&g.kind, GoalKind::And(parts) if parts.len() == 2));
}

#[test]
fn every_type_form() {
    let file = clean(
        "struct S<'a, T, const N> { a: dyn Foo + Bar<T> + 'a, b: <T as Tr<u8>>::Name<'a>, c: *const T, d: *mut T,
           e: &'a T, f: &'a mut T, g: [T], h: [T; 3], i: [T; N], j: for<'b> unsafe extern \"C\" fn(&'b u8, ...) -> T,
           k: str, l: !, m: f16, n: f128, o: fn() }",
    );
    let Item::Adt(adt) = &file.items[0] else {
        panic!()
    };
    let fields = &adt.variants[0].fields;
    assert!(
        matches!(&fields[0].ty.kind, TyKind::Dyn { bounds, lifetime: Some(_) } if bounds.len() == 2)
    );
    assert!(
        matches!(&fields[1].ty.kind, TyKind::Projection(p) if p.trait_ref.args.len() == 2 && p.args.len() == 1)
    );
    assert!(matches!(
        &fields[5].ty.kind,
        TyKind::Ref(Mutability::Mut, Some(_), _)
    ));
    assert!(matches!(
        &fields[8].ty.kind,
        TyKind::Array(_, Const::Name(_))
    ));
    let TyKind::FnPtr {
        lifetimes,
        argument_types,
        sig,
        ..
    } = &fields[9].ty.kind
    else {
        panic!()
    };
    assert_eq!(lifetimes.len(), 1);
    assert_eq!(argument_types.len(), 1);
    assert!(sig.variadic && sig.is_unsafe && sig.abi == Abi::C);
    assert!(matches!(
        &fields[12].ty.kind,
        TyKind::Scalar(ScalarType::Float(FloatTy::F16))
    ));
}

#[test]
fn other_items() {
    let file = clean(
        "#[variance(Covariant)] unsafe extern \"C\" fn f<T>(a: T, _: ...) -> u8 where T: Copy;
         closure c<T>(&mut self, x: T) -> u8 { T; u8 }
         opaque type O<T>: Clone + Iterator<Item = T> where T: Clone = Vec<T>;
         coroutine static G<T>[resume = u8, yield = T] -> () { upvars [T; u8] witnesses exists<'a> [&'a T] }
         extern type X;
         #[upstream] impl<T> !Send for Vec<T> where T: Copy { }
         impl Foo for Bar { default type A<'a> = &'a u8; type B = u8; }",
    );
    assert_eq!(file.items.len(), 7);
    let Item::Fn(f) = &file.items[0] else {
        panic!()
    };
    assert!(f.sig.variadic && f.variances.is_some() && f.argument_types.len() == 1);
    let Item::Closure(c) = &file.items[1] else {
        panic!()
    };
    assert_eq!(c.kind, ClosureKind::FnMut);
    assert_eq!(c.upvars.len(), 2);
    let Item::OpaqueTy(o) = &file.items[2] else {
        panic!()
    };
    assert_eq!(o.bounds.len(), 2);
    assert!(matches!(o.bounds[1].bound, InlineBound::AliasEq(_)));
    let Item::Coroutine(g) = &file.items[3] else {
        panic!()
    };
    assert!(g.is_static && g.witness_lifetimes.len() == 1 && g.upvars.len() == 2);
    let Item::Impl(i) = &file.items[5] else {
        panic!()
    };
    assert!(i.upstream && i.polarity == Polarity::Negative);
    let Item::Impl(i) = &file.items[6] else {
        panic!()
    };
    assert!(i.assoc_ty_values[0].default && !i.assoc_ty_values[1].default);
}

#[test]
fn every_goal_form() {
    let g = goal(
        "forall<T> { exists<'a, int I, float F, const N> { not { compatible { Subtype(T, T), Normalize(<T as Tr>::A -> u8), WellFormed(T), WellFormed(T: Tr), FromEnv(T), FromEnv(T: Tr), IsLocal(T), IsUpstream(T), IsFullyVisible(T), LocalImplAllowed(T: Tr), Compatible, DownstreamType(T), Reveal, ObjectSafe(Tr), 'a: 'a, T: 'a, 'a = 'a, 3 = N } } } }",
    );
    let GoalKind::ForAll(_, body) = g.kind else {
        panic!()
    };
    let GoalKind::Exists(params, body) = body.kind else {
        panic!()
    };
    assert_eq!(
        params.iter().map(|p| p.kind).collect::<Vec<_>>(),
        vec![
            ParamKind::Lifetime,
            ParamKind::IntegerTy,
            ParamKind::FloatTy,
            ParamKind::Const
        ]
    );
    let GoalKind::Not(body) = body.kind else {
        panic!()
    };
    let GoalKind::Compatible(body) = body.kind else {
        panic!()
    };
    let GoalKind::And(parts) = body.kind else {
        panic!()
    };
    assert_eq!(parts.len(), 18);
}

#[test]
fn expectations_in_every_spelling() {
    let file = clean(
        r###"goal { Foo: Bar }
        yields { "Unique" }
        yields { expect![[r#"Unique; substitution [?0 := Uint(U32)]"#]] }
        yields[solver = slg, design = boxed] { "A" }
        yields[SolverChoice::slg(10, Some(2))] { "B" }
        yields[SolverChoice::recursive(30, 7)] { "C" }
        yields[SolverChoice::recursive_default()] { "D" }
        yields_all[SolverChoice::slg(3, None)] { }
        yields_first { "x\n", expect![["y"]], }"###,
    );
    let block = &file.goals[0];
    assert_eq!(block.text, "Foo: Bar");
    let e = &block.expectations;
    assert_eq!(e.len(), 8);
    assert_eq!(
        e[1].answers,
        vec!["Unique; substitution [?0 := Uint(U32)]".to_string()]
    );
    assert_eq!(e[2].solver, Some(SolverSpec::SLG_DEFAULT));
    assert_eq!(e[2].design.as_ref().map(|d| d.text.as_str()), Some("boxed"));
    assert_eq!(
        e[3].solver,
        Some(SolverSpec::Slg {
            max_size: 10,
            expected_answers: Some(2)
        })
    );
    assert_eq!(
        e[4].solver,
        Some(SolverSpec::Recursive {
            overflow_depth: 7,
            max_size: 30
        })
    );
    assert_eq!(e[5].solver, Some(SolverSpec::RECURSIVE_DEFAULT));
    assert_eq!(e[6].kind, ExpectationKind::YieldsAll);
    assert!(e[6].answers.is_empty());
    assert_eq!(e[7].answers, vec!["x\n".to_string(), "y".to_string()]);
}

#[test]
fn chalk_test_macros_and_directives() {
    let file = clean(
        "use prelude::*;
         test! { disable_coherence; program { struct A {} } goal { A: Foo } yields { \"No\" } }
         lowering_error! { program { struct B {} } error_msg { \"bad\" } }
         lowering_success! { program { struct C {} } }
         program { struct D {} }
         rejected { \"also bad\" }",
    );
    assert!(file.uses_prelude.is_some());
    assert!(file.disable_coherence.is_some());
    assert!(file.expect_success.is_some());
    assert_eq!(file.items.len(), 4);
    assert_eq!(file.goals.len(), 1);
    assert_eq!(
        file.expected_errors
            .iter()
            .map(|e| e.text.as_str())
            .collect::<Vec<_>>(),
        vec!["bad", "also bad"]
    );
}

#[test]
fn trait_and_impl_methods() {
    let file = clean(
        "trait Service {
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
         }",
    );
    let Item::Trait(t) = &file.items[0] else {
        panic!()
    };
    let receivers: Vec<_> = t.methods.iter().map(|m| m.sig.receiver.clone()).collect();
    assert!(matches!(receivers[0], Receiver::Ref(Mutability::Not, None)));
    assert!(matches!(receivers[1], Receiver::Ref(Mutability::Mut, None)));
    assert!(matches!(
        receivers[3],
        Receiver::Ref(Mutability::Not, Some(_))
    ));
    assert_eq!(receivers[4], Receiver::Value);
    assert_eq!(receivers[5], Receiver::None);
    assert!(matches!(
        receivers[6],
        Receiver::Ref(Mutability::Mut, Some(_))
    ));
    assert!(t.methods[1].sig.is_async);
    assert_eq!(t.methods[0].sig.where_clauses.len(), 1);
    let Some(Ty {
        kind: TyKind::ImplTrait(bounds),
        ..
    }) = &t.methods[2].sig.return_type
    else {
        panic!()
    };
    assert!(matches!(bounds[0].bound, InlineBound::AliasEq(_)));
    assert!(matches!(bounds[2].bound, InlineBound::Outlives(_)));
    assert!(matches!(
        t.methods[3].sig.arguments[0].1.kind,
        TyKind::Ref(Mutability::Not, None, _)
    ));
    let Item::Impl(i) = &file.items[1] else {
        panic!()
    };
    assert!(matches!(&i.methods[0].body, ImplMethodBody::Holds(tys, _) if tys.len() == 2));
    assert!(matches!(&i.methods[1].body, ImplMethodBody::Holds(tys, _) if tys.is_empty()));
    assert_eq!(i.methods[2].body, ImplMethodBody::None);
    assert!(matches!(&i.methods[3].body, ImplMethodBody::Hidden(_)));
}

#[test]
fn missing_lifetime_outside_methods() {
    assert_eq!(codes("struct S<T> { x: &T }"), vec!["missing-lifetime"]);
    assert_eq!(codes("struct S { x: dyn Foo }"), vec!["missing-lifetime"]);
    assert!(codes("trait T { fn f(&self, x: &u8); }").is_empty());
}

#[test]
fn return_type_notation_forms() {
    let file = clean(
        "struct S<T, I> where
            T: Trait<m(..): Send>,
            I: AsyncIterator<Item = String, next(..): Send>,
            T: Trait<Assoc: Send>,
            T::m(..): Send,
            <T as Trait>::m(..): Send + Sync,
            for<'a> T::m<'a>: Send,
            T::m: Send,
            T::m(): Send,
            T::Name: Clone
        {}",
    );
    let clauses = where_clauses_of_struct(&file);
    let WhereClause::BoundWithAssocBounds { bound, .. } = &clauses[0].where_clause else {
        panic!("{:?}", clauses[0])
    };
    assert_eq!(bound.assoc_bounds[0].style, RtnStyle::DotDot);
    assert!(matches!(
        clauses[1].where_clause,
        WhereClause::BoundWithAssocBounds { .. }
    ));
    assert!(matches!(
        clauses[2].where_clause,
        WhereClause::AliasEq { .. }
    ));
    let WhereClause::BoundWithAssocBounds { bound, .. } = &clauses[3].where_clause else {
        panic!()
    };
    assert_eq!(bound.assoc_bounds[0].style, RtnStyle::Bare);
    assert!(
        matches!(&clauses[4].where_clause, WhereClause::Rtn { rtn, .. } if rtn.trait_ref.is_none())
    );
    assert!(
        matches!(&clauses[5].where_clause, WhereClause::Rtn { rtn, bounds } if rtn.trait_ref.is_some() && bounds.len() == 2)
    );
    assert_eq!(clauses[6].params.len(), 1);
    assert!(
        matches!(&clauses[6].where_clause, WhereClause::ShorthandBound { self_ty: Ty { kind: TyKind::ShorthandProjection { args, .. }, .. }, .. } if args.len() == 1)
    );
    assert!(matches!(
        clauses[7].where_clause,
        WhereClause::ShorthandBound { .. }
    ));
    assert!(
        matches!(&clauses[8].where_clause, WhereClause::Rtn { rtn, .. } if rtn.style == RtnStyle::EmptyParens)
    );
    assert!(matches!(
        clauses[9].where_clause,
        WhereClause::ShorthandBound { .. }
    ));
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
    let file = clean(
        "trait AsyncIterator {
            type Item;
            type NextFuture: Future<Output = Self::Item> + if (Self: Send) { Send };
            type Other: if (Self: Send) < Send + Sync >;
         }",
    );
    let Item::Trait(t) = &file.items[0] else {
        panic!()
    };
    let bounds = &t.assoc_ty_defns[1].bounds;
    let InlineBound::AliasEq(eq) = &bounds[0].bound else {
        panic!()
    };
    assert!(matches!(eq.value.kind, TyKind::ShorthandProjection { .. }));
    let InlineBound::Conditional(conditional) = &bounds[1].bound else {
        panic!()
    };
    assert_eq!(conditional.conditions.len(), 1);
    assert_eq!(conditional.bounds.len(), 1);
    let InlineBound::Conditional(conditional) = &t.assoc_ty_defns[2].bounds[0].bound else {
        panic!()
    };
    assert_eq!(conditional.bounds.len(), 2);
}

#[test]
fn lexical_errors() {
    assert_eq!(
        codes("struct A {} /* never closed"),
        vec!["unterminated-comment"]
    );
    assert_eq!(
        codes("goal { A: B } yields { \"never closed }"),
        vec!["unterminated-string"]
    );
    assert_eq!(
        codes("struct S { x: [u8; 99999999999] }"),
        vec!["invalid-number"]
    );
    assert_eq!(codes("extern \"Fortran\" fn f();"), vec!["unknown-abi"]);
}

#[test]
fn unbalanced_delimiter_points_at_the_opener() {
    let text = "struct A { x: u8\nstruct B {}";
    let (_, diagnostics) = parse_file(text);
    let unbalanced: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == "unbalanced-delimiter")
        .collect();
    assert_eq!(unbalanced.len(), 1, "{diagnostics:#?}");
    assert_eq!(unbalanced[0].secondary[0].span, Span::new(9, 10));
    assert!(unbalanced[0].primary.span.end as usize <= text.len());
}

#[test]
fn independent_errors_are_all_reported() {
    let text = "struct A { x: }\nstruct Good {}\ntrait T where Self: { }\nimpl Foo Bar {}\nstruct AlsoGood {}";
    let (file, diagnostics) = parse_file(text);
    assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d.code == "unexpected-token"));
    let names: Vec<_> = file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Adt(a) => Some(a.name.text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, vec!["Good", "AlsoGood"]);
    assert!(diagnostics[0].message.contains("expected a type"));
}

#[test]
fn errors_inside_goals_keep_the_expectations() {
    let (file, diagnostics) =
        parse_file("goal { Foo: } yields { \"Unique\" } goal { A: B } yields { \"X\" }");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(file.goals.len(), 2);
    assert_eq!(file.goals[0].goal.kind, GoalKind::Error);
    assert_eq!(file.goals[0].expectations.len(), 1);
}

#[test]
fn reserved_names_are_rejected() {
    assert_eq!(codes("struct i32 {}"), vec!["reserved-name"]);
}

#[test]
fn parse_goal_rejects_trailing_text() {
    let (goal, diagnostics) = parse_goal("A: B C");
    assert!(goal.is_none());
    assert_eq!(diagnostics[0].code, "unexpected-token");
    let (goal, diagnostics) = parse_goal("");
    assert!(goal.is_none() && !diagnostics.is_empty());
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
    let text = "struct Foo { x: u32\ntrait Bar { type Item }\nimpl Bar for Foo { type Item = ; }\nstruct Ok { }\n";
    let (file, diagnostics) = parse_file(text);
    let codes: Vec<_> = diagnostics.iter().map(|d| d.code.name).collect();
    assert_eq!(
        codes,
        [
            "unbalanced-delimiter",
            "unexpected-token",
            "unexpected-token"
        ]
    );
    // The struct after the broken items is still parsed.
    assert!(file
        .items
        .iter()
        .any(|i| matches!(i, Item::Adt(a) if a.name.text == "Ok")));
}

#[test]
fn items_inside_wrappers_and_impl_trait_types_do_not_close_anything() {
    clean("test! {\nprogram {\nstruct Foo { }\ntrait Bar { }\n}\ngoal {\nFoo: Bar\n} yields { \"No\" }\n}\n");
    clean("trait Foo {\nfn f(&self);\n}\n");
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
    let file = clean(
        "struct Tail<T> where T: Clone + ?Sized { hits: u32, inner: T }
         trait Tr { type Item: ?Sized; }",
    );
    let wcs = where_clauses_of_struct(&file);
    assert_eq!(wcs.len(), 2);
    match &wcs[1].where_clause {
        WhereClause::Relaxed { ty, trait_name } => {
            assert_eq!(name(trait_name), "Sized");
            assert!(matches!(&ty.kind, TyKind::Name(n) if n.text == "T"));
        }
        other => panic!("expected a relaxed bound, got {other:?}"),
    }
    let Some(Item::Trait(t)) = file.items.get(1) else {
        panic!("expected a trait")
    };
    assert!(matches!(
        &t.assoc_ty_defns[0].bounds[0].bound,
        InlineBound::Relaxed(n) if n.text == "Sized"
    ));
}

#[test]
fn verdict_expectations_follow_the_goal() {
    let file = clean(
        "struct S { }
         goal { S: Send } holds
         goal { S: Sync } yields { \"No possible solution\" } fails[design = implied]",
    );
    let kinds: Vec<Vec<ExpectationKind>> = file
        .goals
        .iter()
        .map(|g| g.expectations.iter().map(|e| e.kind).collect())
        .collect();
    assert_eq!(
        kinds,
        vec![
            vec![ExpectationKind::Holds],
            vec![ExpectationKind::Yields, ExpectationKind::Fails]
        ]
    );
    let fails = &file.goals[1].expectations[1];
    assert!(fails.answers.is_empty());
    assert_eq!(fails.design.as_ref().map(name), Some("implied"));
}
