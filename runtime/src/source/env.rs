//! `EnvSource`: `HARMONY_CONFIG_{KEY}` variables, then `HARMONY_CONFIG_*` lines of `./.env`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use async_trait::async_trait;
use serde_json::Value;

use super::ConfigSource;
use crate::ConfigError;
use crate::json::parse_with as parse_json;
use harmony_naming::{ENV_PREFIX, env_var_name};

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
        parse(key, self.get_text(key).await?)
    }

    async fn get_text(&self, key: &str) -> Result<Option<String>, ConfigError> {
        let var = env_var_name(key);
        match std::env::var(&var) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => dotenv_var(&var),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::EnvNotUnicode { var }),
        }
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

    fn origin(&self, key: &str) -> String {
        format!("env ({})", env_var_name(key))
    }
}

#[async_trait]
impl<F> ConfigSource for EnvLookupSource<F>
where
    F: Fn(&str) -> Option<String> + Send + Sync,
{
    async fn get(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        parse(key, self.get_text(key).await?)
    }

    async fn get_text(&self, key: &str) -> Result<Option<String>, ConfigError> {
        Ok((self.lookup)(&env_var_name(key)))
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

    fn origin(&self, key: &str) -> String {
        format!("env ({})", env_var_name(key))
    }
}

/// The variable's text as JSON; a parse error names the variable.
fn parse(key: &str, text: Option<String>) -> Result<Option<Value>, ConfigError> {
    text.map(|text| parse_json(&text, || env_var_name(key)))
        .transpose()
}

/// The `HARMONY_CONFIG_*` entries of `./.env`, read once per process.
fn dotenv_var(var: &str) -> Result<Option<String>, ConfigError> {
    static DOTENV: OnceLock<Result<HashMap<String, String>, DotEnvProblem>> = OnceLock::new();
    match DOTENV.get_or_init(|| load_dotenv(Path::new(".env"))) {
        Ok(vars) => Ok(vars.get(var).cloned()),
        Err(problem) => Err(ConfigError::DotEnv {
            path: problem.path.clone(),
            line: problem.line,
            problem: problem.what,
        }),
    }
}

#[derive(Debug, PartialEq)]
struct DotEnvProblem {
    path: PathBuf,
    line: usize,
    what: &'static str,
}

/// Loads the `HARMONY_CONFIG_*` entries of a `.env` file; a missing file has none. Lines for
/// other tools may hold syntax dotenvy refuses, so only `HARMONY_CONFIG_*` lines must parse.
fn load_dotenv(path: &Path) -> Result<HashMap<String, String>, DotEnvProblem> {
    let problem = |line, what| DotEnvProblem {
        path: path.to_owned(),
        line,
        what,
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(_) => return Err(problem(0, "cannot be read")),
    };
    let text = String::from_utf8(bytes).map_err(|_| problem(0, "is not UTF-8"))?;
    let mut vars = HashMap::new();
    for (name, value) in dotenvy::from_read_iter(text.as_bytes()).flatten() {
        if name.starts_with(ENV_PREFIX) {
            vars.entry(name).or_insert(value);
        }
    }
    // dotenvy skips a line it cannot parse without saying which: find ours among them.
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        if line.starts_with(ENV_PREFIX) {
            let name = line.split(['=', ' ', '\t']).next().unwrap_or(line);
            if !vars.contains_key(name) {
                return Err(problem(
                    number + 1,
                    "cannot parse this line; write it as HARMONY_CONFIG_KEY='{...json...}', in single quotes",
                ));
            }
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
        assert_eq!(load_dotenv(&path).unwrap_err().line, 2);

        // Double quotes substitute `$VAR`; dotenvy refuses the line rather than guess.
        std::fs::write(
            &path,
            "HARMONY_CONFIG_App=\"{\\\"password\\\":\\\"pa$HOME\\\"}\"\n",
        )
        .unwrap();
        assert_eq!(load_dotenv(&path).unwrap_err().line, 1);

        std::fs::write(&path, b"# caf\xe9\nHARMONY_CONFIG_App='{}'\n").unwrap();
        assert_eq!(load_dotenv(&path).unwrap_err().what, "is not UTF-8");
    }
}
