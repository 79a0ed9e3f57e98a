//! `list`, `get`, `set`, `unset`, `explain` and `schema` against a real temporary workspace
//! and a real SQLite file.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

mod common;

use common::{Fixture, text};

#[test]
fn set_validates_then_get_redacts_and_unset_removes() {
    let fx = Fixture::new();
    let list = fx.cmd(&["list"]).assert().success();
    let out = text(&list.get_output().stdout);
    assert!(
        out.starts_with("app.Db\tapp\tcrate::Db\tapp/src/lib.rs:7\tHARMONY_CONFIG_app_Db\tmissing"),
        "{out}"
    );
    assert!(!fx.db().exists(), "reading never creates the database");

    let bad = fx
        .cmd(&[
            "set",
            "app.Db",
            "--json",
            r#"{"host": "h", "port": "hunter2", "password": "pw"}"#,
        ])
        .assert()
        .code(1);
    let err = text(&bad.get_output().stderr);
    assert!(
        err.contains("at `port`")
            && err.contains("nothing was written")
            && !err.contains("hunter2"),
        "{err}"
    );
    assert!(!fx.db().exists(), "an invalid value writes nothing");

    fx.cmd(&["set", "app.Db"])
        .write_stdin(r#"{"host": "h", "port": 5432, "password": "hunter2"}"#)
        .assert()
        .success();
    let got = fx.cmd(&["get", "app.Db"]).assert().success();
    let value: serde_json::Value = serde_json::from_slice(&got.get_output().stdout).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"host": "h", "port": 5432, "password": "<redacted>"})
    );
    let shown = fx
        .cmd(&["get", "app.Db", "--show-secrets"])
        .assert()
        .success();
    assert!(text(&shown.get_output().stdout).contains("hunter2"));

    let list = fx.cmd(&["list"]).assert().success();
    assert!(text(&list.get_output().stdout).contains(&format!("sqlite ({})", fx.db().display())));

    fx.cmd(&["unset", "app.Db"]).assert().success();
    let missing = fx.cmd(&["get", "app.Db"]).assert().code(2);
    assert!(text(&missing.get_output().stderr).contains("no value for `app.Db`"));
}

#[test]
fn explain_shows_every_source_and_which_wins() {
    let fx = Fixture::new();
    fx.cmd(&[
        "set",
        "app.Db",
        "--json",
        r#"{"host": "stored", "port": 1, "password": "hunter2"}"#,
    ])
    .assert()
    .success();
    let explain = fx
        .cmd(&["explain", "app.Db"])
        .env(
            "HARMONY_CONFIG_app_Db",
            r#"{"host": "env", "port": 2, "password": "hunter3"}"#,
        )
        .assert()
        .success();
    let out = text(&explain.get_output().stdout);
    assert!(out.contains("1. env: wins: {\"host\":\"env\""), "{out}");
    assert!(
        out.contains("2. sqlite (") && out.contains("shadowed: {\"host\":\"stored\""),
        "{out}"
    );
    assert!(
        !out.contains("hunter2") && !out.contains("hunter3"),
        "{out}"
    );

    let json = fx
        .cmd(&["--message-format", "json", "explain", "app.Db"])
        .assert()
        .success();
    for line in text(&json.get_output().stdout).lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["reason"], "source", "{line}");
    }
}

#[test]
fn unknown_keys_suggest_the_closest() {
    let fx = Fixture::new();
    let out = fx.cmd(&["get", "app.Bd"]).assert().code(2);
    assert!(text(&out.get_output().stderr).contains("did you mean `app.Db`?"));
}

/// Input echoed in a message cannot drive the terminal: control characters are escaped, in
/// an unknown key, a `-p` name, a file name, and a variable `doctor` reports.
#[test]
fn control_characters_in_input_are_escaped() {
    let fx = Fixture::new();
    let hostile = "app\u{1b}]0;owned\u{7}\u{1b}[2J\nforged line";
    for args in [
        &["get", hostile][..],
        &["-p", hostile, "list"],
        &["set", "app.Db", "--file", hostile],
    ] {
        let stderr = text(&fx.cmd(args).assert().code(2).get_output().stderr);
        assert!(
            !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
            "{args:?}: {stderr:?}"
        );
        assert!(stderr.contains("\\u{1b}"), "{args:?}: {stderr:?}");
    }
    let doctor = fx
        .cmd(&["doctor"])
        .env("HARMONY_CONFIG_\u{1b}[2J", "{}")
        .assert()
        .code(0);
    let out = text(&doctor.get_output().stdout);
    assert!(
        !out.contains('\u{1b}') && out.contains("HARMONY_CONFIG_\\u{1b}[2J"),
        "{out:?}"
    );
}

/// A value nested deeper than the runtime's limit gets the same error from `get` and `doctor`
/// as from an application's `get`, even when the depth hides in a field serde skips.
#[test]
fn a_value_nested_too_deep_gets_one_clear_error_everywhere() {
    let fx = Fixture::new();
    let deep = format!(
        r#"{{"host": "h", "port": 1, "password": "p", "extra": {}{}}}"#,
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let expected = "HARMONY_CONFIG_app_Db holds JSON that nests arrays and objects deeper than 100 levels, harmony_config's limit, at line 1, column";
    let get = fx
        .cmd(&["get", "app.Db"])
        .env("HARMONY_CONFIG_app_Db", &deep)
        .assert()
        .code(2);
    assert!(text(&get.get_output().stderr).contains(expected), "{get:?}");
    let doctor = fx
        .cmd(&["doctor"])
        .env("HARMONY_CONFIG_app_Db", &deep)
        .assert()
        .code(1);
    assert!(
        text(&doctor.get_output().stdout).contains(expected),
        "{doctor:?}"
    );
}

#[test]
fn schema_prints_the_key_schema() {
    let fx = Fixture::new();
    let out = fx.cmd(&["schema", "app.Db"]).assert().success();
    let schema: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(schema["x-harmony-key"], "app.Db");
    assert_eq!(schema["properties"]["password"]["writeOnly"], true);
}

#[test]
fn a_malformed_variable_is_reported_in_its_place() {
    let fx = Fixture::new();
    fx.cmd(&[
        "set",
        "app.Db",
        "--json",
        r#"{"host": "stored", "port": 1, "password": "pw"}"#,
    ])
    .assert()
    .success();
    let explain = fx
        .cmd(&["explain", "app.Db"])
        .env("HARMONY_CONFIG_app_Db", "{\"host\":")
        .assert()
        .success();
    let out = text(&explain.get_output().stdout);
    assert!(
        out.contains("1. env: error: HARMONY_CONFIG_app_Db does not hold valid JSON"),
        "{out}"
    );
    assert!(
        out.contains("2. sqlite (") && out.contains("shadowed"),
        "{out}"
    );
    let list = fx
        .cmd(&["list"])
        .env("HARMONY_CONFIG_app_Db", "{\"host\":")
        .assert()
        .success();
    assert!(
        text(&list.get_output().stdout).contains("error in env: "),
        "the other keys are still listed"
    );
    fx.cmd(&["get", "app.Db"])
        .env("HARMONY_CONFIG_app_Db", "{\"host\":")
        .assert()
        .code(2);
}

/// Right-to-left marks are ordinary in Hebrew and Arabic values; they, DEL and the C1
/// controls are escaped the JSON way in what `get` prints, so the output still parses to the
/// value stored, and none reaches the terminal as it is.
#[test]
fn get_prints_json_that_parses_back_to_a_value_with_marks_and_controls() {
    let fx = Fixture::new();
    let host = "\u{5e9}\u{5dc}\u{5d5}\u{5dd}\u{200f} \u{627}\u{644}\u{61c}\u{645} del\u{7f} c1\u{85}\u{9b} \u{202e}esc\u{1b}[2J";
    let value = serde_json::json!({"host": host, "port": 1, "password": "p\u{2066}w"});
    fx.cmd(&["set", "app.Db"])
        .write_stdin(value.to_string())
        .assert()
        .success();
    let raw = [
        '\u{200f}', '\u{61c}', '\u{7f}', '\u{85}', '\u{9b}', '\u{202e}', '\u{1b}', '\u{2066}',
    ];

    let human = fx
        .cmd(&["get", "app.Db", "--show-secrets"])
        .assert()
        .success();
    let stdout = text(&human.get_output().stdout);
    assert!(
        !stdout.contains(raw) && stdout.contains("\\u200f"),
        "{stdout:?}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(parsed, value);

    let json = fx
        .cmd(&[
            "--message-format",
            "json",
            "get",
            "app.Db",
            "--show-secrets",
        ])
        .assert()
        .success();
    let stdout = &json.get_output().stdout;
    assert!(!text(stdout).contains(raw), "{:?}", text(stdout));
    let messages = common::messages(stdout);
    assert!(
        matches!(&messages[..], [cargo_harmony::Message::Value { value: got, .. }] if got == &value),
        "{messages:?}"
    );
}

/// `HARMONY_LOG`, else `RUST_LOG`: an empty one counts as unset, as every variable does, and
/// one that does not parse is reported rather than ignored.
#[test]
fn an_empty_log_variable_counts_as_unset_and_a_bad_one_is_reported() {
    let fx = Fixture::new();
    let stderr = |env: &[(&str, &str)]| {
        let mut cmd = fx.cmd(&["list"]);
        cmd.env_remove("RUST_LOG");
        for (name, value) in env {
            cmd.env(name, value);
        }
        text(&cmd.assert().success().get_output().stderr)
    };
    let quiet = stderr(&[]);
    assert!(!quiet.contains("DEBUG"), "{quiet}");
    let empty = stderr(&[("HARMONY_LOG", ""), ("RUST_LOG", "debug")]);
    assert!(empty.contains("DEBUG cache: "), "{empty}");
    for name in ["HARMONY_LOG", "RUST_LOG"] {
        let bad = stderr(&[(name, "harmony_config=loudest")]);
        assert!(
            bad.contains(&format!("warning: {name}: "))
                && bad.contains("logging warnings only")
                && !bad.contains("DEBUG"),
            "{bad}"
        );
    }
}
