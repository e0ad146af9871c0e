//! Counting the loaded rows, one row at a time, so a new page costs only its own rows: a
//! million rows in well under 200 ms (`benches/stats.rs`).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher as _, BuildHasherDefault, Hasher};

use std::borrow::Borrow;

use crate::api::response::Backlink;

/// Buckets of the `domain_from_rank` histogram (0–99, 100–199, … 900–1000).
pub const RANK_BUCKETS: usize = 10;
/// Width of one rank bucket.
pub const RANK_STEP: i64 = 100;

/// A map keyed by a 64-bit hash that is already well mixed: the key is its own hash.
type ByHash<V> = HashMap<u64, V, BuildHasherDefault<Identity>>;

/// Passes a `u64` key through unchanged.
#[derive(Debug, Clone, Copy, Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A value's count, and the value itself (kept once, when first seen).
#[derive(Debug, Clone)]
struct Slot {
    count: u64,
    value: Box<str>,
}

/// Occurrences of each text value, and of rows without one.
///
/// Values are looked up by a 64-bit hash of their text, so counting a row reads its string
/// once and never the stored copy: on a million rows that are no longer in the CPU cache this
/// halves the time. Two different values would have to share all 64 bits to be counted
/// together (about one chance in 10^7 with a million distinct values).
#[derive(Debug, Clone, Default)]
pub struct Counter {
    map: ByHash<Slot>,
    /// Rows where the field is null.
    pub none: u64,
}

impl Counter {
    /// Counts `value` (null for `None`); allocates only for a value not seen before.
    pub fn add(&mut self, value: Option<&str>) {
        self.add_hashed(hash(value), || value);
    }

    /// Counts the value whose hash is `key` (`None`: null); `value` gives its text, read
    /// only the first time it is seen.
    fn add_hashed<'a>(&mut self, key: Option<u64>, value: impl FnOnce() -> Option<&'a str>) {
        let Some(key) = key else {
            self.none += 1;
            return;
        };
        match self.map.entry(key) {
            Entry::Occupied(mut e) => e.get_mut().count += 1,
            Entry::Vacant(e) => {
                e.insert(Slot {
                    count: 1,
                    value: value().unwrap_or_default().into(),
                });
            }
        }
    }

    /// Distinct values seen.
    pub fn distinct(&self) -> usize {
        self.map.len()
    }

    /// The `n` most frequent values, most frequent first (ties by value, so the order is
    /// stable from one page to the next).
    pub fn top(&self, n: usize) -> Vec<(String, u64)> {
        let mut all: Vec<(&str, u64)> = self.map.values().map(|s| (&*s.value, s.count)).collect();
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

/// Rows counted in one go by `add_all`.
const CHUNK: usize = 32;
/// Platform types a row can list and still be counted in the batch (more take the slow path).
const PLATFORMS: usize = 4;

/// The hashed values of one row, read before any counter is touched.
#[derive(Debug, Clone, Copy, Default)]
struct RowKeys {
    item_type: Option<u64>,
    domain: Option<u64>,
    anchor: Option<u64>,
    country: Option<u64>,
    tld: Option<u64>,
    language: Option<u64>,
    month: Option<u32>,
    platforms: [u64; PLATFORMS],
    /// Platform types in `platforms`; `None`: the row lists none (null), `Some(n)` with
    /// `n > PLATFORMS`: counted one by one instead.
    platform_count: Option<usize>,
}

fn hash(value: Option<&str>) -> Option<u64> {
    value.map(|v| foldhash::fast::FixedState::with_seed(0x5eed).hash_one(v))
}

impl RowKeys {
    fn of(item: &Backlink) -> RowKeys {
        let mut keys = RowKeys {
            item_type: hash(item.item_type.as_deref()),
            domain: hash(item.domain_from.as_deref()),
            anchor: hash(item.anchor.as_deref()),
            country: hash(item.domain_from_country.as_deref()),
            tld: hash(item.tld_from.as_deref()),
            language: hash(item.page_from_language.as_deref()),
            month: item.first_seen.as_deref().and_then(month_key),
            ..RowKeys::default()
        };
        if let Some(types) = &item.domain_from_platform_type {
            keys.platform_count = Some(types.len());
            for (slot, t) in keys.platforms.iter_mut().zip(types) {
                *slot = hash(Some(t)).unwrap_or_default();
            }
        }
        keys
    }
}

impl Aggregate {
    /// The fields the counts read (a store reads back only these).
    pub const FIELDS: [&str; 10] = [
        "dofollow",
        "item_type",
        "domain_from",
        "anchor",
        "domain_from_rank",
        "first_seen",
        "domain_from_country",
        "tld_from",
        "page_from_language",
        "domain_from_platform_type",
    ];

    /// Adds rows. Each chunk's strings are read and hashed first, all together, and only then
    /// counted: the reads do not wait on one another, which matters when the rows have left
    /// the CPU cache (a million loaded rows).
    pub fn add_all<B: Borrow<Backlink>>(&mut self, items: &[B]) {
        let mut keys = [RowKeys::default(); CHUNK];
        for chunk in items.chunks(CHUNK) {
            for (k, item) in keys.iter_mut().zip(chunk) {
                *k = RowKeys::of(item.borrow());
            }
            for (k, item) in keys.iter().zip(chunk) {
                self.count(k, item.borrow());
            }
        }
    }

    /// Adds one row.
    pub fn add(&mut self, item: &Backlink) {
        self.count(&RowKeys::of(item), item);
    }

    fn count(&mut self, k: &RowKeys, item: &Backlink) {
        self.rows += 1;
        match item.dofollow {
            Some(true) => self.dofollow += 1,
            Some(false) => self.nofollow += 1,
            None => {}
        }
        self.item_types
            .add_hashed(k.item_type, || item.item_type.as_deref());
        self.domains
            .add_hashed(k.domain, || item.domain_from.as_deref());
        self.anchors.add_hashed(k.anchor, || item.anchor.as_deref());
        match item.domain_from_rank {
            Some(r) => {
                let b = (r.max(0) / RANK_STEP).min(RANK_BUCKETS as i64 - 1) as usize;
                self.rank_buckets[b] += 1;
            }
            None => self.rank_none += 1,
        }
        if let Some(m) = k.month {
            *self.months.entry(m).or_default() += 1;
        }
        self.countries
            .add_hashed(k.country, || item.domain_from_country.as_deref());
        self.tlds.add_hashed(k.tld, || item.tld_from.as_deref());
        self.languages
            .add_hashed(k.language, || item.page_from_language.as_deref());
        match (k.platform_count, &item.domain_from_platform_type) {
            (Some(n), Some(types)) if n <= PLATFORMS => {
                for (key, t) in k.platforms.iter().zip(types) {
                    self.platforms.add_hashed(Some(*key), || Some(t));
                }
            }
            (_, Some(types)) => {
                for t in types {
                    self.platforms.add(Some(t));
                }
            }
            (_, None) => self.platforms.add(None),
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
