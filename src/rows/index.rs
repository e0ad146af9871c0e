//! Indexing JSON files: JSONL (an item per line) and a JSON array of items (`[{…},{…}]`, on
//! one line or many; our own set, whose items sit in its `"items"` array, too). Both on every
//! core; see the design notes in [`super`].

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::columns::Columns;
use super::compact::CompactRow;
use super::source::{Source, Stamp};
use super::{BadRecord, RowFormat, RowStore, RowsError};

/// Bytes read at a time by each part.
const BLOCK: usize = 8 << 20;

/// The rows of one part of a file.
#[derive(Debug, Default)]
pub(crate) struct Part {
    pub cols: Columns,
    pub offsets: Vec<u64>,
    pub lens: Vec<u32>,
    pub hashes: Vec<u32>,
    /// (line or item number within the part, 0-based; reason).
    pub bad: Vec<(u64, String)>,
    /// Lines (or items) the part covered.
    pub lines: u64,
}

impl Part {
    pub fn push(&mut self, offset: u64, bytes: &[u8], row: &CompactRow<'_>) {
        self.offsets.push(offset);
        self.lens.push(bytes.len() as u32);
        self.hashes.push(super::fingerprint(bytes));
        self.cols.push(row);
    }

    /// After the first rows of a part from `start` to `end`, with the bytes up to `at` read,
    /// makes room for the rows the part will likely hold: growing a few hundred megabytes
    /// of columns by doubling costs more than reading them.
    pub fn reserve_early(&mut self, start: u64, end: u64, at: u64) {
        const SAMPLE: usize = 64;
        if self.offsets.len() != SAMPLE || at <= start {
            return;
        }
        let per_row = (at - start) as f64 / SAMPLE as f64;
        let rows = ((end - start) as f64 / per_row * 1.05) as usize;
        self.cols.reserve(rows);
        self.offsets.reserve(rows);
        self.lens.reserve(rows);
        self.hashes.reserve(rows);
    }

    /// The parts in order as one: line numbers of each follow the ones before, and every
    /// column is gathered in its final size (see [`Columns::concat`]).
    pub fn concat(parts: Vec<Part>) -> Part {
        let mut parts = parts.into_iter();
        let Some(mut all) = parts.next() else {
            return Part::default();
        };
        // The first part's lists grow in place (its columns have room for the whole file
        // when it could be guessed), the others are appended.
        let rest: Vec<Part> = parts.collect();
        let more: usize = rest.iter().map(|p| p.offsets.len()).sum();
        all.offsets.reserve_exact(more);
        all.lens.reserve_exact(more);
        all.hashes.reserve_exact(more);
        let mut cols = vec![std::mem::take(&mut all.cols)];
        for p in rest {
            let base = all.lines;
            all.offsets.extend(p.offsets);
            all.lens.extend(p.lens);
            all.hashes.extend(p.hashes);
            all.bad
                .extend(p.bad.into_iter().map(|(at, r)| (base + at, r)));
            all.lines += p.lines;
            cols.push(p.cols);
        }
        all.cols = Columns::concat(cols);
        all
    }
}

/// Joins parts read on threads from guessed starts (`bounds`, the first one sure): each
/// part must have stopped where the next one started (`stopped_at` of its stop). At the first
/// that did not (a wrong guess), the rest is read alone from where it stopped (`rest`) and
/// the later parts are dropped. Returns the rows and the last stop.
pub(crate) fn join_parts<S>(
    results: Vec<std::io::Result<(Part, S)>>,
    bounds: &[u64],
    stopped_at: impl Fn(&S) -> Option<u64>,
    rest: impl FnOnce(u64) -> std::io::Result<(Part, S)>,
) -> std::io::Result<(Part, S)> {
    let mut parts = Vec::with_capacity(results.len());
    for (k, r) in results.into_iter().enumerate() {
        let (part, stop) = r?;
        parts.push(part);
        match stopped_at(&stop) {
            Some(next) if Some(next) == bounds.get(k + 1).copied() => {}
            Some(next) => {
                let (part, stop) = rest(next)?;
                parts.push(part);
                return Ok((Part::concat(parts), stop));
            }
            None => return Ok((Part::concat(parts), stop)),
        }
    }
    Err(std::io::Error::other("the parts of the file have no end"))
}

/// The file opened for indexing, with what it looked like.
pub(crate) struct Opened {
    pub file: File,
    pub stamp: Stamp,
}

pub(crate) fn open(path: &Path) -> Result<Opened, RowsError> {
    let io = |e: std::io::Error| RowsError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    Ok(Opened {
        stamp: Stamp::of(&meta),
        file,
    })
}

/// How many parts to cut a file into.
pub(crate) fn parts_for(bytes: u64) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if bytes < (4 << 20) { 1 } else { cores.min(8) }
}

/// Builds the store from the parts (first line of the file is `first_line`).
pub(crate) fn finish(
    path: &Path,
    opened: Opened,
    part: Part,
    first_line: u64,
    format: RowFormat,
) -> RowStore {
    let bad = part
        .bad
        .into_iter()
        .map(|(at, reason)| BadRecord {
            line: first_line + at,
            reason,
        })
        .collect();
    RowStore::from_parts(
        part.cols,
        part.offsets,
        part.lens,
        part.hashes,
        Source::file(opened.file, path, opened.stamp),
        format,
        bad,
    )
}

/// Reads `file` from `start` to `end` in blocks of whole lines, handing each line (without
/// its line break) and its offset to `line`.
pub(crate) fn for_each_line(
    file: &File,
    start: u64,
    end: u64,
    mut line: impl FnMut(u64, &[u8]),
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + 4096);
    let mut at = start; // file offset of buf[0]
    let mut read_to = start;
    let mut size = BLOCK;
    while read_to < end {
        let want = (size as u64).min(end - read_to) as usize;
        let old = buf.len();
        buf.resize(old + want, 0);
        file.read_exact_at(&mut buf[old..], read_to)?;
        read_to += want as u64;
        let last = read_to == end;
        let mut pos = 0;
        while let Some(nl) = memchr::memchr(b'\n', &buf[pos..]) {
            line(at + pos as u64, &buf[pos..pos + nl]);
            pos += nl + 1;
        }
        if last {
            if pos < buf.len() {
                line(at + pos as u64, &buf[pos..]);
            }
            return Ok(());
        }
        if pos == 0 {
            size *= 2; // a line longer than a block
        } else {
            buf.drain(..pos);
            at += pos as u64;
            size = BLOCK;
        }
    }
    Ok(())
}

/// Offsets that cut `start..end` into `n` parts just after line breaks.
pub(crate) fn line_cuts(file: &File, start: u64, end: u64, n: usize) -> std::io::Result<Vec<u64>> {
    let mut cuts = vec![start];
    let mut probe = vec![0u8; 64 << 10];
    for k in 1..n {
        let mut at = start + (end - start) * k as u64 / n as u64;
        let at = loop {
            if at >= end {
                break end;
            }
            let want = probe.len().min((end - at) as usize);
            file.read_exact_at(&mut probe[..want], at)?;
            if let Some(nl) = memchr::memchr(b'\n', &probe[..want]) {
                break at + nl as u64 + 1;
            }
            at += want as u64;
        };
        if at > *cuts.last().unwrap_or(&start) && at < end {
            cuts.push(at);
        }
    }
    cuts.push(end);
    Ok(cuts)
}

/// One JSONL part: every non-blank line an item. Its columns get room for the rows up to
/// `room_to` (the first part's, for the whole file: the others are appended to it in place).
fn jsonl_part(file: &File, start: u64, end: u64, room_to: u64) -> std::io::Result<Part> {
    let mut part = Part::default();
    for_each_line(file, start, end, |offset, line| {
        let at = part.lines;
        part.lines += 1;
        let text = line.trim_ascii();
        if text.is_empty() {
            return;
        }
        let lead = (text.as_ptr() as usize - line.as_ptr() as usize) as u64;
        match CompactRow::scan(text) {
            Ok(row) => {
                part.push(offset + lead, text, &row);
                part.reserve_early(start, room_to, offset + line.len() as u64);
            }
            Err(e) => part.bad.push((at, e.to_string())),
        }
    })?;
    Ok(part)
}

/// Indexes a JSONL file.
pub fn index_jsonl(path: &Path) -> Result<RowStore, RowsError> {
    let opened = open(path)?;
    let io = |e: std::io::Error| RowsError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let len = opened.stamp.len;
    let cuts = line_cuts(&opened.file, 0, len, parts_for(len)).map_err(io)?;
    let file = &opened.file;
    let parts = on_threads(cuts.len() - 1, |k| {
        let room_to = if k == 0 { len } else { cuts[k + 1] };
        jsonl_part(file, cuts[k], cuts[k + 1], room_to)
    });
    let parts = parts
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    Ok(finish(
        path,
        opened,
        Part::concat(parts),
        1,
        RowFormat::Json,
    ))
}

/// Runs `work(k)` for each `k` in `0..n` on a thread of its own; the results in order.
pub(crate) fn on_threads<T: Send>(
    n: usize,
    work: impl Fn(usize) -> std::io::Result<T> + Sync,
) -> Vec<std::io::Result<T>> {
    each_on_thread(n, work, || std::io::Error::other("indexer failed"))
}

/// Runs `work(k)` for each `k` in `0..n`, each on a thread of its own (one alone runs here);
/// the results in order, `failed()` for a thread that panicked.
pub(crate) fn each_on_thread<T: Send, E: Send>(
    n: usize,
    work: impl Fn(usize) -> Result<T, E> + Sync,
    failed: impl Fn() -> E,
) -> Vec<Result<T, E>> {
    if n == 1 {
        return vec![work(0)];
    }
    let work = &work;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n).map(|k| s.spawn(move || work(k))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(failed())))
            .collect()
    })
}

/// Indexes a JSON file: a plain array of items, or our set (items in its `"items"` array).
/// Other JSON (a raw API response) goes through the full reader into a spill file.
pub fn index_json(path: &Path) -> Result<RowStore, RowsError> {
    let opened = open(path)?;
    let io = |e: std::io::Error| RowsError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let len = opened.stamp.len;
    let mut head = vec![0u8; (len.min(1 << 20)) as usize];
    opened.file.read_exact_at(&mut head, 0).map_err(io)?;
    let Some(items_start) = array_start(&head) else {
        return slow_json(path);
    };
    let file = &opened.file;
    let n = parts_for(len - items_start);
    let mut guesses = Vec::new();
    for k in 1..n {
        let from = items_start + (len - items_start) * k as u64 / n as u64;
        if let Some(g) = guess_item_start(file, from, len).map_err(io)?
            && g > *guesses.last().unwrap_or(&items_start)
        {
            guesses.push(g);
        }
    }
    let mut bounds = vec![items_start];
    bounds.extend(&guesses);
    let results = on_threads(bounds.len(), |k| {
        array_part(file, bounds[k], len, bounds.get(k + 1).copied())
    });
    let stopped_at = |stop: &Stop| match stop {
        Stop::At(next) => Some(*next),
        Stop::End | Stop::Broken(_) => None,
    };
    let (all, stop) = join_parts(results, &bounds, stopped_at, |next| {
        array_part(file, next, len, None)
    })
    .map_err(io)?;
    end_of_array(path, opened, all, stop)
}

fn end_of_array(path: &Path, opened: Opened, all: Part, stop: Stop) -> Result<RowStore, RowsError> {
    match stop {
        Stop::End => Ok(finish(path, opened, all, 1, RowFormat::Json)),
        Stop::Broken(reason) => Err(RowsError::Format {
            path: path.to_owned(),
            reason: format!(
                "{reason} (after {} items; the file is not a list of items there)",
                all.lines
            ),
        }),
        Stop::At(_) => Err(RowsError::Format {
            path: path.to_owned(),
            reason: "the list of items has no end".into(),
        }),
    }
}

/// Reads the file with the full reader into a spill-file store (a raw API response).
fn slow_json(path: &Path) -> Result<RowStore, RowsError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut store =
        RowStore::for_pages(dir).or_else(|_| RowStore::for_pages(&std::env::temp_dir()))?;
    let mut failed = None;
    let mut bad = Vec::new();
    let read = crate::store::read_file(path, crate::store::read::CHUNK_ROWS, |ev| {
        match ev {
            crate::store::ReadEvent::Rows(rows) => {
                let items: Vec<_> = rows
                    .into_iter()
                    .map(std::sync::Arc::unwrap_or_clone)
                    .collect();
                if let Err(e) = store.push_items(&items) {
                    failed = Some(e);
                    return false;
                }
            }
            crate::store::ReadEvent::BadLine { line, reason } => {
                bad.push(BadRecord { line, reason });
            }
            crate::store::ReadEvent::Meta(_) => {}
        }
        true
    });
    if let Some(e) = failed {
        return Err(e);
    }
    read.map_err(|e| RowsError::Format {
        path: path.to_owned(),
        reason: e.without_path(),
    })?;
    store.bad = bad;
    Ok(store)
}

/// Where the items of a JSON document start (just after the `[`): a plain array, or our set
/// whose first line ends with `"items":[`.
fn array_start(head: &[u8]) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Head {
        format: String,
    }
    let lead = head.iter().position(|b| !b.is_ascii_whitespace())?;
    if head[lead] == b'[' {
        return Some(lead as u64 + 1);
    }
    let nl = memchr::memchr(b'\n', head)?;
    let first = std::str::from_utf8(&head[..nl]).ok()?.trim_end();
    let head_text = first.strip_suffix("\"items\":[")?;
    let h: Head = serde_json::from_str(&format!("{head_text}\"items\":[]}}")).ok()?;
    (h.format == crate::store::SET_FORMAT).then_some(first.len() as u64)
}

/// Where a part ended.
#[derive(Debug)]
enum Stop {
    /// At the `]` closing the list.
    End,
    /// At the item starting here, the first at or after the part's limit.
    At(u64),
    /// At something that is not an item or a separator.
    Broken(String),
}

/// A guess at an item's start at or after `from`: the `{` of a `}` `,` `{` sequence.
fn guess_item_start(file: &File, from: u64, len: u64) -> std::io::Result<Option<u64>> {
    let mut buf = vec![0u8; 1 << 20];
    let mut at = from;
    while at < len {
        let want = buf.len().min((len - at) as usize);
        file.read_exact_at(&mut buf[..want], at)?;
        let mut i = 0;
        while let Some(c) = memchr::memchr(b'}', &buf[i..want]) {
            let mut j = i + c + 1;
            while j < want && buf[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < want && buf[j] == b',' {
                j += 1;
                while j < want && buf[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < want && buf[j] == b'{' {
                    return Ok(Some(at + j as u64));
                }
            }
            i += c + 1;
        }
        if want < buf.len() {
            break;
        }
        at += (want - 64) as u64; // overlap, so a sequence across the edge is seen
    }
    Ok(None)
}

/// A part's text, read in blocks and checked as UTF-8 once per block (serde_json then
/// skips its check of each string).
struct TextBlocks<'f> {
    file: &'f File,
    len: u64,
    text: String,
    /// The bytes of a character cut by the end of the last block.
    cut: Vec<u8>,
    /// File offset of `text[0]`.
    base: u64,
    read_to: u64,
    /// Where the file stops being UTF-8, once seen.
    not_text: Option<u64>,
}

impl TextBlocks<'_> {
    /// Drops `text[..pos]` and reads the next block; false at the end of the file (or of its
    /// UTF-8 text).
    fn refill(&mut self, pos: &mut usize) -> std::io::Result<bool> {
        if self.read_to >= self.len || self.not_text.is_some() {
            return Ok(false);
        }
        self.text.drain(..*pos);
        self.base += *pos as u64;
        *pos = 0;
        let want = BLOCK
            .max(self.text.len())
            .min((self.len - self.read_to) as usize);
        let mut raw = std::mem::take(&mut self.cut);
        let old = raw.len();
        raw.resize(old + want, 0);
        self.file.read_exact_at(&mut raw[old..], self.read_to)?;
        self.read_to += want as u64;
        match String::from_utf8(raw) {
            Ok(t) => self.text.push_str(&t),
            Err(e) => {
                let err = e.utf8_error();
                let valid = err.valid_up_to();
                let bytes = e.into_bytes();
                self.text
                    .push_str(std::str::from_utf8(&bytes[..valid]).unwrap_or_default());
                if err.error_len().is_some() || self.read_to >= self.len {
                    self.not_text = Some(self.base + self.text.len() as u64);
                } else {
                    self.cut = bytes[valid..].to_vec();
                }
            }
        }
        Ok(true)
    }

    /// Why the text ended early.
    fn end_reason(&self, what: &str) -> String {
        match self.not_text {
            Some(at) => format!("not valid UTF-8 text at byte {at}"),
            None => format!("the file ends inside {what}"),
        }
    }
}

/// Reads array items from `start` (just after `[` or at an item's `{`), until the closing
/// `]`, or until the first item starting at or after `limit`.
fn array_part(
    file: &File,
    start: u64,
    len: u64,
    limit: Option<u64>,
) -> std::io::Result<(Part, Stop)> {
    let mut part = Part::default();
    let mut tb = TextBlocks {
        file,
        len,
        text: String::new(),
        cut: Vec::new(),
        base: start,
        read_to: start,
        not_text: None,
    };
    let mut pos = 0usize;
    let mut expect_item = true; // after `[` or `,`
    loop {
        let bytes = tb.text.as_bytes();
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            if tb.refill(&mut pos)? {
                continue;
            }
            let reason = tb.end_reason("the list of items");
            return Ok((part, Stop::Broken(reason)));
        }
        let at = tb.base + pos as u64;
        match bytes[pos] {
            b']' if expect_item && part.lines > 0 => {
                return Ok((part, Stop::Broken(format!("a ',' before ']' at byte {at}"))));
            }
            b']' => return Ok((part, Stop::End)),
            b',' if !expect_item => {
                expect_item = true;
                pos += 1;
            }
            b'{' if expect_item => {
                if limit.is_some_and(|l| at >= l) {
                    return Ok((part, Stop::At(at)));
                }
                match CompactRow::scan_prefix(&tb.text[pos..]) {
                    Ok((row, used)) => {
                        part.push(at, &bytes[pos..pos + used], &row);
                        part.reserve_early(start, len, at + used as u64);
                        part.lines += 1;
                        pos += used;
                        expect_item = false;
                    }
                    Err(e) if e.is_eof() => {
                        if !tb.refill(&mut pos)? {
                            let reason = tb.end_reason("an item");
                            return Ok((part, Stop::Broken(reason)));
                        }
                    }
                    Err(e) => {
                        // A bad item: skip to its end if its braces balance, else stop.
                        let item = part.lines;
                        loop {
                            if let Some(end) = object_end(&tb.text.as_bytes()[pos..]) {
                                let reason = format!("item {}: {e}", item + 1);
                                part.bad.push((item, reason));
                                part.lines += 1;
                                pos += end;
                                expect_item = false;
                                break;
                            }
                            if !tb.refill(&mut pos)? {
                                let reason = format!("item {}: {e}", item + 1);
                                return Ok((part, Stop::Broken(reason)));
                            }
                        }
                    }
                }
            }
            other => {
                let what = if other.is_ascii_graphic() {
                    format!("'{}'", other as char)
                } else {
                    format!("byte {other:#04x}")
                };
                return Ok((
                    part,
                    Stop::Broken(format!("unexpected {what} at byte {at}")),
                ));
            }
        }
    }
}

/// Just after the `}` closing the object that starts `bytes`, minding strings and escapes.
fn object_end(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0u32;
    let mut in_str = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}
