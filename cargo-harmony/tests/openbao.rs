//! `login`, `push`, `openbao setup` and `doctor`'s OpenBao checks, against real servers: an
//! OpenBao dev server and a local OIDC provider with the device flow (`harmony_test_servers`;
//! run `scripts/servers/install` once). Each command runs with its own HOME and
//! XDG_DATA_HOME, so no real user file is touched.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

mod common;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, messages, reasons, text};
use expectrl::Expect;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use harmony_test_servers::{Bao, Oidc};

const PASSWORD: &str = "correct-horse-battery";
const VALUE: &str = r#"{"host": "db.internal", "port": 5432, "password": "hunter2"}"#;
/// `openbao setup` creating the userpass user `alice`, her password in `ALICE_PW`.
const SETUP_ALICE: [&str; 6] = [
    "openbao",
    "setup",
    "--userpass-user",
    "alice",
    "--userpass-password-env",
    "ALICE_PW",
];
const CHANGED: &str = r#"{"host": "db2.internal", "port": 5432, "password": "swordfish"}"#;

/// A workspace, a private HOME and data directory, and the server the commands talk to.
struct Team {
    fx: Fixture,
    home: tempfile::TempDir,
    url: String,
}

impl Team {
    fn new(bao: &Bao) -> Self {
        Self {
            fx: Fixture::new(),
            home: tempfile::tempdir().unwrap(),
            url: bao.addr(),
        }
    }

    fn data_home(&self) -> PathBuf {
        self.home.path().join("xdg")
    }

    /// `cargo harmony ARGS` against the server, with only the variables given in `env`.
    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = self.fx.command(args);
        // HOME moves, so rustup and cargo are told where they live.
        let real_home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
        let rustup =
            std::env::var_os("RUSTUP_HOME").map_or(real_home.join(".rustup"), PathBuf::from);
        let cargo = std::env::var_os("CARGO_HOME").map_or(real_home.join(".cargo"), PathBuf::from);
        cmd.env("RUSTUP_HOME", rustup)
            .env("CARGO_HOME", cargo)
            .env("HOME", self.home.path())
            .env("XDG_DATA_HOME", self.data_home())
            // A browser that opens nothing: `true URL`.
            .env("BROWSER", "true")
            .env_remove("CI")
            .env("OPENBAO_URL", &self.url);
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let started = Instant::now();
        let output = self
            .command(args, env)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        Run::new(&output, started.elapsed())
    }

    /// Stores `json` in the local database only, as a `set` without OpenBao would.
    fn store_locally(&self, json: &str) {
        let run = self.run(&["set", "app.Db", "--json", json], &[("OPENBAO_URL", "")]);
        assert!(run.code == Some(0), "{}", run.all);
        assert!(run.all.contains("stored `app.Db` in sqlite"), "{}", run.all);
    }

    /// The one token cache file.
    fn cache_file(&self) -> PathBuf {
        let dir = self.data_home().join("harmony").join("openbao");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        files.remove(0)
    }

    fn cached_token(&self) -> String {
        let text = std::fs::read_to_string(self.cache_file()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        json["token"].as_str().unwrap().to_owned()
    }
}

/// A finished command: exit code, stdout and stderr together, and how long it took.
struct Run {
    code: Option<i32>,
    all: String,
    took: Duration,
}

impl Run {
    fn new(output: &Output, took: Duration) -> Self {
        Self {
            code: output.status.code(),
            all: format!("{}{}", text(&output.stdout), text(&output.stderr)),
            took,
        }
    }

    /// Asserts that no secret of these tests appears in the output.
    fn assert_no_secrets(&self, also: &[&str]) {
        for secret in ["hunter2", "swordfish", PASSWORD].iter().chain(also) {
            assert!(
                !self.all.contains(secret),
                "`{secret}` leaked:\n{}",
                self.all
            );
        }
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The fields of `secret/harmony/app.Db`, read with the bao CLI as root.
fn kv_data(bao: &Bao) -> serde_json::Value {
    let out = bao.cli(&["kv", "get", "-format=json", "secret/harmony/app.Db"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    json["data"]["data"].clone()
}

/// At `HARMONY_LOG=trace`, with a secret in every source (the environment, SQLite, OpenBao),
/// no command prints a secret, the OpenBao token or the userpass password: the logs of the
/// runtime and of the libraries under it included.
#[test]
fn trace_logs_show_no_secret() {
    let bao = Bao::dev();
    let team = Team::new(&bao);
    let root = [("OPENBAO_TOKEN", bao.root_token()), ("ALICE_PW", PASSWORD)];
    assert_eq!(team.run(&SETUP_ALICE, &root).code, Some(0));
    team.store_locally(VALUE);
    let alice = [
        ("OPENBAO_USERNAME", "alice"),
        ("OPENBAO_PASSWORD", PASSWORD),
        ("HARMONY_LOG", "trace"),
    ];
    let env = r#"{"host": "env.internal", "port": 1, "password": "env-only-secret"}"#;
    let mut runs = vec![
        team.run(&["login"], &alice),
        team.run(&["push", "--yes"], &alice),
        team.run(&["set", "app.Db", "--json", CHANGED], &alice),
        // Into SQLite alone, traced too.
        team.run(
            &["set", "app.Db", "--json", CHANGED],
            &[("OPENBAO_URL", ""), ("HARMONY_LOG", "trace")],
        ),
    ];
    let token = team.cached_token();
    let traced = [("HARMONY_LOG", "trace"), ("HARMONY_CONFIG_app_Db", env)];
    for args in [
        &["get", "app.Db"][..],
        &["explain", "app.Db"],
        &["list"],
        &["doctor"],
    ] {
        runs.push(team.run(args, &traced));
    }
    for run in &runs {
        assert!(
            run.all.contains("TRACE") || run.all.contains("DEBUG"),
            "nothing was logged: {}",
            run.all
        );
    }
    assert!(
        runs[5].all.contains("openbao (") && runs[5].all.contains("shadowed"),
        "explain saw every source: {}",
        runs[5].all
    );
    for run in &runs {
        run.assert_no_secrets(&[bao.root_token(), &token, "env-only-secret"]);
    }
}

/// A forced login that fails leaves the good cached login in place, and a login into a cache
/// folder that later processes would not trust fails, saying how to fix it.
#[test]
fn a_failed_forced_login_keeps_the_cached_one_and_an_unsafe_cache_fails_the_login() {
    use std::os::unix::fs::PermissionsExt;

    let bao = Bao::dev();
    let team = Team::new(&bao);
    let root = [("OPENBAO_TOKEN", bao.root_token()), ("ALICE_PW", PASSWORD)];
    assert_eq!(team.run(&SETUP_ALICE, &root).code, Some(0));
    let alice = [
        ("OPENBAO_USERNAME", "alice"),
        ("OPENBAO_PASSWORD", PASSWORD),
    ];
    let login = team.run(&["login"], &alice);
    assert_eq!(login.code, Some(0), "{}", login.all);
    let token = team.cached_token();

    let wrong = [("OPENBAO_USERNAME", "alice"), ("OPENBAO_PASSWORD", "wrong")];
    let failed = team.run(&["login", "--force"], &wrong);
    assert_eq!(failed.code, Some(2), "{}", failed.all);
    assert_eq!(team.cached_token(), token, "the good login was thrown away");
    let nothing = team.run(&["login", "--force"], &[]);
    assert_eq!(nothing.code, Some(2), "{}", nothing.all);
    assert!(
        nothing.all.contains("no way to log in is configured"),
        "{}",
        nothing.all
    );
    assert_eq!(team.cached_token(), token);
    // Every later process still uses it.
    let again = team.run(&["login"], &[]);
    assert!(again.all.contains("Already logged in"), "{}", again.all);

    let dir = team.cache_file().parent().unwrap().to_owned();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let unsafe_cache = team.run(&["login", "--force"], &alice);
    assert_eq!(unsafe_cache.code, Some(2), "{}", unsafe_cache.all);
    assert!(
        !unsafe_cache.all.contains("Logged in"),
        "{}",
        unsafe_cache.all
    );
    assert!(
        unsafe_cache
            .all
            .contains("refusing the OpenBao token cache's folder")
            && unsafe_cache
                .all
                .contains(&format!("chmod 700 {}", dir.display())),
        "{}",
        unsafe_cache.all
    );
    for run in [&login, &failed, &nothing, &again, &unsafe_cache] {
        run.assert_no_secrets(&[bao.root_token(), &token]);
    }
}

/// `doctor` checks the values held in OpenBao against their schemas, as it checks SQLite's;
/// `get` with a token the server rejects warns that it passed over OpenBao.
#[test]
fn doctor_checks_the_values_in_openbao_and_get_warns_when_it_passes_over_it() {
    let bao = Bao::dev();
    let team = Team::new(&bao);
    let root = [("OPENBAO_TOKEN", bao.root_token())];
    // A value of the wrong shape, written with OpenBao's own CLI: the port is not a number.
    bao.cli(&[
        "kv",
        "put",
        "secret/harmony/app.Db",
        "host=h",
        "port=many",
        "password=hunter2",
    ]);
    let doctor = team.run(&["doctor"], &root);
    assert_eq!(doctor.code, Some(1), "{}", doctor.all);
    assert!(
        doctor.all.contains("stored value: `app.Db` in openbao (")
            && doctor.all.contains("at `port`"),
        "{}",
        doctor.all
    );
    let rejected = team.run(&["get", "app.Db"], &[("OPENBAO_TOKEN", "s.rejected")]);
    assert!(
        rejected
            .all
            .contains("warning: could not log in to openbao")
            && rejected.all.contains("`app.Db` comes from the next source"),
        "{}",
        rejected.all
    );
    for run in [&doctor, &rejected] {
        run.assert_no_secrets(&[bao.root_token(), "s.rejected"]);
    }
}

/// A value stored locally after the team's, while OpenBao refused it, is shadowed by the
/// team's older one: `get`, `explain` and `doctor` say it is not pushed yet.
#[test]
fn a_local_value_newer_than_the_teams_is_reported_as_not_pushed() {
    let bao = Bao::dev();
    let team = Team::new(&bao);
    let root = [("OPENBAO_TOKEN", bao.root_token())];
    let set = team.run(&["set", "app.Db", "--json", VALUE], &root);
    assert!(
        set.all.contains("stored `app.Db` in openbao"),
        "{}",
        set.all
    );
    std::thread::sleep(Duration::from_millis(20));
    team.store_locally(CHANGED);
    let note = "is newer than in openbao (";
    let get = team.run(&["get", "app.Db"], &root);
    assert_eq!(get.code, Some(0), "{}", get.all);
    assert!(
        get.all.contains("db.internal"),
        "the team's value is read: {}",
        get.all
    );
    assert!(
        get.all.contains(note) && get.all.contains("run `cargo harmony push app.Db`"),
        "{}",
        get.all
    );
    let explain = team.run(&["explain", "app.Db"], &root);
    assert!(explain.all.contains(note), "{}", explain.all);
    let doctor = team.run(&["doctor"], &root);
    assert!(
        doctor
            .all
            .lines()
            .any(|l| l.starts_with("warn") && l.contains(note)),
        "{}",
        doctor.all
    );
    // Once pushed, nothing is left to report.
    assert_eq!(team.run(&["push", "--yes"], &root).code, Some(0));
    let after = team.run(&["get", "app.Db"], &root);
    assert!(
        !after.all.contains(note) && after.all.contains("db2.internal"),
        "{}",
        after.all
    );
    for run in [&set, &get, &explain, &doctor, &after] {
        run.assert_no_secrets(&[bao.root_token()]);
    }
}

/// A token never crosses the network in clear: with `OPENBAO_URL=http://` this machine's name
/// rather than a loopback address, nothing connects until `HARMONY_ALLOW_HTTP=true`.
#[test]
fn no_credential_goes_to_a_remote_http_server_unless_allowed() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let listener = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    // The machine's own name: not `localhost`, not a loopback literal, but it reaches here.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let host = host.trim();
    assert!(
        std::net::ToSocketAddrs::to_socket_addrs(&(host, port))
            .is_ok_and(|mut a| a.next().is_some()),
        "this machine's name `{host}` does not resolve"
    );
    let team = Team {
        fx: Fixture::new(),
        home: tempfile::tempdir().unwrap(),
        url: format!("http://{host}:{port}"),
    };
    let env = [
        ("OPENBAO_TOKEN", "s.cleartext"),
        ("OPENBAO_TIMEOUT_MS", "500"),
    ];
    let refused = team.run(&["get", "app.Db"], &env);
    assert_eq!(refused.code, Some(2), "{}", refused.all);
    assert!(
        refused
            .all
            .contains(&format!("OPENBAO_URL is http:// to {host}"))
            && refused.all.contains("set HARMONY_ALLOW_HTTP=true"),
        "{}",
        refused.all
    );
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "a connection was made");

    let allowed = [
        ("OPENBAO_TOKEN", "s.cleartext"),
        ("OPENBAO_TIMEOUT_MS", "500"),
        ("HARMONY_ALLOW_HTTP", "true"),
    ];
    let sent = team.run(&["get", "app.Db"], &allowed);
    assert!(accepted.load(Ordering::SeqCst) > 0, "{}", sent.all);
    for run in [&refused, &sent] {
        run.assert_no_secrets(&["s.cleartext"]);
    }
}

/// A proxy in the environment never carries a request to a server on this machine: reqwest
/// would send it one unless `NO_PROXY` named the host, and with it the token, in clear. The
/// store's requests and `doctor`'s status requests all go direct; a server elsewhere still
/// goes through the proxy, so the proxy variables were in force.
#[test]
fn a_proxy_in_the_environment_never_sees_a_request_to_this_machine() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let bao = Bao::dev();
    let team = Team::new(&bao);
    let proxied = [
        ("OPENBAO_TOKEN", bao.root_token()),
        ("HTTP_PROXY", proxy.as_str()),
        ("http_proxy", proxy.as_str()),
        ("ALL_PROXY", proxy.as_str()),
        ("NO_PROXY", ""),
        ("no_proxy", ""),
        ("OPENBAO_TIMEOUT_MS", "1000"),
    ];
    let set = team.run(&["set", "app.Db", "--json", VALUE], &proxied);
    assert_eq!(set.code, Some(0), "{}", set.all);
    assert_eq!(kv_data(&bao)["host"], "db.internal");
    let get = team.run(&["get", "app.Db"], &proxied);
    assert!(
        get.code == Some(0) && get.all.contains("db.internal"),
        "{}",
        get.all
    );
    let doctor = team.run(&["doctor"], &proxied);
    assert!(
        doctor.all.contains("answers, unsealed")
            && doctor.all.contains("openbao login: ")
            && doctor.all.contains("accepted")
            && doctor.all.contains("the login may read and write"),
        "{}",
        doctor.all
    );
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        0,
        "the proxy saw a request"
    );

    // The machine's own name is not loopback: that request goes to the proxy.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let port = bao.addr().rsplit(':').next().unwrap().to_owned();
    let remote = format!("http://{}:{port}", host.trim());
    let mut elsewhere = proxied.to_vec();
    elsewhere.extend([
        ("OPENBAO_URL", remote.as_str()),
        ("HARMONY_ALLOW_HTTP", "true"),
    ]);
    let away = team.run(&["get", "app.Db"], &elsewhere);
    std::thread::sleep(Duration::from_millis(100));
    assert!(accepted.load(Ordering::SeqCst) > 0, "{}", away.all);
    for run in [&set, &get, &doctor, &away] {
        run.assert_no_secrets(&[bao.root_token()]);
    }
}

/// With the team store down, `get` names why it was passed over, and `unset` clears the local
/// copy, says the store may still hold the key, and exits 1.
#[test]
fn with_openbao_down_get_says_why_and_unset_reports_the_store() {
    let team = Team {
        fx: Fixture::new(),
        home: tempfile::tempdir().unwrap(),
        // Nothing listens on port 9 of loopback.
        url: "http://127.0.0.1:9".to_owned(),
    };
    team.store_locally(VALUE);
    let get = team.run(&["get", "app.Db"], &[("OPENBAO_TOKEN", "s.none")]);
    assert!(get.code == Some(0), "{}", get.all);
    assert!(
        get.all.contains("warning: could not")
            && get.all.contains("`app.Db` comes from the next source"),
        "{}",
        get.all
    );
    let unset = team.run(&["unset", "app.Db"], &[("OPENBAO_TOKEN", "s.none")]);
    assert_eq!(unset.code, Some(1), "{}", unset.all);
    assert!(
        unset.all.contains("removed `app.Db` from sqlite"),
        "{}",
        unset.all
    );
    assert!(
        unset.all.contains("could not be asked") && unset.all.contains("127.0.0.1:9"),
        "{}",
        unset.all
    );
    let missing = team.run(&["get", "app.Db"], &[("OPENBAO_TOKEN", "s.none")]);
    assert_eq!(missing.code, Some(2), "{}", missing.all);
    assert!(missing.all.contains("(not used: "), "{}", missing.all);
    for run in [&get, &unset, &missing] {
        run.assert_no_secrets(&["s.none"]);
    }
}

/// `openbao setup`, `login`, `push` and `doctor` with `--message-format json`: every line of
/// stdout reads back as a `Message`.
#[test]
fn team_commands_print_json_lines() {
    let bao = Bao::dev();
    let team = Team::new(&bao);
    let json = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["--message-format", "json"];
        all.extend_from_slice(args);
        let output = team
            .command(&all, env)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let run = Run::new(&output, Duration::ZERO);
        assert!(run.code == Some(0), "{args:?}: {}", run.all);
        run.assert_no_secrets(&[bao.root_token()]);
        reasons(&messages(&output.stdout))
    };
    let root = [("OPENBAO_TOKEN", bao.root_token()), ("ALICE_PW", PASSWORD)];
    let setup = json(&SETUP_ALICE, &root);
    assert!(
        !setup.is_empty() && setup.iter().all(|r| r == "setup"),
        "{setup:?}"
    );
    let alice = [
        ("OPENBAO_USERNAME", "alice"),
        ("OPENBAO_PASSWORD", PASSWORD),
    ];
    assert_eq!(json(&["login"], &alice), ["login"]);
    assert_eq!(json(&["login"], &[]), ["login"], "already logged in");
    team.store_locally(VALUE);
    assert_eq!(json(&["push", "--yes"], &[]), ["push", "push-summary"]);
    let doctor = json(&["doctor"], &[]);
    assert_eq!(doctor.last().map(String::as_str), Some("doctor-summary"));
    assert!(
        doctor.iter().filter(|r| *r == "check").count() >= 6,
        "{doctor:?}"
    );
}

#[test]
fn setup_twice_then_userpass_login_push_and_doctor() {
    let bao = Bao::dev();
    let team = Team::new(&bao);
    let root = [("OPENBAO_TOKEN", bao.root_token()), ("ALICE_PW", PASSWORD)];
    let setup = SETUP_ALICE;

    let first = team.run(&setup, &root);
    assert!(first.code == Some(0), "{}", first.all);
    assert!(
        first.all.contains("created policy `harmony`"),
        "{}",
        first.all
    );
    assert!(
        first.all.contains("created userpass user `alice`"),
        "{}",
        first.all
    );
    let second = team.run(&setup, &root);
    assert!(second.code == Some(0), "{}", second.all);
    assert!(
        second
            .all
            .contains("nothing changed, everything was already in place"),
        "{}",
        second.all
    );
    assert!(
        !second.all.contains("created") && !second.all.contains("updated"),
        "{}",
        second.all
    );
    first.assert_no_secrets(&[bao.root_token()]);
    second.assert_no_secrets(&[bao.root_token()]);

    // userpass login: the token is cached privately, and the next command uses it.
    let alice = [
        ("OPENBAO_USERNAME", "alice"),
        ("OPENBAO_PASSWORD", PASSWORD),
    ];
    let login = team.run(&["login"], &alice);
    assert!(login.code == Some(0), "{}", login.all);
    assert!(
        login.all.contains("Logged in: `userpass-alice`"),
        "{}",
        login.all
    );
    assert!(
        login.all.contains("policies: default, harmony"),
        "{}",
        login.all
    );
    assert_eq!(mode(&team.cache_file()), 0o600);
    let token = team.cached_token();
    login.assert_no_secrets(&[&token]);

    push_writes_then_asks_before_overwriting(&team, &bao, &token);

    let doctor = team.run(&["doctor"], &[]);
    assert!(doctor.code == Some(0), "{}", doctor.all);
    assert!(doctor.all.contains("answers, unsealed"), "{}", doctor.all);
    assert!(
        doctor.all.contains("openbao login: the cached login"),
        "{}",
        doctor.all
    );
    assert!(doctor.all.contains("as `userpass-alice`"), "{}", doctor.all);
    assert!(
        doctor
            .all
            .contains("may read and write namespace `harmony`"),
        "{}",
        doctor.all
    );
    doctor.assert_no_secrets(&[&token]);
}

/// push: written, then unchanged; a differing value is kept in OpenBao without a terminal,
/// and replaced with --yes. Nothing local is removed.
fn push_writes_then_asks_before_overwriting(team: &Team, bao: &Bao, token: &str) {
    team.store_locally(VALUE);
    let push = team.run(&["push"], &[]);
    assert!(push.code == Some(0), "{}", push.all);
    assert!(
        push.all.contains("`app.Db`: written to OpenBao"),
        "{}",
        push.all
    );
    assert!(push.all.contains(": 1 written"), "{}", push.all);
    assert_eq!(kv_data(bao)["host"], "db.internal");
    assert_eq!(kv_data(bao)["port"], 5432);
    let again = team.run(&["push"], &[]);
    assert!(again.code == Some(0), "{}", again.all);
    assert!(again.all.contains(": 1 unchanged"), "{}", again.all);

    // A local value that differs: kept in OpenBao without a terminal, replaced with --yes.
    team.store_locally(CHANGED);
    let refused = team.run(&["push"], &[]);
    assert_eq!(refused.code, Some(1), "{}", refused.all);
    assert!(refused.all.contains("1 skipped"), "{}", refused.all);
    assert!(
        refused.all.contains("fields `host`, `password`"),
        "{}",
        refused.all
    );
    assert!(
        refused.all.contains("cargo harmony push app.Db --yes"),
        "{}",
        refused.all
    );
    assert_eq!(kv_data(bao)["host"], "db.internal");
    let forced = team.run(&["push", "--yes"], &[]);
    assert!(forced.code == Some(0), "{}", forced.all);
    assert!(forced.all.contains("1 overwritten"), "{}", forced.all);
    assert_eq!(kv_data(bao)["host"], "db2.internal");
    // In a terminal, a differing value is overwritten once the person says yes.
    team.store_locally(r#"{"host": "db3.internal", "port": 5432, "password": "swordfish"}"#);
    let mut command = team.command(&["push"], &[]);
    command.env("TERM", "xterm");
    let mut pty = OsSession::spawn(command).unwrap();
    pty.set_expect_timeout(Some(Duration::from_secs(20)));
    pty.expect("Overwrite `app.Db` in OpenBao").unwrap();
    pty.send("y\r").unwrap();
    let rest = pty.expect(expectrl::Eof).unwrap();
    let shown = text(rest.as_bytes());
    assert!(shown.contains("1 overwritten"), "{shown}");
    assert!(
        !shown.contains("swordfish") && !shown.contains(token),
        "{shown}"
    );
    assert!(matches!(
        pty.get_process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));
    assert_eq!(kv_data(bao)["host"], "db3.internal");

    // Nothing local was removed: the database still answers without OpenBao.
    let local = team.run(&["get", "app.Db"], &[("OPENBAO_URL", "")]);
    assert!(local.all.contains("db3.internal"), "{}", local.all);

    // get and explain read through OpenBao, with the cached login.
    let explain = team.run(&["explain", "app.Db"], &[]);
    assert!(
        explain.all.contains("namespace `harmony`: wins"),
        "{}",
        explain.all
    );

    for run in [&push, &again, &refused, &forced, &explain] {
        run.assert_no_secrets(&[token]);
    }
}

#[test]
fn login_by_device_flow_caches_the_token_and_a_second_login_reuses_it() {
    let oidc = Oidc::start();
    let bao = Bao::dev();
    let team = Team::new(&bao);
    let setup = team.run(
        &[
            "openbao",
            "setup",
            "--oidc-issuer",
            oidc.issuer(),
            "--oidc-client-id",
            oidc.client_id(),
        ],
        &[("OPENBAO_TOKEN", bao.root_token())],
    );
    assert!(setup.code == Some(0), "{}", setup.all);
    assert!(
        setup.all.contains("created JWT role `harmony`"),
        "{}",
        setup.all
    );

    // No OPENBAO_JWT_ROLE: setup made its role the mount's default.
    let sso = [
        ("HARMONY_OIDC_ISSUER", oidc.issuer()),
        ("HARMONY_OIDC_CLIENT_ID", oidc.client_id()),
    ];
    let started = Instant::now();
    let mut child = team
        .command(&["login"], &sso)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the code from what the person sees, and approve it as they would in a browser.
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut shown = String::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        shown.push_str(&line);
        shown.push('\n');
        if let Some((_, code)) = line.split_once("enter the code ") {
            oidc.approve(code.trim(), "alice");
            break;
        }
    }
    let output = child.wait_with_output().unwrap();
    let login = Run::new(&output, started.elapsed());
    assert!(login.code == Some(0), "{shown}{}", login.all);
    assert!(
        shown.contains(&format!("open {}/device", oidc.issuer())),
        "{shown}"
    );
    assert!(
        login.all.contains("Logged in: `jwt-alice`"),
        "{}",
        login.all
    );
    assert!(login.all.contains("single sign-on"), "{}", login.all);
    let cache = team.cache_file();
    assert!(
        login.all.contains(&cache.display().to_string()),
        "{}",
        login.all
    );
    assert_eq!(mode(&cache), 0o600);
    assert_eq!(mode(cache.parent().unwrap()), 0o700);
    let token = team.cached_token();
    login.assert_no_secrets(&[&token]);
    assert!(!shown.contains(&token));

    // A second login finds the cached token valid, and starts no device flow.
    let second = team.run(&["login"], &sso);
    assert!(second.code == Some(0), "{}", second.all);
    assert!(
        second.all.contains("Already logged in: `jwt-alice`"),
        "{}",
        second.all
    );
    assert!(!second.all.contains("enter the code"), "{}", second.all);
    assert_eq!(team.cached_token(), token);
    second.assert_no_secrets(&[&token]);

    // The SSO login is what push uses.
    team.store_locally(VALUE);
    let push = team.run(&["push", "app.Db"], &sso);
    assert!(push.code == Some(0), "{}", push.all);
    assert_eq!(kv_data(&bao)["host"], "db.internal");
    push.assert_no_secrets(&[&token]);
}

#[test]
fn doctor_login_and_push_say_what_is_wrong_quickly() {
    let mut bao = Bao::dev();
    let team = Team::new(&bao);
    let deadline = Duration::from_secs(6);

    // Reachable, but no way to log in: doctor says to run `cargo harmony login`.
    let doctor = team.run(&["doctor"], &[]);
    assert_eq!(doctor.code, Some(1), "{}", doctor.all);
    assert!(
        doctor.all.contains("openbao login: not logged in"),
        "{}",
        doctor.all
    );
    assert!(
        doctor.all.contains("run `cargo harmony login`"),
        "{}",
        doctor.all
    );
    let login = team.run(&["login"], &[]);
    assert_eq!(login.code, Some(2), "{}", login.all);
    assert!(login.all.contains("HARMONY_OIDC_ISSUER"), "{}", login.all);

    // A token whose policies do not cover the namespace: doctor names the path and the fix.
    let out = bao.cli(&["token", "create", "-policy=default", "-field=token"]);
    let weak = out.trim().to_owned();
    let denied = team.run(&["doctor"], &[("OPENBAO_TOKEN", &weak)]);
    assert_eq!(denied.code, Some(1), "{}", denied.all);
    assert!(
        denied.all.contains("openbao login: OPENBAO_TOKEN"),
        "{}",
        denied.all
    );
    assert!(
        denied.all.contains("deny read, create, update"),
        "{}",
        denied.all
    );
    assert!(
        denied.all.contains("secret/data/harmony/*"),
        "{}",
        denied.all
    );
    denied.assert_no_secrets(&[&weak]);

    // The IdP is down: login fails at once and names it.
    let closed = "http://127.0.0.1:9";
    let idp = team.run(
        &["login"],
        &[
            ("HARMONY_OIDC_ISSUER", closed),
            ("HARMONY_OIDC_CLIENT_ID", "x"),
        ],
    );
    assert_eq!(idp.code, Some(2), "{}", idp.all);
    assert!(
        idp.all.contains(&format!("OIDC login at {closed}")),
        "{}",
        idp.all
    );
    assert!(idp.took < deadline, "took {:?}", idp.took);

    // No server configured.
    let unset = team.run(&["login"], &[("OPENBAO_URL", "")]);
    assert_eq!(unset.code, Some(2), "{}", unset.all);
    assert!(
        unset.all.contains("OPENBAO_URL is not set"),
        "{}",
        unset.all
    );

    // The server stopped: every command says so, within the deadline.
    team.store_locally(VALUE);
    bao.stop();
    let doctor = team.run(&["doctor"], &[("OPENBAO_TOKEN", bao.root_token())]);
    assert_eq!(doctor.code, Some(1), "{}", doctor.all);
    assert!(
        doctor
            .all
            .contains("problem  openbao: could not read the server's health"),
        "{}",
        doctor.all
    );
    assert!(
        doctor.all.contains("nothing answers there"),
        "{}",
        doctor.all
    );
    assert!(doctor.took < deadline, "took {:?}", doctor.took);
    for args in [&["login"][..], &["push"][..]] {
        let run = team.run(
            args,
            &[
                ("OPENBAO_USERNAME", "alice"),
                ("OPENBAO_PASSWORD", PASSWORD),
            ],
        );
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.all);
        assert!(
            run.all.contains("nothing answers there"),
            "{args:?}: {}",
            run.all
        );
        assert!(run.all.contains("OPENBAO_URL"), "{args:?}: {}", run.all);
        assert!(run.took < deadline, "{args:?} took {:?}", run.took);
        run.assert_no_secrets(&[]);
    }
    // Reading still works from the local database.
    let get = team.run(&["get", "app.Db"], &[]);
    assert!(get.code == Some(0), "{}", get.all);
    assert!(get.all.contains("db.internal"), "{}", get.all);
    get.assert_no_secrets(&[]);
}
