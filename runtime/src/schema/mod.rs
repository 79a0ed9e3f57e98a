//! Reading a config's JSON Schema: the one place that decides what a schema says about
//! secrets, unit variants, field kinds and defaults.
//!
//! The prompt, redaction in `cargo harmony get` and `explain`, and the secret marks of
//! `CONFIG.md` all read schemas through [`Schema`], so a field is masked at the prompt exactly
//! when it is redacted on output and marked secret in the docs.
//!
//! Both schema dialects in use are understood: `schemars::schema_for!` output, and the schema
//! `harmony_codegen` generates.
//!
//! ```
//! use serde_json::json;
//! use harmony_config::schema::Schema;
//!
//! let schema = json!({
//!     "type": "object",
//!     "properties": {
//!         "host": {"type": "string"},
//!         "db": {"$ref": "#/$defs/Db"},
//!     },
//!     "$defs": {"Db": {"type": "object", "properties": {
//!         "password": {"type": "string", "writeOnly": true},
//!     }}},
//! });
//! assert_eq!(Schema::new(&schema).secret_paths(), ["db.password"]);
//! ```

mod fields;
mod reader;

pub use fields::{Field, Kind};
pub use reader::{Property, Schema, secret_paths};
