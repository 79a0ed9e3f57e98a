//! The runtime's stores refuse exactly the keys that the naming crate, and so the derive,
//! refuses: a key that could never be derived can never be stored either.

use harmony_config::{ConfigError, ConfigSource, LocalFileSource};

const KEYS: &[&str] = &[
    "App",
    "myproj.DatabaseConfig",
    "custom.key-name",
    "a_b",
    "x9",
    "",
    ".",
    "..",
    ".hidden",
    "a/b",
    "../up",
    "a\\b",
    "a b",
    "clé",
    "a\0b",
    "tab\there",
    "ünï",
    "dots..inside",
    "trailing.",
];

#[tokio::test]
async fn stores_refuse_the_keys_the_naming_rules_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let files = LocalFileSource::new(dir.path());
    for key in KEYS {
        let runtime_refuses = matches!(files.get(key).await, Err(ConfigError::InvalidKey { .. }));
        let rules_refuse = harmony_config::naming::validate_key(key).is_err();
        assert_eq!(runtime_refuses, rules_refuse, "{key:?}");
    }
}
