//! `/` search over loaded rows: a fresh query over 100k rows, one more typed character
//! (refinement), and a newly loaded page of 1000 rows joining an active search.

use std::hint::black_box;

use backlinks::api::Backlink;
use backlinks::app::results::Rows;
use backlinks::app::search::SearchState;
use backlinks::fetch::Generation;
use criterion::{Criterion, criterion_group, criterion_main};

fn rows(n: usize) -> Vec<Backlink> {
    (0..n)
        .map(|i| Backlink {
            domain_from: Some(format!("www.site{i}.example.com")),
            url_from: Some(format!(
                "https://www.site{i}.example.com/blog/{}/an-article-about-things",
                i % 977
            )),
            anchor: Some(format!("a fairly typical anchor text number {i} 日本語")),
            dofollow: Some(i % 3 != 0),
            item_type: Some("anchor".into()),
            first_seen: Some("2021-03-04 05:06:07 +00:00".into()),
            last_seen: Some("2026-10-04 05:06:07 +00:00".into()),
            ..Backlink::default()
        })
        .collect()
}

fn search(c: &mut Criterion) {
    let all = rows(101_000);
    let loaded: &Rows = &all[..100_000].to_vec().into();
    let all: Rows = all.into();
    let mut group = c.benchmark_group("search_100k_rows");
    group.sample_size(20);
    group.bench_function("fresh_query_rare", |b| {
        b.iter(|| {
            let mut s = SearchState::default();
            s.set_query(black_box("site4242"), loaded);
            black_box(s.matches().len())
        });
    });
    group.bench_function("fresh_query_common", |b| {
        b.iter(|| {
            let mut s = SearchState::default();
            s.set_query(black_box("blog/97"), loaded);
            black_box(s.matches().len())
        });
    });
    group.bench_function("one_more_character", |b| {
        let mut base = SearchState::default();
        base.set_query("site42", loaded);
        b.iter(|| {
            let mut s = base.clone();
            s.set_query(black_box("site424"), loaded);
            black_box(s.matches().len())
        });
    });
    group.bench_function("page_of_1000_appended", |b| {
        let mut base = SearchState::default();
        base.sync(loaded, Generation(1));
        base.set_query("site1000", loaded);
        b.iter(|| {
            let mut s = base.clone();
            s.sync(black_box(&all), Generation(1));
            black_box(s.matches().len())
        });
    });
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
