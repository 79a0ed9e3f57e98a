//! Network settings: a config in a nested module, with a secret and a nested enum.

use harmony_config::{Config, Secret};
use serde::{Deserialize, Serialize};

/// The database server.
///
/// Every instance of the app talks to one server.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "example.accessors.Server")]
pub struct Server {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    #[serde(default = "default_port")]
    pub port: u16,
    /// The server's password.
    pub password: Secret<String>,
    /// How to connect.
    #[serde(default)]
    pub tls: Tls,
}

/// Transport security.
#[derive(Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// No encryption.
    Off,
    /// Encrypt, and check the certificate.
    #[default]
    Verify,
}

fn default_port() -> u16 {
    5432
}
