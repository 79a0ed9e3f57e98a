//! `SqliteSource` against real SQLite files in temporary directories.

mod common;

use std::sync::Arc;

use common::{Server, TempStore, mode};
use harmony_config::{Config, ConfigError, ConfigManager, ConfigSource, SqliteSource};
use serde_json::json;

#[tokio::test]
async fn set_then_get_round_trips() {
    let store = TempStore::new();
    let manager = ConfigManager::new(vec![Arc::new(
        SqliteSource::open(store.db()).await.unwrap(),
    )]);
    manager.set(&Server::sample()).await.unwrap();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
}

#[tokio::test]
async fn missing_key_returns_none() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    assert_eq!(sqlite.get("test.Missing").await.unwrap(), None);
}

#[tokio::test]
async fn second_set_wins() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    sqlite.set("k", &json!({"v": 1})).await.unwrap();
    sqlite.set("k", &json!({"v": 2})).await.unwrap();
    assert_eq!(sqlite.get("k").await.unwrap(), Some(json!({"v": 2})));
}

#[tokio::test]
async fn unset_removes_the_value() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    sqlite.set("k", &json!({"v": 1})).await.unwrap();
    sqlite.unset("k").await.unwrap();
    assert_eq!(sqlite.get("k").await.unwrap(), None);
    sqlite.unset("k").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tasks_write_different_keys() {
    let store = TempStore::new();
    let sqlite = Arc::new(SqliteSource::open(store.db()).await.unwrap());
    let tasks: Vec<_> = (0..2)
        .map(|task| {
            let sqlite = Arc::clone(&sqlite);
            tokio::spawn(async move {
                for i in 0..50 {
                    sqlite
                        .set(&format!("task{task}.k{i}"), &json!({ "i": i }))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    for task in 0..2 {
        for i in 0..50 {
            assert_eq!(
                sqlite.get(&format!("task{task}.k{i}")).await.unwrap(),
                Some(json!({ "i": i }))
            );
        }
    }
}

#[tokio::test]
async fn creates_private_directory_and_files() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    sqlite.set("k", &json!({})).await.unwrap();
    assert_eq!(mode(store.db().parent().unwrap()), 0o700);
    assert_eq!(mode(&store.db()), 0o600);
    assert_eq!(mode(&store.db().with_file_name("config.db.lock")), 0o600);
}

#[tokio::test]
async fn uses_wal_mode() {
    let store = TempStore::new();
    SqliteSource::open(store.db()).await.unwrap();
    // The WAL flag lives in the header: bytes 18 and 19 are 2 in WAL mode, 1 otherwise.
    let header = std::fs::read(store.db()).unwrap();
    assert_eq!((header[18], header[19]), (2, 2));
}

#[tokio::test]
async fn old_struct_shape_names_the_missing_field_and_source() {
    #[derive(
        harmony_config::Config, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
    )]
    #[config(key = "test.Server")]
    struct ServerV2 {
        host: String,
        port: u16,
        password: String,
        timeout_secs: u32,
    }

    let store = TempStore::new();
    let manager = ConfigManager::new(vec![Arc::new(
        SqliteSource::open(store.db()).await.unwrap(),
    )]);
    manager.set(&Server::sample()).await.unwrap();
    let error = manager.get::<ServerV2>().await.err().unwrap();
    assert_eq!(ServerV2::KEY, Server::KEY);
    let message = error.to_string();
    assert!(matches!(error, ConfigError::Invalid { .. }), "{error:?}");
    assert!(
        message.contains("missing field `timeout_secs`"),
        "{message}"
    );
    assert!(
        message.contains(&format!("sqlite ({})", store.db().display())),
        "{message}"
    );
    assert!(message.starts_with("`test.Server` from "), "{message}");
}

#[tokio::test]
async fn garbage_file_gives_a_clear_error_and_stays_untouched() {
    let store = TempStore::new();
    std::fs::create_dir_all(store.db().parent().unwrap()).unwrap();
    let garbage: Vec<u8> = (0..8192u32)
        .map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()[2])
        .collect();
    std::fs::write(store.db(), &garbage).unwrap();

    let error = SqliteSource::open(store.db()).await.err().unwrap();
    let message = error.to_string();
    assert!(
        message.contains(&store.db().display().to_string()),
        "{message}"
    );
    assert!(message.contains("not a SQLite database"), "{message}");
    assert!(message.contains("left untouched"), "{message}");
    assert_eq!(std::fs::read(store.db()).unwrap(), garbage);
    assert!(!store.db().with_file_name("config.db-wal").exists());
}

#[tokio::test]
async fn a_deferred_database_is_opened_by_its_first_use_and_reports_a_bad_file_there() {
    let store = TempStore::new();
    let source = SqliteSource::deferred(store.db());
    assert!(
        !store.db().exists(),
        "nothing is created before the first use"
    );

    std::fs::create_dir_all(store.db().parent().unwrap()).unwrap();
    std::fs::write(
        store.db(),
        b"not a database at all, but long enough to look like one",
    )
    .unwrap();
    let error = source.get(Server::KEY).await.unwrap_err().to_string();
    assert!(error.contains("not a SQLite database"), "{error}");

    // Fixed, it is opened on the next call.
    std::fs::remove_file(store.db()).unwrap();
    let value = serde_json::to_value(Server::sample()).unwrap();
    source.set(Server::KEY, &value).await.unwrap();
    assert_eq!(source.get(Server::KEY).await.unwrap(), Some(value));
}

#[tokio::test]
async fn accepts_a_database_from_the_earlier_implementation() {
    use sqlx::{ConnectOptions, Connection};

    let store = TempStore::new();
    std::fs::create_dir_all(store.db().parent().unwrap()).unwrap();
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(store.db())
        .create_if_missing(true);
    let mut conn = options.connect().await.unwrap();
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL DEFAULT (datetime('now')))",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("INSERT INTO config (key, value) VALUES ('test.Server', ?)")
        .bind(serde_json::to_string(&Server::sample()).unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    let manager = ConfigManager::new(vec![Arc::new(
        SqliteSource::open(store.db()).await.unwrap(),
    )]);
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    manager
        .set(&Server {
            port: 1,
            ..Server::sample()
        })
        .await
        .unwrap();
    assert_eq!(manager.get::<Server>().await.unwrap().port, 1);
}

#[tokio::test]
async fn a_stored_value_that_is_not_json_names_the_row() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new().filename(store.db()),
    )
    .await
    .unwrap();
    sqlx::query("INSERT INTO config (key, value) VALUES ('k', '{\"password\": hunter2')")
        .execute(&pool)
        .await
        .unwrap();
    let message = sqlite.get("k").await.unwrap_err().to_string();
    assert!(
        message.contains("key `k`") && message.contains("valid JSON"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_waits_for_the_creation_lock() {
    let store = TempStore::new();
    std::fs::create_dir_all(store.db().parent().unwrap()).unwrap();
    let lock = std::fs::File::create(store.db().with_file_name("config.db.lock")).unwrap();
    lock.lock().unwrap();

    let opening = tokio::spawn(SqliteSource::open(store.db()));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !opening.is_finished(),
        "open went ahead while another process held the lock"
    );
    assert!(
        !store.db().exists(),
        "nothing is created before the lock is taken"
    );

    drop(lock);
    let sqlite = tokio::time::timeout(std::time::Duration::from_secs(10), opening)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    sqlite.set("k", &json!({})).await.unwrap();
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused_untouched() {
    let store = TempStore::new();
    SqliteSource::open(store.db()).await.unwrap();
    common::execute_raw(&store.db(), "PRAGMA user_version = 99").await;

    let error = SqliteSource::open(store.db()).await.unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::SchemaTooNew {
                version: 99,
                supported: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("upgrade"), "{error}");
}
