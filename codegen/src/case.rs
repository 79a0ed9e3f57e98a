//! serde's `rename_all` rules, applied to field names exactly as serde_derive applies them.

/// One of serde's `rename_all` rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameRule {
    /// `lowercase`
    Lower,
    /// `UPPERCASE`
    Upper,
    /// `PascalCase`
    Pascal,
    /// `camelCase`
    Camel,
    /// `snake_case`
    Snake,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnake,
    /// `kebab-case`
    Kebab,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebab,
}

const RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    /// Parses the string serde accepts, or `None` for anything else.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        RULES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, rule)| *rule)
    }

    /// Applies the rule to a field name written in snake case, as serde does.
    #[must_use]
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Pascal => pascal(field),
            Self::Camel => {
                let pascal = pascal(field);
                let mut chars = pascal.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_lowercase().to_string() + chars.as_str()
                })
            }
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

impl RenameRule {
    /// Applies the rule to a variant name written in Pascal case, as serde does.
    #[must_use]
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            Self::Pascal => variant.to_owned(),
            Self::Lower => variant.to_ascii_lowercase(),
            Self::Upper => variant.to_ascii_uppercase(),
            Self::Camel => {
                let mut chars = variant.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_lowercase().to_string() + chars.as_str()
                })
            }
            Self::Snake => {
                let mut snake = String::with_capacity(variant.len() + 4);
                for (i, ch) in variant.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        snake.push('_');
                    }
                    snake.push(ch.to_ascii_lowercase());
                }
                snake
            }
            Self::ScreamingSnake => Self::Snake.apply_to_variant(variant).to_ascii_uppercase(),
            Self::Kebab => Self::Snake.apply_to_variant(variant).replace('_', "-"),
            Self::ScreamingKebab => Self::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }
}

fn pascal(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    #[test]
    fn matches_serde_for_every_rule() {
        let cases = [
            ("lowercase", "api_token", "api_token"),
            ("UPPERCASE", "api_token", "API_TOKEN"),
            ("PascalCase", "api_token", "ApiToken"),
            ("camelCase", "api_token", "apiToken"),
            ("snake_case", "api_token", "api_token"),
            ("SCREAMING_SNAKE_CASE", "api_token", "API_TOKEN"),
            ("kebab-case", "api_token", "api-token"),
            ("SCREAMING-KEBAB-CASE", "api_token", "API-TOKEN"),
        ];
        for (name, field, expected) in cases {
            let rule = RenameRule::from_name(name).expect(name);
            assert_eq!(rule.apply_to_field(field), expected, "{name}");
        }
        assert_eq!(RenameRule::from_name("Title Case"), None);
    }

    #[test]
    fn variants_match_serde_for_every_rule() {
        let cases = [
            ("lowercase", "HttpProxy", "httpproxy"),
            ("UPPERCASE", "HttpProxy", "HTTPPROXY"),
            ("PascalCase", "HttpProxy", "HttpProxy"),
            ("camelCase", "HttpProxy", "httpProxy"),
            ("snake_case", "HttpProxy", "http_proxy"),
            ("SCREAMING_SNAKE_CASE", "HttpProxy", "HTTP_PROXY"),
            ("kebab-case", "HttpProxy", "http-proxy"),
            ("SCREAMING-KEBAB-CASE", "HttpProxy", "HTTP-PROXY"),
        ];
        for (name, variant, expected) in cases {
            let rule = RenameRule::from_name(name).expect(name);
            assert_eq!(rule.apply_to_variant(variant), expected, "{name}");
        }
    }
}
