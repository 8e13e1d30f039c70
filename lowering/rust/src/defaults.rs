//! Rule [`rust-impl-keeps-default`](crate::rules::RUST_IMPL_KEEPS_DEFAULT): an impl that does not define a trait's
//! `async fn` keeps the trait's default body, and so gets a future of its
//! own, as rustc gives it one.
//!
//! A caller that knows the impl's type sees the future of the default body
//! with `Self` replaced by that type: rustc accepts `PingCheck:
//! HealthCheck<check(..): Send>` when `PingCheck` keeps a default `check`
//! whose future holds only `&mut PingCheck` and `&Server`. Without this rule
//! the impl would have no value for the method's future type, and no bound
//! on it could hold. The kept method is the trait's, read as if the impl
//! had written it: its signature and body with `Self` and the trait's type
//! parameters replaced by the impl's types, so the body checker works out
//! what that impl's future holds (the held values point at the default
//! body's lines).

use chalkboard_syntax::ast;
use chalkboard_syntax::build::SubstituteNames;
use chalkboard_syntax::rust::{FnOwner, Function};
use chalkboard_syntax::visit;

/// Gives every positive impl of the file the default `async fn`s it keeps:
/// an impl method (so desugaring makes its future) and a function (so the
/// body checker fills in what that future holds).
pub(crate) fn keep_default_async_fns(items: &mut [ast::Item], functions: &mut Vec<Function>) {
    let mut kept = Vec::new();
    for item in items.iter_mut() {
        let ast::Item::Impl(imp) = item else { continue };
        if imp.polarity != ast::Polarity::Positive || imp.generated_by.is_some() {
            continue;
        }
        let mut added = Vec::new();
        let trait_name = &imp.trait_ref.trait_name;
        let Some(ast::GenericArg::Ty(self_ty)) = imp.trait_ref.args.first() else {
            continue;
        };
        for default in functions.iter() {
            let FnOwner::Trait {
                trait_name: t,
                params: trait_params,
                ..
            } = &default.owner
            else {
                continue;
            };
            if t.text != trait_name.text
                || !default.is_async
                || default.body.is_none()
                || imp
                    .methods
                    .iter()
                    .any(|m| m.sig.name.text == default.name.text)
            {
                continue;
            }
            // `Self` and the trait's type parameters become the impl's
            // types. A trait with lifetime or const parameters keeps its
            // default unread (the map covers types only).
            let trait_args = &imp.trait_ref.args[1..];
            if trait_params.len() != trait_args.len()
                || trait_params.iter().any(|p| p.kind != ast::ParamKind::Ty)
            {
                continue;
            }
            let mut map = vec![("Self".to_string(), self_ty.clone())];
            for (p, a) in trait_params.iter().zip(trait_args) {
                let ast::GenericArg::Ty(ty) = a else { continue };
                map.push((p.name.text.clone(), ty.clone()));
            }
            let mut function = default.clone();
            function.owner = FnOwner::TraitImpl {
                trait_name: trait_name.clone(),
                self_ty: self_ty.clone(),
                params: imp.params.clone(),
                where_clauses: imp.where_clauses.clone(),
            };
            function.path = format!(
                "<{} as {}>::{}",
                chalkboard_syntax::print::print_ty(self_ty),
                trait_name.text,
                default.name.text
            );
            visit::walk_function(&mut SubstituteNames { map: &map }, &mut function);
            added.push(ast::ImplMethod {
                sig: crate::items::method_sig(&function),
                body: ast::ImplMethodBody::Holds(Vec::new(), imp.span),
            });
            kept.push(function);
        }
        if !added.is_empty() {
            visit::open_mut(imp).methods.extend(added);
        }
    }
    functions.extend(kept);
}
