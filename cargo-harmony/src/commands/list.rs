//! `cargo harmony list`: every key, where it is defined, and where its value comes from.

use harmony_config::{Held, Holds};

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::workspace::Workspace;

pub(crate) fn run(workspace: &Workspace, out: &Output) -> Result<Outcome, Error> {
    let manager = chain::reading()?;
    chain::runtime()?.block_on(async {
        for (krate, config) in workspace.configs() {
            let provenance = manager.provenance(&config.key).await?;
            let from = match provenance.winner().map(|at| &provenance.sources[at]) {
                Some(Held {
                    source,
                    holds: Holds::Error(error),
                    ..
                }) => format!("error in {source}: {error}"),
                Some(held) => held.source.clone(),
                None => "missing".to_owned(),
            };
            let env_var = harmony_config::env_var_name(&config.key);
            let location = workspace.location(krate, config);
            let human = format!(
                "{}\t{}\t{}\t{location}\t{env_var}\t{from}",
                config.key, krate.name, config.type_path
            );
            let message = Message::Key {
                key: config.key.clone(),
                krate: krate.name.clone(),
                type_path: config.type_path.clone(),
                file: config.file.clone(),
                line: config.line,
                env_var,
                resolves_from: from,
            };
            out.emit(&message, &human)?;
        }
        Ok(Outcome::Clean)
    })
}
