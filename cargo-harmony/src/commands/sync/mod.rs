//! `cargo harmony sync`: every crate's `config-schema/<KEY>.schema.json`, and the workspace's
//! `CONFIG.md` and `.env.example`.
//!
//! Everything is computed in memory first ([`artifacts::plan`]), compared byte for byte with
//! what is on disk, and only then written ([`files`]) or, with `--check`, reported
//! ([`report`]). Generated files are recognised by the `@generated` marker they carry, never
//! by state under `target/`, so a fresh clone sees orphans too.

mod artifacts;
mod files;
mod layout;
mod render;
mod report;

use harmony_codegen::schema::Severity;

use artifacts::{Entry, Status};
use layout::{CONFIG_MD, ENV_EXAMPLE};
use report::SyncCounts;

use crate::cli::WorkspaceArgs;
use crate::error::{Error, Outcome};
use crate::output::Output;
use crate::workspace::Workspace;

/// Runs `sync`, or `sync --check` when `check` is set.
pub(crate) fn run(
    workspace: &Workspace,
    args: &WorkspaceArgs,
    check: bool,
    out: &Output,
) -> Result<Outcome, Error> {
    let command = if check { "sync --check" } else { "sync" };
    diagnostics(workspace, command, out)?;
    let whole_workspace = args.packages.is_empty();
    if !whole_workspace {
        note!(
            "note: {CONFIG_MD} and {ENV_EXAMPLE} describe the whole workspace, so `-p` leaves them alone"
        );
    }
    let plan = artifacts::plan(workspace, whole_workspace)?;
    if check {
        check_plan(&plan, args, out)
    } else {
        apply(&plan, out)
    }
}

/// Prints the warnings; the errors stop the command before anything is computed or written.
fn diagnostics(workspace: &Workspace, command: &str, out: &Output) -> Result<(), Error> {
    for problem in &workspace.problems {
        report::diagnostic(out, problem)?;
        if problem.severity == Severity::Warning {
            note!("{problem}");
        }
    }
    let errors = workspace.errors();
    if errors.is_empty() {
        return Ok(());
    }
    let count = match errors.len() {
        1 => "1 error".to_owned(),
        n => format!("{n} errors"),
    };
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    Err(Error::Source(format!(
        "{command} stopped at {count}; nothing was written\n{}",
        lines.join("\n")
    )))
}

/// Writes what changed: removals first, so that on a case-insensitive file system a renamed
/// key's new file is not removed as the old one's orphan.
fn apply(plan: &[Entry], out: &Output) -> Result<Outcome, Error> {
    let mut counts = SyncCounts::default();
    for entry in plan.iter().filter(|e| e.status() == Status::Orphan) {
        files::remove(&entry.path)?;
        counts.removed += 1;
        report::artifact(out, entry, "removed")?;
    }
    for entry in plan.iter().filter(|e| e.status() != Status::Orphan) {
        if let (Some(wanted), Status::Missing | Status::Stale) = (&entry.wanted, entry.status()) {
            files::write_atomic(&entry.path, wanted.text.as_bytes())?;
            counts.written += 1;
            report::artifact(out, entry, "written")?;
        } else {
            counts.unchanged += 1;
            report::artifact(out, entry, "unchanged")?;
        }
    }
    report::sync_summary(out, &counts)?;
    Ok(Outcome::Clean)
}

/// Writes nothing: reports each missing, stale or orphan file, then the command that fixes them.
fn check_plan(plan: &[Entry], args: &WorkspaceArgs, out: &Output) -> Result<Outcome, Error> {
    let mut drift = 0;
    for entry in plan.iter().filter(|e| e.status() != Status::Unchanged) {
        drift += 1;
        report::drift(out, entry)?;
    }
    let fix = (drift > 0).then(|| report::fix_command(args));
    report::check_summary(out, plan, fix.as_deref())?;
    Ok(if drift == 0 {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
