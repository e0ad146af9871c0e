//! Deep paging: offset pages up to 20,000, then `search_after_token` pages, against one ordered
//! list computed by brute force — no gap, no duplicate.

mod common;

use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::sim::server::{RunningServer, ServerConfig};
use common::{brute, items, result, start, task};
use serde_json::{Value, json};

/// A profile big enough for a 45,000-row query.
fn dataset() -> DatasetConfig {
    DatasetConfig {
        seed: 3,
        rows: Some(100_000),
    }
}

async fn server() -> RunningServer {
    start(ServerConfig {
        dataset: dataset(),
        ..ServerConfig::default()
    })
    .await
}

fn url_from(v: &Value) -> &str {
    v["url_from"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offset_then_token_walk_covers_the_whole_result() {
    // Every live external page: the longest result the default forbes.com profile gives.
    let query = json!({"target": "forbes.com", "filters": ["rank", ">=", 0]});
    let profile = generate("forbes.com", &dataset());
    let want = brute::expected_json(&profile, &query);
    assert!(
        want.len() >= 45_000,
        "the walk needs a long result: {}",
        want.len()
    );

    let s = server().await;
    let mut got: Vec<Value> = Vec::new();
    // Offset pages with changing limits, up to the 20,000 cap.
    let mut limits = [1000, 1000, 999, 1, 1000, 500].into_iter().cycle();
    let mut token = String::new();
    while got.len() < 20_000 {
        let limit = limits.next().unwrap().min(20_000 - got.len()).max(1);
        let r = result(&s, json!({"target": "forbes.com", "filters": ["rank", ">=", 0], "offset": got.len(), "limit": limit})).await;
        assert_eq!(r["total_count"], want.len());
        got.extend(items(&r));
        token = r["search_after_token"].as_str().unwrap().to_owned();
    }
    // Then tokens, also with changing limits, until a page comes back empty.
    let mut limits = [1000, 777, 1000, 3].into_iter().cycle();
    loop {
        let limit = limits.next().unwrap();
        let r = result(&s, json!({"target": "forbes.com", "filters": ["rank", ">=", 0], "search_after_token": token, "limit": limit, "tag": "walk"})).await;
        let page = items(&r);
        token = r["search_after_token"]
            .as_str()
            .expect("a token on every page")
            .to_owned();
        if page.is_empty() {
            break;
        }
        got.extend(page);
    }
    assert_eq!(got.len(), want.len(), "no gap, no duplicate");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(url_from(g), url_from(w), "row {i}");
    }
    assert_eq!(got, want);
}

#[tokio::test]
async fn tokens_are_refused_with_other_parameters_or_an_offset() {
    let s = start(ServerConfig {
        dataset: DatasetConfig {
            seed: 3,
            rows: Some(3_000),
        },
        ..ServerConfig::default()
    })
    .await;
    let base = json!({"target": "forbes.com", "order_by": ["first_seen,asc"], "limit": 10});
    let r = result(&s, base.clone()).await;
    let token = r["search_after_token"].clone();

    let mut other = base.clone();
    other["order_by"] = json!(["first_seen,desc"]);
    other["search_after_token"] = token.clone();
    assert_eq!(
        task(&s, other).await["status_message"],
        "Invalid Field: 'search_after_token'."
    );

    let mut with_offset = base.clone();
    with_offset["search_after_token"] = token.clone();
    with_offset["offset"] = json!(10);
    assert_eq!(
        task(&s, with_offset).await["status_message"],
        "Invalid Field: 'offset'."
    );

    let mut next = base.clone();
    next["search_after_token"] = token;
    next["limit"] = json!(5);
    next["tag"] = json!("page 2");
    let page2 = result(&s, next).await;
    let mut by_offset = base.clone();
    by_offset["offset"] = json!(10);
    by_offset["limit"] = json!(5);
    assert_eq!(
        items(&page2),
        items(&result(&s, by_offset).await),
        "limit and tag may change"
    );
}

#[tokio::test]
async fn the_last_page_still_has_a_token_that_returns_nothing() {
    let s = start(ServerConfig {
        dataset: DatasetConfig {
            seed: 3,
            rows: Some(3_000),
        },
        ..ServerConfig::default()
    })
    .await;
    let q = json!({"target": "forbes.com", "mode": "one_per_domain", "limit": 1000});
    let first = result(&s, q.clone()).await;
    let total = first["total_count"].as_u64().unwrap();
    assert!(total < 1000, "one page holds it all: {total}");
    let token = first["search_after_token"]
        .as_str()
        .expect("present on the last page");
    let mut again = q.clone();
    again["search_after_token"] = json!(token);
    let r = result(&s, again).await;
    assert_eq!(
        (r["items_count"].clone(), r["total_count"].clone()),
        (json!(0), json!(total))
    );
    assert!(r["search_after_token"].is_string());
}
