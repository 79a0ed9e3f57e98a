//! Reading, listing, writing and removing the generated files, with the path in every error.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, io};

/// The bytes of `path`, or `None` when it does not exist.
pub(super) fn read(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("read", path)(e)),
    }
}

/// The files of `dir` whose names end with `suffix`, sorted; none when `dir` does not exist.
pub(super) fn list(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>, Error> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("list", dir)(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io("list", dir))?;
        let is_file = entry.file_type().map_err(io("list", dir))?.is_file();
        if is_file && entry.file_name().to_string_lossy().ends_with(suffix) {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, renamed over
/// `path`, so a reader never sees half a file. Creates the folder when needed.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io("create", dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temp)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(io("write", &temp))
        .and_then(|()| fs::rename(&temp, path).map_err(io("replace", path)));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Removes `path`, then its folder if that leaves it empty.
pub(super) fn remove(path: &Path) -> Result<(), Error> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(io("remove", path)(e)),
    }
    if let Some(dir) = path.parent() {
        // Fails, as wanted, when anything is left in it.
        let _ = fs::remove_dir(dir);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_removes_empty_folders() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("config-schema").join("a.schema.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(read(&path).unwrap().as_deref(), Some(&b"two"[..]));
        assert_eq!(
            list(&temp.path().join("config-schema"), ".schema.json").unwrap(),
            vec![path.clone()]
        );
        remove(&path).unwrap();
        assert_eq!(read(&path).unwrap(), None);
        assert!(!temp.path().join("config-schema").exists());
        assert!(
            list(&temp.path().join("nowhere"), ".json")
                .unwrap()
                .is_empty()
        );
    }
}
