//! What `sync` produces, computed in memory, next to what is on disk now.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use harmony_codegen::emit::schema_text;
use harmony_codegen::schema::GENERATED_MARKER;
use harmony_config::naming::validate_key;

use super::layout::{CONFIG_MD, DOC_MARKER_PREFIX, ENV_EXAMPLE, SCHEMA_DIR, SCHEMA_SUFFIX};
use super::{files, render};
use crate::error::Error;
use crate::output::Origin;
use crate::workspace::{Workspace, relative};

/// One file that `sync` writes, removes, or leaves alone.
pub(super) struct Entry {
    /// Where it is.
    pub(super) path: PathBuf,
    /// Its path relative to the workspace root, with `/` separators.
    pub(super) display: String,
    /// What it should hold; `None` for an orphan, which is removed.
    pub(super) wanted: Option<Artifact>,
    /// What it holds now; `None` when it does not exist.
    pub(super) current: Option<Vec<u8>>,
}

/// A generated file's text and what it comes from.
pub(super) struct Artifact {
    /// The exact text.
    pub(super) text: String,
    /// The struct behind a schema file; `None` for the workspace's reference files.
    pub(super) origin: Option<Origin>,
}

/// How a file on disk compares with what `sync` produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    /// Byte for byte what `sync` writes.
    Unchanged,
    /// Not there yet.
    Missing,
    /// There, with other bytes.
    Stale,
    /// Generated earlier, for a config that no longer exists.
    Orphan,
}

impl Status {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Unchanged => "unchanged",
            Self::Missing => "missing",
            Self::Stale => "stale",
            Self::Orphan => "orphan",
        }
    }
}

impl Entry {
    /// The struct behind a schema file.
    pub(super) fn origin(&self) -> Option<&Origin> {
        self.wanted.as_ref().and_then(|w| w.origin.as_ref())
    }

    pub(super) fn status(&self) -> Status {
        match (&self.wanted, &self.current) {
            (None, _) => Status::Orphan,
            (Some(_), None) => Status::Missing,
            (Some(wanted), Some(current)) if wanted.text.as_bytes() == current.as_slice() => {
                Status::Unchanged
            }
            (Some(_), Some(_)) => Status::Stale,
        }
    }
}

/// Every file `sync` manages for the selected crates, sorted by path; with `whole_workspace`,
/// also `CONFIG.md` and `.env.example`, which list every key of the workspace.
///
/// # Errors
///
/// When a file cannot be read, a key cannot name a file, a template fails, or `CONFIG.md` or
/// `.env.example` exists without the marker (it is the user's, and `sync` never overwrites it).
pub(super) fn plan(workspace: &Workspace, whole_workspace: bool) -> Result<Vec<Entry>, Error> {
    let root = &workspace.root;
    let mut entries = Vec::new();
    for krate in &workspace.crates {
        let dir = krate.manifest_dir.join(SCHEMA_DIR);
        let mut names = BTreeSet::new();
        for config in &krate.configs {
            let location = workspace.location(krate, config);
            if let Err(why) = validate_key(&config.key) {
                return Err(Error::Source(format!(
                    "{location}:1: invalid config key `{}`: {why}",
                    config.key
                )));
            }
            let name = format!("{}{SCHEMA_SUFFIX}", config.key);
            let path = dir.join(&name);
            names.insert(name);
            let origin = Origin {
                krate: krate.name.clone(),
                key: config.key.clone(),
                type_path: config.type_path.clone(),
                source: location,
            };
            let current = files::read(&path)?;
            refuse_foreign(&path, current.as_deref(), is_generated_schema)?;
            entries.push(Entry {
                display: relative(root, &path),
                current,
                wanted: Some(Artifact {
                    text: schema_text(&config.schema),
                    origin: Some(origin),
                }),
                path,
            });
        }
        for path in files::list(&dir, SCHEMA_SUFFIX)? {
            let known = path
                .file_name()
                .is_some_and(|n| names.contains(n.to_string_lossy().as_ref()));
            if known {
                continue;
            }
            // A schema this tool did not write is the user's: never touched.
            if let Some(current) = files::read(&path)?
                && is_generated_schema(&current)
            {
                entries.push(Entry {
                    display: relative(root, &path),
                    path,
                    wanted: None,
                    current: Some(current),
                });
            }
        }
    }
    if whole_workspace {
        let docs = render::Docs::new(workspace);
        for (name, text) in [
            (CONFIG_MD, docs.config_md()?),
            (ENV_EXAMPLE, docs.env_example()?),
        ] {
            let path = root.join(name);
            let current = files::read(&path)?;
            refuse_foreign(&path, current.as_deref(), is_generated_doc)?;
            entries.push(Entry {
                path,
                display: name.to_owned(),
                wanted: Some(Artifact { text, origin: None }),
                current,
            });
        }
    }
    entries.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(entries)
}

/// A file at a generated file's path, without the marker, is the user's: `sync` never
/// overwrites it, and says how to get out of the way.
fn refuse_foreign(
    path: &Path,
    current: Option<&[u8]>,
    generated: fn(&[u8]) -> bool,
) -> Result<(), Error> {
    match current {
        Some(current) if !generated(current) => Err(Error::Usage(format!(
            "{} exists and was not generated by cargo harmony (it lacks the `@generated` marker), so sync will not overwrite it; move it elsewhere, then run `cargo harmony sync`",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Whether a schema file is one this tool wrote: its top-level `$comment` is the marker. A
/// schema that only quotes the marker somewhere, as a user's edited copy may, is the user's.
fn is_generated_schema(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|schema| {
        schema.get("$comment").and_then(serde_json::Value::as_str) == Some(GENERATED_MARKER)
    })
}

/// Whether a document's first line carries the marker, as every generated one does.
fn is_generated_doc(bytes: &[u8]) -> bool {
    bytes
        .split(|b| *b == b'\n')
        .next()
        .is_some_and(|line| contains(line, DOC_MARKER_PREFIX))
}

/// Whether `bytes` contain `needle`.
fn contains(bytes: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_compares_bytes() {
        let entry = |wanted: Option<&str>, current: Option<&str>| Entry {
            path: PathBuf::new(),
            display: String::new(),
            wanted: wanted.map(|t| Artifact {
                text: t.to_owned(),
                origin: None,
            }),
            current: current.map(|c| c.as_bytes().to_vec()),
        };
        assert_eq!(entry(Some("a\n"), Some("a\n")).status(), Status::Unchanged);
        assert_eq!(entry(Some("a\n"), Some("a")).status(), Status::Stale);
        assert_eq!(entry(Some("a\n"), None).status(), Status::Missing);
        assert_eq!(entry(None, Some("a")).status(), Status::Orphan);
    }

    #[test]
    fn markers_are_found_in_bytes() {
        assert!(contains(
            b"x @generated by cargo harmony y",
            DOC_MARKER_PREFIX
        ));
        assert!(super::super::layout::DOC_MARKER.starts_with(DOC_MARKER_PREFIX));
        assert!(!contains(b"", "x"));
    }
}
