//! The fields of a schema as a tree: one [`Field`] per property, in declaration order, each
//! with the [`Kind`] of value it takes. The prompt asks one question per field.

use serde_json::Value;

use super::reader::{MAX_DEPTH, Schema, join, types};
use crate::redact::is_secret_path;

/// One value of a config, read off its schema.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Field {
    /// The wire name, as the stored object spells it; empty for the root.
    pub name: String,
    /// The schema's title and description, from the doc comment.
    pub help: Option<String>,
    /// Secret: at or below a secret path, or a value typed as a whole that holds one.
    pub secret: bool,
    /// The field may be left out: serde has a default for it.
    pub omittable: bool,
    /// `null` is a valid value: an `Option`.
    pub nullable: bool,
    /// The schema's `default`.
    pub default: Option<Value>,
    /// What kind of value it takes.
    pub kind: Kind,
}

/// The kinds of value a field takes.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Kind {
    /// A string.
    Text,
    /// A whole number within the bounds, from `minimum`/`maximum` or the integer `format`.
    Integer {
        /// The smallest value allowed.
        min: Option<i128>,
        /// The largest value allowed.
        max: Option<i128>,
    },
    /// A number within the bounds.
    Number {
        /// The smallest value allowed.
        min: Option<f64>,
        /// The largest value allowed.
        max: Option<f64>,
    },
    /// `true` or `false`.
    Bool,
    /// The unit variants of an enum, as their wire strings.
    Choice(Vec<String>),
    /// A list of scalars of the given kind; nested values are [`Kind::Json`].
    List(Box<Kind>),
    /// A map to scalars of the given kind; nested values are [`Kind::Json`].
    Map(Box<Kind>),
    /// A nested struct, field by field.
    Object(Vec<Field>),
    /// Anything else, as JSON.
    Json,
}

impl Field {
    /// The field at `path` (wire names) below this one.
    #[must_use]
    pub fn find(&self, path: &[String]) -> Option<&Field> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        match &self.kind {
            Kind::Object(fields) => fields.iter().find(|f| &f.name == first)?.find(rest),
            _ => None,
        }
    }
}

impl Schema<'_> {
    /// The fields to ask for, as a tree from the root, with `secret_fields` (dotted wire
    /// names, as [`crate::Config::SECRET_FIELDS`]) secret besides the schema's own marks.
    #[must_use]
    pub fn fields(self, secret_fields: &[&str]) -> Field {
        root(self, secret_fields)
    }
}

/// The root field: `secret_fields` and the schema's own secret paths are secret.
fn root(schema: Schema<'_>, secret_fields: &[&str]) -> Field {
    let mut secrets: Vec<String> = schema.secret_paths();
    for field in secret_fields {
        if !secrets.iter().any(|s| s == field) {
            secrets.push((*field).to_owned());
        }
    }
    let reader = Reader { schema, secrets };
    reader.field(String::new(), schema.root(), "", true, 0)
}

struct Reader<'a> {
    schema: Schema<'a>,
    secrets: Vec<String>,
}

impl<'a> Reader<'a> {
    fn field(
        &self,
        name: String,
        node: &'a Value,
        path: &str,
        required: bool,
        depth: usize,
    ) -> Field {
        let schema = self.schema;
        let (inner, nullable) = schema.nullable(node);
        let described = [node, schema.resolve(node), schema.resolve(inner)];
        let text = |key: &str| {
            described
                .iter()
                .find_map(|s| s.get(key).and_then(Value::as_str))
                .map(str::to_owned)
        };
        let help = match (text("title"), text("description")) {
            (Some(title), Some(description)) => Some(format!("{title} {description}")),
            (title, description) => title.or(description),
        };
        let kind = self.kind(inner, path, depth);
        let below = |secret: &String| {
            secret
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('.'))
        };
        let secret = (!path.is_empty() && is_secret_path(path, &self.secret_refs()))
            || (!matches!(kind, Kind::Object(_)) && self.secrets.iter().any(below));
        Field {
            name,
            help,
            secret,
            omittable: !required,
            nullable,
            default: described.iter().find_map(|s| s.get("default").cloned()),
            kind,
        }
    }

    fn secret_refs(&self) -> Vec<&str> {
        self.secrets.iter().map(String::as_str).collect()
    }

    fn kind(&self, node: &'a Value, path: &str, depth: usize) -> Kind {
        let schema = self.schema;
        let node = schema.resolve(node);
        if depth > MAX_DEPTH {
            return Kind::Json;
        }
        if let Some(choices) = schema.unit_variants(node) {
            return Kind::Choice(choices);
        }
        let number = |key: &str| node.get(key).and_then(Value::as_f64);
        match types(node).iter().find(|t| **t != "null").copied() {
            Some("string") => Kind::Text,
            Some("boolean") => Kind::Bool,
            Some("integer") => integer(node),
            Some("number") => Kind::Number {
                min: number("minimum"),
                max: number("maximum"),
            },
            Some("array") => match node.get("items") {
                Some(items) => Kind::List(Box::new(scalar(self.kind(items, path, depth + 1)))),
                None => Kind::Json,
            },
            Some("object") => self.object(node, path, depth),
            _ if node.get("properties").is_some() => self.object(node, path, depth),
            _ => Kind::Json,
        }
    }

    fn object(&self, node: &'a Value, path: &str, depth: usize) -> Kind {
        let properties = self.schema.properties(node);
        if properties.is_empty() {
            return match node.get("additionalProperties") {
                Some(Value::Bool(false)) => Kind::Object(Vec::new()),
                Some(values @ Value::Object(_)) => {
                    Kind::Map(Box::new(scalar(self.kind(values, path, depth + 1))))
                }
                _ => Kind::Map(Box::new(Kind::Json)),
            };
        }
        let fields = properties
            .iter()
            .map(|property| {
                self.field(
                    property.name.to_owned(),
                    property.schema,
                    &join(path, property.name),
                    property.required,
                    depth + 1,
                )
            })
            .collect();
        Kind::Object(fields)
    }
}

/// A list or map holds scalars typed inline; anything nested is typed as JSON.
fn scalar(kind: Kind) -> Kind {
    match kind {
        Kind::Object(_) | Kind::List(_) | Kind::Map(_) => Kind::Json,
        other => other,
    }
}

fn integer(node: &Value) -> Kind {
    let bound = |key: &str| {
        let value = node.get(key)?;
        value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
    };
    let (format_min, format_max) = match node.get("format").and_then(Value::as_str) {
        Some("int8") => (Some(i128::from(i8::MIN)), Some(i128::from(i8::MAX))),
        Some("int16") => (Some(i128::from(i16::MIN)), Some(i128::from(i16::MAX))),
        Some("int32") => (Some(i128::from(i32::MIN)), Some(i128::from(i32::MAX))),
        Some("int64") => (Some(i128::from(i64::MIN)), Some(i128::from(i64::MAX))),
        Some("uint8") => (Some(0), Some(i128::from(u8::MAX))),
        Some("uint16") => (Some(0), Some(i128::from(u16::MAX))),
        Some("uint32") => (Some(0), Some(i128::from(u32::MAX))),
        Some("uint64" | "uint") => (Some(0), Some(i128::from(u64::MAX))),
        _ => (None, None),
    };
    Kind::Integer {
        min: bound("minimum").or(format_min),
        max: bound("maximum").or(format_max),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn kinds(schema: &Value) -> Vec<(String, String)> {
        let Kind::Object(fields) = Schema::new(schema).fields(&["token"]).kind else {
            panic!("root is not an object");
        };
        fields
            .iter()
            .map(|f| {
                let flags = format!(
                    "{}{}{}",
                    if f.secret { " secret" } else { "" },
                    if f.nullable { " nullable" } else { "" },
                    if f.omittable { " omittable" } else { "" }
                );
                (f.name.clone(), format!("{:?}{flags}", f.kind))
            })
            .collect()
    }

    #[test]
    fn reads_generated_schema_dialect() {
        let schema = json!({
            "type": "object",
            "properties": {
                "host": {"type": "string"},
                "port": {"type": "integer", "minimum": 0, "maximum": 65535},
                "password": {"type": "string", "writeOnly": true},
                "tls": {"$ref": "#/$defs/Tls"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "limits": {"type": "object", "additionalProperties": {"type": "integer"}},
                "nick": {"type": ["string", "null"]},
                "mode": {"anyOf": [{"type": "object", "properties": {"Tcp": {"$ref": "#/$defs/Creds"}}}]},
            },
            "required": ["host", "password", "tls"],
            "$defs": {
                "Tls": {"anyOf": [
                    {"enum": ["off"], "type": "string"},
                    {"type": "object", "properties": {"off": {"type": "null"}}, "required": ["off"]},
                    {"enum": ["verify"], "type": "string"},
                ]},
                "Creds": {"properties": {"key": {"type": "string", "writeOnly": true}}},
            },
        });
        assert_eq!(
            kinds(&schema),
            [
                ("host", "Text"),
                (
                    "port",
                    "Integer { min: Some(0), max: Some(65535) } omittable"
                ),
                ("password", "Text secret"),
                ("tls", "Choice([\"off\", \"verify\"])"),
                ("tags", "List(Text) omittable"),
                ("limits", "Map(Integer { min: None, max: None }) omittable"),
                ("nick", "Text nullable omittable"),
                // Typed as JSON as a whole, with a secret inside: masked.
                ("mode", "Json secret omittable"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn reads_schemars_dialect() {
        let schema = json!({
            "type": "object",
            "properties": {
                "token": {"type": "string"},
                "retries": {"type": "integer", "format": "uint8", "minimum": 0},
                "level": {"anyOf": [{"$ref": "#/$defs/Level"}, {"type": "null"}]},
                "inner": {"$ref": "#/$defs/Inner"},
            },
            "required": ["token", "retries", "inner"],
            "$defs": {
                "Level": {"oneOf": [
                    {"type": "string", "const": "low", "description": "Quiet."},
                    {"type": "string", "const": "high"},
                ]},
                "Inner": {"type": "object", "properties": {"on": {"type": "boolean"}}},
            },
        });
        assert_eq!(
            kinds(&schema),
            [
                ("token", "Text secret"),
                ("retries", "Integer { min: Some(0), max: Some(255) }"),
                ("level", "Choice([\"low\", \"high\"]) nullable omittable"),
                (
                    "inner",
                    "Object([Field { name: \"on\", help: None, secret: false, omittable: true, nullable: false, default: None, kind: Bool }])"
                ),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn recursive_types_end_in_json() {
        let schema = json!({
            "type": "object",
            "properties": {"node": {"$ref": "#/$defs/Node"}},
            "$defs": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}},
        });
        let field = Schema::new(&schema).fields(&[]);
        let mut depth = 0;
        let mut current = &field;
        while let Kind::Object(fields) = &current.kind {
            current = &fields[0];
            depth += 1;
        }
        assert!(matches!(current.kind, Kind::Json), "{current:?}");
        assert_eq!(depth, MAX_DEPTH + 1, "one object per level, then JSON");
    }

    #[test]
    fn finds_nested_fields() {
        let schema = json!({
            "type": "object",
            "properties": {"db": {"type": "object", "properties": {"port": {"type": "integer"}}}},
        });
        let field = Schema::new(&schema).fields(&[]);
        let port = field.find(&["db".to_owned(), "port".to_owned()]).unwrap();
        assert_eq!(port.name, "port");
        assert!(field.find(&["db".to_owned(), "nope".to_owned()]).is_none());
    }
}
