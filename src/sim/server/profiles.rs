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

/// Profiles kept at once (a large one takes tens of megabytes); the demo rarely needs more
/// than a handful of domains.
const MAX_PROFILES: usize = 8;

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
    cells: Mutex<HashMap<String, Arc<OnceCell<Profile>>>>,
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
            cells: Mutex::new(HashMap::new()),
        }
    }

    /// The profile holding the links of `target` (as sent, already validated).
    pub async fn get(&self, target: &str) -> Result<Profile, ProfileError> {
        let key = (self.source.key)(target);
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            if !cells.contains_key(&key) && cells.len() >= MAX_PROFILES {
                // Drop a finished profile to bound memory; in-flight users keep their Arc.
                if let Some(k) = cells.keys().next().cloned() {
                    cells.remove(&k);
                }
            }
            Arc::clone(cells.entry(key).or_default())
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
}
