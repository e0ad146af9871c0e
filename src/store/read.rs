//! Opening a saved set: our JSON set, a raw API response, JSONL of items, our CSV/TSV. Rows
//! are handed out in chunks as they are read, so a caller can show the first screen long
//! before a big file is through; a bad row is reported with its line and skipped.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::api::response::{Backlink, Row};

use super::atomic::read_reason;
use super::{Format, SetMeta, StoreError, csv, json, jsonl};

/// Rows per chunk handed to the sink.
pub const CHUNK_ROWS: usize = 2000;

/// What reading a file produced, in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadEvent {
    /// The set's own description (JSON sets and raw API responses; may come after rows).
    Meta(Box<SetMeta>),
    /// The next rows, shared so the explorer keeps them as they are.
    Rows(Vec<Row>),
    /// A row that could not be read; the rows around it are kept.
    BadLine { line: u64, reason: String },
}

/// Counts after a whole file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub rows: u64,
    pub bad_lines: u64,
    /// The last line read, where a reader counts lines (JSONL, CSV, sets as this app writes
    /// them).
    pub last_line: u64,
}

/// Receives what is read; returning `false` stops reading (the reader went away).
pub type Sink<'a> = dyn FnMut(ReadEvent) -> bool + 'a;

/// Reads `path`, whichever supported shape it has, handing rows to `sink` in chunks of
/// about `chunk` rows.
pub fn read_file(
    path: &Path,
    chunk: usize,
    mut sink: impl FnMut(ReadEvent) -> bool,
) -> Result<ReadSummary, StoreError> {
    let chunk = chunk.max(1);
    let sink: &mut Sink<'_> = &mut sink;
    match detect(path)? {
        // Our set or a raw API response (one JSON document).
        Format::Json => json::read(path, chunk, sink),
        Format::Jsonl => jsonl::read(path, chunk, sink),
        Format::Csv => csv::read(path, b',', chunk, sink),
        Format::Tsv => csv::read(path, b'\t', chunk, sink),
    }
}

/// A whole file read into memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedSet {
    pub rows: Vec<Backlink>,
    pub meta: Option<SetMeta>,
    /// Line (or item) number and reason of each row that could not be read.
    pub bad: Vec<(u64, String)>,
}

/// Reads a whole file into memory.
pub fn read_all(path: &Path) -> Result<LoadedSet, StoreError> {
    let mut set = LoadedSet::default();
    read_file(path, CHUNK_ROWS, |ev| {
        match ev {
            ReadEvent::Rows(r) => set.rows.extend(r.into_iter().map(Row::unwrap_or_clone)),
            ReadEvent::Meta(m) => set.meta = Some(*m),
            ReadEvent::BadLine { line, reason } => set.bad.push((line, reason)),
        }
        true
    })?;
    Ok(set)
}

/// The format of `path`: by extension, else by its first bytes.
pub fn detect(path: &Path) -> Result<Format, StoreError> {
    let meta =
        std::fs::metadata(path).map_err(|e| StoreError::read(path, read_reason(path, &e)))?;
    if meta.is_dir() {
        return Err(StoreError::read(path, "it is a folder"));
    }
    if let Some(format) = Format::from_path(path) {
        return Ok(format);
    }
    let file = File::open(path).map_err(|e| StoreError::read(path, read_reason(path, &e)))?;
    let mut first = String::new();
    BufReader::new(file)
        .take(1 << 20)
        .read_line(&mut first)
        .map_err(|e| StoreError::read(path, read_reason(path, &e)))?;
    let line = first.trim();
    Ok(if line.starts_with('[') {
        Format::Json
    } else if line.starts_with('{') {
        // A whole object on the first line that is not a set or a response: JSONL of items.
        match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line) {
            Ok(obj) if !obj.contains_key("tasks") && !obj.contains_key("format") => Format::Jsonl,
            _ => Format::Json,
        }
    } else if line.contains('\t') && !line.contains(',') {
        Format::Tsv
    } else {
        Format::Csv
    })
}
