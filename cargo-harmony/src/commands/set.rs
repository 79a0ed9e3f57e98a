//! `cargo harmony set KEY`: checks the value against the key's schema, then stores it by the
//! write rule. An invalid value names the failing field and writes nothing. With no `--json`
//! or `--file` and a terminal on stdin, it asks for each field instead, offering the current
//! value.

use std::io::{IsTerminal, Read};
use std::path::Path;

use harmony_codegen::generate::GeneratedConfig;
use harmony_config::prompt::no_terminal_reason;
use harmony_config::{ConfigManager, Holds};
use serde_json::Value;

use crate::chain;
use crate::error::{Error, Outcome, io};
use crate::output::{Message, Output};
use crate::questions::Questions;
use crate::validation;
use crate::workspace::Workspace;

pub(crate) fn run(
    workspace: &Workspace,
    key: &str,
    json: Option<&str>,
    file: Option<&Path>,
    out: &Output,
) -> Result<Outcome, Error> {
    let (_, config) = workspace.find(key)?;
    let (text, origin) = match (json, file) {
        (Some(text), _) => (text.to_owned(), "--json".to_owned()),
        (None, Some(path)) => (
            std::fs::read_to_string(path).map_err(io("read", path))?,
            path.display().to_string(),
        ),
        (None, None) if std::io::stdin().is_terminal() => return ask(config, out),
        (None, None) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(io("read", Path::new("stdin")))?;
            if text.trim().is_empty() {
                return Err(Error::Usage(format!(
                    "stdin is empty: give the value of `{key}` as JSON with --json '{{...}}', --file PATH or on stdin, or run `cargo harmony set {key}` in a terminal to be asked for each field"
                )));
            }
            (text, "stdin".to_owned())
        }
    };
    let value: Value = harmony_config::json::parse(&text, &origin)?;
    let problems = validation::violations(key, &config.schema, &value);
    if !problems.is_empty() {
        for problem in &problems {
            note!("error: `{key}` {problem}");
        }
        note!("nothing was written");
        return Ok(Outcome::Problems);
    }
    let manager = chain::writing()?;
    chain::runtime()?.block_on(store(&manager, key, &value, out))
}

/// `set KEY` in a terminal: asks for every field, offering the current value, then stores the
/// answers as `set --json` would.
fn ask(config: &GeneratedConfig, out: &Output) -> Result<Outcome, Error> {
    let key = &config.key;
    if let Some(reason) = no_terminal_reason() {
        return Err(Error::Usage(format!(
            "`cargo harmony set {key}` asks for each field only in a terminal ({reason}): give the value as JSON with --json '{{...}}', --file PATH or on stdin, or set {} instead of storing it",
            harmony_config::env_var_name(key)
        )));
    }
    let questions = Questions::new(config).map_err(Error::Source)?;
    let manager = chain::writing()?;
    chain::runtime()?.block_on(async {
        let current = current(&manager, key).await?;
        let value = questions.ask_all(current.as_ref()).await?;
        store(&manager, key, &value, out).await
    })
}

/// The value a `get` reads, to offer as the answers; a source that cannot be read offers
/// nothing, with a note.
async fn current(manager: &ConfigManager, key: &str) -> Result<Option<Value>, Error> {
    for held in manager.provenance(key).await?.sources {
        match held.holds {
            Holds::Value(value) => return Ok(Some(value)),
            Holds::Error(error) | Holds::Unavailable(error) => {
                note!("note: {} offers no current value: {error}", held.source);
            }
            _ => {}
        }
    }
    Ok(None)
}

async fn store(
    manager: &ConfigManager,
    key: &str,
    value: &Value,
    out: &Output,
) -> Result<Outcome, Error> {
    let stored = chain::store(manager, key, value).await?;
    if !out.is_json() {
        note!("stored `{key}` in {}", stored.source);
    }
    let message = Message::Stored {
        key: key.to_owned(),
        refused: chain::refusals(&stored),
        source: stored.source,
    };
    out.emit(&message, "")?;
    Ok(Outcome::Clean)
}
