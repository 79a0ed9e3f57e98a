//! The command line itself: clap's own consistency checks, and a snapshot of `--help`.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p cargo-harmony --test cli` rewrites the snapshot after an
//! intended change; review it with `git diff`.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use cargo_harmony::cli::CargoCli;
use clap::CommandFactory;

#[test]
fn the_command_line_is_consistent() {
    CargoCli::command().debug_assert();
}

#[test]
fn help_matches_the_snapshot() {
    let output = cargo_bin_cmd!("cargo-harmony")
        .args(["harmony", "--help"])
        .output()
        .expect("run cargo-harmony");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).expect("UTF-8 help");
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/help.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(snapshot.parent().expect("a folder")).expect("create folder");
        std::fs::write(&snapshot, &help).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        help == expected,
        "`cargo harmony --help` changed; if intended, rerun with UPDATE_SNAPSHOTS=1\n--- {}\n{expected}\n+++ actual\n{help}",
        snapshot.display()
    );
}
