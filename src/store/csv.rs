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
//! was quoted — for a row with an empty cell, the reader looks at the record's raw bytes.
//!
//! Crawled text is written by strangers, and a spreadsheet runs a cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return as a formula (CSV injection). So, unless
//! [`set_formula_guard`] turned it off (`export --no-formula-guard`, config
//! `csv_formula_guard = false`), a text cell that starts with one of those, after any number of
//! `'`, gets one more `'` in front (OWASP's advice). Reading takes exactly one `'` off a text
//! cell of that shape, so what this app wrote reads back as it was; a file written with the
//! guard off reads back the same except for text that itself starts with `'` and then one of
//! those characters, which loses its first `'`. Numbers, `true`/`false` and JSON cells are
//! never touched.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde::de::value::MapDeserializer;
use serde_json::Value;

use crate::api::fields::{Catalog, FieldRef, FieldSpec, ValueType};
use crate::api::response::{Backlink, Row};

use super::StoreError;
use super::atomic::{AtomicFile, read_reason, reason};
use super::blocks::{self, Blocks, Parsed};
use super::read::{ReadSummary, Sink};

/// Whether CSV/TSV text cells are guarded against formulas (on unless the user turns it off).
static FORMULA_GUARD: AtomicBool = AtomicBool::new(true);

/// Turns the formula guard on or off for every CSV/TSV written from now on in this process
/// (set once at start from `--no-formula-guard` and config `csv_formula_guard`).
pub fn set_formula_guard(on: bool) {
    FORMULA_GUARD.store(on, Ordering::Relaxed);
}

/// Whether the formula guard is on.
pub fn formula_guard() -> bool {
    FORMULA_GUARD.load(Ordering::Relaxed)
}

/// Whether a spreadsheet would take text starting with `c` as a formula.
fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether `text` is `'` repeated (any number of times, none included) and then a formula
/// trigger: the text the guard puts a `'` in front of.
fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(is_trigger)
}

/// The text a guarded cell came from: one `'` fewer when the cell is `'`, any number of `'`,
/// then a formula trigger; otherwise the cell as it is.
pub fn unguard_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// The CSV columns: top-level fields in catalogue order.
pub fn columns() -> impl Iterator<Item = &'static FieldSpec> {
    Catalog::get().top_level()
}

/// The columns of a file written with the app's own fields (`backlinks diff`'s `change` and
/// `changed_fields`) first when `local`, else [`columns`].
pub fn columns_of(local: bool) -> impl Iterator<Item = &'static FieldSpec> {
    let cat = Catalog::get();
    cat.local().filter(move |_| local).chain(cat.top_level())
}

/// CSV/TSV rows being written: to a file ([`DelimitedWriter::new`]) or, for one item, to
/// text ([`item_text`]). Both quote every cell here, the same way.
#[derive(Debug)]
pub struct DelimitedWriter<W: Write = AtomicFile> {
    w: ::csv::Writer<W>,
    delimiter: u8,
    /// Put a `'` before formula-like text ([`formula_guard`] when the writer was made).
    guard: bool,
    /// The app's own fields come first ([`columns_of`]).
    local: bool,
    cell: String,
    quoted: String,
}

impl DelimitedWriter {
    /// Starts a file with the header row.
    pub fn new(file: AtomicFile, delimiter: u8) -> Result<DelimitedWriter, StoreError> {
        DelimitedWriter::new_with(file, delimiter, false)
    }

    /// Starts a file with the header row, the app's own fields first when `local`.
    pub fn new_with(
        file: AtomicFile,
        delimiter: u8,
        local: bool,
    ) -> Result<DelimitedWriter, StoreError> {
        let path = file.path().to_owned();
        let mut w = DelimitedWriter::to(file, delimiter, 64 * 1024);
        w.local = local;
        w.write_header()
            .map_err(|e| StoreError::write(&path, csv_reason(&e)))?;
        Ok(w)
    }

    /// Flushes and hands back the file.
    pub fn into_inner(self) -> Result<AtomicFile, String> {
        self.w.into_inner().map_err(|e| reason(e.error()))
    }
}

impl<W: Write> DelimitedWriter<W> {
    /// Rows into `out`, with no header yet.
    fn to(out: W, delimiter: u8, buffer: usize) -> Self {
        let w = ::csv::WriterBuilder::new()
            .delimiter(delimiter)
            .quote_style(::csv::QuoteStyle::Never)
            .buffer_capacity(buffer)
            .from_writer(out);
        DelimitedWriter {
            w,
            delimiter,
            guard: formula_guard(),
            local: false,
            cell: String::new(),
            quoted: String::new(),
        }
    }

    /// Appends the header row: the [`columns`]' names.
    fn write_header(&mut self) -> Result<(), ::csv::Error> {
        self.w
            .write_record(columns_of(self.local).map(|f| f.name.as_str()))
    }

    /// Appends one item as a row.
    pub fn write_item(&mut self, item: &Backlink) -> Result<(), ::csv::Error> {
        for spec in columns_of(self.local) {
            self.cell.clear();
            let empty_text = cell_text(item, spec, self.guard, &mut self.cell);
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
}

/// One item as CSV (`delimiter` `b','`) or TSV (`b'\t'`) text, the header line first when
/// `header`: the lines a saved file has for it, each ended by `\n`.
pub fn item_text(item: &Backlink, delimiter: u8, header: bool) -> String {
    item_text_with(item, delimiter, header, false)
}

/// [`item_text`], with the app's own fields first when `local`.
pub fn item_text_with(item: &Backlink, delimiter: u8, header: bool, local: bool) -> String {
    let mut w = DelimitedWriter::to(Vec::new(), delimiter, 4 * 1024);
    w.local = local;
    // Into memory, writing and flushing cannot fail; every cell is UTF-8 text.
    if header {
        let _ = w.write_header();
    }
    let _ = w.write_item(item);
    let bytes = w.w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The text of one cell, formula-like text guarded when `guard`; true when the value is an
/// empty string (not a null).
fn cell_text(item: &Backlink, spec: &FieldSpec, guard: bool, out: &mut String) -> bool {
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
                if guard && needs_guard(s) {
                    out.push('\'');
                }
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

/// Reads a CSV/TSV file written by [`DelimitedWriter`] (or by a spreadsheet keeping its header).
/// Unknown columns are ignored; missing ones are null. A row that does not fit its columns'
/// types is reported with its line number and skipped. The rows after the header are parsed
/// a block at a time on every core (`blocks`).
pub fn read(
    path: &Path,
    delimiter: u8,
    chunk: usize,
    sink: &mut Sink<'_>,
) -> Result<ReadSummary, StoreError> {
    let open = || File::open(path).map_err(|e| StoreError::read(path, read_reason(path, &e)));
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(BufReader::with_capacity(64 * 1024, open()?));
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) if e.is_io_error() => return Err(StoreError::read(path, csv_reason(&e))),
        Err(e) => {
            return Err(StoreError::Format {
                path: path.to_owned(),
                reason: format!("not a backlinks set: its first line is {}", csv_reason(&e)),
            });
        }
    };
    let cat = Catalog::get();
    let cols: Vec<Option<&'static FieldSpec>> = header
        .iter()
        .map(|h| cat.find(h.trim()).filter(|f| f.is_top_level()))
        .collect();
    if cols.iter().all(Option::is_none) {
        return Err(StoreError::Format {
            path: path.to_owned(),
            reason: "not a backlinks set: its first line names no backlink field".into(),
        });
    }
    // The records start where the header ends.
    let after = rdr.position().clone();
    let mut file = open()?;
    file.seek(SeekFrom::Start(after.byte()))
        .map_err(|e| StoreError::read(path, reason(&e)))?;
    let format = Delimited { delimiter, cols };
    blocks::read(file, after.line().saturating_sub(1), &format, chunk, sink)
        .map_err(|reason| StoreError::read(path, reason))
}

/// CSV or TSV records under a known header.
struct Delimited {
    delimiter: u8,
    cols: Vec<Option<&'static FieldSpec>>,
}

/// Where the scan for a record's end is, as the `csv` crate reads quotes: a quote opens a
/// quoted field only at the start of a field; inside one, a line break is text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of two (`""`).
    QuoteInQuoted,
}

impl Blocks for Delimited {
    fn cut(&self, buf: &[u8]) -> Option<usize> {
        last_record_end(buf, self.delimiter)
    }

    fn parse(&self, bytes: &[u8]) -> Parsed {
        let mut parsed = Parsed {
            rows: Vec::with_capacity(bytes.len() / 512 + 1),
            lines: blocks::count_lines(bytes),
            ..Parsed::default()
        };
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(bytes);
        let mut record = ::csv::StringRecord::new();
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let pos = record
                        .position()
                        .cloned()
                        .unwrap_or_else(::csv::Position::new);
                    // Empty text (`""`) and null (an empty cell) differ only in the raw bytes.
                    let empty_texts = needs_raw(&self.cols, &record).then(|| {
                        let start = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
                        let end = usize::try_from(rdr.position().byte()).unwrap_or(usize::MAX);
                        quoted_empties(bytes.get(start..end).unwrap_or_default(), self.delimiter)
                    });
                    match item_of(&self.cols, &record, empty_texts.as_deref()) {
                        Ok(item) => parsed.rows.push(Row::new(item)),
                        Err(reason) => parsed.bad.push((pos.line().saturating_sub(1), reason)),
                    }
                }
                // A broken record (bad UTF-8, a quote never closed): keep going after it.
                Err(e) => {
                    let line = e.position().map_or(1, ::csv::Position::line);
                    parsed.bad.push((line.saturating_sub(1), csv_reason(&e)));
                }
            }
        }
        parsed
    }
}

/// One item from some of a record's cells, each (field, cell text, whether the cell was
/// quoted): as a whole record gives, for a row store that splits records itself and
/// may read only the fields a filter names.
pub(crate) fn item_of_cells<'c>(
    cells: impl Iterator<Item = (&'static FieldSpec, std::borrow::Cow<'c, str>, bool)>,
) -> Result<Backlink, String> {
    let mut out: Vec<(&str, Value)> = Vec::new();
    for (spec, text, quoted) in cells {
        if text.is_empty() {
            let is_text = matches!(spec.value_type, ValueType::String | ValueType::Datetime);
            if quoted && is_text {
                out.push((&spec.name, Value::String(String::new())));
            }
            continue;
        }
        out.push((&spec.name, typed(spec, &text)?));
    }
    let cells = MapDeserializer::<_, serde_json::Error>::new(out.into_iter());
    Backlink::deserialize(cells).map_err(|e| e.to_string())
}

/// The columns of a header: each a top-level catalogue field, or `None` (ignored).
pub(crate) fn header_columns<'h>(
    header: impl Iterator<Item = &'h str>,
) -> Vec<Option<&'static FieldSpec>> {
    let cat = Catalog::get();
    header
        .map(|h| cat.find(h.trim()).filter(|f| f.is_top_level()))
        .collect()
}

/// Just after the last whole record of `buf` (which starts at a record), as the `csv` crate
/// reads quotes.
pub(crate) fn last_record_end(buf: &[u8], d: u8) -> Option<usize> {
    let mut state = Scan::FieldStart;
    let mut last = None;
    for (i, &b) in buf.iter().enumerate() {
        state = match (state, b) {
            (Scan::Quoted, b'"') => Scan::QuoteInQuoted,
            (Scan::Quoted, _) | (Scan::QuoteInQuoted, b'"') => Scan::Quoted,
            (_, b'\n') => {
                last = Some(i + 1);
                Scan::FieldStart
            }
            (_, b) if b == d => Scan::FieldStart,
            (Scan::FieldStart, b'"') => Scan::Quoted,
            _ => Scan::Unquoted,
        };
    }
    last
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
    let mut cells: Vec<(&str, Value)> = Vec::with_capacity(cols.len());
    for (i, (spec, text)) in cols.iter().zip(record.iter()).enumerate() {
        let Some(spec) = spec else { continue };
        if text.is_empty() {
            if empty_texts.is_some_and(|f| f.get(i) == Some(&true)) {
                cells.push((&spec.name, Value::String(String::new())));
            }
            continue;
        }
        cells.push((&spec.name, typed(spec, text)?));
    }
    // Straight into the item, without an intermediate JSON object and its copied keys.
    let cells = MapDeserializer::<_, serde_json::Error>::new(cells.into_iter());
    Backlink::deserialize(cells).map_err(|e| e.to_string())
}

/// A cell's text as the JSON value its field holds.
fn typed(spec: &FieldSpec, text: &str) -> Result<Value, String> {
    let bad = |what: &str| format!("{}: '{}' is not {what}", spec.name, short(text));
    Ok(match spec.value_type {
        ValueType::String | ValueType::Datetime => Value::String(unguard_text(text).to_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_item_as_text_with_or_without_the_header() {
        let item = Backlink {
            url_from: Some("a\tb".into()),
            tld_from: Some(String::new()),
            ..Backlink::default()
        };
        let with = item_text(&item, b'\t', true);
        let row = item_text(&item, b'\t', false);
        let (header, rest) = with.split_once('\n').unwrap();
        assert_eq!(rest, row);
        assert_eq!(header.split('\t').count(), columns().count());
        assert!(row.starts_with("\t\t\"a\tb\"\t"), "{row:?}");
        assert!(row.contains("\t\"\"\t"), "{row:?}");
        assert_eq!(row.matches('\n').count(), 1);
        assert!(row.ends_with('\n'));
    }
}
