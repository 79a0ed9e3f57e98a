//! The reliability suite: concurrent load, crashes, bad database files, hostile environment
//! values, and OpenBao or its identity provider going away, each counted, then a summary table
//! of cases tried and values lost.
//!
//! A `harness = false` test, so that the table prints on stderr even when every case passes:
//! `cargo test -p harmony_config --test reliability`. Arguments that are not flags select the
//! cases whose names contain them. Children re-run this binary with a role as first argument
//! (see `common::children`). RELIABILITY.md describes the cases.

#![allow(
    clippy::unwrap_used,
    reason = "the orchestration fails the case by panicking"
)]

#[path = "../common/mod.rs"]
mod common;

mod bad_files;
mod crash;
mod env;
mod load;
#[cfg(feature = "openbao")]
mod openbao;
mod report;

use std::path::Path;
use std::process::ExitCode;

use report::Case;

/// The cases, in the order they run and appear in the summary.
///
/// The OpenBao and OIDC cases run against real servers (`harmony_test_servers`); when they are
/// not installed, those cases fail with a message saying to run `scripts/servers/install`.
const CASES: &[Case] = &[
    load::CASE,
    crash::CASE,
    bad_files::CORRUPT,
    bad_files::TRUNCATED,
    bad_files::READ_ONLY,
    env::MALFORMED,
    env::OS_LIMIT,
    env::KEY_NAMES,
    #[cfg(feature = "openbao")]
    openbao::KILLED,
    #[cfg(feature = "openbao")]
    openbao::RESTARTED,
    #[cfg(feature = "openbao")]
    openbao::SEALED,
    #[cfg(feature = "openbao")]
    openbao::FROZEN,
    #[cfg(feature = "openbao")]
    openbao::PROVIDER_DOWN,
];

/// What a child process runs, given the database path and its id.
type Role = fn(&Path, usize);

/// The roles a child process can take: the first argument, then what it runs.
const ROLES: &[(&str, Role)] = &[
    (load::ROLE, load::child),
    (crash::ROLE, crash::child),
    (bad_files::ROLE, bad_files::child),
    (env::ROLE, env::child),
    #[cfg(feature = "openbao")]
    (openbao::ROLE, openbao::login_child),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some((db, id)) = common::children::as_child() {
        let role = args.first().map_or("", String::as_str);
        let Some((_, run)) = ROLES.iter().find(|(name, _)| *name == role) else {
            eprintln!("unknown child role {role:?}");
            return ExitCode::FAILURE;
        };
        run(&db, id);
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|arg| arg == "--list") {
        for case in CASES {
            println!("{}: test", case.name);
        }
        return ExitCode::SUCCESS;
    }
    // No case is long-running, so none is ignored: `--ignored` selects nothing.
    let ignored_only = args.iter().any(|arg| arg == "--ignored");
    let filters: Vec<&String> = args.iter().filter(|arg| !arg.starts_with('-')).collect();
    let selected = CASES.iter().filter(|case| {
        !ignored_only
            && (filters.is_empty() || filters.iter().any(|f| case.name.contains(f.as_str())))
    });
    report::run(selected)
}
