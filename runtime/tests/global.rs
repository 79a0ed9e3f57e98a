//! The process-wide functions. A sqlx pool belongs to the runtime that created it, so this
//! file holds a single test and therefore runs in a process of its own.

mod common;

use std::sync::Arc;

use common::{Server, TempStore};
use harmony_config::{ConfigError, ConfigManager, EnvSource, SqliteSource};

#[tokio::test]
async fn init_once_then_get_and_set_use_that_manager() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    harmony_config::init(ConfigManager::new(vec![
        Arc::new(EnvSource::with_lookup(|_| None)),
        Arc::new(sqlite),
    ]))
    .unwrap();

    assert!(matches!(
        harmony_config::get::<Server>().await,
        Err(ConfigError::NotFound { .. })
    ));
    harmony_config::set(&Server::sample()).await.unwrap();
    assert_eq!(
        harmony_config::get::<Server>().await.unwrap(),
        Server::sample()
    );

    let again = harmony_config::init(ConfigManager::new(vec![]));
    assert!(
        matches!(again, Err(ConfigError::AlreadyInitialized)),
        "{again:?}"
    );
    assert_eq!(
        harmony_config::get::<Server>().await.unwrap(),
        Server::sample(),
        "the first manager stays"
    );
}
