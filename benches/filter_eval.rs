//! Filtering a simulator-sized set: compile a 5-condition filter once, test 60,000 items.

use std::hint::black_box;

use backlinks::api::filter::CompiledFilter;
use backlinks::api::{Backlink, Filter};
use criterion::{Criterion, criterion_group, criterion_main};

const FILTER: &str = r#"dofollow = true and rank >= 100 and (anchor ilike "%seo%" or text_pre match "seo") and first_seen > "2021-01-01""#;

/// Deterministic synthetic items (a small LCG), about half of them dofollow, some with nulls.
fn items(n: usize) -> Vec<Backlink> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    let words = [
        "best", "SEO", "tools", "guide", "link", "Building", "news", "home",
    ];
    (0..n)
        .map(|_| {
            let mut text = |len: u64| {
                (0..len)
                    .map(|_| words[(next() % 8) as usize])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let anchor = text(3);
            let text_pre = text(12);
            Backlink {
                dofollow: Some(next() % 2 == 0),
                rank: Some((next() % 1000) as i64),
                anchor: (next() % 10 != 0).then_some(anchor),
                text_pre: Some(text_pre),
                first_seen: Some(format!(
                    "20{:02}-{:02}-{:02} 12:00:00 +00:00",
                    15 + next() % 10,
                    1 + next() % 12,
                    1 + next() % 28
                )),
                attributes: Some(vec!["nofollow".into()]),
                ..Backlink::default()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let filter = Filter::parse(FILTER).expect("bench filter parses");
    let data = items(60_000);
    c.bench_function("filter_compile_5_conditions", |b| {
        b.iter(|| CompiledFilter::new(black_box(&filter)).expect("compiles"));
    });
    let compiled = CompiledFilter::new(&filter).expect("compiles");
    c.bench_function("filter_eval_60k_items", |b| {
        b.iter(|| {
            data.iter()
                .filter(|it| compiled.matches(black_box(it)))
                .count()
        });
    });
    // Each condition alone, to see where the time goes.
    let mut one = c.benchmark_group("filter_eval_60k_one_condition");
    for cond in [
        "dofollow = true",
        "rank >= 100",
        r#"anchor ilike "%seo%""#,
        r#"text_pre match "seo""#,
        r#"first_seen > "2021-01-01""#,
    ] {
        let cf = CompiledFilter::new(&Filter::parse(cond).expect("parses")).expect("compiles");
        one.bench_function(cond, |b| {
            b.iter(|| data.iter().filter(|it| cf.matches(black_box(it))).count());
        });
    }
    one.finish();
    c.bench_function("filter_parse_text", |b| {
        b.iter(|| Filter::parse(black_box(FILTER)).expect("parses"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
