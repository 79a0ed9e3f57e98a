//! Type names as rustc resolves them: a path written in a module names a struct, enum or type
//! alias of the crate or of a path dependency, or a type of a crate the scanner does not read.
//!
//! `use` imports are followed (plain, renamed, grouped, glob, `self`/`super`/`crate`, `pub use`
//! re-exports), and so are paths into path dependencies, whose module trees are walked on first
//! use. A module's items are read the first time a name is looked up in it. Items under a `cfg`
//! are all seen, so two definitions of one name are ambiguous rather than guessed between.

mod table;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

use proc_macro2::Span;
use syn::ext::IdentExt;

use crate::cfg::Cfgs;
use crate::ctxt::Ctxt;
use crate::manifest::CrateManifest;
use crate::model::TypeDef;
use crate::scan::{self, Location, ModuleTree, TargetKind, Visibility};
use table::{Name, Site, Table, deserialize_impls, inline_items, may_impl_deserialize};

/// Names of the standard prelude and the primitive types: a path of one of these names that
/// the module does not define or import means the standard type.
const PRELUDE: &[&str] = &[
    "Option", "Vec", "String", "Box", "Result", "bool", "char", "str", "u8", "u16", "u32", "u64",
    "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
];

/// A module of a crate the resolver reads: crate `0` is the target's own.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Scope {
    /// The crate, as the resolver numbers them.
    pub krate: usize,
    /// The module's path within the crate.
    pub module: Vec<String>,
}

/// A type parameter, with its default.
pub struct Param {
    /// Its name.
    pub name: String,
    /// `T = Default`.
    pub default: Option<syn::Type>,
}

/// A struct or enum the resolver found.
pub struct Entry {
    /// Unique among everything one resolver found.
    pub id: usize,
    /// Its model, with `cfg_attr`s decided for its crate's normal build.
    pub def: TypeDef,
    /// Its type parameters.
    pub generics: Vec<Param>,
    /// Where it is defined.
    pub scope: Scope,
    /// Its file.
    pub file: PathBuf,
    /// Its crate's manifest directory, which `file = "..."` schemas are relative to.
    pub crate_dir: PathBuf,
    /// 1-based line of its name.
    pub line: usize,
    /// 1-based column of its name.
    pub column: usize,
    /// The `#[cfg]`s on it that the generator cannot decide, as text.
    pub cfg: Option<String>,
    /// What reading its attributes warned about, for when a config uses it.
    pub warnings: Vec<(Span, String)>,
}

/// `type Name<T> = ...;`.
pub struct Alias {
    /// Unique among everything one resolver found.
    pub id: usize,
    /// Its name.
    pub ident: String,
    /// Its type parameters.
    pub generics: Vec<Param>,
    /// The type it stands for, written in `scope`.
    pub ty: syn::Type,
    /// Where it is defined.
    pub scope: Scope,
    /// Its file.
    pub file: PathBuf,
    /// Its crate's manifest directory.
    pub crate_dir: PathBuf,
}

/// What a path names.
#[derive(Clone)]
pub enum Resolution {
    /// A struct or enum the scanner reads.
    Type(Rc<Entry>),
    /// A type alias the scanner reads.
    Alias(Rc<Alias>),
    /// A type of a crate the scanner does not read, by its path from that crate's name.
    /// Several when only glob imports could have brought the name in.
    Foreign(Vec<Vec<String>>),
    /// Several definitions could be meant, each described with its place.
    Ambiguous(Vec<String>),
    /// One path, defined more than once under `#[cfg]`s the generator cannot decide (the
    /// target's), each described with its place and cfg.
    Undecided(Vec<String>),
    /// Nothing by that name is defined or imported.
    NotFound,
}

/// What one step of a path reached.
#[derive(Clone)]
enum Found {
    Type(Rc<Entry>),
    Alias(Rc<Alias>),
    Module(usize, Vec<String>),
    Foreign(Vec<String>),
    /// A name a glob from a foreign crate may have imported.
    MaybeForeign(Vec<String>),
}

impl Found {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Type(a), Self::Type(b)) => a.id == b.id,
            (Self::Alias(a), Self::Alias(b)) => a.id == b.id,
            (Self::Module(k, a), Self::Module(l, b)) => k == l && a == b,
            (Self::Foreign(a), Self::Foreign(b))
            | (Self::MaybeForeign(a), Self::MaybeForeign(b)) => a == b,
            _ => false,
        }
    }
}

/// A module tree the resolver borrows (the target's) or owns (a dependency's).
enum Tree<'t> {
    Borrowed(&'t ModuleTree),
    Owned(ModuleTree),
}

impl Tree<'_> {
    fn get(&self) -> &ModuleTree {
        match self {
            Self::Borrowed(tree) => tree,
            Self::Owned(tree) => tree,
        }
    }
}

struct Krate<'t> {
    /// How code names it: `crate` for the target.
    name: String,
    manifest: CrateManifest,
    tree: Tree<'t>,
    cfgs: Cfgs,
    tables: RefCell<HashMap<Vec<String>, Option<Rc<Table>>>>,
}

/// Resolves type paths in one target and the path dependencies it reaches.
pub struct Resolver<'t> {
    crates: RefCell<Vec<Rc<Krate<'t>>>>,
    /// Dependencies already loaded, by root file.
    loaded: RefCell<HashMap<PathBuf, usize>>,
    cache: RefCell<HashMap<(Scope, String), Resolution>>,
    /// What a name stands for in a module, as seen from a module (`None`: itself).
    lookups: RefCell<HashMap<LookupKey, Vec<Found>>>,
    /// The lookups under way: meeting one again is an import cycle, which brings nothing.
    in_progress: RefCell<HashSet<LookupKey>>,
    /// Each directory's library name and root, read once.
    libs: RefCell<HashMap<PathBuf, Option<(String, PathBuf)>>>,
    next_id: Cell<usize>,
}

type LookupKey = (usize, Vec<String>, String, Option<Vec<String>>, bool);

impl<'t> Resolver<'t> {
    /// A resolver for the target whose module tree is `tree`, in the crate `manifest` reads.
    #[must_use]
    pub fn new(manifest: CrateManifest, tree: &'t ModuleTree) -> Self {
        let cfgs = Cfgs::with_features(manifest.default_features.clone());
        let krate = Krate {
            name: "crate".to_owned(),
            manifest,
            tree: Tree::Borrowed(tree),
            cfgs,
            tables: RefCell::default(),
        };
        let loaded = HashMap::from([(tree.root().to_owned(), 0)]);
        Self {
            crates: RefCell::new(vec![Rc::new(krate)]),
            loaded: RefCell::new(loaded),
            cache: RefCell::default(),
            lookups: RefCell::default(),
            in_progress: RefCell::default(),
            libs: RefCell::default(),
            next_id: Cell::new(0),
        }
    }

    /// What `path`, written in `scope`, names.
    pub fn resolve(&self, scope: &Scope, path: &syn::Path) -> Resolution {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect();
        let key = (
            scope.clone(),
            format!(
                "{}{}",
                if path.leading_colon.is_some() {
                    "::"
                } else {
                    ""
                },
                segments.join("::")
            ),
        );
        if let Some(known) = self.cache.borrow().get(&key) {
            return known.clone();
        }
        let found = self.walk(scope, path.leading_colon.is_some(), &segments, true);
        let resolution = self.conclude(found);
        self.cache.borrow_mut().insert(key, resolution.clone());
        resolution
    }

    /// The context to read a type's attributes in: its crate's normal build.
    #[must_use]
    pub fn ctxt(&self, krate: usize) -> Ctxt {
        Ctxt::scanning(self.krate(krate).cfgs.clone())
    }

    /// The manifest of a crate.
    pub fn manifest(&self, krate: usize) -> impl std::ops::Deref<Target = CrateManifest> + 't {
        CrateRef(self.krate(krate))
    }

    /// How the target's code names a crate: `crate` for its own.
    #[must_use]
    pub fn crate_name(&self, krate: usize) -> String {
        self.krate(krate).name.clone()
    }

    /// `crate::a::Name` for the target's types, `dep::a::Name` for a dependency's.
    #[must_use]
    pub fn path_of(&self, entry_scope: &Scope, ident: &str) -> String {
        let krate = self.krate(entry_scope.krate);
        std::iter::once(krate.name.as_str())
            .chain(entry_scope.module.iter().map(String::as_str))
            .chain([ident])
            .collect::<Vec<_>>()
            .join("::")
    }

    /// The files of the dependencies read so far, and every manifest: the build script's
    /// `rerun-if-changed` list beyond the target's own tree.
    #[must_use]
    pub fn files_read(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for (i, krate) in self.crates.borrow().iter().enumerate() {
            out.extend(krate.manifest.files_read.iter().cloned());
            if i > 0 {
                out.extend(krate.tree.get().files_read().iter().cloned());
            }
        }
        out
    }

    /// Where the hand-written `impl Deserialize for` a type is, when its crate has one.
    #[must_use]
    pub fn deserialize_impl(&self, entry: &Entry) -> Option<Location> {
        let krate = self.krate(entry.scope.krate);
        let tree = krate.tree.get();
        let name = entry.def.ident.unraw().to_string();
        for module in tree.modules() {
            let Some(text) = tree.source(&module.path) else {
                continue;
            };
            if !may_impl_deserialize(text, &name) {
                continue;
            }
            let Some(Ok(file)) = tree.parsed(&module.path) else {
                continue;
            };
            let mut found = Vec::new();
            deserialize_impls(&file.items, &name, &mut Vec::new(), &mut found);
            for (inner, path, (line, column)) in found {
                let mut scope_module = module.module_path.clone();
                scope_module.extend(inner);
                let scope = Scope {
                    krate: entry.scope.krate,
                    module: scope_module,
                };
                let same = match self.resolve(&scope, &path) {
                    Resolution::Type(found) => found.id == entry.id,
                    Resolution::NotFound => true,
                    _ => false,
                };
                if same {
                    return Some(Location {
                        file: module.path.clone(),
                        line,
                        column,
                    });
                }
            }
        }
        None
    }

    fn krate(&self, krate: usize) -> Rc<Krate<'t>> {
        Rc::clone(&self.crates.borrow()[krate])
    }

    /// The candidates for `segments`, written in `scope`. `globs` is off while following a
    /// glob's own path, which never comes from a glob.
    fn walk(&self, scope: &Scope, global: bool, segments: &[String], globs: bool) -> Vec<Found> {
        let Some((first, rest)) = segments.split_first() else {
            return Vec::new();
        };
        let mut current = if global {
            self.external(scope.krate, first)
        } else {
            match first.as_str() {
                "crate" => vec![Found::Module(scope.krate, Vec::new())],
                "self" => vec![Found::Module(scope.krate, scope.module.clone())],
                "super" => parent(&scope.module)
                    .map(|m| Found::Module(scope.krate, m))
                    .into_iter()
                    .collect(),
                _ => self.first_segment(scope, first, !rest.is_empty(), globs),
            }
        };
        for segment in rest {
            current = current
                .into_iter()
                .flat_map(|found| match found {
                    Found::Module(k, m) => match segment.as_str() {
                        "super" => parent(&m)
                            .map(|p| Found::Module(k, p))
                            .into_iter()
                            .collect(),
                        "self" => vec![Found::Module(k, m)],
                        _ => {
                            // Only what the module makes visible to the one asking.
                            let viewer = (k == scope.krate).then(|| scope.module.clone());
                            let viewer = viewer.or_else(|| Some(Vec::new()));
                            self.lookup(k, &m, segment, viewer.as_deref(), (k == scope.krate, true))
                        }
                    },
                    Found::Foreign(mut p) => {
                        p.push(segment.clone());
                        vec![Found::Foreign(p)]
                    }
                    Found::MaybeForeign(mut p) => {
                        p.push(segment.clone());
                        vec![Found::MaybeForeign(p)]
                    }
                    // A path through a type names an associated item, never a type we read.
                    Found::Type(_) | Found::Alias(_) => Vec::new(),
                })
                .collect();
        }
        current
    }

    /// The first segment of a relative path, as rustc looks it up: the module's items and
    /// imports, then its globs of the crate's own modules, then a crate of that name (for a
    /// longer path) or the standard prelude, and last what a glob of another crate may bring.
    fn first_segment(&self, scope: &Scope, name: &str, more: bool, globs: bool) -> Vec<Found> {
        let found = self.lookup(scope.krate, &scope.module, name, None, (true, globs));
        let (maybe, definite): (Vec<Found>, Vec<Found>) = found
            .into_iter()
            .partition(|f| matches!(f, Found::MaybeForeign(_)));
        if !definite.is_empty() {
            definite
        } else if more {
            self.external(scope.krate, name)
        } else if PRELUDE.contains(&name) {
            vec![Found::Foreign(vec!["std".to_owned(), name.to_owned()])]
        } else {
            maybe
        }
    }

    /// What `name` stands for in `module`: its own items and imports, or else its globs. With
    /// a `viewer`, only what is visible from that module of the same crate (or, from another
    /// crate, what is public).
    fn lookup(
        &self,
        krate: usize,
        module: &[String],
        name: &str,
        viewer: Option<&[String]>,
        (same_crate, globs): (bool, bool),
    ) -> Vec<Found> {
        let key: LookupKey = (
            krate,
            module.to_vec(),
            name.to_owned(),
            viewer.map(|v| {
                if same_crate {
                    v.to_vec()
                } else {
                    vec!["::".to_owned()]
                }
            }),
            globs,
        );
        if let Some(known) = self.lookups.borrow().get(&key) {
            return known.clone();
        }
        if !self.in_progress.borrow_mut().insert(key.clone()) {
            return Vec::new();
        }
        let found = self.lookup_uncached(krate, module, name, viewer, same_crate, globs);
        self.in_progress.borrow_mut().remove(&key);
        self.lookups.borrow_mut().insert(key, found.clone());
        found
    }

    fn lookup_uncached(
        &self,
        krate: usize,
        module: &[String],
        name: &str,
        viewer: Option<&[String]>,
        same_crate: bool,
        globs: bool,
    ) -> Vec<Found> {
        let Some(table) = self.table(krate, module) else {
            return Vec::new();
        };
        let scope = Scope {
            krate,
            module: module.to_vec(),
        };
        let shown =
            |vis: &Visibility| viewer.is_none_or(|viewer| visible(vis, module, viewer, same_crate));
        let mut defined = Vec::new();
        let mut imported = Vec::new();
        for (item, _) in table
            .names
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(_, v)| shown(v))
        {
            match item {
                Name::Type(entry) => defined.push(Found::Type(Rc::clone(entry))),
                Name::Alias(alias) => defined.push(Found::Alias(Rc::clone(alias))),
                Name::Module => {
                    let mut child = module.to_vec();
                    child.push(name.to_owned());
                    defined.push(Found::Module(krate, child));
                }
                // `use x;` imports the crate `x`, never itself.
                Name::Use(path) if !path.global && path.segments == [name] => {
                    imported.extend(self.external(krate, name));
                }
                Name::Use(path) => {
                    imported.extend(self.walk(&scope, path.global, &path.segments, true));
                }
            }
        }
        if !defined.is_empty() {
            // A type defined here and an import of a foreign name: the import is a macro's
            // (`use thiserror::Error` next to `enum Error`), which lives in another namespace.
            imported.retain(|f| !matches!(f, Found::Foreign(_) | Found::MaybeForeign(_)));
            defined.extend(imported);
            return defined;
        }
        if !imported.is_empty() || !globs {
            return imported;
        }
        let mut found = Vec::new();
        for (glob, _) in table.globs.iter().filter(|(_, v)| shown(v)) {
            for target in self.walk(&scope, glob.global, &glob.segments, false) {
                match target {
                    Found::Module(k, m) => {
                        // A glob brings what its module makes visible to the importing one.
                        found.extend(self.lookup(k, &m, name, Some(module), (k == krate, true)));
                    }
                    Found::Foreign(mut p) | Found::MaybeForeign(mut p) => {
                        p.push(name.to_owned());
                        found.push(Found::MaybeForeign(p));
                    }
                    // `use Enum::*` imports variants, which are not types.
                    Found::Type(_) | Found::Alias(_) => {}
                }
            }
        }
        found
    }

    /// A crate named `name` from `krate`: a path dependency the resolver reads, or another.
    fn external(&self, krate: usize, name: &str) -> Vec<Found> {
        match self.dependency(krate, name) {
            Some(dep) => vec![Found::Module(dep, Vec::new())],
            None => vec![Found::Foreign(vec![name.to_owned()])],
        }
    }

    /// The crate index of `krate`'s path dependency `name`, loading it on first use, with the
    /// features `krate` turns on. A bin or example reaches its package's library the same way.
    fn dependency(&self, krate: usize, name: &str) -> Option<usize> {
        let owner = self.krate(krate);
        let (dir, root, features) = if let Some(dep) = owner.manifest.path_deps.get(name) {
            let (_, root) = self.lib_root(&dep.dir)?;
            (dep.dir.clone(), root, Some(dep))
        } else {
            let (lib, root) = self.lib_root(&owner.manifest.dir)?;
            if lib != name {
                return None;
            }
            (owner.manifest.dir.clone(), root, None)
        };
        if let Some(&known) = self.loaded.borrow().get(&root) {
            return Some(known);
        }
        let manifest = CrateManifest::read(&dir).unwrap_or_else(|_| CrateManifest {
            dir: dir.clone(),
            ..CrateManifest::default()
        });
        let enabled = match features {
            Some(dep) => manifest.enabled_features(&dep.features, dep.default_features),
            None => owner.cfgs.features().clone(),
        };
        drop(owner);
        let krate = Krate {
            name: name.to_owned(),
            cfgs: Cfgs::with_features(enabled),
            manifest,
            tree: Tree::Owned(scan::module_tree(&root)),
            tables: RefCell::default(),
        };
        let mut crates = self.crates.borrow_mut();
        crates.push(Rc::new(krate));
        let index = crates.len() - 1;
        self.loaded.borrow_mut().insert(root, index);
        Some(index)
    }

    /// The library's crate name and root file, of the crate in `dir`, read once.
    fn lib_root(&self, dir: &std::path::Path) -> Option<(String, PathBuf)> {
        if let Some(known) = self.libs.borrow().get(dir) {
            return known.clone();
        }
        let lib = scan::targets(dir, false)
            .ok()
            .and_then(|targets| targets.into_iter().find(|t| t.kind == TargetKind::Lib))
            .map(|t| (t.crate_name, t.root));
        self.libs.borrow_mut().insert(dir.to_owned(), lib.clone());
        lib
    }

    /// The table of a module, built on first use; `None` when its file does not parse.
    fn table(&self, krate: usize, module: &[String]) -> Option<Rc<Table>> {
        let owner = self.krate(krate);
        if let Some(known) = owner.tables.borrow().get(module) {
            return known.clone();
        }
        let tree = owner.tree.get();
        // The file of the module, or of the nearest module that holds it inline.
        let file = tree
            .modules()
            .iter()
            .filter(|m| module.starts_with(&m.module_path))
            .max_by_key(|m| m.module_path.len());
        let table = file.and_then(|file| {
            let Some(Ok(parsed)) = tree.parsed(&file.path) else {
                return None;
            };
            let items = inline_items(&parsed.items, &module[file.module_path.len()..])?;
            let scope = Scope {
                krate,
                module: module.to_vec(),
            };
            let next_id = || {
                let id = self.next_id.get();
                self.next_id.set(id + 1);
                id
            };
            let site = Site {
                scope: &scope,
                file: &file.path,
                crate_dir: &owner.manifest.dir,
                cfgs: &owner.cfgs,
                next_id: &next_id,
            };
            Some(Rc::new(Table::build(&site, items)))
        });
        owner
            .tables
            .borrow_mut()
            .insert(module.to_vec(), table.clone());
        table
    }

    /// One resolution from the candidates: a single definition, the foreign paths a glob may
    /// have brought, or an ambiguity.
    fn conclude(&self, found: Vec<Found>) -> Resolution {
        let mut definite: Vec<Found> = Vec::new();
        let mut maybe: Vec<Vec<String>> = Vec::new();
        for candidate in found {
            match candidate {
                Found::Module(..) => {}
                Found::MaybeForeign(path) => {
                    if !maybe.contains(&path) {
                        maybe.push(path);
                    }
                }
                candidate => {
                    if !definite.iter().any(|d| d.same(&candidate)) {
                        definite.push(candidate);
                    }
                }
            }
        }
        match definite.as_slice() {
            [] if maybe.is_empty() => Resolution::NotFound,
            [] => Resolution::Foreign(maybe),
            [Found::Type(entry)] => Resolution::Type(Rc::clone(entry)),
            [Found::Alias(alias)] => Resolution::Alias(Rc::clone(alias)),
            [Found::Foreign(path)] => Resolution::Foreign(vec![path.clone()]),
            many if self.cfg_twins(many) => {
                Resolution::Undecided(many.iter().map(|f| self.describe(f)).collect())
            }
            many => Resolution::Ambiguous(many.iter().map(|f| self.describe(f)).collect()),
        }
    }

    /// Whether the candidates are one type defined more than once under `#[cfg]`s.
    fn cfg_twins(&self, many: &[Found]) -> bool {
        let mut paths = many.iter().map(|f| match f {
            Found::Type(entry) if entry.cfg.is_some() => {
                Some(self.path_of(&entry.scope, &entry.def.ident.unraw().to_string()))
            }
            _ => None,
        });
        let first = paths.next().flatten();
        first.is_some() && paths.all(|p| p == first)
    }

    fn describe(&self, found: &Found) -> String {
        match found {
            Found::Type(entry) => format!(
                "`{}` ({}:{}:{}{})",
                self.path_of(&entry.scope, &entry.def.ident.unraw().to_string()),
                entry.file.display(),
                entry.line,
                entry.column,
                entry
                    .cfg
                    .as_ref()
                    .map(|c| format!(", under `{c}`"))
                    .unwrap_or_default()
            ),
            Found::Alias(alias) => {
                format!(
                    "the type alias `{}`",
                    self.path_of(&alias.scope, &alias.ident)
                )
            }
            Found::Module(k, m) => format!("the module `{}`", {
                let krate = self.krate(*k);
                std::iter::once(krate.name.clone())
                    .chain(m.iter().cloned())
                    .collect::<Vec<_>>()
                    .join("::")
            }),
            Found::Foreign(p) | Found::MaybeForeign(p) => format!("`{}`", p.join("::")),
        }
    }
}

/// A crate's manifest, borrowed through its `Rc`.
struct CrateRef<'t>(Rc<Krate<'t>>);

impl std::ops::Deref for CrateRef<'_> {
    type Target = CrateManifest;

    fn deref(&self) -> &CrateManifest {
        &self.0.manifest
    }
}

fn parent(module: &[String]) -> Option<Vec<String>> {
    module.split_last().map(|(_, parent)| parent.to_vec())
}

/// Whether an item of `module` with visibility `vis` is visible from `viewer`.
fn visible(vis: &Visibility, module: &[String], viewer: &[String], same_crate: bool) -> bool {
    match vis {
        Visibility::Public => true,
        _ if !same_crate => false,
        Visibility::Private => viewer.starts_with(module),
        Visibility::Restricted(path) => match path.split_first() {
            Some((first, _)) if first == "crate" => true,
            _ => absolute(module, path).is_some_and(|within| viewer.starts_with(&within)),
        },
    }
}

/// The module that `path`, written in `module`, names: `self` and `super` as rustc reads
/// them, anything else relative to the crate root (as `pub(in a::b)` is).
fn absolute(module: &[String], path: &[String]) -> Option<Vec<String>> {
    match path.first().map(String::as_str) {
        Some("self" | "super") => {
            let mut out = module.to_vec();
            for segment in path {
                match segment.as_str() {
                    "self" => {}
                    "super" => {
                        out.pop()?;
                    }
                    other => out.push(other.to_owned()),
                }
            }
            Some(out)
        }
        Some("crate") => Some(path[1..].to_vec()),
        _ => Some(path.to_vec()),
    }
}
