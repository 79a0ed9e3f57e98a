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
/// then, so that code using the type is not buried in follow-on errors.
#[must_use]
pub fn expand(input: &DeriveInput) -> TokenStream {
    let mut ctxt = Ctxt::default();
    let body = match &input.data {
        Data::Struct(data) => Body::Struct(&data.fields),
        Data::Enum(_) => Body::Enum,
        Data::Union(_) => Body::Union,
    };
    let model = ConfigStruct::parse(&mut ctxt, &input.attrs, &input.ident, &input.generics, body);
    let (key, secret_fields) = match &model {
        Some(model) => (model.key.clone(), model.secret_fields()),
        None => (input.ident.unraw().to_string(), Vec::new()),
    };
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let errors = ctxt.into_errors().into_iter().map(|e| e.to_compile_error());
    quote! {
        #[automatically_derived]
        impl #impl_generics ::harmony_config::Config for #ident #ty_generics #where_clause {
            const KEY: &'static str = #key;
            const SECRET_FIELDS: &'static [&'static str] = &[#(#secret_fields),*];
        }
        #(#errors)*
    }
}
