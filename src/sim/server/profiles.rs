//! Link profiles, generated once per registrable domain and shared between requests.
//!
//! Generation is CPU work of up to a few hundred milliseconds, so it runs on the blocking pool;
//! concurrent first requests for one domain wait for the same generation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

use crate::api::response::Backlink;
use crate::sim::engine::{Profile, profile};

/// Profiles kept at once; the demo rarely needs more than a handful of domains.
const MAX_PROFILES: usize = 16;

/// Generation failed (the generator panicked).
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not generate the link profile of {domain}: {reason}")]
pub struct ProfileError {
    pub domain: String,
    pub reason: String,
}

/// Makes the whole link profile of a registrable domain.
pub type ProfileSource = Arc<dyn Fn(&str) -> Vec<Backlink> + Send + Sync>;

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

    /// The profile of `registrable` (a registrable domain such as `forbes.com`).
    pub async fn get(&self, registrable: &str) -> Result<Profile, ProfileError> {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            if !cells.contains_key(registrable) && cells.len() >= MAX_PROFILES {
                // Drop a finished profile to bound memory; in-flight users keep their Arc.
                if let Some(k) = cells.keys().next().cloned() {
                    cells.remove(&k);
                }
            }
            Arc::clone(cells.entry(registrable.to_owned()).or_default())
        };
        let source = Arc::clone(&self.source);
        let domain = registrable.to_owned();
        cell.get_or_try_init(|| async move {
            let d = domain.clone();
            tokio::task::spawn_blocking(move || profile(source(&d)))
                .await
                .map_err(|e| ProfileError {
                    domain,
                    reason: e.to_string(),
                })
        })
        .await
        .cloned()
    }
}
