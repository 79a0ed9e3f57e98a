//! OpenBao: `bao server -dev`, or a raft-backed server that can be sealed and restarted with
//! its data.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::process::{Server, assert_port_free, free_port_pair, http_status};
use crate::{repo_root, require_installed};

/// Storage of the server.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Storage {
    /// In memory, `secret/` mounted as KV v2, ready at once.
    Dev,
    /// As `Dev`, behind TLS with a certificate from a CA of its own.
    DevTls,
    /// Raft in a temporary directory: keeps its data across restarts, starts sealed.
    Raft,
}

/// A real OpenBao server on 127.0.0.1, killed when dropped.
pub struct Bao {
    server: Option<Server>,
    storage: Storage,
    port: u16,
    root_token: String,
    unseal_key: Option<String>,
    dir: tempfile::TempDir,
}

impl Bao {
    /// The `bao` binary that `scripts/servers/install` puts in the repository's `.venv`.
    #[must_use]
    pub fn binary() -> PathBuf {
        let bao = repo_root().join(".venv").join("bin").join("bao");
        require_installed(&bao, "OpenBao");
        bao
    }

    /// A dev-mode server: in memory, unsealed, `secret/` mounted as KV v2, with a root token.
    #[must_use]
    pub fn dev() -> Self {
        let mut bao = Self::new(Storage::Dev, format!("root-{}", unique()));
        bao.start();
        bao
    }

    /// As [`Bao::dev`], served over HTTPS with a certificate signed by a CA of its own, which
    /// no system trusts: [`Bao::ca_cert`] is that CA's PEM file.
    #[must_use]
    pub fn dev_tls() -> Self {
        let mut bao = Self::new(Storage::DevTls, format!("root-{}", unique()));
        bao.start();
        bao
    }

    /// The PEM file of the CA that signed a [`Bao::dev_tls`] server's certificate.
    #[must_use]
    pub fn ca_cert(&self) -> PathBuf {
        self.dir.path().join("tls").join("vault-ca.pem")
    }

    /// A raft-backed server, initialised with one unseal key and unsealed. Its data survives
    /// [`Bao::restart`], after which it is unsealed again; [`Bao::seal`] seals it.
    #[must_use]
    pub fn raft() -> Self {
        let mut bao = Self::new(Storage::Raft, String::new());
        bao.start();
        bao
    }

    fn new(storage: Storage, root_token: String) -> Self {
        Self {
            server: None,
            storage,
            port: free_port_pair(),
            root_token,
            unseal_key: None,
            dir: tempfile::tempdir().expect("create a directory for OpenBao"),
        }
    }

    /// The server's address, e.g. `http://127.0.0.1:41234`.
    #[must_use]
    pub fn addr(&self) -> String {
        let scheme = if self.storage == Storage::DevTls {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The root token.
    #[must_use]
    pub fn root_token(&self) -> &str {
        &self.root_token
    }

    /// The server's pid while it runs.
    #[must_use]
    pub fn pid(&self) -> Option<u32> {
        self.server.as_ref().and_then(Server::pid)
    }

    /// The server's output so far.
    #[must_use]
    pub fn log(&self) -> String {
        self.server
            .as_ref()
            .map(Server::log_text)
            .unwrap_or_default()
    }

    /// Kills the server. Clients then find nothing listening on its port.
    pub fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            server.stop();
        }
    }

    /// Stops the server if it runs, then starts it again on the same port with the same root
    /// token. A dev server starts empty; a raft server keeps its data and is unsealed again.
    pub fn restart(&mut self) {
        self.stop();
        self.start();
    }

    /// Seals a raft server: it then answers every request with 503 until [`Bao::unseal`].
    pub fn seal(&self) {
        assert!(
            self.storage == Storage::Raft,
            "only a raft server can be sealed"
        );
        self.cli(&["operator", "seal"]);
    }

    /// Unseals a raft server with its one key, and waits until it is active.
    pub fn unseal(&mut self) {
        let key = self.unseal_key.clone().expect("the server was initialised");
        self.cli(&["operator", "unseal", &key]);
        self.wait_health(200);
    }

    /// Runs the `bao` CLI against this server with the root token, and returns its stdout.
    /// Panics with its output when it fails.
    pub fn cli(&self, args: &[&str]) -> String {
        self.cli_with_stdin(args, "")
    }

    /// As [`Bao::cli`], with `stdin` as the command's standard input (for `policy write NAME -`).
    pub fn cli_with_stdin(&self, args: &[&str], stdin: &str) -> String {
        let output = self.try_cli(args, stdin);
        assert!(
            output.status.success(),
            "bao {} failed: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs the `bao` CLI against this server with the root token, whatever its outcome.
    #[must_use]
    pub fn try_cli(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command()
            .args(args)
            .env("BAO_TOKEN", &self.root_token)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the bao CLI");
        if let Some(mut input) = child.stdin.take() {
            input
                .write_all(stdin.as_bytes())
                .expect("write to the bao CLI");
        }
        child.wait_with_output().expect("wait for the bao CLI")
    }

    /// A `bao` command aimed at this server, with no token and no settings from the
    /// environment the tests run in.
    fn command(&self) -> Command {
        let mut command = Command::new(Self::binary());
        for var in ["VAULT_ADDR", "VAULT_TOKEN", "BAO_TOKEN", "BAO_NAMESPACE"] {
            command.env_remove(var);
        }
        command
            .env("BAO_ADDR", self.addr())
            .env("HOME", self.dir.path());
        if self.storage == Storage::DevTls {
            command.env("BAO_CACERT", self.ca_cert());
        }
        command
    }

    fn start(&mut self) {
        assert_port_free(self.port);
        let log = self.dir.path().join(format!("server-{}.log", unique()));
        let mut command = self.command();
        command.arg("server");
        match self.storage {
            Storage::Dev | Storage::DevTls => {
                command.args([
                    "-dev",
                    "-dev-no-store-token",
                    &format!("-dev-root-token-id={}", self.root_token),
                    &format!("-dev-listen-address=127.0.0.1:{}", self.port),
                ]);
                if self.storage == Storage::DevTls {
                    let certs = self.dir.path().join("tls");
                    std::fs::create_dir_all(&certs).expect("create the certificate directory");
                    command
                        .arg("-dev-tls")
                        .arg(format!("-dev-tls-cert-dir={}", certs.display()));
                }
            }
            Storage::Raft => {
                command.arg(format!("-config={}", self.write_raft_config().display()));
            }
        }
        self.server = Some(Server::spawn("OpenBao", command, &log));
        match self.storage {
            Storage::Dev => self.wait_health(200),
            // Go's TLS server answers a plain HTTP request with 400 once it listens.
            Storage::DevTls => self.wait_health(400),
            Storage::Raft => {
                if self.unseal_key.is_none() {
                    // 501: not initialised yet.
                    self.wait_health(501);
                    self.initialise();
                }
                // 503: sealed, as every raft server starts.
                self.wait_health(503);
                self.unseal();
            }
        }
    }

    /// Waits until `GET /v1/sys/health` answers `status`, from our own live process.
    fn wait_health(&mut self, status: u16) {
        let port = self.port;
        self.server
            .as_mut()
            .expect("the server was started")
            .wait_ready(|| http_status(port, "/v1/sys/health") == Some(status));
    }

    fn initialise(&mut self) {
        let out = self.cli(&[
            "operator",
            "init",
            "-key-shares=1",
            "-key-threshold=1",
            "-format=json",
        ]);
        let init: serde_json::Value = serde_json::from_str(&out).expect("bao operator init JSON");
        let text = |name: &str, index: Option<usize>| {
            let value = &init[name];
            let value = index.map_or(value, |i| &value[i]);
            value
                .as_str()
                .unwrap_or_else(|| panic!("no {name} in bao operator init's output"))
                .to_owned()
        };
        self.unseal_key = Some(text("unseal_keys_b64", Some(0)));
        self.root_token = text("root_token", None);
    }

    fn write_raft_config(&self) -> PathBuf {
        let data = self.dir.path().join("raft");
        std::fs::create_dir_all(&data).expect("create the raft directory");
        let (port, cluster) = (self.port, self.port + 1);
        let config = format!(
            r#"storage "raft" {{
  path = "{}"
  node_id = "harmony-test"
}}
listener "tcp" {{
  address = "127.0.0.1:{port}"
  cluster_address = "127.0.0.1:{cluster}"
  tls_disable = true
}}
api_addr = "http://127.0.0.1:{port}"
cluster_addr = "http://127.0.0.1:{cluster}"
disable_mlock = true
"#,
            data.display()
        );
        let path = self.dir.path().join("server.hcl");
        std::fs::write(&path, config).expect("write the OpenBao config");
        path
    }
}

/// A name part that differs between servers and runs.
fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}
