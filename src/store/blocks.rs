//! Reading a big file on every core: one thread reads blocks of whole records, the other
//! cores parse blocks, and the caller gets the rows back in file order, in chunks. JSONL and
//! CSV/TSV differ only in where a record ends and how a block is parsed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use crate::api::response::Row;

use super::atomic::reason;
use super::read::{ReadEvent, ReadSummary, Sink};

/// Bytes per block (whole records; the tail of a read waits for the next block).
const BLOCK: usize = 4 << 20;
/// The first block is small so the first rows arrive within milliseconds.
const FIRST_BLOCK: usize = 128 << 10;

/// A record format that can be parsed a block at a time.
pub trait Blocks: Sync {
    /// Where the last whole record in `buf` ends (just after its line break), if one does.
    fn cut(&self, buf: &[u8]) -> Option<usize>;
    /// The rows of a block of whole records.
    fn parse(&self, bytes: &[u8]) -> Parsed;
}

/// What parsing one block gave.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<Row>,
    /// (line within the block, 0-based; reason).
    pub bad: Vec<(u64, String)>,
    /// Lines in the block.
    pub lines: u64,
}

/// Lines in a block: its line breaks, and a last line without one.
#[allow(
    clippy::naive_bytecount,
    reason = "a block is parsed anyway; this pass is a small part of it"
)]
pub fn count_lines(bytes: &[u8]) -> u64 {
    let breaks = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    breaks + u64::from(bytes.last().is_some_and(|b| *b != b'\n'))
}

/// Whole records of the file, numbered in reading order.
struct Block {
    seq: u64,
    bytes: Vec<u8>,
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

type Done = Result<(u64, Parsed), (u64, String)>;

/// Reads `file` from where it stands; its first line is line `lines_before + 1` of the
/// file. `Err` is a read failure, after the rows before it were handed over.
pub fn read<F: Blocks>(
    file: File,
    lines_before: u64,
    format: &F,
    chunk: usize,
    sink: &mut Sink<'_>,
) -> Result<ReadSummary, String> {
    let parsers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let stop = AtomicBool::new(false);
    let (work_tx, work_rx) = sync_channel::<Work>(parsers * 2);
    let (done_tx, done_rx) = sync_channel::<Done>(parsers * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    std::thread::scope(|s| {
        let stop = &stop;
        s.spawn(move || read_blocks(file, format, &work_tx, stop));
        for _ in 0..parsers {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            s.spawn(move || parse_blocks(format, &work_rx, &done_tx));
        }
        drop((work_rx, done_tx));
        let result = collect(&done_rx, lines_before, chunk, sink);
        // The reader went away or a read failed: tell the threads, then let them drain.
        stop.store(true, Ordering::Relaxed);
        drop(done_rx);
        result
    })
}

/// The reading thread: blocks of whole records, the first one small.
fn read_blocks<F: Blocks>(mut file: File, format: &F, out: &SyncSender<Work>, stop: &AtomicBool) {
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
        let Some(end) = format.cut(&buf) else {
            size *= 2; // one record longer than a block: read more
            carry = buf;
            continue;
        };
        carry = buf[end..].to_vec();
        buf.truncate(end);
        if out.send(Work::Block(Block { seq, bytes: buf })).is_err() {
            return;
        }
        seq += 1;
        size = BLOCK;
    }
}

/// A parsing thread: takes blocks until there are none or nobody wants the rows.
fn parse_blocks<F: Blocks>(format: &F, work: &Mutex<Receiver<Work>>, out: &SyncSender<Done>) {
    loop {
        // The lock is held only while waiting for the next block.
        let next = work
            .lock()
            .map_err(|_| ())
            .and_then(|rx| rx.recv().map_err(|_| ()));
        let msg = match next {
            Ok(Work::Block(block)) => Ok((block.seq, format.parse(&block.bytes))),
            Ok(Work::Failed { seq, reason }) => Err((seq, reason)),
            Err(()) => return,
        };
        if out.send(msg).is_err() {
            return;
        }
    }
}

/// Puts parsed blocks back in file order and hands them to `sink` in chunks of about `chunk`
/// rows.
fn collect(
    done: &Receiver<Done>,
    lines_before: u64,
    chunk: usize,
    sink: &mut Sink<'_>,
) -> Result<ReadSummary, String> {
    let mut summary = ReadSummary::default();
    let mut waiting: BTreeMap<u64, Result<Parsed, String>> = BTreeMap::new();
    let mut next_seq = 0;
    let mut line_base = lines_before;
    for msg in done {
        let (seq, item) = match msg {
            Ok((seq, p)) => (seq, Ok(p)),
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
            summary.last_line = line_base;
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
