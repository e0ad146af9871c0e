//! Retrying: what is retried, how often, what it costs, and the failures that end a call.
//!
//! On tokio's paused clock: backoffs, rate-limit waits, the server's stalls and the client's
//! time limits are virtual, so the waits measured are exactly the ones the client chose.

#[path = "client_support/server.rs"]
mod server;

use std::time::Duration;

use backlinks::api::client::HttpClient;
use backlinks::api::{ApiError, LiveRequest};
use server::{PASSWORD, Reply, TestServer, config};
use tokio::time::Instant;

fn req() -> LiveRequest {
    LiveRequest::new("forbes.com")
}

#[tokio::test(start_paused = true)]
#[expect(
    clippy::float_cmp,
    reason = "costs are passed through and summed exactly"
)]
async fn two_server_errors_then_success_takes_three_tries_and_costs_once() {
    let internal = Reply::task_error(50000, "Internal Error.");
    let server = TestServer::start(vec![internal.clone(), internal, Reply::fixture()]).await;
    let client = HttpClient::new(config(&server)).unwrap();

    let res = client.live(&req()).await.unwrap();

    assert_eq!(res.tries, 3);
    assert_eq!(server.hits(), 3);
    assert_eq!(res.cost, 0.02015);
    let costs = client.costs().snapshot();
    assert_eq!(
        costs.total_usd, 0.02015,
        "only the successful call cost money"
    );
    assert_eq!(
        costs.requests, 3,
        "the failed tries reported cost 0 and still count"
    );
    // Every try sent the same single task.
    let bodies: Vec<_> = server
        .received()
        .iter()
        .map(server::Received::json)
        .collect();
    assert!(bodies.iter().all(|b| *b == bodies[0]));
}

#[tokio::test(start_paused = true)]
async fn retries_wait_with_growing_backoff() {
    let internal = Reply::task_error(50000, "Internal Error.");
    let server = TestServer::start(vec![internal.clone(), internal, Reply::fixture()]).await;
    let mut cfg = config(&server);
    cfg.backoff_base = Duration::from_millis(40);
    let client = HttpClient::new(cfg).unwrap();

    let res = client.live(&req()).await.unwrap();

    // Equal jitter: half of 40 ms and up to as much again, then the same of 80 ms.
    assert!(
        (Duration::from_millis(60)..Duration::from_millis(120)).contains(&res.elapsed),
        "{:?}",
        res.elapsed
    );
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_four_tries() {
    let server = TestServer::start(vec![Reply::task_error(50000, "Internal Error.")]).await;
    let client = HttpClient::new(config(&server)).unwrap();

    let err = client.live(&req()).await.unwrap_err();

    assert!(
        matches!(err, ApiError::Server { code: 50000, .. }),
        "{err:?}"
    );
    assert_eq!(server.hits(), 4);
}

#[tokio::test(start_paused = true)]
async fn rate_limit_waits_then_succeeds() {
    let limited = Reply::request_error(200, 40202, "The rate-limit per minute has been exceeded.");
    let server = TestServer::start(vec![limited, Reply::fixture()]).await;
    let mut cfg = config(&server);
    cfg.rate_limit_wait = Some(Duration::from_millis(30));
    let client = HttpClient::new(cfg).unwrap();

    let res = client.live(&req()).await.unwrap();

    assert_eq!(res.tries, 2);
    assert!(
        (Duration::from_millis(30)..Duration::from_millis(60)).contains(&res.elapsed),
        "{:?}",
        res.elapsed
    );
}

#[tokio::test(start_paused = true)]
async fn gateway_error_page_then_success_is_retried() {
    let page = Reply::raw(
        503,
        "text/html",
        "<html><title>Service Unavailable</title></html>",
    );
    let server = TestServer::start(vec![page, Reply::fixture()]).await;
    let client = HttpClient::new(config(&server)).unwrap();

    assert_eq!(client.live(&req()).await.unwrap().tries, 2);
}

#[tokio::test(start_paused = true)]
async fn invalid_field_and_auth_are_never_retried() {
    for reply in [
        Reply::task_error(40501, "Invalid Field: 'offset'."),
        Reply::request_error(401, 40100, "You are not authorized."),
    ] {
        let server = TestServer::start(vec![reply, Reply::fixture()]).await;
        let client = HttpClient::new(config(&server)).unwrap();
        assert!(client.live(&req()).await.is_err());
        assert_eq!(server.hits(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn slow_server_hits_the_request_timeout() {
    let server = TestServer::start(vec![Reply::fixture().delayed(Duration::from_secs(3))]).await;
    let mut cfg = config(&server);
    cfg.request_timeout = Duration::from_millis(200);
    cfg.max_tries = 2;
    let client = HttpClient::new(cfg).unwrap();
    let started = Instant::now();

    let err = client.live(&req()).await.unwrap_err();

    assert_eq!(err, ApiError::Timeout(Duration::from_millis(200)));
    assert_eq!(server.hits(), 2, "a timeout is retried");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn connection_refused_is_a_transport_error() {
    // Bind and drop: the port is then (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = TestServer::start(vec![Reply::fixture()]).await;
    let mut cfg = config(&server);
    cfg.base_url = format!("http://127.0.0.1:{port}");
    let client = HttpClient::new(cfg).unwrap();

    let err = client.live(&req()).await.unwrap_err();

    let ApiError::Transport(text) = &err else {
        panic!("{err:?}")
    };
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(!text.contains(PASSWORD) && !format!("{err:?}").contains(PASSWORD));
    assert!(err.is_retryable());
}
