//! The one parser for `#[config(...)]`, `#[serde(...)]` and doc attributes.
//!
//! `#[config]` is ours: an unknown or repeated entry is an error. `#[serde]` belongs to serde,
//! which reports its own mistakes, so entries that do not change the wire form of a config are
//! skipped here, value and all.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Token};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;

/// A name that may differ between serialization and deserialization, as serde allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Both<T> {
    /// The value used when serializing.
    pub serialize: Option<T>,
    /// The value used when deserializing.
    pub deserialize: Option<T>,
}

impl<T> Default for Both<T> {
    fn default() -> Self {
        Self {
            serialize: None,
            deserialize: None,
        }
    }
}

/// Attributes of a config struct.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `#[config(key = "...")]`, with the span of its string.
    pub key: Option<(String, Span)>,
    /// `#[serde(rename_all = "...")]`.
    pub rename_all: Both<RenameRule>,
    /// The span of `#[serde(transparent)]`, which makes the serde form not an object.
    pub transparent: Option<Span>,
    /// The doc comment, one line per `///` line.
    pub docs: String,
}

/// Attributes of one field of a config struct.
#[derive(Default)]
pub struct FieldAttrs {
    /// `#[config(secret)]`.
    pub secret: bool,
    /// `#[serde(rename = "...")]`.
    pub rename: Both<String>,
    /// `#[serde(alias = "...")]`: extra names accepted when deserializing.
    pub aliases: Vec<String>,
    /// `#[serde(skip)]`: the field is neither written nor read.
    pub skip: bool,
    /// The span of `#[serde(flatten)]`.
    pub flatten: Option<Span>,
    /// The doc comment, one line per `///` line.
    pub docs: String,
}

/// Parses the attributes of a config struct, recording every misuse in `ctxt`.
pub fn container(ctxt: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs {
        docs: docs(attrs),
        ..ContainerAttrs::default()
    };
    for attr in attrs {
        if attr.path().is_ident("config") {
            each_config_entry(ctxt, attr, |ctxt, meta| {
                if meta.path.is_ident("key") {
                    if !meta.input.peek(Token![=]) {
                        ctxt.push(meta.error("`key` needs a value: `#[config(key = \"...\")]`"));
                        return skip_value(&meta);
                    }
                    let value: LitStr = meta.value()?.parse().map_err(|e: syn::Error| {
                        syn::Error::new(
                            e.span(),
                            "`key` takes a string: `#[config(key = \"...\")]`",
                        )
                    })?;
                    if out.key.is_some() {
                        ctxt.error_spanned_by(&meta.path, "duplicate `key` attribute");
                    } else {
                        out.key = Some((value.value(), value.span()));
                    }
                } else if meta.path.is_ident("secret") {
                    ctxt.push(meta.error("`secret` goes on a field, not on the struct"));
                } else {
                    ctxt.push(unknown(&meta, "`key = \"...\"`"));
                    skip_value(&meta)?;
                }
                Ok(())
            });
        } else if attr.path().is_ident("serde") {
            each_serde_entry(attr, |meta| {
                if meta.path.is_ident("rename_all") {
                    let names = both_strings(&meta)?;
                    out.rename_all = Both {
                        serialize: rule(names.serialize),
                        deserialize: rule(names.deserialize),
                    };
                } else if meta.path.is_ident("transparent") {
                    out.transparent = Some(meta.path.span());
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            });
        }
    }
    out
}

/// Parses the attributes of one field, recording every misuse in `ctxt`.
pub fn field(ctxt: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs {
        docs: docs(attrs),
        ..FieldAttrs::default()
    };
    for attr in attrs {
        if attr.path().is_ident("config") {
            each_config_entry(ctxt, attr, |ctxt, meta| {
                if meta.path.is_ident("secret") {
                    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                        ctxt.push(meta.error("`secret` takes no value: write `#[config(secret)]`"));
                        skip_value(&meta)?;
                    }
                    if out.secret {
                        ctxt.error_spanned_by(&meta.path, "duplicate `secret` attribute");
                    }
                    out.secret = true;
                } else if meta.path.is_ident("key") {
                    ctxt.push(meta.error("`key` goes on the struct, not on a field"));
                    skip_value(&meta)?;
                } else {
                    ctxt.push(unknown(&meta, "`secret`"));
                    skip_value(&meta)?;
                }
                Ok(())
            });
        } else if attr.path().is_ident("serde") {
            each_serde_entry(attr, |meta| {
                if meta.path.is_ident("rename") {
                    out.rename = both_strings(&meta)?.into();
                } else if meta.path.is_ident("alias") {
                    out.aliases.push(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("skip") {
                    out.skip = true;
                } else if meta.path.is_ident("flatten") {
                    out.flatten = Some(meta.path.span());
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            });
        }
    }
    out
}

/// Runs `f` on each entry of a `#[config(...)]` attribute; a syntax error is recorded.
fn each_config_entry(
    ctxt: &mut Ctxt,
    attr: &Attribute,
    mut f: impl FnMut(&mut Ctxt, ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    if !matches!(attr.meta, Meta::List(_)) {
        ctxt.error_spanned_by(
            &attr.meta,
            "expected `#[config(...)]` with a list of entries",
        );
        return;
    }
    let mut errors = Ctxt::default();
    if let Err(error) = attr.parse_nested_meta(|meta| f(&mut errors, meta)) {
        errors.push(error);
    }
    for error in errors.into_errors() {
        ctxt.push(error);
    }
}

/// Runs `f` on each entry of a `#[serde(...)]` attribute.
fn each_serde_entry(attr: &Attribute, f: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>) {
    // A malformed serde attribute is serde_derive's to report; reporting it twice helps nobody.
    let _ = attr.parse_nested_meta(f);
}

fn unknown(meta: &ParseNestedMeta<'_>, expected: &str) -> syn::Error {
    let name = meta
        .path
        .get_ident()
        .map_or_else(|| "?".to_owned(), ToString::to_string);
    meta.error(format!(
        "unknown config attribute `{name}`; expected {expected}"
    ))
}

/// A rule serde does not know is serde_derive's to report; it leaves names as they are here.
fn rule(name: Option<LitStr>) -> Option<RenameRule> {
    RenameRule::from_name(&name?.value())
}

/// Parses `name = "x"` or `name(serialize = "x", deserialize = "y")`.
fn both_strings(meta: &ParseNestedMeta<'_>) -> syn::Result<Both<LitStr>> {
    if meta.input.peek(Token![=]) {
        let value: LitStr = meta.value()?.parse()?;
        return Ok(Both {
            serialize: Some(value.clone()),
            deserialize: Some(value),
        });
    }
    let mut out = Both::default();
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("serialize") {
            out.serialize = Some(inner.value()?.parse()?);
        } else if inner.path.is_ident("deserialize") {
            out.deserialize = Some(inner.value()?.parse()?);
        } else {
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    Ok(out)
}

impl From<Both<LitStr>> for Both<String> {
    fn from(value: Both<LitStr>) -> Self {
        Both {
            serialize: value.serialize.map(|s| s.value()),
            deserialize: value.deserialize.map(|s| s.value()),
        }
    }
}

/// Consumes the value of an entry we do not interpret: `= anything` or `(anything)`.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let value = meta.value()?;
        while !value.is_empty() && !value.peek(Token![,]) {
            value.parse::<proc_macro2::TokenTree>()?;
        }
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// Joins `///` lines, dropping the one space rustdoc puts after the slashes.
fn docs(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .flat_map(|doc| {
            doc.lines()
                .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    lines.join("\n").trim().to_owned()
}
