//! `doctor`'s checks of the team store, when `OPENBAO_URL` (or `VAULT_ADDR`) is set: the server,
//! the login, and the policy on the namespace. Every request is bounded by the store's
//! timeout, and a login is only ever looked up, never started in a browser.

use std::time::Duration;

use harmony_config::openbao::{LoginMethod, OpenbaoConfig, OpenbaoSecretStore};
use harmony_config::{ConfigError, SecretStore, StoreSource};

use super::check::{Check, Status};
use crate::team::{lifetime, ready};

/// The team store as `doctor` found it: its checks, and the store when its server answers and
/// the login is accepted, so that its values can be checked too.
pub(super) struct Team {
    pub(super) checks: Vec<Check>,
    pub(super) usable: Option<StoreSource<OpenbaoSecretStore>>,
}

/// The checks, in order; each later one runs only when the one before it passed.
pub(super) async fn checks() -> Team {
    let none = |checks| Team {
        checks,
        usable: None,
    };
    if !OpenbaoConfig::is_configured() {
        return none(Vec::new());
    }
    let team = match harmony_config::openbao::source_from_env() {
        Ok(Some(team)) => team,
        Ok(None) => return none(Vec::new()),
        Err(error) => {
            return none(vec![
                Check::new(
                    "openbao-settings",
                    Status::Problem,
                    format!("openbao: {error}"),
                )
                .fix("fix the variable it names; `cargo harmony login --help` lists them"),
            ]);
        }
    };
    let (store, namespace) = (team.store(), team.namespace());
    // A bound on the whole section, over the bound on each request: a few requests in a row.
    let limit = store.config().timeout.saturating_mul(4) + Duration::from_secs(1);
    let mut checks = Vec::new();
    let run = run(store, namespace, &mut checks);
    let usable = tokio::time::timeout(limit, run).await;
    if usable.is_err() {
        checks.push(
            Check::new(
                "openbao-timeout",
                Status::Problem,
                format!(
                    "openbao: {} did not finish its checks within {} ms",
                    store.name(),
                    limit.as_millis()
                ),
            )
            .fix("check that the server runs and is reachable, or raise OPENBAO_TIMEOUT_MS"),
        );
    }
    Team {
        checks,
        usable: (usable == Ok(true)).then_some(team),
    }
}

/// Whether the server answers and accepts the login.
async fn run(store: &OpenbaoSecretStore, namespace: &str, checks: &mut Vec<Check>) -> bool {
    let name = store.name();
    match ready(store).await {
        Ok(health) => checks.push(
            Check::new(
                "openbao-server",
                Status::Ok,
                format!(
                    "openbao: {name} answers, unsealed{}, version {}",
                    if health.standby {
                        ", a standby node"
                    } else {
                        ""
                    },
                    health.version
                ),
            )
            .detail("url", store.config().url.as_str()),
        ),
        Err(error) => {
            checks.push(
                Check::new("openbao-server", Status::Problem, format!("openbao: {error}"))
                    .fix("fix the server or OPENBAO_URL; until then values come from the next source (SQLite)")
                    .detail("url", store.config().url.as_str()),
            );
            return false;
        }
    }
    if !login(store, checks).await {
        return false;
    }
    policy(store, namespace, checks).await;
    true
}

/// Which login would be used, and whether the server accepts it.
async fn login(store: &OpenbaoSecretStore, checks: &mut Vec<Check>) -> bool {
    let config = store.config();
    let cached = store.cached_login().await;
    let would_use = if config.token.is_some() {
        "OPENBAO_TOKEN (or VAULT_TOKEN)".to_owned()
    } else if let Some(cached) = &cached {
        format!(
            "the cached login in {}, {}",
            cached.path.display(),
            lifetime(cached.expires_in)
        )
    } else if config.username.is_some() && config.password.is_some() {
        format!("userpass (mount `{}`)", config.auth_mount)
    } else {
        let fix = if config.oidc.issuer.is_some() {
            "run `cargo harmony login` (single sign-on at HARMONY_OIDC_ISSUER)".to_owned()
        } else {
            "set HARMONY_OIDC_ISSUER and HARMONY_OIDC_CLIENT_ID and run `cargo harmony login`, or set OPENBAO_USERNAME and OPENBAO_PASSWORD, or OPENBAO_TOKEN".to_owned()
        };
        checks.push(
            Check::new(
                "openbao-login",
                Status::Problem,
                "openbao login: not logged in: no OPENBAO_TOKEN, no cached login, no userpass credentials; values come from the next source (SQLite)",
            )
            .fix(fix),
        );
        return false;
    };
    match store.identity().await {
        Ok(identity) => {
            let renewed = if identity.method == LoginMethod::CachedToken {
                String::new()
            } else {
                format!(", token {}", lifetime(identity.expires_in))
            };
            checks.push(
                Check::new(
                    "openbao-login",
                    Status::Ok,
                    format!(
                        "openbao login: {would_use}: accepted, as `{}` with policies {}{renewed}",
                        identity.display_name,
                        identity.policies.join(", ")
                    ),
                )
                .detail("method", identity.method.to_string())
                .detail("policies", identity.policies.clone()),
            );
            true
        }
        Err(error) => {
            let fix = match &error {
                ConfigError::StoreAuth { .. } | ConfigError::NotLoggedIn { .. } => {
                    "run `cargo harmony login`, or fix the credentials the error names"
                }
                _ => "check that the server runs and is reachable, or raise OPENBAO_TIMEOUT_MS",
            };
            checks.push(
                Check::new(
                    "openbao-login",
                    Status::Problem,
                    format!("openbao login: {would_use}: {error}"),
                )
                .fix(fix),
            );
            false
        }
    }
}

/// Whether the login's policies let it read and write the namespace's values.
async fn policy(store: &OpenbaoSecretStore, namespace: &str, checks: &mut Vec<Check>) {
    let (path, capabilities) = match store.capabilities(namespace).await {
        Ok(found) => found,
        Err(error) => {
            checks.push(
                Check::new(
                    "openbao-policy",
                    Status::Warn,
                    format!("openbao policy: could not be checked: {error}"),
                )
                .detail("namespace", namespace),
            );
            return;
        }
    };
    let has = |c: &str| capabilities.iter().any(|h| h == c || h == "root");
    let missing: Vec<&str> = ["read", "create", "update"]
        .into_iter()
        .filter(|c| !has(c))
        .collect();
    let check = if missing.is_empty() {
        Check::new(
            "openbao-policy",
            Status::Ok,
            format!(
                "openbao policy: the login may read and write namespace `{namespace}` (`{path}`: {})",
                capabilities.join(", ")
            ),
        )
    } else {
        let wildcard = path
            .rsplit_once('/')
            .map_or(path.clone(), |(dir, _)| format!("{dir}/*"));
        Check::new(
            "openbao-policy",
            Status::Problem,
            format!(
                "openbao policy: the login's policies deny {} on namespace `{namespace}` (`{path}`: {}); reads fall through to SQLite and writes go there",
                missing.join(", "),
                if capabilities.is_empty() { "none".to_owned() } else { capabilities.join(", ") }
            ),
        )
        .fix(format!(
            "attach a policy granting create, read, update on `{wildcard}` (an admin can run `cargo harmony openbao setup`, which writes the `harmony` policy), then log in again"
        ))
    };
    checks.push(
        check
            .detail("namespace", namespace)
            .detail("path", path)
            .detail("capabilities", capabilities),
    );
}
