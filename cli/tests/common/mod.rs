//! Helpers shared by the CLI's test binaries (each uses a subset): the one
//! way to run the binary, the one walker over the corpus, and scratch files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root, where `programs/`, `docs/` and `snapshots/` live.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A path relative to the workspace root, with `/` separators, as the CLI
/// prints it when run from the root.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every file under `dir` (recursively) whose extension is one of
/// `extensions`, sorted.
///
/// It panics when it finds none, so that a test over a directory cannot pass
/// because the directory is empty or was moved.
pub fn corpus_files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
            {
                files.push(path);
            }
        }
    }
    assert!(
        !files.is_empty(),
        "no {extensions:?} files under {}",
        dir.display()
    );
    files.sort();
    files
}

/// Every `.chalk` program of the corpus (`programs/`), sorted.
pub fn chalk_programs() -> Vec<PathBuf> {
    corpus_files(&workspace_root().join("programs"), &["chalk"])
}

/// Every Rust program of the corpus (`programs/**/*.rs`), sorted.
pub fn rust_programs() -> Vec<PathBuf> {
    corpus_files(&workspace_root().join("programs"), &["rs"])
}

/// What one run of the binary printed, and its exit code (`-1` when a
/// signal ended it).
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// One run of the chalkboard binary, by default from the workspace root with
/// `NO_COLOR=1`, so that paths and text in its output are stable.
pub struct Chalkboard {
    command: Command,
}

impl Chalkboard {
    pub fn new(args: &[&str]) -> Chalkboard {
        let mut command = Command::new(env!("CARGO_BIN_EXE_chalkboard"));
        command
            .args(args)
            .current_dir(workspace_root())
            .env("NO_COLOR", "1");
        Chalkboard { command }
    }

    /// Runs in `dir` instead of the workspace root.
    pub fn in_dir(mut self, dir: &Path) -> Chalkboard {
        self.command.current_dir(dir);
        self
    }

    /// Sets an environment variable (`value: None` removes it).
    pub fn env(mut self, key: &str, value: Option<&str>) -> Chalkboard {
        match value {
            Some(value) => self.command.env(key, value),
            None => self.command.env_remove(key),
        };
        self
    }

    pub fn run(mut self) -> Run {
        let out = self.command.output().expect("the chalkboard binary runs");
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

/// Runs the chalkboard binary from the workspace root with `NO_COLOR=1`.
pub fn run_chalkboard(args: &[&str]) -> Run {
    Chalkboard::new(args).run()
}

/// A scratch directory for one test, under cargo's temporary directory for
/// integration tests; `name` must be unique among the tests of the workspace.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("the scratch directory can be created");
    dir
}

/// Writes `text` to `file` in the scratch directory `dir` and returns its
/// path.
pub fn scratch_file(dir: &str, file: &str, text: &str) -> PathBuf {
    let path = scratch_dir(dir).join(file);
    std::fs::write(&path, text).expect("the scratch directory is writable");
    path
}

/// The fenced blocks of a Markdown text, as (info string, body).
pub fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match &mut current {
            None => {
                if let Some(info) = line.trim_start().strip_prefix("```") {
                    current = Some((info.trim().to_string(), String::new()));
                }
            }
            Some((_, body)) => {
                if line.trim_start().starts_with("```") {
                    blocks.push(current.take().unwrap());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    blocks
}
