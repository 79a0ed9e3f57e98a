//! `OpenbaoConfig`: where the server is, how to log in, and where values live. No I/O.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use harmony_naming::vars;
use url::Url;

use crate::{ConfigError, Secret};

/// The KV secrets engine version of the mount values live on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KvVersion {
    /// KV v1: one unversioned secret per path.
    V1,
    /// KV v2, the default: versioned secrets, read at `{mount}/data/{path}`.
    #[default]
    V2,
}

/// Which token of the OIDC provider's answer is presented to OpenBao's JWT auth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OidcToken {
    /// The ID token, a JWT whose audience is the client id. The default.
    #[default]
    IdToken,
    /// The access token, where the provider issues it as a JWT with its own audience.
    AccessToken,
}

/// The OIDC device flow (RFC 8628) that `cargo harmony login` runs, and the OpenBao JWT
/// auth it logs in through.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OidcConfig {
    /// The issuer URL, whose `/.well-known/openid-configuration` names the endpoints.
    /// `HARMONY_OIDC_ISSUER`.
    pub issuer: Option<Url>,
    /// The public client that uses the device flow. `HARMONY_OIDC_CLIENT_ID`.
    pub client_id: Option<String>,
    /// An audience to ask for, sent as the `audience` parameter for providers that take one;
    /// the JWT auth role must bind the audience the token then carries. `HARMONY_OIDC_AUDIENCE`.
    pub audience: Option<String>,
    /// The scopes to ask for. `HARMONY_OIDC_SCOPES`, space-separated; default
    /// `openid email profile`.
    pub scopes: Vec<String>,
    /// Which token to present to OpenBao. `HARMONY_OIDC_TOKEN`: `id_token` (default) or
    /// `access_token`.
    pub token: OidcToken,
    /// The mount of OpenBao's JWT auth method. `OPENBAO_JWT_MOUNT`, default `jwt`.
    pub jwt_mount: String,
    /// The JWT auth role to log in with; the mount's default role when unset.
    /// `OPENBAO_JWT_ROLE`.
    pub role: Option<String>,
    /// The claim that names the user, for the role that setup writes.
    /// `HARMONY_OIDC_USER_CLAIM`, default `sub`.
    pub user_claim: String,
    /// The claim that lists the user's groups, for the role that setup writes.
    /// `HARMONY_OIDC_GROUPS_CLAIM`; none by default.
    pub groups_claim: Option<String>,
}

impl Default for OidcConfig {
    fn default() -> Self {
        Self {
            issuer: None,
            client_id: None,
            audience: None,
            scopes: ["openid", "email", "profile"].map(str::to_owned).to_vec(),
            token: OidcToken::IdToken,
            jwt_mount: "jwt".to_owned(),
            role: None,
            user_claim: "sub".to_owned(),
            groups_claim: None,
        }
    }
}

/// How to reach an OpenBao (or Vault) server and where values live on it.
///
/// Building one does no I/O. [`OpenbaoConfig::from_env`] reads:
///
/// | Variable | Meaning | Default |
/// | --- | --- | --- |
/// | `OPENBAO_URL`, else `VAULT_ADDR` | the server | required |
/// | `OPENBAO_TOKEN`, else `VAULT_TOKEN` | a token to use as it is | none |
/// | `OPENBAO_USERNAME`, `OPENBAO_PASSWORD` | a userpass login | none |
/// | `OPENBAO_AUTH_MOUNT` | the userpass auth mount | `userpass` |
/// | `OPENBAO_KV_MOUNT` | the KV mount values live on | `secret` |
/// | `OPENBAO_KV_VERSION` | `1` or `2` | `2` |
/// | `OPENBAO_SKIP_TLS` | `true` turns certificate checks off | `false` |
/// | `HARMONY_ALLOW_HTTP` | `true` allows `http://` to a server not on this machine | `false` |
/// | `OPENBAO_CACERT`, else `VAULT_CACERT` | a PEM file of CAs to trust besides the system's | none |
/// | `OPENBAO_TIMEOUT_MS` | the bound on one `get`, `set` or `unset` | `3000` |
/// | `HARMONY_OIDC_ISSUER`, `HARMONY_OIDC_CLIENT_ID` | the device flow's provider and client | none |
/// | `HARMONY_OIDC_AUDIENCE`, `HARMONY_OIDC_SCOPES`, `HARMONY_OIDC_TOKEN` | see [`OidcConfig`] | |
/// | `OPENBAO_JWT_MOUNT`, `OPENBAO_JWT_ROLE` | OpenBao's JWT auth | `jwt`, the default role |
/// | `HARMONY_OIDC_USER_CLAIM`, `HARMONY_OIDC_GROUPS_CLAIM` | claims for the role setup writes | `sub`, none |
///
/// Its `Debug` never shows the token or the password.
#[derive(Clone)]
#[non_exhaustive]
pub struct OpenbaoConfig {
    /// The server, e.g. `https://bao.example.com:8200`.
    pub url: Url,
    /// A token used as it is, before any cached or new login.
    pub token: Option<Secret<String>>,
    /// The userpass user.
    pub username: Option<String>,
    /// The userpass password.
    pub password: Option<Secret<String>>,
    /// The userpass auth mount, separate from the KV mount.
    pub auth_mount: String,
    /// The KV mount values live on.
    pub kv_mount: String,
    /// The KV engine version of [`OpenbaoConfig::kv_mount`].
    pub kv_version: KvVersion,
    /// Whether TLS certificates go unchecked. Off unless asked for.
    pub skip_tls: bool,
    /// Whether a token, password or JWT may cross the network in clear: sent to an `http://`
    /// server (or identity provider) that is not on this machine. Off unless asked for; a
    /// loopback `http://` server, such as `bao server -dev`, needs no permission.
    pub allow_http: bool,
    /// A PEM file of CA certificates to trust besides the system's, for a server whose
    /// certificate a private CA signed.
    pub ca_cert: Option<PathBuf>,
    /// The bound on one `get`, `set` or `unset`, logins included.
    pub timeout: Duration,
    /// The directory of the token cache, by default `harmony/openbao` in the user's data
    /// directory, beside the SQLite store; `None` turns the cache off.
    pub token_cache_dir: Option<PathBuf>,
    /// The OIDC device flow and the JWT auth behind it.
    pub oidc: OidcConfig,
}

impl fmt::Debug for OpenbaoConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenbaoConfig")
            .field("url", &self.url.as_str())
            .field("token", &self.token)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("auth_mount", &self.auth_mount)
            .field("kv_mount", &self.kv_mount)
            .field("kv_version", &self.kv_version)
            .field("skip_tls", &self.skip_tls)
            .field("allow_http", &self.allow_http)
            .field("ca_cert", &self.ca_cert)
            .field("timeout", &self.timeout)
            .field("token_cache_dir", &self.token_cache_dir)
            .field("oidc", &self.oidc)
            .finish()
    }
}

impl OpenbaoConfig {
    /// The defaults for the server at `url`: no credentials, KV v2 on `secret`, userpass on
    /// `userpass`, TLS checked, a 3 s timeout, and the default token cache.
    ///
    /// # Errors
    ///
    /// [`ConfigError::StoreSetting`] when `url` is not an `http` or `https` URL.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            url: parse_url("the OpenBao URL", url)?,
            token: None,
            username: None,
            password: None,
            auth_mount: "userpass".to_owned(),
            kv_mount: "secret".to_owned(),
            kv_version: KvVersion::V2,
            skip_tls: false,
            allow_http: false,
            ca_cert: None,
            timeout: Duration::from_secs(3),
            token_cache_dir: default_token_cache_dir(),
            oidc: OidcConfig::default(),
        })
    }

    /// Whether `OPENBAO_URL` or `VAULT_ADDR` is set, which puts OpenBao in the default chain.
    #[must_use]
    pub fn is_configured() -> bool {
        [vars::OPENBAO_URL, vars::VAULT_ADDR]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
    }

    /// The settings in the environment; see the table above. Empty variables count as unset.
    ///
    /// # Errors
    ///
    /// [`ConfigError::StoreSetting`], naming the variable, when `OPENBAO_URL` and `VAULT_ADDR`
    /// are both unset, or a variable holds something it cannot.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&|name| std::env::var(name))
    }

    fn from_lookup(env: &Lookup<'_>) -> Result<Self, ConfigError> {
        let (url_var, url) = first_var(env, &[vars::OPENBAO_URL, vars::VAULT_ADDR])?.ok_or_else(|| {
            ConfigError::StoreSetting {
                setting: vars::OPENBAO_URL.to_owned(),
                problem: "is not set: set it (or VAULT_ADDR) to the server, e.g. https://bao.example.com:8200".to_owned(),
            }
        })?;
        let mut config = Self::new(&url).map_err(|error| match error {
            ConfigError::StoreSetting { problem, .. } => ConfigError::StoreSetting {
                setting: url_var.to_owned(),
                problem,
            },
            other => other,
        })?;
        config.token =
            first_var(env, &[vars::OPENBAO_TOKEN, vars::VAULT_TOKEN])?.map(|(_, v)| Secret::new(v));
        config.username = var(env, vars::OPENBAO_USERNAME)?;
        config.password = var(env, vars::OPENBAO_PASSWORD)?.map(Secret::new);
        set_from(env, &mut config.auth_mount, vars::OPENBAO_AUTH_MOUNT)?;
        set_from(env, &mut config.kv_mount, vars::OPENBAO_KV_MOUNT)?;
        if let Some(version) = var(env, vars::OPENBAO_KV_VERSION)? {
            config.kv_version = match version.as_str() {
                "1" => KvVersion::V1,
                "2" => KvVersion::V2,
                _ => return Err(invalid(vars::OPENBAO_KV_VERSION, "must be 1 or 2")),
            };
        }
        if let Some(skip) = var(env, vars::OPENBAO_SKIP_TLS)? {
            config.skip_tls = parse_bool(vars::OPENBAO_SKIP_TLS, &skip)?;
        }
        config.ca_cert = first_var(env, &[vars::OPENBAO_CACERT, vars::VAULT_CACERT])?
            .map(|(_, path)| path.into());
        if let Some(ms) = var(env, vars::OPENBAO_TIMEOUT_MS)? {
            let ms: u64 = ms.parse().ok().filter(|ms| *ms > 0).ok_or_else(|| {
                invalid(
                    vars::OPENBAO_TIMEOUT_MS,
                    "must be a positive number of milliseconds, e.g. 3000",
                )
            })?;
            config.timeout = Duration::from_millis(ms);
        }
        if let Some(allow) = var(env, vars::ALLOW_HTTP)? {
            config.allow_http = parse_bool(vars::ALLOW_HTTP, &allow)?;
        }
        config.oidc = oidc_from_env(env)?;
        config.refuse_cleartext(url_var, vars::OIDC_ISSUER)?;
        Ok(config)
    }

    /// Fails when a credential would cross the network in clear: an `http://` server or
    /// issuer that is not on this machine, without [`OpenbaoConfig::allow_http`]. The error
    /// names the setting, and the variable that allows it.
    pub(crate) fn refuse_cleartext(
        &self,
        url_setting: &str,
        issuer_setting: &str,
    ) -> Result<(), ConfigError> {
        let urls = [
            (url_setting, Some(&self.url)),
            (issuer_setting, self.oidc.issuer.as_ref()),
        ];
        for (setting, url) in urls {
            if let Some(url) = url.filter(|url| !self.allow_http && is_cleartext(url)) {
                return Err(invalid(
                    setting,
                    &format!(
                        "is http:// to {}, which is not this machine, so a token or password would cross the network in clear: use https://, or set {}=true to allow it",
                        url.host_str().unwrap_or_default(),
                        vars::ALLOW_HTTP
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The store's name in messages: `openbao (URL)`.
    pub(crate) fn store_name(&self) -> String {
        format!("openbao ({})", self.url.as_str().trim_end_matches('/'))
    }
}

fn oidc_from_env(env: &Lookup<'_>) -> Result<OidcConfig, ConfigError> {
    let mut oidc = OidcConfig::default();
    if let Some(issuer) = var(env, vars::OIDC_ISSUER)? {
        oidc.issuer = Some(parse_url(vars::OIDC_ISSUER, &issuer)?);
    }
    oidc.client_id = var(env, vars::OIDC_CLIENT_ID)?;
    oidc.audience = var(env, vars::OIDC_AUDIENCE)?;
    if let Some(scopes) = var(env, vars::OIDC_SCOPES)? {
        oidc.scopes = scopes.split_whitespace().map(str::to_owned).collect();
    }
    if let Some(token) = var(env, vars::OIDC_TOKEN)? {
        oidc.token = match token.as_str() {
            "id_token" => OidcToken::IdToken,
            "access_token" => OidcToken::AccessToken,
            _ => {
                return Err(invalid(
                    vars::OIDC_TOKEN,
                    "must be `id_token` or `access_token`",
                ));
            }
        };
    }
    set_from(env, &mut oidc.jwt_mount, vars::OPENBAO_JWT_MOUNT)?;
    oidc.role = var(env, vars::OPENBAO_JWT_ROLE)?;
    set_from(env, &mut oidc.user_claim, vars::OIDC_USER_CLAIM)?;
    oidc.groups_claim = var(env, vars::OIDC_GROUPS_CLAIM)?;
    Ok(oidc)
}

/// `~/.local/share/harmony/openbao`, beside the SQLite store's `config` directory.
fn default_token_cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "harmony").map(|dirs| dirs.data_dir().join("openbao"))
}

fn parse_url(setting: &str, text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
        .ok_or_else(|| invalid(setting, "is not an http:// or https:// URL"))?;
    // The URL is shown in every warning and error, so it must not carry credentials.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            setting,
            "holds a user name or password: remove it, and log in with a token, userpass or `cargo harmony login`",
        ));
    }
    Ok(url)
}

/// Whether requests to `url` travel in clear beyond this machine: `http://` to a host other
/// than `localhost` or a loopback address.
pub(crate) fn is_cleartext(url: &Url) -> bool {
    url.scheme() == "http" && !is_loopback(url)
}

/// Whether `url` names this machine: `localhost` or a loopback address.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn parse_bool(name: &str, text: &str) -> Result<bool, ConfigError> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(name, "must be `true` or `false`")),
    }
}

fn invalid(setting: &str, problem: &str) -> ConfigError {
    ConfigError::StoreSetting {
        setting: setting.to_owned(),
        problem: problem.to_owned(),
    }
}

/// Reads an environment variable: `std::env::var`, or a map in tests.
type Lookup<'a> = dyn Fn(&str) -> Result<String, std::env::VarError> + 'a;

/// The variable's value; unset and empty are `None`.
fn var(env: &Lookup<'_>, name: &str) -> Result<Option<String>, ConfigError> {
    match env(name) {
        Ok(value) if value.is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(invalid(name, "is not valid UTF-8")),
    }
}

/// The first of `names` that is set, with its name.
fn first_var(
    env: &Lookup<'_>,
    names: &[&'static str],
) -> Result<Option<(&'static str, String)>, ConfigError> {
    for name in names {
        if let Some(value) = var(env, name)? {
            return Ok(Some((name, value)));
        }
    }
    Ok(None)
}

fn set_from(env: &Lookup<'_>, field: &mut String, name: &str) -> Result<(), ConfigError> {
    if let Some(value) = var(env, name)? {
        let mount = value.trim_matches('/');
        if mount.is_empty() {
            return Err(invalid(name, "must name a mount, e.g. `secret`"));
        }
        mount.clone_into(field);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::env::VarError;

    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<OpenbaoConfig, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        OpenbaoConfig::from_lookup(&|name| vars.get(name).cloned().ok_or(VarError::NotPresent))
    }

    fn problem(vars: &[(&str, &str)]) -> String {
        match from(vars) {
            Err(error) => error.to_string(),
            Ok(config) => panic!("accepted: {config:?}"),
        }
    }

    #[test]
    fn defaults_follow_the_design() {
        let config = from(&[("OPENBAO_URL", "https://bao.example.com:8200")]).unwrap();
        assert_eq!(config.url.as_str(), "https://bao.example.com:8200/");
        assert_eq!(config.kv_mount, "secret");
        assert_eq!(config.kv_version, KvVersion::V2);
        assert_eq!(config.auth_mount, "userpass");
        assert!(!config.skip_tls);
        assert_eq!(config.timeout, Duration::from_secs(3));
        assert!(config.token.is_none() && config.username.is_none());
        assert_eq!(config.oidc.jwt_mount, "jwt");
        assert_eq!(config.oidc.user_claim, "sub");
        assert_eq!(config.oidc.token, OidcToken::IdToken);
        assert_eq!(
            config.store_name(),
            "openbao (https://bao.example.com:8200)"
        );
    }

    #[test]
    fn vault_variables_are_the_fallbacks() {
        let config = from(&[
            ("VAULT_ADDR", "http://127.0.0.1:8200"),
            ("VAULT_TOKEN", "s.vault"),
        ])
        .unwrap();
        assert_eq!(config.url.as_str(), "http://127.0.0.1:8200/");
        assert_eq!(config.token.unwrap().expose(), "s.vault");
        let config = from(&[
            ("OPENBAO_URL", "https://a:1"),
            ("VAULT_ADDR", "https://b:2"),
            ("OPENBAO_TOKEN", "s.bao"),
            ("VAULT_TOKEN", "s.vault"),
        ])
        .unwrap();
        assert_eq!(config.url.host_str(), Some("a"));
        assert_eq!(config.token.unwrap().expose(), "s.bao");
    }

    #[test]
    fn every_setting_is_read() {
        let config = from(&[
            ("OPENBAO_URL", "http://bao:8200"),
            ("HARMONY_ALLOW_HTTP", "true"),
            ("OPENBAO_USERNAME", "alice"),
            ("OPENBAO_PASSWORD", "pw"),
            ("OPENBAO_AUTH_MOUNT", "people/"),
            ("OPENBAO_KV_MOUNT", "team"),
            ("OPENBAO_KV_VERSION", "1"),
            ("OPENBAO_SKIP_TLS", "true"),
            ("VAULT_CACERT", "/etc/team-ca.pem"),
            ("OPENBAO_TIMEOUT_MS", "250"),
            ("HARMONY_OIDC_ISSUER", "https://sso.example.com"),
            ("HARMONY_OIDC_CLIENT_ID", "cli"),
            ("HARMONY_OIDC_AUDIENCE", "bao"),
            ("HARMONY_OIDC_SCOPES", "openid  email"),
            ("HARMONY_OIDC_TOKEN", "access_token"),
            ("OPENBAO_JWT_MOUNT", "oidc"),
            ("OPENBAO_JWT_ROLE", "dev"),
            ("HARMONY_OIDC_USER_CLAIM", "email"),
            ("HARMONY_OIDC_GROUPS_CLAIM", "groups"),
        ])
        .unwrap();
        assert_eq!(config.username.as_deref(), Some("alice"));
        assert_eq!(config.auth_mount, "people");
        assert_eq!(config.kv_mount, "team");
        assert_eq!(config.kv_version, KvVersion::V1);
        assert!(config.skip_tls && config.allow_http);
        assert_eq!(config.ca_cert, Some(PathBuf::from("/etc/team-ca.pem")));
        assert_eq!(config.timeout, Duration::from_millis(250));
        let oidc = &config.oidc;
        assert_eq!(
            oidc.issuer.as_ref().unwrap().host_str(),
            Some("sso.example.com")
        );
        assert_eq!(oidc.client_id.as_deref(), Some("cli"));
        assert_eq!(oidc.audience.as_deref(), Some("bao"));
        assert_eq!(oidc.scopes, ["openid", "email"]);
        assert_eq!(oidc.token, OidcToken::AccessToken);
        assert_eq!(oidc.jwt_mount, "oidc");
        assert_eq!(oidc.role.as_deref(), Some("dev"));
        assert_eq!(oidc.user_claim, "email");
        assert_eq!(oidc.groups_claim.as_deref(), Some("groups"));
        let debug = format!("{config:?}");
        assert!(!debug.contains("pw\""), "{debug}");
    }

    #[test]
    fn bad_settings_name_their_variable() {
        let url = ("OPENBAO_URL", "https://bao:8200");
        assert!(problem(&[]).starts_with("OPENBAO_URL is not set"));
        assert!(problem(&[("OPENBAO_URL", "bao:8200")]).starts_with("OPENBAO_URL "));
        assert!(problem(&[("VAULT_ADDR", "ftp://x")]).starts_with("VAULT_ADDR "));
        let with_password = problem(&[("OPENBAO_URL", "https://me:hunter2@bao:8200")]);
        assert!(
            with_password.starts_with("OPENBAO_URL holds a user name or password"),
            "{with_password}"
        );
        assert!(!with_password.contains("hunter2"), "{with_password}");
        for (name, value) in [
            ("OPENBAO_TIMEOUT_MS", "soon"),
            ("OPENBAO_TIMEOUT_MS", "0"),
            ("OPENBAO_SKIP_TLS", "maybe"),
            ("OPENBAO_KV_VERSION", "3"),
            ("OPENBAO_KV_MOUNT", "/"),
            ("HARMONY_OIDC_TOKEN", "refresh_token"),
            ("HARMONY_OIDC_ISSUER", "not a url"),
        ] {
            let text = problem(&[url, (name, value)]);
            assert!(text.starts_with(name), "{name}={value}: {text}");
            assert!(!text.contains(value) || value.len() < 2, "{text}");
        }
    }

    #[test]
    fn cleartext_beyond_this_machine_needs_permission() {
        for local in [
            "http://127.0.0.1:8200",
            "http://127.8.0.1:1",
            "http://[::1]:8200",
            "http://localhost:8200",
            "https://bao.example.com",
        ] {
            assert!(from(&[("OPENBAO_URL", local)]).is_ok(), "{local}");
        }
        for remote in [
            "http://bao.example.com:8200",
            "http://10.0.0.5:8200",
            "http://[fd00::1]:1",
        ] {
            let text = problem(&[("OPENBAO_URL", remote)]);
            assert!(
                text.starts_with("OPENBAO_URL is http:// to ")
                    && text.contains("set HARMONY_ALLOW_HTTP=true"),
                "{text}"
            );
            let allowed = from(&[("OPENBAO_URL", remote), ("HARMONY_ALLOW_HTTP", "true")]);
            assert!(allowed.is_ok_and(|c| c.allow_http), "{remote}");
        }
        let issuer = problem(&[
            ("OPENBAO_URL", "https://bao.example.com"),
            ("HARMONY_OIDC_ISSUER", "http://sso.example.com"),
        ]);
        assert!(
            issuer.starts_with("HARMONY_OIDC_ISSUER is http:// to sso.example.com"),
            "{issuer}"
        );
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let config = from(&[
            ("OPENBAO_URL", "https://bao:8200"),
            ("OPENBAO_TOKEN", ""),
            ("OPENBAO_KV_MOUNT", ""),
        ])
        .unwrap();
        assert!(config.token.is_none());
        assert_eq!(config.kv_mount, "secret");
    }
}
