//! Several OS processes on one database. The test binary re-runs itself as each child (see
//! `common::children`).

#![allow(
    clippy::unwrap_used,
    reason = "the orchestration helpers fail the test by panicking"
)]

mod common;

use common::children::{as_child, runtime, spawn_children, wait_all};
use harmony_config::{ConfigSource, SqliteSource};
use serde_json::json;

const WRITES: usize = 250;
const OPENERS: usize = 6;

/// The arguments that make the test binary run only `test`, as a child.
fn only(test: &str) -> [&str; 4] {
    [test, "--exact", "--nocapture", "--test-threads=1"]
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
        &only("four_processes_writing_at_once_lose_nothing"),
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
            &only("processes_opening_one_new_database_together_all_succeed"),
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
