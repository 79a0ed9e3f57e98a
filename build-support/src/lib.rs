//! `build.rs` integration for `harmony_config`: typed accessors for every config of a crate.
//!
//! Add the dependencies:
//!
//! ```toml
//! [dependencies]
//! harmony_config = "0.1"
//!
//! [build-dependencies]
//! harmony_build = "0.1"
//! ```
//!
//! Write `build.rs`:
//!
//! ```no_run
//! fn main() -> Result<(), harmony_build::Error> {
//!     harmony_build::generate()
//! }
//! ```
//!
//! Then include the generated module, once per target (the library, each binary, each
//! example):
//!
//! ```text
//! harmony_config::include_generated!();
//!
//! async fn run() -> Result<(), harmony_config::ConfigError> {
//!     let auth = config::switch_auth().await?;
//!     Ok(())
//! }
//! ```
//!
//! The module holds an async accessor and a setter per key, and `config::ALL`, the registry
//! of every key with its environment variable, JSON Schema, docs and secret fields.
//!
//! The build script scans its own crate, from `CARGO_MANIFEST_DIR`, and the path
//! dependencies whose types its configs use (read from the `Cargo.toml`s, never through
//! `cargo metadata`). It writes only into `OUT_DIR`, rewrites a file only when its bytes
//! change, and tells cargo to rerun it only when a file it read changes: those crates' files,
//! the manifests, and the schema files that `#[harmony_config::schema(file = "...")]` names.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use harmony_codegen::generate;
use harmony_codegen::scan::{self, Target, TargetKind};
use harmony_codegen::schema::Severity;

/// Scans the calling crate and writes its accessor modules into `OUT_DIR`; see the crate
/// documentation.
///
/// # Errors
///
/// When a source file does not parse, a config is misused, or a file cannot be written; the
/// error lists each problem at `file:line:col`.
pub fn generate() -> Result<(), Error> {
    Builder::new().generate()
}

/// Options for [`generate`], set with `&mut self` methods.
#[derive(Clone, Debug)]
pub struct Builder {
    examples: bool,
    manifest_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// The defaults: every target including examples, the crate cargo is building, and
    /// cargo's `OUT_DIR`.
    #[must_use]
    pub fn new() -> Self {
        Self {
            examples: true,
            manifest_dir: None,
            out_dir: None,
        }
    }

    /// Whether to generate for the crate's examples too (the default).
    pub fn examples(&mut self, examples: bool) -> &mut Self {
        self.examples = examples;
        self
    }

    /// The crate to scan, instead of `CARGO_MANIFEST_DIR`.
    pub fn manifest_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.manifest_dir = Some(dir.into());
        self
    }

    /// Where to write, instead of `OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates; see [`generate`].
    ///
    /// # Errors
    ///
    /// As [`generate`].
    pub fn generate(&self) -> Result<(), Error> {
        let manifest_dir = dir_or_env(self.manifest_dir.as_ref(), "CARGO_MANIFEST_DIR")?;
        let out_dir = dir_or_env(self.out_dir.as_ref(), "OUT_DIR")?.join("harmony_config");
        let targets =
            scan::targets(&manifest_dir, self.examples).map_err(|e| Error::Setup(e.to_string()))?;

        let mut watched = BTreeSet::from([manifest_dir.join("Cargo.toml")]);
        // A new file here is a new target, which needs its own generated file.
        for dir in ["src/bin", "examples"].map(|d| manifest_dir.join(d)) {
            if dir.is_dir() && (self.examples || !dir.ends_with("examples")) {
                watched.insert(dir);
            }
        }
        let mut problems = Vec::new();
        for target in primary_targets(&targets) {
            let generated = generate::target(&manifest_dir, &target.root);
            watched.extend(generated.files_read.iter().cloned());
            for problem in &generated.diagnostics {
                match problem.severity {
                    Severity::Warning => println!("cargo:warning={problem}"),
                    Severity::Error => problems.push(problem.to_string()),
                }
            }
            if let Some(source) = generated.source {
                let path = out_dir.join(format!("{}.rs", target.crate_name));
                write_if_changed(&path, &source).map_err(|e| Error::Write(path.clone(), e))?;
            }
        }
        for path in &watched {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Problems(problems))
        }
    }
}

/// The targets that get a file: a binary named like the library shares its crate name, and
/// so its `include_generated!()`, and the library's accessors win.
fn primary_targets(targets: &[Target]) -> Vec<&Target> {
    let lib_name = targets
        .iter()
        .find(|t| t.kind == TargetKind::Lib)
        .map(|t| t.crate_name.as_str());
    let mut seen = BTreeSet::new();
    targets
        .iter()
        .filter(|t| t.kind == TargetKind::Lib || Some(t.crate_name.as_str()) != lib_name)
        .filter(|t| seen.insert(t.crate_name.clone()))
        .collect()
}

fn dir_or_env(dir: Option<&PathBuf>, var: &str) -> Result<PathBuf, Error> {
    match dir {
        Some(dir) => Ok(dir.clone()),
        None => std::env::var_os(var).map(PathBuf::from).ok_or_else(|| {
            Error::Setup(format!("{var} is not set: call harmony_build::generate() from a build script, which cargo runs with it"))
        }),
    }
}

/// Writes `text` to `path` unless the file already holds exactly it, so cargo sees no change.
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// Why generation failed.
pub enum Error {
    /// Not run the way a build script is, or the crate's manifest cannot be read.
    Setup(String),
    /// Problems in the crate's sources, one per line as `error: file:line:col: message`.
    Problems(Vec<String>),
    /// A generated file could not be written.
    Write(PathBuf, std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Setup(message) => write!(f, "harmony_build: {message}"),
            Self::Problems(problems) => {
                writeln!(
                    f,
                    "harmony_build found {} problem(s) in the config structs:",
                    problems.len()
                )?;
                for problem in problems {
                    writeln!(f, "{problem}")?;
                }
                Ok(())
            }
            Self::Write(path, error) => write!(
                f,
                "harmony_build: could not write {}: {error}",
                path.display()
            ),
        }
    }
}

// `fn main() -> Result<(), Error>` prints the error with `Debug`: make that the readable text.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}
