//! The OpenBao store's cost per call against a real `bao server -dev` (started by
//! `harmony_test_servers`; install it with `scripts/servers/install`), each against a baseline
//! measured in the same run:
//!
//! - `openbao`: a warm `get` through a `ConfigManager` whose source is the OpenBao
//!   `StoreSource` (token auth), against a bare `vaultrs::kv2::read` of the same secret into the
//!   same struct, through one client built with the settings the store uses;
//! - `openbao-session`: a new store's first `get` when a cached token file is present, against
//!   the same with no cached token, so that it logs in with userpass (and caches the token).
//!   Both include one KV read, so the difference is the cost of the login.
//!
//! ```text
//! cargo bench -p harmony_config --bench openbao
//! ```
//!
//! Times are wall-clock, with the server on the same machine: most of a `get` is the HTTP
//! round trip and the server's own work.

#![allow(
    clippy::unwrap_used,
    reason = "a bench fails loudly on a broken setup, which is what it should do"
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use criterion::{BatchSize, Criterion};
use harmony_config::openbao::setup::{self, Setup, UserpassSetup};
use harmony_config::openbao::{OpenbaoConfig, OpenbaoSecretStore};
use harmony_config::{Config, ConfigManager, Secret, SecretStore, StoreSource};
use harmony_test_servers::Bao;
use vaultrs::client::{VaultClient, VaultClientSettingsBuilder};

#[path = "../../benches/summary.rs"]
mod summary;
use summary::{Goal, summary};

mod fixture;
use fixture::{Service, runtime, sample};

/// The path under the `secret` mount where the store keeps the value.
const SECRET_PATH: &str = "harmony/bench.Service";
const PASSWORD: &str = "bench-password-for-userpass";

/// The store's settings for `bao` with its root token and no token cache.
fn token_config(bao: &Bao) -> OpenbaoConfig {
    let mut config = OpenbaoConfig::new(&bao.addr()).unwrap();
    config.token = Some(Secret::new(bao.root_token().to_owned()));
    config.token_cache_dir = None;
    config
}

/// The store's settings for the userpass user `bench`, caching its token in `cache`.
fn userpass_config(bao: &Bao, cache: &Path) -> OpenbaoConfig {
    let mut config = OpenbaoConfig::new(&bao.addr()).unwrap();
    config.username = Some("bench".to_owned());
    config.password = Some(Secret::new(PASSWORD.to_owned()));
    config.token_cache_dir = Some(cache.to_owned());
    config
}

/// A vaultrs client with the settings the store gives its own (see `openbao/client.rs`).
fn bare_client(config: &OpenbaoConfig, token: &str) -> VaultClient {
    VaultClient::new(
        VaultClientSettingsBuilder::default()
            .address(config.url.as_str())
            .token(token)
            .timeout(Some(config.timeout))
            .verify(!config.skip_tls)
            .ca_certs(Vec::new())
            .identity(None)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn warm_get_group(c: &mut Criterion, rt: &tokio::runtime::Runtime, bao: &Bao) {
    let config = token_config(bao);
    let manager = ConfigManager::new(vec![Arc::new(StoreSource::new(OpenbaoSecretStore::new(
        config.clone(),
    )))]);
    rt.block_on(manager.set(&sample())).unwrap();
    let vault = bare_client(&config, bao.root_token());
    // Warm: both have a session and a connection, and read the same value.
    let read = rt.block_on(manager.get::<Service>()).unwrap();
    let bare: Service = rt
        .block_on(vaultrs::kv2::read(&vault, "secret", SECRET_PATH))
        .unwrap();
    assert_eq!(read.host, bare.host);
    assert_eq!(read.password, sample().password);

    let mut group = c.benchmark_group("openbao");
    group.bench_function("vaultrs-kv2-read", |b| {
        b.to_async(rt).iter(|| async {
            vaultrs::kv2::read::<Service>(black_box(&vault), "secret", SECRET_PATH)
                .await
                .unwrap()
        });
    });
    group.bench_function("harmony-get", |b| {
        b.to_async(rt)
            .iter(|| async { manager.get::<Service>().await.unwrap() });
    });
    group.finish();
}

fn session_group(c: &mut Criterion, rt: &tokio::runtime::Runtime, bao: &Bao, dir: &Path) {
    let mut admin = token_config(bao);
    "userpass".clone_into(&mut admin.auth_mount);
    let mut plan = Setup::default();
    plan.userpass = Some(UserpassSetup::new("bench", PASSWORD));
    rt.block_on(setup::apply(&admin, &plan)).unwrap();

    // One login fills the cache that every `cached-token` store then reads.
    let cached = dir.join("cached");
    let first = OpenbaoSecretStore::new(userpass_config(bao, &cached));
    assert!(
        rt.block_on(first.get("harmony", Service::KEY))
            .unwrap()
            .is_some()
    );
    let cache_file: PathBuf = first.token_cache_path().unwrap().to_owned();
    let cached_text = std::fs::read_to_string(&cache_file).unwrap();
    let fresh = dir.join("fresh");

    let mut group = c.benchmark_group("openbao-session");
    group.sample_size(30);
    group.bench_function("userpass-login", |b| {
        b.to_async(rt).iter_batched(
            || {
                // No cached token: the store must log in, then caches the token.
                let store = OpenbaoSecretStore::new(userpass_config(bao, &fresh));
                if let Some(path) = store.token_cache_path() {
                    let _ = std::fs::remove_file(path);
                }
                store
            },
            |store| async move {
                assert!(store.get("harmony", Service::KEY).await.unwrap().is_some());
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("cached-token", |b| {
        b.to_async(rt).iter_batched(
            || OpenbaoSecretStore::new(userpass_config(bao, &cached)),
            |store| async move {
                assert!(store.get("harmony", Service::KEY).await.unwrap().is_some());
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
    // Every `cached-token` store used the one cached token: none logged in and replaced it.
    assert_eq!(std::fs::read_to_string(&cache_file).unwrap(), cached_text);
}

fn main() {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let bao = Bao::dev();
    let start = SystemTime::now();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    warm_get_group(&mut c, &rt, &bao);
    session_group(&mut c, &rt, &bao, dir.path());
    c.final_summary();

    if bench_mode {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../criterion");
        println!("\nmedians of this run, and ratios to each group's baseline:");
        summary(
            &out,
            "openbao",
            "vaultrs-kv2-read",
            &[("harmony-get", Goal::Within(1.2))],
            start,
        );
        summary(
            &out,
            "openbao-session",
            "userpass-login",
            &[("cached-token", Goal::Faster(2.0))],
            start,
        );
    }
}
