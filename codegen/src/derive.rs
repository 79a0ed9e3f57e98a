//! The expansions of `#[derive(Config)]` and `#[harmony_config::schema]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Item};

use crate::attr::{self, SchemaSource};
use crate::ctxt::Ctxt;
use crate::model::{Body, ConfigStruct};
use crate::schema::supplied;

/// Expands `#[derive(Config)]` on `input`.
///
/// Misuse becomes `compile_error!`s pointing at the offending tokens. An impl is emitted even
/// then, so that code using the type is not buried in follow-on errors; except for a generic
/// struct, where an unbounded impl would only add errors of its own.
#[must_use]
pub fn expand(input: &DeriveInput) -> TokenStream {
    let mut ctxt = Ctxt::default();
    let body = match &input.data {
        Data::Struct(data) => Body::Struct(&data.fields),
        Data::Enum(data) => Body::Enum(&data.variants),
        Data::Union(_) => Body::Union,
    };
    let model = ConfigStruct::parse(&mut ctxt, &input.attrs, &input.ident, &input.generics, body);
    let (key, secret_fields) = match &model {
        Some(model) => (model.key.clone(), model.secret_fields()),
        None => (input.ident.unraw().to_string(), Vec::new()),
    };
    let ident = &input.ident;
    let errors = ctxt.into_errors().into_iter().map(|e| e.to_compile_error());
    let config_impl = input.generics.params.is_empty().then(|| {
        quote! {
            #[automatically_derived]
            impl ::harmony_config::Config for #ident {
                const KEY: &'static str = #key;
                const SECRET_FIELDS: &'static [&'static str] = &[#(#secret_fields),*];
            }
        }
    });
    quote! {
        #config_impl
        #(#errors)*
    }
}

/// Expands `#[harmony_config::schema(...)]` with `args` on `item`: the item, unchanged but
/// for the `#[schema(...)]` attributes of its fields, which the scanner has read and rustc
/// would not know.
///
/// The schema is checked here as the scanner checks it, so a mistake shows at the attribute;
/// a `file` is also read through `include_str!`, so that editing it rebuilds the crate.
#[must_use]
pub fn schema_attribute(args: &TokenStream, item: TokenStream) -> TokenStream {
    let mut item: Item = match syn::parse2(item) {
        Ok(item) => item,
        Err(error) => return error.to_compile_error(),
    };
    let fields: Vec<&mut Fields> = match &mut item {
        Item::Struct(s) => vec![&mut s.fields],
        Item::Enum(e) => e.variants.iter_mut().map(|v| &mut v.fields).collect(),
        other => {
            return syn::Error::new_spanned(
                other,
                "`#[harmony_config::schema]` goes on a struct or an enum",
            )
            .to_compile_error();
        }
    };
    for fields in fields {
        for field in fields.iter_mut() {
            field.attrs.retain(|a| !attr::is_field_schema(&a.meta));
        }
    }
    let mut ctxt = Ctxt::default();
    let supplied = attr::schema_arguments(&mut ctxt, args);
    let mut checks = ctxt
        .into_errors()
        .into_iter()
        .map(|e| e.to_compile_error())
        .collect::<Vec<_>>();
    if let Some(supplied) = supplied {
        let dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
        let span = supplied.span;
        if let Err(message) = supplied::load(&supplied.source, std::path::Path::new(&dir)) {
            checks.push(syn::Error::new(span, message).to_compile_error());
        } else if let SchemaSource::File(file) = &supplied.source {
            checks.push(quote_spanned! {span=>
                const _: &str = ::core::include_str!(::core::concat!(::core::env!("CARGO_MANIFEST_DIR"), "/", #file));
            });
        }
    }
    quote! {
        #item
        #(#checks)*
    }
}
