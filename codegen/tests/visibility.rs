//! A config that `crate::config` cannot name is an error at the type; one it can name is not.

use std::path::{Path, PathBuf};

use harmony_codegen::generate;
use harmony_codegen::schema::Severity;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/visibility")
        .join(name)
}

/// `(severity, file relative to the crate, line, column, message)` of every diagnostic.
fn diagnostics(
    crate_dir: &Path,
    generated: &generate::Generated,
) -> Vec<(Severity, String, usize, usize, String)> {
    generated
        .diagnostics
        .iter()
        .map(|d| {
            let file = d.file.strip_prefix(crate_dir).unwrap_or(&d.file);
            let file = file
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (d.severity, file, d.line, d.column, d.message.clone())
        })
        .collect()
}

#[test]
fn too_private_configs_are_errors_at_the_type() {
    let dir = fixture("bad");
    let generated = generate::target(&dir, &dir.join("src/lib.rs"));
    assert_eq!(
        diagnostics(&dir, &generated),
        [
            (
                Severity::Error,
                "src/net/inner.rs".to_owned(),
                4,
                12,
                "`net::inner` is private to `net`, so `crate::config` cannot name \
                 `net::inner::Db`: make it `pub(crate)`"
                    .to_owned()
            ),
            (
                Severity::Error,
                "src/net/type.rs".to_owned(),
                3,
                19,
                "`net::type::Kind` is visible only in `net`, so `crate::config` cannot name \
                 it: make it `pub(crate)`"
                    .to_owned()
            ),
        ]
    );
    assert!(generated.failed());
    assert!(generated.source.is_none());
    // The visible ones, at the root, nested inline and behind `#[path]`, are still modelled.
    let keys: Vec<&str> = generated.configs.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["AtRoot", "Db", "Kind", "Nested", "Pathed"]);
}

#[test]
fn visible_nested_configs_generate_accessors() {
    let dir = fixture("good");
    let generated = generate::target(&dir, &dir.join("src/lib.rs"));
    assert_eq!(diagnostics(&dir, &generated), []);
    let paths: Vec<&str> = generated
        .configs
        .iter()
        .map(|c| c.type_path.as_str())
        .collect();
    assert_eq!(
        paths,
        ["crate::a::b::c::d::Deep", "crate::a::b::InB", "crate::Top"]
    );
    let source = generated.source.expect("generated");
    assert!(source.contains("crate::a::b::c::d::Deep"), "{source}");
    assert!(source.contains("crate::a::b::InB"), "{source}");
}
