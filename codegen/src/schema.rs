//! JSON Schema (draft 2020-12) for a config, faithful to what serde_json accepts.
//!
//! The runtime crate's `tests/fidelity.rs` checks every rule here against serde itself. Its
//! known gaps, each listed in the README: serde also reads a struct written as a JSON array of
//! its fields; `1.0` is an integer to JSON Schema but not to serde; 128-bit integers have no
//! bounds; and a URL is only checked up to its scheme.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use proc_macro2::Span;
use serde_json::{Map, Value, json};

use crate::model::{ConfigStruct, Field, Shape, TypeDef, Variant};
use crate::ty::{IpKind, Ty};

/// The schema dialect every emitted schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The keyword that marks a secret, next to `writeOnly: true`; the same as
/// `harmony_config::SECRET_SCHEMA_KEYWORD`.
pub const SECRET_KEYWORD: &str = "x-harmony-secret";

/// Finds the crate's own structs and enums by the path a field's type uses.
pub trait Resolve {
    /// The definition that `path`, written in module `from`, names; `None` for a type from
    /// elsewhere.
    fn resolve(&self, path: &syn::Path, from: &[String]) -> Option<Resolved<'_>>;
}

/// A struct or enum of the crate, found by [`Resolve::resolve`].
pub struct Resolved<'a> {
    /// Its model.
    pub def: &'a TypeDef,
    /// The file it is in.
    pub file: &'a Path,
    /// Its module path within the crate.
    pub module: &'a [String],
    /// Its key in `$defs`: unique within the crate, and the same on every run.
    pub name: String,
}

/// How bad a problem found while emitting a schema is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The schema cannot be right: generation fails.
    Error,
    /// The schema accepts more than serde would; the message says what to do.
    Warning,
}

/// A problem, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Problem {
    /// An error at `file:line:column`.
    pub fn error(file: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}: {}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// The schema of `config`, defined in `module` of the crate and in `file`, with every struct
/// and enum it uses in `$defs`.
pub fn config_schema(
    config: &ConfigStruct,
    module: &[String],
    file: &Path,
    resolve: &dyn Resolve,
) -> (Value, Vec<Problem>) {
    let mut emitter = Emitter {
        resolve,
        defs: Map::new(),
        started: HashSet::new(),
        flattening: Vec::new(),
        problems: Vec::new(),
        file: file.to_owned(),
        module: module.to_vec(),
    };
    let mut schema = Map::new();
    schema.insert("$schema".into(), DIALECT.into());
    add_docs(&mut schema, &config.def.attrs.docs);
    schema.insert("x-harmony-key".into(), config.key.clone().into());
    let attrs = &config.def.attrs;
    let body = emitter.object(
        config.def.named_fields(),
        attrs.deny_unknown_fields,
        attrs.default.is_some(),
        None,
    );
    schema.extend(into_map(body));
    if !emitter.defs.is_empty() {
        schema.insert(
            "$defs".into(),
            Value::Object(std::mem::take(&mut emitter.defs)),
        );
    }
    (Value::Object(schema), emitter.problems)
}

struct Emitter<'a> {
    resolve: &'a dyn Resolve,
    defs: Map<String, Value>,
    /// The `$defs` names already emitted or being emitted, so that recursion ends.
    started: HashSet<String>,
    /// The structs being inlined for `flatten`, so that a flattened `Box<Self>` ends too.
    flattening: Vec<String>,
    problems: Vec<Problem>,
    /// Where the type being emitted is, for problems and for resolving paths.
    file: PathBuf,
    module: Vec<String>,
}

impl<'a> Emitter<'a> {
    fn problem(&mut self, severity: Severity, span: Span, message: String) {
        let start = span.start();
        self.problems.push(Problem {
            severity,
            file: self.file.clone(),
            line: start.line,
            column: start.column + 1,
            message,
        });
    }

    /// Runs `f` with the file and module of `resolved` as context.
    fn within<R>(&mut self, resolved: &Resolved<'_>, f: impl FnOnce(&mut Self) -> R) -> R {
        let file = std::mem::replace(&mut self.file, resolved.file.to_owned());
        let module = std::mem::replace(&mut self.module, resolved.module.to_vec());
        let out = f(self);
        self.file = file;
        self.module = module;
        out
    }

    fn resolve(&self, path: &syn::Path) -> Option<Resolved<'a>> {
        self.resolve.resolve(path, &self.module)
    }

    fn classify(&self, ty: &syn::Type) -> Ty {
        Ty::classify(ty, &|path| self.resolve(path).is_some())
    }

    /// An object with `fields`, as serde's derived `visit_map` reads it. `tag` adds an
    /// internally tagged enum's tag property first.
    fn object(
        &mut self,
        fields: &[Field],
        deny_unknown: bool,
        all_default: bool,
        tag: Option<(&str, Value)>,
    ) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut constraints = Vec::new();
        if let Some((name, schema)) = tag {
            properties.insert(name.to_owned(), schema);
            required.push(Value::from(name));
        }
        let read: Vec<&Field> = fields
            .iter()
            .filter(|f| !f.attrs.skip_deserializing)
            .collect();
        for field in read.iter().filter(|f| f.attrs.flatten.is_none()) {
            let schema = self.field(field);
            for name in &field.deserialize_names {
                properties.insert(name.clone(), schema.clone());
            }
            let names: Vec<Value> = field
                .deserialize_names
                .iter()
                .map(|n| Value::from(n.as_str()))
                .collect();
            let optional = self.is_optional(field, all_default);
            match names.as_slice() {
                [only] if !optional => required.push(only.clone()),
                [_] => {}
                // serde reads a field under any of its names, and refuses two of them at once.
                _ if optional => constraints.push(json!({ "not": { "anyOf": pairs(&names) } })),
                _ => constraints.push(json!({
                    "oneOf": names.iter().map(|n| json!({ "required": [n] })).collect::<Vec<_>>()
                })),
            }
        }
        // A flattened field only sees the keys that the fields before it did not take.
        let mut taken: Vec<String> = properties.keys().cloned().collect();
        for field in read.iter().filter(|f| f.attrs.flatten.is_some()) {
            if deny_unknown {
                let message = "serde documents `deny_unknown_fields` with `flatten` as unsupported; the schema rejects the keys that no field reads".to_owned();
                self.problem(Severity::Warning, field.span, message);
            }
            let (mut schema, claimed) = self.flattened(field);
            exclude(&mut schema, &taken);
            constraints.push(schema);
            taken.extend(claimed);
        }
        let mut object = Map::new();
        object.insert("type".into(), "object".into());
        object.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            object.insert("required".into(), Value::Array(required));
        }
        if deny_unknown && constraints.is_empty() {
            object.insert("additionalProperties".into(), false.into());
        } else if deny_unknown {
            object.insert("unevaluatedProperties".into(), false.into());
        }
        if !constraints.is_empty() {
            object.insert("allOf".into(), Value::Array(constraints));
        }
        Value::Object(object)
    }

    /// Whether serde fills the field when it is missing: a default, a skip, or a type that
    /// reads serde's missing-field value as `None`.
    fn is_optional(&mut self, field: &Field, all_default: bool) -> bool {
        if field.is_optional(all_default) {
            return true;
        }
        let ty = self.classify(&field.ty);
        field.attrs.custom_deserialize.is_none() && self.reads_missing_as_none(&ty, 0)
    }

    /// An `Option`, also behind what hands serde's missing-field `None` through: `Box`, `Arc`,
    /// a transparent struct, or `from` another such type. `depth` ends a cycle.
    fn reads_missing_as_none(&mut self, ty: &Ty, depth: u8) -> bool {
        if let Ty::Secret(inner) = ty {
            // `Secret<T>` reads a missing field as null, which `T` may accept.
            return self.reads_missing_as_none(inner, depth + 1);
        }
        let Ty::Named(path) = ty else {
            return matches!(ty, Ty::Option(_));
        };
        let Some(resolved) = self.resolve(path).filter(|_| depth < 8) else {
            return false;
        };
        let def = resolved.def;
        self.within(&resolved, |this| {
            let inner = match (&def.attrs.from, &def.shape) {
                (Some((_, from, _)), _) => syn::parse_str::<syn::Type>(from).ok(),
                (None, Shape::Named(fields) | Shape::Tuple(fields))
                    if def.attrs.transparent.is_some() =>
                {
                    let field = fields.iter().find(|f| !f.attrs.skip_deserializing);
                    field.map(|f| f.ty.clone())
                }
                _ => None,
            };
            inner.is_some_and(|inner| {
                let inner = this.classify(&inner);
                this.reads_missing_as_none(&inner, depth + 1)
            })
        })
    }

    /// The constraint a flattened field puts on its parent's object, and the keys it takes
    /// away from the flattened fields after it.
    fn flattened(&mut self, field: &Field) -> (Value, Vec<String>) {
        if field.attrs.schema.is_some() || field.attrs.custom_deserialize.is_some() {
            return (self.field(field), Vec::new());
        }
        let (ty, optional) = match self.classify(&field.ty) {
            Ty::Option(inner) => (*inner, true),
            ty => (ty, false),
        };
        let (schema, claimed) = match &ty {
            Ty::Map(key, value) => {
                // Flattened keys reach the map as buffered strings, which serde never parses
                // into numbers or bools.
                let key = self.map_key(key, true, field.span);
                let value = self.ty(value, field.span);
                (map_schema(key, value, false), Vec::new())
            }
            Ty::Named(path) => self.flattened_named(path, field.span),
            ty => (self.ty(ty, field.span), Vec::new()),
        };
        if optional {
            // serde reads a flattened `Option` as `None` whenever its value does not fit.
            return (json!({ "anyOf": [schema, true] }), claimed);
        }
        (schema, claimed)
    }

    /// A flattened struct or enum, inlined: it shares its parent's object, so it neither sits
    /// in `$defs` nor sees the keys its parent took.
    fn flattened_named(&mut self, path: &syn::Path, span: Span) -> (Value, Vec<String>) {
        let has_args = path
            .segments
            .last()
            .is_some_and(|s| !s.arguments.is_empty());
        let Some(resolved) = self.resolve(path).filter(|_| !has_args) else {
            return (self.named(path, span), Vec::new());
        };
        if self.flattening.contains(&resolved.name) {
            return (self.named(path, span), Vec::new());
        }
        self.flattening.push(resolved.name.clone());
        let def = resolved.def;
        let out = self.within(&resolved, |this| match &def.shape {
            Shape::Named(fields) if plain_struct(def) => {
                // serde hands a flattened struct only the keys it names, so its own
                // `deny_unknown_fields` never fires. It takes those keys, unless a flattened
                // field of its own makes it read the whole map instead.
                let schema = this.object(fields, false, def.attrs.default.is_some(), None);
                let claimed = if fields.iter().any(|f| f.attrs.flatten.is_some()) {
                    Vec::new()
                } else {
                    read_names(fields)
                };
                (schema, claimed)
            }
            _ => (this.definition(def), Vec::new()),
        });
        self.flattening.pop();
        out
    }

    /// A field's schema: its type, or the schema its author gave, plus docs and secret marks.
    fn field(&mut self, field: &Field) -> Value {
        let mut schema = match &field.attrs.schema {
            Some((text, span)) => match serde_json::from_str::<Value>(text) {
                Ok(schema) if schema.is_object() => schema,
                Ok(Value::Bool(true)) => json!({}),
                Ok(Value::Bool(false)) => json!({ "not": {} }),
                _ => {
                    self.problem(
                        Severity::Error,
                        *span,
                        "`#[config(schema = \"...\")]` must hold a JSON Schema object".to_owned(),
                    );
                    json!({})
                }
            },
            None if field.attrs.custom_deserialize.is_some() => {
                let message = "a field read by `with` or `deserialize_with` accepts whatever that code accepts; the schema allows any value. Give its schema with `#[config(schema = \"...\")]`".to_owned();
                self.problem(
                    Severity::Warning,
                    field.attrs.custom_deserialize.unwrap_or(field.span),
                    message,
                );
                json!({})
            }
            None => {
                let ty = self.classify(&field.ty);
                self.ty(&ty, field.span)
            }
        };
        // A default's value is code, not data, so the schema never states it.
        if let Some(map) = schema.as_object_mut() {
            add_docs(map, &field.attrs.docs);
            if field.attrs.secret {
                mark_secret(map);
            }
        }
        schema
    }

    fn ty(&mut self, ty: &Ty, span: Span) -> Value {
        match ty {
            Ty::Bool => json!({ "type": "boolean" }),
            Ty::Int { signed, bits } => integer(*signed, *bits),
            Ty::Float => json!({ "type": "number" }),
            // JSON Schema counts code points, as `char` does.
            Ty::Char => json!({ "type": "string", "minLength": 1, "maxLength": 1 }),
            Ty::String => json!({ "type": "string" }),
            Ty::Unit => json!({ "type": "null" }),
            Ty::Option(inner) => json!({ "anyOf": [self.ty(inner, span), { "type": "null" }] }),
            Ty::Seq(item) => json!({ "type": "array", "items": self.ty(item, span) }),
            Ty::Map(key, value) => {
                let key = self.map_key(key, false, span);
                let value = self.ty(value, span);
                map_schema(key, value, true)
            }
            Ty::Tuple(items) => {
                let items: Vec<Value> = items.iter().map(|t| self.ty(t, span)).collect();
                let len = items.len();
                array(items, len)
            }
            Ty::Array(item, len) => {
                let item = self.ty(item, span);
                array(vec![item; *len], *len)
            }
            Ty::Duration => duration(),
            Ty::Ip(kind) => {
                json!({ "type": "string", "pattern": format!("^{}$", ip_pattern(*kind)) })
            }
            Ty::Socket(kind) => {
                json!({ "type": "string", "pattern": format!("^{}$", socket_pattern(*kind)) })
            }
            Ty::Url => json!({ "type": "string", "format": "uri", "pattern": URL_SCHEME }),
            Ty::Secret(inner) => {
                let mut schema = self.ty(inner, span);
                if let Some(map) = schema.as_object_mut() {
                    mark_secret(map);
                }
                schema
            }
            Ty::Named(path) => self.named(path, span),
            Ty::Unsupported(reason) => {
                self.problem(Severity::Error, span, format!("unsupported type: {reason}"));
                json!({})
            }
        }
    }

    /// What a map's keys may be. serde_json parses an object key for an integer or bool key
    /// type; in a flattened map (`flat`), keys are buffered strings that serde never parses.
    fn map_key(&mut self, key: &Ty, flat: bool, span: Span) -> Value {
        match key {
            Ty::String => json!({}),
            Ty::Char => json!({ "minLength": 1, "maxLength": 1 }),
            Ty::Int { .. } | Ty::Bool if flat => json!(false),
            Ty::Int { signed, bits } => json!({ "pattern": int_key_pattern(*signed, *bits) }),
            Ty::Bool => json!({ "enum": ["true", "false"] }),
            Ty::Ip(kind) => json!({ "pattern": format!("^{}$", ip_pattern(*kind)) }),
            Ty::Socket(kind) => json!({ "pattern": format!("^{}$", socket_pattern(*kind)) }),
            Ty::Url => json!({ "pattern": URL_SCHEME }),
            // A key is never null: serde reads it as `Some`.
            Ty::Option(inner) => self.map_key(inner, flat, span),
            Ty::Named(path) => self.named_key(path, flat, span),
            _ => {
                self.problem(Severity::Error, span, "JSON object keys are strings: a map key must be a string, an integer, a bool, a char, an address or an enum of unit variants".to_owned());
                json!({})
            }
        }
    }

    /// A map key of a type the crate defines.
    fn named_key(&mut self, path: &syn::Path, flat: bool, span: Span) -> Value {
        let Some(resolved) = self.resolve(path) else {
            let message = format!(
                "`{}` is not defined in this crate, so the schema accepts any map key for it",
                path_text(path)
            );
            self.problem(Severity::Warning, span, message);
            return json!({});
        };
        let def = resolved.def;
        self.within(&resolved, |this| {
            if let Some((_, from, _)) = &def.attrs.from
                && let Ok(ty) = syn::parse_str::<syn::Type>(from)
            {
                let ty = this.classify(&ty);
                return this.map_key(&ty, flat, span);
            }
            // A newtype reads its key as its field does.
            let inner = match &def.shape {
                Shape::Named(fields) | Shape::Tuple(fields) if def.attrs.transparent.is_some() => {
                    fields.iter().find(|f| !f.attrs.skip_deserializing)
                }
                Shape::Tuple(fields) => match fields.as_slice() {
                    [one] => Some(one),
                    _ => None,
                },
                Shape::Enum(variants) => return this.enum_key(def, variants, span),
                Shape::Named(_) | Shape::Unit => None,
            };
            match inner {
                Some(field) => {
                    let ty = this.classify(&field.ty);
                    this.map_key(&ty, flat, span)
                }
                None => this.bad_key(span),
            }
        })
    }

    /// An enum map key: a string names a unit variant, in an externally tagged enum only.
    fn enum_key(&mut self, def: &TypeDef, variants: &[Variant], span: Span) -> Value {
        if def.attrs.tag.is_some() {
            return self.bad_key(span);
        }
        let readable = variants.iter().filter(|v| !v.attrs.skip_deserializing);
        if def.attrs.untagged || readable.clone().any(|v| v.attrs.untagged || v.attrs.other) {
            let message =
                "the schema does not check map keys of an enum with `untagged` or `other` variants"
                    .to_owned();
            self.problem(Severity::Warning, span, message);
            return json!({});
        }
        let names: Vec<&String> = readable
            .filter(|v| matches!(v.shape, Shape::Unit))
            .flat_map(|v| &v.deserialize_names)
            .collect();
        json!({ "enum": names })
    }

    fn bad_key(&mut self, span: Span) -> Value {
        let message = "serde cannot read this type from a JSON object key".to_owned();
        self.problem(Severity::Error, span, message);
        json!({})
    }

    /// A reference to a struct or enum of the crate, emitting its definition once.
    fn named(&mut self, path: &syn::Path, span: Span) -> Value {
        let Some(resolved) = self.resolve(path) else {
            let message = format!(
                "`{}` is not defined in this crate, so the schema accepts any value for it; give its schema with `#[config(schema = \"...\")]` on the field",
                path_text(path)
            );
            self.problem(Severity::Warning, span, message);
            return json!({});
        };
        let has_args = path
            .segments
            .last()
            .is_some_and(|s| !s.arguments.is_empty());
        if has_args {
            let message = format!(
                "generic type `{}` is not expanded: the schema accepts any value for it",
                resolved.def.ident
            );
            self.problem(Severity::Warning, span, message);
            return json!({});
        }
        let reference = json!({ "$ref": format!("#/$defs/{}", resolved.name) });
        if self.started.insert(resolved.name.clone()) {
            let def = resolved.def;
            let mut schema = self.within(&resolved, |this| this.definition(def));
            if let Some(map) = schema.as_object_mut() {
                add_docs(map, &def.attrs.docs);
            }
            self.defs.insert(resolved.name, schema);
        }
        reference
    }

    fn definition(&mut self, def: &TypeDef) -> Value {
        if let Some((kind, from, span)) = &def.attrs.from {
            if let Ok(ty) = syn::parse_str::<syn::Type>(from) {
                let ty = self.classify(&ty);
                return self.ty(&ty, *span);
            }
            self.problem(
                Severity::Warning,
                *span,
                format!("`{kind} = \"{from}\"` is not a type; the schema accepts any value"),
            );
            return json!({});
        }
        let deny = def.attrs.deny_unknown_fields;
        match &def.shape {
            Shape::Named(fields) | Shape::Tuple(fields) if def.attrs.transparent.is_some() => {
                self.transparent(fields)
            }
            Shape::Named(fields) => self.object(fields, deny, def.attrs.default.is_some(), None),
            Shape::Tuple(fields) => self.tuple(fields, def.attrs.default.is_some()),
            Shape::Unit => json!({ "type": "null" }),
            Shape::Enum(variants) => self.enumeration(def, variants),
        }
    }

    fn transparent(&mut self, fields: &[Field]) -> Value {
        match fields.iter().find(|f| !f.attrs.skip_deserializing) {
            Some(field) => self.field(field),
            None => json!({}),
        }
    }

    /// A tuple struct or variant: one field is a newtype, read as the field; more are an
    /// array of the fields serde reads, where trailing fields with a default may be missing.
    fn tuple(&mut self, fields: &[Field], all_default: bool) -> Value {
        if let [one] = fields {
            return self.field(one);
        }
        let read: Vec<&Field> = fields
            .iter()
            .filter(|f| !f.attrs.skip_deserializing)
            .collect();
        let min = read
            .iter()
            .rposition(|f| !all_default && f.attrs.default.is_none())
            .map_or(0, |last| last + 1);
        let items = read.iter().map(|f| self.field(f)).collect();
        array(items, min)
    }

    fn enumeration(&mut self, def: &TypeDef, variants: &[Variant]) -> Value {
        let attrs = &def.attrs;
        let readable = variants.iter().filter(|v| !v.attrs.skip_deserializing);
        let (tagged, untagged): (Vec<&Variant>, Vec<&Variant>) =
            readable.partition(|v| !v.attrs.untagged && !attrs.untagged);
        let known: Vec<Value> = tagged
            .iter()
            .filter(|v| !v.attrs.other)
            .flat_map(|v| v.deserialize_names.iter().map(|n| Value::from(n.as_str())))
            .collect();
        let mut choices = Vec::new();
        for variant in tagged {
            // `other` takes every tag that names no other variant, its own name included.
            let tag = if variant.attrs.other {
                json!({ "type": "string", "not": { "enum": known } })
            } else {
                json!({ "enum": variant.deserialize_names })
            };
            match (&attrs.tag, &attrs.content) {
                (None, _) => {
                    choices.extend(self.externally_tagged(
                        variant,
                        &tag,
                        attrs.deny_unknown_fields,
                    ));
                }
                (Some(tag_name), None) => choices.push(self.internally_tagged(
                    variant,
                    tag_name,
                    tag,
                    attrs.deny_unknown_fields,
                )),
                (Some(tag_name), Some(content)) => choices.push(self.adjacently_tagged(
                    variant,
                    (tag_name, tag),
                    content,
                    attrs.deny_unknown_fields,
                )),
            }
        }
        // Untagged variants are tried, in order, when no tagged one fits.
        for variant in untagged {
            choices.push(self.variant_body(variant, attrs.deny_unknown_fields));
        }
        if choices.is_empty() {
            // An enum with no variant to read never deserializes.
            return json!({ "not": {} });
        }
        json!({ "anyOf": choices })
    }

    /// `"Name"` for a unit variant, and `{"Name": body}` for any variant.
    fn externally_tagged(&mut self, variant: &Variant, tag: &Value, deny: bool) -> Vec<Value> {
        let body = self.variant_body(variant, deny);
        let mut choices = Vec::new();
        if matches!(variant.shape, Shape::Unit) {
            let mut string = into_map(tag.clone());
            string.insert("type".into(), "string".into());
            choices.push(Value::Object(string));
        }
        if variant.attrs.other {
            choices.push(json!({
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "propertyNames": tag,
                "additionalProperties": body,
            }));
            return choices;
        }
        for name in &variant.deserialize_names {
            choices.push(json!({
                "type": "object",
                "properties": { name.clone(): body.clone() },
                "required": [name],
                "additionalProperties": false,
            }));
        }
        choices
    }

    /// `{"tag": "Name", ...fields}`: the tag joins the variant's own fields, or the fields of
    /// the struct or map that a newtype variant holds.
    fn internally_tagged(
        &mut self,
        variant: &Variant,
        tag: &str,
        tag_schema: Value,
        deny: bool,
    ) -> Value {
        let tag_only = || json!({ "type": "object", "properties": { tag: tag_schema.clone() }, "required": [tag] });
        let inner = match &variant.shape {
            Shape::Named(fields) => {
                return self.object(fields, deny, false, Some((tag, tag_schema)));
            }
            Shape::Tuple(fields) => match fields.as_slice() {
                [one] => one,
                _ => return tag_only(),
            },
            Shape::Unit | Shape::Enum(_) => return tag_only(),
        };
        if inner.attrs.schema.is_some() || inner.attrs.custom_deserialize.is_some() {
            let inner = self.field(inner);
            return json!({ "allOf": [tag_only(), inner] });
        }
        match self.classify(&inner.ty) {
            Ty::Map(key, value) => {
                // The map gets every key but the tag, as buffered strings.
                let key = self.map_key(&key, true, inner.span);
                let value = self.ty(&value, inner.span);
                let mut schema = map_schema(key, value, true);
                exclude(&mut schema, &[tag.to_owned()]);
                let mut object = into_map(schema);
                object.insert("properties".into(), json!({ tag: tag_schema }));
                object.insert("required".into(), json!([tag]));
                return Value::Object(object);
            }
            Ty::Named(path) => {
                // Inlined, so that the struct's own fields and the tag form one object.
                if let Some(resolved) = self.resolve(&path).filter(|r| plain_struct(r.def)) {
                    let def = resolved.def;
                    let (deny, default) =
                        (def.attrs.deny_unknown_fields, def.attrs.default.is_some());
                    let tag = Some((tag, tag_schema));
                    return self.within(&resolved, |this| {
                        this.object(def.named_fields(), deny, default, tag)
                    });
                }
            }
            _ => {}
        }
        let inner = self.field(inner);
        json!({ "allOf": [tag_only(), inner] })
    }

    /// `{"tag": "Name", "content": body}`.
    fn adjacently_tagged(
        &mut self,
        variant: &Variant,
        (tag, tag_schema): (&str, Value),
        content: &str,
        deny: bool,
    ) -> Value {
        let body = self.variant_body(variant, deny);
        let mut required = vec![Value::from(tag)];
        // Without content, serde reads the variant as it reads a missing field.
        let content_optional = match &variant.shape {
            Shape::Unit => true,
            Shape::Tuple(fields) => match fields.as_slice() {
                [one] => self.is_optional(one, false),
                _ => false,
            },
            Shape::Named(_) | Shape::Enum(_) => false,
        };
        if !content_optional {
            required.push(Value::from(content));
        }
        let mut object = Map::new();
        object.insert("type".into(), "object".into());
        object.insert(
            "properties".into(),
            json!({ tag: tag_schema, content: body }),
        );
        object.insert("required".into(), Value::Array(required));
        if deny {
            object.insert("additionalProperties".into(), false.into());
        }
        Value::Object(object)
    }

    fn variant_body(&mut self, variant: &Variant, deny: bool) -> Value {
        match &variant.shape {
            Shape::Named(fields) => self.object(fields, deny, false, None),
            Shape::Tuple(fields) => self.tuple(fields, false),
            Shape::Unit | Shape::Enum(_) => json!({ "type": "null" }),
        }
    }
}

/// Whether a type is a struct with named fields that serde reads as such.
fn plain_struct(def: &TypeDef) -> bool {
    matches!(def.shape, Shape::Named(_))
        && def.attrs.transparent.is_none()
        && def.attrs.from.is_none()
}

/// Every name under which `fields` are read.
fn read_names(fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| !f.attrs.skip_deserializing && f.attrs.flatten.is_none())
        .flat_map(|f| f.deserialize_names.iter().cloned())
        .collect()
}

/// Makes the keys in `names` invisible to a flattened value's own checks: serde gives those
/// keys to the fields that took them. The value shares its object with its parent through
/// `allOf`, `anyOf` and `oneOf`, so those are followed; a `$ref` or a property is another
/// object, and is not.
fn exclude(schema: &mut Value, names: &[String]) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if names.is_empty() {
        return;
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = map.get_mut(keyword) {
            for item in items {
                exclude(item, names);
            }
        }
    }
    let closed = map
        .get("additionalProperties")
        .is_some_and(|v| *v != Value::Bool(true))
        || map.contains_key("unevaluatedProperties");
    if closed {
        let properties = map.entry("properties").or_insert_with(|| json!({}));
        if let Some(properties) = properties.as_object_mut() {
            for name in names {
                properties.entry(name.clone()).or_insert(Value::Bool(true));
            }
        }
    }
    if let Some(key) = map.get_mut("propertyNames") {
        *key = json!({ "anyOf": [{ "enum": names }, key.take()] });
    }
}

/// A map: values of one schema, under keys of another. `typed` says whether it is its own
/// object, rather than a flattened part of its parent's.
fn map_schema(key: Value, value: Value, typed: bool) -> Value {
    let mut map = Map::new();
    if typed {
        map.insert("type".into(), "object".into());
    }
    if key != json!({}) {
        map.insert("propertyNames".into(), key);
    }
    map.insert("additionalProperties".into(), value);
    Value::Object(map)
}

/// Every pair of `names`, each as a `required` clause: matching any means two were given.
fn pairs(names: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for b in names.iter().skip(i + 1) {
            out.push(json!({ "required": [a, b] }));
        }
    }
    out
}

fn integer(signed: bool, bits: u8) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), "integer".into());
    match (signed, bits) {
        // 128-bit bounds do not fit in a JSON number that validators represent.
        (false, 128) => {
            schema.insert("minimum".into(), 0.into());
        }
        (true, 128) => {}
        (false, bits) => {
            schema.insert("minimum".into(), 0.into());
            schema.insert(
                "maximum".into(),
                (u64::MAX >> (64 - u32::from(bits))).into(),
            );
        }
        (true, bits) => {
            let max = i64::MAX >> (64 - u32::from(bits));
            schema.insert("minimum".into(), (-max - 1).into());
            schema.insert("maximum".into(), max.into());
        }
    }
    Value::Object(schema)
}

/// serde's `Duration`: `secs` and `nanos`, no other key. `nanos` may exceed a second, unless
/// carrying it into `secs` overflows.
fn duration() -> Value {
    const NANOS_PER_SEC: u64 = 1_000_000_000;
    let overflows: Vec<Value> = (1..=4u64)
        .map(|carry| {
            json!({ "properties": {
                "secs": { "minimum": u64::MAX - (carry - 1) },
                "nanos": { "minimum": carry * NANOS_PER_SEC },
            } })
        })
        .collect();
    json!({
        "type": "object",
        "properties": { "secs": integer(false, 64), "nanos": integer(false, 32) },
        "required": ["secs", "nanos"],
        "additionalProperties": false,
        "not": { "anyOf": overflows },
    })
}

/// An array of `items` in order, of which the first `min` must be there.
fn array(items: Vec<Value>, min: usize) -> Value {
    let len = items.len();
    // The meta-schema wants `prefixItems` non-empty.
    if items.is_empty() {
        return json!({ "type": "array", "maxItems": 0 });
    }
    json!({ "type": "array", "prefixItems": Value::Array(items), "items": false, "minItems": min, "maxItems": len })
}

/// `url::Url` parses absolute URLs only: a scheme, then a colon.
const URL_SCHEME: &str = "^[A-Za-z][A-Za-z0-9+.-]*:";

/// The decimal numbers from `min` (0 or 1) to `max`, without leading zeros.
fn decimal_range(min: u8, max: u128) -> String {
    let digits: Vec<u32> = max
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let mut alternatives = Vec::new();
    // Every number with fewer digits than `max`.
    for len in 1..digits.len() {
        alternatives.push(if len == 1 {
            format!("[{min}-9]")
        } else {
            format!("[1-9]{}", any_digits(len - 1))
        });
    }
    // As many digits: equal to `max` up to one digit, which is below `max`'s.
    for (i, &digit) in digits.iter().enumerate() {
        let low = match (i, digits.len()) {
            (0, 1) => u32::from(min),
            (0, _) => 1,
            _ => 0,
        };
        if digit > low {
            let prefix: String = digits.iter().take(i).map(ToString::to_string).collect();
            let below = if digit - 1 == low {
                low.to_string()
            } else {
                format!("[{low}-{}]", digit - 1)
            };
            alternatives.push(format!(
                "{prefix}{below}{}",
                any_digits(digits.len() - i - 1)
            ));
        }
    }
    alternatives.push(max.to_string());
    format!("({})", alternatives.join("|"))
}

/// `count` decimal digits.
fn any_digits(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => "[0-9]".to_owned(),
        _ => format!("[0-9]{{{count}}}"),
    }
}

/// An integer map key, as serde_json parses it: a JSON integer in range. `-0` parses as a
/// float, except for the 128-bit types, which serde_json reads digit by digit.
fn int_key_pattern(signed: bool, bits: u8) -> String {
    let bits = u32::from(bits.clamp(8, 128));
    let max = if signed {
        (1u128 << (bits - 1)) - 1
    } else {
        u128::MAX >> (128 - bits)
    };
    let positive = decimal_range(0, max);
    if !signed {
        return format!("^{positive}$");
    }
    let negative = decimal_range(u8::from(bits < 128), max + 1);
    format!("^({positive}|-{negative})$")
}

fn ipv4() -> String {
    let octet = decimal_range(0, 255);
    format!("{octet}(\\.{octet}){{3}}")
}

/// Rust's `Ipv6Addr` syntax: eight groups, one `::` run, and an optional dotted IPv4 tail.
fn ipv6() -> String {
    let h = "[0-9A-Fa-f]{1,4}";
    let v4 = ipv4();
    let forms = [
        format!("({h}:){{7}}{h}"),
        format!("({h}:){{6}}{v4}"),
        format!("({h}:){{1,7}}:"),
        format!("({h}:){{1,6}}:{h}"),
        format!("({h}:){{1,5}}(:{h}){{1,2}}"),
        format!("({h}:){{1,4}}(:{h}){{1,3}}"),
        format!("({h}:){{1,3}}(:{h}){{1,4}}"),
        format!("({h}:){{1,2}}(:{h}){{1,5}}"),
        format!("{h}:(:{h}){{1,6}}"),
        format!(":((:{h}){{1,7}}|:)"),
        format!("({h}:){{1,5}}:{v4}"),
        format!("({h}:){{1,4}}:({h}:){{0,1}}{v4}"),
        format!("({h}:){{1,3}}:({h}:){{0,2}}{v4}"),
        format!("({h}:){{1,2}}:({h}:){{0,3}}{v4}"),
        format!("{h}::({h}:){{0,4}}{v4}"),
        format!("::({h}:){{0,5}}{v4}"),
    ];
    format!("({})", forms.join("|"))
}

fn ip_pattern(kind: IpKind) -> String {
    match kind {
        IpKind::V4 => ipv4(),
        IpKind::V6 => ipv6(),
        IpKind::Any => format!("({}|{})", ipv4(), ipv6()),
    }
}

/// Rust's socket address syntax. The port and the IPv6 scope id are decimal numbers in range,
/// and may have leading zeros.
fn socket_pattern(kind: IpKind) -> String {
    let port = format!("0*{}", decimal_range(0, u16::MAX.into()));
    let scope = format!("0*{}", decimal_range(0, u32::MAX.into()));
    let v4 = format!("{}:{port}", ipv4());
    let v6 = format!("\\[{}(%{scope})?\\]:{port}", ipv6());
    match kind {
        IpKind::V4 => v4,
        IpKind::V6 => v6,
        IpKind::Any => format!("({v4}|{v6})"),
    }
}

fn path_text(path: &syn::Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}

fn into_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn mark_secret(schema: &mut Map<String, Value>) {
    schema.insert("writeOnly".into(), true.into());
    schema.insert(SECRET_KEYWORD.into(), true.into());
}

/// Doc comments, split as schemars does: a first paragraph followed by more becomes the
/// title, and the rest the description; a single paragraph is the description.
fn add_docs(schema: &mut Map<String, Value>, docs: &str) {
    if docs.is_empty() {
        return;
    }
    match docs.split_once("\n\n") {
        Some((title, description)) if !title.contains('\n') => {
            schema.insert("title".into(), title.trim().into());
            schema.insert("description".into(), description.trim().into());
        }
        _ => {
            schema.insert("description".into(), docs.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{decimal_range, int_key_pattern};

    #[test]
    fn decimal_ranges_list_every_number_once() {
        assert_eq!(decimal_range(0, 0), "(0)");
        assert_eq!(decimal_range(1, 7), "([1-6]|7)");
        assert_eq!(
            decimal_range(0, 255),
            "([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-4]|255)"
        );
        assert_eq!(
            int_key_pattern(true, 8),
            format!("^({}|-{})$", decimal_range(0, 127), decimal_range(1, 128))
        );
    }
}
