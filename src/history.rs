//! The query history: every query run, one JSON object per line in `<data dir>/history.jsonl`,
//! appended as queries end and kept to the last [`MAX_ENTRIES`].

use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::api::request::{LiveRequest, MAX_LIMIT};

/// Entries kept; the file is cut back to this many once it grows a quarter past it.
pub const MAX_ENTRIES: usize = 1000;

/// One query run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Unix seconds when the query started (0: not known yet; the runtime stamps it).
    #[serde(default)]
    pub time: u64,
    /// The request as sent, without paging fields, `limit` being the page size: target,
    /// settings, filter and sort.
    pub request: LiveRequest,
    /// Rows loaded when the query was left.
    #[serde(default)]
    pub rows: u64,
    /// `total_count` of the query, when a page arrived.
    #[serde(default)]
    pub total: Option<u64>,
    /// USD spent on this query's pages.
    #[serde(default)]
    pub cost: f64,
}

impl HistoryEntry {
    /// The request to send again and its page size.
    pub fn request_and_page_size(&self) -> (LiveRequest, u32) {
        let mut r = self.request.clone();
        let page_size = r.limit.take().unwrap_or(MAX_LIMIT);
        r.offset = None;
        r.search_after_token = None;
        (r, page_size)
    }

    /// Settings that differ from the defaults, filter and sort, on one line.
    pub fn summary(&self) -> String {
        let r = &self.request;
        let mut s = String::new();
        let mut add = |part: String| {
            if !s.is_empty() {
                s.push_str(" · ");
            }
            s.push_str(&part);
        };
        if let Some(m) = r.mode {
            add(m.to_string());
        }
        if let Some(c) = &r.custom_mode {
            add(format!("{} per {}", c.value, c.field));
        }
        if let Some(st) = r.backlinks_status_type {
            add(format!("status {st}"));
        }
        if r.include_subdomains == Some(false) {
            add("no subdomains".into());
        }
        if r.include_indirect_links == Some(false) {
            add("no indirect".into());
        }
        if r.exclude_internal_backlinks == Some(false) {
            add("internal".into());
        }
        if let Some(f) = &r.filters {
            add(f.to_string());
        }
        if let Some(o) = &r.order_by {
            let keys: Vec<String> = o.iter().map(ToString::to_string).collect();
            add(format!("sort {}", keys.join(" ")));
        }
        s
    }
}

/// Reading or writing the history file failed.
#[derive(Debug, Error)]
#[error("history {}: {source}", path.display())]
pub struct HistoryError {
    pub path: PathBuf,
    pub source: io::Error,
}

fn err(path: &Path) -> impl FnOnce(io::Error) -> HistoryError + '_ {
    move |source| HistoryError {
        path: path.to_owned(),
        source,
    }
}

/// The entries of `path`, oldest first, and the number of lines that could not be read
/// (skipped: one bad line must not lose the rest). A missing file is an empty history.
pub fn load(path: &Path) -> Result<(Vec<HistoryEntry>, usize), HistoryError> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(err(path)(e)),
    };
    let mut bad = 0;
    let mut entries: Vec<HistoryEntry> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).inspect_err(|_| bad += 1).ok())
        .collect();
    if entries.len() > MAX_ENTRIES {
        entries.drain(..entries.len() - MAX_ENTRIES);
    }
    Ok((entries, bad))
}

/// Appends one entry, creating the folder and file as needed; cuts the file back to the last
/// [`MAX_ENTRIES`] when it has grown a quarter past that.
pub fn append(path: &Path, entry: &HistoryEntry) -> Result<(), HistoryError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(err(path))?;
    }
    let mut line = serde_json::to_string(entry).map_err(|e| err(path)(io::Error::other(e)))?;
    line.push('\n');
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(err(path))?;
    file.write_all(line.as_bytes()).map_err(err(path))?;
    drop(file);
    let text = fs::read_to_string(path).map_err(err(path))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() > MAX_ENTRIES + MAX_ENTRIES / 4 {
        let mut kept = String::new();
        for l in &lines[lines.len() - MAX_ENTRIES..] {
            let _ = writeln!(kept, "{l}");
        }
        crate::prefs::write_atomic(path, kept.as_bytes()).map_err(err(path))?;
    }
    Ok(())
}
