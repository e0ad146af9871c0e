//! `backlinks export` against the simulator with faults (20 % of calls fail, 50 ms latency):
//! exactly the simulator's rows, none lost, none twice; the manifest's cost is the sum of the
//! successful requests; a stopped export re-run pays only for the pages it did not have.
//!
//! On tokio's paused clock: the latency and the backoffs are virtual (the cache's and the file's
//! blocking work holds the clock while it runs), so what is left of the run time is CPU.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::api::{Backlink, StatusType};
use backlinks::cli::QueryArgs;
use backlinks::commands::export::{ExportOptions, status};
use backlinks::fetch::export::Cancel;
use backlinks::fetch::export::manifest::{self, Manifest};
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::sim::server::{RunningServer, ServerConfig};
use backlinks::store::cache::{CacheMode, Cached, PageCache};
use backlinks::store::read::read_all;
use common::exports::{StopAfter, run_to_text};
use serde_json::json;

const TARGET: &str = "forbes.com";

fn dataset() -> DatasetConfig {
    DatasetConfig {
        seed: 3,
        rows: Some(32_000),
    }
}

/// What the simulator holds for the query: every status, internal links too.
fn reference() -> Vec<Backlink> {
    let task = json!({"target": TARGET, "backlinks_status_type": "all",
        "exclude_internal_backlinks": false});
    common::brute::expected(&generate(TARGET, &dataset()), &task)
}

async fn server() -> RunningServer {
    common::start(ServerConfig {
        dataset: dataset(),
        fail_rate: 0.2,
        latency_ms: 50,
        ..ServerConfig::default()
    })
    .await
}

fn client(server: &RunningServer) -> HttpClient {
    let mut cfg = ClientConfig::new(server.url(), Credentials::new("demo", "demo"));
    cfg.backoff_base = Duration::from_millis(20);
    HttpClient::new(cfg).unwrap()
}

fn options(output: &std::path::Path) -> ExportOptions {
    ExportOptions {
        target: TARGET.into(),
        query: QueryArgs {
            status: Some(StatusType::All),
            include_internal: true,
            ..QueryArgs::default()
        },
        output: output.to_owned(),
        format: None,
        manifest: None,
        max_rows: None,
        yes: true,
        budget: 1.0,
    }
}

fn price(pages: u64, rows: u64) -> f64 {
    pages as f64 * 0.02 + rows as f64 * 0.000_03
}

#[tokio::test(start_paused = true)]
async fn a_faulty_server_still_gives_every_row_once() {
    let want = reference();
    assert!(want.len() > 30_000, "{}", want.len());
    let s = server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.jsonl");
    let http = client(&s);
    let cache = Arc::new(
        PageCache::open(&dir.path().join("cache.sqlite3"), Duration::from_hours(24)).unwrap(),
    );
    let source = Cached::new(http.clone(), cache.clone(), s.url(), CacheMode::Use);
    let (code, err) = run_to_text(&source, &options(&out), &Cancel::new()).await;
    assert_eq!(code, status::COMPLETE, "{err}");
    let got = read_all(&out).unwrap().rows;
    assert_eq!(got.len(), want.len(), "no row lost, none twice");
    let first_diff = got.iter().zip(&want).position(|(g, w)| g != w);
    assert_eq!(first_diff, None, "rows equal the simulator's");
    let m: Manifest = manifest::read(&manifest::path_for(&out)).unwrap();
    assert!(m.is_complete());
    assert_eq!(m.rows, want.len() as u64);
    // Past 20,000 rows the result is sliced: the pages the rows fill, and a partial last page
    // per slice, each paid once.
    let pages = 1 + m.slices.iter().map(|s| s.pages).sum::<u64>();
    assert!(!m.slices.is_empty());
    assert!(pages <= (want.len() as u64).div_ceil(1000) + m.slices.len() as u64);
    assert_eq!(m.requests, pages, "each page paid once");
    // The sum of what the server reported for the successful calls (failed calls cost 0).
    let reported = http.costs().total_usd();
    assert!((m.cost - reported).abs() < 1e-9, "{} vs {reported}", m.cost);
    // The rows, and the merged layout's sample page (1,000 rows in an unrelated order).
    assert!(
        (m.cost - price(pages, want.len() as u64 + 1000)).abs() < 1e-9,
        "{}",
        m.cost
    );
    assert!(err.contains("complete"), "{err}");
    // The cache never holds the password.
    let bytes = std::fs::read(dir.path().join("cache.sqlite3")).unwrap();
    assert!(
        !bytes
            .windows(b"ZGVtbzpkZW1v".len())
            .any(|w| w == b"ZGVtbzpkZW1v")
    );
    s.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_stopped_export_rerun_pays_only_for_missing_pages() {
    let want = reference();
    let s = server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.csv");
    let cache = Arc::new(
        PageCache::open(&dir.path().join("cache.sqlite3"), Duration::from_hours(24)).unwrap(),
    );

    // First run: stopped after 23 paid pages (past the offset limit, into the token chain).
    let cancel = Cancel::new();
    let stopper = StopAfter {
        inner: client(&s),
        paid: Arc::default(),
        after: 23,
        cancel: cancel.clone(),
    };
    let source = Cached::new(stopper.clone(), cache.clone(), s.url(), CacheMode::Use);
    let (code, text) = run_to_text(&source, &options(&out), &cancel).await;
    assert_eq!(code, status::PARTIAL, "{text}");
    let first = manifest::read(&manifest::path_for(&out)).unwrap();
    assert_eq!(first.status, "partial");
    assert_eq!(first.stopped_by.as_deref(), Some("cancelled"));
    // Opening the file later finds the manifest beside it and says the set is partial.
    let meta = manifest::read_beside(&out).unwrap().set_meta();
    assert!(meta.partial);
    assert_eq!(meta.total_count, Some(want.len() as u64));
    assert_eq!(
        meta.query.as_ref().map(|q| q.target.as_str()),
        Some("forbes.com")
    );
    let kept = read_all(&out).unwrap().rows;
    assert_eq!(kept.len() as u64, first.rows);
    if let Some(i) = (0..kept.len()).find(|&i| kept[i] != want[i]) {
        let a = serde_json::to_value(&kept[i]).unwrap();
        let b = serde_json::to_value(&want[i]).unwrap();
        let diff: Vec<_> = a
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, v)| b[k.as_str()] != **v)
            .map(|(k, v)| format!("{k}: {v} vs {}", b[k.as_str()]))
            .collect();
        panic!("row {i} differs: {diff:?}");
    }
    assert_eq!(first.requests, stopper.paid.load(Ordering::SeqCst) as u64);

    // Second run, same cache: only the pages it did not have are paid for.
    let http = client(&s);
    let source = Cached::new(http.clone(), cache, s.url(), CacheMode::Use);
    let (code, text) = run_to_text(&source, &options(&out), &Cancel::new()).await;
    assert_eq!(code, status::COMPLETE, "{text}");
    assert!(
        text.contains("cached, free"),
        "the estimate counts cached pages: {text}"
    );
    let second = manifest::read(&manifest::path_for(&out)).unwrap();
    assert_eq!(second.cached_pages, first.requests, "{text}");
    // The same slices, cut from the same cached pages: what the first run lacked is paid once.
    let pages = 1 + second.slices.iter().map(|s| s.pages).sum::<u64>();
    assert_eq!(second.requests, pages - first.requests);
    assert!((first.cost + second.cost - price(pages, want.len() as u64 + 1000)).abs() < 1e-9);
    assert!((second.cost - http.costs().total_usd()).abs() < 1e-9);
    assert!(
        read_all(&out).unwrap().rows == want,
        "every row after the re-run"
    );
    s.shutdown().await.unwrap();
}
