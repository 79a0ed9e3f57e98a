//! The cache under `target/harmony/`: a no-op `sync` reuses it, `sync --check` trusts no
//! mtime, and a cache that cannot be read is rebuilt. Which targets were reused is read from
//! the line `HARMONY_LOG=debug` prints.

#![allow(
    clippy::panic,
    reason = "the helpers fail the test that calls them, with a message"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::cargo::cargo_bin_cmd;

const DB: &str = r#"/// The database.
#[derive(harmony_config::Config)]
#[config(key = "alpha.Db")]
pub struct Db {
    /// Host name.
    pub host: String,
}
"#;

const CACHE: &str =
    "/// The cache.\n#[derive(Config)]\npub struct Cache {\n    pub size: u64,\n}\n";

const DB_SCHEMA: &str = "crates/alpha/config-schema/alpha.Db.schema.json";

struct Workspace {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The counts of the cache's debug line: reused, verified by hash, scanned.
    fn cache(&self) -> (usize, usize, usize) {
        let line = self
            .stderr
            .lines()
            .find(|l| l.contains("DEBUG cache: "))
            .unwrap_or_else(|| panic!("no cache line in\n{}", self.stderr));
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .take(3)
            .collect();
        match numbers[..] {
            [reused, verified, scanned] => (reused, verified, scanned),
            _ => panic!("unexpected cache line: {line}"),
        }
    }

    fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Workspace {
    /// Two crates with a config each, and one without; every file long past, as files
    /// written just before a run are not cached by it.
    fn new() -> Self {
        let ws = Self {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        ws.write(
            "Cargo.toml",
            "[workspace]\nresolver = \"3\"\nmembers = [\"crates/alpha\", \"crates/beta\", \"crates/gamma\"]\n",
        );
        for name in ["alpha", "beta", "gamma"] {
            ws.write(
                &format!("crates/{name}/Cargo.toml"),
                &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
            );
        }
        ws.write("crates/alpha/src/lib.rs", "pub mod db;\n");
        ws.write("crates/alpha/src/db.rs", DB);
        ws.write("crates/beta/src/lib.rs", CACHE);
        ws.write("crates/gamma/src/lib.rs", "//! Nothing.\n");
        ws.age_sources();
        ws
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
        fs::write(path, text).expect("write file");
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    /// Sets the mtime of every file under `crates/` to [`long_ago`].
    fn age_sources(&self) {
        fn walk(dir: &Path, time: SystemTime) {
            for entry in fs::read_dir(dir).expect("list") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    walk(&path, time);
                } else {
                    set_mtime(&path, time);
                }
            }
        }
        walk(&self.path("crates"), long_ago());
    }

    /// The cache file, which the first `sync` of these tests writes.
    fn cache_file(&self) -> PathBuf {
        let dir = self.path("target/harmony");
        let found: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("list {}: {e}", dir.display()))
            .map(|e| e.expect("entry").path())
            .collect();
        match &found[..] {
            [one] => one.clone(),
            other => panic!("expected one cache file, found {other:?}"),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = cargo_bin_cmd!("cargo-harmony")
            .arg("harmony")
            .args(args)
            .current_dir(self.dir.path())
            .env("HARMONY_LOG", "debug")
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .expect("run cargo-harmony");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A fixed time long past, so that aging files twice gives them the same mtime.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000)
}

fn set_mtime(path: &Path, time: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .unwrap_or_else(|e| panic!("set mtime of {}: {e}", path.display()));
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn a_noop_sync_reuses_every_target() {
    let ws = Workspace::new();
    let first = ws.run(&["sync"]);
    assert_eq!(first.assert_code(0).cache(), (0, 0, 3));
    let file = ws.cache_file();
    let name = file.file_name().expect("a name").to_string_lossy();
    assert_eq!(name, format!("cache-v{}.json", env!("CARGO_PKG_VERSION")));
    let cached = fs::read(&file).expect("read cache");

    let again = ws.run(&["sync"]);
    assert_eq!(again.assert_code(0).cache(), (3, 0, 0));
    assert_eq!(
        again.stdout,
        "sync: 0 files written, 0 removed, 4 unchanged\n"
    );
    assert_eq!(fs::read(&file).expect("read cache"), cached, "rewritten");

    // Other commands read the same cache.
    let schema = ws.run(&["schema", "alpha.Db"]);
    assert_eq!(schema.assert_code(0).cache(), (3, 0, 0));
    assert_eq!(schema.stdout, ws.read(DB_SCHEMA));

    // `--check` hashes every file, and writes nothing.
    let check = ws.run(&["sync", "--check"]);
    assert_eq!(check.assert_code(0).cache(), (0, 3, 0));
    assert_eq!(fs::read(&file).expect("read cache"), cached, "check wrote");

    // A touched file with the same bytes is checked by hash, then its new mtime recorded.
    set_mtime(
        &ws.path("crates/beta/src/lib.rs"),
        long_ago() + Duration::from_secs(1),
    );
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (2, 1, 0));
    assert_ne!(fs::read(&file).expect("read cache"), cached, "mtime kept");
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (3, 0, 0));
}

#[test]
fn check_sees_an_edit_behind_a_restored_mtime() {
    let ws = Workspace::new();
    ws.run(&["sync"]).assert_code(0);
    let db = ws.path("crates/alpha/src/db.rs");
    let before = mtime(&db);
    // Same size, same mtime, other bytes: only a hash sees it.
    let edited = DB.replace("Host name.", "Host addr.");
    assert_eq!(edited.len(), DB.len());
    fs::write(&db, edited).expect("edit");
    set_mtime(&db, before);

    let check = ws.run(&["sync", "--check"]);
    assert_eq!(check.assert_code(1).cache(), (0, 2, 1));
    assert!(check.stdout.contains(DB_SCHEMA), "{}", check.stdout);
    assert!(check.stdout.contains("Host addr."), "{}", check.stdout);
}

#[test]
fn a_corrupt_cache_is_ignored_and_rebuilt() {
    let ws = Workspace::new();
    ws.run(&["sync"]).assert_code(0);
    let file = ws.cache_file();
    let good = fs::read(&file).expect("read cache");
    for garbage in [
        &b"{\"format\": 1, \"entries\": [tru"[..],
        b"\xff\xfe\0",
        b"",
    ] {
        fs::write(&file, garbage).expect("corrupt");
        let check = ws.run(&["sync", "--check"]);
        assert_eq!(check.assert_code(0).cache(), (0, 0, 3));
        assert!(check.stderr.contains("ignoring cache"), "{}", check.stderr);
        let sync = ws.run(&["sync"]);
        assert_eq!(sync.assert_code(0).cache(), (0, 0, 3));
        assert_eq!(
            sync.stdout,
            "sync: 0 files written, 0 removed, 4 unchanged\n"
        );
        assert_eq!(fs::read(&file).expect("read cache"), good);
    }
    // A cache that is a folder cannot be read or replaced: still no error.
    fs::remove_file(&file).expect("remove");
    fs::create_dir(&file).expect("folder");
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (0, 0, 3));
}

#[test]
fn a_new_module_is_found_through_the_file_that_declares_it() {
    let ws = Workspace::new();
    ws.run(&["sync"]).assert_code(0);
    ws.write(
        "crates/alpha/src/extra.rs",
        "#[derive(harmony_config::Config)]\n#[config(key = \"alpha.Extra\")]\npub struct Extra {\n    pub on: bool,\n}\n",
    );
    ws.write("crates/alpha/src/lib.rs", "pub mod db;\npub mod extra;\n");
    ws.age_sources();
    let sync = ws.run(&["sync"]);
    assert_eq!(sync.assert_code(0).cache(), (2, 0, 1));
    assert!(
        ws.path("crates/alpha/config-schema/alpha.Extra.schema.json")
            .is_file()
    );
}

#[test]
fn a_target_with_an_error_is_not_cached() {
    let ws = Workspace::new();
    // `mod gone;` has no file: fixing that touches no file the scan read.
    ws.write("crates/gamma/src/lib.rs", "mod gone;\n");
    ws.age_sources();
    let failed = ws.run(&["sync"]);
    assert_eq!(failed.assert_code(2).cache(), (0, 0, 3));
    assert!(failed.stderr.contains("gone"), "{}", failed.stderr);
    ws.write("crates/gamma/src/gone.rs", "//! Back.\n");
    ws.age_sources();
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (2, 0, 1));
}

#[test]
fn files_written_just_before_a_run_are_not_cached() {
    let ws = Workspace::new();
    ws.run(&["sync"]).assert_code(0);
    let lib = ws.path("crates/beta/src/lib.rs");
    ws.write("crates/beta/src/lib.rs", &CACHE.replace("size", "len"));
    // An mtime in the future stays "just written" however slow the machine is.
    let soon = SystemTime::now() + Duration::from_hours(1);
    set_mtime(&lib, soon);
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (2, 0, 1));
    // Too new to trust, so not cached: scanned again.
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (2, 0, 1));
    set_mtime(&lib, long_ago());
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (2, 0, 1));
    assert_eq!(ws.run(&["sync"]).assert_code(0).cache(), (3, 0, 0));
}
