//! `SqliteSource`: the zero-setup local store, one SQLite file shared by every project.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::OnceCell;

use super::{ConfigSource, parse_json};
use crate::{ConfigError, blocking, fs};

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

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Values in a local SQLite database: the zero-setup default store.
///
/// The default file is `~/.local/share/harmony/config/config.db` (honouring `XDG_DATA_HOME`);
/// `HARMONY_CONFIG_DB` overrides it. The directory is created with mode 0700 and the file with
/// mode 0600. The database runs in WAL mode with a busy timeout, so several processes can read
/// and write at once.
#[derive(Clone, Debug)]
pub struct SqliteSource {
    pool: SqlitePool,
    path: PathBuf,
    /// Set once the file is created, checked and migrated.
    prepared: Arc<OnceCell<()>>,
}

impl SqliteSource {
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
        source.pool().await?;
        Ok(source)
    }

    /// The database at `path`, opened as [`SqliteSource::open`] does on its first use rather
    /// than now. No I/O: a process whose values all come from the environment never touches
    /// the file, and an unusable database fails the first `get` or `set` that reaches it.
    #[must_use]
    pub fn deferred(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().to_owned();
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_lazy_with(connect_options(&path));
        Self {
            pool,
            path,
            prepared: Arc::new(OnceCell::new()),
        }
    }

    /// The pool, once the database is ready; the first call prepares it. A failed attempt is
    /// tried again on the next call.
    async fn pool(&self) -> Result<&SqlitePool, ConfigError> {
        self.prepared
            .get_or_try_init(|| prepare(&self.path))
            .await?;
        Ok(&self.pool)
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

    /// The database [`SqliteSource::default`] opens: `HARMONY_CONFIG_DB` when set, else
    /// `~/.local/share/harmony/config/config.db` or its equivalent under `XDG_DATA_HOME`.
    ///
    /// # Errors
    ///
    /// When `HARMONY_CONFIG_DB` is unset and no home directory can be found.
    pub fn default_path() -> Result<PathBuf, ConfigError> {
        if let Some(path) = std::env::var_os("HARMONY_CONFIG_DB").filter(|path| !path.is_empty()) {
            return Ok(PathBuf::from(path));
        }
        let dirs =
            directories::ProjectDirs::from("", "", "harmony").ok_or(ConfigError::NoDataDir)?;
        Ok(dirs.data_dir().join("config").join("config.db"))
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
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
        sqlx::query_scalar("SELECT value FROM config WHERE key = ?")
            .bind(key.to_owned())
            .fetch_optional(self.pool().await?)
            .await
            .map_err(|e| self.error(format!("read `{key}`"), e))
    }

    async fn set(&self, key: &str, value: &Value) -> Result<(), ConfigError> {
        sqlx::query(
            "INSERT INTO config (key, value, updated_at) VALUES (?, ?, datetime('now'))
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key.to_owned())
        .bind(value.to_string())
        .execute(self.pool().await?)
        .await
        .map_err(|e| self.error(format!("write `{key}`"), e))?;
        Ok(())
    }

    async fn unset(&self, key: &str) -> Result<(), ConfigError> {
        sqlx::query("DELETE FROM config WHERE key = ?")
            .bind(key.to_owned())
            .execute(self.pool().await?)
            .await
            .map_err(|e| self.error(format!("delete `{key}`"), e))?;
        Ok(())
    }

    fn name(&self) -> String {
        format!("sqlite ({})", self.path.display())
    }
}

fn connect_options(path: &Path) -> SqliteConnectOptions {
    // No journal_mode here: switching to WAL needs an exclusive lock that the busy timeout does
    // not cover, so `prepare` does it once, under the file lock. WAL then persists in the file.
    // WAL with synchronous=NORMAL survives any process crash; a power cut may lose the last
    // commits but never corrupts the file.
    SqliteConnectOptions::new()
        .filename(path)
        .busy_timeout(BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Normal)
}

/// Creates the file, switches it to WAL and migrates it, holding the lock file throughout.
async fn prepare(path: &Path) -> Result<(), ConfigError> {
    let owned = path.to_owned();
    let lock = blocking(move || {
        if let Some(dir) = owned.parent() {
            fs::create_private_dir(dir)?;
        }
        let lock_path = lock_path(&owned);
        let lock = fs::open_private_file(&lock_path)?;
        lock.lock()
            .map_err(|e| ConfigError::io("lock", lock_path, e))?;
        // Created here rather than by SQLite, so that it gets mode 0600.
        fs::open_private_file(&owned)?;
        Ok(lock)
    })
    .await
    .map_err(|error| file_error(path, error))?;
    let result = migrate(path).await;
    drop(lock);
    result
}

async fn migrate(path: &Path) -> Result<(), ConfigError> {
    let fail = |action: &str| {
        let action = action.to_owned();
        move |e| database_error(path, action, e)
    };
    let mut conn = connect_options(path)
        .connect()
        .await
        .map_err(fail("open"))?;
    // A damaged file is refused before anything is written to it. SQLite would write around a
    // damaged page, and fail only later, on the rows stored there.
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(3)")
        .fetch_all(&mut conn)
        .await
        .map_err(fail("check its pages"))?;
    if problems != ["ok"] {
        return Err(ConfigError::Damaged {
            path: path.to_owned(),
            problem: problems
                .join("; ")
                .replace("*** in database main ***\n", "")
                .replace('\n', "; "),
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
    if version > SCHEMA_VERSION {
        return Err(ConfigError::SchemaTooNew {
            path: path.to_owned(),
            version,
            supported: SCHEMA_VERSION,
        });
    }
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
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    path.with_file_name(name)
}

/// The fix for a file or directory this user may not write.
const UNWRITABLE: &str = ". This user may not write the file or its directory: make both writable by this user, or set HARMONY_CONFIG_DB to a file it can write";

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
            ". The file system is read-only: set HARMONY_CONFIG_DB to a file on a writable one"
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
            ". The file is not a SQLite database, or it is damaged; it was left untouched. Move it aside to start afresh, or set HARMONY_CONFIG_DB to another file"
        }
        // SQLITE_BUSY, SQLITE_LOCKED
        Some(5 | 6) => {
            ". Another process held a lock for longer than the busy timeout; retry, or stop the process holding it"
        }
        // SQLITE_PERM, SQLITE_READONLY
        Some(3 | 8) => UNWRITABLE,
        // SQLITE_CANTOPEN
        Some(14) => {
            ". Check that the path is a file in a directory this user can write, or set HARMONY_CONFIG_DB to another file"
        }
        _ => "",
    };
    ConfigError::Database {
        action,
        path: path.to_owned(),
        source,
        hint,
    }
}
