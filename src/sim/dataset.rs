//! Deterministic link profiles. (Skeleton: the dataset work fills this in.)
use crate::api::response::Backlink;

/// How a profile is generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetConfig {
    /// Same seed + same target → same items on every machine.
    pub seed: u64,
    /// Overrides the per-target size (`serve-demo --rows N`).
    pub rows: Option<usize>,
}

impl Default for DatasetConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            rows: None,
        }
    }
}

/// Every link (live and lost, direct and indirect, internal and external) pointing into the
/// registrable domain of `target`, before any request parameter is applied.
pub fn generate(_target: &str, _cfg: &DatasetConfig) -> Vec<Backlink> {
    unimplemented!()
}
