//! Several OS processes on one database. The test binary re-runs itself as each child: a
//! child sees `CHILD_DB` in its environment and acts instead of orchestrating.

#![allow(
    clippy::unwrap_used,
    reason = "the orchestration helpers fail the test by panicking"
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use harmony_config::{ConfigSource, SqliteSource};
use serde_json::json;

const CHILD_DB: &str = "HARMONY_TEST_CHILD_DB";
const CHILD_ID: &str = "HARMONY_TEST_CHILD_ID";
const CHILD_START_MS: &str = "HARMONY_TEST_CHILD_START_MS";
const WRITES: usize = 250;
const OPENERS: usize = 6;

/// Runs `test` again in `count` child processes, released together at one instant.
fn spawn_children(test: &str, db: &Path, count: usize) -> Vec<Child> {
    let start = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + Duration::from_millis(700);
    (0..count)
        .map(|id| {
            Command::new(std::env::current_exe().unwrap())
                .args([test, "--exact", "--nocapture", "--test-threads=1"])
                .env(CHILD_DB, db)
                .env(CHILD_ID, id.to_string())
                .env(CHILD_START_MS, start.as_millis().to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect()
}

/// Waits for every child; returns their combined output and fails on any failure.
fn wait_all(children: Vec<Child>) -> String {
    let mut output = String::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "a child failed:\n{text}");
        output.push_str(&text);
    }
    output
}

/// In a child: the database path and id, after waiting for the common start instant.
fn as_child() -> Option<(PathBuf, usize)> {
    let db = std::env::var_os(CHILD_DB)?;
    let id = std::env::var(CHILD_ID).unwrap().parse().unwrap();
    let start: u128 = std::env::var(CHILD_START_MS).unwrap().parse().unwrap();
    while SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        < start
    {
        std::hint::spin_loop();
    }
    Some((PathBuf::from(db), id))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn four_processes_writing_at_once_lose_nothing() {
    if let Some((db, id)) = as_child() {
        runtime().block_on(async {
            let sqlite = SqliteSource::open(&db).await.unwrap();
            for i in 0..WRITES {
                sqlite
                    .set(&format!("writer{id}.k{i}"), &json!({ "id": id, "i": i }))
                    .await
                    .unwrap();
            }
        });
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("config.db");
    let output = wait_all(spawn_children(
        "four_processes_writing_at_once_lose_nothing",
        &db,
        4,
    ));
    assert!(!output.contains("locked"), "{output}");
    runtime().block_on(async {
        let sqlite = SqliteSource::open(&db).await.unwrap();
        for id in 0..4 {
            for i in 0..WRITES {
                let value = sqlite.get(&format!("writer{id}.k{i}")).await.unwrap();
                assert_eq!(
                    value,
                    Some(json!({ "id": id, "i": i })),
                    "writer {id}, write {i}"
                );
            }
        }
    });
}

#[test]
fn processes_opening_one_new_database_together_all_succeed() {
    if let Some((db, id)) = as_child() {
        runtime().block_on(async {
            let sqlite = SqliteSource::open(&db).await.unwrap();
            sqlite
                .set(&format!("opener{id}"), &json!({ "id": id }))
                .await
                .unwrap();
        });
        return;
    }
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new").join("config.db");
        wait_all(spawn_children(
            "processes_opening_one_new_database_together_all_succeed",
            &db,
            OPENERS,
        ));
        runtime().block_on(async {
            let sqlite = SqliteSource::open(&db).await.unwrap();
            for id in 0..OPENERS {
                assert_eq!(
                    sqlite.get(&format!("opener{id}")).await.unwrap(),
                    Some(json!({ "id": id })),
                    "round {round}"
                );
            }
        });
    }
}
