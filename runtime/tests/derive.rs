//! Runtime tests of what `#[derive(Config)]` generates: `Config::KEY` and `Config::SECRET_FIELDS`.
//!
//! `SECRET_FIELDS` must list the names serde really uses on the wire, so most tests also check a
//! name against serde itself: a serialize name must appear in `serde_json::to_value`, and a
//! deserialize name must be accepted by `serde_json::from_value`.

use harmony_config::Config;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// `T::KEY` through a generic bound, which also proves the trait is implemented.
fn key_of<T: Config>() -> &'static str {
    T::KEY
}

/// `T::SECRET_FIELDS` through a generic bound.
fn secrets_of<T: Config>() -> &'static [&'static str] {
    T::SECRET_FIELDS
}

/// The keys of the JSON object `value` serializes to.
fn wire_keys<T: Serialize>(value: &T) -> Vec<String> {
    let value = serde_json::to_value(value).expect("serialize");
    let object = value
        .as_object()
        .expect("a config serializes to a JSON object");
    object.keys().cloned().collect()
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
struct Plain {
    host: String,
    port: u16,
}

#[test]
fn key_defaults_to_the_struct_name() {
    assert_eq!(Plain::KEY, "Plain");
    assert_eq!(key_of::<Plain>(), "Plain");
}

#[test]
fn no_secret_fields_without_the_attribute() {
    assert_eq!(secrets_of::<Plain>(), &[] as &[&str]);
    let plain = Plain {
        host: "localhost".into(),
        port: 5432,
    };
    assert_eq!(wire_keys(&plain), ["host", "port"]);
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[config(key = "myproj.Db")]
struct Database {
    url: String,
}

#[test]
fn key_attribute_sets_the_key() {
    assert_eq!(Database::KEY, "myproj.Db");
    assert_eq!(key_of::<Database>(), "myproj.Db");
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[config(key = "custom.key-name_2")]
struct EveryAllowedCharacter {
    value: String,
}

#[test]
fn key_may_use_letters_digits_dot_dash_and_underscore() {
    assert_eq!(EveryAllowedCharacter::KEY, "custom.key-name_2");
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
struct Ordered {
    #[config(secret)]
    zeta: String,
    host: String,
    #[config(secret)]
    alpha: String,
    port: u16,
    #[config(secret)]
    middle: String,
}

#[test]
fn secret_fields_are_in_declaration_order() {
    assert_eq!(Ordered::SECRET_FIELDS, ["zeta", "alpha", "middle"]);
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct CamelCase {
    host_name: String,
    #[config(secret)]
    api_token: String,
    #[config(secret)]
    db_password_hash: String,
}

#[test]
fn secret_fields_honour_rename_all() {
    assert_eq!(CamelCase::SECRET_FIELDS, ["apiToken", "dbPasswordHash"]);
    let value = CamelCase {
        host_name: String::new(),
        api_token: String::new(),
        db_password_hash: String::new(),
    };
    let keys = wire_keys(&value);
    for name in CamelCase::SECRET_FIELDS {
        assert!(keys.iter().any(|key| key == name), "{name} not in {keys:?}");
    }
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all(serialize = "camelCase", deserialize = "SCREAMING_SNAKE_CASE"))]
struct SplitRenameAll {
    #[config(secret)]
    api_token: String,
}

#[test]
fn secret_fields_list_both_names_of_a_split_rename_all() {
    assert_eq!(SplitRenameAll::SECRET_FIELDS, ["apiToken", "API_TOKEN"]);
    let value = SplitRenameAll {
        api_token: "t".into(),
    };
    assert_eq!(wire_keys(&value), ["apiToken"]);
    let read: SplitRenameAll =
        serde_json::from_value(json!({ "API_TOKEN": "t" })).expect("deserialize name");
    assert_eq!(read.api_token, "t");
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
struct Renamed {
    #[config(secret)]
    #[serde(rename = "TOKEN")]
    api_token: String,
    #[config(secret)]
    other_secret: String,
}

#[test]
fn field_rename_wins_over_rename_all() {
    assert_eq!(Renamed::SECRET_FIELDS, ["TOKEN", "other-secret"]);
    let value = Renamed {
        api_token: String::new(),
        other_secret: String::new(),
    };
    let mut keys = wire_keys(&value);
    keys.sort();
    assert_eq!(keys, ["TOKEN", "other-secret"]);
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
struct SplitRename {
    #[config(secret)]
    #[serde(rename(serialize = "written", deserialize = "read"))]
    password: String,
    #[config(secret)]
    #[serde(rename(serialize = "only_written"))]
    token: String,
}

#[test]
fn split_rename_lists_both_names() {
    assert_eq!(
        SplitRename::SECRET_FIELDS,
        ["written", "read", "only_written", "token"]
    );
    let value = SplitRename {
        password: "p".into(),
        token: "t".into(),
    };
    let mut keys = wire_keys(&value);
    keys.sort();
    assert_eq!(keys, ["only_written", "written"]);
    let read: SplitRename =
        serde_json::from_value(json!({ "read": "p", "token": "t" })).expect("deserialize names");
    assert_eq!((read.password.as_str(), read.token.as_str()), ("p", "t"));
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
struct Aliased {
    #[config(secret)]
    #[serde(alias = "pass", alias = "pwd")]
    password: String,
    #[config(secret)]
    #[serde(alias = "token")]
    token: String,
    #[serde(alias = "server")]
    host: String,
}

#[test]
fn aliases_of_secret_fields_are_listed_once_each() {
    assert_eq!(Aliased::SECRET_FIELDS, ["password", "pass", "pwd", "token"]);
    let read: Aliased = serde_json::from_value(json!({ "pwd": "p", "token": "t", "server": "h" }))
        .expect("deserialize an alias");
    assert_eq!(read.password, "p");
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
struct Skipped {
    #[config(secret)]
    #[serde(skip)]
    cached_token: String,
    #[config(secret)]
    password: String,
    #[config(secret)]
    #[serde(skip_serializing)]
    write_only: String,
}

#[test]
fn skipped_secret_fields_are_excluded() {
    // `skip` means the field is never stored; `skip_serializing` still reads it from a store.
    assert_eq!(Skipped::SECRET_FIELDS, ["password", "write_only"]);
    let value = Skipped {
        cached_token: "c".into(),
        password: "p".into(),
        write_only: "w".into(),
    };
    assert_eq!(wire_keys(&value), ["password"]);
    let read: Skipped = serde_json::from_value(
        json!({ "cached_token": "ignored", "password": "p", "write_only": "w" }),
    )
    .expect("deserialize");
    assert_eq!(read.cached_token, "", "a skipped field is never read");
    assert_eq!(
        read.write_only, "w",
        "a skip_serializing field is still read"
    );
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
struct RawIdentifiers {
    #[config(secret)]
    r#type: String,
    r#match: String,
    #[config(secret)]
    r#ref: String,
}

#[test]
fn raw_identifiers_are_unraw() {
    assert_eq!(RawIdentifiers::SECRET_FIELDS, ["type", "ref"]);
    let value = RawIdentifiers {
        r#type: String::new(),
        r#match: String::new(),
        r#ref: String::new(),
    };
    let mut keys = wire_keys(&value);
    keys.sort();
    assert_eq!(keys, ["match", "ref", "type"]);
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
struct r#Raw {
    value: String,
}

#[test]
fn raw_struct_name_is_unraw_in_the_key() {
    assert_eq!(Raw::KEY, "Raw");
}

/// A documented config. Doc text that looks like an attribute must not be read as one:
/// `#[config(key = "not.this")]`, `#[config(secret)]`, `#[serde(rename = "nope")]`.
///
/// A "quoted" line, and one with a trailing backslash \
#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[doc = "An attribute-form doc line."]
struct Documented {
    /// The host. `#[config(secret)]` in a doc comment is only text.
    host: String,
    /** A block doc comment on a secret field. */
    #[config(secret)]
    /// A doc comment after the attribute.
    password: String,
}

#[test]
fn doc_comments_do_not_change_the_output() {
    assert_eq!(Documented::KEY, "Documented");
    assert_eq!(Documented::SECRET_FIELDS, ["password"]);
}

#[derive(Serialize, Deserialize, JsonSchema, Default)]
struct Inner {
    user: String,
    password: String,
}

fn default_port() -> u16 {
    5432
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a config object")]
#[config(key = "myproj.Other")]
struct OtherSerdeAttributes {
    #[serde(default = "default_port")]
    port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[config(secret)]
    api_key: Option<String>,
    #[config(secret)]
    #[serde(default)]
    nested_login: Inner,
    #[serde(flatten)]
    extra: std::collections::BTreeMap<String, Value>,
}

#[test]
fn other_serde_attributes_are_skipped() {
    assert_eq!(OtherSerdeAttributes::KEY, "myproj.Other");
    assert_eq!(
        OtherSerdeAttributes::SECRET_FIELDS,
        ["apiKey", "nestedLogin"]
    );
    let read: OtherSerdeAttributes = serde_json::from_value(
        json!({ "apiKey": "k", "nestedLogin": { "user": "u", "password": "p" } }),
    )
    .expect("deserialize");
    assert_eq!(read.port, 5432);
    assert_eq!(read.api_key.as_deref(), Some("k"));
    assert!(read.extra.is_empty());
}

#[derive(Serialize, Deserialize, JsonSchema)]
struct Manual {
    host: String,
    password: String,
}

impl harmony_config::Config for Manual {
    const KEY: &'static str = "Manual";
}

#[test]
fn a_hand_written_impl_has_no_secret_fields() {
    assert_eq!(key_of::<Manual>(), "Manual");
    assert!(Manual::SECRET_FIELDS.is_empty());
    assert!(secrets_of::<Manual>().is_empty());
}
