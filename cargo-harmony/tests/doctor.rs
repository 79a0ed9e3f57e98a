//! `doctor` against a real temporary workspace and a real SQLite file: a healthy store, loose
//! permissions, a damaged file, a stray variable, and values that drifted from their schema.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

mod common;

use common::{Fixture, LIB};

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// The line of `out` that starts with `status` and mentions `what`; fails without one.
fn line<'a>(out: &'a str, status: &str, what: &str) -> &'a str {
    let found = out
        .lines()
        .find(|l| l.starts_with(status) && l.contains(what));
    assert!(
        found.is_some(),
        "no `{status}` line about `{what}` in:\n{out}"
    );
    found.unwrap_or_default()
}

#[test]
fn a_healthy_store_passes() {
    let fx = Fixture::new();
    fx.store();
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(0));
    let db = fx.db().display().to_string();
    line(&out, "ok", &format!("database: {db} (from HARMONY_DB)"));
    #[cfg(unix)]
    assert!(
        line(&out, "ok", "database file: owner ").ends_with(", mode 0600"),
        "{out}"
    );
    #[cfg(unix)]
    assert!(
        line(&out, "ok", "database directory: owner ").ends_with(", mode 0700"),
        "{out}"
    );
    line(&out, "ok", "database integrity: ok, 1 stored value");
    line(&out, "ok", "each fits its schema");
    assert!(out.ends_with("doctor: 0 problems, 0 warnings\n"), "{out}");
}

#[test]
fn a_missing_database_is_fine_and_stays_missing() {
    let fx = Fixture::new();
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(0));
    line(&out, "ok", "does not exist yet");
    assert!(!fx.db().exists() && !fx.db().parent().unwrap().exists());
}

#[cfg(unix)]
#[test]
fn loose_permissions_are_reported_with_the_chmod_that_fixes_them() {
    use std::os::unix::fs::PermissionsExt;

    let fx = Fixture::new();
    fx.store();
    let dir = fx.db().parent().unwrap().to_owned();
    std::fs::set_permissions(fx.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(1));
    let file = line(&out, "problem", "database file");
    assert!(
        file.contains("mode 0644") && file.contains("other users can read"),
        "{out}"
    );
    assert!(
        out.contains(&format!("fix: chmod 600 {}", fx.db().display())),
        "{out}"
    );
    let folder = line(&out, "warn", "database directory");
    assert!(folder.contains("mode 0755"), "{out}");
    assert!(
        out.contains(&format!("fix: chmod 700 {}", dir.display())),
        "{out}"
    );
    assert!(out.ends_with("doctor: 1 problem, 1 warning\n"), "{out}");
}

/// SQLite's WAL files and rollback journal hold values as the database does: each one others
/// can read is a problem, with the chmod that fixes it. The lock file holds none.
#[cfg(unix)]
#[test]
fn readable_wal_files_and_journal_are_reported_with_their_chmod() {
    use std::os::unix::fs::PermissionsExt;

    let fx = Fixture::new();
    fx.store();
    let beside = |suffix: &str| {
        let mut name = fx.db().into_os_string();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    for suffix in ["-wal", "-shm", "-journal", ".lock"] {
        let file = beside(suffix);
        if !file.exists() {
            std::fs::write(&file, b"").unwrap();
        }
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(1));
    for suffix in ["-wal", "-shm", "-journal"] {
        let file = beside(suffix);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let problem = line(&out, "problem", &format!("{name}: {}", file.display()));
        assert!(
            problem.contains("mode 0644, so other users can read the stored values"),
            "{out}"
        );
        assert!(
            out.contains(&format!("fix: chmod 600 {}", file.display())),
            "{out}"
        );
    }
    assert!(
        line(&out, "ok", "config.db.lock: owner ").ends_with(", mode 0644"),
        "{out}"
    );
    line(&out, "ok", "database file: owner ");
}

/// Another user's file, or a folder others may write to, is what the runtime refuses to
/// open: doctor says so, with the owner, and reads nothing from it.
#[cfg(unix)]
#[test]
fn a_database_another_user_owns_is_a_problem_naming_the_owner() {
    use std::os::unix::fs::{PermissionsExt, chown};

    let fx = Fixture::new();
    fx.store();
    assert_eq!(
        std::fs::metadata("/proc/self")
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
            .unwrap(),
        0,
        "this case gives the database to `nobody`, which needs root; run the tests as root (CI does)"
    );
    chown(fx.db(), Some(65534), Some(65534)).unwrap();
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(1));
    let file = line(&out, "problem", "database file");
    assert!(
        file.contains("it belongs to nobody (uid 65534), not to this user"),
        "{out}"
    );
    assert!(out.contains("fix: move it aside"), "{out}");
    line(&out, "ok", "stored values: none");

    let dir = fx.db().parent().unwrap().to_owned();
    chown(fx.db(), Some(0), Some(0)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(1));
    let folder = line(&out, "problem", "database directory");
    assert!(
        folder.contains(
            "other users may add, rename or replace files in it (owner root (uid 0), mode 0777)"
        ),
        "{out}"
    );
    assert!(
        out.contains(&format!("fix: run `chmod 700 {}`", dir.display())),
        "{out}"
    );
}

#[test]
fn a_damaged_database_is_reported_and_left_byte_for_byte() {
    let fx = Fixture::new();
    let dir = fx.db().parent().unwrap().to_owned();
    std::fs::create_dir(&dir).unwrap();
    let garbage = b"not a database, only bytes. ".repeat(300);
    std::fs::write(fx.db(), &garbage).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(fx.db(), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(1));
    let integrity = line(&out, "problem", "database integrity");
    assert!(
        integrity.contains("not a database") && integrity.contains("left untouched"),
        "{out}"
    );
    assert!(
        out.contains(".damaged"),
        "the fix moves the file aside: {out}"
    );
    assert_eq!(std::fs::read(fx.db()).unwrap(), garbage);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["config.db"],
        "no lock, journal or WAL file appeared"
    );
}

#[test]
fn a_stray_variable_gets_the_closest_key() {
    let fx = Fixture::new();
    let out = stdout(
        &fx.cmd(&["doctor"])
            .env("HARMONY_CONFIG_app_Dbb", "{}")
            .env("HARMONY_CONFIG_zzz_Unrelated", "{}")
            .assert()
            .code(0),
    );
    let stray = line(&out, "warn", "HARMONY_CONFIG_app_Dbb");
    assert!(stray.contains("matches no config key"), "{out}");
    assert!(
        out.contains("fix: did you mean HARMONY_CONFIG_app_Db (key `app.Db`)?"),
        "{out}"
    );
    line(&out, "warn", "HARMONY_CONFIG_zzz_Unrelated");

    let json = stdout(
        &fx.cmd(&["--message-format", "json", "doctor"])
            .env("HARMONY_CONFIG_app_Dbb", "{}")
            .assert()
            .code(0),
    );
    let mut checks: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = checks.pop().unwrap();
    assert_eq!(summary["reason"], "doctor-summary", "{json}");
    assert_eq!(
        (summary["problems"].as_u64(), summary["warnings"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(checks.iter().all(|c| c["reason"] == "check"), "{json}");
    let stray = checks
        .iter()
        .find(|c| c["check"] == "env-var" && c["status"] == "warn")
        .unwrap();
    assert_eq!(stray["variable"], "HARMONY_CONFIG_app_Dbb");
    assert_eq!(stray["suggestion"], "HARMONY_CONFIG_app_Db");
}

#[test]
fn a_database_from_a_newer_version_says_to_upgrade() {
    use std::io::{Seek, SeekFrom, Write};

    let fx = Fixture::new();
    fx.store();
    // SQLite's header keeps `PRAGMA user_version` as 4 big-endian bytes at offset 60.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(fx.db())
        .unwrap();
    file.seek(SeekFrom::Start(60)).unwrap();
    file.write_all(&99u32.to_be_bytes()).unwrap();
    drop(file);
    let before = std::fs::read(fx.db()).unwrap();
    let out = stdout(&fx.cmd(&["doctor"]).assert().code(1));
    line(&out, "problem", "has schema version 99, newer than the 1");
    assert!(out.contains("fix: upgrade cargo-harmony"), "{out}");
    assert!(!out.contains("integrity"), "{out}");
    assert_eq!(std::fs::read(fx.db()).unwrap(), before);
}

#[test]
fn the_old_database_variable_is_flagged_with_its_new_name() {
    let fx = Fixture::new();
    fx.store();
    let elsewhere = fx.dir.path().join("elsewhere.db");
    let out = stdout(
        &fx.cmd(&["doctor"])
            .env("HARMONY_CONFIG_DB", &elsewhere)
            .assert()
            .code(0),
    );
    line(
        &out,
        "warn",
        "environment: HARMONY_CONFIG_DB matches no config key",
    );
    assert!(
        out.contains("fix: HARMONY_CONFIG_DB no longer controls the runtime: it is now only the value of a key `DB`; rename it to HARMONY_DB"),
        "{out}"
    );
    // The database is still the one at HARMONY_DB, and the old variable's path was not created.
    line(&out, "ok", "database integrity: ok, 1 stored value");
    assert!(!elsewhere.exists());
}

#[test]
fn drifted_values_name_the_field_never_the_value() {
    let fx = Fixture::new();
    fx.store();
    // A branch switch: the password becomes a number, so the stored string no longer fits.
    let lib = fx.dir.path().join("app/src/lib.rs");
    std::fs::write(
        &lib,
        LIB.replace("pub password: String", "pub password: u32"),
    )
    .unwrap();
    let out = stdout(
        &fx.cmd(&["doctor"])
            .env(
                "HARMONY_CONFIG_app_Db",
                r#"{"host": "h", "port": "s3cr3t-port", "password": 1}"#,
            )
            .assert()
            .code(1),
    );
    let stored = line(&out, "problem", "in sqlite (");
    assert!(
        stored.contains("`app.Db`") && stored.contains("at `password`"),
        "{out}"
    );
    let env = line(&out, "problem", "in env (HARMONY_CONFIG_app_Db)");
    assert!(env.contains("at `port`"), "{out}");
    assert!(out.contains("cargo harmony set app.Db"), "the fix: {out}");
    assert!(
        !out.contains("hunter2") && !out.contains("s3cr3t"),
        "values are never printed: {out}"
    );

    let json = stdout(
        &fx.cmd(&["--message-format", "json", "doctor"])
            .assert()
            .code(1),
    );
    let drift: serde_json::Value = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|c| c["check"] == "stored-value" && c["status"] == "problem")
        .unwrap();
    assert_eq!(drift["key"], "app.Db");
    assert_eq!(drift["field"], "password");
    assert!(drift["source"].as_str().unwrap().starts_with("sqlite ("));
}
