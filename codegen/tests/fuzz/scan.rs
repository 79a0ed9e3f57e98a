//! The scanner: the text scan on any input, against syn where syn parses, and the module walk
//! over trees of such files.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use harmony_codegen::generate;
use harmony_codegen::scan::{FileDecls, ModuleTree, ScanOptions};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::rust::{lines, soup, valid_file};

/// Checks that a 1-based `line:column` lies in `src`, or just past its end.
pub(crate) fn check_position(src: &str, line: usize, column: usize) -> Result<(), TestCaseError> {
    let lines: Vec<&str> = src.split('\n').collect();
    prop_assert!(
        (1..=lines.len()).contains(&line),
        "line {line} of {}",
        lines.len()
    );
    let chars = lines[line - 1].chars().count();
    prop_assert!(
        (1..=chars + 1).contains(&column),
        "column {column} of line {line}, which has {chars} characters"
    );
    Ok(())
}

/// The text scan never panics; when it gives up, it says where, inside the text; and when syn
/// parses the text, both find the same `mod` items.
fn scan_checks(src: &str) -> Result<(), TestCaseError> {
    let scanned = FileDecls::from_text(src);
    if let Err(error) = &scanned {
        // Positions are counted after the byte order mark, as syn counts them.
        let text = src.strip_prefix('\u{feff}').unwrap_or(src);
        check_position(text, error.line, error.column)?;
        prop_assert!(!error.message.is_empty());
    }
    if let Ok(parsed) = syn::parse_file(src) {
        prop_assert_eq!(scanned, Ok(FileDecls::from_syn(&parsed)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::cases(4096))]

    #[test]
    fn text_scan_survives_any_string(src in any::<String>()) {
        scan_checks(&src)?;
    }

    #[test]
    fn text_scan_survives_printable_ascii(src in "[ -~\n]{0,200}") {
        scan_checks(&src)?;
    }

    #[test]
    fn text_scan_survives_token_soup(src in soup()) {
        scan_checks(&src)?;
    }
}

proptest! {
    #![proptest_config(crate::cases(1536))]

    #[test]
    fn text_scan_agrees_with_syn_on_valid_files(src in valid_file()) {
        // The generator writes only valid Rust, so the comparison always runs.
        prop_assert!(syn::parse_file(&src).is_ok(), "the generator wrote invalid Rust");
        scan_checks(&src)?;
    }
}

/// Real Rust to break: the scanner's fixtures and this crate's own sources.
fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![manifest.join("tests/fixtures"), manifest.join("src")];
        let mut texts = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    texts.push(fs::read_to_string(&path).unwrap());
                }
            }
        }
        // Directory order differs between machines; the seeds should not.
        texts.sort();
        texts
    })
}

/// A change at some character of a file: text that opens or closes something, or a deletion.
#[derive(Debug, Clone)]
enum Edit {
    Insert(Index, &'static str),
    Delete(Index, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let inserted = select(
        &[
            "\"",
            "'",
            "/*",
            "*/",
            "//",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            "r#\"",
            "\"#",
            "#",
            "#!",
            "\n",
            "\\",
            "b'",
            "mod m;",
            "pub(crate) mod n;",
            "mod i { mod j; }",
            "é",
            "\u{200e}",
        ][..],
    );
    prop_oneof![
        3 => (any::<Index>(), inserted).prop_map(|(at, text)| Edit::Insert(at, text)),
        1 => (any::<Index>(), 1..24_usize).prop_map(|(at, len)| Edit::Delete(at, len)),
    ]
}

/// `text` with `edit` applied at a character boundary.
fn apply(text: &str, edit: &Edit) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    match edit {
        Edit::Insert(at, inserted) => {
            let at = boundaries[at.index(boundaries.len())];
            format!("{}{inserted}{}", &text[..at], &text[at..])
        }
        Edit::Delete(at, len) => {
            let start = at.index(boundaries.len());
            let end = (start + len).min(boundaries.len() - 1);
            format!("{}{}", &text[..boundaries[start]], &text[boundaries[end]..])
        }
    }
}

proptest! {
    #![proptest_config(crate::cases(4096))]

    #[test]
    fn text_scan_survives_edits_of_real_files(
        file in any::<Index>(),
        edits in vec(edit(), 1..4),
    ) {
        let mut text = corpus()[file.index(corpus().len())].clone();
        for edit in &edits {
            text = apply(&text, edit);
        }
        scan_checks(&text)?;
    }
}

/// Files a walk from `src/lib.rs` may reach, through `mod a;`, `mod b;`, `#[path]` and inline
/// modules with the names the generators use.
const CANDIDATES: &[&str] = &[
    "src/a.rs",
    "src/b/mod.rs",
    "src/c.rs",
    "src/type.rs",
    "src/net.rs",
    "src/a/a.rs",
    "src/a/b.rs",
    "src/a/c/mod.rs",
    "src/b/a.rs",
    "src/b/c.rs",
    "src/sub/a.rs",
    "src/x.rs",
    "x.rs",
    "t.rs",
];

/// `mod` items that lead to the candidates, or back to where the walk came from.
fn declaration() -> impl Strategy<Value = &'static str> {
    select(
        &[
            "mod a;",
            "pub mod b;",
            "mod c;",
            "mod r#type;",
            "pub(crate) mod net;",
            "#[path = \"../x.rs\"] mod x;",
            "#[path = \"x.rs\"] mod x;",
            "#[path = \"sub\"] mod sub { mod a; }",
            "mod a { mod c; pub mod b; }",
            "#[cfg(test)] #[path = \"../t.rs\"] mod t;",
            "#[path = \"lib.rs\"] mod again;",
            "#[path = \"a.rs\"] mod again;",
            "#[path = \"missing.rs\"] mod missing;",
            "#[derive(Config)] struct Cfg { a: u8 }",
            "#[derive(Config)] pub struct Pub { #[serde(flatten)] inner: Inner }",
            "struct Inner { b: Option<u8> }",
        ][..],
    )
}

/// A valid file that declares some of the candidates.
fn declaring_file() -> impl Strategy<Value = String> {
    (vec(declaration(), 1..6), valid_file()).prop_map(|(decls, rest)| {
        let decls = lines(&decls);
        // After the file's own inner attributes, if it has any.
        format!("{rest}\n{decls}")
    })
}

/// The contents of a file in a generated tree: mostly declarations of the other candidates,
/// sometimes anything.
fn tree_file() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => declaring_file(),
        2 => valid_file(),
        1 => soup(),
    ]
}

/// A root file and some of the candidate files, to write under a temporary directory.
fn tree() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let others: Vec<_> = CANDIDATES
        .iter()
        .map(|&path| proptest::option::of(tree_file()).prop_map(move |text| (path, text)))
        .collect();
    (declaring_file(), others).prop_map(|(root, others)| {
        let mut files = vec![("src/lib.rs", root)];
        files.extend(
            others
                .into_iter()
                .filter_map(|(path, text)| text.map(|t| (path, t))),
        );
        files
    })
}

/// What a walk found, as comparable data.
fn walk_summary(tree: &ModuleTree) -> String {
    format!("{:#?}\n{:#?}", tree.modules(), tree.diagnostics())
}

/// Whether syn parses every file the walk read.
fn all_parse(tree: &ModuleTree) -> bool {
    tree.files_read()
        .iter()
        .all(|file| matches!(tree.parsed(file), Some(Ok(_))))
}

/// Whether `path` is one of `files`, however it is spelled: walks keep `..` as written.
fn in_tree(files: &[PathBuf], path: &Path) -> bool {
    fs::canonicalize(path).is_ok_and(|path| files.contains(&path))
}

/// Every diagnostic names a file of the tree and a place inside it.
fn check_diagnostics(tree: &ModuleTree, files: &[PathBuf]) -> Result<(), TestCaseError> {
    for d in tree.diagnostics() {
        prop_assert!(in_tree(files, &d.file), "{d} names a file outside the tree");
        let text = fs::read_to_string(&d.file).unwrap();
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        check_position(text, d.line, d.column)?;
    }
    Ok(())
}

fn walk_checks(dir: &Path, files: &[PathBuf]) -> Result<(), TestCaseError> {
    let root = dir.join("src/lib.rs");
    let lazy = ModuleTree::build(&root, ScanOptions { parse_all: false });
    let eager = ModuleTree::build(&root, ScanOptions { parse_all: true });
    for tree in [&lazy, &eager] {
        check_diagnostics(tree, files)?;
        let mut sorted = tree.files_read().to_vec();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(tree.files_read(), &sorted[..]);
        for module in tree.modules() {
            prop_assert!(tree.files_read().contains(&module.path));
            prop_assert_eq!(module.module_path.len(), module.path_vis.len());
        }
        for item in tree.config_items() {
            prop_assert!(tree.files_read().iter().any(|f| f == item.file));
        }
    }
    // Where every file is valid Rust, reading only marker files with syn finds what reading
    // every file with syn finds.
    if all_parse(&lazy) {
        prop_assert_eq!(walk_summary(&lazy), walk_summary(&eager));
    }
    // The same walk twice is the same walk.
    let again = ModuleTree::build(&root, ScanOptions { parse_all: false });
    prop_assert_eq!(walk_summary(&lazy), walk_summary(&again));

    // The whole pipeline over the tree: no panic, and every problem has a place.
    let generated = generate::target(dir, &root);
    for problem in &generated.diagnostics {
        prop_assert!(
            in_tree(files, &problem.file),
            "{problem} is outside the tree"
        );
        prop_assert!(problem.line >= 1 && problem.column >= 1, "{problem}");
    }
    prop_assert_eq!(generated.source.is_some(), !generated.failed());
    Ok(())
}

proptest! {
    #![proptest_config(crate::cases(256))]

    #[test]
    fn module_walk_survives_any_tree(files in tree()) {
        let dir = tempfile::tempdir().unwrap();
        let mut written = Vec::new();
        for (path, text) in &files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
            written.push(fs::canonicalize(&path).unwrap());
        }
        walk_checks(dir.path(), &written)?;
    }
}
