//! `EnvSource` through its injectable lookup: no test touches the process environment.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::{Server, TempStore};
use harmony_config::{
    ConfigError, ConfigManager, ConfigSource, EnvSource, SqliteSource, env_var_name,
};
use serde_json::json;

fn env(vars: &[(&str, &str)]) -> impl ConfigSource + use<> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    EnvSource::with_lookup(move |name| vars.get(name).cloned())
}

#[test]
fn variable_names_replace_every_character_outside_the_safe_set() {
    assert_eq!(
        env_var_name("custom.key-name"),
        "HARMONY_CONFIG_custom_key_name"
    );
    assert_eq!(
        env_var_name("BrocadeSwitchAuth"),
        "HARMONY_CONFIG_BrocadeSwitchAuth"
    );
    assert_eq!(env_var_name("a/b\0c é"), "HARMONY_CONFIG_a_b_c__");
}

#[tokio::test]
async fn reads_the_whole_value_as_json() {
    let source = env(&[("HARMONY_CONFIG_custom_key_name", r#"{"a": [1, 2]}"#)]);
    assert_eq!(
        source.get("custom.key-name").await.unwrap(),
        Some(json!({"a": [1, 2]}))
    );
    assert_eq!(source.get("other").await.unwrap(), None);
}

#[tokio::test]
async fn malformed_json_names_the_variable_and_position() {
    let source = env(&[(
        "HARMONY_CONFIG_App",
        "{\"host\": \"x\",\n \"password\": hunter2}",
    )]);
    let error = source.get("App").await.unwrap_err();
    let ConfigError::Parse {
        origin,
        line,
        column,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(origin, "HARMONY_CONFIG_App");
    assert_eq!((*line, *column), (2, 14));
    let message = error.to_string();
    assert!(
        message.starts_with("HARMONY_CONFIG_App does not hold valid JSON: "),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[tokio::test]
async fn is_read_only_and_never_persists() {
    let source = env(&[]);
    assert!(!source.should_persist());
    assert!(matches!(
        source.set("App", &json!({})).await,
        Err(ConfigError::ReadOnly { .. })
    ));
    assert!(matches!(
        source.unset("App").await,
        Err(ConfigError::ReadOnly { .. })
    ));
    assert!(!EnvSource.should_persist());
}

#[tokio::test]
async fn env_overrides_sqlite() {
    let store = TempStore::new();
    let sqlite = common::sqlite_with_sample(&store).await;
    let from_env = Server {
        host: "env-host".to_owned(),
        ..Server::sample()
    };
    let manager = ConfigManager::new(vec![
        Arc::new(env(&[(
            "HARMONY_CONFIG_test_Server",
            &serde_json::to_string(&from_env).unwrap(),
        )])),
        Arc::new(sqlite),
    ]);
    assert_eq!(manager.get::<Server>().await.unwrap(), from_env);
}

#[tokio::test]
async fn sqlite_answers_when_env_is_unset() {
    let store = TempStore::new();
    let sqlite = SqliteSource::open(store.db()).await.unwrap();
    let manager = ConfigManager::new(vec![Arc::new(env(&[])), Arc::new(sqlite)]);
    manager.set(&Server::sample()).await.unwrap();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
}

#[tokio::test]
async fn a_value_that_is_not_an_object_is_refused() {
    // serde would read the struct from this array; a config value is always an object.
    let manager = ConfigManager::new(vec![Arc::new(env(&[(
        "HARMONY_CONFIG_test_Server",
        r#"["db.example.com", 5432, "pw"]"#,
    )]))]);
    let message = manager.get::<Server>().await.unwrap_err().to_string();
    assert_eq!(
        message,
        "`test.Server` from env (HARMONY_CONFIG_test_Server): expected a JSON object, found an array"
    );
}

#[tokio::test]
async fn values_at_the_os_limit_are_read() {
    let big = "x".repeat(128 * 1024 - 64);
    let text = serde_json::to_string(&json!({ "host": big, "port": 1, "password": "p" })).unwrap();
    let manager = ConfigManager::new(vec![Arc::new(env(&[(
        "HARMONY_CONFIG_test_Server",
        &text,
    )]))]);
    assert_eq!(manager.get::<Server>().await.unwrap().host.len(), big.len());
}

/// serde skips an unknown field without minding its depth; the depth limit still applies, with
/// the error every other reader gives.
#[tokio::test]
async fn a_value_nested_too_deep_is_refused_like_everywhere_else() {
    let deep = format!(
        r#"{{"host": "h", "port": 1, "password": "p", "extra": {}{}}}"#,
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let manager = ConfigManager::new(vec![Arc::new(env(&[(
        "HARMONY_CONFIG_test_Server",
        deep.as_str(),
    )]))]);
    let error = manager.get::<Server>().await.unwrap_err().to_string();
    assert!(
        error.starts_with(
            "HARMONY_CONFIG_test_Server holds JSON that nests arrays and objects deeper than 100 levels, harmony_config's limit, at line 1, column"
        ),
        "{error}"
    );
}
