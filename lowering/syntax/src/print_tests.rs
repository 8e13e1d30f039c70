//! Round trips through the printer: parse, print, parse again, and compare
//! the trees with spans erased. (The round trip of every corpus program is
//! `cli/tests/round_trip.rs`.)

use super::print::print_file;
use super::round_trip::{assert_goal_round_trip, assert_round_trip};
use super::{parse_file, parse_goal};
use crate::ast::File;
use expect_test::expect;

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
    expect![[r#"
        struct A;
        trait T {
            type X;
            fn f(&self);
        }
        impl T for A {
            type X = A;
        }
    "#]]
    .assert_eq(&print_file(&file));
}
