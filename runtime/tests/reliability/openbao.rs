//! OpenBao and its identity provider going away under a running program.
//!
//! - A loop of `set`s and `get`s through the chain env → OpenBao → SQLite, while a raft-backed
//!   OpenBao is killed (SIGKILL) and restarted, shut down (SIGTERM) and restarted, or sealed and
//!   unsealed. Each `get` must answer, from SQLite when OpenBao cannot, well within a deadline;
//!   each acknowledged `set` must be readable afterwards from OpenBao, or from SQLite with a
//!   warning naming both (DESIGN.md's write rule).
//! - the device login in a child process while the provider is down: stopped before the login,
//!   killed while the login waits for approval, or frozen. Each must end with an error that
//!   names the issuer, never hang.
//!
//! The servers come from `harmony_test_servers`; without `scripts/servers/install` the cases
//! fail with a message saying to run it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use harmony_config::openbao::setup::{self, Setup};
use harmony_config::openbao::{OpenbaoConfig, OpenbaoSecretStore};
use harmony_config::{
    Config, ConfigError, ConfigManager, ConfigSource, EnvSource, Secret, SecretStore, SqliteSource,
    StoreSource,
};
use harmony_test_servers::{Bao, Oidc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::common::Captured;
use crate::common::children::{child_command, runtime};
use crate::report::{Case, Outcome, Tally};

pub(crate) const KILLED: Case = Case::new("openbao: killed (SIGKILL) mid-run, restarted", || {
    disrupted(Disruption::Kill)
});
pub(crate) const RESTARTED: Case = Case::new("openbao: restarted (SIGTERM) mid-run", || {
    disrupted(Disruption::Restart)
});
pub(crate) const SEALED: Case = Case::new("openbao: sealed mid-run, unsealed", || {
    disrupted(Disruption::Seal)
});
pub(crate) const FROZEN: Case = Case::new("openbao: frozen (SIGSTOP) mid-run, resumed", || {
    disrupted(Disruption::Freeze)
});
pub(crate) const PROVIDER_DOWN: Case =
    Case::new("oidc: provider down during a login", provider_down);
pub(crate) const ROLE: &str = "oidc-login";

/// The bound on a `get` the cases assert: the store's 3 s timeout, then SQLite, with 3 s of
/// margin for a loaded machine.
const GET_DEADLINE: Duration = Duration::from_secs(6);
/// The bound on a failed login: the provider's HTTP client gives up after 10 s.
const LOGIN_DEADLINE: Duration = Duration::from_secs(45);
/// How long the loop runs before the disruption, and after the server is back.
const CALM: Duration = Duration::from_millis(1200);
/// How long the server stays down (killed or sealed).
const OUTAGE: Duration = Duration::from_millis(1500);
/// How long the server stays frozen: long enough for a `set` and then a `get` to each wait out
/// the store's timeout in full.
const FREEZE: Duration = Duration::from_secs(8);
/// The store's timeout, the default a program has.
const STORE_TIMEOUT: Duration = Duration::from_secs(3);
/// The loop's pause between operations, as a program doing other work would; it also leaves
/// the two cores to the server.
const PAUSE: Duration = Duration::from_millis(10);

/// Config values the loop writes: two keys per phase (before, during and after the
/// disruption), so that the values written while OpenBao was away are checked too.
trait Slot: Config {
    fn new(seq: usize) -> Self;
    fn seq(&self) -> usize;
}

macro_rules! slots {
    ($($name:ident = $key:tt),* $(,)?) => {
        $(
            #[derive(Config, Serialize, Deserialize, schemars::JsonSchema)]
            #[config(key = $key)]
            struct $name {
                seq: usize,
            }

            impl Slot for $name {
                fn new(seq: usize) -> Self {
                    Self { seq }
                }
                fn seq(&self) -> usize {
                    self.seq
                }
            }
        )*
        const KEYS: &[&str] = &[$($key),*];

        /// Sets slot `slot` to `seq` through the manager.
        async fn set_slot(manager: &ConfigManager, slot: usize, seq: usize) -> Result<(), ConfigError> {
            let mut index = 0;
            $(
                if slot == index {
                    return manager.set(&$name::new(seq)).await;
                }
                index += 1;
            )*
            unreachable!("slot {slot} of {index}")
        }

        /// Gets slot `slot` through the manager: its `seq`.
        async fn get_slot(manager: &ConfigManager, slot: usize) -> Result<usize, ConfigError> {
            let mut index = 0;
            $(
                if slot == index {
                    return manager.get::<$name>().await.map(|value| value.seq());
                }
                index += 1;
            )*
            unreachable!("slot {slot} of {index}")
        }
    };
}

slots!(
    Before0 = "reliability.bao.before0",
    Before1 = "reliability.bao.before1",
    During0 = "reliability.bao.during0",
    During1 = "reliability.bao.during1",
    After0 = "reliability.bao.after0",
    After1 = "reliability.bao.after1",
);

/// The `seq` of the copy every key starts with in SQLite, as a local copy from earlier runs.
const LOCAL_COPY: usize = 0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Disruption {
    /// SIGKILL, down for [`OUTAGE`], then started again.
    Kill,
    /// SIGTERM, waited for, then started again at once.
    Restart,
    /// Sealed for [`OUTAGE`], then unsealed.
    Seal,
    /// SIGSTOP for [`FREEZE`], then SIGCONT: connections open, nothing answers.
    Freeze,
}

/// What the loop and the disruption share.
#[derive(Default)]
struct Shared {
    /// 0 before the disruption, 1 during it, 2 once the server answers again.
    phase: AtomicUsize,
    stop: AtomicBool,
}

/// One operation of the loop.
struct Op {
    phase: usize,
    slot: usize,
    kind: OpKind,
    took: Duration,
    /// A warning said OpenBao could not take part: the value went to, or came from, SQLite.
    fell_back: bool,
    /// The log lines the operation caused, for the report.
    log: String,
}

enum OpKind {
    Set {
        seq: usize,
        result: Result<(), String>,
    },
    Get {
        result: Result<usize, String>,
    },
}

fn root_config(addr: &str, token: &str) -> OpenbaoConfig {
    let mut config = OpenbaoConfig::new(addr).unwrap();
    config.token = Some(Secret::new(token.to_owned()));
    config.token_cache_dir = None;
    config
}

fn disrupted(disruption: Disruption) -> Outcome {
    let mut bao = Bao::raft();
    let (addr, token) = (bao.addr(), bao.root_token().to_owned());
    runtime()
        .block_on(setup::apply(&root_config(&addr, &token), &Setup::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("config.db");
    let shared = Arc::new(Shared::default());
    let looping = {
        let (shared, addr, token, db) = (shared.clone(), addr.clone(), token.clone(), db.clone());
        std::thread::spawn(move || drive(&addr, &token, &db, &shared))
    };

    std::thread::sleep(CALM);
    shared.phase.store(1, Ordering::SeqCst);
    match disruption {
        Disruption::Kill => {
            bao.stop();
            std::thread::sleep(OUTAGE);
            bao.restart();
        }
        Disruption::Restart => {
            let pid = bao.pid().unwrap();
            signal("-TERM", pid);
            wait_exited(pid);
            bao.restart();
        }
        Disruption::Seal => {
            bao.seal();
            std::thread::sleep(OUTAGE);
            bao.unseal();
        }
        Disruption::Freeze => {
            let pid = bao.pid().unwrap();
            signal("-STOP", pid);
            std::thread::sleep(FREEZE);
            signal("-CONT", pid);
        }
    }
    shared.phase.store(2, Ordering::SeqCst);
    std::thread::sleep(CALM);
    shared.stop.store(true, Ordering::SeqCst);
    let ops = looping.join().unwrap();

    let mut tally = Tally::new("ops");
    check_ops(&ops, &mut tally);
    if disruption == Disruption::Freeze {
        check_timeouts(&ops, &mut tally);
    }
    runtime().block_on(check_stored(&addr, &token, &db, &ops, &mut tally));
    Outcome::Ran(tally)
}

/// The loop, on a thread of its own: alternately a `set` of the phase's next key and a `get`
/// of it, until told to stop. Every operation is timed, with the warnings it caused.
fn drive(addr: &str, token: &str, db: &Path, shared: &Shared) -> Vec<Op> {
    // A current-thread runtime, so that every warning is logged on this thread, captured here.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // DEBUG too: after its first warning, an outage is logged at DEBUG for each read.
    let (captured, _guard) = Captured::install_at(tracing::Level::DEBUG);
    rt.block_on(async {
        let sqlite = Arc::new(SqliteSource::open(db).await.unwrap());
        for key in KEYS {
            sqlite
                .set(key, &json!({ "seq": LOCAL_COPY }))
                .await
                .unwrap();
        }
        // The default timeout, 3 s, as a program would have it.
        let store = OpenbaoSecretStore::new(root_config(addr, token));
        assert_eq!(store.config().timeout, STORE_TIMEOUT);
        let manager = ConfigManager::new(vec![
            Arc::new(EnvSource),
            Arc::new(StoreSource::new(store)),
            sqlite,
        ]);
        let mut ops = Vec::new();
        let mut seq = LOCAL_COPY;
        while !shared.stop.load(Ordering::SeqCst) {
            seq += 1;
            let phase = shared.phase.load(Ordering::SeqCst);
            let slot = phase * 2 + seq % 2;
            captured.take();
            let started = Instant::now();
            let result = set_slot(&manager, slot, seq).await;
            let (took, log) = (started.elapsed(), captured.take());
            ops.push(Op {
                phase,
                slot,
                fell_back: log.contains("refused it"),
                kind: OpKind::Set {
                    seq,
                    result: result.map_err(|e| e.to_string()),
                },
                took,
                log,
            });
            tokio::time::sleep(PAUSE).await;

            let started = Instant::now();
            let result = get_slot(&manager, slot).await;
            let (took, log) = (started.elapsed(), captured.take());
            ops.push(Op {
                phase,
                slot,
                fell_back: log.contains("comes from the next source"),
                kind: OpKind::Get {
                    result: result.map_err(|e| e.to_string()),
                },
                took,
                log,
            });
            tokio::time::sleep(PAUSE).await;
        }
        ops
    })
}

/// Each operation answered in time and without error; each `get` returned a value written to
/// its key; each `set` that fell back said so, naming both stores; the disruption was felt.
fn check_ops(ops: &[Op], tally: &mut Tally) {
    let mut written: HashMap<usize, Vec<usize>> = HashMap::new();
    // The last `set` of each key that OpenBao acknowledged: once it answers again, a `get` of
    // anything older is a stale read, which counts as lost.
    let mut acked: HashMap<usize, usize> = HashMap::new();
    let (mut sets, mut gets, mut set_fallbacks, mut get_fallbacks) = (0, 0, 0, 0);
    let mut slowest = Duration::ZERO;
    for op in ops {
        let key = KEYS[op.slot];
        match &op.kind {
            OpKind::Set { seq, result } => {
                written.entry(op.slot).or_default().push(*seq);
                match result {
                    Ok(()) => sets += 1,
                    Err(e) => tally.error(format!("set {key} = {seq}: {e}")),
                }
                if result.is_ok() && !op.fell_back {
                    acked.insert(op.slot, *seq);
                }
                if op.fell_back {
                    set_fallbacks += 1;
                    tally.check(
                        op.log.contains("sqlite (") && op.log.contains("openbao (http://"),
                        || {
                            format!(
                                "set {key}: the warning does not name both stores: {}",
                                op.log
                            )
                        },
                    );
                }
            }
            OpKind::Get { result } => {
                slowest = slowest.max(op.took);
                match result {
                    Ok(seq)
                        if op.phase == 2
                            && !op.fell_back
                            && acked.get(&op.slot).is_some_and(|a| seq < a) =>
                    {
                        tally.lost(format!(
                            "get {key}: {seq} with the server back, older than {}, which OpenBao acknowledged",
                            acked[&op.slot]
                        ));
                    }
                    Ok(seq) if *seq == LOCAL_COPY || written[&op.slot].contains(seq) => gets += 1,
                    Ok(seq) => tally.lost(format!("get {key}: {seq}, a value never written")),
                    Err(e) => tally.error(format!("get {key}: {e}")),
                }
                if op.fell_back {
                    get_fallbacks += 1;
                }
                tally.check(op.took < GET_DEADLINE, || {
                    format!("get {key} took {:.1} s", op.took.as_secs_f64())
                });
            }
        }
        tally.check(!op.log.contains("ERROR"), || {
            format!("{key}: an error was logged: {}", op.log)
        });
    }
    tally.tried(sets + gets);
    let during = ops.iter().filter(|op| op.phase == 1).count();
    tally.check(get_fallbacks > 0 && set_fallbacks > 0, || {
        format!(
            "the disruption did not reach the loop: {get_fallbacks} gets and {set_fallbacks} sets fell back to SQLite, in {during} operations during it"
        )
    });
    tally.check(ops.iter().any(|op| op.phase == 2), || {
        "the loop ran nothing after the server was back".to_owned()
    });
    tally.note(format!(
        "{sets} sets and {gets} gets ({during} while the server was away); {set_fallbacks} sets went to SQLite with a warning, {get_fallbacks} gets were answered by SQLite (one warning per outage); the slowest get took {} ms",
        slowest.as_millis()
    ));
}

/// With the server frozen, a `get` that falls back waits out the store's timeout, and not much
/// longer: the bound measured from both sides, with the timeout named in the warning.
fn check_timeouts(ops: &[Op], tally: &mut Tally) {
    let margin = Duration::from_secs(3);
    // Only the freeze makes a `get` fall back here, whichever phase it started in.
    let waited: Vec<&Op> = ops
        .iter()
        .filter(|op| matches!(op.kind, OpKind::Get { .. }) && op.fell_back)
        .collect();
    tally.check(!waited.is_empty(), || {
        "no get waited for the frozen server".to_owned()
    });
    for op in &waited {
        let key = KEYS[op.slot];
        tally.check(op.took >= STORE_TIMEOUT, || {
            format!(
                "get {key} fell back after {} ms, before the {} ms timeout",
                op.took.as_millis(),
                STORE_TIMEOUT.as_millis()
            )
        });
        tally.check(op.took < STORE_TIMEOUT + margin, || {
            format!(
                "get {key} took {} ms, more than the timeout and {} s",
                op.took.as_millis(),
                margin.as_secs()
            )
        });
    }
    let named = format!("no answer within {} ms", STORE_TIMEOUT.as_millis());
    tally.check(waited.iter().any(|op| op.log.contains(&named)), || {
        format!("no warning says `{named}`")
    });
    tally.note(format!(
        "frozen: {} gets waited out the {} ms timeout, the longest for {} ms",
        waited.len(),
        STORE_TIMEOUT.as_millis(),
        waited
            .iter()
            .map(|op| op.took)
            .max()
            .unwrap_or_default()
            .as_millis()
    ));
}

/// With the server back: the last acknowledged `set` of each key is where the write rule put
/// it, OpenBao or (after a warning) SQLite, and the chain reads what those stores hold.
async fn check_stored(addr: &str, token: &str, db: &Path, ops: &[Op], tally: &mut Tally) {
    let sqlite = Arc::new(SqliteSource::open(db).await.unwrap());
    let bao = Arc::new(StoreSource::new(OpenbaoSecretStore::new(root_config(
        addr, token,
    ))));
    let manager = ConfigManager::new(vec![bao.clone(), sqlite.clone()]);
    let seq_in = |value: Option<serde_json::Value>| value.and_then(|v| v["seq"].as_u64());
    for (slot, key) in KEYS.iter().enumerate() {
        let in_bao = match bao.store().get("harmony", key).await {
            Ok(value) => seq_in(value),
            Err(e) => {
                tally.error(format!("reading {key} back from OpenBao: {e}"));
                continue;
            }
        };
        let in_sqlite = seq_in(sqlite.get(key).await.unwrap());
        let last = ops.iter().rev().find_map(|op| match &op.kind {
            OpKind::Set {
                seq,
                result: Ok(()),
            } if op.slot == slot => Some((*seq as u64, op.fell_back)),
            _ => None,
        });
        match last {
            Some((seq, true)) if in_sqlite != Some(seq) => tally.lost(format!(
                "{key}: set to {seq} in SQLite after OpenBao refused it, SQLite holds {in_sqlite:?}"
            )),
            Some((seq, false)) if in_bao != Some(seq) => tally.lost(format!(
                "{key}: set to {seq} in OpenBao without a warning, OpenBao holds {in_bao:?} and SQLite {in_sqlite:?}"
            )),
            _ => {}
        }
        // The chain: OpenBao's value when it holds one, else SQLite's.
        let expected = in_bao.or(in_sqlite);
        let read = get_slot(&manager, slot).await.map(|seq| seq as u64);
        tally.check(read.as_ref().ok() == expected.as_ref(), || {
            format!("{key}: the chain reads {read:?}, the stores hold {in_bao:?} (OpenBao) and {in_sqlite:?} (SQLite)")
        });
        // A write that fell back to SQLite, now shadowed by OpenBao's older value, is reported
        // as not pushed yet, never left in silence.
        let shadowed = matches!(last, Some((seq, true)) if in_bao.is_some() && in_bao != Some(seq));
        if shadowed {
            let report = manager
                .provenance(key)
                .await
                .ok()
                .and_then(|p| p.unpushed_warning());
            tally.check(
                report.as_ref().is_some_and(|r| r.contains("not pushed yet") && r.contains("sqlite (")),
                || format!("{key}: SQLite's newer value, shadowed by OpenBao's {in_bao:?}, is not reported: {report:?}"),
            );
            if let Some(report) = report {
                tally.note(format!("shadowed, and reported: {report}"));
            }
        }
    }
}

/// Sends `signal` to our own process `pid`.
fn signal(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal} {pid}: {status}");
}

/// Waits until our child `pid` has exited (a zombie until it is reaped), up to 30 s.
fn wait_exited(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let stat = format!("/proc/{pid}/stat");
    while std::fs::read_to_string(&stat).is_ok_and(|text| {
        text.rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'))
    }) {
        assert!(
            Instant::now() < deadline,
            "OpenBao ({pid}) did not exit within 30 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// In a child: the device login with the settings in its environment, showing the code as
/// `cargo harmony login` does; prints the outcome.
pub(crate) fn login_child(_db: &Path, _id: usize) {
    let login = async {
        let store = OpenbaoSecretStore::new(OpenbaoConfig::from_env()?);
        store
            .device_login(|code| {
                eprintln!(
                    "To log in, open {} and enter the code {}",
                    code.verification_uri, code.user_code
                );
            })
            .await
    };
    match runtime().block_on(login) {
        Ok(login) => println!("logged in with {:?}", login.policies),
        Err(e) => println!("login error: {e}"),
    }
}

/// How the provider is down.
#[derive(Clone, Copy, Debug)]
enum Down {
    /// Stopped before the login: nothing listens on its port.
    Stopped,
    /// Killed once the code is shown, while the login waits for the person to approve it.
    KilledWhileWaiting,
    /// Frozen (SIGSTOP) before the login: connections open, nothing answers.
    Frozen,
}

fn provider_down() -> Outcome {
    // OpenBao is up: only the provider is missing.
    let bao = Bao::dev();
    let data = tempfile::tempdir().unwrap();
    let mut tally = Tally::new("logins");
    // The three run together, each child watched by a thread of its own, so that the row
    // takes as long as the slowest and each time is measured when its child ends.
    let mut waiting = Vec::new();
    let mut providers = Vec::new();
    for down in [Down::KilledWhileWaiting, Down::Stopped, Down::Frozen] {
        let mut oidc = Oidc::start();
        match down {
            Down::Stopped => oidc.stop(),
            Down::Frozen => signal("-STOP", oidc.pid().unwrap()),
            Down::KilledWhileWaiting => {}
        }
        let mut child = login_command(&bao, &oidc, data.path()).spawn().unwrap();
        let mut shown = String::new();
        if matches!(down, Down::KilledWhileWaiting) {
            shown = wait_for_code(&mut child);
            tally.check(shown.contains("enter the code"), || {
                format!("{down:?}: the login showed no code: {shown}")
            });
            oidc.stop();
        }
        // The clock starts when the provider is down and the login runs.
        let started = Instant::now();
        let watcher = std::thread::spawn(move || wait_with_deadline(child, started));
        waiting.push((down, oidc.issuer().to_owned(), shown, watcher));
        providers.push(oidc);
    }
    for (down, issuer, shown, watcher) in waiting {
        let (output, took) = watcher.join().unwrap();
        let error = output
            .lines()
            .find_map(|line| line.strip_prefix("login error: "));
        tally.tried(1);
        match (error, took) {
            (_, None) => tally.error(format!(
                "{down:?}: no answer within {} s: the login hangs",
                LOGIN_DEADLINE.as_secs()
            )),
            (None, Some(_)) => tally.error(format!("{down:?}: no error: {shown}{output}")),
            (Some(error), Some(took)) => {
                // Each case has its own fix, and the error must give that one.
                let fix = match down {
                    Down::Stopped | Down::Frozen => "check HARMONY_OIDC_ISSUER and the network",
                    Down::KilledWhileWaiting => {
                        "check that it runs and is reachable, then run `cargo harmony login` again"
                    }
                };
                tally.check(error.contains(&issuer) && error.ends_with(fix), || {
                    format!(
                        "{down:?}: the error does not name the issuer and end with `{fix}`: {error}"
                    )
                });
                tally.note(format!(
                    "{down:?}: after {:.1} s: {error}",
                    took.as_secs_f64()
                ));
            }
        }
    }
    // Dropping them kills them, the frozen one included.
    drop(providers);
    Outcome::Ran(tally)
}

/// This binary as a child running [`login_child`] against `bao` and `oidc`.
fn login_command(bao: &Bao, oidc: &Oidc, data: &Path) -> Command {
    let mut command = child_command(&[], &[ROLE], &data.join("unused.db"), 0, 0);
    command
        .env("OPENBAO_URL", bao.addr())
        .env("HARMONY_OIDC_ISSUER", oidc.issuer())
        .env("HARMONY_OIDC_CLIENT_ID", oidc.client_id())
        .env("OPENBAO_JWT_ROLE", "harmony-developer")
        .env("XDG_DATA_HOME", data);
    for var in [
        "OPENBAO_TOKEN",
        "VAULT_TOKEN",
        "VAULT_ADDR",
        "OPENBAO_USERNAME",
        "OPENBAO_TIMEOUT_MS",
    ] {
        command.env_remove(var);
    }
    command
}

/// Reads the child's stderr up to the line that shows the code.
fn wait_for_code(child: &mut Child) -> String {
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr);
    let mut shown = String::new();
    let mut line = String::new();
    while lines.read_line(&mut line).is_ok_and(|n| n > 0) {
        shown.push_str(&line);
        if line.contains("enter the code") {
            break;
        }
        line.clear();
    }
    // Drain the rest, so that the child never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    shown
}

/// The child's output and how long after `started` it ended; `None` when it did not end
/// within [`LOGIN_DEADLINE`], and was killed.
fn wait_with_deadline(mut child: Child, started: Instant) -> (String, Option<Duration>) {
    let took = loop {
        if child.try_wait().unwrap().is_some() {
            break Some(started.elapsed());
        }
        if started.elapsed() > LOGIN_DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut output = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut output).unwrap();
    }
    if let Some(mut err) = child.stderr.take() {
        err.read_to_string(&mut output).unwrap();
    }
    (output, took)
}
