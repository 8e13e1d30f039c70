//! The design programs compared side by side: `chalkboard compare --verbose`
//! of every `programs/designs/*.chalk` is snapshotted into `snapshots/`
//! (one row per check, one column per design, with the diagnostic behind
//! every failing cell).
//!
//! This is its own test binary because insta's `glob!` keeps per-process
//! state that two concurrent globs would share.

mod common;
use common::*;

#[test]
fn design_comparisons() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../programs/designs", "*.chalk", |path| {
            let rel = relative(path);
            let run = run_chalkboard(&["compare", "--verbose", &rel]);
            insta::assert_snapshot!(format!("exit code: {}\n{}", run.code, run.stdout));
        });
    });
}
