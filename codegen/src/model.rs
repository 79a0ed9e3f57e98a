//! The model of structs and enums as serde sees them, shared by the derive macro and the
//! scanner: every wire name is resolved here, once.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Fields, Generics, Ident};

use crate::attr::{self, Both, ContainerAttrs, FieldAttrs, VariantAttrs};
use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::ty::Ty;

/// What follows the name of a type: the input of [`TypeDef::parse`].
#[derive(Clone, Copy)]
pub enum Body<'a> {
    /// A struct, with its fields.
    Struct(&'a Fields),
    /// An enum, with its variants.
    Enum(&'a syn::punctuated::Punctuated<syn::Variant, syn::Token![,]>),
    /// A union, which serde does not derive for.
    Union,
}

/// A struct or enum, with every serde attribute resolved.
pub struct TypeDef {
    /// The Rust name of the type.
    pub ident: Ident,
    /// The container's attributes.
    pub attrs: ContainerAttrs,
    /// Its fields or variants.
    pub shape: Shape,
}

/// The fields of a struct or enum variant, or the variants of an enum.
pub enum Shape {
    /// `struct S { a: T }`.
    Named(Vec<Field>),
    /// `struct S(T, U);`; one field is a newtype.
    Tuple(Vec<Field>),
    /// `struct S;`.
    Unit,
    /// `enum E { ... }`.
    Enum(Vec<Variant>),
}

/// One field of a struct or struct-like variant.
pub struct Field {
    /// The Rust name; `None` for a tuple field.
    pub ident: Option<Ident>,
    /// The field's type, as written.
    pub ty: syn::Type,
    /// The name serde writes.
    pub serialize_name: String,
    /// The names serde reads: its deserialize name, then each alias.
    pub deserialize_names: Vec<String>,
    /// The field's attributes.
    pub attrs: FieldAttrs,
    /// Where the field is written.
    pub span: Span,
}

impl Field {
    /// Whether the field is secret: `#[config(secret)]`, or a `Secret<T>` (or an `Option` of one).
    #[must_use]
    pub fn is_secret(&self) -> bool {
        self.attrs.secret
            || match Ty::classify(&self.ty, &|_| false) {
                Ty::Secret(_) => true,
                Ty::Option(inner) => matches!(*inner, Ty::Secret(_)),
                _ => false,
            }
    }

    /// Whether a value may leave the field out: it has a default, is skipped or is an
    /// `Option` (serde fills a missing `Option` with `None`).
    #[must_use]
    pub fn is_optional(&self, container_default: bool) -> bool {
        container_default
            || self.attrs.default.is_some()
            || self.attrs.skip_deserializing
            || (self.attrs.custom_deserialize.is_none()
                && self.serde_as_keeps_option()
                && is_option(&self.ty))
    }
}

impl Field {
    /// Whether an attribute, not the field's type, decides its schema: a schema its author
    /// gave, `#[schemars(with)]`, `#[serde_as]`, or `with`/`deserialize_with`.
    #[must_use]
    pub fn typed_by_attributes(&self) -> bool {
        let attrs = &self.attrs;
        attrs.schema.is_some()
            || attrs.schemars_with.is_some()
            || attrs.serde_as.is_some()
            || attrs.custom_deserialize.is_some()
    }

    /// Whether serde_with's `serde_as` still lets a missing `Option` be `None`: it adds
    /// `#[serde(default)]` when the adapter is an `Option` too, unless told `no_default`.
    fn serde_as_keeps_option(&self) -> bool {
        self.attrs.serde_as.as_ref().is_none_or(|serde_as| {
            !serde_as.no_default
                && syn::parse_str::<syn::Type>(&serde_as.adapter).is_ok_and(|ty| is_option(&ty))
        })
    }
}

/// One variant of an enum.
pub struct Variant {
    /// The Rust name.
    pub ident: Ident,
    /// The name serde writes.
    pub serialize_name: String,
    /// The names serde reads: its deserialize name, then each alias.
    pub deserialize_names: Vec<String>,
    /// The variant's attributes.
    pub attrs: VariantAttrs,
    /// Its fields: never [`Shape::Enum`].
    pub shape: Shape,
    /// `= value`, which serde_repr reads.
    pub discriminant: Option<syn::Expr>,
}

impl TypeDef {
    /// Builds the model of a struct or enum, recording every problem in `ctxt`.
    ///
    /// Returns `None` for a union, which serde cannot represent.
    pub fn parse(
        ctxt: &mut Ctxt,
        attrs: &[Attribute],
        ident: &Ident,
        body: Body<'_>,
    ) -> Option<Self> {
        let attrs = attr::container(ctxt, attrs);
        let derive_cfg = attrs.deserialize.as_ref().and_then(|d| d.cfg.clone());
        let derive_cfg = derive_cfg.as_deref();
        let shape = match body {
            Body::Struct(fields) => fields_shape(ctxt, fields, attrs.rename_all, derive_cfg),
            Body::Enum(variants) => Shape::Enum(
                variants
                    .iter()
                    .map(|variant| {
                        let variant_attrs = attr::variant(ctxt, &variant.attrs, derive_cfg);
                        let base = variant.ident.unraw().to_string();
                        let apply = |rule: Option<RenameRule>| {
                            rule.map_or_else(|| base.clone(), |r| r.apply_to_variant(&base))
                        };
                        let field_rules = Both {
                            serialize: variant_attrs
                                .rename_all
                                .serialize
                                .or(attrs.rename_all_fields.serialize),
                            deserialize: variant_attrs
                                .rename_all
                                .deserialize
                                .or(attrs.rename_all_fields.deserialize),
                        };
                        let (serialize_name, deserialize_names) = names(
                            variant_attrs.rename.clone(),
                            &variant_attrs.aliases,
                            apply(attrs.rename_all.serialize),
                            apply(attrs.rename_all.deserialize),
                        );
                        Variant {
                            ident: variant.ident.clone(),
                            serialize_name,
                            deserialize_names,
                            attrs: variant_attrs,
                            shape: fields_shape(ctxt, &variant.fields, field_rules, derive_cfg),
                            discriminant: variant.discriminant.as_ref().map(|(_, e)| e.clone()),
                        }
                    })
                    .collect(),
            ),
            Body::Union => {
                ctxt.error_spanned_by(ident, "serde cannot represent a union");
                return None;
            }
        };
        let def = Self {
            ident: ident.clone(),
            attrs,
            shape,
        };
        if def.attrs.schema_macro.is_none() {
            for field in def.fields() {
                if let Some(span) = field.attrs.schema_attr {
                    ctxt.push(syn::Error::new(span, format!("`#[schema(...)]` on a field needs `#[harmony_config::schema]` on `{ident}`, which removes it before rustc sees it")));
                }
            }
        }
        Some(def)
    }

    /// Every field: the struct's, or those of every variant.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        let shapes: Vec<&Shape> = match &self.shape {
            Shape::Enum(variants) => variants.iter().map(|v| &v.shape).collect(),
            shape => vec![shape],
        };
        shapes.into_iter().flat_map(|shape| match shape {
            Shape::Named(fields) | Shape::Tuple(fields) => fields.as_slice(),
            Shape::Unit | Shape::Enum(_) => &[],
        })
    }

    /// The struct's named fields, or an empty slice for any other shape.
    #[must_use]
    pub fn named_fields(&self) -> &[Field] {
        match &self.shape {
            Shape::Named(fields) => fields,
            _ => &[],
        }
    }
}

fn fields_shape(
    ctxt: &mut Ctxt,
    fields: &Fields,
    rules: Both<RenameRule>,
    derive_cfg: Option<&str>,
) -> Shape {
    let parse = |ctxt: &mut Ctxt, field: &syn::Field, base: String| {
        let attrs = attr::field(ctxt, &field.attrs, derive_cfg);
        let apply = |rule: Option<RenameRule>| {
            rule.map_or_else(|| base.clone(), |r| r.apply_to_field(&base))
        };
        let (serialize_name, deserialize_names) = names(
            attrs.rename.clone(),
            &attrs.aliases,
            apply(rules.serialize),
            apply(rules.deserialize),
        );
        Field {
            ident: field.ident.clone(),
            ty: field.ty.clone(),
            serialize_name,
            deserialize_names,
            attrs,
            span: field.span(),
        }
    };
    match fields {
        Fields::Named(named) => Shape::Named(
            named
                .named
                .iter()
                .map(|field| {
                    let base = field
                        .ident
                        .as_ref()
                        .map(|i| i.unraw().to_string())
                        .unwrap_or_default();
                    parse(ctxt, field, base)
                })
                .collect(),
        ),
        Fields::Unnamed(unnamed) => Shape::Tuple(
            unnamed
                .unnamed
                .iter()
                .enumerate()
                .map(|(i, field)| parse(ctxt, field, i.to_string()))
                .collect(),
        ),
        Fields::Unit => Shape::Unit,
    }
}

/// The serialize name and the deserialize names (then aliases) of a field or variant.
fn names(
    explicit: Both<String>,
    aliases: &[String],
    ser_default: String,
    de_default: String,
) -> (String, Vec<String>) {
    let serialize = explicit.serialize.unwrap_or(ser_default);
    let mut deserialize = vec![explicit.deserialize.unwrap_or(de_default)];
    deserialize.extend(aliases.iter().cloned());
    (serialize, deserialize)
}

/// Whether a type is written as `Option<T>`, which serde fills with `None` when missing.
fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Option"),
        syn::Type::Group(group) => is_option(&group.elem),
        syn::Type::Paren(paren) => is_option(&paren.elem),
        _ => false,
    }
}

/// A config struct: a named-field struct with a key.
pub struct ConfigStruct {
    /// The store key: `#[config(key = "...")]`, or the struct's name.
    pub key: String,
    /// The struct itself.
    pub def: TypeDef,
}

impl ConfigStruct {
    /// Builds the model of a `#[derive(Config)]` item, recording every problem in `ctxt`.
    ///
    /// Returns `None` when the item cannot be a config at all (an enum, a tuple struct).
    pub fn parse(
        ctxt: &mut Ctxt,
        attrs: &[Attribute],
        ident: &Ident,
        generics: &Generics,
        body: Body<'_>,
    ) -> Option<Self> {
        if !generics.params.is_empty() {
            ctxt.error_spanned_by(
                &generics.params,
                "a config struct cannot be generic: its key names a single stored value",
            );
        }
        let def = TypeDef::parse(ctxt, attrs, ident, body)?;
        if !matches!(def.shape, Shape::Named(_)) {
            ctxt.error_spanned_by(ident, "`#[derive(Config)]` needs a struct with named fields: a config value is always a JSON object");
            return None;
        }
        if let Some(span) = def.attrs.transparent {
            ctxt.push(syn::Error::new(span, "`#[serde(transparent)]` makes the serde form of this struct its inner value, not a JSON object, so it cannot be a config"));
        }
        let conversions = [
            def.attrs
                .from
                .as_ref()
                .map(|(kind, _, span)| (*kind, *span)),
            def.attrs.into.map(|span| ("into", span)),
        ];
        for (kind, span) in conversions.into_iter().flatten() {
            ctxt.push(syn::Error::new(span, format!("`#[serde({kind} = \"...\")]` makes the serde form of this struct another type's, which may not be a JSON object, so it cannot be a config")));
        }
        for field in def.named_fields() {
            if let (true, Some(span)) = (field.attrs.secret, field.attrs.flatten) {
                ctxt.push(syn::Error::new(span, "`#[config(secret)]` cannot mark a flattened field, whose fields join the parent; wrap the secret fields inside it in `harmony_config::Secret<T>` instead"));
            }
        }
        let (key, span) = match &def.attrs.key {
            Some((key, span)) => (key.clone(), *span),
            None => (ident.unraw().to_string(), ident.span()),
        };
        if let Err(problem) = harmony_naming::validate_key(&key) {
            let hint = if def.attrs.key.is_none() {
                "; set one with `#[config(key = \"...\")]`"
            } else {
                ""
            };
            ctxt.push(syn::Error::new(
                span,
                format!("invalid config key {key:?}: {problem}{hint}"),
            ));
        }
        Some(Self { key, def })
    }

    /// The wire names of the secret fields, for `Config::SECRET_FIELDS`.
    ///
    /// Every name serde writes or reads for a secret field is listed once, in declaration order.
    #[must_use]
    pub fn secret_fields(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let secret =
            self.def.named_fields().iter().filter(|f| {
                f.is_secret() && !(f.attrs.skip_serializing && f.attrs.skip_deserializing)
            });
        for field in secret {
            for name in std::iter::once(&field.serialize_name).chain(&field.deserialize_names) {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
        names
    }
}
