//! Generating a 60,000-item profile (the largest natural size; `forbes.com` gets it).
//! Target: under 300 ms in release. The 60,000 items are dropped outside the timing
//! (`iter_with_large_drop`): freeing them is the caller's cost, paid when a profile is evicted.

use std::hint::black_box;

use backlinks::sim::dataset::{DatasetConfig, generate};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_generate(c: &mut Criterion) {
    let cfg = DatasetConfig::default();
    let mut group = c.benchmark_group("dataset");
    group.sample_size(10);
    group.bench_function("generate forbes.com (60,000 items)", |b| {
        b.iter_with_large_drop(|| generate(black_box("forbes.com"), black_box(&cfg)));
    });
    group.finish();
}

criterion_group!(benches, bench_generate);
criterion_main!(benches);
