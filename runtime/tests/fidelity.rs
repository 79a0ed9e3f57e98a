//! Differential fidelity suite: our JSON Schema against serde itself.
//!
//! Every config in `fidelity/cases.rs` gets its schema from `harmony_codegen`, exactly as the
//! scanner would: the file is parsed with syn, indexed, and emitted. Then, for every JSON
//! instance listed below, the schema's verdict (checked with the `jsonschema` crate) must equal
//! whether `serde_json::from_value::<T>` accepts the instance. A disagreement fails the test
//! unless it is one of the [`KNOWN_LIMITATIONS`], each with its reason.
//!
//! Then, fuzzed: instances mutated at random, where whatever serde reads and writes back must
//! validate against the schema (see the README's section on fuzzing for long runs).
//!
//! Run with `--nocapture` to see the agreement table.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failed step fails the test"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Value, json};

#[allow(dead_code, unreachable_pub, reason = "the types are only deserialized")]
#[allow(
    clippy::pedantic,
    reason = "fixtures written to exercise serde, not to be idiomatic"
)]
mod cases {
    include!("fidelity/cases.rs");
}

/// The file the schemas are generated from, relative to the manifest directory.
const CASES_FILE: &str = "tests/fidelity/cases.rs";

/// One config type and the instances to try on it.
struct Case {
    name: &'static str,
    /// `serde_json::from_value::<T>`, keeping only the verdict and the error.
    serde: fn(Value) -> Result<(), String>,
    /// `serde_json::from_value::<T>`, then `serde_json::to_value`: what serde writes for a
    /// value it read.
    rewrite: fn(Value) -> Result<Value, String>,
    /// schemars 1.x's schema for the type, for comparison only.
    schemars: Value,
    /// The derive's `Config::SECRET_FIELDS`.
    secret_fields: &'static [&'static str],
    instances: Vec<String>,
}

/// `Type => instances` pairs, where instances are JSON texts.
macro_rules! cases {
    ($($ty:ident => $instances:expr),* $(,)?) => {
        vec![$(Case {
            name: stringify!($ty),
            serde: |value| {
                serde_json::from_value::<cases::$ty>(value)
                    .map(|_| ())
                    .map_err(|error| error.to_string())
            },
            rewrite: |value| {
                let read = serde_json::from_value::<cases::$ty>(value)
                    .map_err(|error| error.to_string())?;
                serde_json::to_value(read).map_err(|error| error.to_string())
            },
            schemars: serde_json::to_value(config_schemars::<cases::$ty>()).unwrap(),
            secret_fields: <cases::$ty as harmony_config::Config>::SECRET_FIELDS,
            instances: $instances.into_iter().map(Into::into).collect(),
        }),*]
    };
}

/// schemars' schema, through the `Config` bound, which proves each case is a config.
fn config_schemars<T: harmony_config::Config>() -> schemars::Schema {
    schemars::schema_for!(T)
}

/// The size of the suite when these floors were pinned; `schema_agrees_with_serde` fails below.
const MIN_CONFIGS: usize = 96;
const MIN_INSTANCES: usize = 962;
const MIN_TYPES: usize = 148;

/// A disagreement that JSON Schema cannot avoid, or that we accept by design.
struct Known {
    reason: &'static str,
    /// `(type, instance)`, the instance as compact JSON.
    cases: &'static [(&'static str, &'static str)],
}

const KNOWN_LIMITATIONS: &[Known] = &[
    Known {
        reason: "JSON Schema counts 1.0 as an integer; serde_json keeps it a float, and serde's \
                 integer types refuse floats",
        cases: &[
            ("IntU8", r#"{"v":1.0}"#),
            ("IntU16", r#"{"v":1.0}"#),
            ("IntU32", r#"{"v":1.0}"#),
            ("IntU64", r#"{"v":1.0}"#),
            ("IntUsize", r#"{"v":1.0}"#),
            ("IntU128", r#"{"v":1.0}"#),
            ("IntI8", r#"{"v":1.0}"#),
            ("IntI16", r#"{"v":1.0}"#),
            ("IntI32", r#"{"v":1.0}"#),
            ("IntI64", r#"{"v":1.0}"#),
            ("IntIsize", r#"{"v":1.0}"#),
            ("IntI128", r#"{"v":1.0}"#),
            ("Durations", r#"{"timeout":{"secs":1.0,"nanos":0}}"#),
        ],
    },
    Known {
        reason: "serde_json::Value holds an integer beyond 64 bits as a float, which serde's \
                 integer types refuse; the 128-bit types have no bounds in the schema, since the \
                 validator cannot represent them",
        cases: &[
            ("IntU128", r#"{"v":1.8446744073709552e+19}"#),
            ("IntI128", r#"{"v":1.8446744073709552e+19}"#),
            ("IntI128", r#"{"v":-9.223372036854776e+18}"#),
            // -2^63 - 1 rounds to -2^63, which is in range.
            ("IntI64", r#"{"v":-9.223372036854776e+18}"#),
            ("IntIsize", r#"{"v":-9.223372036854776e+18}"#),
        ],
    },
    Known {
        reason: "serde also reads a struct (and an internally tagged variant) from a JSON array \
                 of its fields in order; the schema accepts only the object form, which is the \
                 one serde writes",
        cases: &[
            ("Bools", "[true]"),
            ("Durations", r#"{"timeout":[1,0]}"#),
            (
                "Nested",
                r#"{"primary":["h",1],"replicas":[],"by_name":{}}"#,
            ),
            ("ContainerDefault", "[]"),
            ("Internals", r#"{"e":["Struct",1]}"#),
            ("Internals", r#"{"e":["Unit"]}"#),
            ("Adjacents", r#"{"e":["Newtype",1]}"#),
        ],
    },
    Known {
        reason: "`format` is an annotation in draft 2020-12 and is not asserted: a URL's \
                 scheme is checked by a pattern, the rest of the WHATWG rules are not",
        cases: &[
            ("Urls", r#"{"v":"http://"}"#),
            ("Urls", r#"{"v":"http://exa mple.com"}"#),
        ],
    },
];

/// Instances of `{"v": n}` around the bounds of an integer type, plus other kinds of value.
fn ints(min: i128, max: i128) -> Vec<String> {
    let mut out: Vec<String> = [min - 1, min, min + 1, 0, max - 1, max, max + 1]
        .iter()
        .map(|n| format!(r#"{{"v": {n}}}"#))
        .collect();
    out.extend(
        [
            r#"{"v": 1.0}"#,
            r#"{"v": 1.5}"#,
            r#"{"v": "1"}"#,
            r#"{"v": null}"#,
            r#"{"v": true}"#,
            r#"{"v": [1]}"#,
            "{}",
            r#"{"v": 1, "unknown": "ignored"}"#,
            "1",
            "null",
        ]
        .map(String::from),
    );
    out
}

/// Instances of `{"v": "<text>"}` for each text, plus values of other kinds.
fn strings(texts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = texts
        .iter()
        .map(|text| serde_json::json!({ "v": text }).to_string())
        .collect();
    out.extend([r#"{"v": 1}"#, r#"{"v": null}"#, "{}", r#""v""#].map(String::from));
    out
}

#[allow(clippy::too_many_lines, reason = "one entry per config type")]
fn all_cases() -> Vec<Case> {
    cases! {
        Bools => [
            r#"{"flag": true}"#, r#"{"flag": false}"#, r#"{"flag": 1}"#, r#"{"flag": "true"}"#,
            r#"{"flag": null}"#, "{}", r#"{"flag": true, "other": 1}"#, "[true]", "[]",
            "true", "null", r#""flag""#,
        ],
        IntU8 => ints(u8::MIN.into(), u8::MAX.into()),
        IntU16 => ints(u16::MIN.into(), u16::MAX.into()),
        IntU32 => ints(u32::MIN.into(), u32::MAX.into()),
        IntU64 => ints(u64::MIN.into(), u64::MAX.into()),
        IntUsize => ints(u64::MIN.into(), u64::MAX.into()),
        IntU128 => ints(0, u64::MAX.into()),
        IntI8 => ints(i8::MIN.into(), i8::MAX.into()),
        IntI16 => ints(i16::MIN.into(), i16::MAX.into()),
        IntI32 => ints(i32::MIN.into(), i32::MAX.into()),
        IntI64 => ints(i64::MIN.into(), i64::MAX.into()),
        IntIsize => ints(i64::MIN.into(), i64::MAX.into()),
        IntI128 => ints(i64::MIN.into(), u64::MAX.into()),
        Floats => [
            r#"{"single": 1.5, "double": 2.5}"#, r#"{"single": 1, "double": -7}"#,
            r#"{"single": 1e39, "double": 1e308}"#, r#"{"single": -3.4e38, "double": 0}"#,
            r#"{"single": 18446744073709551615, "double": -9223372036854775808}"#,
            r#"{"single": "1.5", "double": 2.5}"#, r#"{"single": null, "double": 2.5}"#,
            r#"{"single": 1.5}"#, r#"{"single": true, "double": 1}"#,
        ],
        Chars => strings(&["a", "é", "😀", "\u{0}", "ab", "", "e\u{301}", "😀😀", " "]),
        Strings => [
            r#"{"owned": "a", "cow": "b", "path": "/tmp/x"}"#,
            r#"{"owned": "", "cow": "", "path": ""}"#,
            r#"{"owned": 1, "cow": "b", "path": "/tmp"}"#,
            r#"{"owned": "a", "cow": 1, "path": "/tmp"}"#,
            r#"{"owned": "a", "cow": "b", "path": 1}"#,
            r#"{"owned": "a", "cow": "b", "path": ["tmp"]}"#,
            r#"{"owned": "a", "cow": "b"}"#, r#"{"owned": null, "cow": "b", "path": "p"}"#,
        ],
        Units => [
            r#"{"unit": null, "marker": null}"#, r#"{"unit": [], "marker": null}"#,
            r#"{"unit": null, "marker": []}"#, r#"{"unit": null, "marker": {}}"#,
            r#"{"unit": {}, "marker": null}"#, r#"{"unit": null}"#, r#"{"marker": null}"#,
            r#"{"unit": 0, "marker": null}"#, r#"{"unit": null, "marker": "Marker"}"#,
        ],
        Optionals => [
            "{}", r#"{"number": null, "text": null, "nested": null}"#,
            r#"{"number": 1, "text": "a", "nested": true}"#, r#"{"number": 256}"#,
            r#"{"number": -1}"#, r#"{"number": "1"}"#, r#"{"text": 1}"#, r#"{"nested": "x"}"#,
            r#"{"skipped_if_none": 1}"#, r#"{"skipped_if_none": null}"#,
            r#"{"skipped_if_none": "a"}"#, "null", "[]",
        ],
        WrappedOptions => [
            "{}", r#"{"boxed": 1, "shared": true, "secret": "s"}"#,
            r#"{"boxed": null, "shared": null, "secret": null}"#, r#"{"boxed": 256}"#,
            r#"{"shared": 1}"#, r#"{"secret": 1}"#, r#"{"secret": null}"#,
            r#"{"secret": "s", "boxed": 2}"#, r#"{"secret": "s", "shared": false}"#,
        ],
        Seqs => [
            r#"{"vec": [], "deque": [], "tags": []}"#,
            r#"{"vec": [0, 255], "deque": ["a", "b"], "tags": ["x"]}"#,
            r#"{"vec": [256], "deque": [], "tags": []}"#,
            r#"{"vec": [1], "deque": [1], "tags": []}"#,
            r#"{"vec": [1], "deque": []}"#, r#"{"vec": null, "deque": [], "tags": []}"#,
            r#"{"vec": "abc", "deque": [], "tags": []}"#,
            r#"{"vec": {"0": 1}, "deque": [], "tags": []}"#,
            r#"{"vec": [null], "deque": [], "tags": []}"#,
        ],
        Sets => [
            r#"{"hash": [], "btree": []}"#, r#"{"hash": [1, 1, 2], "btree": ["a", "a"]}"#,
            r#"{"hash": [65535], "btree": ["z"]}"#, r#"{"hash": [65536], "btree": []}"#,
            r#"{"hash": [-1], "btree": []}"#, r#"{"hash": [], "btree": [1]}"#,
            r#"{"hash": {}, "btree": []}"#, r#"{"hash": []}"#,
        ],
        StringMaps => [
            r#"{"hash": {}, "btree": {}}"#,
            r#"{"hash": {"a": 1, "": 2, "1": 3}, "btree": {"x": [true, false]}}"#,
            r#"{"hash": {"a": 256}, "btree": {}}"#, r#"{"hash": {"a": "1"}, "btree": {}}"#,
            r#"{"hash": {}, "btree": {"x": [1]}}"#, r#"{"hash": [], "btree": {}}"#,
            r#"{"hash": [["a", 1]], "btree": {}}"#, r#"{"hash": null, "btree": {}}"#,
            r#"{"hash": {}}"#,
        ],
        SmallIntKeys => [
            r#"{"unsigned": {}, "signed": {}}"#,
            r#"{"unsigned": {"0": true, "255": false}, "signed": {"-32768": true, "32767": true}}"#,
            r#"{"unsigned": {"256": true}, "signed": {}}"#,
            r#"{"unsigned": {"-1": true}, "signed": {}}"#,
            r#"{"unsigned": {"-0": true}, "signed": {"-0": true}}"#,
            r#"{"unsigned": {"+1": true}, "signed": {}}"#,
            r#"{"unsigned": {"01": true}, "signed": {}}"#,
            r#"{"unsigned": {"007": true}, "signed": {}}"#,
            r#"{"unsigned": {"1.0": true}, "signed": {}}"#,
            r#"{"unsigned": {"1e2": true}, "signed": {}}"#,
            r#"{"unsigned": {" 1": true}, "signed": {}}"#,
            r#"{"unsigned": {"1 ": true}, "signed": {}}"#,
            r#"{"unsigned": {"": true}, "signed": {}}"#,
            r#"{"unsigned": {"x": true}, "signed": {}}"#,
            r#"{"unsigned": {}, "signed": {"-32769": true}}"#,
            r#"{"unsigned": {}, "signed": {"32768": true}}"#,
            r#"{"unsigned": {}, "signed": {"-01": true}}"#,
            r#"{"unsigned": {}, "signed": {"-": true}}"#,
            r#"{"unsigned": {"1": 1}, "signed": {}}"#,
        ],
        WideIntKeys => [
            r#"{"unsigned": {"18446744073709551615": 1}, "signed": {"-9223372036854775808": 1}}"#,
            r#"{"unsigned": {"18446744073709551616": 1}, "signed": {}}"#,
            r#"{"unsigned": {"99999999999999999999": 1}, "signed": {}}"#,
            r#"{"unsigned": {}, "signed": {"9223372036854775807": 1}}"#,
            r#"{"unsigned": {}, "signed": {"9223372036854775808": 1}}"#,
            r#"{"unsigned": {}, "signed": {"-9223372036854775809": 1}}"#,
            r#"{"unsigned": {"10000000000000000000": 1}, "signed": {"-1000000000000000000": 1}}"#,
        ],
        HugeIntKeys => [
            r#"{"unsigned": {"340282366920938463463374607431768211455": 1}, "signed": {}}"#,
            r#"{"unsigned": {"340282366920938463463374607431768211456": 1}, "signed": {}}"#,
            r#"{"unsigned": {}, "signed": {"-170141183460469231731687303715884105728": 1}}"#,
            r#"{"unsigned": {}, "signed": {"-170141183460469231731687303715884105729": 1}}"#,
            r#"{"unsigned": {}, "signed": {"170141183460469231731687303715884105727": 1}}"#,
            r#"{"unsigned": {}, "signed": {"170141183460469231731687303715884105728": 1}}"#,
            r#"{"unsigned": {"-1": 1}, "signed": {"0": 1}}"#,
            r#"{"unsigned": {"-0": 1}, "signed": {}}"#, r#"{"unsigned": {}, "signed": {"-0": 1}}"#,
            r#"{"unsigned": {"00": 1}, "signed": {}}"#,
        ],
        BoolKeys => [
            r#"{"m": {"true": 1, "false": 0}}"#, r#"{"m": {"True": 1}}"#, r#"{"m": {"1": 1}}"#,
            r#"{"m": {"": 1}}"#, r#"{"m": {}}"#,
        ],
        CharKeys => [
            r#"{"m": {"a": 1, "😀": 2}}"#, r#"{"m": {"ab": 1}}"#, r#"{"m": {"": 1}}"#,
            r#"{"m": {}}"#,
        ],
        EnumKeys => [
            r#"{"colors": {"red": 1, "dark-green": 2, "blue": 3, "navy": 4}, "modes": {}}"#,
            r#"{"colors": {"Red": 1}, "modes": {}}"#,
            r#"{"colors": {"dark_green": 1}, "modes": {}}"#,
            r#"{"colors": {"invisible": 1}, "modes": {}}"#,
            r#"{"colors": {}, "modes": {"Fast": 1, "Slow": 2}}"#,
            r#"{"colors": {}, "modes": {"Custom": 1}}"#,
            r#"{"colors": {}, "modes": {"fast": 1}}"#,
        ],
        NewtypeKeys => [
            r#"{"ports": {"80": "http", "65535": "max"}}"#, r#"{"ports": {"65536": "x"}}"#,
            r#"{"ports": {"http": "x"}}"#, r#"{"ports": {"80": 80}}"#,
        ],
        AddrKeys => [
            r#"{"hosts": {"127.0.0.1": "local", "::1": "local6"}}"#,
            r#"{"hosts": {"localhost": "x"}}"#, r#"{"hosts": {"1.2.3": "x"}}"#,
        ],
        Tuples => [
            r#"{"pair": [1, "a"], "triple": [true, null, 1.5]}"#,
            r#"{"pair": [1, "a"], "triple": [false, 255, 0]}"#,
            r#"{"pair": [1], "triple": [true, null, 1]}"#,
            r#"{"pair": [1, "a", 2], "triple": [true, null, 1]}"#,
            r#"{"pair": [256, "a"], "triple": [true, null, 1]}"#,
            r#"{"pair": ["a", 1], "triple": [true, null, 1]}"#,
            r#"{"pair": [1, "a"], "triple": [true, 1]}"#,
            r#"{"pair": {"0": 1, "1": "a"}, "triple": [true, null, 1]}"#,
            r#"{"pair": [], "triple": [true, null, 1]}"#,
        ],
        TupleStructs => [
            r#"{"skipping": [1, "a"], "skipping_one": [1], "defaulted": [1, 2]}"#,
            r#"{"skipping": [1, 2, "a"], "skipping_one": [1], "defaulted": [1, 2]}"#,
            r#"{"skipping": [1, "a"], "skipping_one": 1, "defaulted": [1, 2]}"#,
            r#"{"skipping": [1, "a"], "skipping_one": [1, 2], "defaulted": [1, 2]}"#,
            r#"{"skipping": [1, "a"], "skipping_one": [1], "defaulted": [1]}"#,
            r#"{"skipping": [1, "a"], "skipping_one": [1], "defaulted": []}"#,
            r#"{"skipping": [1, "a"], "skipping_one": [1], "defaulted": [1, 2, 3]}"#,
        ],
        Arrays => [
            r#"{"three": [1, 2, 3], "none": []}"#, r#"{"three": [1, 2], "none": []}"#,
            r#"{"three": [1, 2, 3, 4], "none": []}"#, r#"{"three": [1, 2, 256], "none": []}"#,
            r#"{"three": [1, 2, 3], "none": [true]}"#, r#"{"three": [1, 2, 3], "none": null}"#,
            r#"{"three": [1, 2, 3], "none": {}}"#, r#"{"three": [1, 2, 3]}"#,
        ],
        Pointers => [
            r#"{"boxed": 1, "shared": "s", "boxed_struct": {"host": "h", "port": 1}}"#,
            r#"{"boxed": 256, "shared": "s", "boxed_struct": {"host": "h", "port": 1}}"#,
            r#"{"boxed": 1, "shared": 1, "boxed_struct": {"host": "h", "port": 1}}"#,
            r#"{"boxed": 1, "shared": "s", "boxed_struct": {"host": "h"}}"#,
            r#"{"boxed": 1, "shared": "s", "boxed_struct": null}"#,
            r#"{"boxed": null, "shared": "s", "boxed_struct": {"host": "h", "port": 1}}"#,
        ],
        Durations => [
            r#"{"timeout": {"secs": 1, "nanos": 0}}"#,
            r#"{"timeout": {"nanos": 5, "secs": 0}}"#,
            r#"{"timeout": {"secs": 18446744073709551615, "nanos": 999999999}}"#,
            r#"{"timeout": {"secs": 18446744073709551614, "nanos": 1999999999}}"#,
            r#"{"timeout": {"secs": 18446744073709551614, "nanos": 2000000000}}"#,
            r#"{"timeout": {"secs": 18446744073709551612, "nanos": 4294967295}}"#,
            r#"{"timeout": {"secs": 18446744073709551611, "nanos": 4294967295}}"#,
            r#"{"timeout": {"secs": 1, "nanos": 1000000000}}"#,
            r#"{"timeout": {"secs": 1, "nanos": 4294967295}}"#,
            r#"{"timeout": {"secs": 18446744073709551615, "nanos": 1000000000}}"#,
            r#"{"timeout": {"secs": 1, "nanos": 4294967296}}"#,
            r#"{"timeout": {"secs": -1, "nanos": 0}}"#,
            r#"{"timeout": {"secs": 1.0, "nanos": 0}}"#,
            r#"{"timeout": {"secs": 1}}"#, r#"{"timeout": {"nanos": 1}}"#,
            r#"{"timeout": {"secs": 1, "nanos": 0, "extra": 1}}"#,
            r#"{"timeout": [1, 0]}"#, r#"{"timeout": [1]}"#, r#"{"timeout": "1s"}"#,
            r#"{"timeout": 1}"#, r#"{"timeout": null}"#, "{}",
        ],
        IpAny => strings(&[
            "127.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "::ffff:1.2.3.4",
            "2001:db8::8a2e:370:7334", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5",
            "1.2.3.4 ", "localhost", "",
        ]),
        IpV4 => strings(&[
            "127.0.0.1", "0.0.0.0", "255.255.255.255", "1.2.3.04", "1.2.3.00", "1.2.3.256",
            "1.2.3.-1", "1.2.3", "1.2.3.4.", "1..3.4", "::1", "0x7f.0.0.1", "1.2.3.4\n",
            " 1.2.3.4",
        ]),
        IpV6 => strings(&[
            "::", "::1", "1::", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5::1.2.3.4", "1::2:3:4:5:6:7", "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8", "ABCD:ef01::", "0000:0000::00", "fe80::1%1", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7", ":::", "1:::2", "1::2::3", "12345::", "::g", "1.2.3.4",
            "1.2.3.4::", "::1.2.3.04", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "[::1]", "",
        ]),
        SocketAny => strings(&[
            "127.0.0.1:80", "0.0.0.0:0", "1.2.3.4:65535", "1.2.3.4:65536", "1.2.3.4:080",
            "1.2.3.4:0000000080", "1.2.3.4:", "1.2.3.4", "[::1]:8080", "[::ffff:1.2.3.4]:1",
            "[fe80::1%2]:80", "::1:80", "[::1]", "localhost:80", "1.2.3.4:-1", "1.2.3.4:+80",
        ]),
        SocketV4 => strings(&[
            "127.0.0.1:80", "255.255.255.255:65535", "1.2.3.4:65536", "1.2.3.4:99999",
            "1.2.3.4:0", "01.2.3.4:80", "1.2.3.4:00", "[::1]:80", "1.2.3.4",
            "1.2.3.4:4294967376",
        ]),
        SocketV6 => strings(&[
            "[::1]:80", "[::]:0", "[1:2:3:4:5:6:7:8]:65535", "[::1]:65536",
            "[fe80::1%0]:1", "[fe80::1%4294967295]:1", "[fe80::1%4294967296]:1",
            "[fe80::1%eth0]:1", "[fe80::1%]:1", "[fe80::1%007]:1", "[::1]:", "::1:80",
            "1.2.3.4:80", "[1.2.3.4]:80", "[::1]:0080",
        ]),
        Urls => strings(&[
            "https://example.com", "http://localhost:8080/path?q=1#frag", "mailto:a@b.c",
            "file:///etc/hosts", "HTTPS://EXAMPLE.COM", "urn:isbn:0451450523", "a+b-c.d:x",
            "example.com", "/relative/path", "//example.com", "1http://example.com",
            "http://", "http://exa mple.com", "",
        ]),
        Secrets => [
            r#"{"token": "t", "pin": 1234, "password": "p"}"#,
            r#"{"token": 1, "pin": 1234, "password": "p"}"#,
            r#"{"token": "t", "pin": 65536, "password": "p"}"#,
            r#"{"token": "t", "pin": "1234", "password": "p"}"#,
            r#"{"token": "t", "pin": 1234}"#, r#"{"pin": 1234, "password": "p"}"#,
        ],
        NestedSecrets => [
            r#"{"db": {"user": "u", "password": "p"}, "replicas": [], "tokens": {}, "auth": "Anonymous", "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "backup": {"user": "b", "password": "q"}, "replicas": [{"user": "r", "password": "s"}], "tokens": {"a": "t"}, "auth": {"Token": "t"}, "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "backup": null, "replicas": [], "tokens": {}, "auth": {"Basic": {"user": "u", "password": "p"}}, "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u"}, "replicas": [], "tokens": {}, "auth": "Anonymous", "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "replicas": [{"user": "r"}], "tokens": {}, "auth": "Anonymous", "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "replicas": [], "tokens": {"a": 1}, "auth": "Anonymous", "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "replicas": [], "tokens": {}, "auth": {"Token": 1}, "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "replicas": [], "tokens": {}, "auth": {"Anonymous": null}, "tls": {"cert": "c", "key": "k"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "replicas": [], "tokens": {}, "auth": "Anonymous", "tls": {"cert": "c"}, "plain": "x"}"#,
            r#"{"db": {"user": "u", "password": "p"}, "replicas": [], "tokens": {}, "auth": "Anonymous", "tls": {"cert": "c", "key": "k"}}"#,
        ],
        Renamed => [
            r#"{"kind": "a", "in_name": 1, "match": true}"#,
            r#"{"type": "a", "in_name": 1, "match": true}"#,
            r#"{"kind": "a", "out_name": 1, "match": true}"#,
            r#"{"kind": "a", "both": 1, "match": true}"#,
            r#"{"kind": "a", "in_name": 1, "r#match": true}"#,
        ],
        CaseLower => [
            r#"{"api_token": 1, "http2_port": 2, "mode": "httpproxy"}"#,
            r#"{"api_token": 1, "http2_port": 2, "mode": "direct"}"#,
            r#"{"api_token": 1, "http2_port": 2, "mode": "HttpProxy"}"#,
            r#"{"apitoken": 1, "http2_port": 2, "mode": "direct"}"#,
        ],
        CaseUpper => [
            r#"{"API_TOKEN": 1, "HTTP2_PORT": 2, "MODE": "HTTPPROXY"}"#,
            r#"{"API_TOKEN": 1, "HTTP2_PORT": 2, "MODE": "DIRECT"}"#,
            r#"{"api_token": 1, "http2_port": 2, "mode": "HTTPPROXY"}"#,
            r#"{"API_TOKEN": 1, "HTTP2_PORT": 2, "MODE": "HTTP_PROXY"}"#,
        ],
        CasePascal => [
            r#"{"ApiToken": 1, "Http2Port": 2, "Mode": "HttpProxy"}"#,
            r#"{"ApiToken": 1, "HTTP2Port": 2, "Mode": "Direct"}"#,
            r#"{"api_token": 1, "http2_port": 2, "mode": "HttpProxy"}"#,
            r#"{"ApiToken": 1, "Http2Port": 2, "Mode": "httpProxy"}"#,
        ],
        CaseCamel => [
            r#"{"apiToken": 1, "http2Port": 2, "mode": "httpProxy"}"#,
            r#"{"apiToken": 1, "http2Port": 2, "mode": "direct"}"#,
            r#"{"apiToken": 1, "http2port": 2, "mode": "direct"}"#,
            r#"{"apiToken": 1, "http2Port": 2, "mode": "HttpProxy"}"#,
        ],
        CaseSnake => [
            r#"{"api_token": 1, "http2_port": 2, "mode": "http_proxy"}"#,
            r#"{"api_token": 1, "http2_port": 2, "mode": "direct"}"#,
            r#"{"api_token": 1, "http2_port": 2, "mode": "httpproxy"}"#,
            r#"{"apiToken": 1, "http2_port": 2, "mode": "direct"}"#,
        ],
        CaseScreamingSnake => [
            r#"{"API_TOKEN": 1, "HTTP2_PORT": 2, "MODE": "HTTP_PROXY"}"#,
            r#"{"API_TOKEN": 1, "HTTP2_PORT": 2, "MODE": "DIRECT"}"#,
            r#"{"API_TOKEN": 1, "HTTP2_PORT": 2, "MODE": "HTTPPROXY"}"#,
            r#"{"API-TOKEN": 1, "HTTP2_PORT": 2, "MODE": "DIRECT"}"#,
        ],
        CaseKebab => [
            r#"{"api-token": 1, "http2-port": 2, "mode": "http-proxy"}"#,
            r#"{"api-token": 1, "http2-port": 2, "mode": "direct"}"#,
            r#"{"api_token": 1, "http2-port": 2, "mode": "direct"}"#,
            r#"{"api-token": 1, "http2-port": 2, "mode": "http_proxy"}"#,
        ],
        CaseScreamingKebab => [
            r#"{"API-TOKEN": 1, "HTTP2-PORT": 2, "MODE": "HTTP-PROXY"}"#,
            r#"{"API-TOKEN": 1, "HTTP2-PORT": 2, "MODE": "DIRECT"}"#,
            r#"{"API_TOKEN": 1, "HTTP2-PORT": 2, "MODE": "DIRECT"}"#,
            r#"{"API-TOKEN": 1, "HTTP2-PORT": 2, "MODE": "HTTP_PROXY"}"#,
        ],
        CaseSplit => [
            r#"{"apiToken": 1, "Explicit": 2}"#, r#"{"API_TOKEN": 1, "Explicit": 2}"#,
            r#"{"apiToken": 1, "explicitName": 2}"#,
        ],
        Aliased => [
            r#"{"color": "red"}"#, r#"{"colour": "red"}"#, r#"{"hue": "red", "n": 2}"#,
            r#"{"color": "red", "colour": "blue"}"#, r#"{"colour": "red", "hue": "blue"}"#,
            r#"{"color": "red", "count": 1, "n": 2}"#, r#"{"count": 1}"#, "{}",
            r#"{"color": 1}"#, r#"{"colour": "red", "n": "x"}"#,
        ],
        Defaults => [
            r#"{"name": "a"}"#, r#"{"name": "a", "retries": 3, "port": 1}"#,
            r#"{"retries": 3}"#, r#"{"name": "a", "port": 65536}"#,
            r#"{"name": "a", "retries": null}"#, r#"{"name": "a", "port": null}"#,
        ],
        ContainerDefault => [
            "{}", r#"{"retries": 1}"#, r#"{"name": "a", "retries": 255}"#,
            r#"{"retries": 256}"#, r#"{"name": null}"#, "null", "[]",
        ],
        ContainerDefaultPath => [
            "{}", r#"{"name": "a"}"#, r#"{"retries": -1}"#, r#"{"name": 1}"#,
        ],
        Skips => [
            r#"{"name": "a", "write_only": 1}"#,
            r#"{"name": "a", "write_only": 1, "cache": "x", "computed": 5}"#,
            r#"{"name": "a"}"#, r#"{"name": "a", "write_only": "x"}"#,
        ],
        SkipsStrict => [
            r#"{"name": "a"}"#, r#"{"name": "a", "cache": 1}"#, r#"{"name": "a", "x": 1}"#,
        ],
        Strict => [
            r#"{"a": 1}"#, r#"{"a": 1, "b": "x", "c": true}"#, r#"{"a": 1, "see": false}"#,
            r#"{"a": 1, "c": true, "see": false}"#, r#"{"a": 1, "d": 1}"#,
            r#"{"a": 1, "b": null}"#, r#"{"b": "x"}"#,
        ],
        FlattenStruct => [
            r#"{"name": "a", "host": "h", "port": 1}"#,
            r#"{"name": "a", "host": "h", "port": 1, "extra": true}"#,
            r#"{"name": "a", "host": "h"}"#, r#"{"name": "a", "host": "h", "port": "1"}"#,
            r#"{"name": "a", "endpoint": {"host": "h", "port": 1}}"#,
            r#"{"host": "h", "port": 1}"#, r#"["a", "h", 1]"#,
        ],
        FlattenOption => [
            r#"{"id": 1}"#, r#"{"id": 1, "host": "h", "port": 1}"#,
            r#"{"id": 1, "host": "h"}"#, r#"{"id": 1, "host": "h", "port": "bad"}"#,
            r#"{"id": 1, "port": 70000}"#, r#"{"host": "h", "port": 1}"#,
        ],
        FlattenMap => [
            r#"{"name": "a"}"#, r#"{"name": "a", "x": 1, "y": 2}"#,
            r#"{"name": "a", "id": "i", "x": 1}"#, r#"{"name": "a", "ident": "i", "x": 1}"#,
            r#"{"name": "a", "x": "1"}"#, r#"{"name": "a", "x": 256}"#,
            r#"{"name": "a", "id": null}"#, r#"{"name": "a", "id": "i", "ident": "j"}"#,
            r#"{"x": 1}"#,
        ],
        FlattenStructThenMap => [
            r#"{"name": "a", "host": "h", "port": 1}"#,
            r#"{"name": "a", "host": "h", "p": 1, "debug": true}"#,
            r#"{"name": "a", "host": "h", "port": 1, "debug": 1}"#,
            r#"{"name": "a", "host": "h", "port": 1, "p": 2}"#,
            r#"{"name": "a", "host": "h"}"#,
        ],
        FlattenIntMap => [
            r#"{"name": "a"}"#, r#"{"name": "a", "80": "http"}"#, r#"{"name": "a", "x": "y"}"#,
        ],
        FlattenNested => [
            r#"{"id": 1, "level": 2, "host": "h", "port": 3}"#,
            r#"{"id": 1, "level": 2, "host": "h"}"#,
            r#"{"id": 1, "level": 2, "host": "h", "port": 3, "more": 4}"#,
            r#"{"id": 1, "host": "h", "port": 3}"#,
        ],
        FlattenTagged => [
            r#"{"name": "a", "type": "Unit"}"#, r#"{"name": "a", "type": "Struct", "a": 1}"#,
            r#"{"name": "a", "type": "Struct"}"#, r#"{"name": "a"}"#,
            r#"{"name": "a", "type": "Newtype", "host": "h", "port": 1}"#,
            r#"{"name": "a", "type": "StrictNewtype", "host": "h", "port": 1}"#,
            r#"{"name": "a", "type": "Map", "k": 1}"#,
            r#"{"name": "a", "type": "Nope"}"#,
        ],
        FlattenTaggedStrict => [
            r#"{"name": "a", "kind": "Struct", "x": 1}"#,
            r#"{"name": "a", "kind": "Struct", "x": 1, "y": 2}"#,
            r#"{"name": "a", "kind": "Unit", "y": 2}"#, r#"{"kind": "Struct", "x": 1}"#,
            r#"{"name": "a", "kind": "Struct"}"#,
        ],
        FlattenMaps => [
            r#"{"name": "a"}"#, r#"{"name": "a", "red": 1, "navy": 2}"#,
            r#"{"name": "a", "red": 256}"#, r#"{"name": "a", "purple": 1}"#,
            r#"{"name": "a", "invisible": 1}"#,
        ],
        FlattenDeny => [
            r#"{"name": "a", "host": "h", "port": 1}"#,
            r#"{"name": "a", "host": "h", "port": 1, "extra": 1}"#,
            r#"{"name": "a", "host": "h"}"#,
        ],
        Transparents => [
            r#"{"port": 1, "wrapped": 2, "meters": 1.5, "label": "l"}"#,
            r#"{"port": 65536, "wrapped": 2, "meters": 1.5, "label": "l"}"#,
            r#"{"port": 1, "wrapped": -1, "meters": 1.5, "label": "l"}"#,
            r#"{"port": {"value": 1}, "wrapped": 2, "meters": 1.5, "label": "l"}"#,
            r#"{"port": 1, "wrapped": [2], "meters": 1.5, "label": "l"}"#,
            r#"{"port": 1, "wrapped": 2, "meters": "1.5", "label": "l"}"#,
            r#"{"port": 1, "wrapped": 2, "meters": 1, "label": {"text": "l"}}"#,
        ],
        HiddenOptions => [
            r#"{"name": "a"}"#, r#"{"name": "a", "maybe": null, "level": null, "never": null}"#,
            r#"{"name": "a", "maybe": 80, "level": 3}"#, r#"{"name": "a", "maybe": 65536}"#,
            r#"{"name": "a", "level": "x"}"#, r#"{"name": "a", "never": "x"}"#,
            r#"{"name": "a", "never": {}}"#, r#"{"maybe": 80}"#,
        ],
        Froms => [
            r#"{"percent": 50}"#, r#"{"percent": 256}"#, r#"{"percent": {"value": 50}}"#,
            r#"{"percent": null}"#,
        ],
        Nested => [
            r#"{"primary": {"host": "h", "port": 1}, "replicas": [], "by_name": {}}"#,
            r#"{"primary": {"host": "h", "port": 1}, "replicas": [{"host": "r", "port": 2}], "by_name": {"a": {"host": "x", "port": 3}}}"#,
            r#"{"primary": {"host": "h", "port": 1}, "replicas": [{"host": "r"}], "by_name": {}}"#,
            r#"{"primary": {"host": "h", "port": 1}, "replicas": [], "by_name": {"a": 1}}"#,
            r#"{"primary": {"host": "h", "port": 1, "x": 0}, "replicas": [], "by_name": {}}"#,
            r#"{"primary": ["h", 1], "replicas": [], "by_name": {}}"#,
        ],
        Recursive => [
            r#"{"root": {"value": 1, "next": null}}"#,
            r#"{"root": {"value": 1, "children": [{"value": 2, "next": {"value": 3}}]}}"#,
            r#"{"root": {"value": 1, "next": {"value": 2, "next": {"value": 256}}}}"#,
            r#"{"root": {"value": 1, "children": [{"next": null}]}}"#,
            r#"{"root": {"value": 1, "children": {}}}"#,
        ],
        Expressions => [
            r#"{"expr": {"lit": 1}}"#, r#"{"expr": {"add": [{"lit": 1}, {"neg": {"lit": 2}}]}}"#,
            r#"{"expr": {"neg": {"neg": {"lit": -2147483648}}}}"#,
            r#"{"expr": {"neg": {"lit": 2147483648}}}"#, r#"{"expr": {"add": [{"lit": 1}]}}"#,
            r#"{"expr": {"Lit": 1}}"#, r#"{"expr": "lit"}"#,
        ],
        ModulePaths => [
            r#"{"first": {"a": 1}, "second": {"b": "x"}, "holder": {"item": {"a": 2}, "other": {"b": "y"}}}"#,
            r#"{"first": {"b": "x"}, "second": {"b": "x"}, "holder": {"item": {"a": 2}, "other": {"b": "y"}}}"#,
            r#"{"first": {"a": 1}, "second": {"a": 1}, "holder": {"item": {"a": 2}, "other": {"b": "y"}}}"#,
            r#"{"first": {"a": 1}, "second": {"b": "x"}, "holder": {"item": {"b": "z"}, "other": {"b": "y"}}}"#,
            r#"{"first": {"a": 1}, "second": {"b": "x"}, "holder": {"item": {"a": 2}, "other": {"a": 3}}}"#,
        ],
        Externals => [
            r#"{"e": "Unit"}"#, r#"{"e": {"Unit": null}}"#, r#"{"e": {"Unit": 1}}"#,
            r#"{"e": {"Unit": []}}"#, r#"{"e": {"Unit": {}}}"#, r#"{"e": "Newtype"}"#,
            r#"{"e": {"Newtype": 1}}"#, r#"{"e": {"Newtype": 256}}"#,
            r#"{"e": {"Newtype": null}}"#, r#"{"e": {"Tuple": [1, "a"]}}"#,
            r#"{"e": {"Tuple": [1]}}"#, r#"{"e": {"Tuple": [1, "a", 2]}}"#,
            r#"{"e": {"Tuple": []}}"#, r#"{"e": "Tuple"}"#, r#"{"e": {"Struct": {"a": 1}}}"#,
            r#"{"e": {"Struct": {"a": 1, "b": true, "c": 0}}}"#, r#"{"e": {"Struct": {}}}"#,
            r#"{"e": {"Struct": [1]}}"#, r#"{"e": {"Struct": [1, true]}}"#,
            r#"{"e": {"Struct": null}}"#, r#"{"e": "renamed"}"#, r#"{"e": "alt"}"#,
            r#"{"e": {"alt": null}}"#, r#"{"e": "Renamed"}"#, r#"{"e": "Skipped"}"#,
            r#"{"e": {"Skipped": null}}"#, r#"{"e": {"Strict": {"host": "h", "port": 1}}}"#,
            r#"{"e": {"Strict": {"host": "h", "port": 1, "x": 1}}}"#,
            r#"{"e": {"Partial": [1]}}"#, r#"{"e": {"Partial": [1, 2]}}"#,
            r#"{"e": {"Partial": [1, 2, 3]}}"#, r#"{"e": {"Partial": []}}"#,
            r#"{"e": {"Partial": 1}}"#,
            r#"{"e": {"Unit": null, "Newtype": 1}}"#, r#"{"e": {}}"#, r#"{"e": "Nope"}"#,
            r#"{"e": {"Nope": null}}"#, r#"{"e": 0}"#, r#"{"e": null}"#, r#"{"e": ["Unit"]}"#,
        ],
        Internals => [
            r#"{"e": {"type": "Unit"}}"#, r#"{"e": {"type": "Unit", "x": 1}}"#,
            r#"{"e": {"type": "Struct", "a": 1}}"#, r#"{"e": {"a": 1, "type": "Struct"}}"#,
            r#"{"e": {"type": "Struct", "a": 1, "b": 2}}"#, r#"{"e": {"type": "Struct"}}"#,
            r#"{"e": {"type": "Struct", "a": 256}}"#,
            r#"{"e": {"type": "Newtype", "host": "h", "port": 1}}"#,
            r#"{"e": {"type": "Newtype", "host": "h"}}"#,
            r#"{"e": {"type": "StrictNewtype", "host": "h", "port": 1}}"#,
            r#"{"e": {"type": "StrictNewtype", "host": "h", "port": 1, "x": 1}}"#,
            r#"{"e": {"type": "Map"}}"#, r#"{"e": {"type": "Map", "a": 1, "b": 2}}"#,
            r#"{"e": {"type": "Map", "a": "x"}}"#, r#"{"e": {"type": "other-name"}}"#,
            r#"{"e": {"type": "alias-name", "x": 1}}"#, r#"{"e": {"type": "Renamed"}}"#,
            r#"{"e": {"type": "Nope"}}"#, r#"{"e": {"type": 1}}"#, r#"{"e": {"type": null}}"#,
            r#"{"e": {"a": 1}}"#, r#"{"e": "Unit"}"#, r#"{"e": {"Unit": null}}"#,
            r#"{"e": ["Struct", 1]}"#, r#"{"e": ["Unit"]}"#, r#"{"e": null}"#,
        ],
        InternalsStrict => [
            r#"{"e": {"kind": "Unit"}}"#, r#"{"e": {"kind": "Unit", "x": 1}}"#,
            r#"{"e": {"kind": "Struct", "x": 1}}"#, r#"{"e": {"kind": "Struct", "x": 1, "y": 2}}"#,
            r#"{"e": {"kind": "Struct"}}"#,
        ],
        Adjacents => [
            r#"{"e": {"t": "Unit"}}"#, r#"{"e": {"t": "Unit", "c": null}}"#,
            r#"{"e": {"t": "Unit", "c": 1}}"#, r#"{"e": {"t": "Newtype", "c": 1}}"#,
            r#"{"e": {"c": 1, "t": "Newtype"}}"#, r#"{"e": {"t": "Newtype"}}"#,
            r#"{"e": {"t": "Newtype", "c": null}}"#, r#"{"e": {"t": "Newtype", "c": 256}}"#,
            r#"{"e": {"t": "Optional"}}"#, r#"{"e": {"t": "Optional", "c": null}}"#,
            r#"{"e": {"t": "Optional", "c": 3}}"#, r#"{"e": {"t": "Tuple", "c": [1, 2]}}"#,
            r#"{"e": {"t": "Tuple", "c": [1]}}"#, r#"{"e": {"t": "Struct", "c": {"a": 1}}}"#,
            r#"{"e": {"t": "Struct", "c": [1]}}"#, r#"{"e": {"t": "Struct", "c": {}}}"#,
            r#"{"e": {"t": "Newtype", "c": 1, "x": 0}}"#, r#"{"e": {"t": "Nope", "c": 1}}"#,
            r#"{"e": {"c": 1}}"#, r#"{"e": {}}"#, r#"{"e": ["Newtype", 1]}"#,
            r#"{"e": "Unit"}"#, r#"{"e": {"t": 0, "c": 1}}"#,
        ],
        AdjacentsStrict => [
            r#"{"e": {"t": "Unit"}}"#, r#"{"e": {"t": "Newtype", "c": 1}}"#,
            r#"{"e": {"t": "Newtype", "c": 1, "x": 0}}"#, r#"{"e": {"t": "Unit", "x": 0}}"#,
        ],
        Untaggeds => [
            r#"{"e": 1}"#, r#"{"e": 256}"#, r#"{"e": -1}"#, r#"{"e": "x"}"#, r#"{"e": [1, 2]}"#,
            r#"{"e": [1, 2, 3]}"#, r#"{"e": [1]}"#, r#"{"e": {"a": 1}}"#,
            r#"{"e": {"a": 1, "b": 2}}"#, r#"{"e": {"a": "x"}}"#, r#"{"e": {}}"#,
            r#"{"e": null}"#, r#"{"e": true}"#, r#"{"e": 1.5}"#, r#"{"e": []}"#,
        ],
        PartlyUntaggeds => [
            r#"{"e": "fixed"}"#, r#"{"e": {"sized": 1}}"#, r#"{"e": "anything"}"#,
            r#"{"e": "sized"}"#, r#"{"e": {"sized": "x"}}"#, r#"{"e": {"sized": 256}}"#,
            r#"{"e": [true, false]}"#, r#"{"e": [true]}"#, r#"{"e": 5}"#, r#"{"e": null}"#,
            r#"{"e": {"fixed": null}}"#, r#"{"e": {"other": 1}}"#,
        ],
        Others => [
            r#"{"internal": {"type": "Known", "x": 1}, "adjacent": {"t": "Known", "c": 1}}"#,
            r#"{"internal": {"type": "Whatever"}, "adjacent": {"t": "Whatever"}}"#,
            r#"{"internal": {"type": "Unknown"}, "adjacent": {"t": "Unknown"}}"#,
            r#"{"internal": {"type": "Known"}, "adjacent": {"t": "Known", "c": 1}}"#,
            r#"{"internal": {"type": "Z", "y": 1}, "adjacent": {"t": "Z", "c": null}}"#,
            r#"{"internal": {"type": "Known", "x": 1}, "adjacent": {"t": "Z", "c": 5}}"#,
            r#"{"internal": {"type": 5}, "adjacent": {"t": "Known", "c": 1}}"#,
            r#"{"internal": {"x": 1}, "adjacent": {"t": "Known", "c": 1}}"#,
            r#"{"internal": {"type": "Known", "x": 1}, "adjacent": {"t": 5}}"#,
        ],
        StrictEnums => [
            r#"{"external": "Unit", "untagged": {"a": 1}}"#,
            r#"{"external": {"Struct": {"a": 1}}, "untagged": {"b": 1}}"#,
            r#"{"external": {"Struct": {"a": 1, "b": 2}}, "untagged": {"a": 1}}"#,
            r#"{"external": "Unit", "untagged": {"a": 1, "b": 2}}"#,
            r#"{"external": "Unit", "untagged": {"a": 1, "c": 2}}"#,
        ],
        ExternalOthers => [
            r#"{"e": {"known": 1}}"#, r#"{"e": "fallback"}"#, r#"{"e": "anything"}"#,
            r#"{"e": {"anything": null}}"#, r#"{"e": {"anything": 1}}"#, r#"{"e": "known"}"#,
            r#"{"e": {"known": "x"}}"#, r#"{"e": {}}"#, r#"{"e": 1}"#,
        ],
        FieldRenames => [
            r#"{"shape": {"circle": {"radiusLen": 1}}}"#,
            r#"{"shape": {"rect": {"side-a": 1, "side-b": 2}}}"#,
            r#"{"shape": {"circle": {"radius_len": 1}}}"#,
            r#"{"shape": {"rect": {"sideA": 1, "sideB": 2}}}"#,
            r#"{"shape": {"Circle": {"radiusLen": 1}}}"#,
        ],
        Custom => [
            r#"{"code": "ABC", "byte": "ff", "length": null, "maybe": 1}"#,
            r#"{"code": "ABC", "byte": "0A", "length": [1, {"x": 2}], "maybe": null}"#,
            r#"{"code": "abc", "byte": "ff", "length": 1, "maybe": 1}"#,
            r#"{"code": "", "byte": "ff", "length": 1, "maybe": 1}"#,
            r#"{"code": "ABC", "byte": "fff", "length": 1, "maybe": 1}"#,
            r#"{"code": "ABC", "byte": "zz", "length": 1, "maybe": 1}"#,
            r#"{"code": "ABC", "byte": 255, "length": 1, "maybe": 1}"#,
            r#"{"code": "ABC", "byte": "ff", "maybe": 1}"#,
            r#"{"code": "ABC", "byte": "ff", "length": 1}"#,
            r#"{"code": "ABC", "byte": "ff", "length": 1, "maybe": 256}"#,
        ],
        SerializeOnly => [r#"{"word": "hi"}"#, r#"{"word": 1}"#, "{}"],
        HandWritten => [
            r#"{"columns": ["cpu", "MEM", "Pid"], "opaque": 1}"#,
            r#"{"columns": ["CPU%", "cpu%"], "sort": "pid", "opaque": {"a": [1]}}"#,
            r#"{"columns": [], "sort": null, "opaque": null}"#,
            r#"{"columns": ["Cpu"], "sort": "mEm", "opaque": "x"}"#,
            r#"{"columns": ["disk"], "opaque": 1}"#,
            r#"{"columns": ["cpu%%"], "opaque": 1}"#,
            r#"{"columns": ["mem%"], "opaque": 1}"#,
            r#"{"columns": [" cpu"], "opaque": 1}"#,
            r#"{"columns": [""], "opaque": 1}"#,
            r#"{"columns": [1], "opaque": 1}"#,
            r#"{"columns": "cpu", "opaque": 1}"#,
            r#"{"columns": [{"Cpu": null}], "opaque": 1}"#,
            r#"{"columns": ["cpu"], "sort": "Disk", "opaque": 1}"#,
            r#"{"columns": ["cpu"]}"#,
            r#"{"opaque": 1}"#,
        ],
        FromAnotherCrate => [
            r#"{"bounds": {"max": 10, "level": "low"}, "levels": ["high"]}"#,
            r#"{"bounds": {"max": 65535, "min": 0, "level": "high"}, "levels": []}"#,
            r#"{"bounds": {"max": 10, "min": null, "level": "low"}, "levels": ["low", "high"]}"#,
            r#"{"bounds": {"max": 65536, "level": "low"}, "levels": []}"#,
            r#"{"bounds": {"max": 10, "min": 256, "level": "low"}, "levels": []}"#,
            r#"{"bounds": {"max": 10, "level": "Low"}, "levels": []}"#,
            r#"{"bounds": {"max": 10, "level": "low", "extra": 1}, "levels": []}"#,
            r#"{"bounds": {"level": "low"}, "levels": []}"#,
            r#"{"bounds": {"max": 10, "level": "low"}, "levels": ["medium"]}"#,
            r#"{"bounds": {"max": 10, "level": "low"}}"#,
        ],
        RenamedImports => [
            r#"{"pace": "slow"}"#, r#"{"pace": "very_fast", "other": "slow"}"#,
            r#"{"pace": "slow", "other": null}"#, r#"{"pace": "VeryFast"}"#,
            r#"{"pace": "fast"}"#, r#"{"pace": {"slow": null}}"#, r#"{"other": "slow"}"#,
            r#"{"pace": "slow", "other": "Slow"}"#,
        ],
        Generics => [
            r#"{"ports": {"low": 1, "high": 2}, "names": {"low": "a", "high": "b"}, "steps": []}"#,
            r#"{"ports": {"low": 0, "high": 65535}, "names": {"low": "", "high": ""}, "steps": [{"low": -128, "high": 127}]}"#,
            r#"{"ports": {"low": 1, "high": 65536}, "names": {"low": "a", "high": "b"}, "steps": []}"#,
            r#"{"ports": {"low": "1", "high": 2}, "names": {"low": "a", "high": "b"}, "steps": []}"#,
            r#"{"ports": {"low": 1, "high": 2}, "names": {"low": 1, "high": "b"}, "steps": []}"#,
            r#"{"ports": {"low": 1, "high": 2}, "names": {"low": "a", "high": "b"}, "steps": [{"low": -129, "high": 0}]}"#,
            r#"{"ports": {"low": 1}, "names": {"low": "a", "high": "b"}, "steps": []}"#,
            r#"{"ports": {"low": 1, "high": 2}, "names": {"low": "a", "high": "b"}}"#,
        ],
        NestedEscapes => [
            r#"{"tags": [{"code": "AB", "count": 1}]}"#, r#"{"tags": []}"#,
            r#"{"tags": [{"code": "ab", "count": 1}]}"#, r#"{"tags": [{"code": "", "count": 1}]}"#,
            r#"{"tags": [{"code": "AB", "count": 256}]}"#, r#"{"tags": [{"code": 1, "count": 1}]}"#,
            r#"{"tags": [{"count": 1}]}"#, r#"{"tags": [{"code": "A1", "count": 1}]}"#,
        ],
    }
}

/// Each config's schema, by type name, and the problems found, rendered as text. The schemas
/// come from the same pipeline the build script runs, with `cases.rs` as a target's root.
fn generate() -> (BTreeMap<String, Value>, Vec<String>) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = harmony_codegen::generate::target(manifest, &manifest.join(CASES_FILE));
    let problems: Vec<String> = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    let schemas = generated
        .configs
        .into_iter()
        .map(|config| {
            (
                config
                    .type_path
                    .rsplit("::")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                config.schema,
            )
        })
        .collect();
    (schemas, problems)
}

/// The one `jsonschema` verdict, with its first error for the report.
fn schema_verdict(validator: &jsonschema::Validator, instance: &Value) -> Result<(), String> {
    validator.validate(instance).map_err(|error| {
        let path = error.instance_path().to_string();
        format!("{path}: {error}")
    })
}

fn known_reason(name: &str, instance: &str) -> Option<&'static str> {
    KNOWN_LIMITATIONS.iter().find_map(|known| {
        known
            .cases
            .iter()
            .any(|&(ty, text)| ty == name && text == instance)
            .then_some(known.reason)
    })
}

/// A percentage with one decimal, rounded, without floats.
fn percent(part: usize, total: usize) -> String {
    let tenths = (part * 2000 / total.max(1)).div_ceil(2);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// What comparing the verdicts found, over every case.
#[derive(Default)]
struct Tally {
    total: usize,
    agreed: usize,
    schemars_agreed: usize,
    /// The known limitations met, as `(type, instance)`.
    known_seen: Vec<(&'static str, String)>,
    known: String,
    unexpected: String,
    /// One line per case: instances, agreed, schemars agreed.
    rows: Vec<String>,
}

impl Tally {
    /// Tries every instance of `case` on serde, on `schema` and on schemars' schema.
    fn check(&mut self, case: &Case, schema: &Value) {
        let ours = jsonschema::draft202012::new(schema).unwrap();
        let theirs = jsonschema::draft202012::new(&case.schemars).unwrap();
        let (mut agreed, mut schemars_agreed) = (0, 0);
        for text in &case.instances {
            let instance: Value = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("{}: bad instance {text}: {e}", case.name));
            let serde = (case.serde)(instance.clone());
            let schema = schema_verdict(&ours, &instance);
            if theirs.is_valid(&instance) == serde.is_ok() {
                schemars_agreed += 1;
            }
            if schema.is_ok() == serde.is_ok() {
                agreed += 1;
                continue;
            }
            let compact = instance.to_string();
            let verdict = |result: &Result<(), String>| {
                result
                    .as_ref()
                    .map_or_else(|e| format!("rejects: {e}"), |()| "accepts".to_owned())
            };
            let line = format!(
                "  {} {compact}\n    serde: {}\n    schema: {}\n",
                case.name,
                verdict(&serde),
                verdict(&schema),
            );
            if let Some(reason) = known_reason(case.name, &compact) {
                writeln!(self.known, "{line}    known: {reason}").unwrap();
                self.known_seen.push((case.name, compact));
            } else {
                self.unexpected.push_str(&line);
            }
        }
        self.rows.push(format!(
            "{:<22} {:>9} {:>9} {:>9}",
            case.name,
            case.instances.len(),
            agreed,
            schemars_agreed
        ));
        self.total += case.instances.len();
        self.agreed += agreed;
        self.schemars_agreed += schemars_agreed;
    }
}

/// Every case checked against its schema.
fn measure() -> (Vec<Case>, Tally) {
    let cases = all_cases();
    let (schemas, _) = generate();
    // `FIDELITY_SCHEMAS=path` keeps the schemas, to read them while fixing a disagreement.
    if let Some(path) = std::env::var_os("FIDELITY_SCHEMAS") {
        std::fs::write(path, serde_json::to_string_pretty(&schemas).unwrap()).unwrap();
    }
    let mut tally = Tally::default();
    for case in &cases {
        let schema = schemas
            .get(case.name)
            .unwrap_or_else(|| panic!("{} is not a config in cases.rs", case.name));
        tally.check(case, schema);
    }
    (cases, tally)
}

/// What the README's fidelity paragraph says, from the figures measured now: the suite's
/// size, the agreement, schemars' for comparison, and every build warning.
fn report(cases: &[Case], tally: &Tally, warnings: &[String]) -> String {
    let Tally {
        total,
        agreed,
        schemars_agreed,
        ..
    } = *tally;
    let mut out = format!(
        "`runtime/tests/fidelity.rs` holds {} structs and enums, {} of them configs, and {total} JSON instances. Agreement: {agreed} of {total} ({}); schemars 1.x, on the same instances, agrees on {schemars_agreed} ({}). The build warns at {} places, each where the schema accepts any value or the generator had to choose:",
        count_all_types(),
        cases.len(),
        percent(agreed, total),
        percent(schemars_agreed, total),
        warnings.len(),
    );
    for warning in warnings {
        write!(out, "\n- {warning}").unwrap();
    }
    out
}

/// A warning as the README lists it: the place, then what it says up to the fix.
fn short_warning(problem: &harmony_codegen::schema::Problem) -> String {
    let file = problem.file.file_name().unwrap().to_string_lossy();
    let what = ["; ", ". ", ", which", " ("]
        .iter()
        .fold(problem.message.as_str(), |text, end| {
            text.split(end).next().unwrap_or_default()
        });
    format!("`{file}:{}`: {what}", problem.line)
}

fn warnings() -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    harmony_codegen::generate::target(manifest, &manifest.join(CASES_FILE))
        .diagnostics
        .iter()
        .map(short_warning)
        .collect()
}

#[test]
fn schema_agrees_with_serde() {
    let (cases, tally) = measure();
    println!(
        "{:<22} {:>9} {:>9} {:>9}",
        "type", "instances", "agree", "schemars"
    );
    for row in &tally.rows {
        println!("{row}");
    }
    println!("\n{}", report(&cases, &tally, &warnings()));
    println!("\nknown limitations met:\n{}", tally.known);
    assert!(
        tally.unexpected.is_empty(),
        "disagreements with serde:\n{}",
        tally.unexpected
    );
    // The suite only grows: deleting cases or instances fails here. Raise the floors with it.
    assert!(
        cases.len() >= MIN_CONFIGS && tally.total >= MIN_INSTANCES,
        "the suite shrank: {} config types and {} instances, below the floor of {MIN_CONFIGS} and {MIN_INSTANCES}",
        cases.len(),
        tally.total
    );

    // A listed limitation that no longer disagrees is stale: remove it.
    let stale: Vec<(&str, &str)> = KNOWN_LIMITATIONS
        .iter()
        .flat_map(|known| known.cases.iter().copied())
        .filter(|&(ty, text)| !tally.known_seen.iter().any(|(t, c)| *t == ty && c == text))
        .collect();
    assert!(
        stale.is_empty(),
        "known limitations that no longer occur: {stale:?}"
    );
}

/// The README states the figures this suite measures, never a number copied by hand.
#[test]
fn the_readme_reports_the_measured_figures() {
    let (cases, tally) = measure();
    let expected = report(&cases, &tally, &warnings());
    let readme = include_str!("../../README.md");
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat(readme).contains(&flat(&expected)),
        "README.md's fidelity paragraph is out of date; it should say:\n\n{expected}"
    );
}

#[test]
fn schemas_are_byte_identical_across_runs() {
    let first = serde_json::to_string_pretty(&generate().0).unwrap();
    let second = serde_json::to_string_pretty(&generate().0).unwrap();
    assert_eq!(first, second);
}

#[test]
fn schemas_are_valid_draft_2020_12() {
    for (name, schema) in generate().0 {
        if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("the schema of {name} is not valid 2020-12: {error}");
        }
    }
}

/// Warnings are expected only where the schema has to give up: code-decided fields without
/// an escape hatch, and `deny_unknown_fields` next to `flatten`.
#[test]
fn emitter_warns_only_where_expected() {
    let (_, problems) = generate();
    for problem in &problems {
        println!("{problem}");
    }
    let expected = [
        ("warning: ", "`deny_unknown_fields` with `flatten`"),
        ("warning: ", "`with` or `deserialize_with`"),
        (
            "warning: ",
            "`Opaque` has a hand-written `impl Deserialize`",
        ),
    ];
    let unexpected: Vec<&String> = problems
        .iter()
        .filter(|p| {
            !expected
                .iter()
                .any(|(head, text)| p.starts_with(head) && p.contains(text))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected problems: {unexpected:#?}"
    );
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

/// Fields that schemars marks `writeOnly` because serde never writes them
/// (`skip_serializing`): the typed path masks them too, which hides nothing it should show.
const WRITE_ONLY_BY_SCHEMARS: &[(&str, &str)] = &[("Skips", "write_only")];

/// What an application's typed `get_or_prompt` masks (schemars' schema and the derive's
/// `SECRET_FIELDS`) covers what `cargo harmony` masks (the generated schema), and the reverse.
#[test]
fn typed_and_generated_secrets_agree() {
    use harmony_config::redact::is_secret_path;
    use harmony_config::schema::secret_paths;

    let (schemas, _) = generate();
    let mut compared = 0;
    for case in all_cases() {
        let generated = secret_paths(&schemas[case.name]);
        let mut typed = secret_paths(&case.schemars);
        typed.extend(case.secret_fields.iter().map(|f| (*f).to_owned()));
        let typed_refs: Vec<&str> = typed.iter().map(String::as_str).collect();
        let generated_refs: Vec<&str> = generated.iter().map(String::as_str).collect();
        for path in &generated {
            assert!(
                is_secret_path(path, &typed_refs),
                "{}: `{path}` is secret in the generated schema only ({typed:?})",
                case.name
            );
        }
        for path in &typed {
            if WRITE_ONLY_BY_SCHEMARS.contains(&(case.name, path.as_str())) {
                continue;
            }
            assert!(
                is_secret_path(path, &generated_refs),
                "{}: `{path}` is secret to the typed path only ({generated:?})",
                case.name
            );
        }
        compared += generated.len();
    }
    assert!(compared >= 10, "only {compared} secret paths compared");
}

/// Every config in cases.rs has instances, and the suite is as large as issue 3 asks.
#[test]
fn every_config_has_instances() {
    let cases = all_cases();
    let named: Vec<&str> = cases.iter().map(|c| c.name).collect();
    let (schemas, _) = generate();
    let missing: Vec<&String> = schemas
        .keys()
        .filter(|k| !named.contains(&k.as_str()))
        .collect();
    assert!(missing.is_empty(), "configs without instances: {missing:?}");
    let types = count_all_types();
    println!("{types} structs and enums, {} of them configs", cases.len());
    assert!(
        types >= MIN_TYPES,
        "only {types} structs and enums, below {MIN_TYPES}"
    );
}

/// The structs and enums of cases.rs.
fn count_all_types() -> usize {
    syn::parse_file(include_str!("fidelity/cases.rs"))
        .unwrap()
        .items
        .iter()
        .map(count_types)
        .sum()
}

/// The structs and enums an item defines, counting inline modules.
fn count_types(item: &syn::Item) -> usize {
    match item {
        syn::Item::Struct(_) | syn::Item::Enum(_) => 1,
        syn::Item::Mod(module) => module
            .content
            .as_ref()
            .map_or(0, |(_, items)| items.iter().map(count_types).sum()),
        _ => 0,
    }
}

// ---- fuzzing: what serde writes, the schema accepts --------------------------------------

/// A case with its schema compiled and its instances parsed, made once for every fuzz case.
struct Compiled {
    case: Case,
    validator: jsonschema::Validator,
    instances: Vec<Value>,
    /// Every object key in the instances, to add to mutated values.
    keys: Vec<String>,
}

fn compiled() -> &'static [Compiled] {
    static COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let (schemas, _) = generate();
        all_cases()
            .into_iter()
            .map(|case| {
                let validator = jsonschema::draft202012::new(&schemas[case.name]).unwrap();
                let instances: Vec<Value> = case
                    .instances
                    .iter()
                    .map(|text| serde_json::from_str(text).unwrap())
                    .collect();
                let mut keys = Vec::new();
                for instance in &instances {
                    for place in places(instance) {
                        if let Some(Value::Object(map)) = instance.pointer(&place) {
                            keys.extend(map.keys().cloned());
                        }
                    }
                }
                keys.sort();
                keys.dedup();
                Compiled {
                    case,
                    validator,
                    instances,
                    keys,
                }
            })
            .collect()
    })
}

/// The JSON pointer of every value inside `value`, itself first.
fn places(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: &str, out: &mut Vec<String>) {
        out.push(at.to_owned());
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), out);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    walk(item, &format!("{at}/{escaped}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}

/// One change to an instance; each `Index` picks a place, an instance or a key.
#[derive(Debug, Clone)]
enum Edit {
    /// Puts a small value at a place.
    Replace(Index, Value),
    /// Puts a value from another instance of the same case at a place.
    Graft(Index, Index, Index),
    /// Removes a place from its object or array.
    Remove(Index),
    /// Adds a key that some instance uses, or any key, to an object.
    Insert(Index, Option<Index>, Value),
}

fn small_value() -> impl Strategy<Value = Value> {
    let values = [
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(1),
        json!(-1),
        json!(255),
        json!(256),
        json!(-129),
        json!(65536),
        json!(1.5),
        json!(1e40),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!("a"),
        json!("1"),
        json!("127.0.0.1"),
        json!("http://x"),
        json!([]),
        json!([1]),
        json!({}),
    ];
    proptest::sample::select(values.to_vec())
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), small_value()).prop_map(|(at, v)| Edit::Replace(at, v)),
        3 => any::<(Index, Index, Index)>().prop_map(|(at, from, place)| Edit::Graft(at, from, place)),
        1 => any::<Index>().prop_map(Edit::Remove),
        2 => (any::<Index>(), proptest::option::of(any::<Index>()), small_value())
            .prop_map(|(at, key, v)| Edit::Insert(at, key, v)),
    ]
}

fn apply(value: &mut Value, edit: &Edit, compiled: &Compiled) {
    let pick = |value: &Value, at: &Index| {
        let places = places(value);
        places[at.index(places.len())].clone()
    };
    match edit {
        Edit::Replace(at, new) => {
            let place = pick(value, at);
            *value.pointer_mut(&place).unwrap() = new.clone();
        }
        Edit::Graft(at, from, donor_place) => {
            let donor = &compiled.instances[from.index(compiled.instances.len())];
            let new = donor.pointer(&pick(donor, donor_place)).unwrap().clone();
            let place = pick(value, at);
            *value.pointer_mut(&place).unwrap() = new;
        }
        Edit::Remove(at) => {
            let place = pick(value, at);
            if let Some((parent, last)) = place.rsplit_once('/') {
                match value.pointer_mut(parent).unwrap() {
                    Value::Object(map) => {
                        map.remove(&last.replace("~1", "/").replace("~0", "~"));
                    }
                    Value::Array(items) => {
                        items.remove(last.parse::<usize>().unwrap());
                    }
                    _ => {}
                }
            }
        }
        Edit::Insert(at, key, new) => {
            let place = pick(value, at);
            if let Value::Object(map) = value.pointer_mut(&place).unwrap() {
                let key = match key {
                    Some(key) if !compiled.keys.is_empty() => {
                        compiled.keys[key.index(compiled.keys.len())].clone()
                    }
                    _ => "unknown".to_owned(),
                };
                map.insert(key, new.clone());
            }
        }
    }
}

/// When serde reads `value`, and reads back what it then writes, the schema accepts what it
/// wrote: a value a program saved is never refused by its own schema.
fn check_rewrite(compiled: &Compiled, value: &Value) -> Result<bool, TestCaseError> {
    let Ok(written) = (compiled.case.rewrite)(value.clone()) else {
        return Ok(false);
    };
    if (compiled.case.serde)(written.clone()).is_err() {
        return Ok(false);
    }
    let verdict = schema_verdict(&compiled.validator, &written);
    prop_assert!(
        verdict.is_ok(),
        "{}: serde read {value} and wrote {written}, which the schema rejects: {:?}",
        compiled.case.name,
        verdict
    );
    Ok(true)
}

#[test]
fn what_serde_writes_for_each_instance_validates() {
    let mut rewritten = Vec::new();
    for compiled in compiled() {
        let mut any = false;
        for instance in &compiled.instances {
            any |= check_rewrite(compiled, instance).unwrap();
        }
        if any {
            rewritten.push(compiled.case.name);
        }
    }
    // Nearly every case has an instance serde reads back, so the property below has teeth.
    assert!(
        rewritten.len() * 10 >= compiled().len() * 9,
        "only {} of {} cases",
        rewritten.len(),
        compiled().len()
    );
}

/// The property-test configuration: `cases` cases, unless `PROPTEST_CASES` says otherwise.
fn fuzz_config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

proptest! {
    #![proptest_config(fuzz_config(8192))]

    /// Mutated instances: validating them never panics, and when serde reads one, what it
    /// writes back validates.
    #[test]
    fn what_serde_writes_for_mutated_instances_validates(
        case in any::<Index>(),
        base in any::<Index>(),
        edits in proptest::collection::vec(edit(), 0..4),
    ) {
        let compiled = &compiled()[case.index(compiled().len())];
        let mut value = compiled.instances[base.index(compiled.instances.len())].clone();
        for edit in &edits {
            apply(&mut value, edit, compiled);
        }
        let valid = compiled.validator.is_valid(&value);
        prop_assert_eq!(valid, schema_verdict(&compiled.validator, &value).is_ok());
        check_rewrite(compiled, &value)?;
    }
}
