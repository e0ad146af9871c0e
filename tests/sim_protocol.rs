//! The simulator's HTTP protocol: auth, body errors, validation errors, envelope shape, start
//! and stop. Profiles are the five items of the documented example (`common::start_fixed`).

mod common;

use backlinks::sim::server::{ServerConfig, serve_until};
use common::{LOGIN, PASSWORD, call, call_raw, start_fixed as start, task};
use reqwest::StatusCode;
use serde_json::{Value, json};

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
        json!({"api": "backlinks", "function": "backlinks", "target": "forbes.com", "limit": 3,
               "mode": "as_is"})
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

/// One bad value per request field, and the field the error names.
fn bad_tasks() -> Vec<(Value, &'static str)> {
    let t = |extra: Value| {
        let mut task = json!({"target": "forbes.com"});
        for (k, v) in extra.as_object().unwrap() {
            task[k] = v.clone();
        }
        task
    };
    vec![
        (json!({"limit": 5}), "target"),
        (json!({"target": "https://forbes"}), "target"),
        (json!({"target": "www.forbes.com"}), "target"),
        (t(json!({"mode": "all"})), "mode"),
        (
            t(json!({"custom_mode": {"field": "rank", "value": 2}})),
            "custom_mode.field",
        ),
        (
            t(json!({"custom_mode": {"field": "anchor", "value": 0}})),
            "custom_mode.value",
        ),
        (t(json!({"filters": ["rank", "like", 5]})), "filters"),
        (t(json!({"filters": ["nope", "=", 5]})), "filters"),
        (t(json!({"filters": ["anchor", "regex", "("]})), "filters"),
        (
            t(json!({"order_by": ["rank,desc", "rank,asc", "anchor,asc", "url_to,asc"]})),
            "order_by",
        ),
        (t(json!({"order_by": ["attributes,asc"]})), "order_by"),
        (t(json!({"order_by": ["rank,down"]})), "order_by"),
        (t(json!({"offset": 20001})), "offset"),
        (
            t(json!({"search_after_token": "nonsense"})),
            "search_after_token",
        ),
        (t(json!({"limit": 0})), "limit"),
        (t(json!({"limit": 1001})), "limit"),
        (
            t(json!({"backlinks_status_type": "dead"})),
            "backlinks_status_type",
        ),
        (t(json!({"include_subdomains": "no"})), "include_subdomains"),
        (
            t(json!({"include_indirect_links": 0})),
            "include_indirect_links",
        ),
        (
            t(json!({"exclude_internal_backlinks": "true"})),
            "exclude_internal_backlinks",
        ),
        (t(json!({"rank_scale": "ten"})), "rank_scale"),
        (t(json!({"tag": "x".repeat(256)})), "tag"),
    ]
}

#[tokio::test]
async fn invalid_fields_fail_the_task_not_the_call() {
    let s = start(ServerConfig::default()).await;
    let unknown = (
        json!({"target": "forbes.com", "date_from": "2024-01-01"}),
        40506,
        "Unknown Fields in POST Data.".to_owned(),
    );
    let cases = bad_tasks()
        .into_iter()
        .map(|(t, field)| (t, 40501, format!("Invalid Field: '{field}'.")))
        .chain([unknown]);
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
            (
                task["result"].clone(),
                task["result_count"].clone(),
                task["cost"].as_f64()
            ),
            (Value::Null, json!(0), Some(0.0))
        );
        assert_eq!(
            task["data"]["api"], "backlinks",
            "the request is echoed even when it fails"
        );
    }
}

#[tokio::test]
async fn explicit_nulls_are_absent_fields() {
    let s = start(ServerConfig::default()).await;
    let python_client = json!({"target": "forbes.com", "mode": "as_is", "custom_mode": null,
        "filters": ["dofollow", "=", true], "order_by": null, "offset": null,
        "search_after_token": null, "limit": 5, "backlinks_status_type": null,
        "include_subdomains": null, "exclude_internal_backlinks": null, "rank_scale": null,
        "tag": null});
    let t = task(&s, python_client).await;
    assert_eq!(t["status_code"], 20000, "{}", t["status_message"]);
    assert_eq!(
        t["data"],
        json!({"api": "backlinks", "function": "backlinks", "target": "forbes.com",
        "mode": "as_is", "filters": ["dofollow", "=", true], "limit": 5})
    );
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
async fn shutdown_stops_the_server() {
    let s = start(ServerConfig::default()).await;
    let url = s.endpoint();
    s.shutdown().await.unwrap();
    let err = reqwest::Client::new().post(&url).body("[]").send().await;
    assert!(err.is_err(), "nothing listens any more");
}

#[tokio::test]
async fn serve_until_serves_until_told_to_stop() {
    // Find a free port, then serve on it as `serve-demo --port N` would.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let cfg = ServerConfig {
        addr,
        ..ServerConfig::default()
    };
    let server = tokio::spawn(serve_until(cfg, async {
        let _ = stopped.await;
    }));
    let url = format!("http://{addr}/v3/backlinks/backlinks/live");
    let mut answered = None;
    for _ in 0..50 {
        // The listener may not be bound yet on the first tries.
        match reqwest::Client::new().post(&url).body("").send().await {
            Ok(r) => {
                answered = Some(r.status());
                break;
            }
            Err(_) => tokio::task::yield_now().await,
        }
    }
    assert_eq!(answered, Some(StatusCode::UNAUTHORIZED));
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
