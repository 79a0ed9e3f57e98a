//! One module's names in the type namespace: its structs, enums, type aliases, child modules
//! and `use` imports, read from its syn items, with their visibility. Items whose `#[cfg]`
//! is false in the build schemas describe are left out.

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use syn::ext::IdentExt;
use syn::{Attribute, Generics, Item, UseTree};

use super::{Alias, Entry, Param, Scope};
use crate::cfg::Cfgs;
use crate::ctxt::Ctxt;
use crate::model::{Body, TypeDef};
use crate::scan::Visibility;

/// A `use` path as written: `::a::b` is `global`.
#[derive(Clone, Debug)]
pub(super) struct UsePath {
    pub(super) global: bool,
    pub(super) segments: Vec<String>,
}

/// What a name in a module's type namespace stands for.
#[derive(Clone)]
pub(super) enum Name {
    Type(Rc<Entry>),
    Alias(Rc<Alias>),
    /// A child module, inline or in its own file.
    Module,
    /// `use path;` or `use path as name;`.
    Use(UsePath),
}

/// The names one module declares, and its glob imports, each with its visibility.
#[derive(Default)]
pub(super) struct Table {
    pub(super) names: HashMap<String, Vec<(Name, Visibility)>>,
    pub(super) globs: Vec<(UsePath, Visibility)>,
}

/// What building a table needs to know about the module.
pub(super) struct Site<'a> {
    pub(super) scope: &'a Scope,
    pub(super) file: &'a Path,
    pub(super) crate_dir: &'a Path,
    pub(super) cfgs: &'a Cfgs,
    pub(super) next_id: &'a dyn Fn() -> usize,
}

impl Table {
    /// The table of a module whose items are `items`.
    pub(super) fn build(site: &Site<'_>, items: &[Item]) -> Self {
        let mut table = Self::default();
        for item in items {
            let cfg = match item_cfg(site.cfgs, item_attrs(item)) {
                InBuild::No => continue,
                InBuild::Yes => None,
                InBuild::Undecided(cfg) => Some(cfg),
            };
            match item {
                Item::Struct(s) => {
                    let header = Header(&s.attrs, &s.ident, &s.vis, &s.generics);
                    table.add_type(site, &header, Body::Struct(&s.fields), cfg);
                }
                Item::Enum(e) => {
                    let header = Header(&e.attrs, &e.ident, &e.vis, &e.generics);
                    table.add_type(site, &header, Body::Enum(&e.variants), cfg);
                }
                Item::Type(alias) => {
                    let entry = Alias {
                        id: (site.next_id)(),
                        ident: alias.ident.unraw().to_string(),
                        generics: params(&alias.generics),
                        ty: (*alias.ty).clone(),
                        scope: site.scope.clone(),
                        file: site.file.to_owned(),
                        crate_dir: site.crate_dir.to_owned(),
                    };
                    let vis = Visibility::from_syn(&alias.vis);
                    table.add(&entry.ident.clone(), Name::Alias(Rc::new(entry)), vis);
                }
                Item::Mod(m) => {
                    let vis = Visibility::from_syn(&m.vis);
                    table.add(&m.ident.unraw().to_string(), Name::Module, vis);
                }
                Item::Use(u) => {
                    let global = u.leading_colon.is_some();
                    let vis = Visibility::from_syn(&u.vis);
                    table.add_use(&u.tree, global, &vis, &mut Vec::new());
                }
                Item::ExternCrate(e) => {
                    let name = e.ident.unraw().to_string();
                    let path = UsePath {
                        global: true,
                        segments: vec![name.clone()],
                    };
                    let bound = e
                        .rename
                        .as_ref()
                        .map_or(name, |(_, r)| r.unraw().to_string());
                    table.add(&bound, Name::Use(path), Visibility::from_syn(&e.vis));
                }
                _ => {}
            }
        }
        table
    }

    fn add(&mut self, name: &str, value: Name, vis: Visibility) {
        self.names
            .entry(name.to_owned())
            .or_default()
            .push((value, vis));
    }

    fn add_type(
        &mut self,
        site: &Site<'_>,
        header: &Header<'_>,
        body: Body<'_>,
        cfg: Option<String>,
    ) {
        let Header(attrs, ident, vis, generics) = *header;
        let mut ctxt = Ctxt::scanning(site.cfgs.clone());
        let Some(def) = TypeDef::parse(&mut ctxt, attrs, ident, body) else {
            return;
        };
        // Errors are rustc's and serde's to report; warnings matter once a config uses the type.
        let (_, warnings) = ctxt.into_parts();
        let start = ident.span().start();
        let entry = Entry {
            id: (site.next_id)(),
            def,
            generics: params(generics),
            scope: site.scope.clone(),
            file: site.file.to_owned(),
            crate_dir: site.crate_dir.to_owned(),
            line: start.line,
            column: start.column + 1,
            cfg,
            warnings,
        };
        let vis = Visibility::from_syn(vis);
        self.add(&ident.unraw().to_string(), Name::Type(Rc::new(entry)), vis);
    }

    fn add_use(
        &mut self,
        tree: &UseTree,
        global: bool,
        vis: &Visibility,
        prefix: &mut Vec<String>,
    ) {
        let path = |prefix: &[String], last: Option<String>| UsePath {
            global,
            segments: prefix.iter().cloned().chain(last).collect(),
        };
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.unraw().to_string());
                self.add_use(&p.tree, global, vis, prefix);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let name = n.ident.unraw().to_string();
                if name == "self" {
                    // `use a::{self}` binds `a`.
                    if let Some(last) = prefix.last().cloned() {
                        self.add(&last, Name::Use(path(prefix, None)), vis.clone());
                    }
                } else {
                    let target = path(prefix, Some(name.clone()));
                    self.add(&name, Name::Use(target), vis.clone());
                }
            }
            UseTree::Rename(r) => {
                let bound = r.rename.unraw().to_string();
                if bound == "_" {
                    return;
                }
                let name = r.ident.unraw().to_string();
                let target = if name == "self" {
                    path(prefix, None)
                } else {
                    path(prefix, Some(name))
                };
                self.add(&bound, Name::Use(target), vis.clone());
            }
            UseTree::Glob(_) => self.globs.push((path(prefix, None), vis.clone())),
            UseTree::Group(g) => {
                for tree in &g.items {
                    self.add_use(tree, global, vis, prefix);
                }
            }
        }
    }
}

/// What a struct or an enum starts with: attributes, name, visibility and generics.
#[derive(Clone, Copy)]
struct Header<'a>(
    &'a [Attribute],
    &'a syn::Ident,
    &'a syn::Visibility,
    &'a Generics,
);

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Struct(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        _ => &[],
    }
}

/// Whether an item is in the build schemas describe.
enum InBuild {
    No,
    Yes,
    /// Under `#[cfg]`s that depend on the target, as text.
    Undecided(String),
}

fn item_cfg(cfgs: &Cfgs, attrs: &[Attribute]) -> InBuild {
    let mut undecided = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let Ok(predicate) = attr.parse_args::<syn::Meta>() else {
            continue;
        };
        match cfgs.eval(&predicate) {
            Some(false) => return InBuild::No,
            Some(true) => {}
            None => undecided.push(format!("cfg({})", quote::quote!(#predicate))),
        }
    }
    if undecided.is_empty() {
        InBuild::Yes
    } else {
        InBuild::Undecided(undecided.join(", "))
    }
}

/// The type parameters of an item, with their defaults; lifetimes and consts are not types.
fn params(generics: &Generics) -> Vec<Param> {
    generics
        .type_params()
        .map(|p| Param {
            name: p.ident.unraw().to_string(),
            default: p.default.as_ref().map(|(_, ty)| ty.clone()),
        })
        .collect()
}

/// The items of module `rest` (a path of inline modules) inside `items`.
pub(super) fn inline_items<'a>(mut items: &'a [Item], rest: &[String]) -> Option<&'a [Item]> {
    for name in rest {
        items = items.iter().find_map(|item| match item {
            Item::Mod(m) if m.ident.unraw() == name.as_str() => {
                m.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })?;
    }
    Some(items)
}

/// Every `impl .. Deserialize<..> for Name` in `items`, inline modules included, with the
/// module path below `items`' own where it sits, and its position.
pub(super) fn deserialize_impls(
    items: &[Item],
    name: &str,
    module: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, syn::Path, (usize, usize))>,
) {
    for item in items {
        match item {
            Item::Impl(imp) => {
                let is_deserialize = imp.trait_.as_ref().is_some_and(|(path, _)| {
                    path.segments
                        .last()
                        .is_some_and(|s| s.ident == "Deserialize")
                });
                if let (true, syn::Type::Path(ty)) = (is_deserialize, &*imp.self_ty)
                    && ty.path.segments.last().is_some_and(|s| s.ident == name)
                {
                    let start = imp.impl_token.span.start();
                    out.push((
                        module.clone(),
                        ty.path.clone(),
                        (start.line, start.column + 1),
                    ));
                }
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    module.push(m.ident.unraw().to_string());
                    deserialize_impls(inner, name, module, out);
                    module.pop();
                }
            }
            _ => {}
        }
    }
}

/// A file that may hold one: a cheap filter before parsing.
pub(super) fn may_impl_deserialize(text: &str, name: &str) -> bool {
    text.contains("Deserialize") && text.contains(name) && text.contains("impl")
}
