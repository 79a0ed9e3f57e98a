//! The OIDC device authorization flow (RFC 8628) through the oauth2 crate, then OpenBao's JWT
//! auth, then the token cache: what `cargo harmony login` runs. Never run inside a `get`.

use std::fmt;
use std::sync::PoisonError;
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, ClientId, DeviceAuthorizationUrl, ExtraTokenFields, RequestTokenError, Scope,
    StandardDeviceAuthorizationResponse, StandardRevocableToken, StandardTokenResponse,
    TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::client::{Failure, client, http_builder, quiet, root_cause};
use super::config::{OidcToken, is_cleartext};
use super::session::{issued, login_error};
use super::{OpenbaoConfig, OpenbaoSecretStore};
use crate::ConfigError;

/// What the person logging in must do: open the URL and enter the code.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DeviceCode {
    /// The page where the code is entered.
    pub verification_uri: String,
    /// The same page with the code filled in, when the provider offers one.
    pub verification_uri_complete: Option<String>,
    /// The code to enter. Short-lived and useless without the person's own login.
    pub user_code: String,
    /// How long the code stays valid.
    pub expires_in: Duration,
}

/// A finished login.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Login {
    /// The OpenBao policies the new token carries.
    pub policies: Vec<String>,
    /// How long the token is valid; `None` when it never expires.
    pub expires_in: Option<Duration>,
    /// The file the token is cached in, for other processes; `None` when the cache is off.
    pub cache_path: Option<std::path::PathBuf>,
}

impl OpenbaoSecretStore {
    /// Runs the device flow with this store's settings; `show` tells the person what to do.
    /// The new token becomes this store's session and is cached for other processes.
    ///
    /// Polling honours the provider's `interval` and `slow_down`, and stops when the code
    /// expires.
    ///
    /// # Errors
    ///
    /// When a setting is missing or invalid, the provider or OpenBao cannot be reached, the
    /// code expires or is denied, or OpenBao refuses the JWT.
    pub async fn device_login(&self, show: impl FnOnce(&DeviceCode)) -> Result<Login, ConfigError> {
        let config = self.config();
        let oidc = &config.oidc;
        let issuer = oidc.issuer.as_ref().ok_or_else(|| {
            missing(
                harmony_naming::vars::OIDC_ISSUER,
                "the OIDC issuer URL, e.g. https://sso.example.com",
            )
        })?;
        let client_id = oidc.client_id.as_deref().ok_or_else(|| {
            missing(
                harmony_naming::vars::OIDC_CLIENT_ID,
                "the id of the public client that uses the device flow",
            )
        })?;
        config.refuse_cleartext("the OpenBao URL", "the OIDC issuer")?;
        let flow = Flow::new(config, issuer)?;
        let jwt = flow.device_token(client_id, show).await?;

        let method = format!("JWT auth (mount `{}`)", oidc.jwt_mount);
        let vault = client(config, "")?;
        let auth = quiet(vaultrs::auth::oidc::login(
            &vault,
            &oidc.jwt_mount,
            &jwt,
            oidc.role.clone(),
        ))
        .await
        .map_err(|e| login_error(config, &method, &Failure::of(&e)))?;
        let token = issued(config, &auth);
        let expires_in =
            (auth.lease_duration > 0).then(|| Duration::from_secs(auth.lease_duration));
        self.adopt(token).await?;
        Ok(Login {
            policies: auth.policies,
            expires_in,
            cache_path: self.token_cache_path().map(std::path::Path::to_path_buf),
        })
    }
}

fn missing(variable: &str, what: &str) -> ConfigError {
    ConfigError::StoreSetting {
        setting: variable.to_owned(),
        problem: format!("is not set: `cargo harmony login` needs {what}"),
    }
}

/// The token response, keeping the ID token that the basic response drops.
#[derive(Clone, Deserialize, Serialize)]
struct IdTokenField {
    #[serde(default)]
    id_token: Option<String>,
}

impl fmt::Debug for IdTokenField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdTokenField { .. }")
    }
}

impl ExtraTokenFields for IdTokenField {}

type Tokens = StandardTokenResponse<IdTokenField, BasicTokenType>;

/// The endpoints the discovery document names.
#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    device_authorization_endpoint: Option<String>,
    token_endpoint: String,
}

/// One device flow against one issuer.
struct Flow<'a> {
    config: &'a OpenbaoConfig,
    issuer: &'a Url,
    http: reqwest::Client,
}

impl<'a> Flow<'a> {
    fn new(config: &'a OpenbaoConfig, issuer: &'a Url) -> Result<Self, ConfigError> {
        // A login is interactive and rare, so a slow provider gets longer than a `get` would.
        // Its CA may be the team's private one too: `OPENBAO_CACERT` is trusted here as well.
        let http = http_builder(config, issuer, config.timeout.max(Duration::from_secs(10)))?
            // The token endpoint answers directly; redirects would only hide a wrong URL.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ConfigError::Oidc {
                issuer: issuer.to_string(),
                action: "build an HTTP client",
                problem: e.to_string(),
            })?;
        Ok(Self {
            config,
            issuer,
            http,
        })
    }

    fn error(&self, action: &'static str, problem: impl Into<String>) -> ConfigError {
        ConfigError::Oidc {
            issuer: self.issuer.as_str().trim_end_matches('/').to_owned(),
            action,
            problem: problem.into(),
        }
    }

    /// Reads `{issuer}/.well-known/openid-configuration` and checks it names this issuer.
    async fn discover(&self) -> Result<Discovery, ConfigError> {
        let action = "read the discovery document";
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.issuer.as_str().trim_end_matches('/')
        );
        let response = self.http.get(&url).send().await.map_err(|e| {
            self.error(
                action,
                format!(
                    "{}: check HARMONY_OIDC_ISSUER and the network",
                    with_cause(&e)
                ),
            )
        })?;
        if !response.status().is_success() {
            return Err(self.error(
                action,
                format!(
                    "{url} answered HTTP {}: check HARMONY_OIDC_ISSUER",
                    response.status().as_u16()
                ),
            ));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| self.error(action, e.to_string()))?;
        let discovery: Discovery = serde_json::from_slice(&body)
            .map_err(|e| self.error(action, format!("{url} is not a discovery document ({e})")))?;
        if discovery.issuer.trim_end_matches('/') != self.issuer.as_str().trim_end_matches('/') {
            return Err(self.error(
                action,
                format!(
                    "it names the issuer {}, not this one: set HARMONY_OIDC_ISSUER to exactly the issuer",
                    discovery.issuer
                ),
            ));
        }
        Ok(discovery)
    }

    /// Runs the device flow and returns the JWT to present to OpenBao.
    async fn device_token(
        &self,
        client_id: &str,
        show: impl FnOnce(&DeviceCode),
    ) -> Result<String, ConfigError> {
        let discovery = self.discover().await?;
        let device_url = discovery.device_authorization_endpoint.ok_or_else(|| {
            self.error(
                "start the device flow",
                "the provider offers no device authorization endpoint: enable the device flow for the client",
            )
        })?;
        let device_url = DeviceAuthorizationUrl::new(device_url)
            .map_err(|e| self.error("start the device flow", e.to_string()))?;
        let token_url = TokenUrl::new(discovery.token_endpoint)
            .map_err(|e| self.error("start the device flow", e.to_string()))?;
        // An https issuer may still name http endpoints, which would carry the codes and
        // tokens in clear.
        for endpoint in [device_url.url(), token_url.url()] {
            if !self.config.allow_http && is_cleartext(endpoint) {
                return Err(self.error(
                    "start the device flow",
                    format!(
                        "the discovery document names {endpoint}, which is http:// to another machine: fix the provider's issuer URL, or set {}=true to allow it",
                        harmony_naming::vars::ALLOW_HTTP
                    ),
                ));
            }
        }
        let client = oauth2::Client::<
            BasicErrorResponse,
            Tokens,
            BasicTokenIntrospectionResponse,
            StandardRevocableToken,
            BasicRevocationErrorResponse,
        >::new(ClientId::new(client_id.to_owned()))
        .set_auth_type(AuthType::RequestBody)
        .set_device_authorization_url(device_url)
        .set_token_uri(token_url);

        let http = |request| send(&self.http, request);
        let oidc = &self.config.oidc;
        let mut request = client
            .exchange_device_code()
            .add_scopes(oidc.scopes.iter().cloned().map(Scope::new));
        if let Some(audience) = &oidc.audience {
            request = request.add_extra_param("audience", audience.clone());
        }
        let details: StandardDeviceAuthorizationResponse = request
            .request_async(&http)
            .await
            .map_err(|e| self.error("start the device flow", token_error_text(&e)))?;
        show(&DeviceCode {
            verification_uri: details.verification_uri().to_string(),
            verification_uri_complete: details
                .verification_uri_complete()
                .map(|url| url.secret().clone()),
            user_code: details.user_code().secret().clone(),
            expires_in: details.expires_in(),
        });
        let tokens = self.poll(&client, &details).await?;
        match oidc.token {
            OidcToken::IdToken => tokens.extra_fields().id_token.clone().ok_or_else(|| {
                self.error(
                    "get a token",
                    "the provider returned no ID token: add the `openid` scope (HARMONY_OIDC_SCOPES), or set HARMONY_OIDC_TOKEN=access_token",
                )
            }),
            OidcToken::AccessToken => Ok(tokens.access_token().secret().clone()),
        }
    }
}

impl Flow<'_> {
    /// Polls the token endpoint until the person approves the code. oauth2 retries a poll
    /// that gets no answer until the code expires, ten minutes or more, so a provider gone
    /// mid-login would leave the login hanging: after [`POLLS_UNANSWERED`] such polls in a
    /// row, the login ends with an error instead.
    async fn poll(
        &self,
        client: &DeviceClient,
        details: &StandardDeviceAuthorizationResponse,
    ) -> Result<Tokens, ConfigError> {
        let unanswered = std::sync::Mutex::new((0_usize, String::new()));
        let gone = tokio::sync::Notify::new();
        let http = |request| {
            let (unanswered, gone) = (&unanswered, &gone);
            async move {
                let result = send(&self.http, request).await;
                let mut state = unanswered.lock().unwrap_or_else(PoisonError::into_inner);
                match &result {
                    Ok(_) => state.0 = 0,
                    Err(error) => {
                        state.0 += 1;
                        state.1 = error.detail();
                        if state.0 >= POLLS_UNANSWERED {
                            gone.notify_one();
                        }
                    }
                }
                result
            }
        };
        let polling = client.exchange_device_access_token(details).request_async(
            &http,
            tokio::time::sleep,
            None,
        );
        tokio::select! {
            result = polling => result.map_err(|e| self.error("get a token", token_error_text(&e))),
            () = gone.notified() => {
                let last = unanswered.lock().unwrap_or_else(PoisonError::into_inner).1.clone();
                Err(self.error(
                    "get a token",
                    format!("the provider stopped answering while the login waited for approval ({last}): check that it runs and is reachable, then run `cargo harmony login` again"),
                ))
            }
        }
    }
}

/// Polls in a row that get no answer before a login gives up: with oauth2's back-off, the
/// second comes about 10 s after the first.
const POLLS_UNANSWERED: usize = 2;

/// The oauth2 client of the device flow.
type DeviceClient = oauth2::Client<
    BasicErrorResponse,
    Tokens,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

/// The oauth2 crate's requests, sent with reqwest (the one vaultrs uses too).
async fn send(
    http: &reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(HttpError::Send)?;
    let mut builder = oauth2::http::Response::builder().status(response.status());
    if let Some(headers) = builder.headers_mut() {
        headers.extend(response.headers().clone());
    }
    let body = response.bytes().await.map_err(HttpError::Send)?;
    builder.body(body.to_vec()).map_err(HttpError::Build)
}

/// Why an HTTP exchange with the provider failed.
#[derive(Debug, thiserror::Error)]
enum HttpError {
    #[error("{0}")]
    Send(reqwest::Error),
    #[error("unusable response: {0}")]
    Build(oauth2::http::Error),
}

impl HttpError {
    /// The message with its innermost cause, which reqwest's message leaves out.
    fn detail(&self) -> String {
        match self {
            Self::Send(error) => with_cause(error),
            Self::Build(_) => self.to_string(),
        }
    }
}

/// A reqwest error's message and its innermost cause, e.g. "error sending request for url
/// (…): operation timed out", so that a frozen provider reads differently from a stopped one.
fn with_cause(error: &reqwest::Error) -> String {
    let (text, cause) = (error.to_string(), root_cause(error));
    if cause == text {
        text
    } else {
        format!("{text}: {cause}")
    }
}

/// An oauth2 error as text: the provider's error code and description, never a response body
/// (which could hold tokens).
fn token_error_text(error: &RequestTokenError<HttpError, impl oauth2::ErrorResponse>) -> String {
    match error {
        RequestTokenError::ServerResponse(response) => {
            let text = response.to_string();
            if text.contains("expired_token") {
                format!("{text}: the code expired before it was approved; run the login again")
            } else if text.contains("access_denied") {
                format!("{text}: the login was denied at the provider")
            } else {
                text
            }
        }
        RequestTokenError::Request(e) => {
            format!("{}: check HARMONY_OIDC_ISSUER and the network", e.detail())
        }
        RequestTokenError::Parse(e, _) => {
            format!("the provider's answer does not parse at `{}`", e.path())
        }
        RequestTokenError::Other(text) => text.clone(),
    }
}
