//! A set as this app writes it — the head on the first line up to `"items":[`, then an item
//! per line (each but the last ending in a comma), then `],"total_count":…}` — read like
//! JSONL: blocks of lines parsed on every core. Anything else goes to the streaming reader.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;

use serde::Deserialize;

use crate::api::request::LiveRequest;

use super::super::atomic::reason;
use super::super::blocks::{self, Blocks, Parsed};
use super::super::jsonl;
use super::super::read::{ReadEvent, ReadSummary, Sink};
use super::super::{SET_FORMAT, SetMeta, StoreError};

/// The head line, longer than which the file is not ours.
const HEAD_MAX: u64 = 1 << 20;

#[derive(Deserialize)]
struct Head {
    format: String,
    query: Option<LiveRequest>,
    fetched_at: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tail {
    total_count: Option<u64>,
    cost: Option<f64>,
    partial: Option<bool>,
}

/// `None` when the file is not laid out as this app writes sets.
pub fn read(
    path: &Path,
    chunk: usize,
    sink: &mut Sink<'_>,
) -> Option<Result<ReadSummary, StoreError>> {
    let mut file = BufReader::new(File::open(path).ok()?);
    let mut first = String::new();
    (&mut file).take(HEAD_MAX).read_line(&mut first).ok()?;
    let head_text = first.trim_end().strip_suffix("\"items\":[")?;
    let head: Head = serde_json::from_str(&format!("{head_text}\"items\":[]}}")).ok()?;
    if head.format != SET_FORMAT {
        return None;
    }
    let mut file = file.into_inner();
    if let Err(e) = file.seek(SeekFrom::Start(first.len() as u64)) {
        return Some(Err(StoreError::read(path, reason(&e))));
    }
    let format = SetLines::default();
    let summary = match blocks::read(file, 1, &format, chunk, sink) {
        Ok(s) => s,
        Err(r) => return Some(Err(StoreError::read(path, r))),
    };
    let tail = format
        .tail
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(tail) = tail else {
        let rows = summary.rows;
        return Some(Err(StoreError::Format {
            path: path.to_owned(),
            reason: format!(
                "the set is cut off after line {} (the {rows} rows before it are kept)",
                summary.last_line
            ),
        }));
    };
    let meta = SetMeta {
        query: head.query,
        fetched_at: head.fetched_at,
        total_count: tail.total_count,
        cost: tail.cost.unwrap_or(0.0),
        partial: tail.partial.unwrap_or(false),
    };
    sink(ReadEvent::Meta(Box::new(meta)));
    Some(Ok(summary))
}

/// Item lines, and the closing line once it is seen.
#[derive(Default)]
struct SetLines {
    tail: Mutex<Option<Tail>>,
}

impl Blocks for SetLines {
    fn cut(&self, buf: &[u8]) -> Option<usize> {
        jsonl::last_line_end(buf)
    }

    fn parse(&self, bytes: &[u8]) -> Parsed {
        jsonl::parse_lines(bytes, set_item, |at, line, parsed| {
            // `],"total_count":…}`: the rest of the set's object.
            let mut object = b"{".to_vec();
            object.extend_from_slice(line.trim_ascii().strip_prefix(b"],").unwrap_or(line));
            match serde_json::from_slice::<Tail>(&object) {
                Ok(tail) => {
                    if let Ok(mut t) = self.tail.lock() {
                        *t = Some(tail);
                    }
                }
                Err(e) => parsed.bad.push((at, format!("the set's last line: {e}"))),
            }
        })
    }
}

/// An item line without its trailing comma; `None` for the closing line.
fn set_item(line: &[u8]) -> Option<&[u8]> {
    let line = line.trim_ascii();
    (!line.starts_with(b"],")).then(|| line.strip_suffix(b",").unwrap_or(line))
}

/// The description of a set as this app writes it, from its head line and its closing line
/// alone (the items are not read): what the explorer needs when a row store reads the items.
/// `None` when the file is not laid out that way or its closing line is missing.
pub fn meta_only(path: &Path) -> Option<SetMeta> {
    use std::os::unix::fs::FileExt;
    const TAIL_MAX: u64 = 64 << 10;
    let file = File::open(path).ok()?;
    let mut first = String::new();
    BufReader::new(&file)
        .take(HEAD_MAX)
        .read_line(&mut first)
        .ok()?;
    let head_text = first.trim_end().strip_suffix("\"items\":[")?;
    let head: Head = serde_json::from_str(&format!("{head_text}\"items\":[]}}")).ok()?;
    if head.format != SET_FORMAT {
        return None;
    }
    let len = file.metadata().ok()?.len();
    let from = len.saturating_sub(TAIL_MAX).max(first.len() as u64);
    let mut end = vec![0; usize::try_from(len - from).ok()?];
    file.read_exact_at(&mut end, from).ok()?;
    let end = end.trim_ascii_end();
    let last = end
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(end, |i| &end[i + 1..]);
    let mut object = b"{".to_vec();
    object.extend_from_slice(last.trim_ascii().strip_prefix(b"],")?);
    let tail: Tail = serde_json::from_slice(&object).ok()?;
    Some(SetMeta {
        query: head.query,
        fetched_at: head.fetched_at,
        total_count: tail.total_count,
        cost: tail.cost.unwrap_or(0.0),
        partial: tail.partial.unwrap_or(false),
    })
}
