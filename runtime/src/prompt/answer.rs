//! Typed answers: the text a user typed, checked and turned into JSON for one [`Kind`].
//!
//! The same function validates while the user types (the prompt re-asks with its message)
//! and converts once they submit, so what is accepted is exactly what is stored.

use serde_json::{Map, Number, Value};

use crate::schema::Kind;

/// `text` as a value of `kind`, or a message saying what is expected. Never quotes `text`,
/// which may be a secret.
pub(crate) fn parse(kind: &Kind, text: &str) -> Result<Value, String> {
    let text = text.trim();
    match kind {
        Kind::Text => Ok(Value::String(text.to_owned())),
        Kind::Integer { min, max } => integer(text, *min, *max),
        Kind::Number { min, max } => number(text, *min, *max),
        Kind::Bool => match text.to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" => Ok(Value::Bool(true)),
            "n" | "no" | "false" => Ok(Value::Bool(false)),
            _ => Err("expected yes or no".to_owned()),
        },
        Kind::Choice(choices) => choices
            .iter()
            .find(|c| c.as_str() == text)
            .map(|c| Value::String(c.clone()))
            .ok_or_else(|| format!("expected one of: {}", choices.join(", "))),
        Kind::List(item) => list(item, text),
        Kind::Map(value) => map(value, text),
        Kind::Object(_) | Kind::Json => json(text),
    }
}

/// `text` as JSON, within the depth every reader of the stored value allows.
fn json(text: &str) -> Result<Value, String> {
    if crate::json::too_deep(text).is_some() {
        return Err(format!(
            "expected JSON that nests arrays and objects at most {} levels deep",
            crate::json::MAX_DEPTH
        ));
    }
    serde_json::from_str(text).map_err(|e| format!("expected JSON: {}", json_problem(&e)))
}

/// How a value of `kind` is typed, for the help line.
pub(crate) fn hint(kind: &Kind) -> Option<String> {
    match kind {
        Kind::Integer { min, max } => Some(match (min, max) {
            (Some(min), Some(max)) => format!("a whole number from {min} to {max}"),
            (Some(min), None) => format!("a whole number, at least {min}"),
            (None, Some(max)) => format!("a whole number, at most {max}"),
            (None, None) => "a whole number".to_owned(),
        }),
        Kind::Number { .. } => Some("a number".to_owned()),
        Kind::List(_) => Some("comma-separated, or a JSON array".to_owned()),
        Kind::Map(_) => Some("key=value pairs separated by commas, or a JSON object".to_owned()),
        Kind::Object(_) | Kind::Json => Some("JSON".to_owned()),
        Kind::Text | Kind::Bool | Kind::Choice(_) => None,
    }
}

/// Whether `value` is already a valid answer of `kind`; a stored value that is not (say a
/// string where a number belongs now) is not offered as the default.
pub(crate) fn fits(kind: &Kind, value: &Value) -> bool {
    match (kind, value) {
        (Kind::Json, _)
        | (Kind::Text, Value::String(_))
        | (Kind::Bool, Value::Bool(_))
        | (Kind::Object(_), Value::Object(_)) => true,
        (Kind::Integer { .. } | Kind::Number { .. }, Value::Number(n)) => {
            parse(kind, &n.to_string()).is_ok()
        }
        (Kind::Choice(choices), Value::String(s)) => choices.contains(s),
        (Kind::List(item), Value::Array(items)) => items.iter().all(|v| fits(item, v)),
        (Kind::Map(item), Value::Object(entries)) => entries.values().all(|v| fits(item, v)),
        _ => false,
    }
}

/// A current value shown as the default answer, in the form [`parse`] reads back.
pub(crate) fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn integer(text: &str, min: Option<i128>, max: Option<i128>) -> Result<Value, String> {
    let expected = || hint(&Kind::Integer { min, max }).unwrap_or_default();
    let n: i128 = text
        .replace('_', "")
        .parse()
        .map_err(|_| format!("expected {}", expected()))?;
    if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
        return Err(format!("out of range: expected {}", expected()));
    }
    if let Ok(n) = i64::try_from(n) {
        Ok(Value::Number(n.into()))
    } else if let Ok(n) = u64::try_from(n) {
        Ok(Value::Number(n.into()))
    } else {
        Err(format!("out of range: expected {}", expected()))
    }
}

fn number(text: &str, min: Option<f64>, max: Option<f64>) -> Result<Value, String> {
    let n: f64 = text.parse().map_err(|_| "expected a number".to_owned())?;
    let number = Number::from_f64(n).ok_or_else(|| "expected a finite number".to_owned())?;
    if let Some(min) = min.filter(|min| n < *min) {
        return Err(format!("out of range: expected at least {min}"));
    }
    if let Some(max) = max.filter(|max| n > *max) {
        return Err(format!("out of range: expected at most {max}"));
    }
    Ok(Value::Number(number))
}

fn list(item: &Kind, text: &str) -> Result<Value, String> {
    if text.starts_with('[') {
        let Value::Array(items) = parse(&Kind::Json, text)? else {
            return Err("expected a JSON array".to_owned());
        };
        return items
            .iter()
            .enumerate()
            .map(|(i, v)| typed_item(item, v).map_err(|e| format!("item {}: {e}", i + 1)))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    split(text)
        .enumerate()
        .map(|(i, part)| parse(item, part).map_err(|e| format!("item {}: {e}", i + 1)))
        .collect::<Result<_, _>>()
        .map(Value::Array)
}

fn map(value: &Kind, text: &str) -> Result<Value, String> {
    if text.starts_with('{') {
        let Value::Object(entries) = parse(&Kind::Json, text)? else {
            return Err("expected a JSON object".to_owned());
        };
        return entries
            .into_iter()
            .map(|(k, v)| {
                typed_item(value, &v)
                    .map(|v| (k.clone(), v))
                    .map_err(|e| format!("`{k}`: {e}"))
            })
            .collect::<Result<Map<_, _>, _>>()
            .map(Value::Object);
    }
    split(text)
        .map(|pair| {
            let (key, v) = pair
                .split_once('=')
                .ok_or_else(|| "expected key=value pairs".to_owned())?;
            let key = key.trim().to_owned();
            parse(value, v)
                .map(|v| (key.clone(), v))
                .map_err(|e| format!("`{key}`: {e}"))
        })
        .collect::<Result<Map<_, _>, _>>()
        .map(Value::Object)
}

/// An item given in JSON: checked against the item kind, re-read from text when it is a
/// string standing for another scalar (`["1", "2"]` for numbers is refused, as serde would).
fn typed_item(kind: &Kind, value: &Value) -> Result<Value, String> {
    match (kind, value) {
        (Kind::Json, v) => Ok(v.clone()),
        (Kind::Text | Kind::Choice(_), Value::String(s)) => parse(kind, s),
        (
            Kind::Integer { .. } | Kind::Number { .. } | Kind::Bool,
            v @ (Value::Number(_) | Value::Bool(_)),
        ) => parse(kind, &v.to_string()),
        _ => Err(format!(
            "expected {}",
            hint(kind).unwrap_or_else(|| "text".to_owned())
        )),
    }
}

/// Comma-separated parts; an empty answer is an empty list.
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

fn json_problem(error: &serde_json::Error) -> String {
    // serde_json's syntax messages describe the grammar, never the input's content.
    let message = error.to_string();
    match message.split_once(" at line ") {
        Some((what, _)) => format!("{what} at column {}", error.column()),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn int(min: i128, max: i128) -> Kind {
        Kind::Integer {
            min: Some(min),
            max: Some(max),
        }
    }

    #[test]
    fn integers_are_range_checked() {
        assert_eq!(parse(&int(0, 65535), " 8080 "), Ok(json!(8080)));
        assert_eq!(parse(&int(0, 65535), "1_000"), Ok(json!(1000)));
        assert_eq!(
            parse(&int(0, 65535), "70000"),
            Err("out of range: expected a whole number from 0 to 65535".to_owned())
        );
        assert_eq!(
            parse(&int(0, 255), "abc"),
            Err("expected a whole number from 0 to 255".to_owned())
        );
        let big = Kind::Integer {
            min: None,
            max: None,
        };
        assert_eq!(parse(&big, "18446744073709551615"), Ok(json!(u64::MAX)));
        assert!(parse(&big, "18446744073709551616").is_err());
    }

    #[test]
    fn lists_take_commas_or_json() {
        let strings = Kind::List(Box::new(Kind::Text));
        assert_eq!(parse(&strings, "a, b ,c"), Ok(json!(["a", "b", "c"])));
        assert_eq!(parse(&strings, ""), Ok(json!([])));
        assert_eq!(parse(&strings, r#"["a,b"]"#), Ok(json!(["a,b"])));
        let ports = Kind::List(Box::new(int(0, 65535)));
        assert_eq!(parse(&ports, "80, 443"), Ok(json!([80, 443])));
        assert_eq!(
            parse(&ports, "80, x"),
            Err("item 2: expected a whole number from 0 to 65535".to_owned())
        );
        assert!(parse(&ports, r#"["80"]"#).is_err(), "serde refuses strings");
    }

    #[test]
    fn maps_take_pairs_or_json() {
        let limits = Kind::Map(Box::new(int(0, 10)));
        assert_eq!(parse(&limits, "a=1, b = 2"), Ok(json!({"a": 1, "b": 2})));
        assert_eq!(parse(&limits, r#"{"a": 3}"#), Ok(json!({"a": 3})));
        assert_eq!(
            parse(&limits, "a=11"),
            Err("`a`: out of range: expected a whole number from 0 to 10".to_owned())
        );
        assert_eq!(
            parse(&limits, "a"),
            Err("expected key=value pairs".to_owned())
        );
    }

    #[test]
    fn json_errors_do_not_quote_the_input() {
        let error = parse(&Kind::Json, r#"{"password": hunter2}"#).unwrap_err();
        assert!(!error.contains("hunter2"), "{error}");
        assert!(
            error.starts_with("expected JSON: expected value at column"),
            "{error}"
        );
    }

    #[test]
    fn choices_and_bools() {
        let level = Kind::Choice(vec!["low".to_owned(), "high".to_owned()]);
        assert_eq!(parse(&level, "high"), Ok(json!("high")));
        assert_eq!(
            parse(&level, "mid"),
            Err("expected one of: low, high".to_owned())
        );
        assert_eq!(parse(&Kind::Bool, "Yes"), Ok(json!(true)));
        assert_eq!(display(&json!("x")), "x");
        assert!(fits(&level, &json!("low")) && !fits(&level, &json!("mid")));
        assert!(
            !fits(&Kind::Text, &json!(5)),
            "a number is no longer a valid string"
        );
        assert!(!fits(&int(0, 65535), &json!(70000)));
        assert!(fits(&Kind::List(Box::new(int(0, 9))), &json!([1, 2])));
        assert_eq!(display(&json!([1, 2])), "[1,2]");
    }
}
