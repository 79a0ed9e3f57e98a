//! A strategy for any JSON value, biased towards what the generated schemas look at: the field
//! and variant names the generators use, addresses, URLs and numbers at the integer bounds.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};

/// An object key: a name the generators use, or any string.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(
            &[
                "a", "b", "c", "v", "renamed", "ser", "de", "de_only", "alias", "kind", "value",
                "type", "type_", "secs", "nanos", "Unit", "A", "B", "t", "content", "x1", "é",
            ][..]
        )
        .prop_map(str::to_owned),
        1 => ".{0,6}",
    ]
}

fn number() -> impl Strategy<Value = Value> {
    let special = select(
        &[
            0.0,
            -0.0,
            1.0,
            1.5,
            -1.0,
            255.0,
            256.0,
            65536.0,
            1e10,
            1e19,
            -1e19,
            1e308,
            -1e308,
            f64::EPSILON,
        ][..],
    );
    prop_oneof![
        2 => select(&[0_i64, 1, -1, 127, 128, -129, 255, 256, i64::MIN, i64::MAX][..])
            .prop_map(Value::from),
        1 => Just(Value::from(u64::MAX)),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => special.prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
    ]
}

fn string() -> impl Strategy<Value = Value> {
    let special = select(
        &[
            "",
            "a",
            "true",
            "1",
            "-1",
            "1.5",
            "x",
            "renamed",
            "Unit",
            "A",
            "é",
            "😀",
            "e\u{301}",
            "127.0.0.1",
            "::1",
            "256.0.0.1",
            "127.0.0.1:8080",
            "[::1]:80",
            "[::1]",
            "http://x",
            "https://example.com/a?b#c",
            "mailto:x",
            "not a url",
            "\u{0}",
        ][..],
    );
    prop_oneof![
        3 => special.prop_map(Value::from),
        1 => any::<String>().prop_map(Value::from),
    ]
}

/// Any JSON value, nested a few levels.
pub(crate) fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => number(),
        2 => string(),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            1 => proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            2 => proptest::collection::vec((key(), inner), 0..5)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}
