//! Private directories and files: values and tokens are readable by their owner only.

use std::fs::{DirBuilder, File, OpenOptions};
use std::path::Path;

use crate::ConfigError;

/// Creates `dir` and its missing parents with mode 0700. Existing directories keep their mode.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), ConfigError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| ConfigError::io("create the directory", dir, e))
}

/// Opens `path` for reading and writing, creating it with mode 0600 if it does not exist. An
/// existing file keeps its contents and its mode.
pub(crate) fn open_private_file(path: &Path) -> Result<File, ConfigError> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| ConfigError::io("open", path, e))
}
