//! Error collection: every problem is recorded with its span, and reported together.

use std::fmt::Display;

use quote::ToTokens;

/// Collects `syn::Error`s so that one pass reports every problem, not just the first.
///
/// This follows serde_derive's `Ctxt`: parsing code records an error and carries on.
#[derive(Default)]
pub struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    /// Records an error pointing at `tokens`.
    pub fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error that already carries its span.
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// The recorded errors, in the order they were found.
    #[must_use]
    pub fn into_errors(self) -> Vec<syn::Error> {
        self.errors
    }
}
