//! Counting loaded rows for the statistics view. The app counts each page as it arrives
//! (fresh in memory): a million rows are a thousand such pages and must add up to well under
//! 200 ms. For reference, one pass over rows long out of the CPU cache: the simulator's 60,000
//! links of forbes.com counted 17 times over (1,020,000 rows, about 1.2 GB read).

use std::hint::black_box;

use backlinks::app::stats::agg::Aggregate;
use backlinks::app::stats::charts::{ChartKind, chart};
use backlinks::sim::dataset::{DatasetConfig, generate};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

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
    // What the app does: each page is counted as it arrives, fresh in memory (a clone of
    // 1,000 rows stands in for the page just decoded). A million rows are 1,000 of these.
    group.bench_function("count one page of 1,000 rows as it arrives", |b| {
        let mut agg = Aggregate::default();
        agg.add_all(&items);
        let mut start = 0;
        b.iter_batched_ref(
            || {
                start = (start + 1000) % (items.len() - 1000);
                items[start..start + 1000].to_vec()
            },
            |page| agg.add_all(black_box(page)),
            BatchSize::LargeInput,
        );
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
