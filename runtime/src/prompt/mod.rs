//! Interactive prompts, driven by a config's JSON Schema: one question per field, in
//! declaration order, with doc comments as help and secrets masked.
//!
//! [`crate::ConfigManager::get_or_prompt`] is the usual entry point. [`Form`] is the part it
//! is built on, for tools such as `cargo harmony` that hold a schema but no Rust type.
//!
//! Prompts need a terminal. With none (stdin or stderr is not a TTY, or `CI` is set), every
//! call fails at once with [`ConfigError::NoTerminal`], which names the variable to set.

mod answer;
mod terminal;

use std::io::IsTerminal;

use serde_json::Value;

use crate::schema::{Field, Schema};
use crate::{ConfigError, env_var_name};

/// Why no prompt can be shown, or `None` when stdin and stderr are a terminal and `CI` is unset.
#[must_use]
pub fn no_terminal_reason() -> Option<&'static str> {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0") {
        return Some("CI is set");
    }
    if !std::io::stdin().is_terminal() {
        return Some("stdin is not a terminal");
    }
    if !std::io::stderr().is_terminal() {
        return Some("stderr is not a terminal");
    }
    None
}

/// What is wrong with a value, as a check reports it to [`Form::repair`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required field is absent; the path ends with its name.
    Missing(Vec<String>),
    /// A field the type does not accept (`deny_unknown_fields`); the path ends with its name.
    Unknown(Vec<String>),
    /// The field at `path` holds a value of the wrong shape.
    Invalid {
        /// Wire names from the root; empty for the value itself.
        path: Vec<String>,
        /// What is wrong, without the value.
        message: String,
    },
}

impl Problem {
    fn path(&self) -> &[String] {
        match self {
            Self::Missing(path) | Self::Unknown(path) | Self::Invalid { path, .. } => path,
        }
    }
}

/// The questions for one config key, read off its JSON Schema.
#[derive(Clone, Debug)]
pub struct Form {
    key: String,
    root: Field,
}

/// How often one field may be answered with a value the check still refuses.
const MAX_ATTEMPTS: usize = 3;

impl Form {
    /// A form for `key`, asking the fields of `schema` ([`Schema::fields`]). Fields named in
    /// `secret_fields` (dotted wire-name paths, as [`crate::Config::SECRET_FIELDS`]), and
    /// those [`Schema::secret_paths`] names, are typed masked.
    #[must_use]
    pub fn new(key: &str, schema: &Value, secret_fields: &[&str]) -> Self {
        Self {
            key: key.to_owned(),
            root: Schema::new(schema).fields(secret_fields),
        }
    }

    /// Whether the answer for the field at `path` (wire names) is typed masked; a path below
    /// a field asked as a whole (a list, a map, JSON) is answered in that field.
    #[must_use]
    pub fn is_masked(&self, path: &[String]) -> bool {
        (0..=path.len())
            .rev()
            .find_map(|end| self.root.find(&path[..end]))
            .is_some_and(|field| field.secret)
    }

    /// Asks every field, offering `current`'s values (or the schema's defaults) as answers.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoTerminal`] without a terminal, [`ConfigError::Cancelled`] on Ctrl-C
    /// or Esc, [`ConfigError::Prompt`] when the terminal fails.
    pub async fn ask_all(&self, current: Option<&Value>) -> Result<Value, ConfigError> {
        self.ensure_terminal(asked_for(current))?;
        self.ask_all_in(&Turn::take().await, current).await
    }

    /// [`Form::ask_all`] for a caller that already holds the terminal.
    pub(crate) async fn ask_all_in(
        &self,
        _turn: &Turn,
        current: Option<&Value>,
    ) -> Result<Value, ConfigError> {
        self.ensure_terminal(asked_for(current))?;
        self.ask_at(&[], current.cloned()).await
    }

    /// Asks only for what `check` finds wrong with `value`, one problem at a time, and keeps
    /// everything else. Returns the repaired value, which `check` accepts.
    ///
    /// # Errors
    ///
    /// As [`Form::ask_all`], and [`ConfigError::Prompt`] when answers keep failing `check`.
    pub async fn repair(
        &self,
        value: Value,
        mut check: impl FnMut(&Value) -> Option<Problem> + Send,
    ) -> Result<Value, ConfigError> {
        let Some(problem) = check(&value) else {
            return Ok(value);
        };
        self.ensure_terminal(&describe(&problem))?;
        self.repair_in(&Turn::take().await, value, check).await
    }

    /// [`Form::repair`] for a caller that already holds the terminal.
    pub(crate) async fn repair_in(
        &self,
        _turn: &Turn,
        mut value: Value,
        mut check: impl FnMut(&Value) -> Option<Problem> + Send,
    ) -> Result<Value, ConfigError> {
        let Some(mut problem) = check(&value) else {
            return Ok(value);
        };
        self.ensure_terminal(&describe(&problem))?;
        let mut attempts: Vec<Vec<String>> = Vec::new();
        loop {
            eprintln!("{}: {}", self.key, describe(&problem));
            let path = problem.path().to_vec();
            if attempts.iter().filter(|p| **p == path).count() >= MAX_ATTEMPTS {
                return Err(self.prompt_error(&format!(
                    "the answer for `{}` is still refused: {}",
                    shown(&path),
                    describe(&problem)
                )));
            }
            attempts.push(path.clone());
            value = match problem {
                Problem::Unknown(path) => remove(value, &path)
                    .ok_or_else(|| self.prompt_error("cannot drop a field inside a list"))?,
                _ => self.ask_into(value, &path).await?,
            };
            match check(&value) {
                Some(next) => problem = next,
                None => return Ok(value),
            }
        }
    }

    fn ensure_terminal(&self, problem: &str) -> Result<(), ConfigError> {
        match no_terminal_reason() {
            None => Ok(()),
            Some(reason) => Err(ConfigError::NoTerminal {
                key: self.key.clone(),
                env_var: env_var_name(&self.key),
                problem: problem.to_owned(),
                reason,
            }),
        }
    }

    fn prompt_error(&self, message: &str) -> ConfigError {
        ConfigError::Prompt {
            key: self.key.clone(),
            message: message.to_owned(),
        }
    }

    /// Asks again for the nearest field at or above `path` that the schema describes, and
    /// puts the answer in place.
    async fn ask_into(&self, mut value: Value, path: &[String]) -> Result<Value, ConfigError> {
        let mut path = path;
        while !path.is_empty() && !self.describes(path) {
            path = &path[..path.len() - 1];
        }
        let current = pointer(&value, path).cloned();
        let answer = self.ask_at(path, current).await?;
        let Some((name, parents)) = path.split_last() else {
            return Ok(answer);
        };
        let parent = pointer_mut(&mut value, parents)
            .ok_or_else(|| self.prompt_error("cannot place an answer inside a list"))?;
        parent.insert(name.clone(), answer);
        Ok(value)
    }

    fn describes(&self, path: &[String]) -> bool {
        self.root.find(path).is_some()
    }

    /// Runs the questions for the field at `path` on a blocking thread.
    async fn ask_at(&self, path: &[String], current: Option<Value>) -> Result<Value, ConfigError> {
        let field = self
            .root
            .find(path)
            .cloned()
            .ok_or_else(|| self.prompt_error("the schema does not describe this field"))?;
        let label = path.join(".");
        if path.is_empty() {
            match &field.help {
                Some(help) => eprintln!("{}: {help}", self.key),
                None => eprintln!("{}:", self.key),
            }
        }
        let answer =
            tokio::task::spawn_blocking(move || terminal::ask(&field, &label, current.as_ref()))
                .await;
        match answer {
            Ok(Ok(value)) => Ok(value.unwrap_or(Value::Null)),
            Ok(Err(
                inquire::InquireError::OperationInterrupted
                | inquire::InquireError::OperationCanceled,
            )) => Err(ConfigError::Cancelled {
                key: self.key.clone(),
            }),
            Ok(Err(inquire::InquireError::NotTTY)) => {
                Err(self.prompt_error("the terminal cannot be put in raw mode"))
            }
            Ok(Err(error)) => Err(self.prompt_error(&error.to_string())),
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => Err(self.prompt_error("the runtime shut down during the prompt")),
        }
    }
}

/// One prompt at a time per process, so concurrent tasks never interleave their questions.
static PROMPT_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Proof that this task owns the terminal until it is dropped.
pub(crate) struct Turn(
    #[allow(dead_code, reason = "held for its Drop")] tokio::sync::MutexGuard<'static, ()>,
);

impl Turn {
    /// Waits until no other task is prompting.
    pub(crate) async fn take() -> Self {
        Self(PROMPT_LOCK.lock().await)
    }
}

/// Why a whole value is asked for, for [`ConfigError::NoTerminal`].
fn asked_for(current: Option<&Value>) -> &'static str {
    match current {
        Some(_) => "asked to edit the current value",
        None => "no source holds one",
    }
}

fn describe(problem: &Problem) -> String {
    match problem {
        Problem::Missing(path) => format!("`{}` is missing", shown(path)),
        Problem::Unknown(path) => format!("`{}` is no longer a field; dropping it", shown(path)),
        Problem::Invalid { path, message } => format!("{message} at `{}`", shown(path)),
    }
}

fn shown(path: &[String]) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.join(".")
    }
}

fn pointer<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, name| v.get(name))
}

/// The object at `path`, made an object (and created) along the way when it is not one.
fn pointer_mut<'v>(
    value: &'v mut Value,
    path: &[String],
) -> Option<&'v mut serde_json::Map<String, Value>> {
    let mut current = value;
    for name in path {
        let object = as_object(current)?;
        current = object.entry(name.clone()).or_insert(Value::Null);
    }
    as_object(current)
}

fn as_object(value: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    match value {
        Value::Array(_) => None,
        Value::Object(_) => value.as_object_mut(),
        other => {
            *other = Value::Object(serde_json::Map::new());
            other.as_object_mut()
        }
    }
}

fn remove(mut value: Value, path: &[String]) -> Option<Value> {
    let (name, parents) = path.split_last()?;
    pointer_mut(&mut value, parents)?.remove(name);
    Some(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn answers_are_placed_and_unknown_fields_dropped() {
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let mut value = json!({"db": {"host": "h", "old": 1}});
        pointer_mut(&mut value, &path(&["db"]))
            .unwrap()
            .insert("port".to_owned(), json!(5432));
        assert_eq!(value, json!({"db": {"host": "h", "old": 1, "port": 5432}}));
        let value = remove(value, &path(&["db", "old"])).unwrap();
        assert_eq!(value, json!({"db": {"host": "h", "port": 5432}}));
        assert!(remove(json!({"list": [1]}), &path(&["list", "0", "x"])).is_none());
        assert_eq!(pointer(&value, &path(&["db", "host"])), Some(&json!("h")));
    }
}
