//! What to ask for, read off a JSON Schema: one [`Field`] per property, in declaration order.
//!
//! Both schema dialects in use are understood: `schemars::schema_for!` output, and the schema
//! `harmony_codegen` generates. Anything this module does not recognise is asked as JSON, so
//! an unusual type is never unaskable.

use serde_json::{Map, Value};

use crate::SECRET_SCHEMA_KEYWORD;

/// One value to ask for.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    /// The wire name, as the stored object spells it; empty for the root.
    pub(crate) name: String,
    /// The title and description of the schema, from the doc comment.
    pub(crate) help: Option<String>,
    /// Masked input; inherited by everything below a secret field.
    pub(crate) secret: bool,
    /// The field may be left out: serde has a default for it.
    pub(crate) omittable: bool,
    /// `null` is a valid answer: an `Option`.
    pub(crate) nullable: bool,
    /// The schema's `default`, offered when there is no earlier value.
    pub(crate) default: Option<Value>,
    /// What kind of input it takes.
    pub(crate) kind: Kind,
}

/// The kinds of input, one per prompt widget.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Text,
    Integer {
        min: Option<i128>,
        max: Option<i128>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
    },
    Bool,
    /// Unit variants of an enum, as their wire strings.
    Choice(Vec<String>),
    /// Comma-separated or JSON; items of the given kind.
    List(Box<Kind>),
    /// `k=v` pairs or JSON; values of the given kind.
    Map(Box<Kind>),
    /// A nested struct, asked field by field under a heading.
    Object(Vec<Field>),
    /// Anything else, typed as JSON.
    Json,
}

/// Nested `$ref`s deeper than this are asked as JSON, so a recursive type cannot loop.
const MAX_DEPTH: usize = 16;

/// The root field of a config: its schema must describe an object.
pub(crate) fn root(schema: &Value, secret_fields: &[String]) -> Field {
    let reader = Reader {
        root: schema,
        secret_fields,
    };
    reader.field(String::new(), schema, "", false, true, 0)
}

/// The field at `path` below `field`, for asking about one part of a value.
pub(crate) fn find<'f>(field: &'f Field, path: &[String]) -> Option<&'f Field> {
    let Some((first, rest)) = path.split_first() else {
        return Some(field);
    };
    match &field.kind {
        Kind::Object(fields) => find(fields.iter().find(|f| &f.name == first)?, rest),
        _ => None,
    }
}

struct Reader<'a> {
    root: &'a Value,
    secret_fields: &'a [String],
}

impl Reader<'_> {
    fn field(
        &self,
        name: String,
        schema: &Value,
        path: &str,
        inherited_secret: bool,
        required: bool,
        depth: usize,
    ) -> Field {
        let outer = schema;
        let (schema, nullable) = self.unwrap_nullable(schema, depth);
        let described = [
            outer,
            self.resolve(outer, depth),
            self.resolve(schema, depth),
        ];
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
        let secret = inherited_secret
            || self.secret_fields.iter().any(|f| f == path)
            || described.iter().any(|s| is_marked_secret(s));
        let kind = self.kind(schema, path, secret, depth);
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

    /// Follows `$ref` (and a lone `allOf` wrapper) to the schema it names.
    fn resolve<'s>(&'s self, schema: &'s Value, depth: usize) -> &'s Value {
        if depth > MAX_DEPTH {
            return schema;
        }
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.root.pointer(pointer))
        {
            return self.resolve(target, depth + 1);
        }
        match schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => self.resolve(only, depth + 1),
            _ => schema,
        }
    }

    /// `Option<T>`: `anyOf: [T, {type: null}]` or `type: [..., "null"]`. Returns `T`'s schema.
    fn unwrap_nullable<'s>(&'s self, schema: &'s Value, depth: usize) -> (&'s Value, bool) {
        let resolved = self.resolve(schema, depth);
        for keyword in ["anyOf", "oneOf"] {
            if let Some([a, b]) = resolved
                .get(keyword)
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                if is_null(b) {
                    return (a, true);
                }
                if is_null(a) {
                    return (b, true);
                }
            }
        }
        let nullable = types(resolved).contains(&"null") || is_null(resolved);
        (schema, nullable)
    }

    fn kind(&self, schema: &Value, path: &str, secret: bool, depth: usize) -> Kind {
        let schema = self.resolve(schema, depth);
        if depth > MAX_DEPTH {
            return Kind::Json;
        }
        if let Some(choices) = self.choices(schema, depth) {
            return Kind::Choice(choices);
        }
        let number = |key: &str| schema.get(key).and_then(Value::as_f64);
        match types(schema).iter().find(|t| **t != "null").copied() {
            Some("string") => Kind::Text,
            Some("boolean") => Kind::Bool,
            Some("integer") => integer(schema),
            Some("number") => Kind::Number {
                min: number("minimum"),
                max: number("maximum"),
            },
            Some("array") => match schema.get("items") {
                Some(items) => {
                    Kind::List(Box::new(scalar(self.kind(items, path, secret, depth + 1))))
                }
                None => Kind::Json,
            },
            Some("object") => self.object(schema, path, secret, depth),
            _ if schema.get("properties").is_some() => self.object(schema, path, secret, depth),
            _ => Kind::Json,
        }
    }

    fn object(&self, schema: &Value, path: &str, secret: bool, depth: usize) -> Kind {
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        if properties.is_empty() {
            return match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => Kind::Object(Vec::new()),
                Some(values @ Value::Object(_)) => {
                    Kind::Map(Box::new(scalar(self.kind(values, path, secret, depth + 1))))
                }
                _ => Kind::Map(Box::new(Kind::Json)),
            };
        }
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let fields = properties
            .iter()
            .map(|(name, property)| {
                let path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                let required = required.contains(&name.as_str());
                self.field(name.clone(), property, &path, secret, required, depth + 1)
            })
            .collect();
        Kind::Object(fields)
    }

    /// The wire strings of an enum whose variants are all units, in declaration order.
    ///
    /// Accepts `enum: [..]`, `const`, and `anyOf`/`oneOf` branches of those; the generated
    /// schema also lists the `{"Variant": null}` form of each unit variant, which is skipped.
    fn choices(&self, schema: &Value, depth: usize) -> Option<Vec<String>> {
        let schema = self.resolve(schema, depth);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect();
        }
        if let Some(value) = schema.get("const") {
            return value.as_str().map(|v| vec![v.to_owned()]);
        }
        let branches = ["anyOf", "oneOf"]
            .iter()
            .find_map(|k| schema.get(*k).and_then(Value::as_array))?;
        let mut choices = Vec::new();
        for branch in branches {
            if is_unit_variant_object(self.resolve(branch, depth + 1)) {
                continue;
            }
            for choice in self.choices(branch, depth + 1)? {
                if !choices.contains(&choice) {
                    choices.push(choice);
                }
            }
        }
        (!choices.is_empty()).then_some(choices)
    }
}

/// A list or map holds scalars typed inline; anything nested is typed as JSON.
fn scalar(kind: Kind) -> Kind {
    match kind {
        Kind::Object(_) | Kind::List(_) | Kind::Map(_) => Kind::Json,
        other => other,
    }
}

fn integer(schema: &Value) -> Kind {
    let bound = |key: &str| {
        let value = schema.get(key)?;
        value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
    };
    let (format_min, format_max) = match schema.get("format").and_then(Value::as_str) {
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

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_null(schema: &Value) -> bool {
    types(schema) == ["null"] || schema.get("const") == Some(&Value::Null)
}

fn is_marked_secret(schema: &Value) -> bool {
    [SECRET_SCHEMA_KEYWORD, "writeOnly"]
        .iter()
        .any(|k| schema.get(*k) == Some(&Value::Bool(true)))
}

/// `{"type": "object", "properties": {"V": {"type": "null"}}, "required": ["V"]}`: the
/// map form serde also accepts for a unit variant.
fn is_unit_variant_object(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| p.len() == 1 && p.values().all(is_null))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn kinds(schema: &Value) -> Vec<(String, String)> {
        let Kind::Object(fields) = root(schema, &["token".to_owned()]).kind else {
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
            },
            "required": ["host", "password", "tls"],
            "$defs": {"Tls": {"anyOf": [
                {"enum": ["off"], "type": "string"},
                {"type": "object", "properties": {"off": {"type": "null"}}, "required": ["off"]},
                {"enum": ["verify"], "type": "string"},
            ]}},
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
        let field = root(&schema, &[]);
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
        let field = root(&schema, &[]);
        let port = find(&field, &["db".to_owned(), "port".to_owned()]).unwrap();
        assert_eq!(port.name, "port");
        assert!(find(&field, &["db".to_owned(), "nope".to_owned()]).is_none());
    }
}
