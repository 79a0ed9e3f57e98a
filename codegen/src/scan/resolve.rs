//! rustc's rules for finding a module's file (`rustc_expand::module`).
//!
//! A module has a directory where its children live. For a mod-rs file (a crate root, a
//! `mod.rs`, or any file loaded through `#[path]`) that is the file's own directory. For a
//! non-mod-rs file `a.rs`, children live in `a/`: rustc keeps that extra `a` apart (its
//! "relative" ident) because `#[path]` on a `mod x;` in `a.rs` ignores it.

use std::path::{Path, PathBuf};

/// Where the children of a module are looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModDir {
    /// rustc's `dir_path`.
    dir: PathBuf,
    /// For a non-mod-rs file `a.rs`, `a`: children without `#[path]` live in `dir/a/`.
    relative: Option<String>,
}

/// A `mod x;` whose file cannot be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// Neither candidate exists (rustc E0583); with `#[path]` there is only one candidate.
    NotFound(Vec<PathBuf>),
    /// Both `x.rs` and `x/mod.rs` exist (rustc E0761).
    Ambiguous(PathBuf, PathBuf),
}

impl ModDir {
    /// A crate root is a mod-rs file: its children sit next to it.
    pub(crate) fn of_root(root: &Path) -> Self {
        Self {
            dir: parent(root),
            relative: None,
        }
    }

    /// The directory for the body of `mod name { ... }`.
    pub(crate) fn inline(&self, name: &str, path_attr: Option<&str>) -> Self {
        // On an inline module, `#[path]` names a directory, for historical reasons.
        if let Some(path) = path_attr {
            return Self {
                dir: clean(&self.dir.join(path)),
                relative: None,
            };
        }
        let mut dir = self.dir.clone();
        if let Some(relative) = &self.relative {
            dir.push(relative);
        }
        dir.push(name);
        Self {
            dir,
            relative: None,
        }
    }

    /// The file of `mod name;`, and the directory for that file's children.
    pub(crate) fn outlined(
        &self,
        name: &str,
        path_attr: Option<&str>,
    ) -> Result<(PathBuf, Self), Unresolved> {
        if let Some(path) = path_attr {
            // Relative to `dir`, never to `relative`; the file then counts as mod-rs.
            let file = clean(&self.dir.join(path));
            if !file.exists() {
                return Err(Unresolved::NotFound(vec![file]));
            }
            let child = Self::of_root(&file);
            return Ok((file, child));
        }
        let mut base = self.dir.clone();
        if let Some(relative) = &self.relative {
            base.push(relative);
        }
        let default = base.join(format!("{name}.rs"));
        let secondary = base.join(name).join("mod.rs");
        match (default.exists(), secondary.exists()) {
            (true, false) => {
                let child = Self {
                    dir: base,
                    relative: Some(name.to_owned()),
                };
                Ok((default, child))
            }
            (false, true) => {
                let child = Self::of_root(&secondary);
                Ok((secondary, child))
            }
            (true, true) => Err(Unresolved::Ambiguous(default, secondary)),
            (false, false) => Err(Unresolved::NotFound(vec![default, secondary])),
        }
    }
}

fn parent(file: &Path) -> PathBuf {
    file.parent().map_or_else(PathBuf::new, Path::to_path_buf)
}

/// Drops `.` components and trailing slashes, so one file is not read under two spellings.
///
/// `..` stays: resolving it by hand would be wrong through a symlinked directory.
pub(crate) fn clean(path: &Path) -> PathBuf {
    path.components().collect()
}
