//! `cargo harmony doctor`: checks the local database, the `HARMONY_CONFIG_*` variables and
//! the stored values, and says how to fix each problem.
//!
//! When `OPENBAO_URL` (or `VAULT_ADDR`) is set, [`openbao`] also checks the team store.
//!
//! It writes nothing, except that checking a userpass login caches its token as any
//! command would. The database is opened read-only, so a damaged file is reported and
//! left exactly as it was, and no value is ever printed: a value that no longer fits its
//! schema is named by key, source and field path only.

mod check;
mod database;
mod environment;
mod openbao;
mod values;

use check::{Status, plural};

use crate::chain;
use crate::error::{Error, Outcome};
use crate::output::{Message, Output};
use crate::workspace::Workspace;

/// Prints every check; exit code 1 when any found a problem.
pub(crate) fn run(workspace: &Workspace, out: &Output) -> Result<Outcome, Error> {
    let runtime = chain::runtime()?;
    let mut checks = Vec::new();
    let database = runtime.block_on(database::check(&mut checks));
    checks.extend(environment::check(workspace, std::env::vars_os()));
    let team = runtime.block_on(openbao::checks());
    checks.extend(runtime.block_on(values::check(workspace, &database, team.usable.as_ref())));
    checks.extend(team.checks);

    for check in &checks {
        check.print(out)?;
    }
    let count = |status| checks.iter().filter(|c| c.status == status).count();
    let (problems, warnings) = (count(Status::Problem), count(Status::Warn));
    let human = format!(
        "doctor: {problems} problem{}, {warnings} warning{}",
        plural(problems),
        plural(warnings)
    );
    out.emit(&Message::DoctorSummary { problems, warnings }, &human)?;
    Ok(if problems > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}
