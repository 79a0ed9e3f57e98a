//! The zero-setup path: a config stored in the default SQLite database and read back on the
//! next run.
//!
//! ```text
//! cargo run -p example-basic    # first run: stores a value
//! cargo run -p example-basic    # second run: reads it back
//! HARMONY_CONFIG_example_basic_Greeting='{"name":"env"}' cargo run -p example-basic
//! ```

use std::error::Error;
use std::io::Write;
use std::process::ExitCode;

use harmony_config::{Config, ConfigError};
use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;

/// Who to greet.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Debug)]
#[config(key = "example.basic.Greeting")]
struct Greeting {
    /// The name to greet.
    name: String,
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
    match harmony_config::get::<Greeting>().await {
        Ok(greeting) => {
            writeln!(
                out,
                "Read back `{}`: hello, {}!",
                Greeting::KEY,
                greeting.name
            )?;
        }
        Err(ConfigError::NotFound { .. }) => {
            harmony_config::set(&Greeting {
                name: "world".to_owned(),
            })
            .await?;
            let path = harmony_config::SqliteSource::default()
                .await?
                .path()
                .display()
                .to_string();
            writeln!(
                out,
                "Stored `{}` in {path}. Run again to read it back.",
                Greeting::KEY
            )?;
        }
        Err(error) => return Err(error.into()),
    }
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
