//! The real servers that `harmony_config`'s tests run against: OpenBao and a local OIDC provider
//! with the device flow. Development only; never published.
//!
//! `scripts/servers/install` puts both in folders git ignores (`.venv/bin/bao` and
//! `scripts/servers/oidc/node_modules`); `scripts/test` runs it first. When they are missing,
//! starting a server panics with a message saying to run it: a test never skips silently.
//!
//! Each server binds a free port on 127.0.0.1, is checked to be the process that answers, and
//! is killed, by its own pid, when its handle drops.
//!
//! ```no_run
//! let bao = harmony_test_servers::Bao::dev();
//! bao.cli(&["secrets", "list"]);
//! ```

#![allow(
    clippy::panic,
    clippy::missing_panics_doc,
    reason = "a test server that cannot start fails the test by panicking, with the reason"
)]
#![allow(
    clippy::must_use_candidate,
    reason = "CLI commands run for their effect; their output is there when a test wants it"
)]

mod bao;
mod oidc;
mod process;

use std::path::PathBuf;

pub use bao::Bao;
pub use oidc::Oidc;

/// The repository's root, found from this crate's manifest directory.
#[must_use]
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.clone(), std::path::Path::to_path_buf)
}

/// Panics, telling to install the servers, when `path` is missing.
fn require_installed(path: &std::path::Path, what: &str) {
    assert!(
        path.exists(),
        "{what} is not installed ({} is missing): run `scripts/servers/install` from the repository root",
        path.display()
    );
}
