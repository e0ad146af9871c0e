//! The account balance: the simulator's `GET /v3/appendix/user_data` through the client, its
//! error envelopes, `backlinks balance` as a shell user runs it, and `export` refusing a spend
//! above the balance before sending it. (The explorer's part: `balance_explorer.rs`.)

#[path = "common/binary.rs"]
mod binary;
#[path = "common/exports.rs"]
mod exports;
#[path = "client_support/server.rs"]
mod server;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::api::{ApiError, LiveRequest};
use backlinks::cli::QueryArgs;
use backlinks::commands::export::{ExportOptions, status};
use backlinks::fetch::export::Cancel;
use backlinks::sim::dataset::DatasetConfig;
use backlinks::sim::server::{DEMO_BALANCE, RunningServer, ServerConfig, spawn};
use backlinks::store::cache::Cached;
use backlinks::store::read::read_all;
use exports::run_to_text;
use server::{PASSWORD, Reply, TestServer};

fn client(url: &str, password: &str) -> HttpClient {
    HttpClient::new(ClientConfig::new(url, Credentials::new("demo", password))).unwrap()
}

#[tokio::test]
async fn the_balance_goes_down_by_exactly_what_the_session_cost() {
    let server = spawn(ServerConfig::default()).await.unwrap();
    let c = client(&server.url(), "demo");
    let before = c.user_data().await.unwrap();
    assert_eq!(before.balance(), Some(DEMO_BALANCE));
    for (target, limit) in [
        ("forbes.com", 1000),
        ("forbes.com", 7),
        ("example.com", 250),
    ] {
        let req = LiveRequest {
            limit: Some(limit),
            ..LiveRequest::new(target)
        };
        c.live(&req).await.unwrap();
    }
    let spent = c.costs().snapshot().total_usd;
    assert!(spent > 0.06, "three paid requests: {spent}");
    let after = c.user_data().await.unwrap();
    let balance = after.balance().unwrap();
    assert!(
        (balance - (DEMO_BALANCE - spent)).abs() < 1e-6,
        "{balance} vs {DEMO_BALANCE} - {spent}"
    );
    assert!((after.spent_today().unwrap() - spent).abs() < 1e-6);
    assert_eq!(
        c.costs().snapshot().requests,
        3,
        "reading the balance is free"
    );
}

#[tokio::test]
async fn bad_credentials_are_refused_with_the_api_s_code() {
    let server = spawn(ServerConfig::default()).await.unwrap();
    let err = client(&server.url(), "wrong")
        .user_data()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("40100"), "{err}");
    assert!(
        !err.to_string().contains("wrong"),
        "no secret in the message: {err}"
    );
}

#[test]
fn backlinks_balance_prints_the_demo_account() {
    let home = tempfile::tempdir().unwrap();
    let out = binary::backlinks(home.path(), &["balance"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("balance    $50.00  (the built-in demo account)\n"),
        "{text}"
    );
    assert!(text.contains("deposited  $50.00\n"), "{text}");
    assert!(
        text.contains("today      $0.00 spent (no daily limit)\n"),
        "{text}"
    );
}

/// The client against a scripted server that always answers `reply`.
async fn user_data_answered(
    reply: Reply,
) -> (
    Result<backlinks::api::user_data::UserData, ApiError>,
    TestServer,
) {
    let server = TestServer::start(vec![reply]).await;
    let mut cfg = server::config(&server);
    cfg.max_tries = 1;
    let read = HttpClient::new(cfg).unwrap().user_data().await;
    (read, server)
}

#[tokio::test]
async fn error_envelopes_are_typed_errors_with_no_secret_in_them() {
    for (reply, code) in [
        (Reply::request_error(402, 40200, "Payment Required."), 40200),
        (
            Reply::request_error(401, 40100, "You are not authorized."),
            40100,
        ),
        (Reply::request_error(404, 40400, "Not Found."), 40400),
        (Reply::request_error(500, 50000, "Internal Error."), 50000),
        (Reply::task_error(40400, "Not Found."), 40400),
    ] {
        let (read, server) = user_data_answered(reply).await;
        let err = read.unwrap_err();
        assert_eq!(err.code(), Some(code), "{err}");
        assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err}");
        let sent = server.received();
        assert_eq!(sent[0].method, "GET");
        assert_eq!(sent[0].path, "/v3/appendix/user_data");
    }
    // The envelope says it even when HTTP says 200.
    let (read, _) = user_data_answered(Reply::request_error(200, 40200, "Payment Required.")).await;
    assert!(
        matches!(read, Err(ApiError::Payment { code: 40200, .. })),
        "{read:?}"
    );
    let (read, _) = user_data_answered(Reply::raw(200, "text/html", "<html>gateway</html>")).await;
    assert!(matches!(read, Err(ApiError::Decode { .. })), "{read:?}");
}

#[tokio::test]
async fn the_official_shape_with_nulls_and_unknown_keys_reads_through_the_client() {
    let body = serde_json::json!({
        "version": "0.1.20260327", "status_code": 20000, "status_message": "Ok.",
        "time": "0.0051 sec.", "cost": 0, "tasks_count": 1, "tasks_error": 0,
        "a_key_from_next_year": {"x": 1},
        "tasks": [{"id": "12071513-1535-0216-0000-2bd3b7c8e2bb", "status_code": 20000,
            "status_message": "Ok.", "time": "0.0051 sec.", "cost": 0, "result_count": 1,
            "path": ["v3", "appendix", "user_data"],
            "data": {"api": "appendix", "function": "user_data"},
            "result": [{"login": null, "timezone": null, "rates": null,
                "money": {"total": null, "balance": 12.5, "limits": null,
                    "statistics": {"day": null, "minute": null}, "currency": "USD"},
                "price": null, "backlinks_subscription_expiry_date": null,
                "llm_mentions_subscription_expiry_date": null}]}]
    });
    let (read, _) = user_data_answered(Reply::json(200, &body)).await;
    let data = read.unwrap();
    assert_eq!(data.balance(), Some(12.5));
    assert_eq!(data.deposited(), None);
    assert_eq!(data.spent_today(), None);
    assert_eq!(data.daily_limit(), None);
}

fn export_options(output: &std::path::Path) -> ExportOptions {
    ExportOptions {
        target: "forbes.com".into(),
        query: QueryArgs::default(),
        output: output.to_owned(),
        format: None,
        manifest: None,
        max_rows: None,
        yes: true,
        budget: 100.0,
    }
}

async fn sim_with_balance(balance: f64) -> RunningServer {
    spawn(ServerConfig {
        balance,
        dataset: DatasetConfig {
            seed: 1,
            rows: Some(8_000),
        },
        ..ServerConfig::default()
    })
    .await
    .unwrap()
}

fn cached(server: &RunningServer) -> Cached<HttpClient> {
    Cached::uncached(client(&server.url(), "demo"), server.url())
}

#[tokio::test]
async fn export_refuses_a_first_page_above_the_balance_and_sends_nothing() {
    let server = sim_with_balance(0.02).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("links.csv");
    // `--yes` accepts a price above the budget, never one above the balance.
    let (code, text) = run_to_text(&cached(&server), &export_options(&out), &Cancel::new()).await;
    assert_eq!(code, status::BAD_ARGUMENTS, "{text}");
    assert_eq!(
        text.trim_end(),
        "backlinks export: balance $0.02 is less than the first page's $0.05; nothing was fetched"
    );
    assert_eq!(server.live_calls(), 0, "no request was sent");
    assert!(!out.exists(), "no file either");
}

#[tokio::test]
async fn export_refuses_a_rest_above_the_balance_after_the_first_page() {
    // $0.10: the first page ($0.05) fits; the other 5,243 rows ($0.28) do not.
    let server = sim_with_balance(0.10).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("links.jsonl");
    let (code, text) = run_to_text(&cached(&server), &export_options(&out), &Cancel::new()).await;
    assert_eq!(code, status::BAD_ARGUMENTS, "{text}");
    assert!(
        text.contains("not fetching the rest: balance $0.05 is less than the rest's $0.28"),
        "{text}"
    );
    assert_eq!(server.live_calls(), 1, "the first page only");
    assert_eq!(
        read_all(&out).unwrap().rows.len(),
        1000,
        "the first page is kept"
    );
    let left = client(&server.url(), "demo").user_data().await.unwrap();
    assert!((left.balance().unwrap() - 0.05).abs() < 1e-9);
}

#[tokio::test]
async fn export_goes_on_when_the_balance_cannot_be_read() {
    // The simulator under a path prefix it does not serve: the account read fails (404), and
    // so does the first page, for the same reason; what matters is that the export tried it
    // rather than stopping at the balance.
    let server = sim_with_balance(0.0).await;
    let http = client(&format!("{}/old", server.url()), "demo");
    let source = Cached::uncached(http, server.url());
    let dir = tempfile::tempdir().unwrap();
    let (code, text) = run_to_text(
        &source,
        &export_options(&dir.path().join("x.csv")),
        &Cancel::new(),
    )
    .await;
    assert_eq!(code, status::FAILED, "{text}");
    assert!(text.contains("the first page failed"), "{text}");
    assert!(!text.contains("balance"), "{text}");
}

/// A child process, stopped when the test is done with it (or fails).
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_demo_balance_starts_the_account_there_and_export_refuses_past_it() {
    let home = tempfile::tempdir().unwrap();
    let cmd = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_backlinks"));
        c.args(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("cfg"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env_remove("DATAFORSEO_LOGIN")
            .env_remove("DATAFORSEO_PASSWORD")
            .env_remove("DATAFORSEO_API_URL");
        c
    };
    let mut serve = Stopped(
        cmd(&["serve-demo", "--addr", "127.0.0.1:0", "--balance", "0.02"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut banner = BufReader::new(serve.0.stdout.take().unwrap()).lines();
    let first = banner.next().unwrap().unwrap();
    let url = first
        .strip_prefix("backlinks simulator listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    let account = banner.nth(1).unwrap().unwrap();
    let balance = cmd(&["balance", "--api-url", &url]).output().unwrap();
    let out = home.path().join("links.csv");
    let export = cmd(&["export", "forbes.com", "--api-url", &url, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    drop(serve);

    assert!(
        account.ends_with("/v3/appendix/user_data  (balance $0.02)"),
        "{account}"
    );
    let text = String::from_utf8(balance.stdout).unwrap();
    assert!(text.starts_with("balance    $0.02\n"), "{text}");
    let said = String::from_utf8(export.stderr).unwrap();
    assert_eq!(export.status.code(), Some(2), "{said}");
    assert!(
        said.contains("balance $0.02 is less than the first page's $0.05"),
        "{said}"
    );
    assert!(!out.exists());
}

#[test]
fn serve_demo_refuses_a_negative_balance() {
    let out = Command::new(env!("CARGO_BIN_EXE_backlinks"))
        .args(["serve-demo", "--addr", "127.0.0.1:0", "--balance=-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains("--balance must be a number of USD, 0 or more"),
        "{said}"
    );
}

#[tokio::test]
async fn the_simulator_refuses_what_the_balance_cannot_pay_and_never_goes_below_zero() {
    // $0.10: two pages of 1,000 rows ($0.05 each) fit exactly; a third does not.
    let server = sim_with_balance(0.10).await;
    let c = client(&server.url(), "demo");
    let mut req = LiveRequest::new("forbes.com");
    req.limit = Some(1000);
    c.live(&req).await.unwrap();
    req.offset = Some(1000);
    c.live(&req).await.unwrap();
    req.offset = Some(2000);
    let e = c.live(&req).await.unwrap_err();
    assert!(
        matches!(e, ApiError::Payment { code: 40200, .. }),
        "the API's answer to a balance too low: {e:?}"
    );
    let left = c.user_data().await.unwrap().balance().unwrap();
    assert!(left.abs() < 1e-9, "nothing charged for the refusal: {left}");
}
