//! Counting the loaded rows, one row at a time, so a new page costs only its own rows: a
//! million rows in well under 200 ms (`benches/stats.rs`).

use std::collections::{BTreeMap, HashMap};

use crate::api::response::Backlink;

/// Buckets of the `domain_from_rank` histogram (0–99, 100–199, … 900–1000).
pub const RANK_BUCKETS: usize = 10;
/// Width of one rank bucket.
pub const RANK_STEP: i64 = 100;

type FastMap<V> = HashMap<Box<str>, V, foldhash::fast::FixedState>;

/// Occurrences of each text value, and of rows without one.
#[derive(Debug, Clone, Default)]
pub struct Counter {
    map: FastMap<u64>,
    /// Rows where the field is null.
    pub none: u64,
}

impl Counter {
    /// Counts `value` (null for `None`); allocates only for a value not seen before.
    pub fn add(&mut self, value: Option<&str>) {
        let Some(v) = value else {
            self.none += 1;
            return;
        };
        if let Some(n) = self.map.get_mut(v) {
            *n += 1;
        } else {
            self.map.insert(v.into(), 1);
        }
    }

    /// Distinct values seen.
    pub fn distinct(&self) -> usize {
        self.map.len()
    }

    /// The `n` most frequent values, most frequent first (ties by value, so the order is
    /// stable from one page to the next).
    pub fn top(&self, n: usize) -> Vec<(String, u64)> {
        let mut all: Vec<(&str, u64)> = self.map.iter().map(|(k, v)| (&**k, *v)).collect();
        let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        if all.len() > n && n > 0 {
            all.select_nth_unstable_by(n - 1, order);
            all.truncate(n);
        }
        all.sort_unstable_by(order);
        all.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

/// Everything the statistics view shows, summed over the rows added so far.
#[derive(Debug, Clone, Default)]
pub struct Aggregate {
    pub rows: u64,
    pub dofollow: u64,
    pub nofollow: u64,
    pub item_types: Counter,
    pub domains: Counter,
    pub anchors: Counter,
    /// `domain_from_rank` in buckets of [`RANK_STEP`]; the last one takes everything above.
    pub rank_buckets: [u64; RANK_BUCKETS],
    pub rank_none: u64,
    /// First-seen month (`year * 12 + month - 1`) → new links.
    pub months: BTreeMap<u32, u64>,
    pub countries: Counter,
    pub tlds: Counter,
    pub languages: Counter,
    /// A row counts once for each platform type it lists.
    pub platforms: Counter,
}

impl Aggregate {
    /// Adds rows.
    pub fn add_all(&mut self, items: &[Backlink]) {
        for item in items {
            self.add(item);
        }
    }

    /// Adds one row.
    pub fn add(&mut self, item: &Backlink) {
        self.rows += 1;
        match item.dofollow {
            Some(true) => self.dofollow += 1,
            Some(false) => self.nofollow += 1,
            None => {}
        }
        self.item_types.add(item.item_type.as_deref());
        self.domains.add(item.domain_from.as_deref());
        self.anchors.add(item.anchor.as_deref());
        match item.domain_from_rank {
            Some(r) => {
                let b = (r.max(0) / RANK_STEP).min(RANK_BUCKETS as i64 - 1) as usize;
                self.rank_buckets[b] += 1;
            }
            None => self.rank_none += 1,
        }
        if let Some(m) = item.first_seen.as_deref().and_then(month_key) {
            *self.months.entry(m).or_default() += 1;
        }
        self.countries.add(item.domain_from_country.as_deref());
        self.tlds.add(item.tld_from.as_deref());
        self.languages.add(item.page_from_language.as_deref());
        match &item.domain_from_platform_type {
            Some(types) => {
                for t in types {
                    self.platforms.add(Some(t));
                }
            }
            None => self.platforms.add(None),
        }
    }
}

/// `"2024-03-…"` → the month key of March 2024.
pub fn month_key(date: &str) -> Option<u32> {
    let b = date.as_bytes();
    if b.len() < 7 || b[4] != b'-' {
        return None;
    }
    let digits = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = digits(&b[..4])?;
    let month = digits(&b[5..7])?;
    (1..=12).contains(&month).then(|| year * 12 + month - 1)
}

/// The month key as `YYYY-MM`.
pub fn month_label(key: u32) -> String {
    format!("{:04}-{:02}", key / 12, key % 12 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_top_is_stable_and_counts_nulls() {
        let mut c = Counter::default();
        for v in ["b", "a", "c", "a", "b", "d"] {
            c.add(Some(v));
        }
        c.add(None);
        assert_eq!(c.none, 1);
        assert_eq!(c.distinct(), 4);
        assert_eq!(
            c.top(3),
            vec![("a".into(), 2), ("b".into(), 2), ("c".into(), 1)]
        );
        assert_eq!(c.top(10).len(), 4);
    }

    #[test]
    fn months_and_rank_buckets() {
        assert_eq!(month_key("2024-03-05 10:00:00 +00:00"), Some(2024 * 12 + 2));
        assert_eq!(month_label(2024 * 12 + 2), "2024-03");
        assert_eq!(month_key("2024-13-01"), None);
        assert_eq!(month_key("garbage"), None);
        let mut a = Aggregate::default();
        for r in [0, 99, 100, 999, 1000, 5000] {
            a.add(&Backlink {
                domain_from_rank: Some(r),
                ..Backlink::default()
            });
        }
        a.add(&Backlink::default());
        assert_eq!(a.rank_buckets[0], 2);
        assert_eq!(a.rank_buckets[1], 1);
        assert_eq!(a.rank_buckets[9], 3, "the top bucket takes 900 and above");
        assert_eq!(a.rank_none, 1);
        assert_eq!(a.rows, 7);
    }
}
