//! One target, from source to generated accessors: scan, model, check, then emit.
//!
//! The build script and `cargo harmony sync` both call [`target`], so they produce the same
//! schemas byte for byte.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::check::{self, KeySite};
use crate::emit::{self, Accessor};
use crate::manifest::CrateManifest;
use crate::model::{Body, ConfigStruct};
use crate::resolve::Resolver;
use crate::scan::{self, ConfigItem, ConfigItemRef, ModuleTree};
use crate::schema::{self, ConfigSite, Problem, Severity};

/// One config of a target, with its schema. Serializable, so `cargo harmony` can cache it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct GeneratedConfig {
    /// The store key.
    pub key: String,
    /// The Rust path of the struct: `crate::net::SwitchAuth`.
    pub type_path: String,
    /// The JSON Schema.
    pub schema: Value,
    /// The defining file, relative to the manifest directory.
    pub file: String,
    /// The line of the struct's name.
    pub line: usize,
}

/// What one target generates.
pub struct Generated {
    /// The accessor module's source, or `None` when an error stops generation.
    pub source: Option<String>,
    /// The target's configs, sorted by key.
    pub configs: Vec<GeneratedConfig>,
    /// Every file read, sorted: the build script's `rerun-if-changed` list.
    pub files_read: Vec<PathBuf>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Problem>,
}

impl Generated {
    /// Whether an error stopped generation.
    #[must_use]
    pub fn failed(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Generates the accessors of the target whose root file is `root`, in the crate at
/// `manifest_dir`.
#[must_use]
pub fn target(manifest_dir: &Path, root: &Path) -> Generated {
    let tree = scan::module_tree(root);
    let mut diagnostics: Vec<Problem> = tree.diagnostics().iter().map(from_scan).collect();
    let manifest = CrateManifest::read(manifest_dir).unwrap_or_else(|message| {
        diagnostics.push(Problem::error(
            &manifest_dir.join("Cargo.toml"),
            1,
            1,
            message,
        ));
        CrateManifest {
            dir: manifest_dir.to_owned(),
            ..CrateManifest::default()
        }
    });
    let resolver = Resolver::new(manifest, &tree);
    let configs = models(&tree, &resolver, &mut diagnostics);
    let sites: Vec<KeySite<'_>> = configs
        .iter()
        .map(|(item, config)| KeySite {
            key: &config.key,
            location: format!("{}:{}:{}", item.file.display(), item.line, item.column),
        })
        .collect();
    for (i, message) in check::key_collisions(&sites) {
        let item = &configs[i].0;
        diagnostics.push(Problem::error(item.file, item.line, item.column, message));
    }
    for (item, _) in &configs {
        if let Some(message) = check::unnameable(item) {
            diagnostics.push(Problem::error(item.file, item.line, item.column, message));
        }
    }
    diagnostics.extend(module_collisions(&tree));

    let mut files_read: BTreeSet<PathBuf> = tree.files_read().iter().cloned().collect();
    let mut accessors = Vec::new();
    let mut generated = Vec::new();
    for (item, config) in &configs {
        let site = ConfigSite {
            module: &item.module_path,
            file: item.file,
            crate_dir: manifest_dir,
        };
        let emitted = schema::config_schema(config, &site, &resolver);
        diagnostics.extend(emitted.problems);
        files_read.extend(emitted.files_read);
        let schema = emitted.schema;
        let file = relative(manifest_dir, item.file);
        let mut type_path = item.module_path.clone();
        type_path.push(item.name.clone());
        generated.push(GeneratedConfig {
            key: config.key.clone(),
            type_path: std::iter::once("crate")
                .chain(type_path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("::"),
            schema: schema.clone(),
            file: file.clone(),
            line: item.line,
        });
        accessors.push(Accessor {
            key: config.key.clone(),
            type_path,
            schema: emit::schema_text(&schema),
            docs: config.def.attrs.docs.clone(),
            secret_fields: config.secret_fields(),
            file,
            line: u32::try_from(item.line).unwrap_or(u32::MAX),
            cfgs: item.cfgs.clone(),
        });
    }
    files_read.extend(resolver.files_read());
    generated.sort_by(|a, b| a.key.cmp(&b.key));
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    // A type reached through two paths, or used by two configs, is reported once.
    diagnostics.dedup();

    let mut source = None;
    if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        match emit::module_source(&relative(manifest_dir, root), &accessors) {
            Ok(text) => source = Some(text),
            Err(message) => diagnostics.push(Problem::error(root, 1, 1, message)),
        }
    }
    Generated {
        source,
        configs: generated,
        files_read: files_read.into_iter().collect(),
        diagnostics,
    }
}

/// The model of every `#[derive(Config)]` item; misuse goes to `diagnostics`.
fn models<'t>(
    tree: &'t ModuleTree,
    resolver: &Resolver<'_>,
    diagnostics: &mut Vec<Problem>,
) -> Vec<(ConfigItem<'t>, ConfigStruct)> {
    let mut configs = Vec::new();
    for item in tree.config_items() {
        let mut ctxt = resolver.ctxt(0);
        let (attrs, ident, generics, body) = match item.item {
            ConfigItemRef::Struct(s) => (&s.attrs, &s.ident, &s.generics, Body::Struct(&s.fields)),
            ConfigItemRef::Enum(e) => (&e.attrs, &e.ident, &e.generics, Body::Enum(&e.variants)),
        };
        let config = ConfigStruct::parse(&mut ctxt, attrs, ident, generics, body);
        let (errors, warnings) = ctxt.into_parts();
        let errors = errors
            .iter()
            .map(|e| (Severity::Error, e.span(), e.to_string()));
        let warnings = warnings
            .into_iter()
            .map(|(span, m)| (Severity::Warning, span, m));
        for (severity, span, message) in errors.chain(warnings) {
            let start = span.start();
            diagnostics.push(Problem {
                severity,
                file: item.file.to_owned(),
                line: start.line,
                column: start.column + 1,
                message,
            });
        }
        if let Some(config) = config {
            configs.push((item, config));
        }
    }
    configs
}

/// A module that declares its own module named like the one `include_generated!` adds there:
/// said before rustc refuses both with E0428, with the way out.
fn module_collisions(tree: &ModuleTree) -> Vec<Problem> {
    let mut out = Vec::new();
    for module in tree.modules() {
        let has_macro = tree
            .source(&module.path)
            .is_some_and(|text| text.contains("include_generated!"));
        let Some(Ok(file)) = has_macro.then(|| tree.parsed(&module.path)).flatten() else {
            continue;
        };
        for item in &file.items {
            let syn::Item::Macro(call) = item else {
                continue;
            };
            let is_include = call
                .mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "include_generated");
            if !is_include {
                continue;
            }
            let name = match call.mac.tokens.to_string().trim() {
                "" => "config".to_owned(),
                name => name.to_owned(),
            };
            let clash = file.items.iter().find_map(|other| match other {
                syn::Item::Mod(m) if m.ident == name => Some(m.mod_token.span.start()),
                _ => None,
            });
            if let Some(at) = clash {
                let line = call.mac.bang_token.span.start().line;
                let message = format!(
                    "this module is named `{name}`, like the module that `include_generated!` declares on line {line}, and rustc refuses both (E0428): write `harmony_config::include_generated!(settings)` there, and use `settings::...`"
                );
                out.push(Problem::warning(
                    &module.path,
                    at.line,
                    at.column + 1,
                    message,
                ));
            }
        }
    }
    out
}

/// `path` relative to `base`, with `/` separators, for reproducible output on every machine.
fn relative(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every scan problem stops generation, except a construct the scanner does not evaluate.
fn from_scan(d: &scan::Diagnostic) -> Problem {
    let severity = if d.kind == scan::DiagnosticKind::Unsupported {
        Severity::Warning
    } else {
        Severity::Error
    };
    Problem {
        severity,
        file: d.file.clone(),
        line: d.line,
        column: d.column,
        message: d.message.clone(),
    }
}
