//! Indexing CSV/TSV files as this app writes them (see [`crate::store::csv`] for the cell
//! rules: null is an empty cell, empty text is `""`, a formula guard `'` is taken off text).
//! Parts as for JSON ([`super::index`]): cut at guessed record starts, checked by the part
//! before.

use std::borrow::Cow;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::api::fields::{FieldSpec, ValueType};
use crate::store::csv::{header_columns, last_record_end, quoted_empty_fields, unguard_text};

use super::compact::{CompactRow, keywords_from_json};
use super::index::{Part, finish, join_parts, on_threads, open, parts_for};
use super::slots::{KW_FIRST, NULL_NUM, Slot, slot};
use super::{RowFormat, RowStore, RowsError};

const BLOCK: usize = 8 << 20;

/// Indexes a CSV (`,`) or TSV (`\t`) file.
pub fn index(path: &Path, delimiter: u8) -> Result<RowStore, RowsError> {
    let opened = open(path)?;
    let io = |e: std::io::Error| RowsError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let len = opened.stamp.len;
    let mut head = vec![0u8; len.min(1 << 20) as usize];
    opened.file.read_exact_at(&mut head, 0).map_err(io)?;
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(head.as_slice());
    let mut header = ::csv::StringRecord::new();
    let format_error = |reason: String| RowsError::Format {
        path: path.to_owned(),
        reason,
    };
    match rdr.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => {
            return Err(format_error(
                "not a backlinks set: its first line names no backlink field".into(),
            ));
        }
        Err(e) => {
            return Err(format_error(format!(
                "not a backlinks set: its first line is {}",
                crate::store::csv::csv_reason(&e)
            )));
        }
    }
    let cols = header_columns(header.iter());
    if cols.iter().all(Option::is_none) {
        return Err(format_error(
            "not a backlinks set: its first line names no backlink field".into(),
        ));
    }
    let data = rdr.position().byte();
    let first_line = rdr.position().line();
    let slots: Vec<Option<(Slot, &'static FieldSpec)>> = cols
        .iter()
        .map(|c| c.map(|spec| (slot(&spec.name), spec)))
        .collect();
    let file = &opened.file;
    let n = parts_for(len - data);
    let mut bounds = vec![data];
    for k in 1..n {
        let from = data + (len - data) * k as u64 / n as u64;
        if let Some(g) = next_line_start(file, from, len).map_err(io)?
            && g > *bounds.last().unwrap_or(&data)
        {
            bounds.push(g);
        }
    }
    let slots = &slots;
    let results = on_threads(bounds.len(), |k| {
        let limit = bounds.get(k + 1).copied();
        csv_part(file, bounds[k], len, limit, delimiter, slots)
    });
    let (all, _) = join_parts(
        results,
        &bounds,
        |stop| *stop,
        |next| csv_part(file, next, len, None, delimiter, slots),
    )
    .map_err(io)?;
    Ok(finish(
        path,
        opened,
        all,
        first_line,
        RowFormat::Delimited { delimiter, cols },
    ))
}

/// Just after the first line break at or after `from`.
fn next_line_start(file: &File, from: u64, len: u64) -> std::io::Result<Option<u64>> {
    let mut buf = vec![0u8; 64 << 10];
    let mut at = from;
    while at < len {
        let want = buf.len().min((len - at) as usize);
        file.read_exact_at(&mut buf[..want], at)?;
        if let Some(nl) = memchr::memchr(b'\n', &buf[..want]) {
            return Ok(Some(at + nl as u64 + 1).filter(|s| *s < len));
        }
        at += want as u64;
    }
    Ok(None)
}

/// The records from `start` to the end of the file, or to the first record starting at or
/// after `limit` (whose start is returned).
fn csv_part(
    file: &File,
    start: u64,
    len: u64,
    limit: Option<u64>,
    delimiter: u8,
    slots: &[Option<(Slot, &'static FieldSpec)>],
) -> std::io::Result<(Part, Option<u64>)> {
    let mut part = Part::default();
    let mut buf: Vec<u8> = Vec::new();
    let mut base = start;
    let mut read_to = start;
    let mut size = BLOCK;
    let mut record = ::csv::ByteRecord::new();
    while read_to < len {
        let want = (size as u64).min(len - read_to) as usize;
        let old = buf.len();
        buf.resize(old + want, 0);
        file.read_exact_at(&mut buf[old..], read_to)?;
        read_to += want as u64;
        let whole = if read_to == len {
            buf.len()
        } else if let Some(end) = last_record_end(&buf, delimiter) {
            end
        } else {
            size *= 2;
            continue;
        };
        size = BLOCK;
        let block = &buf[..whole];
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(block);
        let lines_before = part.lines;
        loop {
            let rec_start = rdr.position().byte() as usize;
            let line = rdr.position().line();
            match rdr.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    // Skip blank lines the reader stepped over.
                    let first = record.position().map_or(rec_start, |p| p.byte() as usize);
                    let at = base + first as u64;
                    if limit.is_some_and(|l| at >= l) {
                        return Ok((part, Some(at)));
                    }
                    let end = rdr.position().byte() as usize;
                    let rec_line = record.position().map_or(line, ::csv::Position::line);
                    let raw = &block[first..end];
                    match compact_of(&record, raw, delimiter, slots) {
                        Ok(row) => {
                            part.push(at, raw, &row);
                            part.reserve_early(start, len, at + raw.len() as u64);
                        }
                        Err(reason) => part.bad.push((lines_before + rec_line - 1, reason)),
                    }
                }
                Err(e) => {
                    let line = e.position().map_or(line, ::csv::Position::line);
                    part.bad
                        .push((lines_before + line - 1, crate::store::csv::csv_reason(&e)));
                }
            }
        }
        part.lines = lines_before + count_lines(block);
        buf.drain(..whole);
        base += whole as u64;
    }
    Ok((part, None))
}

/// One record's column values.
fn compact_of<'r>(
    record: &'r ::csv::ByteRecord,
    raw: &[u8],
    delimiter: u8,
    slots: &[Option<(Slot, &'static FieldSpec)>],
) -> Result<CompactRow<'r>, String> {
    if std::str::from_utf8(record.as_slice()).is_err() {
        return Err("not valid UTF-8 text".into());
    }
    let mut row = CompactRow::default();
    let mut quoted: Option<Vec<bool>> = None;
    for (i, (cell, s)) in record.iter().zip(slots).enumerate() {
        let Some((slot, spec)) = *s else { continue };
        let bad = |what: &str| {
            let text = String::from_utf8_lossy(cell);
            let short: String = text.chars().take(40).collect();
            let more = if short.len() < text.len() { "…" } else { "" };
            format!("{}: '{short}{more}' is not {what}", spec.name)
        };
        // Checked above: the whole record is UTF-8.
        let text = std::str::from_utf8(cell).unwrap_or_default();
        if text.is_empty() {
            let is_text = matches!(spec.value_type, ValueType::String | ValueType::Datetime);
            if !is_text {
                continue;
            }
            let q = quoted.get_or_insert_with(|| quoted_empty_fields(raw, delimiter));
            if q.get(i) != Some(&true) {
                continue; // null
            }
        }
        match slot {
            Slot::Num(k) => {
                row.nums[k] = text.trim().parse().map_err(|_| bad("a whole number"))?;
            }
            Slot::Bool(k) => {
                row.bools[k] = match text.trim().to_ascii_lowercase().as_str() {
                    "true" => 2,
                    "false" => 1,
                    _ => return Err(bad("true or false")),
                };
            }
            Slot::Date(k) => row.set_date(k, Cow::Borrowed(unguard_text(text))),
            Slot::Dict(k) => row.dicts[k] = Some(Cow::Borrowed(unguard_text(text))),
            Slot::List(k) => {
                row.lists[k] = serde_json::from_str(text).map_err(|_| bad("JSON text"))?;
            }
            Slot::Keywords => {
                let kw = keywords_from_json(cell).map_err(|_| bad("JSON text"))?;
                for (n, v) in row.nums[KW_FIRST..].iter_mut().zip(kw) {
                    *n = v.unwrap_or(NULL_NUM);
                }
            }
            Slot::Long => {
                if matches!(spec.value_type, ValueType::Array | ValueType::Object) {
                    serde_json::from_str::<serde::de::IgnoredAny>(text)
                        .map_err(|_| bad("JSON text"))?;
                }
            }
        }
    }
    Ok(row)
}

/// Lines in a block: its line breaks, and a last line without one.
fn count_lines(bytes: &[u8]) -> u64 {
    let breaks = memchr::memchr_iter(b'\n', bytes).count() as u64;
    breaks + u64::from(bytes.last().is_some_and(|b| *b != b'\n'))
}
