//! A field's schema when something other than its type decides it: a schema its author gave,
//! `#[schemars(with)]`, serde_with's `serde_as`, or a `with` module.

use proc_macro2::Span;
use serde_json::{Value, json};

use super::{Emitter, Severity, add_docs, foreign, map_schema, mark_secret};
use crate::model::Field;
use crate::schema::named::Target;
use crate::ty::Ty;

/// serde_with's adapter that reads a value from its string form.
const DISPLAY_FROM_STR: &str = "DisplayFromStr";

impl Emitter<'_, '_> {
    /// A field's schema, plus its docs and secret marks.
    pub(super) fn field(&mut self, field: &Field) -> Value {
        let mut schema = self.field_body(field);
        // A default's value is code, not data, so the schema never states it.
        if let Some(map) = schema.as_object_mut() {
            add_docs(map, &field.attrs.docs);
            if field.attrs.secret {
                mark_secret(map);
            }
        }
        schema
    }

    fn field_body(&mut self, field: &Field) -> Value {
        let attrs = &field.attrs;
        if let Some(supplied) = &attrs.schema {
            let dir = self.frame.crate_dir.clone();
            return self.supplied(supplied, &dir);
        }
        if let Some((with, span)) = &attrs.schemars_with {
            // schemars names a type whose schema is the field's: one the generator can emit.
            if let Ok(ty) = syn::parse_str::<syn::Type>(with) {
                let ty = self.classify(&ty);
                return self.ty(&ty, *span);
            }
        }
        if let Some(serde_as) = &attrs.serde_as {
            let (adapter, span) = (&serde_as.adapter, &serde_as.span);
            if let Ok(adapter) = syn::parse_str::<syn::Type>(adapter)
                && let Some(schema) = self.serde_as(&adapter, &field.ty, *span)
            {
                return schema;
            }
            let message = format!(
                "serde_with's adapter `{adapter}` decides what this field accepts, and the generator knows only `DisplayFromStr`, `Same` and `_` inside `Option`, sequences and maps, so the schema accepts any value; {}",
                self.field_fix()
            );
            self.problem(Severity::Warning, *span, message);
            return json!({});
        }
        if let Some(span) = attrs.custom_deserialize {
            if let Some(module) = &attrs.with
                && let Some(schema) = self.with_module(module, &field.ty, span)
            {
                return schema;
            }
            let schemars = if attrs.schemars_schema_with.is_some() {
                "schemars' `schema_with` names a function, which cannot run at build time; "
            } else {
                ""
            };
            let message = format!(
                "a field read by `with` or `deserialize_with` accepts whatever that code accepts; the schema allows any value. {schemars}{}",
                self.field_fix()
            );
            self.problem(Severity::Warning, span, message);
            return json!({});
        }
        let ty = self.classify(&field.ty);
        self.ty(&ty, field.span)
    }

    /// A `with` module's schema: a `remote` definition of the crate, or a module whose values
    /// the generator knows, around the field's `Option`, sequences and maps.
    fn with_module(&mut self, module: &str, ty: &syn::Type, span: Span) -> Option<Value> {
        if let Ok(path) = syn::parse_str::<syn::Path>(module)
            && let Target::Instance(entry, args) = self.target(&path)
            && entry.def.attrs.remote.is_some()
        {
            return Some(self.instance(&entry, args));
        }
        let leaf = foreign::with_module_leaf(module)?;
        let ty = self.classify(ty);
        Some(self.around(&ty, &leaf, span))
    }

    /// `leaf` in place of the innermost values of `ty`'s `Option`s, sequences and maps.
    fn around(&mut self, ty: &Ty, leaf: &Value, span: Span) -> Value {
        match ty {
            Ty::Option(inner) => {
                json!({ "anyOf": [self.around(inner, leaf, span), { "type": "null" }] })
            }
            Ty::Seq(inner) => json!({ "type": "array", "items": self.around(inner, leaf, span) }),
            Ty::Map(key, value) => {
                let key = self.map_key(key, false, span);
                let value = self.around(value, leaf, span);
                map_schema(key, value, true)
            }
            _ => leaf.clone(),
        }
    }

    /// serde_with's `#[serde_as(as = "...")]`: the adapter type, read against the field's
    /// type; `None` for an adapter the generator does not know.
    fn serde_as(&mut self, adapter: &syn::Type, ty: &syn::Type, span: Span) -> Option<Value> {
        if matches!(adapter, syn::Type::Infer(_)) || last_ident(adapter).as_deref() == Some("Same")
        {
            let ty = self.classify(ty);
            return Some(self.ty(&ty, span));
        }
        if last_ident(adapter).as_deref() == Some(DISPLAY_FROM_STR) {
            return Some(json!({ "type": "string" }));
        }
        let adapters = args(adapter);
        let fields = args(ty);
        let kind = self.classify(adapter);
        match (kind, adapters.as_slice(), fields.as_slice()) {
            (Ty::Option(_), [a], [t]) => {
                let inner = self.serde_as(a, t, span)?;
                Some(json!({ "anyOf": [inner, { "type": "null" }] }))
            }
            (Ty::Seq(_), [a], [t]) => {
                let inner = self.serde_as(a, t, span)?;
                Some(json!({ "type": "array", "items": inner }))
            }
            (Ty::Map(..), [ka, va], [kt, vt]) => {
                let key = match last_ident(ka).as_deref() {
                    // A key `FromStr` parses: any string, as far as the schema can tell.
                    Some(DISPLAY_FROM_STR) => json!({}),
                    Some("Same") => self.key_of(kt, span),
                    _ if matches!(ka, syn::Type::Infer(_)) => self.key_of(kt, span),
                    _ => return None,
                };
                let value = self.serde_as(va, vt, span)?;
                Some(map_schema(key, value, true))
            }
            _ => None,
        }
    }
}

impl Emitter<'_, '_> {
    fn key_of(&mut self, ty: &syn::Type, span: Span) -> Value {
        let key = self.classify(ty);
        self.map_key(&key, false, span)
    }
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of a path type's last segment.
fn args(ty: &syn::Type) -> Vec<&syn::Type> {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| crate::ty::type_args(&s.arguments))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}
