//! Differential test of `schema/foreign.rs` against the real crates.
//!
//! For every type, and every JSON instance listed for it, the schema's verdict (checked with
//! the `jsonschema` crate) must equal whether `serde_json::from_value::<T>` accepts the
//! instance. A disagreement fails the test unless it is one of the [`KNOWN_LIMITATIONS`], each
//! with its reason. Every schema must also be valid draft 2020-12, every pattern valid
//! ECMA-262 (checked with `regress`, an ECMAScript engine, in Unicode mode), and the recursive
//! schemas must keep working when embedded in a larger document.
//!
//! The `time` dev-dependency has `serde-human-readable` and `large-dates`, so serde accepts the
//! union that the schemas describe.
//!
//! Run with `--nocapture` to see the agreement table.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failed step fails the test"
)]

#[path = "../src/schema/foreign.rs"]
#[allow(
    unreachable_pub,
    reason = "public in the library, private to this test"
)]
mod foreign;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use foreign::{foreign_type, with_module_leaf};

/// One type, its schema, and the instances to try on it.
struct Case {
    name: &'static str,
    schema: Value,
    /// `serde_json::from_value::<T>`, keeping only the verdict.
    serde: fn(Value) -> Result<(), String>,
    instances: Vec<Value>,
}

fn reads<T: DeserializeOwned>(value: Value) -> Result<(), String> {
    serde_json::from_value::<T>(value)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// A case for a foreign type: `name` is `krate::Name`, `T` the real type.
macro_rules! foreign {
    ($name:literal, $ty:ty, $instances:expr) => {
        foreign!($name, $ty, [], $instances)
    };
    ($name:literal, $ty:ty, $args:expr, $instances:expr) => {{
        let (krate, ty) = $name.split_once("::").unwrap();
        let ty = ty.split('<').next().unwrap();
        Case {
            name: $name,
            schema: foreign_type(krate, ty, &$args)
                .unwrap_or_else(|| panic!("{} has no schema", $name)),
            serde: reads::<$ty>,
            instances: $instances,
        }
    }};
}

/// A case for a `with` module: the field of type `$ty` in a struct reads the instance, and the
/// schema is the module's leaf inside the container shape built by `$shape`.
macro_rules! with_module {
    ($name:literal, $module:literal, $ty:ty, $shape:expr, $instances:expr) => {{
        #[derive(Deserialize)]
        #[allow(dead_code, reason = "only deserialized")]
        struct Field {
            #[serde(with = $module)]
            v: $ty,
        }
        let leaf = with_module_leaf($module).unwrap_or_else(|| panic!("{} has no leaf", $module));
        Case {
            name: $name,
            schema: ($shape)(&leaf),
            serde: |value| reads::<Field>(json!({ "v": value })),
            instances: $instances,
        }
    }};
}

fn leaf(schema: &Value) -> Value {
    schema.clone()
}

fn option(schema: &Value) -> Value {
    json!({ "anyOf": [{ "type": "null" }, schema] })
}

fn seq(schema: &Value) -> Value {
    json!({ "type": "array", "items": schema })
}

fn map(schema: &Value) -> Value {
    json!({ "type": "object", "additionalProperties": schema })
}

/// JSON values of other kinds, tried on every string type.
fn not_strings() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(1.5),
        json!([]),
        json!(["a"]),
        json!({}),
    ]
}

/// Each text as a JSON string, plus values of other kinds.
fn texts(texts: &[&str]) -> Vec<Value> {
    let mut out: Vec<Value> = texts.iter().map(|text| json!(text)).collect();
    out.extend(not_strings());
    out
}

/// Each text as a JSON string, plus the given JSON values.
fn texts_and(texts: &[&str], values: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = texts.iter().map(|text| json!(text)).collect();
    out.extend(values.iter().cloned());
    out
}

/// A disagreement that JSON Schema cannot avoid, or that we accept by design.
struct Known {
    reason: &'static str,
    /// `(case, instance)`, the instance as compact JSON.
    cases: &'static [(&'static str, &'static str)],
}

const KNOWN_LIMITATIONS: &[Known] = &[
    Known {
        reason: "JSON Schema counts 1.0 as an integer; serde's integer types refuse floats",
        cases: &[
            ("time::Date", "[2024.0,1]"),
            ("chrono::TimeDelta", "[1.0,0]"),
            ("chrono::Duration", "[1.0,0]"),
        ],
    },
    Known {
        reason: "whether a pattern compiles as a Rust regex is beyond JSON Schema",
        cases: &[
            ("serde_regex Regex", r#""(""#),
            ("serde_regex Regex", r#""a{2,1}""#),
            ("serde_regex Option<Regex>", r#""(""#),
            ("serde_regex Vec<Regex>", r#"["a","("]"#),
            ("serde_regex HashMap<String, Regex>", r#"{"k":"("}"#),
            ("serde_regex RegexSet", r#"["a","("]"#),
            ("serde_regex bytes::Regex", r#""(""#),
        ],
    },
    Known {
        reason: "the humantime_serde leaf accepts a duration and a timestamp alike, since the \
                 module's name does not say which the field holds",
        cases: &[
            ("humantime_serde Duration", r#""2024-01-02T03:04:05Z""#),
            ("humantime_serde SystemTime", r#""1h 30m""#),
            ("humantime_serde SystemTime", r#""0""#),
            (
                "humantime_serde Option<Duration>",
                r#""2024-01-02T03:04:05Z""#,
            ),
        ],
    },
    Known {
        reason: "humantime refuses numbers that overflow and fractions finer than a nanosecond \
                 of the unit; a pattern cannot do arithmetic",
        cases: &[
            ("humantime_serde Duration", r#""18446744073709551616s""#),
            ("humantime_serde Duration", r#""1.0000000001s""#),
            ("humantime_serde Duration", r#""1.001h""#),
            ("humantime_serde Duration", r#""600000000000000000years""#),
        ],
    },
    Known {
        reason: "humantime checks the end of a timestamp by byte positions; the schema counts \
                 ASCII characters",
        cases: &[("humantime_serde SystemTime", r#""2024-01-02T03:04:05Zé""#)],
    },
    Known {
        reason: "toml reads an object whose first key is its datetime marker as a datetime, and \
                 refuses it if more keys follow; JSON Schema cannot see the order of keys",
        cases: &[(
            "toml::Value",
            r#"{"$__toml_private_datetime":"1979-05-27","a":1}"#,
        )],
    },
    Known {
        reason: "serde_json reads 1e19 as a float, which toml takes; JSON Schema sees an integer \
                 beyond i64, which toml refuses",
        cases: &[("toml::Value", "1e+19")],
    },
    Known {
        reason: "chrono refuses a date-time that an offset moves out of its range in UTC; the \
                 schema checks the year as written",
        cases: &[
            ("chrono::DateTime<Utc>", r#""+262142-12-31T23:59:59-01:00""#),
            ("chrono::DateTime<Utc>", r#""-262143-01-01T00:00:00+01:00""#),
            (
                "chrono::DateTime<FixedOffset>",
                r#""+262142-12-31T23:59:59-01:00""#,
            ),
            (
                "chrono::DateTime<FixedOffset>",
                r#""-262143-01-01T00:00:00+01:00""#,
            ),
            (
                "chrono::DateTime<Local>",
                r#""+262142-12-31T23:59:59-01:00""#,
            ),
            (
                "chrono::DateTime<Local>",
                r#""-262143-01-01T00:00:00+01:00""#,
            ),
        ],
    },
];

/// The size of the suite when this floor was pinned: the test fails below it.
const MIN_INSTANCES: usize = 1302;

#[allow(clippy::too_many_lines, reason = "one entry per type")]
fn all_cases() -> Vec<Case> {
    let date_times = date_time_texts();
    vec![
        foreign!(
            "chrono::DateTime<Utc>",
            chrono::DateTime<chrono::Utc>,
            texts(&date_times)
        ),
        foreign!(
            "chrono::DateTime<FixedOffset>",
            chrono::DateTime<chrono::FixedOffset>,
            texts(&date_times)
        ),
        foreign!(
            "chrono::DateTime<Local>",
            chrono::DateTime<chrono::Local>,
            texts(&date_times)
        ),
        foreign!(
            "chrono::NaiveDateTime",
            chrono::NaiveDateTime,
            texts(&[
                "2024-01-02T03:04:05",
                "2024-01-02T03:04:05.5",
                "2024-01-02T03:04:05.1234567891",
                "2024-01-02 03:04:05",
                "2024-01-02t03:04:05",
                "2024-01-02 T 03:04:05",
                "2024-01-02\tT\u{3000}03:04:05",
                "2024-01-02T03:04",
                "2024-01-02T03:04:05Z",
                "2024-01-02T03:04:05+00:00",
                "2024-01-02T03:04:05 ",
                " 2024-01-02T03:04:05",
                "2024-02-29T00:00:00",
                "2023-02-29T00:00:00",
                "2024-1-2T3:4:5",
                "2024-01-02T03:04:60",
                "2024-01-02T03:04:60.5",
                "2024-01-02T03:04:61",
                "2024-01-02T24:00:00",
                "+12345-01-02T00:00:00",
                "12345-01-02T00:00:00",
                "2024-01-02",
                "",
            ])
        ),
        foreign!(
            "chrono::NaiveDate",
            chrono::NaiveDate,
            texts(&[
                "2024-01-02",
                "2024-1-2",
                " 2024-01-02 ",
                "2024 -01- 02",
                "\u{a0}2024-01-02\u{2028}",
                "\u{feff}2024-01-02",
                "2024-01-02\u{85}",
                "2024-02-29",
                "2023-02-29",
                "2000-02-29",
                "2100-02-29",
                "0-02-29",
                "4-2-29",
                "-4-02-29",
                "-100-02-29",
                "+400-02-29",
                "+0000400-02-29",
                "+0000100-02-29",
                "2024-02-30",
                "2024-06-31",
                "2024-07-31",
                "2024-12-31",
                "2024-00-10",
                "2024-01-00",
                "2024-01-02T00:00:00",
                "20240102",
                "2024/01/02",
                "+262142-12-31",
                "+262143-01-01",
                "-262143-01-01",
                "-262144-12-31",
                "+00262142-12-31",
                "12345-01-01",
                "999-01-01",
                "2024-011-01",
                "2024-01-011",
                "",
            ])
        ),
        foreign!(
            "chrono::NaiveTime",
            chrono::NaiveTime,
            texts(&[
                "03:04:05",
                "03:04",
                "3:4",
                "3:4:5",
                "03:04:05.123",
                "03:04:05.1234567891",
                "03:04:05.",
                "03:04:",
                "03:04 ",
                "23:59:60",
                "23:59:60.5",
                "12:30:60",
                "24:00",
                "12:60",
                "03:04:05Z",
                " 03 : 04 : 05 ",
                "030405",
                "03:04:005",
                "",
            ])
        ),
        foreign!(
            "chrono::Weekday",
            chrono::Weekday,
            texts(&[
                "Mon",
                "mon",
                "MON",
                "Monday",
                "monday",
                "MONDAY",
                "mOnDaY",
                "Mond",
                "Mo",
                "Tue",
                "Tues",
                "Tuesday",
                "wed",
                "Wednesday",
                "WEDNESDAY",
                "thu",
                "Thurs",
                "Thursday",
                "fri",
                "Friday",
                "sat",
                "Saturday",
                "sun",
                "Sunday",
                "Sundays",
                " Mon",
                "Mon ",
                "Funday",
                "1",
                "",
            ])
        ),
        foreign!(
            "chrono::Month",
            chrono::Month,
            texts(&[
                "jan",
                "January",
                "JANUARY",
                "Janu",
                "feb",
                "February",
                "mar",
                "March",
                "apr",
                "April",
                "may",
                "May",
                "MAY",
                "Mayy",
                "jun",
                "June",
                "jul",
                "July",
                "aug",
                "August",
                "sept",
                "Sep",
                "September",
                "oct",
                "October",
                "nov",
                "November",
                "dec",
                "December",
                "Decembers",
                "1",
                "",
            ])
        ),
        foreign!(
            "chrono::TimeDelta",
            chrono::TimeDelta,
            time_delta_instances()
        ),
        foreign!("chrono::Duration", chrono::Duration, time_delta_instances()),
        foreign!(
            "time::OffsetDateTime",
            time::OffsetDateTime,
            time_offset_date_times()
        ),
        foreign!(
            "time::PrimitiveDateTime",
            time::PrimitiveDateTime,
            time_primitive_date_times()
        ),
        foreign!(
            "time::UtcDateTime",
            time::UtcDateTime,
            time_primitive_date_times()
        ),
        foreign!("time::Date", time::Date, time_dates()),
        foreign!(
            "time::Time",
            time::Time,
            texts_and(
                &[
                    "03:04:05.0",
                    "03:04:05.123456789",
                    "03:04:05.12345678901234567890123456789012",
                    "03:04:05.123456789012345678901234567890123",
                    "03:04:05",
                    "03:04",
                    "3:04:05.0",
                    "23:59:59.999999999",
                    "24:00:00.0",
                    "23:60:00.0",
                    "23:59:60.0",
                    "03:04:05.0Z",
                    " 03:04:05.0",
                    "",
                ],
                &[
                    json!([3, 4, 5, 6]),
                    json!([3, 4, 5]),
                    json!([24, 0, 0, 0]),
                    json!([23, 59, 59, 999_999_999]),
                    json!([0, 0, 0, 1_000_000_000]),
                    json!([0, 0, 60, 0]),
                    json!([0, 60, 0, 0]),
                    json!([-1, 0, 0, 0]),
                    json!([0, 0, 0, 0, 0]),
                    json!(null),
                    json!(1),
                    json!({}),
                ]
            )
        ),
        foreign!(
            "time::UtcOffset",
            time::UtcOffset,
            texts_and(
                &[
                    "+00:00:00",
                    "-00:00:00",
                    "-05:30:00",
                    "+25:59:59",
                    "-25:59:59",
                    "+26:00:00",
                    "+05:60:00",
                    "+05:00:60",
                    "05:30:00",
                    "+05:30",
                    "Z",
                    "+5:30:00",
                    "",
                ],
                &[
                    json!([5]),
                    json!([5, 30]),
                    json!([5, 30, 15]),
                    json!([-25, -59, -59]),
                    json!([25, 59, 59]),
                    json!([26]),
                    json!([5, 60]),
                    json!([5, -30]),
                    json!([0, 0, 60]),
                    json!([]),
                    json!([1, 2, 3, 4]),
                    json!([128]),
                    json!(null),
                    json!(5),
                ]
            )
        ),
        foreign!(
            "time::Duration",
            time::Duration,
            texts_and(
                &[
                    "1.5",
                    "1.000000000",
                    "-1.5",
                    "+1.5",
                    "-0.5",
                    "0.0",
                    "1",
                    "1.",
                    ".5",
                    "1.5s",
                    "1.5.5",
                    "9223372036854775807.999999999",
                    "9223372036854775808.0",
                    "-9223372036854775808.0",
                    "-9223372036854775809.0",
                    "0009223372036854775807.0",
                    "99999999999999999999.0",
                    "1.1234567890123",
                    "1.5 ",
                    " 1.5",
                    "1,5",
                    "--1.5",
                    "",
                ],
                &[
                    json!([1, 5]),
                    json!([1, -5]),
                    json!([-1, 5]),
                    json!([0, 999_999_999]),
                    json!([1, 1_000_000_000]),
                    json!([1, -999_999_999]),
                    json!([i64::MAX, 999_999_999]),
                    json!([i64::MIN, -999_999_999]),
                    json!([u64::MAX, 0]),
                    json!([1]),
                    json!([1, 2, 3]),
                    json!(null),
                    json!(1.5),
                    json!({ "seconds": 1, "nanoseconds": 0 }),
                ]
            )
        ),
        foreign!("time::Weekday", time::Weekday, weekday_numbers()),
        foreign!("time::Month", time::Month, month_numbers()),
        foreign!("uuid::Uuid", uuid::Uuid, uuid_instances()),
        foreign!("semver::Version", semver::Version, semver_versions()),
        foreign!(
            "semver::VersionReq",
            semver::VersionReq,
            semver_requirements()
        ),
        foreign!(
            "semver::Comparator",
            semver::Comparator,
            texts(&[
                "1.2.3",
                ">=1.2.3",
                " >= 1.2.3 ",
                "^1",
                "~1.2",
                "*",
                "1.*",
                "1.2.3, 2",
                "",
                "=v1",
            ])
        ),
        foreign!("std::SystemTime", SystemTime, system_times()),
        foreign!(
            "serde_json::Value",
            Value,
            vec![
                json!(null),
                json!(true),
                json!(1),
                json!(-1.5),
                json!("a"),
                json!([]),
                json!([null, [{}]]),
                json!({}),
                json!({ "a": null }),
            ]
        ),
        foreign!(
            "serde_json::Map",
            serde_json::Map<String, Value>,
            [json!({ "type": "string" }), json!({})],
            vec![
                json!({}),
                json!({ "a": 1, "b": [null] }),
                json!([]),
                json!([["a", 1]]),
                json!(null),
                json!("x"),
                json!(1),
            ]
        ),
        foreign!(
            "serde_json::Number",
            serde_json::Number,
            vec![
                json!(1),
                json!(-1),
                json!(1.5),
                json!(1e300),
                json!(u64::MAX),
                json!(i64::MIN),
                serde_json::from_str("18446744073709551616").unwrap(),
                json!("1"),
                json!(null),
                json!([1]),
                json!(true),
            ]
        ),
        foreign!("toml::Value", toml::Value, toml_values()),
        foreign!("toml::Table", toml::Table, toml_tables()),
        foreign!("toml::Map", toml::map::Map<String, toml::Value>, toml_tables()),
        foreign!("toml::Datetime", toml::value::Datetime, toml_datetimes()),
        foreign!(
            "toml::Date",
            toml::value::Date,
            datetime_objects(&[
                "1979-05-27",
                "1979-05-27T07:32:00",
                "07:32:00",
                "1979-02-29"
            ])
        ),
        foreign!(
            "toml::Time",
            toml::value::Time,
            datetime_objects(&["07:32:00", "07:32", "07:32:00.5", "1979-05-27", "07:32:00Z"])
        ),
        foreign!("kstring::KString", kstring::KString, small_strings()),
        foreign!(
            "kstring::KStringCow",
            kstring::KStringCow<'static>,
            small_strings()
        ),
        foreign!(
            "compact_str::CompactString",
            compact_str::CompactString,
            small_strings()
        ),
        foreign!("smol_str::SmolStr", smol_str::SmolStr, small_strings()),
        foreign!("ecow::EcoString", ecow::EcoString, small_strings()),
        foreign!("arcstr::ArcStr", arcstr::ArcStr, small_strings()),
        foreign!("arcstr::Substr", arcstr::Substr, small_strings()),
        with_module!(
            "serde_regex Regex",
            "serde_regex",
            regex::Regex,
            leaf,
            texts(&["a+", "^[a-z]*$", "", "(", "a{2,1}", "\\d"])
        ),
        with_module!(
            "serde_regex Option<Regex>",
            "serde_regex",
            Option<regex::Regex>,
            option,
            texts(&["a+", "", "("])
        ),
        with_module!(
            "serde_regex Vec<Regex>",
            "serde_regex",
            Vec<regex::Regex>,
            seq,
            vec![
                json!([]),
                json!(["a", "b"]),
                json!(["a", "("]),
                json!(["a", 1]),
                json!([null]),
                json!("a"),
                json!(null),
            ]
        ),
        with_module!(
            "serde_regex Option<Vec<Regex>>",
            "serde_regex",
            Option<Vec<regex::Regex>>,
            |leaf: &Value| option(&seq(leaf)),
            vec![
                json!(null),
                json!([]),
                json!(["a"]),
                json!([null]),
                json!("a")
            ]
        ),
        with_module!(
            "serde_regex HashMap<String, Regex>",
            "serde_regex",
            HashMap<String, regex::Regex>,
            map,
            vec![
                json!({}),
                json!({ "k": "a+" }),
                json!({ "k": "(" }),
                json!({ "k": 1 }),
                json!({ "k": null }),
                json!(["a"]),
                json!(null),
            ]
        ),
        with_module!(
            "serde_regex RegexSet",
            "serde_regex",
            regex::RegexSet,
            seq,
            vec![
                json!([]),
                json!(["a", "b"]),
                json!(["a", "("]),
                json!("a"),
                json!(null)
            ]
        ),
        with_module!(
            "serde_regex bytes::Regex",
            "serde_regex",
            regex::bytes::Regex,
            leaf,
            texts(&["a+", "(", "(?-u)\\xFF"])
        ),
        with_module!(
            "humantime_serde Duration",
            "humantime_serde",
            Duration,
            leaf,
            texts(&humantime_durations())
        ),
        with_module!(
            "humantime_serde Option<Duration>",
            "humantime_serde",
            Option<Duration>,
            option,
            texts(&["1s", "1h 30m", "", "2024-01-02T03:04:05Z", "1.5ns"])
        ),
        with_module!(
            "humantime_serde SystemTime",
            "humantime_serde",
            SystemTime,
            leaf,
            texts(&humantime_timestamps())
        ),
        with_module!(
            "humantime_serde::option Option<SystemTime>",
            "humantime_serde::option",
            Option<SystemTime>,
            option,
            texts(&["2024-01-02T03:04:05Z", "2024-01-02", ""])
        ),
    ]
}

fn date_time_texts() -> Vec<&'static str> {
    vec![
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05.123456789Z",
        "2024-01-02T03:04:05.1234567891234Z",
        "2024-01-02 03:04:05Z",
        "2024-01-02t03:04:05z",
        "2024-01-02T03:04:05+05:30",
        "2024-01-02T03:04:05-0530",
        "2024-01-02T03:04:05 +05 30",
        "2024-01-02T03:04:05+05::30",
        "2024-01-02T03:04:05+05: :30",
        "2024-01-02T03:04:05\u{2212}05:30",
        "2024-01-02T03:04:05UTC",
        "2024-01-02T03:04:05 utc",
        "2024-01-02T03:04:05UT",
        "2024-01-02T03:04:05+24:00",
        "2024-01-02T03:04:05+23:59",
        "2024-01-02T03:04:05-23:59",
        "2024-01-02T03:04:05+05:60",
        "2024-01-02T03:04:05+05",
        "2024-01-02T03:04:05+5:30",
        "2024-01-02T03:04:05+05:30:00",
        "2024-01-02T03:04:05",
        "2024-01-02",
        "2024-1-2T3:4:5Z",
        "  2024-01-02T03:04:05Z  ",
        "2024 - 01 - 02T03 : 04 : 05 Z",
        "2024-01-02 T03:04:05Z",
        "2024-01-02\tT03:04:05Z",
        "2024-01-02\t03:04:05Z",
        "2024-01-02  03:04:05Z",
        "2024-01-02T\u{2003}03:04:05Z",
        "2024-01-02T03:04:05 .5Z",
        "2024-01-02T03:04:05.Z",
        "2024-01-02T03:04:05.5 Z",
        "2023-12-31T23:59:60Z",
        "2023-12-31T23:59:60.999999999Z",
        "2024-01-02T03:04:60+01:00",
        "2024-01-02T03:04:61Z",
        "2024-01-02T24:00:00Z",
        "2024-01-02T03:60:00Z",
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z",
        "2024-01-00T00:00:00Z",
        "+2024-01-02T03:04:05Z",
        "-0001-01-01T00:00:00Z",
        "+262142-12-31T23:59:59Z",
        "+262142-12-31T23:59:59-01:00",
        "+262143-01-01T00:00:00Z",
        "-262143-01-01T00:00:00Z",
        "-262144-12-31T00:00:00Z",
        "-000000262143-01-01T00:00:00Z",
        "-262143-01-01T00:00:00+01:00",
        "+0000000002024-01-02T00:00:00Z",
        "20240-01-02T00:00:00Z",
        "0-1-1T0:0:0Z",
        "2024-01-02T03:04:05Z trailing",
        "2024-01-02T03:04:05\u{a0}Z",
        "2024-01-02T03:04:05\u{feff}Z",
        "\u{3000}2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05\u{85}Z",
        "2024-01-02T03:04:05.123+01:00",
        "2024-01-02T03:04:05.123 -01:00 ",
        "2024-01-02T03:04:05-01:00Z",
        "2024-01-02T03:04:05+01:0",
        "2024-01-02T03:04:05+1",
        "2024-01-02T03:04:05++01:00",
        "Z",
        "",
    ]
}

fn time_delta_instances() -> Vec<Value> {
    let max = i64::MAX / 1000;
    vec![
        json!([0, 0]),
        json!([1, 999_999_999]),
        json!([1, 1_000_000_000]),
        json!([-1, 5]),
        json!([0, -1]),
        json!([max, 807_000_000]),
        json!([max, 807_000_001]),
        json!([max + 1, 0]),
        json!([-max - 1, 193_000_000]),
        json!([-max - 1, 192_999_999]),
        json!([-max - 2, 999_999_999]),
        json!([1, 4_294_967_295_u64]),
        json!([1.0, 0]),
        json!([1.5, 0]),
        json!([1]),
        json!([1, 2, 3]),
        json!("1s"),
        json!({ "secs": 1, "nanos": 0 }),
        json!(null),
        json!(1),
    ]
}

fn time_offset_date_times() -> Vec<Value> {
    texts_and(
        &[
            "2024-01-02 03:04:05.0 +00:00:00",
            "2024-01-02 03:04:05.123456789 -05:30:00",
            "2024-01-02 03:04:05.12345678901234567890123456789012 +00:00:00",
            "2024-01-02 03:04:05.123456789012345678901234567890123 +00:00:00",
            "2024-01-02 03:04:05 +00:00:00",
            "2024-01-02T03:04:05.0 +00:00:00",
            "2024-01-02 03:04:05.0+00:00:00",
            "2024-01-02 03:04:05.0 +00:00",
            "2024-01-02 03:04:05.0 00:00:00",
            "2024-01-02 03:04:05.0 +25:59:59",
            "2024-01-02 03:04:05.0 -25:59:59",
            "2024-01-02 03:04:05.0 +26:00:00",
            "2024-01-02 03:04:05.0 -00:00:00",
            "2024-01-02 03:04:05.0 Z",
            "2024-02-29 00:00:00.0 +00:00:00",
            "2023-02-29 00:00:00.0 +00:00:00",
            "+12024-01-02 00:00:00.0 +00:00:00",
            "-000001-01-01 00:00:00.0 +00:00:00",
            "+1000000-01-01 00:00:00.0 +00:00:00",
            "12024-01-02 00:00:00.0 +00:00:00",
            "2024-01-02 24:00:00.0 +00:00:00",
            "2024-01-02 23:59:60.0 +00:00:00",
            "2024-1-02 00:00:00.0 +00:00:00",
            " 2024-01-02 03:04:05.0 +00:00:00",
            "2024-01-02 03:04:05.0 +00:00:00 ",
            "",
        ],
        &[
            json!([2024, 2, 3, 4, 5, 6, 0, 0, 0]),
            json!([2024, 366, 0, 0, 0, 0, 0, 0, 0]),
            json!([2023, 366, 0, 0, 0, 0, 0, 0, 0]),
            json!([2000, 366, 0, 0, 0, 0, 0, 0, 0]),
            json!([1900, 366, 0, 0, 0, 0, 0, 0, 0]),
            json!([2024, 0, 0, 0, 0, 0, 0, 0, 0]),
            json!([2024, 1, 24, 0, 0, 0, 0, 0, 0]),
            json!([2024, 1, 0, 0, 0, 1_000_000_000, 0, 0, 0]),
            json!([2024, 1, 0, 0, 0, 0, 26, 0, 0]),
            json!([2024, 1, 0, 0, 0, 0, -25, -59, -59]),
            json!([2024, 1, 0, 0, 0, 0, 1, -30, 0]),
            json!([2024, 1, 0, 0, 0, 0, 0, 60, 0]),
            json!([2024, 1, 0, 0, 0, 0, 0, 0]),
            json!([2024, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
            json!([999_999, 1, 0, 0, 0, 0, 0, 0, 0]),
            json!([1_000_000, 1, 0, 0, 0, 0, 0, 0, 0]),
            json!([-999_999, 1, 0, 0, 0, 0, 0, 0, 0]),
            json!(null),
            json!(1_704_164_645),
            json!({}),
        ],
    )
}

fn time_primitive_date_times() -> Vec<Value> {
    texts_and(
        &[
            "2024-01-02 03:04:05.0",
            "2024-01-02 03:04:05.999999999",
            "2024-01-02 03:04:05",
            "2024-01-02T03:04:05.0",
            "2024-01-02 03:04:05.0 +00:00:00",
            "2024-02-29 00:00:00.0",
            "2100-02-29 00:00:00.0",
            "+002000-02-29 00:00:00.0",
            "-0004-02-29 00:00:00.0",
            "-0001-02-29 00:00:00.0",
            "2024-01-02 23:59:59.0",
            "2024-01-02 23:59:59.0Z",
            "",
        ],
        &[
            json!([2024, 2, 3, 4, 5, 6]),
            json!([2024, 366, 0, 0, 0, 0]),
            json!([2025, 366, 0, 0, 0, 0]),
            json!([2024, 367, 0, 0, 0, 0]),
            json!([2024, 1, 0, 0, 0]),
            json!([2024, 1, 0, 0, 0, 0, 0]),
            json!(null),
        ],
    )
}

fn time_dates() -> Vec<Value> {
    texts_and(
        &[
            "2024-01-02",
            "+2024-01-02",
            "-2024-01-02",
            "+02024-01-02",
            "+002024-01-02",
            "+0002024-01-02",
            "02024-01-02",
            "024-01-02",
            "2024-1-2",
            "2024-02-29",
            "2100-02-29",
            "2000-02-29",
            "+012000-02-29",
            "+012100-02-29",
            "-000400-02-29",
            "2024-04-31",
            "2024-12-31",
            "2024-13-01",
            "2024-01-02 ",
            "",
        ],
        &[
            json!([2024, 1]),
            json!([2024, 366]),
            json!([2023, 366]),
            json!([2000, 366]),
            json!([2100, 366]),
            json!([-4, 366]),
            json!([2024, 367]),
            json!([2024, 0]),
            json!([999_999, 1]),
            json!([1_000_000, 1]),
            json!([-999_999, 365]),
            json!([-1_000_000, 1]),
            json!([2024]),
            json!([2024, 1, 1]),
            json!([2024.0, 1]),
            json!([2024, -1]),
            json!({ "year": 2024, "ordinal": 1 }),
            json!(null),
            json!(20_240_102),
        ],
    )
}

fn weekday_numbers() -> Vec<Value> {
    texts_and(
        &["Monday", "monday", "Mon", "Sunday", "Tuesday", "1", ""],
        &[
            json!(1),
            json!(7),
            json!(0),
            json!(8),
            json!(-1),
            json!(1.5),
            json!(null),
            json!([1]),
        ],
    )
}

fn month_numbers() -> Vec<Value> {
    texts_and(
        &["January", "january", "Jan", "May", "December", "1", ""],
        &[
            json!(1),
            json!(12),
            json!(0),
            json!(13),
            json!(256),
            json!(-1),
            json!(null),
        ],
    )
}

fn uuid_instances() -> Vec<Value> {
    let mut out = texts(&[
        "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "67E55044-10B1-426F-9247-BB680E5FE0C8",
        "67e5504410b1426f9247bb680e5fe0c8",
        "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
        "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
        "URN:UUID:67e55044-10b1-426f-9247-bb680e5fe0c8",
        "urn:uuid:67e5504410b1426f9247bb680e5fe0c8",
        "{67e5504410b1426f9247bb680e5fe0c8}",
        "(67e55044-10b1-426f-9247-bb680e5fe0c8)",
        "67e55044-10b1-426f-9247bb680e5fe0c8",
        "67e5504-410b1-426f-9247-bb680e5fe0c8",
        "67e55044-10b1-426f-9247-bb680e5fe0c",
        "67e55044-10b1-426f-9247-bb680e5fe0c8a",
        "g7e55044-10b1-426f-9247-bb680e5fe0c8",
        " 67e55044-10b1-426f-9247-bb680e5fe0c8",
        "67e55044-10b1-426f-9247-bb680e5fe0c8 ",
        "00000000-0000-0000-0000-000000000000",
        "",
    ]);
    out.push(json!([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    ]));
    out.push(json!([0, 1, 2]));
    out
}

fn semver_versions() -> Vec<Value> {
    texts(&[
        "1.2.3",
        "0.0.0",
        "1.2",
        "1",
        "01.2.3",
        "1.02.3",
        "1.2.03",
        "1.2.3-alpha",
        "1.2.3-alpha.1",
        "1.2.3-01",
        "1.2.3-0",
        "1.2.3-0a",
        "1.2.3-00a",
        "1.2.3-alpha..1",
        "1.2.3-alpha.",
        "1.2.3-",
        "1.2.3+build",
        "1.2.3+001",
        "1.2.3+",
        "1.2.3+a..b",
        "1.2.3-a+b.c",
        "1.2.3+b-c",
        "1.2.3-a-b--c",
        "1.2.3+a+b",
        "v1.2.3",
        " 1.2.3",
        "1.2.3 ",
        "18446744073709551615.0.0",
        "18446744073709551616.0.0",
        "99999999999999999999.0.0",
        "1.2.3-99999999999999999999999",
        "1.2.3-α",
        "1.2.3-a_b",
        "",
    ])
}

fn semver_requirements() -> Vec<Value> {
    let many = |count: usize| vec!["1"; count].join(",");
    let many_31 = many(31);
    let many_32 = many(32);
    let many_33 = many(33);
    let mut texts_list: Vec<&str> = vec![
        "1.2.3",
        "^1.2.3",
        "~1.2",
        "=1.2.3",
        ">=1.2.3, <2.0.0",
        ">= 1.2.3 , < 2",
        "  >=1.2.3,<2  ",
        "*",
        " * ",
        "x",
        "X",
        "**",
        "1.*",
        "1.x.x",
        "1.X",
        "1.*.3",
        "1.2.*",
        "*, 1.2",
        "1.2, *",
        ">=*",
        "1.2.3-alpha",
        "1.2-alpha",
        "1.2.3+build",
        "1.2.3-alpha+build",
        "=1.*",
        ">=1.2.*",
        "^1.x",
        "~1.2.3-beta.2, <2",
        "<1.2.3-01",
        ">1",
        "<=1.2",
        "=>1.2",
        "~>1.2",
        "^~1",
        "1.2.3,",
        ",1.2.3",
        "1.2.3,,2",
        "",
        "  ",
        "1 .2",
        "01.2",
        "^ 1.2.3",
        ">=1.2.3 <2",
        "1.2.3 - 2.0",
        "18446744073709551616",
    ];
    texts_list.push(&many_31);
    texts_list.push(&many_32);
    texts_list.push(&many_33);
    texts(&texts_list)
}

fn system_times() -> Vec<Value> {
    let max = i64::MAX;
    let both = |secs: Value, nanos: Value| {
        vec![
            json!({ "secs_since_epoch": secs, "nanos_since_epoch": nanos }),
            json!([secs, nanos]),
        ]
    };
    let mut out = Vec::new();
    for (secs, nanos) in [
        (json!(0), json!(0)),
        (json!(1_700_000_000), json!(999_999_999)),
        (json!(1), json!(1_000_000_000)),
        (json!(max), json!(0)),
        (json!(max), json!(999_999_999)),
        (json!(max), json!(1_000_000_000)),
        (json!(max - 1), json!(1_000_000_000)),
        (json!(max - 1), json!(2_000_000_000)),
        (json!(max - 4), json!(u32::MAX)),
        (json!(max - 3), json!(u32::MAX)),
        (json!(max - 3), json!(3_999_999_999_u32)),
        (json!(max.unsigned_abs() + 1), json!(0)),
        (json!(u64::MAX), json!(0)),
        (json!(-1), json!(0)),
        (json!(0), json!(u64::from(u32::MAX) + 1)),
        (json!(0), json!(-1)),
        (json!(1.5), json!(0)),
        (json!("1"), json!(0)),
    ] {
        out.extend(both(secs, nanos));
    }
    out.extend([
        json!({ "secs_since_epoch": 1 }),
        json!({ "nanos_since_epoch": 1 }),
        json!({ "secs_since_epoch": 1, "nanos_since_epoch": 0, "extra": 1 }),
        json!({ "secs": 1, "nanos": 0 }),
        json!([1]),
        json!([1, 2, 3]),
        json!("1970-01-01T00:00:00Z"),
        json!(null),
        json!(0),
    ]);
    out
}

fn toml_values() -> Vec<Value> {
    let number = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    vec![
        json!(true),
        json!(1),
        json!(-1),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(i64::MAX.unsigned_abs() + 1),
        json!(u64::MAX),
        number("18446744073709551616"),
        number("1e19"),
        json!(1.5),
        json!("s"),
        json!(""),
        json!([]),
        json!([1, "a", [true, 2.5]]),
        json!([null]),
        json!([[[1]]]),
        json!([u64::MAX]),
        json!({}),
        json!({ "a": 1 }),
        json!({ "a": null }),
        json!({ "a": { "b": [null] } }),
        json!({ "a": { "b": [{ "c": "d" }] } }),
        json!({ "a": u64::MAX }),
        json!({ "$__toml_private_datetime": "1979-05-27T07:32:00Z" }),
        json!({ "$__toml_private_datetime": "1979-05-27" }),
        json!({ "$__toml_private_datetime": "bad" }),
        json!({ "$__toml_private_datetime": 1 }),
        json!({ "$__toml_private_datetime": null }),
        json!({ "a": 1, "$__toml_private_datetime": "bad" }),
        json!({ "$__toml_private_datetime": "1979-05-27", "a": 1 }),
        json!({ "x": { "$__toml_private_datetime": "bad" } }),
        json!({ "x": [{ "$__toml_private_datetime": "07:32:00" }] }),
        json!(null),
    ]
}

fn toml_tables() -> Vec<Value> {
    vec![
        json!({}),
        json!({ "a": 1, "b": [true], "c": { "d": "e" } }),
        json!({ "a": null }),
        json!({ "a": [1, [null]] }),
        json!({ "a": u64::MAX }),
        json!({ "$__toml_private_datetime": "bad" }),
        json!({ "$__toml_private_datetime": 1 }),
        json!({ "x": { "$__toml_private_datetime": "bad" } }),
        json!({ "x": { "$__toml_private_datetime": "1979-05-27" } }),
        json!(null),
        json!([]),
        json!(1),
        json!("a"),
    ]
}

fn datetime_objects(texts: &[&str]) -> Vec<Value> {
    let mut out: Vec<Value> = texts
        .iter()
        .map(|text| json!({ "$__toml_private_datetime": text }))
        .collect();
    out.extend([
        json!({ "$__toml_private_datetime": 1 }),
        json!({}),
        json!({ "$__toml_private_datetime": "1979-05-27", "a": 1 }),
        json!({ "a": "1979-05-27" }),
        json!("1979-05-27"),
        json!(null),
    ]);
    out
}

fn toml_datetimes() -> Vec<Value> {
    datetime_objects(&[
        "1979-05-27T07:32:00Z",
        "1979-05-27T07:32:00-07:00",
        "1979-05-27T07:32:00.999999-07:00",
        "1979-05-27T07:32:00.1234567891234Z",
        "1979-05-27 07:32:00Z",
        "1979-05-27t07:32:00z",
        "1979-05-27T07:32:00",
        "1979-05-27T07:32",
        "1979-05-27T07:32Z",
        "1979-05-27",
        "07:32:00",
        "07:32",
        "07:32:00.5",
        "07:32:00Z",
        "07:32:00+01:00",
        "1979-05-27T",
        "1979-05-27 ",
        "1979-05-27x",
        "24:00:00",
        "23:59:60",
        "23:59:61",
        "1979-02-29",
        "1980-02-29",
        "1900-02-29",
        "2000-02-29",
        "1979-04-31",
        "1979-13-01",
        "1979-5-27",
        "979-05-27",
        "+1979-05-27",
        "1979-05-27T07:32:00+24:00",
        "1979-05-27T07:32:00+23:59",
        "1979-05-27T07:32:00+0700",
        "1979-05-27T07:32:00.Z",
        "1979-05-27T07:32:00.",
        "7:32:00",
        "07:32:0",
        "",
    ])
}

fn small_strings() -> Vec<Value> {
    texts(&[
        "",
        "a",
        "é",
        "a longer string that does not fit inline at all",
        "\u{0}",
    ])
}

fn humantime_durations() -> Vec<&'static str> {
    vec![
        "0",
        " 0",
        "00",
        "1s",
        "1 s",
        "1sec",
        "1secs",
        "1second",
        "1seconds",
        "1h 30m",
        "1h30m",
        "1hour 12min 5s",
        "2days",
        "2 weeks",
        "1 1s",
        "1.5s",
        "1.5ns",
        "1.5us",
        "1.5\u{b5}s",
        "1\u{3bc}s",
        "1. 5 s",
        "1.s",
        "1.5.5s",
        ".5s",
        "1M",
        "1m",
        "1months",
        "1year",
        "1y",
        "1yrs",
        "1wk",
        "1msec",
        "1millis",
        "1nanos",
        "1nsec",
        "1usec",
        "5",
        "s",
        "1x",
        "1 s s",
        "1s,2s",
        "-1s",
        "+1s",
        "1S",
        "1H",
        "  1s  ",
        "1s\u{2003}2m",
        "18446744073709551615ns",
        "18446744073709551616s",
        "1.0000000001s",
        "1.001h",
        "600000000000000000years",
        "2024-01-02T03:04:05Z",
        "",
        " ",
    ]
}

fn humantime_timestamps() -> Vec<&'static str> {
    vec![
        "2024-01-02T03:04:05Z",
        "2024-01-02 03:04:05Z",
        "2024-01-02T03:04:05",
        "2024-01-02T03:04:05.123456789Z",
        "2024-01-02T03:04:05.123456789123Z",
        "2024-01-02T03:04:05.Z",
        "2024-01-02T03:04:05.",
        "2024-01-02T03:04:05.5",
        "2024-01-02T03:04:05.5+00:00",
        "2024-01-02T03:04:05.5+05:30",
        "2024-01-02T03:04:05.5+0530",
        "2024-01-02T03:04:05.5-05:30",
        "2024-01-02T03:04:05+00:00",
        "2024-01-02T03:04:05+05:30",
        "2024-01-02T03:04:05Zabcde",
        "2024-01-02T03:04:05Zabcdef",
        "2024-01-02T03:04:05Z\u{e9}",
        "2024-01-02T03:04:05.5Zx",
        "2024-01-02t03:04:05Z",
        "2024-01-02T03:04:60Z",
        "2024-01-02T03:04:61Z",
        "2024-01-02T24:00:00Z",
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "9999-12-31T23:59:59Z",
        "2024-1-02T03:04:05Z",
        "2024-01-02",
        "1h 30m",
        "0",
        "",
    ]
}

/// Tallies the agreement of schema and serde, and collects the disagreements.
#[derive(Default)]
struct Tally {
    total: usize,
    agreed: usize,
    known: String,
    known_seen: BTreeSet<(String, String)>,
    unexpected: String,
}

impl Tally {
    fn check(&mut self, case: &Case) {
        let validator = jsonschema::draft202012::new(&case.schema).unwrap_or_else(|error| {
            panic!("the schema of {} does not compile: {error}", case.name)
        });
        let mut agreed = 0;
        let mut known = 0;
        for instance in &case.instances {
            let by_schema = validator.is_valid(instance);
            let by_serde = (case.serde)(instance.clone());
            let text = serde_json::to_string(instance).unwrap();
            if by_schema == by_serde.is_ok() {
                agreed += 1;
                continue;
            }
            let verdict = format!(
                "{}: {text}: schema {}, serde {}",
                case.name,
                if by_schema { "accepts" } else { "refuses" },
                by_serde.map_or_else(|error| format!("refuses ({error})"), |()| "accepts".into()),
            );
            if let Some(reason) = known_reason(case.name, &text) {
                known += 1;
                self.known_seen.insert((case.name.to_owned(), text));
                writeln!(self.known, "  {verdict}\n    ({reason})").unwrap();
            } else {
                writeln!(self.unexpected, "  {verdict}").unwrap();
            }
        }
        self.total += case.instances.len();
        self.agreed += agreed;
        println!(
            "{:<42} {:>9} {:>7} {:>7}",
            case.name,
            case.instances.len(),
            agreed,
            known
        );
    }
}

fn known_reason(name: &str, text: &str) -> Option<&'static str> {
    KNOWN_LIMITATIONS
        .iter()
        .find(|known| known.cases.contains(&(name, text)))
        .map(|known| known.reason)
}

#[test]
fn schemas_agree_with_serde() {
    let cases = all_cases();
    let mut tally = Tally::default();
    println!(
        "{:<42} {:>9} {:>7} {:>7}",
        "type", "instances", "agree", "known"
    );
    for case in &cases {
        tally.check(case);
    }
    let Tally { total, agreed, .. } = tally;
    println!("\n{} types, {total} instances", cases.len());
    #[allow(clippy::cast_precision_loss, reason = "a percentage")]
    let percent = agreed as f64 * 100.0 / total as f64;
    println!("agreement: {agreed}/{total} instances ({percent:.1}%)");
    println!("\nknown limitations met:\n{}", tally.known);
    assert!(
        tally.unexpected.is_empty(),
        "disagreements with serde:\n{}",
        tally.unexpected
    );
    assert!(
        total >= MIN_INSTANCES,
        "the suite shrank: {total} instances, below the floor of {MIN_INSTANCES}"
    );
    let stale: Vec<(&str, &str)> = KNOWN_LIMITATIONS
        .iter()
        .flat_map(|known| known.cases.iter().copied())
        .filter(|&(name, text)| {
            !tally
                .known_seen
                .contains(&(name.to_owned(), text.to_owned()))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "known limitations that no longer occur: {stale:?}"
    );
}

/// Every schema the module can return, by a name for messages.
fn every_schema() -> Vec<(String, Value)> {
    let types: &[(&str, &[&str])] = &[
        (
            "chrono",
            &[
                "DateTime",
                "NaiveDateTime",
                "NaiveDate",
                "NaiveTime",
                "Weekday",
                "Month",
                "TimeDelta",
                "Duration",
            ],
        ),
        (
            "time",
            &[
                "OffsetDateTime",
                "PrimitiveDateTime",
                "PlainDateTime",
                "UtcDateTime",
                "Date",
                "Time",
                "UtcOffset",
                "Duration",
                "SignedDuration",
                "Weekday",
                "Month",
            ],
        ),
        ("uuid", &["Uuid"]),
        ("semver", &["Version", "VersionReq", "Comparator"]),
        ("std", &["SystemTime"]),
        ("serde_json", &["Value", "Map", "Number"]),
        (
            "toml",
            &["Value", "Table", "Map", "Datetime", "Date", "Time"],
        ),
        ("toml_datetime", &["Datetime", "Date", "Time"]),
        ("kstring", &["KString", "KStringCow", "KStringRef"]),
        ("compact_str", &["CompactString"]),
        ("smol_str", &["SmolStr"]),
        ("ecow", &["EcoString"]),
        ("arcstr", &["ArcStr", "Substr"]),
    ];
    let mut out = Vec::new();
    for (krate, names) in types {
        for name in *names {
            let schema = foreign_type(krate, name, &[])
                .unwrap_or_else(|| panic!("{krate}::{name} has no schema"));
            out.push((format!("{krate}::{name}"), schema));
        }
    }
    for module in ["serde_regex", "humantime_serde", "humantime_serde::option"] {
        let schema = with_module_leaf(module).unwrap_or_else(|| panic!("{module} has no leaf"));
        out.push((format!("with = {module}"), schema));
    }
    out
}

#[test]
fn unknown_names_have_no_schema() {
    assert_eq!(foreign_type("chrono", "Utc", &[]), None);
    assert_eq!(foreign_type("std", "Instant", &[]), None);
    assert_eq!(foreign_type("mycrate", "DateTime", &[]), None);
    assert_eq!(foreign_type("kstring", "String", &[]), None);
    assert_eq!(with_module_leaf("serde_bytes"), None);
    assert_eq!(with_module_leaf("humantime_serde::other"), None);
}

#[test]
fn schemas_are_valid_draft_2020_12() {
    for (name, schema) in every_schema() {
        if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("the schema of {name} is not valid 2020-12: {error}");
        }
        jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|error| panic!("the schema of {name} does not compile: {error}"));
    }
}

/// Every `pattern` in `schema`, however deep.
fn patterns(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("pattern", Value::String(pattern)) => out.push(pattern.clone()),
                    // Under `properties` and `$defs`, keys are names, not keywords.
                    ("properties" | "$defs", Value::Object(named)) => {
                        for inner in named.values() {
                            patterns(inner, out);
                        }
                    }
                    _ => patterns(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| patterns(item, out)),
        _ => {}
    }
}

/// The patterns compile as ECMAScript, with and without the `u` flag, in an engine that
/// implements ECMA-262 itself (the `jsonschema` crate translates patterns to Rust's syntax).
/// Then every string instance gets the same verdict from both engines.
#[test]
fn patterns_are_ecma_262() {
    let mut checked = 0;
    let strings: Vec<String> = all_cases()
        .iter()
        .flat_map(|case| case.instances.iter())
        .filter_map(|instance| instance.as_str().map(str::to_owned))
        .collect();
    for (name, schema) in every_schema() {
        let mut found = Vec::new();
        patterns(&schema, &mut found);
        for pattern in found {
            for flags in ["u", ""] {
                if let Err(error) = regress::Regex::with_flags(&pattern, flags) {
                    panic!("{name}: `{pattern}` is not ECMA-262 (flags {flags:?}): {error}");
                }
            }
            let ecma = regress::Regex::with_flags(&pattern, "u").unwrap();
            let rust = jsonschema::draft202012::new(&json!({ "pattern": pattern })).unwrap();
            for text in &strings {
                assert_eq!(
                    ecma.find(text).is_some(),
                    rust.is_valid(&json!(text)),
                    "{name}: `{pattern}` on {text:?} differs between ECMAScript and Rust",
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} patterns found");
}

/// The recursive schemas resolve their `$ref`s by their own `$id`, so they still work when
/// embedded under `properties`, inside `items`, and in `$defs`, even twice in one document.
#[test]
fn recursive_schemas_work_embedded() {
    let value = foreign_type("toml", "Value", &[]).unwrap();
    let table = foreign_type("toml", "Table", &[]).unwrap();
    let document = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.com/config.json",
        "type": "object",
        "properties": {
            "direct": value,
            "listed": { "type": "array", "items": table },
            "again": value,
            "by_ref": { "$ref": "#/$defs/Table" },
        },
        "$defs": { "Table": table, "Value": value },
        "additionalProperties": false,
    });
    jsonschema::draft202012::meta::validate(&document).unwrap();
    let validator = jsonschema::draft202012::new(&document).unwrap();
    let cases = [
        (json!({ "direct": { "a": [1, { "b": "c" }] } }), true),
        (json!({ "direct": { "a": [1, { "b": null }] } }), false),
        (json!({ "direct": [[[[null]]]] }), false),
        (json!({ "listed": [{ "a": { "b": [true] } }, {}] }), true),
        (json!({ "listed": [{ "a": { "b": [null] } }] }), false),
        (json!({ "listed": [1] }), false),
        (json!({ "again": { "x": { "y": u64::MAX } } }), false),
        (json!({ "again": { "x": { "y": i64::MAX } } }), true),
        (
            json!({ "by_ref": { "t": { "$__toml_private_datetime": "1979-05-27" } } }),
            true,
        ),
        (
            json!({ "by_ref": { "t": { "$__toml_private_datetime": "1979-02-29" } } }),
            false,
        ),
        (json!({ "unknown": 1 }), false),
    ];
    for (instance, expected) in cases {
        assert_eq!(validator.is_valid(&instance), expected, "{instance}");
    }
}
