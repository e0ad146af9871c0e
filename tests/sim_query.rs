//! Query semantics through HTTP, checked row by row against the brute-force reference in
//! `common::brute` over the same generated profile.

mod common;

use std::sync::OnceLock;

use backlinks::api::response::Backlink;
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::sim::server::{RunningServer, ServerConfig};
use common::{all_rows, brute, result, start};
use serde_json::{Value, json};

const TARGET: &str = "forbes.com";

fn dataset() -> DatasetConfig {
    DatasetConfig {
        seed: 7,
        rows: Some(6_000),
    }
}

fn profile() -> &'static [Backlink] {
    static P: OnceLock<Vec<Backlink>> = OnceLock::new();
    P.get_or_init(|| generate(TARGET, &dataset()))
}

async fn server() -> RunningServer {
    start(ServerConfig {
        dataset: dataset(),
        ..ServerConfig::default()
    })
    .await
}

/// Every row of `task` equals the reference, in order; returns the row count.
async fn check(s: &RunningServer, task: Value) -> usize {
    let want = brute::expected_json(profile(), &task);
    let (total, got) = all_rows(s, &task).await;
    assert_eq!(total, want.len() as i64, "total_count of {task}");
    assert_eq!(got.len(), want.len(), "rows of {task}");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "row {i} of {task}");
    }
    want.len()
}

/// `check` with `filters`, asserting the filter keeps some rows and drops some.
async fn check_filter(s: &RunningServer, filters: Value) {
    let base = brute::expected(profile(), &json!({"target": TARGET})).len();
    let n = check(s, json!({"target": TARGET, "filters": filters})).await;
    assert!(
        n > 0 && n < base,
        "{filters} selects {n} of {base}: not a meaningful test"
    );
}

/// A value of `field` present in the profile (the `k`-th distinct one).
fn sample(field: &str, k: usize) -> Value {
    let mut seen: Vec<Value> = Vec::new();
    for b in profile() {
        let v = serde_json::to_value(b).unwrap();
        let x = field.split('.').fold(&v, |v, key| &v[key]).clone();
        if !x.is_null() && !seen.contains(&x) {
            seen.push(x);
        }
    }
    seen[k % seen.len()].clone()
}

#[tokio::test]
async fn string_operators() {
    let s = server().await;
    let domain = sample("domain_from", 3);
    let other = sample("domain_from", 5);
    let anchor = sample("anchor", 2);
    let word = anchor.as_str().unwrap().split(' ').next().unwrap();
    for f in [
        json!(["domain_from", "=", domain]),
        json!(["domain_from", "<>", domain]),
        json!(["domain_from", "in", [domain, other]]),
        json!(["domain_from", "not_in", [domain, other]]),
        json!(["url_from", "like", "https://%"]),
        json!(["url_from", "not_like", "%.com/%"]),
        json!(["domain_from", "ilike", "%BLOG%"]),
        json!(["domain_from", "not_ilike", "WWW.%"]),
        json!(["url_from", "regex", "[0-9]{2}"]),
        json!(["url_from", "not_regex", "^https://www\\."]),
        json!(["anchor", "match", word]),
        json!(["anchor", "not_match", word]),
        json!(["page_from_title", "like", "%a%"]),
        json!(["domain_from_country", "=", sample("domain_from_country", 0)]),
        json!([
            "domain_from_country",
            "<>",
            sample("domain_from_country", 0)
        ]),
        json!([
            "semantic_location",
            "in",
            [
                sample("semantic_location", 0),
                sample("semantic_location", 1)
            ]
        ]),
    ] {
        check_filter(&s, f).await;
    }
}

#[tokio::test]
async fn number_operators_including_numeric_strings_and_nulls() {
    let s = server().await;
    for f in [
        json!(["rank", "<", 300]),
        json!(["rank", "<=", "300"]),
        json!(["rank", ">", 300]),
        json!(["rank", ">=", 300.5]),
        json!(["page_from_rank", "=", sample("page_from_rank", 4)]),
        json!(["page_from_rank", "<>", sample("page_from_rank", 4)]),
        json!(["backlink_spam_score", "in", [0, 1, 2, 3]]),
        json!(["backlink_spam_score", "not_in", [0, 1]]),
        json!(["url_to_status_code", "=", 200]),
        json!(["url_to_status_code", "<>", 200]),
        json!(["url_to_spam_score", ">", 10]),
        json!(["page_from_status_code", "in", [200, 301]]),
        json!([
            "ranked_keywords_info.page_from_keywords_count_top_10",
            ">",
            10
        ]),
        json!([
            "ranked_keywords_info.page_from_keywords_count_top_100",
            "<=",
            100
        ]),
        json!([
            "ranked_keywords_info.page_from_keywords_count_top_3",
            "=",
            0
        ]),
    ] {
        check_filter(&s, f).await;
    }
}

#[tokio::test]
async fn boolean_and_time_operators() {
    let s = server().await;
    let seen = sample("first_seen", 10);
    for f in [
        json!(["dofollow", "=", true]),
        json!(["dofollow", "<>", true]),
        json!(["is_new", "=", true]),
        json!(["original", "=", false]),
        json!(["is_broken", "<>", false]),
        json!(["first_seen", ">", "2023-01-01 00:00:00 +00:00"]),
        json!(["first_seen", "<", "2022-06-15"]),
        json!(["last_seen", ">=", "2026-10-20"]),
        json!(["prev_seen", "<=", "2026-10-15 12:00:00 +00:00"]),
        json!(["first_seen", "<>", seen]),
    ] {
        check_filter(&s, f).await;
    }
    let n = check(
        &s,
        json!({"target": TARGET, "filters": ["first_seen", "=", seen]}),
    )
    .await;
    assert!(n >= 1, "an exact timestamp matches its own link");
}

#[tokio::test]
async fn array_operators() {
    let s = server().await;
    let platform = sample("domain_from_platform_type", 0)[0].clone();
    for f in [
        json!(["attributes", "=", "nofollow"]),
        json!(["attributes", "<>", "nofollow"]),
        json!(["attributes", "has", "nofollow"]),
        json!(["attributes", "has_not", "nofollow"]),
        json!(["attributes", "in", ["nofollow", "ugc", "sponsored"]]),
        json!(["attributes", "not_in", ["ugc", "sponsored"]]),
        json!(["domain_from_platform_type", "=", platform]),
        json!(["domain_from_platform_type", "like", "%s%"]),
    ] {
        check_filter(&s, f).await;
    }
}

#[tokio::test]
async fn nested_and_or() {
    let s = server().await;
    check_filter(
        &s,
        json!([
            ["dofollow", "=", true],
            "and",
            [["rank", ">", 500], "or", ["anchor", "ilike", "%a%"]]
        ]),
    )
    .await;
    check_filter(
        &s,
        json!([
            [["rank", ">", 700], "and", ["dofollow", "=", false]],
            "or",
            [
                ["item_type", "=", "image"],
                "and",
                [
                    ["first_seen", ">", "2024-01-01"],
                    "or",
                    ["attributes", "has", "ugc"]
                ]
            ]
        ]),
    )
    .await;
    // `and` binds tighter than `or` at one level (DESIGN.md §6.2).
    check_filter(
        &s,
        json!([
            ["rank", ">", 800],
            "or",
            ["dofollow", "=", true],
            "and",
            ["rank", "<", 100]
        ]),
    )
    .await;
}

#[tokio::test]
async fn modes_and_custom_modes() {
    let s = server().await;
    for mode in ["as_is", "one_per_domain", "one_per_anchor"] {
        check(&s, json!({"target": TARGET, "mode": mode})).await;
    }
    for (i, field) in backlinks::api::request::CUSTOM_MODE_FIELDS
        .iter()
        .enumerate()
    {
        let value = [1, 3, 1000][i % 3];
        let n = check(&s, json!({"target": TARGET, "custom_mode": {"field": field, "value": value}, "order_by": ["first_seen,desc"]})).await;
        assert!(n > 0, "{field}");
    }
    let r = result(&s, json!({"target": TARGET, "mode": "one_per_anchor", "custom_mode": {"field": "domain_from", "value": 1}})).await;
    assert_eq!(
        r["custom_mode"],
        json!({"field": "domain_from", "value": 1})
    );
    let grouped = brute::expected(
        profile(),
        &json!({"target": TARGET, "mode": "one_per_domain"}),
    );
    assert!(
        grouped.iter().any(|b| b.group_count > Some(1)),
        "some domain has several pages"
    );
}

#[tokio::test]
async fn status_types_and_switches() {
    let s = server().await;
    let mut counts = Vec::new();
    for status in ["live", "lost", "all"] {
        counts.push(
            check(
                &s,
                json!({"target": TARGET, "backlinks_status_type": status}),
            )
            .await,
        );
    }
    assert!(
        counts[0] > 0 && counts[1] > 0 && counts[2] >= counts[0].max(counts[1]),
        "{counts:?}"
    );
    let default = counts[0];
    for (switch, value) in [
        ("include_subdomains", false),
        ("exclude_internal_backlinks", false),
        ("include_indirect_links", false),
    ] {
        let n = check(&s, json!({"target": TARGET, switch: value})).await;
        assert_ne!(n, default, "{switch} = {value} changes the result");
    }
    let sub = profile()
        .iter()
        .filter_map(|b| b.domain_to.clone())
        .find(|d| d != TARGET && d != "www.forbes.com")
        .expect("a link to a subdomain");
    assert!(check(&s, json!({"target": sub})).await > 0);
    let page = profile()
        .iter()
        .find(|b| b.is_lost == Some(false))
        .and_then(|b| b.url_to.clone())
        .unwrap();
    assert!(check(&s, json!({"target": page, "backlinks_status_type": "all"})).await > 0);
}

#[tokio::test]
async fn order_by_one_to_three_keys() {
    let s = server().await;
    for order in [
        json!(["rank,asc"]),
        json!(["domain_from,asc", "rank,desc"]),
        json!(["first_seen,desc", "anchor,asc", "page_from_rank,desc"]),
        json!(["url_to_status_code,asc", "dofollow,desc"]),
        json!(["url_to_status_code,desc"]),
        json!([
            "ranked_keywords_info.page_from_keywords_count_top_3,desc",
            "last_seen,asc"
        ]),
        json!(["links_count,desc"]),
    ] {
        let task = json!({"target": TARGET, "order_by": order});
        check(&s, task.clone()).await;
        // And independently of the reference: each page is sorted by the rules.
        let rows: Vec<Backlink> = common::items(
            &result(
                &s,
                json!({"target": TARGET, "order_by": order, "limit": 1000}),
            )
            .await,
        )
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
        let rules = brute::rules(&task);
        assert!(
            rows.windows(2)
                .all(|w| brute::compare(&rules, &w[0], &w[1]).is_lt()),
            "{order}"
        );
    }
    check(&s, json!({"target": TARGET, "mode": "one_per_domain", "order_by": ["group_count,desc", "rank,asc"]})).await;
}

#[tokio::test]
async fn rank_scale_one_hundred() {
    let s = server().await;
    let task = json!({"target": TARGET, "rank_scale": "one_hundred", "filters": ["rank", ">=", 40], "order_by": ["rank,asc"]});
    check(&s, task).await;
    let r = result(
        &s,
        json!({"target": TARGET, "rank_scale": "one_hundred", "limit": 1000}),
    )
    .await;
    assert!(
        common::items(&r)
            .iter()
            .all(|i| i["rank"].as_i64().unwrap() <= 100
                && i["domain_from_rank"].as_i64().unwrap_or(0) <= 100)
    );
}

/// Keys of `a` and `b` at every level: objects must have the same key sets; arrays are compared
/// element-wise (each element against the fixture's first element); nulls match anything.
fn same_keys(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let kx: Vec<&String> = x.keys().collect();
            let ky: Vec<&String> = y.keys().collect();
            assert_eq!(kx, ky, "keys at {path}");
            for (k, v) in x {
                same_keys(v, &y[k], &format!("{path}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) if !y.is_empty() => {
            for (i, v) in x.iter().enumerate() {
                same_keys(v, &y[0], &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn response_has_the_fixture_keys_at_every_level() {
    let fixture: Value = serde_json::from_str(include_str!(
        "fixtures/backlinks_live_example_response.json"
    ))
    .unwrap();
    let request: Value =
        serde_json::from_str(include_str!("fixtures/backlinks_live_example_request.json")).unwrap();
    let s = server().await;
    let (_, body) = common::call(&s.endpoint(), common::LOGIN, common::PASSWORD, request).await;
    same_keys(&body, &fixture, "");
    assert_eq!(body["tasks"][0]["data"], fixture["tasks"][0]["data"]);
    let items = common::items(&body["tasks"][0]["result"][0]);
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|i| i["dofollow"] == true));

    let brief = json!([{"target": "forbes.com", "limit": 5, "filters": ["dofollow", "=", true]}]);
    // The issue's own curl example: no mode sent, still the fixture's keys everywhere.
    let (_, body) = common::call(&s.endpoint(), common::LOGIN, common::PASSWORD, brief).await;
    same_keys(&body, &fixture, "");
}
