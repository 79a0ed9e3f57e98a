//! The workspace's crates and their configs: cargo metadata for the members, then the same
//! codegen pipeline the build script runs, over every target of each.

use std::path::{Path, PathBuf};

use harmony_codegen::generate::GeneratedConfig;
use harmony_codegen::scan;
use harmony_codegen::schema::{Problem, Severity};

use crate::cache::Cache;
pub(crate) use crate::cache::Mode as CacheMode;
use crate::cli::WorkspaceArgs;
use crate::error::Error;

/// The selected members of a workspace, each with its configs.
pub(crate) struct Workspace {
    /// The workspace root, where `CONFIG.md` and `.env.example` go.
    pub(crate) root: PathBuf,
    /// The selected members, sorted by name.
    pub(crate) crates: Vec<Crate>,
    /// Problems in the sources, and keys defined twice.
    pub(crate) problems: Vec<Problem>,
}

/// One member crate.
pub(crate) struct Crate {
    /// The package name.
    pub(crate) name: String,
    /// The directory of its `Cargo.toml`.
    pub(crate) manifest_dir: PathBuf,
    /// Its configs across every target, sorted by key, each once.
    pub(crate) configs: Vec<GeneratedConfig>,
}

impl Workspace {
    /// Reads the workspace that `args` select; runs `cargo metadata --no-deps`, which needs no
    /// network. The cache is used as `mode` says: [`CacheMode::Sync`] trusts unchanged sizes
    /// and mtimes and updates the cache, [`CacheMode::Check`] checks every cached file by its
    /// bytes and writes nothing.
    ///
    /// # Errors
    ///
    /// When cargo metadata fails, a `-p` names no member, or a crate's manifest cannot be read.
    pub(crate) fn load(args: &WorkspaceArgs, mode: CacheMode) -> Result<Self, Error> {
        let started = std::time::Instant::now();
        let mut command = cargo_metadata::MetadataCommand::new();
        command.no_deps();
        if let Some(path) = &args.manifest_path {
            command.manifest_path(path);
        }
        let metadata = command.exec().map_err(|e| Error::Metadata(e.to_string()))?;
        let members = metadata.workspace_packages();
        for wanted in &args.packages {
            if !members.iter().any(|p| p.name.as_str() == wanted) {
                let names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
                return Err(Error::Usage(format!(
                    "no workspace member is called `{wanted}`; members: {}",
                    names.join(", ")
                )));
            }
        }
        let metadata_done = started.elapsed();
        let mut cache = Cache::open(metadata.target_directory.as_std_path(), mode);
        let cache_read = started.elapsed();
        let mut crates = Vec::new();
        let mut problems = Vec::new();
        for package in members.iter().filter(|p| {
            args.packages.is_empty() || args.packages.iter().any(|w| w == p.name.as_str())
        }) {
            let manifest_dir = package
                .manifest_path
                .parent()
                .map(|d| d.as_std_path().to_owned())
                .unwrap_or_default();
            let (configs, found) = crate_configs(&manifest_dir, &mut cache)?;
            problems.extend(found);
            crates.push(Crate {
                name: package.name.to_string(),
                manifest_dir,
                configs,
            });
        }
        let stats = cache.stats();
        let scanned = started.elapsed();
        cache.save();
        tracing::debug!(
            "cache: {} targets reused, {} verified by hash, {} scanned; cargo metadata {:?}, cache read {:?}, targets {:?}, cache write {:?}",
            stats.reused,
            stats.verified,
            stats.scanned,
            metadata_done,
            cache_read.saturating_sub(metadata_done),
            scanned.saturating_sub(cache_read),
            started.elapsed().saturating_sub(scanned),
        );
        crates.sort_by(|a, b| a.name.cmp(&b.name));
        problems.extend(duplicate_keys(&crates));
        Ok(Self {
            root: metadata.workspace_root.into_std_path_buf(),
            crates,
            problems,
        })
    }

    /// Every config of the selected crates, with its crate, sorted by key.
    #[must_use]
    pub(crate) fn configs(&self) -> Vec<(&Crate, &GeneratedConfig)> {
        let mut all: Vec<_> = self
            .crates
            .iter()
            .flat_map(|c| c.configs.iter().map(move |config| (c, config)))
            .collect();
        all.sort_by(|a, b| a.1.key.cmp(&b.1.key));
        all
    }

    /// The config of `key`.
    ///
    /// # Errors
    ///
    /// When no crate defines it; the message suggests the closest key.
    pub(crate) fn find(&self, key: &str) -> Result<(&Crate, &GeneratedConfig), Error> {
        let configs = self.configs();
        configs
            .iter()
            .find(|(_, c)| c.key == key)
            .copied()
            .ok_or_else(|| {
                let keys: Vec<&str> = configs.iter().map(|(_, c)| c.key.as_str()).collect();
                Error::UnknownKey {
                    key: key.to_owned(),
                    closest: closest(key, &keys).map(str::to_owned),
                }
            })
    }

    /// Where `config` is defined: `file:line`, relative to the workspace root.
    pub(crate) fn location(&self, krate: &Crate, config: &GeneratedConfig) -> String {
        let file = krate.manifest_dir.join(&config.file);
        format!("{}:{}", relative(&self.root, &file), config.line)
    }

    /// The errors among [`Workspace::problems`]; warnings are only printed.
    #[must_use]
    pub(crate) fn errors(&self) -> Vec<&Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .collect()
    }
}

/// The configs of every target of one crate, each from the cache when its files did not
/// change. A struct reached from several targets (the library and a binary that declares the
/// same modules) counts once.
fn crate_configs(
    manifest_dir: &Path,
    cache: &mut Cache,
) -> Result<(Vec<GeneratedConfig>, Vec<Problem>), Error> {
    let targets = scan::targets(manifest_dir, true).map_err(|e| Error::Source(e.to_string()))?;
    let mut configs: Vec<GeneratedConfig> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    for target in targets {
        let generated = cache.target(manifest_dir, &target.root);
        for problem in generated.diagnostics {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        for config in generated.configs {
            if !configs
                .iter()
                .any(|c| c.key == config.key && c.file == config.file && c.line == config.line)
            {
                configs.push(config);
            }
        }
    }
    configs.sort_by(|a, b| a.key.cmp(&b.key));
    Ok((configs, problems))
}

/// Two crates, or two structs of one crate, with one key: an error naming both places.
fn duplicate_keys(crates: &[Crate]) -> Vec<Problem> {
    let mut seen: Vec<(&str, PathBuf, usize)> = Vec::new();
    let mut problems = Vec::new();
    for krate in crates {
        for config in &krate.configs {
            let file = krate.manifest_dir.join(&config.file);
            if let Some((_, other, line)) = seen.iter().find(|(key, ..)| *key == config.key) {
                let message = format!(
                    "config key `{}` is also defined at {}:{line}; keys are global in a user's store, so give one a prefix with #[config(key = \"...\")]",
                    config.key,
                    other.display()
                );
                problems.push(Problem::error(&file, config.line, 1, message));
            } else {
                seen.push((&config.key, file, config.line));
            }
        }
    }
    problems
}

/// `path` relative to `root`, with `/` separators on every platform; a path outside `root`
/// stays whole.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let Ok(relative) = path.strip_prefix(root) else {
        return path.to_string_lossy().into_owned();
    };
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The key closest to `key` by edit distance, when it is close enough to be a typo.
#[must_use]
pub(crate) fn closest<'a>(key: &str, keys: &[&'a str]) -> Option<&'a str> {
    keys.iter()
        .map(|candidate| {
            (
                strsim::levenshtein(&key.to_lowercase(), &candidate.to_lowercase()),
                *candidate,
            )
        })
        .filter(|(d, candidate)| *d <= (candidate.len() / 3).max(2))
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_slashes() {
        let root = Path::new("/ws");
        let path = root.join("crates").join("a").join("CONFIG.md");
        assert_eq!(relative(root, &path), "crates/a/CONFIG.md");
        assert_eq!(relative(root, Path::new("/elsewhere/x")), "/elsewhere/x");
    }

    #[test]
    fn suggests_the_closest_key_only_when_close() {
        let keys = ["myproj.Database", "myproj.Switch", "Other"];
        assert_eq!(closest("myproj.Databse", &keys), Some("myproj.Database"));
        assert_eq!(closest("MYPROJ.SWITCH", &keys), Some("myproj.Switch"));
        assert_eq!(closest("completely.Different", &keys), None);
    }
}
