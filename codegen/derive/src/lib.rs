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

/// Gives a struct or enum the JSON Schema of its values, for `cargo harmony` and
/// `harmony_build`, where the generator cannot see what serde reads (a hand-written
/// `impl Deserialize`) or should not guess:
///
/// ```text
/// #[harmony_config::schema(json = r#"{ "enum": ["cpu", "mem", "pid"] }"#)]
/// pub enum Column { Cpu, Mem, Pid }
///
/// #[harmony_config::schema(file = "schemas/column.json")] // relative to Cargo.toml
/// pub enum Column { Cpu, Mem, Pid }
/// ```
///
/// The schema replaces the generated one wherever the type is used. Without arguments, on a
/// struct, it lets the struct's fields give their own schemas:
///
/// ```text
/// #[harmony_config::schema]
/// #[derive(Deserialize)]
/// pub struct Filter {
///     #[serde(with = "serde_regex")]
///     #[schema(json = r#"{ "type": "string", "format": "regex" }"#)]
///     pub pattern: regex::Regex,
/// }
/// ```
///
/// The item is otherwise left as it is. The schema must be valid JSON Schema (draft 2020-12).
#[proc_macro_attribute]
pub fn schema(args: TokenStream, item: TokenStream) -> TokenStream {
    harmony_codegen::derive::schema_attribute(&args.into(), item.into()).into()
}
