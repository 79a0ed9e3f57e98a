//! `HARMONY_CONFIG_*` variables of the process that hold no key of the workspace: typos, keys
//! renamed since, or a control variable under its old name.

use std::ffi::OsString;

use harmony_config::naming::{ENV_PREFIX, env_var_name, vars};

use super::check::{Check, Status, plural};
use crate::error::escape_controls;
use crate::workspace::{Workspace, closest};

/// A warning per stray variable, each with the closest key's variable when one is close.
pub(super) fn check(
    workspace: &Workspace,
    env: impl Iterator<Item = (OsString, OsString)>,
) -> Vec<Check> {
    let configs = workspace.configs();
    let known: Vec<(String, &str)> = configs
        .iter()
        .map(|(_, c)| (env_var_name(&c.key), c.key.as_str()))
        .collect();
    let suffixes: Vec<&str> = known
        .iter()
        .filter_map(|(var, _)| var.strip_prefix(ENV_PREFIX))
        .collect();
    let mut names: Vec<String> = env
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .filter(|name| name.starts_with(ENV_PREFIX))
        .collect();
    names.sort();
    let mut checks = Vec::new();
    for name in &names {
        if known.iter().any(|(var, _)| var == name) {
            continue;
        }
        // Anyone may name a variable: its name is shown, never played to the terminal.
        let shown = escape_controls(name, false);
        let check = Check::new(
            "env-var",
            Status::Warn,
            format!(
                "environment: {shown} matches no config key of this workspace, so nothing reads it"
            ),
        )
        .detail("variable", name.clone());
        let suffix = name.strip_prefix(ENV_PREFIX).unwrap_or(name);
        let suggestion = closest(suffix, &suffixes).and_then(|s| {
            known
                .iter()
                .find(|(var, _)| var.strip_prefix(ENV_PREFIX) == Some(s))
        });
        checks.push(match (vars::renamed(name), suggestion) {
            (Some(new), _) => check
                .fix(format!(
                    "{shown} no longer controls the runtime: it is now only the value of a key `{suffix}`; rename it to {new}"
                ))
                .detail("suggestion", new),
            (None, Some((var, key))) => check
                .fix(format!("did you mean {var} (key `{key}`)? rename the variable"))
                .detail("suggestion", var.clone())
                .detail("key", *key),
            (None, None) => check.fix(format!(
                "unset it, or rename it after a key from `cargo harmony list` ({ENV_PREFIX}{{KEY}}, `.` and `-` as `_`)"
            )),
        });
    }
    if checks.is_empty() {
        let message = if names.is_empty() {
            format!("environment: no {ENV_PREFIX}* variables")
        } else {
            format!(
                "environment: {} {ENV_PREFIX}* variable{}, each for a key of this workspace",
                names.len(),
                plural(names.len())
            )
        };
        checks.push(Check::new("env-var", Status::Ok, message));
    }
    checks
}
