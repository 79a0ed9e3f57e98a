use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
struct Token {
    value: String,
}

fn main() {}
