//! Several OS processes on one database: a test binary re-runs itself as each child. A child
//! sees `CHILD_DB` in its environment and acts instead of orchestrating.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CHILD_DB: &str = "HARMONY_TEST_CHILD_DB";
const CHILD_ID: &str = "HARMONY_TEST_CHILD_ID";
const CHILD_START_MS: &str = "HARMONY_TEST_CHILD_START_MS";

/// Runs this test binary again with `args` in `count` child processes, released together at
/// one instant.
pub(crate) fn spawn_children(args: &[&str], db: &Path, count: usize) -> Vec<Child> {
    let start = unix_ms() + 700;
    (0..count)
        .map(|id| child_command(&[], args, db, id, start).spawn().unwrap())
        .collect()
}

/// The command that runs this test binary again with `args` as child `id` on `db`, released
/// at `start_ms` (milliseconds since the Unix epoch; 0 for at once), with its output piped.
/// A non-empty `wrapper` runs it through that program, e.g. `setpriv` with its options.
pub(crate) fn child_command(
    wrapper: &[&str],
    args: &[&str],
    db: &Path,
    id: usize,
    start_ms: u128,
) -> Command {
    let exe = std::env::current_exe().unwrap();
    let mut command = match wrapper {
        [] => Command::new(&exe),
        [program, options @ ..] => {
            let mut command = Command::new(program);
            command.args(options).arg(&exe);
            command
        }
    };
    command
        .args(args)
        .env(CHILD_DB, db)
        .env(CHILD_ID, id.to_string())
        .env(CHILD_START_MS, start_ms.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for every child; returns their combined output and fails on any failure.
pub(crate) fn wait_all(children: Vec<Child>) -> String {
    let mut output = String::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "a child failed:\n{text}");
        output.push_str(&text);
    }
    output
}

/// In a child: the database path and id, after waiting for the common start instant.
pub(crate) fn as_child() -> Option<(PathBuf, usize)> {
    let db = std::env::var_os(CHILD_DB)?;
    let id = std::env::var(CHILD_ID).unwrap().parse().unwrap();
    wait_until(start_ms());
    Some((PathBuf::from(db), id))
}

/// In a child: the instant the children were released at, in milliseconds since the Unix epoch.
pub(crate) fn start_ms() -> u128 {
    std::env::var(CHILD_START_MS).unwrap().parse().unwrap()
}

/// Waits until `ms` milliseconds since the Unix epoch, so that children act together: sleeps,
/// leaving the cores to the others, then spins for the last few milliseconds.
pub(crate) fn wait_until(ms: u128) {
    let ahead = ms.saturating_sub(unix_ms()).saturating_sub(5);
    std::thread::sleep(Duration::from_millis(u64::try_from(ahead).unwrap_or(0)));
    while unix_ms() < ms {
        std::hint::spin_loop();
    }
}

/// A single-threaded tokio runtime, as a short-lived tool would use.
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis()
}
