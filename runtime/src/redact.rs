//! Keeping secret values out of everything this crate displays.
//!
//! Two helpers, used wherever a value or a serde message is shown:
//! - [`redact`] replaces secret fields of a value with [`REDACTED`];
//! - [`sanitize_serde_message`] rebuilds a serde message without the offending value, since
//!   serde quotes it (`invalid type: string "hunter2", expected u16`).

use serde_json::Value;

/// What a redacted value reads as.
pub const REDACTED: &str = "<redacted>";

/// Returns `value` with every secret field replaced by [`REDACTED`].
///
/// `secret_fields` holds dotted wire names, as in [`crate::Config::SECRET_FIELDS`]; a name covers
/// its whole subtree, and array elements share the path of their array.
///
/// ```
/// use serde_json::json;
/// let value = json!({"user": "admin", "db": {"password": "hunter2"}});
/// let shown = harmony_config::redact::redact(&value, &["db.password"]);
/// assert_eq!(shown, json!({"user": "admin", "db": {"password": "<redacted>"}}));
/// ```
#[must_use]
pub fn redact(value: &Value, secret_fields: &[&str]) -> Value {
    let mut out = value.clone();
    redact_in_place(&mut out, "", secret_fields);
    out
}

fn redact_in_place(value: &mut Value, path: &str, secret_fields: &[&str]) {
    match value {
        Value::Object(map) => {
            for (name, child) in map.iter_mut() {
                let child_path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                if is_secret_path(&child_path, secret_fields) {
                    *child = Value::String(REDACTED.to_owned());
                } else {
                    redact_in_place(child, &child_path, secret_fields);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                redact_in_place(item, path, secret_fields);
            }
        }
        _ => {}
    }
}

/// Whether the dotted `path` is a secret field or lies below one.
#[must_use]
pub fn is_secret_path(path: &str, secret_fields: &[&str]) -> bool {
    secret_fields.iter().any(|secret| {
        path.strip_prefix(secret)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// Rebuilds a serde error message so that it names the expected type but not the value.
///
/// The patterns serde itself produces keep their meaning: `invalid type: string "hunter2",
/// expected u16` becomes `invalid type: expected u16, found string`. Any other message comes from
/// a type's own `Deserialize` code and may quote anything, so it is kept only when `secret` is
/// false.
#[must_use]
pub fn sanitize_serde_message(message: &str, secret: bool) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        // Already rebuilt, e.g. by `Secret<T>`: keep it, so that rebuilding twice changes nothing.
        if message
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with("expected ") && !rest.contains(['"', '`']))
        {
            return message.to_owned();
        }
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some(at) = rest.rfind(", expected ")
        {
            let found = unexpected_kind(&rest[..at]);
            let expected = &rest[at + ", expected ".len()..];
            return format!("{prefix}expected {expected}, found {found}");
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let tail = rest
            .rfind(", expected ")
            .or_else(|| rest.rfind(", there are no variants"));
        return match tail {
            Some(at) => format!("unknown variant{}", &rest[at..]),
            None => "unknown variant".to_owned(),
        };
    }
    let structural = [
        "missing field `",
        "duplicate field `",
        "unknown field `",
        "invalid length ",
    ];
    if !secret || structural.iter().any(|p| message.starts_with(p)) {
        return message.to_owned();
    }
    "invalid value (details withheld: secret field)".to_owned()
}

/// The kind of an `Unexpected` description, without its value: `string "x"` gives `string`.
fn unexpected_kind(unexpected: &str) -> &str {
    let kind = unexpected.split(['"', '`']).next().unwrap_or("").trim();
    match kind {
        "unit value" => "null",
        "" => "a value",
        kind => kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebuilds_serde_messages_without_values() {
        let cases = [
            (
                r#"invalid type: string "hunter2", expected u16"#,
                "invalid type: expected u16, found string",
            ),
            (
                "invalid value: integer `70000`, expected u16",
                "invalid value: expected u16, found integer",
            ),
            (
                "invalid type: unit value, expected a string",
                "invalid type: expected a string, found null",
            ),
            (
                r#"invalid type: string "a, expected b", expected u16"#,
                "invalid type: expected u16, found string",
            ),
            (
                "unknown variant `hunter2`, expected `a` or `b`",
                "unknown variant, expected `a` or `b`",
            ),
            ("missing field `port`", "missing field `port`"),
        ];
        for (message, expected) in cases {
            assert_eq!(sanitize_serde_message(message, true), expected);
            assert!(!sanitize_serde_message(message, false).contains("hunter2"));
        }
    }

    #[test]
    fn rebuilding_is_idempotent() {
        let once = sanitize_serde_message(r#"invalid type: string "hunter2", expected u16"#, true);
        assert_eq!(sanitize_serde_message(&once, true), once);
    }

    #[test]
    fn custom_messages_are_withheld_only_for_secrets() {
        let custom = "token hunter2 is too short";
        assert_eq!(sanitize_serde_message(custom, false), custom);
        assert!(!sanitize_serde_message(custom, true).contains("hunter2"));
    }

    #[test]
    fn secret_paths_cover_their_subtree_only() {
        assert!(is_secret_path("db", &["db"]));
        assert!(is_secret_path("db.password", &["db"]));
        assert!(!is_secret_path("dbx", &["db"]));
        assert!(!is_secret_path("host", &["db"]));
    }
}
