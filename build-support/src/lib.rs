//! build.rs integration for `harmony_config`.
//!
//! This crate will scan its caller's crate and write typed accessors into `OUT_DIR`. It holds
//! nothing yet: the scanner and emitter arrive with the code generation work.
