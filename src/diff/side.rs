//! One side of a diff (OLD or NEW): per row only its two hashes and its place, and reading
//! back the few rows the output needs.
//!
//! JSONL (what `export` writes for big sets) has the fast path: the file is cut into parts
//! at line breaks and read on every core with positioned reads (the row store's
//! `for_each_line`), each line reduced by [`extract`]; a row is read back by its offset.
//! Every other shape (our JSON set, CSV/TSV, a raw API response) goes through the normal
//! reader, a row's place being its number among the good rows, and is read again, streaming,
//! for the rows the output needs.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::api::response::Backlink;
use crate::fetch::export::manifest;
use crate::rows::index::{for_each_line, line_cuts, on_threads, parts_for};
use crate::store::read::{CHUNK_ROWS, detect};
use crate::store::{Format, ReadEvent, SetMeta, read_file};

use super::DiffError;
use super::fields::{Key, LinkFields, extract};

/// One row: its link's key, its compared values' hash, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: Key,
    pub values: u64,
    /// Byte offset (JSONL) or row number (other formats).
    pub at: u64,
    /// Byte length (JSONL); 0 otherwise.
    pub len: u32,
}

/// Bad rows named one by one; the rest are counted.
const NAMED_BAD: usize = 3;

/// A set, indexed.
#[derive(Debug)]
pub struct Side {
    pub path: PathBuf,
    pub format: Format,
    /// What the set (or its export manifest) says about itself.
    pub meta: Option<SetMeta>,
    pub entries: Vec<Entry>,
    /// Rows that could not be read (left out of the diff): how many, and the first few.
    pub bad_count: u64,
    pub bad: Vec<(u64, String)>,
    /// The file, kept open for reading rows back (JSONL).
    file: Option<File>,
}

impl Side {
    /// Indexes `path`, whichever shape `open` reads.
    pub fn index(path: &Path) -> Result<Side, DiffError> {
        let format = detect(path).map_err(|e| DiffError::Read(e.to_string()))?;
        let empty = std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
        let mut side = if format == Format::Jsonl || empty {
            index_jsonl(path)?
        } else {
            index_any(path, format)?
        };
        // JSONL and CSV carry no query: an export's manifest beside the file does.
        if side.meta.as_ref().is_none_or(|m| m.query.is_none())
            && let Some(m) = manifest::read_beside(path)
        {
            side.meta = Some(m.set_meta());
        }
        Ok(side)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The set's target, when it names one.
    pub fn target(&self) -> Option<&str> {
        self.meta
            .as_ref()?
            .query
            .as_ref()
            .map(|q| q.target.as_str())
    }

    /// Whether the set says it lacks rows of its query.
    pub fn partial(&self) -> bool {
        self.meta.as_ref().is_some_and(|m| m.partial)
    }

    /// Reads the rows `wanted` (indexes into [`Side::entries`], ascending) and hands each
    /// to `each` with its index, in that order. A row read back must still be the link it
    /// was when indexed, else the file changed in between.
    pub fn read_rows(
        &self,
        wanted: &[u32],
        mut each: impl FnMut(u32, Backlink) -> Result<(), DiffError>,
    ) -> Result<(), DiffError> {
        if wanted.is_empty() {
            return Ok(());
        }
        let changed = || {
            DiffError::Read(format!(
                "{} changed while it was compared; run the diff again",
                self.path.display()
            ))
        };
        let check = |i: u32, item: &Backlink| {
            if LinkFields::of(item).key() == self.entries[i as usize].key {
                Ok(())
            } else {
                Err(changed())
            }
        };
        if let Some(file) = &self.file {
            let mut buf = Vec::new();
            for &i in wanted {
                let e = self.entries[i as usize];
                buf.resize(e.len as usize, 0);
                file.read_exact_at(&mut buf, e.at).map_err(|_| changed())?;
                let item: Backlink = serde_json::from_slice(&buf).map_err(|_| changed())?;
                check(i, &item)?;
                each(i, item)?;
            }
            return Ok(());
        }
        let mut next = wanted.iter().copied().peekable();
        let mut row: u64 = 0;
        let mut failed = None;
        read_file(&self.path, CHUNK_ROWS, |ev| {
            let ReadEvent::Rows(rows) = ev else {
                return true;
            };
            for item in rows {
                if next.peek().is_some_and(|&w| u64::from(w) == row) {
                    let i = next.next().unwrap_or_default();
                    let item = std::sync::Arc::unwrap_or_clone(item);
                    if let Err(e) = check(i, &item).and_then(|()| each(i, item)) {
                        failed = Some(e);
                        return false;
                    }
                }
                row += 1;
            }
            next.peek().is_some()
        })
        .map_err(|e| DiffError::Read(e.to_string()))?;
        match failed {
            Some(e) => Err(e),
            None if next.peek().is_some() => Err(changed()),
            None => Ok(()),
        }
    }
}

/// The rows of one part of a JSONL file.
#[derive(Default)]
struct Part {
    entries: Vec<Entry>,
    lines: u64,
    bad_count: u64,
    /// (line within the part, 0-based; reason)
    bad: Vec<(u64, String)>,
}

fn jsonl_part(file: &File, start: u64, end: u64) -> std::io::Result<Part> {
    let mut part = Part::default();
    for_each_line(file, start, end, |offset, line| {
        let at = part.lines;
        part.lines += 1;
        let text = line.trim_ascii();
        if text.is_empty() {
            return;
        }
        match extract(text) {
            Ok(f) => {
                if part.entries.len() == 64 {
                    let per_row = (offset - start) / 64 + 1;
                    part.entries.reserve(((end - start) / per_row) as usize);
                }
                let lead = (text.as_ptr() as usize - line.as_ptr() as usize) as u64;
                part.entries.push(Entry {
                    key: f.key(),
                    values: f.values(),
                    at: offset + lead,
                    len: text.len() as u32,
                });
            }
            Err(e) => {
                part.bad_count += 1;
                if part.bad.len() < NAMED_BAD {
                    part.bad.push((at, json_reason(&e)));
                }
            }
        }
    })?;
    Ok(part)
}

fn index_jsonl(path: &Path) -> Result<Side, DiffError> {
    let io = |e: std::io::Error| DiffError::Read(format!("cannot read {}: {e}", path.display()));
    let file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let cuts = line_cuts(&file, 0, len, parts_for(len)).map_err(io)?;
    let f = &file;
    let parts = on_threads(cuts.len() - 1, |k| jsonl_part(f, cuts[k], cuts[k + 1]));
    let mut side = Side {
        path: path.to_owned(),
        format: Format::Jsonl,
        meta: None,
        entries: Vec::new(),
        bad_count: 0,
        bad: Vec::new(),
        file: None,
    };
    let mut lines = 0;
    for p in parts {
        let p = p.map_err(io)?;
        if side.entries.is_empty() {
            side.entries = p.entries;
        } else {
            side.entries.extend(p.entries);
        }
        side.bad_count += p.bad_count;
        for (at, reason) in p.bad {
            if side.bad.len() < NAMED_BAD {
                side.bad.push((lines + at + 1, reason));
            }
        }
        lines += p.lines;
    }
    side.file = Some(file);
    Ok(side)
}

fn index_any(path: &Path, format: Format) -> Result<Side, DiffError> {
    let mut side = Side {
        path: path.to_owned(),
        format,
        meta: None,
        entries: Vec::new(),
        bad_count: 0,
        bad: Vec::new(),
        file: None,
    };
    read_file(path, CHUNK_ROWS, |ev| {
        match ev {
            ReadEvent::Rows(rows) => {
                for item in rows {
                    let f = LinkFields::of(&item);
                    let at = side.entries.len() as u64;
                    side.entries.push(Entry {
                        key: f.key(),
                        values: f.values(),
                        at,
                        len: 0,
                    });
                }
            }
            ReadEvent::Meta(m) => side.meta = Some(*m),
            ReadEvent::BadLine { line, reason } => {
                side.bad_count += 1;
                if side.bad.len() < NAMED_BAD {
                    side.bad.push((line, reason));
                }
            }
        }
        true
    })
    .map_err(|e| DiffError::Read(e.to_string()))?;
    Ok(side)
}

/// A serde_json message without its "at line…" (the line is the record's own), with the
/// column within the record.
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    format!("{message} at column {}", e.column())
}
