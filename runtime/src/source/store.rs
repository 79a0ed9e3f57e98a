//! `StoreSource`: any team secret store, such as OpenBao, as a source in the chain.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use async_trait::async_trait;
use serde_json::Value;

use super::ConfigSource;
use crate::ConfigError;

/// The variable that overrides the namespace values are kept under in a secret store.
const NAMESPACE_VAR: &str = harmony_naming::vars::SECRET_NAMESPACE;

/// The namespace used when [`NAMESPACE_VAR`] is unset.
const DEFAULT_NAMESPACE: &str = "harmony";

/// A team store of secrets, addressed by namespace and config key.
///
/// A value is the config's JSON object; a store keeps one field of its own per field of the
/// object, so people can read and edit them by name in the store's own tools.
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// The value under `namespace/key`, or `None` when the store holds none.
    ///
    /// # Errors
    ///
    /// When the store cannot be reached, refuses the read, or answers something unexpected.
    async fn get(&self, namespace: &str, key: &str) -> Result<Option<Value>, ConfigError>;

    /// When the value under `namespace/key` was last written, when the store keeps that time;
    /// `None` by default.
    ///
    /// # Errors
    ///
    /// When the store cannot be reached or refuses the read.
    async fn modified(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<Option<SystemTime>, ConfigError> {
        let _ = (namespace, key);
        Ok(None)
    }

    /// Stores `value`, a JSON object, under `namespace/key`.
    ///
    /// # Errors
    ///
    /// When the store cannot be reached or refuses the write.
    async fn set(&self, namespace: &str, key: &str, value: &Value) -> Result<(), ConfigError>;

    /// Removes the value under `namespace/key`. Removing a missing value is not an error.
    ///
    /// # Errors
    ///
    /// When the store cannot be reached or refuses the removal.
    async fn unset(&self, namespace: &str, key: &str) -> Result<(), ConfigError>;

    /// A human-readable name that says which store this is, e.g. `openbao (https://bao:8200)`.
    fn name(&self) -> String;
}

/// A [`SecretStore`] as a [`ConfigSource`], under one namespace.
///
/// A `get` that finds the store unavailable, or that the store refuses for lack of rights or
/// of a login, logs a warning and returns `None`, so the next source in the chain answers. An
/// unreachable server is warned about once, until a read succeeds again, so a long-running
/// process does not repeat it on every `get`.
/// Any other error is returned. A failed `set` is returned too, and the manager's write rule
/// then stores the value in the next persisting source, with a warning.
pub struct StoreSource<S> {
    store: S,
    namespace: String,
    /// Whether the current outage has been warned about.
    outage_warned: AtomicBool,
}

impl<S: SecretStore> StoreSource<S> {
    /// `store` under the namespace `harmony`.
    pub fn new(store: S) -> Self {
        Self {
            store,
            namespace: DEFAULT_NAMESPACE.to_owned(),
            outage_warned: AtomicBool::new(false),
        }
    }

    /// `store` under the namespace in `HARMONY_SECRET_NAMESPACE`, or `harmony` when
    /// it is unset or empty.
    ///
    /// # Errors
    ///
    /// [`ConfigError::StoreSetting`] when the variable holds something that is not a namespace.
    pub fn from_env(store: S) -> Result<Self, ConfigError> {
        match std::env::var(NAMESPACE_VAR) {
            Ok(namespace) if !namespace.is_empty() => Self::with_namespace(store, &namespace)
                .map_err(|error| match error {
                    ConfigError::StoreSetting { problem, .. } => ConfigError::StoreSetting {
                        setting: NAMESPACE_VAR.to_owned(),
                        problem,
                    },
                    other => other,
                }),
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(Self::new(store)),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::StoreSetting {
                setting: NAMESPACE_VAR.to_owned(),
                problem: "is not valid UTF-8".to_owned(),
            }),
        }
    }

    /// `store` under `namespace`: one or more `/`-separated segments of `[A-Za-z0-9_.-]`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::StoreSetting`] when `namespace` is empty, or could address a path outside
    /// itself (`..`, empty segments) or hold characters that paths do not take.
    pub fn with_namespace(store: S, namespace: &str) -> Result<Self, ConfigError> {
        validate_namespace(namespace)?;
        Ok(Self {
            store,
            namespace: namespace.to_owned(),
            outage_warned: AtomicBool::new(false),
        })
    }

    /// `value`, unless it nests deeper than every other reader allows.
    fn within_depth(&self, key: &str, value: Option<Value>) -> Result<Option<Value>, ConfigError> {
        if let Some(value) = &value {
            crate::json::check_depth(value, || format!("{}, key `{key}`", self.store.name()))?;
        }
        Ok(value)
    }

    /// The namespace values are kept under.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }
}

/// The warning for a read that passes over a store that cannot answer.
pub(crate) fn passed_over(error: &ConfigError, key: &str) -> String {
    format!("{error}; `{key}` comes from the next source")
}

fn validate_namespace(namespace: &str) -> Result<(), ConfigError> {
    let problem = if namespace.is_empty() {
        Some("is empty")
    } else if namespace
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        Some("has an empty, `.` or `..` segment; use names like `harmony` or `team/app`")
    } else if !namespace
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'))
    {
        Some("may hold only `A-Z a-z 0-9 _ . -`, with `/` between segments")
    } else {
        None
    };
    problem.map_or(Ok(()), |problem| {
        Err(ConfigError::StoreSetting {
            setting: format!("the namespace {namespace:?}"),
            problem: problem.to_owned(),
        })
    })
}

#[async_trait]
impl<S: SecretStore> ConfigSource for StoreSource<S> {
    async fn get(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        match self.store.get(&self.namespace, key).await {
            Err(error @ ConfigError::StoreUnavailable { .. }) => {
                if self.outage_warned.swap(true, Ordering::Relaxed) {
                    tracing::debug!(key, "{}", passed_over(&error, key));
                } else {
                    tracing::warn!(
                        key,
                        "{}, as will every read until the store answers again",
                        passed_over(&error, key)
                    );
                }
                Ok(None)
            }
            Err(error) if error.is_store_unavailable() => {
                tracing::warn!(key, "{}", passed_over(&error, key));
                Ok(None)
            }
            other => {
                if other.is_ok() {
                    self.outage_warned.store(false, Ordering::Relaxed);
                }
                self.within_depth(key, other?)
            }
        }
    }

    async fn probe(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        let value = self.store.get(&self.namespace, key).await?;
        self.within_depth(key, value)
    }

    async fn modified(&self, key: &str) -> Result<Option<SystemTime>, ConfigError> {
        self.store.modified(&self.namespace, key).await
    }

    async fn set(&self, key: &str, value: &Value) -> Result<(), ConfigError> {
        self.store.set(&self.namespace, key, value).await
    }

    async fn unset(&self, key: &str) -> Result<(), ConfigError> {
        self.store.unset(&self.namespace, key).await
    }

    fn name(&self) -> String {
        format!("{}, namespace `{}`", self.store.name(), self.namespace)
    }
}
