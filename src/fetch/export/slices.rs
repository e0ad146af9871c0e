//! What a partitioned export says about its slices: counts for the progress line (done,
//! running, waiting) and one record per slice for the manifest.

use serde::{Deserialize, Serialize};

/// Slices by state, reported with every step of a partitioned export (all zero otherwise).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Slices {
    /// Every row of the slice is fetched.
    pub done: u32,
    /// Pages of the slice are in flight.
    pub running: u32,
    /// The slice waits for a free request slot (or for its first page to say its size).
    pub waiting: u32,
}

impl Slices {
    pub fn total(&self) -> u32 {
        self.done + self.running + self.waiting
    }
}

/// `slices 3/12 done · 8 running · 1 waiting`; `None` for an export that is not sliced.
pub fn describe(s: &Slices) -> Option<String> {
    (s.total() > 0).then(|| {
        format!(
            "slices {}/{} done · {} running · {} waiting",
            s.done,
            s.total(),
            s.running,
            s.waiting
        )
    })
}

/// One slice in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliceRecord {
    /// `rank in [120, 240)`, `rank = 0`, `first_seen in [2024-01-01 …, …)`.
    pub range: String,
    /// The slice's `total_count`, when a page said it.
    pub total_count: Option<u64>,
    /// Rows fetched (including those its first rows came with, from a larger slice's page).
    pub rows: u64,
    /// Pages fetched for it (paid or from the cache).
    pub pages: u64,
    /// Whether every row is fetched.
    pub complete: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_read_as_a_short_line() {
        assert_eq!(describe(&Slices::default()), None);
        let s = Slices {
            done: 3,
            running: 8,
            waiting: 1,
        };
        assert_eq!(
            describe(&s).as_deref(),
            Some("slices 3/12 done · 8 running · 1 waiting")
        );
    }
}
