//! JSONL: one item per line, exactly as the API sends it. The fastest format to open: the file
//! is read in large blocks and the lines of a block are parsed on every core at once.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use crate::api::response::Backlink;

use super::StoreError;
use super::atomic::{AtomicFile, reason};
use super::read::{ReadEvent, ReadSummary, Sink};

/// Bytes read per block (whole lines are parsed; the tail waits for the next block).
const BLOCK: usize = 8 << 20;
/// The first block is small so the first rows arrive within milliseconds.
const FIRST_BLOCK: usize = 256 << 10;

/// Appends one item and a newline.
pub fn write_item(out: &mut AtomicFile, item: &Backlink) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, item)?;
    out.write_all(b"\n")
}

/// Reads a JSONL file. Blank lines are skipped; a line that is not an item is reported with
/// its number and skipped.
pub fn read(path: &Path, chunk: usize, sink: &mut Sink<'_>) -> Result<ReadSummary, StoreError> {
    let mut file = File::open(path).map_err(|e| StoreError::read(path, reason(&e)))?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut summary = ReadSummary::default();
    let mut buf: Vec<u8> = Vec::with_capacity(FIRST_BLOCK);
    let mut line_no: u64 = 0;
    let mut pending: Vec<Backlink> = Vec::new();
    let mut block = FIRST_BLOCK;
    let mut eof = false;
    while !eof {
        // Fill the buffer up to `block` bytes beyond the carried-over tail.
        let start = buf.len();
        buf.resize(start + block, 0);
        let mut filled = start;
        while filled < buf.len() {
            match file.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(StoreError::read(path, reason(&e))),
            }
        }
        buf.truncate(filled);
        let cut = if eof {
            buf.len()
        } else {
            let Some(i) = buf.iter().rposition(|b| *b == b'\n') else {
                block *= 2; // one line longer than a block: read more
                continue;
            };
            i + 1
        };
        let lines: Vec<&[u8]> = buf[..cut].split(|b| *b == b'\n').collect();
        let first_line = line_no + 1;
        line_no += lines.len() as u64 - u64::from(cut > 0 && buf[cut - 1] == b'\n');
        for (offset, result) in parse_lines(&lines, threads) {
            match result {
                Ok(item) => pending.push(item),
                Err(reason) => {
                    summary.bad_lines += 1;
                    let line = first_line + offset as u64;
                    if !sink(ReadEvent::BadLine { line, reason }) {
                        return Ok(summary);
                    }
                }
            }
        }
        while pending.len() >= chunk {
            let rest = pending.split_off(chunk);
            summary.rows += chunk as u64;
            if !sink(ReadEvent::Rows(std::mem::replace(&mut pending, rest))) {
                return Ok(summary);
            }
        }
        // Small first batches go out at once: they make the first screen.
        if block == FIRST_BLOCK && !pending.is_empty() {
            summary.rows += pending.len() as u64;
            if !sink(ReadEvent::Rows(std::mem::take(&mut pending))) {
                return Ok(summary);
            }
        }
        buf.drain(..cut);
        block = BLOCK;
    }
    if !pending.is_empty() {
        summary.rows += pending.len() as u64;
        sink(ReadEvent::Rows(pending));
    }
    Ok(summary)
}

type Parsed = Vec<(usize, Result<Backlink, String>)>;

/// Parses non-blank lines, split over `threads` scoped threads, in line order.
fn parse_lines(lines: &[&[u8]], threads: usize) -> Parsed {
    let parse = |base: usize, part: &[&[u8]]| -> Parsed {
        part.iter()
            .enumerate()
            .filter(|(_, l)| !l.trim_ascii().is_empty())
            .map(|(i, l)| {
                let r = serde_json::from_slice::<Backlink>(l).map_err(|e| e.to_string());
                (base + i, r)
            })
            .collect()
    };
    if threads <= 1 || lines.len() < 256 {
        return parse(0, lines);
    }
    let per = lines.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(per)
            .enumerate()
            .map(|(i, part)| s.spawn(move || parse(i * per, part)))
            .collect();
        let mut out = Vec::with_capacity(lines.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                // A panic while parsing JSON would be a bug in serde; pass it on.
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        out
    })
}
