//! The structs and enums of a crate, found by the paths that fields use to name them.

use std::path::{Path, PathBuf};

use syn::Item;
use syn::ext::IdentExt;

use crate::ctxt::Ctxt;
use crate::model::{Body, TypeDef};
use crate::schema::{Resolve, Resolved};

/// Every struct and enum of a crate, with its module path and file.
#[derive(Default)]
pub struct TypeIndex {
    entries: Vec<Entry>,
}

struct Entry {
    module: Vec<String>,
    file: PathBuf,
    def: TypeDef,
}

impl TypeIndex {
    /// Indexes every struct and enum of one parsed file, inline modules included. Problems
    /// with their attributes are left to rustc and serde, or to the config checks.
    pub fn add_file(&mut self, module: &[String], file: &Path, syntax: &syn::File) {
        self.add_items(module, file, &syntax.items);
    }

    fn add_items(&mut self, module: &[String], file: &Path, items: &[Item]) {
        for item in items {
            let (attrs, ident, body) = match item {
                Item::Struct(s) => (&s.attrs, &s.ident, Body::Struct(&s.fields)),
                Item::Enum(e) => (&e.attrs, &e.ident, Body::Enum(&e.variants)),
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        let mut inner = module.to_vec();
                        inner.push(m.ident.unraw().to_string());
                        self.add_items(&inner, file, items);
                    }
                    continue;
                }
                _ => continue,
            };
            if let Some(def) = TypeDef::parse(&mut Ctxt::default(), attrs, ident, body) {
                self.entries.push(Entry {
                    module: module.to_vec(),
                    file: file.to_owned(),
                    def,
                });
            }
        }
    }

    /// Whether a struct or enum of this name is indexed, in any module.
    #[must_use]
    pub fn has_name(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.def.ident == name)
    }

    /// Every indexed struct and enum of this name.
    pub fn defs_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a TypeDef> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.def.ident == name)
            .map(|e| &e.def)
    }
}

impl Resolve for TypeIndex {
    fn resolve(&self, path: &syn::Path, from: &[String]) -> Option<Resolved<'_>> {
        let last = path.segments.last()?;
        let named: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.def.ident == last.ident)
            .collect();
        let chosen = match named.as_slice() {
            [] => return None,
            [one] => *one,
            many => {
                let segments: Vec<String> = path
                    .segments
                    .iter()
                    .map(|s| s.ident.unraw().to_string())
                    .collect();
                let prefix = segments.split_last().map_or(&[][..], |(_, prefix)| prefix);
                // The module the path names, as rustc reads it. `use` imports are not
                // followed, so otherwise keep the one type whose module ends with the path's.
                let exact = absolute(from, prefix)
                    .and_then(|module| unique(many.iter().copied().filter(|e| e.module == module)));
                let relative: Vec<String> = prefix
                    .iter()
                    .filter(|s| !matches!(s.as_str(), "crate" | "self" | "super"))
                    .cloned()
                    .collect();
                exact.or_else(|| {
                    unique(
                        many.iter()
                            .copied()
                            .filter(|e| e.module.ends_with(&relative)),
                    )
                })?
            }
        };
        // Types that share a name are told apart in `$defs` by their module path.
        let ident = chosen.def.ident.to_string();
        let name = if named.len() == 1 {
            ident
        } else {
            let mut path = chosen.module.clone();
            path.push(ident);
            path.join("::")
        };
        Some(Resolved {
            def: &chosen.def,
            file: &chosen.file,
            module: &chosen.module,
            name,
        })
    }
}

/// The module that `prefix`, written in module `from`, names: `crate::`, `self::` and
/// `super::` as rustc reads them, anything else relative to `from`.
fn absolute(from: &[String], prefix: &[String]) -> Option<Vec<String>> {
    let mut module = from.to_vec();
    let mut rest = prefix;
    match prefix.split_first() {
        Some((first, tail)) if first == "crate" => {
            module.clear();
            rest = tail;
        }
        Some((first, tail)) if first == "self" => rest = tail,
        _ => {}
    }
    while let Some((first, tail)) = rest.split_first() {
        if first != "super" {
            break;
        }
        module.pop()?;
        rest = tail;
    }
    module.extend(rest.iter().cloned());
    Some(module)
}

/// The one entry `entries` yields; `None` when there are none or several.
fn unique<'a>(mut entries: impl Iterator<Item = &'a Entry>) -> Option<&'a Entry> {
    let first = entries.next()?;
    entries.next().is_none().then_some(first)
}
