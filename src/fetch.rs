//! The fetch vocabulary, below the app: a query run's [`Generation`], page requests and their
//! answers ([`FetchRequest`], [`FetchEvent`], [`Page`]), where paging goes on ([`Cursor`]),
//! where rows come from ([`Source`]), and the jobs that fetch whole results ([`export`]), run
//! by the [`worker`]. The app, the headless commands and the page cache all speak it; it knows
//! nothing of screens.

pub mod export;
pub mod worker;

use std::path::PathBuf;
use std::time::Duration;

use crate::api::ApiError;
use crate::api::client::RetryNotice;
use crate::api::request::LiveRequest;
use crate::api::response::{Backlink, Row};
use crate::store::Format;

use self::export::manifest::Manifest;
use self::export::{ExportJob, Progress};

/// Identifies one query run. Every page request and every answer carries the generation of the
/// query it belongs to, so answers to an abandoned query are recognised and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Generation(pub u64);

impl Generation {
    #[must_use]
    pub fn next(self) -> Self {
        Generation(self.0 + 1)
    }
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// `offset` paging, random access, while the offset stays within the API's 20,000.
    Offset(usize),
    /// `search_after_token` paging beyond that, strictly sequential.
    Token(String),
}

/// Where rows come from; shown as a badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The embedded simulator: generated data, no cost.
    Demo,
    /// A real API server (or a `serve-demo` given with --api-url).
    Api { base_url: String },
    /// A saved file (`backlinks open`): no requests.
    File { path: PathBuf },
}

/// One page request of one query.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchRequest {
    pub generation: Generation,
    /// Index of the first row this page fills.
    pub row_start: usize,
    /// The complete request, paging fields included.
    pub request: LiveRequest,
}

/// The answer to a `FetchRequest`.
#[derive(Debug, Clone)]
pub enum FetchEvent {
    PageLoaded {
        generation: Generation,
        row_start: usize,
        page: Page,
    },
    PageFailed {
        generation: Generation,
        row_start: usize,
        error: ApiError,
    },
    /// The page's request failed and is tried again after a wait; an answer still follows.
    Retrying {
        generation: Generation,
        row_start: usize,
        notice: RetryNotice,
    },
}

impl FetchEvent {
    pub fn generation(&self) -> Generation {
        match self {
            FetchEvent::PageLoaded { generation, .. }
            | FetchEvent::PageFailed { generation, .. }
            | FetchEvent::Retrying { generation, .. } => *generation,
        }
    }
}

/// A successful page, reduced to what the app keeps.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Backlink>,
    pub total_count: u64,
    pub search_after_token: Option<String>,
    /// USD the API charged for this page (0 when served from the cache).
    pub cost: f64,
    pub elapsed: Duration,
    /// Served from the local page cache, not paid for.
    pub cached: bool,
    /// The response body the items came from, when there is one (not from the cache or a
    /// fake source): the explorer's row store reads the items from it as they came.
    pub body: Option<std::sync::Arc<[u8]>>,
}

/// A "save the whole result": the loaded rows first, then every row still missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub path: PathBuf,
    pub format: Format,
    /// `YYYY-MM-DD HH:MM:SS +00:00`, from the app's clock.
    pub fetched_at: String,
    /// Rows already loaded, written first.
    pub rows: Vec<Row>,
    /// The rest: from `job.cursor` to `job.target_rows`.
    pub job: ExportJob,
}

/// Progress of a whole-result save.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportEvent {
    Progress(Progress),
    /// The file is in place (complete or partial), or the reason it is not.
    Finished(Result<Box<Manifest>, String>),
}

/// What the worker reports, all on one channel: page answers, whole-result saves and the
/// account's balance.
#[derive(Debug, Clone)]
pub enum Event {
    Page(FetchEvent),
    Export(ExportEvent),
    /// The account's balance as read (`Worker::read_balance`), or why it could not be.
    Balance(Result<crate::api::user_data::UserData, ApiError>),
}
