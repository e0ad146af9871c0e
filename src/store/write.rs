//! Streaming writers: rows are appended as they arrive and the file appears, whole, on
//! `finish`. Dropping a writer without finishing leaves any old file untouched. A stream
//! (`export -o -`: stdout) gets the same bytes as a file would, each batch as it is written.

use std::borrow::Borrow;
use std::fmt;
use std::io::Write;
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
    Stream(Stream),
}

/// Rows going straight out to a stream: nothing to put in place at the end.
struct Stream {
    format: Format,
    /// CSV/TSV with the app's own fields first.
    local: bool,
    out: Box<dyn Write + Send>,
}

impl fmt::Debug for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stream")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl Stream {
    fn write(&mut self, item: &Backlink, first: bool) -> std::io::Result<()> {
        match self.format {
            Format::Csv => self
                .out
                .write_all(csv::item_text_with(item, b',', false, self.local).as_bytes()),
            Format::Tsv => self
                .out
                .write_all(csv::item_text_with(item, b'\t', false, self.local).as_bytes()),
            Format::Json => json::write_item(&mut self.out, item, first),
            Format::Jsonl => jsonl::write_item(&mut self.out, item),
        }
    }
}

/// The header line of CSV (`b','`) or TSV (`b'\t'`): the column names, none of which needs
/// quoting.
fn header_line(delimiter: u8, local: bool) -> String {
    let names: Vec<&str> = csv::columns_of(local).map(|f| f.name.as_str()).collect();
    let mut line = names.join(&char::from(delimiter).to_string());
    line.push('\n');
    line
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
        SetWriter::create_with(path, format, query, fetched_at, false)
    }

    /// [`SetWriter::create`], with the app's own fields (`change`, `changed_fields`) as the
    /// first CSV/TSV columns when `local` (JSON and JSONL write whichever fields a row has).
    pub fn create_with(
        path: &Path,
        format: Format,
        query: Option<&LiveRequest>,
        fetched_at: Option<&str>,
        local: bool,
    ) -> Result<SetWriter, StoreError> {
        let mut file = AtomicFile::create(path)?;
        let path = file.path().to_owned();
        let out = match format {
            Format::Csv => {
                Out::Delimited(Box::new(csv::DelimitedWriter::new_with(file, b',', local)?))
            }
            Format::Tsv => Out::Delimited(Box::new(csv::DelimitedWriter::new_with(
                file, b'\t', local,
            )?)),
            Format::Json => {
                json::write_head(&mut file, query, fetched_at)
                    .map_err(|e| StoreError::write(&path, reason(&e)))?;
                Out::Json(file)
            }
            Format::Jsonl => Out::Jsonl(file),
        };
        Ok(SetWriter { path, out, rows: 0 })
    }

    /// Starts a set on `out` (stdout), in `format`, as [`SetWriter::create`] would start a
    /// file; `name` is what error messages call it. The caller buffers `out`: it is flushed
    /// after every [`SetWriter::write_all`], so a reader sees each page as it comes and a
    /// reader gone away is noticed at once.
    pub fn to_stream(
        name: &Path,
        out: Box<dyn Write + Send>,
        format: Format,
        query: Option<&LiveRequest>,
        fetched_at: Option<&str>,
    ) -> Result<SetWriter, StoreError> {
        SetWriter::to_stream_with(name, out, format, query, fetched_at, false)
    }

    /// [`SetWriter::to_stream`], with the app's own fields first when `local` (as
    /// [`SetWriter::create_with`]).
    pub fn to_stream_with(
        name: &Path,
        mut out: Box<dyn Write + Send>,
        format: Format,
        query: Option<&LiveRequest>,
        fetched_at: Option<&str>,
        local: bool,
    ) -> Result<SetWriter, StoreError> {
        let head = match format {
            Format::Csv => out.write_all(header_line(b',', local).as_bytes()),
            Format::Tsv => out.write_all(header_line(b'\t', local).as_bytes()),
            Format::Json => json::write_head(&mut out, query, fetched_at),
            Format::Jsonl => Ok(()),
        };
        head.map_err(|e| StoreError::write(name, reason(&e)))?;
        Ok(SetWriter {
            path: name.to_owned(),
            out: Out::Stream(Stream { format, local, out }),
            rows: 0,
        })
    }

    /// Appends one item.
    pub fn write(&mut self, item: &Backlink) -> Result<(), StoreError> {
        let result = match &mut self.out {
            Out::Delimited(w) => w.write_item(item).map_err(|e| csv::csv_reason(&e)),
            Out::Json(f) => json::write_item(f, item, self.rows == 0).map_err(|e| reason(&e)),
            Out::Jsonl(f) => jsonl::write_item(f, item).map_err(|e| reason(&e)),
            Out::Stream(s) => s.write(item, self.rows == 0).map_err(|e| reason(&e)),
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
        items.into_iter().try_for_each(|i| self.write(i.borrow()))?;
        if let Out::Stream(s) = &mut self.out {
            s.out
                .flush()
                .map_err(|e| StoreError::write(&self.path, reason(&e)))?;
        }
        Ok(())
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
            Out::Stream(mut s) => {
                if s.format == Format::Json {
                    json::write_tail(&mut s.out, end).map_err(|e| fail(reason(&e)))?;
                }
                s.out.flush().map_err(|e| fail(reason(&e)))?;
                return Ok(self.rows);
            }
        };
        file.commit()?;
        Ok(self.rows)
    }
}

/// Writes a whole set at once (atomically). Rows of a diff (the first has a `change`) keep
/// their `change` and `changed_fields` columns in CSV/TSV.
pub fn write_set<'a, B: Borrow<Backlink> + 'a>(
    path: &Path,
    format: Format,
    meta: &SetMeta,
    items: impl IntoIterator<Item = &'a B>,
) -> Result<u64, StoreError> {
    let mut items = items.into_iter().peekable();
    let local = items.peek().is_some_and(|i| (*i).borrow().change.is_some());
    let mut w = SetWriter::create_with(
        path,
        format,
        meta.query.as_ref(),
        meta.fetched_at.as_deref(),
        local,
    )?;
    w.write_all(items)?;
    w.finish(&SetEnd {
        total_count: meta.total_count,
        cost: meta.cost,
        partial: meta.partial,
    })
}
