//! The command line, with clap. Cargo calls a subcommand's binary with the subcommand's name
//! as its first argument, so the parser starts at `cargo`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "Exit codes:
  0  success
  1  a check found drift or a problem (`sync --check`, `doctor`, an invalid value for
     `set`), `prompt` left a key without a valid value, `init` left a step to do by hand,
     `push` left a key unpushed (it differs in OpenBao and was not confirmed), or `unset`
     could not ask a team store whether it holds the key
  2  a usage, parse or I/O error, a store that cannot be reached or refuses the login,
     or a prompt cancelled with Ctrl-C or Esc

Team store (OpenBao), in order:
  cargo harmony openbao setup --oidc-issuer URL --oidc-client-id ID   # once, as an admin
  cargo harmony login        # each person, once per token lifetime
  cargo harmony push         # move values set locally up to the team store
  cargo harmony doctor       # check the server, the login and the policy";

const LOGIN_EXAMPLES: &str = "Examples:
  # single sign-on: prints a URL and a code, and waits until the code is approved
  export OPENBAO_URL=https://bao.example.com:8200
  export HARMONY_OIDC_ISSUER=https://sso.example.com HARMONY_OIDC_CLIENT_ID=harmony-cli
  cargo harmony login
  # userpass: asks for the password in a terminal unless OPENBAO_PASSWORD is set
  OPENBAO_USERNAME=alice cargo harmony login";

const PUSH_EXAMPLES: &str = "Examples:
  cargo harmony push                 # every key of the workspace; asks before overwriting
  cargo harmony push app.Db --yes    # one key, overwriting without asking
  cargo harmony push -p app          # the keys of one package";

const SETUP_EXAMPLES: &str = "Examples:
  export OPENBAO_URL=https://bao.example.com:8200 OPENBAO_TOKEN=<admin token>
  cargo harmony openbao setup --oidc-issuer https://sso.example.com --oidc-client-id harmony-cli
  ALICE_PW=... cargo harmony openbao setup --userpass-user alice --userpass-password-env ALICE_PW";

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
    ///
    /// When `OPENBAO_URL` (or `VAULT_ADDR`) is set, it also checks the team store: that the server
    /// answers and is unsealed; which login would be used (`OPENBAO_TOKEN`, the cached login and
    /// its expiry, or userpass) and that the server accepts it; and that the login's policies
    /// allow reading and writing the namespace. Each request is bounded by `OPENBAO_TIMEOUT_MS`,
    /// and it never starts a browser login: without one it says to run `cargo harmony login`.
    Doctor,
    /// Log in to OpenBao, and cache the token for every process of this user
    ///
    /// Logs in with, in order: `OPENBAO_USERNAME` (and `OPENBAO_PASSWORD`, asked for in a terminal
    /// when unset) through userpass; else single sign-on, the OIDC device flow at
    /// `HARMONY_OIDC_ISSUER` with the client `HARMONY_OIDC_CLIENT_ID`: it prints a URL and a code
    /// to enter there, opens a browser when it can, and waits until the code is approved. The
    /// OpenBao token, never a password, is cached under the user's data directory
    /// (~/.local/share/harmony/openbao/, mode 0600) and reused until it expires. When a cached
    /// login is still valid, it says who is logged in and does nothing; --force logs in again,
    /// and the cached login is replaced only once the new one works.
    /// With `OPENBAO_TOKEN` set, that token is checked and used as it is, and nothing is cached.
    ///
    /// Needs `OPENBAO_URL` (or `VAULT_ADDR`).
    #[command(after_long_help = LOGIN_EXAMPLES)]
    Login {
        /// Log in again even when a cached login is still valid
        #[arg(long)]
        force: bool,
    },
    /// Copy values from the local database up to OpenBao; nothing local is removed
    ///
    /// For each key (every key of the selected packages that the local database holds, or the
    /// KEYs given): a key OpenBao lacks is written; an equal one is left alone; one that
    /// differs is overwritten only when confirmed: asked in a terminal, or --yes. Without a
    /// terminal and without --yes, differing keys are skipped, listed, and the exit code is 1.
    /// A local value that no longer fits its schema is not pushed. Values are never printed;
    /// differing keys are named with their differing fields.
    ///
    /// The local database is `HARMONY_DB`, or ~/.local/share/harmony/config/config.db.
    /// OpenBao is `OPENBAO_URL` with the login of `cargo harmony login`, under the namespace
    /// `HARMONY_SECRET_NAMESPACE` (default `harmony`).
    #[command(after_long_help = PUSH_EXAMPLES)]
    Push {
        /// Only these keys [default: every key of the selected packages]
        #[arg(value_name = "KEY")]
        keys: Vec<String>,
        /// Overwrite values that differ in OpenBao without asking
        #[arg(short, long)]
        yes: bool,
    },
    /// Administer the OpenBao team store
    Openbao {
        /// What to do.
        #[command(subcommand)]
        command: OpenbaoCommand,
    },
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

/// `cargo harmony openbao ...`.
#[derive(Debug, Subcommand)]
pub enum OpenbaoCommand {
    /// Put in place what the team store needs, with an admin token; changes nothing already right
    ///
    /// Writes, each only when missing or different: the KV v2 mount (`OPENBAO_KV_MOUNT`, default
    /// `secret`); the policy --policy granting the namespace's values; with --userpass-user,
    /// the userpass auth mount (`OPENBAO_AUTH_MOUNT`, default `userpass`) and the user, holding
    /// the policy; with --oidc-issuer, the JWT auth mount (`OPENBAO_JWT_MOUNT`, default `jwt`)
    /// trusting the issuer, and the role --jwt-role, its default, holding the policy. Prints
    /// each step; a second run reports that nothing changed. An existing user's password is
    /// left as it is.
    ///
    /// The admin token comes from --token, `OPENBAO_TOKEN` or `VAULT_TOKEN`; the server from
    /// `OPENBAO_URL` (or `VAULT_ADDR`).
    #[command(after_long_help = SETUP_EXAMPLES)]
    Setup(SetupArgs),
}

/// The options of `cargo harmony openbao setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// The admin token [default: `OPENBAO_TOKEN`, else `VAULT_TOKEN`]; prefer the variable, as
    /// other users can see a command line
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The namespace the policy grants [default: `HARMONY_SECRET_NAMESPACE`, else `harmony`]
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// The name of the policy to write
    #[arg(long, value_name = "NAME", default_value = "harmony")]
    pub policy: String,
    /// Create this userpass user, holding the policy
    #[arg(long, value_name = "USER")]
    pub userpass_user: Option<String>,
    /// The variable holding the new user's password [default: asked for in a terminal]
    #[arg(long, value_name = "VAR", requires = "userpass_user")]
    pub userpass_password_env: Option<String>,
    /// Trust this OIDC issuer for `cargo harmony login`, through OpenBao's JWT auth
    #[arg(long, value_name = "URL", requires = "oidc_client_id")]
    pub oidc_issuer: Option<String>,
    /// The public client the device flow uses
    #[arg(long, value_name = "ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// The audience tokens must carry [default: `HARMONY_OIDC_AUDIENCE`, else the client id]
    #[arg(long, value_name = "AUDIENCE", requires = "oidc_issuer")]
    pub oidc_audience: Option<String>,
    /// The JWT role to write and make the default [default: `OPENBAO_JWT_ROLE`, else `harmony`]
    #[arg(long, value_name = "NAME", requires = "oidc_issuer")]
    pub jwt_role: Option<String>,
}
