//! `cargo harmony schema KEY`: the key's JSON Schema, byte for byte what `sync` writes.

use harmony_codegen::emit::schema_text;

use crate::error::{Error, Outcome};
use crate::output::{Message, Output, write_stdout};
use crate::workspace::Workspace;

pub(crate) fn run(workspace: &Workspace, key: &str, out: &Output) -> Result<Outcome, Error> {
    let (_, config) = workspace.find(key)?;
    if out.is_json() {
        let message = Message::Schema {
            key: key.to_owned(),
            schema: config.schema.clone(),
        };
        out.emit(&message, "")?;
    } else {
        write_stdout(&schema_text(&config.schema))?;
    }
    Ok(Outcome::Clean)
}
