//! stdout that cannot be written: a reader that went away ends the command quietly with the
//! code of SIGPIPE, as `cat` does; a full disk is an error, exit code 2. Never a panic.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

mod common;

use std::process::Stdio;

use common::{Fixture, text};

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_an_error() {
    let fx = Fixture::new();
    fx.store();
    for args in [
        &["list"][..],
        &["--message-format", "json", "get", "app.Db"],
    ] {
        // The reading end is closed before the command starts, so its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let closed = fx.command(args).stdout(writer).output().unwrap();
        assert_eq!(closed.status.code(), Some(141), "{args:?}");
        assert_eq!(text(&closed.stderr), "", "{args:?}");

        let full = std::fs::File::create("/dev/full").unwrap();
        let output = fx.command(args).stdout(Stdio::from(full)).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.starts_with("error: could not write to stdout: No space left on device"),
            "{args:?}: {stderr}"
        );

        // With stderr full too, the error has nowhere to go: still an exit code, no panic.
        let both = fx
            .command(args)
            .stdout(Stdio::from(std::fs::File::create("/dev/full").unwrap()))
            .stderr(Stdio::from(std::fs::File::create("/dev/full").unwrap()))
            .status()
            .unwrap();
        assert_eq!(both.code(), Some(2), "{args:?}");
    }
}
