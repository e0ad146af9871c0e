//! Streaming writers: rows are appended as they arrive and the file appears, whole, on
//! `finish`. Dropping a writer without finishing leaves any old file untouched.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};

use crate::api::request::LiveRequest;
use crate::api::response::Backlink;

use super::atomic::{AtomicFile, reason};
use super::{Format, SetMeta, StoreError, csv, json, jsonl};

/// What is known only at the end of a set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SetEnd {
    pub total_count: Option<u64>,
    pub cost: f64,
    pub partial: bool,
}

/// A set being written.
#[derive(Debug)]
pub struct SetWriter {
    path: PathBuf,
    out: Out,
    rows: u64,
}

#[derive(Debug)]
enum Out {
    Delimited(Box<csv::DelimitedWriter>),
    Json(AtomicFile),
    Jsonl(AtomicFile),
}

impl SetWriter {
    /// Starts `path` in `format`. `query` and `fetched_at` go into a JSON set's head; the
    /// other formats hold rows only.
    pub fn create(
        path: &Path,
        format: Format,
        query: Option<&LiveRequest>,
        fetched_at: Option<&str>,
    ) -> Result<SetWriter, StoreError> {
        let mut file = AtomicFile::create(path)?;
        let path = file.path().to_owned();
        let out = match format {
            Format::Csv => Out::Delimited(Box::new(csv::DelimitedWriter::new(file, b',')?)),
            Format::Tsv => Out::Delimited(Box::new(csv::DelimitedWriter::new(file, b'\t')?)),
            Format::Json => {
                json::write_head(&mut file, query, fetched_at)
                    .map_err(|e| StoreError::write(&path, reason(&e)))?;
                Out::Json(file)
            }
            Format::Jsonl => Out::Jsonl(file),
        };
        Ok(SetWriter { path, out, rows: 0 })
    }

    /// Appends one item.
    pub fn write(&mut self, item: &Backlink) -> Result<(), StoreError> {
        let result = match &mut self.out {
            Out::Delimited(w) => w.write_item(item).map_err(|e| csv::csv_reason(&e)),
            Out::Json(f) => json::write_item(f, item, self.rows == 0).map_err(|e| reason(&e)),
            Out::Jsonl(f) => jsonl::write_item(f, item).map_err(|e| reason(&e)),
        };
        result.map_err(|r| StoreError::write(&self.path, r))?;
        self.rows += 1;
        Ok(())
    }

    /// Appends items in order.
    pub fn write_all<'a, B: Borrow<Backlink> + 'a>(
        &mut self,
        items: impl IntoIterator<Item = &'a B>,
    ) -> Result<(), StoreError> {
        items.into_iter().try_for_each(|i| self.write(i.borrow()))
    }

    /// Completes the file and puts it in place; returns the number of rows.
    pub fn finish(self, end: &SetEnd) -> Result<u64, StoreError> {
        let path = self.path;
        let fail = |r: String| StoreError::write(&path, r);
        let file = match self.out {
            Out::Delimited(w) => w.into_inner().map_err(fail)?,
            Out::Json(mut f) => {
                json::write_tail(&mut f, end).map_err(|e| fail(reason(&e)))?;
                f
            }
            Out::Jsonl(f) => f,
        };
        file.commit()?;
        Ok(self.rows)
    }
}

/// Writes a whole set at once (atomically).
pub fn write_set<'a, B: Borrow<Backlink> + 'a>(
    path: &Path,
    format: Format,
    meta: &SetMeta,
    items: impl IntoIterator<Item = &'a B>,
) -> Result<u64, StoreError> {
    let mut w = SetWriter::create(
        path,
        format,
        meta.query.as_ref(),
        meta.fetched_at.as_deref(),
    )?;
    w.write_all(items)?;
    w.finish(&SetEnd {
        total_count: meta.total_count,
        cost: meta.cost,
        partial: meta.partial,
    })
}
