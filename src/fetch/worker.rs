//! The fetch worker: page requests and whole-result saves in, [`Event`]s out on one channel.
//! Each page request runs in its own tokio task; a newer generation aborts the tasks of older
//! ones, so abandoned queries stop costing money.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::export::{Cancel, background};
use super::{Event, ExportRequest, FetchEvent, FetchRequest, Generation, Page};
use crate::api::ApiError;
use crate::api::client::{HttpClient, RetryNotice};
use crate::api::request::LiveRequest;
use crate::api::user_data::UserData;

/// Told about each retry of a page request before its wait.
pub type OnRetry = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// An [`OnRetry`] that ignores them.
pub fn ignore_retries() -> OnRetry {
    Arc::new(|_: &RetryNotice| {})
}

/// Where pages come from: the HTTP client, or a fake in tests.
pub trait PageSource: Clone + Send + Sync + 'static {
    fn fetch(&self, request: LiveRequest) -> impl Future<Output = Result<Page, ApiError>> + Send;

    /// [`fetch`](Self::fetch), telling `on_retry` about each retry as it is scheduled. A
    /// source that never retries keeps this default.
    fn fetch_observed(
        &self,
        request: LiveRequest,
        on_retry: OnRetry,
    ) -> impl Future<Output = Result<Page, ApiError>> + Send {
        drop(on_retry);
        self.fetch(request)
    }

    /// The account's balance (`/v3/appendix/user_data`, free). A source without an account
    /// (a fake in tests) keeps this default, which says so: the explorer then shows no
    /// balance.
    fn user_data(&self) -> impl Future<Output = Result<UserData, ApiError>> + Send {
        std::future::ready(Err(ApiError::Config(
            "this source has no account to read a balance from".into(),
        )))
    }
}

impl PageSource for HttpClient {
    async fn fetch(&self, request: LiveRequest) -> Result<Page, ApiError> {
        self.fetch_observed(request, ignore_retries()).await
    }

    async fn fetch_observed(
        &self,
        request: LiveRequest,
        on_retry: OnRetry,
    ) -> Result<Page, ApiError> {
        let response = self.live_observed(&request, &*on_retry).await?;
        let result = response.result;
        Ok(Page {
            items: result.items.unwrap_or_default(),
            total_count: result.total_count.unwrap_or(0).max(0) as u64,
            search_after_token: result.search_after_token,
            cost: response.cost,
            elapsed: response.elapsed,
            cached: false,
            body: Some(response.body),
        })
    }

    async fn user_data(&self) -> Result<UserData, ApiError> {
        HttpClient::user_data(self).await
    }
}

enum Job {
    Fetch(Box<FetchRequest>),
    Supersede(Generation),
    Export(Box<ExportRequest>, Cancel),
    ReadBalance,
}

/// Handle to a running worker. The worker runs until every handle is dropped; then it aborts
/// its page requests (a running save finishes on its own, or stops through its [`Cancel`]).
#[derive(Debug, Clone)]
pub struct Worker {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Worker {
    /// Starts a worker on the current tokio runtime; everything it reports goes to `events`.
    pub fn spawn<S: PageSource>(source: S, events: mpsc::UnboundedSender<Event>) -> Worker {
        let (jobs, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(source, rx, events));
        Worker { jobs }
    }

    /// Sends a page request.
    pub fn fetch(&self, request: Box<FetchRequest>) {
        // A closed channel means the worker is gone with the app; nothing left to do.
        let _ = self.jobs.send(Job::Fetch(request));
    }

    /// Saves the whole result in the background through this worker's source; progress and
    /// the end arrive as [`Event::Export`].
    pub fn export(&self, request: Box<ExportRequest>, cancel: Cancel) {
        let _ = self.jobs.send(Job::Export(request, cancel));
    }

    /// Reads the account's balance; the answer arrives as [`Event::Balance`].
    pub fn read_balance(&self) {
        let _ = self.jobs.send(Job::ReadBalance);
    }

    /// Aborts every request older than `generation`.
    pub fn supersede(&self, generation: Generation) {
        let _ = self.jobs.send(Job::Supersede(generation));
    }
}

async fn run<S: PageSource>(
    source: S,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    events: mpsc::UnboundedSender<Event>,
) {
    let mut running: Vec<(Generation, AbortHandle)> = Vec::new();
    while let Some(job) = jobs.recv().await {
        running.retain(|(_, h)| !h.is_finished());
        match job {
            Job::Supersede(current) => {
                for (_, h) in running.iter().filter(|(g, _)| *g < current) {
                    h.abort();
                }
                running.retain(|(g, _)| *g >= current);
            }
            Job::Export(req, cancel) => {
                // Not tied to a generation: a new query does not stop a save.
                tokio::spawn(background::run(
                    source.clone(),
                    *req,
                    cancel,
                    events.clone(),
                ));
            }
            Job::ReadBalance => {
                // Not tied to a generation either: the account is the same whatever the query.
                let (source, events) = (source.clone(), events.clone());
                tokio::spawn(async move {
                    let read = source.user_data().await;
                    if let Err(error) = &read {
                        tracing::info!(%error, "the balance could not be read");
                    }
                    let _ = events.send(Event::Balance(read));
                });
            }
            Job::Fetch(req) => {
                let source = source.clone();
                let events = events.clone();
                let generation = req.generation;
                let task = tokio::spawn(async move {
                    let FetchRequest {
                        generation,
                        row_start,
                        request,
                    } = *req;
                    let retries = events.clone();
                    let on_retry: OnRetry = Arc::new(move |notice: &RetryNotice| {
                        let _ = retries.send(Event::Page(FetchEvent::Retrying {
                            generation,
                            row_start,
                            notice: notice.clone(),
                        }));
                    });
                    let ev = match source.fetch_observed(request, on_retry).await {
                        Ok(page) => FetchEvent::PageLoaded {
                            generation,
                            row_start,
                            page,
                        },
                        Err(error) => {
                            // The whole reason, for the log; the screen says it shorter.
                            tracing::warn!(generation = generation.0, row_start, %error, "page request failed");
                            FetchEvent::PageFailed {
                                generation,
                                row_start,
                                error,
                            }
                        }
                    };
                    let _ = events.send(Event::Page(ev));
                });
                running.push((generation, task.abort_handle()));
            }
        }
    }
    for (_, h) in running {
        h.abort();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// Answers after a delay that depends on the target, counting completions.
    #[derive(Clone, Default)]
    struct Slow {
        done: Arc<AtomicUsize>,
    }

    impl PageSource for Slow {
        async fn fetch(&self, request: LiveRequest) -> Result<Page, ApiError> {
            let ms = if request.target == "slow.com" {
                10_000
            } else {
                1
            };
            tokio::time::sleep(Duration::from_millis(ms)).await;
            self.done.fetch_add(1, Ordering::SeqCst);
            Ok(Page::default())
        }
    }

    fn req(generation: u64, target: &str) -> Box<FetchRequest> {
        Box::new(FetchRequest {
            generation: Generation(generation),
            row_start: 0,
            request: LiveRequest::new(target),
        })
    }

    #[tokio::test(start_paused = true)]
    async fn superseded_requests_are_aborted() {
        let source = Slow::default();
        let (tx, mut rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(source.clone(), tx);
        worker.fetch(req(1, "slow.com"));
        worker.supersede(Generation(2));
        worker.fetch(req(2, "fast.com"));
        let Some(Event::Page(ev)) = rx.recv().await else {
            panic!("a page event")
        };
        assert_eq!(ev.generation(), Generation(2));
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert_eq!(
            source.done.load(Ordering::SeqCst),
            1,
            "the slow request never finished"
        );
        assert!(rx.try_recv().is_err());
    }
}
