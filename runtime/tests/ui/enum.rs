use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
enum Mode {
    Fast,
    Slow,
}

fn main() {}
