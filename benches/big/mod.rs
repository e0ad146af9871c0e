//! What the benches on a million realistic rows share (`mod big;`): the binary's allocator,
//! the row count and the rows themselves.

use backlinks::api::response::Backlink;
use backlinks::sim::dataset::{DatasetConfig, generate};

/// The binary's allocator, so the bench measures what the app does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many rows the bench's files hold: `BENCH_ROWS`, or 1,000,000.
pub fn rows() -> usize {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// The simulator's 50,000 forbes.com items (seed 1) that [`item`] repeats.
pub fn base() -> Vec<Backlink> {
    generate(
        "forbes.com",
        &DatasetConfig {
            seed: 1,
            rows: Some(50_000),
        },
    )
}

/// Row `i` of a big set: the simulator's items, repeated with distinct URLs.
pub fn item(base: &[Backlink], i: usize) -> Backlink {
    let mut item = base[i % base.len()].clone();
    item.url_from = Some(format!(
        "{}?copy={}",
        item.url_from.unwrap_or_default(),
        i / base.len()
    ));
    item
}
