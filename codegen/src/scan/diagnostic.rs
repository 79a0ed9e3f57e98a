//! Problems found while scanning, each pinned to `file:line:col`.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, so callers can decide what fails a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// A file could not be read.
    Unreadable,
    /// A file is not valid Rust (syn's error, or the text scanner's).
    Parse,
    /// `mod x;` names a file that does not exist (rustc E0583).
    ModuleNotFound,
    /// Both `x.rs` and `x/mod.rs` exist (rustc E0761).
    AmbiguousModule,
    /// A `#[path]` or a symlink leads back to a file that is already being walked.
    Cycle,
    /// Something valid that the scanner does not evaluate, such as `cfg_attr(.., path = ..)`.
    Unsupported,
}

/// One problem, located at a 1-based line and column (columns count characters, as rustc does).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What went wrong.
    pub kind: DiagnosticKind,
    /// A sentence for humans.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `line:column` (both 1-based) in `file`.
    #[must_use]
    pub fn new(
        file: &Path,
        (line, column): (usize, usize),
        kind: DiagnosticKind,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_path_buf(),
            line,
            column,
            kind,
            message: message.into(),
        }
    }

    /// A syn error in `file`, located through proc-macro2's `span-locations`.
    #[must_use]
    pub fn from_syn(file: &Path, error: &syn::Error) -> Self {
        Self::new(
            file,
            span_position(error.span()),
            DiagnosticKind::Parse,
            error.to_string(),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// The 1-based line and column where `span` starts.
///
/// proc-macro2 gives 1-based lines and 0-based character columns; rustc prints 1-based columns.
#[must_use]
pub(super) fn span_position(span: proc_macro2::Span) -> (usize, usize) {
    let start = span.start();
    (start.line, start.column + 1)
}
