//! The example in a real pseudo-terminal: the first run asks for every field and stores the
//! answers in SQLite, later runs ask nothing, and without a terminal it fails at once.
//!
//! Each test spawns the example binary with a clean environment: `CI` removed (CI runs with
//! `CI=true`), every `HARMONY_CONFIG_*` variable removed unless the case sets it, and the
//! database in a temporary directory. It waits for each question before typing its answer, so
//! a slow machine only makes it slower. The 10 s timeouts catch hangs; they assert no speed.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error, which is what it should do"
)]

use std::io::{ErrorKind, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use harmony_config::{ConfigSource, SqliteSource};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_example-prompting");
const KEY: &str = "example.prompting.Service";
const ENV_VAR: &str = "HARMONY_CONFIG_example_prompting_Service";
/// Long enough for any loaded machine; reaching it means the example hung.
const HANG: Duration = Duration::from_secs(10);
/// Without a terminal the example must fail at once; this catches a hang, not slowness.
const NO_TERMINAL_DEADLINE: Duration = Duration::from_secs(2);

/// Every field, in declaration order, as the prompts label them.
const FIELDS: [&str; 9] = [
    "name",
    "port",
    "level",
    "verbose",
    "allowed_hosts",
    "contact",
    "api_token",
    "database.host",
    "database.timeout_secs",
];
const SECRET: &str = "tok-9f3Kq-zz81";
const SUMMARY: &str = "demo listens on port 8080 at level Info, verbosely, allows 2 host(s), pages nobody, uses database db.local (5 s timeout) and a token of 14 characters.";
const BACKSPACE: &str = "\x7f";
const DOWN: &str = "\x1b[B";
/// Read as a key in raw mode, as a real Ctrl-C is.
const CTRL_C: &str = "\x03";

/// A temporary directory holding the database, the working directory and the data home.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn db(&self) -> PathBuf {
        self.data_dir().join("config.db")
    }

    /// The example with `CI` and every `HARMONY_CONFIG_*` variable removed, the database in
    /// the sandbox, and the sandbox as working directory, so no `.env` file is read.
    fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("HARMONY_CONFIG_") {
                command.env_remove(&name);
            }
        }
        command
            .env_remove("CI")
            .env("HARMONY_DB", self.db())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            .env("TERM", "xterm-256color")
            .current_dir(self.dir.path());
        command
    }

    /// The stored value of the example's key, read through the runtime's own SQLite source.
    fn stored(&self) -> Option<Value> {
        block_on(async {
            let source = SqliteSource::open(self.db()).await.unwrap();
            source.get(KEY).await.unwrap()
        })
    }

    fn store(&self, value: &Value) {
        block_on(async {
            let source = SqliteSource::open(self.db()).await.unwrap();
            source.set(KEY, value).await.unwrap();
        });
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// The example running in a pseudo-terminal, with everything it wrote kept.
struct Pty {
    session: OsSession,
    /// Every byte read from the terminal, escapes included.
    raw: Vec<u8>,
    /// How much of the plain text (escapes removed) earlier expectations consumed.
    seen: usize,
    eof: bool,
}

impl Pty {
    fn spawn(command: Command) -> Self {
        Self {
            session: OsSession::spawn(command).unwrap(),
            raw: Vec::new(),
            seen: 0,
            eof: false,
        }
    }

    /// Reads what is available; sleeps briefly when nothing is, so waiting costs no CPU.
    fn pump(&mut self) -> std::io::Result<()> {
        let mut buf = [0; 4096];
        match self.session.try_read(&mut buf) {
            Ok(0) => self.eof = true,
            Ok(n) => self.raw.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // Linux reports EIO on the pty's master once the child closed its side.
            Err(e) if e.raw_os_error() == Some(5) => self.eof = true,
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// Waits for `needle` in the plain text after the last match, and consumes up to its end.
    fn expect(&mut self, needle: &str) {
        let start = Instant::now();
        loop {
            let plain = plain(&self.raw);
            if let Some(at) = find(&plain[self.seen..], needle.as_bytes()) {
                self.seen += at + needle.len();
                return;
            }
            let rest = String::from_utf8_lossy(&plain[self.seen..]);
            assert!(
                !self.eof,
                "the example ended without printing {needle:?}; after the last match it printed:\n{rest}"
            );
            assert!(
                start.elapsed() < HANG,
                "no {needle:?} after {HANG:?}; after the last match the terminal shows:\n{rest}"
            );
            self.pump().unwrap();
        }
    }

    fn send(&mut self, text: &str) {
        self.session.write_all(text.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// Waits for the question about `field`, then types `text` and Enter.
    fn answer(&mut self, field: &str, text: &str) {
        self.expect(&format!("? {field}"));
        self.send(text);
        self.send("\r");
    }

    /// Reads to the end and waits for the exit; returns the exit code and everything shown.
    fn finish(mut self, deadline: Duration) -> (i32, Transcript) {
        let start = Instant::now();
        while !self.eof {
            assert!(
                start.elapsed() < deadline,
                "the example did not end within {deadline:?}; the terminal shows:\n{}",
                String::from_utf8_lossy(&plain(&self.raw))
            );
            self.pump().unwrap();
        }
        let code = loop {
            let status = self.session.get_process().status().unwrap();
            if let WaitStatus::Exited(_, code) = status {
                break code;
            }
            assert_eq!(
                status,
                WaitStatus::StillAlive,
                "the example did not exit normally"
            );
            assert!(
                start.elapsed() < deadline,
                "the example closed its terminal but did not exit within {deadline:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        (
            code,
            Transcript {
                plain: String::from_utf8_lossy(&plain(&self.raw)).into_owned(),
                raw: std::mem::take(&mut self.raw),
            },
        )
    }
}

/// Everything a run showed on its terminal.
struct Transcript {
    raw: Vec<u8>,
    plain: String,
}

impl Transcript {
    /// The fields asked about, in the order first asked, each once.
    fn questions(&self) -> Vec<String> {
        let mut asked: Vec<String> = Vec::new();
        for (at, _) in self.plain.match_indices("? ") {
            let label: String = self.plain[at + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
                .collect();
            if !label.is_empty() && !asked.contains(&label) {
                asked.push(label);
            }
        }
        asked
    }

    fn shows(&self, text: &str) -> bool {
        find(&self.raw, text.as_bytes()).is_some() || self.plain.contains(text)
    }
}

/// The text without terminal escapes: CSI sequences, OSC strings and two-byte escapes. An
/// escape cut off at the end is dropped, so the plain text of a prefix is a prefix of it.
fn plain(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != 0x1b {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        match raw.get(i + 1) {
            Some(b'[') => {
                i += 2;
                while i < raw.len() && !(0x40..=0x7e).contains(&raw[i]) {
                    i += 1;
                }
                i += 1;
            }
            Some(b']') => {
                i += 2;
                while i < raw.len() && raw[i] != 0x07 && raw[i] != 0x1b {
                    i += 1;
                }
                i += if raw.get(i) == Some(&0x1b) { 2 } else { 1 };
            }
            _ => i += 2,
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Answers every question of a first run, checking each answer is taken, up to the summary.
fn answer_everything(pty: &mut Pty) {
    pty.expect(&format!("{KEY}: The service this example pretends to run."));
    pty.expect("? name");
    pty.expect("[Name shown in greetings.]");
    pty.send("demo\r");
    pty.expect("> name demo");
    pty.answer("port", "8080");
    pty.expect("> port 8080");
    pty.expect("? level");
    pty.send(DOWN);
    pty.expect("> info");
    pty.send("\r");
    pty.expect("> level info");
    pty.answer("verbose", "y");
    pty.expect("> verbose Yes");
    pty.answer("allowed_hosts", "a.example, b.example");
    pty.expect("> allowed_hosts a.example, b.example");
    pty.answer("contact", "");
    pty.expect("> contact");
    pty.answer("api_token", SECRET);
    pty.expect("> api_token ***");
    pty.expect("database: Where the service keeps its data.");
    pty.answer("database.host", "db.local");
    pty.expect("> database.host db.local");
    pty.answer("database.timeout_secs", "");
    pty.expect("> database.timeout_secs");
    pty.expect(&format!("Stored `{KEY}` in sqlite ("));
    pty.expect(SUMMARY);
}

fn first_run(sandbox: &Sandbox) -> Transcript {
    let mut pty = Pty::spawn(sandbox.command());
    answer_everything(&mut pty);
    let (code, transcript) = pty.finish(HANG);
    assert_eq!(code, 0, "{}", transcript.plain);
    transcript
}

/// A run that must ask nothing: returns what it printed.
fn quiet_run(command: Command) -> Transcript {
    let (code, transcript) = Pty::spawn(command).finish(HANG);
    assert_eq!(code, 0, "{}", transcript.plain);
    assert_eq!(
        transcript.questions(),
        Vec::<String>::new(),
        "{}",
        transcript.plain
    );
    transcript
}

fn expected_first_answers() -> Value {
    json!({
        "name": "demo",
        "port": 8080,
        "level": "info",
        "verbose": true,
        "allowed_hosts": ["a.example", "b.example"],
        "contact": null,
        "api_token": SECRET,
        "database": {"host": "db.local"},
    })
}

#[test]
fn first_run_asks_every_field_in_order_and_stores_the_answers() {
    let sandbox = Sandbox::new();
    assert!(
        !sandbox.data_dir().exists(),
        "a fresh machine has no database"
    );
    let transcript = first_run(&sandbox);
    assert_eq!(transcript.questions(), FIELDS, "{}", transcript.plain);
    let header = transcript.plain.find("pretends to run.").unwrap();
    let first_question = transcript.plain.find("? name").unwrap();
    assert!(header < first_question, "{}", transcript.plain);
    for help in [
        "TCP port to listen on. · a whole number from 0 to 65535",
        "Who to page when it breaks, if anyone. · leave empty for none",
        "Token for the upstream API.",
    ] {
        assert!(transcript.plain.contains(help), "no help {help:?}");
    }
    assert_eq!(sandbox.stored(), Some(expected_first_answers()));
}

#[test]
fn second_run_reads_sqlite_without_prompting() {
    let sandbox = Sandbox::new();
    first_run(&sandbox);
    let second = quiet_run(sandbox.command());
    assert!(second.plain.contains(SUMMARY), "{}", second.plain);
    assert!(!second.plain.contains("Stored"), "{}", second.plain);
    assert_eq!(sandbox.stored(), Some(expected_first_answers()));
}

#[test]
fn a_value_in_the_environment_is_used_without_prompting_and_never_stored() {
    let sandbox = Sandbox::new();
    let mut value = expected_first_answers();
    value["name"] = json!("from-env");
    let mut command = sandbox.command();
    command.env(ENV_VAR, value.to_string());
    let transcript = quiet_run(command);
    assert!(
        transcript.plain.contains("from-env listens on port 8080"),
        "{}",
        transcript.plain
    );
    assert_eq!(sandbox.stored(), None, "the environment is never persisted");

    // A value in the environment that does not fit is an error to fix there, not a prompt.
    value.as_object_mut().unwrap().remove("verbose");
    let mut command = sandbox.command();
    command.env(ENV_VAR, value.to_string());
    let (code, transcript) = Pty::spawn(command).finish(HANG);
    assert_ne!(code, 0, "{}", transcript.plain);
    assert_eq!(
        transcript.questions(),
        Vec::<String>::new(),
        "{}",
        transcript.plain
    );
    assert!(
        transcript.plain.contains(&format!(
            "`{KEY}` from env ({ENV_VAR}): missing field `verbose`"
        )),
        "{}",
        transcript.plain
    );
    assert_eq!(sandbox.stored(), None);
}

#[test]
fn deleting_the_data_directory_prompts_again() {
    // The default location this time: `$XDG_DATA_HOME/harmony/config/config.db`.
    let sandbox = Sandbox::new();
    let xdg = sandbox.dir.path().join("xdg");
    let command = || {
        let mut command = sandbox.command();
        command.env_remove("HARMONY_DB");
        command
    };
    let data_dir = xdg.join("harmony");

    let mut pty = Pty::spawn(command());
    answer_everything(&mut pty);
    assert_eq!(pty.finish(HANG).0, 0);
    assert!(data_dir.join("config").join("config.db").is_file());
    quiet_run(command());

    std::fs::remove_dir_all(&data_dir).unwrap();
    let mut pty = Pty::spawn(command());
    answer_everything(&mut pty);
    let (code, transcript) = pty.finish(HANG);
    assert_eq!(code, 0, "{}", transcript.plain);
    assert_eq!(transcript.questions(), FIELDS, "{}", transcript.plain);
    assert!(data_dir.join("config").join("config.db").is_file());
    quiet_run(command());
}

#[test]
fn a_masked_secret_never_reaches_the_terminal() {
    let sandbox = Sandbox::new();
    let first = first_run(&sandbox);
    // It was typed and stored, so its absence below means something.
    assert_eq!(sandbox.stored().unwrap()["api_token"], json!(SECRET));
    assert!(
        !first.shows(SECRET),
        "the secret was shown:\n{}",
        first.plain
    );
    // The same transcript does show what was typed at a plain question.
    assert!(first.shows("? database.host db.local"), "{}", first.plain);
    assert!(first.plain.contains("? api_token *"), "no mask shown");
    assert!(first.plain.contains("a token of 14 characters"));

    let second = quiet_run(sandbox.command());
    assert!(
        !second.shows(SECRET),
        "the secret was shown:\n{}",
        second.plain
    );
    assert!(second.plain.contains("a token of 14 characters"));
}

#[test]
fn an_invalid_number_is_asked_again() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::spawn(sandbox.command());
    pty.answer("name", "demo");
    pty.answer("port", "99999");
    pty.expect("out of range: expected a whole number from 0 to 65535");
    // The refused text stays in the input: erase it, then try a word.
    pty.send(&BACKSPACE.repeat(5));
    pty.expect("? port  ");
    pty.send("abc\r");
    pty.expect("# expected a whole number from 0 to 65535");
    pty.send(&BACKSPACE.repeat(3));
    pty.expect("? port  ");
    pty.send("8080\r");
    pty.expect("> port 8080");
    pty.answer("level", "");
    pty.answer("verbose", "n");
    pty.answer("allowed_hosts", "");
    pty.answer("contact", "ops");
    pty.answer("api_token", "t");
    pty.answer("database.host", "db");
    pty.answer("database.timeout_secs", "30");
    pty.expect("demo listens on port 8080 at level Error, allows 0 host(s), pages ops");
    let (code, transcript) = pty.finish(HANG);
    assert_eq!(code, 0, "{}", transcript.plain);
    let stored = sandbox.stored().unwrap();
    assert_eq!(stored["port"], json!(8080));
    assert_eq!(
        stored["database"],
        json!({"host": "db", "timeout_secs": 30})
    );
}

#[test]
fn ctrl_c_persists_nothing() {
    let sandbox = Sandbox::new();
    let mut pty = Pty::spawn(sandbox.command());
    pty.answer("name", "half-done");
    pty.expect("> name half-done");
    pty.expect("? port");
    pty.send(CTRL_C);
    pty.expect(&format!("cancelled: `{KEY}` was not stored"));
    let (code, transcript) = pty.finish(HANG);
    assert_eq!(code, 1, "{}", transcript.plain);
    assert!(!transcript.plain.contains("Stored"), "{}", transcript.plain);
    assert_eq!(sandbox.stored(), None);

    // The next run starts over at the first field, with nothing remembered.
    let mut pty = Pty::spawn(sandbox.command());
    pty.expect("? name");
    pty.expect("]"); // the end of the help line: the question is drawn whole
    pty.send(CTRL_C);
    let (code, transcript) = pty.finish(HANG);
    assert_eq!(code, 1, "{}", transcript.plain);
    assert_eq!(transcript.questions(), ["name"], "{}", transcript.plain);
    assert!(
        !transcript.plain.contains("half-done"),
        "{}",
        transcript.plain
    );
    assert_eq!(sandbox.stored(), None);
}

#[test]
fn drift_repair_asks_only_for_the_missing_field() {
    let sandbox = Sandbox::new();
    let old = json!({
        "name": "old",
        "port": 1234,
        "level": "debug",
        "allowed_hosts": ["h"],
        "contact": "ops",
        "api_token": SECRET,
        "database": {"host": "dbh", "timeout_secs": 9},
        "retired_field": "stale",
    });
    sandbox.store(&old);

    let mut pty = Pty::spawn(sandbox.command());
    pty.expect(&format!("{KEY}: `verbose` is missing"));
    pty.answer("verbose", "n");
    pty.expect("> verbose No");
    pty.expect(&format!("Stored `{KEY}` in sqlite ("));
    pty.expect(
        "old listens on port 1234 at level Debug, allows 1 host(s), pages ops, uses database dbh (9 s timeout) and a token of 14 characters.",
    );
    let (code, transcript) = pty.finish(HANG);
    assert_eq!(code, 0, "{}", transcript.plain);
    assert_eq!(transcript.questions(), ["verbose"], "{}", transcript.plain);
    assert!(!transcript.shows(SECRET), "{}", transcript.plain);

    let mut repaired = old;
    repaired["verbose"] = json!(false);
    assert_eq!(sandbox.stored(), Some(repaired));
    quiet_run(sandbox.command());
}

/// Runs the example with stdin from /dev/null and output to pipes, `CI` removed.
fn run_without_terminal(sandbox: &Sandbox) -> (i32, String) {
    let start = Instant::now();
    let mut child = sandbox
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let hung = start.elapsed() > NO_TERMINAL_DEADLINE;
        if hung {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        assert!(
            !hung,
            "no error within {NO_TERMINAL_DEADLINE:?} without a terminal: it hangs"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code().unwrap(), stderr)
}

#[test]
fn without_a_terminal_it_fails_at_once_naming_the_way_out() {
    let sandbox = Sandbox::new();
    let (code, stderr) = run_without_terminal(&sandbox);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains(ENV_VAR), "{stderr}");
    assert!(
        stderr.contains(&format!("cargo harmony set {KEY}")),
        "{stderr}"
    );
    assert!(stderr.contains("stdin is not a terminal"), "{stderr}");
    assert_eq!(sandbox.stored(), None);

    // A stored value that no longer fits: the error names the field to fix.
    let mut value = expected_first_answers();
    value.as_object_mut().unwrap().remove("verbose");
    sandbox.store(&value);
    let (code, stderr) = run_without_terminal(&sandbox);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("`verbose`"), "{stderr}");
    assert!(stderr.contains(ENV_VAR), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
}

#[test]
fn with_ci_set_it_fails_at_once_even_in_a_terminal() {
    let sandbox = Sandbox::new();
    let mut command = sandbox.command();
    command.env("CI", "true");
    let (code, transcript) = Pty::spawn(command).finish(NO_TERMINAL_DEADLINE);
    assert_ne!(code, 0, "{}", transcript.plain);
    assert_eq!(
        transcript.questions(),
        Vec::<String>::new(),
        "{}",
        transcript.plain
    );
    assert!(
        transcript.plain.contains("CI is set"),
        "{}",
        transcript.plain
    );
    assert!(transcript.plain.contains(ENV_VAR), "{}", transcript.plain);
    assert!(
        transcript
            .plain
            .contains(&format!("cargo harmony set {KEY}")),
        "{}",
        transcript.plain
    );

    // `CI=false` and `CI=0` mean no CI: it asks.
    for ci in ["false", "0"] {
        let mut command = sandbox.command();
        command.env("CI", ci);
        let mut pty = Pty::spawn(command);
        pty.expect("? name");
        pty.expect("]");
        pty.send(CTRL_C);
        let (code, transcript) = pty.finish(HANG);
        assert_eq!(code, 1, "CI={ci}: {}", transcript.plain);
        assert_eq!(
            transcript.questions(),
            ["name"],
            "CI={ci}: {}",
            transcript.plain
        );
    }
}

#[test]
fn plain_text_drops_escapes_even_when_cut_off() {
    assert_eq!(
        plain(b"\x1b[38;5;10m?\x1b[39m name \x1b[K\r\n"),
        b"? name \r\n"
    );
    assert_eq!(plain(b"a\x1b]0;title\x07b\x1b[?25"), b"ab");
    let raw = b"\x1b[38;5;14m[\x1b[39mhelp\x1b[38;5;14m]";
    for cut in 0..raw.len() {
        assert!(plain(raw).starts_with(&plain(&raw[..cut])), "cut at {cut}");
    }
}
