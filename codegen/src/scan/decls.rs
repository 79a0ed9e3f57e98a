//! The `mod` items of one file, as a tree: the common output of the syn walk and the text scan.

use syn::ext::IdentExt;
use syn::{File, Item};

use super::attrs::{ModAttrs, cfg_texts};
use super::diagnostic::span_position;
use super::vis::Visibility;

/// One `mod` item: `mod x;` or `mod x { ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModDecl {
    /// The module's name, without `r#`.
    pub name: String,
    /// 1-based line of the `mod` keyword.
    pub line: usize,
    /// 1-based column of the `mod` keyword, in characters.
    pub column: usize,
    /// The visibility written before `mod`.
    pub vis: Visibility,
    /// Its `#[path]` and `#[cfg]` attributes (inner ones included, for inline modules).
    pub attrs: ModAttrs,
    /// The `mod` items inside `{ ... }`; `None` for `mod x;`.
    pub body: Option<Vec<ModDecl>>,
}

/// The `mod` items of one file, with the file's own `#![cfg]`s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileDecls {
    /// `#![cfg(...)]` at the top of the file, as token text.
    pub inner_cfgs: Vec<String>,
    /// The top-level `mod` items, in source order.
    pub mods: Vec<ModDecl>,
}

impl FileDecls {
    /// The `mod` items of a file that syn has parsed.
    #[must_use]
    pub fn from_syn(file: &File) -> Self {
        Self {
            inner_cfgs: cfg_texts(&file.attrs),
            mods: mods_in(&file.items),
        }
    }
}

/// Module items only: items inside functions, impls or macros cannot declare file modules.
fn mods_in(items: &[Item]) -> Vec<ModDecl> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) => {
                let (line, column) = span_position(m.mod_token.span);
                Some(ModDecl {
                    name: m.ident.unraw().to_string(),
                    line,
                    column,
                    vis: Visibility::from_syn(&m.vis),
                    attrs: ModAttrs::read(&m.attrs),
                    body: m.content.as_ref().map(|(_, items)| mods_in(items)),
                })
            }
            _ => None,
        })
        .collect()
}
