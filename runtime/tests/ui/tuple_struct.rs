use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct Port(u16);

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
struct Marker;

fn main() {}
