//! `OpenbaoSecretStore`: config values as KV secrets, one KV field per struct field.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use serde_json::{Map, Value};
use vaultrs::client::VaultClient;

use super::OpenbaoConfig;
use super::client::{Failure, quiet, status_text};
use super::config::KvVersion;
use super::session::{Session, Sessions};
use crate::{ConfigError, SecretStore};

/// Config values in OpenBao (or Vault), through vaultrs.
///
/// A value lives at `{kv_mount}/{namespace}/{KEY}`, on a KV v2 mount by default, as a secret
/// whose fields are the config's fields, so `bao kv get secret/harmony/KEY` shows them by name.
///
/// [`OpenbaoSecretStore::new`] does no I/O. The first request logs in, in this order: the token
/// in the config (`OPENBAO_TOKEN`), the cached token of an earlier login, a userpass login when
/// a username and password are set; otherwise it fails with [`ConfigError::NotLoggedIn`]. A
/// cached or userpass token the server rejects is dropped and login runs again once. Each
/// request, login included, is bounded by the config's timeout.
///
/// ```no_run
/// # async fn run() -> Result<(), harmony_config::ConfigError> {
/// use std::sync::Arc;
/// use harmony_config::openbao::{OpenbaoConfig, OpenbaoSecretStore};
/// use harmony_config::{ConfigManager, EnvSource, SqliteSource, StoreSource};
///
/// let store = OpenbaoSecretStore::new(OpenbaoConfig::from_env()?);
/// let manager = ConfigManager::new(vec![
///     Arc::new(EnvSource),
///     Arc::new(StoreSource::from_env(store)?),
///     Arc::new(SqliteSource::default().await?),
/// ]);
/// # Ok(()) }
/// ```
pub struct OpenbaoSecretStore {
    pub(super) config: OpenbaoConfig,
    pub(super) sessions: Sessions,
}

impl std::fmt::Debug for OpenbaoSecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenbaoSecretStore")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// One request on a secret.
#[derive(Clone, Copy)]
pub(super) enum Op<'a> {
    Read,
    /// When the secret was last written: KV v2 metadata.
    Modified,
    Write(&'a Map<String, Value>),
    Delete,
}

impl Op<'_> {
    fn name(self) -> &'static str {
        match self {
            Op::Read => "read",
            Op::Modified => "read the metadata of",
            Op::Write(_) => "write",
            Op::Delete => "delete",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Op::Read | Op::Modified => "reading",
            Op::Write(_) => "writing",
            Op::Delete => "deleting",
        }
    }

    /// The policy capabilities the operation needs, as a policy writes them.
    fn capabilities(self) -> &'static str {
        match self {
            Op::Read | Op::Modified => r#"["read"]"#,
            Op::Write(_) => r#"["create", "update"]"#,
            Op::Delete => r#"["delete"]"#,
        }
    }
}

impl OpenbaoSecretStore {
    /// A store for `config`. No I/O: nothing is contacted until the first request.
    #[must_use]
    pub fn new(config: OpenbaoConfig) -> Self {
        let sessions = Sessions::new(&config);
        Self { config, sessions }
    }

    /// The config this store was built from.
    #[must_use]
    pub fn config(&self) -> &OpenbaoConfig {
        &self.config
    }

    /// The token cache file, when the cache is on.
    #[must_use]
    pub fn token_cache_path(&self) -> Option<&std::path::Path> {
        self.sessions.cache().map(super::cache::TokenCache::path)
    }

    /// Makes a token from a login outside the store (the device flow) its session, and caches it.
    #[cfg(feature = "cli")]
    pub(crate) async fn adopt(&self, token: super::cache::CachedToken) -> Result<(), ConfigError> {
        self.sessions.adopt(&self.config, token).await
    }

    /// Fails when the token cache is where later processes would not trust it: a folder or
    /// file another user owns or may write to, or a file others may read. A login checks it
    /// before it starts, so that nobody approves a login whose token cannot be kept.
    ///
    /// # Errors
    ///
    /// [`ConfigError::UnsafePath`], naming the path and the fix.
    #[cfg(feature = "cli")]
    pub fn check_token_cache(&self) -> Result<(), ConfigError> {
        match self.sessions.cache() {
            Some(cache) => super::cache::ensure_private(cache.path()),
            None => Ok(()),
        }
    }

    /// Logs in with the userpass credentials of the config, whatever login is cached, and
    /// caches the new token for every process once the login worked. A login that fails
    /// leaves the cached one as it was.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NotLoggedIn`] without a username and password; a failed login; or a
    /// token cache that later processes would not trust, naming its fix.
    #[cfg(feature = "cli")]
    pub async fn log_in_with_userpass(&self) -> Result<(), ConfigError> {
        self.sessions.login_userpass(&self.config).await
    }

    /// The secret's path on the mount: `{namespace}/{key}`.
    pub(super) fn secret_path(namespace: &str, key: &str) -> String {
        format!("{namespace}/{key}")
    }

    /// The path a policy must allow for `op`, e.g. `secret/data/harmony/KEY` on KV v2.
    pub(super) fn policy_path(&self, op: Op<'_>, path: &str) -> String {
        let mount = &self.config.kv_mount;
        match (self.config.kv_version, op) {
            (KvVersion::V1, _) => format!("{mount}/{path}"),
            (KvVersion::V2, Op::Delete | Op::Modified) => format!("{mount}/metadata/{path}"),
            (KvVersion::V2, _) => format!("{mount}/data/{path}"),
        }
    }

    /// Runs `op` within the timeout, logging in first and once more if the token is rejected.
    async fn run(&self, op: Op<'_>, path: &str) -> Result<Option<Value>, ConfigError> {
        let timeout = self.config.timeout;
        match tokio::time::timeout(timeout, self.run_unbounded(op, path)).await {
            Ok(result) => result,
            Err(_) => Err(ConfigError::StoreUnavailable {
                store: self.config.store_name(),
                action: self.action(op, path),
                reason: format!(
                    "no answer within {}: check that the server runs and is reachable, or raise OPENBAO_TIMEOUT_MS",
                    millis(timeout)
                ),
            }),
        }
    }

    async fn run_unbounded(&self, op: Op<'_>, path: &str) -> Result<Option<Value>, ConfigError> {
        let session = self.sessions.get(&self.config).await?;
        let vault = &session.vault;
        match self.attempt(vault, op, path).await {
            Err(Failure::Status(403, errors)) => match token_check(vault).await {
                TokenCheck::Accepted => Err(self.denied(op, path, &errors)),
                TokenCheck::Rejected => self.retry_with_new_login(&session, op, path).await,
                TokenCheck::Unknown(failure) => Err(self.failed(op, path, &failure)),
            },
            result => result.map_err(|failure| self.failed(op, path, &failure)),
        }
    }

    /// After the server rejected `rejected`'s token: log in again, unless the token was the
    /// user's own, and repeat `op` once.
    async fn retry_with_new_login(
        &self,
        rejected: &Session,
        op: Op<'_>,
        path: &str,
    ) -> Result<Option<Value>, ConfigError> {
        let session = self.sessions.replace(&self.config, rejected).await?;
        let vault = &session.vault;
        match self.attempt(vault, op, path).await {
            Err(Failure::Status(403, errors)) => Err(self.denied(op, path, &errors)),
            result => result.map_err(|failure| self.failed(op, path, &failure)),
        }
    }

    async fn attempt(
        &self,
        vault: &VaultClient,
        op: Op<'_>,
        path: &str,
    ) -> Result<Option<Value>, Failure> {
        let mount = self.config.kv_mount.as_str();
        let result = quiet(async {
            match (self.config.kv_version, op) {
                (KvVersion::V2, Op::Read) => {
                    vaultrs::kv2::read::<Map<String, Value>>(vault, mount, path)
                        .await
                        .map(|data| Some(Value::Object(data)))
                }
                // The current version's creation: when its data was written. (The secret's own
                // `updated_time` also moves when only its metadata changes.)
                (KvVersion::V2, Op::Modified) => vaultrs::kv2::read_metadata(vault, mount, path)
                    .await
                    .map(|metadata| {
                        let current = metadata.current_version.to_string();
                        metadata
                            .versions
                            .get(&current)
                            .map(|version| Value::String(version.created_time.clone()))
                    }),
                // KV v1 keeps no times.
                (KvVersion::V1, Op::Modified) => Ok(None),
                (KvVersion::V1, Op::Read) => {
                    vaultrs::kv1::get::<Map<String, Value>>(vault, mount, path)
                        .await
                        .map(|data| Some(Value::Object(data)))
                }
                (KvVersion::V2, Op::Write(data)) => vaultrs::kv2::set(vault, mount, path, data)
                    .await
                    .map(|_| None),
                (KvVersion::V1, Op::Write(data)) => {
                    let fields: HashMap<&str, &Value> = data
                        .iter()
                        .map(|(name, value)| (name.as_str(), value))
                        .collect();
                    vaultrs::kv1::set(vault, mount, path, &fields)
                        .await
                        .map(|()| None)
                }
                (KvVersion::V2, Op::Delete) => vaultrs::kv2::delete_metadata(vault, mount, path)
                    .await
                    .map(|()| None),
                (KvVersion::V1, Op::Delete) => vaultrs::kv1::delete(vault, mount, path)
                    .await
                    .map(|()| None),
            }
        })
        .await;
        match result {
            Ok(value) => Ok(value),
            Err(error) => match Failure::of(&error) {
                // Nothing at the path: no value to read, nothing left to delete. A 404 with
                // messages is another thing, such as no mount there ("no handler for route").
                Failure::Status(404, errors)
                    if errors.is_empty() && !matches!(op, Op::Write(_)) =>
                {
                    Ok(None)
                }
                failure => Err(failure),
            },
        }
    }

    fn action(&self, op: Op<'_>, path: &str) -> String {
        format!("{} `{}/{path}`", op.name(), self.config.kv_mount)
    }

    fn denied(&self, op: Op<'_>, path: &str, errors: &[String]) -> ConfigError {
        let policy_path = self.policy_path(op, path);
        let (namespace, _) = path.rsplit_once('/').unwrap_or((path, ""));
        let wildcard = self.policy_path(op, &format!("{namespace}/*"));
        ConfigError::StoreDenied {
            store: self.config.store_name(),
            action: op.verb(),
            path: policy_path,
            hint: format!(
                "{}; no policy of this login grants {} on it. Attach a policy with `path \"{wildcard}\"` and those capabilities (`cargo harmony openbao setup` writes one)",
                status_text(403, errors),
                op.capabilities()
            ),
        }
    }

    fn failed(&self, op: Op<'_>, path: &str, failure: &Failure) -> ConfigError {
        let (store, action) = (self.config.store_name(), self.action(op, path));
        if let Some(error) = failure.unavailable(&store, &action) {
            return error;
        }
        let problem = match failure {
            Failure::Status(..) => format!(
                "{}; check OPENBAO_KV_MOUNT (`{}`) and OPENBAO_KV_VERSION ({})",
                failure.said(),
                self.config.kv_mount,
                if self.config.kv_version == KvVersion::V1 {
                    1
                } else {
                    2
                }
            ),
            _ => failure.said(),
        };
        ConfigError::StoreRequest {
            store,
            action,
            problem,
        }
    }
}

/// What the server says of the client's token, after it denied a request.
enum TokenCheck {
    /// The token is good: the denial is the policy's.
    Accepted,
    /// The server refuses the token itself.
    Rejected,
    /// The server could not tell, say it went away: the token is kept.
    Unknown(Failure),
}

async fn token_check(vault: &VaultClient) -> TokenCheck {
    match quiet(vaultrs::token::lookup_self(vault)).await {
        Ok(_) => TokenCheck::Accepted,
        Err(error) => match Failure::of(&error) {
            Failure::Status(401 | 403, _) => TokenCheck::Rejected,
            failure => TokenCheck::Unknown(failure),
        },
    }
}

fn millis(duration: Duration) -> String {
    format!("{} ms", duration.as_millis())
}

#[async_trait]
impl SecretStore for OpenbaoSecretStore {
    async fn get(&self, namespace: &str, key: &str) -> Result<Option<Value>, ConfigError> {
        self.run(Op::Read, &Self::secret_path(namespace, key)).await
    }

    async fn modified(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<Option<SystemTime>, ConfigError> {
        let time = self
            .run(Op::Modified, &Self::secret_path(namespace, key))
            .await?;
        Ok(time
            .as_ref()
            .and_then(Value::as_str)
            .and_then(crate::timestamp::parse_utc))
    }

    async fn set(&self, namespace: &str, key: &str, value: &Value) -> Result<(), ConfigError> {
        let Value::Object(data) = value else {
            return Err(ConfigError::NotAnObject {
                key: key.to_owned(),
                source_name: self.name(),
                found: "a value that is not an object",
            });
        };
        self.run(Op::Write(data), &Self::secret_path(namespace, key))
            .await
            .map(drop)
    }

    async fn unset(&self, namespace: &str, key: &str) -> Result<(), ConfigError> {
        self.run(Op::Delete, &Self::secret_path(namespace, key))
            .await
            .map(drop)
    }

    fn name(&self) -> String {
        self.config.store_name()
    }
}
