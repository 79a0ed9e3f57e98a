//! A local OIDC provider with the device flow: `scripts/servers/oidc/provider.mjs` on node.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{Server, free_port_pair, http_status};
use crate::{repo_root, require_installed};

/// The public client the provider knows, which uses the device flow.
const CLIENT_ID: &str = "harmony-cli";

/// A real OIDC provider (npm `oidc-provider`) on 127.0.0.1, killed when dropped.
pub struct Oidc {
    server: Server,
    issuer: String,
    _dir: tempfile::TempDir,
}

impl Oidc {
    /// Starts the provider on a free port and waits until it serves its discovery document.
    #[must_use]
    pub fn start() -> Self {
        let dir = scripts();
        require_installed(
            &dir.join("node_modules").join("oidc-provider"),
            "The OIDC provider",
        );
        let port = free_port_pair();
        let logs = tempfile::tempdir().expect("create a directory for the OIDC log");
        let mut command = Command::new("node");
        command
            .current_dir(&dir)
            .arg("provider.mjs")
            .arg(port.to_string())
            .arg(CLIENT_ID);
        let mut server = Server::spawn("the OIDC provider", command, &logs.path().join("oidc.log"));
        server.wait_ready(|| http_status(port, "/.well-known/openid-configuration") == Some(200));
        Self {
            server,
            issuer: format!("http://127.0.0.1:{port}"),
            _dir: logs,
        }
    }

    /// The issuer URL, e.g. `http://127.0.0.1:41234`, without a trailing slash.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The provider's pid while it runs.
    #[must_use]
    pub fn pid(&self) -> Option<u32> {
        self.server.pid()
    }

    /// Kills the provider. Clients then find nothing listening on its port.
    pub fn stop(&mut self) {
        self.server.stop();
    }

    /// The id of the public client that uses the device flow; the ID token's audience.
    #[must_use]
    pub fn client_id(&self) -> &str {
        CLIENT_ID
    }

    /// Approves `user_code` as the person `login` would in a browser: confirm, log in, consent.
    pub fn approve(&self, user_code: &str, login: &str) {
        let output = Command::new("node")
            .current_dir(scripts())
            .args(["approve.mjs", &self.issuer, user_code, login])
            .output()
            .expect("run approve.mjs");
        assert!(
            output.status.success(),
            "approving the user code failed: {}{}\nprovider log:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            self.server.log_text()
        );
    }
}

fn scripts() -> PathBuf {
    repo_root().join("scripts").join("servers").join("oidc")
}
