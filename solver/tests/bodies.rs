//! The body checker under limits: a question of the type inference that
//! chalk does not answer (here, a deadline that has passed before it is
//! asked) leaves a type unknown, and the errors that follow say so rather
//! than pass for errors in the body.

use std::sync::Arc;
use std::time::Duration;

use chalkboard_solver::db::{self, Database, Language, SourceFile};
use chalkboard_solver::Limits;

const PROGRAM: &str = r#"
pub trait Source { type Item; fn take(&mut self) -> Self::Item; }
pub struct Numbers;
impl Source for Numbers { type Item = u32; fn take(&mut self) -> u32 { 1 } }
pub fn f(mut n: Numbers) -> u32 { let x = n.take(); x }
"#;

#[test]
fn errors_after_an_unanswered_question_say_so() {
    let db = Database::default();
    let file = SourceFile::new(&db, PROGRAM.to_string(), Language::Rust);
    let rewrite = db::Rewrite::new(&db, "");
    let tree = &db::rewritten(&db, file, rewrite).program;
    let (program, diagnostics) = db::lowered_items(&db, file, rewrite);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let program = Arc::clone(&program.as_ref().expect("the items lower").0);
    let limits = |timeout| Limits {
        timeout,
        ..Limits::default()
    };
    // With time to answer, the body type-checks.
    let facts =
        chalkboard_solver::bodies::check_bodies(tree, &program, &limits(Duration::from_secs(60)));
    assert!(facts.diagnostics.is_empty(), "{:?}", facts.diagnostics);
    // Without, `<Numbers as Source>::Item` is not normalized to `u32`, and
    // the error says why it may be wrong.
    let facts =
        chalkboard_solver::bodies::check_bodies(tree, &program, &limits(Duration::from_nanos(1)));
    assert!(
        !facts.diagnostics.is_empty(),
        "the projection needs chalk's answer"
    );
    for d in &facts.diagnostics {
        assert!(
            d.notes
                .iter()
                .any(|n| n.contains("chalk did not answer a question")),
            "{d:?}"
        );
    }
}
