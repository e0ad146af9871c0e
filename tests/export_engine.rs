//! The export engine against a scripted source: every row once and in order across the offset
//! and token phases, failures retried, cost summed, cancel and budget leave a partial prefix.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backlinks::api::{ApiError, Backlink, LiveRequest};
use backlinks::fetch::Cursor;
use backlinks::fetch::Page;
use backlinks::fetch::export::{self, Cancel, ExportJob, Stop};
use backlinks::fetch::worker::PageSource;
use backlinks::store::read::read_all;
use backlinks::store::{Format, SetEnd, SetWriter};

/// `rows` numbered items; offset or token paging; every `fail_every`-th call fails.
#[derive(Clone)]
struct Script {
    rows: usize,
    fail_every: usize,
    calls: Arc<AtomicUsize>,
    paid: Arc<Mutex<Vec<f64>>>,
    requests: Arc<Mutex<Vec<LiveRequest>>>,
}

impl Script {
    fn new(rows: usize, fail_every: usize) -> Script {
        Script {
            rows,
            fail_every,
            calls: Arc::default(),
            paid: Arc::default(),
            requests: Arc::default(),
        }
    }
}

impl PageSource for Script {
    async fn fetch(&self, request: LiveRequest) -> Result<Page, ApiError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
        if self.fail_every > 0 && n.is_multiple_of(self.fail_every) {
            return Err(ApiError::Server {
                code: 50000,
                message: "scripted".into(),
            });
        }
        self.requests.lock().unwrap().push(request.clone());
        let start = match (&request.offset, &request.search_after_token) {
            (_, Some(t)) => t.trim_start_matches('t').parse::<usize>().unwrap(),
            (Some(o), None) => *o as usize,
            (None, None) => 0,
        };
        assert!(
            request.offset.unwrap_or(0) <= 20_000,
            "offset beyond the API limit"
        );
        let end = (start + request.limit.unwrap() as usize).min(self.rows);
        let items: Vec<Backlink> = (start..end.max(start))
            .map(|i| Backlink {
                url_from: Some(format!("https://s{i}.example/")),
                rank: Some(i as i64),
                ..Backlink::default()
            })
            .collect();
        let cost = 0.02 + 0.000_03 * items.len() as f64;
        self.paid.lock().unwrap().push(cost);
        Ok(Page {
            total_count: self.rows as u64,
            search_after_token: Some(format!("t{end}")),
            cost,
            elapsed: Duration::from_millis(50),
            cached: false,
            body: None,
            items,
        })
    }
}

fn job(target: u64) -> ExportJob {
    ExportJob {
        query: LiveRequest::new("x.com"),
        page_size: 1000,
        start_row: 0,
        cursor: Cursor::Offset(0),
        target_rows: target,
    }
}

fn ranks(path: &std::path::Path) -> Vec<i64> {
    read_all(path)
        .unwrap()
        .rows
        .iter()
        .map(|r| r.rank.unwrap())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn every_row_once_in_order_through_offsets_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.jsonl");
    let source = Script::new(25_500, 4);
    let writer = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    let mut seen = Vec::new();
    let out = export::run(&source, &job(25_500), writer, &Cancel::new(), None, |p| {
        seen.push(p.rows);
    })
    .await;
    assert_eq!(out.stop, Stop::Complete);
    assert_eq!(out.progress.rows, 25_500);
    out.writer.unwrap().finish(&SetEnd::default()).unwrap();
    let got = ranks(&path);
    assert_eq!(got, (0..25_500).collect::<Vec<i64>>());
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "progress only grows");
    // 21 offset pages (0..=20,000), then 5 token pages.
    let reqs = source.requests.lock().unwrap().clone();
    assert_eq!(reqs.iter().filter(|r| r.offset.is_some()).count(), 21);
    assert_eq!(
        reqs.iter()
            .filter(|r| r.search_after_token.is_some())
            .count(),
        5
    );
    let paid: f64 = source.paid.lock().unwrap().iter().sum();
    assert!((out.progress.cost - paid).abs() < 1e-9);
    assert_eq!(out.progress.requests, 26);
}

#[tokio::test(start_paused = true)]
async fn cancel_keeps_a_contiguous_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("part.csv");
    let source = Script::new(15_000, 0);
    let writer = SetWriter::create(&path, Format::Csv, None, None).unwrap();
    let cancel = Cancel::new();
    let c = cancel.clone();
    let out = export::run(&source, &job(15_000), writer, &cancel, None, move |p| {
        if p.rows >= 3000 {
            c.cancel();
        }
    })
    .await;
    assert_eq!(out.stop, Stop::Cancelled);
    let rows = out.progress.rows;
    assert!((3000..15_000).contains(&rows), "{rows}");
    out.writer.unwrap().finish(&SetEnd::default()).unwrap();
    let got = ranks(&path);
    assert_eq!(
        got,
        (0..rows as i64).collect::<Vec<_>>(),
        "no gap, no duplicate"
    );
}

#[tokio::test(start_paused = true)]
async fn the_budget_stops_before_overspending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget.tsv");
    let source = Script::new(30_000, 0);
    let writer = SetWriter::create(&path, Format::Tsv, None, None).unwrap();
    let out = export::run(
        &source,
        &job(30_000),
        writer,
        &Cancel::new(),
        Some(0.5),
        |_| {},
    )
    .await;
    assert_eq!(out.stop, Stop::Budget);
    assert!(out.progress.cost <= 0.5 + 1e-9, "{}", out.progress.cost);
    // $0.05 a page: ten pages fit.
    assert_eq!(out.progress.rows, 10_000);
}

#[tokio::test(start_paused = true)]
async fn max_rows_cuts_the_last_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("some.json");
    let source = Script::new(30_000, 0);
    let writer = SetWriter::create(&path, Format::Json, None, None).unwrap();
    let out = export::run(&source, &job(2_500), writer, &Cancel::new(), None, |_| {}).await;
    assert_eq!(out.stop, Stop::Complete);
    out.writer.unwrap().finish(&SetEnd::default()).unwrap();
    assert_eq!(ranks(&path).len(), 2_500);
    let limits: HashSet<u32> = source
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.limit.unwrap())
        .collect();
    assert_eq!(
        limits,
        HashSet::from([1000, 500]),
        "the last page asks for 500"
    );
}

#[tokio::test(start_paused = true)]
async fn a_page_failing_for_good_stops_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fail.jsonl");
    let source = Script::new(5_000, 1); // every call fails
    let writer = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    let out = export::run(&source, &job(5_000), writer, &Cancel::new(), None, |_| {}).await;
    match &out.stop {
        Stop::Failed(reason) => assert!(reason.contains("50000"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(out.progress.rows, 0);
}

#[tokio::test(start_paused = true)]
async fn resuming_from_a_token_goes_on_from_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rest.jsonl");
    let source = Script::new(23_000, 0);
    let writer = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    let job = ExportJob {
        start_row: 21_000,
        cursor: Cursor::Token("t21000".into()),
        ..job(23_000)
    };
    let out = export::run(&source, &job, writer, &Cancel::new(), None, |_| {}).await;
    assert_eq!(out.stop, Stop::Complete);
    assert_eq!(out.progress.rows, 23_000);
    assert_eq!(out.progress.fetched, 2_000);
}
