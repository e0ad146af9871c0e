//! `export` refuses to spend past `--budget` without `--yes` when nobody can be asked, asks
//! the person at a terminal instead, and refuses bad arguments before spending anything.

mod common;

use std::sync::Arc;
use std::time::Duration;

use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::cli::QueryArgs;
use backlinks::commands::export::ask::{Answer, Asker};
use backlinks::commands::export::{ExportOptions, run, run_asking, status};
use backlinks::fetch::export::Cancel;
use backlinks::fetch::export::manifest;
use backlinks::sim::dataset::DatasetConfig;
use backlinks::sim::server::ServerConfig;
use backlinks::store::cache::{CacheMode, Cached, PageCache};
use backlinks::store::read::read_all;
use common::exports::run_to_text;

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
    let (code, text) = run_to_text(&source, &options(&out), &Cancel::new()).await;
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
        let (code, text) = run_to_text(source, &options(&out), &Cancel::new()).await;
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
        let (code, text) = run_to_text(&source, &opts, &Cancel::new()).await;
        assert_eq!(code, status::BAD_ARGUMENTS, "{text}");
        assert!(text.contains(needle), "{text}");
    }
    // An output that cannot be written fails before any request.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let (code, text) = run_to_text(&source, &options(&blocker.join("x.csv")), &Cancel::new()).await;
    assert_eq!(code, status::FAILED);
    assert!(text.contains("not a folder"), "{text}");
}

/// A terminal that answers `line` (`None`: the end of input), remembering that it was asked.
struct Says {
    line: Option<&'static str>,
    asked: u32,
}

impl Asker for Says {
    fn can_ask(&self) -> bool {
        true
    }
    fn answer(&mut self) -> Answer {
        self.asked += 1;
        let line = self.line.map(str::to_owned);
        Box::pin(std::future::ready(Ok(line)))
    }
}

/// `export forbes.com` (8,000 rows, budget $0.10) at a terminal that answers `line`: the exit
/// status, stderr, the rows in the file, requests paid for, and how often it was asked.
async fn at_a_terminal(line: Option<&'static str>) -> (u8, String, usize, u64, u32) {
    let s = sim_8000().await;
    let dir = tempfile::tempdir().unwrap();
    let http =
        HttpClient::new(ClientConfig::new(s.url(), Credentials::new("demo", "demo"))).unwrap();
    let source = Cached::uncached(http.clone(), s.url());
    let out = dir.path().join("links.csv");
    let mut err = Vec::new();
    let mut terminal = Says { line, asked: 0 };
    let code = run_asking(
        &source,
        &options(&out),
        &Cancel::new(),
        &mut err,
        false,
        &mut terminal,
    )
    .await;
    let rows = read_all(&out).unwrap().rows.len();
    s.shutdown().await.unwrap();
    let text = String::from_utf8(err).unwrap();
    (code, text, rows, http.costs().requests(), terminal.asked)
}

#[tokio::test]
async fn past_the_budget_a_terminal_is_asked_and_yes_fetches_the_rest() {
    let (code, text, rows, requests, asked) = at_a_terminal(Some("y\n")).await;
    assert_eq!(asked, 1, "{text}");
    // forbes.com has 6,243 rows here: 5,243 more in 6 pages cost $0.28, and with the first
    // page's $0.05 that is $0.23 past $0.10.
    assert!(
        text.contains(
            "the rest is 5,243 rows to fetch in 6 requests, about $0.28; that is $0.23 past \
             your $0.10 budget (spent $0.05). Fetch it? [y/N] "
        ),
        "{text}"
    );
    assert_eq!(code, status::COMPLETE, "{text}");
    assert_eq!((rows, requests), (6_243, 7));
}

#[tokio::test]
async fn past_the_budget_no_at_the_terminal_keeps_the_first_page_only() {
    for answer in [Some("n\n"), Some("\n"), None] {
        let (code, text, rows, requests, asked) = at_a_terminal(answer).await;
        assert_eq!(asked, 1, "{text}");
        assert_eq!(code, status::PARTIAL, "{answer:?}: {text}");
        assert!(
            text.contains("not fetching the rest: you said no"),
            "{text}"
        );
        assert_eq!((rows, requests), (1_000, 1), "nothing more was bought");
    }
}

#[tokio::test]
async fn within_the_budget_or_with_yes_nobody_is_asked() {
    let s = sim_8000().await;
    let dir = tempfile::tempdir().unwrap();
    let http =
        HttpClient::new(ClientConfig::new(s.url(), Credentials::new("demo", "demo"))).unwrap();
    let source = Cached::uncached(http.clone(), s.url());
    for opts in [
        ExportOptions {
            max_rows: Some(1_500),
            ..options(&dir.path().join("a.csv"))
        },
        ExportOptions {
            yes: true,
            ..options(&dir.path().join("b.csv"))
        },
    ] {
        let mut terminal = Says {
            line: Some("n\n"),
            asked: 0,
        };
        let mut err = Vec::new();
        let code = run_asking(
            &source,
            &opts,
            &Cancel::new(),
            &mut err,
            false,
            &mut terminal,
        )
        .await;
        assert_eq!(code, status::COMPLETE, "{}", String::from_utf8_lossy(&err));
        assert_eq!(terminal.asked, 0);
    }
    s.shutdown().await.unwrap();
}
