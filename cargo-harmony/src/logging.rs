//! Logging to stderr, off but for warnings unless asked for: `HARMONY_LOG`, else `RUST_LOG`,
//! in `tracing_subscriber::EnvFilter`'s syntax (`HARMONY_LOG=debug`, `HARMONY_LOG=harmony_config=trace`).

use harmony_config::naming::vars;
use tracing_subscriber::EnvFilter;

/// Installs the subscriber; a second call, as tests make, changes nothing. An empty variable
/// counts as unset, as everywhere else; a filter that does not parse is said, and warnings are
/// logged instead.
pub(crate) fn init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_target(false)
        // A stderr that cannot be written is passed over, as everywhere else.
        .log_internal_errors(false)
        .try_init();
}

/// The filter of the first of `HARMONY_LOG` and `RUST_LOG` that is set and not empty.
fn filter() -> EnvFilter {
    let Some((name, spec)) = [vars::LOG, "RUST_LOG"].into_iter().find_map(|name| {
        std::env::var_os(name)
            .filter(|spec| !spec.is_empty())
            .map(|spec| (name, spec))
    }) else {
        return EnvFilter::new("warn");
    };
    let parsed = match spec.to_str() {
        Some(spec) => EnvFilter::try_new(spec).map_err(|e| e.to_string()),
        None => Err("it is not valid UTF-8".to_owned()),
    };
    parsed.unwrap_or_else(|error| {
        note!("warning: {name}: {error}; logging warnings only");
        EnvFilter::new("warn")
    })
}
