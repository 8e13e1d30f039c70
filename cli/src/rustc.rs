//! rustc as an oracle for the explicit design: `chalkboard compare --rustc`
//! runs the rustc on `PATH` (or `$RUSTC`) on the same Rust file, as
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 rustc --edition 2024 --crate-type lib --emit=metadata -o <tmpdir>/out.rmeta --error-format=json FILE.rs
//! ```
//!
//! and reads its verdict and its errors. `RUSTC_BOOTSTRAP=1` lets a file
//! enable the feature gates it needs (`#![feature(return_type_notation)]`),
//! as a nightly rustc would; `--emit=metadata` stops after type checking
//! and borrow checking, which is all the oracle is asked about.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long rustc may take on one file before it is stopped.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// What rustc said about a file.
#[derive(Clone, Debug)]
pub struct RustcRun {
    /// rustc exited successfully.
    pub accepted: bool,
    /// Its errors, in the order it reported them.
    pub errors: Vec<RustcError>,
}

/// One error of rustc's, with its primary span.
#[derive(Clone, Debug)]
pub struct RustcError {
    /// `E0277`, when the error has a code.
    pub code: Option<String>,
    pub message: String,
    /// The file, line and column of the primary span (none for an error
    /// without a span).
    pub place: Option<(String, usize, usize)>,
}

impl RustcError {
    /// `error[E0277]: message`, as rustc's first line says it.
    pub fn headline(&self) -> String {
        match &self.code {
            Some(code) => format!("error[{code}]: {}", self.message),
            None => format!("error: {}", self.message),
        }
    }

    /// `--> file:line:col`, as rustc's second line says it.
    pub fn arrow(&self) -> Option<String> {
        self.place
            .as_ref()
            .map(|(file, line, column)| format!("--> {file}:{line}:{column}"))
    }
}

impl RustcRun {
    /// The verdict and the first error, on one line: `accepted`, or
    /// `rejected: error[E0277]: .. --> file:line:col`.
    pub fn summary(&self) -> String {
        if self.accepted {
            return "accepted".to_string();
        }
        match self.errors.first() {
            Some(e) => match e.arrow() {
                Some(arrow) => format!("rejected: {} {arrow}", e.headline()),
                None => format!("rejected: {}", e.headline()),
            },
            None => "rejected".to_string(),
        }
    }
}

/// The rustc to run: `$RUSTC` when it is set, else `rustc` if `PATH` has one.
pub fn find() -> Option<PathBuf> {
    if let Some(rustc) = std::env::var_os("RUSTC").filter(|r| !r.is_empty()) {
        return Some(PathBuf::from(rustc));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(format!("rustc{}", std::env::consts::EXE_SUFFIX)))
        .find(|candidate| candidate.is_file())
}

/// Runs `rustc` on `file` and reads its verdict and errors; an error
/// message when rustc could not be run or did not finish in time.
pub fn run(rustc: &Path, file: &Path) -> Result<RustcRun, String> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let out_dir = std::env::temp_dir().join(format!(
        "chalkboard-rustc-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create `{}`: {e}", out_dir.display()))?;
    let result = run_in(rustc, file, &out_dir);
    let _ = std::fs::remove_dir_all(&out_dir);
    result
}

fn run_in(rustc: &Path, file: &Path, out_dir: &Path) -> Result<RustcRun, String> {
    let mut child = Command::new(rustc)
        .env("RUSTC_BOOTSTRAP", "1")
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--emit=metadata",
        ])
        .arg("-o")
        .arg(out_dir.join("out.rmeta"))
        .arg("--error-format=json")
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{}`: {e}", rustc.display()))?;
    // rustc's diagnostics are read on a thread of their own, so that a full
    // pipe never stalls rustc while this thread watches the deadline.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "rustc did not finish within {} seconds",
                    DEADLINE.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for rustc: {e}")),
        }
    };
    let stderr = reader.join().unwrap_or_default();
    Ok(RustcRun {
        accepted: status.success(),
        errors: stderr.lines().filter_map(error_of_line).collect(),
    })
}

/// The error a line of rustc's JSON output reports, if it is one (the
/// closing "aborting due to .." summary is not an error of the program).
fn error_of_line(line: &str) -> Option<RustcError> {
    let message: Value = serde_json::from_str(line).ok()?;
    if message["level"].as_str()? != "error" {
        return None;
    }
    let text = message["message"].as_str()?.to_string();
    let spans = message["spans"].as_array().cloned().unwrap_or_default();
    if spans.is_empty() && text.starts_with("aborting due to") {
        return None;
    }
    let primary = spans
        .iter()
        .find(|s| s["is_primary"].as_bool() == Some(true))
        .or(spans.first());
    let place = primary.and_then(|s| {
        Some((
            s["file_name"].as_str()?.to_string(),
            s["line_start"].as_u64()? as usize,
            s["column_start"].as_u64()? as usize,
        ))
    });
    Some(RustcError {
        code: message["code"]["code"].as_str().map(str::to_string),
        message: text,
        place,
    })
}
