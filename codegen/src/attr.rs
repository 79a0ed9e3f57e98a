//! The one parser for `#[config(...)]`, `#[serde(...)]` and doc attributes.
//!
//! `#[config]` is ours: an unknown or repeated entry is an error. `#[serde]` belongs to serde,
//! which reports its own mistakes, so entries that do not change what a value looks like in
//! JSON (`bound`, `crate`, `expecting`, ...) are skipped here, value and all. So are
//! `#[schemars]` entries other than `with` and `schema_with`, which tell schemars about types
//! it cannot see either.
//!
//! The derive sees attributes after rustc expanded `cfg_attr`; the scanner sees them as
//! written, so an attribute under `cfg_attr` applies when its predicate holds in the build
//! that [`Ctxt::cfgs`] describes, with a warning when another build would read it otherwise.

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
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

/// A JSON Schema that its author gives for a type or a field.
#[derive(Clone, Debug)]
pub struct Supplied {
    /// Where the schema is.
    pub source: SchemaSource,
    /// The attribute's span, for problems with the schema.
    pub span: Span,
}

/// Where a supplied schema is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemaSource {
    /// `json = "..."`: the schema itself.
    Json(String),
    /// `file = "..."`: a file, relative to the crate's manifest directory.
    File(String),
}

/// How a derive reads the type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deserialization {
    /// serde's `Deserialize`, as its attributes say.
    Derived,
    /// serde_repr's `Deserialize_repr`: the integer discriminant of a unit variant.
    Repr,
    /// serde_with's `DeserializeFromStr`: a string, parsed by `FromStr`.
    FromStr,
}

/// The derive that implements `Deserialize` for a type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeriveDeserialize {
    /// Which derive.
    pub kind: Deserialization,
    /// The `cfg_attr` predicate it sits under, as token text; `None` when unconditional.
    pub cfg: Option<String>,
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
    /// The span of `#[serde(remote = "T")]`: this type only describes another one's form.
    pub remote: Option<Span>,
    /// The derive of `Deserialize`, when the type has one; `None` means a hand-written impl,
    /// or one a macro writes.
    pub deserialize: Option<DeriveDeserialize>,
    /// The span of `#[harmony_config::schema]`, which also lets fields carry `#[schema(...)]`.
    pub schema_macro: Option<Span>,
    /// `#[harmony_config::schema(json = "...")]` or `(file = "...")`: the type's schema.
    pub schema: Option<Supplied>,
    /// The doc comment, one line per `///` line.
    pub docs: String,
}

/// serde_with's `#[serde_as(as = "...")]` on a field.
#[derive(Clone, Debug)]
pub struct SerdeAs {
    /// The adapter type, as written.
    pub adapter: String,
    /// Where it is written.
    pub span: Span,
    /// `no_default`: a missing `Option` is not `None`.
    pub no_default: bool,
}

/// Attributes of a field.
#[derive(Default)]
pub struct FieldAttrs {
    /// `#[config(secret)]`.
    pub secret: bool,
    /// `#[config(schema = "...")]`, or `#[schema(json = "...")]` or `(file = "...")` under
    /// `#[harmony_config::schema]`: the JSON Schema of the field, given by its author.
    pub schema: Option<Supplied>,
    /// The span of a `#[schema(...)]` on the field, which needs the macro on its struct.
    pub schema_attr: Option<Span>,
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
    /// The module of `#[serde(with = "...")]`, as written.
    pub with: Option<String>,
    /// `#[serde_as(as = "...")]`: serde_with's adapter.
    pub serde_as: Option<SerdeAs>,
    /// `#[schemars(with = "...")]`: a type whose schema is the field's.
    pub schemars_with: Option<(String, Span)>,
    /// The span of `#[schemars(schema_with = "...")]`: a function, which cannot run here.
    pub schemars_schema_with: Option<Span>,
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
    let metas = effective(ctxt, attrs);
    let mut out = ContainerAttrs {
        docs: docs(attrs),
        deserialize: deserialize_derive(&metas),
        ..ContainerAttrs::default()
    };
    let derive_cfg = out.deserialize.as_ref().and_then(|d| d.cfg.clone());
    for Effective { meta, under } in &metas {
        if meta.path().is_ident("config") {
            if !applies(ctxt, under.as_ref(), derive_cfg.as_deref()) {
                continue;
            }
            each_config_entry(ctxt, meta, |ctxt, meta| {
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
        } else if meta.path().is_ident("serde") {
            if !applies(ctxt, under.as_ref(), derive_cfg.as_deref()) {
                continue;
            }
            each_serde_entry(meta, |meta| {
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
                    "into" | "remote" => {
                        let span = Some(meta.path.span());
                        if name == "into" {
                            out.into = span;
                        } else {
                            out.remote = span;
                        }
                        skip_value(&meta)?;
                    }
                    _ => skip_value(&meta)?,
                }
                Ok(())
            });
        } else if is_schema_macro(meta, true) {
            out.schema_macro = Some(meta.span());
            if let Some(supplied) = supplied(ctxt, meta)
                && out.schema.replace(supplied).is_some()
            {
                ctxt.error_spanned_by(meta, "a second schema for this type: keep one");
            }
        }
    }
    out
}

/// Parses the attributes of one field, recording every misuse in `ctxt`. `derive_cfg` is the
/// predicate its type's `Deserialize` derive sits under, if any.
pub fn field(ctxt: &mut Ctxt, attrs: &[Attribute], derive_cfg: Option<&str>) -> FieldAttrs {
    let metas = effective(ctxt, attrs);
    let mut out = FieldAttrs {
        docs: docs(attrs),
        ..FieldAttrs::default()
    };
    for Effective { meta, under } in &metas {
        let path = meta.path();
        if path.is_ident("config") {
            if !applies(ctxt, under.as_ref(), derive_cfg) {
                continue;
            }
            each_config_entry(ctxt, meta, |ctxt, meta| {
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
                    let supplied = Supplied {
                        source: SchemaSource::Json(value.value()),
                        span: value.span(),
                    };
                    if out.schema.replace(supplied).is_some() {
                        ctxt.error_spanned_by(&meta.path, "duplicate `schema` attribute");
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
        } else if path.is_ident("serde") {
            if !applies(ctxt, under.as_ref(), derive_cfg) {
                continue;
            }
            each_serde_entry(meta, |meta| {
                match ident(&meta).as_str() {
                    "rename" => out.rename.merge(names(&meta)?),
                    "alias" => out.aliases.push(string(&meta)?),
                    "skip" => (out.skip_serializing, out.skip_deserializing) = (true, true),
                    "skip_serializing" => out.skip_serializing = true,
                    "skip_deserializing" => out.skip_deserializing = true,
                    "default" => out.default = Some(default(&meta)?),
                    "flatten" => out.flatten = Some(meta.path.span()),
                    "with" => {
                        out.custom_deserialize = Some(meta.path.span());
                        out.with = Some(string(&meta)?);
                    }
                    "deserialize_with" => {
                        out.custom_deserialize = Some(meta.path.span());
                        skip_value(&meta)?;
                    }
                    _ => skip_value(&meta)?,
                }
                Ok(())
            });
        } else if path.is_ident("serde_as") {
            out.serde_as = serde_as(meta);
        } else if path.is_ident("schemars") {
            // A hint about the type, whatever cfg derives `JsonSchema`.
            schemars(meta, &mut out);
        } else if is_schema_macro(meta, false) {
            out.schema_attr = Some(meta.span());
            if let Some(supplied) = supplied(ctxt, meta)
                && out.schema.replace(supplied).is_some()
            {
                ctxt.error_spanned_by(meta, "a second schema for this field: keep one");
            }
        }
    }
    out
}

/// serde_with's `#[serde_as(as = "...")]`, with `no_default`.
fn serde_as(meta: &Meta) -> Option<SerdeAs> {
    let (mut adapter, mut no_default) = (None, false);
    each_serde_entry(meta, |meta| {
        if meta.path.is_ident("as") {
            adapter = Some((string(&meta)?, meta.path.span()));
        } else if meta.path.is_ident("no_default") {
            no_default = true;
        } else {
            skip_value(&meta)?;
        }
        Ok(())
    });
    adapter.map(|(adapter, span)| SerdeAs {
        adapter,
        span,
        no_default,
    })
}

/// `#[schemars(with = "...")]` and `schema_with`.
fn schemars(meta: &Meta, out: &mut FieldAttrs) {
    each_serde_entry(meta, |meta| {
        if meta.path.is_ident("with") {
            out.schemars_with = Some((string(&meta)?, meta.path.span()));
        } else if meta.path.is_ident("schema_with") {
            out.schemars_schema_with = Some(meta.path.span());
            skip_value(&meta)?;
        } else {
            skip_value(&meta)?;
        }
        Ok(())
    });
}

/// Parses the attributes of one enum variant. `#[config]` has no entries for variants.
pub fn variant(ctxt: &mut Ctxt, attrs: &[Attribute], derive_cfg: Option<&str>) -> VariantAttrs {
    let metas = effective(ctxt, attrs);
    let mut out = VariantAttrs {
        docs: docs(attrs),
        ..VariantAttrs::default()
    };
    for Effective { meta, under } in &metas {
        if meta.path().is_ident("config") {
            ctxt.error_spanned_by(meta, "`#[config]` has no entries for enum variants");
        } else if meta.path().is_ident("serde") {
            if !applies(ctxt, under.as_ref(), derive_cfg) {
                continue;
            }
            each_serde_entry(meta, |meta| {
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

/// An attribute as a build sees it, with the `cfg_attr` it sits under, if any.
struct Effective {
    meta: Meta,
    under: Option<Under>,
}

/// A `cfg_attr` predicate, as token text, and whether it holds in the build schemas describe.
#[derive(Clone)]
struct Under {
    predicate: String,
    holds: Option<bool>,
    span: Span,
}

/// The attributes with every `cfg_attr` opened, nested ones included.
fn effective(ctxt: &Ctxt, attrs: &[Attribute]) -> Vec<Effective> {
    fn open(ctxt: &Ctxt, meta: Meta, under: Option<Under>, out: &mut Vec<Effective>) {
        let Meta::List(list) = &meta else {
            out.push(Effective { meta, under });
            return;
        };
        if !list.path.is_ident("cfg_attr") {
            out.push(Effective { meta, under });
            return;
        }
        let Ok((predicate, metas)) = list.parse_args_with(parse_cfg_attr) else {
            return;
        };
        let text = predicate.to_token_stream().to_string();
        let holds = ctxt.cfgs().eval(&predicate);
        let under = match under {
            None => Under {
                predicate: text,
                holds,
                span: list.path.span(),
            },
            Some(outer) => Under {
                predicate: format!("all({}, {text})", outer.predicate),
                holds: match (outer.holds, holds) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                },
                span: outer.span,
            },
        };
        for meta in metas {
            open(ctxt, meta, Some(under.clone()), out);
        }
    }
    let mut out = Vec::new();
    for attr in attrs {
        open(ctxt, attr.meta.clone(), None, &mut out);
    }
    out
}

/// Splits `cfg_attr(predicate, a, b)` into the predicate and the attributes.
fn parse_cfg_attr(
    input: syn::parse::ParseStream<'_>,
) -> syn::Result<(Meta, Punctuated<Meta, Token![,]>)> {
    let predicate: Meta = input.parse()?;
    input.parse::<Token![,]>()?;
    Ok((predicate, Punctuated::parse_terminated(input)?))
}

/// Whether a `serde` or `config` attribute under `cfg_attr` applies to the build schemas
/// describe, warning that another build reads the value differently. An attribute under the
/// same predicate as the `Deserialize` derive always applies: without it there is no reading.
fn applies(ctxt: &mut Ctxt, under: Option<&Under>, derive_cfg: Option<&str>) -> bool {
    let Some(under) = under else {
        return true;
    };
    if derive_cfg == Some(under.predicate.as_str()) {
        return true;
    }
    let p = &under.predicate;
    let message = match under.holds {
        Some(true) => format!(
            "`cfg_attr({p}, ..)` changes what serde reads; `{p}` holds in the normal build (default features, not a test), so the schema follows it, and builds where it does not hold read this differently"
        ),
        Some(false) => format!(
            "`cfg_attr({p}, ..)` changes what serde reads when `{p}` holds; the schema follows the normal build (default features, not a test), where it does not"
        ),
        None => format!(
            "`cfg_attr({p}, ..)` changes what serde reads when `{p}` holds, which depends on the target; the schema follows the build where it does not"
        ),
    };
    ctxt.warn(under.span, message);
    under.holds == Some(true)
}

/// The derive that implements `Deserialize`, among `derive(...)`s: unconditional first, then
/// one whose `cfg_attr` holds in the build, then one whose `cfg_attr` is undecided; never one
/// whose `cfg_attr` is false.
fn deserialize_derive(metas: &[Effective]) -> Option<DeriveDeserialize> {
    let rank = |under: Option<&Under>| match under.map(|u| u.holds) {
        None => Some(0),
        Some(Some(true)) => Some(1),
        Some(None) => Some(2),
        Some(Some(false)) => None,
    };
    let mut best: Option<(u8, DeriveDeserialize)> = None;
    for Effective { meta, under } in metas {
        let Meta::List(list) = meta else { continue };
        if !list.path.is_ident("derive") {
            continue;
        }
        let Some(rank) = rank(under.as_ref()) else {
            continue;
        };
        let Ok(paths) = list.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        for path in &paths {
            let kind = match path.segments.last().map(|s| s.ident.to_string()).as_deref() {
                Some("Deserialize") => Deserialization::Derived,
                Some("Deserialize_repr") => Deserialization::Repr,
                Some("DeserializeFromStr") => Deserialization::FromStr,
                _ => continue,
            };
            let cfg = under.as_ref().map(|u| u.predicate.clone());
            if best.as_ref().is_none_or(|(b, _)| rank < *b) {
                best = Some((rank, DeriveDeserialize { kind, cfg }));
            }
        }
    }
    best.map(|(_, derive)| derive)
}

/// Whether `meta` is `#[harmony_config::schema ...]`, or a bare `#[schema(...)]` of ours: with
/// `json` or `file`, or on a type, with nothing. Other crates' `#[schema(...)]` (utoipa's)
/// take other entries.
fn is_schema_macro(meta: &Meta, on_type: bool) -> bool {
    let path = meta.path();
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [krate, name] => krate == "harmony_config" && name == "schema",
        [name] if name == "schema" => match meta {
            Meta::Path(_) => on_type,
            Meta::List(list) => {
                let mut ours = false;
                let _ = list.parse_nested_meta(|entry| {
                    ours = entry.path.is_ident("json") || entry.path.is_ident("file");
                    skip_value(&entry)
                });
                ours
            }
            Meta::NameValue(_) => false,
        },
        _ => false,
    }
}

/// Whether `meta` is a field's `#[schema(json = "...")]` or `#[schema(file = "...")]`.
#[must_use]
pub fn is_field_schema(meta: &Meta) -> bool {
    is_schema_macro(meta, false)
}

/// The schema that the arguments of `#[harmony_config::schema(...)]` give, if any; misuse is
/// recorded in `ctxt`.
pub fn schema_arguments(ctxt: &mut Ctxt, args: &proc_macro2::TokenStream) -> Option<Supplied> {
    if args.is_empty() {
        return None;
    }
    let meta: Meta = syn::parse_quote!(schema(#args));
    supplied(ctxt, &meta)
}

/// The schema a `#[harmony_config::schema(...)]` or field `#[schema(...)]` gives, if any.
fn supplied(ctxt: &mut Ctxt, meta: &Meta) -> Option<Supplied> {
    let Meta::List(list) = meta else {
        return None;
    };
    let mut found: Option<Supplied> = None;
    let result = list.parse_nested_meta(|entry| {
        let source = if entry.path.is_ident("json") {
            SchemaSource::Json
        } else if entry.path.is_ident("file") {
            SchemaSource::File
        } else {
            return Err(entry.error(
                "expected `json = \"...\"` (the schema) or `file = \"...\"` (a file relative to the crate's Cargo.toml)",
            ));
        };
        let value = entry.value()?.parse::<LitStr>()?;
        let supplied = Supplied {
            source: source(value.value()),
            span: value.span(),
        };
        if found.replace(supplied).is_some() {
            return Err(entry.error("give the schema once: `json` or `file`, not both"));
        }
        Ok(())
    });
    if let Err(error) = result {
        ctxt.push(error);
    }
    found
}
/// Runs `f` on each entry of a `#[config(...)]` attribute; a syntax error is recorded.
fn each_config_entry(
    ctxt: &mut Ctxt,
    meta: &Meta,
    mut f: impl FnMut(&mut Ctxt, ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    let Meta::List(list) = meta else {
        ctxt.error_spanned_by(meta, "expected `#[config(...)]` with a list of entries");
        return;
    };
    let mut errors = Ctxt::default();
    if let Err(error) = list.parse_nested_meta(|meta| f(&mut errors, meta)) {
        errors.push(error);
    }
    for error in errors.into_errors() {
        ctxt.push(error);
    }
}

/// Runs `f` on each entry of a `#[serde(...)]`, or another crate's, attribute.
fn each_serde_entry(meta: &Meta, f: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>) {
    // A malformed serde attribute is serde_derive's to report; reporting it twice helps nobody.
    if let Meta::List(list) = meta {
        let _ = list.parse_nested_meta(f);
    }
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
