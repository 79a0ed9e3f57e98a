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
//! that says to run `cargo harmony login`, which runs [`login`]: the OIDC device flow, then
//! OpenBao's JWT auth. The token, never a password, is cached under the user's data directory
//! (`~/.local/share/harmony/openbao/`, mode 0600) and reused by every process until it expires.
//! [`setup::apply`] puts in place the mount, policy and auth methods the store needs.

mod cache;
mod client;
mod config;
mod device;
mod session;
pub mod setup;
mod store;

pub use config::{KvVersion, OidcConfig, OidcToken, OpenbaoConfig};
pub use device::{DeviceCode, Login, login};
pub use store::OpenbaoSecretStore;
