//! Fuzzing on stable: property-based tests of the scanner, the schema generator, and validation
//! against the generated schemas.
//!
//! cargo-fuzz needs a nightly toolchain, so the fuzz targets are proptest properties that run
//! with `cargo test`. Each property runs a small number of cases by default, so the whole suite
//! takes about 30 s of CPU time in a debug build; `PROPTEST_CASES=N` runs N cases of each instead. A
//! failing case is shrunk and saved under `proptest-regressions/`, so that every later run tries
//! it first; commit those files.
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test --release -p harmony_codegen --test fuzz
//! ```

#![allow(
    clippy::unwrap_used,
    reason = "a failed step fails the test; proptest reports the input"
)]

mod defs;
mod found;
mod json;
mod rust;
mod scan;
mod schema;

use proptest::test_runner::Config;

/// The proptest configuration of a property: `cases` cases, unless `PROPTEST_CASES` says
/// otherwise. Every other `PROPTEST_*` variable applies as usual.
fn cases(cases: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}
