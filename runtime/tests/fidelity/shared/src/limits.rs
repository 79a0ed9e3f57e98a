//! A struct and an enum, with serde attributes the schema must follow.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much is allowed.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The most.
    pub max: u16,
    /// The least, when given.
    #[serde(default)]
    pub min: Option<u8>,
    /// How strict.
    pub level: Level,
}

/// A level, written in lowercase.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Little.
    Low,
    /// Much.
    High,
}
