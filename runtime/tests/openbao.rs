//! The OpenBao store against a real OpenBao server, and the OIDC device flow against a real OIDC
//! provider, both started by `harmony_test_servers` (install them with
//! `scripts/servers/install`). The multi-process test re-runs this binary as its child: a child
//! sees `CHILD_MARK` in its environment and acts instead of orchestrating.

#![cfg(feature = "openbao")]
#![allow(
    clippy::unwrap_used,
    reason = "the fixtures and assertions fail the test by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Captured, Server, TempStore, mode, sqlite_with_sample};
use harmony_config::openbao::setup::{self, JwtSetup, Setup, UserpassSetup};
use harmony_config::openbao::{KvVersion, OpenbaoConfig, OpenbaoSecretStore};
use harmony_config::{
    Config, ConfigError, ConfigManager, ConfigSource, Secret, SecretStore, SqliteSource,
    StoreSource,
};
use harmony_test_servers::{Bao, Oidc};
use vaultrs::client::{VaultClient, VaultClientSettingsBuilder};

const CHILD_MARK: &str = "HARMONY_TEST_OPENBAO_CHILD";
const PASSWORD: &str = "correct-horse-battery";

/// A config for `bao` with no credentials and no token cache.
fn bare_config(bao: &Bao) -> OpenbaoConfig {
    let mut config = OpenbaoConfig::new(&bao.addr()).unwrap();
    config.token_cache_dir = None;
    config
}

/// A config for `bao` using its root token.
fn root_config(bao: &Bao) -> OpenbaoConfig {
    let mut config = bare_config(bao);
    config.token = Some(Secret::new(bao.root_token().to_owned()));
    config
}

/// A config for the userpass user `alice` on `mount`, caching its token in `cache`.
fn userpass_config(bao: &Bao, mount: &str, cache: &Path) -> OpenbaoConfig {
    let mut config = bare_config(bao);
    mount.clone_into(&mut config.auth_mount);
    config.username = Some("alice".to_owned());
    config.password = Some(Secret::new(PASSWORD.to_owned()));
    config.token_cache_dir = Some(cache.to_owned());
    config
}

/// Sets `bao` up with the harmony policy and the userpass user `alice` on `mount`.
async fn setup_userpass(bao: &Bao, mount: &str) {
    let mut admin = root_config(bao);
    mount.clone_into(&mut admin.auth_mount);
    let mut plan = Setup::default();
    plan.userpass = Some(UserpassSetup::new("alice", PASSWORD));
    setup::apply(&admin, &plan).await.unwrap();
}

/// A vaultrs client with the root token, to look at the server directly.
fn root_client(bao: &Bao) -> VaultClient {
    VaultClient::new(
        VaultClientSettingsBuilder::default()
            .address(bao.addr())
            .token(bao.root_token())
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// A manager asking OpenBao, then the SQLite database in `store`.
async fn chain(store: OpenbaoSecretStore, temp: &TempStore) -> (ConfigManager, Arc<SqliteSource>) {
    let sqlite = Arc::new(SqliteSource::open(temp.db()).await.unwrap());
    let manager = ConfigManager::new(vec![Arc::new(StoreSource::new(store)), sqlite.clone()]);
    (manager, sqlite)
}

/// Stores [`Server::sample`] in `store`, under the default namespace.
async fn put_sample(store: &OpenbaoSecretStore) {
    let value = serde_json::to_value(Server::sample()).unwrap();
    store.set("harmony", Server::KEY, &value).await.unwrap();
}

/// How many tokens the server holds: each login makes one.
fn token_count(bao: &Bao) -> usize {
    let out = bao.cli(&["list", "-format=json", "auth/token/accessors"]);
    serde_json::from_str::<Vec<String>>(&out).unwrap().len()
}

/// The token in a cache file.
fn cached_token(cache: &Path) -> String {
    let file = cache_file(cache);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    json["token"].as_str().unwrap().to_owned()
}

/// The one cache file in `cache`.
fn cache_file(cache: &Path) -> PathBuf {
    let mut files: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.pop().unwrap()
}

#[tokio::test]
async fn a_round_trip_through_the_manager_is_visible_at_the_kv_v2_path() {
    let bao = Bao::dev();
    let temp = TempStore::new();
    let (manager, sqlite) = chain(OpenbaoSecretStore::new(root_config(&bao)), &temp).await;

    manager.set(&Server::sample()).await.unwrap();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());

    // One KV field per struct field, at secret/harmony/KEY, where people look for it.
    let stored: serde_json::Map<String, serde_json::Value> =
        vaultrs::kv2::read(&root_client(&bao), "secret", "harmony/test.Server")
            .await
            .unwrap();
    assert_eq!(stored["host"], "db.example.com");
    assert_eq!(stored["port"], 5432);
    assert_eq!(stored["password"], "hunter2");
    assert!(
        bao.cli(&["kv", "get", "secret/harmony/test.Server"])
            .contains("db.example.com")
    );
    assert_eq!(
        sqlite.get(Server::KEY).await.unwrap(),
        None,
        "OpenBao took the write"
    );

    let source = &manager.sources()[0];
    source.unset(Server::KEY).await.unwrap();
    // A missing value is an ordinary answer: nothing is logged, vaultrs's errors included.
    let (captured, _guard) = Captured::install();
    assert_eq!(source.get(Server::KEY).await.unwrap(), None);
    source.unset(Server::KEY).await.unwrap();
    assert_eq!(captured.text(), "");
}

#[tokio::test]
async fn kv_v1_mounts_and_other_namespaces_work_through_an_option() {
    let bao = Bao::dev();
    bao.cli(&["secrets", "enable", "-path=team-kv", "-version=1", "kv"]);
    let mut config = root_config(&bao);
    config.kv_mount = "team-kv".to_owned();
    config.kv_version = KvVersion::V1;
    let source =
        StoreSource::with_namespace(OpenbaoSecretStore::new(config), "apps/billing").unwrap();
    let value = serde_json::to_value(Server::sample()).unwrap();

    source.set(Server::KEY, &value).await.unwrap();
    assert_eq!(source.get(Server::KEY).await.unwrap(), Some(value));
    assert!(
        bao.cli(&["kv", "get", "team-kv/apps/billing/test.Server"])
            .contains("db.example.com")
    );
    source.unset(Server::KEY).await.unwrap();
    assert_eq!(source.get(Server::KEY).await.unwrap(), None);
}

#[test]
fn namespaces_that_could_escape_are_refused() {
    for namespace in ["", "..", "a//b", "a/../b", "a b", "/abs"] {
        let bao_less = OpenbaoConfig::new("http://127.0.0.1:1").unwrap();
        let error = StoreSource::with_namespace(OpenbaoSecretStore::new(bao_less), namespace)
            .err()
            .unwrap();
        assert!(
            matches!(error, ConfigError::StoreSetting { .. }),
            "{namespace}: {error:?}"
        );
    }
}

#[tokio::test]
async fn userpass_on_a_non_default_auth_mount_logs_in_and_caches_the_token_privately() {
    let bao = Bao::dev();
    setup_userpass(&bao, "people").await;
    let temp = TempStore::new();
    let cache = temp.dir.path().join("data").join("openbao");
    let store = OpenbaoSecretStore::new(userpass_config(&bao, "people", &cache));
    let (manager, _sqlite) = chain(store, &temp).await;

    manager.set(&Server::sample()).await.unwrap();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    assert!(
        bao.cli(&["kv", "get", "secret/harmony/test.Server"])
            .contains("db.example.com")
    );

    // The token, never the password, in a 0600 file in a 0700 directory.
    let file = cache_file(&cache);
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&cache), 0o700);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(PASSWORD), "{text}");
    let token = cached_token(&cache);
    assert!(bao.cli(&["token", "lookup", &token]).contains("harmony"));
}

#[tokio::test]
async fn a_path_denied_by_policy_falls_through_with_a_warning_naming_path_and_policy() {
    let bao = Bao::dev();
    let out = bao.cli(&["token", "create", "-policy=default", "-field=token"]);
    let weak_token = out.trim().to_owned();
    let mut config = bare_config(&bao);
    config.token = Some(Secret::new(weak_token.clone()));
    let temp = TempStore::new();
    let sqlite = sqlite_with_sample(&temp).await;
    let manager = ConfigManager::new(vec![
        Arc::new(StoreSource::new(OpenbaoSecretStore::new(config))),
        Arc::new(sqlite),
    ]);

    let (captured, _guard) = Captured::install();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    let log = captured.text();
    assert_eq!(log.matches("WARN").count(), 1, "{log}");
    assert!(log.contains("secret/data/harmony/test.Server"), "{log}");
    assert!(log.contains("policy"), "{log}");
    assert!(log.contains(&bao.addr()), "{log}");
    assert!(
        !log.contains(&weak_token) && !log.contains("hunter2"),
        "{log}"
    );

    // A write it refuses lands in SQLite, with a warning naming both.
    let mut changed = Server::sample();
    changed.port = 6543;
    manager.set(&changed).await.unwrap();
    assert_eq!(manager.get::<Server>().await.unwrap().port, 6543);
    assert!(captured.text().contains("sqlite ("), "{}", captured.text());
}

#[tokio::test]
async fn a_server_stopped_mid_run_falls_back_to_sqlite_within_the_timeout() {
    let mut bao = Bao::dev();
    let temp = TempStore::new();
    let mut config = root_config(&bao);
    config.timeout = Duration::from_millis(1500);
    let store = StoreSource::new(OpenbaoSecretStore::new(config));
    let mut team = Server::sample();
    team.host = "team.example.com".to_owned();
    store
        .set(Server::KEY, &serde_json::to_value(&team).unwrap())
        .await
        .unwrap();
    let sqlite = sqlite_with_sample(&temp).await;
    let manager = ConfigManager::new(vec![Arc::new(store), Arc::new(sqlite)]);
    assert_eq!(
        manager.get::<Server>().await.unwrap().host,
        "team.example.com"
    );

    bao.stop();
    let (captured, _guard) = Captured::install();
    let started = Instant::now();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    // Within the timeout, with a margin for a loaded machine.
    assert!(
        started.elapsed() < Duration::from_millis(1500) + Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let log = captured.text();
    assert_eq!(log.matches("WARN").count(), 1, "{log}");
    assert!(
        log.contains(&bao.addr()) && log.contains("OPENBAO_URL"),
        "{log}"
    );

    // Another read while it is still down does not repeat the warning.
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    let log = captured.text();
    assert_eq!(log.matches("WARN").count(), 1, "{log}");

    // A write while it is down is kept in SQLite, with a warning.
    manager.set(&team).await.unwrap();
    assert!(
        captured.text().contains("refused it"),
        "{}",
        captured.text()
    );
}

#[tokio::test]
async fn a_frozen_server_makes_a_get_fall_through_within_the_timeout() {
    let bao = Bao::dev();
    let temp = TempStore::new();
    let mut config = root_config(&bao);
    config.timeout = Duration::from_millis(1500);
    let sqlite = sqlite_with_sample(&temp).await;
    let manager = ConfigManager::new(vec![
        Arc::new(StoreSource::new(OpenbaoSecretStore::new(config))),
        Arc::new(sqlite),
    ]);

    let pid = bao.pid().unwrap().to_string();
    signal("-STOP", &pid);
    let (captured, _guard) = Captured::install();
    let started = Instant::now();
    let result = manager.get::<Server>().await;
    let elapsed = started.elapsed();
    signal("-CONT", &pid);
    assert_eq!(result.unwrap(), Server::sample());
    // The bound from both sides: the timeout in full, then not much more.
    assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(1500) + Duration::from_secs(2),
        "{elapsed:?}"
    );
    let log = captured.text();
    assert!(log.contains("no answer within 1500 ms"), "{log}");
}

/// Sends `signal` to our own server, by its pid.
fn signal(signal: &str, pid: &str) {
    assert!(
        Command::new("kill")
            .args([signal, pid])
            .status()
            .unwrap()
            .success()
    );
}

#[tokio::test]
async fn a_sealed_server_makes_a_get_fall_through_with_a_warning() {
    let mut bao = Bao::raft();
    setup::apply(&root_config(&bao), &Setup::default())
        .await
        .unwrap();
    let temp = TempStore::new();
    let sqlite = sqlite_with_sample(&temp).await;
    let manager = ConfigManager::new(vec![
        Arc::new(StoreSource::new(OpenbaoSecretStore::new(root_config(&bao)))),
        Arc::new(sqlite),
    ]);
    let mut team = Server::sample();
    team.host = "team.example.com".to_owned();
    manager.set(&team).await.unwrap();

    bao.seal();
    let (captured, _guard) = Captured::install();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    let log = captured.text();
    assert!(log.contains("sealed") && log.contains(&bao.addr()), "{log}");

    bao.unseal();
    assert_eq!(
        manager.get::<Server>().await.unwrap().host,
        "team.example.com"
    );

    // Once it has answered again, a new outage is warned about again.
    bao.seal();
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    let log = captured.text();
    assert_eq!(log.matches("WARN").count(), 2, "{log}");
}

#[tokio::test]
async fn tls_is_checked_unless_turned_off_and_a_private_ca_can_be_trusted() {
    let bao = Bao::dev_tls();
    let (captured, _guard) = Captured::install();
    // Checked by default: no system trusts the server's CA, so a get falls through, saying why.
    let source = StoreSource::new(OpenbaoSecretStore::new(root_config(&bao)));
    assert_eq!(source.get(Server::KEY).await.unwrap(), None);
    let log = captured.text();
    assert!(
        log.contains("not trusted") && log.contains("OPENBAO_CACERT"),
        "{log}"
    );

    // The status requests of `doctor` and `login` check it the same way.
    let error = OpenbaoSecretStore::new(root_config(&bao))
        .health()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("OPENBAO_CACERT"), "{error}");

    let mut trusting = root_config(&bao);
    trusting.ca_cert = Some(bao.ca_cert());
    let store = OpenbaoSecretStore::new(trusting);
    put_sample(&store).await;
    assert!(store.get("harmony", Server::KEY).await.unwrap().is_some());
    // And trust the same CA: the server's health, then a request that carries the token.
    assert!(store.health().await.unwrap().initialized);
    let (_, allowed) = store.capabilities("harmony").await.unwrap();
    assert_eq!(allowed, ["root"]);

    let mut unchecked = root_config(&bao);
    unchecked.skip_tls = true;
    let store = OpenbaoSecretStore::new(unchecked);
    assert!(store.get("harmony", Server::KEY).await.unwrap().is_some());

    let mut missing = root_config(&bao);
    missing.ca_cert = Some(PathBuf::from("/nonexistent/team-ca.pem"));
    let error = OpenbaoSecretStore::new(missing)
        .get("harmony", Server::KEY)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("/nonexistent/team-ca.pem"),
        "{error}"
    );
}

#[tokio::test]
async fn a_wrong_token_gives_a_clear_error_without_the_token() {
    let bao = Bao::dev();
    let mut config = bare_config(&bao);
    config.token = Some(Secret::new("s.not-a-real-token-4711".to_owned()));
    let store = OpenbaoSecretStore::new(config.clone());

    let error = store.get("harmony", Server::KEY).await.unwrap_err();
    assert!(matches!(error, ConfigError::StoreAuth { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("OPENBAO_TOKEN") && text.contains("rejects"),
        "{text}"
    );
    for shown in [
        text,
        format!("{error:?}"),
        format!("{config:?}"),
        format!("{store:?}"),
    ] {
        assert!(!shown.contains("not-a-real-token"), "{shown}");
    }

    // Through a StoreSource, a `get` falls through; a `set` fails with the same clear error.
    let source = StoreSource::new(store);
    assert_eq!(source.get(Server::KEY).await.unwrap(), None);
    let value = serde_json::to_value(Server::sample()).unwrap();
    let error = source.set(Server::KEY, &value).await.unwrap_err();
    assert!(matches!(error, ConfigError::StoreAuth { .. }), "{error:?}");
}

#[tokio::test]
async fn without_credentials_the_error_says_to_run_cargo_harmony_login() {
    let bao = Bao::dev();
    let temp = TempStore::new();
    let mut config = bare_config(&bao);
    config.token_cache_dir = Some(temp.dir.path().join("cache"));
    let error = OpenbaoSecretStore::new(config)
        .get("harmony", Server::KEY)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::NotLoggedIn { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("cargo harmony login"), "{error}");
}

#[tokio::test]
async fn a_revoked_cached_token_means_a_new_userpass_login_or_a_clear_error() {
    let bao = Bao::dev();
    setup_userpass(&bao, "userpass").await;
    let temp = TempStore::new();
    let cache = temp.dir.path().join("cache");
    let store = OpenbaoSecretStore::new(userpass_config(&bao, "userpass", &cache));
    put_sample(&store).await;
    let first = cached_token(&cache);
    bao.cli(&["token", "revoke", &first]);

    // A new process finds the revoked token in the cache, is refused, and logs in again.
    let again = OpenbaoSecretStore::new(userpass_config(&bao, "userpass", &cache));
    assert!(again.get("harmony", Server::KEY).await.unwrap().is_some());
    let second = cached_token(&cache);
    assert_ne!(first, second);

    // Without a password to log in again, the error says what to do.
    bao.cli(&["token", "revoke", &second]);
    let mut config = userpass_config(&bao, "userpass", &cache);
    config.username = None;
    config.password = None;
    let error = OpenbaoSecretStore::new(config)
        .get("harmony", Server::KEY)
        .await
        .unwrap_err();
    assert!(matches!(error, ConfigError::StoreAuth { .. }), "{error:?}");
    assert!(error.to_string().contains("cargo harmony login"), "{error}");
    assert!(!error.to_string().contains(&second), "{error}");
}

#[tokio::test]
async fn the_device_flow_logs_in_through_jwt_auth_then_reads_and_writes() {
    let oidc = Oidc::start();
    let bao = Bao::dev();
    let issuer = url::Url::parse(oidc.issuer()).unwrap();
    let mut plan = Setup::default();
    plan.jwt = Some(JwtSetup::new(
        issuer.clone(),
        oidc.client_id(),
        "harmony-developer",
    ));
    setup::apply(&root_config(&bao), &plan).await.unwrap();

    let temp = TempStore::new();
    let cache = temp.dir.path().join("cache");
    let mut config = bare_config(&bao);
    config.token_cache_dir = Some(cache.clone());
    config.oidc.issuer = Some(issuer);
    config.oidc.client_id = Some(oidc.client_id().to_owned());
    config.oidc.role = Some("harmony-developer".to_owned());
    let store = OpenbaoSecretStore::new(config.clone());

    let (captured, _guard) = Captured::install();
    let mut shown = None;
    let login = store
        .device_login(|code| {
            shown = Some(code.clone());
            // As the person would, in a browser; the flow polls once this returns.
            oidc.approve(&code.user_code, "alice");
        })
        .await
        .unwrap();
    let code = shown.unwrap();
    assert!(code.verification_uri.starts_with(oidc.issuer()), "{code:?}");
    assert!(login.policies.iter().any(|p| p == "harmony"), "{login:?}");
    assert_eq!(mode(login.cache_path.as_deref().unwrap()), 0o600);

    let value = serde_json::to_value(Server::sample()).unwrap();
    store.set("harmony", Server::KEY, &value).await.unwrap();
    assert_eq!(
        store.get("harmony", Server::KEY).await.unwrap(),
        Some(value.clone())
    );

    // Another store, as another process would, uses the cached token.
    let other = OpenbaoSecretStore::new(config);
    assert_eq!(
        other.get("harmony", Server::KEY).await.unwrap(),
        Some(value)
    );
    let token = cached_token(&cache);
    assert!(!captured.text().contains(&token), "{}", captured.text());
}

#[tokio::test]
async fn a_provider_gone_while_the_login_waits_ends_it_with_an_error() {
    let mut oidc = Oidc::start();
    let bao = Bao::dev();
    let issuer = oidc.issuer().to_owned();
    let mut config = bare_config(&bao);
    config.oidc.issuer = Some(url::Url::parse(&issuer).unwrap());
    config.oidc.client_id = Some(oidc.client_id().to_owned());
    let store = OpenbaoSecretStore::new(config);

    // oauth2 alone would poll until the code expires, ten minutes later.
    let login = store.device_login(|_| oidc.stop());
    let error = tokio::time::timeout(Duration::from_mins(1), login)
        .await
        .expect("the login still waits a minute after the provider went away")
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, ConfigError::Oidc { .. }), "{error:?}");
    assert!(
        text.contains(&issuer) && text.contains("stopped answering"),
        "{text}"
    );
    assert!(text.contains("cargo harmony login"), "{text}");
}

/// A discovery document on this machine that names a token endpoint elsewhere over http://.
/// An in-process fake: no real provider can be told to advertise a cleartext endpoint.
#[tokio::test]
async fn a_discovery_document_naming_cleartext_endpoints_is_refused() {
    use std::io::{Read, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let document = serde_json::json!({
        "issuer": issuer,
        "device_authorization_endpoint": "http://sso.example.com/device",
        "token_endpoint": "http://sso.example.com/token",
    })
    .to_string();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0; 4096];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{document}",
                document.len()
            );
        }
    });
    let mut config = OpenbaoConfig::new("http://127.0.0.1:1").unwrap();
    config.oidc.issuer = Some(url::Url::parse(&issuer).unwrap());
    config.oidc.client_id = Some("harmony-cli".to_owned());
    let store = OpenbaoSecretStore::new(config);

    let mut shown = false;
    let error = store.device_login(|_| shown = true).await.unwrap_err();
    let text = error.to_string();
    assert!(!shown, "a code was shown");
    assert!(
        text.contains("http://sso.example.com/device")
            && text.contains("set HARMONY_ALLOW_HTTP=true"),
        "{text}"
    );
}

/// A listener on `localhost`, another origin than the 127.0.0.1 the fronts below listen on,
/// that counts the connections it gets: none may come, or a token or password came with it.
fn elsewhere() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let reached = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&reached);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, reached)
}

/// An HTTP front for `bao` that redirects, as a real server cannot be told to: a request to
/// `/via/PATH` is passed to the server as `PATH`, and any other is answered `307` to `to`
/// followed by its path, or to the front's own `/via/` when `to` is `None`. Its URL.
/// An in-process fake for what no real part can do; OpenBao answers behind it.
fn redirecting_front(bao: &Bao, to: Option<&str>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let target = to.map_or_else(|| format!("{origin}/via"), str::to_owned);
    let backend = bao.addr().trim_start_matches("http://").to_owned();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let (backend, target) = (backend.clone(), target.clone());
            std::thread::spawn(move || front_one(client, &backend, &target));
        }
    });
    origin
}

/// Serves one request of [`redirecting_front`], on a connection it then closes.
fn front_one(mut client: std::net::TcpStream, backend: &str, target: &str) {
    use std::io::{Read, Write};

    let mut request = Vec::new();
    let mut chunk = [0; 8192];
    let end = loop {
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match client.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while request.len() < end + length {
        match client.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    }
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default();
    let mut words = first.split(' ');
    let (method, path) = (words.next().unwrap_or("GET"), words.next().unwrap_or("/"));
    let Some(path) = path.strip_prefix("/via") else {
        let _ = write!(
            client,
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: {target}{path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
        return;
    };
    let mut upstream = std::net::TcpStream::connect(backend).unwrap();
    let mut forwarded = format!("{method} {path} HTTP/1.1\r\n");
    for header in lines
        .filter(|line| !line.is_empty() && !line.to_ascii_lowercase().starts_with("connection:"))
    {
        forwarded.push_str(header);
        forwarded.push_str("\r\n");
    }
    forwarded.push_str("connection: close\r\n\r\n");
    upstream.write_all(forwarded.as_bytes()).unwrap();
    upstream.write_all(&request[end..end + length]).unwrap();
    let _ = std::io::copy(&mut upstream, &mut client);
}

/// A redirect is followed only within the server's own origin, as a standby node sends one.
/// One to another origin is refused before anything is sent there: reqwest would re-send
/// `X-Vault-Token`, and, for a 307, a login's password.
#[tokio::test]
async fn redirects_to_another_origin_are_refused_before_a_credential_goes_there() {
    let bao = Bao::dev();
    setup_userpass(&bao, "userpass").await;
    let temp = TempStore::new();

    let mut followed = root_config(&bao);
    followed.url = url::Url::parse(&redirecting_front(&bao, None)).unwrap();
    let store = OpenbaoSecretStore::new(followed);
    put_sample(&store).await;
    assert!(store.get("harmony", Server::KEY).await.unwrap().is_some());
    assert!(store.health().await.unwrap().initialized);

    let (away, reached) = elsewhere();
    let front = url::Url::parse(&redirecting_front(&bao, Some(&away))).unwrap();
    let mut token = root_config(&bao);
    token.url = front.clone();
    let store = OpenbaoSecretStore::new(token);
    let value = serde_json::to_value(Server::sample()).unwrap();
    let mut errors = vec![
        store.get("harmony", Server::KEY).await.unwrap_err(),
        store.set("harmony", Server::KEY, &value).await.unwrap_err(),
        store.capabilities("harmony").await.unwrap_err(),
    ];
    let mut password = userpass_config(&bao, "userpass", &temp.dir.path().join("cache"));
    password.url = front;
    errors.push(
        OpenbaoSecretStore::new(password)
            .get("harmony", Server::KEY)
            .await
            .unwrap_err(),
    );
    for error in &errors {
        let text = error.to_string();
        assert!(
            text.contains(&format!("redirected the request to {away}"))
                && text.contains("set OPENBAO_URL"),
            "{text}"
        );
        assert!(
            !text.contains(bao.root_token()) && !text.contains(PASSWORD),
            "{text}"
        );
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        reached.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a request reached the other origin"
    );
}

#[tokio::test]
async fn the_requests_of_one_session_share_a_connection() {
    let bao = Bao::dev();
    let port: u16 = bao.addr().rsplit(':').next().unwrap().parse().unwrap();
    let store = OpenbaoSecretStore::new(root_config(&bao));
    let before = connections_to(port);
    put_sample(&store).await;
    for _ in 0..20 {
        assert!(store.get("harmony", Server::KEY).await.unwrap().is_some());
    }
    // A client per request opened a connection each time, and left each behind in TIME_WAIT.
    let opened = connections_to(port).saturating_sub(before);
    assert!(opened <= 2, "{opened} connections for 21 requests");
}

/// The TCP sockets on this machine whose remote end is 127.0.0.1:`port`, in any state.
fn connections_to(port: u16) -> usize {
    let remote = format!("0100007F:{port:04X}");
    std::fs::read_to_string("/proc/net/tcp")
        .unwrap()
        .lines()
        .skip(1)
        .filter(|line| line.split_whitespace().nth(2) == Some(remote.as_str()))
        .count()
}

#[tokio::test]
async fn a_second_process_reuses_the_cached_token_without_logging_in() {
    let bao = Bao::dev();
    setup_userpass(&bao, "userpass").await;
    let temp = TempStore::new();
    let data_home = temp.dir.path().join("xdg");
    // Where the default token cache lives for a process with XDG_DATA_HOME=data_home.
    let cache = data_home.join("harmony").join("openbao");
    let store = OpenbaoSecretStore::new(userpass_config(&bao, "userpass", &cache));
    put_sample(&store).await;
    assert_eq!(mode(&cache_file(&cache)), 0o600);

    let before = token_count(&bao);
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_reads_through_the_default_chain",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD_MARK, "read")
        .env("OPENBAO_URL", bao.addr())
        .env("OPENBAO_USERNAME", "alice")
        .env("OPENBAO_PASSWORD", PASSWORD)
        .env("XDG_DATA_HOME", &data_home)
        .env("HARMONY_DB", temp.db())
        .env_remove("OPENBAO_TOKEN")
        .env_remove("VAULT_TOKEN")
        .env_remove("VAULT_ADDR")
        .env_remove("HARMONY_SECRET_NAMESPACE")
        .env_remove("HARMONY_CONFIG_test_Server")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    assert!(text.contains("child read db.example.com"), "{text}");
    assert!(
        !text.contains(PASSWORD) && !text.contains("hunter2"),
        "{text}"
    );
    assert_eq!(
        token_count(&bao),
        before,
        "the child logged in again:\n{text}"
    );
}

/// In the child of the test above: reads through the default chain, which finds OpenBao in
/// the environment and the token in the cache.
#[tokio::test]
async fn child_reads_through_the_default_chain() {
    if std::env::var(CHILD_MARK).as_deref() != Ok("read") {
        return;
    }
    let manager = harmony_config::default_manager().await.unwrap();
    let names: Vec<String> = manager.sources().iter().map(|s| s.name()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names[1].starts_with("openbao (http://127.0.0.1:"),
        "{names:?}"
    );
    let server: Server = manager.get().await.unwrap();
    println!("child read {}", server.host);
}

#[tokio::test]
async fn login_shows_the_code_then_caches_the_token_for_every_process() {
    let oidc = Oidc::start();
    let bao = Bao::dev();
    let issuer = url::Url::parse(oidc.issuer()).unwrap();
    let mut plan = Setup::default();
    plan.jwt = Some(JwtSetup::new(issuer, oidc.client_id(), "harmony-developer"));
    setup::apply(&root_config(&bao), &plan).await.unwrap();
    let temp = TempStore::new();
    let data_home = temp.dir.path().join("xdg");

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child_logs_in", "--exact", "--nocapture"])
        .env(CHILD_MARK, "login")
        .env("OPENBAO_URL", bao.addr())
        .env("HARMONY_OIDC_ISSUER", oidc.issuer())
        .env("HARMONY_OIDC_CLIENT_ID", oidc.client_id())
        .env("OPENBAO_JWT_ROLE", "harmony-developer")
        .env("XDG_DATA_HOME", &data_home)
        .env_remove("OPENBAO_TOKEN")
        .env_remove("VAULT_TOKEN")
        .env_remove("OPENBAO_USERNAME")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();

    // Read the code from what the person would see, and approve it as they would.
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut shown = String::new();
    for line in std::io::BufRead::lines(stderr) {
        let line = line.unwrap();
        shown.push_str(&line);
        shown.push('\n');
        if let Some((_, code)) = line.split_once("enter the code ") {
            oidc.approve(code.trim(), "bob");
            break;
        }
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{shown}{stdout}");
    assert!(
        shown.contains(&format!("open {}/device", oidc.issuer())),
        "{shown}"
    );
    assert!(
        stdout.contains("child logged in with [\"default\", \"harmony\"]"),
        "{stdout}"
    );

    // The token is cached privately, and this process uses it without logging in.
    let cache = data_home.join("harmony").join("openbao");
    assert_eq!(mode(&cache_file(&cache)), 0o600);
    let before = token_count(&bao);
    let mut config = bare_config(&bao);
    config.token_cache_dir = Some(cache);
    put_sample(&OpenbaoSecretStore::new(config)).await;
    assert_eq!(token_count(&bao), before);
}

/// In the child of the test above: the device login, with the settings in the environment.
#[tokio::test]
async fn child_logs_in() {
    if std::env::var(CHILD_MARK).as_deref() != Ok("login") {
        return;
    }
    let store = OpenbaoSecretStore::new(OpenbaoConfig::from_env().unwrap());
    let login = store
        .device_login(|code| {
            eprintln!(
                "To log in, open {} and enter the code {}",
                code.verification_uri, code.user_code
            );
        })
        .await
        .unwrap();
    let mut policies = login.policies;
    policies.sort();
    println!("child logged in with {policies:?}");
}

#[tokio::test]
async fn a_renewable_token_near_its_expiry_is_renewed_and_recached() {
    let bao = Bao::dev();
    setup_userpass(&bao, "userpass").await;
    let temp = TempStore::new();
    let cache = temp.dir.path().join("cache");
    put_sample(&OpenbaoSecretStore::new(userpass_config(
        &bao, "userpass", &cache,
    )))
    .await;

    // Make the cached token look close to its end: 100 s left of a long lifetime.
    let file = cache_file(&cache);
    let mut cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(cached["renewable"], true, "{}", cached["ttl"]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    cached["expires_at"] = (now + 100).into();
    cached["ttl"] = 100_000.into();
    std::fs::write(&file, cached.to_string()).unwrap();

    let before = token_count(&bao);
    let mut config = userpass_config(&bao, "userpass", &cache);
    config.password = None;
    let store = OpenbaoSecretStore::new(config);
    assert!(store.get("harmony", Server::KEY).await.unwrap().is_some());
    assert_eq!(token_count(&bao), before, "renewed, not a new login");
    let renewed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(renewed["token"], cached["token"]);
    assert!(
        renewed["expires_at"].as_u64().unwrap() > now + 1000,
        "{renewed}"
    );
    assert_eq!(mode(&file), 0o600);
}

#[tokio::test]
async fn building_the_chain_contacts_no_server() {
    // A listener that counts the connections it accepts, and closes each at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    let count = || accepted.load(std::sync::atomic::Ordering::SeqCst);

    let mut config = OpenbaoConfig::new(&url).unwrap();
    config.token = Some(harmony_config::Secret::new("s.unused".to_owned()));
    let source = StoreSource::new(OpenbaoSecretStore::new(config));
    let temp = TempStore::new();
    let sqlite = sqlite_with_sample(&temp).await;
    let manager = ConfigManager::new(vec![Arc::new(source), Arc::new(sqlite)]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(), 0, "building the chain connected to the server");

    // The first `get` is what reaches it, and it falls through to SQLite.
    assert_eq!(manager.get::<Server>().await.unwrap(), Server::sample());
    assert!(count() > 0, "the listener saw no connection at all");
}

#[tokio::test]
async fn setup_run_twice_changes_nothing_the_second_time() {
    let oidc = Oidc::start();
    let bao = Bao::dev();
    let mut admin = root_config(&bao);
    admin.auth_mount = "people".to_owned();
    admin.oidc.groups_claim = Some("groups".to_owned());
    let mut plan = Setup::default();
    plan.userpass = Some(UserpassSetup::new("alice", PASSWORD));
    plan.jwt = Some(JwtSetup::new(
        url::Url::parse(oidc.issuer()).unwrap(),
        oidc.client_id(),
        "harmony-developer",
    ));

    let first = setup::apply(&admin, &plan).await.unwrap();
    // `secret/` exists in dev mode; everything else is new.
    assert_eq!(
        first.iter().filter(|c| c.changed()).count(),
        first.len() - 1,
        "{first:?}"
    );
    let second = setup::apply(&admin, &plan).await.unwrap();
    assert!(second.iter().all(|c| !c.changed()), "{second:?}");
    assert_eq!(first.len(), second.len());
    let policy = bao.cli(&["policy", "read", "harmony"]);
    assert!(policy.contains("secret/data/harmony/*"), "{policy}");

    // A changed policy is brought back in line, and only it.
    bao.cli_with_stdin(
        &["policy", "write", "harmony", "-"],
        "path \"x/*\" { capabilities = [\"read\"] }",
    );
    let third = setup::apply(&admin, &plan).await.unwrap();
    let changed: Vec<_> = third.iter().filter(|c| c.changed()).collect();
    assert_eq!(changed.len(), 1, "{third:?}");
    assert!(
        changed[0].to_string().contains("policy `harmony`"),
        "{third:?}"
    );
}

#[tokio::test]
async fn setup_refuses_without_an_admin_token() {
    let config = OpenbaoConfig::new("http://127.0.0.1:1").unwrap();
    let error = setup::apply(&config, &Setup::default()).await.unwrap_err();
    assert!(error.to_string().contains("OPENBAO_TOKEN"), "{error}");
}
