//! Shared fixtures: config types and temporary stores.

#![allow(dead_code, reason = "each test file uses a different part")]
#![allow(clippy::unwrap_used, reason = "fixtures fail the test by panicking")]

pub(crate) mod children;

use std::path::PathBuf;

use harmony_config::Config;
use serde::{Deserialize, Serialize};

/// A config with a secret field.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Debug, Clone, PartialEq)]
#[config(key = "test.Server")]
pub(crate) struct Server {
    pub host: String,
    pub port: u16,
    #[config(secret)]
    pub password: String,
}

impl Server {
    pub(crate) fn sample() -> Self {
        Self {
            host: "db.example.com".to_owned(),
            port: 5432,
            password: "hunter2".to_owned(),
        }
    }
}

/// A temporary directory, kept alive as long as the value, with a database path inside.
pub(crate) struct TempStore {
    pub(crate) dir: tempfile::TempDir,
}

impl TempStore {
    pub(crate) fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.path().join("nested").join("config.db")
    }
}

/// A database in `store` that already holds [`Server::sample`].
pub(crate) async fn sqlite_with_sample(store: &TempStore) -> harmony_config::SqliteSource {
    use harmony_config::ConfigSource;
    let sqlite = harmony_config::SqliteSource::open(store.db())
        .await
        .unwrap();
    let value = serde_json::to_value(Server::sample()).unwrap();
    sqlite.set(Server::KEY, &value).await.unwrap();
    sqlite
}

/// The unix permission bits of a file or directory.
pub(crate) fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

/// Runs `sql` on the database at `db` through a pool of sqlx's own, as another program would.
pub(crate) async fn execute_raw(db: &std::path::Path, sql: &'static str) {
    let pool =
        sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(db))
            .await
            .unwrap();
    sqlx::query(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

/// Captures the `tracing` output of the current thread.
#[derive(Clone, Default)]
pub(crate) struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Captures this thread's `tracing` output at INFO and above until the guard drops.
    pub(crate) fn install() -> (Self, tracing::subscriber::DefaultGuard) {
        Self::install_at(tracing::Level::INFO)
    }

    /// Captures this thread's `tracing` output at `level` and above until the guard drops.
    pub(crate) fn install_at(level: tracing::Level) -> (Self, tracing::subscriber::DefaultGuard) {
        let captured = Self::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(level)
            .with_ansi(false)
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    /// Everything captured so far.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Everything captured since the last `take`, which a long loop reads op by op.
    pub(crate) fn take(&self) -> String {
        let bytes = std::mem::take(&mut *self.0.lock().unwrap());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
