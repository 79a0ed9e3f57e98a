//! Problem collection: every problem is recorded with its span, and reported together.

use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

use crate::cfg::Cfgs;

/// Collects `syn::Error`s so that one pass reports every problem, not just the first.
///
/// This follows serde_derive's `Ctxt`: parsing code records an error and carries on. The
/// scanner also collects warnings, and reads source where `cfg_attr` is not expanded yet:
/// [`Ctxt::scanning`] says for which build.
#[derive(Default)]
pub struct Ctxt {
    errors: Vec<syn::Error>,
    warnings: Vec<(Span, String)>,
    cfgs: Cfgs,
}

impl Ctxt {
    /// A context for source as written, where `cfg_attr`s are decided for `cfgs`.
    #[must_use]
    pub fn scanning(cfgs: Cfgs) -> Self {
        Self {
            cfgs,
            ..Self::default()
        }
    }

    /// Records an error pointing at `tokens`.
    pub fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error that already carries its span.
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Records a warning: the schema will accept more, or less, than some build reads.
    pub fn warn(&mut self, span: Span, message: impl Display) {
        self.warnings.push((span, message.to_string()));
    }

    /// The build that `cfg_attr`s are decided for.
    #[must_use]
    pub fn cfgs(&self) -> &Cfgs {
        &self.cfgs
    }

    /// The recorded errors, in the order they were found.
    #[must_use]
    pub fn into_errors(self) -> Vec<syn::Error> {
        self.errors
    }

    /// The recorded errors and warnings, each in the order they were found.
    #[must_use]
    pub fn into_parts(self) -> (Vec<syn::Error>, Vec<(Span, String)>) {
        (self.errors, self.warnings)
    }
}
