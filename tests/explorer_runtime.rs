//! The real loop, driven by scripted keys, against the simulator on loopback through the real
//! HTTP client: paging decisions, order of rows, and a query replaced in mid-fetch.
//!
//! On tokio's paused clock (one thread): the simulator's latency, the spinner's tick and the
//! harness's time limits are virtual, and the clock only moves when every task waits (loopback
//! I/O still runs for real; a blocking task in flight holds the clock). So a time limit fails
//! a test only when the loop is really stuck, however loaded the machine is.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::api::{ApiError, LiveRequest};
use backlinks::app::App;
use backlinks::fetch::Page;
use backlinks::fetch::Source;
use backlinks::fetch::worker::{OnRetry, PageSource, Worker};
use backlinks::keymap::Keymap;
use backlinks::runtime;
use backlinks::sim::dataset::DatasetConfig;
use backlinks::sim::server::{self, RunningServer, ServerConfig};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::{mpsc, watch};

/// The real client, recording every request it sends.
#[derive(Clone)]
struct Recording {
    client: HttpClient,
    sent: Arc<Mutex<Vec<LiveRequest>>>,
}

impl PageSource for Recording {
    async fn fetch(&self, request: LiveRequest) -> Result<Page, ApiError> {
        self.sent.lock().unwrap().push(request.clone());
        self.client.fetch(request).await
    }

    async fn fetch_observed(
        &self,
        request: LiveRequest,
        on_retry: OnRetry,
    ) -> Result<Page, ApiError> {
        self.sent.lock().unwrap().push(request.clone());
        self.client.fetch_observed(request, on_retry).await
    }
}

async fn simulator(latency_ms: u64) -> RunningServer {
    server::spawn(ServerConfig {
        latency_ms,
        dataset: DatasetConfig::default(),
        ..ServerConfig::default()
    })
    .await
    .unwrap()
}

fn client(server: &RunningServer) -> Recording {
    client_at(&server.url())
}

fn client_at(url: &str) -> Recording {
    let client = HttpClient::new(ClientConfig::new(url, Credentials::new("demo", "demo"))).unwrap();
    Recording {
        client,
        sent: Arc::default(),
    }
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "the input stream carries io::Result"
)]
fn press(code: KeyCode) -> io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(text: &str) -> Vec<io::Result<Event>> {
    text.chars().map(|c| press(KeyCode::Char(c))).collect()
}

/// What the test watches after every update.
#[derive(Debug, Clone, Default, PartialEq)]
struct Seen {
    target: String,
    selected: usize,
    rows: usize,
    loading: bool,
    /// The attempt being waited for, while a page is retried.
    retry: Option<u32>,
    /// The short reason of a failed page.
    failed: Option<String>,
}

struct Harness {
    keys: Keys,
    seen: watch::Receiver<Seen>,
    done: tokio::task::JoinHandle<App>,
}

impl Harness {
    fn start(source: Recording) -> Harness {
        let keys = Keys::default();
        let input = keys.clone();
        let (seen_tx, seen) = watch::channel(Seen::default());
        let done = tokio::spawn(async move {
            let (events_tx, events_rx) = mpsc::unbounded_channel();
            let worker = Worker::spawn(source, events_tx);
            let mut app = App::new(Source::Demo, Keymap::defaults());
            let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();
            runtime::run(
                &mut terminal,
                &mut app,
                input,
                &worker,
                events_rx,
                vec![],
                |a| {
                    let _ = seen_tx.send(Seen {
                        target: a
                            .results
                            .query
                            .as_ref()
                            .map(|q| q.target.clone())
                            .unwrap_or_default(),
                        rows: a.results.rows.len(),
                        selected: a.results.selected,
                        loading: a.results.tail.is_loading(),
                        retry: a.status.retrying.as_ref().map(|r| r.attempt),
                        failed: a.results.tail.failure().map(|f| f.error.summary()),
                    });
                },
            )
            .await
            .unwrap();
            app
        });
        Harness { keys, seen, done }
    }

    fn send(&self, events: Vec<io::Result<Event>>) {
        for e in events {
            self.keys.send(e);
        }
    }

    /// Waits until the loop shows a state with `ok`; the limit is on the paused clock.
    async fn wait_for(&mut self, what: &str, ok: impl Fn(&Seen) -> bool) {
        let waited = tokio::time::timeout(Duration::from_mins(1), self.seen.wait_for(|s| ok(s)))
            .await
            .map(|r| r.map(|_| ()));
        assert!(
            waited.is_ok(),
            "timed out waiting for {what}: {:?}",
            *self.seen.borrow()
        );
    }

    async fn quit(self) -> App {
        self.send(vec![press(KeyCode::Char('q'))]);
        tokio::time::timeout(Duration::from_secs(30), self.done)
            .await
            .unwrap()
            .unwrap()
    }
}

/// Scripted terminal input that, like crossterm's `EventStream`, keeps the first waker it was
/// given while a wake-up is pending and ignores later ones.
#[derive(Clone, Default)]
struct Keys {
    shared: Arc<Mutex<Queue>>,
}

type Queue = (
    std::collections::VecDeque<io::Result<Event>>,
    Option<std::task::Waker>,
);

impl Keys {
    fn send(&self, e: io::Result<Event>) {
        let waker = {
            let mut g = self.shared.lock().unwrap();
            g.0.push_back(e);
            g.1.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl futures::Stream for Keys {
    type Item = io::Result<Event>;
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let mut g = self.shared.lock().unwrap();
        if let Some(e) = g.0.pop_front() {
            return std::task::Poll::Ready(Some(e));
        }
        if g.1.is_none() {
            g.1 = Some(cx.waker().clone());
        }
        std::task::Poll::Pending
    }
}

#[tokio::test(start_paused = true)]
async fn scrolling_2500_rows_sends_exactly_three_pages_in_api_order() {
    let server = simulator(0).await;
    let source = client(&server);
    let sent = source.sent.clone();
    let mut h = Harness::start(source);
    h.send(typed("forbes.com"));
    h.send(vec![press(KeyCode::Enter)]);
    h.wait_for("the first page", |s| s.rows == 1000).await;
    // Single keys with the loop idle in between: each must wake it.
    for n in 1..=3 {
        h.send(vec![press(KeyCode::Char('j'))]);
        h.wait_for("a single key", |s| s.selected == n).await;
    }
    h.send((0..2497).map(|_| press(KeyCode::Char('j'))).collect());
    h.wait_for("three pages", |s| s.rows == 3000 && !s.loading)
        .await;
    let app = h.quit().await;

    let sent = sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 3, "exactly three page requests: {sent:?}");
    let offsets: Vec<_> = sent.iter().map(|r| r.offset).collect();
    assert_eq!(offsets, [Some(0), Some(1000), Some(2000)]);
    assert_eq!(app.results.selected, 2500);

    // The same rows, fetched in one go straight from the simulator, in the same order.
    let direct = client(&server)
        .client
        .live(&LiveRequest {
            limit: Some(1000),
            offset: Some(0),
            ..LiveRequest::new("forbes.com")
        })
        .await
        .unwrap();
    let urls: Vec<_> = app
        .results
        .rows
        .iter()
        .map(|r| r.url_from.clone())
        .collect();
    let first: Vec<_> = direct
        .result
        .items
        .unwrap()
        .into_iter()
        .map(|r| r.url_from)
        .collect();
    assert_eq!(urls[..1000], first[..]);
    let mut unique = urls.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3000, "no duplicate rows");
}

#[tokio::test(start_paused = true)]
async fn a_new_query_in_the_middle_of_a_fetch_drops_the_old_pages() {
    let server = simulator(400).await;
    let source = client(&server);
    let sent = source.sent.clone();
    let mut h = Harness::start(source);
    h.send(typed("forbes.com"));
    h.send(vec![press(KeyCode::Enter)]);
    h.wait_for("the first request", |s| s.loading).await;
    h.send(vec![press(KeyCode::Char('i'))]);
    h.send(vec![Ok(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )))]);
    h.send(typed("example.com"));
    h.send(vec![press(KeyCode::Enter)]);
    h.wait_for("the new query's first page", |s| {
        s.target == "example.com" && s.rows > 0 && !s.loading
    })
    .await;
    let app = h.quit().await;
    assert!(
        app.results.rows.iter().all(|r| r
            .url_to
            .as_deref()
            .is_some_and(|u| u.contains("example.com"))),
        "only rows of the new target"
    );
    let targets: Vec<_> = sent
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.target.clone())
        .collect();
    // The old request may have been aborted before it even reached the client.
    assert_eq!(targets.last().map(String::as_str), Some("example.com"));
    assert!(targets.len() <= 2, "one page per query: {targets:?}");
}

/// Keys typed while nothing else happens (no page in flight, no tick) still reach the app:
/// the loop must poll the input with its own waker, since the input keeps the first one.
#[tokio::test(start_paused = true)]
async fn a_key_pressed_while_the_app_is_idle_is_handled() {
    let server = simulator(0).await;
    let mut h = Harness::start(client(&server));
    h.send(typed("forbes.com"));
    h.send(vec![press(KeyCode::Enter)]);
    h.wait_for("the first page", |s| s.rows == 1000 && !s.loading)
        .await;
    // Idle now; each key alone, with a pause, so no other event wakes the loop. The pause is on
    // the paused clock, which only moves once every task waits: the loop is surely asleep.
    for n in 1..=3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        h.send(vec![press(KeyCode::Char('j'))]);
        h.wait_for("the key to move the selection", |s| s.selected == n)
            .await;
    }
    h.quit().await;
}

/// A port nobody listens on: bound, then let go.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The status bar as the app would draw it `width` cells wide.
fn status_bar(app: &App, width: usize) -> String {
    use backlinks::ui::status::{fit_status, status_items};
    fit_status(status_items(app), width, ratatui::style::Style::new())
        .iter()
        .map(|s| s.content.as_ref())
        .collect()
}

/// Runs `forbes.com` against `url` until the first page has failed; every retry the loop saw
/// (attempt numbers, in order) and the app.
async fn first_page_fails(url: &str) -> (Vec<u32>, App, usize) {
    let source = client_at(url);
    let sent = source.sent.clone();
    let mut h = Harness::start(source);
    h.send(typed("forbes.com"));
    h.send(vec![press(KeyCode::Enter)]);
    let mut attempts = Vec::new();
    let mut seen = h.seen.clone();
    let failed = async {
        loop {
            let s = seen.borrow_and_update().clone();
            if let Some(a) = s.retry
                && attempts.last() != Some(&a)
            {
                attempts.push(a);
            }
            if s.failed.is_some() {
                return;
            }
            seen.changed().await.unwrap();
        }
    };
    assert!(
        tokio::time::timeout(Duration::from_mins(1), failed)
            .await
            .is_ok(),
        "the page failed in the end"
    );
    h.wait_for("the failure", |s| s.failed.is_some()).await;
    let app = h.quit().await;
    let tries = sent.lock().unwrap().len();
    (attempts, app, tries)
}

#[tokio::test(start_paused = true)]
async fn a_dead_server_shows_each_retry_then_a_short_reason_and_the_retry_key() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (attempts, app, _) = first_page_fails(&url).await;
    assert_eq!(attempts, [2, 3, 4], "every retry was shown as it came");
    let f = app.results.tail.failure().expect("a failed page");
    assert!(matches!(f.error, ApiError::Transport(_)), "{:?}", f.error);
    let bar = status_bar(&app, 80);
    assert!(bar.contains("can't reach the API · r retry"), "{bar}");
    assert!(bar.contains("session $0.0000"), "{bar}");
    // The whole detail is on the error row, below the short reason.
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut app = app;
    app.resize(100, 30);
    terminal.draw(|f| backlinks::ui::render(&app, f)).unwrap();
    let screen = format!("{}", terminal.backend());
    assert!(
        screen.contains("can't reach the API — press r to retry"),
        "{screen}"
    );
    assert!(screen.contains("network error: sending to"), "{screen}");
}

#[tokio::test(start_paused = true)]
async fn a_bad_gateway_is_retried_then_said_in_a_few_words() {
    let server = server::spawn(ServerConfig {
        fail_gateway: true,
        ..ServerConfig::default()
    })
    .await
    .unwrap();
    let (attempts, app, tries) = first_page_fails(&server.url()).await;
    assert_eq!(attempts, [2, 3, 4]);
    assert_eq!(tries, 1, "one page request; the client retried it");
    let f = app.results.tail.failure().expect("a failed page");
    assert_eq!(f.error.summary(), "the API answered 502");
    assert!(
        f.error.to_string().contains("HTTP 502 Bad Gateway"),
        "{}",
        f.error
    );
    assert!(status_bar(&app, 80).contains("the API answered 502 · r retry"));
}
