//! `cargo harmony init`: sets up an existing crate to use `harmony_config`.
//!
//! 1. Adds `harmony_config` (with `serde` and `schemars`, which the derive needs) and the
//!    `harmony_build` build-dependency to `Cargo.toml`, through `toml_edit`, so the file keeps
//!    its comments and formatting.
//! 2. Writes `build.rs` and an example config struct, from the templates in the repository's
//!    `templates/init/` folder.
//! 3. Prints the two lines to add to the crate's root file, which it never edits.
//!
//! It never overwrites a file: an existing `build.rs` gets instructions instead, and exit
//! code 1 says a step is left to do by hand. A second run changes nothing.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use harmony_codegen::{generate, scan};
use minijinja::{Value as Context, context};
use toml_edit::{Array, DocumentMut, InlineTable, Item, TableLike, value};

use crate::cli::WorkspaceArgs;
use crate::error::{Error, Outcome, io};
use crate::output::{Message, Output};
use crate::templates;

const BUILD_TEMPLATE: &str = include_str!("../../../templates/init/build.rs.jinja");
const BUILD_SNIPPET_TEMPLATE: &str = include_str!("../../../templates/init/build-snippet.rs.jinja");
const EXAMPLE_TEMPLATE: &str = include_str!("../../../templates/init/example.rs.jinja");

/// The example's module name; its file is `src/{EXAMPLE_MODULE}.rs`.
const EXAMPLE_MODULE: &str = "harmony_config_example";
/// The example's struct, and the last part of its key.
const EXAMPLE_STRUCT: &str = "ExampleConfig";
/// The line that declares the generated accessors.
const INCLUDE_LINE: &str = "harmony_config::include_generated!();";

/// `cargo harmony init [--path DIR]`.
pub(crate) fn run(
    args: &WorkspaceArgs,
    checkout: Option<&Path>,
    out: &Output,
) -> Result<Outcome, Error> {
    let manifest_path = locate_manifest(args)?;
    let dir = manifest_path
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default();
    let origin = match checkout {
        Some(checkout) => Origin::checkout(checkout)?,
        None => Origin::Registry(format!(
            "{}.{}",
            env!("CARGO_PKG_VERSION_MAJOR"),
            env!("CARGO_PKG_VERSION_MINOR")
        )),
    };
    let mut report = Report::new(out);

    let text = read(&manifest_path)?.unwrap_or_default();
    let mut manifest: DocumentMut = text
        .parse()
        .map_err(|e| Error::Source(format!("{}: {e}", manifest_path.display())))?;
    let package = package_name(&manifest, &manifest_path)?;
    let build = build_script(&manifest);
    let root = root_file(&manifest, &dir);
    let added = add_dependencies(&mut manifest, &origin, &manifest_path)?;
    if added.is_empty() {
        report.step("Cargo.toml", Step::Unchanged, "has the dependencies")?;
    } else {
        fs::write(&manifest_path, manifest.to_string()).map_err(io("write", &manifest_path))?;
        report.step(
            "Cargo.toml",
            Step::Changed,
            &format!("added {}", added.join(", ")),
        )?;
    }

    // Keys are global in a user's store, so the example's starts with the crate's name.
    let key = format!("{package}.{EXAMPLE_STRUCT}");
    let vars = context! {
        env_var => harmony_config::env_var_name(&key),
        accessor => harmony_config::naming::accessor_name(&key),
        package,
        key,
    };
    write_build_script(&dir, &build, &vars, &mut report)?;
    let example = write_example(&dir, &vars, &mut report)?;
    report.next_steps(&dir, &root, example)?;
    report.finish()
}

/// Where the dependencies come from.
enum Origin {
    /// A checkout of this repository: the runtime and build-support crates inside it.
    Checkout(PathBuf),
    /// crates.io, with this version requirement.
    Registry(String),
}

impl Origin {
    /// A checkout, made absolute so the dependency lines work from any crate.
    fn checkout(dir: &Path) -> Result<Self, Error> {
        let dir = dir.canonicalize().map_err(io("find", dir))?;
        for member in ["runtime", "build-support"] {
            if !dir.join(member).join("Cargo.toml").is_file() {
                return Err(Error::Usage(format!(
                    "--path {}: no {member}/Cargo.toml there; give the root of a harmony checkout",
                    dir.display()
                )));
            }
        }
        if dir.to_str().is_none() {
            return Err(Error::Usage(format!(
                "--path {}: Cargo.toml can only hold UTF-8 paths",
                dir.display()
            )));
        }
        Ok(Self::Checkout(dir))
    }

    /// The dependency value for the crate in `member`, the checkout's folder for it.
    fn dependency(&self, member: &str) -> Item {
        match self {
            Self::Checkout(dir) => {
                let mut table = InlineTable::new();
                table.insert(
                    "path",
                    dir.join(member).to_string_lossy().into_owned().into(),
                );
                value(table)
            }
            Self::Registry(version) => value(version.as_str()),
        }
    }
}

/// The manifest `init` edits: `--manifest-path`, the one `-p` package, or the nearest
/// `Cargo.toml` from the current directory up.
fn locate_manifest(args: &WorkspaceArgs) -> Result<PathBuf, Error> {
    let path = match (args.packages.as_slice(), &args.manifest_path) {
        ([], Some(path)) => path.clone(),
        ([], None) => {
            let cwd = std::env::current_dir().map_err(io("read", Path::new(".")))?;
            cwd.ancestors()
                .map(|dir| dir.join("Cargo.toml"))
                .find(|path| path.is_file())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "no Cargo.toml in {} or above; run init in a crate, or give --manifest-path",
                        cwd.display()
                    ))
                })?
        }
        ([name], manifest_path) => package_manifest(name, manifest_path.as_deref())?,
        _ => {
            return Err(Error::Usage(
                "init sets up one package at a time; give one -p".to_owned(),
            ));
        }
    };
    if path.file_name().is_none_or(|name| name != "Cargo.toml") {
        return Err(Error::Usage(format!(
            "--manifest-path {}: give the path of a Cargo.toml",
            path.display()
        )));
    }
    path.canonicalize().map_err(io("find", &path))
}

/// The manifest of the workspace member called `name`.
fn package_manifest(name: &str, manifest_path: Option<&Path>) -> Result<PathBuf, Error> {
    let mut command = cargo_metadata::MetadataCommand::new();
    command.no_deps();
    if let Some(path) = manifest_path {
        command.manifest_path(path);
    }
    let metadata = command.exec().map_err(|e| Error::Metadata(e.to_string()))?;
    let members = metadata.workspace_packages();
    members
        .iter()
        .find(|p| p.name.as_str() == name)
        .map(|p| p.manifest_path.clone().into_std_path_buf())
        .ok_or_else(|| {
            let names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
            Error::Usage(format!(
                "no workspace member is called `{name}`; members: {}",
                names.join(", ")
            ))
        })
}

fn package_name(manifest: &DocumentMut, path: &Path) -> Result<String, Error> {
    manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(Item::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{} has no [package] with a name; point --manifest-path (or -p) at a crate",
                path.display()
            ))
        })
}

/// The crate's build script, as `package.build` says.
enum BuildScript {
    /// A file, relative to the crate: `build.rs` unless `package.build` names another.
    File(PathBuf),
    /// `build = false`, or a value init does not handle.
    Off(String),
}

fn build_script(manifest: &DocumentMut) -> BuildScript {
    match manifest.get("package").and_then(|p| p.get("build")) {
        None => BuildScript::File(PathBuf::from("build.rs")),
        Some(item) => match (item.as_bool(), item.as_str()) {
            (Some(true), _) => BuildScript::File(PathBuf::from("build.rs")),
            (_, Some(path)) => BuildScript::File(PathBuf::from(path)),
            (Some(false), _) => BuildScript::Off(
                "Cargo.toml turns build scripts off with `build = false`".to_owned(),
            ),
            _ => BuildScript::Off(format!(
                "Cargo.toml sets `build = {}`, which init does not handle",
                item.to_string().trim()
            )),
        },
    }
}

/// The file that gets the `mod` and `include_generated!` lines: the library's root, else
/// `src/main.rs`.
fn root_file(manifest: &DocumentMut, dir: &Path) -> PathBuf {
    let lib = manifest
        .get("lib")
        .and_then(|lib| lib.get("path"))
        .and_then(Item::as_str)
        .unwrap_or("src/lib.rs");
    if dir.join(lib).is_file() {
        PathBuf::from(lib)
    } else {
        PathBuf::from("src/main.rs")
    }
}

/// Adds what is missing; returns what it added, for the report.
fn add_dependencies(
    manifest: &mut DocumentMut,
    origin: &Origin,
    path: &Path,
) -> Result<Vec<String>, Error> {
    let mut added = Vec::new();
    let deps = dependency_table(manifest, "dependencies", path)?;
    if add_missing(deps, "harmony_config", origin.dependency("runtime")) {
        added.push("harmony_config".to_owned());
    }
    if let Some(change) = add_serde_derive(deps) {
        added.push(change.to_owned());
    }
    if add_missing(deps, "schemars", value("1")) {
        added.push("schemars".to_owned());
    }
    let build = dependency_table(manifest, "build-dependencies", path)?;
    if add_missing(build, "harmony_build", origin.dependency("build-support")) {
        added.push("harmony_build to [build-dependencies]".to_owned());
    }
    Ok(added)
}

/// The table `name`, created when missing.
fn dependency_table<'a>(
    manifest: &'a mut DocumentMut,
    name: &str,
    path: &Path,
) -> Result<&'a mut dyn TableLike, Error> {
    manifest
        .entry(name)
        .or_insert(toml_edit::table())
        .as_table_like_mut()
        .ok_or_else(|| Error::Source(format!("{}: `{name}` is not a table", path.display())))
}

/// The entry of `table` that depends on the crate `name`, under its own name or renamed
/// with `package = "name"`.
fn dependency_key(table: &dyn TableLike, name: &str) -> Option<String> {
    table
        .iter()
        .find(|(key, item)| {
            *key == name || item.get("package").and_then(Item::as_str) == Some(name)
        })
        .map(|(key, _)| key.to_owned())
}

/// Adds `name = item` unless `table` depends on `name` already, in any form.
fn add_missing(table: &mut dyn TableLike, name: &str, item: Item) -> bool {
    if dependency_key(table, name).is_some() {
        return false;
    }
    table.insert(name, item);
    true
}

/// Makes sure serde has its `derive` feature: adds serde, or the feature to an existing
/// serde line. Returns what it did.
fn add_serde_derive(table: &mut dyn TableLike) -> Option<&'static str> {
    let Some(key) = dependency_key(table, "serde") else {
        let mut serde = InlineTable::new();
        serde.insert("version", "1".into());
        serde.insert("features", Array::from_iter(["derive"]).into());
        table.insert("serde", value(serde));
        return Some("serde");
    };
    let item = table.get_mut(&key)?;
    if let Some(version) = item.as_str() {
        // `serde = "1.0"` becomes `serde = { version = "1.0", features = ["derive"] }`.
        let mut serde = InlineTable::new();
        serde.insert("version", version.into());
        serde.insert("features", Array::from_iter(["derive"]).into());
        let decor = item.as_value().map(|v| v.decor().clone());
        let mut new = toml_edit::Value::from(serde);
        if let Some(decor) = decor {
            *new.decor_mut() = decor;
        }
        *item = Item::Value(new);
        return Some("the derive feature of serde");
    }
    let serde = item.as_table_like_mut()?;
    match serde.get_mut("features") {
        None => {
            serde.insert("features", value(Array::from_iter(["derive"])));
            Some("the derive feature of serde")
        }
        Some(features) => {
            let features = features.as_array_mut()?;
            if features.iter().any(|f| f.as_str() == Some("derive")) {
                None
            } else {
                features.push("derive");
                Some("the derive feature of serde")
            }
        }
    }
}

/// Writes the build script from the template, or says what to add to the existing one.
fn write_build_script(
    dir: &Path,
    build: &BuildScript,
    vars: &Context,
    report: &mut Report,
) -> Result<(), Error> {
    let snippet = render("build-snippet.rs.jinja", BUILD_SNIPPET_TEMPLATE, vars)?;
    let relative = match build {
        BuildScript::File(relative) => relative,
        BuildScript::Off(why) => {
            report.refused(
                "build.rs",
                &format!("{why}; allow a build script that runs this, then run `cargo harmony init` again:"),
                &snippet,
                None,
            )?;
            return Ok(());
        }
    };
    let shown = relative.display().to_string();
    let path = dir.join(relative);
    match read(&path)? {
        Some(existing) if existing.contains("harmony_build::") => {
            report.step(&shown, Step::Unchanged, "runs harmony_build")?;
        }
        Some(_) => report.refused(
            &shown,
            "exists, so init left it as it is; add this to its `fn main`, then run `cargo harmony init` again to check:",
            &snippet,
            Some(&format!(
                "harmony_build prints `cargo:rerun-if-changed` for the files it reads, which turns off cargo's rescan of the whole package: if {shown} reads other files, print `cargo:rerun-if-changed` for each of them too."
            )),
        )?,
        None => {
            create(&path, &render("build.rs.jinja", BUILD_TEMPLATE, vars)?)?;
            report.step(&shown, Step::Changed, "calls harmony_build::generate()")?;
        }
    }
    Ok(())
}

/// Writes the example config unless the crate has configs already. Returns whether the
/// example module exists, so that the root file needs its `mod` line.
fn write_example(dir: &Path, vars: &Context, report: &mut Report) -> Result<bool, Error> {
    let relative = format!("src/{EXAMPLE_MODULE}.rs");
    let path = dir.join(&relative);
    let text = render("example.rs.jinja", EXAMPLE_TEMPLATE, vars)?;
    match read(&path)? {
        Some(existing) if existing == text => {
            report.step(&relative, Step::Unchanged, "is the example config")?;
            return Ok(true);
        }
        Some(_) => {
            report.step(&relative, Step::Unchanged, "exists; left as it is")?;
            return Ok(true);
        }
        None => {}
    }
    let keys = existing_keys(dir);
    if !keys.is_empty() {
        report.step(
            &relative,
            Step::Unchanged,
            &format!(
                "not written: the crate has configs already ({})",
                keys.join(", ")
            ),
        )?;
        return Ok(false);
    }
    create(&path, &text)?;
    let key = vars
        .get_attr("key")
        .map(|k| k.to_string())
        .unwrap_or_default();
    report.step(
        &relative,
        Step::Changed,
        &format!("an example config with the key `{key}`"),
    )?;
    Ok(true)
}

/// The config keys the crate defines already, in any target. A crate that does not scan has
/// none that init could see, which is only a reason to write the example.
fn existing_keys(dir: &Path) -> Vec<String> {
    let mut keys: Vec<String> = scan::targets(dir, true)
        .unwrap_or_default()
        .iter()
        .flat_map(|target| generate::target(dir, &target.root).configs)
        .map(|config| config.key)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn render(name: &str, source: &str, vars: &Context) -> Result<String, Error> {
    let name = format!("init/{name}");
    templates::environment(&name)?
        .render_str(source, vars)
        .map_err(templates::failed(&name))
}

/// The text of `path`, or `None` when it does not exist.
fn read(path: &Path) -> Result<Option<String>, Error> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("read", path)(e)),
    }
}

/// Creates `path` with `text`; fails rather than overwrite a file that appeared meanwhile.
fn create(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io("create", dir))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(io("write", path))
}

/// How one step went.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Changed,
    Unchanged,
    /// Left to do by hand: exit code 1.
    Refused,
}

/// What `init` prints: a line per file, then what is left to do.
struct Report<'o> {
    out: &'o Output,
    changed: usize,
    refused: bool,
}

impl<'o> Report<'o> {
    fn new(out: &'o Output) -> Self {
        Self {
            out,
            changed: 0,
            refused: false,
        }
    }

    fn step(&mut self, file: &str, step: Step, message: &str) -> Result<(), Error> {
        let status = match step {
            Step::Changed => {
                self.changed += 1;
                "changed"
            }
            Step::Unchanged => "unchanged",
            Step::Refused => {
                self.refused = true;
                "refused"
            }
        };
        let human = format!("{status:<9} {file}: {message}");
        let message = Message::Init {
            file: file.to_owned(),
            status: status.to_owned(),
            message: message.to_owned(),
        };
        self.out.emit(&message, &human)
    }

    /// A step left to the user, with the code to add and a note about it.
    fn refused(
        &mut self,
        file: &str,
        message: &str,
        code: &str,
        note: Option<&str>,
    ) -> Result<(), Error> {
        self.step(file, Step::Refused, message)?;
        let human = match note {
            Some(note) => format!("\n{code}\n{note}\n"),
            None => format!("\n{code}"),
        };
        let message = Message::InitTodo {
            file: file.to_owned(),
            add: code.to_owned(),
            note: note.map(str::to_owned),
        };
        self.out.emit(&message, &human)
    }

    /// The lines the root file needs, unless it has them: init never edits Rust sources.
    fn next_steps(&mut self, dir: &Path, root: &Path, example: bool) -> Result<(), Error> {
        let text = read(&dir.join(root))?.unwrap_or_default();
        let mod_line = format!("mod {EXAMPLE_MODULE};");
        let mut lines = Vec::new();
        if example && !text.lines().any(|l| l.trim() == mod_line) {
            lines.push(mod_line);
        }
        if !text.contains("include_generated!") {
            lines.push(INCLUDE_LINE.to_owned());
        }
        let root = root.display().to_string();
        if lines.is_empty() {
            return self.out.human(&format!(
                "unchanged {root}: declares the example and the generated accessors"
            ));
        }
        let indented: Vec<String> = lines.iter().map(|line| format!("    {line}")).collect();
        let human = format!(
            "\nadd to {root} (init does not edit Rust sources):\n\n{}\n\nthen `cargo build` generates the `config` module, and `cargo harmony sync` the docs",
            indented.join("\n")
        );
        let message = Message::InitTodo {
            file: root,
            add: lines.join("\n"),
            note: None,
        };
        self.out.emit(&message, &human)
    }

    fn finish(&self) -> Result<Outcome, Error> {
        if self.changed == 0 {
            self.out.human("init: nothing changed")?;
        }
        Ok(if self.refused {
            Outcome::Problems
        } else {
            Outcome::Clean
        })
    }
}
