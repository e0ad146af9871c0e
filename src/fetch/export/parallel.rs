//! The partitioned export: slices of the result fetched side by side, each paged by offset,
//! cut again when too big, written in the requested order at the end.
//!
//! Each slice ("node") knows the first rows of its range in the API's order: rows it inherited
//! from the larger slice it was cut from (a page of a slice, filtered to a smaller range, is the
//! start of that range, in order), then its own pages. So no page is paid for twice:
//! - **merged layout**: a slice's first page says its `total_count`; a slice the offsets cannot
//!   reach to its end is cut at the quantiles of the keys it knows (its first page is a sample);
//! - **concatenated layout** (the slice field is the first sort key): a slice pages by offset to
//!   the limit, then is cut at the last key it has: the rows before that key are complete, the
//!   rest is a new slice that starts with the rows of that key and knows its size already;
//! - a slice of one value that the offsets cannot reach walks its own token.
//!
//! Pages go to disk as they come ([`super::spill`]); every page request goes through the
//! source (the client's limiter keeps the account's 30 in flight and 2,000 a minute, and backs
//! off on 40202; [`super::fetch_page`] tries a failed page again). Each page's `total_count` and
//! each row's key are checked against its slice, so a union that is not exactly the result
//! (rows without a value, a result that changed) stops the export with the reason instead of
//! writing a wrong file.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::api::response::Backlink;
use crate::fetch::worker::PageSource;
use crate::store::SetWriter;

use super::estimate::page_price;
use super::merge::{self, SliceRows};
use super::partition::{self, Layout, PartitionPlan, Range};
use super::slices::{SliceRecord, Slices};
use super::spill::{PageFile, SpillDir};
use super::{Cancel, ExportJob, Outcome, Progress, Stop, fetch_page, reserve};

/// Page requests a partitioned export keeps going at once (the account's in-flight cap).
pub const PAGES_IN_FLIGHT: usize = crate::api::client::MAX_IN_FLIGHT;

/// A page as the coordinator keeps it: rows on disk, keys in memory.
#[derive(Debug)]
struct Arrived {
    file: Arc<PageFile>,
    keys: Vec<i64>,
    token: Option<String>,
    total_count: u64,
    cost: f64,
    cached: bool,
}

/// Which page of a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Offset(u64),
    Token,
}

#[derive(Debug, Default)]
struct Node {
    range: Range,
    /// Pages holding the known rows, in order; read through `range`.
    files: Vec<Arc<PageFile>>,
    /// Keys of the known rows, in order.
    keys: Vec<i64>,
    count: Option<u64>,
    next_offset: u64,
    /// Pages that came before the ones ahead of them.
    early: BTreeMap<u64, Arrived>,
    in_flight: u32,
    /// The token after the known rows, when they end with a page of this slice's own.
    token: Option<String>,
    pages: u64,
    done: bool,
}

impl Node {
    fn known(&self) -> u64 {
        self.keys.len() as u64
    }
}

/// What one page task sends back.
type Landed = (usize, At, f64, u32, Result<Arrived, String>);

struct Engine<'a, S> {
    source: &'a S,
    job: &'a ExportJob,
    plan: &'a PartitionPlan,
    spill: Arc<SpillDir>,
    nodes: Vec<Node>,
    /// Slices in output order (the concatenated layout's order; any order for the merge).
    order: Vec<usize>,
    tasks: JoinSet<Landed>,
    progress: Progress,
    started: Instant,
    committed: Arc<Mutex<f64>>,
    budget: Option<f64>,
    stop: Option<Stop>,
}

/// Fetches every row of `job` past `head` (its first rows, already in `writer`), slicing by
/// `plan`, and writes them in order. `budget` (USD for this run) stops before a page that could
/// go over it; `report` sees every step.
#[expect(
    clippy::too_many_arguments,
    reason = "the engine's inputs, as `export::run` takes them"
)]
pub async fn run<S: PageSource, B: Borrow<Backlink>>(
    source: &S,
    job: &ExportJob,
    plan: &PartitionPlan,
    head: &[B],
    writer: SetWriter,
    cancel: &Cancel,
    budget: Option<f64>,
    report: &mut impl FnMut(&Progress),
) -> Outcome {
    let outcome = |progress, stop, writer| Outcome {
        progress,
        stop,
        total_count: Some(job.target_rows),
        writer: Some(writer),
        slices: Vec::new(),
    };
    let start = Progress {
        rows: job.start_row,
        target_rows: job.target_rows,
        ..Progress::default()
    };
    let spill = match SpillDir::create() {
        Ok(s) => s,
        Err(e) => return outcome(start, Stop::Failed(e.to_string()), writer),
    };
    let head: Vec<Backlink> = head.iter().map(|b| b.borrow().clone()).collect();
    let mut keys = Vec::with_capacity(head.len());
    for row in &head {
        match plan.field.key(row) {
            Some(k) => keys.push(k),
            None => return outcome(start, Stop::Failed(no_key(plan)), writer),
        }
    }
    let file = {
        let spill = spill.clone();
        tokio::task::spawn_blocking(move || spill.write(&head)).await
    };
    let file = match file {
        Ok(Ok(f)) => Arc::new(f),
        Ok(Err(e)) => return outcome(start, Stop::Failed(e.to_string()), writer),
        Err(e) => return outcome(start, Stop::Failed(e.to_string()), writer),
    };
    let root = Node {
        range: Range::ALL,
        next_offset: keys.len() as u64,
        files: vec![file],
        keys,
        count: Some(job.target_rows),
        ..Node::default()
    };
    let mut engine = Engine {
        source,
        job,
        plan,
        spill,
        nodes: vec![root],
        order: vec![0],
        tasks: JoinSet::new(),
        progress: start,
        started: Instant::now(),
        committed: Arc::new(Mutex::new(0.0)),
        budget,
        stop: None,
    };
    engine.begin().await;
    engine.fetch(cancel, report).await;
    engine.finish(writer, report).await
}

fn no_key(plan: &PartitionPlan) -> String {
    format!(
        "a row has no {} to slice by; export again without slicing",
        plan.field.name
    )
}

impl<S: PageSource> Engine<'_, S> {
    /// The first cuts: chains over the field's domain (concatenated), or the root's sample
    /// (merged).
    async fn begin(&mut self) {
        match self.plan.layout {
            Layout::Concat(_) => {
                let cuts = partition::chain_cuts(&self.plan.field, self.job.target_rows);
                if !cuts.is_empty() {
                    self.split(0, &cuts);
                }
            }
            Layout::Merge => {
                if let Some(sample) = self.sample().await {
                    let count = self.job.target_rows;
                    let cuts =
                        partition::cuts(&Range::ALL, &sample, count, self.plan.slice_target());
                    if !cuts.is_empty() {
                        self.split(0, &cuts);
                        return;
                    }
                }
                self.advance(0);
            }
        }
    }

    /// Keys of a page of the query in an order that has nothing to do with the slice field
    /// ([`partition::SAMPLE_ORDER`]): the first rows of the requested order are no sample when
    /// that order follows the slice field (the top links by rank are on the top pages). One
    /// page, paid like any other; `None` when it fails (the first rows' keys do then).
    async fn sample(&mut self) -> Option<Vec<i64>> {
        let limit = self.plan.page_size;
        let price = page_price(u64::from(limit));
        if !reserve(&self.committed, self.budget, price) {
            return None;
        }
        let mut request = self.job.query.clone();
        request.order_by = Some(vec![partition::SAMPLE_ORDER.parse().ok()?]);
        request.offset = Some(0);
        request.limit = Some(limit);
        let result = fetch_page(self.source, request).await;
        {
            let paid = result.as_ref().map_or(0.0, |p| p.cost);
            let mut c = self
                .committed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *c = (*c - price).max(0.0) + paid;
        }
        let page = result.ok()?;
        if page.cached {
            self.progress.cached_pages += 1;
        } else {
            self.progress.requests += 1;
            self.progress.cost += page.cost;
        }
        self.nodes[0].pages += 1;
        page.items.iter().map(|r| self.plan.field.key(r)).collect()
    }

    /// Pages until everything is fetched or the export stops; the pages in flight then finish.
    async fn fetch(&mut self, cancel: &Cancel, report: &mut impl FnMut(&Progress)) {
        loop {
            if cancel.is_cancelled() && self.stop.is_none() {
                self.stop = Some(Stop::Cancelled);
            }
            if self.stop.is_none() {
                self.launch();
            }
            let Some(joined) = self.tasks.join_next().await else {
                break;
            };
            let (id, at, reserved, limit, result) =
                joined.unwrap_or_else(|e| (usize::MAX, At::Token, 0.0, 0, Err(e.to_string())));
            self.landed(id, at, reserved, limit, result);
            self.progress.elapsed = self.started.elapsed();
            self.progress.slices = self.slices();
            report(&self.progress);
        }
        if self.stop.is_none() && !self.order.iter().all(|&i| self.nodes[i].done) {
            self.stop = Some(Stop::Failed(
                "slices were left unfinished with nothing to fetch".into(),
            ));
        }
        if self.stop.is_none() {
            let total: u64 = self.order.iter().map(|&i| self.nodes[i].known()).sum();
            if total != self.job.target_rows {
                self.stop = Some(Stop::Failed(format!(
                    "the slices hold {total} rows, the query {}: the result changed during the \
                     export",
                    self.job.target_rows
                )));
            }
        }
    }

    /// Starts pages while there is room: first the slices waiting for their first page (their
    /// size decides what comes next), then slice after slice, each as far as it goes (the fewer
    /// different queries at once, the better a server's caches serve them).
    fn launch(&mut self) {
        for first_pages in [true, false] {
            for i in 0..self.order.len() {
                let id = self.order[i];
                if self.nodes[id].count.is_some() == first_pages {
                    continue;
                }
                while self.tasks.len() < PAGES_IN_FLIGHT && self.stop.is_none() {
                    let Some((at, limit)) = self.next_page(id) else {
                        break;
                    };
                    self.start(id, at, limit);
                }
            }
        }
    }

    /// The page slice `id` can start now.
    fn next_page(&self, id: usize) -> Option<(At, u32)> {
        let n = &self.nodes[id];
        let size = u64::from(self.plan.page_size);
        if n.done {
            return None;
        }
        let Some(count) = n.count else {
            // Its first page says how big it is; nothing else before that.
            return (n.in_flight == 0).then_some((At::Offset(n.next_offset), self.plan.page_size));
        };
        if n.next_offset < count && n.next_offset <= self.plan.max_offset {
            let limit = size.min(count - n.next_offset) as u32;
            return Some((At::Offset(n.next_offset), limit));
        }
        if n.in_flight == 0 && n.known() < count && n.token.is_some() {
            return Some((At::Token, size.min(count - n.known()) as u32));
        }
        None
    }

    fn start(&mut self, id: usize, at: At, limit: u32) {
        let price = page_price(u64::from(limit));
        if !reserve(&self.committed, self.budget, price) {
            self.stop = Some(Stop::Budget);
            return;
        }
        let node = &mut self.nodes[id];
        node.in_flight += 1;
        let mut request = self.plan.request_for(&self.job.query, &node.range);
        request.limit = Some(limit);
        match at {
            At::Offset(o) => {
                request.offset = Some(o as u32);
                node.next_offset = o + u64::from(self.plan.page_size);
            }
            At::Token => request.search_after_token = node.token.take(),
        }
        let (source, spill, field, range) = (
            self.source.clone(),
            self.spill.clone(),
            self.plan.field.clone(),
            node.range,
        );
        self.tasks.spawn(async move {
            let page = match fetch_page(&source, request).await {
                Ok(p) => p,
                Err(e) => return (id, at, price, limit, Err(e.to_string())),
            };
            let mut keys = Vec::with_capacity(page.items.len());
            for row in &page.items {
                match field.key(row) {
                    Some(k) if range.contains(k) => keys.push(k),
                    Some(k) => {
                        return (
                            id,
                            at,
                            price,
                            limit,
                            Err(format!(
                                "a row with {} {} came back for the slice {}",
                                field.name,
                                field.show(k),
                                range.describe(&field)
                            )),
                        );
                    }
                    None => {
                        return (
                            id,
                            at,
                            price,
                            limit,
                            Err(format!(
                                "a row has no {} to slice by; export again without slicing",
                                field.name
                            )),
                        );
                    }
                }
            }
            let (items, cost, cached) = (page.items, page.cost, page.cached);
            let written = tokio::task::spawn_blocking(move || spill.write(&items)).await;
            let file = match written {
                Ok(Ok(f)) => Arc::new(f),
                Ok(Err(e)) => return (id, at, price, limit, Err(e.to_string())),
                Err(e) => return (id, at, price, limit, Err(e.to_string())),
            };
            let arrived = Arrived {
                file,
                keys,
                token: page.search_after_token,
                total_count: page.total_count,
                cost,
                cached,
            };
            (id, at, price, limit, Ok(arrived))
        });
    }

    /// A page came back: book it, put it in its slice, and decide what the slice does next.
    fn landed(
        &mut self,
        id: usize,
        at: At,
        reserved: f64,
        limit: u32,
        result: Result<Arrived, String>,
    ) {
        {
            let paid = result.as_ref().map_or(0.0, |a| a.cost);
            let mut c = self
                .committed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *c = (*c - reserved).max(0.0) + paid;
        }
        let page = match result {
            Ok(page) => page,
            Err(reason) => {
                if let Some(node) = self.nodes.get_mut(id) {
                    node.in_flight = node.in_flight.saturating_sub(1);
                }
                if self.stop.is_none() || self.stop == Some(Stop::Cancelled) {
                    self.stop = Some(Stop::Failed(reason));
                }
                return;
            }
        };
        let p = &mut self.progress;
        if page.cached {
            p.cached_pages += 1;
        } else {
            p.requests += 1;
            p.cost += page.cost;
        }
        let rows = page.keys.len() as u64;
        p.fetched += rows;
        p.rows = (p.rows + rows).min(p.target_rows);
        let node = &mut self.nodes[id];
        node.in_flight -= 1;
        node.pages += 1;
        if let Some(count) = node.count
            && count != page.total_count
        {
            let range = node.range.describe(&self.plan.field);
            self.fail(format!(
                "the slice {range} has {} rows where {count} were expected: the result changed \
                 during the export, or some rows have no {}",
                page.total_count, self.plan.field.name
            ));
            return;
        }
        node.count = Some(page.total_count);
        let position = match at {
            At::Offset(o) => o,
            At::Token => node.known(),
        };
        if rows != u64::from(limit).min(page.total_count.saturating_sub(position)) {
            let range = node.range.describe(&self.plan.field);
            self.fail(format!(
                "a page of the slice {range} held {rows} rows, not what its total_count says"
            ));
            return;
        }
        match at {
            At::Token => append(node, page),
            At::Offset(o) => {
                node.early.insert(o, page);
                while let Some(next) = node.early.remove(&node.known()) {
                    append(node, next);
                }
            }
        }
        if node.known() >= page_total(node) {
            node.done = true;
            node.early.clear();
            return;
        }
        if self.stop.is_none() {
            self.advance(id);
        }
    }

    fn fail(&mut self, reason: String) {
        if self.stop.is_none() || self.stop == Some(Stop::Cancelled) {
            self.stop = Some(Stop::Failed(reason));
        }
    }

    /// A slice that has its size and nothing in flight: cut it, or let it page on.
    fn advance(&mut self, id: usize) {
        let n = &self.nodes[id];
        let Some(count) = n.count else { return };
        if n.done || n.in_flight > 0 || count <= self.plan.slice_cap() {
            return;
        }
        let offsets_left = n.next_offset < count && n.next_offset <= self.plan.max_offset;
        match self.plan.layout {
            Layout::Merge => {
                // Cut once its first page is in, unless it is one value.
                if n.range.is_single() {
                    return;
                }
                let cuts = partition::cuts(&n.range, &n.keys, count, self.plan.slice_target());
                if !cuts.is_empty() {
                    self.split(id, &cuts);
                }
            }
            Layout::Concat(dir) => {
                if offsets_left {
                    return;
                }
                let Some(&last) = n.keys.last() else { return };
                let tail = n.keys.iter().rev().take_while(|k| **k == last).count() as u64;
                let before = n.known() - tail;
                if before == 0 || tail > self.plan.max_offset {
                    return; // the rows of one key: walk the token on
                }
                self.cut(id, last, before, dir);
            }
        }
    }

    /// Replaces slice `id` by the pieces between `cuts`, each starting with its share of the
    /// known rows; their first pages will say their sizes.
    fn split(&mut self, id: usize, cuts: &[i64]) {
        let parent = std::mem::take(&mut self.nodes[id]);
        let mut pieces = partition::pieces(&parent.range, cuts);
        if self.plan.layout == Layout::Concat(crate::api::request::SortDir::Desc) {
            pieces.reverse();
        }
        let mut ids = Vec::with_capacity(pieces.len());
        // The larger slice's own pages count with its first piece, so the manifest's pages add
        // up to the requests made.
        let mut pages = parent.pages;
        for range in pieces {
            let keys: Vec<i64> = parent
                .keys
                .iter()
                .copied()
                .filter(|k| range.contains(*k))
                .collect();
            ids.push(self.nodes.len());
            self.nodes.push(Node {
                range,
                files: parent.files.clone(),
                next_offset: keys.len() as u64,
                keys,
                pages: std::mem::take(&mut pages),
                ..Node::default()
            });
        }
        if let Some(at) = self.order.iter().position(|&i| i == id) {
            self.order.splice(at..=at, ids);
        }
        self.nodes[id].done = true; // replaced: nothing of its own left
    }

    /// Concatenated layout: the rows before `last` are complete; the rest is a new slice.
    fn cut(&mut self, id: usize, last: i64, before: u64, dir: crate::api::request::SortDir) {
        use crate::api::request::SortDir;
        let n = std::mem::take(&mut self.nodes[id]);
        let count = n.count.unwrap_or_default();
        let (done_range, rest_range) = match dir {
            SortDir::Desc => {
                let (below, above) = n.range.split_at(last + 1);
                (above, below)
            }
            SortDir::Asc => n.range.split_at(last),
        };
        let split = before as usize;
        let rest = Node {
            range: rest_range,
            files: n.files.clone(),
            keys: n.keys[split..].to_vec(),
            count: Some(count - before),
            next_offset: n.known() - before,
            ..Node::default()
        };
        let mut keys = n.keys;
        keys.truncate(split);
        self.nodes[id] = Node {
            range: done_range,
            files: n.files,
            keys,
            count: Some(before),
            pages: n.pages,
            done: true,
            ..Node::default()
        };
        let rest_id = self.nodes.len();
        self.nodes.push(rest);
        let at = self
            .order
            .iter()
            .position(|&i| i == id)
            .map_or(self.order.len(), |p| p + 1);
        self.order.insert(at, rest_id);
        self.advance(rest_id);
    }

    fn slices(&self) -> Slices {
        let mut s = Slices::default();
        for &i in &self.order {
            let n = &self.nodes[i];
            if n.done {
                s.done += 1;
            } else if n.in_flight > 0 {
                s.running += 1;
            } else {
                s.waiting += 1;
            }
        }
        s
    }

    /// Writes the slices (the whole result, or its first rows when stopped) and ends the run.
    async fn finish(self, mut writer: SetWriter, report: &mut impl FnMut(&Progress)) -> Outcome {
        let records: Vec<SliceRecord> = self
            .order
            .iter()
            .map(|&i| {
                let n = &self.nodes[i];
                SliceRecord {
                    range: n.range.describe(&self.plan.field),
                    total_count: n.count,
                    rows: n.known(),
                    pages: n.pages,
                    complete: n.done,
                }
            })
            .collect();
        let slices: Vec<SliceRows> = self
            .order
            .iter()
            .map(|&i| SliceRows {
                files: self.nodes[i].files.clone(),
                range: self.nodes[i].range,
                complete: self.nodes[i].done,
            })
            .collect();
        let (plan, skip, spill) = (self.plan.clone(), self.job.start_row, self.spill);
        let written = tokio::task::spawn_blocking(move || {
            let n = match plan.layout {
                Layout::Concat(_) => merge::concat(slices, &plan.field, skip, &mut writer),
                Layout::Merge => merge::merge(slices, &plan.field, &plan.order, skip, &mut writer),
            };
            drop(spill);
            (writer, n)
        })
        .await;
        let mut progress = self.progress;
        progress.slices = Slices {
            done: records.iter().filter(|r| r.complete).count() as u32,
            running: 0,
            waiting: records.iter().filter(|r| !r.complete).count() as u32,
        };
        let (writer, stop) = match written {
            Ok((writer, Ok(n))) => {
                progress.rows = self.job.start_row + n;
                (Some(writer), self.stop.unwrap_or(Stop::Complete))
            }
            Ok((_, Err(e))) => (None, Stop::WriteFailed(e.to_string())),
            Err(e) => (None, Stop::WriteFailed(e.to_string())),
        };
        progress.elapsed = self.started.elapsed();
        report(&progress);
        Outcome {
            progress,
            stop,
            total_count: Some(self.job.target_rows),
            writer,
            slices: records,
        }
    }
}

/// The rows a slice ends with.
fn page_total(n: &Node) -> u64 {
    n.count.unwrap_or(u64::MAX)
}

/// Adds the next page of a slice's own request to what it knows.
fn append(node: &mut Node, page: Arrived) {
    node.keys.extend(page.keys);
    node.files.push(page.file);
    node.token = page.token;
}
