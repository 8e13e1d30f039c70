//! Bodies written as Rust code in a `.chalk` file (rule
//! [`chalk-body-as-rust`](crate::rules::CHALK_BODY_AS_RUST)): an impl's method may have a body of code instead
//! of a `holds` list. The chalk parser keeps the code as text with its span;
//! here it is parsed with rust-analyzer's parser, its ranges shifted to the
//! `.chalk` file, and read into chalkboard's body tree as a Rust file's are,
//! with paths resolved against the `.chalk` file's own items and those of
//! `use prelude::*;` (not the model of the standard library, which a `.chalk`
//! program does not see).
//!
//! The result is the file's [`RustFile`]: one function per trait method
//! (what method calls resolve to) and one per impl method with a code body
//! (`FnOwner::TraitImpl`), so the body checker checks these bodies exactly
//! as it checks a Rust file's, and computes what each future holds.

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::body::Pat;
use chalkboard_syntax::rust::{FnOwner, Function, RustFile};
use chalkboard_syntax::Diagnostic;
use ra_ap_syntax::ast as ra;
use ra_ap_syntax::Edition;

use crate::resolve::{AdtInfo, Def, ModId, TraitInfo};
use crate::{codes, Reader, Scope};

/// Whether any impl of the file has a method whose body is code.
pub fn has_code_bodies(file: &ast::File) -> bool {
    file.items.iter().any(|item| match item {
        ast::Item::Impl(imp) => imp
            .methods
            .iter()
            .any(|m| matches!(m.body, ast::ImplMethodBody::Code(_))),
        _ => false,
    })
}

/// Reads the code bodies of a `.chalk` file's impl methods into the file's
/// [`RustFile`] (`file.rust`), for the body checker; `prelude` is the tree
/// of chalkboard's prelude when the file says `use prelude::*;`. A file
/// without code bodies is left as it is (`file.rust` stays `None`), so
/// every program written before code bodies existed runs as it did.
pub fn read_chalk_bodies(
    file: &mut ast::File,
    text: &str,
    prelude: Option<&ast::File>,
) -> Vec<Diagnostic> {
    if !has_code_bodies(file) {
        return Vec::new();
    }
    let mut reader = Reader {
        chalk_file: true,
        ..Reader::default()
    };
    let root = reader.defs.new_module(None, "crate".into(), false);
    reader.defs.root = root;
    enter_items(&mut reader, root, &file.items);
    if let Some(prelude) = prelude {
        // The prelude is a glob import: the file's own items shadow it, as
        // rule `prelude-shadowed` says, so it is searched after the file.
        let module = reader.defs.new_module(None, "prelude".into(), false);
        enter_items(&mut reader, module, &prelude.items);
        reader.defs.crates.insert("#prelude".into(), module);
    }
    let mut functions = Vec::new();
    for item in prelude
        .map(|p| p.items.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(&file.items)
    {
        if let ast::Item::Trait(t) = item {
            for m in &t.methods {
                functions.push(trait_method(t, &m.sig));
            }
        }
    }
    for item in &file.items {
        let ast::Item::Impl(imp) = item else {
            continue;
        };
        let Some(ast::GenericArg::Ty(self_ty)) = imp.trait_ref.args.first() else {
            continue;
        };
        for m in &imp.methods {
            let ast::ImplMethodBody::Code(code) = &m.body else {
                continue;
            };
            let scope = Scope {
                module: root,
                params: imp
                    .params
                    .iter()
                    .chain(&m.sig.params)
                    .map(|p| (p.name.text.clone(), p.kind == ast::ParamKind::Lifetime))
                    .collect(),
                self_ty: Some(self_ty.clone()),
                offset: code.span.start,
                ..Scope::default()
            };
            let arguments = argument_patterns(&m.sig);
            let body = read_block(&mut reader, &code.text, &scope, &arguments);
            functions.push(Function {
                name: m.sig.name.clone(),
                path: format!(
                    "<{} as {}>::{}",
                    chalkboard_syntax::print::print_ty(self_ty),
                    imp.trait_ref.trait_name.text,
                    m.sig.name.text
                ),
                owner: FnOwner::TraitImpl {
                    trait_name: imp.trait_ref.trait_name.clone(),
                    self_ty: self_ty.clone(),
                    params: imp.params.clone(),
                    where_clauses: imp.where_clauses.clone(),
                },
                is_async: m.sig.is_async,
                params: m.sig.params.clone(),
                where_clauses: m.sig.where_clauses.clone(),
                receiver: m.sig.receiver.clone(),
                arguments,
                return_type: m.sig.return_type.clone(),
                opaque_bounds: Vec::new(),
                body,
                sig_span: signature_span(text, m.sig.span.start, code.span.start),
                span: m.sig.span,
                in_model: false,
            });
        }
    }
    file.rust = Some(Box::new(RustFile {
        functions,
        ..RustFile::default()
    }));
    reader.diags
}

/// Enters a chalk file's structs, enums and traits into a module, each
/// under its own name (chalk's namespace is already flat). A struct
/// without fields is also a value, as a Rust unit struct is, so that both
/// `Plain` and `Plain {}` build one.
fn enter_items(reader: &mut Reader, module: ModId, items: &[ast::Item]) {
    for item in items {
        match item {
            ast::Item::Adt(a) => {
                let variants = match a.kind {
                    ast::AdtKind::Enum => a.variants.iter().map(|v| v.name.text.clone()).collect(),
                    ast::AdtKind::Struct => Vec::new(),
                };
                reader.defs.adts.push(AdtInfo {
                    name: a.name.text.clone(),
                    module,
                    flat: a.name.text.clone(),
                    variants,
                });
                let id = reader.defs.adts.len() - 1;
                let m = &mut reader.defs.modules[module];
                m.types.insert(a.name.text.clone(), Def::Adt(id));
                let fieldless = a.kind == ast::AdtKind::Struct
                    && a.variants.iter().all(|v| v.fields.is_empty());
                if fieldless {
                    m.values.insert(a.name.text.clone(), Def::Ctor(id));
                }
            }
            ast::Item::Trait(t) => {
                reader.defs.traits.push(TraitInfo {
                    name: t.name.text.clone(),
                    module,
                    flat: t.name.text.clone(),
                });
                let id = reader.defs.traits.len() - 1;
                reader.defs.modules[module]
                    .types
                    .insert(t.name.text.clone(), Def::Trait(id));
            }
            _ => {}
        }
    }
}

/// A signature's arguments as the patterns a body binds: each name, by
/// value and immutable.
fn argument_patterns(sig: &ast::MethodSig) -> Vec<(Pat, ast::Ty)> {
    sig.arguments
        .iter()
        .map(|(name, ty)| {
            (
                Pat::Ident {
                    name: name.clone(),
                    mutable: false,
                    by_ref: false,
                },
                ty.clone(),
            )
        })
        .collect()
}

/// A trait's method declaration, as the function a method call resolves to.
fn trait_method(t: &ast::TraitDefn, sig: &ast::MethodSig) -> Function {
    Function {
        name: sig.name.clone(),
        path: format!("{}::{}", t.name.text, sig.name.text),
        owner: FnOwner::Trait {
            trait_name: t.name.clone(),
            params: t.params.clone(),
            where_clauses: t.where_clauses.clone(),
        },
        is_async: sig.is_async,
        params: sig.params.clone(),
        where_clauses: sig.where_clauses.clone(),
        receiver: sig.receiver.clone(),
        arguments: argument_patterns(sig),
        return_type: sig.return_type.clone(),
        opaque_bounds: Vec::new(),
        body: None,
        sig_span: sig.span,
        span: sig.span,
        in_model: false,
    }
}

/// Parses one code body (`{ .. }`) and reads it; a syntax error is
/// reported at its place in the `.chalk` file, and the body is then left
/// out (the program is rejected for the error).
fn read_block(
    reader: &mut Reader,
    text: &str,
    scope: &Scope,
    arguments: &[(Pat, ast::Ty)],
) -> Option<chalkboard_syntax::body::Block> {
    let parsed = ra::Expr::parse(text, Edition::Edition2024);
    let mut errors = parsed.errors();
    errors.sort_by_key(|e| e.range().start());
    // rust-analyzer reports an error at every token it cannot place; the
    // first one is the mistake, the rest its consequences.
    if let Some(error) = errors.first() {
        let span = reader.span(scope, error.range());
        reader.diags.push(
            Diagnostic::error(codes::RUST_SYNTAX_ERROR, error.to_string(), span).with_help(
                "fix the syntax; a method body in a `.chalk` file is Rust, read as rustc's parser reads it",
            ),
        );
        return None;
    }
    match parsed.tree() {
        ra::Expr::BlockExpr(block) if block.modifier().is_none() => {
            Some(reader.body(&block, scope, arguments))
        }
        other => {
            let span = reader.node_span(scope, &other);
            reader.unsupported(span, "a method body that is not a block");
            None
        }
    }
}

/// The signature's span: from its start to the last character before the
/// body, so that a diagnostic about the function points at its signature.
fn signature_span(text: &str, start: u32, body_start: u32) -> Span {
    let before = text.get(start as usize..body_start as usize).unwrap_or("");
    let end = start + before.trim_end().len() as u32;
    Span { start, end }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chalkboard_syntax::body::{ExprKind, PathRes, Stmt};

    const PRELUDE: &str = "struct Response { }\nstruct Rc<T> { }";

    fn read(text: &str, with_prelude: bool) -> (ast::File, Vec<Diagnostic>) {
        let (mut file, diagnostics) = chalkboard_syntax::parse_file(text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let prelude = chalkboard_syntax::parse_file(PRELUDE).0;
        let diagnostics = read_chalk_bodies(&mut file, text, with_prelude.then_some(&prelude));
        (file, diagnostics)
    }

    const PROGRAM: &str = "trait Service { async fn call(&mut self, r: u32) -> Response; }
struct Plain { }
struct Wrap<S> { inner: S }
impl<S> Service for Wrap<S> where S: Service {
    async fn call(&mut self, r: u32) -> Response {
        let unit = Plain;
        self.inner.call(r).await
    }
}
";

    #[test]
    fn a_file_without_code_bodies_is_left_alone() {
        let (file, diagnostics) = read("trait T { } struct S { }", true);
        assert!(file.rust.is_none());
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn code_bodies_become_trait_impl_functions_with_spans_in_the_chalk_file() {
        let (file, diagnostics) = read(PROGRAM, true);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let rust = file.rust.expect("a Rust part");
        // The trait's declaration, then the impl's method with its body.
        assert_eq!(rust.functions.len(), 2);
        assert!(matches!(rust.functions[0].owner, FnOwner::Trait { .. }));
        let f = &rust.functions[1];
        assert_eq!(f.path, "<Wrap<S> as Service>::call");
        assert!(
            matches!(&f.owner, FnOwner::TraitImpl { trait_name, .. } if trait_name.text == "Service")
        );
        assert_eq!(
            &PROGRAM[f.sig_span.range()],
            "async fn call(&mut self, r: u32) -> Response"
        );
        let body = f.body.as_ref().expect("a body");
        let Stmt::Let {
            init: Some(init), ..
        } = &body.stmts[0]
        else {
            panic!("a `let`: {body:#?}")
        };
        // A struct without fields is a value, as a unit struct.
        assert!(
            matches!(&init.kind, ExprKind::Path(p) if matches!(&p.res, PathRes::Struct { adt, .. } if adt.text == "Plain"))
        );
        assert_eq!(&PROGRAM[init.span.range()], "Plain");
        let tail = body.tail.as_ref().expect("a tail");
        assert_eq!(&PROGRAM[tail.span.range()], "self.inner.call(r).await");
    }

    #[test]
    fn names_resolve_in_the_file_then_the_prelude() {
        let text = PROGRAM.replace("let unit = Plain;", "let response = Response {};");
        let (_, diagnostics) = read(&text, true);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        // Without the prelude, `Response` names nothing: the error is at
        // the struct literal.
        let (_, diagnostics) = read(&text, false);
        let unknown: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.code == codes::RUST_UNKNOWN_NAME)
            .map(|d| &text[d.primary.span.range()])
            .collect();
        assert_eq!(unknown, ["Response {}"], "{diagnostics:#?}");
    }

    #[test]
    fn a_syntax_error_points_into_the_chalk_file() {
        let text = PROGRAM.replace("let unit = Plain;", "let unit = ;");
        let (file, diagnostics) = read(&text, true);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].code, codes::RUST_SYNTAX_ERROR);
        let at = diagnostics[0].primary.span.start as usize;
        assert!(text[..at].ends_with("let unit = "), "at {at}");
        let rust = file.rust.expect("a Rust part");
        assert!(rust.functions[1].body.is_none());
    }
}
