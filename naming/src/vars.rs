//! The environment variables that control the runtime, as opposed to the
//! `HARMONY_CONFIG_{KEY}` variables that hold values. None starts with
//! [`crate::ENV_PREFIX`], so a key can never read one of them as its value.

/// The path of the SQLite database, instead of the default.
pub const DB: &str = "HARMONY_DB";
/// The folder under the team store's mount that values live in (default `harmony`).
pub const SECRET_NAMESPACE: &str = "HARMONY_SECRET_NAMESPACE";

/// `true` lets a token, a password or a JWT cross the network in clear: to an `http://`
/// OpenBao server or identity provider that is not on this machine.
pub const ALLOW_HTTP: &str = "HARMONY_ALLOW_HTTP";

/// What `cargo harmony` and the `basic` and `openbao_chain` examples log, in
/// `tracing_subscriber::EnvFilter`'s syntax; `RUST_LOG` when it is unset or empty. The runtime
/// installs no logger: an application's own subscriber decides what it shows.
pub const LOG: &str = "HARMONY_LOG";

/// The OpenBao server; setting it adds OpenBao to the default chain.
pub const OPENBAO_URL: &str = "OPENBAO_URL";
/// Vault's name for [`OPENBAO_URL`], read when that is unset.
pub const VAULT_ADDR: &str = "VAULT_ADDR";
/// A token used as it is, before a cached login.
pub const OPENBAO_TOKEN: &str = "OPENBAO_TOKEN";
/// Vault's name for [`OPENBAO_TOKEN`].
pub const VAULT_TOKEN: &str = "VAULT_TOKEN";
/// The userpass login's user.
pub const OPENBAO_USERNAME: &str = "OPENBAO_USERNAME";
/// The userpass login's password.
pub const OPENBAO_PASSWORD: &str = "OPENBAO_PASSWORD";
/// The userpass auth mount (default `userpass`).
pub const OPENBAO_AUTH_MOUNT: &str = "OPENBAO_AUTH_MOUNT";
/// The KV mount values live on (default `secret`).
pub const OPENBAO_KV_MOUNT: &str = "OPENBAO_KV_MOUNT";
/// The KV mount's version, `1` or `2` (default `2`).
pub const OPENBAO_KV_VERSION: &str = "OPENBAO_KV_VERSION";
/// `true` turns certificate checks off.
pub const OPENBAO_SKIP_TLS: &str = "OPENBAO_SKIP_TLS";
/// A PEM file of CA certificates to trust besides the system's.
pub const OPENBAO_CACERT: &str = "OPENBAO_CACERT";
/// Vault's name for [`OPENBAO_CACERT`].
pub const VAULT_CACERT: &str = "VAULT_CACERT";
/// The bound on one OpenBao request, in milliseconds (default 3000).
pub const OPENBAO_TIMEOUT_MS: &str = "OPENBAO_TIMEOUT_MS";
/// OpenBao's JWT auth mount (default `jwt`).
pub const OPENBAO_JWT_MOUNT: &str = "OPENBAO_JWT_MOUNT";
/// The JWT auth role.
pub const OPENBAO_JWT_ROLE: &str = "OPENBAO_JWT_ROLE";

/// The identity provider of the single sign-on login.
pub const OIDC_ISSUER: &str = "HARMONY_OIDC_ISSUER";
/// The public client of the device flow.
pub const OIDC_CLIENT_ID: &str = "HARMONY_OIDC_CLIENT_ID";
/// The audience the token is asked for.
pub const OIDC_AUDIENCE: &str = "HARMONY_OIDC_AUDIENCE";
/// The scopes asked for (default `openid email profile`).
pub const OIDC_SCOPES: &str = "HARMONY_OIDC_SCOPES";
/// Which token OpenBao gets: `id_token` (the default) or `access_token`.
pub const OIDC_TOKEN: &str = "HARMONY_OIDC_TOKEN";
/// The claim that names the user (default `sub`).
pub const OIDC_USER_CLAIM: &str = "HARMONY_OIDC_USER_CLAIM";
/// The claim that lists the user's groups.
pub const OIDC_GROUPS_CLAIM: &str = "HARMONY_OIDC_GROUPS_CLAIM";

/// Every variable above: the names that belong to the runtime's settings, never to a key.
pub const CONTROL: &[&str] = &[
    DB,
    SECRET_NAMESPACE,
    ALLOW_HTTP,
    LOG,
    OPENBAO_URL,
    VAULT_ADDR,
    OPENBAO_TOKEN,
    VAULT_TOKEN,
    OPENBAO_USERNAME,
    OPENBAO_PASSWORD,
    OPENBAO_AUTH_MOUNT,
    OPENBAO_KV_MOUNT,
    OPENBAO_KV_VERSION,
    OPENBAO_SKIP_TLS,
    OPENBAO_CACERT,
    VAULT_CACERT,
    OPENBAO_TIMEOUT_MS,
    OPENBAO_JWT_MOUNT,
    OPENBAO_JWT_ROLE,
    OIDC_ISSUER,
    OIDC_CLIENT_ID,
    OIDC_AUDIENCE,
    OIDC_SCOPES,
    OIDC_TOKEN,
    OIDC_USER_CLAIM,
    OIDC_GROUPS_CLAIM,
];

/// Control variables that earlier versions read under another name, which now means
/// something else: `HARMONY_CONFIG_DB` is the value of the key `DB`, not the database path.
pub const RENAMED: &[(&str, &str)] = &[("HARMONY_CONFIG_DB", DB)];

/// The current name of a control variable that `old` used to be, if it was one.
///
/// ```
/// assert_eq!(harmony_naming::vars::renamed("HARMONY_CONFIG_DB"), Some("HARMONY_DB"));
/// assert_eq!(harmony_naming::vars::renamed("HARMONY_CONFIG_App"), None);
/// ```
#[must_use]
pub fn renamed(old: &str) -> Option<&'static str> {
    RENAMED
        .iter()
        .find(|(name, _)| *name == old)
        .map(|(_, new)| *new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_control_variable_is_in_the_value_namespace() {
        for var in CONTROL {
            assert!(!var.starts_with(crate::ENV_PREFIX), "{var}");
        }
        for (old, new) in RENAMED {
            assert!(CONTROL.contains(new), "{new}");
            assert!(!CONTROL.contains(old), "{old}");
        }
    }
}
