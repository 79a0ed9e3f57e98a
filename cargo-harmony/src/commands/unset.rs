//! `cargo harmony unset KEY`: removes the stored value from every store that holds one.

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output, Refusal};
use crate::workspace::Workspace;

pub(crate) fn run(workspace: &Workspace, key: &str, out: &Output) -> Result<Outcome, Error> {
    workspace.find(key)?;
    let manager = chain::writing()?;
    chain::runtime()?.block_on(async {
        let done = manager.unset(key).await?;
        let env_var = harmony_config::env_var_name(key);
        let still_set = !chain::shadowing(&manager, key).await.is_empty();
        if !out.is_json() {
            for source in &done.removed {
                note!("removed `{key}` from {source}");
            }
            for (source, error) in &done.unavailable {
                note!(
                    "error: {source} could not be asked ({error}); it may still hold `{key}`: run `cargo harmony unset {key}` again once it answers"
                );
            }
            if done.removed.is_empty() && done.unavailable.is_empty() {
                note!("no store held `{key}`");
            }
            if still_set {
                note!("note: {env_var} still sets `{key}`");
            }
        }
        let outcome = if done.unavailable.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Problems
        };
        let message = Message::Removed {
            key: key.to_owned(),
            sources: done.removed,
            unavailable: done
                .unavailable
                .iter()
                .map(|(source, error)| Refusal {
                    source: source.clone(),
                    error: error.to_string(),
                })
                .collect(),
            still_set_by: still_set.then_some(env_var),
        };
        out.emit(&message, "")?;
        Ok(outcome)
    })
}
