//! `cargo harmony explain KEY`: every source in order, what it holds (redacted), and which
//! one a `get` reads.

use harmony_config::Holds;
use harmony_config::schema::Schema;

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::workspace::Workspace;

pub(crate) fn run(workspace: &Workspace, key: &str, out: &Output) -> Result<Outcome, Error> {
    let (krate, config) = workspace.find(key)?;
    let schema = Schema::new(&config.schema);
    let env_var = harmony_config::env_var_name(key);
    let manager = chain::reading()?;
    chain::runtime()?.block_on(async {
        let provenance = manager.provenance(key).await?;
        let winner = provenance.winner();
        out.human(&format!(
            "{key} ({} in crate {} at {})\n  env var: {env_var}",
            config.type_path,
            krate.name,
            workspace.location(krate, config)
        ))?;
        for (at, held) in provenance.sources.iter().enumerate() {
            let (status, value, error) = match &held.holds {
                Holds::Value(value) if winner == Some(at) => ("wins", Some(value), None),
                Holds::Value(value) => ("shadowed", Some(value), None),
                Holds::Nothing => ("empty", None, None),
                Holds::Unavailable(error) => ("unavailable", None, Some(error.to_string())),
                Holds::Error(error) => ("error", None, Some(error.to_string())),
                _ => ("unknown", None, None),
            };
            let value = value.map(|v| schema.redact(v));
            let detail = match (&value, &error) {
                (Some(value), _) => format!(": {value}"),
                (None, Some(error)) => format!(": {error}"),
                (None, None) => String::new(),
            };
            let human = format!("  {}. {}: {status}{detail}", at + 1, held.source);
            let message = Message::Source {
                key: key.to_owned(),
                order: at + 1,
                source: held.source.clone(),
                status: status.to_owned(),
                value,
                error,
            };
            out.emit(&message, &human)?;
        }
        if let Some(warning) = provenance.unpushed_warning() {
            note!("warning: {warning}");
        }
        if winner.is_none() {
            out.human(&format!(
                "  no source holds a value: set {env_var} or run `cargo harmony set {key}`"
            ))?;
        }
        Ok(Outcome::Clean)
    })
}
