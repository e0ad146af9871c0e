//! The account balance: the simulator's `GET /v3/appendix/user_data` through the client, and
//! `backlinks balance` as a shell user runs it.

use backlinks::api::LiveRequest;
use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::sim::server::{DEMO_BALANCE, ServerConfig, spawn};

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
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_backlinks"))
        .arg("balance")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("cfg"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("DATAFORSEO_LOGIN")
        .env_remove("DATAFORSEO_PASSWORD")
        .env_remove("DATAFORSEO_API_URL")
        .output()
        .unwrap();
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
