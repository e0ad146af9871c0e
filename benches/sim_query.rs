//! Simulator queries over the 60,000-link `forbes.com` profile (target: under 50 ms each).
//!
//! `engine/*` is what the server does for a new query: the per-profile index is warm (built on
//! the profile's first request), the ordered-result cache is off so every run filters and
//! sorts. `uncached/*` is the free `engine::run` with no index at all. `token_page` is a
//! following page of a walk, answered from the ordered-result cache.

use std::hint::black_box;

use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::sim::engine::{self, Engine, Query};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn queries() -> Vec<(&'static str, Value)> {
    vec![
        (
            "filter_sort",
            json!({"target": "forbes.com",
                "filters": [["dofollow", "=", true], "and", ["rank", ">", 100]],
                "order_by": ["domain_from_rank,desc", "first_seen,asc"], "limit": 100}),
        ),
        (
            "default_order",
            json!({"target": "forbes.com", "limit": 100}),
        ),
        (
            "text_filter_one_per_domain",
            json!({"target": "forbes.com", "mode": "one_per_domain",
                "filters": ["anchor", "ilike", "%a%"], "limit": 1000}),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let items = generate("forbes.com", &DatasetConfig::default());
    assert_eq!(items.len(), 60_000, "the bench profile");
    let profile = engine::profile(items.clone());
    let fresh = Engine::new(0);

    for (name, task) in queries() {
        let q = Query::parse(&task).expect("valid");
        fresh.run(&profile, &q); // builds the per-profile index once
        c.bench_function(&format!("engine/{name}"), |b| {
            b.iter(|| black_box(fresh.run(&profile, &q)));
        });
        c.bench_function(&format!("uncached/{name}"), |b| {
            b.iter(|| black_box(engine::run_query(&items, &q)));
        });
    }

    let cached = Engine::default();
    let first = cached
        .run_json(&profile, &json!({"target": "forbes.com", "limit": 1000}))
        .expect("valid");
    let next = json!({"target": "forbes.com", "limit": 1000,
        "search_after_token": first.search_after_token});
    let q = Query::parse(&next).expect("valid");
    c.bench_function("engine/token_page_1000_cached", |b| {
        b.iter(|| black_box(cached.run(&profile, &q)));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
