//! What fetching the rest of a result will cost, before anything is spent.

use crate::text::group;

/// USD per successful request (DESIGN §6.10).
pub const PRICE_PER_REQUEST: f64 = 0.02;
/// USD per returned row.
pub const PRICE_PER_ROW: f64 = 0.000_03;

/// The price of fetching rows the caller does not have yet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Rows still to fetch.
    pub rows: u64,
    /// Requests needed for them.
    pub requests: u64,
    /// Of those, pages already in the page cache (free).
    pub cached: u64,
    /// USD for the requests that are not cached.
    pub price: f64,
}

impl Estimate {
    /// Fetching `rows` rows in pages of `page_size`, `cached` of the pages being free.
    pub fn new(rows: u64, page_size: u32, cached: u64) -> Estimate {
        let requests = rows.div_ceil(u64::from(page_size.max(1)));
        let cached = cached.min(requests);
        let paid_share = if requests == 0 {
            0.0
        } else {
            (requests - cached) as f64 / requests as f64
        };
        let price = (requests - cached) as f64 * PRICE_PER_REQUEST
            + rows as f64 * PRICE_PER_ROW * paid_share;
        Estimate {
            rows,
            requests,
            cached,
            price,
        }
    }

    /// One line for a confirmation: rows, requests and price.
    pub fn describe(&self) -> String {
        let cached = if self.cached > 0 {
            format!(" ({} cached, free)", self.cached)
        } else {
            String::new()
        };
        format!(
            "{} rows to fetch in {} request{}{cached}, about ${:.2}",
            group(self.rows),
            self.requests,
            if self.requests == 1 { "" } else { "s" },
            self.price
        )
    }
}

/// The price of one page of `rows` rows.
pub fn page_price(rows: u64) -> f64 {
    PRICE_PER_REQUEST + rows as f64 * PRICE_PER_ROW
}

/// `8 s`, `3m05s`, `1h02m`.
pub fn eta(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, s / 60 % 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_of_thirty_thousand_rows() {
        let e = Estimate::new(30_000, 1000, 0);
        assert_eq!(e.requests, 30);
        assert!((e.price - (30.0 * 0.02 + 30_000.0 * 0.000_03)).abs() < 1e-9);
        assert_eq!(
            e.describe(),
            "30,000 rows to fetch in 30 requests, about $1.50"
        );
    }

    #[test]
    fn cached_pages_are_free() {
        let e = Estimate::new(30_000, 1000, 29);
        assert!((e.price - (0.02 + 1000.0 * 0.000_03)).abs() < 1e-9);
        assert!(e.describe().contains("(29 cached, free)"));
        assert!(Estimate::new(0, 1000, 0).price.abs() < f64::EPSILON);
        assert_eq!(Estimate::new(1001, 500, 0).requests, 3);
    }
}
