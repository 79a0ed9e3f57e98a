//! Stored values, in the environment, the team store and the database, that no longer fit the
//! current schema of their key: typically after a branch switch changed a struct.

use harmony_config::openbao::OpenbaoSecretStore;
use harmony_config::{ConfigSource, EnvSource, StoreSource, env_var_name};
use serde_json::Value;

use super::check::{Check, Status};
use super::database::Database;
use crate::validation;
use crate::workspace::Workspace;

/// `team` is the team store when its server answers and the login works.
pub(super) async fn check(
    workspace: &Workspace,
    database: &Database,
    team: Option<&StoreSource<OpenbaoSecretStore>>,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut found = 0;
    // With the team store usable, the chain applications read, to find local values newer
    // than the team's: stored while it refused them, and not pushed yet.
    let chain = team.and_then(|_| crate::chain::reading().ok());
    for (_, config) in workspace.configs() {
        let key = &config.key;
        if let Some(chain) = &chain
            && let Ok(provenance) = chain.provenance(key).await
            && let Some(warning) = provenance.unpushed_warning()
        {
            checks.push(
                Check::new("unpushed", Status::Warn, format!("stored value: {warning}"))
                    .fix(format!("cargo harmony push {key}"))
                    .detail("key", key.clone()),
            );
        }
        let var = env_var_name(key);
        let mut values: Vec<(String, Result<Value, String>)> = Vec::new();
        match EnvSource.get(key).await {
            Ok(Some(value)) => values.push((EnvSource.origin(key), Ok(value))),
            Ok(None) => {}
            Err(error) => values.push((EnvSource.origin(key), Err(error.to_string()))),
        }
        if let Some(team) = team {
            match team.probe(key).await {
                Ok(Some(value)) => values.push((team.name(), Ok(value))),
                Ok(None) => {}
                Err(error) => values.push((team.name(), Err(format!("cannot be read: {error}")))),
            }
        }
        if let Database::Read(name, entries) = database
            && let Some(entry) = entries.iter().find(|e| &e.key == key)
        {
            values.push((name.clone(), entry.json().map_err(|e| e.to_string())));
        }
        for (source, value) in values {
            found += 1;
            let fix = if source.starts_with("env") {
                format!(
                    "update {var} to fit the schema (`cargo harmony schema {key}`), or unset it"
                )
            } else {
                format!(
                    "store a value that fits with `cargo harmony set {key}` (schema: `cargo harmony schema {key}`), or remove it with `cargo harmony unset {key}`"
                )
            };
            let problems = match value {
                Ok(value) => validation::violations(key, &config.schema, &value)
                    .into_iter()
                    .map(|v| (v.at, v.what))
                    .collect(),
                Err(reason) => vec![(".".to_owned(), reason)],
            };
            for (field, what) in problems {
                checks.push(
                    Check::new(
                        "stored-value",
                        Status::Problem,
                        format!("stored value: `{key}` in {source} at `{field}`: {what}"),
                    )
                    .fix(fix.clone())
                    .detail("key", key.clone())
                    .detail("source", source.clone())
                    .detail("field", field),
                );
            }
        }
    }
    if checks.is_empty() {
        let unread = if matches!(database, Database::Unreadable) {
            " (the database could not be read, so only the environment was checked)"
        } else {
            ""
        };
        let message = if found == 0 {
            format!("stored values: none for this workspace's keys{unread}")
        } else {
            format!(
                "stored values: {found} for this workspace's keys, each fits its schema{unread}"
            )
        };
        checks.push(Check::new("stored-value", Status::Ok, message));
    }
    checks
}
