//! `LocalFileSource`: one file per key in a directory, JSON or hand-edited TOML.

use std::io::Write;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde_json::Value;

use super::ConfigSource;
use crate::config::validate_key;
use crate::json::parse_with as parse_json;
use crate::{ConfigError, blocking};

/// How the source names its folder when it cannot be trusted, and the way out.
const FOLDER: crate::fs::Use<'static> = crate::fs::Use {
    what: "the folder of config files",
    elsewhere: "give LocalFileSource a folder of your own",
};

/// Reads and writes `{dir}/{KEY}.json`, or `{dir}/{KEY}.toml` when that file exists.
///
/// `set` keeps the format already on disk and writes JSON otherwise. Writes are atomic: a
/// temporary file in the same directory, then a rename. Files are created with mode 0600 and
/// the directory with mode 0700.
#[derive(Clone, Debug)]
pub struct LocalFileSource {
    dir: PathBuf,
}

impl LocalFileSource {
    /// A source over the files in `dir`. Nothing is touched until the first `get` or `set`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The directory holding the files.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn paths(&self, key: &str) -> Result<(PathBuf, PathBuf), ConfigError> {
        validate_key(key)?;
        Ok((
            self.dir.join(format!("{key}.toml")),
            self.dir.join(format!("{key}.json")),
        ))
    }
}

#[async_trait]
impl ConfigSource for LocalFileSource {
    async fn get(&self, key: &str) -> Result<Option<Value>, ConfigError> {
        let (toml_path, json_path) = self.paths(key)?;
        let dir = self.dir.clone();
        blocking(move || {
            // Read from a folder only as far as it would be written to.
            crate::fs::ensure_safe(&dir, crate::fs::Holds::Folder, FOLDER)?;
            if let Some(text) = read_if_exists(&toml_path)? {
                return parse_toml(&text, &toml_path).map(Some);
            }
            match read_if_exists(&json_path)? {
                Some(text) => parse_json(&text, || json_path.display().to_string()).map(Some),
                None => Ok(None),
            }
        })
        .await
    }

    async fn set(&self, key: &str, value: &Value) -> Result<(), ConfigError> {
        let (toml_path, json_path) = self.paths(key)?;
        let (key, value, dir) = (key.to_owned(), value.clone(), self.dir.clone());
        blocking(move || {
            let serialize_error = |message: String| ConfigError::Serialize {
                key: key.clone(),
                message,
            };
            let (path, text) = if toml_path.exists() {
                let table = json_to_toml(&value, "").map_err(serialize_error)?;
                let text = table
                    .as_ref()
                    .map(toml::to_string_pretty)
                    .transpose()
                    .map_err(|e| serialize_error(e.to_string()))?;
                (toml_path, text.unwrap_or_default())
            } else {
                let text = serde_json::to_string_pretty(&value)
                    .map_err(|e| serialize_error(e.to_string()))?;
                (json_path, text + "\n")
            };
            crate::fs::create_private_dir(&dir, FOLDER)?;
            write_atomically(&dir, &path, text.as_bytes())
        })
        .await
    }

    async fn unset(&self, key: &str) -> Result<(), ConfigError> {
        let (toml_path, json_path) = self.paths(key)?;
        blocking(move || {
            for path in [toml_path, json_path] {
                match std::fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(ConfigError::io("remove", path, e)),
                }
            }
            Ok(())
        })
        .await
    }

    fn name(&self) -> String {
        format!("files ({})", self.dir.display())
    }
}

fn read_if_exists(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::io("read", path, e)),
    }
}

/// Parses TOML. The error is built from the message and position alone: the `Display` of
/// `toml`'s error quotes the offending source line, which may hold a secret.
fn parse_toml(text: &str, path: &Path) -> Result<Value, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|error| {
        let before = error
            .span()
            .and_then(|span| text.get(..span.start))
            .unwrap_or("");
        ConfigError::Parse {
            origin: path.display().to_string(),
            format: "TOML",
            message: error.message().to_owned(),
            line: before.matches('\n').count() + 1,
            column: before
                .rsplit('\n')
                .next()
                .map_or(0, |line| line.chars().count())
                + 1,
        }
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

/// TOML as JSON; a date or time becomes its text, as config structs read it.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// JSON as TOML. TOML has no null, so a `None` field is left out, which serde reads back as
/// `None`; a null inside an array, or an integer beyond 64-bit signed, cannot be written.
fn json_to_toml(value: &Value, path: &str) -> Result<Option<toml::Value>, String> {
    let at = |path: &str| {
        if path.is_empty() {
            ".".to_owned()
        } else {
            path.to_owned()
        }
    };
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => toml::Value::Integer(i),
            (None, Some(f)) if !n.is_u64() => toml::Value::Float(f),
            _ => {
                return Err(format!(
                    "the number at `{}` is beyond the 64-bit signed integers TOML holds; store this key as JSON instead",
                    at(path)
                ));
            }
        },
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                out.push(json_to_toml(item, &item_path)?.ok_or_else(|| {
                    format!("TOML arrays cannot hold null, found at `{item_path}`")
                })?);
            }
            toml::Value::Array(out)
        }
        Value::Object(map) => {
            let mut table = toml::Table::new();
            for (name, item) in map {
                let item_path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                if let Some(item) = json_to_toml(item, &item_path)? {
                    table.insert(name.clone(), item);
                }
            }
            toml::Value::Table(table)
        }
    }))
}

fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), ConfigError> {
    // NamedTempFile creates its file with mode 0600, and `persist` renames it into place.
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| ConfigError::io("create a temporary file in", dir, e))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| ConfigError::io("write", file.path().to_owned(), e))?;
    file.persist(path)
        .map_err(|e| ConfigError::io("replace", path, e.error))?;
    Ok(())
}
