//! The text templates of `templates/`, all rendered the same way: a block tag vanishes with its
//! line, and an undefined variable is an error rather than an empty string.

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};

use crate::error::Error;

/// A minijinja environment for the template `name`.
pub(crate) fn environment(name: &str) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(failed(name))?;
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    Ok(env)
}

/// A template that does not render is this tool's bug, named with its file.
pub(crate) fn failed(name: &str) -> impl Fn(minijinja::Error) -> Error {
    let name = name.to_owned();
    move |e| {
        Error::Source(format!(
            "templates/{name}: {e}; this is a bug in cargo-harmony"
        ))
    }
}
