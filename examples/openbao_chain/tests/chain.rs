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
    let output = Command::new(env!("CARGO_BIN_EXE_example-openbao-chain"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("share"))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
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
    let (ok, output) = run(home.path(), &env);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "a stopped server must not hang the example"
    );
    assert!(ok, "{output}");
    assert!(
        output.contains(&addr),
        "the warning names the server: {output}"
    );
    assert!(output.contains("Read back AppConfig"), "{output}");
    assert!(sqlite_holds_value(home.path()), "the value went to SQLite");
}
