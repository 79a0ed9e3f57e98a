//! `ConfigManager`: asks an ordered chain of sources, and stores by the write rule.

use std::sync::Arc;

use serde_json::Value;

use crate::config::validate_key;
use crate::provenance::{Held, Holds, Provenance};
use crate::redact::{is_secret_path, sanitize_serde_message};
use crate::{Config, ConfigError, ConfigSource, EnvSource, SqliteSource, env_var_name};

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
    /// Built read-only: every write is refused.
    read_only: bool,
}

/// How the default chain ([`ConfigManager::from_env`]) may use the local database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes; the first write creates the database.
    ReadWrite,
    /// Reads only: the database is never created, migrated or written, and the manager
    /// refuses every write. For tools that inspect, such as `cargo harmony explain`.
    ReadOnly,
}

impl ConfigManager {
    /// A manager over `sources`, asked in the order given.
    #[must_use]
    pub fn new(sources: Vec<Arc<dyn ConfigSource>>) -> Self {
        Self {
            sources,
            read_only: false,
        }
    }

    /// The default chain, from the environment: [`EnvSource`], then OpenBao when
    /// `OPENBAO_URL` or `VAULT_ADDR` is set (see [`crate::openbao`]), then the database at
    /// [`SqliteSource::default_path`].
    ///
    /// Building it contacts no server and opens no file. The database is opened when a read or
    /// write first reaches it, so a value from the environment is read without it, and an
    /// unusable database is reported by the call that needs it. Reading never creates it.
    ///
    /// # Errors
    ///
    /// When there is no home directory for the default database, or an OpenBao setting in the
    /// environment is invalid.
    pub fn from_env(access: Access) -> Result<Self, ConfigError> {
        let mut sources: Vec<Arc<dyn ConfigSource>> = vec![Arc::new(EnvSource)];
        #[cfg(feature = "openbao")]
        if let Some(team) = crate::openbao::source_from_env()? {
            sources.push(Arc::new(team));
        }
        let path = SqliteSource::default_path()?;
        sources.push(Arc::new(match access {
            Access::ReadWrite => SqliteSource::deferred(path),
            Access::ReadOnly => SqliteSource::read_only(path),
        }));
        Ok(Self {
            sources,
            read_only: access == Access::ReadOnly,
        })
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
            let Some(text) = source.get_text(T::KEY).await? else {
                continue;
            };
            if let Some(config) = read_fast::<T>(&text) {
                return Ok(config);
            }
            // Not a valid `T`: read it again through `get`, for an error naming the field.
            if let Some(value) = source.get(T::KEY).await? {
                return decode(value, &source.origin(T::KEY));
            }
        }
        Err(ConfigError::not_found(
            T::KEY,
            self.sources.iter().map(|s| s.name()),
        ))
    }

    /// What every source holds for `key`, in chain order, and so which one a `get` reads:
    /// [`Provenance::winner`]. A team store that cannot answer now is reported with the
    /// reason, where a `get` would pass over it silently after one warning.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidKey`] for a key that cannot be stored. A source that fails is
    /// reported in its place, not returned.
    pub async fn provenance(&self, key: &str) -> Result<Provenance, ConfigError> {
        validate_key(key)?;
        let mut sources = Vec::with_capacity(self.sources.len());
        for source in &self.sources {
            let holds = match source.probe(key).await {
                Ok(Some(value)) => Holds::Value(value),
                Ok(None) => Holds::Nothing,
                Err(error) if error.is_store_unavailable() => Holds::Unavailable(error),
                Err(error) => Holds::Error(error),
            };
            sources.push(Held {
                source: source.name(),
                persists: source.should_persist(),
                holds,
                updated: None,
            });
        }
        // When a value shadows a different one behind it, when each was written: only then, as
        // it may cost the team store a request. A time that cannot be read is no time: it only
        // decides what is reported.
        let values: Vec<usize> = (0..sources.len())
            .filter(|&at| matches!(sources[at].holds, Holds::Value(_)))
            .collect();
        let differ = values.windows(2).any(|pair| {
            matches!((&sources[pair[0]].holds, &sources[pair[1]].holds), (Holds::Value(a), Holds::Value(b)) if a != b)
        });
        if differ {
            for at in values {
                sources[at].updated = self.sources[at].modified(key).await.ok().flatten();
            }
        }
        Ok(Provenance {
            key: key.to_owned(),
            sources,
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
        self.store(T::KEY, &encode(value)?).await?.warn(T::KEY);
        Ok(())
    }

    /// Stores a JSON object under `key` by the write rule of [`ConfigManager::set`], for tools
    /// that hold a value but no Rust type. The value is stored as it is: check it against the
    /// key's schema first.
    ///
    /// Returns where the value went and which sources refused it first; the caller says so,
    /// since nothing here logs.
    ///
    /// # Errors
    ///
    /// As [`ConfigManager::set`], and [`ConfigError::NotAnObject`] when `value` is not an
    /// object.
    pub async fn set_json(&self, key: &str, value: &Value) -> Result<Stored, ConfigError> {
        validate_key(key)?;
        if !value.is_object() {
            return Err(ConfigError::NotAnObject {
                key: key.to_owned(),
                source_name: "the value being set".to_owned(),
                found: json_type(value),
            });
        }
        self.store(key, value).await
    }

    /// Removes the value of `key` from every source that persists values and holds one.
    /// Sources that never persist, such as the environment, are left as they are:
    /// [`ConfigManager::provenance`] shows what they still hold. A team store that cannot
    /// answer now is passed over and reported, so that the others are still cleared.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ReadOnly`] on a read-only chain, or the first other error of a source
    /// that cannot be read or refuses the removal; the sources before it have been cleared.
    pub async fn unset(&self, key: &str) -> Result<Unset, ConfigError> {
        validate_key(key)?;
        self.writable()?;
        let mut done = Unset {
            removed: Vec::new(),
            unavailable: Vec::new(),
        };
        for source in self.sources.iter().filter(|s| s.should_persist()) {
            match source.probe(key).await {
                Ok(Some(_)) => {
                    source.unset(key).await?;
                    done.removed.push(source.name());
                }
                Ok(None) => {}
                Err(error) if error.is_store_unavailable() => {
                    done.unavailable.push((source.name(), error));
                }
                Err(error) => return Err(error),
            }
        }
        Ok(done)
    }

    fn writable(&self) -> Result<(), ConfigError> {
        if self.read_only {
            return Err(ConfigError::ReadOnly {
                source_name: "the chain built with `Access::ReadOnly`".to_owned(),
            });
        }
        Ok(())
    }

    /// Resolves `T` like [`ConfigManager::get`], and asks at the terminal when no source holds
    /// a valid value. The answer is stored by the same rule as [`ConfigManager::set`].
    ///
    /// A stored value that no longer fits `T`, say after a field was added, is repaired: only
    /// the missing or invalid fields are asked, and the rest is kept. A value from a source
    /// that does not persist, such as the environment, is never repaired: fix it there.
    ///
    /// The questions come from `T`'s JSON Schema (`schemars::schema_for!(T)`).
    ///
    /// # Errors
    ///
    /// As [`ConfigManager::get`], and:
    /// - [`ConfigError::NoTerminal`] at once when there is no terminal to ask on;
    /// - `ConfigError::Cancelled` on Ctrl-C, with nothing stored;
    /// - as [`ConfigManager::set`] when the answer cannot be stored.
    pub async fn get_or_prompt<T: Config>(&self) -> Result<T, ConfigError> {
        let schema =
            serde_json::to_value(schemars::schema_for!(T)).map_err(|e| ConfigError::Serialize {
                key: T::KEY.to_owned(),
                message: format!("its JSON Schema: {e}"),
            })?;
        self.resolve_or_prompt(&schema).await
    }

    /// [`ConfigManager::get_or_prompt`] with the questions taken from `schema`, the JSON
    /// Schema text that `cargo harmony sync` writes. Generated `_or_prompt` accessors call it.
    ///
    /// # Errors
    ///
    /// As [`ConfigManager::get_or_prompt`], or when `schema` is not JSON.
    pub async fn get_or_prompt_with_schema<T: Config>(
        &self,
        schema: &str,
    ) -> Result<T, ConfigError> {
        let schema =
            crate::json::parse_with(schema, || format!("the JSON Schema of `{}`", T::KEY))?;
        self.resolve_or_prompt(&schema).await
    }

    #[cfg(feature = "prompt")]
    async fn resolve_or_prompt<T: Config>(&self, schema: &Value) -> Result<T, ConfigError> {
        use crate::prompt::{Form, Turn, no_terminal_reason};
        validate_key(T::KEY)?;
        let found = self.find::<T>().await?;
        if let Found::Valid(config) = found {
            return Ok(config);
        }
        // Answers that could not be stored would be lost: refuse before asking.
        self.writable()?;
        if let Some(reason) = no_terminal_reason() {
            return Err(found.no_terminal(reason));
        }
        let turn = Turn::take().await;
        let form = Form::new(T::KEY, schema, T::SECRET_FIELDS);
        // Another task may have answered while this one waited for the terminal.
        let value = match self.find::<T>().await? {
            Found::Valid(config) => return Ok(config),
            Found::Missing => form.ask_all_in(&turn, None).await?,
            Found::Repairable { value, source, .. } => {
                eprintln!(
                    "{}: the value in {source} no longer fits; asking only for what is missing or invalid.",
                    T::KEY
                );
                value
            }
        };
        let value = form.repair_in(&turn, value, problem::<T>).await?;
        let config = decode::<T>(value.clone(), "the answers")?;
        let stored = self.store(T::KEY, &value).await?;
        stored.warn(T::KEY);
        eprintln!("Stored `{}` in {}.", T::KEY, stored.source);
        Ok(config)
    }

    #[cfg(not(feature = "prompt"))]
    async fn resolve_or_prompt<T: Config>(&self, _schema: &Value) -> Result<T, ConfigError> {
        validate_key(T::KEY)?;
        match self.find::<T>().await? {
            Found::Valid(config) => Ok(config),
            found => {
                Err(found.no_terminal("harmony_config was built without its `prompt` feature"))
            }
        }
    }

    /// What the chain holds for `T`, for a prompt to start from. A value that does not fit
    /// is repairable only in a source that persists: the environment must be fixed there.
    async fn find<T: Config>(&self) -> Result<Found<T>, ConfigError> {
        for source in &self.sources {
            if let Some(value) = source.get(T::KEY).await? {
                return match decode::<T>(value.clone(), &source.origin(T::KEY)) {
                    Ok(config) => Ok(Found::Valid(config)),
                    Err(error) if source.should_persist() => Ok(Found::Repairable {
                        value,
                        source: source.name(),
                        problem: error.to_string(),
                    }),
                    Err(error) => Err(error),
                };
            }
        }
        Ok(Found::Missing)
    }

    /// Stores a JSON object by the write rule: the first source that persists, then the next
    /// when one refuses.
    async fn store(&self, key: &str, json: &Value) -> Result<Stored, ConfigError> {
        self.writable()?;
        let mut attempts: Vec<(String, ConfigError)> = Vec::new();
        for source in self.sources.iter().filter(|s| s.should_persist()) {
            match source.set(key, json).await {
                Ok(()) => {
                    return Ok(Stored {
                        source: source.name(),
                        refused: attempts,
                    });
                }
                Err(error) => attempts.push((source.name(), error)),
            }
        }
        if attempts.is_empty() {
            return Err(ConfigError::NoPersistentSource {
                key: key.to_owned(),
            });
        }
        Err(ConfigError::NotPersisted {
            key: key.to_owned(),
            attempts,
        })
    }
}

/// What [`ConfigManager::unset`] did.
#[derive(Debug)]
#[non_exhaustive]
pub struct Unset {
    /// The sources the value was removed from.
    pub removed: Vec<String>,
    /// Team stores that could not answer, with why: they may still hold a value.
    pub unavailable: Vec<(String, ConfigError)>,
}

/// Where [`ConfigManager::set_json`] stored a value.
#[derive(Debug)]
#[non_exhaustive]
pub struct Stored {
    /// The name of the source that took the value.
    pub source: String,
    /// The sources that refused it first, in order, each with its error. The value is in
    /// [`Stored::source`] instead, and a team store that refused it should get it later
    /// (`cargo harmony push`).
    pub refused: Vec<(String, ConfigError)>,
}

impl Stored {
    /// Logs a warning for each source that refused the value, naming where it went instead.
    fn warn(&self, key: &str) {
        for (refused, error) in &self.refused {
            tracing::warn!(
                key,
                "stored `{key}` in {} because {refused} refused it: {error}",
                self.source
            );
        }
    }
}

/// What [`ConfigManager::find`] found.
enum Found<T> {
    Valid(T),
    /// A stored value that does not fit: the value, the source holding it, and why.
    #[cfg_attr(
        not(feature = "prompt"),
        allow(dead_code, reason = "only a prompt repairs the value")
    )]
    Repairable {
        value: Value,
        source: String,
        problem: String,
    },
    Missing,
}

impl<T: Config> Found<T> {
    /// The error for a value that is needed when no prompt can be shown.
    fn no_terminal(self, reason: &'static str) -> ConfigError {
        ConfigError::NoTerminal {
            key: T::KEY.to_owned(),
            env_var: env_var_name(T::KEY),
            problem: match self {
                Self::Repairable { problem, .. } => problem,
                Self::Valid(_) | Self::Missing => "no source holds one".to_owned(),
            },
            reason,
        }
    }
}

/// The first thing serde finds wrong when reading `value` as `T`, for the prompt to fix.
#[cfg(feature = "prompt")]
fn problem<T: Config>(value: &Value) -> Option<crate::prompt::Problem> {
    use crate::prompt::Problem;
    use serde_path_to_error::Segment;
    let error = serde_path_to_error::deserialize::<_, T>(value.clone()).err()?;
    let mut path: Vec<String> = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect();
    let (_, secret) = shown_path(error.path(), T::SECRET_FIELDS);
    let message = error.into_inner().to_string();
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(field) = named("missing field `") {
        path.push(field);
        return Some(Problem::Missing(path));
    }
    if let Some(field) = named("unknown field `") {
        // The path already ends at the unknown key, which was being read.
        if path.last() != Some(&field) {
            path.push(field);
        }
        return Some(Problem::Unknown(path));
    }
    let message = if value.is_object() {
        sanitize_serde_message(&message, secret)
    } else {
        format!("expected a JSON object, found {}", json_type(value))
    };
    Some(Problem::Invalid { path, message })
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

/// `T` read straight from JSON text, when the text is an object that fits; `None` otherwise,
/// and [`decode`] then says why. serde also reads a struct from an array, which a config
/// value never is, hence the check for `{`.
fn read_fast<T: Config>(text: &str) -> Option<T> {
    // Too deep for the depth limit: the slow path says so, as it does for every reader.
    if !text.trim_start().starts_with('{') || crate::json::too_deep(text).is_some() {
        return None;
    }
    serde_json::from_str(text).ok()
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
    // Reading through a reference is the fast path; only a failure pays for tracking the path.
    if let Ok(config) = T::deserialize(&value) {
        return Ok(config);
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

#[cfg(all(test, feature = "prompt"))]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;
    use crate::prompt::Problem;

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct Db {
        host: String,
        port: u16,
        password: String,
        inner: Inner,
    }

    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    struct Inner {
        on: bool,
    }

    impl Config for Db {
        const KEY: &'static str = "t.Db";
        const SECRET_FIELDS: &'static [&'static str] = &["password"];
    }

    fn path(segments: &[&str]) -> Vec<String> {
        segments.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn serde_problems_become_paths_to_ask() {
        let valid = json!({"host": "h", "port": 1, "password": "p", "inner": {"on": true}});
        assert_eq!(problem::<Db>(&valid), None);
        assert_eq!(
            problem::<Db>(&json!({"host": "h", "password": "p", "inner": {"on": true}})),
            Some(Problem::Missing(path(&["port"])))
        );
        assert_eq!(
            problem::<Db>(&json!({"host": "h", "port": 1, "password": "p", "inner": {}})),
            Some(Problem::Missing(path(&["inner", "on"])))
        );
        let mut stale = valid.clone();
        stale["old"] = json!(1);
        assert_eq!(
            problem::<Db>(&stale),
            Some(Problem::Unknown(path(&["old"])))
        );
        let Some(Problem::Invalid { path: at, message }) = problem::<Db>(
            &json!({"host": "h", "port": 70000, "password": "p", "inner": {"on": true}}),
        ) else {
            panic!("a port out of range is invalid")
        };
        assert_eq!(at, path(&["port"]));
        assert!(message.contains("u16"), "{message}");
    }

    #[test]
    fn secret_problems_never_quote_the_value() {
        let value = json!({"host": "h", "port": 1, "password": 123_456_789, "inner": {"on": true}});
        let Some(Problem::Invalid { path: at, message }) = problem::<Db>(&value) else {
            panic!("a number where a string belongs is invalid")
        };
        assert_eq!(at, path(&["password"]));
        assert!(!message.contains("123456789"), "{message}");
    }
}
