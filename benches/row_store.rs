//! The row store on 1,000,000 realistic rows (all 47 fields, ~1.4 KB a JSONL row): indexing
//! JSONL, CSV and a plain JSON array until every row is usable, then sort by a number
//! column, a number filter, `anchor ilike "%news%"` and `/` search to the next match (a
//! 1000-item API page into a page store is in `decode_page`).
//!
//! The files are generated once under `target/bench-data/` and kept for the next run (about
//! 3.5 GB; delete the folder when done). `BENCH_ROWS=N` makes smaller ones.

mod big;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use backlinks::api::filter::Filter;
use backlinks::api::request::{OrderBy, SortDir};
use backlinks::api::response::Backlink;
use backlinks::app::results::sort_ids;
use backlinks::order::Ties;
use backlinks::rows::{RowId, RowStore};
use backlinks::store::{Format, SetEnd, SetWriter};
use big::{item, rows};
use criterion::{Criterion, criterion_group, criterion_main};
use regex::RegexBuilder;

/// The three files, made once.
fn files() -> [PathBuf; 3] {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("rows-{}", rows()));
    std::fs::create_dir_all(&dir).unwrap();
    let jsonl = dir.join("set.jsonl");
    let csv = dir.join("set.csv");
    let array = dir.join("array.json");
    if !(jsonl.exists() && csv.exists() && array.exists()) {
        let base = big::base();
        for (path, format) in [(&jsonl, Format::Jsonl), (&csv, Format::Csv)] {
            let mut w = SetWriter::create(path, format, None, None).unwrap();
            for i in 0..rows() {
                w.write(&item(&base, i)).unwrap();
            }
            w.finish(&SetEnd::default()).unwrap();
        }
        // A plain array on one line, as `jq -c` or `json.dump` write it.
        let mut out = std::io::BufWriter::new(std::fs::File::create(&array).unwrap());
        std::io::Write::write_all(&mut out, b"[").unwrap();
        for i in 0..rows() {
            if i > 0 {
                std::io::Write::write_all(&mut out, b",").unwrap();
            }
            serde_json::to_writer(&mut out, &item(&base, i)).unwrap();
        }
        std::io::Write::write_all(&mut out, b"]\n").unwrap();
    }
    [jsonl, csv, array]
}

fn bench(c: &mut Criterion) {
    let [jsonl, csv, array] = files();
    let mut g = c.benchmark_group(format!("row_store_{}", rows()));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    for (name, path) in [
        ("index_jsonl", &jsonl),
        ("index_csv", &csv),
        ("index_json_array", &array),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let store = RowStore::open(path).unwrap();
                assert_eq!(store.len(), rows());
                store
            });
        });
    }

    let store = RowStore::open(&jsonl).unwrap();
    eprintln!(
        "store heap: {} bytes a row",
        store.heap_bytes() / store.len().max(1)
    );
    g.bench_function("sort_by_rank_desc", |b| {
        b.iter(|| store.sorted(black_box("rank"), true).unwrap());
    });
    // The explorer's sort of a file (`s` on rank): ties keep the file's order, so the keys
    // come from the columns alone.
    let all: Vec<RowId> = (0..store.len() as u32).map(RowId).collect();
    let rank_desc = [OrderBy::new("rank", SortDir::Desc)];
    g.bench_function("explorer_sort_of_a_file_by_rank", |b| {
        b.iter(|| sort_ids(&store, all.clone(), black_box(&rank_desc), Ties::Kept).unwrap());
    });
    let number = Filter::parse("domain_from_rank >= 500").unwrap();
    g.bench_function("filter_domain_from_rank_ge_500", |b| {
        b.iter(|| store.filter(black_box(&number)).unwrap());
    });
    let ilike = Filter::parse(r#"anchor ilike "%news%""#).unwrap();
    g.bench_function("filter_anchor_ilike_news", |b| {
        b.iter(|| store.filter(black_box(&ilike)).unwrap());
    });

    // `/` search: from the row after a match to the next one, in rank order, on the
    // searchable text (here the anchor and title, case-insensitive).
    let order = store.sorted("rank", true).unwrap();
    let matcher = RegexBuilder::new("news")
        .case_insensitive(true)
        .build()
        .unwrap();
    let hit = |it: &Backlink| {
        [&it.anchor, &it.page_from_title]
            .iter()
            .any(|t| t.as_deref().is_some_and(|s| matcher.is_match(s)))
    };
    let fields = |name: &str| name == "anchor" || name == "page_from_title";
    let stop = AtomicBool::new(false);
    let starts: Vec<usize> = (0..20).map(|k| k * order.len() / 20).collect();
    let mut k = 0;
    g.bench_function("search_next_match", |b| {
        b.iter(|| {
            k = (k + 1) % starts.len();
            store
                .find(&order, starts[k], true, Some(&fields), &hit, &stop)
                .unwrap()
        });
    });
    let ids: Vec<RowId> = order.iter().take(45).copied().collect();
    g.bench_function("rows_on_screen_45", |b| {
        b.iter(|| store.rows(black_box(&ids)).unwrap());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
