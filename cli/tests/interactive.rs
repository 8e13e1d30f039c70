//! The interactive commands: `chalkboard repl` driven through a pipe, and
//! `run --watch` seeing a saved edit.

mod common;

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::scratch_file;

/// A program to load: a trait with an `async fn` and a type without an
/// impl yet.
const SCENARIO: &str = "\
use prelude::*;

trait HealthCheck {
    async fn check(&mut self) -> bool;
}

struct PingCheck { }
";

/// What the session types: load, ask, add an impl over several lines, ask
/// again, switch design, explain, compare, bad lines, quit (and a line
/// after `:quit` that is never read).
const SESSION: &str = "\
PingCheck: HealthCheck
impl HealthCheck for PingCheck {
    async fn check(&mut self) -> bool { }
}
?- PingCheck: HealthCheck
forall<H> { if (H: HealthCheck; H: Send) { H::check(..): Send } }
:design implied
forall<H> { if (H: HealthCheck; H: Send) { H::check(..): Send } }
:explain
Nope: HealthCheck
impl HealthCheck for
:design sideways
:bogus
:compare
:undo
PingCheck: HealthCheck
:help
:quit
PingCheck: HealthCheck
";

#[test]
fn a_piped_session_loads_asks_adds_switches_explains_and_survives_bad_lines() {
    let path = scratch_file("repl-session", "scenario.chalk", SCENARIO);
    let mut child = Command::new(env!("CARGO_BIN_EXE_chalkboard"))
        .args(["repl", "--echo", "scenario.chalk"])
        .current_dir(path.parent().unwrap())
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
        .write_all(SESSION.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The verdicts the transcript must show, whatever else it says.
    let after = |marker: &str| stdout.split(marker).nth(1).unwrap_or_default().to_string();
    assert!(after("> PingCheck: HealthCheck").starts_with(
        "\nscenario.chalk:8:1: goal { PingCheck: HealthCheck }\n    slg: No possible solution"
    ));
    assert!(after("> ?- PingCheck: HealthCheck").contains("slg: Unique"));
    assert!(
        !stdout.contains("> :quit\nscenario.chalk"),
        "a line after `:quit` ran"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.bind(|| insta::assert_snapshot!("repl_transcript", stdout));
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

#[test]
fn run_watch_runs_again_when_the_file_is_saved() {
    let program = "struct Foo { }\ntrait Show { }\ngoal { Foo: Show }\n";
    let path = scratch_file("run-watch", "watched.chalk", program);
    let child = Command::new(env!("CARGO_BIN_EXE_chalkboard"))
        .args(["run", "--watch", "watched.chalk"])
        .current_dir(path.parent().unwrap())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the chalkboard binary runs");
    let output = Output::spawn(child);
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
    let child = Command::new(env!("CARGO_BIN_EXE_chalkboard"))
        .args(["compare", "--watch", "watched.chalk"])
        .current_dir(path.parent().unwrap())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the chalkboard binary runs");
    let output = Output::spawn(child);
    let first = output.wait_for("[goal] PingCheck: HealthCheck");
    assert!(!first.contains("holds: Unique"), "{first}");
    std::fs::write(
        &path,
        format!("{program}impl HealthCheck for PingCheck {{\n    async fn check(&mut self) -> bool {{ }}\n}}\n"),
    )
    .unwrap();
    output.wait_for("holds: Unique");
}
