//! Unit tests of the desugaring rules.

use super::*;
use crate::syntax::parse_file;

fn desugared(src: &str) -> (ast::File, Vec<&'static str>) {
    let (file, parse) = parse_file(src);
    assert!(parse.is_empty(), "{parse:?}");
    let (out, diags) = desugar(&file);
    (out, diags.iter().map(|d| d.code).collect())
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
