//! Scanner throughput on a pinned corpus of real Rust source, against bare `syn::parse_file`.
//!
//! The corpus is `cargo vendor` of the workspace's own dependencies at `Cargo.lock`, built by
//! `scripts/bench-corpus` into `target/bench-corpus/vendor`. Run:
//!
//! ```text
//! scripts/bench-corpus
//! cargo bench -p harmony_codegen --bench scanner
//! ```
//!
//! Two groups, each with its own baseline measured in the same run on the same files:
//!
//! - `per-file`: every `.rs` file of the corpus, read into memory first. The baseline parses
//!   each with `syn::parse_file`. `scanner-prefilter` does the scanner's per-file work: files
//!   containing [`scan::MARKER`] are parsed with syn, the others go through the text scan
//!   ([`FileDecls::from_text`]). `scanner-parse-all` parses every file, as
//!   `ScanOptions { parse_all: true }` does.
//! - `walk`: [`ModuleTree::build`] from the root of every lib and bin target of every vendored
//!   crate, then [`ModuleTree::config_items`]: the real scanner, file reads included (from the
//!   page cache). The baseline is `syn::parse_file` over exactly the files those walks read,
//!   from memory.
//!
//! Times are the CPU time of the benchmark thread ([`ThreadCpuTime`]), so that other processes
//! on a small shared machine do not land in one benchmark's figures and not another's. At the
//! end, the medians of this run and their ratios to each group's baseline are printed, with
//! the issue's targets: the prefilter at least 3x faster than the baseline, the forced parse
//! within 1.2x of it.
//!
//! Under `cargo test --all-targets` (criterion's test mode) each routine runs once on a small
//! sample, so the bench is checked without the corpus and without taking time.

#![allow(
    clippy::cast_precision_loss,
    reason = "byte counts and nanoseconds, printed as approximate figures"
)]

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput};
use harmony_codegen::scan::{self, FileDecls, ModuleTree, ScanOptions};
use proc_macro2::extra::invalidate_current_thread_spans;

#[path = "../../benches/summary.rs"]
mod summary;
use summary::{Goal, summary};

/// The time the benchmarked thread spent on a CPU: the first field of
/// `/proc/thread-self/schedstat`, in nanoseconds (Linux), or wall-clock time where that file
/// cannot be read.
///
/// On a small shared machine, wall-clock time also counts the time other processes hold the
/// CPU, in bursts that land on whichever benchmark is running; CPU time leaves that out.
/// The kernel updates the figure at each scheduler tick, a few milliseconds at most, against
/// runs of a second or more.
struct ThreadCpuTime {
    wall: WallTime,
}

const SCHEDSTAT: &str = "/proc/thread-self/schedstat";

impl ThreadCpuTime {
    fn available() -> bool {
        cpu_ns().is_some()
    }

    fn now_ns() -> u64 {
        static EPOCH: OnceLock<Instant> = OnceLock::new();
        cpu_ns().unwrap_or_else(|| {
            let elapsed = EPOCH.get_or_init(Instant::now).elapsed();
            u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
        })
    }
}

fn cpu_ns() -> Option<u64> {
    let text = fs::read_to_string(SCHEDSTAT).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = Duration;

    fn start(&self) -> u64 {
        Self::now_ns()
    }
    fn end(&self, start: u64) -> Duration {
        Duration::from_nanos(Self::now_ns().saturating_sub(start))
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// Crates of the corpus used in test mode, to keep `cargo test --all-targets` quick.
const SMOKE_CRATES: usize = 3;

/// Samples per benchmark: criterion's minimum, since one pass over the corpus takes seconds.
const SAMPLES: usize = 10;

const PER_FILE: &str = "per-file";
const WALK: &str = "walk";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ has a parent")
        .to_path_buf()
}

fn corpus_dir() -> PathBuf {
    workspace_root().join("target/bench-corpus/vendor")
}

/// Where criterion writes its results; the same rule criterion uses, made explicit.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        PathBuf::from(home)
    } else if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        PathBuf::from(target).join("criterion")
    } else {
        workspace_root().join("target/criterion")
    }
}

/// The files and target roots of a set of crate directories.
struct Corpus {
    /// The text of every `.rs` file, in path order.
    files: Vec<String>,
    bytes: usize,
    not_utf8: usize,
    /// The root file of every lib and bin target.
    roots: Vec<PathBuf>,
    crates: usize,
    manifest_errors: usize,
}

impl Corpus {
    fn load(crate_dirs: &[PathBuf]) -> Self {
        let mut paths = Vec::new();
        for dir in crate_dirs {
            rs_files(dir, &mut paths);
        }
        paths.sort();
        let mut files = Vec::new();
        let mut not_utf8 = 0;
        for path in paths {
            let bytes = fs::read(&path).expect("read a corpus file");
            match String::from_utf8(bytes) {
                Ok(text) => files.push(text),
                Err(_) => not_utf8 += 1,
            }
        }
        let bytes = files.iter().map(String::len).sum();
        let mut roots = Vec::new();
        let mut manifest_errors = 0;
        for dir in crate_dirs {
            match scan::targets(dir, false) {
                Ok(targets) => roots.extend(targets.into_iter().map(|t| t.root)),
                Err(_) => manifest_errors += 1,
            }
        }
        Self {
            files,
            bytes,
            not_utf8,
            roots,
            crates: crate_dirs.len(),
            manifest_errors,
        }
    }
}

/// Every `.rs` file under `dir`, recursively, symlinks not followed.
fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).expect("list a corpus directory");
    for entry in entries {
        let entry = entry.expect("read a directory entry");
        let kind = entry.file_type().expect("read a file type");
        let path = entry.path();
        if kind.is_dir() {
            rs_files(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn crate_dirs(vendor: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(vendor)
        .expect("list the corpus")
        .map(|e| e.expect("read a directory entry").path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// The baseline: bare syn.
fn bare_parse(text: &str) -> bool {
    syn::parse_file(text).is_ok()
}

/// What the scanner does with one file it has read (`Walker::decls` in `scan/tree.rs`): syn
/// for marker files, or for every file under `parse_all`; the text scan for the others, and as
/// the fallback when syn fails.
fn scan_file(text: &str, options: ScanOptions) -> FileDecls {
    if options.parse_all || text.contains(scan::MARKER) {
        match syn::parse_file(text) {
            Ok(file) => FileDecls::from_syn(&file),
            Err(_) => FileDecls::from_text(text).unwrap_or_default(),
        }
    } else {
        FileDecls::from_text(text).unwrap_or_default()
    }
}

/// The walk of one target, as `cargo harmony sync` and the build script do it.
fn walk(root: &Path, options: ScanOptions) -> usize {
    let tree = ModuleTree::build(root, options);
    tree.config_items().len() + tree.modules().len()
}

/// Benchmarks `routine`, each run starting from an empty span table (untimed).
///
/// proc-macro2's `span-locations`, which the scanner enables, keeps every parsed file's text
/// and line table in a thread-local table that is never freed. Over runs of the whole
/// corpus it would grow by gigabytes and slow every later parse, so it is cleared between
/// runs, outside the measured time, for the baseline and the scanner alike.
fn measure<R>(
    group: &mut BenchmarkGroup<'_, ThreadCpuTime>,
    name: &str,
    mut routine: impl FnMut() -> R,
) {
    group.bench_function(name, |b| {
        b.iter_batched(
            invalidate_current_thread_spans,
            |()| routine(),
            BatchSize::PerIteration,
        );
    });
}

/// One pass of `routine`, to size criterion's measurement time before it starts.
fn time_once(routine: impl FnOnce()) -> Duration {
    invalidate_current_thread_spans();
    let start = ThreadCpuTime::now_ns();
    routine();
    let elapsed = Duration::from_nanos(ThreadCpuTime::now_ns().saturating_sub(start));
    invalidate_current_thread_spans();
    elapsed
}

/// Measurement time for about one run per sample of a routine whose one pass took `slowest`
/// (the group's baseline): criterion's flat sampling then runs the baseline [`SAMPLES`] times
/// and the faster routines several times per sample, and a group takes minutes, not ten.
fn configure(group: &mut BenchmarkGroup<'_, ThreadCpuTime>, slowest: Duration, bytes: usize) {
    if !slowest.is_zero() {
        println!(
            "one unmeasured pass of the baseline: {:.3} s; sizes the measurement time",
            slowest.as_secs_f64()
        );
    }
    group
        .sample_size(SAMPLES)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time((slowest * 10).max(Duration::from_secs(5)))
        .throughput(Throughput::Bytes(bytes as u64));
}

fn per_file_group(c: &mut Criterion<ThreadCpuTime>, corpus: &Corpus, bench_mode: bool) {
    let texts: Vec<&str> = corpus.files.iter().map(String::as_str).collect();
    let prefilter = ScanOptions { parse_all: false };
    let parse_all = ScanOptions { parse_all: true };

    let slowest = if bench_mode {
        time_once(|| {
            for text in &texts {
                black_box(bare_parse(text));
            }
        })
    } else {
        Duration::ZERO
    };
    let mut group = c.benchmark_group(PER_FILE);
    configure(&mut group, slowest, corpus.bytes);
    measure(&mut group, "syn-parse-file", || {
        texts.iter().filter(|t| bare_parse(black_box(t))).count()
    });
    measure(&mut group, "scanner-prefilter", || {
        texts
            .iter()
            .map(|t| scan_file(black_box(t), prefilter).mods.len())
            .sum::<usize>()
    });
    measure(&mut group, "scanner-parse-all", || {
        texts
            .iter()
            .map(|t| scan_file(black_box(t), parse_all).mods.len())
            .sum::<usize>()
    });
    group.finish();
}

fn walk_group(c: &mut Criterion<ThreadCpuTime>, corpus: &Corpus, bench_mode: bool) {
    let roots: Vec<&Path> = corpus.roots.iter().map(PathBuf::as_path).collect();
    // Exactly the files each walk reads, as many times as the walks read them.
    let mut read: Vec<String> = Vec::new();
    for root in &roots {
        let tree = scan::module_tree(root);
        for path in tree.files_read() {
            read.push(tree.source(path).expect("a file the walk read").to_owned());
        }
    }
    invalidate_current_thread_spans();
    let bytes = read.iter().map(String::len).sum();
    println!(
        "walk: {} target roots ({} crates without a readable manifest); the walks read {} \
         files, {} bytes ({:.1} MiB)",
        roots.len(),
        corpus.manifest_errors,
        read.len(),
        bytes,
        mib(bytes),
    );

    let slowest = if bench_mode {
        time_once(|| {
            for text in &read {
                black_box(bare_parse(text));
            }
        })
    } else {
        Duration::ZERO
    };
    let mut group = c.benchmark_group(WALK);
    configure(&mut group, slowest, bytes);
    measure(&mut group, "syn-parse-files-read", || {
        read.iter().filter(|t| bare_parse(black_box(t))).count()
    });
    measure(&mut group, "module-tree", || {
        roots
            .iter()
            .map(|r| walk(black_box(r), ScanOptions { parse_all: false }))
            .sum::<usize>()
    });
    measure(&mut group, "module-tree-parse-all", || {
        roots
            .iter()
            .map(|r| walk(black_box(r), ScanOptions { parse_all: true }))
            .sum::<usize>()
    });
    group.finish();
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The crate directories to measure, and what they are: the whole corpus under `cargo bench`
/// (`None` when it is missing), a few crates or this crate's own sources in test mode.
fn select_crates(bench_mode: bool) -> Option<(String, Vec<PathBuf>)> {
    let vendor = corpus_dir();
    let crates = if vendor.is_dir() {
        crate_dirs(&vendor)
    } else {
        Vec::new()
    };
    let label = vendor.display().to_string();
    if bench_mode {
        if crates.is_empty() {
            eprintln!(
                "scanner bench: no corpus at `{label}`; build it first with `scripts/bench-corpus`"
            );
            return None;
        }
        Some((label, crates))
    } else if crates.is_empty() {
        println!(
            "scanner bench (test mode): no corpus at `{label}` (built by `scripts/bench-corpus`); \
             checking the routines on harmony_codegen's own sources"
        );
        let own = env!("CARGO_MANIFEST_DIR");
        Some((own.to_owned(), vec![PathBuf::from(own)]))
    } else {
        println!("scanner bench (test mode): checking the routines on {SMOKE_CRATES} crates");
        Some((label, crates.into_iter().take(SMOKE_CRATES).collect()))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    // criterion's rule: benchmarks only under `cargo bench` (`--bench`) without `--test`.
    let bench_mode = has("--bench") && !has("--test") && !has("--list");

    let Some((label, crates)) = select_crates(bench_mode) else {
        return ExitCode::FAILURE;
    };

    let corpus = Corpus::load(&crates);
    let markers = corpus
        .files
        .iter()
        .filter(|text| text.contains(scan::MARKER))
        .count();
    let unparsable = if bench_mode {
        let n = corpus.files.iter().filter(|text| !bare_parse(text)).count();
        invalidate_current_thread_spans();
        format!("{n} fail to parse with syn")
    } else {
        "parse failures not counted in test mode".to_owned()
    };
    println!(
        "corpus: {} ({} crates): {} .rs files, {} bytes ({:.1} MiB); {} not UTF-8 (skipped); \
         {} contain the marker `{}`; {}",
        label,
        corpus.crates,
        corpus.files.len(),
        corpus.bytes,
        mib(corpus.bytes),
        corpus.not_utf8,
        markers,
        scan::MARKER,
        unparsable,
    );

    let out = criterion_dir();
    let start = SystemTime::now();
    if bench_mode {
        if ThreadCpuTime::available() {
            println!("clock: CPU time of the benchmark thread, from {SCHEDSTAT}");
        } else {
            println!("clock: wall-clock time ({SCHEDSTAT} cannot be read)");
        }
    }
    let mut c = Criterion::default()
        .with_measurement(ThreadCpuTime { wall: WallTime })
        .output_directory(&out)
        .configure_from_args();
    per_file_group(&mut c, &corpus, bench_mode);
    walk_group(&mut c, &corpus, bench_mode);
    c.final_summary();

    if bench_mode {
        println!("\nmedians of this run, and ratios to each group's baseline:");
        summary(
            &out,
            PER_FILE,
            "syn-parse-file",
            &[
                ("scanner-prefilter", Goal::Faster(3.0)),
                ("scanner-parse-all", Goal::Within(1.2)),
            ],
            start,
        );
        summary(
            &out,
            WALK,
            "syn-parse-files-read",
            &[
                ("module-tree", Goal::Faster(3.0)),
                ("module-tree-parse-all", Goal::Within(1.2)),
            ],
            start,
        );
    }
    ExitCode::SUCCESS
}
