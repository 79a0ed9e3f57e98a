//! `$defs`: one definition per struct or enum instance a schema uses. Each is named by its
//! type's name when that is unique in the document, else by its module path, so names do
//! not depend on the order types were met in.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

/// The prefix of a reference before [`Defs::finish`] names its definition.
const PENDING: &str = "#/$defs/harmony-pending:";

#[derive(Default)]
pub(super) struct Defs {
    defs: Vec<Def>,
    by_key: HashMap<String, usize>,
}

struct Def {
    /// `Name`, or `Name_for_Arg` for a generic instance.
    short: String,
    /// The same with the module path: `net::Name`.
    long: String,
    schema: Value,
}

impl Defs {
    /// The reference to the instance `key`, and whether this is its first use, whose caller
    /// then emits the definition with [`Defs::define`].
    pub(super) fn reference(&mut self, key: &str, short: String, long: String) -> (Value, bool) {
        if let Some(&index) = self.by_key.get(key) {
            return (pending(index), false);
        }
        self.defs.push(Def {
            short,
            long,
            schema: json!({}),
        });
        let index = self.defs.len() - 1;
        self.by_key.insert(key.to_owned(), index);
        (pending(index), true)
    }

    /// Sets the definition of the instance `key`.
    pub(super) fn define(&mut self, key: &str, schema: Value) {
        if let Some(&index) = self.by_key.get(key) {
            self.defs[index].schema = schema;
        }
    }

    /// Names every definition, points every reference at its name, and adds `$defs` to `root`.
    pub(super) fn finish(self, root: &mut Value) {
        if self.defs.is_empty() {
            return;
        }
        let count = |pick: fn(&Def) -> &str, name: &str| {
            self.defs.iter().filter(|d| pick(d) == name).count()
        };
        let mut names: Vec<String> = Vec::with_capacity(self.defs.len());
        for def in &self.defs {
            let base = if count(|d| &d.short, &def.short) == 1 {
                def.short.clone()
            } else {
                def.long.clone()
            };
            // Two instances whose arguments read alike: number them in the order met.
            let mut name = base.clone();
            let mut n = 1;
            while names.contains(&name) {
                n += 1;
                name = format!("{base}_{n}");
            }
            names.push(name);
        }
        rename(root, &names);
        let mut defs = serde_json::Map::new();
        for (def, name) in self.defs.into_iter().zip(&names) {
            let mut schema = def.schema;
            rename(&mut schema, &names);
            defs.insert(name.clone(), schema);
        }
        if let Some(map) = root.as_object_mut() {
            map.insert("$defs".into(), Value::Object(defs));
        }
    }
}

fn pending(index: usize) -> Value {
    json!({ "$ref": format!("{PENDING}{index}") })
}

/// Points each pending reference in `value` at the name of its definition.
fn rename(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(index) = reference.strip_prefix(PENDING)
                && let Some(name) = index.parse::<usize>().ok().and_then(|i| names.get(i))
            {
                *reference = format!("#/$defs/{}", pointer_escape(name));
            }
            map.values_mut().for_each(|v| rename(v, names));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename(v, names)),
        _ => {}
    }
}

/// A JSON Pointer token in a URI fragment: escaped as RFC 6901 says, then percent-encoded
/// where RFC 3986 does not allow the character (a name may be `Réglages`).
fn pointer_escape(name: &str) -> String {
    let token = name.replace('~', "~0").replace('/', "~1");
    let mut out = String::with_capacity(token.len());
    for byte in token.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}
