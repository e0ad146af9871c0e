//! Opening a 1,000,000-row JSONL file: time to the first rows (the first frame), the whole
//! load, and the load plus a sort by rank (what `backlinks open` then does locally).
//!
//! The file takes about 1.3 GB of disk in the temp folder; `BENCH_ROWS=N` makes a smaller one
//! where the disk is short.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use backlinks::api::response::Backlink;
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::store::{Format, ReadEvent, SetEnd, SetWriter, read_file};
use criterion::{Criterion, criterion_group, criterion_main};

fn rows() -> usize {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// A 1M-row file of realistic items (the simulator's, repeated with distinct URLs).
fn make_file(dir: &Path) -> PathBuf {
    let path = dir.join("big.jsonl");
    let base = generate(
        "forbes.com",
        &DatasetConfig {
            seed: 1,
            rows: Some(50_000),
        },
    );
    let mut w = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    for i in 0..rows() {
        let mut item = base[i % base.len()].clone();
        item.url_from = Some(format!(
            "{}?copy={}",
            item.url_from.unwrap_or_default(),
            i / base.len()
        ));
        w.write(&item).unwrap();
    }
    w.finish(&SetEnd::default()).unwrap();
    path
}

fn load(path: &Path) -> Vec<Backlink> {
    let mut rows = Vec::with_capacity(rows());
    read_file(path, 2000, |ev| {
        if let ReadEvent::Rows(r) = ev {
            rows.extend(r);
        }
        true
    })
    .unwrap();
    rows
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = make_file(dir.path());
    let mut g = c.benchmark_group(format!("open_jsonl_{}", rows()));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(40));
    g.bench_function("first_rows", |b| {
        b.iter(|| {
            let mut first = 0;
            read_file(&path, 2000, |ev| {
                if let ReadEvent::Rows(r) = ev {
                    first = r.len();
                    return false;
                }
                true
            })
            .unwrap();
            black_box(first)
        });
    });
    g.bench_function("load_all", |b| b.iter(|| black_box(load(&path).len())));
    g.bench_function("load_and_sort_by_rank", |b| {
        b.iter(|| {
            let mut rows = load(&path);
            rows.sort_by_key(|r| std::cmp::Reverse(r.rank));
            black_box(rows.len())
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
