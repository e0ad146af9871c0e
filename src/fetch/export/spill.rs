//! Pages of a partitioned export kept on disk until the file can be written in order: one
//! JSON-lines file per page in a private folder that is removed when the export ends, so memory
//! stays flat however many rows there are.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::api::response::Backlink;
use crate::store::StoreError;
use crate::store::atomic::reason;

/// The folder of one export's pages; removed with everything in it when dropped.
#[derive(Debug)]
pub struct SpillDir {
    path: PathBuf,
    next: AtomicU64,
}

impl SpillDir {
    /// A new folder under the system's temporary folder.
    pub fn create() -> Result<Arc<SpillDir>, StoreError> {
        static RUNS: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "backlinks-export-{}-{nanos}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::SeqCst)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).map_err(|e| StoreError::write(&path, reason(&e)))?;
        Ok(Arc::new(SpillDir {
            path,
            next: AtomicU64::new(0),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `rows` to a new page file (blocking).
    pub fn write(&self, rows: &[Backlink]) -> Result<PageFile, StoreError> {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let path = self.path.join(format!("{n:07}.jsonl"));
        let fail = |e: &dyn std::fmt::Display| StoreError::write(&path, e.to_string());
        let file = File::create(&path).map_err(|e| fail(&reason(&e)))?;
        let mut out = BufWriter::with_capacity(256 * 1024, file);
        for row in rows {
            serde_json::to_writer(&mut out, row).map_err(|e| fail(&e))?;
            out.write_all(b"\n").map_err(|e| fail(&reason(&e)))?;
        }
        out.flush().map_err(|e| fail(&reason(&e)))?;
        Ok(PageFile {
            path,
            rows: rows.len() as u64,
        })
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        // Temporary pages only; a leftover folder in the temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// One page's rows on disk, in the API's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFile {
    pub path: PathBuf,
    pub rows: u64,
}

/// Reads the rows of page files one after the other, keeping those `keep` accepts.
pub struct Rows<F> {
    files: std::vec::IntoIter<Arc<PageFile>>,
    current: Option<BufReader<File>>,
    keep: F,
    line: String,
}

impl<F: FnMut(&Backlink) -> bool> Rows<F> {
    pub fn new(files: Vec<Arc<PageFile>>, keep: F) -> Rows<F> {
        Rows {
            files: files.into_iter(),
            current: None,
            keep,
            line: String::new(),
        }
    }

    /// The next kept row; `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<Backlink>, StoreError> {
        loop {
            let Some(reader) = self.current.as_mut() else {
                let Some(file) = self.files.next() else {
                    return Ok(None);
                };
                let f =
                    File::open(&file.path).map_err(|e| StoreError::read(&file.path, reason(&e)))?;
                self.current = Some(BufReader::with_capacity(256 * 1024, f));
                continue;
            };
            self.line.clear();
            let n = reader
                .read_line(&mut self.line)
                .map_err(|e| StoreError::Cache(format!("reading a spilled page: {e}")))?;
            if n == 0 {
                self.current = None;
                continue;
            }
            let row: Backlink = serde_json::from_str(&self.line)
                .map_err(|e| StoreError::Cache(format!("a spilled page is damaged: {e}")))?;
            if (self.keep)(&row) {
                return Ok(Some(row));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(rank: i64) -> Backlink {
        Backlink {
            rank: Some(rank),
            ..Backlink::default()
        }
    }

    #[test]
    fn pages_read_back_in_order_filtered_and_the_folder_goes_away() {
        let dir = SpillDir::create().unwrap();
        let a = Arc::new(dir.write(&[row(1), row(2), row(3)]).unwrap());
        let b = Arc::new(dir.write(&[row(4), row(5)]).unwrap());
        let mut rows = Rows::new(vec![a, b], |r| r.rank.unwrap() % 2 == 1);
        let mut got = Vec::new();
        while let Some(r) = rows.next_row().unwrap() {
            got.push(r.rank.unwrap());
        }
        assert_eq!(got, vec![1, 3, 5]);
        let path = dir.path().to_owned();
        assert!(path.exists());
        drop(rows);
        drop(dir);
        assert!(!path.exists());
    }
}
