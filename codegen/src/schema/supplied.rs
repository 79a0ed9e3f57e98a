//! Schemas their authors give, with `#[harmony_config::schema(json = "...")]`, `file = "..."`,
//! `#[config(schema = "...")]` or `[package.metadata.harmony.schemas]`: read, then checked
//! against the rules of the draft 2020-12 meta-schema.
//!
//! The check is written here rather than taken from a validator crate, because every build
//! script that uses the generator would compile that crate; `tests/supplied.rs` holds it to
//! the `jsonschema` crate's meta-schema validation.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::Emitter;
use crate::attr::{SchemaSource, Supplied};

impl Emitter<'_, '_> {
    /// The schema `supplied` gives; an error at its attribute when it cannot be used.
    pub(super) fn supplied(&mut self, supplied: &Supplied, crate_dir: &Path) -> Value {
        match load(&supplied.source, crate_dir) {
            Ok((schema, read)) => {
                self.files_read.extend(read);
                schema
            }
            Err(message) => {
                self.problem(super::Severity::Error, supplied.span, message);
                json!({})
            }
        }
    }
}

/// Reads and checks a supplied schema; `file`s are relative to `crate_dir`. Returns the
/// schema, as an object, and the file read, if any.
///
/// # Errors
///
/// When the file cannot be read, the text is not JSON, or the JSON is not a 2020-12 schema
/// that can be copied into another document.
pub fn load(source: &SchemaSource, crate_dir: &Path) -> Result<(Value, Option<PathBuf>), String> {
    let (text, file) = match source {
        SchemaSource::Json(text) => (text.clone(), None),
        SchemaSource::File(relative) => {
            let path = crate_dir.join(relative);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                format!(
                    "cannot read the schema file `{}`: {e}; its path is relative to the crate's Cargo.toml",
                    path.display()
                )
            })?;
            (text, Some(path))
        }
    };
    let place = file
        .as_ref()
        .map_or_else(|| "the schema".to_owned(), |f| format!("`{}`", f.display()));
    let schema: Value =
        serde_json::from_str(&text).map_err(|e| format!("{place} is not JSON: {e}"))?;
    check(&schema)
        .map_err(|e| format!("{place} is not a valid JSON Schema (draft 2020-12): {e}"))?;
    let schema = match schema {
        Value::Bool(true) => json!({}),
        Value::Bool(false) => json!({ "not": {} }),
        schema => schema,
    };
    Ok((schema, file))
}

/// Checks `schema` against the draft 2020-12 meta-schema's rules for the keywords it defines;
/// other keywords are allowed, as the meta-schema allows them. Also refuses a `$ref` into the
/// document (`#...`) in a schema without its own `$id`, which would point into the document the
/// schema is copied into.
///
/// # Errors
///
/// The first rule broken, with the JSON Pointer of the keyword.
pub fn check(schema: &Value) -> Result<(), String> {
    let has_id = schema.get("$id").is_some();
    Checker { has_id }.schema(schema, "")
}

struct Checker {
    has_id: bool,
}

const TYPES: &[&str] = &[
    "null", "boolean", "object", "array", "number", "string", "integer",
];

impl Checker {
    fn schema(&self, value: &Value, at: &str) -> Result<(), String> {
        let map = match value {
            Value::Bool(_) => return Ok(()),
            Value::Object(map) => map,
            _ => {
                return Err(format!(
                    "`{}`: a schema is an object or a boolean",
                    shown(at)
                ));
            }
        };
        for (keyword, value) in map {
            let at = format!("{at}/{}", pointer_token(keyword));
            self.keyword(keyword, value, &at)?;
        }
        Ok(())
    }

    fn keyword(&self, keyword: &str, value: &Value, at: &str) -> Result<(), String> {
        match self.applicator(keyword, value, at) {
            Some(result) => result,
            None => assertion(keyword, value, at, self.has_id),
        }
    }

    /// The keywords whose values hold schemas; `None` for any other keyword.
    fn applicator(&self, keyword: &str, value: &Value, at: &str) -> Option<Result<(), String>> {
        let each = |map: &serde_json::Map<String, Value>, schemas_only: bool| {
            map.iter().try_for_each(|(name, item)| match item {
                Value::Array(items) if !schemas_only && strings(items) => Ok(()),
                _ => self.schema(item, &format!("{at}/{}", pointer_token(name))),
            })
        };
        Some(match (keyword, value) {
            (
                "properties" | "patternProperties" | "$defs" | "dependentSchemas" | "definitions",
                Value::Object(map),
            ) => each(map, true),
            (
                "properties" | "patternProperties" | "$defs" | "dependentSchemas" | "definitions",
                _,
            ) => fail(at, "an object of schemas"),
            ("dependencies", Value::Object(map)) => each(map, false),
            ("dependencies", _) => fail(at, "an object of schemas or arrays of strings"),
            (
                "items"
                | "additionalProperties"
                | "unevaluatedProperties"
                | "unevaluatedItems"
                | "contains"
                | "propertyNames"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contentSchema",
                _,
            ) => self.schema(value, at),
            ("prefixItems" | "allOf" | "anyOf" | "oneOf", Value::Array(items))
                if !items.is_empty() =>
            {
                items
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, schema)| self.schema(schema, &format!("{at}/{i}")))
            }
            ("prefixItems" | "allOf" | "anyOf" | "oneOf", _) => {
                fail(at, "a non-empty array of schemas")
            }
            _ => return None,
        })
    }
}

/// The keywords whose values are not schemas.
fn assertion(keyword: &str, value: &Value, at: &str, has_id: bool) -> Result<(), String> {
    let ok = match keyword {
        "type" => {
            let named = |t: &Value| t.as_str().is_some_and(|t| TYPES.contains(&t));
            let fine = match value {
                Value::Array(items) => {
                    !items.is_empty() && unique(items) && items.iter().all(named)
                }
                other => named(other),
            };
            if !fine {
                let expected = format!(
                    "one of {}, or a non-empty array of them without repeats",
                    TYPES.join(", ")
                );
                return fail(at, &expected);
            }
            true
        }
        "required" => value.as_array().is_some_and(|items| strings(items)),
        "dependentRequired" => value.as_object().is_some_and(|map| {
            map.values()
                .all(|v| v.as_array().is_some_and(|items| strings(items)))
        }),
        "enum" | "examples" => value.is_array(),
        "multipleOf" => value.as_f64().is_some_and(|n| n > 0.0),
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => value.is_number(),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties"
        | "minContains" | "maxContains" => non_negative_integer(value),
        "uniqueItems" | "readOnly" | "writeOnly" | "deprecated" => value.is_boolean(),
        "$id" => value
            .as_str()
            .is_some_and(|id| !id.trim_end_matches('#').contains('#')),
        "pattern" | "format" | "$schema" | "$comment" | "title" | "description" | "$dynamicRef"
        | "$recursiveRef" | "contentEncoding" | "contentMediaType" => value.is_string(),
        "$anchor" | "$dynamicAnchor" | "$recursiveAnchor" => value.as_str().is_some_and(anchor),
        "$ref" => match value {
            Value::String(target) if target.starts_with('#') && !has_id => {
                return Err(format!(
                    "`{}`: `{target}` points into the document this schema is copied into; give the schema an `$id`, or write the referenced schema in place",
                    shown(at)
                ));
            }
            other => other.is_string(),
        },
        "$vocabulary" => value
            .as_object()
            .is_some_and(|map| map.values().all(Value::is_boolean)),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        fail(at, expectation(keyword))
    }
}

/// What a keyword's value must be, for the error.
fn expectation(keyword: &str) -> &'static str {
    match keyword {
        "required" => "an array of strings without repeats",
        "dependentRequired" => "an object of arrays of strings without repeats",
        "enum" | "examples" => "an array",
        "multipleOf" => "a number above 0",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => "a number",
        "uniqueItems" | "readOnly" | "writeOnly" | "deprecated" => "true or false",
        "$id" => "a string without a fragment",
        "$anchor" | "$dynamicAnchor" | "$recursiveAnchor" => {
            "a name: a letter or `_`, then letters, digits, `-`, `_` or `.`"
        }
        "$vocabulary" => "an object of booleans",
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties"
        | "minContains" | "maxContains" => "an integer of 0 or more",
        _ => "a string",
    }
}

fn fail(at: &str, what: &str) -> Result<(), String> {
    Err(format!("`{}` must be {what}", shown(at)))
}

/// Strings without repeats.
fn strings(items: &[Value]) -> bool {
    unique(items) && items.iter().all(Value::is_string)
}

fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn shown(at: &str) -> &str {
    if at.is_empty() { "/" } else { at }
}

/// JSON Schema's integers include `2.0`.
fn non_negative_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.as_u64().is_some() || n.as_f64().is_some_and(|f| f >= 0.0 && f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Items without repeats, by JSON equality.
fn unique(items: &[Value]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(i, a)| items[i + 1..].iter().all(|b| a != b))
}

fn anchor(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
