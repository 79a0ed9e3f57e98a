use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct Wrapper<T> {
    value: T,
}

fn main() {}
