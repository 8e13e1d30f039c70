//! `run --watch` and `compare --watch`: run again whenever a file is saved.
//!
//! One database and one salsa input per file live as long as the watch, and
//! a save sets the file's text: the phases the edit does not touch keep
//! their memoized results (docs/performance.md, "Incremental runs").
//! notify's debouncer turns an editor's burst of events for one save (write,
//! rename, chmod) into one run.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chalkboard_solver::db::{Database, Language, SourceFile};
use chalkboard_solver::RunOptions;
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};
use salsa::Setter;

use crate::program::{self, RunPlan};
use crate::{CompareArgs, Exit, Format};

/// How long a burst of events for one save may last.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// `run --watch FILE...` (and `check --watch`).
/// Each file runs with the plan `plan_of` gives it (`--filter` keeps some
/// files whole and only some goals of others).
pub fn run(
    paths: &[PathBuf],
    plan_of: impl Fn(&Path) -> RunPlan,
    check_only: bool,
    format: Format,
    color: bool,
) -> Exit {
    watch(paths, |db, files| {
        let mut results = Vec::new();
        for (path, file) in files {
            if let Some(file) = file {
                let (these, _) =
                    program::file_results(db, *file, &path.display().to_string(), &plan_of(path));
                results.extend(these);
            }
        }
        match format {
            Format::Text => crate::text::render(&results, color, check_only),
            Format::Json => crate::json::render(&results),
        }
    })
}

/// `compare --watch FILE...`.
/// `files` are the files `compare` found in the paths it was given.
pub fn compare(args: &CompareArgs, files: &[PathBuf], options: &RunOptions) -> Exit {
    let rustc = args.rustc.then(crate::rustc::find);
    watch(files, |db, files| {
        let mut out = String::new();
        let mut docs = Vec::new();
        let mut stderr = String::new();
        for (path, file) in files {
            if let Some(file) = file {
                crate::compare::file_table(
                    args,
                    options,
                    rustc.as_ref(),
                    db,
                    *file,
                    path,
                    &mut out,
                    &mut docs,
                    &mut stderr,
                );
            }
        }
        eprint!("{stderr}");
        crate::compare::finish(args.format, &mut out, docs);
        out
    })
}

/// Runs `render` on the files, then again after every save of one of
/// them, until the process is stopped. A file that cannot be read is said
/// on stderr and left out of that run; the watch goes on.
fn watch(
    paths: &[PathBuf],
    mut render: impl FnMut(&Database, &[(PathBuf, Option<SourceFile>)]) -> String,
) -> Exit {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = match new_debouncer(DEBOUNCE, tx) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot watch files: {e}");
            return Exit::Usage;
        }
    };
    // Editors save by writing a new file and renaming it over the old one,
    // which ends a watch on the file itself; a watch on its folder sees
    // every save.
    let mut folders: Vec<PathBuf> = paths.iter().map(|p| folder_of(p)).collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        if let Err(e) = debouncer
            .watcher()
            .watch(folder, RecursiveMode::NonRecursive)
        {
            eprintln!("error: cannot watch `{}`: {e}", folder.display());
            return Exit::Usage;
        }
    }
    let watched: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let mut db = program::kept_database();
    let mut files: Vec<(PathBuf, Option<SourceFile>)> =
        paths.iter().map(|p| (p.clone(), None)).collect();
    reload(&mut db, &mut files);
    let terminal = std::io::stdout().is_terminal();
    loop {
        let out = render(&db, &files);
        if terminal {
            // Clear the screen and go home, so each run reads from the top.
            crate::print_out("\x1b[2J\x1b[H");
        }
        crate::print_out(&out);
        eprintln!(
            "-- watching {} file(s); a save runs again, Ctrl-C stops --",
            paths.len()
        );
        // Wait for a burst of events after which one of the files reads
        // differently: reading a file is an event too, and must not start
        // a run.
        loop {
            match rx.recv() {
                Ok(Ok(events)) => {
                    if events.iter().any(|e| watched.contains(&absolute(&e.path)))
                        && reload(&mut db, &mut files)
                    {
                        break;
                    }
                }
                Ok(Err(e)) => eprintln!("error: watching files: {e}"),
                Err(_) => return Exit::Usage,
            }
        }
    }
}

/// Reads every file again and sets the text of each that changed; whether
/// one did. A file that cannot be read is said on stderr and keeps the text
/// it had.
fn reload(db: &mut Database, files: &mut [(PathBuf, Option<SourceFile>)]) -> bool {
    let mut changed = false;
    for (path, file) in files {
        let Some(text) = crate::read_source(path) else {
            continue;
        };
        match file {
            Some(f) if *f.text(db) != text => {
                f.set_text(db).to(text);
                changed = true;
            }
            Some(_) => {}
            None => {
                *file = Some(SourceFile::new(db, text, Language::of_path(path)));
                changed = true;
            }
        }
    }
    changed
}

/// The folder a file is in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match absolute(path).parent() {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    }
}

/// The path made absolute and its folder's links resolved, so that the
/// watcher's paths and the user's compare equal.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map(|p| p.join(name))
            .unwrap_or(path.clone()),
        _ => path,
    }
}
