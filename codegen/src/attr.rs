//! The one parser for `#[config(...)]`, `#[serde(...)]` and doc attributes.
//!
//! `#[config]` is ours: an unknown or repeated entry is an error. `#[serde]` belongs to serde,
//! which reports its own mistakes, so entries that do not change what a value looks like in
//! JSON (`bound`, `crate`, `expecting`, ...) are skipped here, value and all.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Token};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;

/// A setting that may differ between serialization and deserialization, as serde allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

impl<T> Both<T> {
    /// Takes each side that `other` sets: serde lets `rename(serialize = ...)` and
    /// `rename(deserialize = ...)` come in separate attributes.
    fn merge(&mut self, other: Self) {
        if other.serialize.is_some() {
            self.serialize = other.serialize;
        }
        if other.deserialize.is_some() {
            self.deserialize = other.deserialize;
        }
    }
}

/// `#[serde(default)]` or `#[serde(default = "path")]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefaultAttr {
    /// `Default::default()`.
    Trait,
    /// A function, by its path as written.
    Path(String),
}

/// Attributes of a struct or enum.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `#[config(key = "...")]`, with the span of its string.
    pub key: Option<(String, Span)>,
    /// `#[serde(rename_all = "...")]`.
    pub rename_all: Both<RenameRule>,
    /// `#[serde(rename_all_fields = "...")]`: the rule for the fields of every struct variant.
    pub rename_all_fields: Both<RenameRule>,
    /// The span of `#[serde(transparent)]`.
    pub transparent: Option<Span>,
    /// `#[serde(deny_unknown_fields)]`.
    pub deny_unknown_fields: bool,
    /// `#[serde(default)]` on the container: every missing field takes its default.
    pub default: Option<DefaultAttr>,
    /// `#[serde(tag = "...")]`.
    pub tag: Option<String>,
    /// `#[serde(content = "...")]`.
    pub content: Option<String>,
    /// `#[serde(untagged)]`.
    pub untagged: bool,
    /// `#[serde(from = "T")]` or `try_from`: the wire form is another type's. The name of the
    /// attribute and the type as written.
    pub from: Option<(&'static str, String, Span)>,
    /// The span of `#[serde(into = "T")]`: the value is written as another type.
    pub into: Option<Span>,
    /// The doc comment, one line per `///` line.
    pub docs: String,
}

/// Attributes of a field.
#[derive(Default)]
pub struct FieldAttrs {
    /// `#[config(secret)]`.
    pub secret: bool,
    /// `#[config(schema = "...")]`: the JSON Schema of the field, given by its author.
    pub schema: Option<(String, Span)>,
    /// `#[serde(rename = "...")]`.
    pub rename: Both<String>,
    /// `#[serde(alias = "...")]`: extra names accepted when deserializing.
    pub aliases: Vec<String>,
    /// `#[serde(skip)]` or `skip_serializing`.
    pub skip_serializing: bool,
    /// `#[serde(skip)]` or `skip_deserializing`: the field is never read.
    pub skip_deserializing: bool,
    /// `#[serde(default)]` or `#[serde(default = "path")]`.
    pub default: Option<DefaultAttr>,
    /// The span of `#[serde(flatten)]`.
    pub flatten: Option<Span>,
    /// The span of `with` or `deserialize_with`: the field's wire form is decided by code.
    pub custom_deserialize: Option<Span>,
    /// The doc comment, one line per `///` line.
    pub docs: String,
}

/// Attributes of an enum variant.
#[derive(Default)]
pub struct VariantAttrs {
    /// `#[serde(rename = "...")]`.
    pub rename: Both<String>,
    /// `#[serde(alias = "...")]`.
    pub aliases: Vec<String>,
    /// `#[serde(rename_all = "...")]`: the rule for this struct variant's fields.
    pub rename_all: Both<RenameRule>,
    /// `#[serde(skip)]` or `skip_deserializing`: the variant is never read.
    pub skip_deserializing: bool,
    /// `#[serde(other)]`: any unknown tag deserializes to this unit variant.
    pub other: bool,
    /// `#[serde(untagged)]` on a variant: tried, untagged, after the tagged variants.
    pub untagged: bool,
    /// The span of `with` or `deserialize_with`.
    pub custom_deserialize: Option<Span>,
    /// The doc comment, one line per `///` line.
    pub docs: String,
}

/// Parses the attributes of a struct or enum, recording every misuse in `ctxt`.
pub fn container(ctxt: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs {
        docs: docs(attrs),
        ..ContainerAttrs::default()
    };
    for attr in attrs {
        if attr.path().is_ident("config") {
            each_config_entry(ctxt, attr, |ctxt, meta| {
                if meta.path.is_ident("key") {
                    let Some(value) = config_string(ctxt, &meta, "key")? else {
                        return Ok(());
                    };
                    if out.key.is_some() {
                        ctxt.error_spanned_by(&meta.path, "duplicate `key` attribute");
                    } else {
                        out.key = Some((value.value(), value.span()));
                    }
                } else if meta.path.is_ident("secret") || meta.path.is_ident("schema") {
                    ctxt.push(meta.error(format!(
                        "`{}` goes on a field, not on the struct",
                        ident(&meta)
                    )));
                    skip_value(&meta)?;
                } else {
                    ctxt.push(unknown(&meta, "`key = \"...\"`"));
                    skip_value(&meta)?;
                }
                Ok(())
            });
        } else if attr.path().is_ident("serde") {
            each_serde_entry(attr, |meta| {
                let name = ident(&meta);
                match name.as_str() {
                    "rename_all" => out.rename_all.merge(rules(&meta)?),
                    "rename_all_fields" => out.rename_all_fields.merge(rules(&meta)?),
                    "transparent" => out.transparent = Some(meta.path.span()),
                    "deny_unknown_fields" => out.deny_unknown_fields = true,
                    "default" => out.default = Some(default(&meta)?),
                    "tag" => out.tag = Some(string(&meta)?),
                    "content" => out.content = Some(string(&meta)?),
                    "untagged" => out.untagged = true,
                    "from" | "try_from" => {
                        let kind = if name == "from" { "from" } else { "try_from" };
                        out.from = Some((kind, string(&meta)?, meta.path.span()));
                    }
                    "into" => {
                        out.into = Some(meta.path.span());
                        skip_value(&meta)?;
                    }
                    _ => skip_value(&meta)?,
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
                } else if meta.path.is_ident("schema") {
                    let Some(value) = config_string(ctxt, &meta, "schema")? else {
                        return Ok(());
                    };
                    if out.schema.is_some() {
                        ctxt.error_spanned_by(&meta.path, "duplicate `schema` attribute");
                    } else {
                        out.schema = Some((value.value(), value.span()));
                    }
                } else if meta.path.is_ident("key") {
                    ctxt.push(meta.error("`key` goes on the struct, not on a field"));
                    skip_value(&meta)?;
                } else {
                    ctxt.push(unknown(&meta, "`secret` or `schema = \"...\"`"));
                    skip_value(&meta)?;
                }
                Ok(())
            });
        } else if attr.path().is_ident("serde") {
            each_serde_entry(attr, |meta| {
                match ident(&meta).as_str() {
                    "rename" => out.rename.merge(names(&meta)?),
                    "alias" => out.aliases.push(string(&meta)?),
                    "skip" => (out.skip_serializing, out.skip_deserializing) = (true, true),
                    "skip_serializing" => out.skip_serializing = true,
                    "skip_deserializing" => out.skip_deserializing = true,
                    "default" => out.default = Some(default(&meta)?),
                    "flatten" => out.flatten = Some(meta.path.span()),
                    "with" | "deserialize_with" => {
                        out.custom_deserialize = Some(meta.path.span());
                        skip_value(&meta)?;
                    }
                    _ => skip_value(&meta)?,
                }
                Ok(())
            });
        }
    }
    out
}

/// Parses the attributes of one enum variant. `#[config]` has no entries for variants.
pub fn variant(ctxt: &mut Ctxt, attrs: &[Attribute]) -> VariantAttrs {
    let mut out = VariantAttrs {
        docs: docs(attrs),
        ..VariantAttrs::default()
    };
    for attr in attrs {
        if attr.path().is_ident("config") {
            ctxt.error_spanned_by(attr, "`#[config]` has no entries for enum variants");
        } else if attr.path().is_ident("serde") {
            each_serde_entry(attr, |meta| {
                match ident(&meta).as_str() {
                    "rename" => out.rename.merge(names(&meta)?),
                    "alias" => out.aliases.push(string(&meta)?),
                    "rename_all" => out.rename_all.merge(rules(&meta)?),
                    "skip" | "skip_deserializing" => out.skip_deserializing = true,
                    "other" => out.other = true,
                    "untagged" => out.untagged = true,
                    "with" | "deserialize_with" => {
                        out.custom_deserialize = Some(meta.path.span());
                        skip_value(&meta)?;
                    }
                    _ => skip_value(&meta)?,
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

/// The value of `#[config(name = "...")]`; `None` after recording a missing value.
fn config_string(
    ctxt: &mut Ctxt,
    meta: &ParseNestedMeta<'_>,
    name: &str,
) -> syn::Result<Option<LitStr>> {
    let usage = format!("`#[config({name} = \"...\")]`");
    if !meta.input.peek(Token![=]) {
        ctxt.push(meta.error(format!("`{name}` needs a value: {usage}")));
        skip_value(meta)?;
        return Ok(None);
    }
    let value = meta.value()?;
    value
        .parse::<LitStr>()
        .map(Some)
        .map_err(|e| syn::Error::new(e.span(), format!("`{name}` takes a string: {usage}")))
}

fn ident(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map_or_else(|| "?".to_owned(), ToString::to_string)
}

fn unknown(meta: &ParseNestedMeta<'_>, expected: &str) -> syn::Error {
    meta.error(format!(
        "unknown config attribute `{}`; expected {expected}",
        ident(meta)
    ))
}

fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    Ok(meta.value()?.parse::<LitStr>()?.value())
}

fn default(meta: &ParseNestedMeta<'_>) -> syn::Result<DefaultAttr> {
    if meta.input.peek(Token![=]) {
        Ok(DefaultAttr::Path(string(meta)?))
    } else {
        Ok(DefaultAttr::Trait)
    }
}

/// `rename_all`-style rules. A rule serde does not know is serde_derive's to report; names
/// are left as they are here.
fn rules(meta: &ParseNestedMeta<'_>) -> syn::Result<Both<RenameRule>> {
    let names = names(meta)?;
    let rule = |name: Option<String>| name.and_then(|name| RenameRule::from_name(&name));
    Ok(Both {
        serialize: rule(names.serialize),
        deserialize: rule(names.deserialize),
    })
}

/// Parses `name = "x"` or `name(serialize = "x", deserialize = "y")`.
fn names(meta: &ParseNestedMeta<'_>) -> syn::Result<Both<String>> {
    if meta.input.peek(Token![=]) {
        let value = string(meta)?;
        return Ok(Both {
            serialize: Some(value.clone()),
            deserialize: Some(value),
        });
    }
    let mut out = Both::default();
    meta.parse_nested_meta(|inner| {
        match ident(&inner).as_str() {
            "serialize" => out.serialize = Some(string(&inner)?),
            "deserialize" => out.deserialize = Some(string(&inner)?),
            _ => skip_value(&inner)?,
        }
        Ok(())
    })?;
    Ok(out)
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
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
        if let Meta::NameValue(nv) = &attr.meta
            && let Expr::Lit(ExprLit {
                lit: Lit::Str(text),
                ..
            }) = &nv.value
        {
            let text = text.value();
            lines.extend(
                text.split('\n')
                    .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned()),
            );
        }
    }
    lines.join("\n").trim().to_owned()
}
