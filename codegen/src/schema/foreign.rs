//! Exact schemas for well-known types of other crates, as `serde_json::from_value` reads them.
//!
//! Each schema was derived from the crate's own parser (the version named beside it) and is
//! checked against the real crate by `tests/foreign.rs`, instance by instance. Where JSON Schema
//! cannot follow the parser (arithmetic, whether a regex compiles, the order of keys), the
//! comment beside the schema says how the two differ; the test lists each such case.
//!
//! Patterns are written for ECMA-262 and Rust's `regex` alike: no `\d`, `\s` or `\w` (they differ
//! between the two), no look-around, and non-ASCII characters as `\uXXXX` escapes.

use serde_json::{Value, json};

/// The schema of a type from another crate, by the crate it comes from and its name, with
/// the schemas of its type arguments (lifetimes dropped); `None` when the type is not known.
#[must_use]
pub fn foreign_type(krate: &str, name: &str, args: &[Value]) -> Option<Value> {
    match krate {
        "chrono" => chrono::schema(name),
        "time" => time::schema(name),
        "uuid" => (name == "Uuid").then(uuid),
        "semver" => semver::schema(name),
        "std" => (name == "SystemTime").then(system_time),
        "serde_json" => json_value(name, args),
        "toml" | "toml_datetime" => toml::schema(name),
        _ => small_string(krate, name).then(|| json!({ "type": "string" })),
    }
}

/// The schema of one value that a `with` module reads, by the module's path as written in
/// `#[serde(with = "...")]`, e.g. `"serde_regex"` or `"humantime_serde"`; `None` when not known.
/// The caller keeps the container shape (Option, Vec, maps) of the field around it, so
/// document for each module which container shapes it supports.
///
/// - `serde_regex` (1.x): a pattern string. It reads `Regex`, `Option<Regex>`, `Vec<Regex>`,
///   `Option<Vec<Regex>>`, `HashMap<K, Regex>` and `Option<HashMap<K, Regex>>`, the same for
///   `regex::bytes::Regex`, and `RegexSet`, `Option<RegexSet>` and `bytes::RegexSet`, which it
///   reads as an array of patterns: treat a set as a `Vec` of the leaf. No `BTreeMap`, no
///   `VecDeque`, no `Box`. Whether the pattern compiles is not checked.
/// - `humantime_serde` and `humantime_serde::option` (1.x): a humantime duration (`"1h 30m"`)
///   or an RFC 3339 timestamp, for `Duration`, `SystemTime` and `Option` of either. The leaf
///   accepts both, since the module's name does not say which the field holds.
#[must_use]
pub fn with_module_leaf(module: &str) -> Option<Value> {
    match module {
        "serde_regex" => Some(json!({ "type": "string" })),
        "humantime_serde" | "humantime_serde::option" => Some(json!({
            "anyOf": [humantime::duration(), humantime::timestamp()]
        })),
        _ => None,
    }
}

/// Strings stored differently but read as any JSON string.
fn small_string(krate: &str, name: &str) -> bool {
    matches!(
        (krate, name),
        ("kstring", "KString" | "KStringCow" | "KStringRef")
            | ("compact_str", "CompactString")
            | ("smol_str", "SmolStr")
            | ("ecow", "EcoString")
            | ("arcstr", "ArcStr" | "Substr")
    )
}

/// `serde_json::Value` is anything; `Map` is only ever `Map<String, Value>`.
fn json_value(name: &str, args: &[Value]) -> Option<Value> {
    match name {
        "Value" => Some(json!({})),
        "Number" => Some(json!({ "type": "number" })),
        "Map" => Some(json!({
            "type": "object",
            "additionalProperties": args.get(1).cloned().unwrap_or_else(|| json!({})),
        })),
        _ => None,
    }
}

/// `uuid::Uuid` (1.x), read with `Uuid::parse_str`: simple, hyphenated, braced or URN, hex in
/// either case. serde_json is human-readable, so the 16-byte array form is refused.
fn uuid() -> Value {
    let hyphenated = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";
    string(&format!(
        r"^(?:[0-9A-Fa-f]{{32}}|{hyphenated}|\{{{hyphenated}\}}|{urn}:{hyphenated})$",
        urn = ignore_case("urn:uuid"),
    ))
}

/// `std::time::SystemTime`: serde's `{secs_since_epoch, nanos_since_epoch}`, or the same two
/// numbers as an array. The nanoseconds carry into the seconds, and the sum must fit the
/// platform's clock: the bounds here are Unix's (`i64` seconds); Windows' are narrower.
fn system_time() -> Value {
    const FIELDS: [&str; 2] = ["secs_since_epoch", "nanos_since_epoch"];
    let in_object = |at: usize, bound: Value| json!({ "properties": { FIELDS[at]: bound } });
    let in_array = |at: usize, bound: Value| {
        let mut items = vec![json!(true); at];
        items.push(bound);
        json!({ "prefixItems": items })
    };
    // Each whole second of nanoseconds lowers the bound of the seconds by one.
    let carries = |member: &dyn Fn(usize, Value) -> Value| -> Vec<Value> {
        (1..=4i64)
            .map(|carry| {
                json!({
                    "if": member(1, json!({ "minimum": carry * 1_000_000_000 })),
                    "then": member(0, json!({ "maximum": i64::MAX - carry })),
                })
            })
            .collect()
    };
    let secs = int(0, i64::MAX);
    let nanos = int(0, u32::MAX.into());
    let object = json!({
        "type": "object",
        "properties": { FIELDS[0]: secs, FIELDS[1]: nanos },
        "required": FIELDS,
        "additionalProperties": false,
        "allOf": carries(&in_object),
    });
    let array = json!({
        "type": "array",
        "prefixItems": [secs, nanos],
        "minItems": 2,
        "items": false,
        "allOf": carries(&in_array),
    });
    json!({ "anyOf": [object, array] })
}

/// chrono 0.4 (feature `serde`). Every type reads a string with chrono's `FromStr`, which is
/// lenient: numbers need no padding, whitespace may stand between the parts, and the offset
/// may be `UTC`, `Z` or `+hh:mm` with any run of colons and spaces inside.
mod chrono {
    use serde_json::{Value, json};

    use super::{LEAP_YEAR, RUST_SPACE, at_most, ignore_case, int, string};

    pub(super) fn schema(name: &str) -> Option<Value> {
        let w = format!("[{RUST_SPACE}]*");
        let clock = format!("{HOUR}{w}:{w}{MINUTE}{w}:{w}{SECOND}{FRACTION}");
        let date = date();
        Some(match name {
            // `DateTime<Utc>`, `DateTime<FixedOffset>`, `DateTime<Local>`, the time zones chrono
            // can read, all read the same text.
            "DateTime" => dated(&format!(
                "^{date}[Tt ]{w}{clock}{w}(?:{utc}|[Zz]|[+\\-\\u2212](?:[01][0-9]|2[0-3])[:{RUST_SPACE}]*[0-5][0-9]){w}$",
                utc = ignore_case("utc"),
            )),
            "NaiveDateTime" => dated(&format!("^{date}{w}T{w}{clock}{w}$")),
            "NaiveDate" => dated(&format!("^{date}{w}$")),
            // The seconds may be left out.
            "NaiveTime" => string(&format!(
                "^{w}{HOUR}{w}:{w}{MINUTE}(?:{w}:{w}{SECOND}{FRACTION})?{w}$"
            )),
            "Weekday" => string(&format!("^(?:{})$", names(WEEKDAYS))),
            "Month" => string(&format!("^(?:{})$", names(MONTHS))),
            // `(secs, nanos)`, both integers, within `TimeDelta::MIN..=TimeDelta::MAX`
            // (±i64::MAX milliseconds).
            "TimeDelta" | "Duration" => time_delta(),
            _ => return None,
        })
    }

    /// 1 or 2 digits; a leap second (60) is accepted at the end of any minute.
    const HOUR: &str = "(?:[01]?[0-9]|2[0-3])";
    const MINUTE: &str = "[0-5]?[0-9]";
    const SECOND: &str = "(?:[0-5]?[0-9]|60)";
    /// Any number of digits; those past nanoseconds are ignored.
    const FRACTION: &str = r"(?:\.[0-9]+)?";

    /// Short name, and the rest of the long name, matched without case.
    const WEEKDAYS: &[(&str, &str)] = &[
        ("mon", "day"),
        ("tue", "sday"),
        ("wed", "nesday"),
        ("thu", "rsday"),
        ("fri", "day"),
        ("sat", "urday"),
        ("sun", "day"),
    ];
    const MONTHS: &[(&str, &str)] = &[
        ("jan", "uary"),
        ("feb", "ruary"),
        ("mar", "ch"),
        ("apr", "il"),
        ("may", ""),
        ("jun", "e"),
        ("jul", "y"),
        ("aug", "ust"),
        ("sep", "tember"),
        ("oct", "ober"),
        ("nov", "ember"),
        ("dec", "ember"),
    ];

    fn names(names: &[(&str, &str)]) -> String {
        names
            .iter()
            .map(|(short, rest)| {
                if rest.is_empty() {
                    ignore_case(short)
                } else {
                    format!("{}(?:{})?", ignore_case(short), ignore_case(rest))
                }
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    /// Year, month and day, each after optional whitespace. A year without a sign has 1 to 4
    /// digits; with a sign, any number of digits (leading zeros too) within chrono's range,
    /// -262143 to +262142. February may have 29 days here: [`dated`] checks the leap year.
    fn date() -> String {
        let w = format!("[{RUST_SPACE}]*");
        let year = format!(
            "(?:[0-9]{{1,4}}|\\+0*(?:{})|-0*(?:{}))",
            at_most("262142"),
            at_most("262143")
        );
        let day_31 = "(?:0?[1-9]|[12][0-9]|3[01])";
        let day_30 = "(?:0?[1-9]|[12][0-9]|30)";
        let day_29 = "(?:0?[1-9]|[12][0-9])";
        format!(
            "{w}{year}{w}-{w}(?:(?:0?[13578]|1[02]){w}-{w}{day_31}|(?:0?[469]|11){w}-{w}{day_30}|0?2{w}-{w}{day_29})"
        )
    }

    /// A string matching `pattern` whose 29th of February, if any, is in a leap year.
    ///
    /// Gap: the extremes of the year range are not exact. An offset that moves a date-time
    /// past its range of years in UTC is refused by chrono and accepted here.
    fn dated(pattern: &str) -> Value {
        let w = format!("[{RUST_SPACE}]*");
        let mut schema = string(pattern);
        if let Some(map) = schema.as_object_mut() {
            map.insert(
                "if".into(),
                json!({ "pattern": format!("^{w}[+-]?[0-9]+{w}-{w}0?2{w}-{w}29(?:[^0-9]|$)") }),
            );
            map.insert(
                "then".into(),
                json!({ "pattern": format!("^{w}[+-]?(?:{LEAP_YEAR}){w}-") }),
            );
        }
        schema
    }

    fn time_delta() -> Value {
        let max_secs = i64::MAX / 1000;
        let min_secs = -max_secs - 1;
        // `TimeDelta::MAX` is 807 ms past its last whole second; `MIN` is 193 ms past its
        // first (the nanoseconds always count up).
        json!({
            "type": "array",
            "prefixItems": [int(min_secs, max_secs), int(0, 999_999_999)],
            "minItems": 2,
            "items": false,
            "allOf": [
                {
                    "if": { "prefixItems": [{ "const": max_secs }] },
                    "then": { "prefixItems": [true, { "maximum": 807_000_000 }] },
                },
                {
                    "if": { "prefixItems": [{ "const": min_secs }] },
                    "then": { "prefixItems": [true, { "minimum": 193_000_000 }] },
                },
            ],
        })
    }
}

/// time 0.3 (features `serde`, `parsing`). serde_json is human-readable, so with the
/// `serde-human-readable` feature these types read the string form *and* the tuple form;
/// without it, only the tuple form (and `Weekday`/`Month` only as numbers). A crate's features
/// are not visible from its source, so the schemas accept the union of both. Likewise the
/// `large-dates` feature allows a signed year of 5 or 6 digits (up to ±999999): accepted too.
/// Gap: without those features, the strings, and the years beyond ±9999, are refused by serde.
mod time {
    use serde_json::{Value, json};

    use super::{LEAP_YEAR_4, MONTH_DAY, any_of, at_most, int, string};

    pub(super) fn schema(name: &str) -> Option<Value> {
        let date =
            format!("(?:{YEAR}-(?:{MONTH_DAY})|(?:[+-][0-9]{{0,2}})?(?:{LEAP_YEAR_4})-02-29)");
        let clock = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{1,32}";
        let offset = "[+-](?:[01][0-9]|2[0-5]):[0-5][0-9]:[0-5][0-9]";
        let date_items = || vec![int(-999_999, 999_999), int(1, 366)];
        let clock_items = || vec![int(0, 23), int(0, 59), int(0, 59), int(0, 999_999_999)];
        let offset_items = || vec![int(-25, 25), int(-59, 59), int(-59, 59)];
        Some(match name {
            "OffsetDateTime" => either(
                &format!("^{date} {clock} {offset}$"),
                ordinal(tuple(
                    [date_items(), clock_items(), offset_items()].concat(),
                    9,
                )),
            ),
            "PrimitiveDateTime" | "PlainDateTime" | "UtcDateTime" => either(
                &format!("^{date} {clock}$"),
                ordinal(tuple([date_items(), clock_items()].concat(), 6)),
            ),
            "Date" => either(&format!("^{date}$"), ordinal(tuple(date_items(), 2))),
            "Time" => either(&format!("^{clock}$"), tuple(clock_items(), 4)),
            // The tuple may stop after the hours or the minutes.
            "UtcOffset" => either(&format!("^{offset}$"), tuple(offset_items(), 1)),
            // `"<seconds>.<nanoseconds>"` with an `i64` of seconds and at least one digit
            // after the point (digits past the ninth are dropped); or `(seconds, nanoseconds)`.
            "Duration" | "SignedDuration" => either(
                &format!(
                    r"^(?:\+?0*(?:{})|-0*(?:{}))\.[0-9]+$",
                    at_most(&i64::MAX.to_string()),
                    at_most(&i64::MIN.unsigned_abs().to_string())
                ),
                tuple(
                    vec![int(i64::MIN, i64::MAX), int(-999_999_999, 999_999_999)],
                    2,
                ),
            ),
            "Weekday" => named_or_numbered(&WEEKDAYS, 7),
            "Month" => named_or_numbered(&MONTHS, 12),
            _ => return None,
        })
    }

    /// Four digits, or a sign and four to six.
    const YEAR: &str = "(?:[+-][0-9]{0,2})?[0-9]{4}";
    const WEEKDAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    fn either(pattern: &str, tuple: Value) -> Value {
        any_of(vec![string(pattern), tuple])
    }

    /// An array of exactly `items`, of which the first `required` must be there.
    fn tuple(items: Vec<Value>, required: usize) -> Value {
        let mut tuple = json!({ "type": "array", "minItems": required, "items": false });
        if let Some(map) = tuple.as_object_mut() {
            map.insert("prefixItems".into(), Value::Array(items));
        }
        tuple
    }

    /// A tuple that starts with `(year, day of year)`: day 366 only in a leap year.
    fn ordinal(mut tuple: Value) -> Value {
        if let Some(map) = tuple.as_object_mut() {
            map.insert(
                "if".into(),
                json!({ "prefixItems": [true, { "const": 366 }] }),
            );
            map.insert(
                "then".into(),
                json!({ "prefixItems": [{ "anyOf": [
                    { "multipleOf": 400 },
                    { "multipleOf": 4, "not": { "multipleOf": 100 } },
                ] }] }),
            );
        }
        tuple
    }

    /// The English name, exactly, or its number from 1.
    fn named_or_numbered(names: &[&str], count: i64) -> Value {
        json!({ "anyOf": [{ "enum": names }, int(1, count)] })
    }
}

/// semver 1.x (feature `serde`), read with `FromStr`.
mod semver {
    use serde_json::Value;

    use super::{at_most, string};

    pub(super) fn schema(name: &str) -> Option<Value> {
        let number = format!("(?:{})", at_most(&u64::MAX.to_string()));
        // Pre-release identifiers: a number without leading zeros, or alphanumeric.
        let pre_id = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
        let pre = format!(r"-{pre_id}(?:\.{pre_id})*");
        let build = r"\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*";
        let wildcard = "[*xX]";
        // A partial version: `1`, `1.2`, `1.2.3-pre+build`, with wildcards in the place of the
        // minor and patch numbers.
        let partial = format!(
            r"{number}(?:\.(?:{wildcard}(?:\.{wildcard})?|{number}(?:\.(?:{wildcard}|{number}(?:{pre})?(?:{build})?))?))?"
        );
        let comparator = format!("(?:[=~^]|[<>]=?)? *{partial} *");
        Some(match name {
            "Version" => string(&format!(
                r"^{number}\.{number}\.{number}(?:{pre})?(?:{build})?$"
            )),
            // A lone wildcard, or up to 32 comparators separated by commas.
            "VersionReq" => {
                let mut schema = string(&format!(
                    "^ *(?:{wildcard} *|{comparator}(?:, *{comparator})*)$"
                ));
                if let Some(map) = schema.as_object_mut() {
                    map.insert(
                        "not".into(),
                        serde_json::json!({ "pattern": "(?:,[^,]*){32}" }),
                    );
                }
                schema
            }
            "Comparator" => string(&format!("^ *{comparator}$")),
            _ => return None,
        })
    }
}

/// toml 1.x. From JSON, a TOML value is anything but `null` (nested ones too) and integers
/// between `i64::MAX` and `u64::MAX`; `{"$__toml_private_datetime": "<datetime>"}` is how a
/// datetime travels through serde. The schemas are recursive: each carries its own `$id`, so
/// that its `$ref`s resolve wherever the caller embeds it. Embedding one twice repeats the
/// `$id`, which the `jsonschema` crate accepts but the specification leaves undefined: a caller
/// that can should put it in `$defs` once.
mod toml {
    use serde_json::{Value, json};

    use super::{LEAP_YEAR_4, MONTH_DAY};

    pub(super) fn schema(name: &str) -> Option<Value> {
        let datetime_object = |text: String| {
            json!({
                "type": "object",
                "properties": { DATETIME_FIELD: { "type": "string", "pattern": text } },
                "required": [DATETIME_FIELD],
                "additionalProperties": false,
            })
        };
        Some(match name {
            "Value" => recursive("value", json!({ "$ref": value_ref("value") })),
            // `Table` is `Map<String, Value>`, the only map toml can deserialize.
            "Table" | "Map" => recursive(
                "table",
                json!({
                    "type": "object",
                    "additionalProperties": { "$ref": value_ref("table") },
                }),
            ),
            "Datetime" => datetime_object(format!("^(?:{})$", datetime())),
            "Date" => datetime_object(format!("^{}$", full_date())),
            "Time" => datetime_object(format!("^{PARTIAL_TIME}$")),
            _ => return None,
        })
    }

    /// The key of toml's datetime marker object.
    const DATETIME_FIELD: &str = "$__toml_private_datetime";
    /// `HH:MM`, then optional `:SS` (60 allowed) and any digits of fraction.
    const PARTIAL_TIME: &str =
        r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\.[0-9]+)?)?";

    fn id(resource: &str) -> String {
        format!("urn:harmony:foreign:toml:{resource}")
    }

    fn value_ref(resource: &str) -> String {
        format!("{}#/$defs/value", id(resource))
    }

    /// `root`, with the definition of a TOML value under its own `$id` named `resource`.
    fn recursive(resource: &str, root: Value) -> Value {
        let mut schema = json!({ "$id": id(resource), "$defs": { "value": value(resource) } });
        if let (Some(map), Value::Object(root)) = (schema.as_object_mut(), root) {
            map.extend(root);
        }
        schema
    }

    /// Gap: `{"$__toml_private_datetime": ..., "other": ...}` is a table to toml unless the
    /// marker comes first (serde_json keeps the order of keys), and then an error; the schema
    /// always takes it for a table.
    fn value(resource: &str) -> Value {
        json!({
            "type": ["boolean", "number", "string", "array", "object"],
            "not": {
                "type": "integer",
                "minimum": 9_223_372_036_854_775_808_u64,
                "maximum": u64::MAX,
            },
            "items": { "$ref": value_ref(resource) },
            "additionalProperties": { "$ref": value_ref(resource) },
            "if": { "required": [DATETIME_FIELD], "maxProperties": 1 },
            "then": {
                "properties": {
                    DATETIME_FIELD: {
                        "type": "string",
                        "pattern": format!("^(?:{})$", datetime()),
                    },
                },
            },
        })
    }

    /// `YYYY-MM-DD`, a valid day.
    fn full_date() -> String {
        format!("(?:[0-9]{{4}}-(?:{MONTH_DAY})|(?:{LEAP_YEAR_4})-02-29)")
    }

    /// An offset date-time, a local date-time, a local date or a local time (TOML 1.1:
    /// seconds optional). `T`, `t` or a space between date and time; `Z`, `z` or `±HH:MM`.
    fn datetime() -> String {
        format!(
            "{date}(?:[Tt ]{PARTIAL_TIME}(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?)?|{PARTIAL_TIME}",
            date = full_date()
        )
    }
}

/// humantime 2.x, through `humantime_serde`.
mod humantime {
    use serde_json::Value;

    use super::{RUST_SPACE, string};

    /// `parse_duration`: numbers with units, `"1h 30m"`, `"1.5days"`, or a bare `"0"`.
    /// Whitespace may stand anywhere between the parts, even inside a number.
    ///
    /// Gaps: a number that overflows `u64`, a total that overflows `Duration`, and a fraction
    /// finer than the unit's nanoseconds (`"1.0000000001s"`, `"1.001h"`) are refused by
    /// humantime, accepted here. A fraction of nanoseconds (`"1.5ns"`) is refused by both.
    pub(super) fn duration() -> Value {
        let s = format!("[{RUST_SPACE}]");
        let number = format!("[0-9][0-9{RUST_SPACE}]*");
        let fraction = format!(r"\.{s}*[0-9][0-9{RUST_SPACE}]*");
        let nanos = "nanos|nsec|ns";
        let others = [
            "usec|us|\\u00B5s",
            "millis|msec|ms",
            "seconds|second|secs|sec|s",
            "minutes|minute|mins|min|m",
            "hours|hour|hrs|hr|h",
            "days|day|d",
            "weeks|week|wks|wk|w",
            "months|month|M",
            "years|year|yrs|yr|y",
        ]
        .join("|");
        let span = format!("{number}(?:{fraction}(?:{others})|(?:{nanos}|{others}))");
        string(&format!("^(?:0|{s}*{span}(?:{s}*{span})*{s}*)$"))
    }

    /// `parse_rfc3339_weak`: `YYYY-MM-DD`, `T` or a space, `hh:mm:ss` (60 allowed), from 1970.
    /// What may follow is checked by byte positions: a fraction of any digits (even none) then
    /// `Z` or `+` and any five bytes; or `Z` and up to five bytes more; or `+00:00`.
    ///
    /// Gap: the "any bytes" are ASCII here; humantime takes any UTF-8 of that many bytes.
    pub(super) fn timestamp() -> Value {
        let year = "(?:19[7-9][0-9]|[2-9][0-9]{3})";
        let leap_year = "(?:19(?:7[26]|8[048]|9[26])|[2-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)";
        let month_day = super::MONTH_DAY;
        let clock = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)";
        let byte = r"[\x00-\x7F]";
        string(&format!(
            r"^(?:{year}-(?:{month_day})|{leap_year}-02-29)[T ]{clock}(?:\.[0-9]*(?:Z|\+{byte}{{5}})?|Z{byte}{{0,5}}|\+00:00)?$"
        ))
    }
}

/// Rust's `char::is_whitespace`, which chrono and humantime skip: a character class body.
/// It differs from ECMA-262's `\s` (no U+FEFF, but U+0085).
const RUST_SPACE: &str =
    r"\t\n\x0B\x0C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// `MM-DD` with two digits each, a valid day of the month; February stops at the 28th.
const MONTH_DAY: &str = concat!(
    "(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    "|02-(?:0[1-9]|1[0-9]|2[0-8])",
);

/// A leap year of four digits: divisible by 4, and by 400 if by 100.
const LEAP_YEAR_4: &str =
    "[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00";

/// A leap year of any number of digits, leading zeros allowed (0 is a leap year).
const LEAP_YEAR: &str = concat!(
    // Divisible by 4, not by 100: the last two digits tell.
    "[0-9]*(?:0[48]|[2468][048]|[13579][26])|[48]",
    // Divisible by 400: ends in 00, and the hundreds are divisible by 4.
    "|(?:[0-9]*(?:0[048]|[2468][048]|[13579][26])|[048])?00|0",
);

fn string(pattern: &str) -> Value {
    json!({ "type": "string", "pattern": pattern })
}

fn any_of(schemas: Vec<Value>) -> Value {
    let mut any_of = serde_json::Map::new();
    any_of.insert("anyOf".into(), Value::Array(schemas));
    Value::Object(any_of)
}

fn int(minimum: i64, maximum: i64) -> Value {
    json!({ "type": "integer", "minimum": minimum, "maximum": maximum })
}

/// `word`, matched without regard to ASCII case: `[Uu][Tt][Cc]`.
fn ignore_case(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
            } else {
                regex_escape(c)
            }
        })
        .collect()
}

fn regex_escape(c: char) -> String {
    if r"\^$.|?*+()[]{}/".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// The decimal numbers from 0 to `max` (digits only), without leading zeros.
fn at_most(max: &str) -> String {
    let digits: Vec<u8> = max.bytes().map(|b| b.saturating_sub(b'0')).collect();
    let len = digits.len();
    let mut alternatives = vec!["0".to_owned()];
    if len > 1 {
        alternatives.push(format!("[1-9][0-9]{{0,{}}}", len - 2));
    }
    for (i, &digit) in digits.iter().enumerate() {
        let lowest = u8::from(i == 0);
        if digit > lowest {
            let rest = len - i - 1;
            let tail = if rest > 0 {
                format!("[0-9]{{{rest}}}")
            } else {
                String::new()
            };
            alternatives.push(format!("{}[{lowest}-{}]{tail}", &max[..i], digit - 1));
        }
    }
    alternatives.push(max.to_owned());
    alternatives.join("|")
}
