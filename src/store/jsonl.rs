//! JSONL: one item per line, exactly as the API sends it. The fastest format to open: blocks
//! of whole lines are parsed on every core while the file is read (`blocks`).

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::api::response::{Backlink, Row};

use super::StoreError;
use super::atomic::reason;
use super::blocks::{self, Blocks, Parsed};
use super::read::{ReadSummary, Sink};

/// Appends one item and a newline.
pub fn write_item(out: &mut impl Write, item: &Backlink) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, item)?;
    out.write_all(b"\n")
}

/// Reads a JSONL file. Blank lines are skipped; a line that is not an item is reported with
/// its number and skipped.
pub fn read(path: &Path, chunk: usize, sink: &mut Sink<'_>) -> Result<ReadSummary, StoreError> {
    let file = File::open(path).map_err(|e| StoreError::read(path, reason(&e)))?;
    blocks::read(file, 0, &Jsonl, chunk, sink).map_err(|reason| StoreError::read(path, reason))
}

/// Lines of JSON items.
struct Jsonl;

impl Blocks for Jsonl {
    fn cut(&self, buf: &[u8]) -> Option<usize> {
        last_line_end(buf)
    }

    fn parse(&self, bytes: &[u8]) -> Parsed {
        parse_lines(bytes, whole_line, |_, _, _| {})
    }
}

/// Every line of a JSONL file is an item.
#[expect(clippy::unnecessary_wraps, reason = "the shape `parse_lines` takes")]
fn whole_line(line: &[u8]) -> Option<&[u8]> {
    Some(line)
}

/// Just after the last line break of `buf`.
pub(super) fn last_line_end(buf: &[u8]) -> Option<usize> {
    buf.iter().rposition(|b| *b == b'\n').map(|i| i + 1)
}

/// Parses a block's non-blank lines as items. `item` gives a line's item text, or `None` for a
/// line that is not an item, which goes to `other` with its 0-based line in the block. The
/// block is checked as UTF-8 once, which spares the per-string check; a block that is not
/// UTF-8 is parsed line by line so the bad line is named.
pub(super) fn parse_lines(
    bytes: &[u8],
    item: fn(&[u8]) -> Option<&[u8]>,
    mut other: impl FnMut(u64, &[u8], &mut Parsed),
) -> Parsed {
    let mut parsed = Parsed {
        rows: Vec::with_capacity(bytes.len() / 1024 + 1),
        ..Parsed::default()
    };
    let text_ok = std::str::from_utf8(bytes).is_ok();
    let mut lines = bytes.split(|b| *b == b'\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() && line.is_empty() {
            break; // after the block's last newline
        }
        let at = parsed.lines;
        parsed.lines += 1;
        if line.trim_ascii().is_empty() {
            continue;
        }
        let Some(text) = item(line) else {
            other(at, line, &mut parsed);
            continue;
        };
        let parsed_item = if text_ok {
            // Checked above: the whole block is UTF-8, so every line is.
            serde_json::from_str::<Backlink>(std::str::from_utf8(text).unwrap_or_default())
        } else {
            serde_json::from_slice::<Backlink>(text)
        };
        match parsed_item {
            Ok(it) => parsed.rows.push(Row::new(it)),
            Err(e) => parsed.bad.push((at, line_error(&e))),
        }
    }
    parsed
}

/// serde's message for one line, with its "line 1" (always 1 here) left out.
fn line_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    format!("{message} at column {}", e.column())
}
