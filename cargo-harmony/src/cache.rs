//! What the codegen pipeline found in each target, kept between runs under the workspace's
//! target directory, so that a no-op `sync` parses nothing.
//!
//! The file is `<target-dir>/harmony/cache-v<version>.json`: another version of the tool
//! ignores it, and so does another build of this version (the binary's size and mtime are
//! recorded too). For each target root it holds every file the pipeline read, each with its
//! size, mtime and an XXH3 hash of its bytes, beside the configs and diagnostics found.
//!
//! A target is reused when every file it read still has its size and mtime; otherwise when
//! every file still has its hash (the new mtimes are then recorded); otherwise the pipeline
//! runs again. `sync --check` ([`Mode::Check`]) trusts no mtime: it hashes every file, and it
//! writes nothing, not even this cache. A file that joins the module tree is seen through the
//! file that declares it, whose `mod x;` line changed. A target with an error is never kept,
//! since a `mod x;` whose file is missing can be fixed without editing any file read.
//!
//! The cache only ever speeds things up: a file that cannot be read or parsed is ignored and
//! rebuilt, and failing to write it is not an error.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use harmony_codegen::generate::{self, GeneratedConfig};
use harmony_codegen::schema::{Problem, Severity};
use serde::{Deserialize, Serialize};

/// Bumped when the file's layout changes, on top of the tool's version in its name.
const FORMAT: u32 = 1;

/// Files modified this close to a run are not cached by that run: a write racing the run
/// could leave the recorded hash or mtime describing other bytes than those parsed.
/// Two seconds also covers file systems with coarse timestamps.
const SETTLE: Duration = Duration::from_secs(2);

/// How far mtimes are trusted, and whether the cache is written back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Same size and mtime means unchanged; the cache is updated on disk.
    Sync,
    /// Only a file's bytes count, and nothing is written: for `sync --check`.
    Check,
}

/// How each target's configs were found in one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Stats {
    /// Reused because every file kept its size and mtime.
    pub(crate) reused: usize,
    /// Reused because every file kept its bytes, checked by hash.
    pub(crate) verified: usize,
    /// Scanned again: not cached, or a file changed.
    pub(crate) scanned: usize,
}

/// What one target generates, as far as `cargo harmony` needs it.
pub(crate) struct TargetConfigs {
    pub(crate) configs: Vec<GeneratedConfig>,
    pub(crate) diagnostics: Vec<Problem>,
}

/// The cache of one run: loaded at the start, saved at the end.
pub(crate) struct Cache {
    path: Option<PathBuf>,
    mode: Mode,
    tool: Option<Stamp>,
    entries: HashMap<PathBuf, Entry>,
    used: HashSet<PathBuf>,
    changed: bool,
    stats: Stats,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    version: String,
    tool: Stamp,
    entries: Vec<Entry>,
}

/// A file's size and mtime, in nanoseconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    size: u64,
    mtime_ns: u64,
}

#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    manifest_dir: PathBuf,
    root: PathBuf,
    files: Vec<FileState>,
    configs: Vec<GeneratedConfig>,
    diagnostics: Vec<CachedProblem>,
}

#[derive(Clone, Serialize, Deserialize)]
struct FileState {
    path: PathBuf,
    #[serde(flatten)]
    stamp: Stamp,
    /// XXH3-64 of the bytes, in hex.
    hash: String,
}

#[derive(Clone, Serialize, Deserialize)]
struct CachedProblem {
    error: bool,
    file: PathBuf,
    line: usize,
    column: usize,
    message: String,
}

impl Cache {
    /// The cache under `target_dir`; empty when there is none or it cannot be used.
    pub(crate) fn open(target_dir: &Path, mode: Mode) -> Self {
        let path = target_dir
            .join("harmony")
            .join(format!("cache-v{}.json", env!("CARGO_PKG_VERSION")));
        let tool = std::env::current_exe()
            .ok()
            .and_then(|exe| fs::metadata(exe).ok())
            .and_then(|meta| stamp(&meta));
        let mut cache = Self {
            path: tool.is_some().then_some(path),
            mode,
            tool,
            entries: HashMap::new(),
            used: HashSet::new(),
            changed: false,
            stats: Stats::default(),
        };
        if let (Some(path), Some(tool)) = (&cache.path, tool) {
            match read(path, tool) {
                Ok(entries) => {
                    cache.entries = entries.into_iter().map(|e| (e.root.clone(), e)).collect();
                }
                Err(Unusable::Missing) => {}
                Err(Unusable::Other(why)) => {
                    tracing::debug!("ignoring cache {}: {why}", path.display());
                    cache.changed = true;
                }
            }
        }
        cache
    }

    /// The configs and diagnostics of the target at `root`, from the cache when none of its
    /// files changed, else from the codegen pipeline.
    pub(crate) fn target(&mut self, manifest_dir: &Path, root: &Path) -> TargetConfigs {
        self.used.insert(root.to_owned());
        if let Some(entry) = self
            .entries
            .get(root)
            .filter(|e| e.manifest_dir == manifest_dir)
        {
            match validate(&entry.files, self.mode) {
                Validity::Unchanged => {
                    self.stats.reused += 1;
                    return entry.configs();
                }
                Validity::SameBytes(files) => {
                    self.stats.verified += 1;
                    let found = entry.configs();
                    if let Some(entry) = self.entries.get_mut(root)
                        && entry
                            .files
                            .iter()
                            .map(|f| f.stamp)
                            .ne(files.iter().map(|f| f.stamp))
                    {
                        entry.files = files;
                        self.changed = true;
                    }
                    return found;
                }
                Validity::Changed => {}
            }
        }
        self.stats.scanned += 1;
        let started = SystemTime::now();
        let generated = generate::target(manifest_dir, root);
        let entry = Entry::new(manifest_dir, root, &generated, started);
        if self.entries.remove(root).is_some() {
            self.changed = true;
        }
        if let Some(entry) = entry {
            self.entries.insert(root.to_owned(), entry);
            self.changed = true;
        }
        TargetConfigs {
            configs: generated.configs,
            diagnostics: generated.diagnostics,
        }
    }

    /// How the targets were found so far.
    pub(crate) fn stats(&self) -> Stats {
        self.stats
    }

    /// Writes the cache back, atomically, when it changed and the mode allows. Targets not
    /// looked at in this run are kept while their root file exists, so `-p` forgets nothing.
    pub(crate) fn save(mut self) {
        if self.mode == Mode::Check || !self.changed {
            return;
        }
        let (Some(path), Some(tool)) = (self.path.take(), self.tool) else {
            return;
        };
        let used = std::mem::take(&mut self.used);
        let mut entries: Vec<Entry> = self
            .entries
            .into_values()
            .filter(|e| used.contains(&e.root) || e.root.is_file())
            .collect();
        entries.sort_by(|a, b| a.root.cmp(&b.root));
        let file = CacheFile {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            tool,
            entries,
        };
        if let Err(why) = write(&path, &file) {
            tracing::debug!("could not write cache {}: {why}", path.display());
        }
    }
}

impl Entry {
    /// The entry for what the pipeline found, or `None` when it must not be cached: an error
    /// was found, or a file changed too recently to be sure which bytes were parsed.
    fn new(
        manifest_dir: &Path,
        root: &Path,
        generated: &generate::Generated,
        started: SystemTime,
    ) -> Option<Self> {
        if generated.failed() {
            return None;
        }
        let settled = nanos(started.checked_sub(SETTLE)?)?;
        let mut files = Vec::with_capacity(generated.files_read.len());
        for path in &generated.files_read {
            let (stamp, hash) = hash_file(path)?;
            if stamp.mtime_ns >= settled {
                return None;
            }
            files.push(FileState {
                path: path.clone(),
                stamp,
                hash,
            });
        }
        Some(Self {
            manifest_dir: manifest_dir.to_owned(),
            root: root.to_owned(),
            files,
            configs: generated.configs.clone(),
            diagnostics: generated
                .diagnostics
                .iter()
                .map(CachedProblem::from)
                .collect(),
        })
    }

    fn configs(&self) -> TargetConfigs {
        TargetConfigs {
            configs: self.configs.clone(),
            diagnostics: self.diagnostics.iter().map(Problem::from).collect(),
        }
    }
}

enum Validity {
    Unchanged,
    /// The same bytes, some with a new size-and-mtime stamp: these are the files to record.
    SameBytes(Vec<FileState>),
    Changed,
}

/// Whether the files a target read still hold what they held when it was cached.
fn validate(files: &[FileState], mode: Mode) -> Validity {
    let settled = SystemTime::now()
        .checked_sub(SETTLE)
        .and_then(nanos)
        .unwrap_or(0);
    let mut hashed = false;
    let mut current = Vec::with_capacity(files.len());
    for file in files {
        let Some(now) = fs::metadata(&file.path).ok().and_then(|m| stamp(&m)) else {
            return Validity::Changed;
        };
        if now.size != file.stamp.size {
            return Validity::Changed;
        }
        if mode == Mode::Sync && now == file.stamp {
            current.push(file.clone());
            continue;
        }
        hashed = true;
        let Some((now, hash)) = hash_file(&file.path) else {
            return Validity::Changed;
        };
        if hash != file.hash {
            return Validity::Changed;
        }
        // A stamp taken this close to a write could match later bytes too: keep the old one,
        // which makes the next run hash the file again.
        let stamp = if now.mtime_ns < settled {
            now
        } else {
            file.stamp
        };
        current.push(FileState {
            path: file.path.clone(),
            stamp,
            hash,
        });
    }
    if hashed {
        Validity::SameBytes(current)
    } else {
        Validity::Unchanged
    }
}

/// The stamp and hash of a file, stamped before reading so that a write in between shows up
/// as a changed stamp next time.
fn hash_file(path: &Path) -> Option<(Stamp, String)> {
    let before = stamp(&fs::metadata(path).ok()?)?;
    let bytes = fs::read(path).ok()?;
    if bytes.len() as u64 != before.size {
        return None;
    }
    Some((
        before,
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)),
    ))
}

fn stamp(meta: &fs::Metadata) -> Option<Stamp> {
    Some(Stamp {
        size: meta.len(),
        mtime_ns: nanos(meta.modified().ok()?)?,
    })
}

fn nanos(time: SystemTime) -> Option<u64> {
    u64::try_from(time.duration_since(UNIX_EPOCH).ok()?.as_nanos()).ok()
}

enum Unusable {
    Missing,
    Other(String),
}

fn read(path: &Path, tool: Stamp) -> Result<Vec<Entry>, Unusable> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Other(e.to_string())),
    };
    let file: CacheFile =
        serde_json::from_slice(&bytes).map_err(|e| Unusable::Other(e.to_string()))?;
    if file.format != FORMAT || file.version != env!("CARGO_PKG_VERSION") {
        return Err(Unusable::Other("written by another version".to_owned()));
    }
    if file.tool != tool {
        return Err(Unusable::Other("written by another build".to_owned()));
    }
    Ok(file.entries)
}

/// Writes `file` to a temporary file beside `path`, then renames it over `path`.
fn write(path: &Path, file: &CacheFile) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let bytes = serde_json::to_vec(file).map_err(std::io::Error::other)?;
    let temp = dir.join(format!(".cache.{}.tmp", std::process::id()));
    let result = fs::File::create(&temp)
        .and_then(|mut out| out.write_all(&bytes))
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

impl From<&Problem> for CachedProblem {
    fn from(p: &Problem) -> Self {
        Self {
            error: p.severity == Severity::Error,
            file: p.file.clone(),
            line: p.line,
            column: p.column,
            message: p.message.clone(),
        }
    }
}

impl From<&CachedProblem> for Problem {
    fn from(p: &CachedProblem) -> Self {
        Self {
            severity: if p.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            file: p.file.clone(),
            line: p.line,
            column: p.column,
            message: p.message.clone(),
        }
    }
}
