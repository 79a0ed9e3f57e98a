//! What commands print on stdout: text for people, or, with `--message-format json`, one
//! [`Message`] per line. Every JSON line is serialized here, from the one enum.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::cli::MessageFormat;
use crate::error::{Error, escape_controls, escape_json_controls, io};

/// One line of `--message-format json` output. Its `reason` field names the variant, in
/// kebab case: `{"reason": "key", ...}`.
///
/// Tools can read the lines back with this type:
///
/// ```
/// let line = r#"{"reason":"value","key":"app.Db","source":"env","value":{"port":1}}"#;
/// let message: cargo_harmony::Message = serde_json::from_str(line).unwrap();
/// assert!(matches!(message, cargo_harmony::Message::Value { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Message {
    /// `sync`: a warning or an error in the Rust sources.
    Diagnostic {
        /// `error` or `warning`.
        level: String,
        /// The source file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, and how to fix it.
        message: String,
    },
    /// `sync`: one generated file, `written`, `removed` or `unchanged`.
    Artifact {
        /// The file, relative to the workspace root.
        path: String,
        /// What `sync` did with it.
        status: String,
        /// The struct a schema file comes from; absent for `CONFIG.md` and `.env.example`.
        #[serde(flatten)]
        origin: Option<Origin>,
    },
    /// `sync --check`: a file that is `missing`, `stale` or an `orphan`.
    Drift {
        /// The file, relative to the workspace root.
        path: String,
        /// How it differs.
        status: String,
        /// For a stale file, the unified diff from the disk to what `sync` writes.
        diff: Option<String>,
        /// The struct a schema file comes from.
        #[serde(flatten)]
        origin: Option<Origin>,
    },
    /// `sync`: the totals.
    SyncSummary {
        /// Files written.
        written: usize,
        /// Files removed.
        removed: usize,
        /// Files left as they were.
        unchanged: usize,
    },
    /// `sync --check`: the totals, and the command that fixes the drift.
    CheckSummary {
        /// Files `sync` manages.
        files: usize,
        /// Files up to date.
        up_to_date: usize,
        /// Files missing.
        missing: usize,
        /// Files with other bytes.
        stale: usize,
        /// Generated files whose config no longer exists.
        orphan: usize,
        /// The command to run, when anything drifted.
        fix: Option<String>,
    },
    /// `schema`: a key's JSON Schema.
    Schema {
        /// The config key.
        key: String,
        /// The schema, as `sync` writes it.
        schema: Value,
    },
    /// `list`: one key, where it is defined, and where its value comes from.
    Key {
        /// The config key.
        key: String,
        /// The package that defines it.
        #[serde(rename = "crate")]
        krate: String,
        /// The Rust path of the struct.
        #[serde(rename = "type")]
        type_path: String,
        /// The defining file, relative to the crate.
        file: String,
        /// The line of the struct's name.
        line: usize,
        /// The variable that holds its value.
        env_var: String,
        /// The source a `get` reads, `missing`, or the error that stops it.
        resolves_from: String,
    },
    /// `get`: the value a `get` reads, secrets redacted unless asked for.
    Value {
        /// The config key.
        key: String,
        /// The source that holds it.
        source: String,
        /// The value.
        value: Value,
    },
    /// `explain`: what one source of the chain holds, in order.
    Source {
        /// The config key.
        key: String,
        /// 1 for the first source asked.
        order: usize,
        /// The source's name.
        source: String,
        /// `wins`, `shadowed`, `empty`, `unavailable` (a `get` passes over it) or `error`.
        status: String,
        /// What it holds, secrets redacted.
        value: Option<Value>,
        /// Why it is unavailable or failed.
        error: Option<String>,
    },
    /// `set`: a value stored by the write rule.
    Stored {
        /// The config key.
        key: String,
        /// The source that took it.
        source: String,
        /// The sources that refused it first, with their errors.
        refused: Vec<Refusal>,
    },
    /// `unset`: where a value was removed from.
    Removed {
        /// The config key.
        key: String,
        /// The sources it was removed from; empty when none held it.
        sources: Vec<String>,
        /// Team stores that could not be asked, and why: they may still hold it (exit code 1).
        unavailable: Vec<Refusal>,
        /// A variable that still sets the key.
        still_set_by: Option<String>,
    },
    /// `prompt`: what it did with one key.
    Prompt {
        /// The config key.
        key: String,
        /// `stored`, `repaired`, `set` or `problem`.
        status: String,
        /// The source that holds the value.
        source: Option<String>,
        /// What is wrong, for a `problem`.
        message: Option<String>,
    },
    /// `doctor`: one check.
    Check {
        /// A stable name: `database`, `database-integrity`, `env-var`, `stored-value`, ...
        check: String,
        /// `ok`, `warn` or `problem`.
        status: String,
        /// What was found.
        message: String,
        /// How to fix it.
        fix: Option<String>,
        /// Fields of the check: `path`, `key`, `source`, `field`, `mode`, ...
        #[serde(flatten)]
        details: Map<String, Value>,
    },
    /// `doctor`: the totals.
    DoctorSummary {
        /// Checks that found a problem.
        problems: usize,
        /// Checks that warn.
        warnings: usize,
    },
    /// `push`: what happened to one key.
    Push {
        /// The config key.
        key: String,
        /// `written`, `overwritten`, `unchanged`, `skipped`, `declined`, `not stored locally`,
        /// `invalid` or `failed`.
        result: String,
        /// What happened, naming fields but never values.
        message: String,
    },
    /// `push`: the totals.
    PushSummary {
        /// The team store.
        target: String,
        /// How many keys had each result.
        counts: BTreeMap<String, usize>,
        /// The totals in words.
        message: String,
    },
    /// `login`: who is logged in, and how.
    Login {
        /// `logged-in`, `already-logged-in` or `env-token`.
        status: String,
        /// The identity's display name.
        user: String,
        /// The store.
        store: String,
        /// How the token was obtained.
        method: String,
        /// The token's policies.
        policies: Vec<String>,
        /// Seconds the token stays valid; absent when it never expires.
        expires_in_secs: Option<u64>,
        /// Where the token is cached, when it is.
        cache_path: Option<String>,
    },
    /// `openbao setup`: one step, `created`, `updated` or `unchanged`.
    Setup {
        /// What the step did.
        result: String,
        /// What it is about.
        what: String,
    },
    /// `init`: one file, `changed`, `unchanged` or `refused`.
    Init {
        /// The file.
        file: String,
        /// What `init` did.
        status: String,
        /// How.
        message: String,
    },
    /// `init`: code left for the user to add.
    InitTodo {
        /// The file to add it to.
        file: String,
        /// The code.
        add: String,
        /// Why, when it needs saying.
        note: Option<String>,
    },
}

/// The struct behind a schema file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The package.
    #[serde(rename = "crate")]
    pub krate: String,
    /// The config key.
    pub key: String,
    /// The Rust path of the struct.
    #[serde(rename = "struct")]
    pub type_path: String,
    /// `file:line` of the struct, relative to the workspace root.
    pub source: String,
}

/// A source that refused a write, or could not be asked, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The source.
    pub source: String,
    /// Its error.
    pub error: String,
}

/// Where a command prints, in the chosen format.
pub(crate) struct Output {
    format: MessageFormat,
}

impl Output {
    pub(crate) fn new(format: MessageFormat) -> Self {
        Self { format }
    }

    pub(crate) fn is_json(&self) -> bool {
        self.format == MessageFormat::Json
    }

    /// Prints `message` as a JSON line, or `human`, the text people read, as it is; empty
    /// `human` text prints nothing. Control characters are escaped either way.
    pub(crate) fn emit(&self, message: &Message, human: &str) -> Result<(), Error> {
        self.emit_escaped(message, &escape_controls(human, true))
    }

    /// As [`Output::emit`], for `human` text that is JSON, as `get` prints: its control
    /// characters are escaped the JSON way, so that it still parses.
    pub(crate) fn emit_json_text(&self, message: &Message, json: &str) -> Result<(), Error> {
        self.emit_escaped(message, &escape_json_controls(json))
    }

    fn emit_escaped(&self, message: &Message, human: &str) -> Result<(), Error> {
        match self.format {
            MessageFormat::Json => {
                let line = serde_json::to_string(message).map_err(|e| {
                    Error::Source(format!(
                        "a JSON message does not serialize: {e}; this is a bug in cargo-harmony"
                    ))
                })?;
                write_stdout(&format!("{}\n", escape_json_controls(&line)))
            }
            MessageFormat::Human if human.is_empty() => Ok(()),
            MessageFormat::Human => write_stdout(&format!("{human}\n")),
        }
    }

    /// Prints text for people; nothing in JSON mode, where the messages say it all.
    pub(crate) fn human(&self, text: &str) -> Result<(), Error> {
        if self.is_json() {
            return Ok(());
        }
        write_stdout(&format!("{}\n", escape_controls(text, true)))
    }
}

/// Writes `text` to stdout, as it is. A reader that closed the pipe ends the command quietly
/// ([`Error::ClosedPipe`]); any other failure, a full disk say, is an error.
pub(crate) fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Error::ClosedPipe,
            _ => io("write to", Path::new("stdout"))(e),
        })
}

/// Writes a line for people on stderr, control characters escaped. A stderr that cannot be
/// written is passed over: there is nowhere left to say so, and no reason to panic.
pub(crate) fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", escape_controls(text, true));
}
