//! The request-dependent, paging-independent part of a query: scope → filters → dedupe →
//! group sizes → sort → per-group cap (reference §12.5). Works on profile indices only; items
//! are cloned later, for the returned page alone.
//!
//! With a [`ProfileIndex`] the same steps use its compact columns (host ids, page ids, string
//! ranks); without one they read the items directly. Both give the same rows.

use std::sync::Arc;

use super::group::{Grouping, Groups, dedupe, dedupe_indexed};
use super::index::{NONE, ProfileIndex};
use super::query::Query;
use super::rank::ScaledFilter;
use super::scope::Scope;
use super::sort::{RowCounts, SortSpec, SortVal};
use crate::api::response::Backlink;
use crate::order::packed::PackedKeys;

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
    /// Runs the pipeline over `profile`, using `index` when given.
    pub fn compute(
        profile: &[Backlink],
        q: &Query,
        spec: &SortSpec,
        index: Option<&ProfileIndex>,
    ) -> Ordered {
        let candidates = select(profile, q, index);
        let pages = match index {
            Some(ix) => dedupe_indexed(profile, &candidates, &ix.page_of, ix.pages),
            None => dedupe(profile, &candidates),
        };
        let groups = match Grouping::of(q) {
            Grouping::AsIs => None,
            Grouping::By { field, cap } => Some((Groups::new(profile, &pages, &field), cap)),
        };
        let sizes = groups
            .as_ref()
            .map_or_else(|| vec![0; pages.len()], |(g, _)| g.page_sizes());
        let counts: Vec<RowCounts> = pages
            .iter()
            .zip(&sizes)
            .map(|(p, &group_count)| RowCounts {
                links_count: p.links,
                group_count,
            })
            .collect();

        // String keys come from rank columns when indexed: integers, same order.
        let columns: Vec<Option<Arc<[u32]>>> = (0..spec.width())
            .map(|i| Some(index?.rank_column(profile, spec.string_field(i)?)))
            .collect();
        let mut keys = PackedKeys::new(spec.dirs(), pages.len());
        let mut values = Vec::with_capacity(spec.width());
        for (p, c) in pages.iter().zip(&counts) {
            values.clear();
            values.extend(columns.iter().enumerate().map(|(i, col)| match col {
                Some(col) => match col[p.idx as usize] {
                    NONE => SortVal::Null,
                    rank => SortVal::Int(i64::from(rank)),
                },
                None => spec.value(i, &profile[p.idx as usize], *c),
            }));
            keys.push(&values);
        }
        let mut order: Vec<u32> = (0..pages.len() as u32).collect();
        // The rules end in `url_from`, unique after dedupe; the position only makes it total.
        order.sort_unstable_by(|&a, &b| keys.compare(a as usize, b as usize).then(a.cmp(&b)));

        if let Some((g, cap)) = &groups {
            order = g.cap(&order, *cap);
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

/// Profile indices of the links in scope that pass the filters.
fn select(profile: &[Backlink], q: &Query, index: Option<&ProfileIndex>) -> Vec<u32> {
    let scope = Scope::new(q);
    let filter = q
        .filter
        .as_ref()
        .zip(q.compiled.as_ref())
        .map(|(f, c)| ScaledFilter::new(f, c, q.rank_scale));
    let mut scratch = Backlink::default();
    let mut passes = |b: &Backlink| filter.as_ref().is_none_or(|f| f.matches(b, &mut scratch));
    let Some(ix) = index else {
        return (0..profile.len() as u32)
            .filter(|&i| {
                let b = &profile[i as usize];
                scope.admits(b) && passes(b)
            })
            .collect();
    };
    let to_ok: Vec<bool> = ix.hosts.iter().map(|h| scope.host_hits(h)).collect();
    let internal: Vec<bool> = ix.hosts.iter().map(|h| scope.is_internal(h)).collect();
    let lookup = |table: &[bool], id: u32| id != NONE && table[id as usize];
    (0..profile.len() as u32)
        .filter(|&i| {
            let (b, i) = (&profile[i as usize], i as usize);
            lookup(&to_ok, ix.to_host[i])
                && scope.admits_with(b, true, lookup(&internal, ix.from_host[i]))
                && passes(b)
        })
        .collect()
}
