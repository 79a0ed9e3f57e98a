//! Discovery: targets, the module tree, the text scan against syn, and config items.

use std::fs;
use std::path::{Path, PathBuf};

use harmony_codegen::scan::{
    ConfigItemRef, DiagnosticKind, FileDecls, ModDecl, ModuleTree, PathAttr, ScanError,
    ScanOptions, TargetKind, Visibility, module_tree, targets,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan")
}

fn fixture(path: &str) -> PathBuf {
    fixtures().join(path)
}

/// `path` relative to `base`, with `/` separators, for readable assertions.
fn rel(base: &Path, path: &Path) -> String {
    let stripped = path.strip_prefix(base).unwrap_or(path);
    stripped
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `(module path, file)` for every module file of the crate fixture `name`.
fn modules_of(name: &str) -> (ModuleTree, Vec<(String, String)>) {
    let base = fixture(name);
    let tree = module_tree(&base.join("src/lib.rs"));
    let modules = tree
        .modules()
        .iter()
        .map(|m| (m.module_path.join("::"), rel(&base, &m.path)))
        .collect();
    (tree, modules)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// `(kind, file relative to the fixture, line, column)` of every diagnostic.
fn diagnostics_of(tree: &ModuleTree, name: &str) -> Vec<(DiagnosticKind, String, usize, usize)> {
    let base = fixture(name);
    tree.diagnostics()
        .iter()
        .map(|d| (d.kind, rel(&base, &d.file), d.line, d.column))
        .collect()
}

// ---- the module tree, the way rustc resolves it -------------------------------------------

#[test]
fn tree_follows_rustc_file_rules() {
    let (tree, modules) = modules_of("tree");
    assert_eq!(tree.diagnostics(), &[]);
    assert_eq!(
        modules,
        pairs(&[
            ("", "src/lib.rs"),
            // Non-mod-rs file: children live in `plain/`.
            ("plain", "src/plain.rs"),
            ("plain::child", "src/plain/child.rs"),
            ("plain::child::grandchild", "src/plain/child/grandchild.rs"),
            // `#[path]` in a non-mod-rs file: relative to the file's own directory.
            ("plain::sib", "src/sibling.rs"),
            // Inline modules in a non-mod-rs file start from `plain/`.
            ("plain::nest::inner", "src/plain/nest/inner.rs"),
            ("plain::nest2::pp", "src/plain/nest2/p.rs"),
            // mod.rs: children sit next to it.
            ("dir", "src/dir/mod.rs"),
            ("dir::sub", "src/dir/sub.rs"),
            // `#[path]` in a mod-rs file; the loaded file counts as mod-rs.
            ("pathed", "src/custom/renamed.rs"),
            ("pathed::beside", "src/custom/beside.rs"),
            // Inline modules with file children.
            ("tests::helper", "src/tests/helper.rs"),
            (
                "inline_outer::inner::leaf",
                "src/inline_outer/inner/leaf.rs"
            ),
            // `#[path]` on an inline module names a directory.
            ("inline_pathed::deep", "src/other_dir/deep.rs"),
        ])
    );
}

#[test]
fn only_marker_files_are_parsed_during_the_walk() {
    let (tree, _) = modules_of("tree");
    let marked: Vec<_> = tree
        .modules()
        .iter()
        .filter(|m| m.has_marker)
        .map(|m| rel(&fixture("tree"), &m.path))
        .collect();
    assert_eq!(marked, ["src/lib.rs"]);
}

#[test]
fn cfgs_on_mod_items_are_carried_to_their_files() {
    let (tree, _) = modules_of("tree");
    let helper = tree
        .modules()
        .iter()
        .find(|m| m.module_path == ["tests", "helper"])
        .expect("tests::helper is walked");
    assert_eq!(helper.cfgs, ["cfg (test)"]);
    let dir = tree
        .modules()
        .iter()
        .find(|m| m.module_path == ["dir"])
        .expect("dir is walked");
    assert!(dir.cfgs.is_empty());
}

#[test]
fn declared_at_points_at_the_mod_keyword() {
    let (tree, _) = modules_of("tree");
    let base = fixture("tree");
    let at = |path: &[&str]| {
        let module = tree
            .modules()
            .iter()
            .find(|m| m.module_path == path)
            .expect("module is walked");
        module
            .declared_at
            .as_ref()
            .map(|l| (rel(&base, &l.file), l.line, l.column))
    };
    assert_eq!(at(&[]), None);
    assert_eq!(at(&["plain"]), Some(("src/lib.rs".to_owned(), 5, 1)));
    assert_eq!(at(&["dir"]), Some(("src/lib.rs".to_owned(), 6, 5)));
    assert_eq!(
        at(&["plain", "nest", "inner"]),
        Some(("src/plain.rs".to_owned(), 7, 5))
    );
}

#[test]
fn files_read_are_exactly_the_module_files_sorted() {
    let (tree, _) = modules_of("tree");
    let mut expected: Vec<PathBuf> = tree.modules().iter().map(|m| m.path.clone()).collect();
    expected.sort();
    assert_eq!(tree.files_read(), expected);
    assert_eq!(tree.files_read().len(), 14);
    assert!(!tree.files_read().contains(&fixture("tree/src/unused.rs")));
}

#[test]
fn a_file_included_twice_is_two_modules_and_one_read() {
    let (tree, modules) = modules_of("diamond");
    assert_eq!(tree.diagnostics(), &[]);
    assert_eq!(
        modules,
        pairs(&[
            ("", "src/lib.rs"),
            ("one", "src/shared.rs"),
            ("two", "src/shared.rs"),
        ])
    );
    let base = fixture("diamond");
    let read: Vec<String> = tree.files_read().iter().map(|p| rel(&base, p)).collect();
    assert_eq!(read, ["src/lib.rs", "src/shared.rs"]);
    let items: Vec<Vec<String>> = tree
        .config_items()
        .into_iter()
        .map(|i| i.module_path)
        .collect();
    assert_eq!(items, [vec!["one".to_owned()], vec!["two".to_owned()]]);
}

// ---- the text scan ------------------------------------------------------------------------

#[test]
fn text_scan_skips_comments_literals_and_lifetimes() {
    let (tree, modules) = modules_of("tricky");
    assert_eq!(tree.diagnostics(), &[], "a fake `mod` was followed");
    assert_eq!(
        modules,
        pairs(&[
            ("", "src/lib.rs"),
            ("real", "src/real.rs"),
            ("after_quote", "src/after_quote.rs"),
            ("after_lifetimes", "src/after_lifetimes.rs"),
            ("async", "src/async.rs"),
            ("unicode_col", "src/unicode_col.rs"),
            ("last", "src/last.rs"),
        ])
    );
    assert!(
        !tree.modules()[0].has_marker,
        "the text scan must be the one tested"
    );
    // `/* é */ mod unicode_col;`: columns count characters, not bytes.
    let unicode = &tree.modules()[5];
    assert_eq!(unicode.declared_at.as_ref().map(|l| l.column), Some(9));
}

#[test]
fn text_scan_reads_small_tricky_inputs() {
    let names = |src: &str| -> Vec<String> {
        FileDecls::from_text(src)
            .expect("scans")
            .mods
            .into_iter()
            .map(|m| m.name)
            .collect()
    };
    assert_eq!(
        names("fn f<'a>(x: &'a str) -> &'a str { x }\nmod m;"),
        ["m"]
    );
    assert_eq!(names("const C: char = '{'; mod m;"), ["m"]);
    assert_eq!(names("const C: char = '\\''; mod m;"), ["m"]);
    assert_eq!(names("const S: &str = r#\"\"mod no;\"\"#; mod m;"), ["m"]);
    assert_eq!(names("/* /* mod no; */ mod no; */ mod m;"), ["m"]);
    assert_eq!(names("// mod no;\nmod m;"), ["m"]);
    assert_eq!(names("fn f() { mod no; } mod m;"), ["m"]);
    assert_eq!(names("m!(mod no;); mod m;"), ["m"]);
    assert_eq!(
        names("struct S<'a>(&'a u8); impl<'a> S<'a> {} mod m;"),
        ["m"]
    );
    assert_eq!(names("mod r#try;"), ["try"]);
    // A lifetime right before a brace must not swallow it.
    assert_eq!(
        names("fn f<'a, T: 'a>() where T:'a{ mod no; } mod m;"),
        ["m"]
    );
    assert!(names("let x = 'a';").is_empty());
}

#[test]
fn text_scan_enters_inline_modules() {
    let decls = FileDecls::from_text(
        "#[cfg(test)]\nmod tests {\n    use super::*;\n    fn t() { let _ = \"}\"; }\n    mod helper;\n}\nmod after;",
    )
    .expect("scans");
    let tests = &decls.mods[0];
    assert_eq!(tests.name, "tests");
    assert_eq!(tests.attrs.cfgs, ["cfg (test)"]);
    let body = tests.body.as_ref().expect("inline");
    assert_eq!(body.len(), 1);
    assert_eq!(
        (body[0].name.as_str(), body[0].line, body[0].column),
        ("helper", 5, 5)
    );
    assert_eq!(body[0].body, None);
    assert_eq!(decls.mods[1].name, "after");
}

#[test]
fn text_scan_reads_mod_attributes_like_syn() {
    let text = fs::read_to_string(fixture("agree/attributes.rs")).expect("fixture");
    let decls = FileDecls::from_text(&text).expect("scans");
    assert_eq!(decls.inner_cfgs, ["cfg (feature = \"whole_file\")"]);
    let by_name = |name: &str| -> &ModDecl {
        decls
            .mods
            .iter()
            .find(|m| m.name == name)
            .expect("declared")
    };
    let a = by_name("a");
    assert_eq!(a.attrs.path, PathAttr::Literal("a.rs".to_owned()));
    assert_eq!(a.attrs.cfgs, ["cfg (all (unix , feature = \"x\"))"]);
    // The first `#[path]` wins, and raw strings count.
    assert_eq!(
        by_name("b").attrs.path,
        PathAttr::Literal("raw/b.rs".to_owned())
    );
    assert!(by_name("y").attrs.cfg_attr_path);
    assert_eq!(by_name("malformed").attrs.path, PathAttr::Malformed);
    let tests = by_name("tests");
    assert_eq!(tests.attrs.cfgs, ["cfg (test)", "cfg (not (miri))"]);
    let inner: Vec<_> = tests
        .body
        .as_ref()
        .expect("inline")
        .iter()
        .map(|m| (m.name.as_str(), m.body.is_some()))
        .collect();
    assert_eq!(inner, [("unix_only", false), ("empty", true)]);
    assert!(by_name("type").body.is_none());
}

/// `pub(...)` with these path segments.
fn restricted(segments: &[&str]) -> Visibility {
    Visibility::Restricted(segments.iter().map(|s| (*s).to_owned()).collect())
}

/// `(name, visibility)` of each `mod` item, inline bodies flattened after their module.
fn visibilities(mods: &[ModDecl], out: &mut Vec<(String, Visibility)>) {
    for m in mods {
        out.push((m.name.clone(), m.vis.clone()));
        if let Some(body) = &m.body {
            visibilities(body, out);
        }
    }
}

#[test]
fn text_scan_reads_visibility_like_syn() {
    use Visibility::{Private, Public};

    let text = fs::read_to_string(fixture("agree/visibility.rs")).expect("fixture");
    let by_text = FileDecls::from_text(&text).expect("scans");
    let by_syn = FileDecls::from_syn(&syn::parse_file(&text).expect("parses"));
    let mut found = Vec::new();
    visibilities(&by_text.mods, &mut found);
    let mut from_syn = Vec::new();
    visibilities(&by_syn.mods, &mut from_syn);
    assert_eq!(found, from_syn);

    let expected = [
        ("private", Private),
        ("public", Public),
        ("krate", restricted(&["crate"])),
        ("itself", restricted(&["self"])),
        ("parent", restricted(&["super"])),
        // `pub(in crate)` is `pub(crate)`.
        ("in_crate", restricted(&["crate"])),
        ("in_self", restricted(&["self"])),
        ("grandparent", restricted(&["super", "super"])),
        // Raw identifiers lose their `r#`.
        ("raw_path", restricted(&["crate", "a", "type"])),
        ("spaced", restricted(&["crate"])),
        ("split_lines", restricted(&["crate"])),
        ("public_unsafe", Public),
        ("crate_unsafe", restricted(&["crate"])),
        ("with_attr", restricted(&["super"])),
        ("try", Public),
        ("after_struct", Private),
        ("after_tuple", Private),
        ("after_fn", Private),
        ("after_use", Private),
        ("after_const", Private),
        ("after_type", Private),
        ("after_trait", Private),
        ("inline", Public),
        ("up", restricted(&["super"])),
        ("here", restricted(&["crate", "inline"])),
        ("hidden", Private),
        ("two_up", restricted(&["super", "super"])),
    ];
    let expected: Vec<(String, Visibility)> = expected
        .into_iter()
        .map(|(name, vis)| (name.to_owned(), vis))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn text_scan_reads_small_visibilities_like_syn() {
    for src in [
        "pub mod m;",
        "pub(crate) mod m;",
        "pub(in ::a) mod m;",
        "pub(in self::super) mod m;",
        "pub mod m { pub(super) mod n; }",
        "#[path = \"x.rs\"] pub(crate) mod m;",
        "pub(crate) struct S; mod m;",
        "pub(crate) static X: [u8; 1] = [0]; mod m;",
        "pub(crate) enum E { A } mod m;",
        "pub extern \"C\" fn f() {} mod m;",
        "pub(crate) unsafe fn f() {} mod m;",
        "pub unsafe trait T {} mod m;",
    ] {
        let by_syn = FileDecls::from_syn(&syn::parse_file(src).expect("parses"));
        assert_eq!(FileDecls::from_text(src).as_ref(), Ok(&by_syn), "{src}");
    }
    let vis = |src: &str| {
        FileDecls::from_text(src).expect("scans").mods[0]
            .vis
            .clone()
    };
    assert_eq!(vis("pub(in ::a) mod m;"), restricted(&["", "a"]));
    assert_eq!(vis("pub(crate) struct S; mod m;"), Visibility::Private);
    // Not a visibility rustc accepts before `mod`: refused, with a place.
    let error = FileDecls::from_text("mod a;\npub(crate::x) mod m;").expect_err("malformed");
    assert_eq!((error.line, error.column), (2, 1));
    assert!(error.message.contains("malformed visibility"), "{error}");
}

#[test]
fn module_files_and_config_items_keep_every_visibility_on_their_path() {
    let (_dir, tree) = walk_temp(&[
        (
            "src/lib.rs",
            "pub(crate) mod a;\n#[path = \"elsewhere.rs\"]\nmod r#b;\n",
        ),
        ("src/a.rs", "pub(super) mod inner {\n    pub mod c;\n}\n"),
        (
            "src/a/inner/c.rs",
            "mod hidden {\n    #[derive(Config)]\n    pub(in crate::a) struct S {}\n}\n",
        ),
        ("src/elsewhere.rs", ""),
    ]);
    assert_eq!(tree.diagnostics(), &[]);
    let modules: Vec<(String, Vec<Visibility>)> = tree
        .modules()
        .iter()
        .map(|m| (m.module_path.join("::"), m.path_vis.clone()))
        .collect();
    let krate = restricted(&["crate"]);
    let sup = restricted(&["super"]);
    assert_eq!(
        modules,
        [
            (String::new(), vec![]),
            ("a".to_owned(), vec![krate.clone()]),
            (
                "a::inner::c".to_owned(),
                vec![krate.clone(), sup.clone(), Visibility::Public]
            ),
            ("b".to_owned(), vec![Visibility::Private]),
        ]
    );
    let items = tree.config_items();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item.module_path, ["a", "inner", "c", "hidden"]);
    assert_eq!(
        item.path_vis,
        [krate, sup, Visibility::Public, Visibility::Private]
    );
    assert_eq!(item.vis, restricted(&["crate", "a"]));
}

#[test]
fn text_scan_errors_have_positions() {
    let error = |src: &str| {
        let e = FileDecls::from_text(src).expect_err("must fail");
        (e.line, e.column, e.message)
    };
    assert_eq!(error("mod a;\n  \"open").0, 2);
    assert_eq!(error("mod a;\n  \"open").1, 3);
    assert_eq!(error("fn f() {"), (1, 8, "unclosed delimiter".to_owned()));
    assert_eq!(error("x }").2, "unexpected closing delimiter");
    assert_eq!(error("/* /* */").2, "unterminated block comment");
    assert_eq!(error("r##\"abc\"#").2, "unterminated raw string");
    assert_eq!(error("fn f() { (] }").2, "mismatched closing delimiter");
    assert_eq!(error("mod m {\n mod n;").0, 1);
    assert!(
        error(&"mod a {".repeat(200))
            .2
            .contains("nested too deeply")
    );
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("fixture directory")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn text_scan_and_syn_agree_on_every_fixture_file() {
    let mut files = Vec::new();
    rust_files(&fixtures(), &mut files);
    let mut compared = Vec::new();
    let mut unparsable = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("fixture");
        let name = rel(&fixtures(), file);
        match syn::parse_file(&text) {
            Ok(parsed) => {
                let by_syn = FileDecls::from_syn(&parsed);
                let by_text = FileDecls::from_text(&text);
                assert_eq!(by_text.as_ref(), Ok(&by_syn), "{name}");
                compared.push(name);
            }
            Err(_) => unparsable.push(name),
        }
    }
    // The broken fixtures are the only ones syn rejects, and nothing else was skipped.
    assert_eq!(
        unparsable,
        [
            "broken/src/bad_child.rs",
            "broken/src/lib.rs",
            "broken/src/unterminated.rs"
        ]
    );
    assert!(
        compared.len() >= 40,
        "only {} files compared",
        compared.len()
    );
    for must in [
        "agree/attributes.rs",
        "agree/items.rs",
        "agree/visibility.rs",
        "tricky/src/lib.rs",
        "agree/bom_crlf.rs",
    ] {
        assert!(compared.iter().any(|c| c == must), "{must} not compared");
    }
}

#[test]
fn text_scan_agrees_with_syn_on_every_line_prefix_and_never_panics() {
    let mut files = Vec::new();
    rust_files(&fixture("agree"), &mut files);
    rust_files(&fixture("tricky"), &mut files);
    let mut agreed = 0;
    for file in &files {
        let text = fs::read_to_string(file).expect("fixture");
        for (end, _) in text.char_indices() {
            let prefix = &text[..end];
            let scanned = FileDecls::from_text(prefix);
            if let Err(e) = &scanned {
                assert!(e.line >= 1 && e.column >= 1, "{e}");
            }
            // Cut at line ends, a prefix is often valid Rust: then both must agree.
            if text[end..].starts_with('\n')
                && let Ok(parsed) = syn::parse_file(prefix)
            {
                assert_eq!(
                    scanned.as_ref(),
                    Ok(&FileDecls::from_syn(&parsed)),
                    "{prefix}"
                );
                agreed += 1;
            }
        }
    }
    assert!(agreed >= 100, "only {agreed} prefixes compared");
}

// ---- errors -------------------------------------------------------------------------------

#[test]
fn parse_errors_have_file_line_col_and_the_walk_goes_on() {
    let (tree, modules) = modules_of("broken");
    assert_eq!(
        modules,
        pairs(&[
            ("", "src/lib.rs"),
            ("after_error", "src/after_error.rs"),
            ("unterminated", "src/unterminated.rs"),
            ("bad_child", "src/bad_child.rs"),
            ("fine", "src/fine.rs"),
        ])
    );
    assert_eq!(
        diagnostics_of(&tree, "broken"),
        [
            (DiagnosticKind::Parse, "src/bad_child.rs".to_owned(), 2, 15),
            (DiagnosticKind::Parse, "src/lib.rs".to_owned(), 6, 11),
            (
                DiagnosticKind::Parse,
                "src/unterminated.rs".to_owned(),
                3,
                3
            ),
        ]
    );
    let lib = fixture("broken/src/lib.rs");
    let shown = tree
        .diagnostics()
        .iter()
        .find(|d| d.file == lib)
        .expect("lib.rs reported")
        .to_string();
    assert!(
        shown.starts_with(&format!("{}:6:11: expected ", lib.display())),
        "{shown}"
    );
    assert!(tree.config_items().is_empty());
}

#[test]
fn a_missing_module_file_names_the_declaration() {
    let (tree, modules) = modules_of("missing");
    assert_eq!(
        modules,
        pairs(&[("", "src/lib.rs"), ("present", "src/present.rs")])
    );
    assert_eq!(
        diagnostics_of(&tree, "missing"),
        [
            (
                DiagnosticKind::ModuleNotFound,
                "src/lib.rs".to_owned(),
                2,
                5
            ),
            (
                DiagnosticKind::ModuleNotFound,
                "src/lib.rs".to_owned(),
                4,
                1
            ),
        ]
    );
    let gone = &tree.diagnostics()[0].message;
    assert!(
        gone.contains("gone.rs") && gone.contains("mod.rs"),
        "{gone}"
    );
    // cfgs are not evaluated; the message says the declaration was conditional.
    assert!(tree.diagnostics()[1].message.contains("cfg (windows)"));
}

#[test]
fn both_candidate_files_is_an_error() {
    let (tree, modules) = modules_of("ambiguous");
    assert_eq!(modules, pairs(&[("", "src/lib.rs")]));
    assert_eq!(
        diagnostics_of(&tree, "ambiguous"),
        [(
            DiagnosticKind::AmbiguousModule,
            "src/lib.rs".to_owned(),
            1,
            1
        )]
    );
    let message = &tree.diagnostics()[0].message;
    assert!(
        message.contains("both.rs") && message.contains("mod.rs"),
        "{message}"
    );
}

#[test]
fn path_cycles_are_reported_not_followed() {
    let (tree, modules) = modules_of("cycle");
    assert_eq!(
        modules,
        pairs(&[("", "src/lib.rs"), ("a", "src/a.rs"), ("a::b", "src/b.rs")])
    );
    assert_eq!(
        diagnostics_of(&tree, "cycle"),
        [
            (DiagnosticKind::Cycle, "src/b.rs".to_owned(), 2, 1),
            (DiagnosticKind::Cycle, "src/lib.rs".to_owned(), 2, 1),
        ]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    fs::create_dir_all(src.join("a")).expect("mkdir");
    fs::write(src.join("lib.rs"), "mod a;\n").expect("write");
    fs::write(src.join("a/mod.rs"), "mod a;\n").expect("write");
    // `src/a/a/mod.rs` is `src/a/mod.rs` again.
    std::os::unix::fs::symlink(src.join("a"), src.join("a/a")).expect("symlink");
    let tree = module_tree(&src.join("lib.rs"));
    assert_eq!(tree.modules().len(), 2);
    assert_eq!(tree.diagnostics().len(), 1);
    assert_eq!(tree.diagnostics()[0].kind, DiagnosticKind::Cycle);
    assert_eq!(tree.diagnostics()[0].file, src.join("a/mod.rs"));
}

#[test]
fn an_unreadable_root_is_a_diagnostic() {
    let root = fixture("does-not-exist/src/lib.rs");
    let tree = module_tree(&root);
    assert!(tree.modules().is_empty());
    assert!(tree.files_read().is_empty());
    assert_eq!(tree.diagnostics().len(), 1);
    assert_eq!(tree.diagnostics()[0].kind, DiagnosticKind::Unreadable);
    assert_eq!(tree.diagnostics()[0].file, root);
}

/// Writes `files` under a fresh temporary directory and walks from its `src/lib.rs`.
fn walk_temp(files: &[(&str, &str)]) -> (tempfile::TempDir, ModuleTree) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    let tree = module_tree(&dir.path().join("src/lib.rs"));
    (dir, tree)
}

#[test]
fn attributes_the_scanner_cannot_follow_are_reported() {
    let (dir, tree) = walk_temp(&[
        (
            "src/lib.rs",
            "#[cfg_attr(unix, path = \"alt.rs\")]\nmod y;\n#[path = 1]\nmod m;\n",
        ),
        ("src/y.rs", ""),
        ("src/alt.rs", ""),
        ("src/m.rs", ""),
    ]);
    let found: Vec<_> = tree
        .diagnostics()
        .iter()
        .map(|d| (d.kind, rel(dir.path(), &d.file), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [
            (DiagnosticKind::Unsupported, "src/lib.rs".to_owned(), 2, 1),
            (DiagnosticKind::Parse, "src/lib.rs".to_owned(), 4, 1),
        ]
    );
    // The cfg_attr is not evaluated: the default file is walked; the malformed one is not.
    let walked: Vec<String> = tree
        .modules()
        .iter()
        .map(|m| rel(dir.path(), &m.path))
        .collect();
    assert_eq!(walked, ["src/lib.rs", "src/y.rs"]);
}

#[test]
fn inner_cfgs_of_a_file_apply_to_it_and_its_children() {
    let (_dir, tree) = walk_temp(&[
        ("src/lib.rs", "#[cfg(feature = \"net\")]\nmod a;\n"),
        ("src/a.rs", "#![cfg(unix)]\nmod b;\n"),
        ("src/a/b.rs", ""),
    ]);
    assert_eq!(tree.diagnostics(), &[]);
    let cfgs: Vec<(String, Vec<String>)> = tree
        .modules()
        .iter()
        .map(|m| (m.module_path.join("::"), m.cfgs.clone()))
        .collect();
    let net = "cfg (feature = \"net\")".to_owned();
    let unix = "cfg (unix)".to_owned();
    assert_eq!(
        cfgs,
        [
            (String::new(), vec![]),
            ("a".to_owned(), vec![net.clone(), unix.clone()]),
            ("a::b".to_owned(), vec![net, unix]),
        ]
    );
}

#[test]
fn diagnostics_display_as_file_line_col() {
    let diagnostic = harmony_codegen::scan::Diagnostic::new(
        Path::new("src/a.rs"),
        (3, 7),
        DiagnosticKind::Parse,
        "boom",
    );
    assert_eq!(diagnostic.to_string(), "src/a.rs:3:7: boom");
}

// ---- config items and parsing on demand ---------------------------------------------------

#[test]
fn config_items_are_found_in_nested_modules() {
    let (tree, _) = modules_of("items");
    assert_eq!(tree.diagnostics(), &[]);
    let base = fixture("items");
    let found: Vec<(String, String, String, usize, usize, Vec<String>)> = tree
        .config_items()
        .into_iter()
        .map(|i| {
            (
                i.name,
                i.module_path.join("::"),
                rel(&base, i.file),
                i.line,
                i.column,
                i.cfgs,
            )
        })
        .collect();
    let s = |v: &str| v.to_owned();
    assert_eq!(
        found,
        [
            (s("Top"), s(""), s("src/lib.rs"), 4, 12, vec![]),
            (
                s("Inline"),
                s("extra"),
                s("src/lib.rs"),
                11,
                16,
                vec![s("cfg (feature = \"extra\")")]
            ),
            (
                s("Conditional"),
                s(""),
                s("src/lib.rs"),
                21,
                12,
                vec![s("cfg (feature = \"x\")")]
            ),
            (
                s("Choice"),
                s(""),
                s("src/lib.rs"),
                25,
                10,
                vec![s("cfg (unix)")]
            ),
            (
                s("TlsConfig"),
                s("net::tls"),
                s("src/net/tls.rs"),
                2,
                12,
                vec![]
            ),
            (
                s("Deep"),
                s("net::tls::deeper::more"),
                s("src/net/tls.rs"),
                8,
                16,
                vec![s("cfg (unix)")]
            ),
        ]
    );
    let choice = tree
        .config_items()
        .into_iter()
        .find(|i| i.name == "Choice")
        .expect("found");
    assert!(matches!(choice.item, ConfigItemRef::Enum(e) if e.ident == "Choice"));
}

#[test]
fn any_module_file_can_be_parsed_on_demand() {
    let (tree, _) = modules_of("items");
    let net = fixture("items/src/net.rs");
    let module = tree
        .modules()
        .iter()
        .find(|m| m.path == net)
        .expect("net is walked");
    assert!(!module.has_marker);
    let file = tree
        .parsed(&net)
        .expect("net.rs was read")
        .expect("net.rs parses");
    let structs: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(structs, ["Plain"]);
    assert!(
        tree.source(&net)
            .is_some_and(|s| s.contains("pub struct Plain"))
    );
    assert!(tree.parsed(&fixture("items/src/unknown.rs")).is_none());

    let (broken, _) = modules_of("broken");
    let error = broken
        .parsed(&fixture("broken/src/bad_child.rs"))
        .expect("read")
        .expect_err("does not parse");
    assert_eq!((error.line, error.column), (2, 15));
}

#[test]
fn parse_all_parses_every_file_and_finds_the_same_tree() {
    let root = fixture("tree/src/lib.rs");
    let lazy = module_tree(&root);
    let eager = ModuleTree::build(&root, ScanOptions { parse_all: true });
    assert_eq!(lazy.modules(), eager.modules());
    assert_eq!(lazy.files_read(), eager.files_read());
    assert_eq!(eager.diagnostics(), &[]);
}

// ---- targets ------------------------------------------------------------------------------

fn target_list(name: &str, examples: bool) -> Vec<(TargetKind, String, String, String)> {
    let base = fixture(name);
    targets(&base, examples)
        .expect("targets")
        .into_iter()
        .map(|t| (t.kind, t.name, t.crate_name, rel(&base, &t.root)))
        .collect()
}

fn t(
    kind: TargetKind,
    name: &str,
    crate_name: &str,
    root: &str,
) -> (TargetKind, String, String, String) {
    (
        kind,
        name.to_owned(),
        crate_name.to_owned(),
        root.to_owned(),
    )
}

#[test]
fn targets_follow_cargo_inference() {
    use TargetKind::{Bin, Example, Lib};
    assert_eq!(
        target_list("targets", true),
        [
            t(Lib, "my-app", "my_app", "src/lib.rs"),
            t(Bin, "custom-tool", "custom_tool", "tools/custom.rs"),
            t(Bin, "my-app", "my_app", "src/main.rs"),
            t(Bin, "one", "one", "src/bin/one.rs"),
            t(Bin, "two", "two", "src/bin/two/main.rs"),
            t(Example, "multi", "multi", "examples/multi/main.rs"),
            t(Example, "simple", "simple", "examples/simple.rs"),
        ]
    );
}

#[test]
fn examples_only_when_asked() {
    let without = target_list("targets", false);
    assert_eq!(without.len(), 5);
    assert!(
        without
            .iter()
            .all(|(kind, ..)| *kind != TargetKind::Example)
    );
}

#[test]
fn autodiscovery_off_keeps_only_declared_targets() {
    use TargetKind::{Bin, Example, Lib};
    assert_eq!(
        target_list("targets_off", true),
        [
            t(Lib, "renamed-lib", "renamed_lib", "src/renamed.rs"),
            t(Bin, "only", "only", "src/only.rs"),
            // Declared without `path`: still inferred from examples/, as cargo does.
            t(Example, "declared", "declared", "examples/declared.rs"),
        ]
    );
}

#[test]
fn a_bad_manifest_is_located() {
    let error = targets(&fixture("bad_manifest"), false).expect_err("invalid");
    let ScanError::Manifest(diagnostic) = &error else {
        panic!("unexpected error: {error}");
    };
    assert_eq!(diagnostic.line, 3);
    assert_eq!(diagnostic.file, fixture("bad_manifest/Cargo.toml"));
    assert!(error.to_string().contains("Cargo.toml:3:"), "{error}");
}

#[test]
fn a_virtual_or_missing_manifest_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(matches!(
        targets(dir.path(), false),
        Err(ScanError::Read { .. })
    ));
    fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").expect("write");
    assert!(matches!(
        targets(dir.path(), false),
        Err(ScanError::Target { .. })
    ));
}

#[test]
fn a_declared_bin_without_a_file_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"x\"\nedition = \"2024\"\n\n[[bin]]\nname = \"ghost\"\n",
    )
    .expect("write");
    let error = targets(dir.path(), false).expect_err("no file for ghost");
    assert!(error.to_string().contains("ghost"), "{error}");
}
