//! What a user waits for in a big export, against the simulator on loopback with the API's
//! latency: the sequential walk (offset pages to 20,000, then the token chain one page at a
//! time) and the partitioned export, side by side in the same run, on the same server.
//!
//! - `200k`: 200,000 rows (`--rows 200000`), 300 ms a request: target ≤ 12 s (today 52.5 s),
//!   ≤ 210 requests' worth, the same rows in the same order;
//! - `forbes`: the default `forbes.com` query (46,873 rows), 300 ms: target ≤ 3 s;
//! - 1M rows at 2 s a request, from the limiter's model ([`backlinks::fetch::export::model`]).
//!
//! A bench binary (not criterion: one sequential run takes a minute). Medians of
//! `BENCH_RUNS` runs (default 3). `cargo bench --bench export_parallel`.

use std::time::{Duration, Instant};

use backlinks::api::LiveRequest;
use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::fetch::Cursor;
use backlinks::fetch::export::partition::{self, Choice, Shape};
use backlinks::fetch::export::{self, Cancel, ExportJob, Outcome, model};
use backlinks::fetch::worker::PageSource;
use backlinks::sim::dataset::DatasetConfig;
use backlinks::sim::server::{RunningServer, ServerConfig, spawn};
use backlinks::store::{Format, SetEnd, SetWriter};

struct Run {
    secs: f64,
    requests: u64,
    cost: f64,
    rows: u64,
    digest: u64,
}

async fn server(rows: Option<usize>, latency_ms: u64) -> RunningServer {
    spawn(ServerConfig {
        dataset: DatasetConfig { seed: 1, rows },
        latency_ms,
        ..ServerConfig::default()
    })
    .await
    .expect("the simulator starts")
}

fn client(s: &RunningServer) -> HttpClient {
    HttpClient::new(ClientConfig::new(s.url(), Credentials::new("demo", "demo"))).unwrap()
}

/// One export of `query` as `backlinks export` runs it: the first page, then the rest,
/// sliced or not. Timed from the first request to the file in place.
async fn export_once(s: &RunningServer, query: &LiveRequest, sliced: bool) -> Run {
    let http = client(s);
    let dir = std::env::temp_dir().join(format!("backlinks-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(if sliced { "sliced.jsonl" } else { "seq.jsonl" });
    let started = Instant::now();
    let mut first = query.clone();
    first.offset = Some(0);
    first.limit = Some(1000);
    let page = http.fetch(first).await.expect("the first page");
    let mut writer = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    writer.write_all(&page.items).unwrap();
    let got = page.items.len() as u64;
    let job = ExportJob {
        query: query.clone(),
        page_size: 1000,
        start_row: got,
        cursor: Cursor::Offset(got as usize),
        target_rows: page.total_count,
    };
    let choice = if sliced {
        partition::choose(
            query,
            &Shape::new(page.total_count, page.total_count, got, 1000),
        )
    } else {
        Choice::NotNeeded
    };
    let out: Outcome = export::run_with(
        &http,
        &job,
        &choice,
        &page.items,
        writer,
        &Cancel::new(),
        None,
        |_| {},
    )
    .await;
    assert!(out.stop.is_complete(), "{:?}", out.stop);
    let rows = out.writer.unwrap().finish(&SetEnd::default()).unwrap();
    let secs = started.elapsed().as_secs_f64();
    let digest = digest(&std::fs::read(&path).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    Run {
        secs,
        requests: out.progress.requests + 1,
        cost: out.progress.cost + page.cost,
        rows,
        digest,
    }
}

/// FNV-1a of the file: equal files, equal rows in equal order.
fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn case(name: &str, s: &RunningServer, query: &LiveRequest, runs: usize, sequential: bool) {
    let mut digest = None;
    for sliced in [false, true] {
        if !sliced && !sequential {
            continue;
        }
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let r = export_once(s, query, sliced).await;
            times.push(r.secs);
            if let Some(d) = digest {
                assert_eq!(d, r.digest, "{name}: the same rows in the same order");
            }
            digest = Some(r.digest);
            last = Some(r);
        }
        let r = last.unwrap();
        println!(
            "{name:<8} {:<11} median {:>6.2} s  (runs: {})  rows {}  requests {}  cost ${:.4} \
             ({:.1} requests' worth at $0.05)",
            if sliced { "partitioned" } else { "sequential" },
            median(times.clone()),
            times
                .iter()
                .map(|t| format!("{t:.2}"))
                .collect::<Vec<_>>()
                .join(", "),
            r.rows,
            r.requests,
            r.cost,
            r.cost / 0.05,
        );
    }
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let s = server(Some(200_000), 300).await;
        let q = LiveRequest::new("example.com");
        // Generates the profile before any timing.
        let _ = client(&s)
            .fetch(LiveRequest {
                limit: Some(1),
                ..q.clone()
            })
            .await;
        case(
            "200k",
            &s,
            &q,
            runs,
            std::env::var("BENCH_NO_SEQUENTIAL").is_err(),
        )
        .await;
        s.shutdown().await.unwrap();

        let s = server(None, 300).await;
        let q = LiveRequest::new("forbes.com");
        let _ = client(&s)
            .fetch(LiveRequest {
                limit: Some(1),
                ..q.clone()
            })
            .await;
        case("forbes", &s, &q, runs, false).await;
        s.shutdown().await.unwrap();
    });
    let m = model::paper(1_000_000, 1000, Duration::from_secs(2));
    println!(
        "1M rows at 2 s (limiter's model): sequential {}, partitioned {} ({} requests, {} \
         slices)",
        export::estimate::eta(m.sequential),
        export::estimate::eta(m.partitioned),
        m.requests,
        m.slices,
    );
}
