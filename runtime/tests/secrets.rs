//! Secret values never appear in an error's `Display` or `Debug`, even when they are the
//! reason for the error.

#![allow(clippy::unwrap_used, reason = "the helpers fail the test by panicking")]

use std::sync::Arc;

use harmony_config::{Config, ConfigError, ConfigManager, EnvSource, Secret, redact};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

const SECRET: &str = "hunter2";

/// A type whose own `Deserialize` quotes its input in its error, as careless code does.
#[derive(Serialize, schemars::JsonSchema, Debug)]
struct Loud(String);

impl<'de> Deserialize<'de> for Loud {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Err(serde::de::Error::custom(format!(
            "token {text} is not valid"
        )))
    }
}

#[derive(Serialize, Deserialize, schemars::JsonSchema, Debug)]
struct Creds {
    user: String,
    token: u32,
    loud: Option<Loud>,
}

#[derive(Serialize, Deserialize, schemars::JsonSchema, Debug)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Fast,
    Safe,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Debug)]
#[config(key = "test.Vault")]
#[serde(rename_all = "camelCase")]
struct Vault {
    host: Option<String>,
    #[config(secret)]
    pin_code: Option<u16>,
    #[config(secret)]
    creds: Option<Creds>,
    #[config(secret)]
    mode: Option<Mode>,
    api_key: Option<Secret<u32>>,
    loud_key: Option<Secret<Loud>>,
}

/// Resolves `value` from the environment and returns the error.
async fn error_for(value: Value) -> ConfigError {
    let text = value.to_string();
    let env = EnvSource::with_lookup(move |_| Some(text.clone()));
    ConfigManager::new(vec![Arc::new(env)])
        .get::<Vault>()
        .await
        .unwrap_err()
}

async fn assert_hidden(value: Value, path: &str) -> String {
    let error = error_for(value).await;
    let (shown, debug) = (error.to_string(), format!("{error:?}"));
    assert!(!shown.contains(SECRET), "Display leaks: {shown}");
    assert!(!debug.contains(SECRET), "Debug leaks: {debug}");
    assert!(
        shown.contains(&format!("at `{path}`")),
        "names the field: {shown}"
    );
    shown
}

#[tokio::test]
async fn secret_with_the_wrong_type() {
    let shown = assert_hidden(json!({ "pinCode": SECRET }), "pinCode").await;
    assert!(shown.contains("expected u16, found string"), "{shown}");
}

#[tokio::test]
async fn secret_subtree_with_the_wrong_type() {
    let shown = assert_hidden(
        json!({ "creds": { "user": "u", "token": SECRET } }),
        "creds",
    )
    .await;
    assert!(shown.contains("expected u32, found string"), "{shown}");
}

#[tokio::test]
async fn custom_message_inside_a_secret_subtree_is_withheld() {
    assert_hidden(
        json!({ "creds": { "user": "u", "token": 1, "loud": SECRET } }),
        "creds",
    )
    .await;
}

#[tokio::test]
async fn unknown_variant_of_a_secret_enum() {
    let shown = assert_hidden(json!({ "mode": SECRET }), "mode").await;
    assert!(shown.contains("unknown variant, expected"), "{shown}");
}

#[tokio::test]
async fn secret_wrapper_with_the_wrong_type() {
    let shown = assert_hidden(json!({ "apiKey": SECRET }), "apiKey").await;
    assert!(shown.contains("found string"), "{shown}");
}

#[tokio::test]
async fn secret_wrapper_withholds_custom_messages() {
    assert_hidden(json!({ "loudKey": SECRET }), "loudKey").await;
}

#[tokio::test]
async fn plain_fields_name_the_expected_type_without_the_value() {
    // serde's own message would be ``invalid type: integer `987654`, expected a string``.
    let error = error_for(json!({ "host": 987_654 })).await;
    let shown = error.to_string();
    assert!(
        !shown.contains("987654") && !format!("{error:?}").contains("987654"),
        "{shown}"
    );
    assert!(
        shown.contains("expected a string, found integer at `host`"),
        "{shown}"
    );
}

#[test]
fn secret_fields_use_wire_names() {
    assert_eq!(
        Vault::SECRET_FIELDS,
        ["pinCode", "creds", "mode", "apiKey", "loudKey"]
    );
}

#[test]
fn redact_hides_secret_fields_and_their_subtrees() {
    let value = json!({ "host": "h", "pinCode": 1234, "creds": { "user": "u", "token": 7 } });
    let shown = redact::redact(&value, Vault::SECRET_FIELDS);
    assert_eq!(
        shown,
        json!({ "host": "h", "pinCode": "<redacted>", "creds": "<redacted>" })
    );
}

#[test]
fn secret_wrapper_hides_debug_and_display_but_not_serde() {
    let vault = Vault {
        host: None,
        pin_code: None,
        creds: None,
        mode: Some(Mode::Fast),
        api_key: Some(Secret::new(424_242)),
        loud_key: None,
    };
    assert!(!format!("{vault:?}").contains("424242"));
    assert_eq!(Secret::new(SECRET).to_string(), "<redacted>");
    assert_eq!(serde_json::to_value(&vault).unwrap()["apiKey"], 424_242);
}

#[test]
fn secret_wrapper_schema_is_marked() {
    let schema = schemars::schema_for!(Secret<String>);
    assert_eq!(schema.get("writeOnly"), Some(&json!(true)));
    assert_eq!(
        schema.get(harmony_config::SECRET_SCHEMA_KEYWORD),
        Some(&json!(true))
    );
    assert_eq!(schema.get("type"), Some(&json!("string")));
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Debug)]
#[config(key = "test.Keys")]
struct Keys {
    #[config(secret)]
    tokens: Option<std::collections::HashMap<String, u16>>,
    wrapped: Option<Secret<std::collections::HashMap<String, u16>>>,
}

#[tokio::test]
async fn map_keys_below_a_secret_never_show_in_the_path() {
    for field in ["tokens", "wrapped"] {
        let text = json!({ field: { "sk-live-hunter2": "x" } }).to_string();
        let env = EnvSource::with_lookup(move |_| Some(text.clone()));
        let error = ConfigManager::new(vec![Arc::new(env)])
            .get::<Keys>()
            .await
            .unwrap_err();
        let (shown, debug) = (error.to_string(), format!("{error:?}"));
        assert!(
            !shown.contains(SECRET) && !debug.contains(SECRET),
            "{shown} / {debug}"
        );
        assert!(shown.ends_with(&format!("at `{field}`")), "{shown}");
    }
}
