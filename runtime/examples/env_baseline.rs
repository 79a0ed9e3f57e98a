//! The whole-process baseline of `scripts/bench-process`: what `example-basic` does, without
//! `harmony_config`. It starts the same tokio runtime, reads the same struct from an environment
//! variable with `serde_json`, and prints the same kind of line.

use serde::Deserialize;

/// The struct `example-basic` reads.
#[derive(Deserialize)]
struct Greeting {
    name: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = std::env::var("HARMONY_CONFIG_example_basic_Greeting")?;
    let greeting: Greeting = serde_json::from_str(&text)?;
    println!(
        "Read back `example.basic.Greeting`: hello, {}!",
        greeting.name
    );
    Ok(())
}
