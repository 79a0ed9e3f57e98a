//! `#[derive(Config)]` for [`harmony_config`](https://docs.rs/harmony_config).
//!
//! This crate is only the entry point: the attribute model and the expansion live in
//! `harmony_codegen`, which the workspace scanner shares, so the two cannot disagree.
//! Use it through `harmony_config`, which re-exports the derive next to the trait.

use proc_macro::TokenStream;

/// Implements `harmony_config::Config` for a struct with named fields.
///
/// See the `harmony_config` crate documentation for the attributes it accepts.
#[proc_macro_derive(Config, attributes(config))]
pub fn derive_config(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    harmony_codegen::derive::expand(&input).into()
}
