//! The HTTP clients that talk to the server and to the identity provider, the vaultrs client
//! built on the first, and vaultrs errors turned into `ConfigError`s that say what failed and
//! how to fix it, never with a token or a value.

use std::time::Duration;

use reqwest::redirect::Policy;
use url::Url;
use vaultrs::api::EndpointMiddleware;
use vaultrs::client::{VaultClient, VaultClientSettingsBuilder};
use vaultrs::error::ClientError;

use super::OpenbaoConfig;
use super::config::is_loopback;
use crate::ConfigError;

/// A client for the configured server using `token` (empty for none). No I/O but reading
/// `OPENBAO_CACERT`.
///
/// Every setting is given here, so vaultrs reads nothing from `VAULT_*` variables, and its
/// requests go through [`server_http`]: vaultrs's own reqwest client would follow redirects to
/// any host, and re-send `X-Vault-Token` and a login's password there.
pub(crate) fn client(config: &OpenbaoConfig, token: &str) -> Result<VaultClient, ConfigError> {
    config.refuse_cleartext("the OpenBao URL", "the OIDC issuer")?;
    let settings = VaultClientSettingsBuilder::default()
        // The URL was checked when the config was built, so this setter cannot panic.
        .address(config.url.as_str())
        .token(token)
        .verify(!config.skip_tls)
        .ca_certs(Vec::new())
        .identity(None)
        .build()
        .map_err(|e| ConfigError::StoreSetting {
            setting: format!("the OpenBao client for {}", config.store_name()),
            problem: format!("cannot be built: {e}"),
        })?;
    // A backstop a little beyond the bound the store puts on each operation, so that bound is
    // what ends a request to a server that hangs, and its error names it in ms.
    let http = server_http(config, config.timeout + Duration::from_secs(1))?;
    if config.skip_tls {
        tracing::warn!(
            "TLS certificate checks are off for {} (OPENBAO_SKIP_TLS)",
            config.store_name()
        );
    }
    Ok(VaultClient {
        http: rustify::clients::reqwest::Client::new(settings.address.as_str(), http),
        // What `VaultClient::new` puts there, without the client it would build.
        middle: EndpointMiddleware {
            token: settings.token.clone(),
            version: format!("v{}", settings.version),
            wrap: None,
            namespace: settings.namespace.clone(),
        },
        settings,
    })
}

/// The HTTP client for requests to the server, each bounded by `timeout`: the TLS settings of
/// [`http_builder`], and only redirects that stay on the same scheme, host and port, as a
/// standby node sends. Any other would carry the token in `X-Vault-Token`, which reqwest keeps
/// on a redirect to another host, and a 307 or 308 would re-send a login's password or JWT;
/// one from `https://` to `http://` would send them in clear.
pub(crate) fn server_http(
    config: &OpenbaoConfig,
    timeout: Duration,
) -> Result<reqwest::Client, ConfigError> {
    let mut builder = http_builder(config, &config.url, timeout)?;
    if config.url.scheme() == "http" {
        // As vaultrs does: requests that stay on an `http://` origin never use TLS, and
        // loading the system's CAs fails on a system that has none (reqwest #2988).
        builder = builder.tls_certs_only(Vec::new());
    }
    builder
        .tls_danger_accept_invalid_certs(config.skip_tls)
        .redirect(same_origin_redirects())
        .build()
        .map_err(|e| ConfigError::StoreSetting {
            setting: format!("the HTTP client for {}", config.store_name()),
            problem: format!("cannot be built: {e}"),
        })
}

/// A client for requests to `url`, the server or the identity provider, each bounded by
/// `timeout`: TLS checked against the system's CAs and `OPENBAO_CACERT`'s, and no proxy for a
/// server on this machine. reqwest sends requests through `HTTP_PROXY` or `ALL_PROXY` unless
/// `NO_PROXY` names the host, so a token allowed in clear because it stays on this machine
/// would reach the proxy; a proxy's own `localhost` is not this machine anyway.
pub(crate) fn http_builder(
    config: &OpenbaoConfig,
    url: &Url,
    timeout: Duration,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    let mut builder = reqwest::Client::builder().timeout(timeout);
    if let Some(path) = &config.ca_cert {
        builder = builder.tls_certs_merge(ca_certs(path)?);
    }
    if is_loopback(url) {
        builder = builder.no_proxy();
    }
    Ok(builder)
}

/// The certificates of the PEM file `OPENBAO_CACERT` names.
fn ca_certs(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, ConfigError> {
    let setting = "OPENBAO_CACERT (or VAULT_CACERT)".to_owned();
    let pem = std::fs::read(path).map_err(|e| ConfigError::StoreSetting {
        setting: setting.clone(),
        problem: format!(
            "names {}, which cannot be read ({e}): point it at the PEM file of the CA that signed the server's certificate",
            path.display()
        ),
    })?;
    reqwest::Certificate::from_pem_bundle(&pem)
        .ok()
        .filter(|certs| !certs.is_empty())
        .ok_or_else(|| ConfigError::StoreSetting {
            setting,
            problem: format!(
                "names {}, which holds no PEM certificate: point it at the PEM file of the CA that signed the server's certificate",
                path.display()
            ),
        })
}

/// Follows at most a few redirects, and only those that stay on the same origin: the same
/// scheme, host and port, so never from `https://` to `http://` either. Any other fails the
/// request, saying where it was sent.
fn same_origin_redirects() -> Policy {
    Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|previous| previous.origin() == attempt.url().origin());
        if !same_origin {
            let problem = format!(
                "the server redirected the request to {}, another scheme, host or port, where the token must not go",
                attempt.url().origin().ascii_serialization()
            );
            attempt.error(problem)
        } else if attempt.previous().len() > 5 {
            attempt.error("the server redirected the request more than 5 times")
        } else {
            attempt.follow()
        }
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
                        Some(e) if e.is_redirect() => Self::Unreachable(redirect_text(e)),
                        Some(e) if e.is_timeout() => Self::Unreachable(
                            "no answer within the timeout: check that the server runs and is reachable, or raise OPENBAO_TIMEOUT_MS".to_owned(),
                        ),
                        Some(e) if e.is_connect() => Self::Unreachable(connect_text(e)),
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

/// Why a connection failed, and the fix: an untrusted certificate, or nothing listening.
pub(crate) fn connect_text(error: &reqwest::Error) -> String {
    let cause = root_cause(error);
    if cause.contains("certificate") {
        format!(
            "its TLS certificate is not trusted ({cause}): set OPENBAO_CACERT to the PEM file of the CA that signed it, or OPENBAO_SKIP_TLS=true to turn the check off (never in production)"
        )
    } else {
        format!("nothing answers there ({cause}): check OPENBAO_URL and that the server runs")
    }
}

/// Why a redirect was not followed, and the fix.
pub(crate) fn redirect_text(error: &reqwest::Error) -> String {
    format!(
        "{}: set OPENBAO_URL to the address the server answers at itself",
        root_cause(error)
    )
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
