//! Small files of the data dir (views, the remembered columns, the cut-back history), replaced
//! atomically with `store::atomic` so a failed write leaves the old file as it was.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use crate::store::atomic::AtomicFile;

/// Replaces `path` with `bytes` atomically, creating its folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let mut file = AtomicFile::create(path).map_err(io::Error::other)?;
    file.write_all(bytes)?;
    file.commit().map_err(io::Error::other)
}
