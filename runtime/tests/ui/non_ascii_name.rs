use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct Réglages {
    port: u16,
}

fn main() {}
