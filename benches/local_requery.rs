//! Sorting and filtering a complete result locally (no request): 20,000 loaded rows, the size
//! of the deepest offset page. Sorting by three keys and filtering happen on a key press, so
//! they must stay well under a frame.

use std::hint::black_box;

use backlinks::api::request::{LiveRequest, OrderBy, SortDir};
use backlinks::api::{Backlink, Filter};
use backlinks::app::results::ResultsState;
use backlinks::app::sort::sorted;
use backlinks::fetch::Generation;
use backlinks::order::Ties;
use criterion::{Criterion, criterion_group, criterion_main};

const ROWS: usize = 20_000;

/// Deterministic rows (a small LCG) with nulls, ties and several value kinds.
fn items(n: usize) -> Vec<Backlink> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    (0..n)
        .map(|i| Backlink {
            url_from: Some(format!("https://site{}.example/p/{i}", next() % 500)),
            domain_from: Some(format!("site{}.example", next() % 500)),
            anchor: (next() % 8 != 0).then(|| format!("anchor {}", next() % 50)),
            dofollow: Some(next() % 3 != 0),
            rank: Some((next() % 1000) as i64),
            domain_from_rank: (next() % 10 != 0).then(|| (next() % 1000) as i64),
            first_seen: Some(format!(
                "20{:02}-{:02}-{:02} 12:00:00 +00:00",
                15 + next() % 10,
                1 + next() % 12,
                1 + next() % 28
            )),
            last_seen: Some("2025-01-01 00:00:00 +00:00".into()),
            ..Backlink::default()
        })
        .collect()
}

fn complete_state(rows: &[Backlink]) -> ResultsState {
    let mut s = ResultsState::default();
    s.reset(Generation(1), LiveRequest::new("x.com"), 1000);
    s.rows = rows.iter().cloned().map(Into::into).collect();
    s.total = Some(rows.len() as u64);
    s
}

fn bench(c: &mut Criterion) {
    let rows = items(ROWS);
    let order = [
        OrderBy::new("domain_from_rank", SortDir::Desc),
        OrderBy::new("first_seen", SortDir::Asc),
        OrderBy::new("anchor", SortDir::Asc),
    ];
    c.bench_function("sort 20k rows by 3 keys", |b| {
        b.iter(|| black_box(sorted(black_box(&rows), &order).len()));
    });
    let mut request = LiveRequest::new("x.com");
    request.filters = Some(
        Filter::parse(r#"dofollow = true and (anchor like "%1%" or domain_from_rank >= 500)"#)
            .expect("filter"),
    );
    request.order_by = Some(order.to_vec());
    c.bench_function("filter and sort 20k loaded rows (serve_locally)", |b| {
        b.iter_batched(
            || complete_state(&rows),
            |mut s| black_box(s.serve_locally(Generation(2), &request, Ties::Server)),
            criterion::BatchSize::LargeInput,
        );
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
