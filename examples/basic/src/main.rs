//! The zero-setup path: a config stored in the default SQLite database and read back on the
//! next run.
//!
//! ```text
//! cargo run -p example-basic    # first run: stores a value
//! cargo run -p example-basic    # second run: reads it back
//! HARMONY_CONFIG_example_basic_Greeting='{"name":"env"}' cargo run -p example-basic
//! ```

use std::process::ExitCode;

use harmony_config::{Config, ConfigError};
use serde::{Deserialize, Serialize};

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
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), ConfigError> {
    match harmony_config::get::<Greeting>().await {
        Ok(greeting) => {
            println!("Read back `{}`: hello, {}!", Greeting::KEY, greeting.name);
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
            println!(
                "Stored `{}` in {path}. Run again to read it back.",
                Greeting::KEY
            );
        }
        Err(error) => return Err(error),
    }
    Ok(())
}
