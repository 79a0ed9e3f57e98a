//! `Secret<T>`: a value whose `Debug` and `Display` never show it.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::redact::{REDACTED, sanitize_serde_message};

/// A serde-transparent wrapper for a secret value.
///
/// Its `Debug` and `Display` print `<redacted>`, so a `#[derive(Debug)]` on the struct that holds
/// it cannot leak it. `#[derive(Config)]` lists a `Secret<T>` field in `SECRET_FIELDS` without
/// `#[config(secret)]`; inside nested structs, `Secret<T>` is how a field is made secret. Its JSON Schema is the inner type's, marked `writeOnly` and
/// `x-harmony-secret`. Read the value with [`Secret::expose`].
///
/// ```
/// use harmony_config::Secret;
///
/// let token = Secret::new("hunter2".to_owned());
/// assert_eq!(format!("{token:?}"), "<redacted>");
/// assert_eq!(token.expose(), "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret value. Call it where the value is used, never where it is displayed.
    pub const fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: Serialize> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Reading through a buffered value keeps the secret's inner path (map keys are part of
        // the secret) out of the error, and the inner type's message may quote the value: keep
        // only what serde's own patterns say. `Option` lets a missing field read as null, as
        // it would for `T` itself.
        let value = Option::<serde_json::Value>::deserialize(deserializer)?.unwrap_or_default();
        serde_json::from_value(value).map(Self).map_err(|error| {
            serde::de::Error::custom(sanitize_serde_message(&error.to_string(), true))
        })
    }
}

impl<T: JsonSchema> JsonSchema for Secret<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Secret_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = T::json_schema(generator);
        let object = schema.ensure_object();
        object.insert("writeOnly".to_owned(), true.into());
        object.insert(crate::SECRET_SCHEMA_KEYWORD.to_owned(), true.into());
        schema
    }
}
