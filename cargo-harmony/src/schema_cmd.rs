//! `cargo harmony schema KEY`: the key's JSON Schema, byte for byte what `sync` writes.

use harmony_codegen::emit::schema_text;

use crate::workspace::Workspace;
use crate::{Error, Outcome};

pub(crate) fn run(workspace: &Workspace, key: &str) -> Result<Outcome, Error> {
    let (_, config) = workspace.find(key)?;
    print!("{}", schema_text(&config.schema));
    Ok(Outcome::Clean)
}
