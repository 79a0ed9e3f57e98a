//! The commands that read and write stored values: `list`, `get`, `set`, `unset`, `explain`.
//! They use the runtime's own default chain (env, OpenBao when `OPENBAO_URL` is set, SQLite), so
//! they see what applications see, and store by the same write rule. The questions
//! that `set` asks in a terminal, and the `prompt` command, are in [`crate::prompt`].

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;

use harmony_config::openbao::OpenbaoSecretStore;
use harmony_config::redact::redact;
use harmony_config::{ConfigSource, EnvSource, SecretStore, SqliteSource, StoreSource};
use serde_json::{Value, json};

use crate::cli::MessageFormat;
use crate::workspace::{Crate, Workspace};
use crate::{Error, Outcome};
use harmony_codegen::generate::GeneratedConfig;

/// What one source holds for a key.
type Held = Result<Option<Value>, harmony_config::ConfigError>;

/// The first source that answers: with a value, or with an error, which stops the chain as
/// it stops `harmony_config::get`.
pub(crate) fn answer(values: &[(String, Held)]) -> Option<usize> {
    values
        .iter()
        .position(|(_, held)| !matches!(held, Ok(None)))
}

/// The default chain, in order. The database is opened only when it exists, so reading
/// never creates it; [`Chain::persist`] creates it. OpenBao joins when `OPENBAO_URL` (or
/// `VAULT_ADDR`) is set, built by the runtime as its default chain builds it; building it
/// contacts no server.
pub(crate) struct Chain {
    pub(crate) sources: Vec<Arc<dyn ConfigSource>>,
    /// The team store, also in `sources` at `.1`: read directly, so that when it cannot answer
    /// the output says why instead of showing it as empty.
    team: Option<(Arc<StoreSource<OpenbaoSecretStore>>, usize)>,
    /// The default database when it does not exist yet.
    absent_db: Option<PathBuf>,
}

impl Chain {
    pub(crate) async fn open() -> Result<Self, Error> {
        let path = SqliteSource::default_path()?;
        let mut sources: Vec<Arc<dyn ConfigSource>> = vec![Arc::new(EnvSource)];
        let team = harmony_config::openbao::source_from_env()?.map(|team| {
            let team = Arc::new(team);
            sources.push(team.clone());
            (team, sources.len() - 1)
        });
        let mut absent_db = None;
        if path.exists() {
            sources.push(Arc::new(SqliteSource::open(&path).await?));
        } else {
            absent_db = Some(path);
        }
        Ok(Self {
            sources,
            team,
            absent_db,
        })
    }

    /// What every source holds for `key`, in order.
    /// A source that fails (malformed JSON in a variable, say) is reported in its place, so
    /// that `list` and `explain` still show the others.
    pub(crate) async fn values(&self, key: &str) -> Vec<(String, Held)> {
        let mut out = Vec::new();
        for (i, source) in self.sources.iter().enumerate() {
            match &self.team {
                // As the runtime does, a store that cannot answer falls through; the name says why.
                Some((team, at)) if *at == i => {
                    match team.store().get(team.namespace(), key).await {
                        Err(error) if error.is_store_unavailable() => {
                            out.push((format!("{} (not used: {error})", team.name()), Ok(None)));
                        }
                        held => out.push((team.name(), held)),
                    }
                }
                _ => out.push((source.name(), source.get(key).await)),
            }
        }
        if let Some(path) = &self.absent_db {
            out.push((
                format!("sqlite ({}, not created yet)", path.display()),
                Ok(None),
            ));
        }
        out
    }

    /// Stores `value` by the runtime's write rule: in the first source that persists (OpenBao
    /// in team mode, else SQLite, created when it does not exist yet); when that write fails,
    /// in the next one, with a warning naming both. Returns the name of the source that took
    /// it. The value must be valid already.
    pub(crate) async fn persist(&mut self, key: &str, value: &Value) -> Result<String, Error> {
        if let Some(path) = self.absent_db.take() {
            self.sources
                .push(Arc::new(SqliteSource::open(&path).await?));
        }
        let mut attempts = Vec::new();
        for target in self.sources.iter().filter(|s| s.should_persist()) {
            match target.set(key, value).await {
                Ok(()) => {
                    for (refused, error) in &attempts {
                        eprintln!(
                            "warning: {refused} could not store `{key}` ({error}); it was stored in {} instead. Once that is fixed, run `cargo harmony push {key}`",
                            target.name()
                        );
                    }
                    return Ok(target.name());
                }
                Err(error) => attempts.push((target.name(), error)),
            }
        }
        let key = key.to_owned();
        Err(Error::from(if attempts.is_empty() {
            harmony_config::ConfigError::NoPersistentSource { key }
        } else {
            harmony_config::ConfigError::NotPersisted { key, attempts }
        }))
    }

    /// Says so when a source that is never written, the environment, still wins over what
    /// was just stored.
    pub(crate) async fn note_shadowing(&self, key: &str) {
        for source in self.sources.iter().take_while(|s| !s.should_persist()) {
            if matches!(source.get(key).await, Ok(Some(_))) {
                eprintln!(
                    "note: {} ({}) also sets `{key}`, and wins over the stored value",
                    source.name(),
                    harmony_config::env_var_name(key)
                );
            }
        }
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            action: "start",
            path: PathBuf::from("the async runtime"),
            source,
        })
}

/// `cargo harmony list`: every key, where it is defined, and where its value comes from.
pub(crate) fn list(workspace: &Workspace, format: MessageFormat) -> Result<Outcome, Error> {
    runtime()?.block_on(async {
        let chain = Chain::open().await?;
        for (krate, config) in workspace.configs() {
            let values = chain.values(&config.key).await;
            let from = match answer(&values).map(|i| &values[i]) {
                Some((name, Ok(_))) => name.clone(),
                Some((name, Err(error))) => format!("error in {name}: {error}"),
                None => "missing".to_owned(),
            };
            let env_var = harmony_config::env_var_name(&config.key);
            let location = format!("{}:{}", source_file(workspace, krate, config), config.line);
            match format {
                MessageFormat::Human => {
                    println!("{}\t{}\t{}\t{location}\t{env_var}\t{from}", config.key, krate.name, config.type_path);
                }
                MessageFormat::Json => println!(
                    "{}",
                    json!({ "reason": "key", "key": config.key, "crate": krate.name, "type": config.type_path,
                            "file": config.file, "line": config.line, "env_var": env_var, "resolves_from": from })
                ),
            }
        }
        Ok(Outcome::Clean)
    })
}

/// `cargo harmony get KEY`: the resolved value as JSON, secrets redacted unless asked for.
pub(crate) fn get(workspace: &Workspace, key: &str, show_secrets: bool) -> Result<Outcome, Error> {
    let (_, config) = workspace.find(key)?;
    runtime()?.block_on(async {
        let chain = Chain::open().await?;
        let mut values = chain.values(key).await;
        let tried: Vec<String> = values.iter().map(|(name, _)| name.clone()).collect();
        let value = match answer(&values).map(|i| values.swap_remove(i).1) {
            Some(Ok(Some(value))) => value,
            Some(Err(error)) => return Err(error.into()),
            Some(Ok(None)) | None => {
                return Err(Error::from(harmony_config::ConfigError::NotFound {
                    key: key.to_owned(),
                    tried,
                    env_var: harmony_config::env_var_name(key),
                }));
            }
        };
        let paths = secret_paths(&config.schema);
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let shown = if show_secrets {
            value
        } else {
            redact(&value, &paths)
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&shown).unwrap_or_default()
        );
        Ok(Outcome::Clean)
    })
}

/// `cargo harmony set KEY`: validates the value against the key's schema, then stores it in
/// the first store that persists. An invalid value names the failing field and writes nothing.
/// With no `--json` or `--file` and a terminal on stdin, it asks for each field instead.
pub(crate) fn set(
    workspace: &Workspace,
    key: &str,
    json_text: Option<&str>,
    file: Option<&PathBuf>,
) -> Result<Outcome, Error> {
    let (_, config) = workspace.find(key)?;
    let (text, origin) = match (json_text, file) {
        (Some(text), _) => (text.to_owned(), "--json".to_owned()),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                action: "read",
                path: path.clone(),
                source,
            })?;
            (text, path.display().to_string())
        }
        (None, None) if std::io::stdin().is_terminal() => {
            return crate::prompt::set(config);
        }
        (None, None) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|source| Error::Io {
                    action: "read",
                    path: PathBuf::from("stdin"),
                    source,
                })?;
            if text.trim().is_empty() {
                return Err(Error::Usage(format!(
                    "stdin is empty: give the value of `{key}` as JSON with --json '{{...}}', --file PATH or on stdin, or run `cargo harmony set {key}` in a terminal to be asked for each field"
                )));
            }
            (text, "stdin".to_owned())
        }
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{origin} is not valid JSON: {e}")))?;
    let problems = validate(&config.schema, &value);
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("error: `{key}` {problem}");
        }
        eprintln!("nothing was written");
        return Ok(Outcome::Problems);
    }
    runtime()?.block_on(async {
        let mut chain = Chain::open().await?;
        let stored_in = chain.persist(key, &value).await?;
        eprintln!("stored `{key}` in {stored_in}");
        chain.note_shadowing(key).await;
        Ok(Outcome::Clean)
    })
}

/// `cargo harmony unset KEY`: removes the stored value from every store that holds one.
pub(crate) fn unset(workspace: &Workspace, key: &str) -> Result<Outcome, Error> {
    workspace.find(key)?;
    runtime()?.block_on(async {
        let chain = Chain::open().await?;
        for source in chain.sources.iter().filter(|s| s.should_persist()) {
            if source.get(key).await?.is_some() {
                source.unset(key).await?;
                eprintln!("removed `{key}` from {}", source.name());
            }
        }
        if chain
            .values(key)
            .await
            .iter()
            .any(|(name, held)| name == "env" && matches!(held, Ok(Some(_))))
        {
            eprintln!(
                "note: {} still sets `{key}`",
                harmony_config::env_var_name(key)
            );
        }
        Ok(Outcome::Clean)
    })
}

/// `cargo harmony explain KEY`: every source in order, what it holds, and which one wins.
pub(crate) fn explain(
    workspace: &Workspace,
    key: &str,
    format: MessageFormat,
) -> Result<Outcome, Error> {
    let (krate, config) = workspace.find(key)?;
    let paths = secret_paths(&config.schema);
    let secrets: Vec<&str> = paths.iter().map(String::as_str).collect();
    runtime()?.block_on(async {
        let chain = Chain::open().await?;
        let values = chain.values(key).await;
        let winner = answer(&values).filter(|&i| values[i].1.is_ok());
        if format == MessageFormat::Human {
            println!(
                "{key} ({} in crate {} at {}:{})",
                config.type_path,
                krate.name,
                source_file(workspace, krate, config),
                config.line
            );
            println!("  env var: {}", harmony_config::env_var_name(key));
        }
        for (i, (name, held)) in values.iter().enumerate() {
            let (status, value) = match held {
                Err(error) => (format!("error: {error}"), None),
                Ok(None) => ("empty".to_owned(), None),
                Ok(Some(value)) if winner == Some(i) => ("wins".to_owned(), Some(value)),
                Ok(Some(value)) => ("shadowed".to_owned(), Some(value)),
            };
            let shown = value.map(|v| redact(v, &secrets));
            match format {
                MessageFormat::Human => match &shown {
                    Some(v) => println!("  {}. {name}: {status}: {v}", i + 1),
                    None => println!("  {}. {name}: {status}", i + 1),
                },
                MessageFormat::Json => {
                    println!("{}", json!({ "reason": "source", "key": key, "order": i + 1, "source": name, "status": status, "value": shown }));
                }
            }
        }
        if winner.is_none() && format == MessageFormat::Human {
            println!("  no source holds a value: set {} or run `cargo harmony set {key}`", harmony_config::env_var_name(key));
        }
        Ok(Outcome::Clean)
    })
}

/// The file that defines `config`, relative to the workspace root, with `/` separators.
fn source_file(workspace: &Workspace, krate: &Crate, config: &GeneratedConfig) -> String {
    let path = krate.manifest_dir.join(&config.file);
    let relative = path.strip_prefix(&workspace.root).unwrap_or(&path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Each way `value` breaks `schema`, as "at `path`: what".
fn validate(schema: &Value, value: &Value) -> Vec<String> {
    violations(schema, value)
        .into_iter()
        .map(|(at, what)| format!("at `{at}`: {what}"))
        .collect()
}

/// Each way `value` breaks `schema`, as the dotted field path (`.` for the value itself) and
/// what was expected. The message never quotes the value, which may be a secret.
pub(crate) fn violations(schema: &Value, value: &Value) -> Vec<(String, String)> {
    match jsonschema::validator_for(schema) {
        Ok(validator) => validator
            .iter_errors(value)
            .map(|error| {
                let path = error.instance_path().to_string();
                let at = if path.is_empty() {
                    ".".to_owned()
                } else {
                    path.trim_start_matches('/').replace('/', ".")
                };
                // The masked message says what was expected without quoting the value.
                (at, error.masked().to_string())
            })
            .collect(),
        Err(error) => vec![(
            ".".to_owned(),
            format!("the schema is one the validator refuses: {error}"),
        )],
    }
}

/// The dotted paths of secret fields, from the schema's `x-harmony-secret` marks.
pub(crate) fn secret_paths(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_secrets(schema, schema, "", &mut out, 0);
    out
}

fn collect_secrets(root: &Value, node: &Value, path: &str, out: &mut Vec<String>, depth: u8) {
    if depth > 32 {
        return;
    }
    // A secret below a field, as the values of a map or the items of a list, makes the whole
    // field secret: its keys and positions are part of it.
    if !path.is_empty()
        && node.get(harmony_codegen::schema::SECRET_KEYWORD) == Some(&Value::Bool(true))
    {
        if !out.iter().any(|p| p == path) {
            out.push(path.to_owned());
        }
        return;
    }
    if let Some(reference) = node.get("$ref").and_then(Value::as_str)
        && let Some(target) = reference
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name))
    {
        collect_secrets(root, target, path, out, depth + 1);
    }
    for keyword in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        for branch in node
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect_secrets(root, branch, path, out, depth + 1);
        }
    }
    for keyword in ["items", "additionalProperties"] {
        if let Some(inner) = node.get(keyword).filter(|v| v.is_object()) {
            collect_secrets(root, inner, path, out, depth + 1);
        }
    }
    for (name, property) in node
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let child = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        collect_secrets(root, property, &child, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_paths_follow_refs_and_nesting() {
        let schema = json!({
            "properties": {
                "password": { "type": "string", "x-harmony-secret": true },
                "db": { "$ref": "#/$defs/Db" },
                "hosts": { "type": "array", "items": { "$ref": "#/$defs/Db" } },
                "plain": { "type": "string" }
            },
            "$defs": { "Db": { "properties": { "token": { "anyOf": [{ "type": "string" }], "x-harmony-secret": true } } } }
        });
        assert_eq!(
            secret_paths(&schema),
            ["password", "db.token", "hosts.token"]
        );
    }

    #[test]
    fn validation_names_the_field_without_the_value() {
        let schema = json!({ "type": "object", "properties": { "port": { "type": "integer" } }, "required": ["port"] });
        let problems = validate(&schema, &json!({ "port": "hunter2" }));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("at `port`: ") && !problems[0].contains("hunter2"),
            "{problems:?}"
        );
        assert!(validate(&schema, &json!({ "port": 1 })).is_empty());
        let missing = validate(&schema, &json!({}));
        assert!(
            missing[0].starts_with("at `.`: ") && missing[0].contains("port"),
            "{missing:?}"
        );
    }
}
