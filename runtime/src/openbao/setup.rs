//! `cargo harmony openbao setup`: with an admin token, puts in place what the store needs, and
//! changes nothing that is already right. Running it twice changes nothing the second time.
//!
//! - a KV mount of the configured version;
//! - a policy granting the namespace's secrets;
//! - optionally a userpass mount and a user holding the policy;
//! - optionally the JWT auth mount, its config trusting an OIDC issuer, and a role that is the
//!   mount's default role.

use std::collections::HashMap;
use std::fmt;

use url::Url;
use vaultrs::api::auth::oidc::requests::{SetConfigurationRequest, SetRoleRequest};
use vaultrs::api::auth::userpass::requests::CreateUserRequest;
use vaultrs::api::sys::requests::EnableEngineRequest;
use vaultrs::client::VaultClient;
use vaultrs::error::ClientError;

use super::OpenbaoConfig;
use super::client::{Failure, client, quiet};
use super::config::KvVersion;
use crate::{ConfigError, Secret};

/// What to put in place.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Setup {
    /// The namespace the policy grants, `harmony` by default.
    pub namespace: String,
    /// The policy's name, `harmony` by default.
    pub policy: String,
    /// A userpass user to create, holding the policy.
    pub userpass: Option<UserpassSetup>,
    /// JWT auth trusting an OIDC issuer, with a role granting the policy.
    pub jwt: Option<JwtSetup>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            namespace: "harmony".to_owned(),
            policy: "harmony".to_owned(),
            userpass: None,
            jwt: None,
        }
    }
}

/// A userpass user. The mount is the config's `auth_mount`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct UserpassSetup {
    /// The user's name.
    pub username: String,
    /// The password, set when the user is created; an existing user's password is left as is.
    pub password: Secret<String>,
}

impl UserpassSetup {
    /// A user named `username` with `password`.
    #[must_use]
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: Secret::new(password.into()),
        }
    }
}

/// JWT auth trusting an issuer. The mount, role name and claims are the config's `oidc` ones.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JwtSetup {
    /// The issuer, used as both the discovery URL and the bound issuer.
    pub issuer: Url,
    /// The audiences a token must carry, usually the client id.
    pub audiences: Vec<String>,
    /// The role's name.
    pub role: String,
}

impl JwtSetup {
    /// Trust `issuer` for tokens whose audience is `audience`, through the role `role`.
    #[must_use]
    pub fn new(issuer: Url, audience: impl Into<String>, role: impl Into<String>) -> Self {
        Self {
            issuer,
            audiences: vec![audience.into()],
            role: role.into(),
        }
    }
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// It was missing and is now in place.
    Created(String),
    /// It differed and was brought in line.
    Updated(String),
    /// It was already right.
    Unchanged(String),
}

impl Change {
    /// What writing `what` did: an update when it `existed`, else a creation.
    fn written(existed: bool, what: String) -> Self {
        if existed {
            Self::Updated(what)
        } else {
            Self::Created(what)
        }
    }

    /// Whether the step changed the server.
    #[must_use]
    pub fn changed(&self) -> bool {
        !matches!(self, Self::Unchanged(_))
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Created(what) => write!(f, "created {what}"),
            Self::Updated(what) => write!(f, "updated {what}"),
            Self::Unchanged(what) => write!(f, "unchanged: {what}"),
        }
    }
}

/// The policy text for `setup` on the config's KV mount.
#[must_use]
pub fn policy_text(config: &OpenbaoConfig, setup: &Setup) -> String {
    let (mount, namespace) = (&config.kv_mount, &setup.namespace);
    match config.kv_version {
        KvVersion::V2 => format!(
            "# Written by `cargo harmony openbao setup`: harmony_config's values in `{namespace}`.\n\
             path \"{mount}/data/{namespace}/*\" {{\n  capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\"]\n}}\n\
             path \"{mount}/metadata/{namespace}/*\" {{\n  capabilities = [\"read\", \"delete\", \"list\"]\n}}\n"
        ),
        KvVersion::V1 => format!(
            "# Written by `cargo harmony openbao setup`: harmony_config's values in `{namespace}`.\n\
             path \"{mount}/{namespace}/*\" {{\n  capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\"]\n}}\n"
        ),
    }
}

/// Applies `setup` with the admin token in `config.token` (`OPENBAO_TOKEN`), and says what
/// each step did.
///
/// # Errors
///
/// When there is no token, the server cannot be reached, the token lacks the rights, or a
/// mount exists with another type or version.
pub async fn apply(config: &OpenbaoConfig, setup: &Setup) -> Result<Vec<Change>, ConfigError> {
    quiet(apply_steps(config, setup)).await
}

async fn apply_steps(config: &OpenbaoConfig, setup: &Setup) -> Result<Vec<Change>, ConfigError> {
    let token = config.token.as_ref().ok_or_else(|| ConfigError::StoreSetting {
        setting: "OPENBAO_TOKEN".to_owned(),
        problem: "is not set: setup needs an admin token (e.g. the root token) to write mounts and policies".to_owned(),
    })?;
    let admin = Admin {
        config,
        vault: client(config, token.expose())?,
    };
    let mut changes = vec![admin.kv_mount().await?, admin.policy(setup).await?];
    if let Some(user) = &setup.userpass {
        changes.push(admin.auth_mount(&config.auth_mount, "userpass").await?);
        changes.push(admin.user(user, &setup.policy).await?);
    }
    if let Some(jwt) = &setup.jwt {
        changes.push(admin.auth_mount(&config.oidc.jwt_mount, "jwt").await?);
        changes.push(admin.jwt_config(jwt).await?);
        changes.push(admin.jwt_role(jwt, &setup.policy).await?);
    }
    Ok(changes)
}

/// The admin client and the steps.
struct Admin<'a> {
    config: &'a OpenbaoConfig,
    vault: VaultClient,
}

impl Admin<'_> {
    fn error(&self, action: String, error: &ClientError) -> ConfigError {
        let store = self.config.store_name();
        let failure = Failure::of(error);
        if let Some(error) = failure.unavailable(&store, &action) {
            return error;
        }
        let problem = match failure {
            Failure::Status(403, _) => format!(
                "{}: the token in OPENBAO_TOKEN lacks the rights; use an admin or root token",
                failure.said()
            ),
            _ => failure.said(),
        };
        ConfigError::StoreRequest {
            store,
            action,
            problem,
        }
    }

    /// A mount that exists with another type or version than wanted.
    fn conflict(&self, what: &str, problem: String) -> ConfigError {
        ConfigError::StoreRequest {
            store: self.config.store_name(),
            action: format!("set up the {what}"),
            problem,
        }
    }

    async fn kv_mount(&self) -> Result<Change, ConfigError> {
        let mount = &self.config.kv_mount;
        let version = if self.config.kv_version == KvVersion::V1 {
            "1"
        } else {
            "2"
        };
        let what = format!("KV v{version} mount `{mount}`");
        let mounts = vaultrs::sys::mount::list(&self.vault)
            .await
            .map_err(|e| self.error("list the secrets engines".to_owned(), &e))?;
        if let Some(existing) = mounts.get(&format!("{mount}/")) {
            let found = existing
                .options
                .as_ref()
                .and_then(|options| options.get("version"))
                .map_or("1", String::as_str);
            if existing.mount_type == "kv" && found == version {
                return Ok(Change::Unchanged(what));
            }
            return Err(self.conflict(&what, format!(
                "`{mount}` is already mounted as `{}` (version {found}): choose another OPENBAO_KV_MOUNT, or set OPENBAO_KV_VERSION to match",
                existing.mount_type
            )));
        }
        let mut options = EnableEngineRequest::builder();
        options.options(HashMap::from([("version".to_owned(), version.to_owned())]));
        vaultrs::sys::mount::enable(&self.vault, mount, "kv", Some(&mut options))
            .await
            .map_err(|e| self.error(format!("enable the {what}"), &e))?;
        Ok(Change::Created(what))
    }

    async fn policy(&self, setup: &Setup) -> Result<Change, ConfigError> {
        let what = format!("policy `{}`", setup.policy);
        let wanted = policy_text(self.config, setup);
        let existing = match vaultrs::sys::policy::read(&self.vault, &setup.policy).await {
            Ok(policy) => Some(policy.rules),
            Err(e) if matches!(Failure::of(&e), Failure::Status(404, _)) => None,
            Err(e) => return Err(self.error(format!("read the {what}"), &e)),
        };
        if existing.as_deref() == Some(wanted.as_str()) {
            return Ok(Change::Unchanged(what));
        }
        vaultrs::sys::policy::set(&self.vault, &setup.policy, &wanted)
            .await
            .map_err(|e| self.error(format!("write the {what}"), &e))?;
        Ok(Change::written(existing.is_some(), what))
    }

    async fn auth_mount(&self, mount: &str, kind: &str) -> Result<Change, ConfigError> {
        let what = format!("{kind} auth mount `{mount}`");
        let mounts = vaultrs::sys::auth::list(&self.vault)
            .await
            .map_err(|e| self.error("list the auth methods".to_owned(), &e))?;
        if let Some(existing) = mounts.get(&format!("{mount}/")) {
            if existing.mount_type == kind {
                return Ok(Change::Unchanged(what));
            }
            return Err(self.conflict(
                &what,
                format!(
                    "`{mount}` is already an auth mount of type `{}`: choose another mount",
                    existing.mount_type
                ),
            ));
        }
        vaultrs::sys::auth::enable(&self.vault, mount, kind, None)
            .await
            .map_err(|e| self.error(format!("enable the {what}"), &e))?;
        Ok(Change::Created(what))
    }

    async fn user(&self, user: &UserpassSetup, policy: &str) -> Result<Change, ConfigError> {
        let mount = &self.config.auth_mount;
        let what = format!("userpass user `{}` on `{mount}`", user.username);
        match vaultrs::auth::userpass::user::read(&self.vault, mount, &user.username).await {
            Ok(existing) if existing.token_policies.iter().any(|p| p == policy) => Ok(
                Change::Unchanged(format!("{what} (its password is left as it is)")),
            ),
            Ok(existing) => {
                let mut policies = existing.token_policies;
                policies.push(policy.to_owned());
                vaultrs::auth::userpass::user::update_policies(
                    &self.vault,
                    mount,
                    &user.username,
                    &policies.join(","),
                )
                .await
                .map_err(|e| self.error(format!("grant the policy to the {what}"), &e))?;
                Ok(Change::Updated(format!(
                    "{what}: granted policy `{policy}`"
                )))
            }
            Err(e) if matches!(Failure::of(&e), Failure::Status(404, _)) => {
                let mut options = CreateUserRequest::builder();
                options.token_policies(vec![policy.to_owned()]);
                vaultrs::auth::userpass::user::set(
                    &self.vault,
                    mount,
                    &user.username,
                    user.password.expose(),
                    Some(&mut options),
                )
                .await
                .map_err(|e| self.error(format!("create the {what}"), &e))?;
                Ok(Change::Created(what))
            }
            Err(e) => Err(self.error(format!("read the {what}"), &e)),
        }
    }

    async fn jwt_config(&self, jwt: &JwtSetup) -> Result<Change, ConfigError> {
        let mount = &self.config.oidc.jwt_mount;
        let issuer = jwt.issuer.as_str().trim_end_matches('/').to_owned();
        let what = format!("JWT auth config on `{mount}` trusting {issuer}");
        let existing = match vaultrs::auth::oidc::config::read(&self.vault, mount).await {
            Ok(config) => Some(config),
            Err(e) if matches!(Failure::of(&e), Failure::Status(404 | 400, _)) => None,
            Err(e) => return Err(self.error(format!("read the {what}"), &e)),
        };
        if existing.as_ref().is_some_and(|c| {
            c.oidc_discovery_url.as_deref() == Some(issuer.as_str())
                && c.bound_issuer.as_deref() == Some(issuer.as_str())
                && c.default_role.as_deref() == Some(jwt.role.as_str())
        }) {
            return Ok(Change::Unchanged(what));
        }
        let mut options = SetConfigurationRequest::builder();
        // The role is the mount's default, so a login needs no OPENBAO_JWT_ROLE.
        options
            .oidc_discovery_url(issuer.clone())
            .bound_issuer(issuer.clone())
            .default_role(jwt.role.clone());
        vaultrs::auth::oidc::config::set(&self.vault, mount, Some(&mut options))
            .await
            .map_err(|e| self.error(format!("write the {what}"), &e))?;
        Ok(
            if existing.is_some_and(|c| c.oidc_discovery_url.is_some()) {
                Change::Updated(what)
            } else {
                Change::Created(what)
            },
        )
    }

    async fn jwt_role(&self, jwt: &JwtSetup, policy: &str) -> Result<Change, ConfigError> {
        let oidc = &self.config.oidc;
        let mount = &oidc.jwt_mount;
        let what = format!("JWT role `{}` on `{mount}`", jwt.role);
        let existing = match vaultrs::auth::oidc::role::read(&self.vault, mount, &jwt.role).await {
            Ok(role) => Some(role),
            Err(e) if matches!(Failure::of(&e), Failure::Status(404, _)) => None,
            Err(e) => return Err(self.error(format!("read the {what}"), &e)),
        };
        let groups_claim = oidc.groups_claim.clone().unwrap_or_default();
        let policies = vec![policy.to_owned()];
        if existing.as_ref().is_some_and(|role| {
            role.role_type == "jwt"
                && role.user_claim == oidc.user_claim
                && role.groups_claim == groups_claim
                && role.bound_audiences.as_deref() == Some(jwt.audiences.as_slice())
                && role.token_policies == policies
        }) {
            return Ok(Change::Unchanged(what));
        }
        let mut options = SetRoleRequest::builder();
        options
            .role_type("jwt")
            .bound_audiences(jwt.audiences.clone())
            .token_policies(policies)
            // Empty clears a claim an earlier setup wrote, so the next run finds it unchanged.
            .groups_claim(groups_claim);
        vaultrs::auth::oidc::role::set(
            &self.vault,
            mount,
            &jwt.role,
            &oidc.user_claim,
            Vec::new(),
            Some(&mut options),
        )
        .await
        .map_err(|e| self.error(format!("write the {what}"), &e))?;
        Ok(Change::written(existing.is_some(), what))
    }
}
