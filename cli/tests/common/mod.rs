//! Helpers shared by the CLI's test binaries (each uses a subset).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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

/// Every `.chalk` file under `dir`, recursively, sorted.
pub fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "chalk") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs the chalkboard binary from the workspace root, without colour, so
/// paths and text in its output are stable.
pub fn run_chalkboard(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_chalkboard"))
        .args(args)
        .current_dir(workspace_root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the chalkboard binary runs")
}
