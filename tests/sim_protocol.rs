//! The simulator's HTTP protocol: auth, body errors, validation errors, envelope shape, rate
//! limits and fault injection. Profiles are the five items of the documented example, so these
//! tests do not depend on the generator.

mod common;

use backlinks::api::response::{Backlink, Envelope};
use backlinks::sim::server::{ProfileSource, RunningServer, ServerConfig, spawn_with_source};
use common::{LOGIN, PASSWORD, call, call_raw, task};
use reqwest::StatusCode;
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("fixtures/backlinks_live_example_response.json");

fn fixture_items() -> Vec<Backlink> {
    let env: Envelope = serde_json::from_str(FIXTURE).unwrap();
    env.first_result().unwrap().items.clone().unwrap()
}

async fn start(cfg: ServerConfig) -> RunningServer {
    spawn_with_source(cfg, ProfileSource::fixed(fixture_items()))
        .await
        .unwrap()
}

fn forbes() -> Value {
    json!([{"target": "forbes.com", "limit": 3}])
}

#[tokio::test]
async fn a_good_call_has_the_api_envelope() {
    let s = start(ServerConfig::default()).await;
    let (status, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
    assert_eq!(status, StatusCode::OK);
    let re = |p: &str| regex::Regex::new(p).unwrap();
    assert!(re(r"^0\.1\.\d{8}$").is_match(body["version"].as_str().unwrap()));
    assert!(re(r"^\d+\.\d{4} sec\.$").is_match(body["time"].as_str().unwrap()));
    assert_eq!(
        (body["status_code"].clone(), body["status_message"].clone()),
        (json!(20000), json!("Ok."))
    );
    assert_eq!(
        (body["tasks_count"].clone(), body["tasks_error"].clone()),
        (json!(1), json!(0))
    );
    let t = &body["tasks"][0];
    assert!(
        re(r"^\d{8}-1535-0269-0000-[0-9a-f]{12}$").is_match(t["id"].as_str().unwrap()),
        "{}",
        t["id"]
    );
    assert_eq!(t["path"], json!(["v3", "backlinks", "backlinks", "live"]));
    assert_eq!(
        t["data"],
        json!({"api": "backlinks", "function": "backlinks", "target": "forbes.com", "limit": 3})
    );
    assert_eq!(t["result_count"], 1);
    let r = &t["result"][0];
    assert_eq!(
        (r["items_count"].clone(), r["total_count"].clone()),
        (json!(3), json!(5))
    );
    assert_eq!(
        (
            r["target"].clone(),
            r["mode"].clone(),
            r["custom_mode"].clone()
        ),
        (json!("forbes.com"), json!("as_is"), Value::Null)
    );
    assert!(
        r["search_after_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    let cost = 0.02 + 0.00003 * 3.0;
    assert!((t["cost"].as_f64().unwrap() - cost).abs() < 1e-12);
    assert_eq!(body["cost"], t["cost"], "envelope cost = sum of task costs");
}

#[tokio::test]
async fn prices_are_configurable() {
    let s = start(ServerConfig {
        price_base: 0.1,
        price_per_item: 0.01,
        ..ServerConfig::default()
    })
    .await;
    let (_, body) = call(&s.endpoint(), LOGIN, PASSWORD, forbes()).await;
    assert!((body["cost"].as_f64().unwrap() - 0.13).abs() < 1e-12);
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_401() {
    let s = start(ServerConfig::default()).await;
    let (status, body) = call(&s.endpoint(), LOGIN, "wrong", forbes()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["status_code"], 40100);
    assert_eq!(
        (body["tasks_count"].clone(), body["tasks"].clone()),
        (json!(0), json!([]))
    );
    let (status, _, text) = call_raw(&s.endpoint(), None, forbes().to_string()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(text.contains("40100"));
    let custom = start(ServerConfig {
        login: "me".into(),
        password: "pw".into(),
        ..ServerConfig::default()
    })
    .await;
    assert_eq!(
        call(&custom.endpoint(), "me", "pw", forbes()).await.0,
        StatusCode::OK
    );
    assert_eq!(
        call(&custom.endpoint(), LOGIN, PASSWORD, forbes()).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn other_paths_are_404_with_40400() {
    let s = start(ServerConfig::default()).await;
    let url = format!("{}/v3/backlinks/summary/live", s.url());
    let (status, body) = call(&url, LOGIN, PASSWORD, forbes()).await;
    assert_eq!(
        (status, body["status_code"].clone()),
        (StatusCode::NOT_FOUND, json!(40400))
    );
    let get = reqwest::get(s.endpoint()).await.unwrap();
    assert_eq!(get.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_bodies_are_request_level_errors() {
    let s = start(ServerConfig::default()).await;
    for (body, code) in [
        ("", 40502),
        ("[]", 40502),
        ("[{\"target\":", 40503),
        ("{\"target\":\"forbes.com\"}", 40503),
        ("[\"forbes.com\"]", 40503),
        (
            "[{\"target\":\"forbes.com\"},{\"target\":\"forbes.com\"}]",
            40000,
        ),
    ] {
        let (status, _, text) = call_raw(&s.endpoint(), Some((LOGIN, PASSWORD)), body.into()).await;
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (status, v["status_code"].clone()),
            (StatusCode::OK, json!(code)),
            "{body:?}"
        );
        assert_eq!(v["tasks"], json!([]));
    }
}

#[tokio::test]
async fn invalid_fields_fail_the_task_not_the_call() {
    let s = start(ServerConfig::default()).await;
    let cases = [
        (json!({"limit": 5}), 40501, "Invalid Field: 'target'."),
        (
            json!({"target": "forbes.com", "limit": 1001}),
            40501,
            "Invalid Field: 'limit'.",
        ),
        (
            json!({"target": "forbes.com", "offset": 20001}),
            40501,
            "Invalid Field: 'offset'.",
        ),
        (
            json!({"target": "forbes.com", "mode": "x"}),
            40501,
            "Invalid Field: 'mode'.",
        ),
        (
            json!({"target": "forbes.com", "filters": ["rank", "like", 5]}),
            40501,
            "Invalid Field: 'filters'.",
        ),
        (
            json!({"target": "forbes.com", "filters": ["nope", "=", 5]}),
            40501,
            "Invalid Field: 'filters'.",
        ),
        (
            json!({"target": "forbes.com", "order_by": ["rank,desc", "rank,asc", "anchor,asc", "url_to,asc"]}),
            40501,
            "Invalid Field: 'order_by'.",
        ),
        (
            json!({"target": "forbes.com", "search_after_token": "nonsense"}),
            40501,
            "Invalid Field: 'search_after_token'.",
        ),
        (
            json!({"target": "forbes.com", "date_from": "2024-01-01"}),
            40506,
            "Unknown Fields in POST Data.",
        ),
    ];
    for (t, code, message) in cases {
        let (status, body) = call(&s.endpoint(), LOGIN, PASSWORD, json!([t])).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (
                body["status_code"].clone(),
                body["tasks_error"].clone(),
                body["cost"].as_f64()
            ),
            (json!(20000), json!(1), Some(0.0))
        );
        let task = &body["tasks"][0];
        assert_eq!(
            (task["status_code"].clone(), task["status_message"].clone()),
            (json!(code), json!(message)),
            "{t}"
        );
        assert_eq!(
            (task["result"].clone(), task["result_count"].clone()),
            (Value::Null, json!(0))
        );
        assert_eq!(
            task["data"]["api"], "backlinks",
            "the request is echoed even when it fails"
        );
    }
}

#[tokio::test]
async fn nine_conditions_are_one_too_many() {
    let s = start(ServerConfig::default()).await;
    let cond = json!(["rank", ">", 0]);
    let mut eight = vec![cond.clone()];
    for _ in 0..7 {
        eight.push(json!("and"));
        eight.push(cond.clone());
    }
    let ok = task(&s, json!({"target": "forbes.com", "filters": eight})).await;
    assert_eq!(ok["status_code"], 20000);
    let mut nine = eight.clone();
    nine.push(json!("and"));
    nine.push(cond);
    let bad = task(&s, json!({"target": "forbes.com", "filters": nine})).await;
    assert_eq!(bad["status_message"], "Invalid Field: 'filters'.");
}

#[tokio::test]
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
}

#[tokio::test]
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

#[tokio::test]
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

#[tokio::test]
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

#[tokio::test]
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

#[tokio::test]
async fn shutdown_stops_the_server() {
    let s = start(ServerConfig::default()).await;
    let url = s.endpoint();
    s.shutdown().await.unwrap();
    let err = reqwest::Client::new().post(&url).body("[]").send().await;
    assert!(err.is_err(), "nothing listens any more");
}
