use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "a", key = "b")]
struct SameAttribute {
    #[config(secret, secret)]
    password: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "a")]
#[config(key = "b")]
struct SeparateAttributes {
    #[config(secret)]
    #[config(secret)]
    password: String,
}

fn main() {}
