//! CSV and TSV: a header of the top-level field names in catalogue order, one row per item.
//! Text as is, numbers and `true`/`false` as written by the API, lists and objects
//! (`attributes`, `ranked_keywords_info`, `indirect_link_path`) as compact JSON text, a null as
//! an empty cell. Quoting follows RFC 4180. Reading types every cell back through the
//! catalogue's value types.
//!
//! Null and the empty string are both real values in the API's data (an IP host has
//! `tld_from: ""`), so they are told apart the way PostgreSQL's CSV does: a null is an empty
//! cell, an empty string is `""`. The `csv` crate frames records and parses; quoting is done
//! here (a field is quoted when it holds the delimiter, a quote or a line break, or is empty
//! text), because the crate never quotes an empty field and cannot say whether a field it read
//! was quoted — for the rare row with an empty cell, the reader looks at the raw bytes.

use std::fs::File;
use std::io::BufReader;
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde_json::{Map, Value};

use crate::api::fields::{Catalog, FieldRef, FieldSpec, ValueType};
use crate::api::response::{Backlink, Row};

use super::StoreError;
use super::atomic::{AtomicFile, reason};
use super::read::{ReadEvent, ReadSummary, Sink};

/// The CSV columns: top-level fields in catalogue order.
pub fn columns() -> impl Iterator<Item = &'static FieldSpec> {
    Catalog::get().top_level()
}

/// A CSV/TSV file being written.
#[derive(Debug)]
pub struct DelimitedWriter {
    w: ::csv::Writer<AtomicFile>,
    delimiter: u8,
    cell: String,
    quoted: String,
}

impl DelimitedWriter {
    /// Starts a file with the header row.
    pub fn new(file: AtomicFile, delimiter: u8) -> Result<DelimitedWriter, StoreError> {
        let path = file.path().to_owned();
        let mut w = ::csv::WriterBuilder::new()
            .delimiter(delimiter)
            .quote_style(::csv::QuoteStyle::Never)
            .buffer_capacity(64 * 1024)
            .from_writer(file);
        w.write_record(columns().map(|f| f.name.as_str()))
            .map_err(|e| StoreError::write(&path, csv_reason(&e)))?;
        Ok(DelimitedWriter {
            w,
            delimiter,
            cell: String::new(),
            quoted: String::new(),
        })
    }

    /// Appends one item as a row.
    pub fn write_item(&mut self, item: &Backlink) -> Result<(), ::csv::Error> {
        for spec in columns() {
            self.cell.clear();
            let empty_text = cell_text(item, spec, &mut self.cell);
            let field: &[u8] = if empty_text {
                b"\"\""
            } else if self
                .cell
                .bytes()
                .any(|b| b == self.delimiter || matches!(b, b'"' | b'\n' | b'\r'))
            {
                self.quoted.clear();
                self.quoted.push('"');
                self.quoted.push_str(&self.cell.replace('"', "\"\""));
                self.quoted.push('"');
                self.quoted.as_bytes()
            } else {
                self.cell.as_bytes()
            };
            self.w.write_field(field)?;
        }
        self.w.write_record(None::<&[u8]>)
    }

    /// Flushes and hands back the file.
    pub fn into_inner(self) -> Result<AtomicFile, String> {
        self.w.into_inner().map_err(|e| reason(e.error()))
    }
}

/// The text of one cell; true when the value is an empty string (not a null).
fn cell_text(item: &Backlink, spec: &FieldSpec, out: &mut String) -> bool {
    use std::fmt::Write as _;
    match spec.name.as_str() {
        "ranked_keywords_info" => {
            if let Some(v) = &item.ranked_keywords_info {
                append_json(out, v);
            }
        }
        "indirect_link_path" => {
            if let Some(v) = &item.indirect_link_path {
                append_json(out, v);
            }
        }
        name => match item.field(name) {
            FieldRef::Null | FieldRef::Nested => {}
            FieldRef::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            FieldRef::Int(n) => {
                let _ = write!(out, "{n}");
            }
            FieldRef::Str(s) => {
                out.push_str(s);
                return s.is_empty();
            }
            FieldRef::Strs(list) => append_json(out, &list),
        },
    }
    false
}

/// Compact JSON of a value, appended to a `String`.
fn append_json<T: serde::Serialize>(out: &mut String, v: &T) {
    // Serialising plain data (strings, numbers, these structs) into memory cannot fail.
    if let Ok(text) = serde_json::to_string(v) {
        out.push_str(&text);
    }
}

/// Reads a CSV/TSV file written by [`writer`] (or by a spreadsheet keeping its header).
/// Unknown columns are ignored; missing ones are null. A row that does not fit its columns'
/// types is reported with its line number and skipped.
pub fn read(
    path: &Path,
    delimiter: u8,
    chunk: usize,
    sink: &mut Sink<'_>,
) -> Result<ReadSummary, StoreError> {
    let file = File::open(path).map_err(|e| StoreError::read(path, reason(&e)))?;
    // A second handle to look at a record's raw bytes (see the module doc).
    let raw = File::open(path).map_err(|e| StoreError::read(path, reason(&e)))?;
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(BufReader::with_capacity(256 * 1024, file));
    let header = rdr
        .headers()
        .map_err(|e| StoreError::read(path, csv_reason(&e)))?
        .clone();
    let cat = Catalog::get();
    let cols: Vec<Option<&FieldSpec>> = header
        .iter()
        .map(|h| cat.find(h.trim()).filter(|f| f.is_top_level()))
        .collect();
    if cols.iter().all(Option::is_none) {
        return Err(StoreError::Format {
            path: path.to_owned(),
            reason: "the first line names no backlink field (is this a backlinks CSV?)".into(),
        });
    }
    let mut summary = ReadSummary::default();
    let mut rows = Vec::with_capacity(chunk.min(4096));
    let mut record = ::csv::StringRecord::new();
    loop {
        let more = match rdr.read_record(&mut record) {
            Ok(more) => more,
            Err(e) => {
                // A broken record (bad UTF-8, a quote never closed): keep going after it.
                let line = e.position().map_or(0, ::csv::Position::line);
                summary.bad_lines += 1;
                if !sink(ReadEvent::BadLine {
                    line,
                    reason: csv_reason(&e),
                }) {
                    return Ok(summary);
                }
                continue;
            }
        };
        if !more {
            break;
        }
        let line = record.position().map_or(0, ::csv::Position::line);
        let empty_texts = needs_raw(&cols, &record)
            .then(|| {
                let start = record.position().map_or(0, ::csv::Position::byte);
                let end = rdr.position().byte();
                let mut bytes = vec![0; end.saturating_sub(start) as usize];
                raw.read_exact_at(&mut bytes, start)
                    .map(|()| quoted_empties(&bytes, delimiter))
            })
            .transpose()
            .map_err(|e| StoreError::read(path, reason(&e)))?;
        match item_of(&cols, &record, empty_texts.as_deref()) {
            Ok(item) => rows.push(item),
            Err(reason) => {
                summary.bad_lines += 1;
                if !sink(ReadEvent::BadLine { line, reason }) {
                    return Ok(summary);
                }
            }
        }
        if rows.len() >= chunk {
            summary.rows += rows.len() as u64;
            if !sink(ReadEvent::Rows(rows.drain(..).map(Row::new).collect())) {
                return Ok(summary);
            }
        }
    }
    summary.rows += rows.len() as u64;
    if !rows.is_empty() {
        sink(ReadEvent::Rows(rows.into_iter().map(Row::new).collect()));
    }
    Ok(summary)
}

/// Whether a record has an empty cell in a text column (null or empty string?).
fn needs_raw(cols: &[Option<&FieldSpec>], record: &::csv::StringRecord) -> bool {
    cols.iter().zip(record.iter()).any(|(spec, text)| {
        text.is_empty()
            && spec.is_some_and(|s| matches!(s.value_type, ValueType::String | ValueType::Datetime))
    })
}

/// For each field of one raw record: is it exactly `""` (an empty string)?
fn quoted_empties(raw: &[u8], delimiter: u8) -> Vec<bool> {
    let mut flags = Vec::new();
    let mut i = 0;
    loop {
        if raw.get(i) == Some(&b'"') {
            // A quoted field: find its closing quote ("" inside is an escaped quote).
            let mut j = i + 1;
            while j < raw.len() {
                if raw[j] == b'"' {
                    if raw.get(j + 1) == Some(&b'"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            flags.push(j == i + 1);
            i = j + 1;
        } else {
            flags.push(false);
        }
        while i < raw.len() && raw[i] != delimiter && raw[i] != b'\n' && raw[i] != b'\r' {
            i += 1;
        }
        if i >= raw.len() || raw[i] != delimiter {
            return flags;
        }
        i += 1;
    }
}

fn item_of(
    cols: &[Option<&FieldSpec>],
    record: &::csv::StringRecord,
    empty_texts: Option<&[bool]>,
) -> Result<Backlink, String> {
    let mut map = Map::new();
    for (i, (spec, text)) in cols.iter().zip(record.iter()).enumerate() {
        let Some(spec) = spec else { continue };
        if text.is_empty() {
            if empty_texts.is_some_and(|f| f.get(i) == Some(&true)) {
                map.insert(spec.name.clone(), Value::String(String::new()));
            }
            continue;
        }
        map.insert(spec.name.clone(), typed(spec, text)?);
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())
}

/// A cell's text as the JSON value its field holds.
fn typed(spec: &FieldSpec, text: &str) -> Result<Value, String> {
    let bad = |what: &str| format!("{}: '{}' is not {what}", spec.name, short(text));
    Ok(match spec.value_type {
        ValueType::String | ValueType::Datetime => Value::String(text.to_owned()),
        ValueType::Integer => Value::from(
            text.trim()
                .parse::<i64>()
                .map_err(|_| bad("a whole number"))?,
        ),
        ValueType::Float => Value::from(text.trim().parse::<f64>().map_err(|_| bad("a number"))?),
        ValueType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad("true or false")),
        },
        ValueType::Array | ValueType::Object => {
            serde_json::from_str(text).map_err(|_| bad("JSON text"))?
        }
    })
}

/// The start of a cell for a message.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// A `csv` error as a short reason (I/O errors the same way as elsewhere).
pub fn csv_reason(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::Io(io) => reason(io),
        ::csv::ErrorKind::Utf8 { err, .. } => format!("not valid UTF-8 text ({err})"),
        _ => e.to_string(),
    }
}
