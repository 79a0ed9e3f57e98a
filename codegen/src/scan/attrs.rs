//! Reading the few attributes the scanner cares about: `path`, `cfg`, `cfg_attr` and `derive`.
//!
//! Both the syn walk and the text scanner turn their attributes into `syn::Attribute`s and come
//! here, so the two cannot read an attribute differently.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, Meta, Token};

/// The `#[path]` attribute of a `mod` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PathAttr {
    /// No `#[path]`.
    #[default]
    Absent,
    /// `#[path = "..."]`, the first one (rustc ignores later ones).
    Literal(String),
    /// `#[path]` without a string value; rustc rejects it.
    Malformed,
}

/// What the scanner keeps from the attributes of a `mod` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModAttrs {
    /// Where the module's file is, when `#[path]` says so.
    pub path: PathAttr,
    /// Each `cfg(...)`, outer then inner, as token text.
    pub cfgs: Vec<String>,
    /// A `cfg_attr` that may set `path`: the scanner does not evaluate cfgs, so it cannot know.
    pub cfg_attr_path: bool,
}

impl ModAttrs {
    /// Reads the attributes of one `mod` item, outer and inner alike.
    #[must_use]
    pub fn read(attrs: &[Attribute]) -> Self {
        let mut out = Self::default();
        for attr in attrs {
            if attr.path().is_ident("path") {
                if out.path == PathAttr::Absent {
                    out.path =
                        string_value(&attr.meta).map_or(PathAttr::Malformed, PathAttr::Literal);
                }
            } else if let Some(cfg) = cfg_text(attr) {
                out.cfgs.push(cfg);
            } else if attr.path().is_ident("cfg_attr") && cfg_attr_sets(attr, "path") {
                out.cfg_attr_path = true;
            }
        }
        out
    }
}

/// `cfg(...)` as token text, when `attr` is a `#[cfg]`.
#[must_use]
pub(super) fn cfg_text(attr: &Attribute) -> Option<String> {
    attr.path()
        .is_ident("cfg")
        .then(|| attr.meta.to_token_stream().to_string())
}

/// Every `#[cfg]` among `attrs`, as token text.
#[must_use]
pub(super) fn cfg_texts(attrs: &[Attribute]) -> Vec<String> {
    attrs.iter().filter_map(cfg_text).collect()
}

/// When `attrs` derive a macro whose path ends in `Config`, the cfgs that derive depends on.
///
/// `#[derive(Config)]` gives an empty list; `#[cfg_attr(feature = "x", derive(Config))]` gives
/// `["cfg (feature = \"x\")"]`, so the generated code can carry it over. `None` means no derive.
#[must_use]
pub(super) fn config_derive(attrs: &[Attribute]) -> Option<Vec<String>> {
    let mut best: Option<Vec<String>> = None;
    for attr in attrs {
        let mut conditions = Vec::new();
        if let Some(found) = derive_in_meta(&attr.meta, &mut conditions) {
            // An unconditional derive beats one that depends on a cfg.
            if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                best = Some(found);
            }
        }
    }
    best
}

/// Looks for `derive(.., Config)` in `meta`, descending into `cfg_attr`.
fn derive_in_meta(meta: &Meta, conditions: &mut Vec<TokenStream>) -> Option<Vec<String>> {
    if meta.path().is_ident("derive") {
        let Meta::List(list) = meta else { return None };
        let paths = list
            .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            .ok()?;
        let derives_config = paths
            .iter()
            .any(|path| path.segments.last().is_some_and(|s| s.ident == "Config"));
        return derives_config.then(|| {
            conditions
                .iter()
                .map(|predicate| quote!(cfg(#predicate)).to_string())
                .collect()
        });
    }
    if meta.path().is_ident("cfg_attr") {
        let Meta::List(list) = meta else { return None };
        let (predicate, metas) = list.parse_args_with(parse_cfg_attr).ok()?;
        conditions.push(predicate);
        let found = metas.iter().find_map(|m| derive_in_meta(m, conditions));
        conditions.pop();
        return found;
    }
    None
}

/// Splits `cfg_attr(predicate, a, b)` into the predicate and the attributes.
fn parse_cfg_attr(
    input: syn::parse::ParseStream<'_>,
) -> syn::Result<(TokenStream, Punctuated<Meta, Token![,]>)> {
    let predicate: Meta = input.parse()?;
    input.parse::<Token![,]>()?;
    let metas = Punctuated::parse_terminated(input)?;
    Ok((predicate.to_token_stream(), metas))
}

/// Whether a `cfg_attr` may add an attribute named `name`, at any depth.
fn cfg_attr_sets(attr: &Attribute, name: &str) -> bool {
    fn sets(meta: &Meta, name: &str) -> bool {
        if meta.path().is_ident(name) {
            return true;
        }
        let Meta::List(list) = meta else { return false };
        if !list.path.is_ident("cfg_attr") {
            return false;
        }
        list.parse_args_with(parse_cfg_attr)
            .is_ok_and(|(_, metas)| metas.iter().any(|m| sets(m, name)))
    }
    sets(&attr.meta, name)
}

/// The string of `name = "value"`.
fn string_value(meta: &Meta) -> Option<String> {
    let Meta::NameValue(nv) = meta else {
        return None;
    };
    match &nv.value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}
