//! Syntax tree to `.chalk` source text: the inverse of [`super::parse_file`].
//!
//! The printed text parses back to the same tree, spans aside (and the goal
//! blocks' `text`, which then holds the printed goal). The layout is one
//! item per line with indented bodies; comments are not kept because the tree
//! does not keep them.
//!
//! Two forms need care because the parser expands them into several nodes:
//! `T: Tr<A = U>` becomes an `Implemented` clause followed by an `AliasEq`
//! clause (in where clauses, goals and clause items alike), and `T: A + B` in
//! a goal becomes an `And` of leaves. The printer folds such runs back into
//! the one form that the parser expands the same way. Nodes are compared by
//! their printed text, which ignores spans by construction.

use super::ast::*;

/// Prints a whole file: directives, items, goal blocks with their
/// expectations, and expected errors.
pub fn print_file(file: &File) -> String {
    let mut out = String::new();
    if file.uses_prelude.is_some() {
        out.push_str("use prelude::*;\n");
    }
    if file.disable_coherence.is_some() {
        out.push_str("disable_coherence;\n");
    }
    if !out.is_empty() && !file.items.is_empty() {
        out.push('\n');
    }
    let mut index = 0;
    while index < file.items.len() {
        if let Item::Clause(_) = &file.items[index] {
            // Consecutive clause items may be the expansion of one written clause.
            let clauses: Vec<&Clause> = file.items[index..]
                .iter()
                .map_while(|item| match item {
                    Item::Clause(clause) => Some(&**clause),
                    _ => None,
                })
                .collect();
            index += clauses.len();
            for group in clause_groups(&clauses) {
                out.push_str(&clause_item(&group));
                out.push('\n');
            }
        } else {
            out.push_str(&print_item(&file.items[index]));
            out.push('\n');
            index += 1;
        }
    }
    for block in &file.goals {
        out.push('\n');
        out.push_str(&print_goal_block(block));
        out.push('\n');
    }
    for error in &file.expected_errors {
        out.push('\n');
        let mut options = Vec::new();
        if let Some(design) = &error.design {
            options.push(format!("design = {design}"));
        }
        if let Some(implication) = &error.implication {
            options.push(format!("implication = {implication}"));
        }
        let options = if options.is_empty() {
            String::new()
        } else {
            format!("[{}]", options.join(", "))
        };
        out.push_str(&format!(
            "error_msg{options} {{ {} }}\n",
            quote(&error.text)
        ));
    }
    if file.expect_success.is_some() {
        out.push_str("\nlowering_success;\n");
    }
    out
}

/// Prints one item on one line (traits and impls with members span several
/// lines, each member indented). A clause item that the parser produced as
/// part of an expansion prints on its own here; [`print_file`] regroups them.
pub fn print_item(item: &Item) -> String {
    match item {
        Item::Adt(adt) => adt_defn(adt),
        Item::Fn(f) => fn_defn(f),
        Item::Closure(c) => closure_defn(c),
        Item::Trait(t) => trait_defn(t),
        Item::Impl(i) => impl_defn(i),
        Item::OpaqueTy(o) => opaque_defn(o),
        Item::Coroutine(c) => coroutine_defn(c),
        Item::Foreign(f) => format!("extern type {};", f.name),
        Item::Clause(c) => clause_item(&[c]),
    }
}

/// Prints `goal { .. }` followed by its expectations.
pub fn print_goal_block(block: &GoalBlock) -> String {
    let mut out = format!("goal {{\n    {}\n}}", print_goal(&block.goal));
    for expectation in &block.expectations {
        out.push(' ');
        out.push_str(&print_expectation(expectation));
    }
    out
}

/// Prints `yields[solver = slg] { "..." }` and the other expectation forms.
pub fn print_expectation(expectation: &Expectation) -> String {
    let keyword = match expectation.kind {
        ExpectationKind::Yields => "yields",
        ExpectationKind::YieldsAll => "yields_all",
        ExpectationKind::YieldsFirst => "yields_first",
        ExpectationKind::Holds => "holds",
        ExpectationKind::Fails => "fails",
    };
    let mut options = Vec::new();
    match expectation.solver {
        None => {}
        Some(SolverSpec::SLG_DEFAULT) => options.push("solver = slg".to_string()),
        Some(SolverSpec::RECURSIVE_DEFAULT) => options.push("solver = recursive".to_string()),
        Some(SolverSpec::Slg {
            max_size,
            expected_answers,
        }) => {
            let expected = match expected_answers {
                Some(n) => format!("Some({n})"),
                None => "None".to_string(),
            };
            options.push(format!("SolverChoice::slg({max_size}, {expected})"));
        }
        Some(SolverSpec::Recursive {
            overflow_depth,
            max_size,
        }) => {
            // chalk's argument order is `recursive(max_size, overflow_depth)`.
            options.push(format!(
                "SolverChoice::recursive({max_size}, {overflow_depth})"
            ));
        }
    }
    // The `SolverChoice::..` form stands alone in the brackets, so a design
    // can only be named next to the `solver = ..` form or on its own.
    if !options.iter().any(|o| o.starts_with("SolverChoice")) {
        if let Some(design) = &expectation.design {
            options.push(format!("design = {design}"));
        }
        if let Some(implication) = &expectation.implication {
            options.push(format!("implication = {implication}"));
        }
    }
    let options = if options.is_empty() {
        String::new()
    } else {
        format!("[{}]", options.join(", "))
    };
    let answers: Vec<String> = expectation.answers.iter().map(|a| quote(a)).collect();
    if matches!(
        expectation.kind,
        ExpectationKind::Holds | ExpectationKind::Fails
    ) {
        format!("{keyword}{options}")
    } else if answers.is_empty() {
        format!("{keyword}{options} {{}}")
    } else {
        format!("{keyword}{options} {{\n    {}\n}}", answers.join(",\n    "))
    }
}

/// A string literal the lexer reads back as `text`: only backslashes and
/// quotes need escapes, since strings may span lines.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            // A carriage return would be lost to line-ending normalisation
            // by editors, so it is spelled out.
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// Items.

fn params(params: &[VariableKind]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let list: Vec<String> = params.iter().map(variable_kind).collect();
    format!("<{}>", list.join(", "))
}

fn variable_kind(param: &VariableKind) -> String {
    match param.kind {
        ParamKind::Ty => param.name.text.clone(),
        ParamKind::IntegerTy => format!("int {}", param.name),
        ParamKind::FloatTy => format!("float {}", param.name),
        ParamKind::Lifetime => format!("'{}", param.name),
        ParamKind::Const => format!("const {}", param.name),
    }
}

fn variances(variances: &Option<(Vec<Variance>, Span)>) -> String {
    let Some((list, _)) = variances else {
        return String::new();
    };
    let names: Vec<&str> = list
        .iter()
        .map(|v| match v {
            Variance::Invariant => "Invariant",
            Variance::Covariant => "Covariant",
            Variance::Contravariant => "Contravariant",
        })
        .collect();
    format!("#[variance({})]\n", names.join(", "))
}

fn adt_defn(adt: &AdtDefn) -> String {
    // The attributes go in the order the parser requires.
    let mut out = variances(&adt.variances);
    let flags = [
        (adt.flags.upstream, "upstream"),
        (adt.flags.fundamental, "fundamental"),
        (adt.flags.phantom_data, "phantom_data"),
        (adt.flags.one_zst, "one_zst"),
        (adt.repr.c, "repr(C)"),
        (adt.repr.packed, "repr(packed)"),
    ];
    for (set, name) in flags {
        if set {
            out.push_str(&format!("#[{name}]\n"));
        }
    }
    if let Some(int) = &adt.repr.int {
        out.push_str(&format!("#[repr({})]\n", print_ty(int)));
    }
    let keyword = match adt.kind {
        AdtKind::Struct => "struct",
        AdtKind::Enum => "enum",
    };
    out.push_str(&format!(
        "{keyword} {}{}{}",
        adt.name,
        params(&adt.params),
        where_clauses(&adt.where_clauses)
    ));
    match adt.kind {
        AdtKind::Struct => {
            let fields = adt.variants.first().map_or(&[][..], |v| &v.fields[..]);
            if fields.is_empty() {
                out.push(';');
            } else if is_tuple(fields) {
                out.push_str(&format!("{};", tuple_fields(fields)));
            } else {
                out.push_str(&format!(" {}", named_fields(fields)));
            }
        }
        AdtKind::Enum => {
            let variants: Vec<String> = adt
                .variants
                .iter()
                .map(|v| {
                    if v.fields.is_empty() {
                        v.name.text.clone()
                    } else if is_tuple(&v.fields) {
                        format!("{}{}", v.name, tuple_fields(&v.fields))
                    } else {
                        format!("{} {}", v.name, named_fields(&v.fields))
                    }
                })
                .collect();
            if variants.is_empty() {
                out.push_str(" {}");
            } else {
                out.push_str(&format!(" {{ {} }}", variants.join(", ")));
            }
        }
    }
    out
}

/// Tuple fields are named by their position; named fields cannot start with a
/// digit.
fn is_tuple(fields: &[Field]) -> bool {
    fields
        .iter()
        .all(|f| f.name.text.starts_with(|c: char| c.is_ascii_digit()))
}

fn tuple_fields(fields: &[Field]) -> String {
    let types: Vec<String> = fields.iter().map(|f| print_ty(&f.ty)).collect();
    format!("({})", types.join(", "))
}

fn named_fields(fields: &[Field]) -> String {
    let list: Vec<String> = fields
        .iter()
        .map(|f| format!("{}: {}", f.name, print_ty(&f.ty)))
        .collect();
    format!("{{ {} }}", list.join(", "))
}

fn abi_prefix(sig: &FnSig) -> String {
    let mut out = String::new();
    if sig.is_unsafe {
        out.push_str("unsafe ");
    }
    match &sig.abi {
        Abi::Rust => {}
        Abi::C => out.push_str("extern \"C\" "),
        Abi::Other(name) => out.push_str(&format!("extern {} ", quote(name))),
    }
    out
}

/// `-> R`, left out when `R` is `()` (which is what the parser assumes then).
fn return_arrow(ty: &Ty) -> String {
    match &ty.kind {
        TyKind::Tuple(types) if types.is_empty() => String::new(),
        _ => format!(" -> {}", print_ty(ty)),
    }
}

fn fn_defn(f: &FnDefn) -> String {
    // The tree does not keep argument names, so they are made up.
    let mut arguments: Vec<String> = f
        .argument_types
        .iter()
        .enumerate()
        .map(|(i, ty)| format!("arg{i}: {}", print_ty(ty)))
        .collect();
    if f.sig.variadic {
        arguments.push("rest: ...".to_string());
    }
    format!(
        "{}{}fn {}{}({}){}{};",
        variances(&f.variances),
        abi_prefix(&f.sig),
        f.name,
        params(&f.params),
        arguments.join(", "),
        return_arrow(&f.return_type),
        where_clauses(&f.where_clauses)
    )
}

fn closure_defn(c: &ClosureDefn) -> String {
    let mut arguments = vec![match c.kind {
        ClosureKind::FnOnce => "self".to_string(),
        ClosureKind::FnMut => "&mut self".to_string(),
        ClosureKind::Fn => "&self".to_string(),
    }];
    arguments.extend(
        c.argument_types
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("arg{i}: {}", print_ty(ty))),
    );
    let upvars: Vec<String> = c.upvars.iter().map(print_ty).collect();
    let body = if upvars.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", upvars.join("; "))
    };
    format!(
        "closure {}{}({}){} {body}",
        c.name,
        params(&c.params),
        arguments.join(", "),
        return_arrow(&c.return_type)
    )
}

const LANG_ITEMS: &[(WellKnownTrait, &str)] = &[
    (WellKnownTrait::Sized, "sized"),
    (WellKnownTrait::Copy, "copy"),
    (WellKnownTrait::Clone, "clone"),
    (WellKnownTrait::Drop, "drop"),
    (WellKnownTrait::FnOnce, "fn_once"),
    (WellKnownTrait::FnMut, "fn_mut"),
    (WellKnownTrait::Fn, "fn"),
    (WellKnownTrait::AsyncFnOnce, "async_fn_once"),
    (WellKnownTrait::AsyncFnMut, "async_fn_mut"),
    (WellKnownTrait::AsyncFn, "async_fn"),
    (WellKnownTrait::Unsize, "unsize"),
    (WellKnownTrait::Unpin, "unpin"),
    (WellKnownTrait::CoerceUnsized, "coerce_unsized"),
    (WellKnownTrait::DiscriminantKind, "discriminant_kind"),
    (WellKnownTrait::Coroutine, "coroutine"),
    (WellKnownTrait::DispatchFromDyn, "dispatch_from_dyn"),
    (WellKnownTrait::Tuple, "tuple_trait"),
    (WellKnownTrait::Pointee, "pointee_trait"),
    (WellKnownTrait::FnPtr, "fn_ptr_trait"),
    (WellKnownTrait::Future, "future"),
];

fn trait_defn(t: &TraitDefn) -> String {
    let mut out = String::new();
    // The attributes go in the order the parser requires.
    let flags = [
        (t.flags.auto, "auto"),
        (t.flags.marker, "marker"),
        (t.flags.upstream, "upstream"),
        (t.flags.fundamental, "fundamental"),
        (t.flags.non_enumerable, "non_enumerable"),
        (t.flags.coinductive, "coinductive"),
        (t.flags.object_safe, "object_safe"),
    ];
    for (set, name) in flags {
        if set {
            out.push_str(&format!("#[{name}]\n"));
        }
    }
    if let Some(well_known) = t.well_known {
        if let Some((_, name)) = LANG_ITEMS.iter().find(|(w, _)| *w == well_known) {
            out.push_str(&format!("#[lang({name})]\n"));
        }
    }
    out.push_str(&format!(
        "trait {}{}{}",
        t.name,
        params(&t.params),
        where_clauses(&t.where_clauses)
    ));
    let mut members: Vec<String> = t.assoc_ty_defns.iter().map(assoc_ty_defn).collect();
    members.extend(t.methods.iter().map(|m| format!("{};", method_sig(&m.sig))));
    out.push_str(&body(&members));
    out
}

/// ` { }` or an indented block of members, one per line.
fn body(members: &[String]) -> String {
    if members.is_empty() {
        return " {}".to_string();
    }
    let mut out = " {\n".to_string();
    for member in members {
        for line in member.lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('}');
    out
}

fn assoc_ty_defn(a: &AssocTyDefn) -> String {
    let lang = if a.async_fn_once_output {
        "#[lang(async_fn_once_output)]\n"
    } else {
        ""
    };
    let bounds = if a.bounds.is_empty() {
        String::new()
    } else {
        format!(": {}", inline_bounds(&a.bounds))
    };
    format!(
        "{lang}type {}{}{bounds}{};",
        a.name,
        params(&a.params),
        where_clauses(&a.where_clauses)
    )
}

fn method_sig(sig: &MethodSig) -> String {
    let mut arguments = Vec::new();
    match &sig.receiver {
        Receiver::None => {}
        Receiver::Value => arguments.push("self".to_string()),
        Receiver::Ref(mutability, lifetime) => {
            let lifetime = lifetime
                .as_ref()
                .map(|l| format!("{} ", print_lifetime(l)))
                .unwrap_or_default();
            let mutability = match mutability {
                Mutability::Mut => "mut ",
                Mutability::Not => "",
            };
            arguments.push(format!("&{lifetime}{mutability}self"));
        }
    }
    arguments.extend(
        sig.arguments
            .iter()
            .map(|(name, ty)| format!("{name}: {}", print_ty(ty))),
    );
    let return_type = sig
        .return_type
        .as_ref()
        .map(|ty| format!(" -> {}", print_ty(ty)))
        .unwrap_or_default();
    format!(
        "{}fn {}{}({}){return_type}{}",
        if sig.is_async { "async " } else { "" },
        sig.name,
        params(&sig.params),
        arguments.join(", "),
        where_clauses(&sig.where_clauses)
    )
}

fn impl_defn(i: &ImplDefn) -> String {
    let mut out = String::new();
    if i.upstream {
        out.push_str("#[upstream]\n");
    }
    let polarity = match i.polarity {
        Polarity::Positive => "",
        Polarity::Negative => "!",
    };
    let (self_ty, args) = split_self(&i.trait_ref.args);
    out.push_str(&format!(
        "impl{} {polarity}{}{} for {}{}",
        params(&i.params),
        i.trait_ref.trait_name,
        generic_args(args),
        self_ty,
        where_clauses(&i.where_clauses)
    ));
    let mut members: Vec<String> = i
        .assoc_ty_values
        .iter()
        .map(|v| {
            format!(
                "{}type {}{} = {};",
                if v.default { "default " } else { "" },
                v.name,
                params(&v.params),
                print_ty(&v.value)
            )
        })
        .collect();
    members.extend(i.methods.iter().map(|m| {
        let sig = method_sig(&m.sig);
        match &m.body {
            ImplMethodBody::None => format!("{sig};"),
            ImplMethodBody::Holds(types, _) if types.is_empty() => format!("{sig} {{}}"),
            ImplMethodBody::Holds(types, _) => {
                let types: Vec<String> = types.iter().map(print_ty).collect();
                format!("{sig} {{ holds {}; }}", types.join(", "))
            }
            ImplMethodBody::Hidden(ty) => format!("{sig} = {};", print_ty(ty)),
            // Code is printed as written: it is Rust, not chalk's language.
            ImplMethodBody::Code(code) => format!("{sig} {}", code_body(&code.text)),
        }
    }));
    out.push_str(&body(&members));
    out
}

/// A method body written as code, as written except for the indentation
/// of its later lines: the indentation they share is removed, so that the
/// impl's printer indents the body as one of its members (and printing a
/// printed program changes nothing).
pub fn code_body(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim_end();
    let rest: Vec<&str> = lines.collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let common = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    let mut out = first.to_string();
    for line in rest {
        out.push('\n');
        if !line.trim().is_empty() {
            out.push_str(
                line.get(common.min(indent(line))..)
                    .unwrap_or("")
                    .trim_end(),
            );
        }
    }
    out
}

fn opaque_defn(o: &OpaqueTyDefn) -> String {
    let bounds = if o.bounds.is_empty() {
        String::new()
    } else {
        format!(": {}", inline_bounds(&o.bounds))
    };
    format!(
        "opaque type {}{}{bounds}{} = {};",
        o.name,
        params(&o.params),
        where_clauses(&o.where_clauses),
        print_ty(&o.hidden_ty)
    )
}

fn coroutine_defn(c: &CoroutineDefn) -> String {
    let types = |types: &[Ty]| -> String {
        let list: Vec<String> = types.iter().map(print_ty).collect();
        format!("[{}]", list.join("; "))
    };
    let exists = if c.witness_lifetimes.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = c
            .witness_lifetimes
            .iter()
            .map(|l| format!("'{l}"))
            .collect();
        format!("exists<{}> ", list.join(", "))
    };
    format!(
        "coroutine {}{}{}[resume = {}, yield = {}]{} {{ upvars {} witnesses {exists}{} }}",
        if c.is_static { "static " } else { "" },
        c.name,
        params(&c.params),
        print_ty(&c.resume_ty),
        print_ty(&c.yield_ty),
        return_arrow(&c.return_ty),
        types(&c.upvars),
        types(&c.witness_types)
    )
}

/// ` where A, B` (with a leading space), or nothing.
fn where_clauses(clauses: &[QuantifiedWhereClause]) -> String {
    let printed = print_where_clauses(clauses);
    if printed.is_empty() {
        String::new()
    } else {
        format!(" where {printed}")
    }
}

/// A list of where clauses, comma-separated, folding each `Implemented`
/// clause and the `AliasEq` clauses that follow it for the same trait
/// reference back into `T: Tr<A = U>`.
pub fn print_where_clauses(clauses: &[QuantifiedWhereClause]) -> String {
    let mut printed = Vec::new();
    let mut index = 0;
    while index < clauses.len() {
        let first = &clauses[index];
        let quantifier = quantifier("forall", &first.params);
        let mut run = vec![&first.where_clause];
        index += 1;
        while let Some(next) = clauses.get(index) {
            let same_params = params(&next.params) == params(&first.params);
            if same_params && continues_with_alias_eq(&run, &next.where_clause) {
                run.push(&next.where_clause);
                index += 1;
            } else {
                break;
            }
        }
        printed.push(format!("{quantifier}{}", where_clause_run(&run)));
    }
    printed.join(", ")
}

fn quantifier(keyword: &str, params: &[VariableKind]) -> String {
    if params.is_empty() {
        String::new()
    } else {
        format!("{keyword}{} ", self::params(params))
    }
}

/// The self type and trait reference that an `AliasEq` clause following
/// `clause` must match to have come from the same `Tr<A = U>` bound.
fn alias_eq_base(clause: &WhereClause) -> Option<String> {
    match clause {
        WhereClause::Implemented(trait_ref) => Some(print_trait_ref_as_path(trait_ref)),
        WhereClause::BoundWithAssocBounds { self_ty, bound } => {
            let mut args = vec![GenericArg::Ty(self_ty.clone())];
            args.extend(bound.args.iter().cloned());
            Some(print_trait_ref_as_path(&TraitRef {
                trait_name: bound.trait_name.clone(),
                args,
                span: bound.span,
            }))
        }
        _ => None,
    }
}

/// Whether `next` is an `AliasEq` on the trait reference that heads `run`.
fn continues_with_alias_eq(run: &[&WhereClause], next: &WhereClause) -> bool {
    let WhereClause::AliasEq { projection, .. } = next else {
        return false;
    };
    let Some(base) = run.first().and_then(|head| alias_eq_base(head)) else {
        return false;
    };
    base == print_trait_ref_as_path(&projection.trait_ref)
}

/// `<T as Tr<A>>`: a trait reference printed for comparisons and projections.
fn print_trait_ref_as_path(trait_ref: &TraitRef) -> String {
    let (self_ty, args) = split_self(&trait_ref.args);
    format!(
        "<{self_ty} as {}{}>",
        trait_ref.trait_name,
        generic_args(args)
    )
}

/// A head clause (`Implemented`, `BoundWithAssocBounds` or anything else)
/// followed by the `AliasEq` clauses folded into it.
fn where_clause_run(run: &[&WhereClause]) -> String {
    let Some((head, equalities)) = run.split_first() else {
        return String::new();
    };
    match head {
        WhereClause::Implemented(trait_ref) => {
            let (self_ty, args) = split_self(&trait_ref.args);
            let mut inner: Vec<String> = args.iter().map(print_generic_arg).collect();
            inner.extend(equalities.iter().filter_map(|e| equality(e)));
            format!(
                "{self_ty}: {}{}",
                trait_ref.trait_name,
                angle_list(&inner, false)
            )
        }
        WhereClause::BoundWithAssocBounds { self_ty, bound } => {
            let extra: Vec<String> = equalities.iter().filter_map(|e| equality(e)).collect();
            format!("{}: {}", print_ty(self_ty), trait_bound(bound, &extra))
        }
        other => print_where_clause(other),
    }
}

/// `Name<B> = U` for an `AliasEq` clause.
fn equality(clause: &WhereClause) -> Option<String> {
    match clause {
        WhereClause::AliasEq { projection, ty } => Some(format!(
            "{}{} = {}",
            projection.name,
            generic_args(&projection.args),
            print_ty(ty)
        )),
        _ => None,
    }
}

/// `<a, b>`; `<>` only when `keep_empty` (an applied type with no arguments
/// is distinct from a bare name).
fn angle_list(items: &[String], keep_empty: bool) -> String {
    if items.is_empty() && !keep_empty {
        String::new()
    } else {
        format!("<{}>", items.join(", "))
    }
}

/// Prints one where clause on its own. An `AliasEq` clause has no form of
/// its own in the language; it prints as `T: Tr<A = U>`, which adds the
/// `Implemented` clause that it implies anyway.
pub fn print_where_clause(clause: &WhereClause) -> String {
    match clause {
        WhereClause::Implemented(trait_ref) => {
            let (self_ty, args) = split_self(&trait_ref.args);
            format!("{self_ty}: {}{}", trait_ref.trait_name, generic_args(args))
        }
        WhereClause::AliasEq { projection, ty } => {
            let (self_ty, args) = split_self(&projection.trait_ref.args);
            let mut inner: Vec<String> = args.iter().map(print_generic_arg).collect();
            inner.push(format!(
                "{}{} = {}",
                projection.name,
                generic_args(&projection.args),
                print_ty(ty)
            ));
            format!(
                "{self_ty}: {}{}",
                projection.trait_ref.trait_name,
                angle_list(&inner, false)
            )
        }
        WhereClause::LifetimeOutlives { a, b } => {
            format!("{}: {}", print_lifetime(a), print_lifetime(b))
        }
        WhereClause::TypeOutlives { ty, lifetime } => {
            format!("{}: {}", print_ty(ty), print_lifetime(lifetime))
        }
        WhereClause::BoundWithAssocBounds { self_ty, bound } => {
            format!("{}: {}", print_ty(self_ty), trait_bound(bound, &[]))
        }
        WhereClause::Rtn { rtn, bounds } => {
            format!("{}: {}", print_rtn(rtn), inline_bounds(bounds))
        }
        WhereClause::ShorthandBound { self_ty, bounds } => {
            format!("{}: {}", print_ty(self_ty), inline_bounds(bounds))
        }
        WhereClause::Relaxed { ty, trait_name } => format!("{}: ?{trait_name}", print_ty(ty)),
    }
}

/// The self type (printed) and the remaining arguments of a trait
/// reference's argument list; a list without a self type, which the parser
/// never builds, prints `()` in its place.
fn split_self(args: &[GenericArg]) -> (String, &[GenericArg]) {
    match args.split_first() {
        Some((first, rest)) => (print_generic_arg(first), rest),
        None => ("()".to_string(), args),
    }
}

// ---------------------------------------------------------------------------
// Bounds.

/// Inline bounds joined with ` + `. Each bound prints on its own: the
/// parser's expansion of `Tr<A = U, B = V>` into two `AliasEq` bounds is the
/// same as that of `Tr<A = U> + Tr<B = V>`.
pub fn inline_bounds(bounds: &[QuantifiedInlineBound]) -> String {
    let list: Vec<String> = bounds.iter().map(quantified_inline_bound).collect();
    list.join(" + ")
}

fn quantified_inline_bound(bound: &QuantifiedInlineBound) -> String {
    let quantifier = quantifier("forall", &bound.params);
    let inner = match &bound.bound {
        InlineBound::Trait(b) => trait_bound(b, &[]),
        InlineBound::AliasEq(alias) => {
            let equality = format!(
                "{}{} = {}",
                alias.name,
                generic_args(&alias.args),
                print_ty(&alias.value)
            );
            trait_bound(&alias.trait_bound, &[equality])
        }
        InlineBound::Outlives(lifetime) => print_lifetime(lifetime),
        InlineBound::Relaxed(trait_name) => format!("?{trait_name}"),
        InlineBound::Conditional(c) => {
            let conditions = print_where_clauses(&c.conditions);
            format!("if ({conditions}) {{ {} }}", inline_bounds(&c.bounds))
        }
    };
    format!("{quantifier}{inner}")
}

/// `Tr<A, m(..): Send, Assoc: Bound, extra..>`.
fn trait_bound(bound: &TraitBound, extra: &[String]) -> String {
    let mut inner: Vec<String> = bound.args.iter().map(print_generic_arg).collect();
    inner.extend(bound.assoc_bounds.iter().map(assoc_item_bound));
    inner.extend(extra.iter().cloned());
    format!("{}{}", bound.trait_name, angle_list(&inner, false))
}

fn assoc_item_bound(bound: &AssocItemBound) -> String {
    let parens = match bound.style {
        RtnStyle::DotDot => "(..)",
        RtnStyle::EmptyParens => "()",
        RtnStyle::Bare => "",
    };
    // With parentheses the parser reads no arguments after the name, so
    // explicit arguments only print in the bare spelling.
    let args = if bound.style == RtnStyle::Bare && !bound.args.is_empty() {
        generic_args(&bound.args)
    } else {
        String::new()
    };
    format!(
        "{}{args}{parens}: {}",
        bound.name,
        inline_bounds(&bound.bounds)
    )
}

// ---------------------------------------------------------------------------
// Types.

/// Prints a type.
pub fn print_ty(ty: &Ty) -> String {
    match &ty.kind {
        TyKind::Name(name) => name.text.clone(),
        TyKind::Apply(name, args) => {
            let args: Vec<String> = args.iter().map(print_generic_arg).collect();
            format!("{name}{}", angle_list(&args, true))
        }
        TyKind::Dyn { bounds, lifetime } => {
            let mut out = format!("dyn {}", inline_bounds(bounds));
            if let Some(lifetime) = lifetime {
                out.push_str(&format!(" + {}", print_lifetime(lifetime)));
            }
            out
        }
        TyKind::Projection(projection) => print_projection(projection),
        TyKind::ShorthandProjection {
            self_ty,
            name,
            args,
        } => format!("{}::{name}{}", print_ty(self_ty), generic_args(args)),
        TyKind::FnPtr {
            lifetimes,
            argument_types,
            return_type,
            sig,
        } => {
            let binder = if lifetimes.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = lifetimes.iter().map(|l| format!("'{l}")).collect();
                format!("for<{}> ", list.join(", "))
            };
            let mut arguments: Vec<String> = argument_types.iter().map(print_ty).collect();
            if sig.variadic {
                arguments.push("...".to_string());
            }
            format!(
                "{binder}{}fn({}){}",
                abi_prefix(sig),
                arguments.join(", "),
                return_arrow(return_type)
            )
        }
        TyKind::Tuple(types) => match types.as_slice() {
            [single] => format!("({},)", print_ty(single)),
            _ => {
                let list: Vec<String> = types.iter().map(print_ty).collect();
                format!("({})", list.join(", "))
            }
        },
        TyKind::Scalar(scalar) => scalar_name(*scalar).to_string(),
        TyKind::Str => "str".to_string(),
        TyKind::Never => "!".to_string(),
        TyKind::Slice(element) => format!("[{}]", print_ty(element)),
        TyKind::Array(element, length) => {
            format!("[{}; {}]", print_ty(element), print_const(length))
        }
        TyKind::Raw(mutability, pointee) => {
            let mutability = match mutability {
                Mutability::Mut => "mut",
                Mutability::Not => "const",
            };
            format!("*{mutability} {}", print_ty(pointee))
        }
        TyKind::Ref(mutability, lifetime, referent) => {
            let lifetime = lifetime
                .as_ref()
                .map(|l| format!("{} ", print_lifetime(l)))
                .unwrap_or_default();
            let mutability = match mutability {
                Mutability::Mut => "mut ",
                Mutability::Not => "",
            };
            format!("&{lifetime}{mutability}{}", print_ty(referent))
        }
        TyKind::ImplTrait(bounds) => format!("impl {}", inline_bounds(bounds)),
        TyKind::ReturnTypeNotation(rtn) => print_rtn(rtn),
        // The parser reported the error already; the marker keeps the text
        // recognisably broken rather than silently changing its meaning.
        TyKind::Error => "{error}".to_string(),
    }
}

fn print_projection(projection: &ProjectionTy) -> String {
    format!(
        "{}::{}{}",
        print_trait_ref_as_path(&projection.trait_ref),
        projection.name,
        generic_args(&projection.args)
    )
}

fn print_rtn(rtn: &Rtn) -> String {
    let base = match &rtn.trait_ref {
        Some(trait_ref) => print_trait_ref_as_path(trait_ref),
        None => print_ty(&rtn.self_ty),
    };
    let parens = match rtn.style {
        RtnStyle::DotDot => "(..)",
        RtnStyle::EmptyParens => "()",
        RtnStyle::Bare => "",
    };
    format!("{base}::{}{}{parens}", rtn.method, generic_args(&rtn.args))
}

fn scalar_name(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::Bool => "bool",
        ScalarType::Char => "char",
        ScalarType::Int(IntTy::Isize) => "isize",
        ScalarType::Int(IntTy::I8) => "i8",
        ScalarType::Int(IntTy::I16) => "i16",
        ScalarType::Int(IntTy::I32) => "i32",
        ScalarType::Int(IntTy::I64) => "i64",
        ScalarType::Int(IntTy::I128) => "i128",
        ScalarType::Uint(UintTy::Usize) => "usize",
        ScalarType::Uint(UintTy::U8) => "u8",
        ScalarType::Uint(UintTy::U16) => "u16",
        ScalarType::Uint(UintTy::U32) => "u32",
        ScalarType::Uint(UintTy::U64) => "u64",
        ScalarType::Uint(UintTy::U128) => "u128",
        ScalarType::Float(FloatTy::F16) => "f16",
        ScalarType::Float(FloatTy::F32) => "f32",
        ScalarType::Float(FloatTy::F64) => "f64",
        ScalarType::Float(FloatTy::F128) => "f128",
    }
}

/// Prints a lifetime with its quote.
pub fn print_lifetime(lifetime: &Lifetime) -> String {
    match &lifetime.kind {
        LifetimeKind::Named(name) => format!("'{name}"),
        LifetimeKind::Static => "'static".to_string(),
        LifetimeKind::Erased => "'erased".to_string(),
    }
}

fn print_const(value: &Const) -> String {
    match value {
        Const::Name(name) => name.text.clone(),
        Const::Value(value, _) => value.to_string(),
    }
}

/// A generic argument: a type, a lifetime or a const.
pub fn print_generic_arg(arg: &GenericArg) -> String {
    match arg {
        GenericArg::Ty(ty) => print_ty(ty),
        GenericArg::Lifetime(lifetime) => print_lifetime(lifetime),
        GenericArg::Const(value) => print_const(value),
    }
}

/// `<A, 'b, 3>`, or nothing when there are no arguments.
fn generic_args(args: &[GenericArg]) -> String {
    let list: Vec<String> = args.iter().map(print_generic_arg).collect();
    angle_list(&list, false)
}

// ---------------------------------------------------------------------------
// Goals and clauses.

/// Prints a goal as it appears between the braces of `goal { .. }`.
pub fn print_goal(goal: &Goal) -> String {
    match &goal.kind {
        GoalKind::ForAll(params, body) => quantified_goal("forall", params, body),
        GoalKind::Exists(params, body) => quantified_goal("exists", params, body),
        GoalKind::Implies(clauses, body) => {
            let hypotheses: Vec<String> = clause_groups(&clauses.iter().collect::<Vec<_>>())
                .iter()
                .map(|group| inline_clause(group))
                .collect();
            format!("if ({}) {{ {} }}", hypotheses.join("; "), print_goal(body))
        }
        GoalKind::And(goals) => {
            if let Some(folded) = fold_leaves(goals) {
                return folded;
            }
            let list: Vec<String> = goals.iter().map(goal1).collect();
            if list.len() == 1 {
                // A one-goal conjunction comes from a trailing comma.
                format!("{},", list.join(""))
            } else {
                list.join(", ")
            }
        }
        GoalKind::Not(body) => format!("not {{ {} }}", print_goal(body)),
        GoalKind::Compatible(body) => format!("compatible {{ {} }}", print_goal(body)),
        GoalKind::Leaf(leaf) => leaf_goal(leaf),
        GoalKind::Error => "{error}".to_string(),
    }
}

/// A goal in a comma-separated list: a conjunction is parenthesised so that
/// it stays one element.
fn goal1(goal: &Goal) -> String {
    match &goal.kind {
        GoalKind::And(_) => format!("({})", print_goal(goal)),
        _ => print_goal(goal),
    }
}

fn quantified_goal(keyword: &str, params: &[VariableKind], body: &Goal) -> String {
    format!(
        "{keyword}{} {{ {} }}",
        self::params(params),
        print_goal(body)
    )
}

/// `T: A + B<X = Y> + 'a` for a conjunction of at least two `Holds` leaves
/// on one self type: the one form the parser expands into exactly these
/// leaves. `None` when the conjunction has another shape.
fn fold_leaves(goals: &[Goal]) -> Option<String> {
    if goals.len() < 2 {
        return None;
    }
    let mut clauses = Vec::new();
    for goal in goals {
        match &goal.kind {
            GoalKind::Leaf(LeafGoal::DomainGoal(DomainGoal::Holds(clause))) => clauses.push(clause),
            _ => return None,
        }
    }
    let self_ty = |clause: &WhereClause| -> Option<String> {
        match clause {
            WhereClause::Implemented(trait_ref) => {
                let (self_ty, _) = split_self(&trait_ref.args);
                Some(self_ty)
            }
            WhereClause::AliasEq { projection, .. } => {
                let (self_ty, _) = split_self(&projection.trait_ref.args);
                Some(self_ty)
            }
            WhereClause::TypeOutlives { ty, .. } | WhereClause::Relaxed { ty, .. } => {
                Some(print_ty(ty))
            }
            WhereClause::BoundWithAssocBounds { self_ty, .. } => Some(print_ty(self_ty)),
            _ => None,
        }
    };
    let first_self = self_ty(clauses[0])?;
    let mut parts = Vec::new();
    let mut index = 0;
    while index < clauses.len() {
        let head = clauses[index];
        if self_ty(head)? != first_self {
            return None;
        }
        let mut run = vec![head];
        index += 1;
        while let Some(next) = clauses.get(index) {
            if continues_with_alias_eq(&run, next) {
                run.push(next);
                index += 1;
            } else {
                break;
            }
        }
        match head {
            WhereClause::TypeOutlives { lifetime, .. } => parts.push(print_lifetime(lifetime)),
            WhereClause::Relaxed { trait_name, .. } => parts.push(format!("?{trait_name}")),
            // An `AliasEq` leaf that follows no matching trait leaf has no
            // spelling of its own; the conjunction prints as a list instead.
            WhereClause::AliasEq { .. } => return None,
            _ => {
                let printed = where_clause_run(&run);
                let bound = printed
                    .strip_prefix(&format!("{first_self}: "))
                    .map(str::to_string)?;
                parts.push(bound);
            }
        }
    }
    Some(format!("{first_self}: {}", parts.join(" + ")))
}

fn leaf_goal(leaf: &LeafGoal) -> String {
    match leaf {
        LeafGoal::DomainGoal(goal) => print_domain_goal(goal),
        LeafGoal::Unify(a, b) => format!("{} = {}", print_generic_arg(a), print_generic_arg(b)),
        LeafGoal::Subtype(a, b) => format!("Subtype({}, {})", print_ty(a), print_ty(b)),
    }
}

/// Prints a domain goal (a `Holds` of an `AliasEq` prints as `T: Tr<A = U>`,
/// see [`print_where_clause`]).
pub fn print_domain_goal(goal: &DomainGoal) -> String {
    let trait_ref = |trait_ref: &TraitRef| {
        let (self_ty, args) = split_self(&trait_ref.args);
        format!("{self_ty}: {}{}", trait_ref.trait_name, generic_args(args))
    };
    match goal {
        DomainGoal::Holds(clause) => print_where_clause(clause),
        DomainGoal::Normalize { projection, ty } => {
            format!(
                "Normalize({} -> {})",
                print_projection(projection),
                print_ty(ty)
            )
        }
        DomainGoal::TraitRefWellFormed(t) => format!("WellFormed({})", trait_ref(t)),
        DomainGoal::TyWellFormed(ty) => format!("WellFormed({})", print_ty(ty)),
        DomainGoal::TyFromEnv(ty) => format!("FromEnv({})", print_ty(ty)),
        DomainGoal::TraitRefFromEnv(t) => format!("FromEnv({})", trait_ref(t)),
        DomainGoal::IsLocal(ty) => format!("IsLocal({})", print_ty(ty)),
        DomainGoal::IsUpstream(ty) => format!("IsUpstream({})", print_ty(ty)),
        DomainGoal::IsFullyVisible(ty) => format!("IsFullyVisible({})", print_ty(ty)),
        DomainGoal::LocalImplAllowed(t) => format!("LocalImplAllowed({})", trait_ref(t)),
        DomainGoal::Compatible => "Compatible".to_string(),
        DomainGoal::DownstreamType(ty) => format!("DownstreamType({})", print_ty(ty)),
        DomainGoal::Reveal => "Reveal".to_string(),
        DomainGoal::ObjectSafe(name) => format!("ObjectSafe({name})"),
    }
}

/// Groups consecutive clauses that the parser made from one written clause:
/// a trait clause followed by `AliasEq` clauses on the same trait reference,
/// with the same parameters and conditions.
fn clause_groups<'a>(clauses: &[&'a Clause]) -> Vec<Vec<&'a Clause>> {
    let mut groups: Vec<Vec<&'a Clause>> = Vec::new();
    for &clause in clauses {
        if let Some(group) = groups.last_mut() {
            if joins_group(group, clause) {
                group.push(clause);
                continue;
            }
        }
        groups.push(vec![clause]);
    }
    groups
}

fn joins_group(group: &[&Clause], clause: &Clause) -> bool {
    let Some(head) = group.first() else {
        return false;
    };
    let (DomainGoal::Holds(head_wc), DomainGoal::Holds(next_wc)) =
        (&head.consequence, &clause.consequence)
    else {
        return false;
    };
    params(&head.params) == params(&clause.params)
        && conditions(&head.conditions) == conditions(&clause.conditions)
        && continues_with_alias_eq(&[head_wc], next_wc)
}

/// The consequence of a clause group: the head's domain goal with the
/// group's `AliasEq` equalities folded in.
fn group_consequence(group: &[&Clause]) -> String {
    let clauses: Vec<&WhereClause> = group
        .iter()
        .filter_map(|c| match &c.consequence {
            DomainGoal::Holds(wc) => Some(wc),
            _ => None,
        })
        .collect();
    match group.first() {
        Some(_) if clauses.len() == group.len() && group.len() > 1 => where_clause_run(&clauses),
        Some(head) => print_domain_goal(&head.consequence),
        None => String::new(),
    }
}

fn conditions(goals: &[Goal]) -> String {
    let list: Vec<String> = goals.iter().map(goal1).collect();
    list.join(", ")
}

/// `forall<P> { DomainGoal if G1, G2 }` as an item.
fn clause_item(group: &[&Clause]) -> String {
    let Some(head) = group.first() else {
        return String::new();
    };
    let conditions = if head.conditions.is_empty() {
        String::new()
    } else {
        format!(" if {}", conditions(&head.conditions))
    };
    format!(
        "forall{} {{ {}{conditions} }}",
        params(&head.params),
        group_consequence(group)
    )
}

/// A hypothesis of `if (..)`: `DomainGoal :- G1, G2`, wrapped in
/// `forall<P> { .. }` when it has parameters.
fn inline_clause(group: &[&Clause]) -> String {
    let Some(head) = group.first() else {
        return String::new();
    };
    let conditions = if head.conditions.is_empty() {
        String::new()
    } else {
        format!(" :- {}", conditions(&head.conditions))
    };
    let clause = format!("{}{conditions}", group_consequence(group));
    if head.params.is_empty() {
        clause
    } else {
        format!("forall{} {{ {clause} }}", params(&head.params))
    }
}
