//! Strategies for source files of config structs: random structs and enums with the types
//! the schema generator supports (and some it does not), and every serde and config attribute
//! it reads, well-formed or not.

use std::fmt::Write as _;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::rust::{ident, keyword_safe, lines};

/// Names of the helper structs and enums; a field may use any of them, defined or not.
const LOCAL_TYPES: &[&str] = &[
    "Inner",
    "Other",
    "Node",
    "Mode",
    "Shape",
    "nested::Inner",
    "crate::nested::Mode",
    "self::Other",
    "super::Inner",
    "Self",
    "Undefined",
    "Generic<u8>",
    "Generic",
];

fn leaf_type() -> impl Strategy<Value = String> {
    let supported = select(
        &[
            "String",
            "u8",
            "u16",
            "u32",
            "u64",
            "u128",
            "usize",
            "i8",
            "i16",
            "i32",
            "i64",
            "i128",
            "isize",
            "f32",
            "f64",
            "bool",
            "char",
            "()",
            "PathBuf",
            "&'static str",
            "Box<str>",
            "Cow<'static, str>",
            "std::time::Duration",
            "IpAddr",
            "Ipv6Addr",
            "SocketAddr",
            "url::Url",
        ][..],
    );
    let unsupported = select(
        &[
            "fn()",
            "!",
            "[u8; N]",
            "*const u8",
            "Box<dyn Send>",
            "<u8 as Tr>::X",
            "Vec",
            "HashMap<String>",
            "Option<u8, u8>",
        ][..],
    );
    prop_oneof![
        16 => supported.prop_map(str::to_owned),
        8 => select(LOCAL_TYPES).prop_map(str::to_owned),
        1 => unsupported.prop_map(str::to_owned),
    ]
}

/// A map key type: strings, integers and other types JSON keys can or cannot be.
fn key_type() -> impl Strategy<Value = &'static str> {
    mostly(
        &[
            "String",
            "String",
            "u32",
            "i8",
            "bool",
            "char",
            "IpAddr",
            "Box<str>",
            "Option<String>",
            "Mode",
            "Shape",
            "Undefined",
        ],
        &["Inner", "(u8, u8)", "Secret<String>"],
    )
}

/// A field type, nested up to three deep.
pub(crate) fn field_type() -> impl Strategy<Value = String> {
    leaf_type().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            3 => inner.clone().prop_map(|t| format!("Option<{t}>")),
            2 => inner.clone().prop_map(|t| format!("Vec<{t}>")),
            1 => inner.clone().prop_map(|t| format!("Box<{t}>")),
            2 => inner.clone().prop_map(|t| format!("Secret<{t}>")),
            1 => inner.clone().prop_map(|t| format!("harmony_config::Secret<{t}>")),
            1 => inner.clone().prop_map(|t| format!("std::sync::Arc<{t}>")),
            1 => inner.clone().prop_map(|t| format!("BTreeSet<{t}>")),
            2 => (key_type(), inner.clone()).prop_map(|(k, v)| format!("HashMap<{k}, {v}>")),
            2 => (key_type(), inner.clone()).prop_map(|(k, v)| format!("BTreeMap<{k}, {v}>")),
            1 => (inner.clone(), 0..4_usize).prop_map(|(t, n)| format!("[{t}; {n}]")),
            1 => vec(inner, 1..4).prop_map(|items| format!("({},)", items.join(", "))),
        ]
    })
}

/// Doc comments: none, one line, a title and a description, odd characters.
fn docs() -> impl Strategy<Value = &'static str> {
    select(
        &[
            "",
            "",
            "",
            "/// The port.\n",
            "/// Title line.\n///\n/// Longer description\n/// over two lines.\n",
            "/// Quotes \" and \\ backslashes, `code`, */ and é.\n",
            "#[doc = \"Set with \\\"doc\\\".\\n\\nSecond paragraph.\"]\n",
            "///\n///\n",
            "/** Block doc. */\n",
            "#[doc = 5]\n",
        ][..],
    )
}

/// Picks from `usual` most of the time and from `misuse` sometimes, so that most inputs
/// get through the checks to the schema and the emitted code.
fn mostly(
    usual: &'static [&'static str],
    misuse: &'static [&'static str],
) -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => select(usual), 1 => select(misuse)]
}

/// Attributes of a field, as serde and `#[config]` read them, and some they do not.
fn field_attr() -> impl Strategy<Value = &'static str> {
    mostly(
        &[
            "#[serde(rename = \"renamed\")]",
            "#[serde(rename = \"a\")]",
            "#[serde(rename = \"\")]",
            "#[serde(rename(serialize = \"ser\", deserialize = \"de\"))]",
            "#[serde(rename(deserialize = \"de_only\"))]",
            "#[serde(alias = \"alias\")]",
            "#[serde(alias = \"b\", alias = \"c\")]",
            "#[serde(skip)]",
            "#[serde(skip_serializing)]",
            "#[serde(skip_deserializing)]",
            "#[serde(skip_serializing_if = \"Option::is_none\")]",
            "#[serde(default)]",
            "#[serde(default = \"default_value\")]",
            "#[serde(flatten)]",
            "#[serde(flatten)]",
            "#[serde(with = \"module\")]",
            "#[serde(deserialize_with = \"function\")]",
            "#[serde(serialize_with = \"function\")]",
            "#[serde(borrow)]",
            "#[serde(bound = \"T: Clone\")]",
            "#[serde(unknown_entry, default)]",
            "#[config(secret)]",
            "#[config(schema = \"{\\\"type\\\": \\\"string\\\", \\\"minLength\\\": 2}\")]",
            "#[config(schema = \"true\")]",
            "#[config(schema = \"false\")]",
        ],
        &[
            "#[serde(rename = 5)]",
            "#[serde]",
            "#[serde = \"x\"]",
            "#[config(secret = true)]",
            "#[config(secret(x))]",
            "#[config(secret, secret)]",
            "#[config(schema = \"[1]\")]",
            "#[config(schema = \"not json\")]",
            "#[config(schema)]",
            "#[config(schema = 1)]",
            "#[config(key = \"x\")]",
            "#[config(bogus)]",
            "#[config]",
            "#[config = \"x\"]",
            "#[config()]",
        ],
    )
}

/// Attributes of a struct or enum.
fn container_attr() -> impl Strategy<Value = &'static str> {
    mostly(
        &[
            "#[serde(rename_all = \"camelCase\")]",
            "#[serde(rename_all = \"snake_case\")]",
            "#[serde(rename_all = \"SCREAMING_SNAKE_CASE\")]",
            "#[serde(rename_all = \"kebab-case\")]",
            "#[serde(rename_all = \"SCREAMING-KEBAB-CASE\")]",
            "#[serde(rename_all = \"PascalCase\")]",
            "#[serde(rename_all = \"lowercase\")]",
            "#[serde(rename_all = \"UPPERCASE\")]",
            "#[serde(rename_all = \"Title Case\")]",
            "#[serde(rename_all(serialize = \"UPPERCASE\", deserialize = \"kebab-case\"))]",
            "#[serde(rename_all_fields = \"camelCase\")]",
            "#[serde(deny_unknown_fields)]",
            "#[serde(deny_unknown_fields)]",
            "#[serde(default)]",
            "#[serde(default = \"Self::new\")]",
            "#[serde(rename = \"Renamed\")]",
            "#[serde(bound = \"\")]",
            "#[serde(crate = \"serde\")]",
            "#[serde(expecting = \"a config\")]",
            "#[serde(tag = \"type\")]",
            "#[serde(tag = \"kind\", content = \"value\")]",
            "#[serde(untagged)]",
        ],
        &[
            "#[serde(transparent)]",
            "#[serde(from = \"Inner\")]",
            "#[serde(try_from = \"String\")]",
            "#[serde(from = \"not a type\")]",
            "#[serde(into = \"Inner\")]",
            "#[serde(tag = \"a\", content = \"a\")]",
            "#[serde(content = \"c\")]",
            "#[serde(remote = \"Other\")]",
            "#[serde(tag = 1)]",
        ],
    )
}

/// `#[config(...)]` on a config struct: keys good and bad, and entries that belong elsewhere.
fn config_attr() -> impl Strategy<Value = &'static str> {
    mostly(
        &[
            "#[config(key = \"app.Db\")]",
            "#[config(key = \"my-key_2\")]",
            "#[config(key = \"Shared\")]",
            "#[config(key = \"a.b\")]",
            "#[config(key = \"a-b\")]",
        ],
        &[
            "#[config(key = \"\")]",
            "#[config(key = \".hidden\")]",
            "#[config(key = \"a/b\")]",
            "#[config(key = \"clé\")]",
            "#[config(key = \"Type\")]",
            "#[config(key = \"0digit\")]",
            "#[config(key = \"set.Db\")]",
            "#[config(key)]",
            "#[config(key = 5)]",
            "#[config(key = \"a\", key = \"b\")]",
            "#[config(secret)]",
            "#[config(schema = \"{}\")]",
            "#[config(nope)]",
        ],
    )
}

fn variant_attr() -> impl Strategy<Value = &'static str> {
    mostly(
        &[
            "#[serde(rename = \"renamed\")]",
            "#[serde(rename(serialize = \"s\", deserialize = \"d\"))]",
            "#[serde(alias = \"other_name\")]",
            "#[serde(rename_all = \"UPPERCASE\")]",
            "#[serde(skip)]",
            "#[serde(skip_deserializing)]",
            "#[serde(skip_serializing)]",
            "#[serde(other)]",
            "#[serde(untagged)]",
            "#[serde(with = \"module\")]",
            "#[serde(borrow)]",
        ],
        &["#[config(secret)]", "#[serde(rename = 1)]"],
    )
}

/// A field name: `ident()`'s, plus names that collide with renames and aliases.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-z0-9_]{1,8}".prop_map(|name| keyword_safe(&name)),
        2 => ident(),
        1 => select(&["a", "b", "c", "kind", "type_", "value"][..]).prop_map(str::to_owned),
    ]
}

/// One named field with its docs and attributes, ending in `,\n`.
fn named_field() -> impl Strategy<Value = String> {
    (docs(), vec(field_attr(), 0..3), field_name(), field_type())
        .prop_map(|(docs, attrs, name, ty)| format!("{docs}{}{name}: {ty},\n", lines(&attrs)))
}

/// One tuple field, ending in `, `.
fn tuple_field() -> impl Strategy<Value = String> {
    (vec(field_attr(), 0..2), field_type())
        .prop_map(|(attrs, ty)| format!("{} {ty}, ", attrs.join(" ")))
}

/// What follows a struct's name: `{ fields }`, `(fields);`, `;`, or generics.
fn struct_body() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => vec(named_field(), 0..6).prop_map(|fields| format!(" {{\n{}}}", fields.concat())),
        1 => vec(tuple_field(), 0..3).prop_map(|fields| format!("({});", fields.concat())),
        1 => Just(";".to_owned()),
        1 => Just("<T> { v: T }".to_owned()),
    ]
}

/// What follows an enum's name: unit, tuple and struct variants.
fn enum_body() -> impl Strategy<Value = String> {
    let variant = (
        docs(),
        vec(variant_attr(), 0..2),
        ident(),
        prop_oneof![
            3 => Just(String::new()),
            2 => vec(tuple_field(), 1..3).prop_map(|fields| format!("({})", fields.concat())),
            2 => vec(named_field(), 0..3).prop_map(|fields| format!(" {{\n{}}}", fields.concat())),
        ],
    )
        .prop_map(|(docs, attrs, name, body)| {
            let attrs = lines(&attrs);
            // Variant names are capitalised by convention; keep raw names as they are.
            format!("{docs}{attrs}{}{body},\n", capitalise(&name))
        });
    vec(variant, 0..5).prop_map(|variants| format!(" {{\n{}}}", variants.concat()))
}

fn capitalise(name: &str) -> String {
    if name.starts_with("r#") {
        return name.to_owned();
    }
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A helper struct or enum named `name`, which a field may use.
fn helper(name: &'static str) -> impl Strategy<Value = String> {
    let body = prop_oneof![
        3 => struct_body().prop_map(|body| ("struct", body)),
        2 => enum_body().prop_map(|body| ("enum", body)),
    ];
    (docs(), vec(container_attr(), 0..3), body).prop_map(move |(docs, attrs, (kind, body))| {
        let generics = if name == "Generic" && !body.starts_with('<') {
            "<T>"
        } else {
            ""
        };
        format!(
            "{docs}{}\n#[derive(Serialize, Deserialize)]\npub {kind} {name}{generics}{body}\n",
            attrs.join("\n")
        )
    })
}

/// The `derive` that makes an item a config, as users write it.
fn config_derive() -> impl Strategy<Value = &'static str> {
    select(
        &[
            "#[derive(Config, Serialize, Deserialize)]",
            "#[derive(Config, Serialize, Deserialize)]",
            "#[derive(Debug, harmony_config::Config, serde::Deserialize)]",
            "#[cfg_attr(feature = \"x\", derive(Config))]",
        ][..],
    )
}

/// One config item: usually a struct with named fields, sometimes what cannot be a config.
fn config_item() -> impl Strategy<Value = String> {
    let body = prop_oneof![
        19 => vec(named_field(), 0..6)
            .prop_map(|fields| ("struct", format!(" {{\n{}}}", fields.concat()))),
        1 => struct_body().prop_map(|body| ("struct", body)),
        1 => enum_body().prop_map(|body| ("enum", body)),
    ];
    (
        docs(),
        config_derive(),
        vec(prop_oneof![2 => container_attr(), 1 => config_attr()], 0..3),
        select(&["pub ", "pub(crate) ", ""][..]),
        mostly(
            &["Db", "Server", "HTTPConfig", "AppSettings", "Db"],
            &["Type", "r#loop", "Réglages"],
        ),
        body,
    )
        .prop_map(|(docs, derive, attrs, vis, name, (kind, body))| {
            format!(
                "{docs}{derive}\n{}\n{vis}{kind} {name}{body}\n",
                attrs.join("\n")
            )
        })
}

/// A whole file: helpers, configs, and maybe a nested module with more of both.
pub(crate) fn config_file() -> impl Strategy<Value = String> {
    let helpers = || {
        (
            proptest::option::of(helper("Inner")),
            proptest::option::of(helper("Other")),
            proptest::option::of(helper("Node")),
            proptest::option::of(helper("Mode")),
            proptest::option::of(helper("Shape")),
            proptest::option::of(helper("Generic")),
        )
            .prop_map(|(a, b, c, d, e, f)| {
                [a, b, c, d, e, f].into_iter().flatten().collect::<String>()
            })
    };
    (
        helpers(),
        vec(config_item(), 1..4),
        proptest::option::of((
            select(&["pub ", ""][..]),
            helpers(),
            vec(config_item(), 0..2),
        )),
    )
        .prop_map(|(helpers, configs, nested)| {
            let mut file = String::from("use std::collections::{BTreeMap, BTreeSet, HashMap};\n");
            file.push_str(&helpers);
            file.push_str(&configs.concat());
            if let Some((vis, helpers, configs)) = nested {
                writeln!(
                    file,
                    "{vis}mod nested {{\nuse super::*;\n{helpers}{}}}",
                    configs.concat()
                )
                .unwrap();
            }
            file
        })
}
