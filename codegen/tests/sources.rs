//! Schemas of configs whose types are written the ways real crates write them: imported with
//! `use`, re-exported, from a glob, from another crate of the workspace, generic, aliased;
//! and what the generator cannot see (a hand-written `impl Deserialize`, a `with` module, a
//! type of another crate), where it must say so rather than guess.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failed step fails the test"
)]

use std::fs;
use std::path::Path;

use harmony_codegen::generate::{self, Generated};
use harmony_codegen::schema::Severity;
use serde_json::{Value, json};

/// Writes `files` (path, text) under a temporary directory.
fn write(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// The crate `app` (with `src/lib.rs` from `files`), generated.
fn generate_in(dir: &Path, krate: &str) -> Generated {
    let root = dir.join(krate);
    generate::target(&root, &root.join("src/lib.rs"))
}

fn crate_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Generated) {
    let mut all = vec![(
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nedition = \"2024\"\n",
    )];
    all.extend_from_slice(files);
    let dir = write(&all);
    let generated = generate_in(dir.path(), "app");
    (dir, generated)
}

fn problems(generated: &Generated, severity: Severity) -> Vec<String> {
    generated
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| {
            let file = d.file.file_name().unwrap().to_string_lossy();
            format!("{file}:{}: {}", d.line, d.message)
        })
        .collect()
}

fn schema(generated: &Generated) -> &Value {
    assert!(
        !generated.failed(),
        "{:#?}",
        problems(generated, Severity::Error)
    );
    &generated.configs[0].schema
}

/// The definition a property's schema points at, through `$ref` and `anyOf` with null.
fn def_of<'a>(schema: &'a Value, property: &str) -> &'a Value {
    let mut at = &schema["properties"][property];
    if let Some(any) = at.get("anyOf") {
        at = &any[0];
    }
    let reference = at["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("no $ref: {at}"));
    let name = reference.strip_prefix("#/$defs/").unwrap();
    &schema["$defs"][name]
}

const MODE: &str = "#[derive(Deserialize)]\npub enum Mode { Fast, Safe }\n";

#[test]
fn use_imports_are_followed_in_every_form() {
    let (_dir, generated) = crate_with(&[
        (
            "app/src/lib.rs",
            "mod kinds;\nmod more;\nuse kinds::Mode as Speed;\nuse kinds::{self as k};\nuse more::*;\nuse crate::kinds::nested::{Deep, Other as Renamed};\n\
             #[derive(Config, Deserialize)]\npub struct App { a: Speed, b: k::Mode, c: Level, d: Deep, e: Renamed, f: self::kinds::Mode }\n",
        ),
        (
            "app/src/kinds.rs",
            &format!(
                "{MODE}pub mod nested {{\n    #[derive(Deserialize)]\n    pub struct Deep {{ pub x: u8 }}\n    #[derive(Deserialize)]\n    pub struct Other {{ pub y: bool }}\n}}\n"
            ),
        ),
        (
            "app/src/more.rs",
            "pub use super::kinds::nested::Deep as Level;\n",
        ),
    ]);
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    assert_eq!(def_of(schema, "a"), def_of(schema, "b"));
    assert_eq!(def_of(schema, "a"), def_of(schema, "f"));
    assert_eq!(def_of(schema, "a")["anyOf"][0]["enum"], json!(["Fast"]));
    assert_eq!(def_of(schema, "c"), def_of(schema, "d"));
    assert_eq!(def_of(schema, "c")["required"], json!(["x"]));
    assert_eq!(def_of(schema, "e")["required"], json!(["y"]));
}

#[test]
fn two_types_of_one_name_are_told_apart_by_the_import() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "mod a { #[derive(Deserialize)] pub struct Mode { pub x: u8 } }\n\
         mod b { #[derive(Deserialize)] pub struct Mode { pub y: u8 } }\n\
         use b::Mode;\n\
         #[derive(Config, Deserialize)]\npub struct App { first: a::Mode, second: Mode }\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(def_of(schema, "first")["required"], json!(["x"]));
    assert_eq!(def_of(schema, "second")["required"], json!(["y"]));
    // Both are in `$defs`, named by their modules.
    let names: Vec<&String> = schema["$defs"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["a::Mode", "b::Mode"]);
}

#[test]
fn two_globs_that_bring_one_name_are_an_error_naming_both() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "mod a { #[derive(Deserialize)] pub struct Mode { pub x: u8 } }\n\
         mod b { #[derive(Deserialize)] pub struct Mode { pub y: u8 } }\n\
         use a::*;\nuse b::*;\n\
         #[derive(Config, Deserialize)]\npub struct App { mode: Mode }\n",
    )]);
    let errors = problems(&generated, Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("`crate::a::Mode` (") && errors[0].contains("`crate::b::Mode` ("),
        "{errors:?}"
    );
}

#[test]
fn a_type_from_another_crate_of_the_workspace_is_read_there() {
    let dir = write(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"types\"]\n[workspace.dependencies]\nshared-types = { path = \"types\" }\n",
        ),
        (
            "types/Cargo.toml",
            "[package]\nname = \"shared-types\"\nedition = \"2024\"\n",
        ),
        ("types/src/lib.rs", "mod modes;\npub use modes::Mode;\n"),
        ("types/src/modes.rs", MODE),
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nedition = \"2024\"\n[dependencies]\nshared-types.workspace = true\n",
        ),
        (
            "app/src/lib.rs",
            "use shared_types::Mode;\n#[derive(Config, Deserialize)]\npub struct App { a: Mode, b: shared_types::Mode }\n",
        ),
    ]);
    let generated = generate_in(dir.path(), "app");
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    assert_eq!(def_of(schema, "a")["anyOf"][2]["enum"], json!(["Safe"]));
    assert_eq!(def_of(schema, "a"), def_of(schema, "b"));
    // The build script reruns when the other crate changes.
    let read: Vec<String> = generated
        .files_read
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    for file in [
        "types/src/modes.rs",
        "types/src/lib.rs",
        "types/Cargo.toml",
        "Cargo.toml",
        "app/Cargo.toml",
    ] {
        assert!(read.iter().any(|r| r == file), "{file} not in {read:?}");
    }
}

#[test]
fn generic_structs_and_aliases_are_instantiated() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[derive(Deserialize)]\npub struct Wrapper<T> { pub value: T, pub many: Vec<T> }\n\
         type Port = u16;\ntype Named<V> = std::collections::BTreeMap<String, V>;\n\
         #[derive(Config, Deserialize)]\npub struct App { a: Wrapper<String>, b: Wrapper<Port>, c: Named<Port>, d: Wrapper<String> }\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    assert_eq!(
        def_of(schema, "a")["properties"]["value"],
        json!({ "type": "string" })
    );
    assert_eq!(
        def_of(schema, "b")["properties"]["many"]["items"]["maximum"],
        json!(65535)
    );
    assert_eq!(schema["properties"]["a"], schema["properties"]["d"]);
    assert_eq!(
        schema["properties"]["c"]["additionalProperties"]["maximum"],
        json!(65535)
    );
    let names: Vec<&String> = schema["$defs"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["Wrapper_for_String", "Wrapper_for_u16"]);
}

#[test]
fn a_hand_written_deserialize_is_warned_about_at_the_type_with_the_impl() {
    let (_dir, generated) = crate_with(&[
        (
            "app/src/lib.rs",
            "mod columns;\nuse columns::Column;\n#[derive(Config, Deserialize)]\npub struct App { columns: Vec<Column>, sort: Option<Column> }\n",
        ),
        (
            "app/src/columns.rs",
            "pub enum Column { Cpu, Mem }\n\nmod parse {\n    use super::Column;\n    impl<'de> serde::Deserialize<'de> for Column {\n        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> { todo!() }\n    }\n}\n",
        ),
    ]);
    let schema = schema(&generated);
    assert_eq!(
        schema["properties"]["columns"]["items"],
        json!({ "$ref": "#/$defs/Column" })
    );
    assert_eq!(schema["$defs"]["Column"], json!({}));
    let warnings = problems(&generated, Severity::Warning);
    // Once, though two fields use it.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("columns.rs:1: `Column` has a hand-written `impl Deserialize` (")
            && warnings[0].contains("columns.rs:5:5)")
            && warnings[0].contains("`#[harmony_config::schema(json = \"...\")]`"),
        "{warnings:?}"
    );
}

#[test]
fn the_escape_hatch_replaces_the_schema_on_types_and_fields() {
    let (dir, generated) = crate_with(&[
        (
            "app/src/lib.rs",
            "mod columns;\n\
             #[derive(Config, Deserialize)]\npub struct App { columns: Vec<columns::Column>, filter: Filter, order: columns::Order }\n\
             #[harmony_config::schema]\n#[derive(Deserialize)]\npub struct Filter {\n    #[serde(with = \"my_regex\")]\n    #[schema(json = r#\"{\"type\": \"string\", \"format\": \"regex\"}\"#)]\n    pub pattern: Regex,\n    pub other: Foreign,\n}\n",
        ),
        (
            "app/src/columns.rs",
            "#[harmony_config::schema(json = r#\"{\"enum\": [\"cpu\", \"CPU\", \"mem\"]}\"#)]\npub enum Column { Cpu, Mem }\nimpl<'de> Deserialize<'de> for Column {}\n\
             #[harmony_config::schema(file = \"schemas/order.json\")]\npub enum Order { Asc, Desc }\n",
        ),
        ("app/schemas/order.json", "{\"enum\": [\"asc\", \"desc\"]}"),
    ]);
    let schema = schema(&generated);
    assert_eq!(
        schema["$defs"]["Column"],
        json!({ "enum": ["cpu", "CPU", "mem"] })
    );
    assert_eq!(schema["$defs"]["Order"], json!({ "enum": ["asc", "desc"] }));
    assert_eq!(
        def_of(schema, "filter")["properties"]["pattern"],
        json!({ "type": "string", "format": "regex" })
    );
    assert!(
        generated
            .files_read
            .contains(&dir.path().join("app/schemas/order.json"))
    );
    // The warning left names the fix that works on a field of a nested struct.
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("`Foreign` is not defined")
            && warnings[0].contains("`#[schema(json = \"...\")]`")
            && warnings[0].contains("`#[harmony_config::schema]` on `Filter`"),
        "{warnings:?}"
    );
}

#[test]
fn a_bad_supplied_schema_is_an_error_at_its_attribute() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[derive(Config, Deserialize)]\npub struct App { a: A, b: B, c: C }\n\
         #[harmony_config::schema(json = r#\"{\"type\": \"text\"}\"#)]\npub struct A;\n\
         #[harmony_config::schema(file = \"missing.json\")]\npub struct B;\n\
         #[harmony_config::schema(json = r##\"{\"$ref\": \"#/$defs/x\"}\"##)]\npub struct C;\n",
    )]);
    let errors = problems(&generated, Severity::Error);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with("lib.rs:3: the schema is not a valid JSON Schema (draft 2020-12): `/type` must be one of"), "{errors:?}");
    assert!(
        errors[1].starts_with("lib.rs:5: cannot read the schema file `")
            && errors[1].contains("relative to the crate's Cargo.toml"),
        "{errors:?}"
    );
    assert!(errors[2].contains("points into the document"), "{errors:?}");
}

#[test]
fn foreign_types_and_with_modules_get_their_schemas_keeping_the_shape() {
    let (_dir, generated) = crate_with(&[
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nedition = \"2024\"\n[package.metadata.harmony.schemas]\n\"bytesize::ByteSize\" = \"schemas/bytes.json\"\n",
        ),
        (
            "app/schemas/bytes.json",
            "{\"type\": \"integer\", \"minimum\": 0}",
        ),
        (
            "app/src/lib.rs",
            "use kstring::KString;\nuse std::collections::HashMap;\n\
             #[derive(Config, Deserialize)]\npub struct App {\n    names: Vec<KString>,\n    #[serde(with = \"serde_regex\")]\n    ignore: Vec<regex::Regex>,\n    #[serde(with = \"serde_regex\")]\n    one: Option<regex::Regex>,\n    limit: bytesize::ByteSize,\n    #[serde(flatten)]\n    rest: toml::Table,\n    by: HashMap<String, serde_json::Value>,\n}\n",
        ),
    ]);
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    let properties = &schema["properties"];
    assert_eq!(properties["names"]["items"]["type"], json!("string"));
    assert_eq!(properties["ignore"]["items"]["type"], json!("string"));
    assert_eq!(properties["one"]["anyOf"][1], json!({ "type": "null" }));
    assert_eq!(
        properties["limit"],
        json!({ "type": "integer", "minimum": 0 })
    );
    assert_eq!(properties["by"]["additionalProperties"], json!({}));
}

#[test]
fn what_schemars_was_told_is_reused_and_what_it_cannot_run_is_said() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[derive(Config, Deserialize)]\npub struct App {\n    #[serde(deserialize_with = \"parse\")]\n    #[schemars(with = \"Vec<String>\")]\n    a: Custom,\n    #[serde(with = \"odd\")]\n    #[cfg_attr(feature = \"schema\", schemars(schema_with = \"odd_schema\"))]\n    b: Odd,\n}\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(
        schema["properties"]["a"],
        json!({ "type": "array", "items": { "type": "string" } })
    );
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("schemars' `schema_with` names a function")
            && warnings[0].contains("`#[config(schema = \"...\")]`"),
        "{warnings:?}"
    );
}

#[test]
fn serde_with_adapters_and_other_derives_are_read() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[serde_as]\n#[derive(Config, Deserialize)]\npub struct App {\n    #[serde_as(as = \"Vec<DisplayFromStr>\")]\n    ports: Vec<u16>,\n    #[serde_as(as = \"Option<DisplayFromStr>\")]\n    limit: Option<u32>,\n    level: Level,\n    name: Name,\n}\n\
         #[derive(Deserialize_repr)]\n#[repr(u8)]\npub enum Level { Low = 1, Mid, High = 7 }\n\
         #[derive(DeserializeFromStr)]\npub struct Name(String);\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    assert_eq!(
        schema["properties"]["ports"]["items"],
        json!({ "type": "string" })
    );
    assert_eq!(schema["required"], json!(["ports", "level", "name"]));
    assert_eq!(
        schema["$defs"]["Level"],
        json!({ "type": "integer", "enum": [1, 2, 7] })
    );
    assert_eq!(schema["$defs"]["Name"], json!({ "type": "string" }));
}

#[test]
fn cfg_attr_follows_the_normal_build_and_says_so() {
    let (_dir, generated) = crate_with(&[
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nedition = \"2024\"\n[features]\ndefault = [\"serde\"]\nserde = []\n",
        ),
        (
            "app/src/lib.rs",
            "#[derive(Config, Deserialize)]\n#[cfg_attr(test, serde(deny_unknown_fields))]\npub struct App { inner: Inner }\n\
             #[cfg_attr(feature = \"serde\", derive(Deserialize), serde(rename_all = \"kebab-case\"))]\npub struct Inner { long_name: u8 }\n",
        ),
    ]);
    let schema = schema(&generated);
    // Not a test build: unknown fields are allowed.
    assert_eq!(schema.get("additionalProperties"), None);
    // The rename sits under the derive's own cfg: it always applies, without a warning.
    assert_eq!(schema["$defs"]["Inner"]["required"], json!(["long-name"]));
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(
            "lib.rs:2: `cfg_attr(test, ..)` changes what serde reads when `test` holds"
        ),
        "{warnings:?}"
    );
}

#[test]
fn a_config_module_that_would_clash_with_the_generated_one_is_named() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "pub mod config { }\nharmony_config::include_generated!();\n#[derive(Config, Deserialize)]\npub struct App { a: u8 }\n",
    )]);
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("lib.rs:1: this module is named `config`")
            && warnings[0].contains("E0428")
            && warnings[0].contains("include_generated!(settings)"),
        "{warnings:?}"
    );
}

#[test]
fn a_binary_reads_its_own_library_types() {
    let dir = write(&[
        (
            "app/Cargo.toml",
            "[package]\nname = \"my-app\"\nedition = \"2024\"\n",
        ),
        ("app/src/lib.rs", MODE),
        (
            "app/src/main.rs",
            "use my_app::Mode;\n#[derive(Config, Deserialize)]\npub struct App { mode: Mode }\nfn main() {}\n",
        ),
    ]);
    let root = dir.path().join("app");
    let generated = generate::target(&root, &root.join("src/main.rs"));
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    assert_eq!(def_of(schema, "mode")["anyOf"][0]["enum"], json!(["Fast"]));
}

#[test]
fn a_glob_of_another_crate_takes_no_name_that_is_defined_elsewhere() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "use chrono::prelude::*;\nuse std::collections::*;\n\
         #[derive(Config, Deserialize)]\npub struct App { a: u32, b: String, c: Option<bool>, d: std::time::Duration, e: DateTime<Utc>, f: HashMap<String, u8> }\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    let properties = &schema["properties"];
    assert_eq!(properties["a"]["type"], json!("integer"));
    assert_eq!(properties["b"], json!({ "type": "string" }));
    assert_eq!(properties["d"]["required"], json!(["secs", "nanos"]));
    assert_eq!(properties["e"]["type"], json!("string"));
    assert_eq!(
        properties["f"]["additionalProperties"]["maximum"],
        json!(255)
    );
}

#[test]
fn import_cycles_end() {
    let mut files = vec![(
        "app/src/lib.rs".to_owned(),
        "mod m0; pub use m0::*; mod m1; pub use m1::*; mod m2; pub use m2::*; mod m3; pub use m3::*; mod m4; pub use m4::*;\n\
         #[derive(Config, Deserialize)]\npub struct App { a: u32, b: Missing, c: Deep }\n"
            .to_owned(),
    )];
    for i in 0..5 {
        let deep = if i == 4 {
            "#[derive(Deserialize)] pub struct Deep { pub x: u8 }\n"
        } else {
            ""
        };
        files.push((format!("app/src/m{i}.rs"), format!("use super::*;\n{deep}")));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (_dir, generated) = crate_with(&files);
        tx.send(generated).ok();
    });
    // A hang, not a slow run: the pipeline takes milliseconds.
    let generated = rx.recv_timeout(std::time::Duration::from_mins(1)).unwrap();
    let schema = schema(&generated);
    assert_eq!(schema["properties"]["a"]["type"], json!("integer"));
    assert_eq!(def_of(schema, "c")["required"], json!(["x"]));
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("`Missing` is not defined"),
        "{warnings:?}"
    );
}

#[test]
fn aliases_and_generics_that_never_end_are_reported_not_followed() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "type A = B;\ntype B = A;\n\
         #[derive(Deserialize)]\npub struct S<T> { pub v: T, pub next: Option<Box<S<Vec<T>>>> }\n\
         #[derive(Config, Deserialize)]\npub struct App { a: A, s: S<u8> }\n",
    )]);
    let errors = problems(&generated, Severity::Error);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("the type alias `") && e.contains("is defined through itself")),
        "{errors:?}"
    );
    let warnings = problems(&generated, Severity::Warning);
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("lib.rs:4: `S` holds itself with other type arguments")),
        "{warnings:?}"
    );
}

#[test]
fn flatten_and_internal_tags_see_through_parameters_and_aliases() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[derive(Deserialize)]\n#[serde(deny_unknown_fields)]\npub struct Inner { pub x: String }\n\
         #[derive(Deserialize)]\npub struct Wrap<T> { #[serde(flatten)] pub a: T, #[serde(flatten)] pub rest: std::collections::HashMap<String, u32> }\n\
         type Al = Inner;\n\
         #[derive(Deserialize)]\n#[serde(tag = \"kind\")]\npub enum E { A(Al) }\n\
         #[derive(Config, Deserialize)]\npub struct App { w: Wrap<Inner>, e: E }\n",
    )]);
    let schema = schema(&generated);
    let validator = jsonschema::draft202012::new(schema).unwrap();
    assert!(
        validator.is_valid(&json!({ "w": { "x": "s", "n": 1 }, "e": { "kind": "A", "x": "s" } }))
    );
    assert!(
        !validator
            .is_valid(&json!({ "w": { "x": "s", "n": "s" }, "e": { "kind": "A", "x": "s" } }))
    );
    assert!(
        !validator.is_valid(&json!({ "w": { "x": "s" }, "e": { "kind": "A", "x": "s", "y": 1 } }))
    );
}

#[test]
fn visibility_and_namespaces_decide_what_a_glob_brings() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "mod a { use serde_json::Value; pub fn f(_: Value) {} }\n\
         mod b { #[derive(Deserialize)] pub struct Value { pub x: u8 } }\n\
         use a::*;\nuse b::*;\nuse thiserror::Error;\n\
         #[derive(Debug, Error, Deserialize)]\npub enum Error { Bad }\n\
         #[derive(Config, Deserialize)]\npub struct App { v: Value, e: Error }\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(
        problems(&generated, Severity::Warning),
        Vec::<String>::new()
    );
    assert_eq!(def_of(schema, "v")["required"], json!(["x"]));
    assert_eq!(def_of(schema, "e")["anyOf"][0]["enum"], json!(["Bad"]));
}

#[test]
fn items_under_cfg_are_decided_for_the_normal_build_or_said_to_depend_on_the_target() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[cfg(test)]\n#[derive(Deserialize)]\npub struct Mode { pub test_only: u8 }\n\
         #[cfg(not(test))]\n#[derive(Deserialize)]\npub struct Mode { pub real: u8 }\n\
         #[cfg(unix)]\n#[derive(Deserialize)]\npub struct Paths { pub home: String }\n\
         #[cfg(not(unix))]\n#[derive(Deserialize)]\npub struct Paths { pub profile: String }\n\
         #[derive(Config, Deserialize)]\npub struct App { mode: Mode, paths: Paths }\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(def_of(schema, "mode")["required"], json!(["real"]));
    assert_eq!(schema["properties"]["paths"], json!({}));
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(
            "`Paths` is defined more than once, under `#[cfg]`s that depend on the target"
        ) && warnings[0].contains("`#[config(schema = \"...\")]`"),
        "{warnings:?}"
    );
}

#[test]
fn a_dependency_is_read_with_the_features_its_dependent_turns_on() {
    let dir = write(&[
        (
            "types/Cargo.toml",
            "[package]\nname = \"types\"\nedition = \"2024\"\n[features]\ndefault = []\nkebab = []\n",
        ),
        (
            "types/src/lib.rs",
            "#[derive(serde::Deserialize)]\n#[cfg_attr(feature = \"kebab\", serde(rename_all = \"kebab-case\"))]\npub struct Names { pub long_name: u8 }\n\
             pub struct Opaque;\nimpl<'de> serde::Deserialize<'de> for Opaque {}\n",
        ),
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nedition = \"2024\"\n[dependencies]\ntypes = { path = \"../types\", features = [\"kebab\"] }\n",
        ),
        (
            "app/src/lib.rs",
            "#[derive(Config, Deserialize)]\npub struct App { names: types::Names, opaque: types::Opaque }\n",
        ),
    ]);
    let generated = generate_in(dir.path(), "app");
    let schema = schema(&generated);
    assert_eq!(def_of(schema, "names")["required"], json!(["long-name"]));
    // A type of a dependency gets the fix that works from here: a mapping in Cargo.toml.
    let warnings = problems(&generated, Severity::Warning);
    assert!(
        warnings.iter().any(
            |w| w.contains("`Opaque` has a hand-written `impl Deserialize`")
                && w.contains("\"types::Opaque\" = \"schemas/<file>.json\"")
        ),
        "{warnings:?}"
    );
}

#[test]
fn a_problem_in_a_type_argument_is_reported_where_the_argument_is_written() {
    let (_dir, generated) = crate_with(&[
        (
            "app/src/lib.rs",
            "mod types;\nuse types::Wrapper;\n\
             #[derive(Config, Deserialize)]\npub struct App {\n    w: Wrapper<foreign::Thing>,\n}\n",
        ),
        (
            "app/src/types.rs",
            "#[derive(Deserialize)]\npub struct Wrapper<T> {\n    pub v: T,\n}\n",
        ),
    ]);
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("lib.rs:5: `foreign::Thing` is from a crate")
            && warnings[0].contains("`#[config(schema = \"...\")]`"),
        "{warnings:?}"
    );
}

#[test]
fn serde_as_key_adapters_and_no_default_are_read() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[serde_as]\n#[derive(Config, Deserialize)]\npub struct App {\n    #[serde_as(as = \"HashMap<serde_with::hex::Hex, _>\")]\n    by_hex: HashMap<Vec<u8>, u32>,\n    #[serde_as(as = \"Option<DisplayFromStr>\", no_default)]\n    strict: Option<u32>,\n}\n",
    )]);
    let schema = schema(&generated);
    assert_eq!(schema["properties"]["by_hex"], json!({}));
    assert_eq!(schema["required"], json!(["by_hex", "strict"]));
    let warnings = problems(&generated, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("serde_with's adapter"), "{warnings:?}");
}

#[test]
fn a_recursive_foreign_schema_sits_in_defs_once() {
    let (_dir, generated) = crate_with(&[(
        "app/src/lib.rs",
        "#[derive(Config, Deserialize)]\npub struct App { a: toml::Table, b: Option<toml::Table>, c: toml::Value }\n",
    )]);
    let schema = schema(&generated);
    let text = schema.to_string();
    assert_eq!(
        text.matches("\"$id\":\"urn:harmony:foreign:toml:table\"")
            .count(),
        1,
        "{text}"
    );
    let validator = jsonschema::draft202012::new(schema).unwrap();
    assert!(validator.is_valid(&json!({ "a": { "x": [1, "y"] }, "b": null, "c": 1 })));
    assert!(!validator.is_valid(&json!({ "a": { "x": [null] }, "b": null, "c": 1 })));
    assert!(!validator.is_valid(&json!({ "a": {}, "b": { "x": null }, "c": 1 })));
}
