//! Logging to stderr, off but for warnings unless asked for: `HARMONY_LOG`, else `RUST_LOG`,
//! in `tracing_subscriber::EnvFilter`'s syntax (`HARMONY_LOG=debug`, `HARMONY_LOG=harmony_config=trace`).

use tracing_subscriber::EnvFilter;

/// The variable that sets what is logged, before `RUST_LOG`.
const VARIABLE: &str = "HARMONY_LOG";

/// Installs the subscriber; a second call, as tests make, changes nothing.
pub(crate) fn init() {
    let filter = EnvFilter::try_from_env(VARIABLE)
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_target(false)
        .try_init();
}
