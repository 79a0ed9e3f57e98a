//! `cfg` predicates, decided for the build that schemas describe: the normal build of the crate,
//! with its default features, not a test or doc build.

use std::collections::BTreeSet;

use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, Meta, Token};

/// The cfgs of the normal build: the default features on, `test` and `doc` off. Anything
/// else (the target, `debug_assertions`, a custom `--cfg`) is unknown.
#[derive(Debug, Clone, Default)]
pub struct Cfgs {
    features: BTreeSet<String>,
}

impl Cfgs {
    /// The normal build, with these features on.
    #[must_use]
    pub fn with_features(features: BTreeSet<String>) -> Self {
        Self { features }
    }

    /// The features on.
    #[must_use]
    pub fn features(&self) -> &BTreeSet<String> {
        &self.features
    }

    /// Whether `predicate` holds in the normal build; `None` when that cannot be known here.
    #[must_use]
    pub fn eval(&self, predicate: &Meta) -> Option<bool> {
        let name = predicate.path().get_ident()?.to_string();
        match predicate {
            Meta::Path(_) => match name.as_str() {
                "test" | "doc" | "doctest" | "miri" | "clippy" | "rustfmt" => Some(false),
                _ => None,
            },
            Meta::NameValue(nv) if name == "feature" => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(feature),
                    ..
                }) => Some(self.features.contains(&feature.value())),
                _ => None,
            },
            Meta::NameValue(_) => None,
            Meta::List(list) => {
                let items = list
                    .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                    .ok()?;
                let values: Vec<Option<bool>> = items.iter().map(|m| self.eval(m)).collect();
                match name.as_str() {
                    // A known `false` decides `all`, a known `true` decides `any`.
                    "all" if values.contains(&Some(false)) => Some(false),
                    "all" => values.iter().all(Option::is_some).then_some(true),
                    "any" if values.contains(&Some(true)) => Some(true),
                    "any" => values.iter().all(Option::is_some).then_some(false),
                    "not" => match values.as_slice() {
                        [one] => one.map(|v| !v),
                        _ => None,
                    },
                    _ => None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str) -> Option<bool> {
        let cfgs = Cfgs::with_features(BTreeSet::from(["serde".to_owned()]));
        cfgs.eval(&syn::parse_str::<Meta>(text).unwrap())
    }

    #[test]
    fn the_normal_build_has_its_default_features_and_no_test() {
        assert_eq!(eval("test"), Some(false));
        assert_eq!(eval("feature = \"serde\""), Some(true));
        assert_eq!(eval("feature = \"schema\""), Some(false));
        assert_eq!(eval("not(test)"), Some(true));
        assert_eq!(eval("all(feature = \"serde\", not(test))"), Some(true));
        assert_eq!(eval("any(test, feature = \"schema\")"), Some(false));
    }

    #[test]
    fn what_depends_on_the_target_is_unknown() {
        assert_eq!(eval("unix"), None);
        assert_eq!(eval("target_os = \"linux\""), None);
        assert_eq!(eval("all(unix, feature = \"serde\")"), None);
        assert_eq!(eval("all(unix, test)"), Some(false));
        assert_eq!(eval("any(unix, feature = \"serde\")"), Some(true));
    }
}
