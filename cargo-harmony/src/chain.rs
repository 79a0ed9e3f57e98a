//! The runtime's default chain, as the commands use it: the chain applications use
//! (env, OpenBao when `OPENBAO_URL` is set, SQLite), read-only for the commands that only look,
//! and the write rule for the ones that store.

use harmony_config::{Access, ConfigManager, Stored};
use serde_json::Value;

use crate::error::{Error, io};
use crate::output::Refusal;

/// A single-threaded async runtime for one command.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io("start", std::path::Path::new("the async runtime")))
}

/// The default chain for reading: it never creates, migrates or writes the database.
pub(crate) fn reading() -> Result<ConfigManager, Error> {
    Ok(ConfigManager::from_env(Access::ReadOnly)?)
}

/// The default chain for writing: the first write creates the database.
pub(crate) fn writing() -> Result<ConfigManager, Error> {
    Ok(ConfigManager::from_env(Access::ReadWrite)?)
}

/// Stores `value`, already checked against its schema, by the runtime's write rule. Says on
/// stderr which sources refused it first, and when a source that is never written (the
/// environment) still wins over it.
pub(crate) async fn store(
    manager: &ConfigManager,
    key: &str,
    value: &Value,
) -> Result<Stored, Error> {
    let stored = manager.set_json(key, value).await?;
    for (refused, error) in &stored.refused {
        note!(
            "warning: {refused} could not store `{key}` ({error}); it was stored in {} instead. Once that is fixed, run `cargo harmony push {key}`",
            stored.source
        );
    }
    for source in shadowing(manager, key).await {
        note!(
            "note: {source} ({}) also sets `{key}`, and wins over the stored value",
            harmony_config::env_var_name(key)
        );
    }
    Ok(stored)
}

/// The sources ahead of every store that hold a value for `key`, so that a `get` reads
/// theirs whatever is stored: the environment. Only those are asked, not the stores.
pub(crate) async fn shadowing(manager: &ConfigManager, key: &str) -> Vec<String> {
    let mut found = Vec::new();
    for source in manager.sources().iter().take_while(|s| !s.should_persist()) {
        if matches!(source.probe(key).await, Ok(Some(_))) {
            found.push(source.name());
        }
    }
    found
}

/// The sources that refused a write, for `--message-format json`.
pub(crate) fn refusals(stored: &Stored) -> Vec<Refusal> {
    stored
        .refused
        .iter()
        .map(|(source, error)| Refusal {
            source: source.clone(),
            error: error.to_string(),
        })
        .collect()
}
