//! The fixture the command tests share: a one-crate workspace in a temporary directory, and
//! a database path inside it.

#![allow(dead_code, reason = "each test file uses a different part")]
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failed step fails the test"
)]

use std::path::PathBuf;

use assert_cmd::Command;

pub(crate) const LIB: &str = r#"use harmony_config::Config;
use serde::{Deserialize, Serialize};

/// The database.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "app.Db")]
pub struct Db {
    pub host: String,
    pub port: u16,
    #[config(secret)]
    pub password: String,
}
"#;

/// A workspace with one crate, and a database path inside the same temporary directory.
pub(crate) struct Fixture {
    pub(crate) dir: tempfile::TempDir,
}

impl Fixture {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\nmembers = [\"app\"]\nresolver = \"3\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("app/src")).unwrap();
        std::fs::write(
            dir.path().join("app/Cargo.toml"),
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("app/src/lib.rs"), LIB).unwrap();
        Self { dir }
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.path().join("store/config.db")
    }

    /// `cargo harmony ARGS`, with none of the caller's `HARMONY_CONFIG_*`, OpenBao or OIDC
    /// variables.
    pub(crate) fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.command(args))
    }

    /// [`Fixture::cmd`] as a plain [`std::process::Command`], to run in a pseudo-terminal.
    pub(crate) fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-harmony"));
        for (name, _) in std::env::vars_os() {
            let text = name.to_string_lossy();
            if ["HARMONY_", "OPENBAO_", "VAULT_", "BAO_"]
                .iter()
                .any(|prefix| text.starts_with(prefix))
            {
                cmd.env_remove(name);
            }
        }
        cmd.arg("harmony")
            .args([
                "--manifest-path",
                &self.dir.path().join("Cargo.toml").display().to_string(),
            ])
            .args(args)
            .env("HARMONY_DB", self.db())
            .current_dir(self.dir.path());
        cmd
    }

    /// Stores a valid value through `set`, which creates the database as the runtime does.
    pub(crate) fn store(&self) {
        self.cmd(&[
            "set",
            "app.Db",
            "--json",
            r#"{"host": "h", "port": 5432, "password": "hunter2"}"#,
        ])
        .assert()
        .success();
    }
}

/// Command output as text.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines of `--message-format json` output, each read back as a
/// [`cargo_harmony::Message`]; fails on a line that is not one.
pub(crate) fn messages(stdout: &[u8]) -> Vec<cargo_harmony::Message> {
    let stdout = text(stdout);
    stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{stdout}"));
            assert!(value["reason"].is_string(), "no reason: {line}");
            serde_json::from_value(value).unwrap_or_else(|e| panic!("not a message ({e}): {line}"))
        })
        .collect()
}

/// The `reason` of each message, in order.
pub(crate) fn reasons(messages: &[cargo_harmony::Message]) -> Vec<String> {
    messages
        .iter()
        .map(|m| {
            serde_json::to_value(m).unwrap()["reason"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}
