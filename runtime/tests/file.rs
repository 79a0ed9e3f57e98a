//! `LocalFileSource` against real files in temporary directories.

mod common;

use common::mode;
use harmony_config::{ConfigError, ConfigSource, LocalFileSource};
use serde_json::json;

#[tokio::test]
async fn writes_json_atomically_with_private_modes() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let source = LocalFileSource::new(&store);
    source.set("App", &json!({"port": 1})).await.unwrap();
    let path = store.join("App.json");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&path).unwrap())
            .unwrap(),
        json!({"port": 1})
    );
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&store), 0o700);
    assert_eq!(
        std::fs::read_dir(&store).unwrap().count(),
        1,
        "no temporary file is left behind"
    );
    assert_eq!(source.get("App").await.unwrap(), Some(json!({"port": 1})));
    assert_eq!(source.get("Other").await.unwrap(), None);
}

#[tokio::test]
async fn prefers_toml_and_keeps_its_format_on_set() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("App.toml"), "host = \"a\"\nport = 1\n").unwrap();
    std::fs::write(dir.path().join("App.json"), r#"{"host": "json"}"#).unwrap();
    let source = LocalFileSource::new(dir.path());
    assert_eq!(
        source.get("App").await.unwrap(),
        Some(json!({"host": "a", "port": 1}))
    );

    source
        .set("App", &json!({"host": "b", "port": 2}))
        .await
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join("App.toml")).unwrap();
    assert!(text.contains("host = \"b\""), "{text}");
    assert_eq!(
        source.get("App").await.unwrap(),
        Some(json!({"host": "b", "port": 2}))
    );
}

#[tokio::test]
async fn toml_errors_give_position_without_quoting_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("App.toml"),
        "host = \"a\"\npassword = hunter2\n",
    )
    .unwrap();
    let error = LocalFileSource::new(dir.path())
        .get("App")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::Parse {
                format: "TOML",
                line: 2,
                column: 12,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert!(!format!("{error:?}").contains("hunter2"), "{error:?}");
}

#[tokio::test]
async fn keys_that_could_escape_the_directory_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("inner");
    let source = LocalFileSource::new(&inner);
    for key in [
        "../evil",
        "a/b",
        "/etc/passwd",
        "..",
        ".hidden",
        "",
        "a\0b",
        "a\\b",
    ] {
        assert!(
            matches!(source.get(key).await, Err(ConfigError::InvalidKey { .. })),
            "get {key:?}"
        );
        assert!(
            matches!(
                source.set(key, &json!({})).await,
                Err(ConfigError::InvalidKey { .. })
            ),
            "set {key:?}"
        );
        assert!(
            matches!(source.unset(key).await, Err(ConfigError::InvalidKey { .. })),
            "unset {key:?}"
        );
    }
    assert!(!inner.exists(), "nothing was written");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn unset_removes_either_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("App.toml"), "port = 1\n").unwrap();
    let source = LocalFileSource::new(dir.path());
    source.unset("App").await.unwrap();
    assert_eq!(source.get("App").await.unwrap(), None);
}

#[tokio::test]
async fn toml_round_trips_what_toml_can_hold_and_refuses_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("App.toml"),
        "since = 1979-05-27T07:32:00Z\n",
    )
    .unwrap();
    let source = LocalFileSource::new(dir.path());
    assert_eq!(
        source.get("App").await.unwrap(),
        Some(json!({"since": "1979-05-27T07:32:00Z"}))
    );

    // A `None` field is left out, and serde reads it back as `None`.
    source
        .set("App", &json!({"host": "a", "proxy": null, "ports": [1, 2]}))
        .await
        .unwrap();
    assert_eq!(
        source.get("App").await.unwrap(),
        Some(json!({"host": "a", "ports": [1, 2]}))
    );

    let error = source
        .set("App", &json!({"big": u64::MAX}))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("`big`"), "{error}");
    let error = source
        .set("App", &json!({"list": [1, null]}))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("`list[1]`"), "{error}");
    assert_eq!(
        source.get("App").await.unwrap(),
        Some(json!({"host": "a", "ports": [1, 2]})),
        "a refused write changes nothing"
    );
}
