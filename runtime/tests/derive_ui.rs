//! Compile-fail tests of `#[derive(Config)]`: each misuse must be refused with a clear message
//! that points at the offending tokens.

use std::process::Command;

/// The toolchain the `.stderr` snapshots were generated with. Compiler output changes between
/// releases, so the snapshots are only compared on this one.
const PINNED: &str = "rustc 1.95.";

#[test]
fn misuse_is_refused_with_a_clear_message() {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc)
        .arg("--version")
        .output()
        .expect("run `rustc --version`");
    let version = String::from_utf8_lossy(&output.stdout);
    if !version.starts_with(PINNED) {
        // CI runs the pinned toolchain, so there a mismatch is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run rustc 1.95 so that the derive UI tests run; found {:?}",
            version.trim()
        );
        println!(
            "skipping the derive UI tests: their .stderr snapshots are pinned to rustc 1.95, \
             and this is {:?}",
            version.trim()
        );
        return;
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
