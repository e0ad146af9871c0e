//! The request-dependent, paging-independent part of a query: scope → filters → dedupe →
//! group sizes → sort → per-group cap (reference §12.5). Works on profile indices only; items
//! are cloned later, for the returned page alone.

use super::group::{Grouping, cap_groups, dedupe, group_sizes};
use super::query::Query;
use super::rank::ScaledFilter;
use super::scope::Scope;
use super::sort::{RowCounts, SortSpec, SortVal};
use crate::api::response::Backlink;

/// One row of the ordered result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Profile index of the item shown.
    pub idx: u32,
    pub counts: RowCounts,
}

/// Every row the query can return, in order. `total_count` is its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordered {
    pub rows: Vec<Row>,
}

impl Ordered {
    /// Runs the pipeline over `profile`.
    pub fn compute(profile: &[Backlink], q: &Query, spec: &SortSpec) -> Ordered {
        let scope = Scope::new(q);
        let filter = q
            .filter
            .as_ref()
            .zip(q.compiled.as_ref())
            .map(|(f, c)| ScaledFilter::new(f, c, q.rank_scale));
        let mut scratch = Backlink::default();
        let candidates: Vec<u32> = profile
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                scope.admits(b) && filter.as_ref().is_none_or(|f| f.matches(b, &mut scratch))
            })
            .map(|(i, _)| i as u32)
            .collect();

        let pages = dedupe(profile, &candidates);
        let grouping = Grouping::of(q);
        let sizes = match &grouping {
            Grouping::AsIs => vec![0; pages.len()],
            Grouping::By { field, .. } => group_sizes(profile, &pages, field),
        };
        let counts: Vec<RowCounts> = pages
            .iter()
            .zip(&sizes)
            .map(|(p, &group_count)| RowCounts {
                links_count: p.links,
                group_count,
            })
            .collect();

        let w = spec.width();
        let mut keys: Vec<SortVal<'_>> = Vec::with_capacity(pages.len() * w);
        for (p, c) in pages.iter().zip(&counts) {
            spec.extract(&profile[p.idx as usize], *c, &mut keys);
        }
        let key = |pos: u32| &keys[pos as usize * w..(pos as usize + 1) * w];
        let mut order: Vec<u32> = (0..pages.len() as u32).collect();
        // The rules end in `url_from`, unique after dedupe; the position only makes it total.
        order.sort_unstable_by(|&a, &b| spec.compare(key(a), key(b)).then(a.cmp(&b)));

        if let Grouping::By { field, cap } = &grouping {
            order = cap_groups(profile, &pages, &order, field, *cap);
        }
        let rows = order
            .iter()
            .map(|&pos| Row {
                idx: pages[pos as usize].idx,
                counts: counts[pos as usize],
            })
            .collect();
        Ordered { rows }
    }

    /// Number of rows the query can return.
    pub fn total(&self) -> usize {
        self.rows.len()
    }
}
