//! Counting loaded rows for the statistics view: a million row additions must take well under
//! 200 ms, so pages can be counted as they arrive without holding up the keys. The rows are the
//! simulator's 60,000 links of forbes.com, counted 17 times over (1,020,000 additions; keeping
//! a million distinct rows in memory would only measure the allocator).

use std::hint::black_box;

use backlinks::app::stats::agg::Aggregate;
use backlinks::app::stats::charts::{ChartKind, chart};
use backlinks::sim::dataset::{DatasetConfig, generate};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_stats(c: &mut Criterion) {
    let items = generate("forbes.com", &DatasetConfig::default());
    let rounds = 1_000_000 / items.len() + 1;
    let mut group = c.benchmark_group("stats");
    group.sample_size(10);
    group.bench_function(format!("count {} rows", rounds * items.len()), |b| {
        b.iter(|| {
            let mut agg = Aggregate::default();
            for _ in 0..rounds {
                agg.add_all(black_box(&items));
            }
            agg
        });
    });
    group.bench_function("count one page of 1,000 rows", |b| {
        let mut agg = Aggregate::default();
        agg.add_all(&items);
        b.iter(|| agg.add_all(black_box(&items[..1000])));
    });
    let mut agg = Aggregate::default();
    agg.add_all(&items);
    group.bench_function("all ten charts from 60,000 rows", |b| {
        b.iter(|| {
            ChartKind::ALL
                .iter()
                .map(|k| chart(black_box(&agg), *k))
                .collect::<Vec<_>>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench_stats);
criterion_main!(benches);
