//! What `cargo harmony login` and `cargo harmony doctor` ask of a store: the server's health,
//! who the current login is, the cached login, and what the login's policies allow. Each
//! request is bounded by the config's timeout, and none runs the device flow.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::cache::now_secs;
use super::client::{Failure, connect_text, quiet, redirect_text, server_http};
use super::session::{Origin, Session};
use super::store::Op;
use super::{OpenbaoConfig, OpenbaoSecretStore};
use crate::ConfigError;

/// What `GET /v1/sys/health` says about the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Health {
    /// Whether the server was initialised (`bao operator init`).
    pub initialized: bool,
    /// Whether it is sealed: it then answers nothing until unsealed.
    pub sealed: bool,
    /// Whether it is a standby node, which forwards requests to the active one.
    pub standby: bool,
    /// The server's version, e.g. `2.7.2`.
    pub version: String,
}

/// How the store's current login was obtained.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginMethod {
    /// The token in `OPENBAO_TOKEN` (or `VAULT_TOKEN`), used as it is.
    EnvToken,
    /// The token an earlier login cached.
    CachedToken,
    /// A userpass login with `OPENBAO_USERNAME` and `OPENBAO_PASSWORD`, on this auth mount.
    Userpass {
        /// The auth mount.
        mount: String,
    },
}

impl fmt::Display for LoginMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EnvToken => f.write_str("the token in OPENBAO_TOKEN (or VAULT_TOKEN)"),
            Self::CachedToken => f.write_str("the cached login"),
            Self::Userpass { mount } => write!(f, "userpass (mount `{mount}`)"),
        }
    }
}

/// The login the store uses, as the server describes it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Identity {
    /// How the token was obtained.
    pub method: LoginMethod,
    /// The server's name for the login, e.g. `userpass-alice` or `jwt-<subject>`.
    pub display_name: String,
    /// The policies the token carries.
    pub policies: Vec<String>,
    /// How long the token stays valid; `None` when it never expires.
    pub expires_in: Option<Duration>,
    /// The token cache file, when the cache is on.
    pub cache_path: Option<PathBuf>,
}

/// A token cached by an earlier login, still valid by its recorded expiry.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CachedLogin {
    /// The cache file.
    pub path: PathBuf,
    /// How long the token stays valid; `None` when it never expires.
    pub expires_in: Option<Duration>,
}

#[derive(Deserialize)]
struct HealthReply {
    initialized: bool,
    sealed: bool,
    #[serde(default)]
    standby: bool,
    #[serde(default)]
    version: String,
}

#[derive(Deserialize)]
struct CapabilitiesReply {
    #[serde(default)]
    capabilities: Vec<String>,
}

impl OpenbaoSecretStore {
    /// The server's health, from a plain `GET /v1/sys/health` that needs no token. A sealed
    /// or uninitialised server is a [`Health`], not an error.
    ///
    /// # Errors
    ///
    /// [`ConfigError::StoreUnavailable`] when nothing answers within the timeout, and
    /// [`ConfigError::StoreRequest`] when the answer is not a health report.
    pub async fn health(&self) -> Result<Health, ConfigError> {
        let action = "read the server's health (/v1/sys/health)";
        // Every state answers 200, so the body says which one it is.
        let url = format!(
            "{}/v1/sys/health?standbyok=true&perfstandbyok=true&sealedcode=200&uninitcode=200",
            self.config.url.as_str().trim_end_matches('/')
        );
        let response = self
            .http()?
            .get(&url)
            .send()
            .await
            .map_err(|e| self.http_error(action, &e))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.http_error(action, &e))?;
        let reply: HealthReply = serde_json::from_slice(&body).map_err(|_| ConfigError::StoreRequest {
            store: self.config.store_name(),
            action: action.to_owned(),
            problem: format!("HTTP {status} without a health report: check that OPENBAO_URL names an OpenBao or Vault server"),
        })?;
        Ok(Health {
            initialized: reply.initialized,
            sealed: reply.sealed,
            standby: reply.standby,
            version: reply.version,
        })
    }

    /// The token an earlier login cached for this server, when it is still valid by its
    /// recorded expiry. Reads the cache file only; the server is not asked.
    pub async fn cached_login(&self) -> Option<CachedLogin> {
        let cache = self.sessions.cache()?;
        let token = cache.load(&self.config.url).await?;
        Some(CachedLogin {
            path: cache.path().to_owned(),
            expires_in: token
                .expires_at
                .map(|at| Duration::from_secs(at.saturating_sub(now_secs()))),
        })
    }

    /// Logs in as a request would (the token in the config, else the cached token, else
    /// userpass, whose token is then cached), and asks the server who that is. Never runs the
    /// device flow. A cached token the server rejects is dropped, and userpass is tried once.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NotLoggedIn`] when no login is possible without `cargo harmony login`,
    /// [`ConfigError::StoreAuth`] when the server rejects the login, or
    /// [`ConfigError::StoreUnavailable`] when it cannot be reached within the timeout.
    pub async fn identity(&self) -> Result<Identity, ConfigError> {
        self.bounded("look up the login", async {
            let session = self.sessions.get(&self.config).await?;
            let error = match self.lookup(&session).await {
                Ok(identity) => return Ok(identity),
                Err(Lookup::Failed(error)) => return Err(error),
                Err(Lookup::Rejected) => {
                    let session = self.sessions.replace(&self.config, &session).await?;
                    match self.lookup(&session).await {
                        Ok(identity) => return Ok(identity),
                        Err(Lookup::Failed(error)) => error,
                        Err(Lookup::Rejected) => ConfigError::StoreAuth {
                            store: self.config.store_name(),
                            method: self.method(&session).to_string(),
                            problem: "the server rejects the token it just issued: check the auth method's token settings".to_owned(),
                        },
                    }
                }
            };
            Err(error)
        })
        .await
    }

    /// What the current login's policies allow on the values of `namespace`, from
    /// `sys/capabilities-self`, e.g. `["create", "read", "update", "delete", "list"]`, or
    /// `["deny"]`. The path asked about is the one a read or write of a key uses.
    ///
    /// # Errors
    ///
    /// As [`OpenbaoSecretStore::identity`], or when the server refuses the question.
    pub async fn capabilities(
        &self,
        namespace: &str,
    ) -> Result<(String, Vec<String>), ConfigError> {
        self.bounded(
            "ask the login's capabilities",
            self.capabilities_unbounded(namespace),
        )
        .await
    }

    async fn capabilities_unbounded(
        &self,
        namespace: &str,
    ) -> Result<(String, Vec<String>), ConfigError> {
        let path = self.policy_path(
            Op::Read,
            &Self::secret_path(namespace, "cargo-harmony-doctor"),
        );
        let action = format!("ask which capabilities the login has on `{path}`");
        let session = self.sessions.get(&self.config).await?;
        let url = format!(
            "{}/v1/sys/capabilities-self",
            self.config.url.as_str().trim_end_matches('/')
        );
        let response = self
            .http()?
            .post(&url)
            .header("X-Vault-Token", session.token.token.expose())
            .header("Content-Type", "application/json")
            .body(serde_json::json!({ "paths": [path] }).to_string())
            .send()
            .await
            .map_err(|e| self.http_error(&action, &e))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.http_error(&action, &e))?;
        if status != 200 {
            return Err(ConfigError::StoreRequest {
                store: self.config.store_name(),
                action,
                problem: format!("HTTP {status}: check the login with `cargo harmony doctor`"),
            });
        }
        let reply: CapabilitiesReply =
            serde_json::from_slice(&body).map_err(|_| ConfigError::StoreRequest {
                store: self.config.store_name(),
                action: action.clone(),
                problem: "the answer lists no capabilities".to_owned(),
            })?;
        Ok((path, reply.capabilities))
    }

    /// `token/lookup-self` with the session's token.
    async fn lookup(&self, session: &Session) -> Result<Identity, Lookup> {
        let error = match quiet(vaultrs::token::lookup_self(&*session.vault)).await {
            Ok(info) => {
                return Ok(Identity {
                    method: self.method(session),
                    display_name: info.display_name,
                    policies: info.policies,
                    expires_in: (info.ttl > 0).then(|| Duration::from_secs(info.ttl)),
                    cache_path: self.token_cache_path().map(std::path::Path::to_path_buf),
                });
            }
            Err(error) => error,
        };
        let failure = Failure::of(&error);
        let store = self.config.store_name();
        let action = "look up the login's token";
        if let Some(error) = failure.unavailable(&store, action) {
            return Err(Lookup::Failed(error));
        }
        if matches!(failure, Failure::Status(401 | 403, _)) {
            return Err(Lookup::Rejected);
        }
        Err(Lookup::Failed(ConfigError::StoreRequest {
            store,
            action: action.to_owned(),
            problem: failure.said(),
        }))
    }

    fn method(&self, session: &Session) -> LoginMethod {
        match session.origin {
            Origin::Env => LoginMethod::EnvToken,
            Origin::Cache => LoginMethod::CachedToken,
            Origin::Userpass => LoginMethod::Userpass {
                mount: self.config.auth_mount.clone(),
            },
        }
    }

    /// Runs `work` within the config's timeout.
    async fn bounded<T>(
        &self,
        action: &str,
        work: impl Future<Output = Result<T, ConfigError>>,
    ) -> Result<T, ConfigError> {
        let timeout = self.config.timeout;
        tokio::time::timeout(timeout, work)
            .await
            .unwrap_or_else(|_| Err(no_answer(&self.config, action)))
    }

    fn http(&self) -> Result<reqwest::Client, ConfigError> {
        server_http(&self.config, self.config.timeout)
    }

    fn http_error(&self, action: &str, error: &reqwest::Error) -> ConfigError {
        if error.is_timeout() {
            return no_answer(&self.config, action);
        }
        let reason = if error.is_redirect() {
            redirect_text(error)
        } else {
            connect_text(error)
        };
        ConfigError::StoreUnavailable {
            store: self.config.store_name(),
            action: action.to_owned(),
            reason,
        }
    }
}

/// Why a token lookup failed.
enum Lookup {
    /// The server no longer accepts the token.
    Rejected,
    /// Anything else.
    Failed(ConfigError),
}

fn no_answer(config: &OpenbaoConfig, action: &str) -> ConfigError {
    ConfigError::StoreUnavailable {
        store: config.store_name(),
        action: action.to_owned(),
        reason: format!(
            "no answer within {} ms: check that the server runs and is reachable, or raise OPENBAO_TIMEOUT_MS",
            config.timeout.as_millis()
        ),
    }
}
