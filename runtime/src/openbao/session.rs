//! Which token a request uses, in the order the issue fixes: `OPENBAO_TOKEN`, the cached token,
//! a userpass login, else an error that says to run `cargo harmony login`.

use std::sync::Arc;

use tokio::sync::Mutex;
use vaultrs::api::AuthInfo;
use vaultrs::client::VaultClient;

use super::OpenbaoConfig;
use super::cache::{CachedToken, TokenCache};
use super::client::{Failure, client, quiet};
use crate::ConfigError;

/// Where a session's token came from; a rejected token is handled by its origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// `OPENBAO_TOKEN` or `VAULT_TOKEN`: used as it is, never replaced.
    Env,
    /// The token cache, written by an earlier login of this or another process.
    Cache,
    /// A userpass login made by this process.
    Userpass,
}

/// A token, where it came from, and the client that sends it.
///
/// The client lives as long as the session, so that requests reuse its open connection: a
/// client per request paid a new TCP connection each time, about 1.5x the cost of a warm read.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) token: CachedToken,
    pub(crate) origin: Origin,
    pub(crate) vault: Arc<VaultClient>,
}

impl Session {
    fn new(
        config: &OpenbaoConfig,
        token: CachedToken,
        origin: Origin,
    ) -> Result<Self, ConfigError> {
        let vault = Arc::new(client(config, token.token.expose())?);
        Ok(Self {
            token,
            origin,
            vault,
        })
    }
}

/// The current session of one store, shared by its requests.
pub(crate) struct Sessions {
    current: Mutex<Option<Session>>,
    cache: Option<TokenCache>,
}

impl Sessions {
    pub(crate) fn new(config: &OpenbaoConfig) -> Self {
        Self {
            current: Mutex::new(None),
            cache: config
                .token_cache_dir
                .as_deref()
                .map(|dir| TokenCache::new(dir, &config.url)),
        }
    }

    pub(crate) fn cache(&self) -> Option<&TokenCache> {
        self.cache.as_ref()
    }

    /// The session to use now, logging in or renewing when needed.
    pub(crate) async fn get(&self, config: &OpenbaoConfig) -> Result<Session, ConfigError> {
        let mut current = self.current.lock().await;
        if let Some(session) = current
            .as_ref()
            .filter(|s| s.token.is_fresh() && !s.token.wants_renewal())
        {
            return Ok(session.clone());
        }
        let session = self.obtain(config, current.take()).await?;
        *current = Some(session.clone());
        Ok(session)
    }

    /// Forgets `rejected`, which the server no longer accepts, here and in the cache. A cache
    /// that holds another token, say from a login in another process since, is kept.
    pub(crate) async fn reject(&self, config: &OpenbaoConfig, rejected: &Session) {
        let mut current = self.current.lock().await;
        if current
            .as_ref()
            .is_some_and(|s| s.token.token == rejected.token.token)
        {
            *current = None;
        }
        drop(current);
        if rejected.origin != Origin::Env
            && let Some(cache) = &self.cache
            && cache
                .load(&config.url)
                .await
                .is_some_and(|cached| cached.token == rejected.token.token)
        {
            cache.remove().await;
        }
    }

    /// After the server rejected `rejected`'s token: forgets it and logs in again, unless the
    /// token was the user's own, from the environment.
    pub(crate) async fn replace(
        &self,
        config: &OpenbaoConfig,
        rejected: &Session,
    ) -> Result<Session, ConfigError> {
        let store = config.store_name();
        if rejected.origin == Origin::Env {
            return Err(ConfigError::StoreAuth {
                store,
                method: "the token in OPENBAO_TOKEN (or VAULT_TOKEN)".to_owned(),
                problem: "the server rejects it: it is wrong, expired or revoked. Set a valid token, or unset the variable to use `cargo harmony login`".to_owned(),
            });
        }
        self.reject(config, rejected).await;
        match self.get(config).await {
            Err(ConfigError::NotLoggedIn { .. }) => Err(ConfigError::StoreAuth {
                store,
                method: "the cached login".to_owned(),
                problem: "the server no longer accepts it (expired or revoked): run `cargo harmony login` again".to_owned(),
            }),
            other => other,
        }
    }

    /// Makes `token`, from a login outside this store (the device flow), the current session
    /// and caches it.
    #[cfg(feature = "cli")]
    pub(crate) async fn adopt(
        &self,
        config: &OpenbaoConfig,
        token: CachedToken,
    ) -> Result<(), ConfigError> {
        if let Some(cache) = &self.cache {
            cache.store(&token).await?;
        }
        *self.current.lock().await = Some(Session::new(config, token, Origin::Cache)?);
        Ok(())
    }

    /// Logs in with userpass now, whatever is cached; the new token becomes the session and the
    /// cached login only once the login worked and the cache took it.
    #[cfg(feature = "cli")]
    pub(crate) async fn login_userpass(&self, config: &OpenbaoConfig) -> Result<(), ConfigError> {
        let (Some(username), Some(password)) = (&config.username, &config.password) else {
            return Err(ConfigError::NotLoggedIn {
                store: config.store_name(),
            });
        };
        let token = userpass_login(config, username, password.expose()).await?;
        self.adopt(config, token).await
    }

    async fn obtain(
        &self,
        config: &OpenbaoConfig,
        previous: Option<Session>,
    ) -> Result<Session, ConfigError> {
        if let Some(token) = &config.token {
            // Expiry unknown and never renewed here: the token is the user's to manage.
            let token = CachedToken::issued(&config.url, token.expose().clone(), 0, false);
            return Session::new(config, token, Origin::Env);
        }
        let cached = match previous.filter(|s| s.token.is_fresh()) {
            Some(session) => Some(session.token),
            None => match &self.cache {
                Some(cache) => cache.load(&config.url).await,
                None => None,
            },
        };
        if let Some(token) = cached {
            let token = if token.wants_renewal() {
                self.renew(config, token).await
            } else {
                token
            };
            return Session::new(config, token, Origin::Cache);
        }
        if let (Some(username), Some(password)) = (&config.username, &config.password) {
            let token = userpass_login(config, username, password.expose()).await?;
            // The login worked: a cache that cannot be written costs later logins, not this one.
            if let Some(cache) = &self.cache
                && let Err(error) = cache.store(&token).await
            {
                tracing::warn!("could not cache the OpenBao token: {error}");
            }
            return Session::new(config, token, Origin::Userpass);
        }
        Err(ConfigError::NotLoggedIn {
            store: config.store_name(),
        })
    }

    /// Renews `token`. When renewal fails the token is kept, and a rejected one is found out
    /// by the request that uses it, and handled there.
    async fn renew(&self, config: &OpenbaoConfig, token: CachedToken) -> CachedToken {
        // A token that failed to renew is not tried again by this process, so later requests
        // do not each pay a round trip for it: it serves until it expires or is rejected.
        let unrenewed = CachedToken {
            renewable: false,
            ..token.clone()
        };
        let Ok(vault) = client(config, token.token.expose()) else {
            return unrenewed;
        };
        match quiet(vaultrs::token::renew_self(&vault, None)).await {
            Ok(auth) => {
                let renewed = CachedToken::issued(
                    &config.url,
                    token.token.expose().clone(),
                    auth.lease_duration,
                    auth.renewable,
                );
                if let Some(cache) = &self.cache
                    && let Err(error) = cache.store(&renewed).await
                {
                    tracing::warn!("could not cache the renewed OpenBao token: {error}");
                }
                renewed
            }
            Err(_) => unrenewed,
        }
    }
}

/// Logs in with userpass on the configured auth mount.
async fn userpass_login(
    config: &OpenbaoConfig,
    username: &str,
    password: &str,
) -> Result<CachedToken, ConfigError> {
    let vault = client(config, "")?;
    let method = format!("userpass (mount `{}`)", config.auth_mount);
    let auth = quiet(vaultrs::auth::userpass::login(
        &vault,
        &config.auth_mount,
        username,
        password,
    ))
    .await
    .map_err(|e| login_error(config, &method, &Failure::of(&e)))?;
    Ok(issued(config, &auth))
}

/// The token of a successful login.
pub(crate) fn issued(config: &OpenbaoConfig, auth: &AuthInfo) -> CachedToken {
    CachedToken::issued(
        &config.url,
        auth.client_token.clone(),
        auth.lease_duration,
        auth.renewable,
    )
}

/// A failed login: unavailable when the server did not answer, else what it said.
pub(crate) fn login_error(config: &OpenbaoConfig, method: &str, failure: &Failure) -> ConfigError {
    let store = config.store_name();
    if let Some(error) = failure.unavailable(&store, &format!("log in with {method}")) {
        return error;
    }
    let problem = match failure {
        Failure::Status(..) => format!(
            "{}; check the credentials and that the auth method is enabled at that mount",
            failure.said()
        ),
        _ => failure.said(),
    };
    ConfigError::StoreAuth {
        store,
        method: method.to_owned(),
        problem,
    }
}
