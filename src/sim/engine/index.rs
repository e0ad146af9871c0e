//! Per-profile precomputation, built once per shared profile and reused by every request:
//! page ids (for deduplication without hashing URLs), host ids (so scope tests run once per
//! distinct host instead of once per link) and, lazily, rank columns for string sort keys (so
//! sorting compares integers instead of chasing string pointers).
//!
//! A query touches tens of thousands of items spread over a large heap; with these compact
//! columns most of its memory traffic stays in a few small arrays.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use foldhash::{HashMap, HashMapExt};

use super::cache::Profile;
use crate::api::fields::FieldRef;
use crate::api::response::Backlink;

/// Marks a null value in the id and rank columns.
pub const NONE: u32 = u32::MAX;

#[derive(Debug)]
pub struct ProfileIndex {
    /// Page id of each item, by `url_from` (null URLs form one page, as in `group::dedupe`).
    pub page_of: Vec<u32>,
    /// Number of distinct pages.
    pub pages: usize,
    /// Host id of each item's `domain_to` / `domain_from`, `NONE` for null.
    pub to_host: Vec<u32>,
    pub from_host: Vec<u32>,
    /// Distinct hosts, by id.
    pub hosts: Vec<String>,
    ranks: Mutex<HashMap<String, Arc<[u32]>>>,
}

impl ProfileIndex {
    pub fn build(profile: &[Backlink]) -> Self {
        let mut page_ids: HashMap<Option<&str>, u32> = HashMap::with_capacity(profile.len());
        let mut host_ids: HashMap<&str, u32> = HashMap::with_capacity(1024);
        let mut hosts: Vec<String> = Vec::new();
        let (mut page_of, mut to_host, mut from_host) = (
            Vec::with_capacity(profile.len()),
            Vec::with_capacity(profile.len()),
            Vec::with_capacity(profile.len()),
        );
        for b in profile {
            let next = page_ids.len() as u32;
            page_of.push(*page_ids.entry(b.url_from.as_deref()).or_insert(next));
            to_host.push(intern(&mut host_ids, &mut hosts, b.domain_to.as_deref()));
            from_host.push(intern(&mut host_ids, &mut hosts, b.domain_from.as_deref()));
        }
        Self {
            pages: page_ids.len(),
            page_of,
            to_host,
            from_host,
            hosts,
            ranks: Mutex::new(HashMap::default()),
        }
    }

    /// For a string field: each item's dense rank among the field's distinct values in byte
    /// order (`NONE` for null). Equal strings share a rank, so rank order is string order.
    pub fn rank_column(&self, profile: &[Backlink], field: &str) -> Arc<[u32]> {
        let lock = || self.ranks.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(col) = lock().get(field) {
            return Arc::clone(col);
        }
        let col: Arc<[u32]> = Arc::from(rank_strings(profile, field));
        lock().insert(field.to_owned(), Arc::clone(&col));
        col
    }
}

/// The id of host `h`, new ids in order of first appearance.
fn intern<'a>(ids: &mut HashMap<&'a str, u32>, hosts: &mut Vec<String>, h: Option<&'a str>) -> u32 {
    let Some(h) = h else { return NONE };
    let next = hosts.len() as u32;
    let id = *ids.entry(h).or_insert(next);
    if id == next {
        hosts.push(h.to_owned());
    }
    id
}

fn rank_strings(profile: &[Backlink], field: &str) -> Vec<u32> {
    let mut vals: Vec<(&str, u32)> = profile
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b.field(field) {
            FieldRef::Str(s) => Some((s, i as u32)),
            _ => None,
        })
        .collect();
    vals.sort_unstable();
    let mut ranks = vec![NONE; profile.len()];
    let mut rank = 0u32;
    for (n, (s, i)) in vals.iter().enumerate() {
        if n > 0 && vals[n - 1].0 != *s {
            rank += 1;
        }
        ranks[*i as usize] = rank;
    }
    ranks
}

/// A profile known by identity only, and its index.
type Entry = (Weak<[Backlink]>, Arc<ProfileIndex>);

/// Indexes of recently queried profiles. Entries hold a `Weak`, so a profile the server let go
/// is not kept alive here; while the `Weak` exists its address cannot be reused either.
#[derive(Debug)]
pub struct IndexCache {
    capacity: usize,
    entries: Mutex<Vec<Entry>>,
}

impl IndexCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The index of `profile`, built on first use.
    pub fn get(&self, profile: &Profile) -> Arc<ProfileIndex> {
        let lock = || self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        {
            let mut entries = lock();
            entries.retain(|(w, _)| w.strong_count() > 0);
            let me = Arc::downgrade(profile);
            if let Some((_, idx)) = entries.iter().find(|(w, _)| w.ptr_eq(&me)) {
                return Arc::clone(idx);
            }
        }
        let idx = Arc::new(ProfileIndex::build(profile));
        let mut entries = lock();
        entries.insert(0, (Arc::downgrade(profile), Arc::clone(&idx)));
        entries.truncate(self.capacity);
        idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str, from: &str, to: &str) -> Backlink {
        Backlink {
            url_from: Some(url.into()),
            domain_from: Some(from.into()),
            domain_to: Some(to.into()),
            ..Backlink::default()
        }
    }

    #[test]
    fn ids_are_dense_and_shared_by_equal_values() {
        let p = vec![
            item("u1", "a.org", "x.com"),
            item("u2", "x.com", "x.com"),
            item("u1", "a.org", "www.x.com"),
        ];
        let idx = ProfileIndex::build(&p);
        assert_eq!((idx.page_of.clone(), idx.pages), (vec![0, 1, 0], 2));
        assert_eq!(idx.hosts, vec!["x.com", "a.org", "www.x.com"]);
        assert_eq!(
            (idx.to_host.clone(), idx.from_host.clone()),
            (vec![0, 0, 2], vec![1, 0, 1])
        );
    }

    #[test]
    fn rank_columns_follow_byte_order_with_nulls_apart() {
        let mut p = vec![
            item("b", "", ""),
            item("a", "", ""),
            item("B", "", ""),
            item("a", "", ""),
        ];
        p.push(Backlink::default());
        let idx = ProfileIndex::build(&p);
        assert_eq!(&*idx.rank_column(&p, "url_from"), &[2, 1, 0, 1, NONE]);
    }

    #[test]
    fn the_cache_builds_once_per_live_profile() {
        let cache = IndexCache::new(4);
        let p: Profile = Arc::from(vec![item("u", "a.org", "x.com")]);
        let a = cache.get(&p);
        assert!(Arc::ptr_eq(&a, &cache.get(&p)));
        let q: Profile = Arc::from(vec![item("u", "a.org", "x.com")]);
        assert!(!Arc::ptr_eq(&a, &cache.get(&q)));
        drop(p);
        cache.get(&q);
        assert_eq!(
            cache.entries.lock().unwrap().len(),
            1,
            "the dropped profile's entry is gone"
        );
    }
}
