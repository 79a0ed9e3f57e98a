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

/// The environment variable that holds the value of `key` as JSON: `HARMONY_CONFIG_{KEY}`,
/// with every character outside `[A-Za-z0-9_]` replaced by `_`.
///
/// ```
/// assert_eq!(harmony_config::env_var_name("custom.key-name"), "HARMONY_CONFIG_custom_key_name");
/// ```
#[must_use]
pub fn env_var_name(key: &str) -> String {
    let mut name = String::with_capacity(ENV_PREFIX.len() + key.len());
    name.push_str(ENV_PREFIX);
    name.extend(key.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        }
    }));
    name
}

pub(crate) const ENV_PREFIX: &str = "HARMONY_CONFIG_";

/// Checks a key the way `#[derive(Config)]` does: non-empty, `[A-Za-z0-9_.-]` only, and no
/// leading `.`, so that a key can never name a path outside a store's directory.
pub(crate) fn validate_key(key: &str) -> Result<(), crate::ConfigError> {
    let reason = if key.is_empty() {
        "a key cannot be empty"
    } else if key.starts_with('.') {
        "a key cannot start with `.`"
    } else if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        "a key may contain only ASCII letters, digits, `_`, `.` and `-`"
    } else {
        return Ok(());
    };
    Err(crate::ConfigError::InvalidKey {
        key: key.to_owned(),
        reason,
    })
}
