//! Questions at the terminal: `cargo harmony set KEY` with no value given, and
//! `cargo harmony prompt`, which asks for every key that has no valid value.
//!
//! The questions come from the runtime's [`Form`], read off the key's JSON Schema. What is
//! wrong with a value comes from the validator `set --json` uses, so an answer is stored only
//! when `set --json` would store it too. Secrets are asked masked and never printed.

use harmony_codegen::generate::GeneratedConfig;
use harmony_config::ConfigError;
use harmony_config::prompt::{Form, Problem, no_terminal_reason};
use jsonschema::error::ValidationErrorKind;
use serde_json::{Value, json};

use crate::cli::MessageFormat;
use crate::values::{Chain, answer, runtime, secret_paths, violations};
use crate::workspace::Workspace;
use crate::{Error, Outcome};

/// `cargo harmony set KEY` in a terminal: asks for every field, offering the current value,
/// then stores the answers as `set --json` would.
pub(crate) fn set(config: &GeneratedConfig) -> Result<Outcome, Error> {
    let key = &config.key;
    if let Some(reason) = no_terminal_reason() {
        return Err(Error::Usage(format!(
            "`cargo harmony set {key}` asks for each field only in a terminal ({reason}): give the value as JSON with --json '{{...}}', --file PATH or on stdin, or set {} instead of storing it",
            harmony_config::env_var_name(key)
        )));
    }
    let questions = Questions::new(config).map_err(Error::Source)?;
    runtime()?.block_on(async {
        let mut chain = Chain::open().await?;
        let current = current(&chain, key).await;
        let value = questions.ask_all(current.as_ref()).await?;
        let stored_in = chain.persist(key, &value).await?;
        eprintln!("stored `{key}` in {stored_in}");
        chain.note_shadowing(key).await;
        Ok(Outcome::Clean)
    })
}

/// `cargo harmony prompt [KEY...]`: asks for each key that no source holds, repairs each
/// stored value that no longer fits its schema, and reports what it did with every key.
pub(crate) fn run(
    workspace: &Workspace,
    keys: &[String],
    format: MessageFormat,
) -> Result<Outcome, Error> {
    let configs: Vec<&GeneratedConfig> = if keys.is_empty() {
        workspace.configs().into_iter().map(|(_, c)| c).collect()
    } else {
        keys.iter()
            .map(|key| workspace.find(key).map(|(_, c)| c))
            .collect::<Result<_, _>>()?
    };
    if configs.is_empty() && format == MessageFormat::Human {
        eprintln!("no config keys in the selected packages");
    }
    runtime()?.block_on(async {
        let mut chain = Chain::open().await?;
        let mut outcome = Outcome::Clean;
        for config in configs {
            let done = resolve(&mut chain, config).await?;
            if matches!(done, Done::Problem(_)) {
                outcome = Outcome::Problems;
            }
            done.report(&config.key, format);
        }
        Ok(outcome)
    })
}

/// What `prompt` did with one key.
enum Done {
    /// No source held a value: every field was asked, and the answers stored here.
    Stored(String),
    /// The stored value no longer fit: the failing fields were asked, and the result stored here.
    Repaired(String),
    /// A valid value is already there.
    AlreadySet {
        /// The source that holds it.
        from: String,
        /// Whether that source is a store, rather than the environment.
        persists: bool,
    },
    /// Nothing could be asked or stored, for this reason.
    Problem(String),
}

impl Done {
    /// One line per key; never a value.
    fn report(&self, key: &str, format: MessageFormat) {
        let (status, source, message) = match self {
            Self::Stored(into) => ("stored", Some(into), None),
            Self::Repaired(into) => ("repaired", Some(into), None),
            Self::AlreadySet { from, .. } => ("set", Some(from), None),
            Self::Problem(message) => ("problem", None, Some(message)),
        };
        if format == MessageFormat::Json {
            println!(
                "{}",
                json!({ "reason": "prompt", "key": key, "status": status, "source": source, "message": message })
            );
            return;
        }
        match self {
            Self::Stored(into) => println!("{key}: stored in {into}"),
            Self::Repaired(into) => println!("{key}: repaired, stored in {into}"),
            Self::AlreadySet {
                from,
                persists: true,
            } => println!("{key}: already set in {from}"),
            Self::AlreadySet {
                from,
                persists: false,
            } => println!(
                "{key}: already set in {from} ({}), which prompt never writes",
                harmony_config::env_var_name(key)
            ),
            Self::Problem(message) => eprintln!("error: {message}"),
        }
    }
}

/// Asks for what `key` lacks, if anything, and stores the answers.
///
/// Without a terminal, a key that needs a value is a [`Done::Problem`], so that every such key
/// is reported; Ctrl-C, a terminal that fails and a store that refuses stop the whole run.
async fn resolve(chain: &mut Chain, config: &GeneratedConfig) -> Result<Done, Error> {
    let key = &config.key;
    let questions = match Questions::new(config) {
        Ok(questions) => questions,
        Err(message) => return Ok(Done::Problem(message)),
    };
    let mut values = chain.values(key).await;
    let winner = answer(&values).map(|i| {
        let persists = chain.sources.get(i).is_some_and(|s| s.should_persist());
        let (from, held) = values.swap_remove(i);
        (from, persists, held)
    });
    let repairing = matches!(winner, Some((_, _, Ok(Some(_)))));
    let asked = match winner {
        None | Some((_, _, Ok(None))) => questions.ask_all(None).await,
        Some((from, _, Err(error))) => {
            return Ok(Done::Problem(format!(
                "`{key}` cannot be read from {from}: {error}"
            )));
        }
        Some((from, persists, Ok(Some(value)))) if questions.problem(&value).is_none() => {
            return Ok(Done::AlreadySet { from, persists });
        }
        // The environment is never written: say what to fix there.
        Some((from, false, Ok(Some(value)))) => {
            let problems: Vec<String> = violations(&config.schema, &value)
                .into_iter()
                .map(|(at, what)| format!("at `{at}`: {what}"))
                .collect();
            return Ok(Done::Problem(format!(
                "`{key}` from {from} does not fit its schema ({}): fix {}, or unset it and run `cargo harmony prompt {key}`",
                problems.join("; "),
                harmony_config::env_var_name(key)
            )));
        }
        Some((_, true, Ok(Some(value)))) => questions.repair(value).await,
    };
    let value = match asked {
        Ok(value) => value,
        Err(error @ ConfigError::NoTerminal { .. }) => return Ok(Done::Problem(error.to_string())),
        Err(error) => return Err(error.into()),
    };
    let stored_in = chain.persist(key, &value).await?;
    Ok(if repairing {
        Done::Repaired(stored_in)
    } else {
        Done::Stored(stored_in)
    })
}

/// The value the chain resolves for `key`, to offer as the answers; a source that cannot be
/// read is skipped, with a note.
async fn current(chain: &Chain, key: &str) -> Option<Value> {
    let mut current = None;
    for (name, held) in chain.values(key).await {
        match held {
            Ok(Some(value)) => {
                current = Some(value);
                break;
            }
            Ok(None) => {}
            Err(error) => eprintln!("note: {name} offers no current value: {error}"),
        }
    }
    current
}

/// The questions for one key, and the check its answers must pass.
struct Questions {
    form: Form,
    validator: jsonschema::Validator,
}

impl Questions {
    /// Reads the questions off `config`'s schema; the error says why the schema is unusable.
    fn new(config: &GeneratedConfig) -> Result<Self, String> {
        let validator = jsonschema::validator_for(&config.schema).map_err(|error| {
            format!(
                "the JSON Schema of `{}` is one the validator refuses: {error}",
                config.key
            )
        })?;
        let secrets = secret_paths(&config.schema);
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        Ok(Self {
            form: Form::new(&config.key, &config.schema, &secrets),
            validator,
        })
    }

    /// Asks every field, offering `current`, then whatever the answers still lack.
    async fn ask_all(&self, current: Option<&Value>) -> Result<Value, ConfigError> {
        let answers = self.form.ask_all(current).await?;
        self.repair(answers).await
    }

    /// Asks only for what `value` lacks, keeping the rest.
    async fn repair(&self, value: Value) -> Result<Value, ConfigError> {
        self.form.repair(value, |v| self.problem(v)).await
    }

    /// The first thing the schema finds wrong with `value`, as the form understands it.
    fn problem(&self, value: &Value) -> Option<Problem> {
        let error = self.validator.iter_errors(value).next()?;
        let mut path: Vec<String> = error
            .instance_path()
            .iter()
            .map(|segment| segment.to_string())
            .collect();
        Some(match error.kind() {
            ValidationErrorKind::Required { property } => {
                path.push(
                    property
                        .as_str()
                        .map_or_else(|| property.to_string(), str::to_owned),
                );
                Problem::Missing(path)
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected }
                if !unexpected.is_empty() =>
            {
                path.push(unexpected[0].clone());
                Problem::Unknown(path)
            }
            // The masked message says what was expected without quoting the value.
            _ => Problem::Invalid {
                path,
                message: error.masked().to_string(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_errors_become_the_problems_the_form_repairs() {
        let config = GeneratedConfig {
            key: "app.Db".to_owned(),
            type_path: "crate::Db".to_owned(),
            schema: json!({
                "type": "object",
                "properties": {
                    "port": { "type": "integer" },
                    "tls": {
                        "type": "object",
                        "properties": { "cert": { "type": "string" } },
                        "required": ["cert"],
                        "additionalProperties": false
                    }
                },
                "required": ["port", "tls"]
            }),
            file: "src/lib.rs".to_owned(),
            line: 1,
        };
        let questions = Questions::new(&config).unwrap();
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            questions.problem(&json!({ "port": 1 })),
            Some(Problem::Missing(path(&["tls"])))
        );
        assert_eq!(
            questions.problem(&json!({ "port": 1, "tls": {} })),
            Some(Problem::Missing(path(&["tls", "cert"])))
        );
        assert_eq!(
            questions.problem(&json!({ "port": 1, "tls": { "cert": "c", "old": 1 } })),
            Some(Problem::Unknown(path(&["tls", "old"])))
        );
        let Some(Problem::Invalid { path: at, message }) =
            questions.problem(&json!({ "port": "hunter2", "tls": { "cert": "c" } }))
        else {
            panic!("a wrong type is invalid");
        };
        assert_eq!(at, path(&["port"]));
        assert!(!message.contains("hunter2"), "{message}");
        assert_eq!(
            questions.problem(&json!({ "port": 1, "tls": { "cert": "c" } })),
            None
        );
    }
}
