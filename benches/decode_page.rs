//! One full page (1000 items, the largest `limit`, about 1.5 MB): decoded into `Envelope` (the
//! typed items `export` and the explorer's fetches get), and read into a row store
//! (`RowStore::push_page`: checked, walked once, each item's columns read where it lies, its
//! text appended to the spill file). Target for the store: median under 2 ms.

use std::hint::black_box;

use backlinks::api::{Backlink, Envelope};
use backlinks::rows::RowStore;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

const FIXTURE: &str = include_str!("../tests/fixtures/backlinks_live_example_response.json");
const ITEMS: usize = 1000;

/// The documented response with its 5 items repeated to 1000, each copy varied so that
/// strings and numbers differ as on a real page, their fields in the API's order.
fn page() -> Vec<u8> {
    let mut envelope: Value = serde_json::from_str(FIXTURE).expect("fixture is JSON");
    let result = &mut envelope["tasks"][0]["result"][0];
    let seeds: Vec<Backlink> =
        serde_json::from_value(result["items"].clone()).expect("fixture has items");
    let items: Vec<Backlink> = (0..ITEMS)
        .map(|i| {
            let mut item = seeds[i % seeds.len()].clone();
            let vary = |v: &mut Option<String>, suffix: &str| {
                if let Some(s) = v {
                    s.push_str(suffix);
                }
            };
            vary(&mut item.url_from, &format!("?page={i}"));
            vary(&mut item.domain_from, &format!(".n{i}"));
            vary(&mut item.anchor, &format!(" #{i}"));
            vary(&mut item.page_from_title, &format!(" — part {i}"));
            item.rank = Some(((i * 37) % 1000) as i64);
            item.domain_from_rank = Some(((i * 53) % 1000) as i64);
            item.page_from_external_links = Some((i * 3) as i64);
            item.first_seen = Some(format!(
                "20{:02}-{:02}-{:02} 0{}:12:34 +00:00",
                10 + i % 15,
                1 + i % 12,
                1 + i % 28,
                i % 10
            ));
            item
        })
        .collect();
    result["items_count"] = Value::from(ITEMS);
    // The envelope's own map sorts its keys; the items keep the API's order (as `Backlink`
    // writes them), which the store's reader expects.
    result["items"] = Value::Array(Vec::new());
    let text = serde_json::to_string(&envelope).expect("re-encodes");
    let items = serde_json::to_string(&items).expect("items encode");
    text.replacen("\"items\":[]", &format!("\"items\":{items}"), 1)
        .into_bytes()
}

fn decode_page(c: &mut Criterion) {
    let body = page();
    let check: Envelope = serde_json::from_slice(&body).expect("page decodes");
    let items = check
        .first_result()
        .and_then(|r| r.items.as_ref())
        .map(Vec::len);
    assert_eq!(items, Some(ITEMS));

    let mut group = c.benchmark_group("decode_page");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("envelope_1000_items", |b| {
        b.iter(|| serde_json::from_slice::<Envelope>(black_box(&body)).expect("decodes"));
    });
    // A fresh store each time, so the spill file does not grow through the run.
    let dir = tempfile::tempdir().expect("a temporary folder");
    group.bench_function("into_row_store_1000_items", |b| {
        b.iter_batched(
            || RowStore::for_pages(dir.path()).expect("a spill file"),
            |mut store| {
                let n = store.push_page(black_box(&body)).expect("a page");
                assert_eq!(n, ITEMS);
                store
            },
            BatchSize::SmallInput,
        );
    });
    // What the explorer does with a page that has no body (from the page cache): each
    // typed item encoded again and read for its columns.
    let typed = check
        .first_result()
        .and_then(|r| r.items.clone())
        .expect("items");
    group.bench_function("typed_items_into_row_store_1000_items", |b| {
        b.iter_batched(
            || RowStore::for_pages(dir.path()).expect("a spill file"),
            |mut store| {
                store.push_items(black_box(&typed)).expect("items");
                store
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, decode_page);
criterion_main!(benches);
