use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(prefix = "myproj")]
struct OnStruct {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct OnField {
    #[config(required)]
    host: String,
    #[config(redact(all))]
    password: String,
}

fn main() {}
