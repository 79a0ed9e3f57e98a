//! Medians of one criterion run and their ratios to a baseline measured in the same run,
//! shared by the workspace's benches (included with `#[path]`).

use std::fs;
use std::path::Path;
use std::time::SystemTime;

/// The median of one benchmark of this run, in nanoseconds, from criterion's estimates.
pub(crate) fn median_ns(dir: &Path, group: &str, bench: &str, since: SystemTime) -> Option<f64> {
    let path = dir.join(group).join(bench).join("new/estimates.json");
    let modified = fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None; // from an earlier run, e.g. filtered out of this one
    }
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// A target from the issue, on the ratio of a routine's median time to its baseline's.
#[derive(Clone, Copy)]
#[allow(dead_code, reason = "each bench uses some of the goals")]
pub(crate) enum Goal {
    /// The baseline takes at least this many times as long.
    Faster(f64),
    /// The routine takes at most this many times as long as the baseline.
    Within(f64),
    /// A figure to show, such as a peer's, with no target.
    NoTarget,
}

impl Goal {
    fn describe(self, ratio: f64) -> String {
        let (text, met) = match self {
            Self::Faster(x) => (format!("at least {x}x faster"), 1.0 / ratio >= x),
            Self::Within(x) => (format!("within {x}x of the baseline"), ratio <= x),
            Self::NoTarget => return "no target".to_owned(),
        };
        format!("target {text}: {}", if met { "met" } else { "NOT met" })
    }
}

/// Prints the medians of one group from this run, with their ratios to the baseline.
pub(crate) fn summary(
    dir: &Path,
    group: &str,
    baseline: &str,
    others: &[(&str, Goal)],
    since: SystemTime,
) {
    let Some(base) = median_ns(dir, group, baseline, since) else {
        println!("{group}: baseline `{baseline}` not run; no ratios");
        return;
    };
    println!("{group}/{baseline}: median {} (baseline)", shown(base));
    for &(bench, goal) in others {
        if let Some(median) = median_ns(dir, group, bench, since) {
            let ratio = median / base;
            println!(
                "{group}/{bench}: median {}, time ratio to the baseline {ratio:.2} \
                 (speed-up {:.2}x); {}",
                shown(median),
                1.0 / ratio,
                goal.describe(ratio),
            );
        }
    }
}

/// Nanoseconds in the unit that suits them.
fn shown(ns: f64) -> String {
    match ns {
        ns if ns >= 1e9 => format!("{:.3} s", ns / 1e9),
        ns if ns >= 1e6 => format!("{:.3} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}
