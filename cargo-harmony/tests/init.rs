//! `init` against real crates in temporary directories: a fresh crate, a second run, an
//! existing build script, and a crate that really builds with what init wrote.

#![allow(clippy::unwrap_used, reason = "a failed step fails the test")]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;

const MANIFEST: &str = r#"[package]
name = "fresh-crate"
version = "0.1.0"
edition = "2024"

# Keep the dependencies sorted.
[dependencies]
serde = "1.0" # for the wire format
"#;

/// A binary crate outside any workspace, with a comment in its manifest.
struct Crate {
    dir: tempfile::TempDir,
}

impl Crate {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), MANIFEST).unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").unwrap();
        Self { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap()
    }

    /// `cargo harmony init ARGS`, run inside the crate.
    fn init(&self, args: &[&str]) -> Command {
        let mut cmd = cargo_bin_cmd!("cargo-harmony");
        cmd.args(["harmony", "init"])
            .args(args)
            .current_dir(self.dir.path());
        cmd
    }

    /// Every file of the crate with its bytes, sorted by path.
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push((path.clone(), std::fs::read(&path).unwrap()));
                }
            }
        }
        let mut files = Vec::new();
        walk(self.dir.path(), &mut files);
        files.sort();
        files
    }
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// The lines init asks to add to the root file: the indented lines after "add to".
fn lines_to_add(out: &str) -> Vec<String> {
    out.lines()
        .skip_while(|l| !l.starts_with("add to src/main.rs"))
        .skip(1)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.trim().to_owned())
        .collect()
}

/// The repository root, which holds `runtime/` and `build-support/`.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

#[test]
fn a_fresh_crate_gets_dependencies_build_script_and_example() {
    let krate = Crate::new();
    let out = stdout(&krate.init(&[]).assert().code(0));

    let manifest = krate.read("Cargo.toml");
    assert!(
        manifest.contains("# Keep the dependencies sorted.\n[dependencies]\n"),
        "comments stay: {manifest}"
    );
    assert!(
        manifest.contains(
            r#"serde = { version = "1.0", features = ["derive"] } # for the wire format"#
        ),
        "serde gets derive and keeps its comment: {manifest}"
    );
    assert!(
        manifest.contains("harmony_config = \"0.1\"\n"),
        "{manifest}"
    );
    assert!(manifest.contains("schemars = \"1\"\n"), "{manifest}");
    assert!(
        manifest.contains("[build-dependencies]\nharmony_build = \"0.1\"\n"),
        "{manifest}"
    );

    assert!(krate.read("build.rs").contains("harmony_build::generate()"));
    let example = krate.read("src/harmony_config_example.rs");
    assert!(
        example.contains("#[config(key = \"fresh-crate.ExampleConfig\")]"),
        "{example}"
    );
    assert!(
        example.contains("/// Where fresh-crate finds"),
        "a doc comment: {example}"
    );
    assert!(
        example.contains("#[config(secret)]\n    pub token: String"),
        "{example}"
    );
    assert!(
        example.contains("HARMONY_CONFIG_fresh_crate_ExampleConfig"),
        "{example}"
    );

    assert_eq!(
        lines_to_add(&out),
        [
            "mod harmony_config_example;",
            "harmony_config::include_generated!();"
        ],
        "{out}"
    );
    assert_eq!(
        krate.read("src/main.rs"),
        "fn main() {}\n",
        "Rust sources are not edited"
    );
}

#[test]
fn a_second_run_changes_nothing_and_says_so() {
    let krate = Crate::new();
    krate.init(&[]).assert().code(0);
    let before = krate.snapshot();
    let manifest = krate.path("Cargo.toml").display().to_string();
    // From elsewhere, through --manifest-path.
    let out = stdout(
        &krate
            .init(&["--manifest-path", &manifest])
            .current_dir(std::env::temp_dir())
            .assert()
            .code(0),
    );
    assert_eq!(krate.snapshot(), before);
    assert!(out.contains("unchanged Cargo.toml"), "{out}");
    assert!(out.ends_with("init: nothing changed\n"), "{out}");
}

#[test]
fn an_existing_build_script_is_left_alone_with_instructions() {
    let krate = Crate::new();
    let build = "fn main() {\n    println!(\"cargo:rustc-cfg=custom\");\n}\n";
    std::fs::write(krate.path("build.rs"), build).unwrap();
    let out = stdout(&krate.init(&[]).assert().code(1));
    assert_eq!(krate.read("build.rs"), build, "build.rs is untouched");
    assert!(out.contains("refused   build.rs: exists"), "{out}");
    assert!(
        out.contains("    if let Err(error) = harmony_build::generate() {"),
        "what to add: {out}"
    );
    assert!(out.contains("cargo:rerun-if-changed"), "{out}");
    // The other steps still ran.
    assert!(krate.read("Cargo.toml").contains("harmony_build = \"0.1\""));
    assert!(krate.path("src/harmony_config_example.rs").is_file());

    // Once build.rs calls harmony_build, init is satisfied.
    std::fs::write(
        krate.path("build.rs"),
        "fn main() {\n    harmony_build::generate().unwrap();\n}\n",
    )
    .unwrap();
    let out = stdout(&krate.init(&[]).assert().code(0));
    assert!(
        out.contains("unchanged build.rs: runs harmony_build"),
        "{out}"
    );
}

#[test]
fn a_path_that_is_not_a_checkout_is_a_usage_error() {
    let krate = Crate::new();
    let before = krate.snapshot();
    let assert = krate
        .init(&["--path", &krate.dir.path().display().to_string()])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("no runtime/Cargo.toml there"), "{err}");
    assert_eq!(krate.snapshot(), before, "nothing was written");
}

/// The real thing: after `init --path`, and the printed lines, the crate builds offline.
#[test]
fn the_crate_builds_after_init_with_path() {
    let krate = Crate::new();
    let repo = repo();
    let out = stdout(
        &krate
            .init(&["--path", &repo.display().to_string()])
            .assert()
            .code(0),
    );
    let manifest = krate.read("Cargo.toml");
    let runtime = repo.canonicalize().unwrap().join("runtime");
    assert!(
        manifest.contains(&format!(
            "harmony_config = {{ path = \"{}\" }}",
            runtime.display()
        )),
        "{manifest}"
    );

    let mut main = krate.read("src/main.rs");
    for line in lines_to_add(&out) {
        main.push_str(&line);
        main.push('\n');
    }
    std::fs::write(krate.path("src/main.rs"), main).unwrap();
    // Its own workspace, in case the temporary directory sits inside another one.
    let mut manifest = manifest;
    manifest.push_str("\n[workspace]\n");
    std::fs::write(krate.path("Cargo.toml"), manifest).unwrap();
    // The repository's lock file pins the same versions, so `--offline` resolves.
    std::fs::copy(repo.join("Cargo.lock"), krate.path("Cargo.lock")).unwrap();

    // Shared with harmony_build's rerun probe, whose dependencies are the same.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rerun-probe");
    let check = std::process::Command::new(env!("CARGO"))
        .args(["check", "--offline", "--target-dir"])
        .arg(&target)
        .current_dir(krate.dir.path())
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "cargo check failed:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
