use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(secret)]
struct SecretOnStruct {
    password: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct KeyOnField {
    #[config(key = "myproj.Db")]
    host: String,
}

fn main() {}
