//! A small LRU of ordered results, so a walk over many pages of one query sorts only once.
//!
//! Keyed by the profile (pointer identity of its `Arc`, kept alive by the entry so the address
//! cannot be reused) and the request's parameter hash (paging and `tag` excluded).

use std::sync::{Arc, Mutex, PoisonError};

use super::pipeline::Ordered;
use crate::api::response::Backlink;

/// A shared, immutable link profile.
pub type Profile = Arc<[Backlink]>;

#[derive(Debug)]
struct Entry {
    profile: Profile,
    params: String,
    ordered: Arc<Ordered>,
}

/// Most recently used first.
#[derive(Debug)]
pub struct OrderedCache {
    capacity: usize,
    entries: Mutex<Vec<Entry>>,
}

impl OrderedCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(Vec::with_capacity(capacity)),
        }
    }

    /// The cached result, or `compute()` stored for next time. The lock is not held while
    /// computing: two racing requests may both compute, which only costs time.
    pub fn get_or_compute(
        &self,
        profile: &Profile,
        params: &str,
        compute: impl FnOnce() -> Ordered,
    ) -> Arc<Ordered> {
        if self.capacity == 0 {
            return Arc::new(compute());
        }
        {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(i) = entries
                .iter()
                .position(|e| Arc::ptr_eq(&e.profile, profile) && e.params == params)
            {
                let entry = entries.remove(i);
                let ordered = Arc::clone(&entry.ordered);
                entries.insert(0, entry);
                return ordered;
            }
        }
        let ordered = Arc::new(compute());
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.insert(
            0,
            Entry {
                profile: Arc::clone(profile),
                params: params.to_owned(),
                ordered: Arc::clone(&ordered),
            },
        );
        entries.truncate(self.capacity);
        ordered
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn hits_skip_the_computation_and_old_entries_are_evicted() {
        let cache = OrderedCache::new(2);
        let p: Profile = Arc::from(vec![Backlink::default()]);
        let calls = Cell::new(0);
        let compute = || {
            calls.set(calls.get() + 1);
            Ordered { rows: Vec::new() }
        };
        cache.get_or_compute(&p, "a", compute);
        cache.get_or_compute(&p, "a", compute);
        assert_eq!(calls.get(), 1, "second call is a hit");
        cache.get_or_compute(&p, "b", compute);
        cache.get_or_compute(&p, "c", compute);
        cache.get_or_compute(&p, "a", compute);
        assert_eq!(calls.get(), 4, "'a' was evicted by 'b' and 'c'");
        let other: Profile = Arc::from(vec![Backlink::default()]);
        cache.get_or_compute(&other, "a", compute);
        assert_eq!(calls.get(), 5, "another profile is another key");
    }
}
