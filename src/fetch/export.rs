//! Fetching every row of a query into a file: the engine behind `backlinks export` and the
//! explorer's "save the whole result".
//!
//! Offset pages (up to the one starting at 20,000) run several at a time — the client's
//! limiter still caps the account's in-flight calls — and are written strictly in order as
//! they complete, so at most a window of pages is ever held in memory. Past the offset limit
//! the `search_after_token` chain is followed one page at a time — unless the result can be cut
//! into slices ([`partition`], [`parallel`]): then slices of at most 20,000 rows page by offset
//! side by side, and [`run_with`] picks. Cancelling stops new pages;
//! the ones in flight are finished and written (they are paid for), and the file is marked
//! partial by the caller.

pub mod background;
pub mod estimate;
pub mod finish;
pub mod manifest;
pub mod merge;
pub mod model;
pub mod parallel;
pub mod partition;
pub mod slices;
pub mod spill;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::StreamExt;
use tokio::time::Instant;

use crate::api::ApiError;
use crate::api::request::{LiveRequest, MAX_OFFSET};
use crate::fetch::worker::PageSource;
use crate::fetch::{Cursor, Page};
use crate::store::SetWriter;

use self::estimate::page_price;

/// Offset pages in flight at once.
pub const PARALLEL_PAGES: usize = 8;
/// Tries per page, on top of the client's own retries, for errors worth retrying.
pub const PAGE_TRIES: u32 = 4;
/// Pause before trying a failed page again (times the try number).
pub const PAGE_RETRY_PAUSE: Duration = Duration::from_millis(500);

/// What to fetch.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportJob {
    /// The query without paging fields.
    pub query: LiveRequest,
    pub page_size: u32,
    /// Rows the caller already wrote (the explorer's loaded rows, or the first page).
    pub start_row: u64,
    /// Where fetching goes on.
    pub cursor: Cursor,
    /// Stop once this many rows are in the file (`total_count`, or `--max-rows`).
    pub target_rows: u64,
}

/// A shared "stop after what is in flight" switch.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where an export stands, reported after every page.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Progress {
    /// Rows in the file (the caller's start rows included).
    pub rows: u64,
    /// Rows the file should end with.
    pub target_rows: u64,
    /// Rows fetched by this run (for the rate).
    pub fetched: u64,
    /// Paid requests of this run.
    pub requests: u64,
    /// Pages served by the page cache.
    pub cached_pages: u64,
    /// USD spent by this run.
    pub cost: f64,
    pub elapsed: Duration,
    /// Slices done, running and waiting (all zero when the export is not sliced).
    pub slices: slices::Slices,
}

impl Progress {
    /// Share of the rows in the file, 0–1.
    pub fn fraction(&self) -> f64 {
        if self.target_rows == 0 {
            1.0
        } else {
            (self.rows as f64 / self.target_rows as f64).clamp(0.0, 1.0)
        }
    }

    /// Rows per second of this run.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.fetched as f64 / secs
        } else {
            0.0
        }
    }

    /// Time left at the current rate.
    pub fn eta(&self) -> Option<Duration> {
        let rate = self.rate();
        let left = self.target_rows.saturating_sub(self.rows);
        (rate > 0.0).then(|| Duration::from_secs_f64(left as f64 / rate))
    }
}

/// Why an export ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// Every row is in the file.
    Complete,
    /// Esc / Ctrl-C.
    Cancelled,
    /// The next page would have gone over the budget.
    Budget,
    /// A page failed for good; the reason.
    Failed(String),
    /// The file could not be written; the reason. The old file is untouched.
    WriteFailed(String),
}

impl Stop {
    pub fn is_complete(&self) -> bool {
        *self == Stop::Complete
    }
}

/// The end of a run.
#[derive(Debug)]
pub struct Outcome {
    pub progress: Progress,
    pub stop: Stop,
    /// The query's `total_count` as last reported.
    pub total_count: Option<u64>,
    /// The writer, to be finished by the caller (absent after a write failure).
    pub writer: Option<SetWriter>,
    /// The slices of a partitioned export, for the manifest (empty otherwise).
    pub slices: Vec<slices::SliceRecord>,
}

/// Fetches the rest of `job` as `choice` says: sliced ([`parallel::run`]; `head` holds the
/// rows already in `writer`, the result's first ones), or page after page ([`run`]).
#[expect(
    clippy::too_many_arguments,
    reason = "run's inputs plus the choice and the head"
)]
pub async fn run_with<S: PageSource, B: std::borrow::Borrow<crate::api::response::Backlink>>(
    source: &S,
    job: &ExportJob,
    choice: &partition::Choice,
    head: &[B],
    writer: SetWriter,
    cancel: &Cancel,
    budget: Option<f64>,
    mut report: impl FnMut(&Progress),
) -> Outcome {
    match choice {
        partition::Choice::Partition(plan) if head.len() as u64 == job.start_row => {
            parallel::run(source, job, plan, head, writer, cancel, budget, &mut report).await
        }
        _ => run(source, job, writer, cancel, budget, report).await,
    }
}

/// Fetches the rest of `job` through `source` into `writer`. `budget` (USD for this run)
/// stops before a page that could go over it; `report` sees every step.
pub async fn run<S: PageSource>(
    source: &S,
    job: &ExportJob,
    writer: SetWriter,
    cancel: &Cancel,
    budget: Option<f64>,
    mut report: impl FnMut(&Progress),
) -> Outcome {
    let mut run = Run {
        job,
        writer: Some(writer),
        progress: Progress {
            rows: job.start_row,
            target_rows: job.target_rows,
            ..Progress::default()
        },
        started: Instant::now(),
        total_count: None,
        token: None,
        exhausted: false,
        committed: Arc::new(Mutex::new(0.0)),
        budget,
    };
    let stop = match &job.cursor {
        Cursor::Offset(first) => {
            run.offset_phase(source, *first as u64, cancel, &mut report)
                .await
        }
        Cursor::Token(t) => {
            run.token = Some(t.clone());
            None
        }
    };
    let stop = match stop {
        Some(stop) => stop,
        None => run.token_phase(source, cancel, &mut report).await,
    };
    Outcome {
        progress: run.progress,
        stop,
        total_count: run.total_count,
        writer: run.writer,
        slices: Vec::new(),
    }
}

/// Offset pages from `first` while offsets stay within the API's limit: (offset, limit).
pub(crate) fn offset_pages(first: u64, job: &ExportJob) -> Vec<(u64, u32)> {
    let size = u64::from(job.page_size.max(1));
    let mut pages = Vec::new();
    let mut offset = first;
    while offset <= u64::from(MAX_OFFSET) && offset < job.target_rows {
        let limit = size.min(job.target_rows - offset) as u32;
        pages.push((offset, limit));
        offset += size;
    }
    pages
}

/// Reserves `cost` against the budget; false (and nothing reserved) when it would go over.
pub(crate) fn reserve(committed: &Mutex<f64>, budget: Option<f64>, cost: f64) -> bool {
    let mut c = committed.lock().unwrap_or_else(PoisonError::into_inner);
    if budget.is_some_and(|b| *c + cost > b + 1e-9) {
        return false;
    }
    *c += cost;
    true
}

/// One page, tried again (up to [`PAGE_TRIES`]) on errors worth retrying.
pub async fn fetch_page<S: PageSource>(source: &S, request: LiveRequest) -> Result<Page, ApiError> {
    let mut tries = 0;
    loop {
        tries += 1;
        match source.fetch(request.clone()).await {
            Err(e) if e.is_retryable() && tries < PAGE_TRIES => {
                tracing::info!(tries, %e, "export: page failed, trying again");
                tokio::time::sleep(PAGE_RETRY_PAUSE * tries).await;
            }
            other => return other,
        }
    }
}

struct Run<'a> {
    job: &'a ExportJob,
    writer: Option<SetWriter>,
    progress: Progress,
    started: Instant,
    total_count: Option<u64>,
    /// Token after the last page written.
    token: Option<String>,
    /// A page came back short: the server has no more rows.
    exhausted: bool,
    /// USD spent plus the price of pages in flight: what the budget is checked against.
    committed: Arc<Mutex<f64>>,
    budget: Option<f64>,
}

impl Run<'_> {
    /// Offset pages, several in flight, written in order. `None` when it ran out of offset
    /// pages without a reason to stop.
    async fn offset_phase<S: PageSource>(
        &mut self,
        source: &S,
        first: u64,
        cancel: &Cancel,
        report: &mut impl FnMut(&Progress),
    ) -> Option<Stop> {
        let job = self.job;
        let over_budget = Arc::new(AtomicBool::new(false));
        // Set when this run stops on its own (a failed page, a short page).
        let halt = Cancel::new();
        let admit = {
            let (cancel, stopped, committed, budget) = (
                cancel.clone(),
                halt.clone(),
                self.committed.clone(),
                self.budget,
            );
            let flag = over_budget.clone();
            move |(_, limit): &(u64, u32)| {
                if cancel.is_cancelled() || stopped.is_cancelled() {
                    return false;
                }
                let reserved = reserve(&committed, budget, page_price(u64::from(*limit)));
                if !reserved {
                    flag.store(true, Ordering::SeqCst);
                }
                reserved
            }
        };
        let mut pages =
            futures::stream::iter(offset_pages(first, job).into_iter().take_while(admit))
                .map(|(offset, limit)| {
                    let source = source.clone();
                    let mut request = job.query.clone();
                    request.offset = Some(offset as u32);
                    request.limit = Some(limit);
                    let reserved = page_price(u64::from(limit));
                    tokio::spawn(async move { (reserved, fetch_page(&source, request).await) })
                })
                .buffered(PARALLEL_PAGES);
        let mut stop = None;
        while let Some(joined) = pages.next().await {
            let (reserved, result) =
                joined.unwrap_or_else(|e| (0.0, Err(ApiError::Transport(e.to_string()))));
            if stop.is_some() || self.done() {
                // Pages in flight when the run stopped: unwanted, but paid for (and cached),
                // so they count in the cost.
                halt.cancel();
                if let Ok(page) = result
                    && !page.cached
                {
                    self.progress.requests += 1;
                    self.progress.cost += page.cost;
                }
                continue;
            }
            stop = self.take(result, reserved, report).await;
            if stop.is_some() || self.done() {
                halt.cancel();
            }
        }
        if stop.is_some() || self.done() {
            return stop;
        }
        // Pages not admitted: say why.
        if cancel.is_cancelled() {
            Some(Stop::Cancelled)
        } else if over_budget.load(Ordering::SeqCst) {
            Some(Stop::Budget)
        } else {
            None
        }
    }

    /// Past the offset limit: the token chain, one page at a time.
    async fn token_phase<S: PageSource>(
        &mut self,
        source: &S,
        cancel: &Cancel,
        report: &mut impl FnMut(&Progress),
    ) -> Stop {
        while !self.done() {
            let Some(token) = self.token.clone() else {
                break; // no token to go on with: the server has no more pages
            };
            if cancel.is_cancelled() {
                return Stop::Cancelled;
            }
            let limit = self.next_limit();
            let cost = page_price(u64::from(limit));
            if !reserve(&self.committed, self.budget, cost) {
                return Stop::Budget;
            }
            let mut request = self.job.query.clone();
            request.search_after_token = Some(token);
            request.limit = Some(limit);
            let result = fetch_page(source, request).await;
            if let Some(stop) = self.take(result, cost, report).await {
                return stop;
            }
        }
        Stop::Complete
    }

    fn done(&self) -> bool {
        self.exhausted || self.progress.rows >= self.job.target_rows
    }

    fn next_limit(&self) -> u32 {
        let left = self.job.target_rows.saturating_sub(self.progress.rows);
        left.min(u64::from(self.job.page_size)) as u32
    }

    /// Writes a page in order; `Some` when the export has to stop.
    async fn take(
        &mut self,
        result: Result<Page, ApiError>,
        reserved: f64,
        report: &mut impl FnMut(&Progress),
    ) -> Option<Stop> {
        {
            // Replace the reservation made for this page by what it really cost.
            let paid = result.as_ref().map_or(0.0, |p| p.cost);
            let mut c = self
                .committed
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            *c = (*c - reserved).max(0.0) + paid;
        }
        let page = match result {
            Ok(page) => page,
            Err(e) => return Some(Stop::Failed(e.to_string())),
        };
        let wanted = self.next_limit() as usize;
        let got = page.items.len();
        let mut items = page.items;
        items.truncate(wanted);
        self.total_count = Some(page.total_count);
        self.token = page.search_after_token;
        if got < wanted || got == 0 {
            self.exhausted = true;
        }
        // Paid for (or served by the cache) whether or not it can be written.
        if page.cached {
            self.progress.cached_pages += 1;
        } else {
            self.progress.requests += 1;
            self.progress.cost += page.cost;
        }
        let Some(mut writer) = self.writer.take() else {
            return Some(Stop::WriteFailed("the file is closed".into()));
        };
        let written = tokio::task::spawn_blocking(move || {
            let r = writer.write_all(&items);
            (writer, r, items.len() as u64)
        })
        .await;
        let (writer, n) = match written {
            Ok((writer, Ok(()), n)) => (writer, n),
            Ok((_, Err(e), _)) => return Some(Stop::WriteFailed(e.to_string())),
            Err(e) => return Some(Stop::WriteFailed(e.to_string())),
        };
        self.writer = Some(writer);
        let p = &mut self.progress;
        p.rows += n;
        p.fetched += n;
        p.elapsed = self.started.elapsed();
        report(p);
        None
    }
}
