//! Bad database files: corrupt, truncated and read-only. Each is opened in a child process
//! that then writes a row and reads every row; the first error must name the file and a fix and
//! quote no stored value, and the file must keep its bytes and mtime, with no journal left
//! beside it. `runtime/tests/sqlite.rs` covers a file of pure garbage and a newer schema.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use harmony_config::{ConfigError, ConfigSource, SqliteSource};
use serde_json::json;

use crate::common::children::{child_command, runtime};
use crate::common::execute_raw;
use crate::report::{Case, Outcome, Tally};

pub(crate) const CORRUPT: Case = Case::new("sqlite: corrupt files", corrupt);
pub(crate) const TRUNCATED: Case = Case::new("sqlite: truncated files", truncated);
pub(crate) const READ_ONLY: Case = Case::new("sqlite: read-only files", read_only);
pub(crate) const ROLE: &str = "open";

const ROWS: usize = 200;
const PAGE: usize = 4096;
/// Part of every stored value; no error may quote it.
const SECRET: &str = "s3cr3t-stored-value";
/// Every fix the errors give mentions the variable that moves the database elsewhere.
const FIX: &str = "HARMONY_DB";

fn row_key(i: usize) -> String {
    format!("reliability.row{i}")
}

/// In a child: opens the database, writes a row and reads every row, and prints `ok` or
/// `err MESSAGE` for the first error.
pub(crate) fn child(db: &Path, _: usize) {
    let result: Result<(), ConfigError> = runtime().block_on(async {
        let sqlite = SqliteSource::open(db).await?;
        sqlite
            .set("reliability.new", &json!({ "new": true }))
            .await?;
        for i in 0..ROWS {
            sqlite.get(&row_key(i)).await?;
        }
        Ok(())
    });
    match result {
        Ok(()) => println!("ok"),
        Err(e) => println!("err {}", e.to_string().replace('\n', " ")),
    }
}

/// The bytes of a valid database of `SqliteSource`'s making, in WAL mode, with [`ROWS`] rows
/// over a few dozen pages, all checkpointed into the main file.
fn valid_db() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("config.db");
        runtime().block_on(async {
            let sqlite = SqliteSource::open(&db).await.unwrap();
            for i in 0..ROWS {
                let value = json!({ "i": i, "password": SECRET, "pad": "p".repeat(400) });
                sqlite.set(&row_key(i), &value).await.unwrap();
            }
            execute_raw(&db, "PRAGMA wal_checkpoint(TRUNCATE)").await;
        });
        let bytes = std::fs::read(&db).unwrap();
        assert_eq!(
            (bytes[18], bytes[19]),
            (2, 2),
            "the database is in WAL mode"
        );
        assert!(bytes.len() >= 16 * PAGE, "{} bytes", bytes.len());
        bytes
    })
}

fn garbage(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 16).to_le_bytes()[0])
        .collect()
}

fn zeroes(len: usize) -> Vec<u8> {
    vec![0; len]
}

/// `valid` with pages `pages` (1-based) replaced by `fill`'s bytes.
fn with_pages(pages: std::ops::RangeInclusive<usize>, fill: fn(usize) -> Vec<u8>) -> Vec<u8> {
    let mut bytes = valid_db().to_vec();
    for page in pages {
        bytes[(page - 1) * PAGE..page * PAGE].copy_from_slice(&fill(PAGE));
    }
    bytes
}

fn corrupt() -> Outcome {
    let valid = valid_db();
    let header_then_garbage = [&valid[..100], &garbage(valid.len() - 100)[..]].concat();
    // A single damaged page in the middle, a table leaf, is one that a write to another key
    // does not touch: SQLite writes around it, then fails only on its rows.
    let middle = valid.len() / PAGE / 2;
    let files: [(&str, Vec<u8>); 5] = [
        ("a SQLite header, then garbage", header_then_garbage),
        (
            "pages 3 to 5 overwritten with garbage",
            with_pages(3..=5, garbage),
        ),
        ("pages 2 to 4 zeroed", with_pages(2..=4, zeroes)),
        (
            "a page in the middle overwritten with garbage",
            with_pages(middle..=middle, garbage),
        ),
        (
            "a page in the middle zeroed",
            with_pages(middle - 2..=middle - 2, zeroes),
        ),
    ];
    bad_files(&files)
}

fn truncated() -> Outcome {
    let valid = valid_db();
    let half = valid.len() / 2;
    let files: [(&str, Vec<u8>); 4] = [
        ("cut in half, at a page boundary", valid[..half].to_vec()),
        ("cut mid-page", valid[..half + 1000].to_vec()),
        ("cut to its 100-byte header", valid[..100].to_vec()),
        ("cut to 10 bytes", valid[..10].to_vec()),
    ];
    bad_files(&files)
}

/// Tries each file in a fresh directory.
fn bad_files(files: &[(&str, Vec<u8>)]) -> Outcome {
    let mut tally = Tally::new("files");
    for (what, bytes) in files {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("config.db");
        std::fs::write(&db, bytes).unwrap();
        tally.tried(1);
        try_file(what, &db, bytes, &[], &mut tally);
    }
    Outcome::Ran(tally)
}

/// Runs the child on `db` and checks its error, then the file.
fn try_file(what: &str, db: &Path, bytes: &[u8], wrapper: &[&str], tally: &mut Tally) {
    let modified = std::fs::metadata(db).unwrap().modified().unwrap();
    let out = child_command(wrapper, &[ROLE], db, 0, 0).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let path = db.display().to_string();
    match stdout.lines().last() {
        Some(line) if line.starts_with("err ") => {
            let message = &line[4..];
            tally.check(message.contains(&path), || {
                format!("{what}: the error does not name the file: {message}")
            });
            tally.check(message.contains(FIX), || {
                format!("{what}: the error gives no fix: {message}")
            });
            tally.check(!message.contains(SECRET), || {
                format!("{what}: the error quotes a stored value: {message}")
            });
            tally.note(format!("{what}: {message}"));
        }
        Some("ok") => tally.error(format!("{what}: no error; the damage went unnoticed")),
        _ => tally.error(format!(
            "{what}: the child failed ({}): {stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )),
    }
    let after = std::fs::read(db).unwrap_or_default();
    tally.check(after == bytes, || {
        format!("{what}: the file's bytes changed")
    });
    tally.check(
        std::fs::metadata(db).unwrap().modified().unwrap() == modified,
        || format!("{what}: the file's mtime changed"),
    );
    for suffix in ["-wal", "-journal"] {
        let sidecar = PathBuf::from(format!("{path}{suffix}"));
        let len = std::fs::metadata(&sidecar).map_or(0, |m| m.len());
        tally.check(len == 0, || {
            format!("{what}: {} holds {len} bytes", sidecar.display())
        });
    }
}

/// Whether this process is root, which file permissions do not stop.
fn is_root(dir: &Path) -> bool {
    let probe = dir.join("uid-probe");
    std::fs::write(&probe, b"").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(probe).unwrap();
    uid == 0
}

/// Runs `sh -c SCRIPT ARG` through `wrapper`: whether it succeeded, and its stderr or why it
/// did not start.
fn sh_through(wrapper: &[&str], script: &str, arg: &Path) -> (bool, String) {
    let mut command = Command::new(wrapper.first().copied().unwrap_or("sh"));
    if !wrapper.is_empty() {
        command.args(&wrapper[1..]).arg("sh");
    }
    match command.args(["-c", script]).arg(arg).output() {
        Ok(out) => (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ),
        Err(e) => (false, e.to_string()),
    }
}

/// Checks that `wrapper` runs, and can run this test binary, but cannot write `path` (opening
/// for append, which changes nothing); otherwise says why the case cannot run here.
fn ensure_unwritable(wrapper: &[&str], path: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().unwrap();
    let (works, why) = sh_through(wrapper, r#"test -x "$0""#, &exe);
    if !works {
        return Err(format!(
            "`{}` cannot run {} here{}",
            wrapper.join(" "),
            exe.display(),
            if why.is_empty() {
                String::new()
            } else {
                format!(": {why}")
            }
        ));
    }
    match sh_through(wrapper, r#": >> "$0""#, path) {
        (true, _) => Err(format!(
            "{} is still writable through `{}`",
            path.display(),
            wrapper.join(" ")
        )),
        (false, _) => Ok(()),
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Makes the database at the path read-only for the child; the flag says whether this
/// process is root.
type Setup = fn(&Path, bool);

fn read_only() -> Outcome {
    let root = {
        let dir = tempfile::tempdir().unwrap();
        is_root(dir.path())
    };
    // Root ignores file permissions: run the child as `nobody` instead.
    let user: &[&str] = if root {
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
    } else {
        &[]
    };
    let valid = valid_db().to_vec();
    let mut tally = Tally::new("files");
    let mut skipped = Vec::new();
    let permission_cases: [(&str, Setup); 3] = [
        ("file and directory read-only (0444, 0555)", |db, _| {
            set_mode(db, 0o444);
            set_mode(db.parent().unwrap(), 0o555);
        }),
        ("file read-only (0444), directory writable", |db, root| {
            set_mode(db, 0o444);
            give_to_nobody(db.parent().unwrap(), root);
            set_mode(db.parent().unwrap(), 0o700);
        }),
        ("file writable, directory read-only (0555)", |db, root| {
            let lock = db.with_file_name("config.db.lock");
            std::fs::write(&lock, b"").unwrap();
            for file in [db, &lock] {
                give_to_nobody(file, root);
                set_mode(file, 0o600);
            }
            set_mode(db.parent().unwrap(), 0o555);
        }),
    ];
    for (what, setup) in permission_cases {
        let dir = tempfile::tempdir().unwrap();
        set_mode(dir.path(), 0o755);
        let sub = dir.path().join("store");
        std::fs::create_dir(&sub).unwrap();
        let db = sub.join("config.db");
        std::fs::write(&db, &valid).unwrap();
        setup(&db, root);
        let target = if what.starts_with("file writable") {
            sub.join("probe")
        } else {
            db.clone()
        };
        match ensure_unwritable(user, &target) {
            Ok(()) => {
                tally.tried(1);
                try_file(what, &db, &valid, user, &mut tally);
            }
            Err(reason) => skipped.push(format!("{what}: {reason}")),
        }
        set_mode(&sub, 0o755);
    }

    // A read-only bind mount, in a user and mount namespace of the child's own.
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().to_str().unwrap().to_owned();
    let unshare: &[&str] = &[
        "unshare",
        "--user",
        "--map-root-user",
        "--mount",
        "--",
        "sh",
        "-c",
        r#"mount --bind -o ro "$0" "$0" && exec "$@""#,
        &mount,
    ];
    let db = dir.path().join("config.db");
    std::fs::write(&db, &valid).unwrap();
    match ensure_unwritable(unshare, &db) {
        Ok(()) => {
            tally.tried(1);
            try_file(
                "read-only file system (bind mount)",
                &db,
                &valid,
                unshare,
                &mut tally,
            );
        }
        Err(reason) => skipped.push(format!("read-only file system: {reason}")),
    }
    if tally.is_empty() {
        return Outcome::Skipped(skipped.join("; "));
    }
    for reason in skipped {
        tally.not_run(reason);
    }
    Outcome::Ran(tally)
}

/// As root, hands `path` to `nobody`, the user the child runs as.
fn give_to_nobody(path: &Path, root: bool) {
    if root {
        std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    }
}
