//! The `Config` trait: one typed value stored under one key.

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A typed configuration value, stored as a JSON object under [`Config::KEY`].
///
/// Derive it with `#[derive(Config)]`, or implement it by hand:
///
/// ```
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, schemars::JsonSchema)]
/// struct AppConfig {
///     host: String,
///     port: u16,
/// }
///
/// impl harmony_config::Config for AppConfig {
///     const KEY: &'static str = "AppConfig";
/// }
/// ```
pub trait Config: Serialize + DeserializeOwned + JsonSchema + Send + Sync + 'static {
    /// The key the value is stored under. Keys are global in a user's store, so shared names
    /// take a prefix: `myproj.DatabaseConfig`.
    const KEY: &'static str;

    /// The serde (wire) names of the secret fields, dotted for nested fields. A name marks its
    /// whole subtree. Secret values never appear in this crate's errors or logs.
    const SECRET_FIELDS: &'static [&'static str] = &[];
}

/// Checks a key the way `#[derive(Config)]` does ([`harmony_naming::validate_key`]), so that a
/// key can never name a path outside a store's directory.
pub(crate) fn validate_key(key: &str) -> Result<(), crate::ConfigError> {
    harmony_naming::validate_key(key).map_err(|reason| crate::ConfigError::InvalidKey {
        key: key.to_owned(),
        reason,
    })
}
