//! `cargo harmony get KEY`: the value a `get` reads, as JSON, secrets redacted unless asked for.

use harmony_config::schema::Schema;

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::workspace::Workspace;

pub(crate) fn run(
    workspace: &Workspace,
    key: &str,
    show_secrets: bool,
    out: &Output,
) -> Result<Outcome, Error> {
    let (_, config) = workspace.find(key)?;
    let manager = chain::reading()?;
    chain::runtime()?.block_on(async {
        let provenance = manager.provenance(key).await?;
        // The warning an application logs when it passes over a team store that cannot answer.
        for warning in provenance
            .warnings()
            .iter()
            .chain(&provenance.unpushed_warning())
        {
            note!("warning: {warning}");
        }
        let (source, value) = provenance.into_value()?;
        let value = if show_secrets {
            value
        } else {
            Schema::new(&config.schema).redact(&value)
        };
        let human = serde_json::to_string_pretty(&value).unwrap_or_default();
        let message = Message::Value {
            key: key.to_owned(),
            source,
            value,
        };
        out.emit_json_text(&message, &human)?;
        Ok(Outcome::Clean)
    })
}
