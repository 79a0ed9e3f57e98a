//! The expansion of `#[derive(Config)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput};

use crate::ctxt::Ctxt;
use crate::model::{Body, ConfigStruct};

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
