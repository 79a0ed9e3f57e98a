//! The command line, with clap. Cargo calls a subcommand's binary with the subcommand's name
//! as its first argument, so the parser starts at `cargo`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "Exit codes:
  0  success
  1  a check found drift or a problem (`sync --check`, `doctor`, an invalid value for
     `set`), `prompt` left a key without a valid value, or `init` left a step to do by hand
  2  a usage, parse or I/O error, or a prompt cancelled with Ctrl-C or Esc";

/// `cargo harmony ...`, as cargo invokes it.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap::builder::Styles::plain())]
pub enum CargoCli {
    /// Typed config for a Rust workspace: schemas, docs, and the values in each store.
    Harmony(Cli),
}

/// The `harmony` subcommand.
#[derive(Debug, Args)]
#[command(version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Which crates, and how to print.
    #[command(flatten)]
    pub workspace: WorkspaceArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Which crates to look at, and how to print.
#[derive(Debug, Args)]
pub struct WorkspaceArgs {
    /// Path to Cargo.toml [default: the workspace of the current directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Only these packages [default: every workspace member]
    #[arg(short, long = "package", global = true, value_name = "SPEC")]
    pub packages: Vec<String>,
    /// Print data as text for people, or as JSON lines with a `reason` field for tools
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// How output is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Text for people.
    Human,
    /// One JSON object per line, each with a `reason` field.
    Json,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write each crate's JSON Schemas, CONFIG.md and .env.example from the config structs
    Sync {
        /// Write nothing; exit 1 and show what is stale (for CI)
        #[arg(long)]
        check: bool,
    },
    /// Print the JSON Schema of a key, as `sync` writes it
    Schema {
        /// The config key
        key: String,
    },
    /// List every key: its crate, Rust type, `file:line`, variable, and where its value comes from
    List,
    /// Print a key's value as JSON; secret fields are redacted unless --show-secrets is given
    Get {
        /// The config key
        key: String,
        /// Show secret fields too
        #[arg(long)]
        show_secrets: bool,
    },
    /// Store a key's value, validated against its schema first; the value comes from --json,
    /// --file, stdin, or questions in a terminal
    ///
    /// With neither --json nor --file, and a terminal on stdin, it asks for each field, offering
    /// the current value: press Enter to keep a field. A secret is typed masked, and an empty
    /// answer keeps the current one. Nothing is stored until every answer fits the schema, and
    /// Ctrl-C or Esc stores nothing. When it cannot ask (`CI` is set, or stderr is not a
    /// terminal), it fails at once.
    Set {
        /// The config key
        key: String,
        /// The value as JSON
        #[arg(long, value_name = "JSON", conflicts_with = "file")]
        json: Option<String>,
        /// A file holding the value as JSON
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Ask for every key that has no valid value, and store the answers
    ///
    /// For each key of the selected packages: a key no source holds is asked field by field; a
    /// stored value that no longer fits its schema (a field added or renamed) is repaired by
    /// asking only for the fields that fail, keeping the rest; a valid value is left alone. A
    /// value from a `HARMONY_CONFIG_*` variable is never written over: when it does not fit,
    /// fix the variable. Prints what it did with each key, never a value.
    ///
    /// Without a terminal, or with `CI` set, nothing is asked: each key that needs a value is
    /// reported with the variable to set, and the exit code is 1. Ctrl-C or Esc stops at once;
    /// keys already answered stay stored, the key being asked is not.
    Prompt {
        /// Only these keys [default: every key of the selected packages]
        #[arg(value_name = "KEY")]
        keys: Vec<String>,
    },
    /// Remove a key's stored value
    Unset {
        /// The config key
        key: String,
    },
    /// Show every source in order: what each holds (redacted), which wins, which it shadows
    Explain {
        /// The config key
        key: String,
    },
    /// Check the database, stray variables, and stored values that drifted from their schema
    ///
    /// Checks the database's path, permissions (0600, directory 0700) and integrity, opening it
    /// read-only; `HARMONY_CONFIG_*` variables that match no key, with the closest key; and
    /// stored values, in the environment and the database, that no longer fit their key's
    /// schema, by field path. Each finding comes with its fix; values are never printed.
    Doctor,
    /// Set up an existing crate: dependencies, build.rs and an example config struct
    ///
    /// Edits Cargo.toml keeping its comments, writes build.rs and an example config struct,
    /// and prints the lines to add to the crate's root file. It never overwrites a file: for an
    /// existing build.rs it prints what to add instead, and exits 1. A second run changes
    /// nothing.
    Init {
        /// Depend on a local checkout of harmony by path [default: version requirements]
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
    },
}
