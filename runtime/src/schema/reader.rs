//! The reader of one schema: [`Schema`].

use serde_json::Value;

use crate::SECRET_SCHEMA_KEYWORD;

/// Nested `$ref`s deeper than this are not followed, so a recursive type cannot loop.
pub(super) const MAX_DEPTH: usize = 16;

/// A JSON Schema, read from its root, so that `$ref`s resolve.
#[derive(Clone, Copy, Debug)]
pub struct Schema<'a> {
    root: &'a Value,
}

/// One property of an object schema.
#[derive(Clone, Copy, Debug)]
pub struct Property<'a> {
    /// The wire name.
    pub name: &'a str,
    /// The property's schema, as written (not resolved).
    pub schema: &'a Value,
    /// Whether the object must hold it.
    pub required: bool,
}

impl<'a> Schema<'a> {
    /// The schema whose root is `root`.
    #[must_use]
    pub fn new(root: &'a Value) -> Self {
        Self { root }
    }

    /// The root schema.
    #[must_use]
    pub(crate) fn root(self) -> &'a Value {
        self.root
    }

    /// Follows a local `$ref`, and a lone `allOf` wrapper (an `allOf` of one schema, beside no
    /// properties of its own), to the schema they name.
    #[must_use]
    pub fn resolve(self, node: &'a Value) -> &'a Value {
        self.resolve_at(node, 0)
    }

    fn resolve_at(self, node: &'a Value, depth: usize) -> &'a Value {
        if depth > MAX_DEPTH {
            return node;
        }
        if let Some(target) = self.target(node) {
            return self.resolve_at(target, depth + 1);
        }
        match node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) if node.get("properties").is_none() => self.resolve_at(only, depth + 1),
            _ => node,
        }
    }

    /// The schema a local `$ref` points at.
    fn target(self, node: &Value) -> Option<&'a Value> {
        node.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.root.pointer(pointer))
    }

    /// Whether the value `node` describes is secret as a whole.
    ///
    /// It is when it is marked (`x-harmony-secret` or `writeOnly`), itself or through its
    /// `$ref`, or in an `anyOf`/`oneOf` branch (`Option<Secret<T>>`); and when it is a list or
    /// map that holds a secret anywhere, since its keys and positions are part of the secret.
    /// A struct with a secret field is not secret as a whole: [`Schema::secret_paths`] names
    /// the field.
    #[must_use]
    pub fn is_secret(self, node: &'a Value) -> bool {
        self.is_secret_at(node, 0)
    }

    fn is_secret_at(self, node: &'a Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if is_marked(node) {
            return true;
        }
        let resolved = self.resolve(node);
        if !std::ptr::eq(resolved, node) && self.is_secret_at(resolved, depth + 1) {
            return true;
        }
        if branches(resolved).any(|branch| self.is_secret_at(branch, depth + 1)) {
            return true;
        }
        collection_parts(resolved).any(|part| self.contains_secret(part))
    }

    /// Whether anything at or below `node` is marked secret.
    fn contains_secret(self, node: &'a Value) -> bool {
        let mut seen = Vec::new();
        self.contains_secret_in(node, &mut seen)
    }

    fn contains_secret_in(self, node: &'a Value, seen: &mut Vec<*const Value>) -> bool {
        if is_marked(node) {
            return true;
        }
        if let Some(target) = self.target(node) {
            if seen.contains(&std::ptr::from_ref(target)) {
                return false;
            }
            seen.push(target);
            return self.contains_secret_in(target, seen);
        }
        let Some(map) = node.as_object() else {
            return false;
        };
        map.iter()
            .any(|(keyword, child)| match (keyword.as_str(), child) {
                (
                    "properties" | "$defs" | "definitions" | "patternProperties",
                    Value::Object(all),
                ) => all.values().any(|c| self.contains_secret_in(c, seen)),
                (_, Value::Array(items)) => items.iter().any(|c| self.contains_secret_in(c, seen)),
                (_, child @ Value::Object(_)) => self.contains_secret_in(child, seen),
                _ => false,
            })
    }

    /// The dotted wire paths of every secret field, from the root: each field for which
    /// [`Schema::is_secret`] holds, found through `$ref`, `allOf`, `anyOf` and `oneOf`.
    /// A path covers its whole subtree, and the items of a list share their list's path, as
    /// in [`crate::Config::SECRET_FIELDS`] and [`crate::redact::redact`].
    ///
    /// A recursive type that holds a secret is secret as a whole where it recurs.
    #[must_use]
    pub fn secret_paths(self) -> Vec<String> {
        let mut paths = Vec::new();
        self.collect_secrets(self.root, "", &mut Vec::new(), &mut paths);
        paths
    }

    fn collect_secrets(
        &self,
        node: &'a Value,
        path: &str,
        refs: &mut Vec<*const Value>,
        out: &mut Vec<String>,
    ) {
        if !path.is_empty() && self.is_secret(node) {
            push_once(out, path);
            return;
        }
        if let Some(target) = self.target(node) {
            if refs.contains(&std::ptr::from_ref(target)) {
                if self.contains_secret(target) {
                    push_once(out, path);
                }
                return;
            }
            refs.push(target);
            self.collect_secrets(target, path, refs, out);
            refs.pop();
            return;
        }
        for part in parts(node) {
            self.collect_secrets(part, path, refs, out);
        }
        for (name, property) in node
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            self.collect_secrets(property, &join(path, name), refs, out);
        }
    }

    /// `value` with every secret field ([`Schema::secret_paths`]) replaced by
    /// [`crate::redact::REDACTED`]. When a map that holds secrets is flattened into the root,
    /// every key of the value that is not a property is replaced too.
    #[must_use]
    pub fn redact(self, value: &Value) -> Value {
        let paths = self.secret_paths();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let mut shown = crate::redact::redact(value, &paths);
        if self.extras_are_secret()
            && let Some(object) = shown.as_object_mut()
        {
            let known = self.properties(self.root);
            for (name, field) in object.iter_mut() {
                if !known.iter().any(|p| p.name == name) {
                    *field = Value::String(crate::redact::REDACTED.to_owned());
                }
            }
        }
        shown
    }

    /// Whether the keys the root does not name (`additionalProperties`, of the root or of a
    /// flattened part) hold a secret.
    fn extras_are_secret(self) -> bool {
        let root = self.resolve(self.root);
        let parts = root
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        std::iter::once(root)
            .chain(parts.map(|part| self.resolve(part)))
            .filter_map(|part| part.get("additionalProperties").filter(|v| v.is_object()))
            .any(|extras| self.contains_secret(extras))
    }

    /// The properties of an object schema: its own, then those of the schemas in its
    /// `allOf` (flattened structs), each name once, in order.
    #[must_use]
    pub fn properties(self, node: &'a Value) -> Vec<Property<'a>> {
        let node = self.resolve(node);
        let mut out: Vec<Property<'a>> = Vec::new();
        let flattened = node
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for object in std::iter::once(node).chain(flattened.map(|part| self.resolve(part))) {
            let Some(properties) = object.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let required = required(object);
            for (name, schema) in properties {
                if !out.iter().any(|p| p.name == name) {
                    out.push(Property {
                        name,
                        schema,
                        required: required.contains(&name.as_str()),
                    });
                }
            }
        }
        out
    }

    /// The `default` of `node`, written on it or on the schema its `$ref` names.
    #[must_use]
    pub fn default(self, node: &'a Value) -> Option<&'a Value> {
        [node, self.resolve(node)]
            .into_iter()
            .find_map(|s| s.get("default"))
    }

    /// `Option<T>`: `anyOf: [T, {type: null}]` (or `oneOf`) gives `T`'s schema and `true`;
    /// `type: [..., "null"]` gives `node` and `true`; anything else gives `node` and `false`.
    #[must_use]
    pub fn nullable(self, node: &'a Value) -> (&'a Value, bool) {
        let resolved = self.resolve(node);
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
        (node, types(resolved).contains(&"null") || is_null(resolved))
    }

    /// The wire strings of an enum whose variants are all units, in declaration order; `None`
    /// when `node` is not such an enum.
    ///
    /// Accepts `enum: [..]`, `const`, and `anyOf`/`oneOf` branches of those. The map form serde
    /// also reads for a unit variant, `{"Variant": null}`, is skipped
    /// ([`Schema::is_unit_variant_object`]).
    #[must_use]
    pub fn unit_variants(self, node: &'a Value) -> Option<Vec<String>> {
        self.unit_variants_at(node, 0)
    }

    fn unit_variants_at(self, node: &'a Value, depth: usize) -> Option<Vec<String>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let node = self.resolve(node);
        if let Some(choices) = strings(node) {
            return Some(choices);
        }
        let all: Vec<&Value> = branches(node).collect();
        if all.is_empty() {
            return None;
        }
        let mut choices: Vec<String> = Vec::new();
        for branch in &all {
            if self.is_unit_variant_object(branch, &all) {
                continue;
            }
            for choice in self.unit_variants_at(branch, depth + 1)? {
                if !choices.contains(&choice) {
                    choices.push(choice);
                }
            }
        }
        (!choices.is_empty()).then_some(choices)
    }

    /// Whether `branch`, one of `siblings`, is `{"V": null}` for a unit variant `"V"` that a
    /// sibling lists as a string: serde reads both, and people write the string.
    #[must_use]
    pub fn is_unit_variant_object(self, branch: &'a Value, siblings: &[&'a Value]) -> bool {
        let branch = self.resolve(branch);
        let Some(properties) = branch.get("properties").and_then(Value::as_object) else {
            return false;
        };
        let mut names = properties.iter();
        let (Some((name, value)), None) = (names.next(), names.next()) else {
            return false;
        };
        is_null(self.resolve(value))
            && siblings.iter().any(|sibling| {
                strings(self.resolve(sibling)).is_some_and(|choices| choices.contains(name))
            })
    }
}

/// The secret paths of `schema`; see [`Schema::secret_paths`].
#[must_use]
pub fn secret_paths(schema: &Value) -> Vec<String> {
    Schema::new(schema).secret_paths()
}

/// Whether `node` carries a secret mark itself: [`SECRET_SCHEMA_KEYWORD`] or `writeOnly`.
fn is_marked(node: &Value) -> bool {
    [SECRET_SCHEMA_KEYWORD, "writeOnly"]
        .iter()
        .any(|k| node.get(*k) == Some(&Value::Bool(true)))
}

/// The `anyOf` and `oneOf` branches of `node`.
fn branches(node: &Value) -> impl Iterator<Item = &Value> {
    ["anyOf", "oneOf"]
        .into_iter()
        .filter_map(|k| node.get(k).and_then(Value::as_array))
        .flatten()
}

/// The schemas a value of `node` may also have to match: its `allOf`, `anyOf` and `oneOf`.
fn parts(node: &Value) -> impl Iterator<Item = &Value> {
    ["allOf", "anyOf", "oneOf"]
        .into_iter()
        .filter_map(|k| node.get(k).and_then(Value::as_array))
        .flatten()
}

/// The schemas of a list's items or a map's values.
fn collection_parts(node: &Value) -> impl Iterator<Item = &Value> {
    let items = ["items", "additionalProperties"]
        .into_iter()
        .filter_map(|k| node.get(k).filter(|v| v.is_object()));
    let prefix = node
        .get("prefixItems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    items.chain(prefix)
}

/// The strings of `enum: [..]` or `const`, when every value is a string.
fn strings(node: &Value) -> Option<Vec<String>> {
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect();
    }
    node.get("const")
        .map(|value| value.as_str().map(|v| vec![v.to_owned()]))?
}

fn required(object: &Value) -> Vec<&str> {
    object
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The JSON types `type` allows: a string or a list of strings.
pub(super) fn types(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_null(node: &Value) -> bool {
    types(node) == ["null"] || node.get("const") == Some(&Value::Null)
}

pub(super) fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn push_once(out: &mut Vec<String>, path: &str) {
    if !out.iter().any(|p| p == path) {
        out.push(path.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secret_paths_follow_refs_branches_and_collections() {
        let schema = json!({
            "properties": {
                "password": {"type": "string", "x-harmony-secret": true},
                "db": {"$ref": "#/$defs/Db"},
                "maybe": {"anyOf": [{"$ref": "#/$defs/Db"}, {"type": "null"}]},
                "token": {"anyOf": [{"type": "string", "writeOnly": true}, {"type": "null"}]},
                "hosts": {"type": "array", "items": {"$ref": "#/$defs/Db"}},
                "keys": {"type": "object", "additionalProperties": {"type": "string", "writeOnly": true}},
                "plain": {"type": "string"},
                "mode": {"oneOf": [{"type": "object", "properties": {"Tcp": {"$ref": "#/$defs/Db"}}}]},
            },
            "$defs": {"Db": {"properties": {"pw": {"type": "string", "writeOnly": true}}}},
        });
        assert_eq!(
            Schema::new(&schema).secret_paths(),
            [
                "password",
                "db.pw",
                "maybe.pw",
                "token",
                "hosts",
                "keys",
                "mode.Tcp.pw"
            ]
        );
    }

    #[test]
    fn recursive_types_end_at_their_recursion() {
        let schema = json!({
            "properties": {"node": {"$ref": "#/$defs/Node"}, "list": {"$ref": "#/$defs/List"}},
            "$defs": {
                "Node": {"properties": {
                    "left": {"$ref": "#/$defs/Node"},
                    "right": {"$ref": "#/$defs/Node"},
                    "key": {"type": "string", "writeOnly": true},
                }},
                "List": {"properties": {"next": {"$ref": "#/$defs/List"}}},
            },
        });
        assert_eq!(
            Schema::new(&schema).secret_paths(),
            ["node.left", "node.right", "node.key"]
        );
    }

    #[test]
    fn a_secret_map_flattened_into_the_root_is_redacted() {
        for schema in [
            json!({"properties": {"name": {"type": "string"}}, "additionalProperties": {"type": "string", "writeOnly": true}}),
            json!({"properties": {"name": {"type": "string"}}, "allOf": [{"additionalProperties": {"$ref": "#/$defs/S"}}], "$defs": {"S": {"type": "string", "x-harmony-secret": true}}}),
        ] {
            let shown = Schema::new(&schema).redact(&json!({"name": "n", "api": "hunter2"}));
            assert_eq!(shown, json!({"name": "n", "api": "<redacted>"}), "{schema}");
        }
        let plain = json!({"properties": {"name": {}}, "additionalProperties": {"type": "string"}});
        let value = json!({"name": "n", "extra": "x"});
        assert_eq!(Schema::new(&plain).redact(&value), value);
    }

    #[test]
    fn null_is_recognised_in_both_forms() {
        assert!(is_null(&json!({"type": "null"})));
        assert!(is_null(&json!({"const": null})));
        assert!(!is_null(&json!({"type": ["string", "null"]})));
    }

    #[test]
    fn unit_variants_skip_the_map_form_only_beside_its_string() {
        let schema = json!({"anyOf": [
            {"enum": ["off"], "type": "string"},
            {"type": "object", "properties": {"off": {"type": "null"}}, "required": ["off"]},
            {"const": "verify"},
        ]});
        let reader = Schema::new(&schema);
        assert_eq!(
            reader.unit_variants(&schema),
            Some(vec!["off".into(), "verify".into()])
        );
        // `Unit(())` is written `{"Unit": null}` only: not a unit variant.
        let newtype = json!({"anyOf": [
            {"type": "object", "properties": {"Unit": {"type": "null"}}, "required": ["Unit"]},
            {"const": "a"},
        ]});
        assert_eq!(Schema::new(&newtype).unit_variants(&newtype), None);
    }

    #[test]
    fn properties_include_flattened_structs() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "required": ["a"],
            "allOf": [{"$ref": "#/$defs/Inner"}, {"properties": {"a": {}, "c": {}}}],
            "$defs": {"Inner": {"properties": {"b": {"default": 1}}, "required": ["b"]}},
        });
        let reader = Schema::new(&schema);
        let found: Vec<(&str, bool)> = reader
            .properties(&schema)
            .iter()
            .map(|p| (p.name, p.required))
            .collect();
        assert_eq!(found, [("a", true), ("b", true), ("c", false)]);
        let b = reader.properties(&schema)[1].schema;
        assert_eq!(reader.default(b), Some(&json!(1)));
    }
}
