//! `ConfigManager`: asks an ordered chain of sources, and stores by the write rule.

use std::sync::Arc;

use serde_json::Value;

use crate::config::validate_key;
use crate::redact::{is_secret_path, sanitize_serde_message};
use crate::{Config, ConfigError, ConfigSource, env_var_name};

/// An ordered chain of sources. The first source that holds a value wins.
///
/// ```no_run
/// # async fn run() -> Result<(), harmony_config::ConfigError> {
/// use std::sync::Arc;
/// use harmony_config::{ConfigManager, EnvSource, SqliteSource};
///
/// let manager = ConfigManager::new(vec![
///     Arc::new(EnvSource),
///     Arc::new(SqliteSource::open("config.db").await?),
/// ]);
/// # Ok(()) }
/// ```
pub struct ConfigManager {
    sources: Vec<Arc<dyn ConfigSource>>,
}

impl ConfigManager {
    /// A manager over `sources`, asked in the order given.
    #[must_use]
    pub fn new(sources: Vec<Arc<dyn ConfigSource>>) -> Self {
        Self { sources }
    }

    /// The sources, in the order they are asked.
    #[must_use]
    pub fn sources(&self) -> &[Arc<dyn ConfigSource>] {
        &self.sources
    }

    /// Resolves `T` from the first source that holds a value for `T::KEY`.
    ///
    /// # Errors
    ///
    /// - [`ConfigError::NotFound`] when no source holds a value, naming each source tried;
    /// - [`ConfigError::Invalid`] when the value does not fit `T`, naming the source and field;
    /// - any error of a source, which stops the walk rather than being skipped silently.
    pub async fn get<T: Config>(&self) -> Result<T, ConfigError> {
        validate_key(T::KEY)?;
        for source in &self.sources {
            if let Some(value) = source.get(T::KEY).await? {
                return decode(value, &source.name());
            }
        }
        Err(ConfigError::NotFound {
            key: T::KEY.to_owned(),
            tried: self.sources.iter().map(|s| s.name()).collect(),
            env_var: env_var_name(T::KEY),
        })
    }

    /// Stores `value` in the first source whose `should_persist()` is true.
    ///
    /// When that write fails, the value goes to the next persisting source, and a warning
    /// names both. It is never dropped silently.
    ///
    /// # Errors
    ///
    /// When every persisting source refuses the write, or none exists.
    pub async fn set<T: Config>(&self, value: &T) -> Result<(), ConfigError> {
        validate_key(T::KEY)?;
        let json = encode(value)?;
        let mut attempts: Vec<(String, ConfigError)> = Vec::new();
        for source in self.sources.iter().filter(|s| s.should_persist()) {
            match source.set(T::KEY, &json).await {
                Ok(()) => {
                    for (failed, error) in &attempts {
                        tracing::warn!(
                            key = T::KEY,
                            "stored `{}` in {} because {failed} refused it: {error}",
                            T::KEY,
                            source.name()
                        );
                    }
                    return Ok(());
                }
                Err(error) => attempts.push((source.name(), error)),
            }
        }
        if attempts.is_empty() {
            return Err(ConfigError::NoPersistentSource {
                key: T::KEY.to_owned(),
            });
        }
        Err(ConfigError::NotPersisted {
            key: T::KEY.to_owned(),
            attempts,
        })
    }
}

/// Turns a value into the JSON object that sources store.
fn encode<T: Config>(value: &T) -> Result<Value, ConfigError> {
    let json = serde_json::to_value(value).map_err(|e| ConfigError::Serialize {
        key: T::KEY.to_owned(),
        message: sanitize_serde_message(&e.to_string(), true),
    })?;
    if json.is_object() {
        Ok(json)
    } else {
        Err(ConfigError::NotAnObject {
            key: T::KEY.to_owned(),
            source_name: "the value being set".to_owned(),
            found: json_type(&json),
        })
    }
}

/// Turns a stored value into `T`, naming the source and the failing field on error.
pub(crate) fn decode<T: Config>(value: Value, source_name: &str) -> Result<T, ConfigError> {
    if !value.is_object() {
        return Err(ConfigError::NotAnObject {
            key: T::KEY.to_owned(),
            source_name: source_name.to_owned(),
            found: json_type(&value),
        });
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let (path, secret) = shown_path(error.path(), T::SECRET_FIELDS);
        ConfigError::Invalid {
            key: T::KEY.to_owned(),
            source_name: source_name.to_owned(),
            path,
            message: sanitize_serde_message(&error.into_inner().to_string(), secret),
        }
    })
}

/// The path to show for an error, and whether it lies in a secret field. The path stops at
/// the secret field: below it, map keys are part of the secret.
fn shown_path(path: &serde_path_to_error::Path, secret_fields: &[&str]) -> (String, bool) {
    use serde_path_to_error::Segment;
    let (mut shown, mut fields) = (String::new(), String::new());
    for segment in path {
        let name = match segment {
            Segment::Seq { index } => {
                shown.push('[');
                shown.push_str(&index.to_string());
                shown.push(']');
                continue;
            }
            Segment::Map { key } => key.as_str(),
            Segment::Enum { variant } => variant.as_str(),
            Segment::Unknown => "?",
        };
        for text in [&mut shown, &mut fields] {
            if !text.is_empty() {
                text.push('.');
            }
            text.push_str(name);
        }
        if is_secret_path(&fields, secret_fields) {
            return (shown, true);
        }
    }
    if shown.is_empty() {
        shown.push('.');
    }
    (shown, false)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
