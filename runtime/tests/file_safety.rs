//! The SQLite store on a shared machine: it refuses a database, folder, lock file or WAL file
//! that another user owns or may write to, never follows a symbolic link to create a file,
//! and creates its own files 0600 in a 0700 folder whatever the umask. Real files; the other
//! user is `nobody`, which needs root (CI runs as root).

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failed step fails the test"
)]

use std::os::unix::fs::{MetadataExt, PermissionsExt, chown, symlink};
use std::path::Path;
use std::process::Command;

use harmony_config::{ConfigError, ConfigSource, SqliteSource};
use serde_json::json;

/// Set in the child that runs under an unusual umask.
const CHILD_MARK: &str = "HARMONY_TEST_FILE_SAFETY_CHILD";

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

/// The uid of `nobody`, the other user; this process must be root to give it files.
fn nobody() -> u32 {
    let me = std::fs::metadata("/proc/self").unwrap().uid();
    assert_eq!(
        me, 0,
        "these cases give files to `nobody`, which needs root; run the tests as root (CI does)"
    );
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    passwd
        .lines()
        .find_map(|line| {
            let mut fields = line.split(':');
            (fields.next() == Some("nobody")).then(|| fields.nth(1)?.parse().ok())?
        })
        .expect("a user `nobody` in /etc/passwd")
}

async fn refusal(db: &Path) -> String {
    match SqliteSource::open(db).await {
        Err(error @ ConfigError::UnsafePath { .. }) => error.to_string(),
        Err(other) => panic!("refused for another reason: {other}"),
        Ok(_) => panic!("{} was opened", db.display()),
    }
}

#[tokio::test]
async fn a_folder_others_may_write_to_is_refused_and_nothing_is_written() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("config");
    std::fs::create_dir(&dir).unwrap();
    set_mode(&dir, 0o777);
    let db = dir.join("config.db");
    let text = refusal(&db).await;
    assert!(
        text.contains(&format!("the SQLite database's folder {}", dir.display()))
            && text.contains("mode 0777")
            && text.contains(&format!("chmod 700 {}", dir.display()))
            && text.contains("HARMONY_DB"),
        "{text}"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // A read-only source, as `cargo harmony get` uses, refuses it as well.
    std::fs::write(&db, b"").unwrap();
    set_mode(&db, 0o600);
    let read = SqliteSource::read_only(&db).get("k").await;
    assert!(
        matches!(read, Err(ConfigError::UnsafePath { .. })),
        "{read:?}"
    );
}

#[tokio::test]
async fn a_database_another_user_planted_is_refused_untouched() {
    let nobody = nobody();
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("config");
    std::fs::create_dir(&dir).unwrap();
    set_mode(&dir, 0o700);
    let db = dir.join("config.db");
    std::fs::write(&db, b"").unwrap();
    chown(&db, Some(nobody), Some(nobody)).unwrap();
    set_mode(&db, 0o666);
    let text = refusal(&db).await;
    assert!(
        text.contains("the SQLite database ")
            && text.contains(&format!("it belongs to nobody (uid {nobody})"))
            && text.contains("move it aside"),
        "{text}"
    );
    assert_eq!(
        std::fs::metadata(&db).unwrap().len(),
        0,
        "nothing was written"
    );
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    files.sort();
    assert_eq!(files, ["config.db"], "no lock or WAL file appeared");

    // Its own file but writable by others: the same.
    chown(&db, Some(0), Some(0)).unwrap();
    let text = refusal(&db).await;
    assert!(
        text.contains("other users may write to it (owner root (uid 0), mode 0666)"),
        "{text}"
    );

    // A lock file, or a rollback journal, another user planted beside a sound database.
    set_mode(&db, 0o600);
    for planted in ["config.db.lock", "config.db-journal"] {
        let file = dir.join(planted);
        std::fs::write(&file, b"").unwrap();
        chown(&file, Some(nobody), Some(nobody)).unwrap();
        let text = refusal(&db).await;
        assert!(
            text.contains(&file.display().to_string()) && text.contains("it belongs to nobody"),
            "{planted}: {text}"
        );
        std::fs::remove_file(&file).unwrap();
    }
}

#[tokio::test]
async fn a_folder_above_that_others_may_replace_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let shared = temp.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    set_mode(&shared, 0o777);
    let text = refusal(&shared.join("private").join("config.db")).await;
    assert!(
        text.contains(&format!("the folder above it, {}", shared.display())),
        "{text}"
    );
    // With the sticky bit, as /tmp has it, others cannot rename what they do not own.
    set_mode(&shared, 0o1777);
    SqliteSource::open(shared.join("private").join("config.db"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_folder_linked_to_another_users_shared_folder_is_refused() {
    let nobody = nobody();
    let temp = tempfile::tempdir().unwrap();
    let theirs = temp.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    chown(&theirs, Some(nobody), Some(nobody)).unwrap();
    set_mode(&theirs, 0o777);
    let link = temp.path().join("config");
    symlink(&theirs, &link).unwrap();
    let text = refusal(&link.join("config.db")).await;
    assert!(text.contains("it belongs to nobody"), "{text}");
    assert_eq!(std::fs::read_dir(&theirs).unwrap().count(), 0);
}

#[tokio::test]
async fn a_link_to_a_missing_file_is_never_followed_to_create_it() {
    for name in ["config.db", "config.db.lock"] {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("config");
        std::fs::create_dir(&dir).unwrap();
        set_mode(&dir, 0o700);
        let target = temp.path().join("elsewhere").join("planted");
        std::fs::create_dir(target.parent().unwrap()).unwrap();
        symlink(&target, dir.join(name)).unwrap();
        let text = refusal(&dir.join("config.db")).await;
        assert!(
            text.contains(&format!("a symbolic link to {}", target.display()))
                && text.contains("remove the link"),
            "{name}: {text}"
        );
        assert!(!target.exists(), "{name}: the target was created");
    }
}

#[test]
fn what_the_store_creates_is_private_whatever_the_umask() {
    if let Ok(db) = std::env::var(CHILD_MARK) {
        return tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let sqlite = SqliteSource::open(&db).await.unwrap();
                sqlite.set("k", &json!({ "v": 1 })).await.unwrap();
            });
    }
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("a").join("b").join("config.db");
    let exe = std::env::current_exe().unwrap();
    // A umask that takes the owner's write bit away: the folder would be created 0500, and
    // nothing could then be created inside it.
    let status = Command::new("sh")
        .args(["-c", r#"umask 0277 && exec "$0" "$@""#])
        .arg(&exe)
        .args([
            "what_the_store_creates_is_private_whatever_the_umask",
            "--exact",
            "--test-threads=1",
        ])
        .env(CHILD_MARK, &db)
        .status()
        .unwrap();
    assert!(status.success());
    for dir in [db.parent().unwrap(), db.parent().unwrap().parent().unwrap()] {
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
    }
    for file in std::fs::read_dir(db.parent().unwrap()).unwrap() {
        let path = file.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}
