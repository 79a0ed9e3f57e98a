//! A crate's targets from its `Cargo.toml`, without `cargo metadata`.
//!
//! A build script must not call cargo, so this follows cargo's own target inference
//! (`cargo::util::toml::targets`) for the kinds that can hold config: lib, bins, examples.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::diagnostic::{Diagnostic, DiagnosticKind};
use super::lexer::Lines;

/// The kind of a cargo target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetKind {
    /// The library.
    Lib,
    /// A binary.
    Bin,
    /// An example.
    Example,
}

/// A target whose module tree can be scanned.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    /// Lib, bin or example.
    pub kind: TargetKind,
    /// The target's name, as in `Cargo.toml`.
    pub name: String,
    /// The name rustc sees, `CARGO_CRATE_NAME`: `name` with `-` turned into `_`.
    pub crate_name: String,
    /// The root source file.
    pub root: PathBuf,
}

/// Why a crate's targets could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// A file or directory could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// `Cargo.toml` is not valid TOML, or has the wrong shape.
    #[error("{0}")]
    Manifest(Diagnostic),
    /// A target is declared but cargo could not find its file either.
    #[error("`{}`: {message}", manifest.display())]
    Target {
        /// The `Cargo.toml`.
        manifest: PathBuf,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
    lib: Option<TomlTarget>,
    #[serde(default)]
    bin: Vec<TomlTarget>,
    #[serde(default)]
    example: Vec<TomlTarget>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    /// A string, or `{ workspace = true }`.
    edition: Option<toml::Value>,
    autolib: Option<bool>,
    autobins: Option<bool>,
    autoexamples: Option<bool>,
}

#[derive(Deserialize, Clone)]
struct TomlTarget {
    name: Option<String>,
    path: Option<PathBuf>,
}

/// The lib, the bins and, when `include_examples`, the examples of the crate in `manifest_dir`.
///
/// Sorted by kind, then name, then root.
///
/// # Errors
///
/// When `Cargo.toml` cannot be read or parsed, has no `[package]`, or declares a target whose
/// file cargo could not infer either.
pub fn targets(manifest_dir: &Path, include_examples: bool) -> Result<Vec<Target>, ScanError> {
    let manifest_path = manifest_dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest_path).map_err(|source| ScanError::Read {
        path: manifest_path.clone(),
        source,
    })?;
    let manifest: Manifest = toml::from_str(&text).map_err(|e| {
        let position = e
            .span()
            .map_or((1, 1), |span| Lines::new(&text).locate(span.start));
        let message = e.message().to_owned();
        ScanError::Manifest(Diagnostic::new(
            &manifest_path,
            position,
            DiagnosticKind::Parse,
            message,
        ))
    })?;
    let Some(package) = &manifest.package else {
        return Err(ScanError::Target {
            manifest: manifest_path,
            message: "no `[package]`: a virtual manifest has no targets".to_owned(),
        });
    };
    let crate_ = Crate {
        dir: manifest_dir,
        manifest: &manifest_path,
        package,
    };
    let mut out = Vec::new();
    out.extend(crate_.lib(manifest.lib.as_ref())?);
    out.extend(crate_.kind(TargetKind::Bin, &manifest.bin, package.autobins)?);
    if include_examples {
        out.extend(crate_.kind(TargetKind::Example, &manifest.example, package.autoexamples)?);
    }
    out.sort();
    Ok(out)
}

struct Crate<'a> {
    dir: &'a Path,
    manifest: &'a Path,
    package: &'a Package,
}

impl Crate<'_> {
    /// `[lib]`, or `src/lib.rs` unless `autolib = false`.
    fn lib(&self, declared: Option<&TomlTarget>) -> Result<Option<Target>, ScanError> {
        let inferred = Some(self.dir.join("src/lib.rs"))
            .filter(|p| self.package.autolib != Some(false) && p.is_file());
        let root = match (declared, inferred) {
            (
                Some(TomlTarget {
                    path: Some(path), ..
                }),
                _,
            ) => self.dir.join(path),
            (_, Some(inferred)) => inferred,
            (Some(_), None) => {
                return Err(self.error(
                    "can't find the library: add `src/lib.rs` or set `lib.path`".to_owned(),
                ));
            }
            (None, None) => return Ok(None),
        };
        let name = declared
            .and_then(|lib| lib.name.clone())
            .unwrap_or_else(|| self.package.name.clone());
        Ok(Some(target(TargetKind::Lib, name, root)))
    }

    /// Declared bins or examples, plus the inferred ones that cargo would add.
    fn kind(
        &self,
        kind: TargetKind,
        declared: &[TomlTarget],
        autodiscover: Option<bool>,
    ) -> Result<Vec<Target>, ScanError> {
        let inferred = self.inferred(kind)?;
        // Cargo adds inferred targets whose name and path no declared target takes. With
        // declared targets, edition 2015 defaults autodiscovery to off.
        let autodiscover = autodiscover.unwrap_or(declared.is_empty() || !self.is_2015());
        let mut all = Vec::new();
        let mut names = HashSet::new();
        let mut paths = HashSet::new();
        for t in declared {
            let Some(name) = &t.name else {
                return Err(self.error(format!("a `[[{}]]` target needs a `name`", table(kind))));
            };
            let root = match &t.path {
                Some(path) => self.dir.join(path),
                None => self.infer_path(kind, name, &inferred)?,
            };
            names.insert(name.clone());
            paths.insert(root.clone());
            all.push(target(kind, name.clone(), root));
        }
        if autodiscover {
            for (name, root) in inferred {
                if !names.contains(&name) && !paths.contains(&root) {
                    all.push(target(kind, name, root));
                }
            }
        }
        Ok(all)
    }

    /// Cargo's inferred targets: `src/main.rs`, `src/bin/*.rs`, `src/bin/*/main.rs`, and the
    /// same under `examples/`.
    fn inferred(&self, kind: TargetKind) -> Result<Vec<(String, PathBuf)>, ScanError> {
        match kind {
            TargetKind::Lib => Ok(Vec::new()),
            TargetKind::Bin => {
                let mut out = Vec::new();
                let main = self.dir.join("src/main.rs");
                if main.is_file() {
                    out.push((self.package.name.clone(), main));
                }
                out.extend(from_directory(&self.dir.join("src/bin"))?);
                Ok(out)
            }
            TargetKind::Example => from_directory(&self.dir.join("examples")),
        }
    }

    /// The path of a declared target without `path`: the inferred target of the same name.
    fn infer_path(
        &self,
        kind: TargetKind,
        name: &str,
        inferred: &[(String, PathBuf)],
    ) -> Result<PathBuf, ScanError> {
        let mut matching = inferred.iter().filter(|(n, _)| n == name).map(|(_, p)| p);
        match (matching.next(), matching.next()) {
            (Some(path), None) => Ok(path.clone()),
            (None, _) => Err(self.error(format!(
                "can't find `{name}` {}: set its `path`",
                table(kind)
            ))),
            (Some(a), Some(b)) => Err(self.error(format!(
                "cannot infer the path of `{name}` {}: both `{}` and `{}` exist",
                table(kind),
                a.display(),
                b.display()
            ))),
        }
    }

    fn is_2015(&self) -> bool {
        match &self.package.edition {
            None => true,
            Some(edition) => edition.as_str() == Some("2015"),
        }
    }

    fn error(&self, message: String) -> ScanError {
        ScanError::Target {
            manifest: self.manifest.to_path_buf(),
            message,
        }
    }
}

/// `dir/*.rs` named after the file, and `dir/*/main.rs` named after the directory; sorted.
fn from_directory(dir: &Path) -> Result<Vec<(String, PathBuf)>, ScanError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ScanError::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| ScanError::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        let found = if path.is_dir() {
            let main = path.join("main.rs");
            main.is_file().then(|| (path.file_name(), main))
        } else if path.extension().is_some_and(|e| e == "rs") {
            Some((path.file_stem(), path.clone()))
        } else {
            None
        };
        // Cargo skips names that are not UTF-8 as well.
        if let Some((Some(name), root)) = found
            && let Some(name) = name.to_str()
        {
            out.push((name.to_owned(), root));
        }
    }
    out.sort();
    Ok(out)
}

fn target(kind: TargetKind, name: String, root: PathBuf) -> Target {
    Target {
        kind,
        crate_name: name.replace('-', "_"),
        name,
        root,
    }
}

fn table(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Lib => "lib",
        TargetKind::Bin => "bin",
        TargetKind::Example => "example",
    }
}
