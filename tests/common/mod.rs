//! Helpers for tests that talk to the simulator over HTTP on 127.0.0.1.
#![allow(dead_code, reason = "each test crate uses a different subset")]

pub mod brute;
pub mod exports;

use backlinks::api::LiveRequest;
use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::api::response::{Backlink, Envelope};
use backlinks::sim::server::{
    ProfileSource, RunningServer, ServerConfig, spawn, spawn_with_source,
};
use reqwest::StatusCode;
use serde_json::Value;

pub const LOGIN: &str = "demo";
pub const PASSWORD: &str = "demo";

/// POSTs `body` as JSON with Basic auth; the answer decoded as JSON.
pub async fn call(url: &str, login: &str, pass: &str, body: Value) -> (StatusCode, Value) {
    let (status, _, text) = call_raw(url, Some((login, pass)), body.to_string()).await;
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, json)
}

/// POSTs a raw body; status, content type and text of the answer.
pub async fn call_raw(
    url: &str,
    auth: Option<(&str, &str)>,
    body: String,
) -> (StatusCode, String, String) {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some((l, p)) = auth {
        req = req.basic_auth(l, Some(p));
    }
    let resp = req.send().await.expect("the simulator answers");
    let status = resp.status();
    let ctype = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, ctype, resp.text().await.expect("a body"))
}

/// A simulator with `cfg` on a free loopback port.
pub async fn start(cfg: ServerConfig) -> RunningServer {
    spawn(cfg).await.expect("the simulator starts")
}

/// The five items of the documented example response.
pub fn fixture_items() -> Vec<Backlink> {
    let env: Envelope = serde_json::from_str(include_str!(
        "../fixtures/backlinks_live_example_response.json"
    ))
    .expect("the fixture parses");
    env.first_result()
        .and_then(|r| r.items.clone())
        .expect("fixture items")
}

/// A simulator serving the fixture's five items for every target.
pub async fn start_fixed(cfg: ServerConfig) -> RunningServer {
    spawn_with_source(cfg, ProfileSource::fixed(fixture_items()))
        .await
        .expect("the simulator starts")
}

/// Sends one task through the app's own HTTP client (`HttpClient`, the code the explorer
/// uses) and returns `tasks[0].result[0]` as JSON, failing the test on any error.
pub async fn result(server: &RunningServer, task: Value) -> Value {
    let request: LiveRequest = serde_json::from_value(task.clone())
        .unwrap_or_else(|e| panic!("{task} is a request the client can send: {e}"));
    let client = HttpClient::new(ClientConfig::new(
        server.url(),
        Credentials::new(LOGIN, PASSWORD),
    ))
    .expect("a client");
    let response = client
        .live(&request)
        .await
        .unwrap_or_else(|e| panic!("task {task} failed: {e}"));
    serde_json::to_value(response.result).expect("a result encodes")
}

/// Sends one task and returns `tasks[0]` (for error checks).
pub async fn task(server: &RunningServer, task: Value) -> Value {
    let (status, body) = call(
        &server.endpoint(),
        LOGIN,
        PASSWORD,
        Value::Array(vec![task]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["tasks"][0].clone()
}

/// The items of a result.
pub fn items(result: &Value) -> Vec<Value> {
    result["items"].as_array().cloned().unwrap_or_default()
}

/// Every row of a query, fetched with `limit` 1000 by offset (the result must be ≤ 21,000 rows).
pub async fn all_rows(server: &RunningServer, task: &Value) -> (i64, Vec<Value>) {
    let mut rows = Vec::new();
    let mut total;
    loop {
        let mut t = task.clone();
        t["limit"] = 1000.into();
        t["offset"] = rows.len().into();
        let r = result(server, t).await;
        total = r["total_count"].as_i64().expect("total_count");
        let page = items(&r);
        let done = page.len() < 1000;
        rows.extend(page);
        if done || rows.len() as i64 >= total {
            return (total, rows);
        }
    }
}
