//! The check of supplied schemas (`harmony_codegen::schema::supplied::check`) agrees with the
//! `jsonschema` crate's validation against the draft 2020-12 meta-schema, on schemas made of
//! every keyword with values of every kind.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

use harmony_codegen::schema::supplied::check;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Every keyword the meta-schema defines, and one it does not.
const KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "const",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "required",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "items",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "unevaluatedProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$comment",
    "$defs",
    "definitions",
    "$vocabulary",
    "$recursiveAnchor",
    "$recursiveRef",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "x-unknown",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..5).prop_map(Value::from),
        prop_oneof![Just(0.5), Just(2.0), Just(-1.0)].prop_map(Value::from),
        prop_oneof![
            Just("string"),
            Just("integer"),
            Just("text"),
            Just("a"),
            Just("_x.y-1"),
            Just("1x"),
            Just("urn:x"),
            Just("urn:x#frag"),
            Just("urn:x#"),
            Just(""),
        ]
        .prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(KEYWORDS).prop_map(str::to_owned),
                    inner
                ),
                0..4
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A schema-like object: keywords of the meta-schema with values of any kind.
fn schema() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop::sample::select(KEYWORDS).prop_map(str::to_owned),
            value(),
        ),
        0..4,
    )
    .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
}

/// Our rule beyond the meta-schema: a `#` reference needs the schema's own `$id`.
fn has_local_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str().is_some_and(|r| r.starts_with('#'))) || has_local_ref(v)
        }),
        Value::Array(items) => items.iter().any(has_local_ref),
        _ => false,
    }
}

fn agree(schema: &Value) -> Result<(), TestCaseError> {
    let ours = check(schema);
    let theirs = jsonschema::draft202012::meta::validate(schema);
    prop_assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "{}\nours: {:?}\njsonschema: {:?}",
        schema,
        ours,
        theirs.map_err(|e| e.to_string())
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_check_agrees_with_the_meta_schema(schema in schema()) {
        prop_assume!(!has_local_ref(&schema));
        agree(&schema)?;
    }
}

#[test]
fn schemas_people_write_pass_and_mistakes_fail() {
    for good in [
        json!({ "type": "string", "enum": ["a", "b"] }),
        json!({ "type": ["integer", "null"], "minimum": 0, "maximum": 255 }),
        json!({ "anyOf": [{ "$ref": "urn:x" }, true], "$defs": { "a": false } }),
        json!({ "$id": "urn:column", "$defs": { "c": { "const": 1 } }, "$ref": "#/$defs/c" }),
        json!({ "minLength": 2.0 }),
        json!(true),
    ] {
        assert!(check(&good).is_ok(), "{good}: {:?}", check(&good));
        agree(&good).unwrap();
    }
    for (bad, said) in [
        (json!({ "type": "text" }), "`/type` must be one of"),
        (
            json!({ "properties": { "a": 1 } }),
            "`/properties/a`: a schema is",
        ),
        (
            json!({ "required": ["a", "a"] }),
            "`/required` must be an array of strings",
        ),
        (json!({ "anyOf": [] }), "`/anyOf` must be a non-empty array"),
        (
            json!({ "minLength": -1 }),
            "`/minLength` must be an integer of 0 or more",
        ),
        (json!(1), "`/`: a schema is an object or a boolean"),
    ] {
        let error = check(&bad).unwrap_err();
        assert!(error.contains(said), "{bad}: {error}");
        agree(&bad).unwrap();
    }
    let error = check(&json!({ "items": { "$ref": "#/$defs/a" } })).unwrap_err();
    assert!(error.contains("points into the document"), "{error}");
}
