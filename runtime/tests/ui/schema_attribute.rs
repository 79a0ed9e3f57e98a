use serde::Deserialize;

// Not a JSON Schema: `type` names no JSON type.
#[harmony_config::schema(json = r#"{"type": "text"}"#)]
#[derive(Deserialize)]
struct BadType(String);

// A file that does not exist, relative to the crate's Cargo.toml.
#[harmony_config::schema(file = "schemas/missing.json")]
#[derive(Deserialize)]
enum Missing {
    A,
}

// Neither `json` nor `file`.
#[harmony_config::schema(path = "x.json")]
#[derive(Deserialize)]
struct Unknown(String);

// A field's schema needs the macro on its struct.
#[derive(harmony_config::Config, Deserialize, serde::Serialize, schemars::JsonSchema)]
struct NoMacro {
    #[schema(json = r#"{"type": "string"}"#)]
    name: String,
}

#[harmony_config::schema(json = "{}")]
fn not_a_type() {}

fn main() {}
