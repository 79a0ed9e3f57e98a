//! Running the cases and printing the summary table.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Set to `1` on a machine where some cases cannot run (no second user, say) to let them be
/// skipped; unless it is set, a case that cannot run fails the suite. CI never sets it.
const ALLOW_SKIPS: &str = "HARMONY_RELIABILITY_ALLOW_SKIPS";

fn skips_allowed() -> bool {
    std::env::var(ALLOW_SKIPS).is_ok_and(|v| v == "1")
}

/// One row of the summary: a name, and the function that runs it.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) run: fn() -> Outcome,
}

impl Case {
    pub(crate) const fn new(name: &'static str, run: fn() -> Outcome) -> Self {
        Self { name, run }
    }
}

/// How a case ended, unless it panicked.
pub(crate) enum Outcome {
    Ran(Tally),
    /// The case cannot run on this machine, and why.
    Skipped(String),
}

/// What a case tried and what went wrong. A case passes when nothing was lost and no
/// unexpected error occurred.
pub(crate) struct Tally {
    tried: usize,
    unit: &'static str,
    lost: usize,
    errors: usize,
    notes: Vec<String>,
    problems: Vec<String>,
    not_run: Vec<String>,
}

impl Tally {
    /// An empty tally counting `unit`s, e.g. "writes".
    pub(crate) fn new(unit: &'static str) -> Self {
        Self {
            tried: 0,
            unit,
            lost: 0,
            errors: 0,
            notes: Vec::new(),
            problems: Vec::new(),
            not_run: Vec::new(),
        }
    }

    /// `count` more were tried.
    pub(crate) fn tried(&mut self, count: usize) {
        self.tried += count;
    }

    /// A value was lost: missing, or not the value last acknowledged.
    pub(crate) fn lost(&mut self, what: impl Into<String>) {
        self.lost += 1;
        self.problems.push(format!("lost: {}", what.into()));
    }

    /// An unexpected or unclear error, a panic, or a changed file.
    pub(crate) fn error(&mut self, what: impl Into<String>) {
        self.errors += 1;
        self.problems.push(format!("error: {}", what.into()));
    }

    /// Counts an error unless `ok`.
    pub(crate) fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.error(what());
        }
    }

    /// Part of the case cannot run on this machine, and why.
    pub(crate) fn not_run(&mut self, reason: impl Into<String>) {
        self.not_run.push(reason.into());
    }

    /// Whether nothing was tried.
    pub(crate) fn is_empty(&self) -> bool {
        self.tried == 0
    }

    /// A fact worth showing under the table, e.g. the integrity check's answer.
    pub(crate) fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }
}

/// Runs `cases` in order, prints the summary table on stderr, and fails if any case did.
pub(crate) fn run<'a>(cases: impl Iterator<Item = &'a Case>) -> ExitCode {
    let started = Instant::now();
    let mut rows = Vec::new();
    for case in cases {
        eprintln!("reliability: {} ...", case.name);
        let start = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(case.run)).ok();
        rows.push(Row {
            name: case.name,
            outcome,
            time: start.elapsed(),
        });
    }
    let failed = rows.iter().filter(|row| row.failed()).count();
    let skipped = rows
        .iter()
        .filter(|row| matches!(row.outcome, Some(Outcome::Skipped(_))) && !row.failed())
        .count();
    let lost: usize = rows
        .iter()
        .filter_map(|row| match &row.outcome {
            Some(Outcome::Ran(tally)) => Some(tally.lost),
            _ => None,
        })
        .sum();
    let table: Vec<String> = rows.iter().map(Row::line).collect();
    let details: Vec<String> = rows.iter().flat_map(Row::details).collect();
    eprintln!(
        "\n| case | tried | lost | errors | time | result |\n|---|---:|---:|---:|---:|---|\n{}\n\n{}\n\nreliability: {lost} values lost (expected 0)\n",
        table.join("\n"),
        details.join("\n")
    );
    // The line libtest prints, so that `scripts/test` counts these cases with the others.
    eprintln!(
        "test result: {}. {} passed; {failed} failed; {skipped} ignored; 0 measured; 0 filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        rows.len() - failed - skipped,
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A case that ran: its outcome, `None` when it panicked.
struct Row {
    name: &'static str,
    outcome: Option<Outcome>,
    time: Duration,
}

impl Row {
    fn failed(&self) -> bool {
        match &self.outcome {
            Some(Outcome::Ran(tally)) => {
                tally.lost > 0
                    || tally.errors > 0
                    || (!tally.not_run.is_empty() && !skips_allowed())
            }
            Some(Outcome::Skipped(_)) => !skips_allowed(),
            None => true,
        }
    }

    /// The row of the summary table.
    fn line(&self) -> String {
        let (name, time) = (self.name, self.time.as_secs_f64());
        match &self.outcome {
            Some(Outcome::Ran(tally)) => {
                let lost_or_errors = tally.lost > 0 || tally.errors > 0;
                let result = match (self.failed(), tally.not_run.len()) {
                    (true, n) if lost_or_errors || n == 0 => "FAILED".to_owned(),
                    (true, n) => {
                        format!("FAILED: {n} not run here (below; {ALLOW_SKIPS}=1 allows it)")
                    }
                    (false, 0) => "ok".to_owned(),
                    (false, n) => format!("ok; {n} not run here (below), as {ALLOW_SKIPS} allows"),
                };
                format!(
                    "| {name} | {} {} | {} | {} | {time:.1} s | {result} |",
                    tally.tried, tally.unit, tally.lost, tally.errors
                )
            }
            Some(Outcome::Skipped(_)) if self.failed() => format!(
                "| {name} | – | – | – | {time:.1} s | FAILED: could not run (below; {ALLOW_SKIPS}=1 allows it) |"
            ),
            Some(Outcome::Skipped(_)) => format!("| {name} | – | – | – | {time:.1} s | skipped |"),
            None => format!("| {name} | – | – | – | {time:.1} s | FAILED (panicked, above) |"),
        }
    }

    /// The lines under the table: notes, what did not run, and the first problems.
    fn details(&self) -> Vec<String> {
        const SHOWN: usize = 20;
        let name = self.name;
        let Some(Outcome::Ran(tally)) = &self.outcome else {
            return match &self.outcome {
                Some(Outcome::Skipped(reason)) => vec![format!("- {name}: skipped: {reason}")],
                _ => Vec::new(),
            };
        };
        let mut lines: Vec<String> = tally
            .notes
            .iter()
            .map(|note| format!("- {name}: {note}"))
            .chain(
                tally
                    .not_run
                    .iter()
                    .map(|r| format!("- {name}: not run: {r}")),
            )
            .chain(
                tally
                    .problems
                    .iter()
                    .take(SHOWN)
                    .map(|p| format!("- {name}: {p}")),
            )
            .collect();
        if tally.problems.len() > SHOWN {
            let more = tally.problems.len() - SHOWN;
            lines.push(format!("- {name}: {more} more problems"));
        }
        lines
    }
}
