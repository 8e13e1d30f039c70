//! Generated programs of any size, for the scale benchmark
//! (`benches/scale.rs`) and the scale test (`tests/scale.rs`), which include
//! this file with `#[path]`.
//!
//! Every program is a complete `.chalk` file whose goals state the answers
//! they must give, so a run of it checks itself: `all_hold()` on its report.
//! The size `n` counts the items that grow: impls of the main trait, structs
//! of the chain, goals.

#![allow(dead_code)]

use std::fmt::Write;

/// A family of generated programs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Family {
    /// `n` structs, each with `impl Show for S{i} {}`, and one goal.
    Flat,
    /// Generic traits with blanket impls: `impl<T> Show for T where T:
    /// Display` beside `n` impls of `Show`, `Display` and `From<S{i}>`, and
    /// a blanket `impl<T, U> Into<U> for T where U: From<T>`.
    Blanket,
    /// `n` structs in chains of 50, each holding the one before it, for the
    /// auto trait `Send`; one chain ends in an `Rc`.
    AutoChain,
    /// `n` impls of a trait with an associated type bounded by another trait.
    AssocTypes,
    /// The flat program with `n` goals, one per impl.
    ManyGoals,
    /// `use prelude::*;` and a trait with an `async fn`, implemented by `n`
    /// structs; its goals hold under every design.
    AsyncFn,
}

impl Family {
    pub const ALL: [Family; 6] = [
        Family::Flat,
        Family::Blanket,
        Family::AutoChain,
        Family::AssocTypes,
        Family::ManyGoals,
        Family::AsyncFn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Flat => "flat",
            Family::Blanket => "blanket",
            Family::AutoChain => "auto_chain",
            Family::AssocTypes => "assoc_types",
            Family::ManyGoals => "many_goals",
            Family::AsyncFn => "async_fn",
        }
    }

    pub fn generate(self, n: usize) -> String {
        match self {
            Family::Flat => flat(n),
            Family::Blanket => blanket(n),
            Family::AutoChain => auto_chain(n),
            Family::AssocTypes => assoc_types(n),
            Family::ManyGoals => many_goals(n),
            Family::AsyncFn => async_fn(n),
        }
    }
}

/// `n` structs, each with its own impl of one trait, and a goal on the last.
pub fn flat(n: usize) -> String {
    let mut s = String::from("trait Show { }\n");
    for i in 0..n {
        writeln!(s, "struct S{i} {{ }}\nimpl Show for S{i} {{ }}").unwrap();
    }
    let last = n.saturating_sub(1);
    writeln!(s, "goal {{ S{last}: Show }} yields {{ \"Unique\" }}").unwrap();
    s
}

/// The flat program with the overlapping impl `impl Show for S{at} {}`
/// added at the end: the overlap the coherence check must find and name.
pub fn flat_with_overlap(n: usize, at: usize) -> String {
    let mut s = flat(n);
    writeln!(s, "impl Show for S{at} {{ }}").unwrap();
    s
}

/// Blanket impls over generic traits. Odd structs are `Display` (and so
/// `Show` through the blanket impl), even ones implement `Show` directly;
/// each struct converts into the next through `From`, and so `Into`.
pub fn blanket(n: usize) -> String {
    let mut s = String::from(
        "trait Display { }\n\
         trait Show { }\n\
         trait From<T> { }\n\
         trait Into<T> { }\n\
         impl<T> Show for T where T: Display { }\n\
         impl<T, U> Into<U> for T where U: From<T> { }\n",
    );
    for i in 0..n {
        writeln!(s, "struct S{i} {{ }}").unwrap();
        if i % 2 == 1 {
            writeln!(s, "impl Display for S{i} {{ }}").unwrap();
        } else {
            writeln!(s, "impl Show for S{i} {{ }}").unwrap();
        }
        if i > 0 {
            writeln!(s, "impl From<S{}> for S{i} {{ }}", i - 1).unwrap();
        }
    }
    let last = n.saturating_sub(1);
    writeln!(
        s,
        "goal {{ S{last}: Show }} yields {{ \"Unique\" }}\n\
         goal {{ S1: Show }} yields {{ \"Unique\" }}\n\
         goal {{ S0: Into<S1> }} yields {{ \"Unique\" }}\n\
         goal {{ S1: Into<S0> }} yields {{ \"No possible solution\" }}"
    )
    .unwrap();
    s
}

/// How many structs one chain of [`auto_chain`] holds.
pub const CHAIN_LENGTH: usize = 50;

/// Chains of structs `C{c}_{k} { inner: C{c}_{k-1} }`, `n` structs in all;
/// the first chain starts from an `Rc`, so none of its structs is `Send`.
pub fn auto_chain(n: usize) -> String {
    let mut s = String::from(
        "#[auto] trait Send { }\n\
         struct Rc { }\n\
         impl !Send for Rc { }\n\
         struct Leaf { }\n",
    );
    let chains = n.div_ceil(CHAIN_LENGTH).max(1);
    for c in 0..chains {
        for k in 0..CHAIN_LENGTH.min(n - c * CHAIN_LENGTH) {
            let inner = match (c, k) {
                (0, 0) => "Rc".to_string(),
                (_, 0) => "Leaf".to_string(),
                _ => format!("C{c}_{}", k - 1),
            };
            writeln!(s, "struct C{c}_{k} {{ inner: {inner} }}").unwrap();
        }
    }
    let top = CHAIN_LENGTH.min(n) - 1;
    writeln!(
        s,
        "goal {{ C0_{top}: Send }} yields {{ \"No possible solution\" }}"
    )
    .unwrap();
    if chains > 1 {
        let c = chains - 1;
        let top = n - c * CHAIN_LENGTH - 1;
        writeln!(s, "goal {{ C{c}_{top}: Send }} yields {{ \"Unique\" }}").unwrap();
    }
    s
}

/// `n` impls of a trait whose associated type is bounded by another trait.
pub fn assoc_types(n: usize) -> String {
    let mut s = String::from(
        "trait Show { }\n\
         trait Iterator { type Item: Show; }\n",
    );
    for i in 0..n {
        writeln!(
            s,
            "struct S{i} {{ }}\nimpl Show for S{i} {{ }}\nimpl Iterator for S{i} {{ type Item = S{i}; }}"
        )
        .unwrap();
    }
    let last = n.saturating_sub(1);
    writeln!(
        s,
        "goal {{ <S{last} as Iterator>::Item = S{last} }} yields {{ \"Unique\" }}\n\
         goal {{ S0: Iterator<Item = S0> }} yields {{ \"Unique\" }}"
    )
    .unwrap();
    s
}

/// The flat program with one goal per impl.
pub fn many_goals(n: usize) -> String {
    let mut s = String::from("trait Show { }\n");
    for i in 0..n {
        writeln!(s, "struct S{i} {{ }}\nimpl Show for S{i} {{ }}").unwrap();
    }
    for i in 0..n {
        writeln!(s, "goal {{ S{i}: Show }} yields {{ \"Unique\" }}").unwrap();
    }
    s
}

/// A trait with an `async fn`, implemented by `n` structs whose futures hold
/// nothing that is not `Send`; its goals hold under every design.
pub fn async_fn(n: usize) -> String {
    let mut s = String::from(
        "use prelude::*;\n\
         trait Service {\n    async fn call(&self, request: u32) -> u32;\n}\n",
    );
    for i in 0..n {
        writeln!(
            s,
            "struct S{i} {{ }}\nimpl Service for S{i} {{\n    async fn call(&self, request: u32) -> u32 {{ holds Vec<u32>; }}\n}}"
        )
        .unwrap();
    }
    let last = n.saturating_sub(1);
    writeln!(
        s,
        "goal {{ S{last}: Service }} yields {{ \"Unique\" }}\n\
         goal {{ S{last}: Send, S{last}::call(..): Send }} yields {{ \"Unique\" }}"
    )
    .unwrap();
    s
}
