//! Saved result sets and the page cache.
//!
//! - `atomic`: every file is written to a temporary sibling, synced, then renamed over the
//!   target, so a failed write leaves the old file as it was;
//! - `write`: streaming writers for CSV, TSV, our JSON set and JSONL (rows appended as they
//!   arrive, so memory does not grow with the size of an export);
//! - `csv`, `json`, `jsonl`: the formats, each writer beside its reader;
//! - `read`: opens any of them (and a raw API response), rows delivered in chunks;
//! - `cache`: the SQLite page cache, a `PageSource` wrapper shared by explorer and export.

pub mod atomic;
mod blocks;
pub mod cache;
pub mod csv;
pub mod json;
pub mod jsonl;
pub mod read;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::api::request::LiveRequest;

pub use read::{ReadEvent, ReadSummary, read_file};
pub use write::{SetEnd, SetWriter, write_set};

/// The `format` value of our JSON set.
pub const SET_FORMAT: &str = "backlinks-set/1";

/// Everything that can go wrong reading or writing a file or the cache. Messages name the
/// file and the reason, ready for the status bar or stderr.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot write {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("cannot read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{}: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
    #[error("page cache: {0}")]
    Cache(String),
}

impl StoreError {
    pub(crate) fn write(path: &Path, reason: impl fmt::Display) -> Self {
        StoreError::Write {
            path: path.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// The message without the file's name, for a screen that already shows it.
    pub fn without_path(&self) -> String {
        match self {
            StoreError::Write { reason, .. } => format!("cannot write it: {reason}"),
            StoreError::Read { reason, .. } => format!("cannot read it: {reason}"),
            StoreError::Format { reason, .. } => reason.clone(),
            StoreError::Cache(_) => self.to_string(),
        }
    }

    pub(crate) fn read(path: &Path, reason: impl fmt::Display) -> Self {
        StoreError::Read {
            path: path.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// A file format, chosen by extension or by `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated, one column per top-level field in catalogue order.
    Csv,
    /// Tab-separated, same columns.
    Tsv,
    /// Our saved set: `{"format":"backlinks-set/1",…,"items":[…]}`.
    Json,
    /// One item per line.
    Jsonl,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Csv, Format::Tsv, Format::Json, Format::Jsonl];

    /// The extension (and `--format` name).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
        }
    }

    /// The format a file name asks for (case-insensitive; `.ndjson` counts as JSONL).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "ndjson" => Some(Format::Jsonl),
            other => other.parse().ok(),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("'{s}' is not one of csv, tsv, json, jsonl"))
    }
}

/// What a saved set says about itself besides its items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SetMeta {
    /// The request the rows answer (paging fields unset).
    pub query: Option<LiveRequest>,
    /// When the rows were fetched, `YYYY-MM-DD HH:MM:SS +00:00`.
    pub fetched_at: Option<String>,
    /// The query's `total_count` when it was fetched.
    pub total_count: Option<u64>,
    /// USD paid for the rows (0 for cached pages).
    pub cost: f64,
    /// Not every row of the query is in the file (an export stopped early).
    pub partial: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        let f = |p: &str| Format::from_path(Path::new(p));
        assert_eq!(f("a/b.csv"), Some(Format::Csv));
        assert_eq!(f("x.TSV"), Some(Format::Tsv));
        assert_eq!(f("x.json"), Some(Format::Json));
        assert_eq!(f("x.jsonl"), Some(Format::Jsonl));
        assert_eq!(f("x.ndjson"), Some(Format::Jsonl));
        assert_eq!(f("x.xlsx"), None);
        assert_eq!(f("noext"), None);
        assert!("parquet".parse::<Format>().is_err());
    }
}
