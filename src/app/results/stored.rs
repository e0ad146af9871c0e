//! Local filter and sort of a whole store (an opened file, or every live page of a query),
//! answered without decoding every row into memory: the store's own filter picks the rows
//! (conditions on columns are tested on the columns; text conditions read the rows back), and
//! the sort reads back only the fields its rules name.
//!
//! Why not [`RowStore::sorted`]: it breaks ties in file order, while the explorer's order (the
//! server's, [`crate::order::effective_order`]) breaks them by `url_from`, a long text the
//! columns do not keep. So the sort keys (each rule's value, `url_from` last) are read in one
//! pass over the rows, split across the cores, decoding just those fields; then the ids are
//! sorted by them.

use std::cmp::Ordering;

use crate::api::filter::Filter;
use crate::api::request::{OrderBy, SortDir};
use crate::order::{SortVal, compare_values, effective_order};
use crate::rows::query::QueryError;
use crate::rows::{RowId, RowStore, RowsError};

/// One sort value; strings live in one shared text (`Str(start, len)`), so a million keys
/// cost no allocation each.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Null,
    Bool(bool),
    Int(i64),
    Str(u32, u32),
}

impl Key {
    fn of(v: SortVal<'_>, text: &mut String) -> Key {
        match v {
            SortVal::Null => Key::Null,
            SortVal::Bool(b) => Key::Bool(b),
            SortVal::Int(i) => Key::Int(i),
            SortVal::Str(s) => match (u32::try_from(text.len()), u32::try_from(s.len())) {
                (Ok(start), Ok(len)) => {
                    text.push_str(s);
                    Key::Str(start, len)
                }
                // Past 4 GiB of sort text: compare as null rather than fail.
                _ => Key::Null,
            },
        }
    }

    fn val(self, text: &str) -> SortVal<'_> {
        match self {
            Key::Null => SortVal::Null,
            Key::Bool(b) => SortVal::Bool(b),
            Key::Int(i) => SortVal::Int(i),
            Key::Str(start, len) => {
                SortVal::Str(&text[start as usize..start as usize + len as usize])
            }
        }
    }
}

/// The rows of `store` passing `filter` (all without one), in the order of `order_by`
/// (`None`: the store's own order).
pub fn filter_sort(
    store: &RowStore,
    filter: Option<&Filter>,
    order_by: Option<&[OrderBy]>,
) -> Result<Vec<RowId>, QueryError> {
    let ids = match filter {
        Some(f) => store.filter(f)?,
        None => (0..store.len() as u32).map(RowId).collect(),
    };
    match order_by {
        Some(order_by) => Ok(sort_ids(store, ids, order_by)?),
        None => Ok(ids),
    }
}

/// `ids` (in ascending file order) in the order the server would return their rows.
pub fn sort_ids(
    store: &RowStore,
    ids: Vec<RowId>,
    order_by: &[OrderBy],
) -> Result<Vec<RowId>, RowsError> {
    let rules = effective_order(order_by);
    let dirs: Vec<SortDir> = rules.iter().map(|r| r.dir).collect();
    let width = rules.len();
    if ids.is_empty() {
        return Ok(ids);
    }
    let keep = |name: &str| rules.iter().any(|r| r.field == name);
    // The keys are read on every core, a run of `ids` each; each part's strings live in its
    // own text, moved into one afterwards.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let parts = cores.min(ids.len().div_ceil(4096)).max(1);
    let ids_ref = &ids;
    let rules_ref = &rules;
    let keep = &keep;
    let read = |from: usize, to: usize| -> Result<(Vec<Key>, String), RowsError> {
        let run = &ids_ref[from..to];
        let mut keys: Vec<Key> = Vec::with_capacity(run.len() * width);
        let mut text = String::new();
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            return Ok((keys, text));
        };
        let mut next = 0;
        store.scan(first.index(), last.index() + 1, |id, bytes| {
            if run.get(next) != Some(&id) {
                return Ok(true);
            }
            next += 1;
            let item = store.decode(id, bytes, Some(keep))?;
            keys.extend(
                rules_ref
                    .iter()
                    .map(|r| Key::of(SortVal::of_field(item.field(&r.field)), &mut text)),
            );
            Ok(next < run.len())
        })?;
        Ok((keys, text))
    };
    let results: Vec<Result<(Vec<Key>, String), RowsError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..parts)
            .map(|k| {
                let (from, to) = (ids.len() * k / parts, ids.len() * (k + 1) / parts);
                s.spawn(move || read(from, to))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(RowsError::Io {
                        path: store.source_path().to_owned(),
                        reason: "a sorting thread failed".into(),
                    })
                })
            })
            .collect()
    });
    let mut keys: Vec<Key> = Vec::with_capacity(ids.len() * width);
    let mut text = String::new();
    for part in results {
        let (part_keys, part_text) = part?;
        let base = u32::try_from(text.len()).ok();
        keys.extend(part_keys.into_iter().map(|k| {
            match (k, base) {
                (Key::Str(start, len), Some(base)) => base
                    .checked_add(start)
                    .map_or(Key::Null, |start| Key::Str(start, len)),
                (Key::Str(..), None) => Key::Null,
                (other, _) => other,
            }
        }));
        text.push_str(&part_text);
    }
    let row_keys = |i: usize| &keys[i * width..(i + 1) * width];
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (ka, kb) = (row_keys(a), row_keys(b));
        ka.iter()
            .zip(kb)
            .zip(&dirs)
            .map(|((x, y), dir)| compare_values(&[x.val(&text)], &[y.val(&text)], &[*dir]))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
            .then(a.cmp(&b))
    });
    Ok(order.into_iter().map(|i| ids[i]).collect())
}
