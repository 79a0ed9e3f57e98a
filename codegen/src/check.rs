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

#[cfg(test)]
mod tests {
    use super::validate_key;

    #[test]
    fn accepts_prefixed_keys_and_refuses_paths() {
        assert!(validate_key("myproj.DatabaseConfig").is_ok());
        assert!(validate_key("custom.key-name_2").is_ok());
        for bad in ["", "..", ".hidden", "a/b", "a\\b", "a b", "clé", "a\0b"] {
            assert!(validate_key(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
