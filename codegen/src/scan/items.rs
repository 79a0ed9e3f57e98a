//! Finding `#[derive(.., Config)]` structs and enums across a module tree.

use std::path::Path;

use syn::ext::IdentExt;
use syn::{Attribute, Ident, Item, ItemEnum, ItemStruct};

use super::attrs::{cfg_texts, config_derive};
use super::diagnostic::span_position;
use super::tree::ModuleTree;
use super::vis::Visibility;

/// The item that derives `Config`.
#[derive(Debug, Clone, Copy)]
pub enum ConfigItemRef<'a> {
    /// A struct, the usual case.
    Struct(&'a ItemStruct),
    /// An enum; the model decides whether it is acceptable.
    Enum(&'a ItemEnum),
}

/// A struct or enum deriving a macro whose path ends in `Config`, with where it lives.
#[derive(Debug, Clone)]
pub struct ConfigItem<'a> {
    /// The syn item, for building the model.
    pub item: ConfigItemRef<'a>,
    /// The type's name, without `r#`.
    pub name: String,
    /// The module holding it, inline modules included, e.g. `["net", "tls"]`.
    pub module_path: Vec<String>,
    /// The visibility of each module on `module_path`, as its parent declares it.
    pub path_vis: Vec<Visibility>,
    /// The type's own visibility.
    pub vis: Visibility,
    /// The file it is written in.
    pub file: &'a Path,
    /// 1-based line of the type's name.
    pub line: usize,
    /// 1-based column of the type's name, in characters.
    pub column: usize,
    /// Every `cfg(...)` it depends on: the modules' on the way, its own, and the
    /// `cfg_attr` predicates its derive sits under.
    pub cfgs: Vec<String>,
}

impl ModuleTree {
    /// Every config item in the tree, sorted by file, then position, then module path.
    ///
    /// Only marker files can hold one, and those were parsed during the walk; a file that
    /// failed to parse is in [`diagnostics`](Self::diagnostics) and contributes nothing.
    #[must_use]
    pub fn config_items(&self) -> Vec<ConfigItem<'_>> {
        let mut out = Vec::new();
        for module in self.modules().iter().filter(|m| m.has_marker) {
            if let Some(Ok(file)) = self.parsed(&module.path) {
                let scope = Scope {
                    file: &module.path,
                    module_path: module.module_path.clone(),
                    path_vis: module.path_vis.clone(),
                    cfgs: module.cfgs.clone(),
                };
                scope.collect(&file.items, &mut out);
            }
        }
        out.sort_by(|a, b| {
            (a.file, a.line, a.column, &a.module_path).cmp(&(
                b.file,
                b.line,
                b.column,
                &b.module_path,
            ))
        });
        out
    }
}

/// The module that items are being collected from.
struct Scope<'a> {
    file: &'a Path,
    module_path: Vec<String>,
    path_vis: Vec<Visibility>,
    cfgs: Vec<String>,
}

impl<'a> Scope<'a> {
    fn collect(&self, items: &'a [Item], out: &mut Vec<ConfigItem<'a>>) {
        for item in items {
            let (found, attrs, ident, vis) = match item {
                Item::Struct(s) => (ConfigItemRef::Struct(s), &s.attrs, &s.ident, &s.vis),
                Item::Enum(e) => (ConfigItemRef::Enum(e), &e.attrs, &e.ident, &e.vis),
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.inline(&m.ident, &m.vis, &m.attrs).collect(inner, out);
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(derive_cfgs) = config_derive(attrs) else {
                continue;
            };
            let (line, column) = span_position(ident.span());
            let mut cfgs = self.cfgs.clone();
            cfgs.extend(cfg_texts(attrs));
            cfgs.extend(derive_cfgs);
            out.push(ConfigItem {
                item: found,
                name: ident.unraw().to_string(),
                module_path: self.module_path.clone(),
                path_vis: self.path_vis.clone(),
                vis: Visibility::from_syn(vis),
                file: self.file,
                line,
                column,
                cfgs,
            });
        }
    }

    /// The scope of `mod name { ... }` inside this one.
    fn inline(&self, name: &Ident, vis: &syn::Visibility, attrs: &[Attribute]) -> Self {
        let mut module_path = self.module_path.clone();
        module_path.push(name.unraw().to_string());
        let mut path_vis = self.path_vis.clone();
        path_vis.push(Visibility::from_syn(vis));
        let mut cfgs = self.cfgs.clone();
        cfgs.extend(cfg_texts(attrs));
        Self {
            file: self.file,
            module_path,
            path_vis,
            cfgs,
        }
    }
}
