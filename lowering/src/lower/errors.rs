//! The lowering errors: one constructor per error, each with a stable code,
//! a message, a help line and chalk-integration's own wording of the error
//! (kept because `.chalk` files state chalk's text in `error_msg { .. }`).

use chalkboard_syntax::ast::{self, Span};
use chalkboard_syntax::diagnostic::Diagnostic;
use chalkboard_syntax::registry::Code;

/// Why lowering of an item or goal stopped.
///
/// `Reported` means the syntax tree contained an error node whose
/// diagnostic the parser already emitted; lowering fails without repeating it.
#[derive(Debug)]
pub(crate) enum Failure {
    Diag(Box<Diagnostic>),
    Reported,
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure::Diag(Box::new(d))
    }
}

pub(crate) type LResult<T> = Result<T, Failure>;

/// The kind of a generic parameter or argument, as chalk names it in messages.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Ty,
    Lifetime,
    Const,
}

impl Kind {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Kind::Ty => "type",
            Kind::Lifetime => "lifetime",
            Kind::Const => "const",
        }
    }
}

/// `1 generic argument`, `2 generic arguments`: counts read as English.
fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// `was` or `were`, agreeing with `n`.
fn was(n: usize) -> &'static str {
    if n == 1 {
        "was"
    } else {
        "were"
    }
}

fn err(code: Code, message: String, span: Span, chalk: String) -> Diagnostic {
    Diagnostic::error(code, message, span).with_chalk_message(chalk)
}

pub(crate) fn unknown_name(name: &str, span: Span) -> Diagnostic {
    if name == "Self" {
        return err(
            crate::codes::SELF_OUTSIDE_TRAIT,
            "`Self` is only in scope inside a trait".into(),
            span,
            "invalid parameter name `Self`".into(),
        )
        .with_label("`Self` used here")
        .with_help("name the type explicitly, or declare a generic parameter for it");
    }
    err(
        crate::codes::UNKNOWN_TYPE,
        format!("cannot find a type or generic parameter named `{name}`"),
        span,
        format!("invalid parameter name `{name}`"),
    )
    .with_label("not found in this scope")
    .with_help(format!(
        "declare `{name}` as a generic parameter (e.g. `forall<{name}>` or `impl<{name}>`), or define an item with that name"
    ))
}

pub(crate) fn unknown_applied_type(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::UNKNOWN_TYPE,
        format!("cannot find a type named `{name}`"),
        span,
        format!("expected a struct, found `{name}`, which is not a struct"),
    )
    .with_label("not found")
    .with_help(format!("define `{name}` (a struct, enum, fn, closure, opaque type or coroutine) or fix the spelling"))
}

pub(crate) fn unknown_trait(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::UNKNOWN_TRAIT,
        format!("cannot find a trait named `{name}`"),
        span,
        format!("invalid trait name `{name}`"),
    )
    .with_label("not found")
    .with_help(format!("declare `trait {name} {{ }}` or fix the spelling"))
}

pub(crate) fn not_a_trait(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::NOT_A_TRAIT,
        format!("`{name}` is used as a trait but is not one"),
        span,
        format!("expected a trait, found `{name}`, which is not a trait"),
    )
    .with_label("not a trait")
    .with_help("only traits can appear in bounds and after `impl`; for `impl Trait for Type`, check the order")
}

pub(crate) fn trait_used_as_type(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::TRAIT_USED_AS_TYPE,
        format!("the trait `{name}` is used where a type is expected"),
        span,
        format!("expected a struct, found `{name}`, which is not a struct"),
    )
    .with_label("a trait, not a type")
    .with_help(format!(
        "write `dyn {name} + 'static` for a trait object, or use a type here"
    ))
}

pub(crate) fn duplicate_parameter(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::DUPLICATE_PARAMETER,
        format!("the parameter `{name}` is declared twice or shadows a parameter in scope"),
        span,
        "duplicate or shadowed parameters".into(),
    )
    .with_label("duplicate or shadowing declaration")
    .with_help("give each generic parameter a name not already in scope")
}

pub(crate) fn duplicate_item(what: &str, name: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::error(
        crate::codes::DUPLICATE_ITEM,
        format!("the name `{name}` is defined more than once"),
        span,
    )
    .with_label(format!("this {what} redefines `{name}`"))
    .with_secondary(first, "first defined here")
    .with_help("rename one of the definitions")
}

pub(crate) fn auto_trait_assoc_types(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::AUTO_TRAIT_WITH_ASSOC_TYPES,
        format!("the auto trait `{name}` declares an associated type"),
        span,
        format!("auto trait `{name}` cannot define associated types"),
    )
    .with_label("associated type in an auto trait")
    .with_help("remove the associated type, or remove `#[auto]` from the trait")
}

pub(crate) fn auto_trait_params(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::AUTO_TRAIT_WITH_PARAMS,
        format!("the auto trait `{name}` has generic parameters"),
        span,
        format!("auto trait `{name}` cannot have parameters"),
    )
    .with_label("auto traits take no parameters")
    .with_help("remove the parameters, or remove `#[auto]` from the trait")
}

pub(crate) fn auto_trait_where_clauses(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::AUTO_TRAIT_WITH_WHERE_CLAUSES,
        format!("the auto trait `{name}` has where clauses"),
        span,
        format!("auto trait `{name}` cannot have where clauses"),
    )
    .with_label("auto traits cannot have where clauses")
    .with_help("remove the where clauses, or remove `#[auto]` from the trait")
}

pub(crate) fn fundamental_without_params(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::FUNDAMENTAL_WITHOUT_PARAMS,
        format!("the `#[fundamental]` type `{name}` has no type parameter"),
        span,
        format!("only a single parameter supported for fundamental type `{name}`"),
    )
    .with_label("fundamental types need a parameter")
    .with_help("add a type parameter, or remove `#[fundamental]`")
}

pub(crate) fn negative_impl_assoc_values(trait_name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::NEGATIVE_IMPL_WITH_ASSOC_VALUES,
        format!("a negative impl of `{trait_name}` defines associated types"),
        span,
        format!("negative impl for trait `{trait_name}` cannot define associated values"),
    )
    .with_label("negative impls cannot define associated types")
    .with_help("remove the associated type values, or make the impl positive")
}

pub(crate) fn unknown_assoc_type(name: &str, trait_name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::UNKNOWN_ASSOC_TYPE,
        format!("the trait `{trait_name}` has no associated type named `{name}`"),
        span,
        format!("no associated type `{name}` defined in trait"),
    )
    .with_label("not declared in the trait")
    .with_help(format!(
        "declare `type {name};` in `{trait_name}` or fix the spelling"
    ))
}

pub(crate) fn variance_count(name: &str, expected: usize, actual: usize, span: Span) -> Diagnostic {
    err(
        crate::codes::WRONG_VARIANCE_COUNT,
        format!(
            "`{name}` has {} but {} {} given",
            count(expected, "parameter", "parameters"),
            count(actual, "variance", "variances"),
            was(actual)
        ),
        span,
        format!(
            "`{name}` has {expected} type parameters, not {actual}, which were passed for variance"
        ),
    )
    .with_label(count(actual, "variance", "variances"))
    .with_help("give exactly one variance per generic parameter")
}

pub(crate) fn wrong_arity(name: &str, expected: usize, actual: usize, span: Span) -> Diagnostic {
    err(
        crate::codes::WRONG_ARITY,
        format!(
            "`{name}` takes {} but {actual} {} given",
            count(expected, "generic argument", "generic arguments"),
            was(actual)
        ),
        span,
        format!("`{name}` takes {expected} type parameters, not {actual}"),
    )
    .with_label(format!(
        "expected {}",
        count(expected, "argument", "arguments")
    ))
    .with_help(format!(
        "pass exactly {} to `{name}`",
        count(expected, "generic argument", "generic arguments")
    ))
}

pub(crate) fn wrong_assoc_arity(
    name: &str,
    expected: usize,
    actual: usize,
    span: Span,
) -> Diagnostic {
    err(
        crate::codes::WRONG_ARITY,
        format!(
            "the associated type `{name}` takes {} but {actual} {} given",
            count(expected, "generic argument", "generic arguments"),
            was(actual)
        ),
        span,
        format!("wrong number of parameters for associated type `{name}` (expected {expected}, got {actual})"),
    )
    .with_label(format!("expected {}", count(expected, "argument", "arguments")))
    .with_help(format!(
        "pass exactly {} to `{name}`",
        count(expected, "generic argument", "generic arguments")
    ))
}

/// Which kind check failed: chalk words the three differently.
#[derive(Copy, Clone)]
pub(crate) enum KindSite {
    Param,
    Trait,
    AssocType,
}

pub(crate) fn wrong_kind(
    site: KindSite,
    name: &str,
    expected: Kind,
    actual: Kind,
    span: Span,
) -> Diagnostic {
    let (e, a) = (expected.word(), actual.word());
    let chalk = match site {
        KindSite::Param => {
            format!("incorrect parameter kind for `{name}`: expected {e}, found {a}")
        }
        KindSite::Trait => {
            format!("incorrect parameter kind for trait `{name}`: expected {e}, found {a}")
        }
        KindSite::AssocType => {
            format!(
                "incorrect associated type parameter kind for `{name}`: expected {e}, found {a}"
            )
        }
    };
    err(
        crate::codes::WRONG_KIND,
        format!("expected a {e} argument for `{name}`, found a {a}"),
        span,
        chalk,
    )
    .with_label(format!("this is a {a}"))
    .with_help(format!("pass a {e} here"))
}

pub(crate) fn applied_type_parameter(name: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::TYPE_PARAMETER_APPLIED,
        format!("the generic parameter `{name}` cannot take generic arguments"),
        span,
        format!("cannot apply type parameter `{name}`"),
    )
    .with_label("a parameter, not a type constructor")
    .with_help(format!("write `{name}` without arguments"))
}

pub(crate) fn invalid_abi(abi: &str, span: Span) -> Diagnostic {
    err(
        crate::codes::INVALID_ABI,
        format!("unknown ABI `{abi}`"),
        span,
        format!("invalid extern ABI `{abi}`"),
    )
    .with_label("not a known ABI")
    .with_help("use `extern \"Rust\"` or `extern \"C\"`")
}

pub(crate) fn unsupported_here(what: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        crate::codes::UNSUPPORTED_HERE,
        format!("{what} cannot be lowered here"),
        span,
    )
    .with_label("not supported in this position")
    .with_help("this chalkboard extension is only allowed where the desugaring pass can rewrite it")
}

/// An outlives bound among inline bounds (an associated type's, an opaque
/// type's, a `dyn` type's after its lifetime): chalk's inline bounds are
/// trait bounds only, so the lifetime bound must be a where clause.
pub(crate) fn outlives_bound_here(lifetime: &ast::Lifetime, span: Span) -> Diagnostic {
    let lifetime = chalkboard_syntax::print::print_lifetime(lifetime);
    Diagnostic::error(
        crate::codes::UNSUPPORTED_HERE,
        format!("the outlives bound `{lifetime}` cannot be lowered here"),
        span,
    )
    .with_label("chalk takes only trait bounds here")
    .with_help(format!(
        "write it as a where clause of the item instead, as in `where Type: {lifetime}`"
    ))
}

pub(crate) fn missing_lifetime(span: Span) -> Diagnostic {
    Diagnostic::error(
        chalkboard_syntax::codes::MISSING_LIFETIME,
        "this reference has no lifetime",
        span,
    )
    .with_label("lifetime needed here")
    .with_help("write a lifetime, e.g. `&'a T` or `&'static T`")
}

pub(crate) fn syntax_error_in_goal(span: Span) -> Diagnostic {
    Diagnostic::error(
        crate::codes::INVALID_GOAL,
        "this goal could not be parsed",
        span,
    )
    .with_label("unparsable goal")
    .with_help("fix the syntax error reported by the parser")
}
