use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "")]
struct Empty {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "myproj/Db")]
struct Slash {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "my proj")]
struct Space {
    host: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = ".hidden")]
struct LeadingDot {
    host: String,
}

fn main() {}
