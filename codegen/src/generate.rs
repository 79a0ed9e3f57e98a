//! One target, from source to generated accessors: scan, model, check, then emit.
//!
//! The build script and `cargo harmony sync` both call [`target`], so they produce the same
//! schemas byte for byte.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::check::{self, KeySite};
use crate::ctxt::Ctxt;
use crate::emit::{self, Accessor};
use crate::index::TypeIndex;
use crate::model::{Body, ConfigStruct, Shape, TypeDef};
use crate::scan::{self, ConfigItem, ConfigItemRef, ModuleTree};
use crate::schema::{self, Problem, Severity};
use crate::ty::Ty;

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
    let configs = models(&tree, &mut diagnostics);
    let index = index_types(&tree, configs.iter().map(|(_, config)| &config.def));
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

    let mut accessors = Vec::new();
    let mut generated = Vec::new();
    for (item, config) in &configs {
        let (schema, problems) =
            schema::config_schema(config, &item.module_path, item.file, &index);
        diagnostics.extend(problems);
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
    generated.sort_by(|a, b| a.key.cmp(&b.key));
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });

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
        files_read: tree.files_read().to_vec(),
        diagnostics,
    }
}

/// The model of every `#[derive(Config)]` item; misuse goes to `diagnostics`.
fn models<'t>(
    tree: &'t ModuleTree,
    diagnostics: &mut Vec<Problem>,
) -> Vec<(ConfigItem<'t>, ConfigStruct)> {
    let mut configs = Vec::new();
    for item in tree.config_items() {
        let mut ctxt = Ctxt::default();
        let (attrs, ident, generics, body) = match item.item {
            ConfigItemRef::Struct(s) => (&s.attrs, &s.ident, &s.generics, Body::Struct(&s.fields)),
            ConfigItemRef::Enum(e) => (&e.attrs, &e.ident, &e.generics, Body::Enum(&e.variants)),
        };
        let config = ConfigStruct::parse(&mut ctxt, attrs, ident, generics, body);
        for error in ctxt.into_errors() {
            let start = error.span().start();
            diagnostics.push(Problem::error(
                item.file,
                start.line,
                start.column + 1,
                error.to_string(),
            ));
        }
        if let Some(config) = config {
            configs.push((item, config));
        }
    }
    configs
}

/// Indexes the structs and enums the configs use. Marker files come first; then, while a
/// name is still missing, only the files whose text defines it are parsed.
fn index_types<'a>(tree: &ModuleTree, configs: impl Iterator<Item = &'a TypeDef>) -> TypeIndex {
    let mut index = TypeIndex::default();
    let mut indexed = HashSet::new();
    let mut add = |index: &mut TypeIndex, module: &scan::ModuleFile| {
        if indexed.insert(module.path.clone())
            && let Some(Ok(file)) = tree.parsed(&module.path)
        {
            index.add_file(&module.module_path, &module.path, file);
        }
    };
    for module in tree.modules().iter().filter(|m| m.has_marker) {
        add(&mut index, module);
    }
    let mut wanted: Vec<String> = Vec::new();
    for def in configs {
        referenced_names(def, &mut wanted);
    }
    let mut searched = HashSet::new();
    while let Some(name) = wanted.pop() {
        if !searched.insert(name.clone()) {
            continue;
        }
        if !index.has_name(&name) {
            for module in tree.modules() {
                if tree
                    .source(&module.path)
                    .is_some_and(|text| defines(text, &name))
                {
                    add(&mut index, module);
                }
            }
        }
        for def in index.defs_named(&name) {
            referenced_names(def, &mut wanted);
        }
    }
    index
}

/// The last segment of every type path a definition's fields use.
fn referenced_names(def: &TypeDef, out: &mut Vec<String>) {
    fn walk(ty: &Ty, out: &mut Vec<String>) {
        match ty {
            Ty::Option(inner) | Ty::Seq(inner) | Ty::Array(inner, _) | Ty::Secret(inner) => {
                walk(inner, out);
            }
            Ty::Map(key, value) => {
                walk(key, out);
                walk(value, out);
            }
            Ty::Tuple(items) => items.iter().for_each(|t| walk(t, out)),
            Ty::Named(path) => out.extend(path.segments.last().map(|s| s.ident.to_string())),
            _ => {}
        }
    }
    let shapes: Vec<&Shape> = match &def.shape {
        Shape::Enum(variants) => variants.iter().map(|v| &v.shape).collect(),
        shape => vec![shape],
    };
    for shape in shapes {
        if let Shape::Named(fields) | Shape::Tuple(fields) = shape {
            for field in fields {
                walk(&Ty::classify(&field.ty, &|_| false), out);
            }
        }
    }
    if let Some((_, from, _)) = &def.attrs.from
        && let Ok(ty) = syn::parse_str::<syn::Type>(from)
    {
        walk(&Ty::classify(&ty, &|_| false), out);
    }
}

/// Whether `text` seems to define a struct or enum called `name`: a cheap filter before
/// parsing, so a false hit only costs a parse.
fn defines(text: &str, name: &str) -> bool {
    ["struct ", "enum "].iter().any(|keyword| {
        let needle = format!("{keyword}{name}");
        text.match_indices(&needle).any(|(at, _)| {
            let next = text[at + needle.len()..].chars().next();
            !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
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
