//! The OpenBao (or Vault) team store, through vaultrs.
//!
//! Values live on a KV mount (v2 by default) at `{namespace}/{KEY}`, one KV field per config
//! field. [`OpenbaoSecretStore`] does no I/O until its first request, and bounds every request
//! by [`OpenbaoConfig::timeout`]; wrapped in a [`crate::StoreSource`], a `get` it cannot serve
//! (server down, slow or sealed, a policy denial, no login) falls through to the next source
//! with one warning.
//!
//! Logging in, in order: `OPENBAO_TOKEN` (or `VAULT_TOKEN`); the token cached by an earlier
//! login; a userpass login with `OPENBAO_USERNAME` and `OPENBAO_PASSWORD`; otherwise an error
//! that says to run `cargo harmony login`, which runs the OIDC device flow, then OpenBao's JWT
//! auth. The token, never a password, is cached under the user's data directory
//! (`~/.local/share/harmony/openbao/`, mode 0600) and reused by every process until it expires.
//!
//! With the `cli` feature, off by default, this module also holds what only `cargo harmony`
//! runs: the device login (`OpenbaoSecretStore::device_login`) and `setup::apply`, which puts
//! in place the mount, policy and auth methods the store needs.

mod cache;
mod client;
mod config;
#[cfg(feature = "cli")]
mod device;
mod session;
#[cfg(feature = "cli")]
pub mod setup;
mod status;
mod store;

pub use config::{KvVersion, OidcConfig, OidcToken, OpenbaoConfig};
#[cfg(feature = "cli")]
pub use device::{DeviceCode, Login};
pub use status::{CachedLogin, Health, Identity, LoginMethod};
pub use store::OpenbaoSecretStore;

use crate::{ConfigError, StoreSource};

/// The OpenBao source of the default chain, from the environment: `None` unless
/// `OPENBAO_URL` or `VAULT_ADDR` is set; the namespace comes from `HARMONY_SECRET_NAMESPACE`.
/// No I/O. [`crate::default_manager`] and `cargo harmony` both build it here, so they agree.
///
/// # Errors
///
/// [`ConfigError::StoreSetting`], naming the variable, when a setting in the environment is
/// invalid.
pub fn source_from_env() -> Result<Option<StoreSource<OpenbaoSecretStore>>, ConfigError> {
    if !OpenbaoConfig::is_configured() {
        return Ok(None);
    }
    let store = OpenbaoSecretStore::new(OpenbaoConfig::from_env()?);
    StoreSource::from_env(store).map(Some)
}
