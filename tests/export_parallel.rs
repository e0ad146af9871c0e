//! Partitioned exports against the simulator: the file holds exactly the query's rows (none
//! missing, none twice) in the query's order, compared with the naive reference of the
//! simulator's semantics (what the sequential walk returns, row for row): the default order,
//! a date order (concatenated slices), a text order (merged slices), a value with more than
//! 20,000 rows, a filter that leaves no room (the sequential walk), faults, and a resume.
//!
//! Paused tokio time, no latency: what is left of the run time is CPU.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::api::filter::Filter;
use backlinks::api::{Backlink, LiveRequest, StatusType};
use backlinks::cli::QueryArgs;
use backlinks::commands::export::{ExportOptions, status};
use backlinks::fetch::Cursor;
use backlinks::fetch::export::manifest::{self, Manifest};
use backlinks::fetch::export::partition::{self, Choice, Layout, Shape};
use backlinks::fetch::export::{self, Cancel, ExportJob, Stop};
use backlinks::fetch::worker::PageSource;
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::sim::server::{RunningServer, ServerConfig};
use backlinks::store::cache::{CacheMode, Cached, PageCache};
use backlinks::store::read::read_all;
use backlinks::store::{Format, SetEnd, SetWriter};
use common::exports::{StopAfter, run_to_text};

const TARGET: &str = "forbes.com";

fn dataset(rows: usize) -> DatasetConfig {
    DatasetConfig {
        seed: 5,
        rows: Some(rows),
    }
}

/// Every status, internal links too: the most rows a dataset gives.
fn query(order: &[&str], filter: Option<&str>) -> LiveRequest {
    let mut q = LiveRequest::new(TARGET);
    q.backlinks_status_type = Some(StatusType::All);
    q.exclude_internal_backlinks = Some(false);
    if !order.is_empty() {
        q.order_by = Some(order.iter().map(|o| o.parse().unwrap()).collect());
    }
    q.filters = filter.map(|f| Filter::parse(f).unwrap());
    q
}

/// What the simulator holds for `q`, in its order.
fn reference(rows: usize, q: &LiveRequest) -> Vec<Backlink> {
    let task = serde_json::to_value(q).unwrap();
    common::brute::expected(&generate(TARGET, &dataset(rows)), &task)
}

async fn server(rows: usize, fail_rate: f64) -> RunningServer {
    common::start(ServerConfig {
        dataset: dataset(rows),
        fail_rate,
        ..ServerConfig::default()
    })
    .await
}

fn client(server: &RunningServer) -> HttpClient {
    let mut cfg = ClientConfig::new(server.url(), Credentials::new("demo", "demo"));
    cfg.backoff_base = Duration::from_millis(20);
    HttpClient::new(cfg).unwrap()
}

/// The row where two lists first differ, for a readable failure.
fn first_difference(got: &[Backlink], want: &[Backlink]) -> Option<usize> {
    got.iter()
        .zip(want)
        .position(|(g, w)| g != w)
        .or((got.len() != want.len()).then(|| got.len().min(want.len())))
}

fn assert_same_rows(got: &[Backlink], want: &[Backlink]) {
    assert_eq!(got.len(), want.len(), "no row lost, none twice");
    if let Some(i) = first_difference(got, want) {
        panic!(
            "row {i} differs: {:?} vs {:?}",
            got[i].url_from, want[i].url_from
        );
    }
}

/// Runs the engine itself (first page, then the sliced rest) with slices of at most
/// `max_offset` + 1,000 rows; the file's rows, the outcome's stop and the plan's layout.
async fn engine_export(
    http: &HttpClient,
    q: &LiveRequest,
    max_offset: u64,
) -> (
    Vec<Backlink>,
    Stop,
    Layout,
    Vec<export::slices::SliceRecord>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.jsonl");
    let mut first = q.clone();
    first.offset = Some(0);
    first.limit = Some(1000);
    let page = http.fetch(first).await.unwrap();
    let mut writer = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    writer.write_all(&page.items).unwrap();
    let mut shape = Shape::new(page.total_count, page.total_count, 1000, 1000);
    shape.max_offset = max_offset;
    let choice = partition::choose(q, &shape);
    let Choice::Partition(plan) = &choice else {
        panic!("{choice:?}")
    };
    let job = ExportJob {
        query: q.clone(),
        page_size: 1000,
        start_row: 1000,
        cursor: Cursor::Offset(1000),
        target_rows: page.total_count,
    };
    let out = export::run_with(
        http,
        &job,
        &choice,
        &page.items,
        writer,
        &Cancel::new(),
        None,
        |_| {},
    )
    .await;
    out.writer.unwrap().finish(&SetEnd::default()).unwrap();
    let rows = read_all(&path).unwrap().rows;
    (rows, out.stop, plan.layout, out.slices)
}

fn options(output: &std::path::Path, query: QueryArgs) -> ExportOptions {
    ExportOptions {
        target: TARGET.into(),
        query,
        output: output.to_owned(),
        format: None,
        manifest: None,
        max_rows: None,
        yes: true,
        budget: 100.0,
    }
}

fn all_rows_args() -> QueryArgs {
    QueryArgs {
        status: Some(StatusType::All),
        include_internal: true,
        ..QueryArgs::default()
    }
}

#[tokio::test(start_paused = true)]
async fn the_default_order_past_the_offset_limit_is_the_sequential_result() {
    let rows = 48_000;
    let q = query(&[], None);
    let want = reference(rows, &q);
    assert!(want.len() > 40_000, "{}", want.len());
    let s = server(rows, 0.0).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.csv");
    let http = client(&s);
    let source = Cached::uncached(http.clone(), s.url());
    let (code, text) = run_to_text(&source, &options(&out, all_rows_args()), &Cancel::new()).await;
    assert_eq!(code, status::COMPLETE, "{text}");
    assert!(text.contains("slices side by side"), "{text}");
    let got: Vec<Backlink> = read_all(&out).unwrap().rows;
    assert_same_rows(&got, &want);
    let m: Manifest = manifest::read(&manifest::path_for(&out)).unwrap();
    assert!(m.is_complete());
    assert!(m.slices.len() >= 2, "{:?}", m.slices);
    assert!(m.slices.iter().all(|s| s.complete));
    assert!(
        m.slices.iter().all(|s| s.rows <= 21_000),
        "each slice within the offset limit: {:?}",
        m.slices
    );
    // Each page paid once: the pages the rows fill, plus a partial last page per slice.
    let pages = (want.len() as u64).div_ceil(1000);
    assert!(
        m.requests <= pages + m.slices.len() as u64,
        "{} requests for {pages} pages in {} slices",
        m.requests,
        m.slices.len()
    );
    assert!((m.cost - http.costs().total_usd()).abs() < 1e-9);
    s.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_date_order_concatenates_its_slices() {
    let rows = 20_000;
    let q = query(&["first_seen,desc", "anchor,asc"], None);
    let want = reference(rows, &q);
    let s = server(rows, 0.0).await;
    let (got, stop, layout, slices) = engine_export(&client(&s), &q, 3_000).await;
    assert_eq!(stop, Stop::Complete);
    assert_eq!(
        layout,
        Layout::Concat(backlinks::api::request::SortDir::Desc)
    );
    assert!(slices.len() >= 4, "{slices:?}");
    assert!(slices[0].range.starts_with("first_seen in ["), "{slices:?}");
    assert_same_rows(&got, &want);
    s.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_text_order_merges_its_slices() {
    let rows = 20_000;
    let q = query(&["domain_from,asc"], Some("dofollow = true or rank >= 0"));
    let want = reference(rows, &q);
    let s = server(rows, 0.0).await;
    let (got, stop, layout, slices) = engine_export(&client(&s), &q, 3_000).await;
    assert_eq!(stop, Stop::Complete);
    assert_eq!(layout, Layout::Merge);
    assert!(slices.len() >= 4, "{slices:?}");
    assert!(
        slices
            .iter()
            .all(|s| s.rows <= 4_000 || s.range.contains(" = ")),
        "{slices:?}"
    );
    assert_same_rows(&got, &want);
    s.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_value_with_more_than_20000_rows_walks_its_own_token() {
    let rows = 32_000;
    let q = query(&["page_from_status_code,asc"], None);
    let want = reference(rows, &q);
    let heavy = want
        .iter()
        .filter(|b| b.page_from_status_code == Some(200))
        .count();
    assert!(heavy > 21_000, "{heavy}");
    let s = server(rows, 0.0).await;
    let (got, stop, _, slices) = engine_export(&client(&s), &q, 20_000).await;
    assert_eq!(stop, Stop::Complete);
    // The slice of the 200s (the lowest code: open below) went on past the offset limit by
    // its token, then the rest was cut off after it.
    let walked = slices
        .iter()
        .find(|s| s.range == "page_from_status_code in […, 201)" || s.range.ends_with(", 301)"))
        .unwrap_or_else(|| panic!("{slices:?}"));
    assert_eq!(walked.rows, heavy as u64, "{slices:?}");
    assert!(walked.pages > 21, "{slices:?}");
    assert_same_rows(&got, &want);
    s.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_filter_without_room_falls_back_to_the_sequential_walk_and_says_so() {
    let rows = 32_000;
    let filter = "rank >= 0 and rank >= 0 and rank >= 0 and rank >= 0 and rank >= 0 and \
                  rank >= 0 and rank >= 0";
    let q = query(&[], Some(filter));
    let want = reference(rows, &q);
    assert!(want.len() > 21_000, "{}", want.len());
    let s = server(rows, 0.0).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.jsonl");
    let source = Cached::uncached(client(&s), s.url());
    let args = QueryArgs {
        filter: Some(Filter::parse(filter).unwrap()),
        ..all_rows_args()
    };
    let (code, text) = run_to_text(&source, &options(&out, args), &Cancel::new()).await;
    assert_eq!(code, status::COMPLETE, "{text}");
    assert!(
        text.contains("the filter uses 7 of the API's 8 conditions and slicing needs 2 more"),
        "{text}"
    );
    let got: Vec<Backlink> = read_all(&out).unwrap().rows;
    assert_same_rows(&got, &want);
    let m = manifest::read(&manifest::path_for(&out)).unwrap();
    assert!(m.slices.is_empty());
    assert_eq!(m.requests, (want.len() as u64).div_ceil(1000));
    s.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn faults_then_a_resume_after_ctrl_c_pay_each_page_once() {
    let rows = 60_000;
    let q = query(&["last_seen,asc"], None);
    let want = reference(rows, &q);
    let s = server(rows, 0.2).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.jsonl");
    let cache = Arc::new(
        PageCache::open(&dir.path().join("cache.sqlite3"), Duration::from_hours(24)).unwrap(),
    );
    let args = QueryArgs {
        order_by: vec!["last_seen,asc".parse().unwrap()],
        ..all_rows_args()
    };

    // Stopped by Ctrl-C: the pages in flight finish, the file keeps the first rows in order.
    let cancel = Cancel::new();
    let stopper = StopAfter {
        inner: client(&s),
        paid: Arc::default(),
        after: 12,
        cancel: cancel.clone(),
    };
    let source = Cached::new(stopper.clone(), cache.clone(), s.url(), CacheMode::Use);
    let (code, text) = run_to_text(&source, &options(&out, args.clone()), &cancel).await;
    assert_eq!(code, status::PARTIAL, "{text}");
    let first = manifest::read(&manifest::path_for(&out)).unwrap();
    assert_eq!(first.stopped_by.as_deref(), Some("cancelled"));
    assert!(
        first.slices.iter().any(|s| !s.complete),
        "{:?}",
        first.slices
    );
    let kept: Vec<Backlink> = read_all(&out).unwrap().rows;
    assert_eq!(kept.len() as u64, first.rows);
    assert_same_rows(&kept, &want[..kept.len()]);
    assert_eq!(first.requests, stopper.paid.load(Ordering::SeqCst) as u64);
    let pages_total = (want.len() as u64).div_ceil(1000);
    assert!(first.requests < pages_total, "{} paid", first.requests);

    // Re-run with the same cache: every row, only the missing pages paid for.
    let http = client(&s);
    let source = Cached::new(http.clone(), cache, s.url(), CacheMode::Use);
    let (code, text) = run_to_text(&source, &options(&out, args), &Cancel::new()).await;
    assert_eq!(code, status::COMPLETE, "{text}");
    assert!(text.contains("cached, free"), "{text}");
    let second = manifest::read(&manifest::path_for(&out)).unwrap();
    assert_eq!(second.cached_pages, first.requests, "{text}");
    assert!(second.requests > 0);
    let pages: u64 = second.slices.iter().map(|s| s.pages).sum::<u64>() + 1;
    assert_eq!(
        second.requests + second.cached_pages,
        pages,
        "every page once: {:?}",
        second.slices
    );
    assert!((second.cost - http.costs().total_usd()).abs() < 1e-9);
    let got: Vec<Backlink> = read_all(&out).unwrap().rows;
    assert_same_rows(&got, &want);
    s.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_server_is_waited_for_and_no_page_is_lost_or_paid_twice() {
    let rows = 20_000;
    let q = query(&["first_seen,asc"], None);
    let want = reference(rows, &q);
    // A server that allows 12 calls a minute: the client hears 40202, waits, goes on.
    let s = common::start(ServerConfig {
        dataset: dataset(rows),
        rate_limit_per_minute: 12,
        ..ServerConfig::default()
    })
    .await;
    let mut cfg = ClientConfig::new(s.url(), Credentials::new("demo", "demo"));
    cfg.rate_limit_wait = Some(Duration::from_mins(1));
    let http = HttpClient::new(cfg).unwrap();
    let started = tokio::time::Instant::now();
    let (got, stop, _, slices) = engine_export(&http, &q, 3_000).await;
    assert_eq!(stop, Stop::Complete);
    assert_same_rows(&got, &want);
    let pages = 1 + slices.iter().map(|s| s.pages).sum::<u64>();
    assert!(pages > 12, "{pages}");
    assert!(
        started.elapsed() >= Duration::from_mins(1),
        "it had to wait for the window"
    );
    // Refused calls cost nothing: what was paid is the pages, each once.
    let paid = http.costs().total_usd();
    let rows_cost = want.len() as f64 * 0.000_03;
    assert!(
        (paid - (pages as f64 * 0.02 + rows_cost)).abs() < 1e-9,
        "{paid} for {pages} pages"
    );
    s.shutdown().await.unwrap();
}
