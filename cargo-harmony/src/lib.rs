//! The `cargo harmony` subcommand.
//!
//! This crate will hold the library `run()` behind the `cargo-harmony` binary. It holds nothing
//! yet: the commands arrive with the CLI work.
