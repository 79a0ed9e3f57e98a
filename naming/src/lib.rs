//! The naming rules of `harmony_config`, in one place.
//!
//! The runtime, the derive macro, the code generator and `cargo harmony` all name things
//! through this crate, so a key's variable, its accessor and its schema keywords can never
//! disagree between the code that writes them and the code that reads them:
//!
//! - [`validate_key`]: which keys may be stored;
//! - [`env_var_name`]: the variable that holds a key's value, under [`ENV_PREFIX`];
//! - [`accessor_name`] and [`accessor_problem`]: the generated accessor of a key;
//! - [`SECRET_KEYWORD`] and [`KEY_KEYWORD`]: the JSON Schema keywords this project adds;
//! - [`vars`]: the variables that control the runtime, none of which starts with
//!   [`ENV_PREFIX`], so no key can ever collide with one.
//!
//! ```
//! assert_eq!(harmony_naming::env_var_name("myproj.Db-main"), "HARMONY_CONFIG_myproj_Db_main");
//! assert_eq!(harmony_naming::accessor_name("myproj.HTTPConfig"), "myproj_http_config");
//! assert!(harmony_naming::validate_key("../etc").is_err());
//! ```

pub mod vars;

/// The prefix of every variable that holds a value: `HARMONY_CONFIG_{KEY}`. It belongs to
/// values alone; no variable in [`vars`] starts with it.
pub const ENV_PREFIX: &str = "HARMONY_CONFIG_";

/// The JSON Schema keyword that marks a secret, next to `writeOnly: true`.
pub const SECRET_KEYWORD: &str = "x-harmony-secret";

/// The JSON Schema keyword, at a schema's root, that names the key it describes.
pub const KEY_KEYWORD: &str = "x-harmony-key";

/// Checks a store key: non-empty, only `[A-Za-z0-9_.-]`, and not starting with `.`.
///
/// Keys name files, database rows and variables, so anything that could form a path is
/// refused.
///
/// # Errors
///
/// What is wrong with the key, phrased to follow "invalid config key `…`: ".
pub fn validate_key(key: &str) -> Result<(), &'static str> {
    if key.is_empty() {
        Err("a key cannot be empty")
    } else if key.starts_with('.') {
        Err("a key cannot start with `.`")
    } else if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        Err("a key may contain only ASCII letters, digits, `_`, `.` and `-`")
    } else {
        Ok(())
    }
}

/// The environment variable that holds the value of `key` as JSON: [`ENV_PREFIX`] then the
/// key, with every character outside `[A-Za-z0-9_]` replaced by `_`.
///
/// ```
/// assert_eq!(harmony_naming::env_var_name("custom.key-name"), "HARMONY_CONFIG_custom_key_name");
/// ```
#[must_use]
pub fn env_var_name(key: &str) -> String {
    let mut name = String::with_capacity(ENV_PREFIX.len() + key.len());
    name.push_str(ENV_PREFIX);
    name.extend(key.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        }
    }));
    name
}

/// The name of a key's generated accessor: the key in snake case, where `.`, `-` and `_`
/// separate words and a change of case starts one.
///
/// `BrocadeSwitchAuth` gives `brocade_switch_auth`, `custom.key-name` gives
/// `custom_key_name`, and `HTTPConfig` gives `http_config`. [`accessor_problem`] says whether
/// the result can be used.
#[must_use]
pub fn accessor_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for word in key.split(|c: char| !c.is_alphanumeric()) {
        for part in case_words(word) {
            if !out.is_empty() {
                out.push('_');
            }
            push_lowercase(&mut out, part);
        }
    }
    out
}

/// The words of an alphanumeric run: a lowercase letter followed by an uppercase one ends a
/// word (`fooBar`), and so does an uppercase letter followed by an uppercase then a
/// lowercase one (`HTTPConfig`). Digits take the case of what precedes them.
fn case_words(word: &str) -> Vec<&str> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    let mut words = Vec::new();
    let mut chars = word.char_indices().peekable();
    let (mut start, mut mode) = (0, Mode::Boundary);
    while let Some((i, c)) = chars.next() {
        let Some(&(next_i, next)) = chars.peek() else {
            words.push(&word[start..]);
            break;
        };
        let next_mode = if c.is_lowercase() {
            Mode::Lower
        } else if c.is_uppercase() {
            Mode::Upper
        } else {
            mode
        };
        if next_mode == Mode::Lower && next.is_uppercase() {
            words.push(&word[start..next_i]);
            (start, mode) = (next_i, Mode::Boundary);
        } else if mode == Mode::Upper && c.is_uppercase() && next.is_lowercase() {
            words.push(&word[start..i]);
            (start, mode) = (i, Mode::Boundary);
        } else {
            mode = next_mode;
        }
    }
    words
}

/// Lowercases `word` into `out`; a final capital sigma becomes `ς`, as in Greek.
fn push_lowercase(out: &mut String, word: &str) {
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c == 'Σ' && chars.peek().is_none() {
            out.push('ς');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Why the accessor of `key` cannot be generated, or `None` when [`accessor_name`] gives a
/// Rust identifier that is not a keyword.
#[must_use]
pub fn accessor_problem(key: &str) -> Option<&'static str> {
    let name = accessor_name(key);
    if is_rust_keyword(&name) {
        Some("is a Rust keyword")
    } else if name.is_empty()
        || name == "_"
        || name.starts_with(|c: char| c.is_ascii_digit())
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        Some("is not a Rust identifier")
    } else {
        None
    }
}

/// Rust's keywords, strict and reserved, in every edition: none can name an accessor.
pub const RUST_KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `word` is one of [`RUST_KEYWORDS`].
#[must_use]
pub fn is_rust_keyword(word: &str) -> bool {
    RUST_KEYWORDS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use heck::ToSnakeCase;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn keys_that_could_form_a_path_are_refused() {
        for good in ["myproj.DatabaseConfig", "custom.key-name_2", "A", "a..b"] {
            assert_eq!(validate_key(good), Ok(()), "{good}");
        }
        for bad in ["", ".hidden", "../x", "a/b", "a b", "é", "a\0b", "a\\b"] {
            assert!(validate_key(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn variable_names_replace_what_a_shell_cannot_name() {
        assert_eq!(
            env_var_name("custom.key-name"),
            "HARMONY_CONFIG_custom_key_name"
        );
        assert_eq!(env_var_name("a/b\0c é"), "HARMONY_CONFIG_a_b_c__");
    }

    #[test]
    fn accessor_names() {
        for (key, name) in [
            ("BrocadeSwitchAuth", "brocade_switch_auth"),
            ("custom.key-name", "custom_key_name"),
            ("HTTPConfig", "http_config"),
            ("myproj.DatabaseConfig", "myproj_database_config"),
            ("a__b", "a_b"),
            ("ABC123Def456", "abc123_def456"),
        ] {
            assert_eq!(accessor_name(key), name, "{key}");
        }
    }

    #[test]
    fn keyword_and_non_identifier_accessors_are_refused() {
        assert!(
            RUST_KEYWORDS.is_sorted(),
            "binary search needs the list sorted"
        );
        for key in ["type", "Type", "self", "gen", "_", "9lives", "-", "é"] {
            assert!(accessor_problem(key).is_some(), "{key}");
        }
        for key in ["types", "app.Type", "union", "raw"] {
            assert_eq!(accessor_problem(key), None, "{key}");
        }
    }

    proptest! {
        /// The accessor name is heck's snake case, which the accessors were first named by.
        #[test]
        fn accessor_names_are_hecks_snake_case(key in "[A-Za-z0-9_.-]{0,16}|\\PC{0,12}") {
            let heck = key.replace(['.', '-'], "_").to_snake_case();
            prop_assert_eq!(accessor_name(&key), heck);
        }
    }
}
