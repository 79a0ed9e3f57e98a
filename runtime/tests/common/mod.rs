//! Shared fixtures: config types and temporary stores.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::PathBuf;

use harmony_config::Config;
use serde::{Deserialize, Serialize};

/// A config with a secret field.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Debug, Clone, PartialEq)]
#[config(key = "test.Server")]
pub(crate) struct Server {
    pub host: String,
    pub port: u16,
    #[config(secret)]
    pub password: String,
}

impl Server {
    pub(crate) fn sample() -> Self {
        Self {
            host: "db.example.com".to_owned(),
            port: 5432,
            password: "hunter2".to_owned(),
        }
    }
}

/// A temporary directory, kept alive as long as the value, with a database path inside.
pub(crate) struct TempStore {
    pub(crate) dir: tempfile::TempDir,
}

impl TempStore {
    pub(crate) fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.path().join("nested").join("config.db")
    }
}

/// The unix permission bits of a file or directory.
pub(crate) fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}
