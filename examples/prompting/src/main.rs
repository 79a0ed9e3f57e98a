//! Zero setup: run it, answer the questions once, and the answers are remembered.
//!
//! ```text
//! cargo run -p example-prompting     # first run: asks for each field, stores the answers
//! cargo run -p example-prompting     # second run: reads them back, asks nothing
//! ```
//!
//! `config::prompt_missing()` asks for every missing key up front, so the work that follows
//! never stops midway for lack of a value. Without a terminal (or with `CI` set) it fails at
//! once, naming the `HARMONY_CONFIG_*` variable to set instead.

use std::process::ExitCode;

use harmony_config::Config;
use serde::{Deserialize, Serialize};

harmony_config::include_generated!();

/// The service this example pretends to run.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "example.prompting.Service")]
struct Service {
    /// Name shown in greetings.
    name: String,
    /// TCP port to listen on.
    port: u16,
    /// How much to log.
    level: Level,
    /// Log every request.
    verbose: bool,
    /// Hosts allowed to connect.
    allowed_hosts: Vec<String>,
    /// Who to page when it breaks, if anyone.
    contact: Option<String>,
    /// Token for the upstream API.
    #[config(secret)]
    api_token: String,
    /// Where the service keeps its data.
    database: Database,
}

/// A log level.
#[derive(Serialize, Deserialize, schemars::JsonSchema, Debug)]
#[serde(rename_all = "lowercase")]
enum Level {
    Error,
    Info,
    Debug,
}

/// Connection to the service's database.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct Database {
    /// Host name or address.
    host: String,
    /// Seconds to wait for a connection.
    #[serde(default = "default_timeout")]
    timeout_secs: u32,
}

fn default_timeout() -> u32 {
    5
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), harmony_config::ConfigError> {
    config::prompt_missing().await?;
    let service = config::example_prompting_service().await?;
    println!(
        "{} listens on port {} at level {:?}{}, allows {} host(s), pages {}, uses database {} ({} s timeout) and a token of {} characters.",
        service.name,
        service.port,
        service.level,
        if service.verbose { ", verbosely" } else { "" },
        service.allowed_hosts.len(),
        service.contact.as_deref().unwrap_or("nobody"),
        service.database.host,
        service.database.timeout_secs,
        service.api_token.chars().count(),
    );
    Ok(())
}
