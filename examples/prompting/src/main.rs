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

use std::error::Error;
use std::io::Write;
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
    exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn Error>> {
    config::prompt_missing().await?;
    let service = config::example_prompting_service().await?;
    writeln!(
        std::io::stdout(),
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
