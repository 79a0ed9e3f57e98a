use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct Credentials {
    user: String,
    password: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct Login {
    host: String,
    #[config(secret)]
    #[serde(flatten)]
    credentials: Credentials,
}

fn main() {}
