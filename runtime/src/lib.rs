//! Typed, zero-setup configuration and secrets.
//!
//! Declare a config as a plain struct, and read it from wherever it is: an environment
//! variable, a local SQLite database that needs no setup, or a team store.
//!
//! # Quick start
//!
//! Add the dependencies:
//!
//! ```toml
//! [dependencies]
//! harmony_config = "0.1"
//! schemars = "1"
//! serde = { version = "1", features = ["derive"] }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! Derive [`Config`] next to serde and schemars, then read and write the value:
//!
//! ```no_run
//! use harmony_config::Config;
//! use serde::{Deserialize, Serialize};
//!
//! /// Connection to the team's switch.
//! #[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
//! #[config(key = "myproj.SwitchAuth")]
//! struct SwitchAuth {
//!     host: String,
//!     user: String,
//!     #[config(secret)]
//!     password: String,
//! }
//!
//! # async fn run() -> Result<(), harmony_config::ConfigError> {
//! harmony_config::set(&SwitchAuth { host: "10.0.0.1".into(), user: "admin".into(), password: "…".into() }).await?;
//! let auth: SwitchAuth = harmony_config::get().await?;
//! # Ok(()) }
//! ```
//!
//! # Resolution
//!
//! Without [`init`], values resolve through [`EnvSource`] (`HARMONY_CONFIG_{KEY}` holding the
//! value as JSON), then [`SqliteSource`] at `~/.local/share/harmony/config/config.db`
//! (`HARMONY_DB` overrides the path). `set` writes to the first source that persists.
//!
//! When `OPENBAO_URL` (or `VAULT_ADDR`) is set, the team store [`openbao`] joins the chain
//! between the two: env, then OpenBao, then SQLite. Team values win over local copies, SQLite
//! still answers while OpenBao is down, and a write OpenBao refuses goes to SQLite with a
//! warning. This needs the `openbao` feature, on by default.
//!
//! [`ConfigManager::from_env`] builds that chain, also read-only, for tools that only look;
//! [`ConfigManager::provenance`] says what each source holds for a key, and
//! [`ConfigManager::set_json`] stores an untyped value by the same write rule.
//!
//! # Prompting
//!
//! [`get_or_prompt`] (and each generated `config::<key>_or_prompt()`) asks at the terminal
//! when no source holds a valid value, one question per field with the doc comments as help,
//! and stores the answers by the same rule as `set`. A stored value that no longer fits, say
//! after a field was added, is repaired by asking only for what is missing. [`get`] never
//! prompts. Without a terminal, or with `CI` set, it fails at once with
//! [`ConfigError::NoTerminal`], which names the variable to set. The `prompt` feature, on by
//! default, carries this part; see [`prompt`].
//!
//! # Features
//!
//! - `openbao` (default): the OpenBao store, with token, userpass and cached logins.
//! - `prompt` (default): the questions at the terminal.
//! - `cli`: what only `cargo harmony` runs, so that applications do not compile it: the
//!   OIDC device login and `openbao::setup`.
//!
//! # Attributes of `#[derive(Config)]`
//!
//! - `#[config(key = "...")]` on the struct: the store key, by default the struct's name. Keys
//!   are global in a user's store, so shared names take a prefix. Allowed: `[A-Za-z0-9_.-]`.
//! - `#[config(secret)]` on a field: the field, and its whole subtree when it is a struct, never
//!   appears in this crate's errors or logs. For fields whose `Debug` you do not control,
//!   wrap the type in [`Secret`].
//! - `#[config(schema = "...")]` on a field: its JSON Schema, where `cargo harmony` and
//!   `harmony_build` cannot see what serde reads (a `with` module, a foreign type).
//!
//! Any other struct or enum of the crate takes [`macro@schema`]:
//! `#[harmony_config::schema(json = "...")]` or `(file = "...")` gives the type's schema, and
//! on a struct, `#[harmony_config::schema]` lets its fields carry `#[schema(json = "...")]`.

mod config;
mod error;
mod fs;
mod generated;
mod global;
pub mod json;
mod manager;
#[cfg(feature = "openbao")]
pub mod openbao;
#[cfg(feature = "prompt")]
pub mod prompt;
mod provenance;
pub mod redact;
pub mod schema;
mod secret;
mod source;
mod timestamp;

pub use config::Config;
pub use error::ConfigError;
pub use fs::FileAccess;
pub use generated::ConfigInfo;
pub use global::{default_manager, get, get_or_prompt, get_or_prompt_with_schema, init, set};
pub use manager::{Access, ConfigManager, Stored, Unset};
pub use provenance::{Held, Holds, Provenance};
pub use secret::Secret;
pub use source::{
    ConfigSource, EnvLookupSource, EnvSource, LocalFileSource, SecretStore, SqliteEntry,
    SqliteSource, StoreSource,
};

/// Derives [`Config`]; see the crate documentation for its attributes.
pub use harmony_config_derive::{Config, schema};

/// Re-exported for implementors of [`ConfigSource`].
pub use async_trait::async_trait;

/// The naming rules: keys, variable names, accessor names, schema keywords, control variables.
pub use harmony_naming as naming;
/// The JSON Schema keyword that marks a secret field, next to `writeOnly: true`.
pub use harmony_naming::SECRET_KEYWORD as SECRET_SCHEMA_KEYWORD;
/// The environment variable that holds a key's value; see [`naming::env_var_name`].
pub use harmony_naming::env_var_name;

/// Runs blocking file work off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ConfigError> + Send + 'static,
) -> Result<T, ConfigError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => Err(ConfigError::io(
            "finish file work, as the runtime is shutting down",
            "",
            std::io::Error::other(error),
        )),
    }
}
