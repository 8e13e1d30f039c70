//! Scale: generated programs of 10,000 impls are checked and answered
//! correctly, the overlap check that solves only the pairs that could
//! overlap agrees with chalk's own check on every program of the corpus,
//! and deadlines stop the checks and the solver threads.
//!
//! Nothing here is timed for speed: `benches/scale.rs` measures that. The
//! deadline tests only bound how long a stopped check may go on.

#[path = "../benches/generate/mod.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chalk_ir::cast::Cast;
use chalk_ir::TraitId;
use chalk_solve::coherence::{CoherenceError, CoherenceSolver};
use chalk_solve::{RustIrDatabase, Solver};
use chalkboard_designs::{run_text, Design, DesignLayer, Implication};
use chalkboard_lowering::interner::Ir;
use chalkboard_lowering::program::Program;
use chalkboard_solver::check::{check_program, overlap_verdict, OverlapVerdict};
use chalkboard_solver::db::{self, Database, Language, SourceFile};
use chalkboard_solver::{AnswerKind, FileReport, Limits, RunOptions};

/// Runs a program under a design, with a deadline far beyond what the
/// checks need even in a debug build on a busy machine, since these tests
/// are about answers, not speed.
fn patient(text: &str, design: Design) -> Arc<FileReport> {
    let options = RunOptions {
        limits: Limits {
            timeout: Duration::from_secs(600),
            ..Limits::default()
        },
        ..RunOptions::default()
    };
    run_text(text, &options, design, Implication::Assume)
}

/// The program a file lowers to under a design (none when it has errors).
fn lower(text: &str, design: Design) -> Option<Arc<Program>> {
    let db = Database::new(Arc::new(DesignLayer));
    let file = SourceFile::new(&db, text.to_string(), Language::Chalk);
    if db::parsed(&db, file).1.iter().any(|d| d.is_error()) {
        return None;
    }
    let rewrite = db::Rewrite::new(&db, design.name());
    let (program, diagnostics) = db::lowered(&db, file, rewrite);
    if diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    // A program with a negative cycle is rejected before any check (rule
    // `stratified-negation`): every solver, the checks' included, would
    // panic on it.
    let tree = &db::rewritten(&db, file, rewrite).program;
    if !chalkboard_solver::negation::Graph::of_program(tree)
        .negative_cycles()
        .is_empty()
    {
        return None;
    }
    program.as_ref().map(|p| Arc::clone(&p.0))
}

fn corpus(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            corpus(&path, out);
        } else if path.extension().is_some_and(|e| e == "chalk") {
            out.push(path);
        }
    }
}

#[test]
fn ten_thousand_impls_are_accepted_and_a_goal_answered() {
    let report = patient(&generate::flat(10_000), Design::Explicit);
    assert!(!report.rejected, "{:?}", report.diagnostics);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(report.goals.len(), 1);
    let runs = &report.goals[0].runs;
    assert_eq!(runs.len(), 2, "both solvers answer");
    for run in runs {
        assert_eq!(run.outcome.kind(), AnswerKind::Unique);
    }
    assert!(report.all_hold());
}

#[test]
fn an_overlap_planted_among_ten_thousand_impls_is_found_and_named() {
    let text = generate::flat_with_overlap(10_000, 4_321);
    let report = patient(&text, Design::Explicit);
    assert!(report.rejected);
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let d = errors[0];
    assert_eq!(d.code.name, "overlapping-impls");
    assert_eq!(
        d.chalk_message.as_deref(),
        Some("overlapping impls of trait `Show`")
    );
    let at = |span: chalkboard_syntax::ast::Span| &text[span.start as usize..span.end as usize];
    // The later impl is the one blamed, the earlier one is named beside it.
    assert_eq!(at(d.primary.span), "impl Show for S4321");
    assert_eq!(
        d.primary.span.start as usize,
        text.rfind("impl Show for S4321").unwrap()
    );
    assert_eq!(d.secondary[0].message, "the earlier impl");
    assert_eq!(at(d.secondary[0].span), "impl Show for S4321");
    assert_eq!(
        d.secondary[0].span.start as usize,
        text.find("impl Show for S4321 ").unwrap()
    );
}

#[test]
fn generic_traits_with_blanket_impls_answer_as_stated() {
    let report = patient(&generate::blanket(2_000), Design::Explicit);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert!(report.all_hold());
    assert_eq!(report.goals.len(), 4);
}

#[test]
fn the_other_generated_programs_hold_their_expectations() {
    for family in generate::Family::ALL {
        let designs: &[Design] = match family {
            generate::Family::AsyncFn => &[Design::Explicit, Design::Implied, Design::Boxed],
            _ => &[Design::Explicit],
        };
        for &design in designs {
            let report = patient(&family.generate(300), design);
            assert!(
                report.all_hold() && !report.rejected,
                "{} under {}: {:?} {:?}",
                family.name(),
                design.name(),
                report.diagnostics,
                report.goals
            );
        }
    }
}

/// chalk's own verdict on a trait's impls, from `CoherenceSolver`.
fn chalk_verdict(program: &Arc<Program>, trait_id: TraitId<Ir>) -> Result<bool, String> {
    let builder =
        || -> Box<dyn Solver<Ir>> { Box::new(chalk_engine::solve::SLGSolver::<Ir>::new(10, None)) };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        chalkboard_lowering::with_program(program, || {
            let db: &Program = program;
            CoherenceSolver::new(db, &builder, trait_id).specialization_priorities()
        })
    }));
    match result {
        Ok(Ok(_)) => Ok(true),
        Ok(Err(CoherenceError::OverlappingImpls(_))) => Ok(false),
        Ok(Err(other)) => Err(format!("unexpected error: {other}")),
        Err(payload) => Err(payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()),
    }
}

fn assert_same_verdicts(name: &str, program: &Arc<Program>) -> usize {
    let traits: Vec<_> = program.trait_ids().collect();
    for &trait_id in &traits {
        let ours = overlap_verdict(program, trait_id);
        let chalks = chalk_verdict(program, trait_id);
        let agree = match (&ours, &chalks) {
            (OverlapVerdict::Coherent, Ok(true)) => true,
            (OverlapVerdict::Overlapping(..), Ok(false)) => true,
            (OverlapVerdict::ChalkWouldPanic(a), Err(b)) => a == b,
            _ => false,
        };
        assert!(
            agree,
            "{name}, trait `{}`: chalkboard says {ours:?}, chalk says {chalks:?}",
            program.trait_name(trait_id)
        );
    }
    traits.len()
}

/// Rule overlap-candidates changes no answer: on every program of the
/// corpus, under every design, and on programs written to exercise
/// specialization, blanket impls and generic traits, the check that solves
/// only the pairs that could overlap concludes what chalk's
/// `CoherenceSolver`, which solves every pair, concludes.
#[test]
fn the_overlap_check_agrees_with_chalk_on_the_corpus() {
    let mut files = Vec::new();
    corpus(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../programs"),
        &mut files,
    );
    files.sort();
    let mut traits = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for design in [Design::Explicit, Design::Implied, Design::Boxed] {
            if let Some(program) = lower(&text, design) {
                traits += assert_same_verdicts(&path.display().to_string(), &program);
            }
        }
    }
    assert!(traits > 100, "only {traits} traits checked");
}

const SPECIALIZATION_AND_BLANKETS: &[(&str, &str)] = &[
    (
        // chalk 0.104 panics when three impls specialize one another.
        "a chain of three specializations",
        "trait Foo { } struct S<T> { }
         impl<T> Foo for T { } impl<T> Foo for S<T> { } impl Foo for S<u32> { }",
    ),
    (
        "two specializations side by side",
        "trait Foo { } struct S<T> { } struct R<T> { }
         impl<T> Foo for T { } impl<T> Foo for S<T> { } impl<T> Foo for R<T> { }",
    ),
    (
        "a blanket impl with a where clause beside concrete impls",
        "trait Display { } trait Show { } struct A { } struct B { } struct C { }
         impl Display for A { }
         impl<T> Show for T where T: Display { }
         impl Show for B { } impl Show for C { } impl Show for A { }",
    ),
    (
        "impls that differ only below the outermost constructor",
        "trait Foo { } struct Vec<T> { } struct A { } struct B { }
         impl Foo for Vec<A> { } impl Foo for Vec<B> { } impl<T> Foo for Vec<Vec<T>> { }
         impl Foo for Vec<Vec<A>> { }",
    ),
    (
        "a trait whose parameters tell the impls apart",
        "trait From<T> { } trait Into<T> { } struct A { } struct B { } struct C { }
         impl From<A> for B { } impl From<B> for C { } impl From<A> for C { }
         impl<T, U> Into<U> for T where U: From<T> { } impl Into<C> for A { }",
    ),
    (
        "the same parameter in two places",
        "trait Eq<T> { } struct A { } struct B { }
         impl<T> Eq<T> for T { } impl Eq<B> for A { } impl Eq<A> for A { }",
    ),
    (
        "references, tuples, slices and scalars",
        "trait Foo { } struct A { }
         impl<'a, T> Foo for &'a T { } impl<'a> Foo for &'a mut A { } impl Foo for (A, u32) { }
         impl<T> Foo for (T, T) { } impl Foo for [A] { } impl Foo for u32 { } impl Foo for i32 { }",
    ),
    (
        "projections in impl headers",
        "trait Iterator { type Item; } trait Foo { } struct A { } struct B { }
         impl Iterator for A { type Item = B; }
         impl<T> Foo for <T as Iterator>::Item where T: Iterator { } impl Foo for B { }",
    ),
    (
        "negative impls and upstream types",
        "#[auto] trait Send { } #[upstream] struct Rc<T> { } struct A { }
         impl<T> !Send for Rc<T> { } impl !Send for A { } impl Send for Rc<A> { }",
    ),
    (
        "marker traits may overlap",
        "#[marker] trait Marker { } struct A { } impl Marker for A { } impl<T> Marker for T { }",
    ),
];

#[test]
fn the_overlap_check_agrees_with_chalk_on_specialization_and_blanket_impls() {
    for (name, text) in SPECIALIZATION_AND_BLANKETS {
        let program = lower(text, Design::Explicit).unwrap_or_else(|| panic!("{name} lowers"));
        assert_same_verdicts(name, &program);
    }
    for (name, text) in [
        ("generated blanket impls", generate::blanket(150)),
        ("a generated overlap", generate::flat_with_overlap(150, 17)),
        ("generated associated types", generate::assoc_types(150)),
    ] {
        let program = lower(&text, Design::Explicit).unwrap();
        assert_same_verdicts(name, &program);
    }
}

#[test]
fn a_chain_of_specializations_is_reported_as_chalk_reports_it() {
    let program = lower(SPECIALIZATION_AND_BLANKETS[0].1, Design::Explicit).unwrap();
    let foo = program.trait_id_by_name("Foo").unwrap();
    assert_eq!(
        overlap_verdict(&program, foo),
        OverlapVerdict::ChalkWouldPanic("assertion failed: old_value.is_none()".into())
    );
}

/// Whether two types have the same outermost constructor, ignoring what is
/// inside: chalk-integration's rule for an auto trait impl that replaces
/// the automatic one, written out case by case as `impl_provided_for` did
/// before the index.
fn same_head(a: &chalk_ir::TyKind<Ir>, b: &chalk_ir::TyKind<Ir>) -> bool {
    use chalk_ir::TyKind as K;
    match (a, b) {
        (K::Adt(x, _), K::Adt(y, _)) => x == y,
        (K::AssociatedType(x, _), K::AssociatedType(y, _)) => x == y,
        (K::Scalar(x), K::Scalar(y)) => x == y,
        (K::Str, K::Str) => true,
        (K::Tuple(x, _), K::Tuple(y, _)) => x == y,
        (K::OpaqueType(x, _), K::OpaqueType(y, _)) => x == y,
        (K::Slice(_), K::Slice(_)) => true,
        (K::FnDef(x, _), K::FnDef(y, _)) => x == y,
        (K::Ref(x, _, _), K::Ref(y, _, _)) => x == y,
        (K::Raw(x, _), K::Raw(y, _)) => x == y,
        (K::Never, K::Never) => true,
        (K::Array(_, _), K::Array(_, _)) => true,
        (K::Closure(x, _), K::Closure(y, _)) => x == y,
        (K::Coroutine(x, _), K::Coroutine(y, _)) => x == y,
        (K::CoroutineWitness(x, _), K::CoroutineWitness(y, _)) => x == y,
        (K::Foreign(x), K::Foreign(y)) => x == y,
        (K::Error, K::Error) => true,
        _ => false,
    }
}

/// Rule impl-index-exact: on every program of the corpus, the indexed
/// lookups return what a scan of every impl returns, in the same order, for
/// the self type of every impl and of every ADT, a scalar, and an unknown;
/// and an impl is provided for an auto trait exactly when a scan finds one
/// with the same outermost constructor.
#[test]
fn the_impl_index_answers_as_a_scan_of_every_impl() {
    use chalk_ir::could_match::CouldMatch;
    use chalk_ir::{
        BoundVar, CanonicalVarKinds, DebruijnIndex, GenericArg, Scalar, Substitution, TyKind,
        UintTy,
    };
    let mut files = Vec::new();
    corpus(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../programs"),
        &mut files,
    );
    let mut lookups = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let Some(program) = lower(&text, Design::Explicit) else {
            continue;
        };
        chalkboard_lowering::with_program(&program, || {
            let db: &Program = &program;
            let impls: Vec<_> = program.impl_ids().map(|(id, _)| id).collect();
            let mut self_types: Vec<chalk_ir::Ty<Ir>> = impls
                .iter()
                .map(|&id| {
                    db.impl_datum(id)
                        .binders
                        .skip_binders()
                        .trait_ref
                        .self_type_parameter(Ir)
                })
                .collect();
            self_types.extend(
                program
                    .adt_ids()
                    .map(|id| TyKind::Adt(id, Substitution::empty(Ir)).intern(Ir)),
            );
            self_types.push(TyKind::Scalar(Scalar::Uint(UintTy::U32)).intern(Ir));
            self_types
                .push(TyKind::BoundVar(BoundVar::new(DebruijnIndex::INNERMOST, 0)).intern(Ir));
            for trait_id in program.trait_ids() {
                let arity = db.trait_datum(trait_id).binders.len(Ir);
                let scanned_local: Vec<_> = program
                    .impl_ids()
                    .filter(|&(id, local)| local && db.impl_datum(id).trait_id() == trait_id)
                    .map(|(id, _)| id)
                    .collect();
                assert_eq!(db.local_impls_to_coherence_check(trait_id), scanned_local);
                for self_ty in &self_types {
                    // The trait's other parameters are left unknown.
                    let params: Vec<GenericArg<Ir>> = std::iter::once(self_ty.clone().cast(Ir))
                        .chain((1..arity).map(|i| {
                            TyKind::BoundVar(BoundVar::new(DebruijnIndex::INNERMOST, i))
                                .intern(Ir)
                                .cast(Ir)
                        }))
                        .collect();
                    let scanned: Vec<_> = impls
                        .iter()
                        .copied()
                        .filter(|&id| {
                            let datum = db.impl_datum(id);
                            let trait_ref = &datum.binders.skip_binders().trait_ref;
                            trait_ref.trait_id == trait_id
                                && trait_ref.substitution.len(Ir) == params.len()
                                && params.as_slice().could_match(
                                    Ir,
                                    db.unification_database(),
                                    trait_ref.substitution.as_slice(Ir),
                                )
                        })
                        .collect();
                    let indexed =
                        db.impls_for_trait(trait_id, &params, &CanonicalVarKinds::empty(Ir));
                    assert_eq!(indexed, scanned, "{}: {self_ty:?}", path.display());
                    let provided = impls.iter().any(|&id| {
                        let datum = db.impl_datum(id);
                        datum.trait_id() == trait_id
                            && same_head(
                                datum
                                    .binders
                                    .skip_binders()
                                    .trait_ref
                                    .self_type_parameter(Ir)
                                    .kind(Ir),
                                self_ty.kind(Ir),
                            )
                    });
                    assert_eq!(
                        db.impl_provided_for(trait_id, self_ty.kind(Ir)),
                        provided,
                        "{}: {self_ty:?}",
                        path.display()
                    );
                    lookups += 1;
                }
            }
        });
    }
    assert!(lookups > 1000, "only {lookups} lookups compared");
}

/// Rule check-deadline: a check phase stopped by its deadline ends soon
/// after it and says which check it was on and how far it got.
#[test]
fn a_check_stopped_by_its_deadline_says_how_far_it_got() {
    let program = lower(&generate::assoc_types(20_000), Design::Explicit).unwrap();
    let limits = Limits {
        timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let start = Instant::now();
    let diagnostics = check_program(&program, &limits);
    let took = start.elapsed();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d.code.name, "check-timeout");
    assert!(d.message.contains("(0.3 s)"), "{}", d.message);
    let label = &d.primary.message;
    assert!(label.starts_with("stopped at "), "{label}");
    let (_, count) = label.split_once(": ").expect("a count follows the check");
    let words: Vec<&str> = count.split(' ').collect();
    assert_eq!(words[1], "of", "{label}");
    assert!(label.ends_with(" checked"), "{label}");
    let done: usize = words[0].replace(',', "").parse().unwrap();
    let total: usize = words[2].replace(',', "").parse().unwrap();
    // Where it stopped depends on the machine: any phase will do, as long
    // as the count is one.
    assert!(done <= total, "{label}");
    // The deadline plus the grace period, with room for a loaded machine.
    assert!(
        took < Duration::from_secs(3),
        "the stopped check took {took:?}"
    );
}

/// Rule check-deadline covers the conditional bounds' checks too, which run
/// goal by goal after well-formedness: they stop at the phase's deadline and
/// say where.
#[test]
fn the_conditional_bounds_stop_at_the_deadline_of_the_check_phase() {
    use chalkboard_solver::solve::PhaseDeadline;
    let text = generate::async_fn(50);
    let db = Database::new(Arc::new(DesignLayer));
    let source = SourceFile::new(&db, text.clone(), Language::Chalk);
    let rewrite = db::Rewrite::new(&db, Design::Implied.name());
    let rewritten = db::rewritten(&db, source, rewrite);
    let file = &rewritten.program;
    let program = lower(&text, Design::Implied).unwrap();
    let check = |phase: &Arc<PhaseDeadline>| {
        phase.run(|| {
            chalkboard_designs::obligations::check(
                file,
                None,
                &rewritten.applied,
                &program,
                Implication::Assume,
                Design::Implied,
                &Limits::default(),
            )
        })
    };
    let obligations = |report: &chalkboard_solver::layer::LayerReport| {
        report
            .checks
            .iter()
            .filter(|c| c.kind == chalkboard_designs::obligations::KIND)
            .count()
    };
    // With time to spare, every impl of `Service` is checked.
    let phase = PhaseDeadline::new(Instant::now() + Duration::from_secs(600));
    let report = check(&phase);
    assert_eq!(phase.stopped_at(), None);
    assert_eq!(obligations(&report), 50);
    // With the deadline already passed, nothing is.
    let phase = PhaseDeadline::new(Instant::now());
    let report = check(&phase);
    assert_eq!(phase.stopped_at(), Some((0, file.items.len())));
    assert_eq!(obligations(&report), 0);
}

/// Rule deadline-stops-the-thread: after a goal times out, its solver
/// thread stops, so the process idles and exits. Run in a child process of
/// this test binary, so that no other test's solvers are counted.
#[test]
fn a_timed_out_solver_stops_and_the_process_exits() {
    const CHILD: &str = "CHALKBOARD_SCALE_TEST_CHILD";
    if std::env::var_os(CHILD).is_some() {
        timed_out_solver_child();
        return;
    }
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_timed_out_solver_stops_and_the_process_exits",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the child process did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(status.success(), "{out}");
    assert!(out.contains("idle cpu: "), "{out}");
}

/// The process's CPU time so far, in clock ticks (user and system).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn timed_out_solver_child() {
    use chalkboard_solver::solve::{guarded, DeadlineDb};
    let program = lower("trait P { } struct S { }", Design::Explicit).unwrap();
    // A solve that never checks its own deadline but reads the program, as
    // chalk's checks and solvers do: it stops at its first read after the
    // deadline.
    let shared = Arc::clone(&program);
    let outcome = guarded(Instant::now() + Duration::from_millis(200), move || {
        let db = DeadlineDb::new(&shared, Instant::now() + Duration::from_millis(200));
        loop {
            let _ = chalk_solve::RustIrDatabase::custom_clauses(&db);
        }
    });
    assert!(outcome.is_none(), "the endless solve timed out");
    // Let the stopped thread unwind, then measure a second of idling.
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks();
    std::thread::sleep(Duration::from_secs(1));
    let idle = cpu_ticks() - before;
    println!("idle cpu: {idle} ticks");
    // A solver still looping would use a whole second (100 ticks).
    assert!(idle < 30, "the process used {idle} ticks while idle");
    // The next goal runs as usual.
    let report = chalkboard_solver::run_source(
        "trait P { } struct S { } impl P for S { } goal { S: P } yields { \"Unique\" }",
        &RunOptions::default(),
    );
    assert!(report.all_hold());
    // A solve that reads nothing cannot be stopped; it is left behind, and
    // the process still exits when the test returns.
    let outcome = guarded(Instant::now() + Duration::from_millis(100), || loop {
        std::hint::spin_loop();
    });
    assert!(outcome.is_none());
}
