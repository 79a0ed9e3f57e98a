//! What `sync` and `sync --check` print: lines for people, or JSON lines for tools, on stdout.

use harmony_codegen::schema::{Problem, Severity};
use similar::TextDiff;

use super::artifacts::{Entry, Status};
use crate::cli::WorkspaceArgs;
use crate::error::Error;
use crate::output::{Message, Output};

/// How many lines of a stale file's diff `--check` shows.
const DIFF_LINES: usize = 40;

/// What `sync` did.
#[derive(Default)]
pub(super) struct SyncCounts {
    pub(super) written: usize,
    pub(super) removed: usize,
    pub(super) unchanged: usize,
}

/// A warning or error, as a JSON line; people read them on stderr.
pub(super) fn diagnostic(out: &Output, problem: &Problem) -> Result<(), Error> {
    let level = match problem.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let message = Message::Diagnostic {
        level: level.to_owned(),
        file: problem.file.to_string_lossy().into_owned(),
        line: problem.line,
        column: problem.column,
        message: problem.message.clone(),
    };
    out.emit(&message, "")
}

/// One file `sync` wrote, removed or left unchanged; people see only the first two.
pub(super) fn artifact(out: &Output, entry: &Entry, status: &str) -> Result<(), Error> {
    let human = match status {
        "written" => format!("wrote {}", entry.display),
        "removed" => format!("removed {}", entry.display),
        _ => String::new(),
    };
    let message = Message::Artifact {
        path: entry.display.clone(),
        status: status.to_owned(),
        origin: entry.origin().cloned(),
    };
    out.emit(&message, &human)
}

pub(super) fn sync_summary(out: &Output, counts: &SyncCounts) -> Result<(), Error> {
    let files = if counts.written == 1 { "file" } else { "files" };
    let human = format!(
        "sync: {} {files} written, {} removed, {} unchanged",
        counts.written, counts.removed, counts.unchanged
    );
    let message = Message::SyncSummary {
        written: counts.written,
        removed: counts.removed,
        unchanged: counts.unchanged,
    };
    out.emit(&message, &human)
}

/// A file that is missing, stale or an orphan: for a stale one, the diff from what is on
/// disk to what `sync` would write.
pub(super) fn drift(out: &Output, entry: &Entry) -> Result<(), Error> {
    let status = entry.status();
    let diff = match (&entry.wanted, &entry.current) {
        (Some(wanted), Some(current)) if status == Status::Stale => {
            Some(unified_diff(&entry.display, current, &wanted.text))
        }
        _ => None,
    };
    let why = match entry.wanted.as_ref().map(|w| w.origin.as_ref()) {
        Some(Some(origin)) => format!(
            "from `{}` at {}, crate `{}`",
            origin.type_path, origin.source, origin.krate
        ),
        Some(None) => "lists every config of the workspace".to_owned(),
        None => "generated for a config that no longer exists; sync removes it".to_owned(),
    };
    let mut human = format!("{:<8} {}  ({why})", status.as_str(), entry.display);
    if let Some(diff) = &diff {
        human.push('\n');
        human.push_str(&capped(diff, DIFF_LINES));
    }
    let message = Message::Drift {
        path: entry.display.clone(),
        status: status.as_str().to_owned(),
        diff,
        origin: entry.origin().cloned(),
    };
    out.emit(&message, &human)
}

/// The totals, then, when anything drifted, the command that fixes it as the last line.
pub(super) fn check_summary(out: &Output, plan: &[Entry], fix: Option<&str>) -> Result<(), Error> {
    let count = |status: Status| plan.iter().filter(|e| e.status() == status).count();
    let (missing, stale, orphan) = (
        count(Status::Missing),
        count(Status::Stale),
        count(Status::Orphan),
    );
    let up_to_date = count(Status::Unchanged);
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let human = match fix {
        None => format!(
            "sync --check: {up_to_date} {} up to date",
            files(up_to_date)
        ),
        Some(fix) => format!(
            "sync --check: {} of {} {} out of date ({missing} missing, {stale} stale, {orphan} orphan)\nrun `{fix}` to update",
            missing + stale + orphan,
            plan.len(),
            files(plan.len())
        ),
    };
    let message = Message::CheckSummary {
        files: plan.len(),
        up_to_date,
        missing,
        stale,
        orphan,
        fix: fix.map(str::to_owned),
    };
    out.emit(&message, &human)
}

/// The unified diff from the bytes on disk to the text `sync` writes.
fn unified_diff(display: &str, current: &[u8], wanted: &str) -> String {
    let current = String::from_utf8_lossy(current);
    TextDiff::from_lines(current.as_ref(), wanted)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{display} (on disk)"),
            &format!("{display} (sync writes)"),
        )
        .to_string()
}

/// At most `max` lines of `text`, then how many more there are.
fn capped(text: &str, max: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= max {
        return lines.join("\n");
    }
    format!(
        "{}\n… {} more lines",
        lines[..max].join("\n"),
        lines.len() - max
    )
}

/// The `sync` command that fixes what `--check` found, with the `--manifest-path` and `-p`
/// flags it was given.
pub(super) fn fix_command(args: &WorkspaceArgs) -> String {
    let mut command = String::from("cargo harmony sync");
    if let Some(path) = &args.manifest_path {
        command.push_str(" --manifest-path ");
        command.push_str(&shell_word(&path.to_string_lossy()));
    }
    for package in &args.packages {
        command.push_str(" -p ");
        command.push_str(&shell_word(package));
    }
    command
}

/// `word` as one shell word: as is when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::cli::MessageFormat;

    #[test]
    fn the_fix_command_repeats_the_selection() {
        let args = WorkspaceArgs {
            manifest_path: Some(PathBuf::from("my dir/Cargo.toml")),
            packages: vec!["alpha".to_owned(), "beta".to_owned()],
            message_format: MessageFormat::Human,
        };
        assert_eq!(
            fix_command(&args),
            "cargo harmony sync --manifest-path 'my dir/Cargo.toml' -p alpha -p beta"
        );
        let plain = WorkspaceArgs {
            manifest_path: None,
            packages: Vec::new(),
            message_format: MessageFormat::Json,
        };
        assert_eq!(fix_command(&plain), "cargo harmony sync");
    }

    #[test]
    fn long_diffs_are_capped() {
        let lines = |step: usize| -> String {
            (0..100)
                .flat_map(|i| [(i * step).to_string(), "\n".to_owned()])
                .collect()
        };
        let (old, new) = (lines(1), lines(2));
        let diff = unified_diff("x.json", old.as_bytes(), &new);
        assert!(diff.starts_with("--- x.json (on disk)\n+++ x.json (sync writes)\n"));
        let shown = capped(&diff, DIFF_LINES);
        assert_eq!(shown.lines().count(), DIFF_LINES + 1);
        assert!(shown.ends_with("more lines"), "{shown}");
        assert_eq!(capped("a\nb\n", 5), "a\nb");
    }
}
