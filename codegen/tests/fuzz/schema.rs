//! The model, the checks and the schema generator on generated config structs, through the
//! pipeline the build script and `cargo harmony sync` run; then validation against the schemas.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use harmony_codegen::generate::{self, Generated};
use harmony_codegen::schema::Severity;
use harmony_codegen::{derive, emit};
use proptest::prelude::*;
use quote::ToTokens;
use serde_json::Value;
use syn::spanned::Spanned;

use crate::defs::config_file;
use crate::json;
use crate::scan::check_position;

/// A temporary crate whose `src/lib.rs` is `src`.
pub(crate) fn write_crate(src: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("src")).unwrap();
    fs::write(dir.path().join("src/lib.rs"), src).unwrap();
    dir
}

/// Everything the pipeline produced, as text: equal texts are byte-identical output.
fn output_text(generated: &Generated) -> String {
    let mut out = String::new();
    for config in &generated.configs {
        write!(
            out,
            "{} {} {}:{}\n{}",
            config.key,
            config.type_path,
            config.file,
            config.line,
            emit::schema_text(&config.schema)
        )
        .unwrap();
    }
    for problem in &generated.diagnostics {
        writeln!(out, "{problem}").unwrap();
    }
    out.push_str(generated.source.as_deref().unwrap_or("no source"));
    out
}

/// Whether an item derives `Config`, as the generators write it.
fn derives_config(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        (attr.path().is_ident("derive") || attr.path().is_ident("cfg_attr"))
            && attr.to_token_stream().to_string().contains("Config")
    })
}

/// The config items of a file, inline modules included.
fn config_items(items: &[syn::Item], out: &mut Vec<syn::DeriveInput>) {
    for item in items {
        match item {
            syn::Item::Struct(_) | syn::Item::Enum(_) => {
                let input: syn::DeriveInput = syn::parse2(item.to_token_stream()).unwrap();
                if derives_config(&input.attrs) {
                    out.push(input);
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    config_items(inner, out);
                }
            }
            _ => {}
        }
    }
}

/// Every config item has a schema, or an error inside the item says why not.
fn check_coverage(items: &[syn::DeriveInput], generated: &Generated) -> Result<(), TestCaseError> {
    for item in items {
        let span = item.span();
        let lines = span.start().line..=span.end().line;
        let name_line = item.ident.span().start().line;
        let has_schema = generated.configs.iter().any(|c| c.line == name_line);
        let has_error = generated
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && lines.contains(&d.line));
        prop_assert!(
            has_schema || has_error,
            "`{}` has neither a schema nor an error",
            item.ident
        );
    }
    Ok(())
}

/// The derive on its own: no panic, and its output is Rust.
fn check_derive(items: &[syn::DeriveInput]) -> Result<(), TestCaseError> {
    for item in items {
        let expanded = derive::expand(item);
        let parsed = syn::parse2::<syn::File>(expanded.clone());
        prop_assert!(parsed.is_ok(), "the derive wrote invalid Rust: {expanded}");
    }
    Ok(())
}

/// Each schema is valid draft 2020-12 and compiles; validating any value never panics, and
/// the validator's verdicts agree with each other.
fn check_schemas(generated: &Generated, values: &[Value]) -> Result<(), TestCaseError> {
    for config in &generated.configs {
        let schema = &config.schema;
        if let Err(error) = jsonschema::draft202012::meta::validate(schema) {
            return Err(TestCaseError::fail(format!(
                "the schema of {} is not valid 2020-12: {error}\n{}",
                config.key,
                emit::schema_text(schema)
            )));
        }
        let validator = match jsonschema::draft202012::new(schema) {
            Ok(validator) => validator,
            Err(error) => {
                return Err(TestCaseError::fail(format!(
                    "the schema of {} does not compile: {error}\n{}",
                    config.key,
                    emit::schema_text(schema)
                )));
            }
        };
        for value in values {
            let valid = validator.is_valid(value);
            prop_assert_eq!(valid, validator.validate(value).is_ok(), "{}", value);
            prop_assert_eq!(valid, validator.iter_errors(value).next().is_none());
        }
    }
    Ok(())
}

pub(crate) fn pipeline_checks(
    dir: &Path,
    src: &str,
    values: &[Value],
) -> Result<(), TestCaseError> {
    let file = match syn::parse_file(src) {
        Ok(file) => file,
        Err(error) => {
            return Err(TestCaseError::fail(format!(
                "the generator wrote invalid Rust: {error}"
            )));
        }
    };
    let root = dir.join("src/lib.rs");
    let first = generate::target(dir, &root);
    let second = generate::target(dir, &root);
    prop_assert_eq!(output_text(&first), output_text(&second));

    for problem in &first.diagnostics {
        prop_assert_eq!(&problem.file, &root);
        check_position(src, problem.line, problem.column)?;
        prop_assert!(!problem.message.is_empty());
    }
    prop_assert_eq!(first.source.is_some(), !first.failed());
    if let Some(source) = &first.source {
        prop_assert!(
            syn::parse_file(source).is_ok(),
            "generated accessors are not Rust:\n{}",
            source
        );
    }
    let mut items = Vec::new();
    config_items(&file.items, &mut items);
    check_coverage(&items, &first)?;
    check_derive(&items)?;
    check_schemas(&first, values)
}

proptest! {
    #![proptest_config(crate::cases(512))]

    #[test]
    fn pipeline_survives_generated_configs(
        src in config_file(),
        values in proptest::collection::vec(json::value(), 0..12),
    ) {
        let dir = write_crate(&src);
        pipeline_checks(dir.path(), &src, &values)?;
    }
}
