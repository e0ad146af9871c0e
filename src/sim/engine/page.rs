//! One page out of an [`Ordered`] result: `offset` or `search_after_token`, then `limit`, and
//! the token for the next page (reference §7, DESIGN.md §6.6).

use std::cmp::Ordering;

use super::pipeline::{Ordered, Row};
use super::query::Query;
use super::rank::scale_item;
use super::sort::{SortSpec, SortVal};
use crate::api::response::Backlink;
use crate::sim::token::Token;

/// A page of items and the cursor after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Backlink>,
    pub token: Token,
}

/// Cuts the page `q` asks for. Past the end the page is empty and the token stays at the end,
/// so following it again returns zero items.
pub fn cut(profile: &[Backlink], ordered: &Ordered, q: &Query, spec: &SortSpec) -> Page {
    let rows = &ordered.rows;
    let start = match &q.token {
        Some(t) => resume(profile, rows, spec, t),
        None => q.offset as usize,
    }
    .min(rows.len());
    let end = (start + q.limit as usize).min(rows.len());
    let items = rows[start..end]
        .iter()
        .map(|row| render(profile, row, q))
        .collect();
    let after = end
        .checked_sub(1)
        .map(|last| key_of(profile, &rows[last], spec))
        .unwrap_or_default()
        .into_iter()
        .map(SortVal::to_json)
        .collect();
    Page {
        items,
        token: Token::new(q.params_hash(), after, end as u64),
    }
}

fn key_of<'a>(profile: &'a [Backlink], row: &Row, spec: &SortSpec) -> Vec<SortVal<'a>> {
    spec.values(&profile[row.idx as usize], row.counts)
}

/// The first row after the token's key. The recorded position is tried first; if the row
/// before it does not carry the token's key, a binary search finds the place.
fn resume(profile: &[Backlink], rows: &[Row], spec: &SortSpec, t: &Token) -> usize {
    let after: Vec<SortVal<'_>> = t.after.iter().map(SortVal::from_json).collect();
    if after.is_empty() {
        return 0;
    }
    let pos = usize::try_from(t.pos).unwrap_or(usize::MAX);
    if let Some(row) = pos.checked_sub(1).and_then(|i| rows.get(i))
        && spec.compare(&key_of(profile, row, spec), &after) == Ordering::Equal
    {
        return pos;
    }
    rows.partition_point(|row| {
        spec.compare(&key_of(profile, row, spec), &after) != Ordering::Greater
    })
}

/// The item as the response shows it: computed counts, ranks in the requested scale.
fn render(profile: &[Backlink], row: &Row, q: &Query) -> Backlink {
    let mut item = profile[row.idx as usize].clone();
    item.links_count = Some(i64::from(row.counts.links_count));
    item.group_count = Some(i64::from(row.counts.group_count));
    scale_item(&mut item, q.rank_scale);
    item
}
