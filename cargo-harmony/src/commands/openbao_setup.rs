//! `cargo harmony openbao setup`: the runtime's `openbao::setup::apply`, with its plan taken
//! from the command line and the environment, and each step printed.

use harmony_config::openbao::setup::{self, Change, JwtSetup, Setup, UserpassSetup};
use harmony_config::openbao::{OpenbaoConfig, OpenbaoSecretStore};
use harmony_config::{Secret, SecretStore, StoreSource};

use crate::chain;
use crate::cli::SetupArgs;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::team::{not_configured, ready};

/// `cargo harmony openbao setup ...`.
pub(crate) fn run(args: &SetupArgs, out: &Output) -> Result<Outcome, Error> {
    if !OpenbaoConfig::is_configured() {
        return Err(not_configured("openbao setup"));
    }
    let mut config = OpenbaoConfig::from_env()?;
    if let Some(token) = &args.token {
        config.token = Some(Secret::new(token.clone()));
    }
    if config.token.is_none() {
        return Err(Error::Usage(
            "`cargo harmony openbao setup` needs an admin token (e.g. the root token) to write mounts and policies: set OPENBAO_TOKEN, or pass --token".to_owned(),
        ));
    }
    let plan = plan(args, &config)?;
    let store = OpenbaoSecretStore::new(config.clone());
    let changes = chain::runtime()?.block_on(async {
        ready(&store).await?;
        setup::apply(&config, &plan).await
    })?;
    for change in &changes {
        let (result, what) = match change {
            Change::Created(what) => ("created", what),
            Change::Updated(what) => ("updated", what),
            Change::Unchanged(what) => ("unchanged", what),
        };
        let message = Message::Setup {
            result: result.to_owned(),
            what: what.clone(),
        };
        out.emit(&message, &change.to_string())?;
    }
    let altered = changes.iter().filter(|c| c.changed()).count();
    if altered == 0 {
        out.human(&format!(
            "setup of {}: nothing changed, everything was already in place",
            store.name()
        ))?;
    } else {
        out.human(&format!(
            "setup of {}: {altered} change{}, {} already in place",
            store.name(),
            if altered == 1 { "" } else { "s" },
            changes.len() - altered
        ))?;
    }
    if let Some(steps) = next_steps(&config, &plan, args) {
        out.human(&steps)?;
    }
    Ok(Outcome::Clean)
}

/// The plan, from the arguments, with the environment's defaults.
fn plan(args: &SetupArgs, config: &OpenbaoConfig) -> Result<Setup, Error> {
    let mut plan = Setup::default();
    // The namespace is checked the way the store checks it, from the flag or the variable.
    let source = StoreSource::from_env(OpenbaoSecretStore::new(config.clone()))?;
    plan.namespace = match &args.namespace {
        Some(namespace) => {
            StoreSource::with_namespace(OpenbaoSecretStore::new(config.clone()), namespace)
                .map_err(|e| Error::Usage(format!("--namespace: {e}")))?
                .namespace()
                .to_owned()
        }
        None => source.namespace().to_owned(),
    };
    plan.policy.clone_from(&args.policy);
    if let Some(user) = &args.userpass_user {
        plan.userpass = Some(UserpassSetup::new(user.clone(), password(args, user)?));
    }
    if let (Some(issuer), Some(client_id)) = (&args.oidc_issuer, &args.oidc_client_id) {
        let issuer = url::Url::parse(issuer)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--oidc-issuer {issuer} is not an http:// or https:// URL; give the issuer exactly as its discovery document names it"
                ))
            })?;
        let audience = args
            .oidc_audience
            .clone()
            .or_else(|| config.oidc.audience.clone())
            .unwrap_or_else(|| client_id.clone());
        let role = args
            .jwt_role
            .clone()
            .or_else(|| config.oidc.role.clone())
            .unwrap_or_else(|| "harmony".to_owned());
        plan.jwt = Some(JwtSetup::new(issuer, audience, role));
    }
    Ok(plan)
}

/// The new user's password: from the variable `--userpass-password-env` names, else asked.
fn password(args: &SetupArgs, user: &str) -> Result<String, Error> {
    if let Some(var) = &args.userpass_password_env {
        return match std::env::var(var) {
            Ok(password) if !password.is_empty() => Ok(password),
            _ => Err(Error::Usage(format!(
                "--userpass-password-env {var}: the variable {var} is not set, or empty; set it to the password of `{user}`"
            ))),
        };
    }
    if let Some(reason) = harmony_config::prompt::no_terminal_reason() {
        return Err(Error::Usage(format!(
            "no password for the userpass user `{user}`, and no terminal to ask for one ({reason}): put it in a variable and pass --userpass-password-env VAR"
        )));
    }
    inquire::Password::new(&format!("Password for the new userpass user `{user}`:"))
        .with_help_message("an existing user's password is left as it is")
        .prompt()
        .map_err(|e| Error::Usage(format!("no password was entered for `{user}`: {e}")))
}

/// What each person of the team sets, then runs.
fn next_steps(config: &OpenbaoConfig, plan: &Setup, args: &SetupArgs) -> Option<String> {
    let url = config.url.as_str().trim_end_matches('/');
    let mut vars = vec![format!("OPENBAO_URL={url}")];
    if let Some(jwt) = &plan.jwt {
        vars.push(format!(
            "HARMONY_OIDC_ISSUER={}",
            jwt.issuer.as_str().trim_end_matches('/')
        ));
        if let Some(client_id) = &args.oidc_client_id {
            vars.push(format!("HARMONY_OIDC_CLIENT_ID={client_id}"));
        }
    } else if let Some(user) = &plan.userpass {
        vars.push(format!("OPENBAO_USERNAME={}", user.username));
    }
    if plan.namespace != "harmony" {
        vars.push(format!("HARMONY_SECRET_NAMESPACE={}", plan.namespace));
    }
    (plan.jwt.is_some() || plan.userpass.is_some()).then(|| {
        format!(
            "next, for each person: export {} && cargo harmony login",
            vars.join(" ")
        )
    })
}
