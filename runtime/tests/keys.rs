//! The key rules exist twice, in the derive's codegen and in the runtime, because applications
//! compile only the runtime. These tests keep the two copies in agreement.

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
async fn codegen_and_runtime_refuse_the_same_keys() {
    let dir = tempfile::tempdir().unwrap();
    let files = LocalFileSource::new(dir.path());
    for key in KEYS {
        let runtime_refuses = matches!(files.get(key).await, Err(ConfigError::InvalidKey { .. }));
        let codegen_refuses = harmony_codegen::check::validate_key(key).is_err();
        assert_eq!(runtime_refuses, codegen_refuses, "{key:?}");
    }
}

#[test]
fn codegen_and_runtime_name_the_same_variables() {
    for key in KEYS {
        assert_eq!(
            harmony_codegen::emit::env_var_name(key),
            harmony_config::env_var_name(key),
            "{key:?}"
        );
    }
}
