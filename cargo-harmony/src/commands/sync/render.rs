//! `CONFIG.md` and `.env.example`, rendered with minijinja from the templates in the
//! repository's `templates/` folder. What the templates show is read from each key's JSON
//! Schema, so the reference never says more or less than the schema file next to it.

use minijinja::value::Serde;
use serde::Serialize;
use serde_json::{Map, Value};

use harmony_config::naming::env_var_name;
use harmony_config::schema::Schema;

use super::layout::{DOC_MARKER, SCHEMA_DIR, SCHEMA_SUFFIX};
use crate::error::Error;
use crate::templates;
use crate::workspace::{Workspace, relative};

const CONFIG_MD_TEMPLATE: &str = include_str!("../../../../templates/CONFIG.md.jinja");
const ENV_EXAMPLE_TEMPLATE: &str = include_str!("../../../../templates/env.example.jinja");

/// How deep the type labels and example values follow nested schemas.
const MAX_DEPTH: u8 = 8;

/// The data both templates render: every key, sorted.
#[derive(Serialize)]
pub(super) struct Docs {
    marker: &'static str,
    keys: Vec<KeyView>,
}

#[derive(Serialize)]
struct KeyView {
    key: String,
    env_var: String,
    krate: String,
    type_path: String,
    /// The defining file, relative to the workspace root.
    file: String,
    line: usize,
    schema_path: String,
    title: String,
    description: String,
    /// The first line of the docs, for one-line mentions.
    summary: String,
    fields: Vec<FieldView>,
    /// The struct and enum types the fields use, from the schema's `$defs`.
    types: Vec<TypeView>,
    /// A placeholder value of the right shape, as JSON quoted for a shell: never a real value.
    example: String,
}

#[derive(Serialize)]
struct FieldView {
    name: String,
    ty: String,
    required: bool,
    secret: bool,
    /// The schema's `default`, as JSON; a default written in Rust is code, not in the schema.
    default: Option<String>,
    description: String,
}

#[derive(Serialize)]
struct TypeView {
    name: String,
    ty: String,
    description: String,
    fields: Vec<FieldView>,
}

impl Docs {
    /// The data of every key of `workspace`.
    pub(super) fn new(workspace: &Workspace) -> Self {
        let root = &workspace.root;
        let keys = workspace
            .configs()
            .into_iter()
            .map(|(krate, config)| {
                let schema = &config.schema;
                let reader = Schema::new(schema);
                let defs = schema.get("$defs").and_then(Value::as_object);
                let title = text(schema, "title");
                let description = text(schema, "description");
                let summary = first_line(if title.is_empty() {
                    &description
                } else {
                    &title
                });
                let schema_file = krate
                    .manifest_dir
                    .join(SCHEMA_DIR)
                    .join(format!("{}{SCHEMA_SUFFIX}", config.key));
                KeyView {
                    key: config.key.clone(),
                    env_var: env_var_name(&config.key),
                    krate: krate.name.clone(),
                    type_path: config.type_path.clone(),
                    file: relative(root, &krate.manifest_dir.join(&config.file)),
                    line: config.line,
                    schema_path: relative(root, &schema_file),
                    title,
                    description,
                    summary,
                    fields: fields(reader, schema),
                    types: defs.map(|d| types(reader, d)).unwrap_or_default(),
                    example: shell_quote(&inline_json(&example(reader, schema, 0))),
                }
            })
            .collect();
        Self {
            marker: DOC_MARKER,
            keys,
        }
    }

    /// The text of `CONFIG.md`.
    pub(super) fn config_md(&self) -> Result<String, Error> {
        self.render("CONFIG.md.jinja", CONFIG_MD_TEMPLATE)
    }

    /// The text of `.env.example`.
    pub(super) fn env_example(&self) -> Result<String, Error> {
        self.render("env.example.jinja", ENV_EXAMPLE_TEMPLATE)
    }

    fn render(&self, name: &'static str, source: &'static str) -> Result<String, Error> {
        let mut env = templates::environment(name)?;
        env.add_filter("cell", cell);
        env.add_template(name, source)
            .map_err(templates::failed(name))?;
        let template = env.get_template(name).map_err(templates::failed(name))?;
        template
            .render(Serde(self))
            .map_err(templates::failed(name))
    }
}

/// Escapes text for a markdown table cell: `|` would end the cell, a newline the row.
fn cell(value: &str) -> String {
    value
        .trim()
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

fn text(schema: &Value, name: &str) -> String {
    schema
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}

/// The fields of an object schema: its `properties`, then those of the structs flattened
/// into it, each once; secret marks and defaults as the runtime's schema reader says.
fn fields<'a>(reader: Schema<'a>, schema: &'a Value) -> Vec<FieldView> {
    reader
        .properties(schema)
        .into_iter()
        .map(|property| {
            let description = match text(property.schema, "description") {
                d if d.is_empty() => text(property.schema, "title"),
                d => d,
            };
            FieldView {
                name: property.name.to_owned(),
                ty: type_label(reader, property.schema, 0),
                required: property.required,
                secret: reader.is_secret(property.schema),
                default: reader.default(property.schema).map(inline_json),
                description,
            }
        })
        .collect()
}

/// The named types of `$defs`, sorted by name.
fn types<'a>(reader: Schema<'a>, defs: &'a Map<String, Value>) -> Vec<TypeView> {
    let mut types: Vec<TypeView> = defs
        .iter()
        .map(|(name, schema)| {
            let description = match text(schema, "description") {
                d if d.is_empty() => text(schema, "title"),
                d => d,
            };
            TypeView {
                name: name.clone(),
                ty: type_label(reader, &without_docs(schema), 1),
                description,
                fields: fields(reader, schema),
            }
        })
        .collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    types
}

/// A definition's own label would be its name; its shape is what the reader needs.
fn without_docs(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(map) = schema.as_object_mut() {
        map.remove("title");
        map.remove("description");
    }
    schema
}

/// A short type for people: `string`, `integer 0..=65535`, `array of string`, `Tls | null`.
/// Inside a label, a secret part says so, `{"Token": string (secret)}`: it has no table row of
/// its own to carry the mark.
fn type_label(reader: Schema<'_>, schema: &Value, depth: u8) -> String {
    let label = shape_label(reader, schema, depth);
    if depth > 0 && reader.is_secret(schema) {
        format!("{label} (secret)")
    } else {
        label
    }
}

fn shape_label(reader: Schema<'_>, schema: &Value, depth: u8) -> String {
    let map = match schema {
        Value::Object(map) => map,
        Value::Bool(true) => return "any".to_owned(),
        Value::Bool(false) => return "nothing".to_owned(),
        _ => return "?".to_owned(),
    };
    if depth > MAX_DEPTH {
        return "…".to_owned();
    }
    let label = |s: &Value| type_label(reader, s, depth + 1);
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if let Some(value) = map.get("const") {
        return inline_json(value);
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .map(inline_json)
            .collect::<Vec<_>>()
            .join(" | ");
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(items) = map.get(keyword).and_then(Value::as_array)
            && !items.is_empty()
        {
            let siblings: Vec<&Value> = items.iter().collect();
            return items
                .iter()
                .filter(|item| !reader.is_unit_variant_object(item, &siblings))
                .map(label)
                .collect::<Vec<_>>()
                .join(" | ");
        }
    }
    match map.get("type") {
        Some(Value::String(ty)) => labelled(reader, ty, map, depth),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .map(|ty| labelled(reader, ty, map, depth))
            .collect::<Vec<_>>()
            .join(" | "),
        _ if map.contains_key("allOf") || map.contains_key("properties") => "object".to_owned(),
        _ => "any".to_owned(),
    }
}

/// The one property of an object that requires it and allows nothing else.
fn single_property(map: &Map<String, Value>) -> Option<(&str, &Value)> {
    let mut properties = map.get("properties").and_then(Value::as_object)?.iter();
    let (Some((name, value)), None) = (properties.next(), properties.next()) else {
        return None;
    };
    let required = map.get("required").and_then(Value::as_array)?;
    let closed = map.get("additionalProperties") == Some(&Value::Bool(false));
    (closed && required.iter().any(|r| r.as_str() == Some(name))).then_some((name.as_str(), value))
}

/// The Rust integer type whose exact range `min..=max` is, for a shorter label.
fn integer_type(min: &Value, max: &Value) -> Option<&'static str> {
    const TYPES: [(&str, i128, i128); 8] = [
        ("u8", 0, u8::MAX as i128),
        ("u16", 0, u16::MAX as i128),
        ("u32", 0, u32::MAX as i128),
        ("u64", 0, u64::MAX as i128),
        ("i8", i8::MIN as i128, i8::MAX as i128),
        ("i16", i16::MIN as i128, i16::MAX as i128),
        ("i32", i32::MIN as i128, i32::MAX as i128),
        ("i64", i64::MIN as i128, i64::MAX as i128),
    ];
    let bound = |v: &Value| {
        v.as_i64()
            .map(i128::from)
            .or_else(|| v.as_u64().map(i128::from))
    };
    let (min, max) = (bound(min)?, bound(max)?);
    TYPES
        .iter()
        .find(|(_, lo, hi)| (*lo, *hi) == (min, max))
        .map(|(name, ..)| *name)
}

fn labelled(reader: Schema<'_>, ty: &str, map: &Map<String, Value>, depth: u8) -> String {
    let label = |s: &Value| type_label(reader, s, depth + 1);
    match ty {
        "array" => {
            if let Some(items) = map.get("prefixItems").and_then(Value::as_array) {
                format!(
                    "[{}]",
                    items.iter().map(label).collect::<Vec<_>>().join(", ")
                )
            } else if let Some(items) = map.get("items").filter(|i| i.is_object()) {
                format!("array of {}", label(items))
            } else {
                "array".to_owned()
            }
        }
        "object" => match map.get("additionalProperties") {
            Some(values) if values.is_object() && !map.contains_key("properties") => {
                format!("map of {}", label(values))
            }
            _ => match single_property(map) {
                // An externally tagged variant: `{"Tcp": {...}}`.
                Some((name, value)) => format!("{{{}: {}}}", Value::from(name), label(value)),
                // A struct variant's fields, which no table lists.
                None if depth >= 2 => match map.get("properties").and_then(Value::as_object) {
                    Some(properties) if !properties.is_empty() => format!(
                        "{{{}}}",
                        properties
                            .iter()
                            .map(|(name, value)| format!(
                                "{}: {}",
                                Value::from(name.as_str()),
                                label(value)
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => "object".to_owned(),
                },
                None => "object".to_owned(),
            },
        },
        "integer" | "number" => match (map.get("minimum"), map.get("maximum")) {
            (Some(min), Some(max)) => match integer_type(min, max) {
                Some(rust) if ty == "integer" => format!("integer ({rust})"),
                _ => format!("{ty} {min}..={max}"),
            },
            (Some(min), None) => format!("{ty} ≥ {min}"),
            (None, Some(max)) => format!("{ty} ≤ {max}"),
            (None, None) => ty.to_owned(),
        },
        "string" => match map.get("format").and_then(Value::as_str) {
            Some(format) => format!("string ({format})"),
            None => "string".to_owned(),
        },
        other => other.to_owned(),
    }
}

/// A placeholder of the shape `schema` describes: empty strings, zeros, `false`, empty
/// arrays and maps, `null` where allowed, an enum's first value. Never a real value.
fn example(reader: Schema<'_>, schema: &Value, depth: u8) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let (inner, nullable) = reader.nullable(schema);
    if nullable {
        return Value::Null;
    }
    let schema = reader.resolve(inner);
    let Some(map) = schema.as_object() else {
        return Value::Null;
    };
    let nested = |s: &Value| example(reader, s, depth + 1);
    if let Some(value) = map.get("const") {
        return value.clone();
    }
    if let Some(first) = map
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    if let Some(first) = ["anyOf", "oneOf"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_array))
    {
        return first.first().map_or(Value::Null, nested);
    }
    let ty = match map.get("type") {
        Some(Value::String(ty)) => ty.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if map.contains_key("properties") || map.contains_key("allOf") => "object",
        _ => "null",
    };
    match ty {
        "string" => Value::String(String::new()),
        "integer" | "number" => map
            .get("minimum")
            .filter(|m| m.as_f64().is_some_and(|m| m > 0.0))
            .cloned()
            .unwrap_or_else(|| 0.into()),
        "boolean" => Value::Bool(false),
        "array" => Value::Array(
            map.get("prefixItems")
                .and_then(Value::as_array)
                .map(|items| items.iter().map(nested).collect())
                .unwrap_or_default(),
        ),
        "object" => Value::Object(
            reader
                .properties(schema)
                .iter()
                .map(|p| (p.name.to_owned(), nested(p.schema)))
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// JSON on one line, spaced for reading: `{"host": "", "port": 0}`.
fn inline_json(value: &Value) -> String {
    match value {
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inline_json).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), inline_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        scalar => scalar.to_string(),
    }
}

/// `text` in single quotes, for a shell or a `.env` file.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn type_label(schema: &Value, depth: u8) -> String {
        super::type_label(Schema::new(schema), schema, depth)
    }

    #[test]
    fn labels_follow_the_schema() {
        let u16 = json!({ "type": "integer", "minimum": 0, "maximum": 65535 });
        assert_eq!(type_label(&u16, 0), "integer (u16)");
        let port = json!({ "type": "integer", "minimum": 1, "maximum": 65535 });
        assert_eq!(type_label(&port, 0), "integer 1..=65535");
        let unit = json!({ "anyOf": [
            { "type": "string", "enum": ["A"] },
            { "type": "object", "properties": { "A": { "type": "null" } }, "required": ["A"] },
            { "type": "object", "properties": { "B": { "type": "string" } }, "required": ["B"], "additionalProperties": false },
        ] });
        assert_eq!(type_label(&unit, 0), r#""A" | {"B": string}"#);
        let opt = json!({ "anyOf": [{ "$ref": "#/$defs/Tls" }, { "type": "null" }] });
        assert_eq!(type_label(&opt, 0), "Tls | null");
        let list = json!({ "type": "array", "items": { "type": "string" } });
        assert_eq!(type_label(&list, 0), "array of string");
        let map = json!({ "type": "object", "additionalProperties": { "type": "boolean" } });
        assert_eq!(type_label(&map, 0), "map of boolean");
        assert_eq!(
            type_label(&json!({ "enum": ["a", "b"] }), 0),
            r#""a" | "b""#
        );
        assert_eq!(type_label(&json!({}), 0), "any");
    }

    #[test]
    fn fields_carry_required_and_secret_marks() {
        let schema = json!({
            "type": "object",
            "properties": {
                "host": { "type": "string", "description": "Where.\nReally." },
                "password": { "type": "string", "writeOnly": true, "x-harmony-secret": true },
            },
            "required": ["host"],
            "allOf": [{ "properties": { "extra": { "type": "boolean", "default": true } } }],
        });
        let fields = fields(Schema::new(&schema), &schema);
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["host", "password", "extra"]);
        assert!(fields[0].required && !fields[0].secret);
        assert!(!fields[1].required && fields[1].secret);
        assert_eq!(fields[2].default.as_deref(), Some("true"));
        assert_eq!(cell(&fields[0].description), "Where.<br>Really.");
        assert_eq!(cell("a | b"), "a \\| b");
    }

    #[test]
    fn examples_are_placeholders_of_the_right_shape() {
        let schema = json!({
            "type": "object",
            "properties": {
                "host": { "type": "string" },
                "port": { "type": "integer", "minimum": 1, "maximum": 65535 },
                "tls": { "anyOf": [{ "$ref": "#/$defs/Tls" }, { "type": "null" }] },
                "mode": { "$ref": "#/$defs/Mode" },
                "pair": { "type": "array", "prefixItems": [{ "type": "boolean" }, { "type": "number" }] },
            },
            "$defs": { "Mode": { "enum": ["it's", "b"] }, "Tls": { "type": "object" } },
        });
        let text = inline_json(&example(Schema::new(&schema), &schema, 0));
        assert_eq!(
            text,
            r#"{"host": "", "port": 1, "tls": null, "mode": "it's", "pair": [false, 0]}"#
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn deep_schemas_end() {
        let mut schema = json!({ "type": "string" });
        for _ in 0..100 {
            schema = json!({ "type": "array", "items": schema });
        }
        assert!(type_label(&schema, 0).ends_with('…'));
        let mut object = json!({ "type": "string" });
        for _ in 0..100 {
            object = json!({ "type": "object", "properties": { "a": object } });
        }
        assert!(inline_json(&example(Schema::new(&object), &object, 0)).contains("null"));
    }

    /// Every schema of the fidelity suite, then the examples' schemas, by name.
    fn real_schemas() -> Vec<(String, Value)> {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let runtime = repo.join("runtime");
        let cases = runtime.join("tests/fidelity/cases.rs");
        let generated = harmony_codegen::generate::target(&runtime, &cases);
        let mut schemas: Vec<(String, Value)> = generated
            .configs
            .into_iter()
            .map(|config| (config.key, config.schema))
            .collect();
        for example in ["accessors", "basic", "openbao_chain", "prompting"] {
            let dir = repo.join("examples").join(example).join("config-schema");
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                schemas.push((
                    path.display().to_string(),
                    serde_json::from_str(&text).unwrap(),
                ));
            }
        }
        assert!(schemas.len() >= 90, "{} schemas", schemas.len());
        schemas
    }

    /// Each property reachable from the root, with its path and the schema that documents
    /// it: the root's fields table, or the table of the `$defs` type that holds it.
    fn properties<'a>(
        reader: Schema<'a>,
        node: &'a Value,
        path: &str,
        table: &'a Value,
        refs: &mut Vec<String>,
        out: &mut Vec<(String, &'a Value, &'a Value)>,
    ) {
        if let Some(name) = node.get("$ref").and_then(Value::as_str) {
            if refs.iter().any(|r| r == name) || refs.len() > 8 {
                return;
            }
            refs.push(name.to_owned());
            properties(
                reader,
                reader.resolve(node),
                path,
                reader.resolve(node),
                refs,
                out,
            );
            refs.pop();
            return;
        }
        for keyword in ["anyOf", "oneOf", "allOf"] {
            for branch in node
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                properties(reader, branch, path, table, refs, out);
            }
        }
        for property in reader.properties(node) {
            let at = if path.is_empty() {
                property.name.to_owned()
            } else {
                format!("{path}.{}", property.name)
            };
            out.push((at.clone(), property.schema, table));
            properties(reader, property.schema, &at, table, refs, out);
        }
    }

    /// A value with every property the schema describes: the first branch that is not null,
    /// one item per list, one entry per map.
    fn sample(reader: Schema<'_>, node: &Value, depth: usize) -> Value {
        let node = reader.resolve(node);
        if depth > 8 {
            return Value::Null;
        }
        if let Some(branch) = ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| node.get(*k).and_then(Value::as_array))
            .flatten()
            .find(|b| reader.resolve(b).get("type") != Some(&json!("null")))
        {
            return sample(reader, branch, depth + 1);
        }
        let properties = reader.properties(node);
        if !properties.is_empty() {
            return Value::Object(
                properties
                    .iter()
                    .map(|p| (p.name.to_owned(), sample(reader, p.schema, depth + 1)))
                    .collect(),
            );
        }
        if let Some(items) = node.get("items").filter(|i| i.is_object()) {
            return json!([sample(reader, items, depth + 1)]);
        }
        if let Some(values) = node.get("additionalProperties").filter(|i| i.is_object()) {
            return json!({ "k": sample(reader, values, depth + 1) });
        }
        json!("s")
    }

    fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
        path.split('.').try_fold(value, |v, name| match v {
            Value::Array(items) => items.first()?.get(name),
            _ => v.get(name),
        })
    }

    /// Field by field, on every real schema: the prompt masks, `get` redacts and CONFIG.md
    /// marks secret exactly the fields of the runtime's schema reader.
    #[test]
    fn prompt_redaction_and_docs_agree_on_secrets() {
        use harmony_config::prompt::Form;
        use harmony_config::redact::{REDACTED, is_secret_path};

        let mut secret_fields = 0;
        for (name, schema) in real_schemas() {
            let reader = Schema::new(&schema);
            let secrets = reader.secret_paths();
            let secret_refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            secret_fields += secrets.len();
            let form = Form::new(&name, &schema, &[]);
            let value = sample(reader, &schema, 0);
            let redacted = reader.redact(&value);
            let mut found = Vec::new();
            properties(reader, &schema, "", &schema, &mut Vec::new(), &mut found);
            for (path, property, table) in found {
                let segments: Vec<String> = path.split('.').map(str::to_owned).collect();
                let secret = is_secret_path(&path, &secret_refs);
                let below_secret = secrets.iter().any(|s| path.starts_with(&format!("{s}.")));
                // The prompt masks every field at or below a secret path.
                if secret {
                    assert!(form.is_masked(&segments), "{name}: `{path}` is not masked");
                }
                // `get` redacts the value at a secret path, and shows the others.
                if let (Some(shown), Some(original)) = (at(&redacted, &path), at(&value, &path)) {
                    if secrets.contains(&path) {
                        assert_eq!(shown, &json!(REDACTED), "{name}: `{path}` not redacted");
                    } else if !secret && !reader.is_secret(property) {
                        let leaf = !original.is_object() && !original.is_array();
                        assert!(
                            !leaf || shown == original,
                            "{name}: `{path}` redacted, but not secret"
                        );
                    }
                }
                // CONFIG.md marks the field in its table exactly when it starts a secret path.
                if !below_secret {
                    let leaf = segments.last().unwrap();
                    let marked = fields(reader, table)
                        .iter()
                        .find(|f| &f.name == leaf)
                        .is_some_and(|f| f.secret);
                    let documented = fields(reader, table).iter().any(|f| &f.name == leaf);
                    if documented {
                        assert_eq!(
                            marked,
                            secrets.contains(&path),
                            "{name}: `{path}` in CONFIG.md"
                        );
                    } else if secrets.contains(&path) {
                        // A variant's field: its type's label marks it.
                        let label = super::type_label(reader, table, 1);
                        let after = label
                            .split(&format!("\"{leaf}\": "))
                            .nth(1)
                            .unwrap_or_default();
                        let part = after.split([',', '}']).next().unwrap_or_default();
                        assert!(
                            part.ends_with("(secret)"),
                            "{name}: `{path}` unmarked in `{label}`"
                        );
                    }
                }
            }
            // And the prompt masks nothing else: each field it asks is masked only at or
            // below a secret path, or when it is typed as a whole around one.
            let tree = reader.fields(&[]);
            let mut stack = vec![(String::new(), &tree)];
            while let Some((path, field)) = stack.pop() {
                let whole = !matches!(field.kind, harmony_config::schema::Kind::Object(_));
                let holds = secrets.iter().any(|s| s.starts_with(&format!("{path}.")));
                let expected =
                    (!path.is_empty() && is_secret_path(&path, &secret_refs)) || (whole && holds);
                assert_eq!(field.secret, expected, "{name}: the prompt's `{path}`");
                if let harmony_config::schema::Kind::Object(fields) = &field.kind {
                    for child in fields {
                        let at = if path.is_empty() {
                            child.name.clone()
                        } else {
                            format!("{path}.{}", child.name)
                        };
                        stack.push((at, child));
                    }
                }
            }
        }
        assert!(secret_fields >= 12, "only {secret_fields} secret fields");
    }
}
