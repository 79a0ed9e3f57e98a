//! `cargo harmony push`: copies values from the local database up to OpenBao. A key OpenBao
//! lacks is written, an equal one left alone, and a different one overwritten only when
//! confirmed. Nothing local is ever removed, and no value is ever printed.

use std::collections::BTreeMap;
use std::fmt;

use harmony_config::openbao::OpenbaoSecretStore;
use harmony_config::{ConfigError, ConfigSource, SecretStore, SqliteSource, StoreSource};
use serde_json::Value;

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::team::{not_configured, ready};
use crate::validation;
use crate::workspace::Workspace;

/// What happened to one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Written,
    Overwritten,
    Unchanged,
    /// It differs in OpenBao, and overwriting was not confirmed: no terminal, no --yes.
    Skipped,
    /// It differs in OpenBao, and the person said no.
    Declined,
    /// The local database holds no value for it.
    NotLocal,
    /// The local value does not fit the key's schema.
    Invalid,
    /// Reading or writing it failed.
    Failed,
}

impl Action {
    const ALL: [Self; 8] = [
        Self::Written,
        Self::Overwritten,
        Self::Unchanged,
        Self::Skipped,
        Self::Declined,
        Self::NotLocal,
        Self::Invalid,
        Self::Failed,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Written => "written",
            Self::Overwritten => "overwritten",
            Self::Unchanged => "unchanged",
            Self::Skipped => "skipped",
            Self::Declined => "declined",
            Self::NotLocal => "not stored locally",
            Self::Invalid => "invalid",
            Self::Failed => "failed",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One key's outcome, as printed.
struct Report {
    key: String,
    result: Action,
    message: String,
}

/// `cargo harmony push [KEY...] [--yes]`.
pub(crate) fn run(
    workspace: &Workspace,
    keys: &[String],
    yes: bool,
    out: &Output,
) -> Result<Outcome, Error> {
    let team = harmony_config::openbao::source_from_env()?.ok_or_else(|| not_configured("push"))?;
    let explicit = !keys.is_empty();
    let mut selected = Vec::new();
    if explicit {
        for key in keys {
            selected.push(workspace.find(key)?.1);
        }
    } else {
        selected.extend(workspace.configs().into_iter().map(|(_, config)| config));
    }
    let path = SqliteSource::default_path()?;
    if !path.exists() {
        return Err(Error::Usage(format!(
            "there is no local database at {} (HARMONY_DB, or the default): nothing to push",
            path.display()
        )));
    }
    let ask = !yes && harmony_config::prompt::no_terminal_reason().is_none();
    chain::runtime()?.block_on(async {
        let local = SqliteSource::read_only(&path);
        ready(team.store()).await?;
        let target = team.name();
        let mut reports = Vec::new();
        for config in selected {
            let key = config.key.as_str();
            let report = push_one(&local, &team, key, &config.schema, yes, ask).await?;
            if report.result == Action::NotLocal && !explicit {
                continue;
            }
            print(&report, out)?;
            reports.push(report);
        }
        summarize(&reports, &target, out)
    })
}

async fn push_one(
    local: &SqliteSource,
    team: &StoreSource<OpenbaoSecretStore>,
    key: &str,
    schema: &Value,
    yes: bool,
    ask: bool,
) -> Result<Report, Error> {
    let report = |result, message: String| Report {
        key: key.to_owned(),
        result,
        message,
    };
    let Some(value) = local.get(key).await? else {
        return Ok(report(
            Action::NotLocal,
            format!("the local database holds no value for `{key}`"),
        ));
    };
    let problems = validation::violations(key, schema, &value);
    if !problems.is_empty() {
        let at: Vec<String> = problems.iter().map(|v| format!("`{}`", v.at)).collect();
        return Ok(report(
            Action::Invalid,
            format!(
                "the local value of `{key}` does not fit its schema (at {}): fix it with `cargo harmony set {key}`, then push again",
                at.join(", ")
            ),
        ));
    }
    let (store, namespace) = (team.store(), team.namespace());
    let remote = match store.get(namespace, key).await {
        Ok(remote) => remote,
        Err(error) => return failed(key, error),
    };
    let result = match remote {
        Some(remote) if remote == value => {
            return Ok(report(
                Action::Unchanged,
                format!("`{key}`: OpenBao already holds the local value"),
            ));
        }
        None => Action::Written,
        Some(remote) => {
            let fields = differing_fields(&value, &remote);
            let confirmed = yes || (ask && confirm(key, &fields)?);
            if !confirmed {
                let (result, why) = if ask {
                    (Action::Declined, "kept OpenBao's value, as asked")
                } else {
                    (Action::Skipped, "not overwritten without --yes")
                };
                return Ok(report(
                    result,
                    format!(
                        "`{key}` differs in OpenBao (fields {}): {why}",
                        fields.join(", ")
                    ),
                ));
            }
            Action::Overwritten
        }
    };
    if let Err(error) = store.set(namespace, key, &value).await {
        return failed(key, error);
    }
    let what = if result == Action::Written {
        "written to OpenBao"
    } else {
        "OpenBao's value replaced with the local one"
    };
    Ok(report(result, format!("`{key}`: {what}")))
}

/// A key that could not be read or written: the store's whole problem (down, no login) stops
/// the push; a refusal of this one key is reported, and the push goes on.
fn failed(key: &str, error: ConfigError) -> Result<Report, Error> {
    match error {
        ConfigError::StoreDenied { .. } | ConfigError::StoreRequest { .. } => Ok(Report {
            key: key.to_owned(),
            result: Action::Failed,
            message: error.to_string(),
        }),
        other => Err(other.into()),
    }
}

/// The top-level fields whose values differ, by name: names are not secret, values may be.
fn differing_fields(local: &Value, remote: &Value) -> Vec<String> {
    let (Some(local), Some(remote)) = (local.as_object(), remote.as_object()) else {
        return vec!["the whole value".to_owned()];
    };
    let mut names: Vec<String> = local
        .keys()
        .chain(remote.keys())
        .filter(|name| local.get(*name) != remote.get(*name))
        .map(|name| format!("`{name}`"))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Asks whether to overwrite `key` in OpenBao. Esc or Ctrl-C stops the push.
fn confirm(key: &str, fields: &[String]) -> Result<bool, Error> {
    inquire::Confirm::new(&format!("Overwrite `{key}` in OpenBao with the local value?"))
        .with_default(false)
        .with_help_message(&format!(
            "it differs in {}; values are not shown (`cargo harmony explain {key}` shows both, redacted)",
            fields.join(", ")
        ))
    .prompt()
    .map_err(|e| match e {
        inquire::InquireError::OperationCanceled | inquire::InquireError::OperationInterrupted => {
            Error::Usage(format!(
                "push cancelled at `{key}`: keys before it were pushed, `{key}` and the rest were not"
            ))
        }
        other => Error::Usage(format!(
            "could not ask whether to overwrite `{key}`: {other}; rerun with --yes to overwrite without asking"
        )),
    })
}

fn print(report: &Report, out: &Output) -> Result<(), Error> {
    let message = Message::Push {
        key: report.key.clone(),
        result: report.result.as_str().to_owned(),
        message: report.message.clone(),
    };
    out.emit(
        &message,
        &format!("{:<11} {}", report.result, report.message),
    )
}

/// The summary line, and what to do about keys left behind; exit code 1 when any was.
fn summarize(reports: &[Report], target: &str, out: &Output) -> Result<Outcome, Error> {
    let keys = |result| -> Vec<&str> {
        reports
            .iter()
            .filter(|r| r.result == result)
            .map(|r| r.key.as_str())
            .collect()
    };
    let (skipped, invalid, failed, missing) = (
        keys(Action::Skipped),
        keys(Action::Invalid),
        keys(Action::Failed),
        keys(Action::NotLocal),
    );
    let counts: Vec<(Action, usize)> = Action::ALL
        .into_iter()
        .map(|action| (action, keys(action).len()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let summary = if counts.is_empty() {
        format!("push to {target}: no key to push")
    } else {
        let parts: Vec<String> = counts
            .iter()
            .map(|(action, n)| format!("{n} {action}"))
            .collect();
        format!("push to {target}: {}", parts.join(", "))
    };
    let message = Message::PushSummary {
        target: target.to_owned(),
        counts: counts
            .iter()
            .map(|(action, n)| (action.as_str().to_owned(), *n))
            .collect::<BTreeMap<_, _>>(),
        message: summary.clone(),
    };
    out.emit(&message, &summary)?;
    if reports.is_empty() {
        note!(
            "note: the local database holds no value for any selected key; store one with `cargo harmony set KEY`"
        );
    }
    if !skipped.is_empty() {
        note!(
            "error: {} differ{} in OpenBao and {} not overwritten, as there is no terminal to ask and no --yes: {}. OpenBao's values were kept. To overwrite them with the local values, run `cargo harmony push {} --yes`",
            if skipped.len() == 1 {
                "1 key"
            } else {
                "these keys"
            },
            if skipped.len() == 1 { "s" } else { "" },
            if skipped.len() == 1 { "was" } else { "were" },
            skipped.join(", "),
            skipped.join(" ")
        );
    }
    if !missing.is_empty() {
        note!(
            "error: nothing stored locally for {}: store a value with `cargo harmony set KEY`",
            missing.join(", ")
        );
    }
    Ok(
        if skipped.is_empty() && invalid.is_empty() && failed.is_empty() && missing.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Problems
        },
    )
}
