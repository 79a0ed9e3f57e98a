//! Crashes: a writer is killed with SIGKILL mid-loop, 20 times on one database, at a point that
//! varies from round to round (during open and migration in the first round). Afterwards
//! `PRAGMA integrity_check` passes on a read-only connection, and every acknowledged write is
//! there with its value.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Duration;

use harmony_config::{ConfigSource, SqliteSource};
use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::common::children::{child_command, runtime};
use crate::report::{Case, Outcome, Tally};

pub(crate) const CASE: Case = Case::new("sqlite: writer killed (SIGKILL) × 20", run);
pub(crate) const ROLE: &str = "crash";

const ROUNDS: usize = 20;
/// The key every iteration overwrites; the others are written once each.
const LAST: &str = "reliability.crash.last";

/// In a child: iteration `i` writes `reliability.crash.r{round}.w{i}`, then overwrites
/// [`LAST`], then prints `ack {i}`. Values vary in size, so that some writes span pages.
pub(crate) fn child(db: &Path, round: usize) {
    runtime().block_on(async {
        let sqlite = match SqliteSource::open(db).await {
            Ok(sqlite) => sqlite,
            Err(e) => return println!("error open: {e}"),
        };
        for i in 0..100_000 {
            let value = value(round, i);
            let result = match sqlite.set(&key(round, i), &value).await {
                Ok(()) => sqlite.set(LAST, &value).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => println!("ack {i}"),
                Err(e) => return println!("error write {i}: {e}"),
            }
        }
    });
}

fn key(round: usize, i: usize) -> String {
    format!("reliability.crash.r{round}.w{i}")
}

fn value(round: usize, i: usize) -> Value {
    json!({ "round": round, "i": i, "pad": "x".repeat((round * 131 + i * 977) % 6000) })
}

fn run() -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("config.db");
    let mut tally = Tally::new("writes");
    // The last acknowledged iteration of each round, if any.
    let mut acked: Vec<Option<usize>> = Vec::new();
    for round in 0..ROUNDS {
        // Round 0 dies while creating the database; the others after 1 to 60 acknowledgements,
        // then 0 to 3 ms later, so that the kill lands anywhere in a write.
        let (acks_before_kill, delay_us) = if round == 0 {
            (0, 30_000)
        } else {
            (1 + round * 37 % 60, (round * 997 % 3000) as u64)
        };
        let mut child = child_command(&[], &[ROLE], &db, round, 0).spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut last = None;
        let mut problems = Vec::new();
        let mut seen = 0;
        while seen < acks_before_kill {
            match lines.next() {
                Some(Ok(line)) => match line.strip_prefix("ack ") {
                    Some(i) => {
                        last = i.parse().ok();
                        seen += 1;
                    }
                    None => problems.push(line),
                },
                _ => break,
            }
        }
        std::thread::sleep(Duration::from_micros(delay_us));
        child.kill().unwrap();
        // Acknowledgements printed before the kill are still in the pipe.
        for line in lines.map_while(Result::ok) {
            match line.strip_prefix("ack ") {
                Some(i) => last = i.parse().ok(),
                None => problems.push(line),
            }
        }
        let status = child.wait_with_output().unwrap();
        tally.check(
            std::os::unix::process::ExitStatusExt::signal(&status.status) == Some(9),
            || {
                format!(
                    "round {round}: the writer ended by itself ({}) before the kill: {}",
                    status.status,
                    String::from_utf8_lossy(&status.stderr)
                )
            },
        );
        for problem in problems {
            tally.error(format!("round {round}: {problem}"));
        }
        tally.tried(last.map_or(0, |i| 2 * (i + 1)));
        acked.push(last);
    }

    let rows = runtime().block_on(read_only_check(&db, &mut tally));
    let mut in_flight_landed = 0;
    for (round, last) in acked.iter().enumerate() {
        if check_round(&rows, round, *last, &mut tally) {
            in_flight_landed += 1;
        }
    }
    // The key every iteration overwrites holds what the last round last acknowledged, or what
    // it had in flight.
    let final_round = ROUNDS - 1;
    let last_ok = acked[final_round].is_some_and(|i| {
        rows.get(LAST)
            .is_some_and(|found| [i, i + 1].iter().any(|&j| *found == value(final_round, j)))
    });
    if !last_ok {
        tally.lost(format!(
            "`{LAST}` is not what round {final_round} last acknowledged ({:?}) or had in flight",
            acked[final_round]
        ));
    }
    // The product itself opens the database after the crashes and reads a value back.
    let reopened = runtime().block_on(async {
        let sqlite = SqliteSource::open(&db).await?;
        sqlite.get(LAST).await
    });
    tally.check(
        matches!(&reopened, Ok(value) if value.as_ref() == rows.get(LAST)),
        || format!("SqliteSource after the crashes: {reopened:?}"),
    );
    let kills = acked.len();
    let acknowledged: usize = acked.iter().flatten().map(|i| i + 1).sum();
    tally.note(format!(
        "{kills} kills, {acknowledged} acknowledged iterations of two writes each; the write in flight at the kill had landed in {in_flight_landed} rounds"
    ));
    Outcome::Ran(tally)
}

/// `PRAGMA integrity_check` and every row, through a read-only connection of sqlx's own.
async fn read_only_check(db: &Path, tally: &mut Tally) -> HashMap<String, Value> {
    let mut conn = SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .unwrap();
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    tally.check(integrity == ["ok"], || {
        format!("integrity_check: {integrity:?}")
    });
    tally.note(format!("PRAGMA integrity_check: {}", integrity.join("; ")));
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM config")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    rows.into_iter()
        .map(|(key, text)| (key, serde_json::from_str(&text).unwrap_or(Value::Null)))
        .collect()
}

/// Every write acknowledged in `round` is there with its value; the one in flight at the kill
/// may be there, with its value; nothing later is. Returns whether the one in flight is there.
fn check_round(
    rows: &HashMap<String, Value>,
    round: usize,
    last: Option<usize>,
    tally: &mut Tally,
) -> bool {
    let in_flight = last.map_or(0, |i| i + 1);
    for i in 0..=in_flight {
        match rows.get(&key(round, i)) {
            Some(found) if *found == value(round, i) => {}
            Some(_) => tally.lost(format!("round {round}, write {i}: a different value")),
            None if i < in_flight => tally.lost(format!("round {round}, write {i}: missing")),
            None => {}
        }
    }
    let prefix = format!("reliability.crash.r{round}.w");
    let beyond = rows
        .keys()
        .filter_map(|key| key.strip_prefix(&prefix)?.parse::<usize>().ok())
        .filter(|i| *i > in_flight)
        .count();
    tally.check(beyond == 0, || {
        format!("round {round}: {beyond} writes after the one in flight")
    });
    rows.contains_key(&key(round, in_flight))
}
