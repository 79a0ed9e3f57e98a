//! `SqliteSource`: the zero-setup local store, one SQLite file shared by every project.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use harmony_naming::vars;
use serde_json::Value;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::OnceCell;

use super::ConfigSource;
use crate::fs::{self, FileAccess, Holds};
use crate::json::parse_with as parse_json;
use crate::{ConfigError, blocking};

/// The schema version this crate writes, kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

/// Migrations by version: entry `n` brings a database from version `n` to `n + 1`. Each
/// statement is idempotent, because a database from the earlier implementation already has
/// the table but no version.
const MIGRATIONS: &[&str] = &["CREATE TABLE IF NOT EXISTS config (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
)"];

/// How many problems a check of the file's pages reports at most.
const PROBLEMS_SHOWN: usize = 5;

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Values in a local SQLite database: the zero-setup default store.
///
/// The default file is `~/.local/share/harmony/config/config.db` (honouring `XDG_DATA_HOME`);
/// `HARMONY_DB` overrides it. The directory is created with mode 0700 and the file with
/// mode 0600. The database runs in WAL mode with a busy timeout, so several processes can read
/// and write at once.
///
/// Reading never creates the file: a database that does not exist yet holds no values, and
/// the first write creates it.
#[derive(Clone, Debug)]
pub struct SqliteSource {
    path: PathBuf,
    read_only: bool,
    /// Set on first use, once the file is ready: created, checked and migrated, or, read-only,
    /// found with its table. Shared by clones.
    ready: Arc<OnceCell<SqlitePool>>,
}

/// One row of the database, as [`SqliteSource::entries`] lists it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SqliteEntry {
    /// The config key.
    pub key: String,
    /// The value as stored: JSON text, unless something else wrote the row.
    pub value: String,
    /// When the value was last written, in UTC: `2026-12-02 10:11:12.345`, or without the
    /// milliseconds in a row an earlier version wrote.
    pub updated_at: String,
    /// The source's name, for errors about this row.
    origin: String,
}

impl SqliteEntry {
    /// The stored value as JSON.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Parse`], naming the database and the key, when the text is not JSON.
    pub fn json(&self) -> Result<Value, ConfigError> {
        parse_json(&self.value, || {
            format!("{}, key `{}`", self.origin, self.key)
        })
    }
}

impl SqliteSource {
    /// The schema version this crate writes, kept in `PRAGMA user_version`.
    pub const SCHEMA_VERSION: i64 = SCHEMA_VERSION;

    /// Opens the database at `path`, creating it and its directory if needed.
    ///
    /// Creation and migration run under a lock file beside the database (`{path}.lock`),
    /// so several processes opening a new database at once all succeed.
    ///
    /// # Errors
    ///
    /// When the directory or file cannot be created, or the file is not a usable SQLite
    /// database. A file that is not a database is left untouched.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let source = Self::deferred(path);
        source.writer().await?;
        Ok(source)
    }

    /// The database at `path`, opened as [`SqliteSource::open`] does on its first use rather
    /// than now. No I/O: a process whose values all come from the environment never touches
    /// the file, and an unusable database fails the first `get` or `set` that reaches it.
    #[must_use]
    pub fn deferred(path: impl AsRef<Path>) -> Self {
        Self::lazy(path.as_ref(), false)
    }

    /// The database at `path`, for reading only: it is never created, migrated, switched to
    /// WAL or written, and a damaged file is left exactly as it is. A file that does not exist
    /// holds no values. `set` and `unset` fail with [`ConfigError::ReadOnly`].
    #[must_use]
    pub fn read_only(path: impl AsRef<Path>) -> Self {
        Self::lazy(path.as_ref(), true)
    }

    fn lazy(path: &Path, read_only: bool) -> Self {
        Self {
            path: path.to_owned(),
            read_only,
            ready: Arc::new(OnceCell::new()),
        }
    }

    /// The database, prepared on the first call; a failed attempt is tried again on the next.
    async fn pool(&self) -> Result<&SqlitePool, ConfigError> {
        self.ready
            .get_or_try_init(|| async {
                if !self.read_only {
                    prepare(&self.path).await?;
                }
                Ok(SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_lazy_with(connect_options(&self.path, self.read_only)))
            })
            .await
    }

    /// The pool for reading, or `None` when there is nothing to read: no file yet, or (read-only)
    /// a file without the `config` table, which is looked at again on the next read.
    async fn reader(&self) -> Result<Option<&SqlitePool>, ConfigError> {
        if let Some(pool) = self.ready.get() {
            return Ok(Some(pool));
        }
        if !self.exists() {
            return Ok(None);
        }
        if self.read_only {
            ensure_safe(&self.path)?;
            if !has_table(&self.path).await? {
                return Ok(None);
            }
        }
        self.pool().await.map(Some)
    }

    /// The pool for writing, once the database is ready.
    async fn writer(&self) -> Result<&SqlitePool, ConfigError> {
        if self.read_only {
            return Err(ConfigError::ReadOnly {
                source_name: self.name(),
            });
        }
        self.pool().await
    }

    /// Whether the file may exist. An error finding out (a folder this user may not list)
    /// counts as yes, so that opening it reports the problem.
    fn exists(&self) -> bool {
        self.path.try_exists().unwrap_or(true)
    }

    /// Opens the database at [`SqliteSource::default_path`].
    ///
    /// # Errors
    ///
    /// As [`SqliteSource::open`], or when there is no home directory to put the file in.
    #[allow(
        clippy::should_implement_trait,
        reason = "async and fallible; the roadmap's public name"
    )]
    pub async fn default() -> Result<Self, ConfigError> {
        Self::open(Self::default_path()?).await
    }

    /// The database [`SqliteSource::default`] opens: `HARMONY_DB` when set, else
    /// `~/.local/share/harmony/config/config.db` or its equivalent under `XDG_DATA_HOME`.
    ///
    /// # Errors
    ///
    /// When `HARMONY_DB` is unset and no home directory can be found.
    pub fn default_path() -> Result<PathBuf, ConfigError> {
        if let Some(path) = std::env::var_os(vars::DB).filter(|path| !path.is_empty()) {
            return Ok(PathBuf::from(path));
        }
        warn_of_old_names();
        let dirs =
            directories::ProjectDirs::from("", "", "harmony").ok_or(ConfigError::NoDataDir)?;
        Ok(dirs.data_dir().join("config").join("config.db"))
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database's folder, file, lock file and WAL files, those that exist, with their
    /// owner and mode, and what makes any of them untrustworthy: another user owns it or may
    /// write to it, or it is a link to a file that does not exist. Opening the database
    /// refuses the first such part.
    ///
    /// # Errors
    ///
    /// When a part cannot be inspected.
    pub fn file_access(&self) -> Result<Vec<FileAccess>, ConfigError> {
        let mut found = Vec::new();
        for (file, holds, part) in parts(&self.path) {
            found.extend(fs::inspect(&file, holds, uses(part).elsewhere)?);
        }
        Ok(found)
    }

    /// Every stored row, sorted by key; none when the database does not exist yet.
    ///
    /// # Errors
    ///
    /// When the database cannot be opened or read.
    pub async fn entries(&self) -> Result<Vec<SqliteEntry>, ConfigError> {
        let Some(pool) = self.reader().await? else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT key, value, updated_at FROM config ORDER BY key")
                .fetch_all(pool)
                .await
                .map_err(|e| self.error("list its values".to_owned(), e))?;
        let origin = self.name();
        Ok(rows
            .into_iter()
            .map(|(key, value, updated_at)| SqliteEntry {
                key,
                value,
                updated_at,
                origin: origin.clone(),
            })
            .collect())
    }

    /// What SQLite's full check of the file (`PRAGMA integrity_check`) finds wrong, first
    /// problems first; empty when the file is sound or does not exist. It reads the file and
    /// writes nothing, whatever the mode of this source.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened as a SQLite database.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, ConfigError> {
        if !self.exists() {
            return Ok(Vec::new());
        }
        let mut conn = connect_options(&self.path, true)
            .connect()
            .await
            .map_err(|e| self.error("open".to_owned(), e))?;
        let problems = check_pages(&mut conn, "integrity_check")
            .await
            .map_err(|e| self.error("check its pages".to_owned(), e));
        drop(conn.close().await);
        problems
    }

    /// The file's schema version (`PRAGMA user_version`); `None` when the file does not exist.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened or read.
    pub async fn schema_version(&self) -> Result<Option<i64>, ConfigError> {
        if !self.exists() {
            return Ok(None);
        }
        let mut conn = connect_options(&self.path, true)
            .connect()
            .await
            .map_err(|e| self.error("open".to_owned(), e))?;
        let version = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| self.error("read the schema version".to_owned(), e));
        drop(conn.close().await);
        version.map(Some)
    }

    fn error(&self, action: String, source: sqlx::Error) -> ConfigError {
        database_error(&self.path, action, source)
    }
}

#[async_trait]
impl ConfigSource for SqliteSource {
    async fn get(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        let text = self.get_text(key).await?;
        text.map(|text| parse_json(&text, || format!("{}, key `{key}`", self.name())))
            .transpose()
    }

    async fn get_text(&self, key: &str) -> Result<Option<String>, ConfigError> {
        let Some(pool) = self.reader().await? else {
            return Ok(None);
        };
        sqlx::query_scalar("SELECT value FROM config WHERE key = ?")
            .bind(key.to_owned())
            .fetch_optional(pool)
            .await
            .map_err(|e| self.error(format!("read `{key}`"), e))
    }

    async fn modified(&self, key: &str) -> Result<Option<SystemTime>, ConfigError> {
        let Some(pool) = self.reader().await? else {
            return Ok(None);
        };
        let text: Option<String> =
            sqlx::query_scalar("SELECT updated_at FROM config WHERE key = ?")
                .bind(key.to_owned())
                .fetch_optional(pool)
                .await
                .map_err(|e| self.error(format!("read when `{key}` was written"), e))?;
        Ok(text.as_deref().and_then(crate::timestamp::parse_utc))
    }

    async fn set(&self, key: &str, value: &Value) -> Result<(), ConfigError> {
        // Milliseconds, so that a write can be told from the team store's a moment later.
        sqlx::query(
            "INSERT INTO config (key, value, updated_at)
             VALUES (?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now'))
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key.to_owned())
        .bind(value.to_string())
        .execute(self.writer().await?)
        .await
        .map_err(|e| self.error(format!("write `{key}`"), e))?;
        Ok(())
    }

    async fn unset(&self, key: &str) -> Result<(), ConfigError> {
        sqlx::query("DELETE FROM config WHERE key = ?")
            .bind(key.to_owned())
            .execute(self.writer().await?)
            .await
            .map_err(|e| self.error(format!("delete `{key}`"), e))?;
        Ok(())
    }

    fn should_persist(&self) -> bool {
        !self.read_only
    }

    fn name(&self) -> String {
        format!("sqlite ({})", self.path.display())
    }
}

/// Says once per process when a former name of the database variable holds what looks like a
/// path: it is ignored now, and the value namespace owns the name. Never shows the value.
fn warn_of_old_names() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    for (old, new) in vars::RENAMED.iter().filter(|(_, new)| *new == vars::DB) {
        let holds_path = std::env::var(old).is_ok_and(|v| !v.trim_start().starts_with('{'));
        if holds_path {
            ONCE.call_once(|| {
                tracing::warn!(
                    "{old} no longer moves the database, which stays at the default path: rename it to {new} (`{old}` now only holds the value of the key `DB`)"
                );
            });
        }
    }
}

fn connect_options(path: &Path, read_only: bool) -> SqliteConnectOptions {
    // No journal_mode here: switching to WAL needs an exclusive lock that the busy timeout does
    // not cover, so `prepare` does it once, under the file lock. WAL then persists in the file.
    // WAL with synchronous=NORMAL survives any process crash; a power cut may lose the last
    // commits but never corrupts the file.
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .busy_timeout(BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Normal)
}

/// Creates the file, switches it to WAL and migrates it, holding the lock file throughout.
async fn prepare(path: &Path) -> Result<(), ConfigError> {
    let owned = path.to_owned();
    let lock = blocking(move || {
        if let Some(dir) = owned.parent() {
            fs::create_private_dir(dir, uses(Part::Folder))?;
        }
        // Every part that exists is checked before anything is created beside it.
        ensure_safe(&owned)?;
        let lock_path = lock_path(&owned);
        let lock = fs::open_private_file(&lock_path, Holds::Lock, uses(Part::Lock))?;
        lock.lock()
            .map_err(|e| ConfigError::io("lock", lock_path, e))?;
        // Created here rather than by SQLite, so that it gets mode 0600; SQLite gives its WAL
        // files the mode of the database.
        fs::open_private_file(&owned, Holds::Values, uses(Part::Database))?;
        Ok(lock)
    })
    .await
    .map_err(|error| file_error(path, error))?;
    let result = migrate(path).await;
    drop(lock);
    result
}

/// A read-only source's look at an existing file, over a connection of its own: whether it
/// has the table yet, in a version this crate understands.
async fn has_table(path: &Path) -> Result<bool, ConfigError> {
    let fail = |action: &str| {
        let action = action.to_owned();
        move |e| database_error(path, action, e)
    };
    let mut conn = connect_options(path, true)
        .connect()
        .await
        .map_err(fail("open"))?;
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut conn)
        .await
        .map_err(fail("read the schema version"))?;
    let table: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config'")
            .fetch_optional(&mut conn)
            .await
            .map_err(fail("open"))?;
    drop(conn.close().await);
    too_new(path, version)?;
    Ok(table.is_some())
}

fn too_new(path: &Path, version: i64) -> Result<(), ConfigError> {
    if version > SCHEMA_VERSION {
        return Err(ConfigError::SchemaTooNew {
            path: path.to_owned(),
            version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// What `PRAGMA {pragma}` finds wrong with the file's pages, first problems first, with
/// SQLite's banner dropped; empty when it finds nothing. The lines quote no values.
async fn check_pages(
    conn: &mut SqliteConnection,
    pragma: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let lines: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "PRAGMA {pragma}({PROBLEMS_SHOWN})"
    )))
    .fetch_all(conn)
    .await?;
    if lines == ["ok"] {
        return Ok(Vec::new());
    }
    Ok(lines
        .iter()
        .flat_map(|line| {
            line.replace("*** in database main ***\n", "")
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.is_empty())
        .collect())
}

async fn migrate(path: &Path) -> Result<(), ConfigError> {
    let fail = |action: &str| {
        let action = action.to_owned();
        move |e| database_error(path, action, e)
    };
    let mut conn = connect_options(path, false)
        .connect()
        .await
        .map_err(fail("open"))?;
    // A damaged file is refused before anything is written to it. SQLite would write around a
    // damaged page, and fail only later, on the rows stored there.
    let problems = check_pages(&mut conn, "quick_check")
        .await
        .map_err(fail("check its pages"))?;
    if !problems.is_empty() {
        return Err(ConfigError::Damaged {
            path: path.to_owned(),
            problem: problems.join("; "),
        });
    }
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode = WAL")
        .fetch_one(&mut conn)
        .await
        .map_err(fail("switch to WAL mode"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(path = %path.display(), mode, "SQLite refused WAL mode; concurrent writers will wait longer");
    }
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut conn)
        .await
        .map_err(fail("read the schema version"))?;
    too_new(path, version)?;
    for (from, statement) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        let mut tx = conn.begin().await.map_err(fail("start a migration"))?;
        sqlx::query(*statement)
            .execute(&mut *tx)
            .await
            .map_err(fail("migrate the schema"))?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA user_version = {}",
            from + 1
        )))
        .execute(&mut *tx)
        .await
        .map_err(fail("record the schema version"))?;
        tx.commit().await.map_err(fail("commit a migration"))?;
    }
    conn.close().await.map_err(fail("close"))
}

fn lock_path(path: &Path) -> PathBuf {
    with_suffix(path, ".lock")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

/// SQLite's write-ahead log, shared-memory index and rollback journal beside the database: a
/// planted one would be read as part of it.
fn wal_files(path: &Path) -> [(PathBuf, Part); 3] {
    [
        (with_suffix(path, "-wal"), Part::Wal),
        (with_suffix(path, "-shm"), Part::Shm),
        (with_suffix(path, "-journal"), Part::Journal),
    ]
}

/// The files and the folder that make up a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Folder,
    Database,
    Lock,
    Wal,
    Shm,
    Journal,
}

/// How the store names `part` when it cannot be trusted, and the way out.
fn uses(part: Part) -> fs::Use<'static> {
    fs::Use {
        what: match part {
            Part::Folder => "the SQLite database's folder",
            Part::Database => "the SQLite database",
            Part::Lock => "the SQLite database's lock file",
            Part::Wal => "the SQLite database's write-ahead log",
            Part::Shm => "the SQLite database's shared-memory file",
            Part::Journal => "the SQLite database's rollback journal",
        },
        elsewhere: "set HARMONY_DB to a file in a folder of your own",
    }
}

/// Every part of the database at `path`, in the order [`prepare`] opens them.
fn parts(path: &Path) -> Vec<(PathBuf, Holds, Part)> {
    let mut parts = Vec::new();
    if let Some(dir) = path.parent() {
        parts.push((dir.to_owned(), Holds::Folder, Part::Folder));
    }
    parts.push((lock_path(path), Holds::Lock, Part::Lock));
    parts.push((path.to_owned(), Holds::Values, Part::Database));
    parts.extend(wal_files(path).map(|(file, part)| (file, Holds::Values, part)));
    // SQLite keeps its WAL files beside a linked database's target: that folder counts too.
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if let Some(target) = linked.then(|| path.canonicalize().ok()).flatten() {
        if let Some(dir) = target.parent() {
            parts.push((dir.to_owned(), Holds::Folder, Part::Folder));
        }
        parts.extend(wal_files(&target).map(|(file, part)| (file, Holds::Values, part)));
    }
    parts
}

/// Fails on the first part of the database at `path` that cannot be trusted.
fn ensure_safe(path: &Path) -> Result<(), ConfigError> {
    for (file, holds, part) in parts(path) {
        fs::ensure_safe(&file, holds, uses(part))?;
    }
    Ok(())
}

/// The fix for a file or directory this user may not write.
const UNWRITABLE: &str = ". This user may not write the file or its directory: make both writable by this user, or set HARMONY_DB to a file it can write";

/// Names the database in a file-system error about it, its directory or its lock file, with
/// the fix for the common causes.
fn file_error(path: &Path, error: ConfigError) -> ConfigError {
    let ConfigError::Io {
        action,
        path: file,
        source,
    } = error
    else {
        return error;
    };
    let hint = match source.kind() {
        std::io::ErrorKind::PermissionDenied => UNWRITABLE,
        std::io::ErrorKind::ReadOnlyFilesystem => {
            ". The file system is read-only: set HARMONY_DB to a file on a writable one"
        }
        _ => "",
    };
    let action = if file.as_os_str().is_empty() {
        action.to_owned()
    } else {
        format!("{action} {}", file.display())
    };
    ConfigError::DatabaseFile {
        action,
        path: path.to_owned(),
        source,
        hint,
    }
}

fn database_error(path: &Path, action: String, source: sqlx::Error) -> ConfigError {
    let code = source
        .as_database_error()
        .and_then(sqlx::error::DatabaseError::code)
        .and_then(|code| code.parse::<i32>().ok())
        .map(|code| code & 0xff);
    let hint = match code {
        // SQLITE_CORRUPT, SQLITE_NOTADB
        Some(11 | 26) => {
            ". The file is not a SQLite database, or it is damaged; it was left untouched. Move it aside to start afresh, or set HARMONY_DB to another file"
        }
        // SQLITE_BUSY, SQLITE_LOCKED
        Some(5 | 6) => {
            ". Another process held a lock for longer than the busy timeout; retry, or stop the process holding it"
        }
        // SQLITE_PERM, SQLITE_READONLY
        Some(3 | 8) => UNWRITABLE,
        // SQLITE_CANTOPEN
        Some(14) => {
            ". Check that the path is a file in a directory this user can write, or set HARMONY_DB to another file"
        }
        _ => "",
    };
    ConfigError::Database {
        action,
        path: path.to_owned(),
        source: Box::new(source),
        hint,
    }
}
