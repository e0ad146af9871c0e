//! Link profiles, generated once and shared between requests.
//!
//! The generator makes one profile per registrable domain, plus extra links when the target is
//! a page or subdomain the profile does not cover; such targets get a profile of their own.
//! Generation is CPU work of up to a few hundred milliseconds, so it runs on the blocking pool;
//! concurrent first requests for one profile wait for the same generation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

use crate::api::response::Backlink;
use crate::sim::dataset::{self, DatasetConfig};
use crate::sim::engine::{Profile, profile};

/// Profiles kept at once: the largest (60,000 links) takes about 100 MB, and the demo rarely
/// needs more than a few targets at a time.
const MAX_PROFILES: usize = 4;

type KeyFn = dyn Fn(&str) -> String + Send + Sync;
type MakeFn = dyn Fn(&str) -> Vec<Backlink> + Send + Sync;

/// Where profiles come from: a cache key for a target, and the profile for a target.
#[derive(Clone)]
pub struct ProfileSource {
    key: Arc<KeyFn>,
    make: Arc<MakeFn>,
}

impl std::fmt::Debug for ProfileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileSource").finish_non_exhaustive()
    }
}

impl ProfileSource {
    /// Targets with equal keys share one profile, made by `make` from the first of them.
    pub fn new(
        key: impl Fn(&str) -> String + Send + Sync + 'static,
        make: impl Fn(&str) -> Vec<Backlink> + Send + Sync + 'static,
    ) -> Self {
        Self {
            key: Arc::new(key),
            make: Arc::new(make),
        }
    }

    /// The deterministic generator: one profile per registrable domain, and one per target
    /// that brings extra links (an uncovered page or subdomain).
    pub fn dataset(cfg: DatasetConfig) -> Self {
        let key_cfg = cfg.clone();
        Self::new(
            move |target| {
                let t = dataset::Target::parse(target);
                let extra = dataset::profile_size(target, &key_cfg)
                    != dataset::profile_size(&t.domain, &key_cfg);
                match (extra, t.page_url) {
                    (false, _) => t.domain,
                    (true, Some(url)) => format!("{} {}", t.domain, dataset::page_key(&url)),
                    (true, None) => format!("{} {}", t.domain, t.host),
                }
            },
            move |target| dataset::generate(target, &cfg),
        )
    }

    /// The same items for every target (tests).
    pub fn fixed(items: Vec<Backlink>) -> Self {
        let items = Arc::new(items);
        Self::new(|_| String::new(), move |_| items.as_ref().clone())
    }
}

/// Generation failed (the generator panicked).
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not generate the link profile of {target}: {reason}")]
pub struct ProfileError {
    pub target: String,
    pub reason: String,
}

pub struct Profiles {
    source: ProfileSource,
    /// Each profile's cell and the tick of its last use (least recently used goes first).
    cells: Mutex<Cells>,
}

#[derive(Default)]
struct Cells {
    tick: u64,
    map: HashMap<String, (Arc<OnceCell<Profile>>, u64)>,
}

impl std::fmt::Debug for Profiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profiles").finish_non_exhaustive()
    }
}

impl Profiles {
    pub fn new(source: ProfileSource) -> Self {
        Self {
            source,
            cells: Mutex::new(Cells::default()),
        }
    }

    /// The profile holding the links of `target` (as sent, already validated).
    pub async fn get(&self, target: &str) -> Result<Profile, ProfileError> {
        let key = (self.source.key)(target);
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            cells.tick += 1;
            let tick = cells.tick;
            if !cells.map.contains_key(&key) && cells.map.len() >= MAX_PROFILES {
                // Forget the least recently used profile; requests using it keep their Arc.
                let oldest = cells.map.iter().min_by_key(|(_, (_, t))| *t);
                if let Some(k) = oldest.map(|(k, _)| k.clone()) {
                    cells.map.remove(&k);
                }
            }
            let entry = cells.map.entry(key).or_default();
            entry.1 = tick;
            Arc::clone(&entry.0)
        };
        let make = Arc::clone(&self.source.make);
        let target = target.to_owned();
        cell.get_or_try_init(|| async move {
            let t = target.clone();
            tokio::task::spawn_blocking(move || profile(make(&t)))
                .await
                .map_err(|e| ProfileError {
                    target,
                    reason: e.to_string(),
                })
        })
        .await
        .cloned()
    }

    /// Keys of the profiles held, most recently used first (for tests).
    #[cfg(test)]
    fn held(&self) -> Vec<String> {
        let cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
        let mut v: Vec<(&String, u64)> = cells.map.iter().map(|(k, (_, t))| (k, *t)).collect();
        v.sort_by_key(|(_, t)| std::cmp::Reverse(*t));
        v.into_iter().map(|(k, _)| k.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn profiles_are_made_once_and_the_least_recently_used_is_dropped() {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&made);
        let source = ProfileSource::new(str::to_owned, move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            vec![Backlink::default()]
        });
        let profiles = Profiles::new(source);
        for t in ["a", "b", "a", "c", "d", "a", "e"] {
            profiles.get(t).await.unwrap();
        }
        assert_eq!(
            made.load(Ordering::SeqCst),
            5,
            "each key made once while held"
        );
        assert_eq!(
            profiles.held(),
            vec!["e", "a", "d", "c"],
            "'b' was least recently used"
        );
    }

    #[test]
    fn dataset_keys_share_a_profile_unless_the_target_brings_extra_links() {
        let source = ProfileSource::dataset(DatasetConfig {
            seed: 1,
            rows: Some(300),
        });
        let key = |t: &str| (source.key)(t);
        assert_eq!(key("forbes.com"), "forbes.com");
        assert_eq!(
            key("https://www.forbes.com/no/such/page"),
            "forbes.com www.forbes.com/no/such/page"
        );
        assert_eq!(key("nothere.forbes.com"), "forbes.com nothere.forbes.com");
    }
}
