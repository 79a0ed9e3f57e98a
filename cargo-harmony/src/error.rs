//! How a command ends: [`Outcome`] when it ran to the end, [`Error`] when it could not.

use std::path::{Path, PathBuf};

/// How a command that ran to the end went.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing to report: exit code 0.
    Clean,
    /// A check found something, already printed: exit code 1.
    Problems,
}

/// Why a command could not run: each exits with code 2.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// Arguments that do not fit the workspace.
    #[error("{0}")]
    Usage(String),
    /// `cargo metadata` failed.
    #[error("cargo metadata failed: {0}")]
    Metadata(String),
    /// Sources that do not parse, or configs that break a rule; each line has its location.
    #[error("{0}")]
    Source(String),
    /// A key no crate defines.
    #[error("no crate defines the config key `{}`{}", escape_controls(.key, false), .closest.as_ref().map(|c| format!("; did you mean `{c}`?")).unwrap_or_default())]
    UnknownKey {
        /// The key asked for.
        key: String,
        /// The closest existing key, if any is close.
        closest: Option<String>,
    },
    /// A file could not be read or written.
    #[error("could not {action} {}: {source}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The runtime failed: a store could not be read or written.
    #[error(transparent)]
    Config(#[from] harmony_config::ConfigError),
    /// Whatever reads stdout closed it, as `head` does: the command stops without a word.
    #[error("stdout was closed")]
    ClosedPipe,
}

/// `text` with its control characters escaped (`\u{1b}`), so that input echoed in a message
/// cannot move the cursor, recolour or rewrite the terminal, nor reverse the text around it.
/// Newlines and tabs stay when `keep_lines` is set, for messages of several lines.
pub(crate) fn escape_controls(text: &str, keep_lines: bool) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' if keep_lines => c.to_string(),
            c if c.is_control() || is_bidi_control(c) => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// JSON `text`, as serde_json writes it, with the characters [`escape_controls`] escapes
/// written as JSON escapes (`\u200f`), so that it still parses to the same value. serde_json
/// escapes the controls below U+0020 itself, and writes the others only inside strings, where
/// an escape means the same character.
pub(crate) fn escape_json_controls(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\n' && (c.is_control() || is_bidi_control(c)) {
            // Every such character is below U+FFFF, so one escape holds it.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Bidirectional marks, overrides and isolates, which reorder what follows them on screen.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Maps an I/O error to [`Error::Io`], naming what was being done and the path.
pub(crate) fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_owned();
    move |source| Error::Io {
        action,
        path,
        source,
    }
}
