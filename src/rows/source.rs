//! Where rows' bytes live: the opened file (read by position, never mapped), or, for API
//! pages, a spill file of the items' JSON that nobody else sees. Before every read the file is
//! checked against what was indexed, so a file changed underneath gives a clear error, never
//! rows from the new content at the old offsets.

use std::fs::File;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::RowsError;

/// What a file looked like when it was indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub dev: u64,
    pub ino: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }
}

/// The bytes behind the rows.
#[derive(Debug)]
pub struct Source {
    file: File,
    path: PathBuf,
    /// `Some` for an opened file (checked before reads); `None` for the spill file, which
    /// only this process writes.
    stamp: Option<Stamp>,
    /// Bytes written to the spill file so far.
    spilled: u64,
    /// Spill bytes not yet written (appended in pages).
    pending: Vec<u8>,
}

impl Source {
    /// An opened file as it was indexed.
    pub fn file(file: File, path: &Path, stamp: Stamp) -> Source {
        Source {
            file,
            path: path.to_owned(),
            stamp: Some(stamp),
            spilled: 0,
            pending: Vec::new(),
        }
    }

    /// A new, already unlinked spill file in `dir`.
    pub fn spill(dir: &Path) -> Result<Source, RowsError> {
        let name = format!(
            ".backlinks-rows-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let path = dir.join(name);
        let io = |e: std::io::Error| RowsError::Io {
            path: path.clone(),
            reason: e.to_string(),
        };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        std::fs::remove_file(&path).map_err(io)?;
        Ok(Source {
            file,
            path,
            stamp: None,
            spilled: 0,
            pending: Vec::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends bytes to the spill file; returns where they start.
    pub fn append(&mut self, bytes: &[u8]) -> u64 {
        let at = self.spilled + self.pending.len() as u64;
        self.pending.extend_from_slice(bytes);
        at
    }

    /// Writes `bytes` to the spill file at once (after anything gathered); returns where
    /// they start.
    pub fn write_now(&mut self, bytes: &[u8]) -> Result<u64, RowsError> {
        self.flush()?;
        self.write_at_end(bytes)
    }

    /// Writes what `append` gathered.
    pub fn flush(&mut self) -> Result<(), RowsError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        // Kept if the write fails, as before it was tried.
        let pending = std::mem::take(&mut self.pending);
        let written = self.write_at_end(&pending);
        self.pending = pending;
        written?;
        self.pending.clear();
        Ok(())
    }

    fn write_at_end(&mut self, bytes: &[u8]) -> Result<u64, RowsError> {
        let at = self.spilled;
        self.file.write_all_at(bytes, at).map_err(|e| self.io(&e))?;
        self.spilled += bytes.len() as u64;
        Ok(at)
    }

    fn io(&self, e: &std::io::Error) -> RowsError {
        RowsError::Io {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    /// Whether the opened file is still what was indexed: its open handle's size and time,
    /// then whether the path still names it.
    pub fn check(&self) -> Result<(), RowsError> {
        let Some(stamp) = self.stamp else {
            return Ok(());
        };
        let now = self.file.metadata().map_err(|e| self.io(&e))?;
        let now = Stamp::of(&now);
        if now.len != stamp.len || now.modified != stamp.modified {
            return Err(RowsError::Changed {
                path: self.path.clone(),
                reason: if now.len < stamp.len {
                    format!(
                        "it is shorter than when it was opened ({} of {} bytes)",
                        now.len, stamp.len
                    )
                } else {
                    "it was written to after it was opened".into()
                },
            });
        }
        match std::fs::metadata(&self.path) {
            Err(_) => Err(RowsError::Changed {
                path: self.path.clone(),
                reason: "it was removed or renamed after it was opened".into(),
            }),
            Ok(m) if (m.dev(), m.ino()) != (stamp.dev, stamp.ino) => Err(RowsError::Changed {
                path: self.path.clone(),
                reason: "another file was put in its place after it was opened".into(),
            }),
            Ok(_) => Ok(()),
        }
    }

    /// Reads `len` bytes at `offset` into `buf` (replacing its content), after checking the
    /// file.
    pub fn read(&self, offset: u64, len: usize, buf: &mut Vec<u8>) -> Result<(), RowsError> {
        self.check()?;
        buf.clear();
        let end = offset + len as u64;
        if end > self.spilled && self.stamp.is_none() {
            // Part of it is still in the pending buffer.
            let start_pending = offset.saturating_sub(self.spilled) as usize;
            if offset < self.spilled {
                buf.resize((self.spilled - offset) as usize, 0);
                self.file
                    .read_exact_at(buf, offset)
                    .map_err(|e| self.io(&e))?;
            }
            let stop = (end - self.spilled) as usize;
            buf.extend_from_slice(&self.pending[start_pending..stop]);
            return Ok(());
        }
        buf.resize(len, 0);
        self.file.read_exact_at(buf, offset).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                RowsError::Changed {
                    path: self.path.clone(),
                    reason: "it ended before a row it had when it was opened".into(),
                }
            } else {
                self.io(&e)
            }
        })
    }
}
