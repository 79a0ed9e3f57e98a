use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config]
struct BarePath {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config = "myproj.Db"]
struct NameValue {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key)]
struct KeyWithoutValue {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = 1)]
struct KeyNotAString {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct SecretWithValue {
    #[config(secret = true)]
    password: String,
}

fn main() {}
