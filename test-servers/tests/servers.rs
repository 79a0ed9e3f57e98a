//! The servers start, answer, and stop by their own pid.

use harmony_test_servers::{Bao, Oidc};

#[test]
fn a_dev_server_answers_with_its_root_token_and_stops() {
    let mut bao = Bao::dev();
    bao.cli(&["kv", "put", "secret/probe", "field=1"]);
    assert!(bao.cli(&["kv", "get", "secret/probe"]).contains("field"));
    bao.stop();
    assert!(bao.pid().is_none());
    assert!(!bao.try_cli(&["status"], "").status.success());
}

#[test]
fn a_raft_server_keeps_its_data_across_a_restart_and_can_be_sealed() {
    let mut bao = Bao::raft();
    bao.cli(&["secrets", "enable", "-path=secret", "kv-v2"]);
    bao.cli(&["kv", "put", "secret/probe", "field=1"]);
    bao.restart();
    assert!(bao.cli(&["kv", "get", "secret/probe"]).contains("field"));
    bao.seal();
    // `bao status` exits 2 on a sealed server.
    assert_eq!(bao.try_cli(&["status"], "").status.code(), Some(2));
    bao.unseal();
    assert!(bao.cli(&["kv", "get", "secret/probe"]).contains("field"));
}

#[test]
fn the_oidc_provider_serves_discovery() {
    let oidc = Oidc::start();
    assert!(oidc.issuer().starts_with("http://127.0.0.1:"));
}
