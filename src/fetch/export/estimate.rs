//! What fetching the rest of a result will cost, before anything is spent.

use crate::api::request::LiveRequest;
use crate::text::group;

use super::partition::{self, Choice, Shape};

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
    /// Slices the result is expected to be cut into (0: not sliced).
    pub slices: u64,
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
            slices: 0,
        }
    }

    /// Fetching `rows` rows cut into `slices` slices: each slice ends with a partial page, so
    /// each adds about one request to the pages the rows fill.
    pub fn sliced(rows: u64, page_size: u32, slices: u64) -> Estimate {
        let mut e = Estimate::new(rows, page_size, 0);
        e.requests += slices;
        e.price += slices as f64 * PRICE_PER_REQUEST;
        e.slices = slices;
        e
    }

    /// The same with `cached` of its requests served free by the page cache.
    #[must_use]
    pub fn with_cached(self, cached: u64) -> Estimate {
        let cached = cached.min(self.requests);
        let paid_share = if self.requests == 0 {
            0.0
        } else {
            (self.requests - cached) as f64 / self.requests as f64
        };
        Estimate {
            cached,
            price: (self.requests - cached) as f64 * PRICE_PER_REQUEST
                + self.rows as f64 * PRICE_PER_ROW * paid_share,
            ..self
        }
    }

    /// The price of the rest of `query` as the engine will fetch it (sliced or not), before
    /// anything is spent and with no page counted as cached.
    pub fn of_rest(query: &LiveRequest, shape: &Shape) -> Estimate {
        Estimate::of_choice(&partition::choose(query, shape), shape)
    }

    /// [`of_rest`](Self::of_rest) for a choice already made.
    pub fn of_choice(choice: &Choice, shape: &Shape) -> Estimate {
        let rest = shape.target_rows.saturating_sub(shape.start_row);
        match choice {
            Choice::Partition(plan) => Estimate::sliced(
                rest,
                shape.page_size,
                plan.expected_slices(shape.target_rows),
            ),
            Choice::Sequential(_) | Choice::NotNeeded => Estimate::new(rest, shape.page_size, 0),
        }
    }

    /// One line for a confirmation: rows, requests and price.
    pub fn describe(&self) -> String {
        let cached = if self.cached > 0 {
            format!(" ({} cached, free)", self.cached)
        } else {
            String::new()
        };
        let slices = if self.slices > 0 {
            format!(" (about {} slices side by side)", self.slices)
        } else {
            String::new()
        };
        format!(
            "{} rows to fetch in {} request{}{cached}{slices}, about ${:.2}",
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

    #[test]
    fn a_sliced_export_pays_a_partial_page_per_slice() {
        let q = LiveRequest::new("x.com");
        let e = Estimate::of_rest(&q, &Shape::new(200_000, 200_000, 1000, 1000));
        // Merged page rank slices of about 15,750 rows: a partial page each.
        assert_eq!((e.requests, e.slices), (199 + 13, 13));
        assert!((e.price - (212.0 * 0.02 + 199_000.0 * 0.000_03)).abs() < 1e-9);
        assert!(
            e.describe().contains("about 13 slices side by side"),
            "{}",
            e.describe()
        );
        // Within 5 % of a sequential export's price at 200,000 rows.
        let seq = Estimate::new(199_000, 1000, 0);
        assert!(e.price <= seq.price * 1.05, "{} vs {}", e.price, seq.price);
        // Within 5 % of a sequential export's price at 1M rows.
        let mut by_page = q.clone();
        by_page.order_by = Some(vec!["page_from_rank,desc".parse().unwrap()]);
        let big = Estimate::of_rest(&by_page, &Shape::new(1_000_000, 1_000_000, 1000, 1000));
        assert_eq!(big.slices, 5, "chains of concatenated slices");
        let seq = Estimate::new(999_000, 1000, 0);
        assert!(
            big.price <= seq.price * 1.05,
            "{} vs {}",
            big.price,
            seq.price
        );
        let mut text = q.clone();
        text.order_by = Some(vec!["domain_from,asc".parse().unwrap()]);
        let e = Estimate::of_rest(&text, &Shape::new(200_000, 200_000, 1000, 1000));
        assert_eq!(e.slices, 13);
        let small = Estimate::of_rest(&q, &Shape::new(20_000, 20_000, 1000, 1000));
        assert_eq!(small.slices, 0);
    }
}
