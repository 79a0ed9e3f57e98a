//! `ConfigManager`: the order of the chain and the write rule.

#![allow(
    clippy::unwrap_used,
    reason = "the capture helpers fail the test by panicking"
)]

mod common;

use std::sync::Arc;

use common::{Captured, Server, TempStore};
use harmony_config::{
    ConfigError, ConfigManager, ConfigSource, EnvSource, LocalFileSource, SqliteSource,
};

/// A file source that cannot write: its directory is a regular file.
fn broken_files(store: &TempStore) -> LocalFileSource {
    let not_a_dir = store.dir.path().join("not-a-dir");
    std::fs::write(&not_a_dir, "").unwrap();
    LocalFileSource::new(not_a_dir)
}

#[tokio::test]
async fn a_failed_write_falls_to_the_next_persisting_source_with_a_warning() {
    let store = TempStore::new();
    let files = broken_files(&store);
    let sqlite = Arc::new(SqliteSource::open(store.db()).await.unwrap());
    let manager = ConfigManager::new(vec![
        Arc::new(EnvSource),
        Arc::new(files.clone()),
        sqlite.clone(),
    ]);

    let (captured, _guard) = Captured::install();

    manager.set(&Server::sample()).await.unwrap();
    assert_eq!(
        sqlite.get("test.Server").await.unwrap().unwrap()["host"],
        "db.example.com"
    );
    let log = captured.text();
    assert!(log.contains("WARN"), "{log}");
    assert!(
        log.contains(&sqlite.name()) && log.contains(&files.name()),
        "{log}"
    );
    assert!(!log.contains("hunter2"), "{log}");
}

#[tokio::test]
async fn when_every_write_fails_the_error_names_each_source() {
    let store = TempStore::new();
    let files = broken_files(&store);
    let manager = ConfigManager::new(vec![Arc::new(files.clone())]);
    let error = manager.set(&Server::sample()).await.unwrap_err();
    assert!(
        matches!(error, ConfigError::NotPersisted { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains(&files.name()), "{error}");
}

#[tokio::test]
async fn a_chain_without_persisting_sources_says_so() {
    let manager = ConfigManager::new(vec![Arc::new(EnvSource)]);
    let error = manager.set(&Server::sample()).await.unwrap_err();
    assert!(
        matches!(error, ConfigError::NoPersistentSource { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn writes_go_to_the_first_persisting_source_only() {
    let store = TempStore::new();
    let first = LocalFileSource::new(store.dir.path().join("first"));
    let sqlite = Arc::new(SqliteSource::open(store.db()).await.unwrap());
    let manager = ConfigManager::new(vec![
        Arc::new(EnvSource),
        Arc::new(first.clone()),
        sqlite.clone(),
    ]);
    manager.set(&Server::sample()).await.unwrap();
    assert!(first.get("test.Server").await.unwrap().is_some());
    assert_eq!(sqlite.get("test.Server").await.unwrap(), None);
}

#[tokio::test]
async fn not_found_lists_every_source_and_the_variable() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    let manager = ConfigManager::new(vec![
        Arc::new(EnvSource::with_lookup(|_| None)),
        Arc::new(sqlite),
    ]);
    let message = manager.get::<Server>().await.unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "no value for `test.Server`: tried env, sqlite ({}). Set HARMONY_CONFIG_test_Server to the value as JSON, or store one",
            store.db().display()
        )
    );
}

#[tokio::test]
async fn a_source_error_stops_the_walk_instead_of_falling_through() {
    let store = TempStore::new();
    let sqlite = common::sqlite_with_sample(&store).await;
    let bad_env = EnvSource::with_lookup(|_| Some("{".to_owned()));
    let manager = ConfigManager::new(vec![Arc::new(bad_env), Arc::new(sqlite)]);
    assert!(matches!(
        manager.get::<Server>().await,
        Err(ConfigError::Parse { .. })
    ));
}

#[tokio::test]
async fn hand_written_impls_with_bad_keys_are_refused() {
    #[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
    struct Escaping {}
    impl harmony_config::Config for Escaping {
        const KEY: &'static str = "../escape";
    }
    let manager = ConfigManager::new(vec![Arc::new(EnvSource)]);
    assert!(matches!(
        manager.get::<Escaping>().await,
        Err(ConfigError::InvalidKey { .. })
    ));
    assert!(matches!(
        manager.set(&Escaping {}).await,
        Err(ConfigError::InvalidKey { .. })
    ));
}
