//! Rate limits and fault injection through HTTP (profiles: the documented example's items).
//!
//! On tokio's paused clock: the simulator's latency and its rate-limit minute are virtual, so
//! a second of latency or a minute's wait costs nothing, and the clock only moves once every
//! task waits (all calls are then surely in flight).

mod common;

use std::time::Duration;

use backlinks::sim::server::ServerConfig;
use common::{LOGIN, PASSWORD, call, call_raw, start_fixed as start};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::time::Instant;

fn forbes() -> Value {
    json!([{"target": "forbes.com", "limit": 3}])
}

#[tokio::test(start_paused = true)]
async fn calls_per_minute_are_limited() {
    let s = start(ServerConfig {
        rate_limit_per_minute: 3,
        ..ServerConfig::default()
    })
    .await;
    for _ in 0..3 {
        let (_, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
        assert_eq!(body["status_code"], 20000);
    }
    let (status, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status_code"], 40202);
    assert_eq!(
        body["status_message"],
        "The rate-limit per minute has been exceeded."
    );
    // A rolling minute: once the first calls are a minute old, calls are accepted again.
    tokio::time::sleep(Duration::from_secs(59)).await;
    let (_, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
    assert_eq!(body["status_code"], 40202, "still within the minute");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (_, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
    assert_eq!(
        body["status_code"], 20000,
        "the first calls left the window"
    );
}

#[tokio::test(start_paused = true)]
async fn thirty_one_calls_in_flight_are_one_too_many() {
    let s = start(ServerConfig {
        latency_ms: 1500,
        ..ServerConfig::default()
    })
    .await;
    let url = s.endpoint();
    let calls = (0..31).map(|_| {
        let url = url.clone();
        tokio::spawn(
            async move { call(&url, LOGIN, PASSWORD, forbes()).await.1["status_code"].clone() },
        )
    });
    let codes: Vec<Value> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let limited = codes.iter().filter(|c| **c == json!(40202)).count();
    let ok = codes.iter().filter(|c| **c == json!(20000)).count();
    assert_eq!((ok, limited), (30, 1), "{codes:?}");
}

#[tokio::test(start_paused = true)]
async fn fail_payment_answers_402() {
    let s = start(ServerConfig {
        fail_payment: true,
        ..ServerConfig::default()
    })
    .await;
    let (status, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
    assert_eq!(
        (status, body["status_code"].clone()),
        (StatusCode::PAYMENT_REQUIRED, json!(40200))
    );
}

/// The status and code of each of `n` calls.
async fn codes(cfg: ServerConfig, n: usize) -> Vec<(StatusCode, i64)> {
    let s = start(cfg).await;
    let mut out = Vec::new();
    for _ in 0..n {
        let (status, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
        let code = match body["status_code"].as_i64().unwrap() {
            20000 => body["tasks"][0]["status_code"].as_i64().unwrap(),
            top => top,
        };
        out.push((status, code));
    }
    out
}

#[tokio::test(start_paused = true)]
async fn fail_rate_injects_each_failure_deterministically() {
    let cfg = ServerConfig {
        fail_rate: 1.0,
        seed: 42,
        ..ServerConfig::default()
    };
    let a = codes(cfg.clone(), 30).await;
    for code in [50000, 50401, 40103] {
        assert!(a.iter().any(|(_, c)| *c == code), "{code} occurs: {a:?}");
    }
    for (status, code) in &a {
        let want = if *code == 50000 {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        };
        assert_eq!(*status, want);
    }
    assert_eq!(codes(cfg.clone(), 30).await, a, "same seed, same faults");
    let half = codes(
        ServerConfig {
            fail_rate: 0.5,
            ..cfg
        },
        40,
    )
    .await;
    let failed = half.iter().filter(|(_, c)| *c != 20000).count();
    assert!((5..35).contains(&failed), "about half fail: {failed}");
}

#[tokio::test(start_paused = true)]
async fn malformed_rate_sends_broken_bodies() {
    let s = start(ServerConfig {
        malformed_rate: 1.0,
        ..ServerConfig::default()
    })
    .await;
    let (mut html, mut cut) = (0, 0);
    for _ in 0..20 {
        let (status, ctype, text) =
            call_raw(&s.endpoint(), Some((LOGIN, PASSWORD)), forbes().to_string()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
        if ctype.starts_with("text/html") {
            html += 1;
        } else {
            assert!(text.starts_with("{\"version\""), "{text}");
            cut += 1;
        }
    }
    assert!(
        html > 0 && cut > 0,
        "both kinds occur: {html} html, {cut} truncated"
    );
}

#[tokio::test(start_paused = true)]
async fn latency_delays_every_call() {
    let s = start(ServerConfig {
        latency_ms: 300,
        ..ServerConfig::default()
    })
    .await;
    let started = Instant::now();
    let (_, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
    assert_eq!(body["status_code"], 20000);
    // On the paused clock nothing else takes time: the call took its latency.
    let took = started.elapsed();
    assert!(
        (Duration::from_millis(240)..=Duration::from_millis(360)).contains(&took),
        "300 ms with at most 20 % jitter: {took:?}"
    );
}
