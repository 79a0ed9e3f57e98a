//! `cargo harmony login`: logs in to OpenBao with userpass or the OIDC device flow, and
//! caches the token for every process of this user. The runtime does the logging in and the
//! caching; this command picks the method and says who is logged in, and where.

use harmony_config::openbao::{Identity, LoginMethod, OpenbaoConfig, OpenbaoSecretStore};
use harmony_config::{ConfigError, Secret, SecretStore};

use crate::team::{lifetime, ready};
use crate::values::runtime;
use crate::{Error, Outcome};

/// `cargo harmony login [--force]`.
pub(crate) fn run(force: bool) -> Result<Outcome, Error> {
    if !OpenbaoConfig::is_configured() {
        return Err(crate::team::not_configured("login"));
    }
    let config = OpenbaoConfig::from_env()?;
    runtime()?.block_on(async {
        let store = OpenbaoSecretStore::new(config.clone());
        // Before a person approves a code, be sure the login can be used.
        ready(&store).await?;
        if config.token.is_some() {
            let identity = store.identity().await?;
            println!(
                "OPENBAO_TOKEN (or VAULT_TOKEN) is set, and every command uses it as it is: {}",
                describe(&store, &identity, None)
            );
            println!(
                "Nothing was cached. To log in with single sign-on or userpass instead, unset OPENBAO_TOKEN and VAULT_TOKEN."
            );
            return Ok(Outcome::Clean);
        }
        if force {
            store.forget_login().await;
        } else if store.cached_login().await.is_some() {
            match store.identity().await {
                Ok(identity) => {
                    println!("Already logged in: {}", describe(&store, &identity, None));
                    println!("Run `cargo harmony login --force` to log in again.");
                    return Ok(Outcome::Clean);
                }
                Err(error @ (ConfigError::StoreAuth { .. } | ConfigError::NotLoggedIn { .. })) => {
                    eprintln!("The cached login is no longer valid ({error}); logging in again.");
                    store.forget_login().await;
                }
                Err(error) => return Err(error.into()),
            }
        }
        let (identity, how) = if config.username.is_some() {
            (userpass(config).await?, None)
        } else if config.oidc.issuer.is_some() {
            harmony_config::openbao::login().await?;
            let how = "single sign-on (the OIDC device flow, then JWT auth)";
            (store.identity().await?, Some(how))
        } else {
            return Err(Error::Usage(
                "no way to log in is configured: set HARMONY_OIDC_ISSUER and HARMONY_OIDC_CLIENT_ID for single sign-on (the OIDC device flow), or OPENBAO_USERNAME (and OPENBAO_PASSWORD) for userpass, or OPENBAO_TOKEN for a token".to_owned(),
            ));
        };
        println!("Logged in: {}", describe(&store, &identity, how));
        Ok(Outcome::Clean)
    })
}

/// A userpass login, asking for the password in a terminal when `OPENBAO_PASSWORD` is unset.
async fn userpass(mut config: OpenbaoConfig) -> Result<Identity, Error> {
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
    Ok(OpenbaoSecretStore::new(config).identity().await?)
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
