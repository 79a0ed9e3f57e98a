//! The local database: its path, its permissions, SQLite's check of its pages, and its values.
//! It is opened read-only, so a damaged file is reported and left exactly as it was.

use std::io::ErrorKind;
use std::path::Path;

use harmony_config::naming::vars;
use harmony_config::{FileAccess, SqliteEntry, SqliteSource};

use super::check::{Check, Status, plural};

/// What the database checks found, for the check of stored values.
pub(super) enum Database {
    /// There is no database yet, so it holds no values.
    Missing,
    /// It could not be read; the checks say why.
    Unreadable,
    /// Its name and its rows.
    Read(String, Vec<SqliteEntry>),
}

/// The database's path, permissions and integrity, then its stored values.
pub(super) async fn check(checks: &mut Vec<Check>) -> Database {
    let path = match SqliteSource::default_path() {
        Ok(path) => path,
        Err(error) => {
            checks.push(
                Check::new("database", Status::Problem, error.to_string())
                    .fix(format!("set {} to a file path, or HOME", vars::DB)),
            );
            return Database::Unreadable;
        }
    };
    let origin = if std::env::var_os(vars::DB).is_some_and(|v| !v.is_empty()) {
        format!("from {}", vars::DB)
    } else {
        "the default".to_owned()
    };
    let shown = path.display().to_string();
    let exists = match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => true,
        Ok(_) => {
            checks.push(
                Check::new(
                    "database",
                    Status::Problem,
                    format!("database: {shown} ({origin}) is not a file"),
                )
                .fix(format!("move it aside, or set {} to a file path", vars::DB))
                .detail("path", shown),
            );
            return Database::Unreadable;
        }
        Err(error) if error.kind() == ErrorKind::NotFound => false,
        Err(error) => {
            checks.push(
                Check::new(
                    "database",
                    Status::Problem,
                    format!("database: cannot read {shown} ({origin}): {error}"),
                )
                .fix("check the permissions of the file and its directory")
                .detail("path", shown),
            );
            return Database::Unreadable;
        }
    };
    let message = if exists {
        format!("database: {shown} ({origin})")
    } else {
        format!(
            "database: {shown} ({origin}) does not exist yet; the first `cargo harmony set` creates it"
        )
    };
    checks.push(
        Check::new("database", Status::Ok, message)
            .detail("path", shown.clone())
            .detail("exists", exists),
    );
    // Who owns each part and who may change it, judged as the runtime judges it before it
    // opens the database.
    let source = SqliteSource::read_only(&path);
    let mut refused = false;
    match source.file_access() {
        Ok(parts) => {
            for access in parts {
                refused |= access.problem.is_some();
                checks.push(check_access(&access, &path));
            }
        }
        Err(error) => {
            refused = true;
            checks.push(
                Check::new(
                    "database-permissions",
                    Status::Problem,
                    format!("database permissions: {error}"),
                )
                .detail("path", shown),
            );
        }
    }
    if !exists {
        return Database::Missing;
    }
    if refused {
        // Applications refuse it, so its values are not theirs to check.
        return Database::Unreadable;
    }
    check_contents(&path, checks).await
}

/// The file's schema version, SQLite's check of its pages, then its rows.
async fn check_contents(path: &Path, checks: &mut Vec<Check>) -> Database {
    let shown = path.display().to_string();
    let source = SqliteSource::read_only(path);
    if let Ok(Some(version)) = source.schema_version().await
        && version > SqliteSource::SCHEMA_VERSION
    {
        checks.push(
            Check::new(
                "database-version",
                Status::Problem,
                format!(
                    "database version: {shown} has schema version {version}, newer than the {} this cargo-harmony understands; it was left untouched",
                    SqliteSource::SCHEMA_VERSION
                ),
            )
            .fix("upgrade cargo-harmony to the version that wrote it (`cargo install cargo-harmony`), or set HARMONY_DB to another file")
            .detail("path", shown)
            .detail("schema_version", version),
        );
        return Database::Unreadable;
    }
    match read(&source).await {
        Ok((version, entries)) => {
            checks.push(
                Check::new(
                    "database-integrity",
                    Status::Ok,
                    format!(
                        "database integrity: ok, {} stored value{}, schema version {version}",
                        entries.len(),
                        plural(entries.len())
                    ),
                )
                .detail("path", shown)
                .detail("schema_version", version),
            );
            Database::Read(harmony_config::ConfigSource::name(&source), entries)
        }
        Err(reason) => {
            checks.push(
                Check::new(
                    "database-integrity",
                    Status::Problem,
                    format!("database integrity: {reason}; it was left untouched"),
                )
                .fix(format!(
                    "move it aside (`mv {shown} {shown}.damaged`) and restore a backup, or let the next `cargo harmony set` start a new one"
                ))
                .detail("path", shown),
            );
            Database::Unreadable
        }
    }
}

/// SQLite's full check of the file, then its schema version and rows.
async fn read(source: &SqliteSource) -> Result<(i64, Vec<SqliteEntry>), String> {
    let problems = source
        .integrity_problems()
        .await
        .map_err(|e| e.to_string())?;
    if !problems.is_empty() {
        return Err(format!(
            "{}: the integrity check failed: {}",
            source.path().display(),
            problems.join("; ")
        ));
    }
    let version = source
        .schema_version()
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let entries = source.entries().await.map_err(|e| e.to_string())?;
    Ok((version, entries))
}

/// One part of the database: its owner and mode, the runtime's verdict on them, and whether
/// other users can read the values (the file, its WAL files and journal; the lock file holds
/// none) or list the files (the folder).
fn check_access(access: &FileAccess, database: &Path) -> Check {
    let shown = access.path.display().to_string();
    let (name, what) = match () {
        () if access.is_dir => ("directory-permissions", "database directory".to_owned()),
        () if access.path == database => ("database-permissions", "database file".to_owned()),
        () => (
            "database-permissions",
            access
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        ),
    };
    let mode = access.mode;
    // Only the owner may change the mode; root's files are trusted but not ours to change.
    let chmod = |bits: &str| {
        if access.owned_by_this_user {
            format!("chmod {bits} {shown}")
        } else {
            format!(
                "only its owner, {}, may change its mode: set {} to a file in a folder of your own",
                access.owner,
                vars::DB
            )
        }
    };
    let check = if let Some(problem) = &access.problem {
        Check::new(name, Status::Problem, format!("{what}: {shown}: {problem}"))
            .fix(access.fix.clone().unwrap_or_default())
    } else if access.holds_values && mode & 0o044 != 0 {
        Check::new(
            name,
            Status::Problem,
            format!("{what}: {shown} has mode {mode:04o}, so other users can read the stored values; it should be 0600"),
        )
        .fix(chmod("600"))
    } else if access.is_dir && mode & 0o077 != 0 {
        Check::new(
            name,
            Status::Warn,
            format!(
                "{what}: {shown} has mode {mode:04o}, so other users can list it; it should be 0700"
            ),
        )
        .fix(chmod("700"))
    } else {
        Check::new(
            name,
            Status::Ok,
            format!("{what}: owner {}, mode {mode:04o}", access.owner),
        )
    };
    check
        .detail("path", shown)
        .detail("owner", access.owner.clone())
        .detail("mode", format!("{mode:04o}"))
}
