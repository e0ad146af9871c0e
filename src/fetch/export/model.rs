//! How long a big export takes, on paper, from the account's limits (the client's limiter:
//! 30 requests in flight, 2,000 a rolling minute) and the API's latency. The README's table and
//! the bench's 1M-row line come from here.

use std::time::Duration;

use crate::api::client::{MAX_IN_FLIGHT, MAX_PER_MINUTE};
use crate::api::request::MAX_OFFSET;

use super::PARALLEL_PAGES;
use super::parallel::PAGES_IN_FLIGHT;
use super::partition::CHAIN_ROWS;

/// Rounds of requests that wait for an answer before the slices are all known: the first
/// page, the slices' first pages, one more cut of a slice the sample misjudged.
pub const PLANNING_ROUNDS: u32 = 3;

/// Both ways of fetching one result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    /// Offset pages to 20,000 (several at a time), then one token page after another.
    pub sequential: Duration,
    /// Slices side by side, as many requests in flight as the account allows.
    pub partitioned: Duration,
    /// Requests of the partitioned export (a partial last page per slice).
    pub requests: u64,
    pub slices: u64,
}

/// `rows` rows in pages of `page_size`, each request taking `latency`.
pub fn paper(rows: u64, page_size: u32, latency: Duration) -> Paper {
    let size = u64::from(page_size.max(1));
    let pages = rows.div_ceil(size);
    let offset_pages = (u64::from(MAX_OFFSET) / size + 1).min(pages);
    let sequential = latency * (offset_pages.div_ceil(PARALLEL_PAGES as u64) as u32)
        + latency * ((pages - offset_pages) as u32);
    // Merged slices of about three quarters of what offsets reach (the most slices of any
    // layout; concatenated chains have fewer).
    let slice_rows = (u64::from(MAX_OFFSET) + size) * 3 / 4;
    let slices = rows.div_ceil(slice_rows).max(rows.div_ceil(CHAIN_ROWS));
    let requests = pages + slices;
    let in_flight = MAX_IN_FLIGHT.min(PAGES_IN_FLIGHT) as f64;
    let by_flight = latency.as_secs_f64() * requests as f64 / in_flight;
    // A rolling minute admits 2,000 at once: only requests past that wait for it to roll.
    let by_minute = 60.0 * (requests.saturating_sub(1) / MAX_PER_MINUTE as u64) as f64;
    let partitioned = latency * PLANNING_ROUNDS + Duration::from_secs_f64(by_flight.max(by_minute));
    Paper {
        sequential,
        partitioned,
        requests,
        slices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_million_rows_at_two_seconds_take_under_two_minutes_sliced() {
        let p = paper(1_000_000, 1000, Duration::from_secs(2));
        // Today: about 33 minutes of token pages.
        assert!(p.sequential > Duration::from_mins(30), "{:?}", p.sequential);
        assert!(
            p.partitioned <= Duration::from_mins(2),
            "{:?}",
            p.partitioned
        );
        assert_eq!(p.slices, 64);
        // The cost stays within 5 %: a partial page per slice.
        let extra = p.slices as f64 * 0.02 / (1000.0 * 0.05);
        assert!(extra <= 0.05, "{extra}");
    }

    #[test]
    fn two_hundred_thousand_rows_at_300_ms() {
        let p = paper(200_000, 1000, Duration::from_millis(300));
        assert!(p.sequential > Duration::from_secs(50), "{:?}", p.sequential);
        assert!(
            p.partitioned < Duration::from_secs(4),
            "{:?}",
            p.partitioned
        );
    }
}
