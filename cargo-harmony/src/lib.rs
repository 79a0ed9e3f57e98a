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
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// `eprintln!` that never panics and escapes control characters: [`output::note`].
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::output::note(&format!($($arg)*))
    };
}

mod cache;
mod chain;
pub mod cli;
mod commands;
mod error;
mod logging;
mod output;
mod questions;
mod team;
mod templates;
mod validation;
mod workspace;

use cli::{CargoCli, Cli, Command, OpenbaoCommand};
use commands::{
    doctor, explain, get, init, list, login, openbao_setup, prompt, push, schema, set, sync, unset,
};
use error::{Error, Outcome, escape_controls};
use output::Output;
pub use output::{Message, Origin, Refusal};
use workspace::{CacheMode, Workspace};

/// Runs `cargo harmony` with `args` (the first being the program name) and returns the exit
/// code: 0 on success, 1 when a check found a problem, 2 on usage, parse or I/O errors, 141
/// when whatever read stdout closed it.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    logging::init();
    let CargoCli::Harmony(cli) = match CargoCli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version on stdout with code 0, and usage errors with code 2;
            // a usage error quotes the arguments, escaped here.
            let text = escape_controls(&error.render().to_string(), true);
            if error.use_stderr() {
                note!("{}", text.trim_end());
            } else {
                let _ = std::io::stdout().lock().write_all(text.as_bytes());
            }
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    match execute(&cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        // As `cat` ends when its reader goes away: silently, with the code of SIGPIPE.
        Err(Error::ClosedPipe) => ExitCode::from(141),
        Err(error) => {
            note!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Runs the command. `init` and the commands that only talk to the team store need no
/// workspace; every other one scans it first.
fn execute(cli: &Cli) -> Result<Outcome, Error> {
    let args = &cli.workspace;
    let out = Output::new(args.message_format);
    let load = || Workspace::load(args, CacheMode::Sync);
    match &cli.command {
        Command::Init { path } => init::run(args, path.as_deref(), &out),
        Command::Login { force } => login::run(*force, &out),
        Command::Openbao {
            command: OpenbaoCommand::Setup(setup),
        } => openbao_setup::run(setup, &out),
        Command::Sync { check: false } => sync::run(&load()?, args, false, &out),
        Command::Sync { check: true } => {
            sync::run(&Workspace::load(args, CacheMode::Check)?, args, true, &out)
        }
        Command::Schema { key } => schema::run(&load()?, key, &out),
        Command::List => list::run(&load()?, &out),
        Command::Get { key, show_secrets } => get::run(&load()?, key, *show_secrets, &out),
        Command::Set { key, json, file } => {
            set::run(&load()?, key, json.as_deref(), file.as_deref(), &out)
        }
        Command::Prompt { keys } => prompt::run(&load()?, keys, &out),
        Command::Unset { key } => unset::run(&load()?, key, &out),
        Command::Explain { key } => explain::run(&load()?, key, &out),
        Command::Doctor => doctor::run(&load()?, &out),
        Command::Push { keys, yes } => push::run(&load()?, keys, *yes, &out),
    }
}
