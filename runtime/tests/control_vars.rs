//! Control variables stay out of the value namespace: the key `DB` reads its value from
//! `HARMONY_CONFIG_DB`, which once also set the database path, and the database path comes
//! from `HARMONY_DB`. Run in a child process, since it needs the real environment and the
//! default chain.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

use std::path::Path;
use std::process::Command;

use harmony_config::{Config, ConfigSource, SqliteSource};
use serde::{Deserialize, Serialize};

/// Set in the child's environment.
const CHILD_MARK: &str = "HARMONY_TEST_CONTROL_VARS_CHILD";

/// A config whose key is the old name of the database variable's suffix.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "DB")]
struct DbKey {
    host: String,
    #[config(secret)]
    password: String,
}

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "test.Other")]
struct Other {
    n: u32,
}

#[test]
fn the_key_db_reads_its_value_and_the_database_is_harmony_db() {
    if std::env::var(CHILD_MARK).as_deref() == Ok("read") {
        return child();
    }
    let temp = tempfile::tempdir().unwrap();
    let work = temp.path().join("work");
    let data_home = temp.path().join("data");
    let db = temp.path().join("store").join("config.db");
    std::fs::create_dir_all(&work).unwrap();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "the_key_db_reads_its_value_and_the_database_is_harmony_db",
            "--exact",
            "--nocapture",
        ])
        .current_dir(&work)
        .env(CHILD_MARK, "read")
        .env(
            "HARMONY_CONFIG_DB",
            r#"{"host": "db.example", "password": "hunter2"}"#,
        )
        .env("HARMONY_DB", &db)
        .env("XDG_DATA_HOME", &data_home)
        .env_remove("OPENBAO_URL")
        .env_remove("VAULT_ADDR")
        .output()
        .unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("child read host db.example"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");

    // Nothing appeared in the working directory, nor at the default path.
    assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0, "{shown}");
    assert!(!data_home.exists(), "{shown}");
    // The write went to the database at HARMONY_DB.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(stored_in(&db));
}

async fn stored_in(db: &Path) {
    let sqlite = SqliteSource::read_only(db);
    assert_eq!(
        sqlite.get(Other::KEY).await.unwrap(),
        Some(serde_json::json!({"n": 7}))
    );
    assert_eq!(sqlite.get(DbKey::KEY).await.unwrap(), None);
}

#[test]
fn an_old_database_path_is_ignored_with_a_warning_that_names_harmony_db() {
    if std::env::var(CHILD_MARK).as_deref() == Ok("old") {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .without_time()
            .init();
        return tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async { harmony_config::set(&Other { n: 7 }).await.unwrap() });
    }
    let temp = tempfile::tempdir().unwrap();
    let old = temp.path().join("old").join("config.db");
    let data_home = temp.path().join("data");
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "an_old_database_path_is_ignored_with_a_warning_that_names_harmony_db",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD_MARK, "old")
        .env("HARMONY_CONFIG_DB", &old)
        .env_remove("HARMONY_DB")
        .env("XDG_DATA_HOME", &data_home)
        .env_remove("OPENBAO_URL")
        .env_remove("VAULT_ADDR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr
            .matches("HARMONY_CONFIG_DB no longer moves the database")
            .count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("rename it to HARMONY_DB"), "{stderr}");
    assert!(!stderr.contains(&old.display().to_string()), "{stderr}");
    assert!(!old.exists());
    assert!(data_home.join("harmony/config/config.db").exists());
}

/// In the child: the default chain, from the environment the parent set.
fn child() {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let db: DbKey = harmony_config::get().await.unwrap();
            println!("child read host {}", db.host);
            harmony_config::set(&Other { n: 7 }).await.unwrap();
        });
}
