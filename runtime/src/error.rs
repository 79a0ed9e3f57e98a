//! `ConfigError`: what failed, where, and how to fix it. Never a secret value.

use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong while resolving or storing a config value.
///
/// Every message names the key or the source, and says how to fix the problem where there is
/// a fix. No message ever contains the value of a field: serde's messages, which can quote the
/// offending value, are rebuilt from the field path and the expected type (see
/// [`crate::redact`]).
///
/// Its `Debug` is its message, so `fn main() -> Result<(), ConfigError>` prints
/// `Error: no value for ...` with the fix, rather than the variant's fields.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No source holds a value for the key.
    #[error("no value for `{key}`: tried {}. Set {env_var} to the value as JSON, or store one", .tried.join(", "))]
    NotFound {
        /// The config key.
        key: String,
        /// The name of each source tried, in order.
        tried: Vec<String>,
        /// The environment variable that would provide the value.
        env_var: String,
    },

    /// A stored value does not fit the struct, typically after a field was added or renamed.
    #[error("`{key}` from {source_name}: {message} at `{path}`")]
    Invalid {
        /// The config key.
        key: String,
        /// The source the value came from.
        source_name: String,
        /// The path of the failing field, `.` for the value itself.
        path: String,
        /// What is wrong, without the offending value.
        message: String,
    },

    /// A value that is not a JSON object. A config value is always an object.
    #[error("`{key}` from {source_name}: expected a JSON object, found {found}")]
    NotAnObject {
        /// The config key.
        key: String,
        /// The source the value came from.
        source_name: String,
        /// The JSON type that was found instead.
        found: &'static str,
    },

    /// Text that should hold JSON or TOML does not parse.
    #[error("{origin} does not hold valid {format}: {message} at line {line}, column {column}")]
    Parse {
        /// Where the text came from: a variable name, a file path, a database row.
        origin: String,
        /// `JSON` or `TOML`.
        format: &'static str,
        /// What the parser found wrong; parsers' messages here never quote the text.
        message: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },

    /// A value that nests arrays and objects deeper than [`crate::json::MAX_DEPTH`] levels. It is
    /// refused the same way wherever it is read.
    #[error("{origin} holds JSON that nests arrays and objects deeper than {limit} levels, harmony_config's limit{}", .at.map(|(line, column)| format!(", at line {line}, column {column}")).unwrap_or_default())]
    TooDeep {
        /// Where the value came from: a variable name, a file path, a store and key.
        origin: String,
        /// The limit, [`crate::json::MAX_DEPTH`].
        limit: usize,
        /// 1-based line and column where the text first goes too deep; `None` for a value that
        /// came as JSON already, from a team store.
        at: Option<(usize, usize)>,
    },

    /// An environment variable whose value is not UTF-8.
    #[error("{var} is not valid UTF-8; it must hold the value as JSON")]
    EnvNotUnicode {
        /// The variable's name.
        var: String,
    },

    /// A `.env` file that cannot be read, or a `HARMONY_CONFIG_*` line in it that does not parse.
    #[error("{}{}: {problem}", .path.display(), if *.line > 0 { format!(":{line}") } else { String::new() })]
    DotEnv {
        /// The `.env` file.
        path: PathBuf,
        /// 1-based line number, 0 for the whole file.
        line: usize,
        /// What is wrong, and how to fix it.
        problem: &'static str,
    },

    /// A key that cannot be stored safely.
    #[error("invalid config key {key:?}: {reason}")]
    InvalidKey {
        /// The key as given.
        key: String,
        /// Why it is refused.
        reason: &'static str,
    },

    /// A write to a source that only reads.
    #[error("{source_name} is read-only")]
    ReadOnly {
        /// The source's name.
        source_name: String,
    },

    /// `init` after a manager was already in place.
    #[error(
        "a config manager is already in place: call `harmony_config::init` once, before any `get` or `set`"
    )]
    AlreadyInitialized,

    /// A file-system operation failed.
    #[error("could not {action} {}: {source}", .path.display())]
    Io {
        /// What was being done, e.g. "create the directory".
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// A file or folder that would hold private values or tokens, which another user owns or
    /// may write to (or, for tokens, read): it is not used.
    #[error("refusing {what} {}: {problem}; {fix}", .path.display())]
    UnsafePath {
        /// What the path is, e.g. "the SQLite database's folder".
        what: String,
        /// The file or folder.
        path: PathBuf,
        /// Who may do what to it: the owner, or the mode.
        problem: String,
        /// How to fix it.
        fix: String,
    },

    /// The SQLite database failed.
    #[error("SQLite database {}: could not {action}: {source}{hint}", .path.display())]
    Database {
        /// What was being done, e.g. "read `AppConfig`".
        action: String,
        /// The database file.
        path: PathBuf,
        /// The underlying error, boxed so that the database library's type stays out of this
        /// crate's API.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// A hint on how to fix it, starting with ". ", or empty.
        hint: &'static str,
    },

    /// The SQLite database's directory, file or lock file could not be created or opened.
    #[error("SQLite database {}: could not {action}: {source}{hint}", .path.display())]
    DatabaseFile {
        /// What was being done, naming the file, e.g. "open its lock file /path/config.db.lock".
        action: String,
        /// The database file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
        /// A hint on how to fix it, starting with ". ", or empty.
        hint: &'static str,
    },

    /// A SQLite database that fails SQLite's own check of its pages. Nothing was written to it.
    #[error("SQLite database {} is damaged: {problem}. It was left untouched: move it aside to start afresh, or set HARMONY_DB to another file", .path.display())]
    Damaged {
        /// The database file.
        path: PathBuf,
        /// What `PRAGMA quick_check` found, first problems first; it quotes no values.
        problem: String,
    },

    /// A value that could not be turned into JSON or TOML.
    #[error("`{key}` could not be serialized: {message}")]
    Serialize {
        /// The config key.
        key: String,
        /// What went wrong, without the value.
        message: String,
    },

    /// Every persisting source refused the write. Nothing was stored.
    #[error("could not store `{key}`: {}", attempts_text(.attempts))]
    NotPersisted {
        /// The config key.
        key: String,
        /// Each source tried: its name and its error.
        attempts: Vec<(String, ConfigError)>,
    },

    /// A database written by a newer version of this crate.
    #[error("SQLite database {} has schema version {version}, newer than the {supported} this harmony_config understands: upgrade it, or set HARMONY_DB to another file", .path.display())]
    SchemaTooNew {
        /// The database file.
        path: PathBuf,
        /// The version found in the file.
        version: i64,
        /// The newest version this crate understands.
        supported: i64,
    },

    /// The chain has no source that persists values.
    #[error(
        "could not store `{key}`: no source in the chain persists values (the environment is read-only); add a SqliteSource or LocalFileSource"
    )]
    NoPersistentSource {
        /// The config key.
        key: String,
    },

    /// A value is needed, but there is no terminal to ask on.
    #[error(
        "`{key}` needs a value ({problem}), and there is no terminal to ask for one ({reason}): set {env_var} to the value as JSON, or run `cargo harmony set {key}` in a terminal"
    )]
    NoTerminal {
        /// The config key.
        key: String,
        /// The environment variable that would provide the value.
        env_var: String,
        /// What is wrong with the value: missing, or which field is invalid.
        problem: String,
        /// Why there is no terminal, e.g. "CI is set".
        reason: &'static str,
    },

    /// The user pressed Ctrl-C or Esc at a prompt. Nothing was stored.
    #[cfg(feature = "prompt")]
    #[error("cancelled: `{key}` was not stored")]
    Cancelled {
        /// The config key.
        key: String,
    },

    /// The terminal failed during a prompt, or the answers cannot be made to fit.
    #[cfg(feature = "prompt")]
    #[error("prompt for `{key}`: {message}")]
    Prompt {
        /// The config key.
        key: String,
        /// What failed.
        message: String,
    },

    /// No home directory, so no default database path.
    #[error(
        "could not find a data directory for the default database: set HARMONY_DB to a file path, or HOME"
    )]
    NoDataDir,

    /// A setting of a secret store, usually from the environment, that cannot be used.
    #[error("{setting} {problem}")]
    StoreSetting {
        /// The variable or setting, e.g. `OPENBAO_TIMEOUT_MS`.
        setting: String,
        /// What is wrong with it, and what it should hold.
        problem: String,
    },

    /// A secret store that cannot answer now: nothing listens, it is too slow, or it is sealed.
    /// A `get` through [`crate::StoreSource`] falls through to the next source.
    #[error("could not {action} at {store}: {reason}")]
    StoreUnavailable {
        /// The store, e.g. `openbao (https://bao.example.com:8200)`.
        store: String,
        /// What was being done, e.g. "read `secret/harmony/AppConfig`".
        action: String,
        /// Why, and how to fix it.
        reason: String,
    },

    /// A secret store whose policies refuse the request. A `get` through
    /// [`crate::StoreSource`] falls through to the next source.
    #[error("{store} denied {action} `{path}`: {hint}")]
    StoreDenied {
        /// The store.
        store: String,
        /// What was refused: "reading", "writing" or "deleting".
        action: &'static str,
        /// The path the policy must allow, e.g. `secret/data/harmony/AppConfig`.
        path: String,
        /// Which policy is missing, and how to grant it.
        hint: String,
    },

    /// A login to a secret store that failed, or a token it no longer accepts. A `get` through
    /// [`crate::StoreSource`] falls through to the next source.
    #[error("could not log in to {store} with {method}: {problem}")]
    StoreAuth {
        /// The store.
        store: String,
        /// The method, e.g. "the token in `OPENBAO_TOKEN`" or "userpass (mount `userpass`)".
        method: String,
        /// What the store said, and how to fix it. Never the token or the password.
        problem: String,
    },

    /// No way to log in to a secret store was configured, and no cached login is valid. A `get`
    /// through [`crate::StoreSource`] falls through to the next source.
    #[cfg(feature = "openbao")]
    #[error(
        "not logged in to {store}: run `cargo harmony login`, or set OPENBAO_TOKEN, or OPENBAO_USERNAME and OPENBAO_PASSWORD"
    )]
    NotLoggedIn {
        /// The store.
        store: String,
    },

    /// A secret store that answered a request with an error other than the ones above.
    #[error("could not {action} at {store}: {problem}")]
    StoreRequest {
        /// The store.
        store: String,
        /// What was being done.
        action: String,
        /// What the store said, and how to fix it.
        problem: String,
    },

    /// The OIDC device login failed.
    #[cfg(feature = "cli")]
    #[error("OIDC login at {issuer}: could not {action}: {problem}")]
    Oidc {
        /// The issuer URL.
        issuer: String,
        /// What was being done, e.g. "read the discovery document".
        action: &'static str,
        /// What went wrong, and how to fix it. Never a token.
        problem: String,
    },
}

// `fn main() -> Result<(), ConfigError>` prints the error with `Debug`: make that the message.
impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn attempts_text(attempts: &[(String, ConfigError)]) -> String {
    attempts
        .iter()
        .map(|(name, error)| format!("{name}: {error}"))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ConfigError {
    /// Whether this error means a secret store cannot serve a read now, so a `get` falls
    /// through to the next source: unavailable, denied, or not logged in.
    #[must_use]
    pub fn is_store_unavailable(&self) -> bool {
        #[cfg(feature = "openbao")]
        if matches!(self, Self::NotLoggedIn { .. }) {
            return true;
        }
        matches!(
            self,
            Self::StoreUnavailable { .. } | Self::StoreDenied { .. } | Self::StoreAuth { .. }
        )
    }

    /// The error of a `get` that no source answered, naming each source tried.
    pub(crate) fn not_found(key: &str, tried: impl Iterator<Item = String>) -> Self {
        Self::NotFound {
            key: key.to_owned(),
            tried: tried.collect(),
            env_var: crate::env_var_name(key),
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
