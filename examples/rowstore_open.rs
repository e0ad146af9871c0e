//! Opens a file into the row store as `backlinks open` will, then sorts it by rank and runs a
//! number filter and a text filter, printing each step's time: the by-hand check of the row
//! store's targets, run under `/usr/bin/time -v` for peak memory.
//!
//! `cargo run --release --example rowstore_open -- FILE`

use std::time::Instant;

use backlinks::api::filter::Filter;
use backlinks::rows::RowStore;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU seconds this process has used (user + system), to tell work from waiting on a busy
/// machine.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// "wall s (cpu s)" since `t`, `c`.
fn took(t: Instant, c: f64) -> String {
    format!(
        "{:.3} s (cpu {:.2} s)",
        t.elapsed().as_secs_f64(),
        cpu() - c
    )
}

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: rowstore_open FILE");
        std::process::exit(2);
    };
    let (t, c) = (Instant::now(), cpu());
    let store = match RowStore::open(path.as_ref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!(
        "indexed {} rows ({} bad) in {}; {} heap bytes a row",
        store.len(),
        store.bad_records().len(),
        took(t, c),
        store.heap_bytes() / store.len().max(1)
    );
    let (t, c) = (Instant::now(), cpu());
    let sorted = store.sorted("rank", true).expect("sorts");
    println!("sorted by rank in {}", took(t, c));
    for text in ["domain_from_rank >= 500", r#"anchor ilike "%news%""#] {
        let filter = Filter::parse(text).expect("a filter");
        let (t, c) = (Instant::now(), cpu());
        let hits = store.filter(&filter).expect("filters");
        println!("{text}: {} rows in {}", hits.len(), took(t, c));
    }
    let first = store.rows(&sorted[..sorted.len().min(3)]).expect("reads");
    for item in first {
        println!(
            "{:?} {:?}",
            item.rank,
            item.url_from.as_deref().map(backlinks::text::sanitize)
        );
    }
}
