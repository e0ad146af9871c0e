//! The client against a local server: what it sends, what it decodes, what it meters.

#[path = "client_support/server.rs"]
mod server;

use std::time::Duration;

use backlinks::api::client::{HttpClient, USER_AGENT};
use backlinks::api::{LiveRequest, Mode, OrderBy, SortDir};
use base64::Engine as _;
use serde_json::json;
use server::{LOGIN, PASSWORD, Reply, TestServer, config};

fn forbes() -> LiveRequest {
    LiveRequest {
        mode: Some(Mode::AsIs),
        limit: Some(5),
        ..LiveRequest::new("forbes.com")
    }
}

#[tokio::test]
#[expect(
    clippy::float_cmp,
    reason = "costs are passed through and summed exactly"
)]
async fn success_decodes_the_documented_response() {
    let server = TestServer::start(vec![Reply::fixture()]).await;
    let client = HttpClient::new(config(&server)).unwrap();

    let res = client.live(&forbes()).await.unwrap();

    assert_eq!(res.tries, 1);
    assert_eq!(res.cost, 0.02015);
    assert_eq!(
        res.task_id.as_deref(),
        Some("04301435-1535-0269-0000-f29dcb15157f")
    );
    assert_eq!(res.result.total_count, Some(42_671_699));
    assert_eq!(res.result.target.as_deref(), Some("forbes.com"));
    let items = res.result.items.as_ref().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0].domain_from.as_deref(), Some("www.opencart.com"));
    assert!(res.result.search_after_token.is_some());
    assert!(res.elapsed > Duration::ZERO);
    // The body comes along as it was sent, for the row store to read the items from.
    assert_eq!(
        &res.body[..],
        std::fs::read("tests/fixtures/backlinks_live_example_response.json")
            .unwrap()
            .as_slice()
    );

    let costs = client.costs().snapshot();
    assert_eq!((costs.requests, costs.total_usd), (1, 0.02015));
    assert_eq!(costs.last_usd, Some(0.02015));
}

#[tokio::test]
async fn sends_exactly_one_task_with_unset_fields_omitted() {
    let server = TestServer::start(vec![Reply::fixture()]).await;
    let client = HttpClient::new(config(&server)).unwrap();
    let req = LiveRequest {
        order_by: Some(vec![OrderBy::new("rank", SortDir::Desc)]),
        include_indirect_links: Some(false),
        ..forbes()
    };

    client.live(&req).await.unwrap();

    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].path, "/v3/backlinks/backlinks/live");
    assert_eq!(
        got[0].json(),
        json!([{"target": "forbes.com", "mode": "as_is", "limit": 5,
            "order_by": ["rank,desc"], "include_indirect_links": false}])
    );
}

#[tokio::test]
async fn sends_basic_auth_json_headers_and_user_agent() {
    let server = TestServer::start(vec![Reply::fixture()]).await;
    let client = HttpClient::new(config(&server)).unwrap();

    client.live(&forbes()).await.unwrap();

    let got = &server.received()[0];
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{LOGIN}:{PASSWORD}"));
    assert_eq!(
        got.header("authorization"),
        Some(format!("Basic {token}").as_str())
    );
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.header("accept"), Some("application/json"));
    assert_eq!(got.header("user-agent"), Some(USER_AGENT));
    assert!(USER_AGENT.starts_with("backlinks/"));
}

#[tokio::test]
async fn base_url_path_prefix_and_trailing_slashes_are_honoured() {
    let server = TestServer::start(vec![Reply::fixture()]).await;
    let mut cfg = config(&server);
    cfg.base_url = format!("{}/gateway//", server.url());
    let client = HttpClient::new(cfg).unwrap();
    assert_eq!(client.base_url(), format!("{}/gateway", server.url()));

    client.live(&forbes()).await.unwrap();

    assert_eq!(
        server.received()[0].path,
        "/gateway/v3/backlinks/backlinks/live"
    );
}

// The server's stall is on the paused clock, which only moves once every call waits: all six
// are then surely queued at the limit.
#[tokio::test(start_paused = true)]
#[expect(
    clippy::float_cmp,
    reason = "costs are passed through and summed exactly"
)]
async fn clones_share_one_in_flight_limit_and_one_cost_meter() {
    let server = TestServer::start(vec![Reply::fixture().delayed(Duration::from_millis(40))]).await;
    let mut cfg = config(&server);
    cfg.max_in_flight = 2;
    let first = HttpClient::new(cfg).unwrap();
    let second = first.clone();

    let calls = (0..6).map(|i| {
        let client = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        tokio::spawn(async move { client.live(&forbes()).await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }

    assert_eq!(server.hits(), 6);
    assert_eq!(
        server.peak_in_flight(),
        2,
        "never more than the limit, and it is used"
    );
    let costs = second.costs().snapshot();
    assert_eq!(costs.requests, 6);
    assert_eq!(costs.total_usd, 0.1209);
}

#[test]
fn client_can_be_shared_across_tasks_and_threads() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<HttpClient>();
}
