//! Every failure class the API (or what stands in front of it) can produce, as a typed error.

#[path = "client_support/server.rs"]
mod server;

use std::sync::{Arc, Mutex};

use backlinks::api::client::HttpClient;
use backlinks::api::{ApiError, LiveRequest};
use base64::Engine as _;
use server::{FIXTURE, LOGIN, PASSWORD, Reply, TestServer, config};

/// Runs one call against a server that always gives `reply`; returns the error and how many
/// requests the server saw. `max_tries` 1 isolates the classification from retrying.
async fn fail_with(reply: Reply, max_tries: u32) -> (ApiError, usize, HttpClient) {
    let server = TestServer::start(vec![reply]).await;
    let mut cfg = config(&server);
    cfg.max_tries = max_tries;
    let client = HttpClient::new(cfg).unwrap();
    let err = client
        .live(&LiveRequest::new("forbes.com"))
        .await
        .unwrap_err();
    assert_no_secret(&err);
    (err, server.hits(), client)
}

fn assert_no_secret(err: &ApiError) {
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
    }
}

#[tokio::test]
async fn http_401_with_40100_is_auth_and_not_retried() {
    let reply = Reply::request_error(
        401,
        40100,
        "You are not authorized to access this resource.",
    );
    let (err, hits, _) = fail_with(reply, 4).await;
    assert!(matches!(err, ApiError::Auth { code: 40100, .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(hits, 1, "a bad password is not tried again");
    assert!(err.to_string().contains("DATAFORSEO_LOGIN"), "{err}");
}

#[tokio::test]
async fn auth_error_never_shows_the_password_even_if_the_server_echoes_it() {
    let echo = format!("You are not authorized ({LOGIN}:{PASSWORD}).");
    let (err, _, _) = fail_with(Reply::request_error(401, 40100, &echo), 1).await;
    assert!(err.to_string().contains(LOGIN), "{err}");
}

#[tokio::test]
async fn http_402_with_40200_is_payment() {
    let (err, hits, _) = fail_with(Reply::request_error(402, 40200, "Payment Required."), 4).await;
    assert!(
        matches!(err, ApiError::Payment { code: 40200, .. }),
        "{err:?}"
    );
    assert_eq!(hits, 1);
}

#[tokio::test]
async fn code_40202_is_rate_limited_and_retryable() {
    let reply = Reply::request_error(200, 40202, "The rate-limit per minute has been exceeded.");
    let (err, _, _) = fail_with(reply, 1).await;
    assert!(
        matches!(err, ApiError::RateLimited { code: 40202, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn code_40501_names_the_field_and_is_not_retried() {
    let (err, hits, client) =
        fail_with(Reply::task_error(40501, "Invalid Field: 'limit'."), 4).await;
    let ApiError::InvalidField { code, field, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*code, field.as_str()), (40501, "limit"));
    assert_eq!(hits, 1);
    // The failed task reported cost 0: it counts as a request, costs nothing.
    let costs = client.costs().snapshot();
    assert_eq!((costs.requests, costs.total_usd), (1, 0.0));
}

#[tokio::test]
async fn code_40506_unknown_fields_is_an_invalid_request() {
    let (err, hits, _) =
        fail_with(Reply::task_error(40506, "Unknown Fields in POST Data."), 4).await;
    assert!(
        matches!(err, ApiError::InvalidField { code: 40506, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(hits, 1);
}

#[tokio::test]
async fn code_50000_is_a_retryable_server_error() {
    let (err, _, _) = fail_with(Reply::task_error(50000, "Internal Error."), 1).await;
    assert!(
        matches!(err, ApiError::Server { code: 50000, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn http_404_html_page_says_so_and_is_not_retried() {
    let page = "<!DOCTYPE html><html><head><title>404 Not Found</title></head>\
                <body><h1>Not Found</h1></body></html>";
    let (err, hits, _) = fail_with(Reply::raw(404, "text/html", page), 4).await;
    assert!(matches!(err, ApiError::Other { code: 404, .. }), "{err:?}");
    assert!(err.to_string().contains("HTTP 404 Not Found"), "{err}");
    assert_eq!(hits, 1);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_quoting_the_start() {
    let (err, _, _) = fail_with(
        Reply::raw(200, "application/json", "{\"status_code\": 200"),
        1,
    )
    .await;
    let ApiError::Decode { reason, body_start } = &err else {
        panic!("{err:?}")
    };
    assert!(reason.contains("EOF"), "{reason}");
    assert_eq!(body_start, "{\"status_code\": 200");
}

#[tokio::test]
async fn html_error_page_with_status_200_is_a_decode_error() {
    let page = format!(
        "<!DOCTYPE html>\n<html>\x1b[2J{}</html>",
        "gateway says no. ".repeat(40)
    );
    let (err, _, _) = fail_with(Reply::raw(200, "text/html", page), 1).await;
    let ApiError::Decode { body_start, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        body_start.starts_with("<!DOCTYPE html> <html>[2Jgateway"),
        "{body_start}"
    );
    assert!(body_start.len() <= 200);
    assert!(!body_start.chars().any(char::is_control));
}

#[tokio::test]
async fn json_cut_in_half_is_a_decode_error() {
    let half = &FIXTURE[..FIXTURE.len() / 2];
    let (err, _, _) = fail_with(Reply::raw(200, "application/json", half), 1).await;
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn body_shorter_than_announced_is_a_transport_error() {
    let reply = Reply::fixture().declaring(FIXTURE.len() + 500);
    let (err, _, _) = fail_with(reply, 1).await;
    let ApiError::Transport(text) = &err else {
        panic!("{err:?}")
    };
    assert!(text.contains("reading the answer"), "{text}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn http_500_without_an_envelope_is_a_server_error() {
    let (err, _, _) = fail_with(Reply::raw(500, "text/plain", "oops"), 1).await;
    assert!(matches!(err, ApiError::Server { code: 500, .. }), "{err:?}");
}

/// Collects log output in memory.
#[derive(Clone, Default)]
struct LogSink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_never_hold_the_password_even_at_trace_level() {
    let sink = LogSink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The test runtime is single-threaded, so the client's tasks log here too.
    let _guard = tracing::subscriber::set_default(subscriber);
    let echo = format!("Internal Error for {LOGIN}:{PASSWORD}.");
    let server = TestServer::start(vec![
        Reply::task_error(50000, &echo),
        Reply::request_error(401, 40100, &echo),
    ])
    .await;
    let client = HttpClient::new(config(&server)).unwrap();
    let err = client
        .live(&LiveRequest::new("forbes.com"))
        .await
        .unwrap_err();
    tracing::info!(?client, %err, "done");

    let logs = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("retrying live request"),
        "logs were captured: {logs}"
    );
    assert!(logs.contains(LOGIN), "{logs}");
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{LOGIN}:{PASSWORD}"));
    assert!(!logs.contains(PASSWORD) && !logs.contains(&token), "{logs}");
}
