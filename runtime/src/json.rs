//! JSON text as sources hold it, read with one depth limit everywhere: by a `get`, by
//! `cargo harmony get` and `doctor`, and by `cargo harmony set`.

use serde_json::Value;

use crate::ConfigError;

/// How deeply a stored value may nest arrays and objects. Deeper text is refused with the same
/// error wherever it is read, below serde_json's own limit (128), which a typed read would
/// otherwise step around in a field it skips, and an untyped one would report in its own words.
pub const MAX_DEPTH: usize = 100;

/// Parses `text` as JSON; `origin` says where it came from, for the error.
///
/// # Errors
///
/// [`ConfigError::Parse`], naming `origin`, the line and the column, when `text` is not JSON
/// or nests deeper than [`MAX_DEPTH`]. The message never quotes the text.
pub fn parse(text: &str, origin: &str) -> Result<Value, ConfigError> {
    parse_with(text, || origin.to_owned())
}

/// [`parse`], with the origin built only for an error.
pub(crate) fn parse_with(
    text: &str,
    origin: impl FnOnce() -> String,
) -> Result<Value, ConfigError> {
    if let Some(at) = too_deep(text) {
        return Err(ConfigError::TooDeep {
            origin: origin(),
            limit: MAX_DEPTH,
            at: Some(at),
        });
    }
    serde_json::from_str(text).map_err(|error| {
        let position = format!(" at line {} column {}", error.line(), error.column());
        let full = error.to_string();
        ConfigError::Parse {
            origin: origin(),
            format: "JSON",
            message: full.strip_suffix(&position).unwrap_or(&full).to_owned(),
            line: error.line(),
            column: error.column(),
        }
    })
}

/// Fails when `value`, JSON already (from a team store), nests deeper than [`MAX_DEPTH`].
pub(crate) fn check_depth(
    value: &Value,
    origin: impl FnOnce() -> String,
) -> Result<(), ConfigError> {
    let mut level: Vec<&Value> = vec![value];
    // Each round goes one level down: the containers at depths 2 to MAX_DEPTH + 1.
    for _ in 0..MAX_DEPTH {
        level = level
            .into_iter()
            .flat_map(|v| match v {
                Value::Array(items) => items.iter().collect::<Vec<_>>(),
                Value::Object(map) => map.values().collect(),
                _ => Vec::new(),
            })
            .filter(|v| v.is_array() || v.is_object())
            .collect();
        if level.is_empty() {
            return Ok(());
        }
    }
    Err(ConfigError::TooDeep {
        origin: origin(),
        limit: MAX_DEPTH,
        at: None,
    })
}

/// Where `text` first opens an array or object deeper than [`MAX_DEPTH`], as 1-based line and
/// column; `None` when it never does. Brackets inside strings do not count.
pub(crate) fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            '\n' => (line, column) = (line + 1, 0),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_depth_limit_with_its_own_message() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&deep(MAX_DEPTH), "x").is_ok());
        let error = parse(&deep(50_000), "the variable X")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "the variable X holds JSON that nests arrays and objects deeper than 100 levels, harmony_config's limit, at line 1, column 101"
        );
        let value = |n: usize| serde_json::from_str::<Value>(&deep(n)).unwrap();
        assert!(check_depth(&value(MAX_DEPTH), String::new).is_ok());
        assert!(check_depth(&value(MAX_DEPTH + 1), String::new).is_err());
        assert!(check_depth(&Value::Null, String::new).is_ok());
        // Brackets in strings are text.
        let text = format!("{{\"a\": \"{}\"}}", "[".repeat(500));
        assert!(parse(&text, "x").is_ok());
        assert_eq!(too_deep("{\"a\": \"\\\"[[[\"}"), None);
    }
}
