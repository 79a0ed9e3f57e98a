//! Logging to stderr, off but for warnings unless asked for: `HARMONY_LOG`, else `RUST_LOG`,
//! in `tracing_subscriber::EnvFilter`'s syntax (`HARMONY_LOG=debug`, `HARMONY_LOG=harmony_config=trace`).

use harmony_config::naming::vars;
use tracing_subscriber::EnvFilter;

/// Installs the subscriber; a second call, as tests make, changes nothing. A filter that does
/// not parse is said, and warnings are logged instead.
pub(crate) fn init() {
    let filter = match EnvFilter::try_from_env(vars::LOG) {
        Ok(filter) => filter,
        Err(error) if std::env::var_os(vars::LOG).is_some() => {
            note!("warning: {}: {error}; logging warnings only", vars::LOG);
            EnvFilter::new("warn")
        }
        Err(_) => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_target(false)
        // A stderr that cannot be written is passed over, as everywhere else.
        .log_internal_errors(false)
        .try_init();
}
