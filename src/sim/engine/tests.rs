//! Engine tests on hand-built items: validation, each pipeline stage, paging and tokens.

use serde_json::{Value, json};

use super::*;
use crate::api::response::Backlink;
use crate::sim::token::Token;

fn err(task: &Value) -> EngineError {
    Query::parse(task).expect_err("refused")
}

fn field(task: &Value) -> String {
    err(task).field().unwrap_or("<none>").to_owned()
}

#[test]
fn each_bad_field_is_named() {
    let cases = [
        (json!({}), "target"),
        (json!({"target": null}), "target"),
        (json!({"target": 5}), "target"),
        (json!({"target": "https://"}), "target"),
        (json!({"target": "www.forbes.com"}), "target"),
        (json!({"target": "x.com", "mode": "all"}), "mode"),
        (
            json!({"target": "x.com", "custom_mode": "anchor"}),
            "custom_mode",
        ),
        (
            json!({"target": "x.com", "custom_mode": {"field": "rank", "value": 1}}),
            "custom_mode.field",
        ),
        (
            json!({"target": "x.com", "custom_mode": {"value": 1}}),
            "custom_mode.field",
        ),
        (
            json!({"target": "x.com", "custom_mode": {"field": "anchor", "value": 0}}),
            "custom_mode.value",
        ),
        (
            json!({"target": "x.com", "custom_mode": {"field": "anchor", "value": 1001}}),
            "custom_mode.value",
        ),
        (
            json!({"target": "x.com", "custom_mode": {"field": "anchor"}}),
            "custom_mode.value",
        ),
        (
            json!({"target": "x.com", "order_by": "rank,desc"}),
            "order_by",
        ),
        (
            json!({"target": "x.com", "order_by": ["rank,up"]}),
            "order_by",
        ),
        (
            json!({"target": "x.com", "order_by": ["nope,asc"]}),
            "order_by",
        ),
        (
            json!({"target": "x.com", "order_by": ["attributes,asc"]}),
            "order_by",
        ),
        (
            json!({"target": "x.com", "order_by": ["rank,asc", "anchor,asc", "tld_from,asc", "url_to,asc"]}),
            "order_by",
        ),
        (json!({"target": "x.com", "offset": 20001}), "offset"),
        (json!({"target": "x.com", "offset": -1}), "offset"),
        (json!({"target": "x.com", "offset": "10"}), "offset"),
        (json!({"target": "x.com", "limit": 0}), "limit"),
        (json!({"target": "x.com", "limit": 1001}), "limit"),
        (json!({"target": "x.com", "limit": 2.5}), "limit"),
        (
            json!({"target": "x.com", "search_after_token": "garbage"}),
            "search_after_token",
        ),
        (
            json!({"target": "x.com", "backlinks_status_type": "dead"}),
            "backlinks_status_type",
        ),
        (
            json!({"target": "x.com", "include_subdomains": "yes"}),
            "include_subdomains",
        ),
        (
            json!({"target": "x.com", "include_indirect_links": 1}),
            "include_indirect_links",
        ),
        (
            json!({"target": "x.com", "exclude_internal_backlinks": "false"}),
            "exclude_internal_backlinks",
        ),
        (
            json!({"target": "x.com", "rank_scale": "one_ten"}),
            "rank_scale",
        ),
        (json!({"target": "x.com", "tag": "x".repeat(256)}), "tag"),
    ];
    for (task, want) in cases {
        assert_eq!(field(&task), want, "{task}");
        assert_eq!(err(&task).code(), 40501);
        assert_eq!(err(&task).to_string(), format!("Invalid Field: '{want}'."));
    }
}

#[test]
fn limits_at_the_edge_are_accepted() {
    let ok = json!({"target": "x.com", "offset": 20000, "limit": 1000, "tag": "x".repeat(255),
        "custom_mode": {"field": "page_from_status_code", "value": 1000},
        "order_by": ["rank,asc", "ranked_keywords_info.page_from_keywords_count_top_3,desc", "first_seen,asc"]});
    let q = Query::parse(&ok).unwrap();
    assert_eq!((q.offset, q.limit), (20000, 1000));
}

#[test]
fn unknown_keys_are_refused_but_nulls_are_absent() {
    let e = err(&json!({"target": "x.com", "language": "en"}));
    assert_eq!(e.code(), 40506);
    assert_eq!(e.to_string(), "Unknown Fields in POST Data.");
    // What the official Python client sends for unset fields, plus spec artefacts set to null.
    let q = Query::parse(
        &json!({"target": "x.com", "mode": null, "custom_mode": null,
        "filters": null, "order_by": null, "offset": null, "search_after_token": null,
        "limit": null, "backlinks_status_type": null, "include_subdomains": null,
        "exclude_internal_backlinks": null, "rank_scale": null, "tag": null,
        "field": null, "value": null}),
    )
    .unwrap();
    assert_eq!(q.limit, DEFAULT_LIMIT);
    assert!(q.include_subdomains && q.include_indirect_links && q.exclude_internal_backlinks);
    assert_eq!(err(&json!([])), EngineError::InvalidTask);
}

#[test]
fn token_rules() {
    let token = |params: &str| Token::new(params, vec![], 0).mint();
    let q = Query::parse(&json!({"target": "x.com"})).unwrap();
    let good = token(&q.params_hash());
    let with_offset = json!({"target": "x.com", "search_after_token": good, "offset": 5});
    assert_eq!(field(&with_offset), "offset");
    let zero_offset =
        json!({"target": "x.com", "search_after_token": good, "offset": 0, "limit": 7, "tag": "t"});
    assert!(
        Query::parse(&zero_offset).is_ok(),
        "limit and tag may change"
    );
    let other = json!({"target": "x.com", "search_after_token": good, "mode": "one_per_domain"});
    assert_eq!(field(&other), "search_after_token");
    let explicit_defaults = json!({"target": "x.com", "search_after_token": good,
        "mode": "as_is", "backlinks_status_type": "live", "order_by": []});
    assert!(
        Query::parse(&explicit_defaults).is_ok(),
        "same effective parameters"
    );
}

/// A link to `forbes.com`, live, direct and external, from page `url` of `domain`.
fn link(domain: &str, page: &str, rank: i64) -> Backlink {
    Backlink {
        kind: Some("backlink".into()),
        domain_from: Some(domain.into()),
        url_from: Some(format!("https://{domain}/{page}")),
        domain_to: Some("www.forbes.com".into()),
        url_to: Some("https://www.forbes.com/".into()),
        is_lost: Some(false),
        is_indirect_link: Some(false),
        rank: Some(rank),
        anchor: Some(format!("anchor {}", rank % 3)),
        last_seen: Some("2024-05-01 00:00:00 +00:00".into()),
        links_count: Some(1),
        group_count: Some(0),
        ..Backlink::default()
    }
}

fn sample() -> Vec<Backlink> {
    let mut v = Vec::new();
    for d in 0..10 {
        for p in 0..=(d % 4) {
            v.push(link(
                &format!("site{d}.org"),
                &format!("p{p}"),
                (d * 97 + p * 13) % 1000,
            ));
        }
    }
    v
}

fn urls(r: &TaskResult) -> Vec<String> {
    r.items
        .iter()
        .flatten()
        .map(|i| i.url_from.clone().unwrap_or_default())
        .collect()
}

#[test]
fn default_order_is_rank_desc_and_counts_are_filled() {
    let profile = sample();
    let r = run(&profile, &json!({"target": "forbes.com", "limit": 1000})).unwrap();
    let ranks: Vec<i64> = r.items.iter().flatten().filter_map(|i| i.rank).collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
    assert_eq!(r.total_count, Some(profile.len() as i64));
    assert_eq!(r.items_count, Some(profile.len() as i64));
    assert!(
        r.items
            .iter()
            .flatten()
            .all(|i| i.group_count == Some(0) && i.links_count == Some(1))
    );
    assert_eq!(r.mode.as_deref(), Some("as_is"));
    assert_eq!(r.target.as_deref(), Some("forbes.com"));
}

#[test]
fn duplicates_of_a_page_become_one_row() {
    let mut profile = sample();
    let mut dup = link("site1.org", "p0", 999);
    dup.anchor = Some("best".into());
    profile.push(dup);
    let r = run(&profile, &json!({"target": "forbes.com", "limit": 1})).unwrap();
    let top = &r.items.as_ref().unwrap()[0];
    assert_eq!((top.rank, top.anchor.as_deref()), (Some(999), Some("best")));
    assert_eq!(top.links_count, Some(2));
    assert_eq!(r.total_count, Some(profile.len() as i64 - 1));
}

#[test]
fn one_per_domain_keeps_the_best_row_and_counts_the_group() {
    let profile = sample();
    let r = run(
        &profile,
        &json!({"target": "forbes.com", "mode": "one_per_domain", "limit": 1000}),
    )
    .unwrap();
    assert_eq!(r.total_count, Some(10));
    for item in r.items.iter().flatten() {
        let domain = item.domain_from.as_deref().unwrap();
        let group: Vec<&Backlink> = profile
            .iter()
            .filter(|b| b.domain_from.as_deref() == Some(domain))
            .collect();
        assert_eq!(item.group_count, Some(group.len() as i64), "{domain}");
        assert_eq!(
            item.rank,
            group.iter().filter_map(|b| b.rank).max(),
            "{domain}"
        );
    }
}

#[test]
fn custom_mode_caps_each_group_and_sorts_after() {
    let profile = sample();
    let task = json!({"target": "forbes.com", "custom_mode": {"field": "domain_from", "value": 2},
        "order_by": ["url_from,asc"], "limit": 1000});
    let r = run(&profile, &task).unwrap();
    let want: usize = (0..10).map(|d: usize| (d % 4 + 1).min(2)).sum();
    assert_eq!(r.total_count, Some(want as i64));
    let got = urls(&r);
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(got, sorted);
    assert_eq!(r.custom_mode.as_ref().map(|c| c.value), Some(2));
    assert!(
        r.items
            .iter()
            .flatten()
            .all(|i| i.group_count.unwrap() >= 1)
    );
}

#[test]
fn rank_scale_changes_output_and_sort() {
    let profile = vec![
        link("a.org", "1", 864),
        link("b.org", "1", 861),
        link("c.org", "1", 12),
    ];
    let task =
        json!({"target": "forbes.com", "rank_scale": "one_hundred", "order_by": ["rank,desc"]});
    let r = run(&profile, &task).unwrap();
    let ranks: Vec<i64> = r.items.iter().flatten().filter_map(|i| i.rank).collect();
    assert_eq!(ranks, vec![86, 86, 1]);
    assert_eq!(
        urls(&r)[0],
        "https://a.org/1",
        "equal scaled ranks fall back to url_from"
    );
}

#[test]
fn offset_and_token_pages_are_disjoint_and_complete() {
    let profile = sample();
    let base = json!({"target": "forbes.com", "order_by": ["anchor,asc", "rank,asc"]});
    let mut all = base.clone();
    all["limit"] = json!(1000);
    let want = urls(&run(&profile, &all).unwrap());

    let mut got = Vec::new();
    let mut first = base.clone();
    first["limit"] = json!(4);
    first["offset"] = json!(3);
    let r = run(&profile, &first).unwrap();
    let mut head = base.clone();
    head["limit"] = json!(3);
    got.extend(urls(&run(&profile, &head).unwrap()));
    got.extend(urls(&r));
    let mut token = r.search_after_token.unwrap();
    for limit in [1, 5, 2, 1000, 3] {
        let mut next = base.clone();
        next["limit"] = json!(limit);
        next["search_after_token"] = json!(token);
        let r = run(&profile, &next).unwrap();
        got.extend(urls(&r));
        token = r
            .search_after_token
            .expect("a token on every page, the last one too");
    }
    assert_eq!(got, want);
}

#[test]
fn past_the_end_is_empty_and_stays_empty() {
    let profile = sample();
    let r = run(&profile, &json!({"target": "forbes.com", "offset": 500})).unwrap();
    assert_eq!(r.items_count, Some(0));
    let mut next = json!({"target": "forbes.com"});
    next["search_after_token"] = json!(r.search_after_token.unwrap());
    assert_eq!(run(&profile, &next).unwrap().items_count, Some(0));
}

/// `sample()` plus what the index must handle: null strings, other hosts, internal links,
/// duplicate pages, a lost link.
fn varied() -> Vec<Backlink> {
    let mut v = sample();
    for (i, b) in v.iter_mut().enumerate() {
        if i % 4 == 0 {
            b.anchor = None;
        }
        if i % 5 == 0 {
            b.domain_to = Some("blog.forbes.com".into());
            b.url_to = Some("https://blog.forbes.com/post".into());
        }
        if i % 7 == 0 {
            b.last_seen = None;
        }
    }
    v.push(link("news.forbes.com", "internal", 500));
    v.push(link("site1.org", "p0", 5));
    let mut lost = link("gone.org", "x", 900);
    lost.is_lost = Some(true);
    v.push(lost);
    let mut other = link("a.org", "other-target", 900);
    other.domain_to = Some("example.com".into());
    v.push(other);
    v
}

#[test]
fn cached_engine_answers_like_the_uncached_one() {
    let items = varied();
    let engine = Engine::default();
    let shared = profile(items.clone());
    for task in [
        json!({"target": "forbes.com", "limit": 7, "offset": 2}),
        json!({"target": "forbes.com", "mode": "one_per_anchor"}),
        json!({"target": "forbes.com", "limit": 7, "offset": 9}),
        json!({"target": "forbes.com", "order_by": ["anchor,asc", "last_seen,desc"], "limit": 1000}),
        json!({"target": "forbes.com", "order_by": ["anchor,desc", "domain_from,asc"], "limit": 1000}),
        json!({"target": "forbes.com", "backlinks_status_type": "all", "exclude_internal_backlinks": false, "limit": 1000}),
        json!({"target": "forbes.com", "include_subdomains": false, "limit": 1000}),
        json!({"target": "blog.forbes.com", "custom_mode": {"field": "anchor", "value": 2}}),
        json!({"target": "https://blog.forbes.com/post", "order_by": ["url_from,desc"]}),
        json!({"target": "example.com"}),
    ] {
        let cached = engine.run_json(&shared, &task).unwrap();
        assert_eq!(cached, run(&items, &task).unwrap(), "{task}");
        assert!(cached.total_count > Some(0), "{task} selects something");
    }
}

#[test]
fn typed_requests_run_like_their_json() {
    use crate::api::filter::Filter;
    use crate::api::request::{LiveRequest, OrderBy};
    let profile = sample();
    let mut req = LiveRequest::new("forbes.com");
    req.filters = Some(Filter::from_wire(&json!(["rank", ">", 300])).unwrap());
    req.order_by = Some(vec!["anchor,asc".parse::<OrderBy>().unwrap()]);
    req.limit = Some(4);
    let task = json!({"target": "forbes.com", "filters": ["rank", ">", 300],
        "order_by": ["anchor,asc"], "limit": 4});
    assert_eq!(
        run_request(&profile, &req).unwrap(),
        run(&profile, &task).unwrap()
    );
}
