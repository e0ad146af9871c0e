//! `backlinks diff` on two 1,000,000-row JSONL exports (issue #16: ≤ 3 s, ≤ 600 MB peak on
//! two cores): indexing both files and pairing the rows (what the summary waits for), and
//! writing the differences.
//!
//! The files (about 1.4 GB each, realistic items with all 47 fields: the simulator's,
//! repeated with distinct URLs) are made once under `target/bench-diff/` and kept for the
//! next run; delete that folder to get the disk back. `BENCH_ROWS=N` makes smaller ones.
//! NEW lacks every 1000th row of OLD (lost), has 1 in 1000 rows with dofollow flipped
//! (changed) and 1 in 1000 rows of its own (new).

mod big;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use backlinks::diff::Diff;
use backlinks::store::{Format, SetEnd, SetWriter};
use big::rows;
use criterion::{Criterion, criterion_group, criterion_main};

fn dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-diff");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// OLD and NEW, made unless a finished pair for this many rows is there.
fn files() -> (PathBuf, PathBuf) {
    let n = rows();
    let dir = dir();
    let (old, new) = (
        dir.join(format!("old-{n}.jsonl")),
        dir.join(format!("new-{n}.jsonl")),
    );
    let done = dir.join(format!("done-{n}"));
    if done.exists() {
        return (old, new);
    }
    let base = big::base();
    let item = |i: usize| big::item(&base, i);
    let mut a = SetWriter::create(&old, Format::Jsonl, None, None).unwrap();
    let mut b = SetWriter::create(&new, Format::Jsonl, None, None).unwrap();
    for i in 0..n {
        let it = item(i);
        a.write(&it).unwrap();
        match i % 1000 {
            0 => {} // lost
            1 => {
                let mut changed = it;
                changed.dofollow = Some(!changed.dofollow.unwrap_or(false));
                b.write(&changed).unwrap();
            }
            2 => {
                b.write(&it).unwrap();
                let mut fresh = item(i);
                fresh.url_from = Some(format!("https://new.example/{i}"));
                b.write(&fresh).unwrap();
            }
            _ => b.write(&it).unwrap(),
        }
    }
    a.finish(&SetEnd::default()).unwrap();
    b.finish(&SetEnd::default()).unwrap();
    std::fs::write(&done, b"").unwrap();
    (old, new)
}

fn bench_diff(c: &mut Criterion) {
    let (old, new) = files();
    let rows = rows();
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.bench_function(format!("summary of {rows} vs {rows} JSONL rows"), |b| {
        b.iter(|| {
            let diff = Diff::of(&old, &new).unwrap();
            black_box(diff.summary())
        });
    });
    let diff = Diff::of(&old, &new).unwrap();
    let summary = diff.summary();
    assert_eq!(summary.lost as usize, rows.div_ceil(1000));
    let out = dir().join("out.jsonl");
    let name = format!("write the {} differences", summary.differences());
    group.bench_function(name, |b| {
        b.iter(|| {
            let mut w = SetWriter::create(&out, Format::Jsonl, None, None).unwrap();
            black_box(diff.write(&mut w).unwrap());
            w.finish(&SetEnd::default()).unwrap();
        });
    });
    group.finish();
    let _ = std::fs::remove_file(out);
}

criterion_group!(benches, bench_diff);
criterion_main!(benches);
