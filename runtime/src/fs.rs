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
    /// Whether it holds values or tokens, which other users should not read either; a folder
    /// or a lock file holds none.
    pub holds_values: bool,
    /// Its owner, e.g. `alice (uid 1000)`.
    pub owner: String,
    /// Whether this user owns it, and so may change its mode.
    pub owned_by_this_user: bool,
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
    /// A lock file, empty: nobody else may write it.
    Lock,
    /// A file of values: nobody else may write it.
    Values,
    /// A file of credentials: nobody else may read it either.
    Credentials,
}

/// Who uses a private path, for the error and the fix when it cannot be trusted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Use<'a> {
    /// What the path is, e.g. "the SQLite database".
    pub(crate) what: &'a str,
    /// How to keep it in another place, which ends each fix, e.g. "set `HARMONY_DB` to a file
    /// in a folder of your own".
    pub(crate) elsewhere: &'a str,
}

/// A problem with a path, and its fix.
type Verdict = (String, String);

/// How `path`, if it exists, may be accessed, and whether that is safe for `holds`;
/// `elsewhere` ends each fix. `None` when nothing is there. A symbolic link is judged by its
/// target, and one to a file that does not exist is a problem: creating the file would create
/// it there. A link on the way to `path` is a problem when another user could replace it. A
/// folder is judged with the folders above it, as ssh does: another user who may replace one
/// of them may replace what is inside.
pub(crate) fn inspect(
    path: &Path,
    holds: Holds,
    elsewhere: &str,
) -> Result<Option<FileAccess>, ConfigError> {
    let path = &shown(path);
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
                path: path.clone(),
                is_dir: false,
                holds_values: false,
                owner: String::new(),
                owned_by_this_user: false,
                mode: 0,
                problem: Some(format!(
                    "it is a symbolic link to {}, which does not exist, so a new file would be created there",
                    target.display()
                )),
                fix: Some(format!(
                    "remove the link ({}), or {elsewhere}",
                    path.display()
                )),
            }));
        }
        Err(e) => return Err(ConfigError::io("inspect", path, e)),
    };
    let mut access = judge(path, &meta, holds, elsewhere);
    if access.problem.is_none() {
        let above = || match holds {
            Holds::Folder => unsafe_ancestor(path, false, elsewhere),
            _ => None,
        };
        if let Some((problem, fix)) = swappable_link(path, elsewhere).or_else(above) {
            access.problem = Some(problem);
            access.fix = Some(fix);
        }
    }
    Ok(Some(access))
}

/// `path` as errors name it: the working folder for the empty path, which is the folder of a
/// bare file name such as `HARMONY_DB=config.db`.
fn shown(path: &Path) -> PathBuf {
    if path.as_os_str().is_empty() {
        std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
    } else {
        path.to_owned()
    }
}

#[cfg(unix)]
fn judge(path: &Path, meta: &std::fs::Metadata, holds: Holds, elsewhere: &str) -> FileAccess {
    use std::os::unix::fs::MetadataExt;

    let (uid, mode) = (meta.uid(), meta.mode() & 0o7777);
    let me = users::me();
    let owner = users::name(uid);
    let who = format!("owner {owner}, mode {mode:04o}");
    let others_write = writable_by_others(meta);
    let chmod = |bits: &str| chmod_or_elsewhere(uid, bits, path, elsewhere);
    let (problem, fix) = if uid != me && uid != 0 {
        (
            Some(format!(
                "it belongs to {owner}, not to this user, {} (mode {mode:04o})",
                users::name(me)
            )),
            Some(format!("move it aside, or {elsewhere}")),
        )
    } else if holds == Holds::Folder && others_write {
        (
            Some(format!(
                "other users may add, rename or replace files in it ({who})"
            )),
            Some(chmod("700")),
        )
    } else if holds != Holds::Folder && others_write {
        (
            Some(format!("other users may write to it ({who})")),
            Some(chmod("600")),
        )
    } else if holds == Holds::Credentials && mode & 0o044 != 0 {
        (
            Some(format!("other users may read it ({who})")),
            Some(chmod("600")),
        )
    } else {
        (None, None)
    };
    FileAccess {
        path: path.to_owned(),
        is_dir: meta.is_dir(),
        holds_values: matches!(holds, Holds::Values | Holds::Credentials),
        owner,
        owned_by_this_user: uid == me,
        mode,
        problem,
        fix,
    }
}

#[cfg(not(unix))]
fn judge(path: &Path, meta: &std::fs::Metadata, holds: Holds, _elsewhere: &str) -> FileAccess {
    FileAccess {
        path: path.to_owned(),
        is_dir: meta.is_dir(),
        holds_values: matches!(holds, Holds::Values | Holds::Credentials),
        owner: String::new(),
        owned_by_this_user: true,
        mode: 0,
        problem: None,
        fix: None,
    }
}

/// `chmod` when this user owns `path`, and may so change its mode; else the other place.
#[cfg(unix)]
fn chmod_or_elsewhere(uid: u32, bits: &str, path: &Path, elsewhere: &str) -> String {
    if uid == users::me() {
        format!("run `chmod {bits} {}`, or {elsewhere}", path.display())
    } else {
        format!(
            "only its owner, {}, may change its mode: {elsewhere}",
            users::name(uid)
        )
    }
}

/// Whether a user other than the owner may write: others may, or the group may and it is not
/// the owner's private group (the `umask 002` of Debian, Fedora and their kin gives folders
/// 0775 in a group that holds the owner alone).
#[cfg(unix)]
fn writable_by_others(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode();
    mode & 0o002 != 0 || (mode & 0o020 != 0 && !users::private_group(meta.gid(), meta.uid()))
}

/// The first folder above `dir` (from `dir` itself up, when `itself` is set) that another user
/// could replace `dir` through: owned by someone else, or writable by others without the
/// sticky bit that `/tmp` carries.
#[cfg(unix)]
fn unsafe_ancestor(dir: &Path, itself: bool, elsewhere: &str) -> Option<Verdict> {
    use std::os::unix::fs::MetadataExt;

    let me = users::me();
    let canonical = dir.canonicalize().ok()?;
    canonical
        .ancestors()
        .skip(usize::from(!itself))
        .find_map(|above| {
            let meta = std::fs::metadata(above).ok()?;
            let (uid, mode) = (meta.uid(), meta.mode() & 0o7777);
            let owner = users::name(uid);
            let sticky = mode & 0o1000 != 0;
            let shown = above.display();
            if uid != me && uid != 0 {
                Some((
                    format!("the folder above it, {shown}, belongs to {owner} (mode {mode:04o})"),
                    elsewhere.to_owned(),
                ))
            } else if writable_by_others(&meta) && !sticky {
                Some((
                    format!(
                        "other users may rename or replace the folder above it, {shown} (owner {owner}, mode {mode:04o})"
                    ),
                    chmod_or_elsewhere(uid, "go-w", above, elsewhere),
                ))
            } else {
                None
            }
        })
}

#[cfg(not(unix))]
fn unsafe_ancestor(_dir: &Path, _itself: bool, _elsewhere: &str) -> Option<Verdict> {
    None
}

/// The first symbolic link on the way to `path`, itself included, that another user could
/// replace, and so send `path` elsewhere: one in a folder that user owns, or in a folder
/// others may write to, unless that folder is sticky and the link is this user's or root's
/// (the kernel's `protected_symlinks` rule). Resolving the path first would hide such a link.
#[cfg(unix)]
fn swappable_link(path: &Path, elsewhere: &str) -> Option<Verdict> {
    use std::os::unix::fs::MetadataExt;

    let me = users::me();
    let absolute = std::path::absolute(path).ok()?;
    let mut at = PathBuf::new();
    for part in absolute.components() {
        at.push(part);
        let Ok(link) = std::fs::symlink_metadata(&at) else {
            // Missing from here on: nothing further to follow.
            return None;
        };
        if !link.file_type().is_symlink() {
            continue;
        }
        // The folder the link sits in, found through whatever links lead to it.
        let folder = at.parent()?;
        let meta = std::fs::metadata(folder).ok()?;
        let (uid, mode) = (meta.uid(), meta.mode() & 0o7777);
        let sticky = mode & 0o1000 != 0;
        let linked_by_owner = link.uid() == me || link.uid() == 0;
        let swappable =
            (uid != me && uid != 0) || (writable_by_others(&meta) && !(sticky && linked_by_owner));
        if swappable {
            let problem = format!(
                "the way to it goes through the symbolic link {}, which another user could replace, as it sits in {} (owner {}, mode {mode:04o})",
                at.display(),
                folder.display(),
                users::name(uid)
            );
            return Some((problem, elsewhere.to_owned()));
        }
    }
    None
}

#[cfg(not(unix))]
fn swappable_link(_path: &Path, _elsewhere: &str) -> Option<Verdict> {
    None
}

/// Users and groups, as the system's name service (NSS) knows them: `/etc/passwd` and
/// `/etc/group`, and LDAP or SSSD where the system is set up so.
#[cfg(unix)]
mod users {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};

    use nix::unistd::{Gid, Group, Uid, User, geteuid};

    /// This process's effective user id.
    pub(super) fn me() -> u32 {
        geteuid().as_raw()
    }

    /// `name (uid N)`, or `uid N` for a user the name service does not know.
    pub(super) fn name(uid: u32) -> String {
        // Asked once per user: a directory service may be slow to answer.
        static NAMES: LazyLock<Mutex<HashMap<u32, String>>> = LazyLock::new(Mutex::default);
        let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
        names
            .entry(uid)
            .or_insert_with(|| match User::from_uid(Uid::from_raw(uid)) {
                Ok(Some(user)) => format!("{} (uid {uid})", user.name),
                _ => format!("uid {uid}"),
            })
            .clone()
    }

    /// Whether `gid` is the private group of the user `uid`: that user's primary group, named
    /// after the user, with no other member, listed or by primary group.
    pub(super) fn private_group(gid: u32, uid: u32) -> bool {
        let Ok(Some(user)) = User::from_uid(Uid::from_raw(uid)) else {
            return false;
        };
        let Ok(Some(group)) = Group::from_gid(Gid::from_raw(gid)) else {
            return false;
        };
        is_private(&user.name, user.gid.as_raw(), &group, &primary_members(gid))
    }

    /// The rule of [`private_group`], for the user `owner` whose primary group is `primary`.
    pub(super) fn is_private(
        owner: &str,
        primary: u32,
        group: &Group,
        primary_members: &[String],
    ) -> bool {
        primary == group.gid.as_raw()
            && group.name == owner
            && group.mem.iter().all(|member| member == owner)
            && primary_members.iter().all(|member| member == owner)
    }

    /// The users of `/etc/passwd` whose primary group is `gid`. Only the local file can be
    /// listed: the name service lists users through `getpwent`, which is not thread-safe,
    /// and SSSD does not list directory users by default. A directory's private groups are
    /// made per user (SSSD's `auto_private_groups`), with no one else in them.
    fn primary_members(gid: u32) -> Vec<String> {
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        passwd
            .lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                let (name, primary) = (fields.first()?, fields.get(3)?.parse::<u32>().ok()?);
                (primary == gid).then(|| (*name).to_owned())
            })
            .collect()
    }
}

/// Fails with [`ConfigError::UnsafePath`] when `path` exists and cannot be trusted.
pub(crate) fn ensure_safe(path: &Path, holds: Holds, by: Use<'_>) -> Result<(), ConfigError> {
    match inspect(path, holds, by.elsewhere)? {
        Some(FileAccess {
            path,
            problem: Some(problem),
            fix,
            ..
        }) => Err(ConfigError::UnsafePath {
            what: by.what.to_owned(),
            path,
            problem,
            fix: fix.unwrap_or_default(),
        }),
        _ => Ok(()),
    }
}

/// Creates `dir` and its missing parents, each with mode 0700 whatever the umask, then checks
/// that `dir` can be trusted: see [`inspect`]. Nothing is created under a folder another user
/// could replace, or through a link another user could swap.
pub(crate) fn create_private_dir(dir: &Path, by: Use<'_>) -> Result<(), ConfigError> {
    if dir.as_os_str().is_empty() {
        // The working folder, for a relative path: it exists, and is checked like any other.
        return ensure_safe(dir, Holds::Folder, by);
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
    if !missing.is_empty() {
        // The deepest folder that exists, judged as a folder above `dir` will be.
        let existing = shown(at.unwrap_or(Path::new("")));
        let unsafe_route = swappable_link(&existing, by.elsewhere)
            .or_else(|| unsafe_ancestor(&existing, true, by.elsewhere));
        if let Some((problem, fix)) = unsafe_route {
            return Err(ConfigError::UnsafePath {
                what: by.what.to_owned(),
                path: dir.to_owned(),
                problem: format!("it does not exist yet, and {problem}"),
                fix,
            });
        }
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

#[cfg(all(test, unix))]
mod tests {
    use nix::unistd::{Gid, Group};

    use super::users::is_private;

    fn group(name: &str, members: &[&str]) -> Group {
        Group {
            name: name.to_owned(),
            passwd: std::ffi::CString::default(),
            gid: Gid::from_raw(1000),
            mem: members.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    fn alice(primary: u32, group: &Group, primary_members: &[&str]) -> bool {
        let primary_members: Vec<String> =
            primary_members.iter().map(|m| (*m).to_owned()).collect();
        is_private("alice", primary, group, &primary_members)
    }

    #[test]
    fn a_private_group_is_the_owners_primary_named_after_them_with_no_one_else() {
        assert!(alice(1000, &group("alice", &[]), &["alice"]));
        assert!(alice(1000, &group("alice", &["alice"]), &["alice"]));
        // Another member, listed in the group or by their primary group.
        assert!(!alice(1000, &group("alice", &["bob"]), &["alice"]));
        assert!(!alice(1000, &group("alice", &[]), &["alice", "bob"]));
        // A shared group, or one that is not her primary group.
        assert!(!alice(1000, &group("staff", &[]), &["alice"]));
        assert!(!alice(100, &group("alice", &[]), &[]));
    }
}
