//! What `sync` and `sync --check` print: lines for people, or JSON lines with a `reason`
//! field for tools, on stdout.

use std::io::Write;
use std::path::PathBuf;

use harmony_codegen::schema::{Problem, Severity};
use serde_json::{Value, json};
use similar::TextDiff;

use super::artifacts::{Entry, Status};
use crate::Error;
use crate::cli::{MessageFormat, WorkspaceArgs};

/// How many lines of a stale file's diff `--check` shows.
const DIFF_LINES: usize = 40;

/// What `sync` did.
#[derive(Default)]
pub(super) struct SyncCounts {
    pub written: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// Prints to stdout in the chosen format.
pub(super) struct Printer {
    format: MessageFormat,
    out: std::io::Stdout,
}

impl Printer {
    pub(super) fn new(format: MessageFormat) -> Self {
        Self {
            format,
            out: std::io::stdout(),
        }
    }

    fn human(&self) -> bool {
        self.format == MessageFormat::Human
    }

    fn line(&mut self, text: &str) -> Result<(), Error> {
        writeln!(self.out.lock(), "{text}").map_err(|source| Error::Io {
            action: "write to",
            path: PathBuf::from("<stdout>"),
            source,
        })
    }

    fn json(&mut self, value: &Value) -> Result<(), Error> {
        self.line(&value.to_string())
    }

    /// A warning or error, as a JSON line; people read them on stderr.
    pub(super) fn diagnostic(&mut self, problem: &Problem) -> Result<(), Error> {
        if self.human() {
            return Ok(());
        }
        let level = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        self.json(&json!({
            "reason": "diagnostic",
            "level": level,
            "file": problem.file.to_string_lossy(),
            "line": problem.line,
            "column": problem.column,
            "message": problem.message,
        }))
    }

    /// One file `sync` wrote, removed or left unchanged; people see only the first two.
    pub(super) fn artifact(&mut self, entry: &Entry, status: &str) -> Result<(), Error> {
        if self.human() {
            return match status {
                "written" => self.line(&format!("wrote {}", entry.display)),
                "removed" => self.line(&format!("removed {}", entry.display)),
                _ => Ok(()),
            };
        }
        let mut value = json!({ "reason": "artifact", "path": entry.display, "status": status });
        add_origin(&mut value, entry);
        self.json(&value)
    }

    pub(super) fn sync_summary(&mut self, counts: &SyncCounts) -> Result<(), Error> {
        if self.human() {
            let files = if counts.written == 1 { "file" } else { "files" };
            return self.line(&format!(
                "sync: {} {files} written, {} removed, {} unchanged",
                counts.written, counts.removed, counts.unchanged
            ));
        }
        self.json(&json!({
            "reason": "summary",
            "command": "sync",
            "written": counts.written,
            "removed": counts.removed,
            "unchanged": counts.unchanged,
        }))
    }

    /// A file that is missing, stale or an orphan: for a stale one, the diff from what is on
    /// disk to what `sync` would write.
    pub(super) fn drift(&mut self, entry: &Entry) -> Result<(), Error> {
        let status = entry.status();
        let diff = match (&entry.wanted, &entry.current) {
            (Some(wanted), Some(current)) if status == Status::Stale => {
                Some(unified_diff(&entry.display, current, &wanted.text))
            }
            _ => None,
        };
        if !self.human() {
            let mut value = json!({
                "reason": "drift",
                "path": entry.display,
                "status": status.as_str(),
                "diff": diff,
            });
            add_origin(&mut value, entry);
            return self.json(&value);
        }
        let why = match entry.wanted.as_ref().map(|w| w.origin.as_ref()) {
            Some(Some(origin)) => format!(
                "from `{}` at {}, crate `{}`",
                origin.type_path, origin.location, origin.krate
            ),
            Some(None) => "lists every config of the workspace".to_owned(),
            None => "generated for a config that no longer exists; sync removes it".to_owned(),
        };
        self.line(&format!(
            "{:<8} {}  ({why})",
            status.as_str(),
            entry.display
        ))?;
        if let Some(diff) = diff {
            self.line(&capped(&diff, DIFF_LINES))?;
        }
        Ok(())
    }

    /// The totals, then, when anything drifted, the command that fixes it as the last line.
    pub(super) fn check_summary(&mut self, plan: &[Entry], fix: Option<&str>) -> Result<(), Error> {
        let count = |status: Status| plan.iter().filter(|e| e.status() == status).count();
        let (missing, stale, orphan) = (
            count(Status::Missing),
            count(Status::Stale),
            count(Status::Orphan),
        );
        let up_to_date = count(Status::Unchanged);
        if !self.human() {
            return self.json(&json!({
                "reason": "summary",
                "command": "sync --check",
                "files": plan.len(),
                "up_to_date": up_to_date,
                "missing": missing,
                "stale": stale,
                "orphan": orphan,
                "fix": fix,
            }));
        }
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        match fix {
            None => self.line(&format!(
                "sync --check: {up_to_date} {} up to date",
                files(up_to_date)
            )),
            Some(fix) => {
                let drift = missing + stale + orphan;
                self.line(&format!(
                    "sync --check: {drift} of {} {} out of date ({missing} missing, {stale} stale, {orphan} orphan)",
                    plan.len(),
                    files(plan.len())
                ))?;
                self.line(&format!("run `{fix}` to update"))
            }
        }
    }
}

/// The crate, key, struct and location of a schema file, for tools.
fn add_origin(value: &mut Value, entry: &Entry) {
    let origin = entry.wanted.as_ref().and_then(|w| w.origin.as_ref());
    if let (Some(origin), Some(map)) = (origin, value.as_object_mut()) {
        map.insert("crate".into(), origin.krate.clone().into());
        map.insert("key".into(), origin.key.clone().into());
        map.insert("struct".into(), origin.type_path.clone().into());
        map.insert("source".into(), origin.location.clone().into());
    }
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
    use super::*;

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
