//! `export` refuses to spend past `--budget` without `--yes`, and refuses bad arguments
//! before spending anything.

mod common;

use std::sync::Arc;
use std::time::Duration;

use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::cli::QueryArgs;
use backlinks::commands::export::{ExportOptions, run, status};
use backlinks::fetch::export::Cancel;
use backlinks::fetch::export::manifest;
use backlinks::sim::dataset::DatasetConfig;
use backlinks::sim::server::ServerConfig;
use backlinks::store::cache::{CacheMode, Cached, PageCache};
use backlinks::store::read::read_all;

fn options(output: &std::path::Path) -> ExportOptions {
    ExportOptions {
        target: "forbes.com".into(),
        query: QueryArgs::default(),
        output: output.to_owned(),
        format: None,
        manifest: None,
        max_rows: None,
        yes: false,
        budget: 0.10,
    }
}

/// The simulator with 8,000 rows for every target (seed 1).
async fn sim_8000() -> backlinks::sim::server::RunningServer {
    common::start(ServerConfig {
        dataset: DatasetConfig {
            seed: 1,
            rows: Some(8_000),
        },
        ..ServerConfig::default()
    })
    .await
}

#[tokio::test]
async fn over_the_budget_it_stops_after_the_first_page() {
    let s = sim_8000().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = PageCache::open(&dir.path().join("c.sqlite3"), Duration::from_hours(1)).unwrap();
    let http =
        HttpClient::new(ClientConfig::new(s.url(), Credentials::new("demo", "demo"))).unwrap();
    let source = Cached::new(http.clone(), Arc::new(cache), s.url(), CacheMode::Use);
    let out = dir.path().join("links.tsv");
    let mut err = Vec::new();
    let code = run(&source, &options(&out), &Cancel::new(), &mut err, false).await;
    let text = String::from_utf8(err).unwrap();
    assert_eq!(code, status::PARTIAL, "{text}");
    assert!(text.contains("is above the budget $0.10"), "{text}");
    assert!(text.contains("--yes"), "{text}");
    assert!(
        text.contains("a re-run does not pay for it again"),
        "{text}"
    );
    assert_eq!(
        read_all(&out).unwrap().rows.len(),
        1000,
        "the first page is kept"
    );
    let m = manifest::read(&manifest::path_for(&out)).unwrap();
    assert_eq!(
        (m.status.as_str(), m.stopped_by.as_deref()),
        ("partial", Some("budget"))
    );
    assert_eq!(
        http.costs().requests(),
        1,
        "nothing past the first page was bought"
    );

    // With --max-rows the whole thing fits the budget.
    let mut opts = options(&out);
    opts.max_rows = Some(1_500);
    let mut err = Vec::new();
    let code = run(&source, &opts, &Cancel::new(), &mut err, false).await;
    assert_eq!(code, status::COMPLETE, "{}", String::from_utf8_lossy(&err));
    assert_eq!(read_all(&out).unwrap().rows.len(), 1_500);
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn without_a_lasting_cache_it_does_not_promise_a_free_re_run() {
    let s = sim_8000().await;
    let dir = tempfile::tempdir().unwrap();
    let http =
        HttpClient::new(ClientConfig::new(s.url(), Credentials::new("demo", "demo"))).unwrap();
    // The demo's cache lives in memory; --no-cache has none.
    let in_memory = PageCache::in_memory(Duration::from_hours(1)).unwrap();
    let sources = [
        Cached::new(http.clone(), Arc::new(in_memory), s.url(), CacheMode::Use),
        Cached::uncached(http.clone(), s.url()),
    ];
    for source in &sources {
        let out = dir.path().join("links.csv");
        let mut err = Vec::new();
        let code = run(source, &options(&out), &Cancel::new(), &mut err, false).await;
        let text = String::from_utf8(err).unwrap();
        assert_eq!(code, status::PARTIAL, "{text}");
        assert!(text.contains("Keeping the first page."), "{text}");
        assert!(!text.contains("re-run"), "{text}");
    }
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_arguments_cost_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens here: any request would fail with a network error, not exit 2.
    let http = HttpClient::new(ClientConfig::new(
        "http://127.0.0.1:9",
        Credentials::new("demo", "demo"),
    ))
    .unwrap();
    let source = Cached::uncached(http, "http://127.0.0.1:9");
    for (opts, needle) in [
        (
            options(&dir.path().join("x.xlsx")),
            "cannot tell the format",
        ),
        (
            ExportOptions {
                target: "https://".into(),
                ..options(&dir.path().join("x.csv"))
            },
            "backlinks export:",
        ),
        (
            ExportOptions {
                max_rows: Some(0),
                ..options(&dir.path().join("x.csv"))
            },
            "--max-rows",
        ),
    ] {
        let mut err = Vec::new();
        let code = run(&source, &opts, &Cancel::new(), &mut err, false).await;
        let text = String::from_utf8(err).unwrap();
        assert_eq!(code, status::BAD_ARGUMENTS, "{text}");
        assert!(text.contains(needle), "{text}");
    }
    // An output that cannot be written fails before any request.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let mut err = Vec::new();
    let code = run(
        &source,
        &options(&blocker.join("x.csv")),
        &Cancel::new(),
        &mut err,
        false,
    )
    .await;
    let text = String::from_utf8(err).unwrap();
    assert_eq!(code, status::FAILED);
    assert!(text.contains("not a folder"), "{text}");
}
