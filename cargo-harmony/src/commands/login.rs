//! `cargo harmony login`: logs in to OpenBao with userpass or the OIDC device flow, and
//! caches the token for every process of this user. The runtime does the logging in and the
//! caching; this command picks the method, shows the person what to do, and says who is
//! logged in, and where.

use harmony_config::openbao::{
    DeviceCode, Identity, LoginMethod, OpenbaoConfig, OpenbaoSecretStore,
};
use harmony_config::{ConfigError, Secret, SecretStore};

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::team::{lifetime, not_configured, ready};

/// `cargo harmony login [--force]`.
pub(crate) fn run(force: bool, out: &Output) -> Result<Outcome, Error> {
    if !OpenbaoConfig::is_configured() {
        return Err(not_configured("login"));
    }
    let config = OpenbaoConfig::from_env()?;
    chain::runtime()?.block_on(async {
        let store = OpenbaoSecretStore::new(config.clone());
        // Before a person approves a code, be sure the login can be used.
        ready(&store).await?;
        if config.token.is_some() {
            let identity = store.identity().await?;
            let human = format!(
                "OPENBAO_TOKEN (or VAULT_TOKEN) is set, and every command uses it as it is: {}\nNothing was cached. To log in with single sign-on or userpass instead, unset OPENBAO_TOKEN and VAULT_TOKEN.",
                describe(&store, &identity, None)
            );
            report(out, "env-token", &store, &identity, None, &human)?;
            return Ok(Outcome::Clean);
        }
        // A forced login replaces the cached one only once it works: until then every process
        // keeps using the old one.
        if !force && store.cached_login().await.is_some() {
            match store.identity().await {
                Ok(identity) => {
                    let human = format!(
                        "Already logged in: {}\nRun `cargo harmony login --force` to log in again.",
                        describe(&store, &identity, None)
                    );
                    report(out, "already-logged-in", &store, &identity, None, &human)?;
                    return Ok(Outcome::Clean);
                }
                // The lookup already dropped the rejected token from the cache, if the cache
                // still held it: it may hold another process's fresh login by now.
                Err(error @ (ConfigError::StoreAuth { .. } | ConfigError::NotLoggedIn { .. })) => {
                    note!("The cached login is no longer valid ({error}); logging in again.");
                }
                Err(error) => return Err(error.into()),
            }
        }
        store.check_token_cache()?;
        let (store, how) = if config.username.is_some() {
            let how = format!("userpass (mount `{}`)", config.auth_mount);
            (userpass(config).await?, how)
        } else if config.oidc.issuer.is_some() {
            store.device_login(show_code).await?;
            let how = "single sign-on (the OIDC device flow, then JWT auth)".to_owned();
            (store, how)
        } else {
            return Err(Error::Usage(
                "no way to log in is configured: set HARMONY_OIDC_ISSUER and HARMONY_OIDC_CLIENT_ID for single sign-on (the OIDC device flow), or OPENBAO_USERNAME (and OPENBAO_PASSWORD) for userpass, or OPENBAO_TOKEN for a token".to_owned(),
            ));
        };
        let identity = store.identity().await?;
        let human = format!("Logged in: {}", describe(&store, &identity, Some(&how)));
        report(out, "logged-in", &store, &identity, Some(&how), &human)?;
        Ok(Outcome::Clean)
    })
}

/// Tells the person logging in where to enter the code, on stderr, and opens a browser there
/// when one is available.
fn show_code(code: &DeviceCode) {
    let url = code
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&code.verification_uri);
    note!(
        "To log in, open {} and enter the code {}\n(the code is valid for {} minutes)",
        code.verification_uri,
        code.user_code,
        code.expires_in.as_secs().div_ceil(60)
    );
    if webbrowser::open(url).is_ok() {
        note!("A browser window was opened at {url}");
    }
}

/// A userpass login, asking for the password in a terminal when `OPENBAO_PASSWORD` is unset;
/// the store that holds it.
async fn userpass(mut config: OpenbaoConfig) -> Result<OpenbaoSecretStore, Error> {
    if config.password.is_none() {
        let user = config.username.clone().unwrap_or_default();
        if let Some(reason) = harmony_config::prompt::no_terminal_reason() {
            return Err(Error::Usage(format!(
                "OPENBAO_PASSWORD is not set, and there is no terminal to ask for the password of `{user}` ({reason}): set OPENBAO_PASSWORD, or run `cargo harmony login` in a terminal"
            )));
        }
        let password = inquire::Password::new(&format!("OpenBao password for `{user}`:"))
            .without_confirmation()
            .prompt()
            .map_err(|e| Error::Usage(format!("no password was entered: {e}")))?;
        config.password = Some(Secret::new(password));
    }
    let store = OpenbaoSecretStore::new(config);
    store.log_in_with_userpass().await?;
    Ok(store)
}

/// Prints who is logged in.
fn report(
    out: &Output,
    status: &str,
    store: &OpenbaoSecretStore,
    identity: &Identity,
    how: Option<&str>,
    human: &str,
) -> Result<(), Error> {
    let message = Message::Login {
        status: status.to_owned(),
        user: identity.display_name.clone(),
        store: store.name(),
        method: how.map_or_else(|| identity.method.to_string(), str::to_owned),
        policies: identity.policies.clone(),
        expires_in_secs: identity.expires_in.map(|d| d.as_secs()),
        cache_path: identity
            .cache_path
            .as_ref()
            .filter(|_| identity.method != LoginMethod::EnvToken)
            .map(|path| path.display().to_string()),
    };
    out.emit(&message, human)
}

/// `NAME at openbao (URL) with ...; policies ...; the token is valid for ..., cached in ...`.
/// `how` names the login method when the identity's own (the cached login) would mislead.
fn describe(store: &OpenbaoSecretStore, identity: &Identity, how: Option<&str>) -> String {
    let cached = match (&identity.method, &identity.cache_path) {
        (LoginMethod::EnvToken, _) => String::new(),
        (_, Some(path)) => format!(
            "; cached in {} (mode 0600) for every process of this user",
            path.display()
        ),
        (_, None) => "; not cached (the token cache is off)".to_owned(),
    };
    format!(
        "`{}` at {} with {}; policies: {}; the token is {}{cached}",
        identity.display_name,
        store.name(),
        how.map_or_else(|| identity.method.to_string(), str::to_owned),
        identity.policies.join(", "),
        lifetime(identity.expires_in)
    )
}
