//! Concurrent load: 8 processes each make 500 interleaved `set`s and `get`s on one database,
//! on keys of their own (through `SqliteSource`) and on two keys they all share (through
//! `ConfigManager`). Every operation is logged with its start and end; afterwards every read,
//! and the final value of every key, must be one the timeline allows.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use harmony_config::{Config, ConfigError, ConfigManager, ConfigSource, SqliteSource};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::common::children::{runtime, spawn_children, start_ms, wait_all, wait_until};
use crate::report::{Case, Outcome, Tally};

pub(crate) const CASE: Case = Case::new("sqlite: 8 processes × 500 sets and gets", run);
pub(crate) const ROLE: &str = "load";

const PROCESSES: usize = 8;
/// Operations per process, in turn a `set` and a `get`: 500 of each.
const OPS: usize = 1000;
/// Each process cycles through this many keys of its own, so each is written several times.
const OWN_KEYS: usize = 25;

/// A value every process overwrites.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "reliability.SharedA")]
struct SharedA {
    writer: usize,
    seq: usize,
}

/// A second shared value, so that the processes also interleave on different rows.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
#[config(key = "reliability.SharedB")]
struct SharedB {
    writer: usize,
    seq: usize,
}

/// In a child: operation `seq` is a `set` of its own key when `seq % 4 == 0`, then a `get` of
/// it; a `set` of a shared key when `seq % 4 == 2`, then a `get` of it. Each prints one line:
/// `set KEY WRITER SEQ START END`, `get KEY WRITER SEQ START END`, `get KEY none START END`,
/// or `error ...`. Times are nanoseconds since the Unix epoch.
pub(crate) fn child(db: &Path, id: usize) {
    runtime().block_on(async {
        let sqlite = match SqliteSource::open(db).await {
            Ok(sqlite) => Arc::new(sqlite),
            Err(e) => return println!("error open: {e}"),
        };
        let manager = ConfigManager::new(vec![sqlite.clone()]);
        // Every process has opened the database by then, so that all their loops overlap.
        wait_until(start_ms() + 1000);
        let first = now();
        for seq in 0..OPS {
            let round = seq / 4;
            let own = format!("reliability.p{id}.k{}", round % OWN_KEYS);
            let shared_a = round % 2 == 0;
            let key = if seq % 4 < 2 {
                own.as_str()
            } else if shared_a {
                SharedA::KEY
            } else {
                SharedB::KEY
            };
            let start = now();
            let written = Some((id, seq));
            let result = match seq % 4 {
                0 => sqlite
                    .set(&own, &json!({ "writer": id, "seq": seq }))
                    .await
                    .map(|()| written),
                1 => sqlite
                    .get(&own)
                    .await
                    .map(|value| value.as_ref().map(stamp)),
                2 if shared_a => manager
                    .set(&SharedA { writer: id, seq })
                    .await
                    .map(|()| written),
                2 => manager
                    .set(&SharedB { writer: id, seq })
                    .await
                    .map(|()| written),
                _ if shared_a => manager
                    .get::<SharedA>()
                    .await
                    .map(|v| Some((v.writer, v.seq))),
                _ => manager
                    .get::<SharedB>()
                    .await
                    .map(|v| Some((v.writer, v.seq))),
            };
            let end = now();
            let op = if seq % 2 == 0 { "set" } else { "get" };
            match result {
                Ok(Some((writer, seq))) => println!("{op} {key} {writer} {seq} {start} {end}"),
                Ok(None) | Err(ConfigError::NotFound { .. }) => {
                    println!("{op} {key} none {start} {end}");
                }
                Err(e) => println!("error {op} {key}: {e}"),
            }
        }
        println!("span {first} {}", now());
    });
}

/// The writer and sequence number in a stored value; `usize::MAX` for what no writer wrote.
fn stamp(value: &Value) -> (usize, usize) {
    let field = |name| {
        value[name]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(usize::MAX)
    };
    (field("writer"), field("seq"))
}

fn now() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// An acknowledged write, or a read, and when it started and returned.
#[derive(Clone, Copy, Debug)]
struct Op {
    stamp: Option<(usize, usize)>,
    start: u128,
    end: u128,
}

fn run() -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("config.db");
    let output = wait_all(spawn_children(&[ROLE], &db, PROCESSES));
    let mut tally = Tally::new("ops");
    let mut writes: HashMap<String, Vec<Op>> = HashMap::new();
    let mut reads: Vec<(String, Op)> = Vec::new();
    let mut spans: Vec<(u128, u128)> = Vec::new();
    for line in output.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        match fields.as_slice() {
            ["error", ..] => tally.error(line),
            ["span", first, last] => spans.push((first.parse().unwrap(), last.parse().unwrap())),
            [op @ ("set" | "get"), key, rest @ ..] => {
                let op_kind = *op;
                let Some(parsed) = parse_op(rest) else {
                    tally.error(format!("unreadable child line {line:?}"));
                    continue;
                };
                if op_kind == "set" {
                    writes.entry((*key).to_owned()).or_default().push(parsed);
                } else {
                    reads.push(((*key).to_owned(), parsed));
                }
            }
            _ => tally.check(!line.contains("locked"), || line.to_owned()),
        }
    }
    let acknowledged: usize = writes.values().map(Vec::len).sum();
    tally.tried(acknowledged + reads.len());
    tally.check(
        acknowledged + reads.len() + tally_errors(&output) == PROCESSES * OPS,
        || {
            format!(
                "the children reported {} operations, not {}",
                acknowledged + reads.len(),
                PROCESSES * OPS
            )
        },
    );

    // The final value of every key, read once every process has exited.
    let sqlite = runtime().block_on(SqliteSource::open(&db)).unwrap();
    let start = now();
    for key in writes.keys() {
        let value = runtime().block_on(sqlite.get(key)).unwrap();
        reads.push((
            key.clone(),
            Op {
                stamp: value.as_ref().map(stamp),
                start,
                end: now(),
            },
        ));
    }
    let empty = Vec::new();
    for (key, read) in &reads {
        if let Err(problem) = check_read(writes.get(key).unwrap_or(&empty), read) {
            tally.lost(format!("`{key}`: {problem}"));
        }
    }
    // The time during which every process was between its first operation and its last.
    let (first_start, last_start) = (
        spans.iter().map(|s| s.0).min().unwrap_or(0),
        spans.iter().map(|s| s.0).max().unwrap_or(0),
    );
    let (first_end, last_end) = (
        spans.iter().map(|s| s.1).min().unwrap_or(0),
        spans.iter().map(|s| s.1).max().unwrap_or(0),
    );
    let together = first_end.saturating_sub(last_start);
    tally.check(spans.len() == PROCESSES && together > 0, || {
        format!("the processes did not run at the same time: {spans:?}")
    });
    tally.note(format!(
        "all {PROCESSES} processes were mid-loop together for {} ms of the {} ms the loops took",
        together / 1_000_000,
        last_end.saturating_sub(first_start) / 1_000_000
    ));
    tally.note(format!(
        "{acknowledged} acknowledged sets, {} gets (incl. the final read of each of the {} keys)",
        reads.len(),
        writes.len()
    ));
    Outcome::Ran(tally)
}

fn tally_errors(output: &str) -> usize {
    output
        .lines()
        .filter(|line| line.starts_with("error"))
        .count()
}

/// `WRITER SEQ START END` or `none START END`.
fn parse_op(fields: &[&str]) -> Option<Op> {
    let number = |text: &str| text.parse::<u128>().ok();
    match fields {
        ["none", start, end] => Some(Op {
            stamp: None,
            start: number(start)?,
            end: number(end)?,
        }),
        [writer, seq, start, end] => Some(Op {
            stamp: Some((writer.parse().ok()?, seq.parse().ok()?)),
            start: number(start)?,
            end: number(end)?,
        }),
        _ => None,
    }
}

/// Whether `read` may return what it did, given every acknowledged write of its key. It must
/// return a write that started before the read returned, and that no other write succeeded
/// entirely between that write's acknowledgement and the read's start; `none` only when no
/// write was acknowledged before the read started. With one writer per key this is exact: the
/// last acknowledged write.
fn check_read(writes: &[Op], read: &Op) -> Result<(), String> {
    let superseded = |after: u128| {
        writes
            .iter()
            .find(|other| other.start > after && other.end < read.start)
    };
    let Some(stamp) = read.stamp else {
        return match superseded(0) {
            Some(write) => Err(format!("read nothing after {write:?} was acknowledged")),
            None => Ok(()),
        };
    };
    let Some(write) = writes.iter().find(|write| write.stamp == Some(stamp)) else {
        return Err(format!("read {stamp:?}, which no acknowledged write wrote"));
    };
    if write.start > read.end {
        return Err(format!("read {stamp:?} before it was written"));
    }
    match superseded(write.end) {
        Some(newer) => Err(format!(
            "read {stamp:?}, but {newer:?} replaced it before the read started"
        )),
        None => Ok(()),
    }
}
