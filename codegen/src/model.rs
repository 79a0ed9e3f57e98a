//! The model of one `#[derive(Config)]` struct, shared by the derive macro and the scanner.

use syn::ext::IdentExt;
use syn::{Attribute, Fields, Generics, Ident};

use crate::attr;
use crate::check;
use crate::ctxt::Ctxt;

/// What follows the name of a type being derived.
#[derive(Clone, Copy)]
pub enum Body<'a> {
    /// A struct, with its fields.
    Struct(&'a Fields),
    /// An enum; never a valid config.
    Enum,
    /// A union; never a valid config.
    Union,
}

/// A config struct: its key, docs and fields, as serde sees them.
pub struct ConfigStruct {
    /// The Rust name of the struct.
    pub ident: Ident,
    /// The store key: `#[config(key = "...")]`, or the struct's name.
    pub key: String,
    /// The struct's doc comment.
    pub docs: String,
    /// The named fields, in declaration order.
    pub fields: Vec<Field>,
}

/// One field of a config struct.
pub struct Field {
    /// The Rust name of the field.
    pub ident: Ident,
    /// The field's type, as written.
    pub ty: syn::Type,
    /// The name serde writes.
    pub serialize_name: String,
    /// The names serde reads: its deserialize name, then each alias.
    pub deserialize_names: Vec<String>,
    /// `#[config(secret)]`: this field and everything below it is secret.
    pub secret: bool,
    /// `#[serde(skip)]`: the field never appears in a stored value.
    pub skip: bool,
    /// The field's doc comment.
    pub docs: String,
}

impl ConfigStruct {
    /// Builds the model, recording every problem in `ctxt`.
    ///
    /// Returns `None` when the item cannot be a config at all (an enum, a tuple struct).
    pub fn parse(
        ctxt: &mut Ctxt,
        attrs: &[Attribute],
        ident: &Ident,
        generics: &Generics,
        body: Body<'_>,
    ) -> Option<Self> {
        let container = attr::container(ctxt, attrs);
        if !generics.params.is_empty() {
            ctxt.error_spanned_by(
                &generics.params,
                "a config struct cannot be generic: its key names a single stored value",
            );
        }
        let named = match body {
            Body::Struct(Fields::Named(named)) => named,
            Body::Struct(_) | Body::Enum | Body::Union => {
                ctxt.error_spanned_by(ident, "`#[derive(Config)]` needs a struct with named fields: a config value is always a JSON object");
                return None;
            }
        };
        if let Some(span) = container.transparent {
            ctxt.push(syn::Error::new(span, "`#[serde(transparent)]` makes the serde form of this struct its inner value, not a JSON object, so it cannot be a config"));
        }
        let key = match container.key {
            Some((key, span)) => {
                if let Err(problem) = check::validate_key(&key) {
                    ctxt.push(syn::Error::new(
                        span,
                        format!("invalid config key {key:?}: {problem}"),
                    ));
                }
                key
            }
            None => ident.unraw().to_string(),
        };
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                let ident = field.ident.clone()?;
                let attrs = attr::field(ctxt, &field.attrs);
                if let (true, Some(span)) = (attrs.secret, attrs.flatten) {
                    ctxt.push(syn::Error::new(span, "`#[config(secret)]` cannot mark a flattened field, whose fields join the parent; wrap the secret fields inside it in `harmony_config::Secret<T>` instead"));
                }
                let base = ident.unraw().to_string();
                let renamed = |explicit: Option<String>, rule: Option<crate::case::RenameRule>| {
                    explicit.unwrap_or_else(|| rule.map_or_else(|| base.clone(), |rule| rule.apply_to_field(&base)))
                };
                let serialize_name = renamed(attrs.rename.serialize, container.rename_all.serialize);
                let mut deserialize_names = vec![renamed(attrs.rename.deserialize, container.rename_all.deserialize)];
                deserialize_names.extend(attrs.aliases);
                Some(Field {
                    ident,
                    ty: field.ty.clone(),
                    serialize_name,
                    deserialize_names,
                    secret: attrs.secret,
                    skip: attrs.skip,
                    docs: attrs.docs,
                })
            })
            .collect();
        Some(Self {
            ident: ident.clone(),
            key,
            docs: container.docs,
            fields,
        })
    }

    /// The wire names of the secret fields, for `Config::SECRET_FIELDS`.
    ///
    /// Every name serde writes or reads for a secret field is listed once, in declaration order.
    #[must_use]
    pub fn secret_fields(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for field in self.fields.iter().filter(|f| f.secret && !f.skip) {
            for name in std::iter::once(&field.serialize_name).chain(&field.deserialize_names) {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
        names
    }
}
