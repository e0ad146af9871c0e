//! JSONL: one item per line, exactly as the API sends it. The fastest format to open: blocks
//! of whole lines are parsed on every core while the file is read (`blocks`).

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::api::response::{Backlink, Row};

use super::StoreError;
use super::atomic::{AtomicFile, reason};
use super::blocks::{self, Blocks, Parsed};
use super::read::{ReadSummary, Sink};

/// Appends one item and a newline.
pub fn write_item(out: &mut AtomicFile, item: &Backlink) -> std::io::Result<()> {
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
        buf.iter().rposition(|b| *b == b'\n').map(|i| i + 1)
    }

    /// The block is checked as UTF-8 once, which spares the per-string check; a block that is
    /// not UTF-8 is parsed line by line so the bad line is named.
    fn parse(&self, bytes: &[u8]) -> Parsed {
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
            let item = if text_ok {
                // Checked above: the whole block is UTF-8, so every line is.
                let text = std::str::from_utf8(line).unwrap_or_default();
                serde_json::from_str::<Backlink>(text)
            } else {
                serde_json::from_slice::<Backlink>(line)
            };
            match item {
                Ok(item) => parsed.rows.push(Row::new(item)),
                Err(e) => parsed.bad.push((at, line_error(&e))),
            }
        }
        parsed
    }
}

/// serde's message for one line, with its "line 1" (always 1 here) left out.
pub(super) fn line_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    format!("{message} at column {}", e.column())
}
