//! Source, then model, then checks, then emitted code, for `harmony_config`.
//!
//! This crate holds the one model of a config struct. The `#[derive(Config)]` macro and the
//! workspace scanner both build it with [`model::ConfigStruct::parse`], so they read every
//! attribute the same way.

pub mod attr;
pub mod case;
pub mod cfg;
pub mod check;
pub mod ctxt;
pub mod derive;
pub mod emit;
pub mod generate;
pub mod manifest;
pub mod model;
pub mod resolve;
pub mod scan;
pub mod schema;
pub mod ty;
