//! The example against a real OpenBao (`scripts/servers/install` puts it in place): the value
//! lands at the KV v2 path, a second run reads it back, and with the server down the example
//! still works on SQLite, within a deadline.

#![allow(
    clippy::unwrap_used,
    reason = "the fixtures fail the test by panicking"
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use harmony_config::{ConfigSource, SqliteSource};
use harmony_test_servers::Bao;

const KEY: &str = "example.openbao.AppConfig";

/// Runs the example in a fresh environment with `home` as its home; returns success and output.
fn run(home: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let (ok, stdout, stderr) = run_apart(home, env);
    (ok, stdout + &stderr)
}

/// [`run`], with stdout and stderr apart.
fn run_apart(home: &Path, env: &[(&str, &str)]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_example-openbao-chain"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("share"))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn stores_in_openbao_then_reads_back() {
    let bao = Bao::dev();
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("OPENBAO_URL", bao.addr()),
        ("OPENBAO_TOKEN", bao.root_token().to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let (ok, first) = run(home.path(), &env);
    assert!(ok, "{first}");
    assert!(first.contains("Chain: env → openbao"), "{first}");
    assert!(first.contains("Nothing stored"), "{first}");
    assert!(first.contains("Read back AppConfig"), "{first}");
    assert!(
        !first.contains("example-upstream-token"),
        "the secret leaked: {first}"
    );

    // One KV field per struct field, readable with the bao CLI.
    let stored: serde_json::Value = serde_json::from_str(&bao.cli(&[
        "kv",
        "get",
        "-format=json",
        &format!("secret/harmony/{KEY}"),
    ]))
    .unwrap();
    let data = &stored["data"]["data"];
    assert_eq!(data["host"], "production.example.com", "{stored}");
    assert_eq!(data["port"], 443, "{stored}");
    assert!(
        !sqlite_holds_value(home.path()),
        "the value went to OpenBao, not the local database"
    );

    let (ok, second) = run(home.path(), &env);
    assert!(ok, "{second}");
    assert!(
        second.contains("Found `example.openbao.AppConfig`"),
        "{second}"
    );
}

/// Whether the local database under `home` holds the example's key.
fn sqlite_holds_value(home: &Path) -> bool {
    let db = home.join("share/harmony/config/config.db");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let sqlite = SqliteSource::open(&db).await.unwrap();
        sqlite.get(KEY).await.unwrap().is_some()
    })
}

#[test]
fn with_openbao_down_it_works_on_sqlite_with_a_warning() {
    let mut bao = Bao::dev();
    let addr = bao.addr();
    bao.stop();
    let home = tempfile::tempdir().unwrap();
    let env = [("OPENBAO_URL", addr.as_str()), ("OPENBAO_TOKEN", "any")];

    let started = Instant::now();
    let (ok, stdout, stderr) = run_apart(home.path(), &env);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "a stopped server must not hang the example"
    );
    assert!(ok, "{stdout}{stderr}");
    // The warning itself, on stderr: it names the server and says where the value comes from.
    let warning = stderr
        .lines()
        .find(|line| line.contains("WARN") && line.contains("comes from the next source"))
        .unwrap_or_else(|| panic!("no warning on stderr:\n{stderr}"));
    assert!(warning.contains(&addr), "{warning}");
    assert!(stdout.contains("Read back AppConfig"), "{stdout}");
    assert!(sqlite_holds_value(home.path()), "the value went to SQLite");
}

/// At `HARMONY_LOG=trace`, with the value in OpenBao, then in SQLite, then in the environment,
/// the example's logs and output show no secret: not the value's token, not the OpenBao
/// token, not the userpass password.
#[test]
fn trace_logs_show_no_secret() {
    let bao = Bao::dev();
    let password = "correct-horse-battery";
    bao.cli(&["auth", "enable", "userpass"]);
    bao.cli(&[
        "write",
        "sys/policies/acl/harmony",
        r#"policy=path "secret/*" { capabilities = ["create", "read", "update"] }"#,
    ]);
    bao.cli(&[
        "write",
        "auth/userpass/users/alice",
        &format!("password={password}"),
        "token_policies=harmony",
    ]);
    let home = tempfile::tempdir().unwrap();
    let addr = bao.addr();
    let userpass = [
        ("OPENBAO_URL", addr.as_str()),
        ("OPENBAO_USERNAME", "alice"),
        ("OPENBAO_PASSWORD", password),
        ("HARMONY_LOG", "trace"),
    ];
    let (ok, stored) = run(home.path(), &userpass);
    assert!(ok && stored.contains("TRACE"), "{stored}");
    assert!(
        !sqlite_holds_value(home.path()),
        "stored in OpenBao: {stored}"
    );
    // A value of SQLite's own, read with a token the server rejects.
    let local = serde_json::json!({"host": "h", "port": 1, "api_token": "sqlite-only-secret"});
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = home.path().join("share/harmony/config/config.db");
        SqliteSource::open(&db)
            .await
            .unwrap()
            .set(KEY, &local)
            .await
            .unwrap();
    });
    let rejected = [
        ("OPENBAO_URL", addr.as_str()),
        ("OPENBAO_TOKEN", "s.rejected-token"),
        ("HARMONY_LOG", "trace"),
    ];
    let (ok, from_sqlite) = run(home.path(), &rejected);
    assert!(ok && from_sqlite.contains("Found"), "{from_sqlite}");
    let env_value = r#"{"host": "h", "port": 1, "api_token": "env-only-secret"}"#;
    let from_env = [
        ("HARMONY_CONFIG_example_openbao_AppConfig", env_value),
        ("HARMONY_LOG", "trace"),
    ];
    let (ok, from_env) = run(home.path(), &from_env);
    assert!(ok && from_env.contains("Found"), "{from_env}");
    let cache = std::fs::read_dir(home.path().join("share/harmony/openbao"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cache).unwrap()).unwrap();
    let token = cached["token"].as_str().unwrap();
    for output in [&stored, &from_sqlite, &from_env] {
        for secret in [
            "example-upstream-token",
            "sqlite-only-secret",
            "env-only-secret",
            password,
            token,
            "s.rejected-token",
            bao.root_token(),
        ] {
            assert!(!output.contains(secret), "`{secret}` leaked:\n{output}");
        }
    }
}
