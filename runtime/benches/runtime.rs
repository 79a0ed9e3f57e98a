//! The runtime's cost per call, each against a baseline measured in the same run:
//!
//! - `env`: a warm `get` from `HARMONY_CONFIG_{KEY}`, against `serde_json::from_str` of the
//!   same text;
//! - `sqlite`: a warm `get` with the pool open, against a bare prepared `SELECT` of the same row
//!   through sqlx, with the same pool settings, plus deserializing it; and `set`, against the
//!   bare `INSERT … ON CONFLICT` the source runs;
//! - `first-get`: opening a new database (create, WAL, migrate) and the first `get`, against
//!   bare sqlx creating the same table and reading it;
//! - `file`: the same struct from a TOML file with `LocalFileSource`, figment and config-rs,
//!   against `toml::from_str` of the file read each time.
//!
//! ```text
//! cargo bench -p harmony_config --bench runtime
//! ```
//!
//! Times are wall-clock: sqlx runs each SQLite connection on a thread of its own, so the
//! calling thread's CPU time would leave most of the work out. Async calls are timed in a loop
//! inside one task (criterion's `to_async`), as an application awaits them. The bench re-runs itself with
//! the config's variable set, since setting it in-process takes `unsafe` code.

#![allow(
    clippy::unwrap_used,
    reason = "a bench fails loudly on a broken setup, which is what it should do"
)]

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use criterion::{BatchSize, Criterion};
use figment::providers::Format as _;
use harmony_config::{
    Config, ConfigManager, ConfigSource, EnvSource, LocalFileSource, SqliteSource,
};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

#[path = "../../benches/summary.rs"]
mod summary;
use summary::{Goal, summary};

mod fixture;
use fixture::{Service, runtime, sample};

const ENV_VAR: &str = "HARMONY_CONFIG_bench_Service";

fn env_group(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    let text = serde_json::to_string(&sample()).unwrap();
    assert_eq!(std::env::var(ENV_VAR).ok().as_deref(), Some(text.as_str()));
    let manager = ConfigManager::new(vec![Arc::new(EnvSource)]);
    rt.block_on(manager.get::<Service>()).unwrap(); // warm: `.env` looked up once
    let mut group = c.benchmark_group("env");
    group.bench_function("serde-json-from-str", |b| {
        b.iter(|| serde_json::from_str::<Service>(black_box(&text)).unwrap());
    });
    group.bench_function("harmony-get", |b| {
        b.to_async(rt)
            .iter(|| async { manager.get::<Service>().await.unwrap() });
    });
    group.finish();
}

/// A pool as `SqliteSource` builds its own: 4 connections, 5 s busy timeout, synchronous=NORMAL.
async fn bare_pool(path: &Path) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .busy_timeout(Duration::from_secs(5))
                .synchronous(SqliteSynchronous::Normal),
        )
        .await
        .unwrap()
}

async fn bare_get(pool: &SqlitePool) -> Service {
    let text: String = sqlx::query_scalar("SELECT value FROM config WHERE key = ?")
        .bind(Service::KEY)
        .fetch_one(pool)
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn sqlite_group(c: &mut Criterion, rt: &tokio::runtime::Runtime, dir: &Path) {
    let path = dir.join("warm.db");
    let source = Arc::new(rt.block_on(SqliteSource::open(&path)).unwrap());
    let manager = ConfigManager::new(vec![source]);
    rt.block_on(manager.set(&sample())).unwrap();
    rt.block_on(manager.get::<Service>()).unwrap();
    let pool = rt.block_on(bare_pool(&path));
    rt.block_on(bare_get(&pool));

    let mut group = c.benchmark_group("sqlite");
    group.bench_function("sqlx-select", |b| b.to_async(rt).iter(|| bare_get(&pool)));
    group.bench_function("harmony-get", |b| {
        b.to_async(rt)
            .iter(|| async { manager.get::<Service>().await.unwrap() });
    });
    group.bench_function("sqlx-upsert", |b| {
        b.to_async(rt).iter(|| async {
            sqlx::query(
                "INSERT INTO config (key, value, updated_at) VALUES (?, ?, datetime('now'))
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(Service::KEY)
            .bind(serde_json::to_string(&sample()).unwrap())
            .execute(&pool)
            .await
            .unwrap()
        });
    });
    group.bench_function("harmony-set", |b| {
        b.to_async(rt)
            .iter(|| async { manager.set(&sample()).await.unwrap() });
    });
    group.finish();
}

fn first_get_group(c: &mut Criterion, rt: &tokio::runtime::Runtime, dir: &Path) {
    let fresh = || dir.join(format!("first-{}.db", unique()));
    let mut group = c.benchmark_group("first-get");
    group.sample_size(30);
    group.bench_function("sqlx-create-select", |b| {
        b.iter_batched(
            fresh,
            |path| {
                rt.block_on(async {
                    let pool = bare_pool(&path).await;
                    sqlx::query(
                        "CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT)",
                    )
                    .execute(&pool)
                    .await
                    .unwrap();
                    let row: Option<String> =
                        sqlx::query_scalar("SELECT value FROM config WHERE key = ?")
                            .bind(Service::KEY)
                            .fetch_optional(&pool)
                            .await
                            .unwrap();
                    assert!(row.is_none());
                    pool.close().await;
                });
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("harmony-open-get", |b| {
        b.iter_batched(
            fresh,
            |path| {
                rt.block_on(async {
                    let source = SqliteSource::open(&path).await.unwrap();
                    assert!(source.get(Service::KEY).await.unwrap().is_none());
                });
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn file_group(c: &mut Criterion, rt: &tokio::runtime::Runtime, dir: &Path) {
    let path = dir.join(format!("{}.toml", Service::KEY));
    std::fs::write(&path, toml::to_string(&sample()).unwrap()).unwrap();
    let manager = ConfigManager::new(vec![Arc::new(LocalFileSource::new(dir))]);

    let mut group = c.benchmark_group("file");
    group.bench_function("toml-from-str", |b| {
        b.iter(|| toml::from_str::<Service>(&std::fs::read_to_string(&path).unwrap()).unwrap());
    });
    group.bench_function("harmony-get", |b| {
        b.to_async(rt)
            .iter(|| async { manager.get::<Service>().await.unwrap() });
    });
    group.bench_function("figment", |b| {
        b.iter(|| {
            figment::Figment::from(figment::providers::Toml::file(&path))
                .extract::<Service>()
                .unwrap()
        });
    });
    group.bench_function("config-rs", |b| {
        b.iter(|| {
            config::Config::builder()
                .add_source(config::File::from(path.as_path()))
                .build()
                .unwrap()
                .try_deserialize::<Service>()
                .unwrap()
        });
    });
    group.finish();
}

fn unique() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn main() -> ExitCode {
    if std::env::var_os(ENV_VAR).is_none() {
        let status = Command::new(std::env::current_exe().unwrap())
            .args(std::env::args_os().skip(1))
            .env(ENV_VAR, serde_json::to_string(&sample()).unwrap())
            .status()
            .unwrap();
        return if status.success() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let start = SystemTime::now();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    env_group(&mut c, &rt);
    sqlite_group(&mut c, &rt, dir.path());
    first_get_group(&mut c, &rt, dir.path());
    file_group(&mut c, &rt, dir.path());
    c.final_summary();

    if bench_mode {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../criterion");
        println!("\nmedians of this run, and ratios to each group's baseline:");
        summary(
            &out,
            "env",
            "serde-json-from-str",
            &[("harmony-get", Goal::Within(2.0))],
            start,
        );
        summary(
            &out,
            "sqlite",
            "sqlx-select",
            &[("harmony-get", Goal::Within(1.5))],
            start,
        );
        summary(
            &out,
            "sqlite",
            "sqlx-upsert",
            &[("harmony-set", Goal::Within(1.5))],
            start,
        );
        summary(
            &out,
            "first-get",
            "sqlx-create-select",
            &[("harmony-open-get", Goal::NoTarget)],
            start,
        );
        summary(
            &out,
            "file",
            "toml-from-str",
            &[
                ("harmony-get", Goal::NoTarget),
                ("figment", Goal::NoTarget),
                ("config-rs", Goal::NoTarget),
            ],
            start,
        );
    }
    ExitCode::SUCCESS
}
