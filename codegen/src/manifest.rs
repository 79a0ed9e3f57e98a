//! What schema generation needs from a crate's `Cargo.toml`: the default features, which
//! decide `cfg_attr(feature = "...")`; the path dependencies, whose types are scanned like the
//! crate's own; and the schemas mapped in `[package.metadata.harmony.schemas]`.
//!
//! Like [`crate::scan::targets`], it reads the files itself: a build script must not call cargo.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Value;

use crate::scan::{TargetKind, targets};

/// The parts of a crate's manifest that schema generation reads.
#[derive(Debug, Default)]
pub struct CrateManifest {
    /// The crate's directory.
    pub dir: PathBuf,
    /// The features on in a build with default features: `default`, and what it turns on.
    pub default_features: BTreeSet<String>,
    /// `[features]`: each feature and what it turns on.
    pub features: BTreeMap<String, Vec<String>>,
    /// Path dependencies, by the name code uses for them.
    pub path_deps: BTreeMap<String, PathDep>,
    /// `[package.metadata.harmony.schemas]`: a foreign type's path to its schema file,
    /// relative to `dir`.
    pub schemas: BTreeMap<String, String>,
    /// The manifests read: the crate's, and the workspace's when a dependency comes from it.
    pub files_read: Vec<PathBuf>,
}

/// A path dependency, with the features the crate asks of it.
#[derive(Debug, Clone)]
pub struct PathDep {
    /// Its directory.
    pub dir: PathBuf,
    /// `features = [...]`.
    pub features: Vec<String>,
    /// `default-features`, true unless turned off.
    pub default_features: bool,
}

#[derive(Deserialize, Default)]
struct Manifest {
    package: Option<Package>,
    #[serde(default)]
    features: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    target: BTreeMap<String, TargetTables>,
    workspace: Option<Workspace>,
}

#[derive(Deserialize)]
struct Package {
    workspace: Option<PathBuf>,
    metadata: Option<Value>,
}

#[derive(Deserialize, Default)]
struct TargetTables {
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct Workspace {
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
}

impl CrateManifest {
    /// Reads the manifest in `dir`. A crate without one (a bare directory of sources) has no
    /// features, dependencies or mapped schemas.
    ///
    /// # Errors
    ///
    /// When `Cargo.toml` exists but cannot be read or is not valid TOML.
    pub fn read(dir: &Path) -> Result<Self, String> {
        let path = dir.join("Cargo.toml");
        let mut out = Self {
            dir: dir.to_owned(),
            ..Self::default()
        };
        let Some(manifest) = load(&path)? else {
            return Ok(out);
        };
        out.files_read.push(path);
        out.features.clone_from(&manifest.features);
        out.default_features = out.enabled_features(&[], true);
        let package = manifest.package.as_ref();
        out.schemas = package
            .and_then(|p| p.metadata.as_ref())
            .and_then(|m| m.get("harmony")?.get("schemas")?.as_table())
            .map(|table| {
                table
                    .iter()
                    .filter_map(|(ty, file)| Some((ty.clone(), file.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();

        let tables = [&manifest.dependencies, &manifest.dev_dependencies]
            .into_iter()
            .chain(
                manifest
                    .target
                    .values()
                    .flat_map(|t| [&t.dependencies, &t.dev_dependencies]),
            );
        let mut workspace: Option<(PathBuf, Manifest)> = None;
        for (key, own) in tables.flat_map(|t| t.iter()) {
            let spec = own;
            let from_workspace = spec.get("workspace").and_then(Value::as_bool) == Some(true);
            let (spec, base) = if from_workspace {
                if workspace.is_none() {
                    workspace = find_workspace(dir, package.and_then(|p| p.workspace.as_deref()))?;
                    if let Some((path, _)) = &workspace {
                        out.files_read.push(path.clone());
                    }
                }
                let Some((root, ws)) = &workspace else {
                    continue;
                };
                let inherited = ws.workspace.as_ref().and_then(|w| w.dependencies.get(key));
                let Some(inherited) = inherited else { continue };
                (
                    inherited,
                    root.parent().unwrap_or(Path::new(".")).to_owned(),
                )
            } else {
                (spec, dir.to_owned())
            };
            if let Some(path) = spec.get("path").and_then(Value::as_str) {
                let dep_dir = base.join(path);
                let renamed = spec.get("package").is_some();
                // A workspace dependency adds the member's own `features`.
                let mut features: Vec<String> = Vec::new();
                for table in [spec, own] {
                    features.extend(strings(table.get("features")));
                }
                let default_features = [spec, own]
                    .iter()
                    .all(|t| t.get("default-features").and_then(Value::as_bool) != Some(false));
                if let Some(name) = extern_name(key, renamed, &dep_dir) {
                    out.path_deps.entry(name).or_insert(PathDep {
                        dir: dep_dir,
                        features,
                        default_features,
                    });
                }
            }
        }
        Ok(out)
    }
}

fn load(path: &Path) -> Result<Option<Manifest>, String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| format!("`{}`: {}", path.display(), e.message()))
}

/// The workspace root manifest: `package.workspace` when set, else the nearest ancestor
/// whose `Cargo.toml` has a `[workspace]`, as cargo finds it.
fn find_workspace(
    dir: &Path,
    declared: Option<&Path>,
) -> Result<Option<(PathBuf, Manifest)>, String> {
    if let Some(declared) = declared {
        let path = dir.join(declared).join("Cargo.toml");
        return Ok(load(&path)?.map(|m| (path, m)));
    }
    for ancestor in dir.ancestors().skip(1) {
        let path = ancestor.join("Cargo.toml");
        if let Some(manifest) = load(&path)?
            && manifest.workspace.is_some()
        {
            return Ok(Some((path, manifest)));
        }
    }
    Ok(None)
}

/// The name code uses for a dependency: its key when renamed with `package`, else its
/// library's name (which `[lib] name` may change), with `-` as `_`.
fn extern_name(key: &str, renamed: bool, dep_dir: &Path) -> Option<String> {
    if renamed {
        return Some(key.replace('-', "_"));
    }
    let lib = targets(dep_dir, false)
        .ok()?
        .into_iter()
        .find(|t| t.kind == TargetKind::Lib)?;
    Some(lib.crate_name)
}

impl CrateManifest {
    /// The features a build turns on when asked for `requested`, and `default` unless
    /// `defaults` is false, then what each turns on within the crate. `dep:x` and `x/feature`
    /// name dependencies, not features of this crate; an optional dependency's implicit
    /// feature counts by its name.
    #[must_use]
    pub fn enabled_features(&self, requested: &[String], defaults: bool) -> BTreeSet<String> {
        let mut on = BTreeSet::new();
        let mut todo: Vec<String> = requested.to_vec();
        if defaults {
            todo.push("default".to_owned());
        }
        while let Some(feature) = todo.pop() {
            if !on.insert(feature.clone()) {
                continue;
            }
            for next in self.features.get(&feature).into_iter().flatten() {
                if !next.starts_with("dep:") && !next.contains('/') {
                    todo.push(next.clone());
                }
            }
        }
        on.remove("default");
        on
    }
}

/// The strings of a TOML array, if it is one.
fn strings(value: Option<&Value>) -> impl Iterator<Item = String> + '_ {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_features_follow_their_closure() {
        let manifest = CrateManifest {
            features: toml::from_str(
                r#"
                default = ["serde", "json"]
                json = ["dep:serde_json", "serde/std", "pretty"]
                pretty = []
                unused = ["extra"]
                kebab = []
                "#,
            )
            .unwrap(),
            ..CrateManifest::default()
        };
        let on: Vec<String> = manifest.enabled_features(&[], true).into_iter().collect();
        assert_eq!(on, ["json", "pretty", "serde"]);
        let asked = manifest.enabled_features(&["kebab".to_owned()], false);
        assert_eq!(asked.into_iter().collect::<Vec<_>>(), ["kebab"]);
    }

    #[test]
    fn path_dependencies_and_workspace_ones_are_found() {
        let root = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"types\"]\n[workspace.dependencies]\nshared-types = { path = \"types\" }\n",
        );
        write("types/Cargo.toml", "[package]\nname = \"shared-types\"\n");
        write("types/src/lib.rs", "");
        write(
            "other/Cargo.toml",
            "[package]\nname = \"other\"\n[lib]\nname = \"renamed_lib\"\n",
        );
        write("other/src/lib.rs", "");
        write(
            "app/Cargo.toml",
            "[package]\nname = \"app\"\n[dependencies]\nshared-types = { workspace = true }\nother = { path = \"../other\" }\nalias = { path = \"../other\", package = \"other\" }\nserde = \"1\"\n[package.metadata.harmony.schemas]\n\"kstring::KString\" = \"schemas/kstring.json\"\n",
        );
        let manifest = CrateManifest::read(&root.path().join("app")).unwrap();
        let deps: Vec<&str> = manifest.path_deps.keys().map(String::as_str).collect();
        assert_eq!(deps, ["alias", "renamed_lib", "shared_types"]);
        assert_eq!(
            manifest.schemas.get("kstring::KString").map(String::as_str),
            Some("schemas/kstring.json")
        );
        assert_eq!(manifest.files_read.len(), 2, "{:?}", manifest.files_read);
    }
}
