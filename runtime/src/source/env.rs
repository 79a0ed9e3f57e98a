//! `EnvSource`: `HARMONY_CONFIG_{KEY}` variables, then `HARMONY_CONFIG_*` lines of `./.env`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use async_trait::async_trait;
use serde_json::Value;

use super::{ConfigSource, parse_json};
use crate::ConfigError;
use crate::config::{ENV_PREFIX, env_var_name};

/// Reads `HARMONY_CONFIG_{KEY}` from the process environment, then from `./.env`.
///
/// The variable holds the whole value as JSON. Real variables win over `.env` lines. It is
/// read-only: it never modifies the environment, and prompted answers are never stored here.
///
/// ```
/// use std::sync::Arc;
/// use harmony_config::{ConfigSource, EnvSource};
///
/// let env: Arc<dyn ConfigSource> = Arc::new(EnvSource);
/// assert!(!env.should_persist());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct EnvSource;

impl EnvSource {
    /// An environment source that looks variables up with `lookup` instead of the process
    /// environment and `.env`. Tests use it, since changing the real environment races.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// use harmony_config::{ConfigSource, EnvSource};
    ///
    /// let env = EnvSource::with_lookup(|name| {
    ///     (name == "HARMONY_CONFIG_App").then(|| r#"{"port": 8080}"#.to_owned())
    /// });
    /// assert_eq!(env.get("App").await.unwrap().unwrap()["port"], 8080);
    /// # });
    /// ```
    pub fn with_lookup<F>(lookup: F) -> EnvLookupSource<F>
    where
        F: Fn(&str) -> Option<String> + Send + Sync,
    {
        EnvLookupSource { lookup }
    }
}

/// An [`EnvSource`] with an injected lookup; see [`EnvSource::with_lookup`].
pub struct EnvLookupSource<F> {
    lookup: F,
}

#[async_trait]
impl ConfigSource for EnvSource {
    async fn get(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        read(key, |var| match std::env::var(var) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => dotenv_var(var),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::EnvNotUnicode {
                var: var.to_owned(),
            }),
        })
    }

    async fn set(&self, _key: &str, _value: &Value) -> Result<(), ConfigError> {
        Err(ConfigError::ReadOnly {
            source_name: self.name(),
        })
    }

    fn should_persist(&self) -> bool {
        false
    }

    fn name(&self) -> String {
        "env".to_owned()
    }
}

#[async_trait]
impl<F> ConfigSource for EnvLookupSource<F>
where
    F: Fn(&str) -> Option<String> + Send + Sync,
{
    async fn get(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        read(key, |var| Ok((self.lookup)(var)))
    }

    async fn set(&self, _key: &str, _value: &Value) -> Result<(), ConfigError> {
        Err(ConfigError::ReadOnly {
            source_name: self.name(),
        })
    }

    fn should_persist(&self) -> bool {
        false
    }

    fn name(&self) -> String {
        "env".to_owned()
    }
}

fn read(
    key: &str,
    lookup: impl FnOnce(&str) -> Result<Option<String>, ConfigError>,
) -> Result<Option<Value>, ConfigError> {
    let var = env_var_name(key);
    let Some(text) = lookup(&var)? else {
        return Ok(None);
    };
    parse_json(&text, || var.clone()).map(Some)
}

/// The `HARMONY_CONFIG_*` entries of `./.env`, read once per process.
fn dotenv_var(var: &str) -> Result<Option<String>, ConfigError> {
    static DOTENV: OnceLock<Result<HashMap<String, String>, (PathBuf, usize)>> = OnceLock::new();
    match DOTENV.get_or_init(|| load_dotenv(Path::new(".env"))) {
        Ok(vars) => Ok(vars.get(var).cloned()),
        Err((path, line)) => Err(ConfigError::DotEnv {
            path: path.clone(),
            line: *line,
        }),
    }
}

/// Loads `HARMONY_CONFIG_*` entries. A line that does not parse is an error only when it
/// mentions `HARMONY_CONFIG_`: the file may well be written for other tools too.
fn load_dotenv(path: &Path) -> Result<HashMap<String, String>, (PathBuf, usize)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(HashMap::new());
    };
    let mut vars = HashMap::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((name, value)) if name.starts_with(ENV_PREFIX) => {
                vars.entry(name).or_insert(value);
            }
            Err(dotenvy::Error::LineParse(line, _)) if line.contains(ENV_PREFIX) => {
                let number = text
                    .find(&line)
                    .map_or(0, |at| text[..at].lines().count() + 1);
                return Err((path.to_owned(), number));
            }
            Ok(_) | Err(_) => {}
        }
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use super::load_dotenv;

    #[test]
    fn dotenv_keeps_only_harmony_entries_and_locates_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "OTHER=1\nHARMONY_CONFIG_App='{\"port\": 1}'\n").unwrap();
        let vars = load_dotenv(&path).unwrap();
        assert_eq!(vars.len(), 1);
        assert_eq!(vars["HARMONY_CONFIG_App"], r#"{"port": 1}"#);

        std::fs::write(&path, "OTHER=1\nHARMONY_CONFIG_App='{\"port\"\n").unwrap();
        assert_eq!(load_dotenv(&path).unwrap_err(), (path.clone(), 2));
    }
}
