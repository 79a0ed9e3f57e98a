//! What the fuzzer found, kept as plain tests: each input once broke the pipeline. Every one
//! also goes through all the fuzz checks, so it stays fixed in every respect they cover.

use harmony_codegen::generate::{self, Generated};
use harmony_codegen::schema::Severity;
use serde_json::{Value, json};

use crate::schema::{pipeline_checks, write_crate};

/// The pipeline's output for a crate whose `src/lib.rs` is `src`, after the fuzz checks.
fn generate(src: &str) -> Generated {
    let dir = write_crate(src);
    pipeline_checks(dir.path(), src, &[json!({}), json!({ "a": 1, "b": "x" })]).unwrap();
    generate::target(dir.path(), &dir.path().join("src/lib.rs"))
}

fn errors(generated: &Generated) -> Vec<String> {
    generated
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect()
}

fn schema(generated: &Generated) -> &Value {
    &generated.configs[0].schema
}

#[test]
fn a_name_two_fields_read_is_an_error_not_a_repeated_required_entry() {
    // This gave `"required": ["b", "b"]`, which is not a valid schema.
    let generated = generate(
        "#[derive(Config)]\nstruct Db {\n    #[serde(rename = \"b\")]\n    a: String,\n    b: String,\n}\n",
    );
    assert_eq!(
        errors(&generated),
        [
            "5:5: serde reads the key `b` into an earlier field or the tag, so this field never sees it: give one of them another name"
        ]
    );
    // The first field keeps the name, as in serde's field visitor.
    assert_eq!(schema(&generated)["required"], json!(["b"]));
    assert_eq!(
        schema(&generated)["properties"]["b"],
        json!({ "type": "string" })
    );
}

#[test]
fn an_alias_that_repeats_the_fields_own_name_changes_nothing() {
    // This gave `"oneOf": [{"required": ["a"]}, {"required": ["a"]}]`, which rejects `{"a": 1}`.
    let generated =
        generate("#[derive(Config)]\nstruct Db {\n    #[serde(alias = \"a\")]\n    a: u8,\n}\n");
    assert_eq!(errors(&generated), Vec::<String>::new());
    assert_eq!(schema(&generated)["required"], json!(["a"]));
    assert_eq!(schema(&generated).get("allOf"), None);
}

#[test]
fn a_tag_and_content_of_the_same_name_are_an_error() {
    // serde_derive refuses this; the schema said `"required": ["a", "a"]`.
    let generated = generate(
        "#[derive(Deserialize)]\n#[serde(tag = \"a\", content = \"a\")]\nenum Inner {\n    A(String),\n}\n#[derive(Config)]\nstruct Db {\n    a: Option<Inner>,\n}\n",
    );
    assert_eq!(
        errors(&generated),
        [
            "3:6: the tag and the content of `Inner` are both `a`, which serde refuses: give them different names"
        ]
    );
}

#[test]
fn a_map_key_read_through_itself_is_an_error_not_a_stack_overflow() {
    // `from = "Inner"` on `Inner` itself sent the map key's schema round forever.
    let generated = generate(
        "#[derive(Deserialize)]\n#[serde(from = \"Inner\")]\nstruct Inner {}\n#[derive(Config)]\nstruct Db {\n    a: HashMap<Inner, String>,\n}\n",
    );
    assert_eq!(
        errors(&generated),
        ["6:5: `Inner` is read as a map key through itself, which never ends"]
    );
    // A newtype around a box of itself is the same loop.
    let generated = generate(
        "#[derive(Deserialize)]\nstruct Key(Box<Key>);\n#[derive(Config)]\nstruct Db {\n    a: BTreeMap<Key, u8>,\n}\n",
    );
    assert_eq!(
        errors(&generated),
        ["5:5: `Key` is read as a map key through itself, which never ends"]
    );
}
