//! Rules a config must follow beyond what the compiler checks.

/// Checks a store key: non-empty, only `[A-Za-z0-9_.-]`, and not starting with `.`.
///
/// Keys name files and database rows, so anything that could form a path is refused.
///
/// # Errors
///
/// Returns what is wrong with the key, phrased to follow "invalid config key: ".
pub fn validate_key(key: &str) -> Result<(), &'static str> {
    if key.is_empty() {
        return Err("a key cannot be empty");
    }
    if key.starts_with('.') {
        return Err("a key cannot start with `.`");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err("a key may contain only ASCII letters, digits, `_`, `.` and `-`");
    }
    Ok(())
}

/// Where a config key is defined, for the checks across keys.
pub struct KeySite<'a> {
    /// The key.
    pub key: &'a str,
    /// The file, line and column of the struct's name, as `file:line:col`.
    pub location: String,
}

/// Keys that collide: the same key twice, two keys with one environment variable, or two
/// keys whose accessors would share a name. Each message names both places.
#[must_use]
pub fn key_collisions(sites: &[KeySite<'_>]) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        let earlier = &sites[..i];
        let clash = |what: &str, of: &dyn Fn(&str) -> Vec<String>| {
            let mine = of(site.key);
            earlier
                .iter()
                .find(|other| of(other.key).iter().any(|n| mine.contains(n)))
                .map(|other| {
                    format!(
                        "config key `{}` {what} `{}` at {}",
                        site.key, other.key, other.location
                    )
                })
        };
        let message = clash("is already defined as", &|k| vec![k.to_owned()])
            .or_else(|| {
                clash("reads the same environment variable as", &|k| {
                    vec![crate::emit::env_var_name(k)]
                })
            })
            .or_else(|| {
                clash("gives an accessor the same name as one of", &|k| {
                    let name = crate::emit::accessor_name(k);
                    vec![format!("set_{name}"), name]
                })
            });
        if let Some(message) = message {
            problems.push((i, message));
        }
        let name = crate::emit::accessor_name(site.key);
        if syn::parse_str::<syn::Ident>(&name).is_err() {
            problems.push((i, format!("config key `{}` gives the accessor name `{name}`, which is a Rust keyword or not an identifier; choose another key with `#[config(key = \"...\")]`", site.key)));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_prefixed_keys_and_refuses_paths() {
        assert!(validate_key("myproj.DatabaseConfig").is_ok());
        assert!(validate_key("custom.key-name_2").is_ok());
        for bad in ["", "..", ".hidden", "a/b", "a\\b", "a b", "clé", "a\0b"] {
            assert!(validate_key(bad).is_err(), "{bad:?} should be refused");
        }
    }

    fn sites<'a>(keys: &[&'a str]) -> Vec<KeySite<'a>> {
        keys.iter()
            .enumerate()
            .map(|(i, key)| KeySite {
                key,
                location: format!("src/lib.rs:{}:8", i + 1),
            })
            .collect()
    }

    #[test]
    fn collisions_name_both_places() {
        let problems = key_collisions(&sites(&["Db", "app.Db", "Db"]));
        assert_eq!(
            problems,
            vec![(
                2,
                "config key `Db` is already defined as `Db` at src/lib.rs:1:8".to_owned()
            )]
        );

        let problems = key_collisions(&sites(&["a.b", "a-b"]));
        assert_eq!(
            problems,
            vec![(
                1,
                "config key `a-b` reads the same environment variable as `a.b` at src/lib.rs:1:8"
                    .to_owned()
            )]
        );

        let problems = key_collisions(&sites(&["foo", "set.foo"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].1.contains("accessor the same name"),
            "{problems:?}"
        );
    }

    #[test]
    fn keyword_accessor_names_are_refused() {
        let problems = key_collisions(&sites(&["Type", "Ok"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].1.contains("`type`"), "{problems:?}");
    }
}
