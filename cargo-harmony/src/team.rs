//! What the team-store commands (`login`, `push`, `openbao setup`, and `doctor`'s OpenBao
//! checks) share: the store from the environment, its readiness, and durations in words.

use std::time::Duration;

use harmony_config::openbao::{Health, OpenbaoSecretStore};
use harmony_config::{ConfigError, SecretStore};

use crate::error::Error;

/// The error for a command that needs OpenBao when `OPENBAO_URL` and `VAULT_ADDR` are unset.
pub(crate) fn not_configured(command: &str) -> Error {
    Error::Usage(format!(
        "`cargo harmony {command}` needs the team store, and OPENBAO_URL is not set: set it (or VAULT_ADDR) to the OpenBao server, e.g. https://bao.example.com:8200"
    ))
}

/// The server's health, or an error saying why it cannot serve requests: unreachable,
/// sealed, or not initialised.
pub(crate) async fn ready(store: &OpenbaoSecretStore) -> Result<Health, ConfigError> {
    let health = store.health().await?;
    let reason = if !health.initialized {
        "it is not initialised: run `bao operator init`, then unseal it"
    } else if health.sealed {
        "it is sealed: unseal it with `bao operator unseal`"
    } else {
        return Ok(health);
    };
    Err(ConfigError::StoreUnavailable {
        store: store.name(),
        action: "use the server".to_owned(),
        reason: reason.to_owned(),
    })
}

/// A token lifetime in words: `valid for 2 days`, `valid for 45 minutes`, `valid until revoked`.
pub(crate) fn lifetime(expires_in: Option<Duration>) -> String {
    let Some(duration) = expires_in else {
        return "valid until revoked".to_owned();
    };
    let secs = duration.as_secs();
    let (n, unit) = match secs {
        0..120 => (secs, "second"),
        120..7_200 => (secs / 60, "minute"),
        7_200..172_800 => (secs / 3_600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("valid for {n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_read_as_words() {
        assert_eq!(lifetime(None), "valid until revoked");
        assert_eq!(lifetime(Some(Duration::from_secs(1))), "valid for 1 second");
        assert_eq!(
            lifetime(Some(Duration::from_mins(45))),
            "valid for 45 minutes"
        );
        assert_eq!(
            lifetime(Some(Duration::from_hours(768))),
            "valid for 32 days"
        );
    }
}
