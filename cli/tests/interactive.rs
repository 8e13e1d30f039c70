//! The interactive commands: `chalkboard repl` driven through a pipe, and
//! `run --watch` seeing a saved edit.

mod common;

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{relative, scratch_file, workspace_root};

/// Each `programs/repl/NAME.session` is typed into `chalkboard repl` with
/// `NAME.chalk` loaded, through a pipe, and the transcript is snapshotted.
/// `health_check.session` loads, asks, adds an impl over several lines, asks
/// again, switches design, explains, compares, types bad lines and quits
/// (with a line after `:quit` that is never read).
#[test]
fn repl_sessions() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../programs/repl", "*.session", |path| {
            let session = std::fs::read_to_string(path).unwrap();
            let program = relative(&path.with_extension("chalk"));
            let (stdout, code) = repl(&program, &session);
            assert_eq!(code, Some(0));
            insta::assert_snapshot!(stdout);
        });
    });
}

/// Types `session` into `chalkboard repl --echo PROGRAM`, run from the
/// workspace root: what it printed, and its exit code.
fn repl(program: &str, session: &str) -> (String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chalkboard"))
        .args(["repl", "--echo", program])
        .current_dir(workspace_root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chalkboard binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(session.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
    )
}

#[test]
fn a_session_sees_an_added_impl_and_a_switched_design() {
    let program = "programs/repl/health_check.chalk";
    let goal = "forall<H> { if (H: HealthCheck; H: Send) { H::check(..): Send } }";
    let session = format!(
        "PingCheck: HealthCheck\nimpl HealthCheck for PingCheck {{\n    async fn check(&mut self) -> bool {{ }}\n}}\nPingCheck: HealthCheck\n{goal}\n:design implied\n{goal}\n:quit\nPingCheck: Nope\n"
    );
    let (stdout, code) = repl(program, &session);
    assert_eq!(code, Some(0));
    let answers: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("slg: "))
        .collect();
    // Before the impl, after it, then the goal under explicit and implied;
    // nothing after `:quit`.
    assert_eq!(
        answers,
        [
            "No possible solution",
            "Unique",
            "No possible solution",
            "Unique"
        ],
        "{stdout}"
    );
}

/// Reads a child's stdout on a thread, so the test can poll what it has
/// printed so far.
struct Output {
    child: Child,
    seen: Arc<Mutex<String>>,
}

impl Output {
    fn spawn(mut child: Child) -> Output {
        let mut stdout = child.stdout.take().unwrap();
        let seen = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Output { child, seen }
    }

    /// Waits until the output holds `text` (polling, with a generous
    /// bound so that a loaded machine does not fail the test), and
    /// returns the output so far.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let seen = self.seen.lock().unwrap().clone();
            if seen.contains(text) {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the output after 120 s; it printed:\n{seen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `chalkboard COMMAND --watch` on the file at `path`, run from its folder,
/// its output read as it comes.
fn watch(command: &str, path: &std::path::Path) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_chalkboard"))
        .args([command, "--watch", "watched.chalk"])
        .current_dir(path.parent().unwrap())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the chalkboard binary runs");
    Output::spawn(child)
}

#[test]
fn run_watch_runs_again_when_the_file_is_saved() {
    let program = "struct Foo { }\ntrait Show { }\ngoal { Foo: Show }\n";
    let path = scratch_file("run-watch", "watched.chalk", program);
    let output = watch("run", &path);
    let first = output.wait_for("1 file(s), 1 goal(s)");
    assert!(first.contains("slg: No possible solution"), "{first}");
    // Save the edit as editors do: a new file renamed over the old one.
    let edited = path.with_extension("chalk.new");
    std::fs::write(&edited, format!("{program}impl Show for Foo {{ }}\n")).unwrap();
    std::fs::rename(&edited, &path).unwrap();
    let second = output.wait_for("slg: Unique");
    let runs = second.matches("1 file(s), 1 goal(s)").count();
    assert!(runs >= 2, "the second run printed no summary:\n{second}");
    assert!(
        !second.contains('\u{1b}'),
        "the screen is cleared only on a terminal"
    );
}

#[test]
fn compare_watch_compares_again_when_the_file_is_saved() {
    let program = "use prelude::*;\ntrait HealthCheck {\n    async fn check(&mut self) -> bool;\n}\nstruct PingCheck { }\ngoal { PingCheck: HealthCheck }\n";
    let path = scratch_file("compare-watch", "watched.chalk", program);
    let output = watch("compare", &path);
    let first = output.wait_for("[goal] PingCheck: HealthCheck");
    assert!(!first.contains("holds: Unique"), "{first}");
    std::fs::write(
        &path,
        format!("{program}impl HealthCheck for PingCheck {{\n    async fn check(&mut self) -> bool {{ }}\n}}\n"),
    )
    .unwrap();
    output.wait_for("holds: Unique");
}
