//! Strategies for Rust-like source text: valid files full of what can hide a `mod`, and soups
//! of tokens that may be anything.

use proptest::prelude::*;
use proptest::sample::select;

/// Names for modules and fields: plain, raw, keywords that need `r#`, and unicode.
pub(crate) fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(&["a", "b", "c", "net", "x1", "_private", "HTTPServer", "snake_case"][..])
            .prop_map(str::to_owned),
        1 => select(&["r#type", "r#match", "r#fn", "r#async", "r#try", "r#mod"][..])
            .prop_map(str::to_owned),
        1 => select(&["é", "naïve", "日本", "ǅungla"][..]).prop_map(str::to_owned),
        2 => "[a-z_][a-z0-9_]{0,6}".prop_map(|name| keyword_safe(&name)),
    ]
}

/// `name`, or `r#name` when it is a keyword; names that cannot be raw (`self`, `_`) get a `_`.
pub(crate) fn keyword_safe(name: &str) -> String {
    const RAW_ONLY: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do",
        "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
        "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe",
        "unsized", "use", "virtual", "where", "while", "yield",
    ];
    const NEVER: &[&str] = &["self", "super", "crate", "_"];
    if NEVER.contains(&name) {
        format!("{name}_")
    } else if RAW_ONLY.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Each item on its own line.
pub(crate) fn lines(items: &[&str]) -> String {
    items.iter().flat_map(|item| [*item, "\n"]).collect()
}

/// A visibility as written before an item, with its trailing space.
fn vis() -> impl Strategy<Value = &'static str> {
    select(
        &[
            "",
            "",
            "pub ",
            "pub(crate) ",
            "pub(super) ",
            "pub(self) ",
            "pub(in crate) ",
            "pub (\ncrate\n) ",
        ][..],
    )
}

/// Attributes a `mod` item may carry.
fn mod_attr() -> impl Strategy<Value = &'static str> {
    select(
        &[
            "#[path = \"a.rs\"]",
            "#[path = r\"b/mod.rs\"]",
            "#[path = r#\"c.rs\"#]",
            "#[path = \"../x.rs\"]",
            "#[path = \"sub\"]",
            "#[path]",
            "#[path = 1]",
            "#[cfg(test)]",
            "#[cfg(all(unix, feature = \"x\"))]",
            "#[cfg_attr(test, path = \"t.rs\")]",
            "#[allow(dead_code)]",
            "#[doc = \"mod no;\"]",
            "/// mod no;",
            "/** mod no; */",
        ][..],
    )
}

/// Complete items and trivia that are valid anywhere an item is, and that contain `mod` or a
/// delimiter where only a real lexer knows it is not one.
fn valid_leaf() -> impl Strategy<Value = String> {
    let fixed = select(
        &[
            "// mod no;\n",
            "/* mod no; */",
            "/* /* mod no; */ { */",
            "/*/ mod no; */",
            "/**/",
            "/***/",
            "const S: &str = \"mod no; } \\\" {\";",
            "const S: &str = r\"mod no; }\";",
            "const S: &str = r#\"\"mod no; {\"\"#;",
            "const S: &str = r##\"\"# }\"##;",
            "const B: &[u8] = b\"{\\\"}\";",
            "const B: &[u8] = br#\"}\"#;",
            "const C: &core::ffi::CStr = c\"}\";",
            "const C: &core::ffi::CStr = cr#\"{\"#;",
            "const C: char = '{';",
            "const C: char = '\\'';",
            "const C: char = '\\u{7D}';",
            "const C: char = '\"';",
            "const C: u8 = b'}';",
            "const N: f32 = 1e10 + 0x1f as f32 + 1.0f32 + 1_000u8 as f32 + 0b1 as f32;",
            "fn f<'a>(x: &'a str) -> &'a str { x }",
            "fn f<'a, T: 'a>() where T:'a{ mod no {} }",
            "fn f() { 'outer: loop { break 'outer; } }",
            "fn f() { mod no; }",
            "struct S<'a>(&'a u8);",
            "impl<'a> S<'a> { fn m(&self) {} }",
            "m!(mod no;);",
            "m! { mod no; }",
            "m![{ mod no; }];",
            "macro_rules! m { () => { mod no; } }",
            "#[derive(Config)] struct C { a: u8 }",
            "pub(crate) struct P;",
            "pub(crate) static X: [u8; 1] = [0];",
            "pub extern \"C\" fn ext() {}",
            "pub(crate) unsafe fn u() {}",
            "unsafe extern \"C\" {}",
            "use std::{fmt, io};",
            "type T = (u8, [u16; 2]);",
            "trait Tr { fn t(&self) {} }",
            "enum E { A { x: u8 }, B(u8), C }",
            "extern crate alloc;",
            "const _: () = ();",
            "const E: &str = \"é 😀 \\u{301}\";",
            "/* é */",
            "\u{200e}",
            "\u{a0}",
        ][..],
    )
    .prop_map(str::to_owned);
    let module = (proptest::collection::vec(mod_attr(), 0..3), vis(), ident())
        .prop_map(|(attrs, vis, name)| format!("{}\n{vis}mod {name};", attrs.join("\n")));
    prop_oneof![3 => fixed, 2 => module]
}

/// Whitespace between items, including what only unicode calls whitespace.
fn gap() -> impl Strategy<Value = &'static str> {
    select(
        &[
            " ", "\n", "\n", "\r\n", "\t", "  \n  ", "\u{200e}", "\u{2028}",
        ][..],
    )
}

/// A whole file that syn parses: items, trivia and inline modules, nested.
pub(crate) fn valid_file() -> impl Strategy<Value = String> {
    let items = valid_leaf().prop_recursive(4, 48, 6, |inner| {
        (
            proptest::collection::vec((inner, gap()), 0..6),
            proptest::collection::vec(mod_attr(), 0..2),
            vis(),
            prop_oneof![3 => Just(""), 1 => Just("unsafe ")],
            ident(),
            prop_oneof![Just(""), Just("#![cfg(test)]\n"), Just("//! inner\n")],
        )
            .prop_map(|(body, attrs, vis, safety, name, inner_attr)| {
                let body: String = body.into_iter().map(|(i, g)| i + g).collect();
                format!(
                    "{}\n{vis}{safety}mod {name} {{\n{inner_attr}{body}}}",
                    attrs.join("\n")
                )
            })
    });
    (
        prop_oneof![
            6 => Just(""),
            1 => Just("\u{feff}"),
            1 => Just("#!/usr/bin/env run-cargo-script\n"),
            1 => Just("#![allow(unused)]\n"),
            1 => Just("#![cfg(feature = \"whole\")]\n"),
        ],
        proptest::collection::vec((items, gap()), 0..10),
    )
        .prop_map(|(head, items)| {
            let body: String = items.into_iter().map(|(i, g)| i + g).collect();
            format!("{head}{body}")
        })
}

/// Fragments that break a file: unterminated literals and comments, stray delimiters, lone
/// prefixes and quotes.
fn broken_leaf() -> impl Strategy<Value = String> {
    select(
        &[
            "\"open",
            "//! mod no;\n",
            "/* open",
            "/* /* */",
            "r#\"open",
            "r##\"x\"#",
            "br\"",
            "b'",
            "'",
            "'\\",
            "'\\u{",
            "c\"",
            "}",
            ")",
            "]",
            "{",
            "(",
            "[",
            ";",
            "#",
            "#!",
            "#[",
            "#![",
            "!",
            "::",
            "r#",
            "r#1",
            "'a",
            "'r#a",
            "''",
            "mod",
            "pub(",
            "pub(crate",
            "pub(crate::x) mod m;",
            "mod {}",
            "mod;",
            "mod m",
            "unsafe mod m;",
            "1e",
            "0x",
            "1.",
            "..",
            "\\",
            "@",
            "$",
            "é",
            "😀",
            "\u{301}",
            "\u{0}",
            "\u{feff}",
            "\r",
        ][..],
    )
    .prop_map(str::to_owned)
}

/// Anything: valid fragments, broken fragments and random characters, glued with or without
/// whitespace, then maybe cut short.
pub(crate) fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => valid_leaf(),
        3 => broken_leaf(),
        1 => ident(),
        1 => "[ -~]{0,8}",
        1 => any::<char>().prop_map(String::from),
    ];
    (
        proptest::collection::vec((piece, prop_oneof![gap(), Just("")]), 0..24),
        any::<proptest::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(pieces, cut, truncate)| {
            let text: String = pieces.into_iter().map(|(p, g)| p + g).collect();
            if truncate && !text.is_empty() {
                let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
                let end = ends[cut.index(ends.len())];
                text[..end].to_owned()
            } else {
                text
            }
        })
}
