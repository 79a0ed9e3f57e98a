//! The team store end to end: one config resolved through the environment, then OpenBao, then
//! the local SQLite database, with the same calling code as the zero-setup examples.
//!
//! ```text
//! export OPENBAO_URL=http://127.0.0.1:8200        # or VAULT_ADDR
//! export OPENBAO_TOKEN=…                           # or a cached `cargo harmony login`
//! cargo run -p example-openbao-chain               # stores the value in OpenBao
//! bao kv get secret/harmony/example.openbao.AppConfig
//! ```
//!
//! Without `OPENBAO_URL` the chain is the environment, then SQLite, and the example works the
//! same. With OpenBao down, a read falls through to SQLite after one warning, and a write goes
//! to SQLite with a warning; `cargo harmony push` moves it up later. Setting
//! `HARMONY_CONFIG_example_openbao_AppConfig` overrides every store.

use std::error::Error;
use std::io::Write;
use std::process::ExitCode;

use harmony_config::{Config, ConfigError, Secret};
use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;

/// Where the application serves, and the token it calls its upstream with.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Debug)]
#[config(key = "example.openbao.AppConfig")]
struct AppConfig {
    /// Host name to serve on.
    host: String,
    /// TCP port to serve on.
    port: u16,
    /// Token for the upstream API.
    api_token: Secret<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(log_filter())
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    exit_code(run().await)
}

/// Warnings by default; `HARMONY_LOG` (or `RUST_LOG`) asks for more, e.g. `HARMONY_LOG=debug`.
/// An empty variable counts as unset, and a filter that does not parse is said, not ignored.
fn log_filter() -> EnvFilter {
    for name in [harmony_config::naming::vars::LOG, "RUST_LOG"] {
        let parsed = match std::env::var(name) {
            Err(std::env::VarError::NotPresent) => continue,
            Ok(spec) if spec.is_empty() => continue,
            Ok(spec) => EnvFilter::try_new(spec).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        return parsed.unwrap_or_else(|error| {
            let _ = writeln!(
                std::io::stderr(),
                "warning: {name}: {error}; logging warnings only"
            );
            EnvFilter::new("warn")
        });
    }
    EnvFilter::new("warn")
}

async fn run() -> Result<(), Box<dyn Error>> {
    let mut out = std::io::stdout();
    // The chain `harmony_config::get` uses; building it contacts no server.
    let manager = harmony_config::default_manager().await?;
    let chain: Vec<String> = manager.sources().iter().map(|s| s.name()).collect();
    writeln!(out, "Chain: {}", chain.join(" → "))?;

    match manager.get::<AppConfig>().await {
        Ok(config) => {
            writeln!(out, "Found `{}`: {config:?}", AppConfig::KEY)?;
            return Ok(());
        }
        Err(ConfigError::NotFound { .. }) => {
            writeln!(out, "Nothing stored for `{}` yet.", AppConfig::KEY)?;
        }
        Err(error) => return Err(error.into()),
    }

    let config = AppConfig {
        host: "production.example.com".to_owned(),
        port: 443,
        api_token: Secret::new("example-upstream-token".to_owned()),
    };
    manager.set(&config).await?;
    writeln!(out, "Stored {config:?}")?;

    let read = manager.get::<AppConfig>().await?;
    writeln!(
        out,
        "Read back {read:?}. Run again to read it from the store."
    )?;
    Ok(())
}

/// How the run ended: a reader that closed stdout (`| head`) ends it quietly, as `cat` does; a
/// write that failed (a full disk) is exit code 2; anything else is a config error.
fn exit_code(result: Result<(), Box<dyn Error>>) -> ExitCode {
    let Err(error) = result else {
        return ExitCode::SUCCESS;
    };
    match error.downcast_ref::<std::io::Error>() {
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(141),
        Some(e) => {
            let _ = writeln!(std::io::stderr(), "error: could not write the output: {e}");
            ExitCode::from(2)
        }
        None => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::FAILURE
        }
    }
}
