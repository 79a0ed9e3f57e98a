//! The `cargo harmony` subcommand, as a library: [`run`] parses the arguments and runs a
//! command; the `cargo-harmony` binary only calls it.
//!
//! ```text
//! cargo harmony sync            # write schemas, CONFIG.md and .env.example
//! cargo harmony sync --check    # in CI: exit 1 when any of them is stale
//! cargo harmony schema KEY      # print a key's JSON Schema
//! cargo harmony list            # every key, and where its value comes from
//! cargo harmony get KEY         # the value, secrets redacted
//! cargo harmony set KEY --json '{"port": 8080}'
//! cargo harmony set KEY         # in a terminal: asks for each field, offering the current value
//! cargo harmony prompt          # asks for every key with no valid value, repairs drifted ones
//! cargo harmony explain KEY     # every source, in order, and which one wins
//! cargo harmony doctor          # the database, stray variables, values that drifted
//! cargo harmony init            # add harmony_config to an existing crate
//! cargo harmony login           # log in to OpenBao (SSO or userpass), caching the token
//! cargo harmony push            # copy local values up to OpenBao, asking before overwriting
//! cargo harmony openbao setup   # as an admin: the mount, policy and auth methods
//! ```

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

mod cache;
pub mod cli;
mod doctor;
mod init;
mod login;
mod prompt;
mod push;
mod schema_cmd;
mod setup_cmd;
mod sync;
mod team;
mod templates;
mod values;
pub mod workspace;

use cli::{CargoCli, Command, OpenbaoCommand};
use workspace::Workspace;

/// Runs `cargo harmony` with `args` (the first being the program name) and returns the exit
/// code: 0 on success, 1 when a check found a problem, 2 on usage, parse or I/O errors.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let CargoCli::Harmony(cli) = match CargoCli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version on stdout with code 0, and usage errors with code 2.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    match execute(&cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// How a command that ran to the end went.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// A check found something, already printed; exit code 1.
    Problems,
}

fn execute(cli: &cli::Cli) -> Result<Outcome, Error> {
    // `init` sets up a crate that does not use harmony_config yet: there is nothing to scan.
    // Neither do the commands that only talk to the team store.
    match &cli.command {
        Command::Init { path } => return init::run(&cli.workspace, path.as_deref()),
        Command::Login { force } => return login::run(*force),
        Command::Openbao {
            command: OpenbaoCommand::Setup(args),
        } => return setup_cmd::run(args, cli.workspace.message_format),
        _ => {}
    }
    let check = matches!(cli.command, Command::Sync { check: true });
    let mode = if check {
        workspace::CacheMode::Check
    } else {
        workspace::CacheMode::Sync
    };
    let workspace = Workspace::load_with(&cli.workspace, mode)?;
    let format = cli.workspace.message_format;
    match &cli.command {
        Command::Sync { check } => sync::run(&workspace, &cli.workspace, *check, format),
        Command::Schema { key } => schema_cmd::run(&workspace, key),
        Command::List => values::list(&workspace, format),
        Command::Get { key, show_secrets } => values::get(&workspace, key, *show_secrets),
        Command::Set { key, json, file } => {
            values::set(&workspace, key, json.as_deref(), file.as_ref())
        }
        Command::Prompt { keys } => prompt::run(&workspace, keys, format),
        Command::Unset { key } => values::unset(&workspace, key),
        Command::Explain { key } => values::explain(&workspace, key, format),
        Command::Doctor => doctor::run(&workspace, format),
        Command::Push { keys, yes } => push::run(&workspace, keys, *yes, format),
        Command::Init { path } => init::run(&cli.workspace, path.as_deref()),
        Command::Login { force } => login::run(*force),
        Command::Openbao {
            command: OpenbaoCommand::Setup(args),
        } => setup_cmd::run(args, format),
    }
}

/// Why a command could not run: each exits with code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Arguments that do not fit the workspace.
    #[error("{0}")]
    Usage(String),
    /// `cargo metadata` failed.
    #[error("cargo metadata failed: {0}")]
    Metadata(String),
    /// Sources that do not parse, or configs that break a rule; each line has its location.
    #[error("{0}")]
    Source(String),
    /// A key no crate defines.
    #[error("no crate defines the config key `{key}`{}", .closest.as_ref().map(|c| format!("; did you mean `{c}`?")).unwrap_or_default())]
    UnknownKey {
        /// The key asked for.
        key: String,
        /// The closest existing key, if any is close.
        closest: Option<String>,
    },
    /// A file could not be read or written.
    #[error("could not {action} {}: {source}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The runtime failed: a store could not be read or written.
    #[error(transparent)]
    Config(#[from] harmony_config::ConfigError),
}

/// Maps an I/O error to [`Error::Io`], naming what was being done and the path.
pub(crate) fn io(
    action: &'static str,
    path: &std::path::Path,
) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_owned();
    move |source| Error::Io {
        action,
        path,
        source,
    }
}
