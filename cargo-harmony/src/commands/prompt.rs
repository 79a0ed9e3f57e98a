//! `cargo harmony prompt [KEY...]`: asks for each key that no source holds, repairs each stored
//! value that no longer fits its schema, and reports what it did with every key.

use harmony_codegen::generate::GeneratedConfig;
use harmony_config::{ConfigError, ConfigManager, Held, Holds};

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::questions::Questions;
use crate::workspace::Workspace;

pub(crate) fn run(workspace: &Workspace, keys: &[String], out: &Output) -> Result<Outcome, Error> {
    let configs: Vec<&GeneratedConfig> = if keys.is_empty() {
        workspace.configs().into_iter().map(|(_, c)| c).collect()
    } else {
        keys.iter()
            .map(|key| workspace.find(key).map(|(_, c)| c))
            .collect::<Result<_, _>>()?
    };
    if configs.is_empty() && !out.is_json() {
        note!("no config keys in the selected packages");
    }
    let manager = chain::writing()?;
    chain::runtime()?.block_on(async {
        let mut outcome = Outcome::Clean;
        for config in configs {
            let done = resolve(&manager, config).await?;
            if matches!(done, Done::Problem(_)) {
                outcome = Outcome::Problems;
            }
            done.report(&config.key, out)?;
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
    fn report(&self, key: &str, out: &Output) -> Result<(), Error> {
        let (status, source, message) = match self {
            Self::Stored(into) => ("stored", Some(into), None),
            Self::Repaired(into) => ("repaired", Some(into), None),
            Self::AlreadySet { from, .. } => ("set", Some(from), None),
            Self::Problem(message) => ("problem", None, Some(message)),
        };
        let human = match self {
            Self::Stored(into) => format!("{key}: stored in {into}"),
            Self::Repaired(into) => format!("{key}: repaired, stored in {into}"),
            Self::AlreadySet {
                from,
                persists: true,
            } => format!("{key}: already set in {from}"),
            Self::AlreadySet {
                from,
                persists: false,
            } => format!(
                "{key}: already set in {from} ({}), which prompt never writes",
                harmony_config::env_var_name(key)
            ),
            Self::Problem(message) => {
                if !out.is_json() {
                    note!("error: {message}");
                }
                String::new()
            }
        };
        let message = Message::Prompt {
            key: key.to_owned(),
            status: status.to_owned(),
            source: source.cloned(),
            message: message.cloned(),
        };
        out.emit(&message, &human)
    }
}

/// Asks for what `key` lacks, if anything, and stores the answers.
///
/// Without a terminal, a key that needs a value is a [`Done::Problem`], so that every such key
/// is reported; Ctrl-C, a terminal that fails and a store that refuses stop the whole run.
async fn resolve(manager: &ConfigManager, config: &GeneratedConfig) -> Result<Done, Error> {
    let key = &config.key;
    let questions = match Questions::new(config) {
        Ok(questions) => questions,
        Err(message) => return Ok(Done::Problem(message)),
    };
    let provenance = manager.provenance(key).await?;
    let winner = provenance
        .winner()
        .and_then(|at| provenance.sources.into_iter().nth(at));
    let asked = match winner {
        Some(Held {
            source,
            holds: Holds::Error(error),
            ..
        }) => {
            return Ok(Done::Problem(format!(
                "`{key}` cannot be read from {source}: {error}"
            )));
        }
        Some(Held {
            source,
            persists,
            holds: Holds::Value(value),
            ..
        }) => {
            if questions.problem(&value).is_none() {
                return Ok(Done::AlreadySet {
                    from: source,
                    persists,
                });
            }
            if !persists {
                // The environment is never written: say what to fix there.
                let problems: Vec<String> = questions
                    .validator()
                    .violations(&value)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                return Ok(Done::Problem(format!(
                    "`{key}` from {source} does not fit its schema ({}): fix {}, or unset it and run `cargo harmony prompt {key}`",
                    problems.join("; "),
                    harmony_config::env_var_name(key)
                )));
            }
            let repaired = match questions.repair(value).await {
                Ok(value) => value,
                Err(error) => return asked_error(error),
            };
            let stored = chain::store(manager, key, &repaired).await?;
            return Ok(Done::Repaired(stored.source));
        }
        _ => questions.ask_all(None).await,
    };
    let value = match asked {
        Ok(value) => value,
        Err(error) => return asked_error(error),
    };
    let stored = chain::store(manager, key, &value).await?;
    Ok(Done::Stored(stored.source))
}

/// No terminal is reported for the key, and the run goes on; anything else stops it.
fn asked_error(error: ConfigError) -> Result<Done, Error> {
    match error {
        error @ ConfigError::NoTerminal { .. } => Ok(Done::Problem(error.to_string())),
        error => Err(error.into()),
    }
}
