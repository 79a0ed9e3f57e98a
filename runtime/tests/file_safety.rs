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
use std::os::unix::process::CommandExt;
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
    let text = refusal(&shared.join("private").join("more").join("config.db")).await;
    assert!(
        text.contains(&format!(
            "the SQLite database's folder {}",
            shared.join("private").join("more").display()
        )) && text.contains("it does not exist yet")
            && text.contains(&format!("the folder above it, {}", shared.display()))
            && text.contains(&format!("chmod go-w {}", shared.display())),
        "{text}"
    );
    // Refused before anything was created in it.
    assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 0);
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

/// A link in a folder others may write to can be swapped for one to a folder of theirs,
/// however private the folder it points to now: refused, unless the folder is sticky and the
/// link this user's or root's, as the kernel's `protected_symlinks` has it.
#[tokio::test]
async fn a_link_others_could_swap_is_refused_though_its_target_is_private() {
    let nobody = nobody();
    let temp = tempfile::tempdir().unwrap();
    let private = temp.path().join("private");
    std::fs::create_dir(&private).unwrap();
    set_mode(&private, 0o700);
    let shared = temp.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    set_mode(&shared, 0o777);
    let link = shared.join("db");
    symlink(&private, &link).unwrap();
    let text = refusal(&link.join("config.db")).await;
    assert!(
        text.contains(&format!("the symbolic link {}", link.display()))
            && text.contains(&format!(
                "sits in {} (owner root (uid 0), mode 0777)",
                shared.display()
            ))
            && text.contains("HARMONY_DB"),
        "{text}"
    );
    assert_eq!(std::fs::read_dir(&private).unwrap().count(), 0);

    // Sticky, as /tmp is: only the link's owner may replace it, and that is this user.
    set_mode(&shared, 0o1777);
    SqliteSource::open(link.join("config.db")).await.unwrap();
    // Unless another user made the link.
    std::os::unix::fs::lchown(&link, Some(nobody), Some(nobody)).unwrap();
    let text = refusal(&link.join("config.db")).await;
    assert!(
        text.contains(&format!("the symbolic link {}", link.display())),
        "{text}"
    );
}

/// Group write is harmless in the owner's private group, the `umask 002` of many systems:
/// the group is found through the system's name service, and no other user is in it.
#[tokio::test]
async fn a_folder_its_group_may_write_to_is_trusted_only_in_the_owners_private_group() {
    let _ = nobody();
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("config");
    std::fs::create_dir(&dir).unwrap();
    chown(&dir, Some(0), Some(0)).unwrap();
    set_mode(&dir, 0o770);
    let sqlite = SqliteSource::open(dir.join("config.db")).await.unwrap();
    sqlite.set("k", &json!(1)).await.unwrap();
    drop(sqlite);
    // `nogroup`, or a group id no group has: not the owner's own.
    for gid in [65534, 4_242_424] {
        chown(&dir, None, Some(gid)).unwrap();
        let text = refusal(&dir.join("config.db")).await;
        assert!(
            text.contains(
                "other users may add, rename or replace files in it (owner root (uid 0), mode 0770)"
            ),
            "{gid}: {text}"
        );
    }
}

/// A relative `HARMONY_DB` puts the database in the working folder, which errors name.
#[test]
fn a_relative_database_names_the_working_folder_it_refuses() {
    if std::env::var_os(CHILD_MARK).is_some_and(|mark| mark == "relative") {
        let text = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(refusal(Path::new("config.db")));
        println!("refusal: {text}");
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("work");
    std::fs::create_dir(&dir).unwrap();
    set_mode(&dir, 0o777);
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "a_relative_database_names_the_working_folder_it_refuses",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD_MARK, "relative")
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "refusing the SQLite database's folder {}: other users may add",
            dir.display()
        )) && stdout.contains(&format!("chmod 700 {}", dir.display())),
        "{stdout}"
    );
}

/// Only a file's owner may change its mode: another user, here `nobody`, refused a 0777
/// folder root owns is told to use a folder of their own, not to run a `chmod` that would fail.
#[test]
fn the_fix_for_a_folder_this_user_cannot_chmod_is_a_folder_of_their_own() {
    if std::env::var_os(CHILD_MARK).is_some_and(|mark| mark == "not-owner") {
        let db = SqliteSource::default_path().unwrap();
        let text = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(refusal(&db));
        println!("refusal: {text}");
        return;
    }
    let nobody = nobody();
    let temp = tempfile::tempdir().unwrap();
    set_mode(temp.path(), 0o755);
    let shared = temp.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    set_mode(&shared, 0o777);
    // A copy `nobody` may run, wherever this build lives.
    let exe = temp.path().join("file_safety");
    std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    set_mode(&exe, 0o755);
    let output = Command::new(&exe)
        .args([
            "the_fix_for_a_folder_this_user_cannot_chmod_is_a_folder_of_their_own",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD_MARK, "not-owner")
        .env("HARMONY_DB", shared.join("config.db"))
        .current_dir(temp.path())
        .uid(nobody)
        .gid(nobody)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout
        .lines()
        .find(|line| line.starts_with("refusal: "))
        .unwrap_or_default();
    assert!(
        text.contains("(owner root (uid 0), mode 0777); only its owner, root (uid 0), may change its mode: set HARMONY_DB to a file in a folder of your own")
            && !text.contains("chmod"),
        "{stdout}"
    );
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
