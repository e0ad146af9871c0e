//! Our saved set, `backlinks-set/1`, and the raw API response.
//!
//! Written as it streams: `{"format","query","fetched_at"` first, then `"items":[` with one
//! item per line, then `"total_count","cost","partial"` once they are known. Key order does
//! not matter to a JSON reader, and this way an export never holds its rows in memory.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::api::request::LiveRequest;
use crate::api::response::{Backlink, Row};

use super::atomic::reason;

mod fast;

use super::read::{ReadEvent, ReadSummary, Sink};
use super::write::SetEnd;
use super::{SET_FORMAT, SetMeta, StoreError};
pub use fast::meta_only;

/// Writes the opening of a set, up to and including `"items":[`.
pub fn write_head(
    out: &mut impl Write,
    query: Option<&LiveRequest>,
    fetched_at: Option<&str>,
) -> std::io::Result<()> {
    write!(out, "{{\"format\":\"{SET_FORMAT}\",\"query\":")?;
    serde_json::to_writer(&mut *out, &query)?;
    out.write_all(b",\"fetched_at\":")?;
    serde_json::to_writer(&mut *out, &fetched_at)?;
    out.write_all(b",\"items\":[")
}

/// Writes one item; `first` says whether a comma is needed before it.
pub fn write_item(out: &mut impl Write, item: &Backlink, first: bool) -> std::io::Result<()> {
    out.write_all(if first { b"\n" } else { b",\n" })?;
    serde_json::to_writer(&mut *out, item)?;
    Ok(())
}

/// Closes the item list and the object.
pub fn write_tail(out: &mut impl Write, end: &SetEnd) -> std::io::Result<()> {
    out.write_all(b"\n],\"total_count\":")?;
    serde_json::to_writer(&mut *out, &end.total_count)?;
    out.write_all(b",\"cost\":")?;
    serde_json::to_writer(&mut *out, &end.cost)?;
    writeln!(out, ",\"partial\":{}}}", end.partial)
}

/// Reads our set (streaming its items), a raw API response, or a bare array of items. A set
/// as this app writes it (an item per line) is read on every core, like JSONL.
pub fn read(path: &Path, chunk: usize, sink: &mut Sink<'_>) -> Result<ReadSummary, StoreError> {
    if let Some(result) = fast::read(path, chunk, sink) {
        return result;
    }
    let file = File::open(path).map_err(|e| StoreError::read(path, reason(&e)))?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(256 * 1024, file));
    let mut state = State {
        sink,
        chunk,
        rows: Vec::new(),
        summary: ReadSummary::default(),
        index: 0,
        stopped: false,
    };
    let outcome = Top(&mut state).deserialize(&mut de);
    state.flush();
    let summary = state.summary;
    match outcome {
        Ok(meta) => {
            if let Some(meta) = meta
                && !state.stopped
            {
                (state.sink)(ReadEvent::Meta(Box::new(meta)));
            }
            Ok(summary)
        }
        Err(_) if state.stopped => Ok(summary),
        Err(e) => Err(StoreError::Format {
            path: path.to_owned(),
            reason: if summary.rows > 0 {
                format!("{e} (the {} rows before it are kept)", summary.rows)
            } else {
                format!("not a backlinks set: {e}")
            },
        }),
    }
}

struct State<'s, 'a> {
    sink: &'s mut Sink<'a>,
    chunk: usize,
    rows: Vec<Backlink>,
    summary: ReadSummary,
    /// Items seen so far, good or bad (for "item N" in messages).
    index: u64,
    stopped: bool,
}

impl State<'_, '_> {
    /// Takes one item's JSON text; false once the sink stopped listening.
    fn item(&mut self, raw: &str) -> bool {
        self.index += 1;
        match serde_json::from_str::<Backlink>(raw) {
            Ok(item) => {
                self.rows.push(item);
                if self.rows.len() >= self.chunk {
                    self.flush();
                }
            }
            Err(e) => {
                self.summary.bad_lines += 1;
                let ev = ReadEvent::BadLine {
                    line: self.index,
                    reason: format!("item {}: {e}", self.index),
                };
                if !(self.sink)(ev) {
                    self.stopped = true;
                }
            }
        }
        !self.stopped
    }

    fn flush(&mut self) {
        if self.rows.is_empty() || self.stopped {
            return;
        }
        self.summary.rows += self.rows.len() as u64;
        let rows = std::mem::take(&mut self.rows);
        if !(self.sink)(ReadEvent::Rows(rows.into_iter().map(Row::new).collect())) {
            self.stopped = true;
        }
    }
}

const STOPPED: &str = "reading stopped";

/// The whole document: a set or response object, or an array of items.
struct Top<'r, 's, 'a>(&'r mut State<'s, 'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = Option<SetMeta>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = Option<SetMeta>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a backlinks set, an API response or a list of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Items(self.0).visit_seq(seq)?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut meta = SetMeta::default();
        let mut is_set = false;
        let mut response: Option<serde_json::Value> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => {
                    let f: String = map.next_value()?;
                    if f != SET_FORMAT {
                        return Err(de::Error::custom(format!(
                            "format '{f}' is not {SET_FORMAT} (written by a newer version?)"
                        )));
                    }
                    is_set = true;
                }
                "query" => meta.query = map.next_value()?,
                "fetched_at" => meta.fetched_at = map.next_value()?,
                "total_count" => meta.total_count = map.next_value()?,
                "cost" => meta.cost = map.next_value::<Option<f64>>()?.unwrap_or(0.0),
                "partial" => meta.partial = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "items" => map.next_value_seed(Items(self.0))?,
                "tasks" => response = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(tasks) = response {
            self.0.flush();
            return from_response(self.0, &tasks, meta.cost).map(Some);
        }
        if !is_set {
            return Err(de::Error::custom(
                "neither a backlinks set nor an API response (no \"format\" or \"tasks\")",
            ));
        }
        Ok(Some(meta))
    }
}

/// The `items` array, streamed.
struct Items<'r, 's, 'a>(&'r mut State<'s, 'a>);

impl<'de> DeserializeSeed<'de> for Items<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(()) // "items": null, as the API sends for an empty result
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            if !self.0.item(raw.get()) {
                return Err(de::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}

/// Items and meta of a raw response (`tasks[0].result[0]`), one item at a time so a bad one
/// does not lose the others.
fn from_response<E: de::Error>(
    state: &mut State<'_, '_>,
    tasks: &serde_json::Value,
    cost: f64,
) -> Result<SetMeta, E> {
    let task = tasks
        .get(0)
        .ok_or_else(|| E::custom("the response has no task"))?;
    let result = task.get("result").and_then(|r| r.get(0));
    let Some(result) = result else {
        let message = task
            .get("status_message")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("no result");
        return Err(E::custom(format!(
            "the response holds no result: {}",
            crate::text::sanitize(message)
        )));
    };
    if let Some(items) = result.get("items").and_then(serde_json::Value::as_array) {
        for item in items {
            if !state.item(&item.to_string()) {
                return Err(E::custom(STOPPED));
            }
        }
    }
    state.flush();
    // The task echoes the request plus `api` and `function`; the rest is the query.
    let query = task.get("data").and_then(|d| {
        let mut d = d.clone();
        if let Some(obj) = d.as_object_mut() {
            obj.remove("api");
            obj.remove("function");
            obj.remove("tag");
        }
        serde_json::from_value::<LiveRequest>(d).ok()
    });
    Ok(SetMeta {
        query,
        fetched_at: None,
        total_count: result
            .get("total_count")
            .and_then(serde_json::Value::as_u64),
        cost,
        partial: false,
    })
}
