//! The row store: a million rows in a few hundred megabytes, for opened files and live API
//! pages alike.
//!
//! # Design
//!
//! A row is a [`RowId`] (its place in the file, `u32`). The store keeps, per row, only what
//! the table's sort, the filter, search and statistics read for *every* row, in compact
//! columns ([`columns`], about 120 bytes a row, each as narrow as its values allow:
//! [`narrow`]):
//! - numbers (`i32` while they fit, else `i64`; a sentinel for null) — the twelve counts and
//!   scores and the three `ranked_keywords_info` counts;
//! - true/false as two bits (null, false, true), the nine in one `u32`;
//! - dates as `u32` seconds since 1970, which order exactly as the API's text does (a
//!   date of another shape or before 1970 keeps its text aside, by row);
//! - repeated short text dictionary-encoded as 8-, 16- or 32-bit codes: `type`, `domain_from`,
//!   `domain_to`, `tld_from`, `domain_from_ip`, `domain_from_country`, `page_from_encoding`,
//!   `page_from_language`, `item_type`, `semantic_location`; the two lists
//!   (`domain_from_platform_type`, `attributes`) as one code per distinct list.
//!
//! Which field goes to which column is one table, [`slots`].
//!
//! Everything else — URLs, title, anchor, `text_pre`/`text_post`, `alt`, `image_url`,
//! `indirect_link_path` and fields this version does not know — stays in the row's bytes:
//! per row the store keeps only their place (`u64` offset + `u32` length). Whatever needs the
//! whole item (rows on screen, the detail panel, text filters, `/` search, saving) reads the
//! bytes back with a positioned read and decodes them ([`RowStore::row`]; one row is a few
//! microseconds). Scans read many consecutive rows with one read ([`RowStore::scan`]).
//!
//! Why positioned reads rather than a mapping: `unsafe_code` is forbidden, and a mapped file
//! counts as resident once touched; the OS page cache keeps read ranges hot anyway.
//!
//! The bytes of a row are its JSON text (JSONL, a JSON array, our set) or its CSV/TSV record,
//! as they are in the file ([`RowFormat`]). API pages (and any file the fast indexers do not
//! take, such as a raw API response) go to a spill file: an unlinked temporary file holding
//! each item's JSON, read back the same way, so live browsing also costs only the columns per
//! row.
//!
//! # Indexing
//!
//! [`index`] (JSON) and [`index_csv`] build the store from a file on every core: the file is
//! cut into parts at record boundaries, each part is read in blocks with `read_at` and its
//! records decoded only as far as the columns need ([`compact`]: borrowed keys, long text
//! checked to be text and skipped), and the parts' columns are appended in order (their
//! dictionaries merged). A part boundary inside a JSON array or a CSV file cannot be known
//! without reading everything before it, so the later parts start at a *guessed* boundary and
//! the first part checks the guess when it gets there; a wrong guess (rare: a `},{` inside a
//! nested list) throws the later parts away and the first part goes on alone. Bad records are
//! reported by line (item for a JSON array) and skipped; the good ones are kept.
//!
//! # A file that changes
//!
//! The store keeps the file open and its size, time and inode from when it was indexed
//! ([`source`]). Every read checks them first: a file truncated, written to, removed or
//! replaced gives [`RowsError::Changed`], never rows from the new content at the old places.
//!
//! # Queries
//!
//! [`query`]: sort by a column (nulls last both ways, as [`crate::order`] does; ties in file
//! order), the sort keys of the columns for the explorer's own sort, filter with
//! every operator (a condition on a column is tested on the column — once per dictionary
//! entry for dictionary columns —, a condition on long text reads the rows back, decoding
//! only the fields it names), and scans for search.

pub mod columns;
pub mod compact;
pub mod csv_split;
pub mod index;
pub mod index_csv;
pub mod narrow;
pub mod page;
pub mod query;
pub mod scan;
pub mod slots;
pub mod source;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::api::fields::FieldSpec;
use crate::api::response::Backlink;

use columns::Columns;
use source::Source;

/// A row of the store: its place in the file (or in arrival order for pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowId(pub u32);

impl RowId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What can go wrong opening or reading rows.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum RowsError {
    #[error("cannot read {}: {reason}", path.display())]
    Io { path: PathBuf, reason: String },
    #[error("{} changed while it was open: {reason}; open it again", path.display())]
    Changed { path: PathBuf, reason: String },
    #[error("{}: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
    #[error("{}: row {row}: {reason}", path.display())]
    Row {
        path: PathBuf,
        row: u64,
        reason: String,
    },
}

/// How a row's bytes are decoded.
#[derive(Debug, Clone)]
pub enum RowFormat {
    /// One item's JSON text.
    Json,
    /// One CSV/TSV record under the file's header.
    Delimited {
        delimiter: u8,
        cols: Vec<Option<&'static FieldSpec>>,
    },
}

/// A bad record met while indexing: its line (item number in a JSON array) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub line: u64,
    pub reason: String,
}

/// The rows of one file or of the pages loaded so far.
#[derive(Debug)]
pub struct RowStore {
    cols: Columns,
    offsets: Vec<u64>,
    lens: Vec<u32>,
    /// A hash of each row's bytes, checked when they are read back: a file rewritten in
    /// place within the file system's time resolution still never gives a wrong row.
    hashes: Vec<u32>,
    source: Source,
    format: RowFormat,
    bad: Vec<BadRecord>,
}

/// The hash kept of a row's bytes.
pub(crate) fn fingerprint(bytes: &[u8]) -> u32 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x5eed).hash_one(bytes) as u32
}

impl RowStore {
    pub(crate) fn from_parts(
        cols: Columns,
        offsets: Vec<u64>,
        lens: Vec<u32>,
        hashes: Vec<u32>,
        source: Source,
        format: RowFormat,
        bad: Vec<BadRecord>,
    ) -> RowStore {
        RowStore {
            cols,
            offsets,
            lens,
            hashes,
            source,
            format,
            bad,
        }
    }

    /// An empty store whose rows will be API items, spilled to an unlinked file in `dir`.
    pub fn for_pages(dir: &Path) -> Result<RowStore, RowsError> {
        Ok(RowStore::from_parts(
            Columns::default(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Source::spill(dir)?,
            RowFormat::Json,
            Vec::new(),
        ))
    }

    /// Opens and indexes a file of any supported shape.
    pub fn open(path: &Path) -> Result<RowStore, RowsError> {
        use crate::store::Format;
        let format = crate::store::read::detect(path).map_err(|e| RowsError::Io {
            path: path.to_owned(),
            reason: e.without_path(),
        })?;
        let empty = std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
        match format {
            _ if empty => index::index_jsonl(path),
            Format::Csv => index_csv::index(path, b','),
            Format::Tsv => index_csv::index(path, b'\t'),
            Format::Jsonl => index::index_jsonl(path),
            Format::Json => index::index_json(path),
        }
    }

    pub fn len(&self) -> usize {
        self.cols.len
    }

    pub fn is_empty(&self) -> bool {
        self.cols.len == 0
    }

    /// The compact columns.
    pub fn columns(&self) -> &Columns {
        &self.cols
    }

    /// Records that could not be read when the file was indexed.
    pub fn bad_records(&self) -> &[BadRecord] {
        &self.bad
    }

    /// Whether the file is still as it was indexed (see [`source::Source::check`]).
    pub fn check(&self) -> Result<(), RowsError> {
        self.source.check()
    }

    /// Heap bytes per row held by the store (columns, dictionaries, places).
    pub fn heap_bytes(&self) -> usize {
        self.cols.heap_bytes() + self.offsets.len() * 16
    }

    /// Appends one item (its JSON text and its column values) to a page store.
    pub fn push_item(&mut self, json: &[u8], compact: &compact::CompactRow<'_>) {
        let at = self.source.append(json);
        self.push_at(at, json, compact);
    }

    /// Adds a row whose bytes `json` are already in the spill file at `at`.
    fn push_at(&mut self, at: u64, json: &[u8], compact: &compact::CompactRow<'_>) {
        self.offsets.push(at);
        self.lens.push(json.len() as u32);
        self.hashes.push(fingerprint(json));
        self.cols.push(compact);
    }

    /// Appends whole items (a file the fast indexers do not take).
    pub fn push_items(&mut self, items: &[Backlink]) -> Result<(), RowsError> {
        for item in items {
            let json = serde_json::to_vec(item).map_err(|e| self.row_error(self.len(), &e))?;
            let compact = compact::CompactRow::from_json(&json)
                .map_err(|e| self.row_error(self.len(), &e))?;
            let compact = compact_owned(compact);
            self.push_item(&json, &compact);
        }
        self.source.flush()
    }

    /// Room for `n` more rows.
    pub fn reserve(&mut self, n: usize) {
        self.cols.reserve(n);
        self.offsets.reserve(n);
        self.lens.reserve(n);
        self.hashes.reserve(n);
    }

    /// The file behind the rows (the spill file's former name for pages).
    pub fn source_path(&self) -> &Path {
        self.source.path()
    }

    /// Writes appended items out of memory.
    pub fn flush(&mut self) -> Result<(), RowsError> {
        self.source.flush()
    }

    fn row_error(&self, row: usize, e: &impl std::fmt::Display) -> RowsError {
        RowsError::Row {
            path: self.source.path().to_owned(),
            row: row as u64 + 1,
            reason: e.to_string(),
        }
    }

    /// The bytes of row `id` (read now).
    pub fn row_bytes(&self, id: RowId, buf: &mut Vec<u8>) -> Result<(), RowsError> {
        let i = id.index();
        self.source
            .read(self.offsets[i], self.lens[i] as usize, buf)?;
        self.verify(i, buf)
    }

    /// Whether row `i`'s bytes are still the ones indexed.
    fn verify(&self, i: usize, bytes: &[u8]) -> Result<(), RowsError> {
        if fingerprint(bytes) == self.hashes[i] {
            Ok(())
        } else {
            Err(RowsError::Changed {
                path: self.source.path().to_owned(),
                reason: format!("row {} is not what it was when the file was opened", i + 1),
            })
        }
    }

    /// Row `id` as a whole item.
    pub fn row(&self, id: RowId) -> Result<Backlink, RowsError> {
        let mut buf = Vec::new();
        self.row_bytes(id, &mut buf)?;
        self.decode(id, &buf, None)
    }

    /// The items of `ids` (the rows on screen), in that order.
    pub fn rows(&self, ids: &[RowId]) -> Result<Vec<Backlink>, RowsError> {
        let mut buf = Vec::new();
        ids.iter()
            .map(|&id| {
                self.row_bytes(id, &mut buf)?;
                self.decode(id, &buf, None)
            })
            .collect()
    }

    /// Decodes a row's bytes; with `only`, JSON rows fill just the fields it accepts.
    pub fn decode(
        &self,
        id: RowId,
        bytes: &[u8],
        only: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Backlink, RowsError> {
        let item = match (&self.format, only) {
            (RowFormat::Json, None) => match std::str::from_utf8(bytes) {
                Ok(text) => serde_json::from_str(text),
                Err(_) => serde_json::from_slice(bytes),
            }
            .map_err(|e| e.to_string()),
            (RowFormat::Json, Some(keep)) => {
                Backlink::from_json_only(bytes, keep).map_err(|e| e.to_string())
            }
            (RowFormat::Delimited { delimiter, cols }, only) => {
                index_csv::decode(bytes, *delimiter, cols, only)
            }
        };
        item.map_err(|reason| self.row_error(id.index(), &reason))
    }

    /// Reads rows `from..to` (in file order) in batches, one read per batch, handing each
    /// row's id and bytes to `each`; stops early when `each` returns false.
    pub fn scan(
        &self,
        from: usize,
        to: usize,
        mut each: impl FnMut(RowId, &[u8]) -> Result<bool, RowsError>,
    ) -> Result<(), RowsError> {
        const BATCH_BYTES: u64 = 4 << 20;
        let mut buf = Vec::new();
        let mut i = from;
        while i < to {
            let start = self.offsets[i];
            let mut j = i + 1;
            while j < to && self.offsets[j] + u64::from(self.lens[j]) - start <= BATCH_BYTES {
                j += 1;
            }
            let end = self.offsets[j - 1] + u64::from(self.lens[j - 1]);
            self.source.read(start, (end - start) as usize, &mut buf)?;
            for k in i..j {
                let at = (self.offsets[k] - start) as usize;
                let row = &buf[at..at + self.lens[k] as usize];
                self.verify(k, row)?;
                if !each(RowId(k as u32), row)? {
                    return Ok(());
                }
            }
            i = j;
        }
        Ok(())
    }
}

/// A compact row with its borrowed text copied (for rows whose JSON is not kept alive).
fn compact_owned(row: compact::CompactRow<'_>) -> compact::CompactRow<'static> {
    use std::borrow::Cow;
    let own = |c: Option<Cow<'_, str>>| c.map(|s| Cow::Owned(s.into_owned()));
    compact::CompactRow {
        nums: row.nums,
        bools: row.bools,
        dates: row.dates,
        odd_dates: row.odd_dates.map(own),
        dicts: row.dicts.map(own),
        lists: row
            .lists
            .map(|l| l.map(|v| v.into_iter().map(|s| Cow::Owned(s.into_owned())).collect())),
    }
}
