//! Values checked against their key's JSON Schema, the same way for `set`, `prompt`, `push`
//! and `doctor`. What is wrong is named by field path and expectation, never by the value,
//! which may be a secret.

use harmony_config::prompt::Problem;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// A key's schema, ready to check values.
pub(crate) struct Validator {
    validator: jsonschema::Validator,
}

/// One way a value breaks its schema.
pub(crate) struct Violation {
    /// The dotted field path, `.` for the value itself.
    pub(crate) at: String,
    /// What was expected, without the value.
    pub(crate) what: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.at, self.what)
    }
}

impl Validator {
    /// The validator for `key`'s `schema`; the error says why the schema is unusable.
    pub(crate) fn new(key: &str, schema: &Value) -> Result<Self, String> {
        jsonschema::validator_for(schema)
            .map(|validator| Self { validator })
            .map_err(|error| {
                format!("the JSON Schema of `{key}` is one the validator refuses: {error}")
            })
    }

    /// Each way `value` breaks the schema.
    pub(crate) fn violations(&self, value: &Value) -> Vec<Violation> {
        self.validator
            .iter_errors(value)
            .map(|error| {
                let path = error.instance_path().to_string();
                let at = if path.is_empty() {
                    ".".to_owned()
                } else {
                    path.trim_start_matches('/').replace('/', ".")
                };
                // The masked message says what was expected without quoting the value.
                Violation {
                    at,
                    what: error.masked().to_string(),
                }
            })
            .collect()
    }

    /// The first thing the schema finds wrong with `value`, as the prompt's form repairs it.
    pub(crate) fn problem(&self, value: &Value) -> Option<Problem> {
        let error = self.validator.iter_errors(value).next()?;
        let mut path: Vec<String> = error
            .instance_path()
            .iter()
            .map(|segment| segment.to_string())
            .collect();
        Some(match error.kind() {
            ValidationErrorKind::Required { property } => {
                path.push(
                    property
                        .as_str()
                        .map_or_else(|| property.to_string(), str::to_owned),
                );
                Problem::Missing(path)
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected }
                if !unexpected.is_empty() =>
            {
                path.push(unexpected[0].clone());
                Problem::Unknown(path)
            }
            _ => Problem::Invalid {
                path,
                message: error.masked().to_string(),
            },
        })
    }
}

/// Each way `value` breaks `schema`; a schema the validator refuses is one violation at `.`.
pub(crate) fn violations(key: &str, schema: &Value, value: &Value) -> Vec<Violation> {
    match Validator::new(key, schema) {
        Ok(validator) => validator.violations(value),
        Err(what) => vec![Violation {
            at: ".".to_owned(),
            what,
        }],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn violations_name_the_field_without_the_value() {
        let schema = json!({ "type": "object", "properties": { "port": { "type": "integer" } }, "required": ["port"] });
        let problems = violations("app.Db", &schema, &json!({ "port": "hunter2" }));
        assert_eq!(problems.len(), 1);
        let shown = problems[0].to_string();
        assert!(
            shown.starts_with("at `port`: ") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(violations("app.Db", &schema, &json!({ "port": 1 })).is_empty());
        let missing = violations("app.Db", &schema, &json!({}));
        assert_eq!(missing[0].at, ".");
        assert!(missing[0].what.contains("port"), "{}", missing[0].what);
    }

    #[test]
    fn schema_errors_become_the_problems_the_form_repairs() {
        let schema = json!({
            "type": "object",
            "properties": {
                "port": { "type": "integer" },
                "tls": {
                    "type": "object",
                    "properties": { "cert": { "type": "string" } },
                    "required": ["cert"],
                    "additionalProperties": false
                }
            },
            "required": ["port", "tls"]
        });
        let validator = Validator::new("app.Db", &schema).unwrap();
        assert_eq!(
            validator.problem(&json!({ "port": 1 })),
            Some(Problem::Missing(path(&["tls"])))
        );
        assert_eq!(
            validator.problem(&json!({ "port": 1, "tls": {} })),
            Some(Problem::Missing(path(&["tls", "cert"])))
        );
        assert_eq!(
            validator.problem(&json!({ "port": 1, "tls": { "cert": "c", "old": 1 } })),
            Some(Problem::Unknown(path(&["tls", "old"])))
        );
        let Some(Problem::Invalid { path: at, message }) =
            validator.problem(&json!({ "port": "hunter2", "tls": { "cert": "c" } }))
        else {
            panic!("a wrong type is invalid");
        };
        assert_eq!(at, path(&["port"]));
        assert!(!message.contains("hunter2"), "{message}");
        assert_eq!(
            validator.problem(&json!({ "port": 1, "tls": { "cert": "c" } })),
            None
        );
    }
}
