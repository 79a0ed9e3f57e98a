//! Private directories and files: values and tokens are readable by their owner only, and a
//! file or folder that another user owns or may write to is never trusted with them, the way
//! ssh treats key files.
//!
//! What is created here is created safely whatever the umask: folders 0700, files 0600, and a
//! symbolic link is never followed to create a file at its target.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::ConfigError;

/// Who owns a file or folder that holds private data, who else may touch it, and what is
/// wrong with that, as the store that uses it judges it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileAccess {
    /// The file or folder.
    pub path: PathBuf,
    /// Whether it is a folder.
    pub is_dir: bool,
    /// Its owner, e.g. `alice (uid 1000)`.
    pub owner: String,
    /// Its permission bits, e.g. `0o600`.
    pub mode: u32,
    /// Why it cannot be trusted, or `None` when it can.
    pub problem: Option<String>,
    /// How to fix the problem.
    pub fix: Option<String>,
}

/// What a path is for, which decides what makes it unsafe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holds {
    /// A folder of private files: nobody else may add, rename or replace files in it.
    Folder,
    /// A file of values: nobody else may write it.
    Values,
    /// A file of credentials: nobody else may read it either.
    Credentials,
}

/// How `path`, if it exists, may be accessed, and whether that is safe for `holds`;
/// `alternative` ends each fix, e.g. "or set `HARMONY_DB` to a file in a folder of your own".
/// `None` when nothing is there. A symbolic link is judged by its target, and one to a file
/// that does not exist is a problem: creating the file would create it there. A folder is
/// judged with the folders above it, as ssh does: another user who may replace one of them
/// may replace what is inside.
pub(crate) fn inspect(
    path: &Path,
    holds: Holds,
    alternative: &str,
) -> Result<Option<FileAccess>, ConfigError> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let link = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type().is_symlink(),
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ConfigError::io("inspect", path, e)),
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if link && e.kind() == ErrorKind::NotFound => {
            let target = std::fs::read_link(path).unwrap_or_default();
            return Ok(Some(FileAccess {
                path: path.to_owned(),
                is_dir: false,
                owner: String::new(),
                mode: 0,
                problem: Some(format!(
                    "it is a symbolic link to {}, which does not exist, so a new file would be created there",
                    target.display()
                )),
                fix: Some(format!(
                    "remove the link ({}), {alternative}",
                    path.display()
                )),
            }));
        }
        Err(e) => return Err(ConfigError::io("inspect", path, e)),
    };
    let mut access = judge(path, &meta, holds, alternative);
    if holds == Holds::Folder
        && access.problem.is_none()
        && let Some((problem, fix)) = unsafe_ancestor(path, alternative)
    {
        access.problem = Some(problem);
        access.fix = Some(fix);
    }
    Ok(Some(access))
}

#[cfg(unix)]
fn judge(path: &Path, meta: &std::fs::Metadata, holds: Holds, alternative: &str) -> FileAccess {
    use std::os::unix::fs::MetadataExt;

    let shown = path.display();
    let (uid, mode) = (meta.uid(), meta.mode() & 0o7777);
    let me = rustix::process::geteuid().as_raw();
    let owner = users().name(uid);
    let who = format!("owner {owner}, mode {mode:04o}");
    let others_write = writable_by_others(meta);
    let (problem, fix) = if uid != me && uid != 0 {
        (
            Some(format!(
                "it belongs to {owner}, not to this user, {} (mode {mode:04o})",
                users().name(me)
            )),
            Some(format!("move it aside, {alternative}")),
        )
    } else if holds == Holds::Folder && others_write {
        (
            Some(format!(
                "other users may add, rename or replace files in it ({who})"
            )),
            Some(format!("run `chmod 700 {shown}`, {alternative}")),
        )
    } else if holds != Holds::Folder && others_write {
        (
            Some(format!("other users may write to it ({who})")),
            Some(format!("run `chmod 600 {shown}`, {alternative}")),
        )
    } else if holds == Holds::Credentials && mode & 0o044 != 0 {
        (
            Some(format!("other users may read it ({who})")),
            Some(format!("run `chmod 600 {shown}`, {alternative}")),
        )
    } else {
        (None, None)
    };
    FileAccess {
        path: path.to_owned(),
        is_dir: meta.is_dir(),
        owner,
        mode,
        problem,
        fix,
    }
}

#[cfg(not(unix))]
fn judge(path: &Path, meta: &std::fs::Metadata, _holds: Holds, _alternative: &str) -> FileAccess {
    FileAccess {
        path: path.to_owned(),
        is_dir: meta.is_dir(),
        owner: String::new(),
        mode: 0,
        problem: None,
        fix: None,
    }
}

/// Whether a user other than the owner may write: others may, or the group may and it is not
/// the owner's private group (the `umask 002` of Debian and its kin gives folders 0775 in a
/// group that holds the owner alone).
#[cfg(unix)]
fn writable_by_others(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode();
    mode & 0o002 != 0 || (mode & 0o020 != 0 && !users().private_group(meta.gid(), meta.uid()))
}

/// The first folder above `dir` that another user could replace `dir` through: owned by
/// someone else, or writable by others without the sticky bit that `/tmp` carries.
#[cfg(unix)]
fn unsafe_ancestor(dir: &Path, alternative: &str) -> Option<(String, String)> {
    use std::os::unix::fs::MetadataExt;

    let me = rustix::process::geteuid().as_raw();
    let canonical = dir.canonicalize().ok()?;
    canonical.ancestors().skip(1).find_map(|above| {
        let meta = std::fs::metadata(above).ok()?;
        let (uid, mode) = (meta.uid(), meta.mode() & 0o7777);
        let owner = users().name(uid);
        let sticky = mode & 0o1000 != 0;
        let problem = if uid != me && uid != 0 {
            format!("the folder above it, {}, belongs to {owner} (mode {mode:04o})", above.display())
        } else if writable_by_others(&meta) && !sticky {
            format!(
                "other users may rename or replace the folder above it, {} (owner {owner}, mode {mode:04o})",
                above.display()
            )
        } else {
            return None;
        };
        Some((problem, format!("use a folder whose every parent is yours, {alternative}")))
    })
}

#[cfg(not(unix))]
fn unsafe_ancestor(_dir: &Path, _alternative: &str) -> Option<(String, String)> {
    None
}

/// The users and groups of `/etc/passwd` and `/etc/group`, read once.
#[cfg(unix)]
struct Users {
    /// `(name, uid, primary gid)`.
    users: Vec<(String, u32, u32)>,
    /// `(name, gid, members)`.
    groups: Vec<(String, u32, Vec<String>)>,
}

#[cfg(unix)]
fn users() -> &'static Users {
    static USERS: std::sync::OnceLock<Users> = std::sync::OnceLock::new();
    USERS.get_or_init(|| {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let users = read("/etc/passwd")
            .lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                Some((
                    (*fields.first()?).to_owned(),
                    fields.get(2)?.parse().ok()?,
                    fields.get(3)?.parse().ok()?,
                ))
            })
            .collect();
        let groups = read("/etc/group")
            .lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                let members = fields
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                Some((
                    (*fields.first()?).to_owned(),
                    fields.get(2)?.parse().ok()?,
                    members,
                ))
            })
            .collect();
        Users { users, groups }
    })
}

#[cfg(unix)]
impl Users {
    /// `name (uid N)`, or `uid N` for a user `/etc/passwd` does not list.
    fn name(&self, uid: u32) -> String {
        match self.users.iter().find(|(_, id, _)| *id == uid) {
            Some((name, ..)) => format!("{name} (uid {uid})"),
            None => format!("uid {uid}"),
        }
    }

    /// Whether `gid` is the private group of the user `uid`: the user's primary group, named
    /// after the user, with no other member.
    fn private_group(&self, gid: u32, uid: u32) -> bool {
        let Some((user, _, primary)) = self.users.iter().find(|(_, id, _)| *id == uid) else {
            return false;
        };
        *primary == gid
            && self.groups.iter().any(|(name, id, members)| {
                *id == gid && name == user && members.iter().all(|m| m == user)
            })
    }
}

/// Who uses a private path, for the error and the fix when it cannot be trusted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Use<'a> {
    /// What the path is, e.g. "the SQLite database".
    pub(crate) what: &'a str,
    /// The way out that ends each fix, e.g. "or set `HARMONY_DB` to a file in a folder of your own".
    pub(crate) alternative: &'a str,
}

/// Fails with [`ConfigError::UnsafePath`] when `path` exists and cannot be trusted.
pub(crate) fn ensure_safe(path: &Path, holds: Holds, by: Use<'_>) -> Result<(), ConfigError> {
    match inspect(path, holds, by.alternative)? {
        Some(FileAccess {
            problem: Some(problem),
            fix,
            ..
        }) => Err(ConfigError::UnsafePath {
            what: by.what.to_owned(),
            path: path.to_owned(),
            problem,
            fix: fix.unwrap_or_default(),
        }),
        _ => Ok(()),
    }
}

/// Creates `dir` and its missing parents, each with mode 0700 whatever the umask, then checks
/// that `dir` can be trusted: see [`inspect`].
pub(crate) fn create_private_dir(dir: &Path, by: Use<'_>) -> Result<(), ConfigError> {
    if dir.as_os_str().is_empty() {
        // The working folder, for a relative path: it exists, and is checked like any other.
        return ensure_safe(Path::new("."), Holds::Folder, by);
    }
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(path) = at.filter(|p| !p.as_os_str().is_empty()) {
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == ErrorKind::NotFound => missing.push(path),
            _ => break,
        }
        at = path.parent();
    }
    for path in missing.into_iter().rev() {
        let mut builder = DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(path) {
            Ok(()) => set_mode(path, 0o700)?,
            // Another process made it meanwhile: it is checked below like any existing one.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(ConfigError::io("create the directory", path, e)),
        }
    }
    ensure_safe(dir, Holds::Folder, by)
}

/// Opens `path` for reading and writing. A new file is created with mode 0600 whatever the
/// umask, and never through a symbolic link; an existing one keeps its contents and its mode,
/// once it is found safe for `holds`.
pub(crate) fn open_private_file(
    path: &Path,
    holds: Holds,
    by: Use<'_>,
) -> Result<File, ConfigError> {
    ensure_safe(path, holds, by)?;
    let mut create = OpenOptions::new();
    create.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    match create.open(path) {
        Ok(file) => {
            set_file_mode(&file, path)?;
            Ok(file)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            // It exists now, maybe made by another process since the check: check it again.
            ensure_safe(path, holds, by)?;
            OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .map_err(|e| ConfigError::io("open", path, e))
        }
        Err(e) => Err(ConfigError::io("create", path, e)),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| ConfigError::io("set the permissions of", path, e))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), ConfigError> {
    Ok(())
}

/// Gives the file just created mode 0600 through its handle, whatever the umask left.
fn set_file_mode(file: &File, path: &Path) -> Result<(), ConfigError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| ConfigError::io("set the permissions of", path, e))?;
    }
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}
