//! The example binary, run as a user would: the generated accessor resolves through the chain.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

use std::process::Command;

fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_example-accessors"))
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .envs(env.iter().copied())
        .current_dir(home.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[test]
fn lists_the_generated_registry() {
    let (ok, text) = run(&[], &[]);
    assert!(ok, "{text}");
    assert_eq!(
        text,
        "example.accessors.Server\tcrate::net::Server\tHARMONY_CONFIG_example_accessors_Server\tsrc/net.rs:11\n"
    );
}

#[test]
fn the_accessor_resolves_from_the_environment_with_defaults() {
    let value = r#"{"host": "db", "password": "hunter2"}"#;
    let (ok, text) = run(
        &["show"],
        &[("HARMONY_CONFIG_example_accessors_Server", value)],
    );
    assert!(ok, "{text}");
    assert_eq!(text, "server db:5432 (password: 7 characters)\n");
}

#[test]
fn a_missing_value_names_the_variable() {
    let (ok, text) = run(&["show"], &[]);
    assert!(!ok);
    assert!(
        text.contains("Set HARMONY_CONFIG_example_accessors_Server"),
        "{text}"
    );
}
