//! Enums, as serde reads each tagging: external, internal (`tag`), adjacent (`tag` +
//! `content`) and untagged.

use serde_json::{Map, Value, json};

use super::named::Frame;
use super::{
    Emitter, Owner, Severity, derived_plainly, exclude, into_map, map_schema, plain_struct,
};
use crate::model::{Shape, TypeDef, Variant};
use crate::ty::Ty;

impl Emitter<'_, '_> {
    pub(super) fn enumeration(&mut self, def: &TypeDef, variants: &[Variant]) -> Value {
        let attrs = &def.attrs;
        if let (Some(tag), Some(content)) = (&attrs.tag, &attrs.content)
            && tag == content
        {
            let message = format!(
                "the tag and the content of `{}` are both `{tag}`, which serde refuses: give them different names",
                def.ident
            );
            self.problem(Severity::Error, def.ident.span(), message);
        }
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
        if inner.typed_by_attributes() {
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
                if let Some((entry, args)) = self.instance_at(&path)
                    && derived_plainly(&entry.def)
                    && plain_struct(&entry.def)
                {
                    let def = &entry.def;
                    let (deny, default) =
                        (def.attrs.deny_unknown_fields, def.attrs.default.is_some());
                    let tag = Some((tag, tag_schema));
                    self.entry_warnings(&entry);
                    return self.in_frame(Frame::instance(&entry, args), |this| {
                        this.with_owner(Owner::of(&entry), |this| {
                            this.object(def.named_fields(), deny, default, tag)
                        })
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
        // A content named like the tag is an error, reported once for the enum.
        if !content_optional && content != tag {
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
