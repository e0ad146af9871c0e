//! CSV and TSV: a header of the top-level field names in catalogue order, one row per item.
//! Text as is, numbers and `true`/`false` as written by the API, lists and objects
//! (`attributes`, `ranked_keywords_info`, `indirect_link_path`) as compact JSON text, a null as
//! an empty cell. Quoting follows RFC 4180 (the `csv` crate). Reading types every cell back
//! through the catalogue's value types.
//!
//! A spreadsheet cannot tell an empty text from a missing one, and neither can this format:
//! an empty string is written as an empty cell and reads back as null. JSON and JSONL keep it.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde_json::{Map, Value};

use crate::api::fields::{Catalog, FieldRef, FieldSpec, ValueType};
use crate::api::response::Backlink;

use super::StoreError;
use super::atomic::{AtomicFile, reason};
use super::read::{ReadEvent, ReadSummary, Sink};

/// The CSV columns: top-level fields in catalogue order.
pub fn columns() -> impl Iterator<Item = &'static FieldSpec> {
    Catalog::get().top_level()
}

/// A `csv` writer over `file` with the header already written.
pub fn writer(file: AtomicFile, delimiter: u8) -> Result<::csv::Writer<AtomicFile>, StoreError> {
    let path = file.path().to_owned();
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_writer(file);
    w.write_record(columns().map(|f| f.name.as_str()))
        .map_err(|e| StoreError::write(&path, csv_reason(&e)))?;
    Ok(w)
}

/// Appends one item as a row.
pub fn write_item(w: &mut ::csv::Writer<AtomicFile>, item: &Backlink) -> Result<(), ::csv::Error> {
    let mut buf = String::new();
    for spec in columns() {
        buf.clear();
        cell_text(item, spec, &mut buf);
        w.write_field(buf.as_bytes())?;
    }
    w.write_record(None::<&[u8]>)
}

/// The text of one cell.
fn cell_text(item: &Backlink, spec: &FieldSpec, out: &mut String) {
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
            FieldRef::Str(s) => out.push_str(s),
            FieldRef::Strs(list) => append_json(out, &list),
        },
    }
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
        match item_of(&cols, &record) {
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
            if !sink(ReadEvent::Rows(std::mem::take(&mut rows))) {
                return Ok(summary);
            }
        }
    }
    summary.rows += rows.len() as u64;
    if !rows.is_empty() {
        sink(ReadEvent::Rows(rows));
    }
    Ok(summary)
}

fn item_of(cols: &[Option<&FieldSpec>], record: &::csv::StringRecord) -> Result<Backlink, String> {
    let mut map = Map::new();
    for (spec, text) in cols.iter().zip(record.iter()) {
        let Some(spec) = spec else { continue };
        if text.is_empty() {
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
