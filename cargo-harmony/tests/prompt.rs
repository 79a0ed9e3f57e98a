//! `cargo harmony set KEY` with no value given, and `cargo harmony prompt`, answered in a real
//! pseudo-terminal.
//!
//! inquire draws on stderr with ANSI escapes, so each step waits for a short piece of a
//! prompt's text before it answers. The deadlines catch a hang; they never assert speed.

#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]
#![allow(
    clippy::panic,
    reason = "the helpers fail the test, showing the terminal"
)]

mod common;

use std::io::ErrorKind;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Fixture, text};
use expectrl::Expect;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;

/// Long enough for `cargo metadata` and a scan on a loaded machine; only a hang reaches it.
const DEADLINE: Duration = Duration::from_mins(1);

/// Enter, as a terminal in raw mode sends it.
const ENTER: &str = "\r";

/// `cargo harmony` in a pseudo-terminal, and everything it has drawn so far.
struct Term {
    session: OsSession,
    transcript: Vec<u8>,
}

impl Term {
    /// Runs `cargo harmony ARGS` in a fresh terminal, without `CI` (CI runs with `CI=true`,
    /// which turns prompts off).
    fn spawn(fx: &Fixture, args: &[&str]) -> Self {
        Self::spawn_with(fx, args, |_| {})
    }

    /// [`Term::spawn`], with the command adjusted by `adjust`.
    fn spawn_with(
        fx: &Fixture,
        args: &[&str],
        adjust: impl FnOnce(&mut std::process::Command),
    ) -> Self {
        let mut command = fx.command(args);
        command.env_remove("CI").env("TERM", "xterm");
        adjust(&mut command);
        Self {
            session: OsSession::spawn(command).unwrap(),
            transcript: Vec::new(),
        }
    }

    /// Waits until the terminal shows `needle`.
    fn expect(&mut self, needle: &str) {
        let started = Instant::now();
        loop {
            match self.session.check(needle) {
                Ok(found) if !found.is_empty() => {
                    self.transcript.extend_from_slice(found.as_bytes());
                    return;
                }
                Ok(_) => {}
                Err(error) => {
                    let _ = self.drain();
                    panic!(
                        "the terminal closed ({error}) before showing {needle:?}; it showed:\n{}",
                        self.shown()
                    );
                }
            }
            if started.elapsed() > DEADLINE {
                let _ = self.drain();
                panic!(
                    "no {needle:?} within {DEADLINE:?}; the terminal showed:\n{}",
                    self.shown()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Types `keys`, as they are.
    fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    /// Waits for the question about the field `label`, as inquire draws it.
    fn question(&mut self, label: &str) {
        // `? label` with a colour code after the `?`: the spaces around the label suffice.
        self.expect(&format!(" {label} "));
    }

    /// Waits for the question about `label`, then types `answer` and Enter.
    fn answer(&mut self, label: &str, answer: &str) {
        self.question(label);
        self.send(answer);
        self.send(ENTER);
    }

    /// Reads what is left until the program closes the terminal; returns its exit code and
    /// the transcript.
    fn finish(mut self) -> (i32, String) {
        assert!(
            self.drain(),
            "cargo harmony still runs after {DEADLINE:?}; it showed:\n{}",
            self.shown()
        );
        let status = self.session.get_process().wait().unwrap();
        let code = match status {
            WaitStatus::Exited(_, code) => code,
            other => panic!("cargo harmony did not exit: {other:?}\n{}", self.shown()),
        };
        (code, self.shown())
    }

    /// Reads until the program closes the terminal (`true`), or until the deadline.
    fn drain(&mut self) -> bool {
        let started = Instant::now();
        let mut buf = [0; 4096];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => return true,
                Ok(n) => self.transcript.extend_from_slice(&buf[..n]),
                Err(error) if error.kind() == ErrorKind::WouldBlock => {
                    if started.elapsed() > DEADLINE {
                        return false;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                // Linux reports a terminal that every writer closed as EIO.
                Err(_) => return true,
            }
        }
    }

    /// The transcript, with the ANSI escapes left out, so that a secret split by colour
    /// codes would still be found.
    fn shown(&self) -> String {
        strip_ansi(&text(&self.transcript))
    }
}

/// `text` without ANSI escape sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters, then one final byte in `@`..=`~`.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC \.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Runs `command` with stdin on `/dev/null`, and fails when it is still running after 10 s:
/// waiting for an answer that cannot come is the bug this catches.
fn without_terminal(mut command: std::process::Command) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("still running after 10 s with stdin on /dev/null: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stored(fx: &Fixture, key: &str) -> serde_json::Value {
    let got = fx.cmd(&["get", key, "--show-secrets"]).assert().success();
    serde_json::from_slice(&got.get_output().stdout).unwrap()
}

/// A second key with one field, to add to the fixture's `app.Db`.
const CACHE: &str = r#"
/// The cache.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "app.Cache")]
pub struct Cache {
    pub url: String,
}
"#;

fn write_lib(fx: &Fixture, source: &str) {
    std::fs::write(fx.dir.path().join("app/src/lib.rs"), source).unwrap();
}

#[test]
fn set_asks_each_field_and_never_shows_the_secret() {
    let fx = Fixture::new();
    let mut term = Term::spawn(&fx, &["set", "app.Db"]);
    term.answer("host", "db.local");
    term.answer("port", "5432");
    term.answer("password", "hunter2");
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("stored `app.Db` in sqlite ("), "{shown}");
    assert!(!shown.contains("hunter2"), "the secret was shown:\n{shown}");
    assert_eq!(
        stored(&fx, "app.Db"),
        serde_json::json!({"host": "db.local", "port": 5432, "password": "hunter2"})
    );
}

#[test]
fn set_offers_the_current_value_and_an_empty_secret_keeps_it() {
    let fx = Fixture::new();
    fx.store();
    let mut term = Term::spawn(&fx, &["set", "app.Db"]);
    term.answer("host", "");
    term.answer("port", "6543");
    term.question("password");
    term.expect("keep the current value");
    term.send(ENTER);
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("hunter2"), "the secret was shown:\n{shown}");
    assert_eq!(
        stored(&fx, "app.Db"),
        serde_json::json!({"host": "h", "port": 6543, "password": "hunter2"})
    );
}

#[test]
fn prompt_asks_only_for_keys_no_source_holds() {
    let fx = Fixture::new();
    write_lib(&fx, &format!("{}{CACHE}", common::LIB));
    fx.store();
    let mut term = Term::spawn(&fx, &["prompt"]);
    term.answer("url", "redis://cache");
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("app.Cache: stored in sqlite (")
            && shown.contains("app.Db: already set in sqlite ("),
        "{shown}"
    );
    assert!(
        !shown.contains("? host"),
        "a stored key was asked:\n{shown}"
    );
    assert_eq!(
        stored(&fx, "app.Cache"),
        serde_json::json!({"url": "redis://cache"})
    );

    // Everything is set now: a second run asks nothing.
    let term = Term::spawn(&fx, &["prompt"]);
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("app.Cache: already set in sqlite ("),
        "{shown}"
    );
    assert!(!shown.contains("? "), "{shown}");
}

#[test]
fn prompt_repairs_a_drifted_value_asking_only_for_the_new_field() {
    let fx = Fixture::new();
    fx.store();
    // A branch switch adds a field to the struct: the stored value no longer fits.
    write_lib(
        &fx,
        &common::LIB.replace(
            "    pub port: u16,\n",
            "    pub port: u16,\n    pub user: String,\n",
        ),
    );
    let mut term = Term::spawn(&fx, &["prompt"]);
    term.expect("`user` is missing");
    term.answer("user", "admin");
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("app.Db: repaired, stored in sqlite ("),
        "{shown}"
    );
    for kept in ["? host", "? port", "? password"] {
        assert!(!shown.contains(kept), "{kept} was asked:\n{shown}");
    }
    assert_eq!(
        stored(&fx, "app.Db"),
        serde_json::json!({"host": "h", "port": 5432, "password": "hunter2", "user": "admin"})
    );
}

#[test]
fn prompt_reports_a_variable_that_does_not_fit_and_never_writes_over_it() {
    let fx = Fixture::new();
    let term = Term::spawn_with(&fx, &["prompt"], |command| {
        command.env(
            "HARMONY_CONFIG_app_Db",
            r#"{"host": "env", "password": "hunter3"}"#,
        );
    });
    let (code, shown) = term.finish();
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("from env does not fit its schema")
            && shown.contains("fix HARMONY_CONFIG_app_Db"),
        "{shown}"
    );
    assert!(
        !shown.contains("? ") && !shown.contains("hunter3"),
        "{shown}"
    );
    assert!(!fx.db().exists(), "nothing was stored");

    let term = Term::spawn_with(&fx, &["prompt"], |command| {
        command.env(
            "HARMONY_CONFIG_app_Db",
            r#"{"host": "env", "port": 1, "password": "hunter3"}"#,
        );
    });
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("app.Db: already set in env (HARMONY_CONFIG_app_Db)"),
        "{shown}"
    );
}

#[test]
fn ctrl_c_stores_nothing() {
    for args in [&["set", "app.Db"][..], &["prompt"]] {
        let fx = Fixture::new();
        let mut term = Term::spawn(&fx, args);
        term.answer("host", "db.local");
        term.question("port");
        term.send("\u{3}");
        let (code, shown) = term.finish();
        assert_eq!(code, 2, "{args:?}: {shown}");
        assert!(
            shown.contains("cancelled: `app.Db` was not stored"),
            "{args:?}: {shown}"
        );
        assert!(!fx.db().exists(), "{args:?}: the database was created");
    }
}

#[test]
fn without_a_terminal_it_fails_at_once_naming_the_variable() {
    let fx = Fixture::new();
    let no_tty = |args: &[&str]| {
        let mut command = fx.command(args);
        command.env_remove("CI");
        without_terminal(command)
    };
    let out = no_tty(&["prompt"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("no terminal")
            && err.contains("stdin is not a terminal")
            && err.contains("set HARMONY_CONFIG_app_Db"),
        "{err}"
    );
    let out = no_tty(&["--message-format", "json", "prompt"]);
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["reason"], "prompt");
    assert_eq!(line["status"], "problem");

    let out = no_tty(&["set", "app.Db"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("stdin is empty") && err.contains("--json"),
        "{err}"
    );
    assert!(!fx.db().exists(), "nothing was stored");

    // A terminal, but `CI` is set: nothing is asked either.
    for (args, code) in [(&["set", "app.Db"][..], 2), (&["prompt"], 1)] {
        let term = Term::spawn_with(&fx, args, |command| {
            command.env("CI", "true");
        });
        let (status, shown) = term.finish();
        assert_eq!(status, code, "{args:?}: {shown}");
        assert!(
            shown.contains("CI is set") && shown.contains("HARMONY_CONFIG_app_Db"),
            "{args:?}: {shown}"
        );
    }
}
