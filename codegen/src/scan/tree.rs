//! The walk from a target's root file through every module file it declares.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::attrs::PathAttr;
use super::decls::{FileDecls, ModDecl};
use super::diagnostic::{Diagnostic, DiagnosticKind};
use super::resolve::{ModDir, Unresolved, clean};
use super::vis::Visibility;

/// Only files containing this text are parsed with syn; `#[derive(Config)]` cannot hide from it.
pub const MARKER: &str = "Config";

/// Files nested deeper than this are refused: a backstop against loops canonical paths miss.
const MAX_FILE_DEPTH: usize = 64;

/// How to walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanOptions {
    /// Parse every file with syn, not only those containing [`MARKER`]; for benchmarks.
    pub parse_all: bool,
}

/// A place in a source file, 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One module backed by a file: the crate root, or the target of a `mod x;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleFile {
    /// The file, as reached from the root (not canonicalized).
    pub path: PathBuf,
    /// The module's path within its crate, e.g. `["net", "tls"]`; empty for the root.
    pub module_path: Vec<String>,
    /// The visibility of each module on `module_path`, as written where its parent declares
    /// it: one per segment, inline modules included.
    pub path_vis: Vec<Visibility>,
    /// The `cfg(...)`s on every `mod` item on the way here, then the file's own `#![cfg]`s.
    pub cfgs: Vec<String>,
    /// Where the `mod` item that loads this file is; `None` for the root.
    pub declared_at: Option<Location>,
    /// Whether the file contains [`MARKER`], and so was parsed during the walk.
    pub has_marker: bool,
}

/// A file that was read, with its syn parse, made at most once.
struct Source {
    text: String,
    parsed: OnceCell<Result<syn::File, Diagnostic>>,
}

/// Every module file of one target, found the way rustc finds them.
pub struct ModuleTree {
    root: PathBuf,
    options: ScanOptions,
    modules: Vec<ModuleFile>,
    sources: HashMap<PathBuf, Source>,
    files_read: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

/// Walks the module tree of the target whose root file is `root`, parsing only marker files.
#[must_use]
pub fn module_tree(root: &Path) -> ModuleTree {
    ModuleTree::build(root, ScanOptions::default())
}

impl ModuleTree {
    /// Walks the module tree from `root`. Problems become [`diagnostics`](Self::diagnostics);
    /// the walk goes on with every other file.
    #[must_use]
    pub fn build(root: &Path, options: ScanOptions) -> Self {
        let root = clean(root);
        let mut walker = Walker {
            tree: Self {
                root: root.clone(),
                options,
                modules: Vec::new(),
                sources: HashMap::new(),
                files_read: Vec::new(),
                diagnostics: Vec::new(),
            },
            ancestors: Vec::new(),
        };
        let dir = ModDir::of_root(&root);
        walker.visit_file(&root, &ModPath::default(), Vec::new(), &dir, None);
        let mut tree = walker.tree;
        tree.files_read = tree.sources.keys().cloned().collect();
        tree.files_read.sort();
        tree.diagnostics.sort();
        tree.diagnostics.dedup();
        tree
    }

    /// The root file the walk started from.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The options the walk used.
    #[must_use]
    pub fn options(&self) -> ScanOptions {
        self.options
    }

    /// Every module file, depth first in declaration order, the root first.
    ///
    /// A file included twice through `#[path]` appears twice, once per module path.
    #[must_use]
    pub fn modules(&self) -> &[ModuleFile] {
        &self.modules
    }

    /// Every file read, sorted and deduplicated: the `cargo:rerun-if-changed` list.
    #[must_use]
    pub fn files_read(&self) -> &[PathBuf] {
        &self.files_read
    }

    /// Every problem met during the walk, sorted by place.
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The text of a file the walk read.
    #[must_use]
    pub fn source(&self, path: &Path) -> Option<&str> {
        self.sources.get(path).map(|s| s.text.as_str())
    }

    /// The syn parse of any file the walk read, made on first request.
    ///
    /// `None` when the walk did not read `path`. Marker files are already parsed; others are
    /// parsed now, so later phases can find types a config refers to anywhere in the tree.
    #[must_use]
    pub fn parsed(&self, path: &Path) -> Option<Result<&syn::File, &Diagnostic>> {
        self.sources.get(path).map(|s| parse(path, s).as_ref())
    }
}

/// The syn parse of a source, made once.
fn parse<'s>(path: &Path, source: &'s Source) -> &'s Result<syn::File, Diagnostic> {
    source
        .parsed
        .get_or_init(|| syn::parse_file(&source.text).map_err(|e| Diagnostic::from_syn(path, &e)))
}

/// A module's path within its crate, with the visibility of each step.
#[derive(Default)]
struct ModPath {
    names: Vec<String>,
    vis: Vec<Visibility>,
}

impl ModPath {
    fn child(&self, name: &str, vis: &Visibility) -> Self {
        let mut child = Self {
            names: self.names.clone(),
            vis: self.vis.clone(),
        };
        child.names.push(name.to_owned());
        child.vis.push(vis.clone());
        child
    }
}

struct Walker {
    tree: ModuleTree,
    /// Canonical paths of the files being walked, root first: a file among them is a cycle.
    ancestors: Vec<PathBuf>,
}

impl Walker {
    fn visit_file(
        &mut self,
        path: &Path,
        module_path: &ModPath,
        cfgs: Vec<String>,
        dir: &ModDir,
        declared_at: Option<Location>,
    ) {
        let at = declared_at.clone().unwrap_or_else(|| Location {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
        });
        let canonical = match fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(e) => {
                let message = format!("cannot read `{}`: {e}", path.display());
                return self.report(&at, DiagnosticKind::Unreadable, message);
            }
        };
        if self.ancestors.contains(&canonical) {
            let message = format!(
                "circular modules: `{}` is already being walked",
                path.display()
            );
            return self.report(&at, DiagnosticKind::Cycle, message);
        }
        if self.ancestors.len() >= MAX_FILE_DEPTH {
            let message = format!("module files nested more than {MAX_FILE_DEPTH} deep");
            return self.report(&at, DiagnosticKind::Cycle, message);
        }
        if let Err(e) = self.load(path) {
            let message = format!("cannot read `{}`: {e}", path.display());
            return self.report(&at, DiagnosticKind::Unreadable, message);
        }
        let (decls, has_marker) = self.decls(path);
        let mut cfgs = cfgs;
        cfgs.extend(decls.inner_cfgs);
        self.tree.modules.push(ModuleFile {
            path: path.to_path_buf(),
            module_path: module_path.names.clone(),
            path_vis: module_path.vis.clone(),
            cfgs: cfgs.clone(),
            declared_at,
            has_marker,
        });
        self.ancestors.push(canonical);
        self.visit_decls(path, &decls.mods, module_path, &cfgs, dir);
        self.ancestors.pop();
    }

    fn visit_decls(
        &mut self,
        file: &Path,
        decls: &[ModDecl],
        module_path: &ModPath,
        cfgs: &[String],
        dir: &ModDir,
    ) {
        for decl in decls {
            let at = Location {
                file: file.to_path_buf(),
                line: decl.line,
                column: decl.column,
            };
            let name = &decl.name;
            if decl.attrs.cfg_attr_path {
                let message = format!(
                    "`cfg_attr` may set `path` on module `{name}`; cfgs are not evaluated, so it is ignored"
                );
                self.report(&at, DiagnosticKind::Unsupported, message);
            }
            let path_attr = match &decl.attrs.path {
                PathAttr::Absent => None,
                PathAttr::Literal(path) => Some(path.as_str()),
                PathAttr::Malformed => {
                    let message = format!(
                        "malformed `path` attribute on module `{name}`: expected `#[path = \"file.rs\"]`"
                    );
                    self.report(&at, DiagnosticKind::Parse, message);
                    continue;
                }
            };
            let child_path = module_path.child(name, &decl.vis);
            let mut child_cfgs = cfgs.to_vec();
            child_cfgs.extend(decl.attrs.cfgs.iter().cloned());
            match &decl.body {
                Some(body) => {
                    let inner = dir.inline(name, path_attr);
                    self.visit_decls(file, body, &child_path, &child_cfgs, &inner);
                }
                None => match dir.outlined(name, path_attr) {
                    Ok((child_file, child_dir)) => {
                        self.visit_file(&child_file, &child_path, child_cfgs, &child_dir, Some(at));
                    }
                    Err(unresolved) => {
                        let (kind, message) =
                            unresolved_message(name, &unresolved, &decl.attrs.cfgs);
                        self.report(&at, kind, message);
                    }
                },
            }
        }
    }

    /// Reads `path` once, however many modules include it.
    fn load(&mut self, path: &Path) -> std::io::Result<()> {
        if !self.tree.sources.contains_key(path) {
            let text = fs::read_to_string(path)?;
            let source = Source {
                text,
                parsed: OnceCell::new(),
            };
            self.tree.sources.insert(path.to_path_buf(), source);
        }
        Ok(())
    }

    /// The `mod` items of a loaded file: from syn for marker files, from the text scan otherwise.
    fn decls(&mut self, path: &Path) -> (FileDecls, bool) {
        let Some(source) = self.tree.sources.get(path) else {
            return (FileDecls::default(), false);
        };
        let has_marker = source.text.contains(MARKER);
        if !has_marker && !self.tree.options.parse_all {
            return match FileDecls::from_text(&source.text) {
                Ok(decls) => (decls, has_marker),
                Err(e) => {
                    let diagnostic =
                        Diagnostic::new(path, (e.line, e.column), DiagnosticKind::Parse, e.message);
                    self.tree.diagnostics.push(diagnostic);
                    (FileDecls::default(), has_marker)
                }
            };
        }
        match parse(path, source) {
            Ok(file) => (FileDecls::from_syn(file), has_marker),
            Err(diagnostic) => {
                self.tree.diagnostics.push(diagnostic.clone());
                // The file is reported; its children may still be found and walked.
                let decls = FileDecls::from_text(&source.text).unwrap_or_default();
                (decls, has_marker)
            }
        }
    }

    fn report(&mut self, at: &Location, kind: DiagnosticKind, message: String) {
        self.tree.diagnostics.push(Diagnostic::new(
            &at.file,
            (at.line, at.column),
            kind,
            message,
        ));
    }
}

fn unresolved_message(
    name: &str,
    unresolved: &Unresolved,
    cfgs: &[String],
) -> (DiagnosticKind, String) {
    let mut out = match unresolved {
        Unresolved::NotFound(candidates) => {
            let names: Vec<String> = candidates
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect();
            let message = format!(
                "file not found for module `{name}`: no {}",
                names.join(" or ")
            );
            (DiagnosticKind::ModuleNotFound, message)
        }
        Unresolved::Ambiguous(a, b) => {
            let message = format!(
                "file for module `{name}` found at both `{}` and `{}`; delete or rename one",
                a.display(),
                b.display()
            );
            (DiagnosticKind::AmbiguousModule, message)
        }
    };
    if !cfgs.is_empty() {
        // The scanner does not evaluate cfgs; say so, since rustc may never look for this file.
        out.1 = format!("{} (declared under `{}`)", out.1, cfgs.join("`, `"));
    }
    out
}
