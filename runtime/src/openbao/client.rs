//! vaultrs clients built from an [`OpenbaoConfig`], and its errors turned into `ConfigError`s
//! that say what failed and how to fix it, never with a token or a value.

use vaultrs::client::{VaultClient, VaultClientSettingsBuilder};
use vaultrs::error::ClientError;

use super::OpenbaoConfig;
use crate::ConfigError;

/// A client for the configured server using `token` (empty for none). No I/O.
///
/// Every setting is given here, so vaultrs reads nothing from `VAULT_*` variables.
pub(crate) fn client(config: &OpenbaoConfig, token: &str) -> Result<VaultClient, ConfigError> {
    config.refuse_cleartext("the OpenBao URL", "the OIDC issuer")?;
    if let Some(ca) = config.ca_cert.as_deref().filter(|ca| !ca.is_file()) {
        return Err(ConfigError::StoreSetting {
            setting: "OPENBAO_CACERT (or VAULT_CACERT)".to_owned(),
            problem: format!(
                "names {}, which is not a file: point it at the PEM file of the CA that signed the server's certificate",
                ca.display()
            ),
        });
    }
    let settings = VaultClientSettingsBuilder::default()
        // The URL was checked when the config was built, so this setter cannot panic.
        .address(config.url.as_str())
        .token(token)
        // A backstop a little beyond the bound the store puts on each operation, so that
        // bound is what ends a request to a server that hangs, and its error names it in ms.
        .timeout(Some(config.timeout + std::time::Duration::from_secs(1)))
        .verify(!config.skip_tls)
        .ca_certs(
            config
                .ca_cert
                .iter()
                .map(|path| path.display().to_string())
                .collect(),
        )
        .identity(None)
        .build()
        .map_err(|e| ConfigError::StoreSetting {
            setting: format!("the OpenBao client for {}", config.store_name()),
            problem: format!("cannot be built: {e}"),
        })?;
    if config.skip_tls {
        tracing::warn!(
            "TLS certificate checks are off for {} (OPENBAO_SKIP_TLS)",
            config.store_name()
        );
    }
    // vaultrs logs its own failures, and its own warning for a client without TLS checks.
    let client =
        tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), || {
            VaultClient::new(settings)
        });
    client.map_err(|e| ConfigError::StoreSetting {
        setting: format!("the OpenBao client for {}", config.store_name()),
        problem: format!("cannot be built: {}", transport_text(&e)),
    })
}

/// Runs a vaultrs call with its logging off. vaultrs and rustify log every failed request at
/// ERROR level, a missing value included, several times over; the `ConfigError` built from the
/// failure says it once, with the fix.
pub(crate) async fn quiet<F: std::future::Future>(call: F) -> F::Output {
    use tracing::instrument::WithSubscriber;
    call.with_subscriber(tracing::subscriber::NoSubscriber::default())
        .await
}

/// What a failed request amounts to.
pub(crate) enum Failure {
    /// The server answered with an HTTP error status, and its error messages.
    Status(u16, Vec<String>),
    /// No answer: the reason, and how to fix it.
    Unreachable(String),
    /// Anything else: a reply that does not parse, a request that cannot be built.
    Other(String),
}

impl Failure {
    pub(crate) fn of(error: &ClientError) -> Self {
        match error {
            ClientError::APIError { code, errors } => Self::Status(*code, errors.clone()),
            ClientError::RestClientError { source } => match source {
                rustify::errors::ClientError::ServerResponseError { code, .. } => {
                    Self::Status(*code, Vec::new())
                }
                rustify::errors::ClientError::RequestError { source, .. }
                | rustify::errors::ClientError::ResponseError { source } => {
                    match source.downcast_ref::<reqwest::Error>() {
                        Some(e) if e.is_timeout() => Self::Unreachable(
                            "no answer within the timeout: check that the server runs and is reachable, or raise OPENBAO_TIMEOUT_MS".to_owned(),
                        ),
                        Some(e) if e.is_connect() => {
                            let cause = root_cause(e);
                            Self::Unreachable(if cause.contains("certificate") {
                                format!(
                                    "its TLS certificate is not trusted ({cause}): set OPENBAO_CACERT to the PEM file of the CA that signed it, or OPENBAO_SKIP_TLS=true to turn the check off (never in production)"
                                )
                            } else {
                                format!(
                                    "nothing answers there ({cause}): check OPENBAO_URL and that the server runs"
                                )
                            })
                        }
                        _ => Self::Unreachable(format!(
                            "the request failed ({}): check OPENBAO_URL and the network",
                            transport_text(error)
                        )),
                    }
                }
                // Parse errors' causes can quote the reply, which may hold values: not shown.
                other => Self::Other(format!("{error}: {other}")),
            },
            other => Self::Other(other.to_string()),
        }
    }

    /// The error when the server could not serve `action` now: no answer, a 5xx status, or a
    /// request to come back later (429, 412).
    /// `None` when it answered, and refused.
    pub(crate) fn unavailable(&self, store: &str, action: &str) -> Option<ConfigError> {
        let reason = match self {
            Self::Unreachable(reason) => reason.clone(),
            Self::Status(503, _) => "it is sealed or not ready (HTTP 503): unseal it with `bao operator unseal`, or wait until it is active".to_owned(),
            Self::Status(429, _) => "it is rate limiting requests (HTTP 429): try again shortly".to_owned(),
            Self::Status(412, _) => "it is not yet consistent (HTTP 412): try again shortly".to_owned(),
            Self::Status(code, _) if *code >= 500 => {
                format!("it answered HTTP {code}: check the server's log")
            }
            Self::Status(..) | Self::Other(_) => return None,
        };
        Some(ConfigError::StoreUnavailable {
            store: store.to_owned(),
            action: action.to_owned(),
            reason,
        })
    }

    /// What the server said, or what went wrong, on one line.
    pub(crate) fn said(&self) -> String {
        match self {
            Self::Status(code, errors) => status_text(*code, errors),
            Self::Unreachable(text) | Self::Other(text) => text.clone(),
        }
    }
}

/// The server's own messages, on one line, or the status when it gave none.
pub(crate) fn status_text(code: u16, errors: &[String]) -> String {
    let messages: Vec<&str> = errors.iter().flat_map(|error| messages(error)).collect();
    if messages.is_empty() {
        format!("HTTP {code}")
    } else {
        format!("HTTP {code}: {}", messages.join("; "))
    }
}

/// The messages in one of the server's errors: OpenBao lists several as
/// "2 errors occurred:\n\t* first\n\t* second\n\n".
fn messages(error: &str) -> Vec<&str> {
    let items: Vec<&str> = error
        .lines()
        .filter_map(|line| line.trim().strip_prefix("* "))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect();
    if items.is_empty() {
        error
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        items
    }
}

/// The innermost cause of an error, e.g. "Connection refused (os error 111)".
pub(crate) fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// An error's message and causes. vaultrs and rustify errors carry no token or body in their
/// messages; bodies, which could hold values, sit in fields that are not shown.
fn transport_text(error: &ClientError) -> String {
    let mut text = error.to_string();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}
