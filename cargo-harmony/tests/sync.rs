//! `cargo harmony sync` and `sync --check` against real cargo workspaces in temporary
//! folders: several crates, configs in `lib.rs` and in nested modules, no dependencies, so
//! `cargo metadata --no-deps` needs no network.

#![allow(
    clippy::panic,
    reason = "the helpers fail the test that calls them, with a message"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;
use harmony_codegen::schema::GENERATED_MARKER;
use serde_json::Value;

/// A temporary workspace, removed when dropped.
struct Workspace {
    dir: tempfile::TempDir,
}

/// What a run printed, and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or_default()
    }
}

const ALPHA_LIB: &str = "//! Alpha.\npub mod db;\npub mod net;\n";

const ALPHA_DB: &str = r#"use harmony_config::Config;

/// The database.
///
/// Where the rows live.
#[derive(Config)]
#[config(key = "alpha.Db")]
pub struct Db {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    #[config(secret)]
    pub password: String,
    pub timeout_secs: Option<u32>,
}
"#;

const ALPHA_NET: &str = "pub mod switch;\n";

const ALPHA_SWITCH: &str = r#"/// A network switch.
#[derive(harmony_config::Config)]
#[config(key = "alpha.Switch")]
pub struct Switch {
    pub url: String,
    pub tls: Option<Tls>,
}

/// TLS settings.
#[derive(serde::Deserialize)]
pub struct Tls {
    pub ca_file: String,
}
"#;

const BETA_LIB: &str = r"/// The cache.
#[derive(Config)]
pub struct Cache {
    /// Entries kept.
    pub size: u64,
}
";

impl Workspace {
    /// Three crates: `alpha` (configs in nested modules), `beta` (one in `lib.rs`) and
    /// `gamma` (none).
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let ws = Self { dir };
        ws.write(
            "Cargo.toml",
            "[workspace]\nresolver = \"3\"\nmembers = [\"crates/alpha\", \"crates/beta\", \"crates/gamma\"]\n",
        );
        for name in ["alpha", "beta", "gamma"] {
            ws.write(
                &format!("crates/{name}/Cargo.toml"),
                &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
            );
        }
        ws.write("crates/alpha/src/lib.rs", ALPHA_LIB);
        ws.write("crates/alpha/src/db.rs", ALPHA_DB);
        ws.write("crates/alpha/src/net/mod.rs", ALPHA_NET);
        ws.write("crates/alpha/src/net/switch.rs", ALPHA_SWITCH);
        ws.write("crates/beta/src/lib.rs", BETA_LIB);
        ws.write("crates/gamma/src/lib.rs", "//! No config here.\n");
        ws
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
        fs::write(path, text).expect("write file");
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// The 1-based line of the first line of `relative` that contains `needle`.
    fn line_of(&self, relative: &str, needle: &str) -> usize {
        let index = self.read(relative).lines().position(|l| l.contains(needle));
        assert!(index.is_some(), "`{needle}` is not in {relative}");
        index.unwrap_or_default() + 1
    }

    /// Runs `cargo-harmony harmony <args>` in `dir`, relative to the root.
    fn run_in(&self, dir: &str, args: &[&str]) -> Run {
        let output: Output = cargo_bin_cmd!("cargo-harmony")
            .arg("harmony")
            .args(args)
            .current_dir(self.path(dir))
            .env_remove("RUST_LOG")
            .output()
            .expect("run cargo-harmony");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_in(".", args)
    }

    /// Every file under the root, relative, with its bytes; not `target/`, where the cache is.
    fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            for entry in fs::read_dir(dir).expect("list") {
                let path = entry.expect("entry").path();
                if path == root.join("target") {
                    continue;
                }
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let relative = path.strip_prefix(root).expect("under root");
                    out.push((
                        relative.to_string_lossy().into_owned(),
                        fs::read(&path).expect("read"),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.root(), self.root(), &mut out);
        out.sort();
        out
    }
}

fn assert_code(run: &Run, code: i32) {
    assert_eq!(
        run.code, code,
        "exit code\n--- stdout\n{}\n--- stderr\n{}",
        run.stdout, run.stderr
    );
}

const DB_SCHEMA: &str = "crates/alpha/config-schema/alpha.Db.schema.json";
const SWITCH_SCHEMA: &str = "crates/alpha/config-schema/alpha.Switch.schema.json";
const CACHE_SCHEMA: &str = "crates/beta/config-schema/Cache.schema.json";

#[test]
fn sync_writes_every_artifact_then_nothing() {
    let ws = Workspace::new();
    let run = ws.run(&["sync"]);
    assert_code(&run, 0);
    for path in [
        ".env.example",
        "CONFIG.md",
        DB_SCHEMA,
        SWITCH_SCHEMA,
        CACHE_SCHEMA,
    ] {
        assert!(
            run.stdout.contains(&format!("wrote {path}\n")),
            "{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("sync: 5 files written, 0 removed, 0 unchanged")
    );
    assert!(!ws.exists("crates/gamma/config-schema"));

    // Each schema file is byte for byte what `cargo harmony schema` prints.
    for (key, path) in [
        ("alpha.Db", DB_SCHEMA),
        ("alpha.Switch", SWITCH_SCHEMA),
        ("Cache", CACHE_SCHEMA),
    ] {
        let schema = ws.read(path);
        assert!(schema.contains(GENERATED_MARKER), "{path}");
        assert_eq!(ws.run(&["schema", key]).stdout, schema, "{key}");
        let parsed: Value = serde_json::from_str(&schema).expect("schema is JSON");
        assert_eq!(parsed["x-harmony-key"], key);
    }
    let db: Value = serde_json::from_str(&ws.read(DB_SCHEMA)).expect("JSON");
    assert_eq!(
        db["required"],
        serde_json::json!(["host", "port", "password"])
    );

    let reference = ws.read("CONFIG.md");
    assert!(
        reference.starts_with("<!-- @generated by cargo harmony"),
        "{reference}"
    );
    assert!(reference.contains("`cargo harmony sync`"));
    let switch_line = ws.line_of("crates/alpha/src/net/switch.rs", "pub struct Switch");
    for expected in [
        "## `alpha.Db`",
        "**The database.**",
        "Where the rows live.",
        "`HARMONY_CONFIG_alpha_Db`",
        "| `host` | `string` | yes |  |  | Host name or address. |",
        "| `password` | `string` | yes | yes |  |  |",
        "| `timeout_secs` | `integer (u32) \\| null` | no |  |  |  |",
        "| `tls` | `Tls \\| null` | no |  |  |  |",
        "### `Tls`",
        "`crate::net::switch::Switch` in crate `alpha`",
        &format!("crates/alpha/src/net/switch.rs:{switch_line}"),
        "[crates/beta/config-schema/Cache.schema.json](crates/beta/config-schema/Cache.schema.json)",
    ] {
        assert!(
            reference.contains(expected),
            "`{expected}` missing from\n{reference}"
        );
    }
    // Sorted by key, byte order.
    let cache = reference.find("## `Cache`").expect("Cache");
    let db_at = reference.find("## `alpha.Db`").expect("Db");
    let switch_at = reference.find("## `alpha.Switch`").expect("Switch");
    assert!(cache < db_at && db_at < switch_at);

    let example = ws.read(".env.example");
    assert!(
        example.starts_with("# @generated by cargo harmony"),
        "{example}"
    );
    assert!(example.contains(
        "# HARMONY_CONFIG_alpha_Db='{\"host\": \"\", \"port\": 0, \"password\": \"\", \"timeout_secs\": null}'\n"
    ), "{example}");
    assert!(example.contains("# HARMONY_CONFIG_Cache='{\"size\": 0}'\n"));
    assert!(
        example.lines().all(|l| l.is_empty() || l.starts_with('#')),
        "{example}"
    );

    let before = ws.snapshot();
    let again = ws.run(&["sync"]);
    assert_code(&again, 0);
    assert_eq!(
        again.stdout,
        "sync: 0 files written, 0 removed, 5 unchanged\n"
    );
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn check_passes_then_fails_on_an_edit_with_the_fix_command() {
    let ws = Workspace::new();
    assert_code(&ws.run(&["sync"]), 0);
    let clean = ws.run(&["sync", "--check"]);
    assert_code(&clean, 0);
    assert_eq!(clean.stdout, "sync --check: 5 files up to date\n");

    ws.write(
        "crates/alpha/src/db.rs",
        &ALPHA_DB.replace(
            "    pub port: u16,\n",
            "    pub port: u16,\n    /// Connections kept open.\n    pub pool_size: u8,\n",
        ),
    );
    let before = ws.snapshot();
    let check = ws.run(&["sync", "--check"]);
    assert_code(&check, 1);
    assert_eq!(ws.snapshot(), before, "--check wrote something");
    let db_line = ws.line_of("crates/alpha/src/db.rs", "pub struct Db");
    let out = &check.stdout;
    assert!(
        out.contains(&format!(
            "stale    {DB_SCHEMA}  (from `crate::db::Db` at crates/alpha/src/db.rs:{db_line}, crate `alpha`)"
        )),
        "{out}"
    );
    assert!(out.contains(&format!(
        "--- {DB_SCHEMA} (on disk)\n+++ {DB_SCHEMA} (sync writes)\n"
    )));
    assert!(out.contains("+    \"pool_size\": {\n"), "{out}");
    assert!(out.contains("stale    CONFIG.md"));
    assert!(out.contains("stale    .env.example"));
    assert!(
        !out.contains(CACHE_SCHEMA),
        "an unchanged file is not reported"
    );
    assert!(out.contains("sync --check: 3 of 5 files out of date (0 missing, 3 stale, 0 orphan)"));
    assert_eq!(check.last_line(), "run `cargo harmony sync` to update");

    // Run from elsewhere, the fix command repeats the flags it was given.
    let elsewhere = ws.run_in(
        "crates",
        &["sync", "--check", "--manifest-path", "../Cargo.toml"],
    );
    assert_code(&elsewhere, 1);
    assert_eq!(
        elsewhere.last_line(),
        "run `cargo harmony sync --manifest-path ../Cargo.toml` to update"
    );

    let fixed = ws.run_in("crates", &["sync", "--manifest-path", "../Cargo.toml"]);
    assert_code(&fixed, 0);
    assert!(
        fixed
            .stdout
            .contains("sync: 3 files written, 0 removed, 2 unchanged")
    );
    assert_code(&ws.run(&["sync", "--check"]), 0);
}

#[test]
fn check_on_a_fresh_clone_reports_missing_files() {
    let ws = Workspace::new();
    let check = ws.run(&["sync", "--check"]);
    assert_code(&check, 1);
    assert!(
        check.stdout.contains(&format!(
            "missing  {CACHE_SCHEMA}  (from `crate::Cache` at crates/beta/src/lib.rs:3, crate `beta`)"
        )),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("missing  CONFIG.md"));
    assert_eq!(check.last_line(), "run `cargo harmony sync` to update");
    assert!(!ws.exists("CONFIG.md"));
}

#[test]
fn orphans_are_removed_and_foreign_schemas_kept() {
    let ws = Workspace::new();
    assert_code(&ws.run(&["sync"]), 0);
    let foreign = "crates/alpha/config-schema/handwritten.schema.json";
    ws.write(foreign, "{ \"type\": \"object\" }\n");
    // A user's copy that quotes the marker below the top level is still the user's.
    let copied = "crates/alpha/config-schema/copied.schema.json";
    let copied_text = format!(
        "{{\"description\": \"{}\"}}\n",
        harmony_codegen::schema::GENERATED_MARKER
    );
    ws.write(copied, &copied_text);
    // The switch config is gone: its module is no longer declared.
    ws.write("crates/alpha/src/lib.rs", "//! Alpha.\npub mod db;\n");

    let check = ws.run(&["sync", "--check"]);
    assert_code(&check, 1);
    assert!(
        check.stdout.contains(&format!("orphan   {SWITCH_SCHEMA}")),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains("handwritten"));
    assert!(ws.exists(SWITCH_SCHEMA), "--check removed a file");

    let sync = ws.run(&["sync"]);
    assert_code(&sync, 0);
    assert!(
        sync.stdout.contains(&format!("removed {SWITCH_SCHEMA}\n")),
        "{}",
        sync.stdout
    );
    assert!(
        sync.stdout
            .contains("sync: 2 files written, 1 removed, 2 unchanged"),
        "{}",
        sync.stdout
    );
    assert!(!ws.exists(SWITCH_SCHEMA));
    assert_eq!(ws.read(foreign), "{ \"type\": \"object\" }\n");
    assert_eq!(ws.read(copied), copied_text);
    assert!(!ws.read("CONFIG.md").contains("alpha.Switch"));

    // When every config of a crate is gone, so is its emptied folder.
    ws.write("crates/beta/src/lib.rs", "//! No config any more.\n");
    assert_code(&ws.run(&["sync"]), 0);
    assert!(!ws.exists("crates/beta/config-schema"));
    assert_code(&ws.run(&["sync", "--check"]), 0);
}

#[test]
fn files_without_the_marker_are_never_overwritten() {
    let ws = Workspace::new();
    ws.write("CONFIG.md", "# Our own notes\n");
    let run = ws.run(&["sync"]);
    assert_code(&run, 2);
    assert!(
        run.stderr
            .contains("CONFIG.md exists and was not generated by cargo harmony"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("move it elsewhere"));
    assert_eq!(ws.read("CONFIG.md"), "# Our own notes\n");
    assert!(!ws.exists(DB_SCHEMA), "nothing is written");

    fs::remove_file(ws.path("CONFIG.md")).expect("remove");
    ws.write(CACHE_SCHEMA, "{}\n");
    let run = ws.run(&["sync", "--check"]);
    assert_code(&run, 2);
    assert!(
        run.stderr
            .contains("Cache.schema.json exists and was not generated"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.read(CACHE_SCHEMA), "{}\n");
}

#[test]
fn a_key_defined_by_two_crates_fails_naming_both() {
    let ws = Workspace::new();
    ws.write(
        "crates/beta/src/lib.rs",
        &format!("{BETA_LIB}\n#[derive(Config)]\n#[config(key = \"alpha.Db\")]\npub struct Shadow {{\n    pub x: bool,\n}}\n"),
    );
    let db_line = ws.line_of("crates/alpha/src/db.rs", "pub struct Db");
    let shadow_line = ws.line_of("crates/beta/src/lib.rs", "pub struct Shadow");
    for args in [&["sync"][..], &["sync", "--check"]] {
        let run = ws.run(args);
        assert_code(&run, 2);
        let beta = ws.path("crates/beta/src/lib.rs");
        let alpha = ws.path("crates/alpha/src/db.rs");
        assert!(
            run.stderr
                .contains(&format!("{}:{shadow_line}:", beta.display())),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains(&format!("{}:{db_line}", alpha.display())),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("`alpha.Db`"));
        assert!(run.stderr.contains("nothing was written"));
    }
    assert!(!ws.exists("CONFIG.md"));
    assert!(!ws.exists(DB_SCHEMA));
}

#[test]
fn a_file_that_does_not_parse_fails_with_its_location() {
    let ws = Workspace::new();
    ws.write(
        "crates/beta/src/lib.rs",
        &format!("{BETA_LIB}\npub struct Broken {{ x: }}\n"),
    );
    let line = ws.line_of("crates/beta/src/lib.rs", "Broken");
    let run = ws.run(&["sync"]);
    assert_code(&run, 2);
    let location = format!("{}:{line}:", ws.path("crates/beta/src/lib.rs").display());
    let error = run
        .stderr
        .lines()
        .find(|l| l.contains(&location))
        .unwrap_or_else(|| panic!("no `{location}` in\n{}", run.stderr));
    // path:line:col: message
    let column = error
        .split(&location)
        .nth(1)
        .and_then(|rest| rest.split(':').next());
    assert!(
        column.is_some_and(|c| c.parse::<usize>().is_ok()),
        "{error}"
    );
    assert!(
        ws.snapshot()
            .iter()
            .all(|(path, _)| !path.contains("config-schema"))
    );
}

#[test]
fn package_flag_limits_sync_to_one_crate() {
    let ws = Workspace::new();
    let run = ws.run(&["sync", "-p", "beta"]);
    assert_code(&run, 0);
    assert_eq!(
        run.stdout,
        format!("wrote {CACHE_SCHEMA}\nsync: 1 file written, 0 removed, 0 unchanged\n")
    );
    assert!(run.stderr.contains("`-p` leaves them alone"));
    assert!(ws.exists(CACHE_SCHEMA));
    assert!(!ws.exists(DB_SCHEMA));
    assert!(!ws.exists("CONFIG.md"));

    assert_code(&ws.run(&["sync", "--check", "-p", "beta"]), 0);
    let alpha = ws.run(&["sync", "--check", "-p", "alpha"]);
    assert_code(&alpha, 1);
    assert!(!alpha.stdout.contains("Cache"));
    assert_eq!(
        alpha.last_line(),
        "run `cargo harmony sync -p alpha` to update"
    );

    let unknown = ws.run(&["sync", "-p", "nope"]);
    assert_code(&unknown, 2);
    assert!(unknown.stderr.contains("nope"));
}

fn json_lines(run: &Run) -> Vec<Value> {
    run.stdout
        .lines()
        .map(|line| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            assert!(value["reason"].is_string(), "no reason: {line}");
            value
        })
        .collect()
}

#[test]
fn json_messages_are_one_object_per_line_with_a_reason() {
    let ws = Workspace::new();
    let sync = ws.run(&["sync", "--message-format", "json"]);
    assert_code(&sync, 0);
    let lines = json_lines(&sync);
    assert_eq!(lines.len(), 6);
    let db = lines
        .iter()
        .find(|v| v["path"] == DB_SCHEMA)
        .expect("the Db schema");
    assert_eq!(db["reason"], "artifact");
    assert_eq!(db["status"], "written");
    assert_eq!(db["key"], "alpha.Db");
    assert_eq!(db["crate"], "alpha");
    let summary = lines.last().expect("a summary");
    assert_eq!(summary["reason"], "sync-summary");
    assert_eq!(summary["written"], 5);

    let again = json_lines(&ws.run(&["sync", "--message-format", "json"]));
    assert!(
        again
            .iter()
            .filter(|v| v["reason"] == "artifact")
            .all(|v| v["status"] == "unchanged")
    );

    let clean = ws.run(&["sync", "--check", "--message-format", "json"]);
    assert_code(&clean, 0);
    let clean = json_lines(&clean);
    assert_eq!(clean.len(), 1);
    assert_eq!(clean[0]["fix"], Value::Null);

    ws.write("crates/beta/src/lib.rs", &BETA_LIB.replace("u64", "u32"));
    let drift = ws.run(&["sync", "--check", "--message-format", "json"]);
    assert_code(&drift, 1);
    let drift = json_lines(&drift);
    let cache = drift
        .iter()
        .find(|v| v["path"] == CACHE_SCHEMA)
        .expect("the Cache schema");
    assert_eq!(cache["reason"], "drift");
    assert_eq!(cache["status"], "stale");
    assert_eq!(cache["struct"], "crate::Cache");
    assert!(
        cache["diff"]
            .as_str()
            .is_some_and(|d| d.contains("+      \"maximum\": 4294967295"))
    );
    assert_eq!(drift.last().expect("summary")["fix"], "cargo harmony sync");

    ws.write(
        "crates/beta/src/lib.rs",
        "pub struct Broken { x: }\n#[derive(Config)] struct A;\n",
    );
    let broken = ws.run(&["sync", "--message-format", "json"]);
    assert_code(&broken, 2);
    let diagnostics = json_lines(&broken);
    assert!(
        diagnostics
            .iter()
            .any(|v| v["reason"] == "diagnostic" && v["level"] == "error" && v["line"] == 1)
    );
}

#[test]
fn warnings_are_printed_and_do_not_fail() {
    let ws = Workspace::new();
    ws.write(
        "crates/beta/src/lib.rs",
        "#[derive(Config)]\npub struct Cache {\n    pub size: u64,\n    pub extra: other::Thing,\n    pub mode: Mode,\n}\npub enum Mode { Fast }\nimpl<'de> serde::Deserialize<'de> for Mode {}\n",
    );
    let run = ws.run(&["sync"]);
    assert_code(&run, 0);
    let file = ws.path("crates/beta/src/lib.rs");
    let foreign = format!("warning: {}:4:", file.display());
    let hand_written = format!(
        "warning: {}:7:10: `Mode` has a hand-written `impl Deserialize` ({}:8:1)",
        file.display(),
        file.display()
    );
    for run in [run, ws.run(&["sync", "--check"])] {
        // `--check` lists the warnings too, and does not fail on them.
        assert_code(&run, 0);
        assert!(run.stderr.contains(&foreign), "{}", run.stderr);
        assert!(run.stderr.contains("`other::Thing`"));
        assert!(run.stderr.contains(&hand_written), "{}", run.stderr);
    }
    assert!(ws.exists(CACHE_SCHEMA));
}
