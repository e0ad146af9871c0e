//! Indexing CSV/TSV files as this app writes them (see [`crate::store::csv`] for the cell
//! rules: null is an empty cell, empty text is `""`, a formula guard `'` is taken off text).
//! Parts as for JSON ([`super::index`]): cut at guessed record starts, checked by the part
//! before.

use std::borrow::Cow;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::api::fields::{FieldSpec, ValueType};
use crate::api::response::Backlink;
use crate::store::csv::{header_columns, item_of_cells, unguard_text};

use super::compact::{CompactRow, keywords_from_json};
use super::csv_split::{Field, split};
use super::index::{Part, finish, join_parts, on_threads, open, parts_for};
use super::scan;
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
    let mut base = start; // file offset of buf[0]
    let mut read_to = start;
    loop {
        let last = read_to >= len;
        let mut fields = Vec::with_capacity(slots.len());
        let mut pos = 0;
        while let Some(rec) = split(&buf, pos, delimiter, last, &mut fields) {
            let at = base + rec.start as u64;
            if limit.is_some_and(|l| at >= l) {
                return Ok((part, Some(at)));
            }
            part.lines += rec.lines_before;
            let raw = &buf[rec.start..rec.end];
            match compact_of(&fields, raw, slots) {
                Ok(row) => {
                    part.push(at, raw, &row);
                    part.reserve_early(start, len, base + rec.end as u64);
                }
                Err(reason) => part.bad.push((part.lines, reason)),
            }
            part.lines += count_lines(raw);
            pos = rec.end;
        }
        if last {
            return Ok((part, None));
        }
        drop(fields);
        buf.drain(..pos);
        base += pos as u64;
        let want = (BLOCK as u64).min(len - read_to) as usize;
        let old = buf.len();
        buf.resize(old + want, 0);
        file.read_exact_at(&mut buf[old..], read_to)?;
        read_to += want as u64;
    }
}

/// One record's column values.
fn compact_of<'r>(
    fields: &[Field<'r>],
    raw: &[u8],
    slots: &[Option<(Slot, &'static FieldSpec)>],
) -> Result<CompactRow<'r>, String> {
    if std::str::from_utf8(raw).is_err() {
        return Err("not valid UTF-8 text".into());
    }
    let mut row = CompactRow::default();
    for (f, s) in fields.iter().zip(slots) {
        let Some((slot, spec)) = *s else { continue };
        if f.raw.is_empty() {
            let is_text = matches!(spec.value_type, ValueType::String | ValueType::Datetime);
            if !(f.quoted && is_text) {
                continue; // null
            }
        }
        if slot == Slot::Long && !matches!(spec.value_type, ValueType::Array | ValueType::Object) {
            continue; // long text: not read now
        }
        // Checked above: the whole record is UTF-8.
        let text = f.text().unwrap_or_default();
        let bad = |what: &str| {
            let short: String = text.chars().take(40).collect();
            let more = if short.len() < text.len() { "…" } else { "" };
            format!("{}: '{short}{more}' is not {what}", spec.name)
        };
        match slot {
            Slot::Num(k) => {
                row.nums[k] = text.trim().parse().map_err(|_| bad("a whole number"))?;
            }
            Slot::Bool(k) => {
                row.bools[k] = match text.trim() {
                    t if t.eq_ignore_ascii_case("true") => 2,
                    t if t.eq_ignore_ascii_case("false") => 1,
                    _ => return Err(bad("true or false")),
                };
            }
            Slot::Date(k) => row.set_date(k, unguarded(text)),
            Slot::Dict(k) => row.dicts[k] = Some(unguarded(text)),
            Slot::List(k) => {
                let mut list = Vec::new();
                let some = scan::each_string(text.trim().as_bytes(), 0, |s| {
                    list.push(Cow::Owned(s.into_owned()));
                })
                .map_err(|_| bad("JSON text"))?;
                row.lists[k] = some.then_some(list);
            }
            Slot::Keywords => {
                let kw = keywords_from_json(text.as_bytes()).map_err(|_| bad("JSON text"))?;
                for (n, v) in row.nums[KW_FIRST..].iter_mut().zip(kw) {
                    *n = v.unwrap_or(NULL_NUM);
                }
            }
            Slot::Long => {
                scan::check_value(text.as_bytes()).map_err(|_| bad("JSON text"))?;
            }
        }
    }
    Ok(row)
}

/// A text cell without its formula guard.
fn unguarded(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(unguard_text(s)),
        Cow::Owned(s) => Cow::Owned(unguard_text(&s).to_owned()),
    }
}

/// One record's item (`raw`, as indexed), or with `keep` only the fields it accepts.
pub(crate) fn decode(
    raw: &[u8],
    delimiter: u8,
    cols: &[Option<&'static FieldSpec>],
    keep: Option<&dyn Fn(&str) -> bool>,
) -> Result<Backlink, String> {
    let mut fields = Vec::with_capacity(cols.len());
    if split(raw, 0, delimiter, true, &mut fields).is_none() {
        return Err("the row is empty".into());
    }
    let cells = fields.iter().zip(cols).filter_map(|(f, spec)| {
        let spec = (*spec)?;
        if keep.is_some_and(|k| !k(&spec.name)) {
            return None;
        }
        Some((spec, f, f.quoted))
    });
    let mut texts = Vec::new();
    for (spec, f, quoted) in cells {
        let text = f.text().ok_or("not valid UTF-8 text")?;
        texts.push((spec, text, quoted));
    }
    item_of_cells(texts.into_iter())
}

/// Lines a record took: its line breaks, and a last line without one.
fn count_lines(bytes: &[u8]) -> u64 {
    let breaks = memchr::memchr_iter(b'\n', bytes).count() as u64;
    breaks + u64::from(bytes.last().is_some_and(|b| *b != b'\n'))
}
