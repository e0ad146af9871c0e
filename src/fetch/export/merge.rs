//! Writing the slices of a partitioned export in the requested order: one after the other when
//! the slice field is the first sort key, else a k-way merge (a heap of each slice's next row,
//! ordered by the API's own comparator, [`crate::order`]). Rows stream from the spilled pages
//! to the file; memory holds one row per slice.
//!
//! A slice that is not complete (the export stopped) still has a known prefix: the output stops
//! where that prefix ends, so the file is always the first rows of the result, in order.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::Arc;

use crate::api::request::{OrderBy, SortDir};
use crate::api::response::Backlink;
use crate::order::SortVal;
use crate::store::{SetWriter, StoreError};

use super::partition::{Range, SliceField};
use super::spill::{PageFile, Rows};

/// The rows of one slice: its pages (read through its range), and whether that is all of them.
#[derive(Debug, Clone)]
pub struct SliceRows {
    pub files: Vec<Arc<PageFile>>,
    pub range: Range,
    pub complete: bool,
}

/// One sort value, owned, in a form whose derived order is the API's for one rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Val {
    Bool(bool),
    Int(i64),
    Str(String),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Directed {
    Asc(Val),
    Desc(Reverse<Val>),
}

/// A row's sort key under the rules: per rule, "is null" first (nulls last in both
/// directions), then the value in the rule's direction. Equal to
/// [`crate::order::compare_values`] (a test holds them to it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey(Vec<(bool, Directed)>);

impl RowKey {
    pub fn of(row: &Backlink, rules: &[OrderBy]) -> RowKey {
        RowKey(
            rules
                .iter()
                .map(|r| {
                    let v = match SortVal::of_field(row.field(&r.field)) {
                        SortVal::Null => return (true, Directed::Asc(Val::Bool(false))),
                        SortVal::Bool(b) => Val::Bool(b),
                        SortVal::Int(i) => Val::Int(i),
                        SortVal::Str(s) => Val::Str(s.to_owned()),
                    };
                    let d = match r.dir {
                        SortDir::Asc => Directed::Asc(v),
                        SortDir::Desc => Directed::Desc(Reverse(v)),
                    };
                    (false, d)
                })
                .collect(),
        )
    }
}

/// A slice's next row in the heap.
struct Head {
    key: RowKey,
    slice: usize,
    row: Backlink,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    /// Reversed: `BinaryHeap` pops the greatest, the merge wants the first in order.
    fn cmp(&self, other: &Self) -> Ordering {
        (&other.key, other.slice).cmp(&(&self.key, self.slice))
    }
}

/// Writes `slices` one after the other (the first `skip` rows are already in the file); stops
/// after the first incomplete slice. Returns the rows written.
pub fn concat(
    slices: Vec<SliceRows>,
    field: &SliceField,
    mut skip: u64,
    writer: &mut SetWriter,
) -> Result<u64, StoreError> {
    let mut written = 0;
    for slice in slices {
        let range = slice.range;
        let mut rows = Rows::new(slice.files, |r| {
            field.key(r).is_some_and(|k| range.contains(k))
        });
        while let Some(row) = rows.next_row()? {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            writer.write(&row)?;
            written += 1;
        }
        if !slice.complete {
            break;
        }
    }
    Ok(written)
}

/// Merges sorted `slices` into the order of `rules` (the first `skip` rows are already in the
/// file). Stops when an incomplete slice runs out: what comes next might be in its missing
/// part. Returns the rows written.
pub fn merge(
    slices: Vec<SliceRows>,
    field: &SliceField,
    rules: &[OrderBy],
    mut skip: u64,
    writer: &mut SetWriter,
) -> Result<u64, StoreError> {
    let complete: Vec<bool> = slices.iter().map(|s| s.complete).collect();
    let mut readers: Vec<_> = slices
        .into_iter()
        .map(|s| {
            let range = s.range;
            Rows::new(s.files, move |r: &Backlink| {
                field.key(r).is_some_and(|k| range.contains(k))
            })
        })
        .collect();
    let mut heap = BinaryHeap::with_capacity(readers.len());
    for (i, reader) in readers.iter_mut().enumerate() {
        match reader.next_row()? {
            Some(row) => heap.push(Head {
                key: RowKey::of(&row, rules),
                slice: i,
                row,
            }),
            None if !complete[i] => return Ok(0),
            None => {}
        }
    }
    let mut written = 0;
    while let Some(Head { slice, row, .. }) = heap.pop() {
        if skip > 0 {
            skip -= 1;
        } else {
            writer.write(&row)?;
            written += 1;
        }
        match readers[slice].next_row()? {
            Some(next) => heap.push(Head {
                key: RowKey::of(&next, rules),
                slice,
                row: next,
            }),
            None if !complete[slice] => break,
            None => {}
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::{compare_values, effective_order};

    fn row(rank: Option<i64>, domain: Option<&str>, url: &str) -> Backlink {
        Backlink {
            rank,
            domain_from: domain.map(str::to_owned),
            url_from: Some(url.to_owned()),
            ..Backlink::default()
        }
    }

    fn vals<'a>(row: &'a Backlink, rules: &[OrderBy]) -> Vec<SortVal<'a>> {
        rules
            .iter()
            .map(|r| SortVal::of_field(row.field(&r.field)))
            .collect()
    }

    #[test]
    fn row_keys_order_rows_as_the_shared_comparator_does() {
        let rows = [
            row(Some(5), Some("b.com"), "u1"),
            row(Some(5), Some("a.com"), "u2"),
            row(None, Some("a.com"), "u3"),
            row(Some(7), None, "u4"),
            row(Some(7), Some("B.com"), "u5"),
            row(Some(-1), Some("a.com"), "u6"),
            row(Some(5), Some("a.com"), "u0"),
        ];
        for order in [
            vec![],
            vec![OrderBy::new("domain_from", SortDir::Asc)],
            vec![
                OrderBy::new("domain_from", SortDir::Desc),
                OrderBy::new("rank", SortDir::Asc),
            ],
        ] {
            let rules = effective_order(&order);
            let dirs: Vec<SortDir> = rules.iter().map(|r| r.dir).collect();
            for a in &rows {
                for b in &rows {
                    let (va, vb) = (vals(a, &rules), vals(b, &rules));
                    assert_eq!(
                        RowKey::of(a, &rules).cmp(&RowKey::of(b, &rules)),
                        compare_values(&va, &vb, &dirs),
                        "{a:?} vs {b:?} under {order:?}"
                    );
                }
            }
        }
    }
}
