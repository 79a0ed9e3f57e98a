//! Where values come from: the `ConfigSource` trait and the built-in sources.

mod env;
mod file;
mod sqlite;
mod store;

use std::time::SystemTime;

use async_trait::async_trait;
use serde_json::Value;

pub use env::{EnvLookupSource, EnvSource};
pub use file::LocalFileSource;
pub use sqlite::{SqliteEntry, SqliteSource};
pub(crate) use store::passed_over;
pub use store::{SecretStore, StoreSource};

use crate::ConfigError;

/// One place config values can be read from, and perhaps written to.
///
/// Values are JSON objects, stored under a config key. A [`crate::ConfigManager`] asks its
/// sources in order; the first that holds a value wins.
#[async_trait]
pub trait ConfigSource: Send + Sync {
    /// The value stored under `key`, or `None` when this source has none.
    ///
    /// # Errors
    ///
    /// When the source cannot be read or holds something that is not JSON.
    async fn get(&self, key: &str) -> Result<Option<Value>, ConfigError>;

    /// The value under `key` as JSON text, or `None` when this source has none.
    ///
    /// [`crate::ConfigManager::get`] reads the typed value straight from this text, without
    /// building a [`Value`] first, which halves the cost of a `get` from the environment.
    /// Sources that store JSON text return it as stored; the default writes out what
    /// [`ConfigSource::get`] returns.
    ///
    /// # Errors
    ///
    /// As [`ConfigSource::get`], except that text which is not JSON is returned, not refused:
    /// the manager then calls [`ConfigSource::get`] for the error.
    async fn get_text(&self, key: &str) -> Result<Option<String>, ConfigError> {
        Ok(self.get(key).await?.map(|value| value.to_string()))
    }

    /// What this source holds for `key`, for a report such as `cargo harmony explain`: as
    /// [`ConfigSource::get`], except that a source which passes over an outage in `get` (a
    /// team store that is down) returns the outage as an error, so the report can say why.
    ///
    /// # Errors
    ///
    /// As [`ConfigSource::get`], and the outages `get` passes over.
    async fn probe(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        self.get(key).await
    }

    /// When the value under `key` was last written, where the source keeps that time; `None`
    /// when it does not, or holds no value. [`crate::Provenance::unpushed`] compares them.
    ///
    /// # Errors
    ///
    /// When the source cannot be read.
    async fn modified(&self, key: &str) -> Result<Option<SystemTime>, ConfigError> {
        let _ = key;
        Ok(None)
    }

    /// Stores `value` under `key`, replacing any earlier value.
    ///
    /// # Errors
    ///
    /// When the source cannot be written.
    async fn set(&self, key: &str, value: &Value) -> Result<(), ConfigError>;

    /// Removes the value stored under `key`. Removing a missing value is not an error.
    ///
    /// # Errors
    ///
    /// By default, a [`ConfigError::ReadOnly`]; writable sources override this.
    async fn unset(&self, key: &str) -> Result<(), ConfigError> {
        let _ = key;
        Err(ConfigError::ReadOnly {
            source_name: self.name(),
        })
    }

    /// Whether values set through the manager, or answered at a prompt, may be stored here.
    fn should_persist(&self) -> bool {
        true
    }

    /// A human-readable name that says where values come from, e.g. `sqlite (/path/config.db)`.
    /// Errors and `cargo harmony list` use it.
    fn name(&self) -> String {
        std::any::type_name::<Self>().to_owned()
    }

    /// Where this source keeps `key`, for an error about its value; by default
    /// [`ConfigSource::name`]. The environment names the variable, which is what to fix.
    fn origin(&self, key: &str) -> String {
        let _ = key;
        self.name()
    }
}
