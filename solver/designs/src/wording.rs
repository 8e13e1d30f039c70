//! Every sentence the designs say to a user, in one place, so that the
//! wording of the background documents ("`read` must be `Send`, since
//! `MyCustomIterator` is `Send`") is kept and reviewed here, apart from the
//! logic that decides when to say it.

use chalkboard_syntax::ast;
use chalkboard_syntax::print::print_ty;

use crate::rules;
use crate::{Design, Implication};

/// Short source text of a type, for messages.
pub fn ty(ty: &ast::Ty) -> String {
    print_ty(ty)
}

/// `Send` or `Send + Sync`: the trait names of the bounds, joined.
pub fn bounds(bounds: &[ast::QuantifiedInlineBound]) -> String {
    bounds
        .iter()
        .filter_map(|b| match &b.bound {
            ast::InlineBound::Trait(tb) => Some(tb.trait_name.text.clone()),
            ast::InlineBound::AliasEq(ab) => Some(ab.trait_bound.trait_name.text.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// `` `T: Send` `` or `` `A: Send` and `B: Sync` ``, or `nothing`.
pub fn conditions(conds: &[ast::QuantifiedWhereClause]) -> String {
    if conds.is_empty() {
        return "nothing".to_string();
    }
    conds
        .iter()
        .map(|c| match &c.where_clause {
            ast::WhereClause::Implemented(t) => format!(
                "`{}: {}`",
                t.args
                    .first()
                    .map(chalkboard_syntax::print::print_generic_arg)
                    .unwrap_or_default(),
                t.trait_name.text
            ),
            _ => "its condition".to_string(),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// An impl's future as a projection with its bound, e.g.
/// `<MyCustomIterator as AsyncRead>::read<'a, 'b>: Send`.
pub fn projection(imp: &ast::ImplDefn, value: &ast::AssocTyValue, bounds: &str) -> String {
    let self_ty = imp
        .trait_ref
        .args
        .first()
        .map(chalkboard_syntax::print::print_generic_arg)
        .unwrap_or_default();
    let trait_args: Vec<String> = imp
        .trait_ref
        .args
        .iter()
        .skip(1)
        .map(chalkboard_syntax::print::print_generic_arg)
        .collect();
    let trait_args = if trait_args.is_empty() {
        String::new()
    } else {
        format!("<{}>", trait_args.join(", "))
    };
    let params: Vec<String> = value
        .params
        .iter()
        .map(chalkboard_solver::explain::hints::param_name)
        .collect();
    let params = if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    };
    format!(
        "<{self_ty} as {}{trait_args}>::{}{params}: {bounds}",
        imp.trait_ref.trait_name.text, value.name.text
    )
}

/// Who demands a conditional bound, for the diagnostics: a design's
/// rewrite, or a conditional bound written by hand.
pub fn demanded_by(design: Design) -> &'static str {
    match design {
        Design::Implied => "the implied design (`--design implied`)",
        Design::Boxed => "the boxed design (`--design boxed`)",
        Design::Explicit => "the trait's conditional bound",
    }
}

/// Why a trait is not dyn safe.
pub fn dyn_blocker(method: &str, is_async: bool) -> String {
    if is_async {
        format!("method `{method}` is `async`")
    } else {
        format!("method `{method}` returns `impl Trait`")
    }
}

/// Why a trait with a generic method is not dyn safe (rustc's wording).
pub fn dyn_blocker_generic(method: &str) -> String {
    format!("method `{method}` has generic type parameters")
}

/// Why a trait with an associated function is not dyn safe (rustc's wording).
pub fn dyn_blocker_no_self(function: &str) -> String {
    format!("associated function `{function}` has no `self` parameter")
}

/// Why a trait with a generic associated type is not dyn compatible
/// (rustc's wording).
pub fn dyn_blocker_gat(name: &str) -> String {
    format!("it contains generic associated type `{name}`")
}

/// Why a trait that requires `Self: Sized` is not dyn compatible (rustc's
/// wording).
pub const DYN_BLOCKER_SIZED: &str = "it requires `Self: Sized`";

/// E0038's headline.
pub fn not_dyn_compatible(trait_name: &str) -> String {
    format!("the trait `{trait_name}` is not dyn compatible")
}

/// E0038's label on the `dyn` type.
pub fn not_dyn_compatible_label(trait_name: &str) -> String {
    format!("`{trait_name}` is not dyn compatible")
}

/// E0038's note: what the rule is.
pub const NOT_DYN_COMPATIBLE_NOTE: &str = "for a trait to be dyn compatible it needs to allow building a vtable: every method must be dispatchable through `dyn` (rustc's E0038)";

/// E0038's help, as rustc gives it; a method (`method`) can also be
/// exempted with `where Self: Sized`; `boxed_helps` when the trait is dyn
/// compatible under the boxed design.
pub fn not_dyn_compatible_help(member: Option<&str>, method: bool, boxed_helps: bool) -> String {
    let boxed = if boxed_helps {
        "; under the boxed design (`--design boxed`) its futures are boxed and it is dyn compatible"
    } else {
        ""
    };
    match member {
        Some(m) if method => format!(
            "consider moving `{m}` to another trait, or add `where Self: Sized` to it{boxed}"
        ),
        Some(m) => format!("consider moving `{m}` to another trait{boxed}"),
        None => {
            format!("remove the `Self: Sized` requirement, or do not use the trait as `dyn`{boxed}")
        }
    }
}

/// The name of an impl's obligation, e.g.
/// `impl AsyncIterator for MyCustomIterator: next`.
pub fn obligation_name(trait_name: &str, self_ty: &str, value: &str) -> String {
    format!("impl {trait_name} for {self_ty}: {value}")
}

/// The name of a promise the audit checked, e.g. `promise of Trait for W<u32>: next`.
pub fn promise_name(trait_name: &str, instantiation: &str, value: &str) -> String {
    format!("promise of {trait_name} for {instantiation}: {value}")
}

/// An expectation names a design that does not exist.
pub fn unknown_design(name: &str) -> String {
    format!("unknown design `{name}`: the designs are `explicit`, `implied` and `boxed`")
}

/// An expectation names an implication rule that does not exist.
pub fn unknown_implication(name: &str) -> String {
    format!("unknown implication rule `{name}`: the rules are `assume` and `decide`")
}

/// What the facts of one obligation are, for its sentences.
pub struct Obligation<'a> {
    pub method: &'a str,
    pub trait_name: &'a str,
    pub self_ty: &'a str,
    pub bounds: &'a str,
    pub conditions: &'a str,
    /// The bound is unconditional (the boxed design).
    pub unconditional: bool,
    pub implication: Implication,
    pub design: Design,
}

impl Obligation<'_> {
    /// Why an obligation that held, held.
    pub fn held(&self) -> String {
        let Obligation {
            method,
            bounds,
            conditions,
            ..
        } = self;
        if self.unconditional {
            return format!("`{method}` is {bounds}");
        }
        match self.implication {
            Implication::Assume => format!("assuming {conditions}, `{method}` is {bounds}"),
            Implication::Decide => format!("{conditions} holds and `{method}` is {bounds}"),
        }
    }

    /// Rule [`implication-decide`](crate::rules::IMPLICATION_DECIDE): the condition does not hold, so nothing is required.
    pub fn vacuous(&self) -> String {
        format!(
            "vacuous: {} does not hold, so nothing is required",
            self.conditions
        )
    }

    /// Rule [`implication-decide`](crate::rules::IMPLICATION_DECIDE): the condition could not be decided.
    pub fn undecided(&self) -> String {
        format!("could not decide {}", self.conditions)
    }

    /// The headline of an unmet obligation: the background document's
    /// wording when the condition holds; when it does not (only under
    /// `assume`), it says that it was assumed.
    pub fn unmet(&self, condition_holds: bool) -> String {
        let Obligation {
            method,
            trait_name,
            self_ty,
            bounds,
            ..
        } = self;
        if self.unconditional {
            format!("`{method}` must be `{bounds}`: `{trait_name}` promises `{bounds}` futures")
        } else if condition_holds {
            format!("`{method}` must be `{bounds}`, since `{self_ty}` is `{bounds}`")
        } else {
            format!(
                "`{method}` must be `{bounds}` whenever `{self_ty}` is `{bounds}` (assumed, though it is not)"
            )
        }
    }

    pub fn unmet_label(&self) -> String {
        format!("the future of `{}` is not `{}`", self.method, self.bounds)
    }

    /// Which design demands the bound and how it was checked.
    pub fn unmet_note(&self) -> String {
        let demanded_by = demanded_by(self.design);
        let bounds = self.bounds;
        if self.unconditional {
            format!(
                "{demanded_by} promises this future is always `{bounds}` (rule {})",
                rules::IMPLICATION_UNCONDITIONAL
            )
        } else {
            format!(
                "{demanded_by} promises the future is `{bounds}` whenever {} holds; checked by {} (rule {})",
                self.conditions,
                match self.implication {
                    Implication::Assume => "assuming the condition and proving the bound",
                    Implication::Decide => "deciding the condition first, then proving the bound",
                },
                self.implication.rule()
            )
        }
    }

    pub fn culprit_note(&self, culprit: &str) -> String {
        format!(
            "the future holds a `{culprit}`, which is not `{}`",
            self.bounds
        )
    }

    pub fn unmet_help(&self) -> String {
        let Obligation {
            method,
            trait_name,
            bounds,
            ..
        } = self;
        format!(
            "make every value that the future of `{method}` holds `{bounds}`, or, as the explicit design does, promise nothing and let callers that need it ask (`{trait_name}::{method}(..): {bounds}` for a method's future)"
        )
    }

    /// The reason of the failing verdict, naming the culprit when known.
    pub fn unmet_reason(&self, headline: String, culprit: Option<&str>) -> String {
        match culprit {
            Some(c) => format!("{headline}; it holds a `{c}`"),
            None => headline,
        }
    }

    /// The headline when chalk could not decide the obligation.
    pub fn unproven(&self) -> String {
        let Obligation {
            method,
            self_ty,
            bounds,
            ..
        } = self;
        if self.unconditional {
            format!("`{method}` must be `{bounds}`, and chalk could not prove that it is")
        } else {
            format!(
                "`{method}` must be `{bounds}` whenever `{self_ty}` is `{bounds}`, and chalk could not prove that it is"
            )
        }
    }

    pub fn unproven_label(&self) -> String {
        format!(
            "the future of `{}` is not provably `{}`",
            self.method, self.bounds
        )
    }
}

pub const CONDITIONAL_BOUND_LABEL: &str = "the trait promises this conditional bound";
pub const UNPROVEN_BOUND_LABEL: &str = "the trait promises this bound";
pub const UNPROVEN_NOTE: &str =
    "the solver's answer was ambiguous: it could neither prove nor refute the bound";
pub const UNPROVEN_HELP: &str =
    "add where clauses to the impl that make the future's captured and held types provably `Send`";

/// The promise audit found a broken promise.
pub struct BrokenPromise<'a> {
    pub method: &'a str,
    pub instantiation: &'a str,
    pub bounds: &'a str,
    pub conditions: &'a str,
}

impl BrokenPromise<'_> {
    pub fn message(&self) -> String {
        format!(
            "unsound: callers may conclude that `{}` of `{}` is `{}`, but it is not",
            self.method, self.instantiation, self.bounds
        )
    }

    pub fn label(&self) -> String {
        format!(
            "this impl was accepted, yet for `{}` its future is not `{}`",
            self.instantiation, self.bounds
        )
    }

    pub fn note(&self) -> String {
        format!(
            "{} holds, so the bound promises the future is `{}`; the concrete future is not (rule {})",
            self.conditions,
            self.bounds,
            rules::PROMISE_AUDIT
        )
    }

    pub fn reason(&self) -> String {
        format!("unsound: broken for `{}`", self.instantiation)
    }
}

pub const BROKEN_PROMISE_SECONDARY: &str = "the conditional bound callers rely on";
pub const BROKEN_PROMISE_HELP: &str = "deciding the condition for a generic impl (`forall<T> ..`) says nothing about its instances: this is the negative-reasoning hole of the implied design";
