//! The visibility written on a `mod` item or a config type, as the scanner keeps it.
//!
//! Both the syn walk and the text scanner end in [`Visibility::from_syn`], so the two cannot
//! read a visibility differently.

use syn::ext::IdentExt;

/// What stands before an item's keyword: nothing, `pub`, or `pub(...)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// No visibility: private to the module that declares the item.
    #[default]
    Private,
    /// `pub`.
    Public,
    /// `pub(crate)`, `pub(self)`, `pub(super)` or `pub(in path)`: the path's segments as
    /// written, without `r#`, e.g. `["super"]` or `["crate", "net"]`. `pub(crate)` and
    /// `pub(in crate)` are the same thing and read the same. A leading `::` is kept as an
    /// empty first segment.
    Restricted(Vec<String>),
}

impl Visibility {
    /// Reads syn's visibility.
    #[must_use]
    pub fn from_syn(vis: &syn::Visibility) -> Self {
        match vis {
            syn::Visibility::Public(_) => Self::Public,
            syn::Visibility::Inherited => Self::Private,
            syn::Visibility::Restricted(restricted) => {
                let path = &restricted.path;
                let root = path.leading_colon.map(|_| String::new());
                let segments = path.segments.iter().map(|s| s.ident.unraw().to_string());
                Self::Restricted(root.into_iter().chain(segments).collect())
            }
        }
    }

    /// Whether it is private to its module: no visibility, `pub(self)` or `pub(in self)`.
    #[must_use]
    pub fn is_private(&self) -> bool {
        match self {
            Self::Private => true,
            Self::Public => false,
            Self::Restricted(path) => path.len() == 1 && path.first().is_some_and(|s| s == "self"),
        }
    }
}
