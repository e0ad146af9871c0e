//! Helpers for tests that run `backlinks export` in-process (`commands::export::run`); also
//! included alone with `#[path = "common/exports.rs"] mod exports;`.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use backlinks::api::client::HttpClient;
use backlinks::api::{ApiError, LiveRequest};
use backlinks::commands::export::{ExportOptions, run};
use backlinks::fetch::Page;
use backlinks::fetch::export::Cancel;
use backlinks::fetch::worker::PageSource;
use backlinks::store::cache::Cached;

/// Runs the export of `opts` from `source` with nobody at a terminal to ask: its exit
/// status and what it wrote to stderr (which must be UTF-8).
pub async fn run_to_text<S: PageSource>(
    source: &Cached<S>,
    opts: &ExportOptions,
    cancel: &Cancel,
) -> (u8, String) {
    let mut err = Vec::new();
    let code = run(source, opts, cancel, &mut err, false).await;
    (code, String::from_utf8(err).unwrap())
}

/// A page source that cancels the export (as Ctrl-C does) once `after` pages were paid
/// for; `paid` counts them.
#[derive(Clone)]
pub struct StopAfter {
    pub inner: HttpClient,
    pub paid: Arc<AtomicUsize>,
    pub after: usize,
    pub cancel: Cancel,
}

impl PageSource for StopAfter {
    async fn fetch(&self, request: LiveRequest) -> Result<Page, ApiError> {
        let page = self.inner.fetch(request).await?;
        if self.paid.fetch_add(1, Ordering::SeqCst) + 1 >= self.after {
            self.cancel.cancel();
        }
        Ok(page)
    }
}
