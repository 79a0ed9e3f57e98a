//! `ConfigManager`: the order of the chain and the write rule.

#![allow(
    clippy::unwrap_used,
    reason = "the capture helpers fail the test by panicking"
)]

mod common;

use std::sync::Arc;

use common::{Captured, Server, TempStore, sqlite_with_sample};
use harmony_config::{
    Config, ConfigError, ConfigManager, ConfigSource, EnvSource, Holds, LocalFileSource,
    SqliteSource,
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

#[tokio::test]
async fn provenance_shows_every_source_and_the_one_a_get_reads() {
    let store = TempStore::new();
    let sqlite = Arc::new(sqlite_with_sample(&store).await);
    let env = |value: &'static str| {
        EnvSource::with_lookup(move |name| {
            (name == "HARMONY_CONFIG_test_Server").then(|| value.to_owned())
        })
    };
    let shadowed = ConfigManager::new(vec![
        Arc::new(env(r#"{"host": "env", "port": 1, "password": "p"}"#)),
        sqlite.clone(),
    ]);
    let provenance = shadowed.provenance(Server::KEY).await.unwrap();
    assert_eq!(provenance.winner(), Some(0));
    assert!(
        matches!(&provenance.sources[1].holds, Holds::Value(v) if v["host"] == "db.example.com")
    );
    assert!(!provenance.sources[0].persists && provenance.sources[1].persists);
    assert_eq!(provenance.into_value().unwrap().1["host"], "env");

    // A variable that does not parse stops the walk here, as it stops a `get`.
    let broken = ConfigManager::new(vec![Arc::new(env("{")), sqlite]);
    let provenance = broken.provenance(Server::KEY).await.unwrap();
    assert!(matches!(
        provenance.sources[0].holds,
        Holds::Error(ConfigError::Parse { .. })
    ));
    assert!(matches!(
        provenance.into_value(),
        Err(ConfigError::Parse { .. })
    ));
    assert!(matches!(
        broken.provenance("../x").await,
        Err(ConfigError::InvalidKey { .. })
    ));
}

#[tokio::test]
async fn set_json_stores_by_the_write_rule_and_says_who_refused() {
    let store = TempStore::new();
    let sqlite = Arc::new(SqliteSource::open(store.db()).await.unwrap());
    let manager = ConfigManager::new(vec![
        Arc::new(EnvSource),
        Arc::new(broken_files(&store)),
        sqlite.clone(),
    ]);
    let value = serde_json::json!({"host": "h", "port": 1, "password": "p"});
    let stored = manager.set_json(Server::KEY, &value).await.unwrap();
    assert_eq!(stored.source, sqlite.name());
    assert_eq!(stored.refused.len(), 1, "{stored:?}");
    assert_eq!(sqlite.get(Server::KEY).await.unwrap(), Some(value));
    assert!(matches!(
        manager.set_json(Server::KEY, &serde_json::json!([1])).await,
        Err(ConfigError::NotAnObject { .. })
    ));

    // A source that fails to read stops `unset`; without it, the value is removed.
    assert!(manager.unset(Server::KEY).await.is_err());
    let manager = ConfigManager::new(vec![Arc::new(EnvSource), sqlite.clone()]);
    let removed = manager.unset(Server::KEY).await.unwrap();
    assert_eq!(removed.removed, [sqlite.name()]);
    assert!(removed.unavailable.is_empty());
    assert_eq!(sqlite.get(Server::KEY).await.unwrap(), None);
}

#[tokio::test]
async fn a_read_only_chain_reads_but_never_writes_nor_creates() {
    let store = TempStore::new();
    let missing = SqliteSource::read_only(store.db());
    assert_eq!(missing.get(Server::KEY).await.unwrap(), None);
    assert!(missing.entries().await.unwrap().is_empty());
    assert_eq!(missing.schema_version().await.unwrap(), None);
    assert!(missing.integrity_problems().await.unwrap().is_empty());
    assert!(!store.db().exists() && !store.db().parent().unwrap().exists());

    let manager = ConfigManager::new(vec![Arc::new(missing.clone())]);
    assert!(!missing.should_persist());
    assert!(matches!(
        manager.set(&Server::sample()).await,
        Err(ConfigError::NoPersistentSource { .. })
    ));

    // Once another process writes the database, the read-only source sees it.
    drop(sqlite_with_sample(&store).await);
    assert_eq!(
        missing.get(Server::KEY).await.unwrap().unwrap()["host"],
        "db.example.com"
    );
    let entries = missing.entries().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].key, Server::KEY);
    assert_eq!(entries[0].json().unwrap()["port"], 5432);
    assert_eq!(
        missing.schema_version().await.unwrap(),
        Some(SqliteSource::SCHEMA_VERSION)
    );
    assert!(matches!(
        missing.set(Server::KEY, &serde_json::json!({})).await,
        Err(ConfigError::ReadOnly { .. })
    ));
}
