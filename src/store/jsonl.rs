//! JSONL: one item per line, exactly as the API sends it. The fastest format to open: one
//! thread reads the file in blocks of whole lines while the other cores parse blocks, and the
//! caller gets the rows back in file order.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use crate::api::response::{Backlink, Row};

use super::StoreError;
use super::atomic::{AtomicFile, reason};
use super::read::{ReadEvent, ReadSummary, Sink};

/// Bytes per block (whole lines; the tail of a read waits for the next block).
const BLOCK: usize = 4 << 20;
/// The first block is small so the first rows arrive within milliseconds.
const FIRST_BLOCK: usize = 128 << 10;

/// Appends one item and a newline.
pub fn write_item(out: &mut AtomicFile, item: &Backlink) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, item)?;
    out.write_all(b"\n")
}

/// Whole lines of the file, numbered in reading order.
struct Block {
    seq: u64,
    bytes: Vec<u8>,
}

/// What parsing one block gave.
struct Parsed {
    seq: u64,
    rows: Vec<Row>,
    /// (line within the block, 0-based; reason).
    bad: Vec<(u64, String)>,
    /// Lines in the block.
    lines: u64,
}

/// What the reading thread hands on, in order.
enum Work {
    Block(Block),
    /// Reading stopped here with this reason.
    Failed {
        seq: u64,
        reason: String,
    },
}

/// Reads a JSONL file. Blank lines are skipped; a line that is not an item is reported with
/// its number and skipped.
pub fn read(path: &Path, chunk: usize, sink: &mut Sink<'_>) -> Result<ReadSummary, StoreError> {
    let file = File::open(path).map_err(|e| StoreError::read(path, reason(&e)))?;
    let parsers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let stop = AtomicBool::new(false);
    let (work_tx, work_rx) = sync_channel::<Work>(parsers * 2);
    let (done_tx, done_rx) = sync_channel::<Result<Parsed, (u64, String)>>(parsers * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    std::thread::scope(|s| {
        let stop = &stop;
        s.spawn(move || read_blocks(file, &work_tx, stop));
        for _ in 0..parsers {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            s.spawn(move || parse_blocks(&work_rx, &done_tx));
        }
        drop((work_rx, done_tx));
        let result = collect(&done_rx, chunk, sink);
        // The reader went away or a read failed: tell the threads, then let them drain.
        stop.store(true, Ordering::Relaxed);
        drop(done_rx);
        result.map_err(|reason| StoreError::read(path, reason))
    })
}

/// The reading thread: blocks of whole lines, the first one small.
fn read_blocks(mut file: File, out: &SyncSender<Work>, stop: &AtomicBool) {
    let mut seq = 0;
    let mut carry: Vec<u8> = Vec::new();
    let mut size = FIRST_BLOCK;
    loop {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let mut buf = std::mem::take(&mut carry);
        let start = buf.len();
        buf.resize(start + size, 0);
        let mut filled = start;
        let mut eof = false;
        while filled < buf.len() {
            match file.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = out.send(Work::Failed {
                        seq,
                        reason: reason(&e),
                    });
                    return;
                }
            }
        }
        buf.truncate(filled);
        if eof {
            if !buf.is_empty() {
                let _ = out.send(Work::Block(Block { seq, bytes: buf }));
            }
            return;
        }
        let Some(last) = buf.iter().rposition(|b| *b == b'\n') else {
            size *= 2; // one line longer than a block: read more
            carry = buf;
            continue;
        };
        carry = buf[last + 1..].to_vec();
        buf.truncate(last + 1);
        if out.send(Work::Block(Block { seq, bytes: buf })).is_err() {
            return;
        }
        seq += 1;
        size = BLOCK;
    }
}

/// A parsing thread: takes blocks until there are none or nobody wants the rows.
fn parse_blocks(work: &Mutex<Receiver<Work>>, out: &SyncSender<Result<Parsed, (u64, String)>>) {
    loop {
        // The lock is held only while waiting for the next block.
        let next = work
            .lock()
            .map_err(|_| ())
            .and_then(|rx| rx.recv().map_err(|_| ()));
        let msg = match next {
            Ok(Work::Block(block)) => Ok(parse_block(&block)),
            Ok(Work::Failed { seq, reason }) => Err((seq, reason)),
            Err(()) => return,
        };
        if out.send(msg).is_err() {
            return;
        }
    }
}

/// Parses a block's lines. The block is checked as UTF-8 once, which spares the per-string
/// check; a block that is not UTF-8 is parsed line by line so the bad line is named.
fn parse_block(block: &Block) -> Parsed {
    let mut parsed = Parsed {
        seq: block.seq,
        rows: Vec::with_capacity(block.bytes.len() / 1024 + 1),
        bad: Vec::new(),
        lines: 0,
    };
    let mut lines = block.bytes.split(|b| *b == b'\n').peekable();
    let text_ok = std::str::from_utf8(&block.bytes).is_ok();
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

/// serde's message for one line, with its "line 1" (always 1 here) left out.
fn line_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    format!("{message} at column {}", e.column())
}

/// Puts parsed blocks back in file order and hands them to `sink` in chunks of about `chunk`
/// rows. `Err` is a read failure, after the rows before it were handed over.
fn collect(
    done: &Receiver<Result<Parsed, (u64, String)>>,
    chunk: usize,
    sink: &mut Sink<'_>,
) -> Result<ReadSummary, String> {
    let mut summary = ReadSummary::default();
    let mut waiting: BTreeMap<u64, Result<Parsed, String>> = BTreeMap::new();
    let mut next_seq = 0;
    let mut line_base: u64 = 0;
    for msg in done {
        let (seq, item) = match msg {
            Ok(p) => (p.seq, Ok(p)),
            Err((seq, reason)) => (seq, Err(reason)),
        };
        waiting.insert(seq, item);
        while let Some(item) = waiting.remove(&next_seq) {
            next_seq += 1;
            let parsed = item?;
            for (at, reason) in parsed.bad {
                summary.bad_lines += 1;
                let line = line_base + at + 1;
                if !sink(ReadEvent::BadLine { line, reason }) {
                    return Ok(summary);
                }
            }
            line_base += parsed.lines;
            let mut rows = parsed.rows;
            while !rows.is_empty() {
                let rest = if rows.len() > chunk {
                    rows.split_off(chunk)
                } else {
                    Vec::new()
                };
                summary.rows += rows.len() as u64;
                if !sink(ReadEvent::Rows(rows)) {
                    return Ok(summary);
                }
                rows = rest;
            }
        }
    }
    Ok(summary)
}
