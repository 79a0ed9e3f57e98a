//! `cargo harmony doctor`: checks the local database, the `HARMONY_CONFIG_*` variables and
//! the stored values, and says how to fix each problem.
//!
//! When `OPENBAO_URL` (or `VAULT_ADDR`) is set, [`openbao`] also checks the team store.
//!
//! It writes nothing, except that checking a userpass login caches its token as any
//! command would. The database is opened read-only, so a damaged file is reported and
//! left exactly as it was, and no value is ever printed: a value that no longer fits its
//! schema is named by key, source and field path only.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use harmony_config::{ConfigSource, EnvSource, SqliteSource, env_var_name};
use serde_json::{Map, Value, json};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::cli::MessageFormat;
use crate::values::{runtime, violations};
use crate::workspace::{Workspace, closest};
use crate::{Error, Outcome};

mod openbao;

/// The variable that moves the database; it names no key.
const DB_VAR: &str = "HARMONY_CONFIG_DB";
/// The prefix of every variable that holds a value.
const ENV_PREFIX: &str = "HARMONY_CONFIG_";
/// How many lines of `PRAGMA integrity_check` a report quotes.
const INTEGRITY_LINES: usize = 5;

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    /// Worth a look, but nothing is broken: exit code 0.
    Warn,
    /// Something is broken or unsafe: exit code 1.
    Problem,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warn => "warn",
            Self::Problem => "problem",
        }
    }
}

/// One finding: what was checked, how it went, and how to fix it.
struct Check {
    /// A stable name for tools: `database`, `database-integrity`, `env-var`, ...
    name: &'static str,
    status: Status,
    message: String,
    fix: Option<String>,
    /// Fields for `--message-format json`: `path`, `key`, `source`, `field`, ...
    details: Map<String, Value>,
}

impl Check {
    fn new(name: &'static str, status: Status, message: impl Into<String>) -> Self {
        Self {
            name,
            status,
            message: message.into(),
            fix: None,
            details: Map::new(),
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    fn detail(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.details.insert(name.to_owned(), value.into());
        self
    }

    fn print(&self, format: MessageFormat) {
        match format {
            MessageFormat::Human => {
                println!("{:<8} {}", self.status.as_str(), self.message);
                if let Some(fix) = &self.fix {
                    println!("{:<8}   fix: {fix}", "");
                }
            }
            MessageFormat::Json => {
                let mut object = Map::new();
                object.insert("reason".to_owned(), json!("check"));
                object.insert("check".to_owned(), json!(self.name));
                object.insert("status".to_owned(), json!(self.status.as_str()));
                object.insert("message".to_owned(), json!(self.message));
                object.insert("fix".to_owned(), json!(self.fix));
                object.extend(self.details.clone());
                println!("{}", Value::Object(object));
            }
        }
    }
}

/// `cargo harmony doctor`: prints every check; exit code 1 when any found a problem.
pub(crate) fn run(workspace: &Workspace, format: MessageFormat) -> Result<Outcome, Error> {
    let runtime = runtime()?;
    let mut checks = Vec::new();
    let database = runtime.block_on(check_database(&mut checks));
    checks.extend(check_env_vars(workspace, std::env::vars_os()));
    checks.extend(runtime.block_on(check_values(workspace, &database)));
    checks.extend(runtime.block_on(openbao::checks()));

    for check in &checks {
        check.print(format);
    }
    let count = |status| checks.iter().filter(|c| c.status == status).count();
    let (problems, warnings) = (count(Status::Problem), count(Status::Warn));
    if format == MessageFormat::Human {
        println!(
            "doctor: {problems} problem{}, {warnings} warning{}",
            plural(problems),
            plural(warnings)
        );
    }
    Ok(if problems > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The values of the database's `config` table, by key, as text.
type Stored = BTreeMap<String, String>;

/// What the database checks found, for the check of stored values.
enum Database {
    /// There is no database yet, so it holds no values.
    Missing,
    /// It could not be read; the checks say why.
    Unreadable,
    /// Its values, by key.
    Read(PathBuf, Stored),
}

/// The database's path, permissions and integrity, then its stored values.
async fn check_database(checks: &mut Vec<Check>) -> Database {
    let path = match SqliteSource::default_path() {
        Ok(path) => path,
        Err(error) => {
            checks.push(
                Check::new("database", Status::Problem, error.to_string())
                    .fix(format!("set {DB_VAR} to a file path, or HOME")),
            );
            return Database::Unreadable;
        }
    };
    let origin = if std::env::var_os(DB_VAR).is_some_and(|v| !v.is_empty()) {
        format!("from {DB_VAR}")
    } else {
        "the default".to_owned()
    };
    let shown = path.display().to_string();
    let exists = match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => true,
        Ok(_) => {
            checks.push(
                Check::new(
                    "database",
                    Status::Problem,
                    format!("database: {shown} ({origin}) is not a file"),
                )
                .fix(format!("move it aside, or set {DB_VAR} to a file path"))
                .detail("path", shown),
            );
            return Database::Unreadable;
        }
        Err(error) if error.kind() == ErrorKind::NotFound => false,
        Err(error) => {
            checks.push(
                Check::new(
                    "database",
                    Status::Problem,
                    format!("database: cannot read {shown} ({origin}): {error}"),
                )
                .fix("check the permissions of the file and its directory")
                .detail("path", shown),
            );
            return Database::Unreadable;
        }
    };
    let message = if exists {
        format!("database: {shown} ({origin})")
    } else {
        format!(
            "database: {shown} ({origin}) does not exist yet; the first `cargo harmony set` creates it"
        )
    };
    checks.push(
        Check::new("database", Status::Ok, message)
            .detail("path", shown.clone())
            .detail("exists", exists),
    );
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
        checks.push(check_mode(dir, true));
    }
    if !exists {
        return Database::Missing;
    }
    #[cfg(unix)]
    checks.push(check_mode(&path, false));
    match read_database(&path).await {
        Ok(stored) => {
            checks.push(
                Check::new(
                    "database-integrity",
                    Status::Ok,
                    format!(
                        "database integrity: ok, {} stored value{}",
                        stored.len(),
                        plural(stored.len())
                    ),
                )
                .detail("path", shown),
            );
            Database::Read(path, stored)
        }
        Err(reason) => {
            checks.push(
                Check::new(
                    "database-integrity",
                    Status::Problem,
                    format!("database integrity: {shown}: {reason}; it was left untouched"),
                )
                .fix(format!(
                    "move it aside (`mv {shown} {shown}.damaged`) and restore a backup, or let the next `cargo harmony set` start a new one"
                ))
                .detail("path", shown),
            );
            Database::Unreadable
        }
    }
}

/// Whether `path` is private to its owner: 0600 for the file, 0700 for its directory. A file
/// others can read exposes secrets, a problem; a directory they can list only names files.
#[cfg(unix)]
fn check_mode(path: &Path, is_dir: bool) -> Check {
    use std::os::unix::fs::PermissionsExt;

    let shown = path.display().to_string();
    let (name, what, wanted) = if is_dir {
        ("directory-permissions", "database directory", 0o700)
    } else {
        ("database-permissions", "database file", 0o600)
    };
    let mode = match std::fs::metadata(path) {
        Ok(meta) => meta.permissions().mode() & 0o777,
        Err(error) => {
            return Check::new(
                name,
                Status::Problem,
                format!("{what}: cannot read the mode of {shown}: {error}"),
            )
            .detail("path", shown);
        }
    };
    let for_others = mode & 0o077;
    let check = if for_others == 0 {
        Check::new(name, Status::Ok, format!("{what}: mode {mode:04o}"))
    } else {
        let (status, whom) = if is_dir {
            (Status::Warn, "other users can list it")
        } else {
            (Status::Problem, "other users can read the stored values")
        };
        Check::new(
            name,
            status,
            format!("{what}: {shown} has mode {mode:04o}, so {whom}; it should be {wanted:04o}"),
        )
        .fix(format!("chmod {wanted:o} {shown}"))
    };
    check
        .detail("path", shown)
        .detail("mode", format!("{mode:04o}"))
}

/// Runs `PRAGMA integrity_check` and reads every stored value, over a read-only connection
/// that never creates, migrates or locks the file for writing.
async fn read_database(path: &Path) -> Result<Stored, String> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("cannot open it: {}", sqlite_message(&e)))?;
    let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| sqlite_message(&e))?;
    if report.len() != 1 || report.first().map(String::as_str) != Some("ok") {
        let quoted: Vec<&str> = report
            .iter()
            .take(INTEGRITY_LINES)
            .map(String::as_str)
            .collect();
        return Err(format!("the integrity check failed: {}", quoted.join("; ")));
    }
    let has_table: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config'")
            .fetch_optional(&mut conn)
            .await
            .map_err(|e| sqlite_message(&e))?;
    if has_table.is_none() {
        return Ok(Stored::new());
    }
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM config")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| format!("cannot read its values: {}", sqlite_message(&e)))?;
    Ok(rows.into_iter().collect())
}

/// SQLite's own words for an error, without sqlx's wrapping.
fn sqlite_message(error: &sqlx::Error) -> String {
    error
        .as_database_error()
        .map_or_else(|| error.to_string(), |e| e.message().to_owned())
}

/// `HARMONY_CONFIG_*` variables of the process that hold no key of the workspace: typos, or
/// keys renamed since. Each gets the closest key's variable, when one is close.
fn check_env_vars(
    workspace: &Workspace,
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Vec<Check> {
    let configs = workspace.configs();
    let known: Vec<(String, &str)> = configs
        .iter()
        .map(|(_, c)| (env_var_name(&c.key), c.key.as_str()))
        .collect();
    let suffixes: Vec<&str> = known
        .iter()
        .filter_map(|(var, _)| var.strip_prefix(ENV_PREFIX))
        .collect();
    let mut names: Vec<String> = vars
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .filter(|name| name.starts_with(ENV_PREFIX) && name != DB_VAR)
        .collect();
    names.sort();
    let mut checks = Vec::new();
    for name in &names {
        if known.iter().any(|(var, _)| var == name) {
            continue;
        }
        let suffix = name.strip_prefix(ENV_PREFIX).unwrap_or(name);
        let suggestion = closest(suffix, &suffixes).and_then(|s| {
            known
                .iter()
                .find(|(var, _)| var.strip_prefix(ENV_PREFIX) == Some(s))
        });
        let mut check = Check::new(
            "env-var",
            Status::Warn,
            format!(
                "environment: {name} matches no config key of this workspace, so nothing reads it"
            ),
        )
        .detail("variable", name.clone());
        check = match suggestion {
            Some((var, key)) => check
                .fix(format!("did you mean {var} (key `{key}`)? rename the variable"))
                .detail("suggestion", var.clone())
                .detail("key", *key),
            None => check.fix(format!(
                "unset it, or rename it after a key from `cargo harmony list` ({ENV_PREFIX}{{KEY}}, `.` and `-` as `_`)"
            )),
        };
        checks.push(check);
    }
    if checks.is_empty() {
        let message = if names.is_empty() {
            format!("environment: no {ENV_PREFIX}* variables")
        } else {
            format!(
                "environment: {} {ENV_PREFIX}* variable{}, each for a key of this workspace",
                names.len(),
                plural(names.len())
            )
        };
        checks.push(Check::new("env-var", Status::Ok, message));
    }
    checks
}

/// Stored values, in the environment and the database, that no longer fit the current
/// schema of their key: typically after a branch switch changed a struct.
async fn check_values(workspace: &Workspace, database: &Database) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut found = 0;
    for (_, config) in workspace.configs() {
        let key = &config.key;
        let var = env_var_name(key);
        let mut values: Vec<(String, Result<Value, String>)> = Vec::new();
        match EnvSource.get(key).await {
            Ok(Some(value)) => values.push((format!("env ({var})"), Ok(value))),
            Ok(None) => {}
            Err(error) => values.push((format!("env ({var})"), Err(error.to_string()))),
        }
        if let Database::Read(path, stored) = database
            && let Some(text) = stored.get(key)
        {
            let parsed = serde_json::from_str(text).map_err(|e| {
                // serde_json's syntax errors say where, never what the text held.
                format!("is not valid JSON: {e}")
            });
            values.push((format!("sqlite ({})", path.display()), parsed));
        }
        for (source, value) in values {
            found += 1;
            let fix = if source.starts_with("env") {
                format!(
                    "update {var} to fit the schema (`cargo harmony schema {key}`), or unset it"
                )
            } else {
                format!(
                    "store a value that fits with `cargo harmony set {key}` (schema: `cargo harmony schema {key}`), or remove it with `cargo harmony unset {key}`"
                )
            };
            let problems = match value {
                Ok(value) => violations(&config.schema, &value),
                Err(reason) => vec![(".".to_owned(), reason)],
            };
            for (field, what) in problems {
                checks.push(
                    Check::new(
                        "stored-value",
                        Status::Problem,
                        format!("stored value: `{key}` in {source} at `{field}`: {what}"),
                    )
                    .fix(fix.clone())
                    .detail("key", key.clone())
                    .detail("source", source.clone())
                    .detail("field", field),
                );
            }
        }
    }
    if checks.is_empty() {
        let unread = if matches!(database, Database::Unreadable) {
            " (the database could not be read, so only the environment was checked)"
        } else {
            ""
        };
        let message = if found == 0 {
            format!("stored values: none for this workspace's keys{unread}")
        } else {
            format!(
                "stored values: {found} for this workspace's keys, each fits its schema{unread}"
            )
        };
        checks.push(Check::new("stored-value", Status::Ok, message));
    }
    checks
}
