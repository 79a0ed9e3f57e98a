//! `--message-format json` for every command that needs no team store, against a real
//! workspace and a real SQLite file: each line of stdout reads back as a `Message`, with the
//! reasons the README documents. The team-store commands are in `tests/openbao.rs`.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

mod common;

use cargo_harmony::Message;
use common::{Fixture, messages, reasons};

const VALUE: &str = r#"{"host": "h", "port": 5432, "password": "hunter2"}"#;

/// Runs `cargo harmony --message-format json ARGS`, expecting `code`; returns its messages.
fn json(fx: &Fixture, args: &[&str], code: i32) -> Vec<Message> {
    let mut all = vec!["--message-format", "json"];
    all.extend_from_slice(args);
    let output = fx.cmd(&all).env("CI", "1").output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found = messages(&output.stdout);
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("hunter2"),
        "{args:?} printed the secret"
    );
    found
}

fn only(messages: &[Message], reason: &str) -> Vec<String> {
    reasons(messages)
        .into_iter()
        .filter(|r| r != reason)
        .collect()
}

#[test]
fn every_local_command_prints_json_lines() {
    let fx = Fixture::new();

    let sync = json(&fx, &["sync"], 0);
    assert_eq!(only(&sync, "artifact"), ["sync-summary"]);
    assert_eq!(
        reasons(&json(&fx, &["sync", "--check"], 0)),
        ["check-summary"]
    );

    let schema = json(&fx, &["schema", "app.Db"], 0);
    assert!(
        matches!(&schema[..], [Message::Schema { key, schema }] if key == "app.Db" && schema["x-harmony-key"] == "app.Db"),
        "{schema:?}"
    );

    let set = json(&fx, &["set", "app.Db", "--json", VALUE], 0);
    assert!(
        matches!(&set[..], [Message::Stored { key, source, refused }] if key == "app.Db" && source.starts_with("sqlite (") && refused.is_empty()),
        "{set:?}"
    );

    let list = json(&fx, &["list"], 0);
    assert!(
        matches!(&list[..], [Message::Key { key, resolves_from, .. }] if key == "app.Db" && resolves_from.starts_with("sqlite (")),
        "{list:?}"
    );

    let get = json(&fx, &["get", "app.Db"], 0);
    assert!(
        matches!(&get[..], [Message::Value { value, .. }] if value["password"] == "<redacted>" && value["port"] == 5432),
        "{get:?}"
    );

    let explain = json(&fx, &["explain", "app.Db"], 0);
    assert_eq!(reasons(&explain), ["source", "source"]);
    assert!(
        matches!(&explain[1], Message::Source { status, value: Some(value), .. } if status == "wins" && value["password"] == "<redacted>"),
        "{explain:?}"
    );

    let prompt = json(&fx, &["prompt"], 0);
    assert!(
        matches!(&prompt[..], [Message::Prompt { status, .. }] if status == "set"),
        "{prompt:?}"
    );

    let doctor = json(&fx, &["doctor"], 0);
    assert_eq!(only(&doctor, "check"), ["doctor-summary"]);

    let unset = json(&fx, &["unset", "app.Db"], 0);
    assert!(
        matches!(&unset[..], [Message::Removed { sources, still_set_by: None, .. }] if sources.len() == 1),
        "{unset:?}"
    );

    std::fs::write(
        fx.dir.path().join("app/src/lib.rs"),
        common::LIB.replace("pub port: u16", "pub port: u32"),
    )
    .unwrap();
    let drift = json(&fx, &["sync", "--check"], 1);
    assert_eq!(only(&drift, "drift"), ["check-summary"]);
}

#[test]
fn init_prints_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"fresh\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-harmony"))
        .args(["harmony", "--message-format", "json", "init"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let init = messages(&output.stdout);
    let reasons = reasons(&init);
    assert!(
        reasons.iter().filter(|r| *r == "init").count() >= 3,
        "{reasons:?}"
    );
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("init-todo"),
        "{reasons:?}"
    );
}
