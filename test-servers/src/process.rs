//! A spawned server: its log file, a readiness wait that checks the answering process is ours,
//! and a kill by pid on drop.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to become ready before the test fails.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// A child process that is killed when dropped.
pub(crate) struct Server {
    child: Option<Child>,
    log: PathBuf,
    what: &'static str,
}

impl Server {
    /// Spawns `command` with its output going to `log`.
    pub(crate) fn spawn(what: &'static str, mut command: Command, log: &Path) -> Self {
        let out = File::create(log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let err = out
            .try_clone()
            .unwrap_or_else(|e| panic!("reopen {}: {e}", log.display()));
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("start {what}: {e}"));
        Self {
            child: Some(child),
            log: log.to_owned(),
            what,
        }
    }

    /// Waits until `ready` holds, then checks that this server, not a leftover one, is alive.
    pub(crate) fn wait_ready(&mut self, mut ready: impl FnMut() -> bool) {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            self.assert_alive();
            if ready() {
                // The answer came from a live process of ours: the kill -0 check.
                self.assert_alive();
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} did not become ready within {READY_TIMEOUT:?}; its log:\n{}",
                self.what,
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn assert_alive(&mut self) {
        let Some(child) = self.child.as_mut() else {
            panic!("{} is stopped", self.what);
        };
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "{} exited ({status}) while starting; its log:\n{}",
                self.what,
                self.log_text()
            );
        }
    }

    /// The server's pid, while it runs.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The server's output so far.
    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the server by its pid and reaps it.
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port on 127.0.0.1 that nothing listens on, with the next port free too (OpenBao's cluster
/// listener takes it).
pub(crate) fn free_port_pair() -> u16 {
    for _ in 0..100 {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free port");
        let port = listener.local_addr().expect("local address").port();
        if port < u16::MAX && TcpListener::bind((Ipv4Addr::LOCALHOST, port + 1)).is_ok() {
            drop(listener);
            assert_port_free(port);
            return port;
        }
    }
    panic!("found no two free neighbouring ports on 127.0.0.1");
}

/// Fails when something already answers on `port`: a leftover server could pass the readiness
/// probe while ours died.
pub(crate) fn assert_port_free(port: u16) {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err(),
        "port {port} on 127.0.0.1 is already in use"
    );
}

/// The HTTP status of a plain `GET path` on 127.0.0.1:`port`, or `None` when nothing answers.
pub(crate) fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0_u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}
